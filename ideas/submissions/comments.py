"""Comments on ideas: posting, one level of replies, editing for a short window,
soft deletion, @mentions, and the thread an idea page shows. (Owner: comments work.)

Counters (Idea.comment_count, Comment.reply_count, Challenge.comment_count) are
incremented in SQL in the transaction of the change, so concurrent posts never lose
a count; `flask votes recount` recomputes them from the comments that are not deleted.
"""

from __future__ import annotations

import re
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ideas.accounts.models import User
from ideas.challenges import phases
from ideas.challenges.policy import can_manage
from ideas.core import events
from ideas.core.db import utcnow
from ideas.core.errors import Invalid, NotAllowed, NotFound
from ideas.core.links import path_to
from ideas.core.pagination import Page, paginate_offset
from ideas.extensions import db
from ideas.submissions import policy
from ideas.submissions.counters import move_comment_counters
from ideas.submissions.models import Comment, Idea
from ideas.submissions.policy import can_view_idea

MAX_BODY = 5000
EDIT_WINDOW = timedelta(minutes=15)
PER_PAGE = 20
MAX_MENTIONS = 10
# "@name" not preceded by a word character (so e-mail addresses are not mentions).
MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_][A-Za-z0-9_.-]{0,29})")


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _clean_body(body: str | None) -> str:
    text = (body or "").strip()
    if not text:
        raise Invalid(_("Write something before posting."), field="body")
    if len(text) > MAX_BODY:
        raise Invalid(ngettext("A comment can be at most %(num)d character.", "A comment can be at most %(num)d characters.", MAX_BODY), field="body")
    return text


def comment_refusal(user, idea: Idea) -> str | None:
    """Why `user` may not comment on `idea` (translated), or None when they may."""
    return policy.refusal(user, idea, "comment")


def mentioned_usernames(body: str) -> list[str]:
    """The distinct @usernames in `body`, in order of appearance, at most MAX_MENTIONS."""
    names: list[str] = []
    seen: set[str] = set()
    for match in MENTION_RE.finditer(body or ""):
        name = match.group(1).rstrip(".-")
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
        if len(names) >= MAX_MENTIONS:
            break
    return names


def link_mentions(html, known: set[str]):
    """Turn @name of a known member into a link to their profile, in text only (not
    inside tags, links or code). `html` is sanitized markup; names match MENTION_RE,
    so they are safe in a URL."""
    from markupsafe import Markup

    known_lower = {k.lower() for k in known}
    if not known_lower:
        return html
    out, skip = [], 0
    for part in re.split(r"(<[^>]+>)", str(html)):
        if part.startswith("<"):
            tag = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            name = tag.group(1).lower() if tag else ""
            if name in ("a", "code", "pre"):
                skip += -1 if part.startswith("</") else 1
            out.append(part)
        elif skip > 0 or "@" not in part:
            out.append(part)
        else:
            def _link(match):
                name = match.group(1).rstrip(".-")
                if name.lower() not in known_lower:
                    return match.group(0)
                rest = match.group(1)[len(name):]
                href = path_to("accounts.profile", username=name)
                return f'<a class="mention" href="{href}">@{name}</a>{rest}'

            out.append(MENTION_RE.sub(_link, part))
    return Markup("".join(out))


def _mentioned_users(author, idea: Idea, body: str) -> list[User]:
    names = mentioned_usernames(body)
    if not names:
        return []
    users = db.session.scalars(select(User).where(User.username.in_(names), User.active.is_(True))).all()
    # Nobody is told about an idea they may not see (invite-only challenges).
    return [u for u in users if u.id != author.id and can_view_idea(u, idea)][:MAX_MENTIONS]


def post_comment(author, idea: Idea, body: str, parent: Comment | None = None, now=None) -> Comment:
    """A verified member comments on an idea they can see that is still open; a reply
    to a reply attaches to the top-level comment (one level of replies)."""
    now = now or utcnow()
    if not _authenticated(author) or not can_view_idea(author, idea):
        raise NotFound(_("We could not find that idea."))
    refusal = comment_refusal(author, idea)
    if refusal:
        raise NotAllowed(refusal)
    text = _clean_body(body)
    if parent is not None:
        if parent.idea_id != idea.id:
            raise Invalid(_("You can only reply to a comment on the same idea."), field="parent_id")
        if parent.parent_id is not None:
            parent = db.session.get(Comment, parent.parent_id)
        if parent is None or parent.deleted_at is not None:
            raise Invalid(_("That comment has been deleted."), field="parent_id")
    comment = Comment(idea_id=idea.id, author_id=author.id, parent_id=parent.id if parent else None,
                      body=text, created_at=now)
    db.session.add(comment)
    db.session.flush()
    move_comment_counters(comment, +1, now)
    events.comment_posted.send(comment, comment=comment)
    for user in _mentioned_users(author, idea, text):
        events.member_mentioned.send(comment, user=user, comment=comment)
    return comment


def can_edit_comment(user, comment: Comment, now=None) -> bool:
    now = now or utcnow()
    return (
        _authenticated(user) and comment.author_id == user.id and comment.deleted_at is None
        and comment.hidden_at is None and now - comment.created_at <= EDIT_WINDOW
    )


def can_delete_comment(user, comment: Comment) -> bool:
    return _authenticated(user) and comment.author_id == user.id and comment.deleted_at is None


