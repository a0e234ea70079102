"""The inbox (notifications newest first, alike ones grouped, mark one or all read),
the mail preferences, and the one-click unsubscribe link of every notification mail."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideas.core.db import writing
from ideas.core.edge import id_list_arg
from ideas.core.errors import DomainError
from ideas.core.pagination import page_arg
from ideas.core.pipeline import error_status, load_or_404, show_error
from ideas.extensions import csrf, db
from ideas.notifications import kinds, mailing, services
from ideas.notifications.forms import UnsubscribeForm, preferences_form
from ideas.notifications.models import Notification
from ideas.notifications.policy import can_view
from ideas.notifications.services import list_notifications, mark_read

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
bp.add_app_template_global(services.notice_text, "notice_text")

# The inbox's icon for each kind of notice (Bootstrap Icons names; "bell" for the rest).
NOTICE_ICONS = {
    "mention": "at", "comment": "chat", "reply": "reply", "coauthor": "people",
    "idea_shortlisted": "star-fill", "idea_winner": "trophy-fill", "idea_selected": "star-fill",
    "idea_declined": "x-circle", "idea_merged": "sign-merge-left", "vote_moved": "sign-merge-left",
    "merge_undone": "arrow-counterclockwise", "vote_returned": "arrow-counterclockwise",
    "idea_hidden": "shield-slash", "comment_hidden": "shield-slash", "report": "flag",
    "challenge_closed": "flag-fill", "security": "shield-lock", "judging_invited": "clipboard-check",
    "judging_reminder": "alarm", "judging_published": "award", "judging_reopened": "arrow-counterclockwise",
    "upvotes": "hand-thumbs-up", "expert_granted": "patch-check-fill", "expert_lapsed": "patch-minus",
    "expert_revoked": "patch-minus", "followed_challenge": "megaphone", "followed_phase": "megaphone",
    "followed_decision": "megaphone", "followed_comment": "chat",
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


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Consent to notification mail, and how often for each topic."""
    current = services.preferences(current_user)
    if request.method == "GET":
        form = preferences_form(consent=current_user.notify_email,
                                **{f"topic_{t}": f for t, f in current.items()})
        return render_template("notifications/settings.html", form=form, topics=kinds.TOPICS)
    form = preferences_form(request.form)
    if not form.validate():
        return render_template("notifications/settings.html", form=form, topics=kinds.TOPICS), 422
    chosen = {topic: form[f"topic_{topic}"].data for topic in kinds.TOPICS}
    try:
        with writing(db.session):
            services.set_preferences(current_user, form.consent.data, chosen)
    except DomainError as exc:
        show_error(form, exc)
        return render_template("notifications/settings.html", form=form, topics=kinds.TOPICS), error_status(exc)
    flash(_("Your mail preferences are saved."), "success")
    return redirect(url_for("notifications.settings"), code=303)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the credential; RFC 8058 clients POST without a session
def unsubscribe(token: str):
    """GET: a page with one button (mail scanners open links; they must not unsubscribe).
    POST (the button, or a mail client's one-click List-Unsubscribe-Post): done."""
    found = mailing.read_unsubscribe_token(token)
    if found is None:
        abort(404)
    user, topic = found
    label = _(kinds.TOPICS[topic]) if topic != "all" else ""
    if request.method == "GET":
        return render_template("notifications/unsubscribe.html", form=UnsubscribeForm(), topic=topic,
                               label=label, done=False, email=user.email)
    with writing(db.session):
        services.unsubscribe(user, topic)
    if request.form.get("List-Unsubscribe") == "One-Click":
        return "", 200
    return render_template("notifications/unsubscribe.html", form=UnsubscribeForm(), topic=topic, label=label,
                           done=True, email=user.email)
