"""Subscribers to domain events that create notifications.

Each handler writes in the transaction of the fact it reacts to (add, no commit), and
renders its text in the RECIPIENT's language, not the actor's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ideas.accounts.models import User
from ideas.challenges.models import Challenge
from ideas.companies.models import CompanyMember
from ideas.core import events
from ideas.core.i18n import when_for
from ideas.core.links import path_to
from ideas.extensions import db
from ideas.focus_groups.policy import readers
from ideas.notifications.models import Notification
from ideas.notifications.services import notify
from ideas.prototypes.policy import can_view as can_view_prototype
from ideas.prototypes.statuses import label as prototype_status_label
from ideas.submissions import statuses
from ideas.submissions.comments import mentioned_usernames
from ideas.submissions.models import Comment, Idea, IdeaCoauthor


def idea_path(idea) -> str:
    return path_to("submissions.show", idea_id=idea.id, slug=idea.slug)


def moved_vote_path(merge) -> str:
    return path_to("submissions.moved_vote", merge_id=merge.id)


def moderation_path(challenge) -> str:
    return path_to("submissions.moderation_index", challenge_id=challenge.id, slug=challenge.slug)


def comment_path(comment, idea) -> str:
    return f"{idea_path(idea)}#comment-{comment.id}"


def _tell(users: Iterable, kind: str, link: str, text: Callable[[], str], skip_ids=()) -> None:
    """Notify each distinct user once, with `text()` rendered in their own language."""
    seen = set(skip_ids)
    for user in users:
        if user is None or user.id in seen or not getattr(user, "active", True):
            continue
        seen.add(user.id)
        with force_locale(user.locale or "en"):
            message = text()
        notify(user, kind, message, link)


def _idea_people(idea) -> list:
    people = [idea.author or db.session.get(User, idea.author_id)]
    people += [c.user for c in idea.coauthors]
    return people


def _status_label(status: str) -> str:
    return statuses.label(status).lower()


def on_idea_status_changed(_sender, idea, from_status=None, to_status=None, reason="", actor=None,
                           closing=False, held=False, **_kw):
    if closing or held:
        return  # decided as the challenge closes, or with judging results: told with those
    to_status = to_status or idea.status
    title = idea.title

    def text() -> str:
        if from_status == "declined":
            return _('The decline of your idea "%(title)s" was reconsidered: it is %(status)s again. %(reason)s',
                     title=title, status=_status_label(to_status), reason=reason).strip()
        if to_status == "shortlisted":
            return _('Good news: your idea "%(title)s" was shortlisted.', title=title)
        if to_status == "declined":
            if reason:
                return _('Your idea "%(title)s" was declined. Feedback: %(reason)s', title=title, reason=reason)
            return _('Your idea "%(title)s" was declined.', title=title)
        if to_status == "winner":
            return _('Congratulations: your idea "%(title)s" is a winner!', title=title)
        message = _('Your idea "%(title)s" is now %(status)s.', title=title, status=_status_label(to_status))
        return f"{message} {reason}" if reason else message

    skip = [actor.id] if actor is not None and to_status not in ("shortlisted", "declined", "winner") else []
    _tell(_idea_people(idea), f"idea_{to_status}"[:40], idea_path(idea), text, skip_ids=skip)


def on_challenge_phase_changed(challenge, to_phase=None, **_kw):
    """When a challenge closes, every author hears the outcome of each of their ideas."""
    if to_phase != "closed":
        return
    from sqlalchemy.orm import selectinload


    ideas = db.session.scalars(
        select(Idea).where(Idea.challenge_id == challenge.id, Idea.status.in_(statuses.PUBLIC))
        .options(selectinload(Idea.author), selectinload(Idea.coauthors)).order_by(Idea.id)).all()
    challenge_title = challenge.title
    for idea in ideas:
        title, status, reason = idea.title, idea.status, idea.status_reason

        def text(title=title, status=status, reason=reason) -> str:
            message = _('The challenge "%(challenge)s" has closed. The outcome for your idea "%(title)s": '
                        '%(status)s.', challenge=challenge_title, title=title, status=statuses.label(status))
            return f"{message} {reason}" if reason else message

        _tell(_idea_people(idea), "challenge_closed", idea_path(idea), text)


def on_idea_submitted(idea, actor=None, **_kw):
    """Members named as co-authors hear of it (they did not choose it themselves)."""
    coauthors = db.session.scalars(select(User).join(IdeaCoauthor, IdeaCoauthor.user_id == User.id)
                                   .where(IdeaCoauthor.idea_id == idea.id).order_by(User.id)).all()
    if not coauthors:
        return
    name = actor.display_name if actor is not None else ""
    title = idea.title
    _tell(coauthors, "coauthor", idea_path(idea),
          lambda: _('%(name)s named you a co-author of the idea "%(title)s". If that is a mistake, '
                    'tell them in a comment or report the idea.', name=name, title=title),
          skip_ids=[actor.id] if actor is not None else ())


def on_idea_hidden(_sender, idea, reason="", **_kw):
    title = idea.title
    _tell(_idea_people(idea)[:1], "idea_hidden", idea_path(idea),
          lambda: _('Moderators hid your idea "%(title)s". Reason: %(reason)s', title=title, reason=reason or "-"))


def on_comment_hidden(_sender, comment, reason="", **_kw):

    idea = db.session.get(Idea, comment.idea_id)
    title = idea.title
    _tell([comment.author], "comment_hidden", comment_path(comment, idea),
          lambda: _('Moderators hid your comment on "%(title)s". Reason: %(reason)s', title=title, reason=reason or "-"))


def on_idea_merged(_sender, merge, moved_voter_ids=(), **_kw):
    source, target = merge.source, merge.target
    source_title, target_title = source.title, target.title
    authors = _idea_people(source)
    _tell(authors, "idea_merged", idea_path(target),
          lambda: _('Your idea "%(source)s" was merged into "%(target)s"; you are now a co-author there.',
                    source=source_title, target=target_title))
    ids = [int(i) for i in moved_voter_ids or ()]
    if ids:
        voters = db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)).all()
        _tell(voters, "vote_moved", moved_vote_path(merge),
              lambda: _('Your vote on "%(source)s" moved to "%(target)s" because the two were merged. '
                        'You can keep it, take it back or move it back.', source=source_title, target=target_title))


def on_idea_merge_undone(_sender, merge, moved_voter_ids=(), **_kw):
    """Undoing a merge: the authors of both ideas and the voters whose votes go back hear of it."""
    source, target = merge.source, merge.target
    source_title, target_title = source.title, target.title
    _tell([*_idea_people(source), *_idea_people(target)], "merge_undone", idea_path(source),
          lambda: _('The merge of "%(source)s" into "%(target)s" was undone: they are separate ideas again.',
                    source=source_title, target=target_title))
    ids = [int(i) for i in moved_voter_ids or ()]
    if ids:
        voters = db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)).all()
        _tell(voters, "vote_returned", idea_path(source),
              lambda: _('The merge of "%(source)s" into "%(target)s" was undone; your vote is back on "%(source)s".',
                        source=source_title, target=target_title))


def on_content_reported(_sender, report, **_kw):
    """A new report: the staff of the challenge's company are told (not the reporter)."""

    challenge = db.session.get(Challenge, report.challenge_id)
    staff = db.session.scalars(select(User).join(CompanyMember, CompanyMember.user_id == User.id)
                               .where(CompanyMember.company_id == challenge.company_id).order_by(User.id)).all()
    title, what = challenge.title, "comment" if report.comment_id else "idea"
    _tell(staff, "report", moderation_path(challenge),
          lambda: (_('A comment in "%(title)s" was reported to moderators.', title=title) if what == "comment"
                   else _('An idea in "%(title)s" was reported to moderators.', title=title)),
          skip_ids=[report.reporter_id] if report.reporter_id else ())


