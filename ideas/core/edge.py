"""Bad input stops at the edge, once, before it reaches a query.

Three rules, installed by `init_app` before any route is registered:

- `<int:...>` in a URL is bounded to 1..MAX_ID (a PostgreSQL `integer`); a larger
  number does not match the rule, so the answer is a 404 instead of a driver error.
- `int_arg()` / `id_list_arg()` read integers from the query string or the form,
  bounded the same way; anything else is a `BadArgument` naming the field (422), or the
  default where a page treats a broken value as absent (`lenient=True`, e.g. `?page=`).
  The refusal is `BadArgument`, an HTTP 422 (not a domain error): it answers with the
  error page naming the field on GET and POST alike, instead of a flash and a redirect.
- A request whose query arguments, form fields or URL values hold a NUL byte or another
  C0 control character (tab, newline and carriage return are text) is refused with a
  422 naming the field: PostgreSQL refuses NUL in text, and no one types the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import UnprocessableEntity
from werkzeug.routing import IntegerConverter
from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional

MAX_ID = 2**31 - 1  # PostgreSQL `integer`, the type of every id column
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class BoundedIntConverter(IntegerConverter):
    """Flask's `int` converter, limited to 1..MAX_ID unless the rule says otherwise."""

    def __init__(self, map, fixed_digits=0, min=1, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class BadArgument(UnprocessableEntity):
    """A query argument or form field that cannot be what the page needs (422)."""

    def __init__(self, field: str, message: str):
        super().__init__(description=message)
        self.field = field


def _out_of_range(name: str, minimum: int, maximum: int) -> BadArgument:
    return BadArgument(name, _("“%(field)s” must be a whole number from %(min)s to %(max)s.",
                               field=name, min=minimum, max=maximum))


def to_int(raw, name: str, *, minimum: int = 1, maximum: int = MAX_ID) -> int:
    """A bounded integer from text; BadArgument naming `name` for anything else."""
    text = str(raw).strip() if raw is not None else ""
    # At most 19 digits before int(): a megabyte of digits must not cost the CPU.
    if not re.fullmatch(r"[+-]?[0-9]{1,19}", text):
        raise _out_of_range(name, minimum, maximum)
    value = int(text)
    if not minimum <= value <= maximum:
        raise _out_of_range(name, minimum, maximum)
    return value


def int_arg(name: str, default: int | None = None, *, source: MultiDict | None = None,
            minimum: int = 1, maximum: int = MAX_ID, lenient: bool = False) -> int | None:
    """The integer `name` from the query string (or `source`, e.g. `request.form`).

    Absent or empty gives `default`. Not a number or out of range is a BadArgument
    naming the field (422), or `default` when `lenient` (pages that ignore a broken value)."""
    args = request.args if source is None else source
    raw = args.get(name)
    if raw is None or str(raw).strip() == "":
        return default
    try:
        return to_int(raw, name, minimum=minimum, maximum=maximum)
    except BadArgument:
        if lenient:
            return default
        raise


def id_or_none(raw) -> int | None:
    """An id from untrusted text, or None when it cannot be one (no such row, then)."""
    try:
        return to_int(raw, "id")
    except BadArgument:
        return None


def id_list_arg(name: str, *, source: MultiDict | None = None) -> list[int]:
    """Every value of `name` as an id; BadArgument naming the field when one is not."""
    args = request.form if source is None else source
    return [to_int(raw, name) for raw in args.getlist(name)]


class IdField(IntegerField):
    """A form field holding an id: optional, 1..MAX_ID, a clear error otherwise."""

    def __init__(self, label=None, validators=None, **kwargs):
        validators = list(validators or [Optional()]) + [NumberRange(min=1, max=MAX_ID)]
        super().__init__(label, validators, **kwargs)


def control_character_field(pairs: Iterable[tuple[str, str]]) -> str | None:
    """The name of the first field whose name or value holds a forbidden character."""
    for key, value in pairs:
        if _CONTROL.search(key) or (isinstance(value, str) and _CONTROL.search(value)):
            return key if not _CONTROL.search(key) else repr(key)
    return None


def _refuse_control_characters():
    pairs = list(request.args.items(multi=True))
    if request.method not in ("GET", "HEAD", "OPTIONS") and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        pairs += list(request.form.items(multi=True))
    pairs += [(k, v) for k, v in (request.view_args or {}).items() if isinstance(v, str)]
    field = control_character_field(pairs)
    if field is not None:
        raise BadArgument(field, _("The field “%(field)s” contains a control character (such as "
                                   "a NUL byte) that text may not contain. Remove it and send again.",
                                   field=field.replace("_", " ")))


def init_app(app: Flask) -> None:
    """Install the bounded `int` converter (before any route exists) and the check."""
    app.url_map.converters["int"] = BoundedIntConverter
    # First in line: the other before_request hooks (CSRF included) then see clean text.
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_control_characters)
