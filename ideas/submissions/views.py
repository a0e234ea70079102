"""Idea pages: the challenge's list, submitting and editing, the idea page with its
revisions, and "my contributions". Votes, comments and staff actions live in their
own modules and are included on the idea page through their panels."""

from __future__ import annotations

import secrets
import uuid

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from ideas.challenges import phases
from ideas.challenges.models import Challenge
from ideas.challenges.policy import can_view
from ideas.core import languages
from ideas.core.db import writing
from ideas.core.edge import int_arg
from ideas.core.errors import DomainError, Invalid
from ideas.core.fragments import fragment
from ideas.core.i18n import ago
from ideas.core.image_fields import image_uploads
from ideas.core.names import name_badge
from ideas.core.pagination import page_arg
from ideas.core.pipeline import error_status, load_or_404, show_error
from ideas.core.providers import Provider
from ideas.extensions import db
from ideas.submissions import activity, comments, moderation, policy, statuses, votes
from ideas.submissions import services as idea_services
from ideas.submissions.forms import AcceptTermsForm, EditIdeaForm, IdeaForm, WithdrawForm
from ideas.submissions.listing import SORTS, idea_page, language_counts, list_rows
from ideas.submissions.models import Idea
from ideas.submissions.policy import can_view_idea
from ideas.submissions.terms import accept_terms, has_accepted

bp = Blueprint("submissions", __name__)
# Where the idea stands in judging, for the idea page (judging fills it): a dict for the
# template judging/_idea_box.html, or None when there is nothing to tell this user.
idea_judging = Provider("idea_judging", "(user, idea) -> dict | None")
# The idea's path (shortlisted -> judged -> focus group -> prototype -> launched), as far
# as this user may see it (prototypes fills it): a dict for prototypes/_idea_path.html, or None.
idea_journey = Provider("idea_journey", "(user, idea) -> dict | None")
# Reputation and follows sit above submissions: the idea page shows the crowd's and the
# experts' votes and the follow button through this provider, filled by create_app.
idea_community = Provider("submissions.idea_community", "(viewer, idea) -> the idea page's community box")
bp.add_app_template_global(phases.allows, "phase_allows")
bp.add_app_template_global(statuses.label, "idea_status_label")
bp.add_app_template_global(statuses.style, "idea_status_style")
bp.add_app_template_global(statuses.icon, "idea_status_icon")
bp.add_app_template_global(statuses.STATUSES.get, "idea_status")


@bp.app_template_global("idea_row")
def idea_row(idea, login_url: str | None = None):
    """An idea list row (a listing.ROW_COLUMNS row) as HTML memoized by its values: the
    public part only, or for visitors (login_url given) the whole row, whose vote
    buttons lead to the login page (templates/submissions/_idea_row.html)."""
    values = {
        "id": idea.id, "title": idea.title, "slug": idea.slug, "status": idea.status,
        "hidden": idea.hidden_at is not None, "author_username": idea.author_username,
        "author_name": idea.author_name, "author_badge": name_badge(idea.author_id), "created_at": idea.created_at, "ago": ago(idea.created_at),
        "summary": idea.summary, "comments": idea.comment_count, "tags": tuple(idea.tags or ()),
        "thumbnail": idea.thumbnail, "language": idea.language,
    }
    if login_url is None:
        return fragment("submissions/_idea_row.html", "public_row", **values)
    return fragment("submissions/_idea_row.html", "visitor_row", login_url=login_url,
                    up_votes=idea.up_votes, down_votes=idea.down_votes, **values)


@bp.app_template_global("compact_vote_labels")
def compact_vote_labels() -> dict[str, str]:
    """The compact vote buttons' labels, translated once per page."""
    return {"upvote": _("Up-vote"), "upvoted": _("Up-voted"), "downvote": _("Down-vote"),
            "downvoted": _("Down-voted"), "up_votes": _("Up-votes"), "down_votes": _("Down-votes")}


def challenge_url(challenge: Challenge) -> str:
    return url_for("challenges.show", challenge_id=challenge.id, slug=challenge.slug)


def load_challenge(challenge_id: int) -> Challenge:
    """The challenge, or 404 when the user may not know it exists."""
    return load_or_404(Challenge, challenge_id, can_view)


