"""The inbox: notifications newest first, unread highlighted, mark all read."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideas.core.db import writing
from ideas.core.edge import id_list_arg
from ideas.core.pagination import page_arg
from ideas.core.pipeline import load_or_404
from ideas.extensions import db
from ideas.notifications.models import Notification
from ideas.notifications.policy import can_view
from ideas.notifications.services import list_notifications, mark_read

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

# The inbox's icon for each kind of notice (Bootstrap Icons names; "bell" for the rest).
NOTICE_ICONS = {
    "mention": "at", "comment": "chat", "reply": "reply", "coauthor": "people",
    "idea_shortlisted": "star-fill", "idea_winner": "trophy-fill", "idea_selected": "star-fill",
    "idea_declined": "x-circle", "idea_merged": "sign-merge-left", "vote_moved": "sign-merge-left",
    "merge_undone": "arrow-counterclockwise", "vote_returned": "arrow-counterclockwise",
    "idea_hidden": "shield-slash", "comment_hidden": "shield-slash", "report": "flag",
    "challenge_closed": "flag-fill", "security": "shield-lock", "judging_invited": "clipboard-check",
    "judging_reminder": "alarm", "judging_published": "award",
}


@bp.app_template_global("notice_icon")
def notice_icon(kind: str) -> str:
    return NOTICE_ICONS.get(kind, "bell")


@bp.get("/")
@login_required
def index():
    page = list_notifications(current_user, page_arg())
    return render_template("notifications/index.html", page=page)


@bp.post("/read")
@login_required
def read():
    """Mark all read, or the ids given as `id` fields (the htmx/JS-less single link)."""
    ids = id_list_arg("id")
    with writing(db.session):
        changed = mark_read(current_user, ids or None)
    if request.headers.get("HX-Request"):
        return "", 204
    if not ids:
        flash(_("All notifications are marked as read.") if changed else _("Nothing new to mark."), "success")
    return redirect(url_for("notifications.index"), code=303)


@bp.post("/<int:notification_id>/open")
@login_required
def open_one(notification_id: int):
    """Mark one notification read and go where it points (someone else's: 404)."""
    notification = load_or_404(Notification, notification_id, can_view)
    with writing(db.session):
        mark_read(current_user, [notification.id])
    link = notification.link if notification.link.startswith("/") and not notification.link.startswith("//") else ""
    return redirect(link or url_for("notifications.index"), code=303)
