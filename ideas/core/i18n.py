"""Translations and localized formats that stay cheap on pages with hundreds of strings.

Only Flask-Babel's public functions are used (`get_translations`, `get_locale`,
`get_timezone`, `format_datetime`); what is kept is kept next to the locale object it
was computed for, so `force_locale` (mail in the recipient's language) still switches.

Dates: the strings "3 days ago" and "12 Nov 2026, 14:05" depend only on a few values
(unit and amount; instant, zone, locale and format), so they are memoized per process
in bounded tables: pure functions of immutable values, never stale, and a shared cache
would cost a round trip per string where the memo costs a dictionary look-up (without
them the idea page takes 15% more CPU, the list 4%). Nothing user-specific is kept.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

import flask_babel
from babel.dates import TIMEDELTA_UNITS, format_timedelta
from flask import Flask, g

from ideas.core.db import utcnow

AGO_THRESHOLD = 0.85  # Babel's default: 0.85 of a unit already counts as one
AGO_GRANULARITY = "minute"


def translations():
    """The current request's translations, looked up once per request and locale.

    Flask-Babel's `get_translations()` costs about 8 µs (its namespace, the locale, a
    cache keyed by the locale's name) and a page calls gettext dozens of times; this
    keeps the result on `g` next to the locale object it was found for, and looks again
    when `get_locale()` returns another object (`force_locale` for mail in the
    recipient's language)."""
    locale = flask_babel.get_locale()
    if locale is None:  # outside an app context
        return flask_babel.get_translations()
    cached = g.get("_ideas_translations")
    if cached is not None and cached[0] is locale:
        return cached[1]
    found = flask_babel.get_translations()
    g._ideas_translations = (locale, found)
    return found


def install_jinja(app: Flask) -> None:
    """Replace Flask-Babel's template callables with the per-request cached ones
    (same newstyle semantics: autoescaping and `%(name)s` variables)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


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
    """The current locale as a string ("cs"), kept on `g` next to Flask-Babel's locale
    object (`str(locale)` costs as much again as `get_locale()`)."""
    locale = flask_babel.get_locale()
    if locale is None:  # outside an app context
        return "en"
    cached = g.get("_ideas_locale_code")
    if cached is not None and cached[0] is locale:
        return cached[1]
    code = str(locale)
    g._ideas_locale_code = (locale, code)
    return code


def _request_formats() -> tuple[str, str]:
    """(locale code, time zone name) of the current request, kept on `g` while
    Flask-Babel's locale and zone objects stay the same (`force_locale` swaps the locale)."""
    locale = flask_babel.get_locale()
    if locale is None:  # outside an app context
        return "en", "UTC"
    zone = flask_babel.get_timezone()
    cached = g.get("_ideas_formats")
    if cached is not None and cached[0] is locale and cached[1] is zone:
        return cached[2]
    codes = (str(locale), str(zone or "UTC"))
    g._ideas_formats = (locale, zone, codes)
    return codes


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