def load_idea(idea_id: int) -> Idea:
    """The idea with its author and challenge, or 404 when the user may not see it."""
    return load_or_404(Idea, idea_id, can_view_idea, options=(joinedload(Idea.author), joinedload(Idea.challenge)))



def _wrong_slug(endpoint: str, slug: str, right: str, **args):
    if slug != right:
        return redirect(url_for(endpoint, slug=right, **args, **request.args.to_dict()), code=301)
    return None


def _member_seed() -> int:
    """Fresh-eyes order is stable per member: user id, or a per-session number."""
    if current_user.is_authenticated:
        return current_user.id
    if "fresh_seed" not in session:
        session["fresh_seed"] = secrets.randbelow(2**31)
    return int(session["fresh_seed"])


@bp.get("/challenges/<int:challenge_id>-<slug>/ideas")
def idea_list(challenge_id: int, slug: str):
    challenge = load_challenge(challenge_id)
    if (moved := _wrong_slug("submissions.idea_list", slug, challenge.slug, challenge_id=challenge.id)):
        return moved
    sort = request.args.get("sort", "top")
    sort = sort if sort in SORTS else "top"
    language = languages.filter_arg()
    counts = language_counts(current_user, challenge)
    page = idea_page(current_user, challenge, sort, page_arg(), member_seed=_member_seed(), language=language,
                     language_total=counts.get(language, 0) if language else None)
    mine = votes.my_votes(current_user, [i.id for i in page.items]) if current_user.is_authenticated else {}
    return render_template("submissions/list.html", challenge=challenge, page=page, sort=sort, sorts=SORTS,
                           rows=list_rows(current_user, challenge, page.items, mine),
                           challenge_url=challenge_url(challenge), language=language,
                           language_options=languages.filter_options(counts, language))


def _new_idea_context(challenge: Challenge) -> dict:
    return {
        "challenge": challenge,
        "challenge_url": challenge_url(challenge),
        "terms_accepted": has_accepted(current_user, challenge),
        "terms_form": AcceptTermsForm(),
    }


@bp.route("/challenges/<int:challenge_id>-<slug>/ideas/new", methods=["GET", "POST"])
@login_required
def new_idea(challenge_id: int, slug: str):
    challenge = load_challenge(challenge_id)
    if request.method == "GET" and (moved := _wrong_slug("submissions.new_idea", slug, challenge.slug,
                                                          challenge_id=challenge.id)):
        return moved
    form = IdeaForm()
    if not form.submission_key.data:
        form.submission_key.data = uuid.uuid4().hex
    context = _new_idea_context(challenge)
    if request.method == "POST":
        if not form.validate():
            return render_template("submissions/new.html", form=form, **context), 422
        try:
            with writing(db.session):
                idea = idea_services.submit_idea(
                    current_user, challenge,
                    title=form.title.data, summary=form.summary.data, description=form.description.data,
                    tags=form.tags.data or "",
                    images=image_uploads(form.images),
                    coauthor_usernames=form.coauthors.data or "",
                    submission_key=form.submission_key.data,
                    language=form.language.data or "",
                )
        except DomainError as exc:  # shown on the form, with the error's status
            show_error(form, exc)
            return render_template("submissions/new.html", form=form, **_new_idea_context(challenge)), \
                error_status(exc)
        flash(_("Your idea is in. Thank you!"), "success")
        return redirect(url_for("submissions.show", idea_id=idea.id, slug=idea.slug), code=303)
    return render_template("submissions/new.html", form=form, **context)


@bp.post("/challenges/<int:challenge_id>-<slug>/terms")
@login_required
def terms(challenge_id: int, slug: str):
    challenge = load_challenge(challenge_id)
    form = AcceptTermsForm()
    if form.validate_on_submit():
        with writing(db.session):
            accept_terms(current_user, challenge)
        flash(_("Thank you. You can now submit your idea."), "success")
    else:
        flash(_("The form expired; please send it again."), "danger")
    return redirect(url_for("submissions.new_idea", challenge_id=challenge.id, slug=challenge.slug), code=303)


