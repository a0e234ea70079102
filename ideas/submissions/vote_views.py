"""Voting on an idea: a plain form POST (redirect back) or an htmx request (the widget).

The view reads (member, idea, permissions) in a DEFERRED transaction and writes in a
short transaction of its own (`writing()`), so on SQLite voters hold the single write
lock only for the few statements that write."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from ideas.challenges.models import Challenge
from ideas.core.db import reads_first, writing
from ideas.core.errors import DomainError, NotAllowed
from ideas.core.live import announce
from ideas.core.pipeline import load_or_404
from ideas.core.routes import Routes
from ideas.extensions import db
from ideas.submissions import moderation, votes
from ideas.submissions.forms import MovedVoteForm
from ideas.submissions.models import Idea, IdeaMerge
from ideas.submissions.policy import can_view_idea

# Not a Blueprint: these routes join the submissions blueprint when create_app calls
# bp.register(submissions.views.bp), not as a side effect of importing this file.
bp = Routes()


def _back(idea: Idea):
    target = request.form.get("next") or request.referrer or ""
    parts = urlsplit(target)
    if not target or parts.netloc not in ("", request.host) or not (parts.path or "").startswith("/"):
        target = url_for("submissions.show", idea_id=idea.id, slug=idea.slug)
    elif parts.netloc:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
    return redirect(target, code=303)


@bp.post("/ideas/<int:idea_id>/vote", endpoint="vote")
@reads_first
@login_required
def vote(idea_id: int):
    # the company is not needed here
    idea = load_or_404(Idea, idea_id, can_view_idea, options=(joinedload(Idea.challenge).lazyload(Challenge.company),))
    htmx = request.headers.get("HX-Request") == "true"
    compact = request.form.get("compact") == "1"
    error = None
    try:
        value = votes.check_vote(current_user, idea, request.form.get("value"))
        with writing(db.session):
            votes.record_vote(current_user, idea, value)
    except DomainError as exc:
        db.session.rollback()
        error = exc
    if htmx:
        idea = db.session.get(Idea, idea_id)
        panel = votes.vote_panel(current_user, idea)
        panel["compact"] = compact
        panel["error"] = error.message if error else ""
        html = render_template("submissions/_vote.html", vote=panel)
        # htmx swaps only 2xx answers, so a refusal comes back as 200 with the reason inline
        # (an alert there, read out as it appears); a counted vote is announced.
        return html, 200, ({} if error else announce(vote_announcement(panel["my_vote"], idea)))
    if isinstance(error, NotAllowed):
        raise error  # may see the idea, may not vote on it: 403 with the reason
    if error:
        flash(error.message, "danger")
    return _back(idea)


def vote_announcement(my_vote: int, idea: Idea) -> str:
    """What a screen reader says after a vote without a page load: the member's vote and
    the counts now."""
    state = {1: _("You voted for this idea."), -1: _("You voted against this idea.")}.get(
        my_vote, _("Your vote is taken back."))
    counts = _("%(up_votes)s, %(down_votes)s.",
               up_votes=ngettext("%(num)d up-vote", "%(num)d up-votes", idea.up_votes),
               down_votes=ngettext("%(num)d down-vote", "%(num)d down-votes", idea.down_votes))
    return f"{state} {counts}"


@bp.route("/merges/<int:merge_id>/my-vote", methods=["GET", "POST"], endpoint="moved_vote")
@login_required
def moved_vote(merge_id: int):
    """Where a merge's notice leads a voter: keep the moved vote, move it back, or remove it."""
    record = load_or_404(IdeaMerge, merge_id)
    if not can_view_idea(current_user, record.target):
        abort(404)
    vote = moderation.moved_vote(current_user, record)
    form = MovedVoteForm()
    if vote is None:  # decided already, or never moved: nothing to choose (and nothing private)
        return render_template("submissions/moved_vote.html", merge=record, vote=None, form=form)
    if request.method == "POST":
        if not form.validate_on_submit():
            flash(_("The form expired; please send it again."), "danger")
            return redirect(url_for("submissions.moved_vote", merge_id=record.id), code=303)
        with writing(db.session):
            moderation.object_to_moved_vote(current_user, record, form.choice.data)
        done = {"keep": _("Your vote stays on “%(title)s”.", title=record.target.title),
                "back": _("Your vote counts for “%(title)s” again; it stays there if the merge is undone.",
                          title=record.source.title),
                "remove": _("Your vote is removed.")}
        flash(done[form.choice.data], "success")
        return redirect(url_for("submissions.show", idea_id=record.target.id, slug=record.target.slug), code=303)
    return render_template("submissions/moved_vote.html", merge=record, vote=vote, form=form)
