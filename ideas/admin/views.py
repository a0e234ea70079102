"""Site administration: dashboard, companies, users. Visitors are sent to the login
page; logged-in members who are not admins get a 403."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ideas.accounts.models import User
from ideas.admin import services
from ideas.admin.forms import NOT_AN_ACTION, UserActionForm
from ideas.challenges.models import Challenge
from ideas.companies import services as company_services
from ideas.companies.forms import CompanyForm
from ideas.companies.models import Company
from ideas.core.db import writing
from ideas.core.errors import DomainError
from ideas.core.pagination import page_arg, paginate_offset
from ideas.core.pipeline import show_error
from ideas.extensions import db, login_manager
from ideas.submissions.models import Idea

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _admins_only():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_admin:
        abort(403)
    return None


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@bp.get("/")
def index():
    counts = {
        "members": _count(User), "companies": _count(Company),
        "challenges": _count(Challenge), "ideas": _count(Idea),
    }
    companies = paginate_offset(select(Company).options(selectinload(Company.staff)).order_by(Company.name),
                                page_arg(), 25, db.session)
    challenge_counts = dict(db.session.execute(
        select(Challenge.company_id, func.count(Challenge.id))
        .where(Challenge.company_id.in_([c.id for c in companies.items]))
        .group_by(Challenge.company_id)
    ).all()) if companies.items else {}
    return render_template("admin/index.html", counts=counts, companies=companies,
                           challenge_counts=challenge_counts)


@bp.route("/companies/new", methods=["GET", "POST"])
def new_company():
    form = CompanyForm()
    if form.validate_on_submit():
        data = form.logo.data
        stream = data.stream if data and getattr(data, "filename", "") else None
        try:
            with writing(db.session):
                company = company_services.create_company(
                    current_user, form.name.data, form.tagline.data, form.description.data,
                    form.website.data, stream,
                )
        except DomainError as exc:
            show_error(form, exc)
            return render_template("admin/new_company.html", form=form), 422
        flash(_("%(name)s was created. Now add its staff.", name=company.name), "success")
        return redirect(url_for("companies.staff", slug=company.slug), code=303)
    return render_template("admin/new_company.html", form=form), 422 if form.errors else 200


@bp.get("/users")
def users():
    q = (request.args.get("q") or "").strip()
    query = select(User).order_by(User.created_at.desc(), User.id.desc())
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(func.lower(User.email).like(like), func.lower(User.display_name).like(like),
                                func.lower(User.username).like(like)))
    page = paginate_offset(query, page_arg(), 25, db.session)
    return render_template("admin/users.html", page=page, q=q, action_form=UserActionForm())


@bp.get("/mailbox")
def mailbox():
    """Every mail the site queued, newest first; without SMTP the only place to read it."""
    page = services.mailbox(page_arg())
    return render_template("admin/mailbox.html", page=page, linkify=services.linkify,
                           smtp=bool(current_app.config.get("MAIL_SERVER")))


def _user_action(user_id: int, service, done_on: str, done_off: str):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    form = UserActionForm()
    flag = form.flag() if form.validate_on_submit() else None
    if flag is None:
        flash(str(NOT_AN_ACTION), "danger")
    else:
        try:
            with writing(db.session):
                service(current_user, user, flag)
        except DomainError as exc:
            flash(exc.message, "danger")
        else:
            flash((done_on if flag else done_off) % {"name": user.display_name}, "success")
    target = form.next.data or ""
    if not target.startswith("/admin/users"):
        target = url_for("admin.users")
    return redirect(target, code=303)


@bp.post("/users/<int:user_id>/admin")
def set_admin(user_id):
    return _user_action(user_id, services.set_admin,
                        _("%(name)s is now an administrator."), _("%(name)s is no longer an administrator."))


@bp.post("/users/<int:user_id>/active")
def set_active(user_id):
    return _user_action(user_id, services.set_active,
                        _("%(name)s was reactivated."), _("%(name)s was deactivated."))
