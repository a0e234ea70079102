"""Challenge services."""


def home_page_data(user) -> dict:
    """What the home page shows to this user."""
    return {}
