"""Challenges: the problems companies bring, their phases, terms and invitations."""
