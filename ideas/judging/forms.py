"""Judging forms. The rubric rows and a scorecard's scores have as many fields as the
rubric has criteria, so the views read them from the request (`rubric_rows`,
`score_values`) and the services check them; these forms carry the fixed fields and
the CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ideas.judging.services import MAX_CRITERIA, MAX_JUDGES_PER_IDEA, MAX_TEXT

RUBRIC_FIELDS = ("title", "description", "weight", "scale_low", "scale_high")


class InviteForm(FlaskForm):
    judge = StringField(_l("Username or email address"), validators=[DataRequired(), Length(max=254)])


class SettingsForm(FlaskForm):
    blind = BooleanField(_l("Blind review: judges see neither the authors nor the votes"))
    judges_per_idea = IntegerField(_l("Judges per idea"), validators=[
        InputRequired(), NumberRange(min=1, max=MAX_JUDGES_PER_IDEA)])


class AssignForm(FlaskForm):
    mode = RadioField(_l("How to give out the shortlist"), default="balanced", choices=[
        ("balanced", _l("Balanced: each idea gets the number of judges per idea (see Settings), loads kept even")),
        ("all", _l("Every judge scores every idea"))])


class RemindForm(FlaskForm):
    judge = HiddenField()


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token (publish, reopen, accept or decline)."""


class RubricForm(FlaskForm):
    """The CSRF token; the rows are `criteria-<i>-<field>` (see `rubric_rows`)."""


def rubric_rows(form_data) -> list[dict]:
    """The rubric rows posted, a row left wholly blank dropped (that is how a criterion is
    removed); at most MAX_CRITERIA + 1 rows are read, the service refuses more."""
    rows = []
    for i in range(MAX_CRITERIA + 1):
        row = {key: (form_data.get(f"criteria-{i}-{key}") or "").strip() for key in RUBRIC_FIELDS}
        if not row["title"] and not row["description"]:
            continue
        rows.append(row)
    return rows


class ScorecardForm(FlaskForm):
    comment_for_author = TextAreaField(_l("Comment for the authors"), validators=[Optional(), Length(max=MAX_TEXT)],
                                       description=_l("They read it once the results are published, without your name under blind review."))
    note_for_staff = TextAreaField(_l("Private note for the staff"), validators=[Optional(), Length(max=MAX_TEXT)],
                                   description=_l("Only the challenge's staff read it."))


def score_values(form_data, criteria) -> dict:
    """criterion id -> the posted value (possibly blank) for each criterion of the rubric."""
    return {c.id: form_data.get(f"score-{c.id}", "") for c in criteria}


class ConflictForm(FlaskForm):
    reason = TextAreaField(_l("Why you should not judge this idea"), validators=[DataRequired(), Length(max=500)])


class DecisionForm(FlaskForm):
    reason = TextAreaField(_l("Reason for the authors"), validators=[DataRequired(), Length(min=10, max=2000)])
