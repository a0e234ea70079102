"""Forms of the challenge pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    DecimalField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from ideas.challenges import phases
from ideas.challenges.categories import choices as category_choices
from ideas.core.languages import LanguageField

PLANNED_PHASES = phases.PHASES[1:-1]  # submission .. prototyping have dates


class ChallengeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=160)])
    summary = StringField(_l("Summary"), validators=[DataRequired(), Length(max=300)],
                          description=_l("One sentence shown on cards and in search."))
    problem = TextAreaField(_l("The problem"), validators=[DataRequired()], render_kw={"rows": 8},
                            description=_l("Markdown. What hurts today, for whom, and what is out of scope."))
    criteria = TextAreaField(_l("Success criteria"), validators=[DataRequired()], render_kw={"rows": 4},
                             description=_l("One per line, 1 to 10 criteria."))
    category = SelectField(_l("Category"), choices=[])
    tags = StringField(_l("Tags"), validators=[Optional(), Length(max=300)],
                       description=_l("Separated by commas."))
    language = LanguageField(description=_l("The language the challenge is written in (it is not translated); "
                                            "left to detection, it is read from the text when you save."))
    cover = FileField(_l("Cover image"))
    reward_text = StringField(_l("Reward"), validators=[Optional(), Length(max=300)])
    reward_amount = DecimalField(_l("Reward amount"), places=2,
                                 validators=[Optional(), NumberRange(min=0)])
    reward_currency = StringField(_l("Currency"), default="EUR", validators=[DataRequired(), Length(min=3, max=3)])
    terms = TextAreaField(_l("Participation terms"), render_kw={"rows": 5},
                          description=_l("Markdown: licence, reward split, confidentiality."))
    visibility = SelectField(_l("Who can see it"), choices=[
        ("public", _l("Everyone")), ("invite", _l("Invited members only"))])
    vote_budget = IntegerField(_l("Vote budget"), validators=[Optional(), NumberRange(min=1)],
                               description=_l("Optional: at most this many up-votes per member."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = category_choices()

    def validate(self, extra_validators=None) -> bool:
        """Field checks, plus end-after-start per phase so that every mistake shows at once
        (the service checks the full date order again)."""
        ok = super().validate(extra_validators)
        for phase in PLANNED_PHASES:
            starts, ends = self[f"{phase}_starts"], self[f"{phase}_ends"]
            if starts.data and ends.data and ends.data <= starts.data and not ends.errors:
                ends.errors = [*ends.errors, _l("The end must be after the start.")]
                ok = False
        return ok


for _phase in PLANNED_PHASES:
    setattr(ChallengeForm, f"{_phase}_starts", DateField(_l("Starts"), validators=[Optional()]))
    setattr(ChallengeForm, f"{_phase}_ends", DateField(_l("Ends"), validators=[Optional()]))


class MoveForm(FlaskForm):
    to_phase = SelectField(_l("Move to"), choices=[])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)])


class PublishForm(FlaskForm):
    pass


class InviteForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email()])
