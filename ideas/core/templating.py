"""Template filters and globals shared by every module's templates."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, url_for
from flask_babel import format_datetime, format_timedelta, get_locale

from ideas.core.db import utcnow
from ideas.core.markdown import plain_excerpt, render_markdown


def when(value: datetime | None, fmt: str = "medium") -> str:
    """A UTC datetime shown in the user's time zone and language."""
    return format_datetime(value, fmt) if value else ""


def ago(value: datetime | None) -> str:
    """'3 hours ago' in the user's language."""
    if not value:
        return ""
    return format_timedelta(value - utcnow(), add_direction=True, granularity="minute")


def upload_url(filename: str | None) -> str | None:
    return url_for("core.upload", filename=filename) if filename else None


def register(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["excerpt"] = plain_excerpt
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["ago"] = ago
    app.jinja_env.globals["upload_url"] = upload_url
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
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
