"""Notices about votes and expert status, written in the transaction of the fact (add,
never commit) and in the recipient's language. (The notices of handlers.py are about
comments, decisions and moderation; the follows and the feed have follows.py.)"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from ideas.accounts.models import User
from ideas.challenges.categories import category_label
from ideas.core import events
from ideas.core.links import path_to
from ideas.extensions import db
from ideas.notifications.services import add_to_group, notify


def on_vote_cast(_sender, idea, voter, value=0, previous=0, **_kw):
    """A new up-vote: the lead author's unread "new up-votes on your idea" notice counts
    one more (one statement; in the app only, never mailed)."""
    if value != 1 or previous == 1 or voter.id == idea.author_id:
        return
    add_to_group(idea.author_id, "upvotes", idea.title,
                 path_to("submissions.show", idea_id=idea.id, slug=idea.slug),
                 idea_id=idea.id, challenge_id=idea.challenge_id)


def on_expert_status_changed(_sender, user_id, category, held, action="granted", reason="", actor=None, **_kw):
    """The member hears at once that they are an expert now, or no longer."""
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return
    with force_locale(user.locale or "en"):
        label = category_label(category)
        if held:
            text = _("You are now an expert in %(category)s. Your badge shows beside your name, and you are "
                     "among the first invited to focus groups and prototype tests there.", category=label)
        elif action == "revoked":
            text = _("Your expert status in %(category)s was revoked by staff. Reason: %(reason)s",
                     category=label, reason=reason or "-")
        else:
            text = _("Your expert status in %(category)s has lapsed: your record there no longer meets the "
                     "rules. Your profile shows what is needed to earn it again.", category=label)
    kind = "expert_granted" if held else ("expert_revoked" if action == "revoked" else "expert_lapsed")
    notify(user, kind, text, path_to("accounts.profile", username=user.username))


_HANDLERS = (
    (events.vote_cast, on_vote_cast),
    (events.expert_status_changed, on_expert_status_changed),
)


def connect() -> None:
    """Connect these receivers (called by create_app; connecting twice is harmless)."""
    for signal, handler in _HANDLERS:
        signal.connect(handler, weak=False)
