"""Subscribers to domain events that create notifications."""


def connect() -> None:
    """Connect notification handlers to the domain signals (called by create_app)."""
