"""Template filters and globals shared by every module's templates."""

from __future__ import annotations

from flask import Flask, url_for

from ideas.core import i18n
from ideas.core.fragments import fragment
from ideas.core.markdown import plain_excerpt, render_markdown
from ideas.core.urls import path_for


def upload_url(filename: str | None) -> str | None:
    return url_for("core.upload", filename=filename) if filename else None


def register(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["excerpt"] = plain_excerpt
    app.jinja_env.filters["when"] = i18n.when
    app.jinja_env.filters["ago"] = i18n.ago
    app.jinja_env.globals["upload_url"] = upload_url
    app.jinja_env.globals["path_for"] = path_for
    app.jinja_env.globals["fragment"] = fragment
    app.jinja_env.filters["tuple"] = tuple
    app.jinja_env.globals["current_locale"] = i18n.locale_code
    i18n.install_jinja(app)
    app.jinja_env.globals["nav_roles"] = nav_roles
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def _site():
        return {"site_name": app.config["SITE_NAME"], "languages": LANGUAGE_NAMES}


LANGUAGE_NAMES = {"en": "English", "cs": "Čeština", "ru": "Русский", "zh": "中文"}


def nav_roles():
    """What the navigation shows about the logged-in user: staff companies, unread count."""
    from flask_login import current_user
    from sqlalchemy import func, select

    from ideas.companies.models import Company, CompanyMember
    from ideas.extensions import db
    from ideas.notifications.models import Notification

    if not current_user.is_authenticated:
        return {"companies": [], "unread": 0}
    companies = db.session.scalars(
        select(Company).join(CompanyMember).where(CompanyMember.user_id == current_user.id)
        .order_by(Company.name)
    ).all()
    unread = db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == current_user.id, Notification.read_at.is_(None)
        )
    )
    return {"companies": companies, "unread": unread}
