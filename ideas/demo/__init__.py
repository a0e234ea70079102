"""Demo content for `make run`: a living community in four languages."""
