"""Follows and the activity feed: following what one may see, the notices followers
get, the paginated feed through the visibility policies, and nobody told about what
they may not see (an invite-only challenge, a draft, a hidden idea, a hidden comment)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ideas.challenges import services as challenges
from ideas.core.errors import Invalid, NotFound
from ideas.notifications import feed, follows
from ideas.notifications.models import Follow, Notification
from ideas.submissions import comments, moderation
from ideas.submissions import services as ideas
from ideas.submissions.terms import accept_terms

TEXT = {"summary": "Clean the drum with steam after each wash.",
        "description": "A short steam burst kills bacteria left in the drum and the seal."}


def notices(db, user, kind=None):
    query = select(Notification).where(Notification.user_id == user.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return db.session.scalars(query.order_by(Notification.id)).all()


def submit(member, challenge, title="Steam cycle"):
    accept_terms(member, challenge)
    return ideas.submit_idea(member, challenge, title=title, **TEXT)


@pytest.fixture
def world(make):
    staff = make.user(name="Staff")
    company = make.company(staff=[staff], name="Lumora")
    return staff, company, make.challenge(company, title="Laundry")


def test_follow_and_unfollow_are_idempotent(db, make, world):
    _staff, company, challenge = world
    member = make.user()
    for _ in range(2):
        follows.follow(member, "challenge", challenge.id)
        follows.follow(member, "company", company.id)
    assert follows.following(member) == {"challenge": 1, "company": 1}
    assert follows.is_following(member, "challenge", challenge.id)
    follows.unfollow(member, "challenge", challenge.id)
    follows.unfollow(member, "challenge", challenge.id)
    assert not follows.is_following(member, "challenge", challenge.id)


@pytest.mark.parametrize(("kind", "what"), [("challenge", "invite"), ("challenge", "draft"), ("idea", "hidden"),
                                            ("member", "inactive"), ("member", "missing"), ("toy", "missing")])
def test_nobody_follows_what_they_may_not_see(db, make, world, kind, what):
    staff, company, _challenge = world
    member = make.user()
    if kind == "challenge":
        target = make.challenge(company, visibility="invite") if what == "invite" else make.challenge(company, phase="draft")
    elif kind == "idea":
        target = make.idea(author=make.user())
        moderation.hide_idea(make.user(admin=True), target, "Spam")
    elif what == "inactive":
        target = make.user(active=False)
    else:
        target = None
    with pytest.raises((NotFound, Invalid)):
        follows.follow(member, kind, target.id if target is not None else 987654)
    assert db.session.scalar(select(Follow)) is None


def test_one_cannot_follow_oneself(db, make):
    member = make.user()
    with pytest.raises(Invalid):
        follows.follow(member, "member", member.id)


def test_followers_hear_of_a_companys_new_challenge_only_when_they_may_see_it(db, make, world):
    staff, company, _challenge = world
    fan, invited = make.user(), make.user()
    for member in (fan, invited):
        follows.follow(member, "company", company.id)
    public = make.challenge(company, phase="draft", title="Quiet dryers")
    private = make.challenge(company, phase="draft", title="Secret fridge", visibility="invite")
    challenges.invite_member(staff, private, invited.email)
    assert notices(db, fan) == []  # drafts tell nobody
    challenges.publish(staff, public)
    challenges.publish(staff, private)
    assert [n.text for n in notices(db, fan, "followed_challenge")] == [
        'Lumora, which you follow, opened a new challenge: "Quiet dryers".']
    assert len(notices(db, invited, "followed_challenge")) == 2


def test_followers_of_an_idea_hear_of_comments_grouped_and_of_its_decision(db, make, world):
    staff, _company, challenge = world
    author, fan = make.user(), make.user()
    idea = submit(author, challenge)
    follows.follow(fan, "idea", idea.id)
    for name in ("Jana", "Petr"):
        comments.post_comment(make.user(name=name), idea, "Nice")
    [grouped] = notices(db, fan, "followed_comment")
    assert grouped.count == 2
    moderation.shortlist(staff, idea)
    [decided] = notices(db, fan, "followed_decision")
    assert "shortlisted" in decided.text
    assert notices(db, author, "followed_decision") == []  # the author hears it as the author


def test_a_hidden_idea_tells_its_followers_nothing_more(db, make, world):
    staff, _company, challenge = world
    author, fan = make.user(), make.user()
    idea = submit(author, challenge)
    follows.follow(fan, "idea", idea.id)
    moderation.hide_idea(staff, idea, "Off topic")
    comments.post_comment(author, idea, "But why?")
    assert notices(db, fan) == []
    assert feed.feed_page(fan).items == []


def test_the_feed_shows_what_one_follows_newest_first_a_page_at_a_time(db, make, world):
    staff, company, challenge = world
    reader, author, writer = make.user(), make.user(name="Jana"), make.user(name="Olga")
    follows.follow(reader, "challenge", challenge.id)
    follows.follow(reader, "member", writer.id)
    idea = submit(author, challenge, "Steam cycle")
    other = make.challenge(make.company(), title="Quiet trains")
    submit(writer, other, "Silent brakes")  # a followed member's idea elsewhere
    comments.post_comment(writer, idea, "Descale too?")
    moderation.shortlist(staff, idea)
    submit(make.user(), make.challenge(make.company()), "Unrelated")  # nothing followed: not shown
    page = feed.feed_page(reader)
    texts = [line.text for line in page.items]
    assert texts == [
        '"Steam cycle" by Jana is now shortlisted.',
        'Olga commented on "Steam cycle".',
        'Olga submitted "Silent brakes" to "Quiet trains".',
        'Jana submitted "Steam cycle" to "Laundry".',
    ]
    first = feed.feed_page(reader, per_page=3)
    assert first.has_next and len(first.items) == 3
    rest = feed.feed_page(reader, before=int(first.next_cursor), per_page=3)
    assert [line.text for line in rest.items] == texts[3:] and not rest.has_next


def test_the_feed_leaves_out_invite_only_challenges_and_hidden_comments(db, make, world):
    staff, company, _challenge = world
    reader, writer = make.user(), make.user(name="Olga")
    follows.follow(reader, "member", writer.id)
    private = make.challenge(company, visibility="invite", title="Secret fridge")
    db.session.add(challenges.ChallengeInvite(challenge_id=private.id, user_id=writer.id))
    db.session.flush()
    submit(writer, private, "Cold drawer")
    public = make.challenge(company, title="Open dryers")
    idea = submit(make.user(), public, "Lint trap")
    spam = comments.post_comment(writer, idea, "Cheap pills here")
    moderation.hide_comment(staff, spam, "Spam")
    assert feed.feed_page(reader).items == []
    # the invited writer's own followers who are invited see the private idea
    db.session.add(challenges.ChallengeInvite(challenge_id=private.id, user_id=reader.id))
    db.session.flush()
    assert [line.text for line in feed.feed_page(reader).items] == ['Olga submitted "Cold drawer" to "Secret fridge".']


def test_feed_over_http_and_the_follow_button(client, db, make, world):
    _staff, _company, challenge = world
    member = make.user()
    db.session.commit()
    client.login(member)
    page = f"/challenges/{challenge.id}-{challenge.slug}"
    assert "＋ Follow" in client.get(page).get_data(as_text=True)
    response = client.post(f"/follows/challenge/{challenge.id}", {"follow": "y", "next": page}, form_page=page)
    assert response.status_code == 303 and response.headers["Location"].endswith(page)
    assert "aria-pressed=\"true\"" in client.get(page).get_data(as_text=True)
    html = client.post(f"/follows/challenge/{challenge.id}", {}, form_page=page,
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "＋ Follow" in html and not follows.is_following(member, "challenge", challenge.id)
    assert client.get("/feed").status_code == 200
    private = make.challenge(visibility="invite")
    db.session.commit()
    assert client.post(f"/follows/challenge/{private.id}", {"follow": "y"}, form_page=page).status_code == 404
    assert client.post("/follows/toy/1", {"follow": "y"}, form_page=page).status_code == 404


def test_the_feed_needs_a_login(client):
    response = client.get("/feed")
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]


def test_the_feed_page_costs_the_same_queries_at_any_size(client, db, make, world):
    _staff, _company, challenge = world
    reader = make.user()
    follows.follow(reader, "challenge", challenge.id)
    submit(make.user(), challenge, "First")
    db.session.commit()
    client.login(reader)

    def queries():
        client.get("/feed")
        db.session.commit()
        return int(client.get("/feed").headers["X-SQL-Queries"])

    small = queries()
    for n in range(30):
        idea = submit(make.user(), challenge, f"Idea {n}")
        comments.post_comment(make.user(), idea, "Hello")
    db.session.commit()
    assert queries() == small
