"""Account forms (Flask-WTF, CSRF on). Rules that need the database live in services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

LANGUAGE_CHOICES = [("en", "English"), ("cs", "Čeština"), ("ru", "Русский"), ("zh", "中文")]


class RegisterForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    display_name = StringField(_l("Your name"), validators=[DataRequired(), Length(min=1, max=80)],
                               description=_l("Shown next to your ideas and comments."))
    password = PasswordField(_l("Password"), validators=[DataRequired()],
                             description=_l("At least 10 characters."))
    notify_email = BooleanField(
        _l("Send me email about replies, votes and decisions on my ideas"), default=False,
        description=_l("Optional. You can change this any time in your settings."),
    )


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me logged in on this device"))
    next = HiddenField()


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired()],
                             description=_l("At least 10 characters."))


class SettingsForm(FlaskForm):
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(min=1, max=80)])
    username = StringField(_l("Username"), validators=[DataRequired(), Length(min=2, max=30)],
                           description=_l("Others mention you as @username."))
    bio = TextAreaField(_l("About you"), validators=[Optional(), Length(max=5000)],
                        description=_l("Markdown is supported."), render_kw={"rows": 5})
    avatar = FileField(_l("Profile picture"), description=_l("JPEG, PNG, GIF or WebP."),
                       render_kw={"accept": "image/*"})
    remove_avatar = BooleanField(_l("Remove my profile picture"))
    expertise = StringField(_l("Expertise"), validators=[Optional(), Length(max=400)],
                            description=_l("Up to 10 topics, separated by commas."))
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    timezone = StringField(_l("Time zone"), validators=[DataRequired(), Length(max=64)],
                           description=_l("For example Europe/Prague."),
                           render_kw={"list": "timezone-names", "autocomplete": "off"})
    notify_email = BooleanField(_l("Send me notification email"))
    notify_frequency = SelectField(
        _l("How often"),
        choices=[("instant", _l("Right away")), ("daily", _l("Daily digest")),
                 ("weekly", _l("Weekly digest"))],
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired()],
                                 description=_l("At least 10 characters."))
