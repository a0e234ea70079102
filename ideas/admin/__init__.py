"""Site administration: companies, users, global moderation."""