def edit_comment(author, comment: Comment, body: str, now=None) -> Comment:
    """Only the author, only within EDIT_WINDOW of posting, and not once deleted or hidden."""
    now = now or utcnow()
    if not _authenticated(author) or comment.author_id != author.id:
        raise NotAllowed(_("Only the author can edit a comment."))
    if comment.deleted_at is not None or comment.hidden_at is not None:
        raise NotAllowed(_("This comment can no longer be edited."))
    idea = db.session.get(Idea, comment.idea_id)
    if not phases.allows(idea.challenge.phase, "comment"):
        raise NotAllowed(phases.refusal("comment"))
    if now - comment.created_at > EDIT_WINDOW:
        raise NotAllowed(_("Comments can be edited for 15 minutes"))
    comment.body = _clean_body(body)
    comment.edited_at = now
    db.session.flush()
    return comment


def delete_comment(author, comment: Comment, now=None) -> Comment:
    """The author removes their comment: it stays as "comment deleted" so replies keep
    their place, and the counters go down."""
    now = now or utcnow()
    if not _authenticated(author) or comment.author_id != author.id:
        raise NotAllowed(_("You can only delete your own comments."))
    if comment.deleted_at is not None:
        raise NotFound(_("That comment has already been deleted."))
    comment.deleted_at = now
    db.session.flush()
    if comment.hidden_at is None:  # a hidden comment has left the counts already
        move_comment_counters(comment, -1, now)
    return comment


def can_mark_helpful(user, idea: Idea) -> bool:
    """The idea's authors and the challenge's staff mark comments on it helpful."""
    return _authenticated(user) and (policy.is_author(user, idea) or can_manage(user, idea.challenge))


def mark_helpful(actor, comment: Comment, helpful: bool = True, now=None) -> Comment:
    """Mark a comment helpful (or take the mark back). Only the idea's authors or the
    challenge's staff, never on one's own comment, nor on a deleted or hidden one."""
    idea = db.session.get(Idea, comment.idea_id)
    if not _authenticated(actor) or not can_view_idea(actor, idea):
        raise NotFound(_("We could not find that comment."))
    if not can_mark_helpful(actor, idea):
        raise NotAllowed(_("Only the idea's authors and the challenge's staff can mark comments helpful."))
    if comment.author_id == actor.id:
        raise NotAllowed(_("You cannot mark your own comment helpful."))
    if comment.deleted_at is not None or comment.hidden_at is not None:
        raise NotAllowed(_("This comment can no longer be marked."))
    helpful = bool(helpful)
    if (comment.helpful_at is not None) == helpful:
        return comment
    comment.helpful_at = (now or utcnow()) if helpful else None
    comment.helpful_by_id = actor.id if helpful else None
    db.session.flush()
    events.comment_marked_helpful.send(comment, comment=comment, idea=idea, helpful=helpful, actor=actor)
    return comment


def get_comment(user, comment_id: int) -> tuple[Comment, Idea]:
    """The comment and its idea, or NotFound when either is unknown or invisible to the user."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound(_("We could not find that comment."))
    idea = db.session.get(Idea, comment.idea_id)
    if idea is None or not can_view_idea(user, idea):
        raise NotFound(_("We could not find that comment."))
    return comment, idea


def comment_thread(user, idea: Idea, page: int = 1, now=None) -> dict:
    """What the comments section of an idea page shows (template: submissions/_comments.html).

    Two queries whatever the size: one page of top-level comments (oldest first) with
    their authors, then all their replies with their authors.
    """
    now = now or utcnow()
    page = max(1, int(page or 1))
    top_query = (
        select(Comment).options(joinedload(Comment.author))
        .where(Comment.idea_id == idea.id, Comment.parent_id.is_(None))
        .order_by(Comment.created_at, Comment.id)
    )
    result: Page = paginate_offset(top_query, page, PER_PAGE, db.session)
    top_ids = [c.id for c in result.items]
    replies: dict[int, list[Comment]] = {cid: [] for cid in top_ids}
    if top_ids:
        for reply in db.session.scalars(
            select(Comment).options(joinedload(Comment.author))
            .where(Comment.parent_id.in_(top_ids))
            .order_by(Comment.created_at, Comment.id)
        ):
            replies[reply.parent_id].append(reply)
    is_staff = _authenticated(user) and can_manage(user, idea.challenge)
    may_report = _authenticated(user) and getattr(user, "is_verified", False) and not is_staff
    may_mark = is_staff or can_mark_helpful(user, idea)
    everything = [*result.items, *(r for rs in replies.values() for r in rs)]
    names = {n for c in everything if c.deleted_at is None for n in mentioned_usernames(c.body)}
    known = set(db.session.scalars(select(User.username).where(User.username.in_(names)))) if names else set()
    return {
        "idea": idea,
        "comments": result.items,
        "replies": replies,
        "page": result,
        "can_comment": comment_refusal(user, idea) is None,
        "refusal": comment_refusal(user, idea),
        "is_staff": is_staff,
        # members flag others' comments to the staff (staff hide them instead)
        "can_report": {c.id for c in everything if may_report and c.author_id != user.id
                       and c.deleted_at is None and c.hidden_at is None},
        "can_edit": {c.id for c in everything if can_edit_comment(user, c, now)},
        "can_delete": {c.id for c in everything if can_delete_comment(user, c)},
        "can_mark_helpful": {c.id for c in everything if may_mark and c.author_id != user.id
                             and c.deleted_at is None and c.hidden_at is None},
        "max_length": MAX_BODY,
        "known_usernames": frozenset(known),
    }
