"""The search page and the similar-ideas fragments (htmx), plus applying the queue
after each response that wrote something."""

from __future__ import annotations

import logging
import threading
import time

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user

from ideas.challenges.models import Challenge
from ideas.challenges.policy import can_manage, can_view
from ideas.core.db import reads_first
from ideas.core.edge import int_arg
from ideas.core.live import announce
from ideas.core.pipeline import load_or_404
from ideas.extensions import db, limiter
from ideas.search import services, similar, tracking
from ideas.search.backends import FACETS, SORTS
from ideas.submissions.forms import MergeForm
from ideas.submissions.models import Idea
from ideas.submissions.policy import can_view_idea

log = logging.getLogger(__name__)
bp = Blueprint("search", __name__)


@bp.app_template_global("search_url")
def search_url(**changes) -> str:
    """This search's URL with some arguments changed (None drops one)."""
    args = request.args.to_dict()
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args[name] = value
    return url_for("search.index", **args)


@bp.app_template_filter("search_number")
def search_number(value) -> str:
    from flask_babel import format_decimal

    return format_decimal(value or 0)

MAX_TEXT = 700  # characters of a draft idea compared while writing


@bp.get("/search")
@reads_first
def index():
    result = services.search(db.session, current_user, request.args.get("q"),
                             filters=services.clean_filters(request.args),
                             sort=request.args.get("sort", "relevance"), page=int_arg("page", 1) or 1)
    return render_template("search/index.html", s=result, facet_names=FACETS, sorts=SORTS,
                           facet_titles=facet_titles())


def facet_titles() -> dict[str, str]:
    from flask_babel import gettext as _

    return {"kind": _("Type"), "challenge": _("Challenge"), "company": _("Company"), "category": _("Category"),
            "status": _("Status or phase"), "lang": _("Language")}


@bp.get("/search/similar")
@limiter.limit("120 per minute")
@reads_first
def while_writing():
    """Up to five similar ideas of a challenge while a member writes one (the idea
    form's panel, refreshed as they type)."""
    challenge = load_or_404(Challenge, int_arg("challenge_id"), can_view)
    text = f"{request.args.get('title', '')}\n{request.args.get('summary', '')}".strip()[:MAX_TEXT]
    exclude = {int_arg("idea_id")} if int_arg("idea_id") else set()
    ideas = []
    failed = False
    if len(text) >= 8 and current_user.is_authenticated:
        try:
            ideas = similar.similar_ideas(db.session, current_user, challenge.id, text, exclude=exclude)
        except Exception:
            log.exception("similar ideas while writing failed")
            failed = True
    html = render_template("search/_similar.html", ideas=ideas, failed=failed, typed=len(text) >= 8,
                           challenge=challenge)
    if len(text) < 8:
        return html
    if failed:
        message = gettext("Similar ideas cannot be looked up right now.")
    elif ideas:
        message = ngettext("%(num)d similar idea is already in this challenge.",
                           "%(num)d similar ideas are already in this challenge.", len(ideas))
    else:
        message = gettext("No similar ideas yet. Yours looks new.")
    return html, 200, announce(message)  # the panel is swapped as the member types: say what it found


@bp.get("/ideas/<int:idea_id>/similar")
@reads_first
def for_idea(idea_id: int):
    idea = load_or_404(Idea, idea_id, can_view_idea)
    ideas, failed = [], False
    try:
        vector, lang = similar.stored_vector(db.session, idea.id)
        ideas = similar.similar_ideas(
            db.session, current_user, idea.challenge_id, f"{idea.title}\n{idea.summary}", exclude={idea.id},
            query_vector=vector, query_lang=lang)
    except Exception:
        log.exception("similar ideas failed")
        failed = True
    return render_template("search/_similar_idea.html", ideas=ideas, failed=failed)


@bp.get("/challenges/<int:challenge_id>/duplicates")
@reads_first
def duplicates(challenge_id: int):
    """Likely duplicates for the challenge's staff (the moderation page's panel)."""
    challenge = load_or_404(Challenge, challenge_id, can_view)
    if not can_manage(current_user, challenge):
        abort(403)
    pairs, failed = [], False
    try:
        pairs = similar.likely_duplicates(db.session, current_user, challenge.id)
    except Exception:
        log.exception("likely duplicates failed")
        failed = True
    return render_template("search/_duplicates.html", pairs=pairs, failed=failed, challenge=challenge,
                           merge_form=MergeForm())


# -- applying the queue after the response ------------------------------------------

_state = {"leftover": False, "checked": 0.0}
_state_lock = threading.Lock()
CHECK_EVERY = 30.0  # seconds: even a process that writes nothing picks up leftovers
AFTER_RESPONSE_WAIT_MS = 300  # SQLite: give way to writing requests, try again after the next one


def _apply_after_response(app) -> None:
    with app.app_context():
        try:
            _applied, emptied = services.sync(app, budget_seconds=app.config.get("SEARCH_APPLY_BUDGET", 2.0),
                                              wait_ms=AFTER_RESPONSE_WAIT_MS)
        except Exception:
            log.exception("applying the search queue failed; it stays queued")
            emptied = False
        finally:
            db.session.remove()
    with _state_lock:
        _state["leftover"] = not emptied
        _state["checked"] = time.monotonic()


def init_app(app) -> None:
    @app.after_request
    def _queue_after_commit(response):
        wrote = tracking.wrote_changes(db.session)
        if not app.config.get("SEARCH_APPLY_AFTER_REQUEST", True):
            return response
        with _state_lock:
            due = _state["leftover"] or time.monotonic() - _state["checked"] > CHECK_EVERY
            if wrote or due:
                _state["checked"] = time.monotonic()
        if wrote or due:
            real_app = current_app._get_current_object()
            response.call_on_close(lambda: _apply_after_response(real_app))
        return response
