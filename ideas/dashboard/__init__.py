"""A member's home after login: what needs them, gathered from every module."""
