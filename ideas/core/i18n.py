"""Translations and localized formats that stay cheap on pages with hundreds of strings.

A page calls gettext, "3 days ago" and the date format a hundred times, and each of
Flask-Babel's look-ups (`get_translations()` 8 µs, `get_locale()` and `get_timezone()`
2 µs each: its namespace on `g`, then the selector's answer) adds up to a tenth of the
idea page. So the translations, the locale code and the zone are looked up once per
template render: Flask's public `before_render_template` signal opens a memo on `g`,
`template_rendered` closes it, and a render nested inside another one (mail rendered
in the recipient's language under `force_locale`) gets its own. Outside a render each
call asks Flask-Babel (`force_locale` around Python code works there; a locale switched
in the middle of a render, around Python code called from the template, is not seen).

Dates: the strings "3 days ago" and "12 Nov 2026, 14:05" depend only on a few values
(unit and amount; instant, zone, locale and format), so they are memoized per process
in bounded tables: pure functions of immutable values, never stale, and a shared cache
would cost a round trip per string where the memo costs a dictionary look-up (without
them the idea page takes 15% more CPU, the list 4%). Nothing user-specific is kept.
"""

from __future__ import annotations

import copy
from contextvars import ContextVar
from datetime import datetime
from functools import lru_cache

import flask_babel
from babel import Locale
from babel.dates import TIMEDELTA_UNITS, format_timedelta
from babel.numbers import format_currency, format_decimal, format_percent
from flask import Flask, before_render_template, g, template_rendered
from jinja2 import pass_context
from markupsafe import Markup

from ideas.core.db import utcnow

AGO_THRESHOLD = 0.85  # Babel's default: 0.85 of a unit already counts as one
AGO_GRANULARITY = "minute"


_MEMO = "_ideas_i18n"  # on g: a stack of dicts, one per template render in progress
# The memo in use, next to the `g` it belongs to: reading a context variable costs a
# fifth of reading `g`, and the `g` check keeps a render that raised from leaking its
# memo into a later request.
_current: ContextVar[tuple | None] = ContextVar("ideas_i18n_memo", default=None)


def _render_memo() -> dict | None:
    """The memo of the template render in progress, or None outside a render."""
    entry = _current.get()
    if entry is None:
        return None
    try:
        return entry[1] if entry[0] is g._get_current_object() else None
    except RuntimeError:  # outside an app context
        return None


def _render_started(_app, **_extra) -> None:
    stack = g.setdefault(_MEMO, [])
    stack.append({})
    _current.set((g._get_current_object(), stack[-1]))


def _render_finished(_app, **_extra) -> None:
    stack = g.get(_MEMO)
    if stack:
        stack.pop()
    _current.set((g._get_current_object(), stack[-1]) if stack else None)


def translations():
    """The translations for the current locale, looked up once per template render."""
    memo = _render_memo()
    if memo is None:
        return flask_babel.get_translations()
    found = memo.get("translations")
    if found is None:
        found = memo["translations"] = flask_babel.get_translations()
    return found


def install_jinja(app: Flask) -> None:
    """Replace Flask-Babel's template callables with ones that look the translations up
    once per render (same newstyle semantics: autoescaping and `%(name)s` variables),
    and whose `%(num)s` is the count written for the locale ("1 234" in Czech)."""
    before_render_template.connect(_render_started, app)
    template_rendered.connect(_render_finished, app)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals["ngettext"] = _template_ngettext


@pass_context
def _template_ngettext(context, singular: str, plural: str, num, **variables):
    """Jinja's newstyle ngettext, with `num` formatted for the locale (the plural form
    is still chosen by the number itself)."""
    variables.setdefault("num", number(num))
    # "%(num)d" in a message (and its translations) takes the formatted count as text
    text = translations().ungettext(singular, plural, num).replace("%(num)d", "%(num)s")
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


def ngettext(singular: str, plural: str, num, **variables) -> str:
    """flask_babel.ngettext with `%(num)s` written for the locale (Python callers)."""
    variables.setdefault("num", number(num))
    return translations().ungettext(singular, plural, num).replace("%(num)d", "%(num)s") % variables


# -- numbers, percentages and money in the reader's locale (CLDR through Babel) --------

