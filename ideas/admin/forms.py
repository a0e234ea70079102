"""Forms of the admin area."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField


class UserActionForm(FlaskForm):
    """One of the POST buttons on the users list: `value` is "1" (on) or "0" (off)."""

    value = HiddenField()
    next = HiddenField()

    def flag(self) -> bool | None:
        return {"1": True, "0": False}.get(self.value.data or "")


NOT_AN_ACTION = _l("Unknown action.")
