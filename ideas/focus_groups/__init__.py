"""Focus groups: private groups that refine a challenge's selected ideas with members."""