def number(value, places: int | None = None) -> str:
    """A number for the locale: 1,234 in English and Chinese, 1 234 in Czech and Russian
    (a no-break space); `places` fixes the decimals (2 -> 3.50, 3,50 in Czech)."""
    if value is None:
        return ""
    pattern = None if places is None else "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, format=pattern, locale=locale_code())


def signed(value, places: int = 2) -> str:
    """A number with its sign always shown (+0.35, −1.20) for the locale."""
    if value is None:
        return ""
    digits = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, format=f"+{digits};-{digits}", locale=locale_code())


@lru_cache(maxsize=64)
def _percent_pattern(locale: str, places: int):
    pattern = copy.copy(Locale.parse(locale).percent_formats[None])  # where the locale puts % and its space
    pattern.frac_prec = (places, places)
    return pattern


def percent(value, places: int = 0) -> str:
    """A share (0.42) as a percentage for the locale: 42%, 42 % in Czech."""
    if value is None:
        return ""
    locale = locale_code()
    return format_percent(value, format=_percent_pattern(locale, places), locale=locale)


def money(amount, currency: str) -> str:
    """An amount of money in its currency, written for the locale (€5,000.00, 5 000,00 €)."""
    if amount is None:
        return ""
    return format_currency(amount, currency, locale=locale_code())


def _ago_key(seconds: int) -> tuple[str, int, bool]:
    """The unit and amount Babel's format_timedelta picks (threshold 0.85, granularity
    minute): the whole of what its output depends on, besides the locale."""
    for unit, per_unit in TIMEDELTA_UNITS:
        value = abs(seconds) / per_unit
        if value >= AGO_THRESHOLD or unit == AGO_GRANULARITY:
            if unit == AGO_GRANULARITY and value > 0:
                value = max(1, value)
            return unit, int(round(value)), seconds >= 0
    return "second", 0, seconds >= 0  # not reached: granularity stops the loop


_AGO: dict[tuple, str] = {}
_AGO_MAX = 8192


def ago(value: datetime | None, now: datetime | None = None) -> str:
    """'3 hours ago' in the user's language."""
    if not value:
        return ""
    delta = value - (now or utcnow())
    seconds = delta.days * 86400 + delta.seconds
    key = (locale_code(), *_ago_key(seconds))
    text = _AGO.get(key)
    if text is None:
        text = format_timedelta(seconds, add_direction=True, granularity=AGO_GRANULARITY,
                                threshold=AGO_THRESHOLD, locale=key[0])
        if len(_AGO) < _AGO_MAX:
            _AGO[key] = text
    return text


def locale_code() -> str:
    """The current locale as a string ("cs")."""
    return _request_formats()[0]


def _request_formats() -> tuple[str, str]:
    """(locale code, time zone name), looked up once per template render."""
    memo = _render_memo()
    found = memo.get("formats") if memo is not None else None
    if found is None:
        locale = flask_babel.get_locale()
        if locale is None:  # outside an app context
            return "en", "UTC"
        found = (str(locale), str(flask_babel.get_timezone() or "UTC"))
        if memo is not None:
            memo["formats"] = found
    return found


@lru_cache(maxsize=20000)
def _when_text(value: datetime, fmt: str, locale: str, zone: str) -> str:
    return flask_babel.format_datetime(value, fmt)


def when(value: datetime | None, fmt: str = "medium") -> str:
    """A UTC datetime shown in the user's time zone and language."""
    if not value:
        return ""
    # The cache key holds everything the output depends on; format_datetime itself
    # reads the same locale and zone from the request.
    return _when_text(value, fmt, *_request_formats())


def when_for(value: datetime, locale: str | None, zone: str | None, fmt: str = "short") -> str:
    """A UTC datetime as one member reads it, outside their own request (mail, notices
    written while someone else acts): in their time zone and language, zone named."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from babel.dates import format_datetime

    try:
        tz = ZoneInfo(zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        tz, zone = ZoneInfo("UTC"), "UTC"
    at = value.replace(tzinfo=ZoneInfo("UTC")) if value.tzinfo is None else value
    return f"{format_datetime(at, fmt, tzinfo=tz, locale=locale or 'en')} ({zone or 'UTC'})"
