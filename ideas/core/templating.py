"""Template filters and globals shared by every module's templates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, g, url_for
from flask_login import current_user
from markupsafe import Markup

from ideas.core import charts, i18n, languages
from ideas.core.fragments import fragment
from ideas.core.icons import icon
from ideas.core.markdown import plain_excerpt, render_markdown
from ideas.core.names import name_badge
from ideas.core.urls import path_for


def upload_url(filename: str | None) -> str | None:
    return url_for("core.upload", filename=filename) if filename else None


def content_lang(code: str | None) -> Markup:
    """` lang="xx"` for an element holding content in `code` when the interface is in
    another language (core/languages.py): `<h1 dir="auto"{{ content_lang(idea.language) }}>`."""
    return languages.lang_attr(code, i18n.locale_code())


def language_badge(code: str | None, *, always: bool = True) -> Markup:
    """The content's language as a small badge; with always=False (lists) only when it
    differs from the interface's language."""
    locale = i18n.locale_code()
    if not always and (not code or code == locale):
        return Markup("")
    return languages.badge(code, locale)


def register(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["excerpt"] = plain_excerpt
    app.jinja_env.filters["when"] = i18n.when
    app.jinja_env.filters["ago"] = i18n.ago
    app.jinja_env.filters["number"] = i18n.number
    app.jinja_env.filters["signed"] = i18n.signed
    app.jinja_env.filters["percent"] = i18n.percent
    app.jinja_env.globals["upload_url"] = upload_url
    app.jinja_env.globals["path_for"] = path_for
    app.jinja_env.globals["fragment"] = fragment
    app.jinja_env.globals["name_badge"] = name_badge
    app.jinja_env.globals["icon"] = icon
    app.jinja_env.globals["period_unit"] = charts.unit_name
    app.jinja_env.globals["period_heading"] = charts.unit_heading
    app.jinja_env.filters["tuple"] = tuple
    app.jinja_env.globals["current_locale"] = i18n.locale_code
    app.jinja_env.globals["content_lang"] = content_lang
    app.jinja_env.globals["language_badge"] = language_badge
    app.jinja_env.globals["content_language_name"] = languages.native_name
    i18n.install_jinja(app)
    app.jinja_env.globals["nav_roles"] = nav_roles
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def _site():
        return {"site_name": app.config["SITE_NAME"], "languages": LANGUAGE_NAMES}


_NAV_ROLES = "ideas.nav_roles"
LANGUAGE_NAMES = {"en": "English", "cs": "Čeština", "ru": "Русский", "zh": "中文"}


def add_nav_role(app: Flask, name: str, lookup: Callable[[Any], Any]) -> None:
    """Let the navigation show `nav_roles()[name]`, computed by `lookup(user)` for the
    logged-in user. The modules that own each role (staff companies, unread notices)
    are wired in create_app, so core knows none of them."""
    app.extensions.setdefault(_NAV_ROLES, {})[name] = lookup


def nav_roles() -> dict[str, Any]:
    """What the navigation shows about the logged-in user (nothing for visitors)."""
    if not current_user.is_authenticated:
        return {}
    cached = g.get("_nav_roles")
    if cached is None:  # computed once per request, however often the templates ask
        user = current_user._get_current_object()
        cached = g._nav_roles = {name: lookup(user)
                                 for name, lookup in current_app.extensions.get(_NAV_ROLES, {}).items()}
    return cached
