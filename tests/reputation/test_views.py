"""Reputation through HTTP: leaderboards (periods, per challenge, private ones private,
the same SQL at any size), the profile's level, badges and points (private ones only
to who may see them), the expert badge beside names, crowd and experts side by side on
the idea page, helpful comments, and who may grant or revoke expert status."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from ideas.core.db import utcnow
from ideas.reputation import experts, ledger
from ideas.reputation.models import ExpertStatus, PointEntry
from ideas.submissions import comments, moderation
from ideas.submissions import services as ideas
from ideas.submissions.models import Comment
from ideas.submissions.terms import accept_terms
from ideas.submissions.votes import cast_vote

TEXT = {"summary": "Clean the drum with steam after each wash.",
        "description": "A short steam burst kills bacteria left in the drum and the seal."}


def submit(member, challenge, title="Steam cycle"):
    accept_terms(member, challenge)
    return ideas.submit_idea(member, challenge, title=title, **TEXT)


def award(user, points, *, challenge=None, at=None, thing=None):
    ledger.award(ledger.Due(user.id, "idea_winner", thing or f"test:{user.id}:{points}:{at}", points, at,
                            challenge.category if challenge else None, challenge.id if challenge else None))


@pytest.fixture
def world(make):
    staff = make.user(name="Staff")
    company = make.company(staff=[staff])
    return staff, make.challenge(company, category="home", title="Laundry")


def test_leaderboard_by_period(client, db, make, world):
    _staff, challenge = world
    old, new = make.user(name="Old Timer"), make.user(name="Newcomer Nina")
    award(old, 100, challenge=challenge, at=utcnow() - timedelta(days=60))
    award(new, 20, challenge=challenge)
    db.session.commit()
    html = client.get("/leaderboard?period=all").get_data(as_text=True)
    assert html.index("Old Timer") < html.index("Newcomer Nina") and "100 points" in html
    week = client.get("/leaderboard?period=week").get_data(as_text=True)
    assert "Newcomer Nina" in week and "Old Timer" not in week
    assert client.get("/leaderboard?period=bogus").status_code == 200


def test_a_challenges_leaderboard_counts_its_points_only_and_stays_private(client, db, make, world):
    staff, challenge = world
    here, elsewhere = make.user(name="Here Hana"), make.user(name="Elsewhere Ed")
    award(here, 30, challenge=challenge)
    award(elsewhere, 90, challenge=make.challenge(category="mobility"))
    private = make.challenge(visibility="invite")
    db.session.commit()
    url = f"/challenges/{challenge.id}-{challenge.slug}/leaderboard?period=all"
    html = client.get(url).get_data(as_text=True)
    assert "Here Hana" in html and "Elsewhere Ed" not in html
    assert client.get(f"/challenges/{private.id}-{private.slug}/leaderboard").status_code == 404
    moved = client.get(f"/challenges/{challenge.id}-wrong/leaderboard")
    assert moved.status_code == 301


def test_leaderboards_issue_the_same_queries_at_any_size(app, client, db, make, world):
    _staff, challenge = world
    award(make.user(), 5, challenge=challenge)
    db.session.commit()

    def queries(url):
        from ideas.extensions import cache

        cache.clear()  # measure the computation, not the cache
        client.get(url)
        db.session.commit()
        cache.clear()
        return int(client.get(url).headers["X-SQL-Queries"])

    urls = ["/leaderboard?period=all", "/leaderboard?period=week",
            f"/challenges/{challenge.id}-{challenge.slug}/leaderboard?period=month"]
    small = [queries(u) for u in urls]
    for n in range(60):
        award(make.user(), n + 1, challenge=challenge, thing=f"bulk:{n}")
    db.session.commit()
    assert [queries(u) for u in urls] == small


def test_profile_shows_level_next_step_badges_and_points(client, db, make, world):
    staff, challenge = world
    member = make.user(name="Jana")
    idea = submit(member, challenge)
    cast_vote(make.user(), idea, 1)
    moderation.shortlist(staff, idea)
    db.session.commit()
    html = client.get(f"/members/{member.username}").get_data(as_text=True)
    assert "Newcomer" in html and "16 points" in html
    assert "Next: Contributor — needs 4 more points." in html
    assert "First idea" in html and "First shortlist" in html
    assert "Idea shortlisted" in html and "+10" in html


def test_private_points_are_shown_only_to_who_may_see_them(client, db, make, world):
    staff, _challenge = world
    member, insider, outsider = make.user(name="Jana"), make.user(), make.user()
    private = make.challenge(visibility="invite", title="Secret fridge")
    from ideas.challenges.models import ChallengeInvite

    for person in (member, insider):
        db.session.add(ChallengeInvite(challenge_id=private.id, user_id=person.id))
    db.session.flush()
    submit(member, private, "Cold drawer")
    db.session.commit()
    profile = f"/members/{member.username}"
    assert "Cold drawer" not in client.get(profile).get_data(as_text=True)  # a visitor
    client.login(outsider)
    assert "Cold drawer" not in client.get(profile).get_data(as_text=True)
    client.logout()
    client.login(insider)
    assert "Cold drawer" in client.get(profile).get_data(as_text=True)


def test_the_expert_badge_shows_beside_the_name_everywhere(client, db, make, world):
    staff, challenge = world
    expert = make.user(name="Eva Expert")
    idea = submit(expert, challenge, "Steam cycle")
    other = submit(make.user(), challenge, "Cold rinse")
    comments.post_comment(expert, other, "Try a lower spin speed.")
    experts.grant(staff, expert, "home", "Twenty years designing washing machines.")
    db.session.commit()
    badge = 'class="badge rounded-pill expert-badge ms-1" title="Expert in Home appliances"'
    pages = [f"/challenges/{challenge.id}-{challenge.slug}/ideas", f"/ideas/{idea.id}-{idea.slug}",
             f"/ideas/{other.id}-{other.slug}", f"/members/{expert.username}", "/leaderboard?period=all", "/experts"]
    for page in pages:
        assert badge in client.get(page).get_data(as_text=True), page
    experts.revoke(staff, expert, "home", "Promoted a competitor in comments.")
    db.session.commit()
    # the list rows are memoized by their values, the badge among them: no stale badge
    assert badge not in client.get(f"/challenges/{challenge.id}-{challenge.slug}/ideas").get_data(as_text=True)


def test_the_idea_page_shows_crowd_and_experts_side_by_side(client, db, make, world):
    staff, challenge = world
    idea = submit(make.user(), challenge)
    pro, con = make.user(), make.user()
    for e in (pro, con):
        experts.grant(staff, e, "home", "Known appliance engineer.")
    cast_vote(pro, idea, 1)
    cast_vote(con, idea, -1)
    for _ in range(3):
        cast_vote(make.user(), idea, 1)
    db.session.commit()
    from ideas.reputation.services import idea_votes

    votes = idea_votes(idea)
    assert votes["crowd"]["up"] == 3 and votes["crowd"]["down"] == 0 and votes["crowd"]["share"] == 100
    assert votes["experts"]["up"] == 1 and votes["experts"]["down"] == 1 and votes["experts"]["share"] == 50
    html = client.get(f"/ideas/{idea.id}-{idea.slug}").get_data(as_text=True)
    assert "Crowd and experts" in html and "2 members are experts in Home appliances" in html


def test_marking_a_comment_helpful_over_http(client, db, make, world):
    _staff, challenge = world
    author, commenter, bystander = make.user(), make.user(), make.user()
    idea = submit(author, challenge)
    comment = comments.post_comment(commenter, idea, "Descale the heater too?")
    db.session.commit()
    page = f"/ideas/{idea.id}-{idea.slug}"
    client.login(bystander)
    assert "Mark helpful" not in client.get(page).get_data(as_text=True)
    assert client.post(f"/comments/{comment.id}/helpful", {"helpful": "y"}, form_page=page).status_code == 403
    client.logout()
    client.login(author)
    assert "Mark helpful" in client.get(page).get_data(as_text=True)
    response = client.post(f"/comments/{comment.id}/helpful", {"helpful": "y"}, form_page=page)
    assert response.status_code == 303
    assert db.session.get(Comment, comment.id).helpful_at is not None
    assert "comment-helpful\">" in client.get(page).get_data(as_text=True)
    points = db.session.scalar(select(PointEntry.points).where(PointEntry.user_id == commenter.id))
    assert points == 3


@pytest.mark.parametrize(("role", "status", "granted"), [
    ("visitor", 302, False), ("member", 403, False), ("self", 403, False), ("other_staff", 403, False),
    ("staff", 303, True), ("admin", 303, True),
])
def test_who_may_grant_expert_status_over_http(client, db, make, world, role, status, granted):
    staff, _challenge = world
    member = make.user(name="Candidate")
    other_staff = make.user()
    make.challenge(make.company(staff=[other_staff]), category="mobility")
    actor = {"member": make.user(), "self": member, "other_staff": other_staff, "staff": staff,
             "admin": make.user(admin=True)}.get(role)
    db.session.commit()
    profile = f"/members/{member.username}"
    if actor is not None:
        client.login(actor)
    data = {"action": "grant", "category": "home", "reason": "Known appliance engineer."}
    if role == "visitor":
        response = client.post(f"{profile}/expert-status", data, form_page="/login")
    else:
        response = client.post(f"{profile}/expert-status", data, form_page="/")
    assert response.status_code == status
    assert (db.session.scalar(select(ExpertStatus.held).where(ExpertStatus.user_id == member.id)) or False) is granted
    html = client.get(profile).get_data(as_text=True)
    # the form shows to whoever may change status in some category (other staff: mobility only)
    assert ('id="expert-category"' in html) is (role in ("other_staff", "staff", "admin"))


def test_a_bad_reason_is_refused_with_a_message_and_nothing_saved(client, db, make, world):
    staff, _challenge = world
    member = make.user()
    db.session.commit()
    client.login(staff)
    profile = f"/members/{member.username}"
    response = client.post(f"{profile}/expert-status", {"action": "grant", "category": "home", "reason": "short"},
                           form_page=profile, follow_redirects=True)
    assert "at least 10 characters" in response.get_data(as_text=True), response.get_data(as_text=True)[-3000:]
    assert db.session.scalar(select(ExpertStatus)) is None


def test_a_promoters_progress_is_their_best_categorys_way_to_expert_status(db, make, world):
    from ideas.reputation import services

    _staff, challenge = world
    member = make.user()
    award(member, 45, challenge=challenge)  # 45 of the 60 points in home appliances
    award(member, 40, challenge=make.challenge(category="mobility"))
    standing = services.standing(None, member)
    assert standing["level"].code == "promoter" and standing["next_level"].code == "expert"
    assert standing["progress"] == 75
    assert standing["needs"] == ["15 more points in Home appliances", "an idea shortlisted in Home appliances"]