def on_member_mentioned(_sender, user, comment, **_kw):

    idea = db.session.get(Idea, comment.idea_id)
    name, title = comment.author.display_name, idea.title
    _tell([user], "mention", comment_path(comment, idea),
          lambda: _('%(name)s mentioned you in a comment on "%(title)s".', name=name, title=title),
          skip_ids=[comment.author_id])


def on_comment_posted(_sender, comment, **_kw):

    idea = db.session.get(Idea, comment.idea_id)
    name, title = comment.author.display_name, idea.title
    # Members mentioned in the comment get the mention notice instead of this one.
    mentioned = {n.lower() for n in mentioned_usernames(comment.body)}

    def is_mentioned(user) -> bool:
        return user.username.lower() in mentioned

    skip = [comment.author_id]
    idea_author = idea.author or db.session.get(User, idea.author_id)
    if not is_mentioned(idea_author):
        _tell([idea_author], "comment", comment_path(comment, idea),
              lambda: _('%(name)s commented on your idea "%(title)s".', name=name, title=title),
              skip_ids=skip)
    if comment.parent_id is not None:
        parent = db.session.get(Comment, comment.parent_id)
        parent_author = parent.author if parent is not None else None
        if parent_author is not None and not is_mentioned(parent_author) and parent.deleted_at is None:
            _tell([parent_author], "reply", comment_path(comment, idea),
                  lambda: _('%(name)s replied to your comment on "%(title)s".', name=name, title=title),
                  skip_ids=[*skip, idea_author.id])


def on_login_throttled(_sender, user, until, **_kw) -> None:
    """The owner of an account whose failed logins hit the limit is told in the inbox
    (the account mail is queued by accounts; no notification mail on top of it)."""
    with force_locale(user.locale or "en"):
        text = _("Many failed log-in attempts on your account: logging in is paused until "
                 "%(until)s. If it was not you, consider choosing a new password.",
                 until=when_for(until, user.locale, user.timezone))
    db.session.add(Notification(user_id=user.id, kind="security", text=text,
                                link=path_to("accounts.settings")))


