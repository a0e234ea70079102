"""The "which is better?" page: two ideas side by side, and the ranking it produces."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ideas.challenges.models import Challenge
from ideas.challenges.policy import can_view
from ideas.core.edge import id_or_none
from ideas.core.errors import DomainError
from ideas.extensions import db
from ideas.submissions import pairwise
from ideas.submissions.models import Idea
from ideas.submissions.views import bp, challenge_url


class PickForm(FlaskForm):
    """Only the CSRF token; the ideas come as plain fields checked by the service."""


def _challenge_or_404(challenge_id: int) -> Challenge:
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None or not can_view(current_user, challenge):
        abort(404)
    return challenge


def _idea_in(challenge: Challenge, raw) -> Idea | None:
    idea_id = id_or_none(raw)
    if idea_id is None:
        return None
    idea = db.session.get(Idea, idea_id)
    return idea if idea is not None and idea.challenge_id == challenge.id else None


@bp.route("/challenges/<int:challenge_id>-<slug>/compare", methods=["GET", "POST"], endpoint="compare")
def compare(challenge_id: int, slug: str):
    challenge = _challenge_or_404(challenge_id)
    here = url_for("submissions.compare", challenge_id=challenge.id, slug=challenge.slug)
    if request.method == "POST":
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login", next=here), code=303)
        form = PickForm()
        if not form.validate_on_submit():
            flash(_("The form expired; please send it again."), "danger")
            return redirect(here, code=303)
        left = _idea_in(challenge, request.form.get("left_id"))
        right = _idea_in(challenge, request.form.get("right_id"))
        choice = request.form.get("winner", "skip")
        if left is None or right is None:
            flash(_("These ideas are no longer available. Here is a new pair."), "warning")
            return redirect(here, code=303)
        winner = None if choice == "skip" else _idea_in(challenge, choice)
        if choice != "skip" and winner is None:
            flash(_("Pick one of the two ideas shown."), "danger")
            return redirect(here, code=303)
        try:
            pairwise.record_pick(current_user, challenge, left, right, winner)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "danger")
            return redirect(here, code=303)
        db.session.commit()
        flash(_("Thanks! Here is the next pair.") if winner else _("Skipped. Here is another pair."), "success")
        return redirect(here, code=303)
    if slug != challenge.slug:
        return redirect(here, code=301)
    can_pick = (current_user.is_authenticated and getattr(current_user, "is_verified", False)
                and challenge.phase in ("submission", "voting"))
    pair = pairwise.next_pair(current_user, challenge) if can_pick else None
    table = pairwise.ranking_table(challenge)
    return render_template(
        "submissions/compare.html", challenge=challenge, challenge_url=challenge_url(challenge),
        pair=pair, can_pick=can_pick, form=PickForm(), ranking=table["rows"], more=table["more"],
        judged=pairwise.judged_count(current_user, challenge), total=table["total"],
    )



