"""Translations and localized formats that stay cheap on pages with hundreds of strings.

Flask-Babel looks the translations up again on every `gettext` call (the request's
namespace, the locale, a cache keyed by its string: about 10 µs). A list page calls it
a hundred times, so templates get callables that keep the translations for the rest
of the request, keyed by the locale object so that `force_locale` (mail in the
recipient's language) still switches.

Dates: the strings "3 days ago" and "12 Nov 2026, 14:05" depend only on a few values
(unit and amount; instant, zone, locale and format), so they are kept in bounded
caches shared by all requests. Nothing user-specific is cached beyond those values.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

import flask_babel
from babel.dates import TIMEDELTA_UNITS, format_timedelta
from flask import Flask, g, has_request_context

from ideas.core.db import utcnow

AGO_THRESHOLD = 0.85  # Babel's default: 0.85 of a unit already counts as one
AGO_GRANULARITY = "minute"


def translations():
    """The current request's translations, looked up once per request and locale."""
    if not has_request_context():
        return flask_babel.get_translations()
    ns = g.get("_flask_babel")
    locale = getattr(ns, "babel_locale", None) if ns is not None else None
    cached = g.get("_ideas_translations")
    if cached is not None and locale is not None and cached[0] is locale:
        return cached[1]
    found = flask_babel.get_translations()
    ns = g.get("_flask_babel")  # get_translations() creates it and picks the locale
    g._ideas_translations = (getattr(ns, "babel_locale", None), found)
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


def _request_formats() -> tuple[str, str]:
    """(locale code, time zone name) of the current request, computed once per request
    and kept while Flask-Babel's locale and zone objects stay the same (force_locale
    swaps them)."""
    if not has_request_context():
        return str(flask_babel.get_locale() or "en"), str(flask_babel.get_timezone() or "UTC")
    state = g._get_current_object().__dict__
    ns = state.get("_flask_babel")
    locale = getattr(ns, "babel_locale", None) or flask_babel.get_locale()
    zone = getattr(ns, "babel_tzinfo", None) or flask_babel.get_timezone()
    cached = state.get("_ideas_formats")
    if cached is not None and cached[0] is locale and cached[1] is zone:
        return cached[2]
    codes = (str(locale or "en"), str(zone or "UTC"))
    state["_ideas_formats"] = (locale, zone, codes)
    return codes


def locale_code() -> str:
    """The current locale as a string ("cs")."""
    return _request_formats()[0]


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
