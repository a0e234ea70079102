"""Ideas, their revisions and images, comments, votes, pairwise picks, moderation."""
