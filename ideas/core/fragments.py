"""Memoized template fragments: a macro's HTML kept by the values it is given.

A list page shows twenty rows whose HTML depends only on the row's public values
(title, author, counts, "3 days ago") and the reader's language. `fragment()` renders
a macro once per distinct set of values and reuses the HTML afterwards. The key holds
every value the macro receives, plus the locale and the URL root, so a change of any
of them is a different entry: nothing goes stale, and nothing is shared that the
reader was not already going to see (the caller decides what is shown; member-specific
parts such as vote buttons are never rendered through here).

The macro must use only its arguments and the environment's globals (gettext,
path_for, filters): it is rendered outside the page's context.
"""

from __future__ import annotations

from flask import current_app, request
from markupsafe import Markup

from ideas.core.i18n import locale_code

MAX_ENTRIES = 10_000


def fragment(template: str, macro: str, **values) -> Markup:
    cache = current_app.extensions.setdefault("ideas.fragments", {})
    key = (template, macro, locale_code(), request.script_root, *values.items())
    html = cache.get(key)
    if html is None:
        module = current_app.jinja_env.get_template(template).module
        html = Markup(str(getattr(module, macro)(**values)))
        if len(cache) >= MAX_ENTRIES:
            cache.clear()  # simple bound: the hot rows come back on the next views
        cache[key] = html
    return html
