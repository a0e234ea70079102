"""Memoized template fragments: a macro's HTML kept by the values it is given.

A list page shows twenty rows whose HTML depends only on the row's public values
(title, author, counts, "3 days ago") and the reader's language. `fragment()` renders
a macro once per distinct set of values and reuses the HTML afterwards (measured: a
third of the idea list's CPU time, an eighth of the idea page's). The key holds every
value the macro receives, plus the locale and the URL root, so a change of any of them
is a different entry: nothing goes stale, so nothing needs invalidating, and nothing is
shared that the reader was not already going to see (the caller decides what is shown;
member-specific parts such as vote buttons are never rendered through here).

The entries live in `ideas.extensions.fragment_cache`, a Flask-Caching SimpleCache of
each process, also when REDIS_URL is set: a Redis round trip per row cost more than
rendering the row (the list took 70% more CPU with the fragments in Redis than
without a cache), and entries that never go stale gain nothing from being shared.
The cache holds at most FRAGMENT_CACHE_SIZE entries: it is cleared after that many
new entries, because cachelib's SimpleCache, once past its threshold, sorts all its
entries on every further `set` (1.2 ms at 5,000 entries). In debug mode fragments are
not cached, so that edited templates show at once.

The macro must use only its arguments and the environment's globals (gettext,
path_for, filters): it is rendered outside the page's context.
"""

from __future__ import annotations

from cachelib.serializers import BaseSerializer
from flask import current_app, request
from markupsafe import Markup

from ideas.core.i18n import locale_code
from ideas.extensions import fragment_cache


class KeepText(BaseSerializer):
    """Keeps the HTML (a Markup string) itself: an in-process cache of immutable strings
    has nothing to copy, and the default pickling cost as much as the look-up."""

    def dumps(self, value, protocol=None):
        return value

    def loads(self, bvalue):
        return bvalue


FRAGMENT_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 0,
                         "CACHE_SERIALIZER": KeepText}


def fragment(template: str, macro: str, **values) -> Markup:
    """The HTML of `macro` in `template` for these values, rendered once per distinct values."""
    if current_app.debug:
        return _render(template, macro, values)
    key = _key(template, macro, values)
    html = fragment_cache.get(key)
    if html is None:
        html = _render(template, macro, values)
        _store(key, html)
    return html


def _render(template: str, macro: str, values: dict) -> Markup:
    module = current_app.jinja_env.get_template(template).module
    return Markup(str(getattr(module, macro)(**values)))


def _key(template: str, macro: str, values: dict) -> tuple:
    # SimpleCache keeps its keys in a dict, so the values themselves make the key: exact,
    # and cheaper than a repr and a digest (this cache is never Redis).
    return (template, macro, locale_code(), request.script_root, *values.items())


def _store(key: tuple, html: Markup) -> None:
    state = current_app.extensions.setdefault("ideas.fragments", {"added": 0})
    state["added"] += 1
    if state["added"] > current_app.config["FRAGMENT_CACHE_SIZE"]:
        fragment_cache.clear()  # the rows in view come back on their next request
        state["added"] = 1
    fragment_cache.set(key, html)
