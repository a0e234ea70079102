"""Following things and the activity feed: /feed, and the follow button that the
pages of challenges, ideas, companies and members show (the `follow_button` global)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from ideas.core.db import reads_first, writing
from ideas.core.edge import int_arg
from ideas.extensions import db
from ideas.notifications import feed, follows
from ideas.notifications.models import FOLLOW_KINDS

bp = Blueprint("community", __name__)


@bp.app_template_global("follow_button")
def follow_button(kind: str, target_id: int, small: bool = True) -> Markup:
    """A follow / unfollow button for the current user (visitors: a link to log in)."""
    following = follows.is_following(current_user, kind, target_id) if current_user.is_authenticated else False
    return Markup(render_template("notifications/_follow_button.html", kind=kind, target_id=target_id,
                                  following=following, size="btn-sm" if small else ""))


@bp.get("/feed")
@reads_first
@login_required
def feed_index():
    """What happened around what the member follows, newest first."""
    page = feed.feed_page(current_user, int_arg("before"))
    return render_template("notifications/feed.html", page=page, counts=follows.following(current_user))


def _back(default: str) -> str:
    target = request.form.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else default


@bp.post("/follows/<kind>/<int:target_id>")
@login_required
def toggle(kind: str, target_id: int):
    """Follow (follow=y) or stop following; back to the page the button was on."""
    if kind not in FOLLOW_KINDS:
        abort(404)
    follows.target(current_user, kind, target_id)  # 404 for what the member may not see
    want = request.form.get("follow") == "y"
    with writing(db.session):
        if want:
            follows.follow(current_user, kind, target_id)
        else:
            follows.unfollow(current_user, kind, target_id)
    if request.headers.get("HX-Request"):
        return follow_button(kind, target_id, small=request.form.get("size") != "")
    flash(_("You follow it now: its news shows in your feed.") if want else _("You no longer follow it."),
          "success")
    return redirect(_back(url_for("community.feed_index")), code=303)
