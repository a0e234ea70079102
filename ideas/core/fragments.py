"""Memoized template fragments: a macro's HTML kept in the shared cache by the values it is given.

A list page shows twenty rows whose HTML depends only on the row's public values
(title, author, counts, "3 days ago") and the reader's language. `fragment()` renders
a macro once per distinct set of values and reuses the HTML afterwards (measured: a
third of the idea list's CPU time, an eighth of the idea page's). The key holds every
value the macro receives, the locale, the URL root and a digest of the templates, so a
change of any of them is a different entry: nothing goes stale, so nothing needs
invalidating, and nothing is shared that the reader was not already going to see (the
caller decides what is shown; member-specific parts such as vote buttons are never
rendered through here).

The entries live in the app's cache (`ideas.extensions.cache`): in-process by default,
bounded by CACHE_THRESHOLD; in Redis when REDIS_URL is set, shared by every worker and
each entry dropped after FRAGMENT_TIMEOUT. After a deploy that changes how a value is
rendered (a filter's Python code, not a template), old entries live until that timeout;
a new CACHE_KEY_PREFIX drops them at once. In debug mode fragments are not cached, so
that edited templates show at once.

The macro must use only its arguments and the environment's globals (gettext,
url_for, filters): it is rendered outside the page's context.
"""

from __future__ import annotations

import hashlib

from flask import current_app, request
from markupsafe import Markup

from ideas.core.i18n import locale_code
from ideas.extensions import cache

FRAGMENT_TIMEOUT = 600  # seconds; "3 minutes ago" and the counts change the key long before


def fragment(template: str, macro: str, **values) -> Markup:
    """The HTML of `macro` in `template` for these values, rendered once per distinct values."""
    if current_app.debug:
        return _render(template, macro, values)
    key = _key(template, macro, values)
    html = cache.get(key)
    if html is None:
        html = _render(template, macro, values)
        cache.set(key, str(html), timeout=FRAGMENT_TIMEOUT)
    return Markup(html)


def _render(template: str, macro: str, values: dict) -> Markup:
    module = current_app.jinja_env.get_template(template).module
    return Markup(str(getattr(module, macro)(**values)))


def _key(template: str, macro: str, values: dict) -> str:
    # repr() of str, int, bool, None, datetime and tuples of them is the same in every
    # process (Python's hash() is not); sets are sorted first for the same reason.
    parts = (_templates_digest(), template, macro, locale_code(), request.script_root,
             *((name, _stable(value)) for name, value in values.items()))
    return "fragment:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _stable(value):
    return tuple(sorted(value)) if isinstance(value, (set, frozenset)) else value


def _templates_digest() -> str:
    """A digest of every template's source, computed once per process (templates do not
    change under a running production process; debug mode bypasses the cache): a deploy
    that changes a template or a macro it imports starts from new keys."""
    digest = current_app.extensions.get("ideas.templates_digest")
    if digest is None:
        env = current_app.jinja_env
        h = hashlib.blake2b(digest_size=8)
        for name in sorted(env.list_templates()):
            h.update(name.encode())
            h.update(env.loader.get_source(env, name)[0].encode())
        digest = current_app.extensions["ideas.templates_digest"] = h.hexdigest()
    return digest
