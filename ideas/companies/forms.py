"""Forms of the companies module (company profile, staff management)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Email, Length, Optional


def role_choices():
    return [("manager", _l("Manager")), ("owner", _l("Owner"))]


class CompanyForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    tagline = StringField(_l("Tagline"), validators=[Optional(), Length(max=200)],
                          description=_l("One sentence on what the company does."))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20_000)],
                                description=_l("Markdown is supported."), render_kw={"rows": 8})
    website = StringField(_l("Website"), validators=[Optional(), URL(require_tld=False), Length(max=300)],
                          render_kw={"placeholder": "https://"})
    logo = FileField(_l("Logo"), description=_l("A JPEG, PNG, GIF or WebP image; square works best."),
                     render_kw={"accept": "image/*"})


class EditCompanyForm(CompanyForm):
    remove_logo = BooleanField(_l("Remove the current logo"))


class AddStaffForm(FlaskForm):
    email = EmailField(_l("Email of the member"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=role_choices, default="manager")


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=role_choices)


class ActionForm(FlaskForm):
    """A button-only form: CSRF protection for POST actions."""
