"""Reputation pages: the leaderboards (overall and per challenge; week, month, all
time), the experts of each category, and staff's grant or revocation of expert status
on a member's profile."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ideas.accounts.models import User
from ideas.challenges.categories import CATEGORIES, category_label
from ideas.challenges.models import Challenge
from ideas.core.db import reads_first, writing
from ideas.core.errors import DomainError
from ideas.core.pipeline import load_or_404
from ideas.extensions import db
from ideas.reputation import experts, policy, rules, services
from ideas.reputation.forms import ExpertStatusForm

bp = Blueprint("reputation", __name__)
bp.add_app_template_global(rules.reason_label, "point_reason_label")
bp.add_app_template_global(category_label, "category_label")


def _period() -> str:
    period = request.args.get("period", "month")
    return period if period in rules.PERIODS else "month"


@bp.get("/leaderboard")
@reads_first
def leaderboard():
    period = _period()
    return render_template("reputation/leaderboard.html", rows=services.leaderboard(period), period=period,
                           periods=rules.PERIOD_LABELS, challenge=None)


@bp.get("/challenges/<int:challenge_id>-<slug>/leaderboard")
@reads_first
def challenge_leaderboard(challenge_id: int, slug: str):
    challenge = load_or_404(Challenge, challenge_id, policy.can_view_leaderboard)
    if slug != challenge.slug:
        return redirect(url_for("reputation.challenge_leaderboard", challenge_id=challenge.id, slug=challenge.slug,
                                **request.args.to_dict()), code=301)
    period = _period()
    return render_template("reputation/leaderboard.html", rows=services.leaderboard(period, challenge.id),
                           period=period, periods=rules.PERIOD_LABELS, challenge=challenge)


@bp.get("/experts")
@reads_first
def experts_index():
    """The experts of every category, strongest record first."""
    by_category = []
    shown: dict[int, User] = {}
    lists = {code: experts.experts_in_category(code, 50) for code in CATEGORIES}
    ids = {u for rows in lists.values() for u, _why in rows}
    if ids:
        shown = {u.id: u for u in db.session.scalars(
            select(User).where(User.id.in_(ids), User.active.is_(True)))}
    for code, rows in lists.items():
        people = [(shown[u], why) for u, why in rows if u in shown]
        if people:
            by_category.append((category_label(code), people))
    return render_template("reputation/experts.html", by_category=by_category,
                           expert_points=rules.EXPERT_POINTS)


@bp.post("/members/<username>/expert-status")
@login_required
def change_expert_status(username: str):
    """Staff or an admin grant or revoke a member's expert status, with a reason."""
    member = db.session.scalar(select(User).where(User.username == username))
    if member is None or not member.active:
        abort(404)
    back = url_for("accounts.profile", username=member.username) + "#expert-status"
    form = ExpertStatusForm()
    form.category.choices = list(CATEGORIES)
    if not form.validate():
        messages = [str(e) for errors in form.errors.values() for e in errors]
        flash(messages[0] if messages else _("Please check the form."), "danger")
        return redirect(back, code=303)
    try:
        with writing(db.session):
            change = experts.grant if form.action.data == "grant" else experts.revoke
            change(current_user, member, form.category.data, form.reason.data)
    except DomainError as exc:
        if exc.status_code == 403:
            abort(403, description=exc.message)
        flash(exc.message, "danger")
        return redirect(back, code=303)
    flash(_("Expert status of %(name)s in %(category)s: %(action)s.", name=member.display_name,
            category=category_label(form.category.data),
            action=_("granted") if form.action.data == "grant" else _("revoked")), "success")
    return redirect(back, code=303)
