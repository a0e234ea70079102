"""Notification mail: consent per topic, at once or in the daily (default) or weekly
digest, alike notices grouped, one-click signed unsubscribe with the RFC 8058 headers;
delivered after the commit through the outbox to a real SMTP server on loopback."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from ideas.core.db import utcnow
from ideas.core.mail import OutboxMessage, deliver_pending
from ideas.notifications import kinds, mailing
from ideas.notifications.models import Notification, NotificationPreference
from ideas.notifications.services import (
    list_notifications,
    notice_text,
    notify,
    set_preferences,
    unread_count,
)
from ideas.submissions import moderation
from ideas.submissions.comments import post_comment
from ideas.submissions.votes import cast_vote


def idea_link(idea) -> str:
    return f"/ideas/{idea.id}-{idea.slug}"


def mails(db):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "notification")
                              .order_by(OutboxMessage.id)).all()


# -- which mail, when --------------------------------------------------------------------

@pytest.mark.parametrize(("consent", "frequency", "state", "mailed_now"), [
    (False, None, "none", False),
    (True, None, "daily", False),  # the daily digest is the default
    (True, "instant", "instant", True),
    (True, "weekly", "weekly", False),
    (True, "off", "none", False),
])
def test_mail_per_topic_with_consent(db, make, consent, frequency, state, mailed_now):
    user = make.user(notify_email=consent)
    idea = make.idea(author=user)
    if frequency:
        set_preferences(user, consent, {"decisions": frequency})
    note = notify(user, "idea_shortlisted", "Your idea is on the shortlist.", idea_link(idea))
    db.session.flush()
    assert note.mail_state == state
    assert len(mails(db)) == (1 if mailed_now else 0)


def test_in_app_only_kinds_are_never_mailed(db, make):
    user = make.user(notify_email=True, notify_frequency="instant")
    notify(user, "security", "Many failed logins.")
    notify(user, "upvotes", "Steam cycle")
    db.session.flush()
    assert mails(db) == []


def test_each_topic_has_its_own_frequency(db, make):
    user = make.user(notify_email=True)
    set_preferences(user, True, {"replies": "instant", "decisions": "weekly", "expert": "off"})
    assert kinds.topic_of("mention") == "replies" and kinds.topic_of("judging_invited") == "invitations"
    notify(user, "mention", "Jana mentioned you.")
    notify(user, "idea_declined", "Declined.")
    notify(user, "expert_granted", "You are an expert now.")
    notify(user, "judging_invited", "Judge the laundry challenge?")  # no choice made: the default, daily
    db.session.flush()
    states = dict(db.session.execute(select(Notification.kind, Notification.mail_state)).all())
    assert states == {"mention": "instant", "idea_declined": "weekly", "expert_granted": "none",
                      "judging_invited": "daily"}
    assert len(mails(db)) == 1


def test_bad_preferences_name_the_field_and_save_nothing(db, make):
    from ideas.core.errors import Invalid

    user = make.user(notify_email=False)
    with pytest.raises(Invalid) as error:
        set_preferences(user, True, {"replies": "hourly"})
    assert error.value.field == "topic_replies"
    assert user.notify_email is False and db.session.scalar(select(NotificationPreference)) is None


def test_notices_and_their_mail_live_and_die_with_the_transaction_that_caused_them(db, make):
    author = make.user(notify_email=True, notify_frequency="instant")
    idea = make.idea(author=author)
    db.session.commit()
    post_comment(make.user(name="Jana"), idea, "Nice idea")
    assert len(mails(db)) == 1 and unread_count(author) == 1
    db.session.rollback()  # the comment did not happen: nobody is told, nothing is mailed
    assert mails(db) == [] and unread_count(author) == 0


# -- grouping ---------------------------------------------------------------------------

def test_alike_notices_are_grouped_until_read(db, make):
    author = make.user(notify_email=True, notify_frequency="instant")
    idea = make.idea(author=author)
    for name in ("Jana", "Petr", "Olga"):
        post_comment(make.user(name=name), idea, "Nice idea")
    [note] = db.session.scalars(select(Notification).where(Notification.user_id == author.id)).all()
    assert note.count == 3 and "Olga" in note.text
    assert notice_text(note.kind, note.text, note.count).endswith("(and 2 more like it)")
    assert len(mails(db)) == 1  # one mail for the group, not one per comment
    assert unread_count(author) == 1
    note.read_at = utcnow()
    db.session.flush()
    post_comment(make.user(name="Ivan"), idea, "Me too")
    assert unread_count(author) == 1 and len(list_notifications(author).items) == 2


def test_new_up_votes_are_one_notice_with_a_count(db, make):
    author = make.user()
    idea = make.idea(author=author, title="Steam cycle")
    voters = [make.user() for _ in range(12)]
    for voter in voters:
        cast_vote(voter, idea, 1)
    cast_vote(voters[0], idea, 0)
    cast_vote(voters[0], idea, 1)  # given again: counted again, still one notice
    cast_vote(make.user(), idea, -1)  # a down-vote tells nobody
    [note] = db.session.scalars(select(Notification).where(Notification.user_id == author.id)).all()
    assert note.kind == "upvotes" and note.count == 13
    assert notice_text(note.kind, note.text, note.count) == '13 new up-votes on your idea "Steam cycle"'


# -- delivery through a real SMTP server ----------------------------------------------------

def test_instant_mail_arrives_with_one_click_unsubscribe(client, db, make, smtp):
    user = make.user(notify_email=True, notify_frequency="instant", email="jana@example.org")
    idea = make.idea(author=user)
    notify(user, "idea_shortlisted", "Your idea is on the shortlist.", idea_link(idea))
    db.session.commit()
    assert deliver_pending(client.application.config).sent == 1
    [message] = smtp.to("jana@example.org")
    assert "Your idea is on the shortlist." in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<(.+)>", message["List-Unsubscribe"]).group(1)
    body = message.get_body(("plain",)).get_content()
    assert url in body and f"http://localhost{idea_link(idea)}" in body
    path = url.removeprefix("http://localhost")
    # a mail client's one-click POST, without a session or a CSRF token
    response = client.client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    pref = db.session.get(NotificationPreference, (user.id, "decisions"))
    assert pref is not None and pref.frequency == "off"
    notify(user, "idea_winner", "Your idea won.", idea_link(idea))
    db.session.commit()
    assert len(mails(db)) == 1  # unsubscribed from decisions: no second mail


def test_the_unsubscribe_page_asks_before_it_acts(client, db, make):
    user = make.user(notify_email=True)
    token = mailing.unsubscribe_token(user, "all")
    db.session.commit()
    page = client.get(f"/notifications/unsubscribe/{token}")
    assert page.status_code == 200 and "Stop all notification mail" in page.get_data(as_text=True)
    db.session.refresh(user)
    assert user.notify_email is True  # a link scanner's GET changes nothing
    done = client.client.post(f"/notifications/unsubscribe/{token}")
    assert done.status_code == 200 and "You are unsubscribed" in done.get_data(as_text=True)
    db.session.refresh(user)
    assert user.notify_email is False


@pytest.mark.parametrize("token", ["forged", "eyJ1aWQiOjF9.bad"])
def test_a_forged_unsubscribe_link_is_not_found(client, token):
    assert client.get(f"/notifications/unsubscribe/{token}").status_code == 404
    assert client.client.post(f"/notifications/unsubscribe/{token}").status_code == 404


def test_an_unsubscribe_link_stops_working_when_the_address_changes(db, make):
    user = make.user(notify_email=True)
    token = mailing.unsubscribe_token(user, "replies")
    user.email = "new@example.org"
    assert mailing.read_unsubscribe_token(token) is None


def test_daily_digest_grouped_by_challenge_most_important_first(app, db, make, smtp):
    czech = make.user(notify_email=True, locale="cs", email="jana@example.org")
    make.user(notify_email=True, email="quiet@example.org")  # nothing waits for them
    laundry = make.challenge(title="Laundry without bacteria")
    trains = make.challenge(title="Quiet trains")
    a, b = make.idea(laundry, czech), make.idea(trains, czech)
    old = utcnow() - timedelta(hours=3)
    notify(czech, "comment", "Petr commented on your laundry idea.", idea_link(a), now=old)
    notify(czech, "idea_shortlisted", "Your laundry idea is on the shortlist.", idea_link(a))
    notify(czech, "comment", "Olga commented on your train idea.", idea_link(b))
    notify(czech, "expert_granted", "You are now an expert.", f"/members/{czech.username}")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert result.exit_code == 0 and "1 mail(s) queued with 4 notice(s)" in result.output
    assert deliver_pending(app.config).sent == 1
    [message] = smtp.to("jana@example.org")
    assert smtp.to("quiet@example.org") == []  # nothing new: no mail
    # in the recipient's language, with Czech's plural ("4 nová upozornění")
    assert message["Subject"] == "Ideas Commons: Váš denní souhrn, 4 nová upozornění"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    order = [text.index(s) for s in ("Laundry without bacteria", "on the shortlist", "Petr commented",
                                      "Quiet trains", "Olga commented")]
    assert order == sorted(order), text
    # the most important item of all leads its group, and the member's-page item its own
    assert text.index("You are now an expert") < text.index("Quiet trains")
    html = message.get_body(("html",)).get_content()
    assert '<html lang="cs">' in html  # rendered in the member's language
    # sent once: a second run finds nothing new
    result = app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert "0 mail(s) queued" in result.output


def test_weekly_and_daily_digests_are_separate_streams(app, db, make):
    user = make.user(notify_email=True)
    set_preferences(user, True, {"replies": "weekly"})
    idea = make.idea(author=user)
    notify(user, "mention", "You were mentioned.", idea_link(idea))
    notify(user, "idea_declined", "Declined.", idea_link(idea))
    db.session.commit()
    daily = mailing.digest("daily")
    assert (daily.members, daily.notices) == (1, 1)
    weekly = mailing.digest("weekly")
    assert (weekly.members, weekly.notices) == (1, 1)
    assert mailing.digest("weekly").members == 0


def test_a_digest_forgets_what_was_switched_off_or_withdrawn_meanwhile(db, make):
    user, other = make.user(notify_email=True), make.user(notify_email=True)
    idea = make.idea(author=user)
    notify(user, "mention", "You were mentioned.", idea_link(idea))
    notify(other, "mention", "You were mentioned too.", idea_link(idea))
    set_preferences(user, True, {"replies": "off"})
    other.notify_email = False
    report = mailing.digest("daily")
    assert (report.members, report.dropped) == (0, 2)


# -- nobody is told about what they may not see ------------------------------------------------

def test_a_notice_about_an_idea_hidden_since_is_neither_shown_nor_mailed(db, make):
    staff = make.user()
    challenge = make.challenge(make.company(staff=[staff]))
    author, follower = make.user(), make.user(notify_email=True)
    idea = make.idea(challenge, author)
    notify(follower, "followed_comment", "Someone commented on an idea you follow.", idea_link(idea))
    db.session.flush()
    assert unread_count(follower) == 1
    moderation.hide_idea(staff, idea, "Advertising")
    assert unread_count(follower) == 0 and list_notifications(follower).items == []
    report = mailing.digest("daily")
    assert (report.members, report.dropped) == (0, 1)
    # the author still sees their idea, and so the notice that it was hidden
    [note] = list_notifications(author).items
    assert note.kind == "idea_hidden" and unread_count(author) == 1


def test_a_notice_about_an_invite_only_challenge_reaches_only_who_may_see_it(db, make):
    staff = make.user()
    challenge = make.challenge(make.company(staff=[staff]), visibility="invite")
    outsider = make.user(notify_email=True, notify_frequency="instant")
    notify(outsider, "followed_challenge", "A new challenge.", f"/challenges/{challenge.id}-{challenge.slug}")
    db.session.flush()
    assert unread_count(outsider) == 0 and list_notifications(outsider).items == []
    assert mailing.digest("daily").notices == 0


def test_judging_scores_before_publication_tell_the_authors_nothing(db, make):
    from ideas.judging import services as judging

    staff, judge, author = make.user(), make.user(), make.user()
    challenge = make.challenge(make.company(staff=[staff]), phase="review")
    idea = make.idea(challenge, author, status="shortlisted")
    invitation = judging.invite_judge(staff, challenge, judge.username)
    judging.respond_to_invitation(judge, invitation, accept=True)
    judging.set_rubric(staff, challenge, [{"title": "Hygiene", "weight": "1", "scale_low": 1, "scale_high": 5}])
    judging.assign_shortlist(staff, challenge, "all")
    [criterion] = judging.rubric(challenge)
    judging.submit_scorecard(judge, idea, {criterion.id: 2}, comment_for_author="Too costly.")
    assert db.session.scalars(select(Notification).where(Notification.user_id == author.id)).all() == []
