"""Prototype forms; the services check every value again and name the field. A tester's
ratings (one per success criterion) are read from the request (`rating_values`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ideas.core.image_fields import image_slots
from ideas.prototypes import statuses
from ideas.prototypes.services import MAX_PLACES


class ActionForm(FlaskForm):
    """A button that needs only the CSRF token."""


class PrototypeForm(FlaskForm):
    title = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=20000)],
                            description=_l("What is being built; markdown."))
    visibility = SelectField(_l("Who sees it"), choices=list(statuses.VISIBILITY_LABELS.items()))
    focus_group_id = SelectField(_l("Focus group"), coerce=str)


class VisibilityForm(FlaskForm):
    visibility = SelectField(_l("Who sees it"), choices=list(statuses.VISIBILITY_LABELS.items()))
    focus_group_id = SelectField(_l("Focus group"), coerce=str)


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"))
    note = StringField(_l("Note (optional)"), validators=[Optional(), Length(max=500)])
    mark_winner = BooleanField(_l("Launching makes the idea a winner"))


class IterationForm(FlaskForm):
    version_name = StringField(_l("Version"), validators=[DataRequired(), Length(max=80)])
    description = TextAreaField(_l("Description"), validators=[DataRequired(), Length(max=20000)])
    changes = TextAreaField(_l("What changed since the last iteration"), validators=[Optional(), Length(max=20000)])
    images = image_slots(_l("Images (up to 6)"), 6, description=_l(
        "Each with a short description of what it shows, for people who cannot see it."))
    places = IntegerField(_l("Tester places"), default=5,
                          validators=[InputRequired(), NumberRange(min=0, max=MAX_PLACES)])
    waiting_places = IntegerField(_l("Places on the waiting list"), default=5,
                                  validators=[InputRequired(), NumberRange(min=0, max=MAX_PLACES)])
    signup_mode = SelectField(_l("How testers get a place"), choices=list(statuses.SIGNUP_MODE_LABELS.items()))


class TestForm(FlaskForm):
    places = IntegerField(_l("Tester places"), validators=[InputRequired(), NumberRange(min=0, max=MAX_PLACES)])
    waiting_places = IntegerField(_l("Waiting list"), validators=[InputRequired(), NumberRange(min=0, max=MAX_PLACES)])
    signup_mode = SelectField(_l("Places"), choices=list(statuses.SIGNUP_MODE_LABELS.items()))

    __test__ = False


class FeedbackForm(FlaskForm):
    worked = TextAreaField(_l("What worked"), validators=[Optional(), Length(max=5000)])
    did_not_work = TextAreaField(_l("What did not work"), validators=[Optional(), Length(max=5000)])
    images = image_slots(_l("Images (optional, up to 4)"), 4, description=_l(
        "Each with a short description of what it shows, for people who cannot see it."))


class ReplyForm(FlaskForm):
    reply = TextAreaField(_l("Reply to the tester"), validators=[DataRequired(), Length(max=5000)])


def rating_values(form_data, criteria) -> dict:
    return {c.id: form_data.get(f"rating-{c.id}", "") for c in criteria}
