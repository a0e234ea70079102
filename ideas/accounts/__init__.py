"""Accounts: registration, verification, login, password reset, profiles."""
