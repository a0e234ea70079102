"""The fixed list of challenge categories (code stored in Challenge.category)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CATEGORIES = {
    "home": _l("Home appliances"),
    "mobility": _l("Mobility"),
    "food": _l("Food"),
    "health": _l("Health"),
    "energy": _l("Energy"),
    "digital": _l("Digital services"),
    "sustainability": _l("Sustainability"),
    "other": _l("Other"),
}


def category_label(code: str) -> str:
    """The translated label of a category code (the code itself when unknown)."""
    return str(CATEGORIES.get(code, code))


def choices() -> list[tuple[str, str]]:
    return [(code, label) for code, label in CATEGORIES.items()]