_HANDLERS = (
    (events.challenge_phase_changed, on_challenge_phase_changed),
    (events.login_throttled, on_login_throttled),
    (events.idea_submitted, on_idea_submitted),
    (events.idea_status_changed, on_idea_status_changed),
    (events.idea_hidden, on_idea_hidden),
    (events.comment_hidden, on_comment_hidden),
    (events.idea_merged, on_idea_merged),
    (events.idea_merge_undone, on_idea_merge_undone),
    (events.content_reported, on_content_reported),
    (events.member_mentioned, on_member_mentioned),
    (events.comment_posted, on_comment_posted),
)


def connect() -> None:
    """Connect notification handlers to the domain signals (called by create_app).
    Strong references, and connecting twice (several apps in one process) is harmless."""
    for signal, handler in _HANDLERS:
        signal.connect(handler, weak=False)


# -- focus groups and prototypes (issue 18) -----------------------------------------
# Only people who may see the thing are told: a focus group's news reaches its members
# who accepted the current agreement (focus_groups.policy.readers), a group-only
# prototype's news only those who see it (prototypes.policy.can_view).

def _group_path(group) -> str:
    return path_to("focus_groups.show", group_id=group.id)


def _users(ids) -> list:
    ids = sorted({int(i) for i in ids if i is not None})
    return db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)).all() if ids else []


def on_focus_group_invited(_sender, group, user, **_kw):
    title, challenge = group.title, group.challenge.title
    _tell([user], "focus_group_invited", _group_path(group),
          lambda: _('You are invited to the focus group "%(title)s" of "%(challenge)s".', title=title,
                    challenge=challenge))


def on_focus_group_joined(_sender, group, membership, user, **_kw):
    name, title = user.display_name, group.title
    _tell(_users([membership.invited_by_id]), "focus_group_joined", path_to("focus_groups.people", group_id=group.id),
          lambda: _('%(name)s joined the focus group "%(title)s".', name=name, title=title), skip_ids=[user.id])


def on_focus_group_session_scheduled(_sender, group, session, actor=None, **_kw):
    link = path_to("focus_groups.session", group_id=group.id, session_id=session.id)
    at = session.starts_at.replace(tzinfo=ZoneInfo("UTC"))
    for user in _users(readers(group)):
        try:
            zone = ZoneInfo(user.timezone or "UTC")
        except (KeyError, ValueError):
            zone = ZoneInfo("UTC")
        when = format_datetime(at, "medium", tzinfo=zone, locale=user.locale or "en")
        _tell([user], "focus_group_session", link,
              lambda when=when: _('A session of "%(group)s" is scheduled: "%(title)s", %(when)s.', group=group.title,
                                  title=session.title, when=when),
              skip_ids=[actor.id] if actor is not None else ())


def on_focus_group_feedback_given(_sender, group, round, user, **_kw):  # noqa: A002 (the signal's name)
    title = round.title
    _tell(_users([round.created_by_id]), "focus_group_feedback",
          path_to("focus_groups.round", group_id=group.id, round_id=round.id),
          lambda: _('A new answer to the feedback round "%(title)s".', title=title), skip_ids=[user.id])


def _prototype_viewers(prototype, ids) -> list:
    return [u for u in _users(ids) if can_view_prototype(u, prototype)]


def on_prototype_status_changed(_sender, prototype, to_status, actor=None, **_kw):
    """The credited authors hear of each move (if they may see the prototype)."""
    title = prototype.title
    _tell(_prototype_viewers(prototype, [c.user_id for c in prototype.credits]), "prototype_status",
          path_to("prototypes.show", prototype_id=prototype.id),
          lambda: _('The prototype "%(title)s" of your idea is now: %(status)s.', title=title,
                    status=prototype_status_label(to_status).lower()), skip_ids=[actor.id] if actor is not None else ())


def on_prototype_feedback_given(_sender, prototype, iteration, feedback, tester, **_kw):
    title, version = prototype.title, iteration.version_name
    _tell(_users([prototype.created_by_id]), "prototype_feedback",
          path_to("prototypes.show", prototype_id=prototype.id) + f"#feedback-{feedback.id}",
          lambda: _('New tester feedback on "%(title)s" %(version)s.', title=title, version=version),
          skip_ids=[tester.id])


def on_prototype_feedback_replied(_sender, prototype, feedback, actor=None, **_kw):
    title = prototype.title
    _tell(_prototype_viewers(prototype, [feedback.tester_id]), "prototype_reply",
          path_to("prototypes.show", prototype_id=prototype.id) + f"#feedback-{feedback.id}",
          lambda: _('The staff replied to your feedback on "%(title)s".', title=title))


_FOCUS_HANDLERS = (
    (events.focus_group_invited, on_focus_group_invited),
    (events.focus_group_joined, on_focus_group_joined),
    (events.focus_group_session_scheduled, on_focus_group_session_scheduled),
    (events.focus_group_feedback_given, on_focus_group_feedback_given),
    (events.prototype_status_changed, on_prototype_status_changed),
    (events.prototype_feedback_given, on_prototype_feedback_given),
    (events.prototype_feedback_replied, on_prototype_feedback_replied),
)


def connect_focus_groups() -> None:
    """Connect the focus group and prototype notices (called by create_app)."""
    for signal, handler in _FOCUS_HANDLERS:
        signal.connect(handler, weak=False)
