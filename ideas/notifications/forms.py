"""The mail preferences form: consent, then a frequency for each topic."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField

from ideas.notifications import kinds


def preferences_form(formdata=None, **values):
    """A form with one select per topic (kinds.TOPICS), named topic_<topic>."""

    class PreferencesForm(FlaskForm):
        consent = BooleanField(_l("Send me notification mail"))

    for topic, label in kinds.TOPICS.items():
        setattr(PreferencesForm, f"topic_{topic}", SelectField(
            _l(label), choices=[(code, _l(text)) for code, text in kinds.FREQUENCIES.items()]))
    return PreferencesForm(formdata=formdata, **values) if formdata is not None else PreferencesForm(**values)


class UnsubscribeForm(FlaskForm):
    """The confirmation button of an unsubscribe link (the token is the credential)."""

    class Meta:
        csrf = False
