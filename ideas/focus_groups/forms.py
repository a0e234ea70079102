"""Focus group forms. The services check every value again (and name the field), so the
forms carry the fields, their labels and the CSRF token; feedback answers and question
rows, whose number varies, are read from the request (`question_rows`, `answer_values`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ideas.core.image_fields import image_slots
from ideas.focus_groups.feedback import MAX_QUESTIONS
from ideas.focus_groups.services import MAX_SIZE


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ActionForm(FlaskForm):
    """A button that needs only the CSRF token."""


class GroupForm(FlaskForm):
    title = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    purpose = TextAreaField(_l("Purpose"), validators=[DataRequired(), Length(max=20000)],
                            description=_l("What the group is for; markdown."))
    size_limit = IntegerField(_l("Size limit"), default=12,
                              validators=[InputRequired(), NumberRange(min=1, max=MAX_SIZE)])
    starts_on = DateField(_l("Starts on"), validators=[InputRequired()])
    ends_on = DateField(_l("Ends on"), validators=[InputRequired()])


class NewGroupForm(GroupForm):
    ideas = MultiCheckboxField(_l("Selected ideas"), coerce=int)
    agreement = TextAreaField(_l("Confidentiality agreement"), validators=[DataRequired(), Length(max=20000)],
                              description=_l("Members accept it before they see anything inside; markdown."))


class AgreementForm(FlaskForm):
    agreement = TextAreaField(_l("Confidentiality agreement"), validators=[DataRequired(), Length(max=20000)],
                              description=_l("A changed text is a new version: every member accepts it again "
                                             "before their next visit."))


class AcceptForm(FlaskForm):
    agree = BooleanField(_l("I have read and accept the confidentiality agreement"))
    version = HiddenField()


class InviteForm(FlaskForm):
    member = StringField(_l("Username or email address"), validators=[DataRequired(), Length(max=254)])
    reason = StringField(_l("Why (shown to staff)"), validators=[Optional(), Length(max=300)])


class ThreadForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=160)])
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=10000)],
                         description=_l("Markdown is welcome."))
    images = image_slots(_l("Images (optional, up to 4)"), 4, description=_l(
        "Each with a short description of what it shows, for people who cannot see it; only the group "
        "sees them."))


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Reply"), validators=[DataRequired(), Length(max=10000)])
    images = image_slots(_l("Images (optional, up to 4)"), 4, description=_l(
        "Each with a short description of what it shows, for people who cannot see it; only the group "
        "sees them."))


class SessionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=160)])
    starts_at = DateTimeLocalField(_l("Starts at"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    timezone = SelectField(_l("Time zone of that time"))
    duration_minutes = IntegerField(_l("Length in minutes"), default=60,
                                    validators=[InputRequired(), NumberRange(min=5, max=1440)])
    mode = SelectField(_l("Where"), choices=[("online", _l("Online")), ("in_person", _l("In person"))])
    video_link = StringField(_l("Video link"), validators=[Optional(), Length(max=500)])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=300)])
    agenda = TextAreaField(_l("Agenda"), validators=[Optional(), Length(max=20000)])


class NotesForm(FlaskForm):
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=20000)])
    attended = MultiCheckboxField(_l("Who attended"), coerce=int)


class RoundForm(FlaskForm):
    """Title and intro; the questions are `questions-<i>-text` / `questions-<i>-kind`."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=160)])
    intro = TextAreaField(_l("Introduction"), validators=[Optional(), Length(max=4000)])


class SynthesisForm(FlaskForm):
    synthesis = TextAreaField(_l("What the group found"), validators=[Optional(), Length(max=20000)],
                              description=_l("Shown on the ideas' pages to whoever sees this group; markdown."))
    public = BooleanField(_l("Also publish it on the ideas' public pages"))


def question_rows(form_data) -> list[dict]:
    return [{"text": (form_data.get(f"questions-{i}-text") or "").strip(),
             "kind": (form_data.get(f"questions-{i}-kind") or "rating").strip()}
            for i in range(MAX_QUESTIONS + 1)]


def answer_values(form_data, questions) -> dict:
    return {q.id: form_data.get(f"q-{q.id}", "") for q in questions}