@bp.get("/ideas/<int:idea_id>", defaults={"slug": ""})
@bp.get("/ideas/<int:idea_id>-<slug>")
def show(idea_id: int, slug: str):
    idea = load_or_404(Idea, idea_id, options=(joinedload(Idea.author), joinedload(Idea.challenge)))
    target = idea_services.merged_into(current_user, idea)
    if target is not None:
        return redirect(url_for("submissions.show", idea_id=target.id, slug=target.slug), code=301)
    if not can_view_idea(current_user, idea):
        abort(404)
    if (moved := _wrong_slug("submissions.show", slug, idea.slug, idea_id=idea.id)):
        return moved
    is_author = policy.is_author(current_user, idea)
    can_withdraw = policy.can(current_user, idea, "withdraw")
    return render_template(
        "submissions/show.html", idea=idea, challenge=idea.challenge,
        challenge_url=challenge_url(idea.challenge),
        is_author=is_author,
        can_edit=idea_services.can_edit(current_user, idea),
        can_withdraw=can_withdraw,
        withdraw_form=WithdrawForm() if can_withdraw else None,
        facts=idea_services.idea_page_facts(idea),
        vote=votes.vote_panel(current_user, idea),
        thread=comments.comment_thread(current_user, idea, page_arg("comments_page")),
        staff=moderation.staff_panel(current_user, idea),
        judging=idea_judging(current_user, idea) if idea_judging.is_filled(current_app) else None,
        journey=idea_journey(current_user, idea) if idea_journey.is_filled(current_app) else None,
        community=idea_community(current_user, idea) if idea_community.is_filled(current_app) else None,
        vote_history=activity.vote_history(idea),
    )


@bp.route("/ideas/<int:idea_id>/edit", methods=["GET", "POST"])
@login_required
def edit(idea_id: int):
    idea = load_idea(idea_id)
    if not policy.is_author(current_user, idea):
        abort(403)
    form = EditIdeaForm(obj=None if request.method == "POST" else idea)
    if request.method == "GET":
        form.tags.data = ", ".join(idea.tags or [])
    editable = idea_services.can_edit(current_user, idea)
    context = {"idea": idea, "form": form, "editable": editable}
    if request.method == "POST":
        if not form.validate():
            return render_template("submissions/edit.html", **context), 422
        language_before = idea.language
        try:
            with writing(db.session):
                revision = idea_services.edit_idea(current_user, idea, title=form.title.data,
                                                   summary=form.summary.data, description=form.description.data,
                                                   tags=form.tags.data or "", language=form.language.data or "")
        except DomainError as exc:
            show_error(form, exc)
            return render_template("submissions/edit.html", **context), error_status(exc)
        changed = revision is not None or idea.language != language_before
        flash(_("Your changes are saved.") if changed else _("Nothing was changed."), "success")
        return redirect(url_for("submissions.show", idea_id=idea.id, slug=idea.slug), code=303)
    return render_template("submissions/edit.html", **context)


@bp.post("/ideas/<int:idea_id>/withdraw")
@login_required
def withdraw(idea_id: int):
    idea = load_idea(idea_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash(_("The form expired; please send it again."), "danger")
        return redirect(url_for("submissions.show", idea_id=idea.id, slug=idea.slug), code=303)
    with writing(db.session):  # a refusal goes to the error handler (403)
        idea_services.withdraw_idea(current_user, idea, form.reason.data or "")
    flash(_("Your idea is withdrawn."), "info")
    return redirect(url_for("submissions.show", idea_id=idea.id, slug=idea.slug), code=303)


@bp.get("/ideas/<int:idea_id>/revisions")
def revisions(idea_id: int):
    idea = load_idea(idea_id)
    history = idea_services.revisions(idea)
    diff = None
    b = int_arg("rev")
    if b is not None:
        a = int_arg("against") or b - 1
        try:
            diff = {"a": a, "b": b, "fields": idea_services.revision_diff(idea, a, b)}
        except Invalid:
            abort(404)
    return render_template("submissions/revisions.html", idea=idea, history=history, diff=diff)


@bp.get("/me/contributions")
@login_required
def mine():
    tab = request.args.get("tab", "ideas")
    tab = tab if tab in idea_services.CONTRIBUTION_TABS else "ideas"
    page, ideas_by_id = idea_services.contributions(current_user, tab, page_arg())
    return render_template("submissions/mine.html", tab=tab, tabs=idea_services.CONTRIBUTION_TABS, page=page,
                           ideas_by_id=ideas_by_id)
