"""Forms for submitting, editing and withdrawing ideas, and accepting terms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class IdeaTextForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(min=5, max=160)],
                        description=_l("One line that says what the idea is (5 to 160 characters)."))
    summary = TextAreaField(_l("Summary"), validators=[DataRequired(), Length(min=10, max=500)],
                            render_kw={"rows": 3},
                            description=_l("The idea in two or three sentences; shown in lists."))
    description = TextAreaField(_l("Description"), validators=[DataRequired(), Length(min=20, max=20000)],
                                render_kw={"rows": 12},
                                description=_l("How it works and why it meets the success criteria. Markdown is supported."))
    tags = StringField(_l("Tags"), validators=[Optional(), Length(max=400)],
                       description=_l("Up to 10, separated by commas."))


class IdeaForm(IdeaTextForm):
    images = MultipleFileField(_l("Images"), render_kw={"accept": "image/*"},
                               description=_l("Up to 5 pictures (JPEG, PNG, GIF or WebP)."))
    coauthors = StringField(_l("Co-authors"), validators=[Optional(), Length(max=400)],
                            description=_l("Usernames of members who worked on it with you, separated by commas."))
    submission_key = HiddenField()
    submit = SubmitField(_l("Submit idea"))


class EditIdeaForm(IdeaTextForm):
    submit = SubmitField(_l("Save changes"))


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("Why are you withdrawing it? (optional)"), validators=[Optional(), Length(max=2000)],
                           render_kw={"rows": 2})
    submit = SubmitField(_l("Withdraw idea"))


class AcceptTermsForm(FlaskForm):
    submit = SubmitField(_l("I accept"))
