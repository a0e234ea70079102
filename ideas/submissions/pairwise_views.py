"""The "which is better?" page: two ideas side by side, and the ranking it produces."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ideas.core.db import writing
from ideas.core.errors import Invalid, InvalidTransition
from ideas.core.routes import Routes
from ideas.extensions import db
from ideas.submissions import pairwise, policy
from ideas.submissions.forms import PickForm
from ideas.submissions.views import challenge_url, load_challenge

# Not a Blueprint: these routes join the submissions blueprint when create_app calls
# bp.register(submissions.views.bp), not as a side effect of importing this file.
bp = Routes()

_idea_in = pairwise.idea_in


@bp.route("/challenges/<int:challenge_id>-<slug>/compare", methods=["GET", "POST"], endpoint="compare")
def compare(challenge_id: int, slug: str):
    challenge = load_challenge(challenge_id)
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
            with writing(db.session):
                pairwise.record_pick(current_user, challenge, left, right, winner)
        except (Invalid, InvalidTransition) as exc:  # the pair changed meanwhile: a new pair
            flash(exc.message, "danger")
            return redirect(here, code=303)
        flash(_("Thanks! Here is the next pair.") if winner else _("Skipped. Here is another pair."), "success")
        # at the next pair: keyboard focus starts there, not back at the top of the page
        return redirect(here + "#pair", code=303)
    if slug != challenge.slug:
        return redirect(here, code=301)
    can_pick = policy.can_compare_in(current_user, challenge) is None
    pair = pairwise.next_pair(current_user, challenge) if can_pick else None
    table = pairwise.ranking_table(challenge)
    return render_template(
        "submissions/compare.html", challenge=challenge, challenge_url=challenge_url(challenge),
        pair=pair, can_pick=can_pick, form=PickForm(), ranking=table["rows"], more=table["more"],
        judged=pairwise.judged_count(current_user, challenge), total=table["total"],
    )



