"""Idea status labels in the reader's language. The message ids are marked for
extraction with N_ and translated when shown, through the request's cached
translations (a list page shows twenty badges)."""

from ideas.core.i18n import translations


def N_(message: str) -> str:  # noqa: N802 (gettext's conventional no-op marker)
    return message


STATUS_LABELS = {
    "submitted": N_("Submitted"),
    "shortlisted": N_("Shortlisted"),
    "selected": N_("Selected"),
    "prototyped": N_("Prototyped"),
    "winner": N_("Winner"),
    "declined": N_("Declined"),
    "withdrawn": N_("Withdrawn"),
    "merged": N_("Merged"),
}

STATUS_STYLES = {
    "submitted": "secondary", "shortlisted": "info", "selected": "primary", "prototyped": "primary",
    "winner": "success", "declined": "warning", "withdrawn": "light", "merged": "light",
}


def status_label(status: str) -> str:
    message = STATUS_LABELS.get(status)
    return translations().ugettext(message) if message is not None else status
