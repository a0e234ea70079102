"""Forms of the submissions module: ideas, terms, staff actions, closing, comparisons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ideas.core.edge import MAX_ID, IdField
from ideas.core.image_fields import image_slots
from ideas.core.languages import LanguageField


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
    language = LanguageField(description=_l("Ideas are not translated: say which language yours is in, "
                                            "or leave it to be read from the text when you save."))


class IdeaForm(IdeaTextForm):
    images = image_slots(_l("Images"), 5, description=_l(
        "Up to 5 pictures (JPEG, PNG, GIF or WebP), each with a short description of what it shows, "
        "for people who cannot see it."))
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


# -- staff actions ---------------------------------------------------------------

class LanguageForm(FlaskForm):
    """Staff correct an idea's recorded language."""

    language = LanguageField()


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])


class DeclineForm(FlaskForm):
    feedback = TextAreaField(_l("Feedback to the author"), validators=[DataRequired(), Length(min=10, max=2000)])


class ReconsiderForm(FlaskForm):
    reason = TextAreaField(_l("Why the decline is taken back"), validators=[DataRequired(), Length(min=10, max=2000)])


class MergeForm(FlaskForm):
    target_id = IntegerField(_l("Merge into idea number"), validators=[InputRequired(), NumberRange(min=1, max=MAX_ID)])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])


class ShortlistTopForm(FlaskForm):
    n = IntegerField(_l("How many"), default=10, validators=[InputRequired(), NumberRange(min=1, max=500)])
    reason = TextAreaField(_l("Note to the authors"), validators=[Optional(), Length(max=2000)])


class ResolveForm(FlaskForm):
    resolution = StringField(_l("Resolution"), validators=[Optional(), Length(max=300)])


class CloseForm(FlaskForm):
    rest_reason = TextAreaField(_l("Reason for the ideas still without an outcome"),
                                validators=[Optional(), Length(max=2000)], render_kw={"rows": 3},
                                description=_l("Each of their authors receives it with the outcome "
                                               "(for example: not shortlisted this time, and why)."))
    note = StringField(_l("Note on the timeline"), validators=[Optional(), Length(max=300)])


class PickForm(FlaskForm):
    """"Which is better?": only the CSRF token; the ideas come as plain fields checked by the service."""


class MovedVoteForm(FlaskForm):
    """A voter's answer to a merge that moved their vote."""

    choice = RadioField(_l("Your vote"), choices=[("keep", _l("Keep it on the merged idea")),
                                                   ("back", _l("Move it back to the idea I voted for")),
                                                   ("remove", _l("Remove my vote"))],
                        validators=[DataRequired()])


# -- comments --------------------------------------------------------------------

class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment"), validators=[DataRequired(_l("Write something before posting."))])
    parent_id = IdField()


class CommentEditForm(FlaskForm):
    body = TextAreaField(_l("Comment"), validators=[DataRequired(_l("Write something before posting."))])


class CommentDeleteForm(FlaskForm):
    pass


class CommentHelpfulForm(FlaskForm):
    helpful = BooleanField()
