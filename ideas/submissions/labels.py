"""Idea status labels in the reader's language, built once (lazy) rather than on
every badge a page renders."""

from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "submitted": _l("Submitted"),
    "shortlisted": _l("Shortlisted"),
    "selected": _l("Selected"),
    "prototyped": _l("Prototyped"),
    "winner": _l("Winner"),
    "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
    "merged": _l("Merged"),
}

STATUS_STYLES = {
    "submitted": "secondary", "shortlisted": "info", "selected": "primary", "prototyped": "primary",
    "winner": "success", "declined": "warning", "withdrawn": "light", "merged": "light",
}


def status_label(status: str) -> str:
    label = STATUS_LABELS.get(status)
    return str(label) if label is not None else status
