"""Staff's form to grant or revoke expert status, with the reason kept in the history."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired


class ExpertStatusForm(FlaskForm):
    action = RadioField(_l("Action"), choices=[("grant", _l("Grant expert status")),
                                               ("revoke", _l("Revoke expert status"))],
                        validators=[DataRequired()])
    category = SelectField(_l("Category"), validators=[DataRequired()])
    # checked by the service, whose message names the rule (at least 10 characters)
    reason = TextAreaField(_l("Reason (kept in the history, shown to the member)"))
