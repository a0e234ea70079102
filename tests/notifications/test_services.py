"""Notifications: inbox, mail only with consent, handlers for domain events, recipient's language."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ideas.core import events
from ideas.core.errors import NotFound
from ideas.core.mail import OutboxMessage
from ideas.notifications import handlers
from ideas.notifications.models import Notification
from ideas.notifications.services import list_notifications, mark_read, notify, unread_count
from ideas.submissions.comments import post_comment
from ideas.submissions.models import IdeaCoauthor, IdeaMerge


def _notification_mail(db):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "notification")).all()


def _inbox(db, user):
    return db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                              .order_by(Notification.id)).all()


def test_no_consent_no_mail(db, make):
    user = make.user(notify_email=False)
    notify(user, "test", "Hello there", "/ideas/1-x")
    db.session.flush()
    assert len(_inbox(db, user)) == 1
    assert _notification_mail(db) == []


def test_consent_one_mail(db, make):
    user = make.user(notify_email=True, notify_frequency="instant")
    notify(user, "test", "Hello there", "/ideas/1-x")
    db.session.flush()
    [mail] = _notification_mail(db)
    assert mail.to_address == user.email
    assert "Hello there" in mail.subject and "http://localhost/ideas/1-x" in mail.body_text


def test_list_and_mark_read(db, make):
    user, other = make.user(), make.user()
    for i in range(25):
        notify(user, "test", f"N{i}")
    theirs = notify(other, "test", "Not yours")
    db.session.flush()
    page = list_notifications(user, 1)
    assert [n.text for n in page.items][:2] == ["N24", "N23"] and page.has_next
    assert len(list_notifications(user, 2).items) == 5
    with pytest.raises(NotFound):  # someone else's notification: as if it did not exist
        mark_read(user, [page.items[0].id, theirs.id])
    assert unread_count(user) == 25 and unread_count(other) == 1
    assert mark_read(user, [page.items[0].id]) == 1
    assert unread_count(user) == 24
    assert mark_read(user) == 24
    assert unread_count(user) == 0 and unread_count(other) == 1


def test_comment_posted_tells_idea_author_not_commenter(db, make):
    author = make.user(notify_email=True, notify_frequency="instant")
    idea = make.idea(make.challenge(), author)
    commenter = make.user(name="Jana")
    post_comment(commenter, idea, "Love it")
    [note] = _inbox(db, author)
    assert note.kind == "comment" and "Jana" in note.text
    assert note.link.startswith(f"/ideas/{idea.id}-{idea.slug}#comment-")
    assert _inbox(db, commenter) == []
    assert len(_notification_mail(db)) == 1


def test_status_change_tells_author_and_coauthors(db, make):
    author, coauthor, staff = make.user(), make.user(), make.user()
    idea = make.idea(make.challenge(), author)
    db.session.add(IdeaCoauthor(idea_id=idea.id, user_id=coauthor.id))
    db.session.flush()
    events.idea_status_changed.send(None, idea=idea, from_status="submitted", to_status="declined",
                                    reason="Too expensive to build.", actor=staff)
    for person in (author, coauthor):
        [note] = _inbox(db, person)
        assert "declined" in note.text and "Too expensive to build." in note.text
    assert _inbox(db, staff) == []
    events.idea_status_changed.send(None, idea=idea, from_status="declined", to_status="shortlisted",
                                    reason="", actor=staff)
    assert "shortlisted" in _inbox(db, author)[-1].text


def test_hidden_comment_and_idea_tell_the_author_why(db, make):
    author, commenter = make.user(), make.user()
    idea = make.idea(make.challenge(), author)
    comment = post_comment(commenter, idea, "Spam spam")
    events.comment_hidden.send(None, comment=comment, reason="Advertising")
    assert "Advertising" in _inbox(db, commenter)[-1].text
    events.idea_hidden.send(None, idea=idea, reason="Off topic")
    assert "Off topic" in _inbox(db, author)[-1].text


def test_merge_tells_source_authors_and_moved_voters(db, make):
    challenge = make.challenge()
    source_author, voter = make.user(), make.user()
    source = make.idea(challenge, source_author, title="Steam drum")
    target = make.idea(challenge, title="Hot wash")
    merge = IdeaMerge(source_id=source.id, target_id=target.id, source_prior_status="submitted")
    db.session.add(merge)
    db.session.flush()
    events.idea_merged.send(None, merge=merge, moved_voter_ids=[voter.id])
    assert "Hot wash" in _inbox(db, source_author)[-1].text
    [note] = _inbox(db, voter)
    assert note.kind == "vote_moved" and "take it back" in note.text
    assert note.link == f"/merges/{merge.id}/my-vote"  # where the voter can object


def test_text_is_rendered_in_the_recipients_locale(db, make, monkeypatch):
    used = []
    real = handlers.force_locale

    @contextlib.contextmanager
    def recording(locale):
        used.append(locale)
        with real(locale):
            yield

    monkeypatch.setattr(handlers, "force_locale", recording)
    czech = make.user(locale="cs")
    idea = make.idea(make.challenge(), czech)
    post_comment(make.user(locale="zh"), idea, "Hezký nápad")
    assert used == ["cs"]


def test_czech_catalog_is_used_when_present(app, db, make):
    root = Path(app.root_path).parent
    if not list(root.glob("**/translations/cs/LC_MESSAGES/messages.mo")):
        pytest.skip("no Czech catalog compiled yet")
    czech = make.user(locale="cs")
    idea = make.idea(make.challenge(), czech)
    post_comment(make.user(name="Jana"), idea, "Love it")
    [note] = _inbox(db, czech)
    from flask_babel import force_locale
    from flask_babel import gettext as _

    with force_locale("cs"):
        expected = _('%(name)s commented on your idea "%(title)s".', name="Jana", title=idea.title)
    assert note.text == expected


def test_mail_not_sent_for_unverified_noise(db, make):
    # Sanity: notify() for many members sends one mail each only to the consenting ones.
    yes, no = make.user(notify_email=True, notify_frequency="instant"), make.user()
    notify(yes, "t", "a")
    notify(no, "t", "b")
    db.session.flush()
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1
