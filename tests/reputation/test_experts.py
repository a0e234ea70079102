"""Expert status per category: earned from outcomes by the rules, granted at once with
an event, lapsing when the record no longer meets them (the daily review, or content
hidden by moderators), and granted or revoked by staff with a reason in the history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from ideas.core import events
from ideas.core.db import utcnow
from ideas.core.errors import Invalid, NotAllowed
from ideas.reputation import experts, ledger
from ideas.reputation.models import ExpertStatus, ExpertStatusChange
from ideas.submissions import comments, moderation
from ideas.submissions import services as ideas
from ideas.submissions.terms import accept_terms
from ideas.submissions.votes import cast_vote

TEXT = {"summary": "Clean the drum with steam after each wash.",
        "description": "A short steam burst kills bacteria left in the drum and the seal."}


def submit(member, challenge, title):
    accept_terms(member, challenge)
    return ideas.submit_idea(member, challenge, title=title, **TEXT)


@pytest.fixture
def announced():
    seen = []

    def record(_sender, **kw):
        seen.append((kw["user_id"], kw["category"], kw["action"]))

    events.expert_status_changed.connect(record, weak=False)
    yield seen
    events.expert_status_changed.disconnect(record)


@pytest.fixture
def home(make):
    staff = make.user(name="Home staff")
    company = make.company(staff=[staff])
    return staff, make.challenge(company, category="home")


def held(db, user, category="home"):
    return db.session.scalar(select(ExpertStatus.held).where(
        ExpertStatus.user_id == user.id, ExpertStatus.category == category)) or False


def make_expert(staff, challenge, member):
    """Submitted (5), shortlisted (10), selected (20), winner (50): 85 points and an outcome."""
    idea = submit(member, challenge, "Steam cycle")
    moderation.shortlist(staff, idea)
    moderation.decide(staff, idea, "selected", "Into the focus group.")
    moderation.decide(staff, idea, "winner", "The best of the challenge.")
    return idea


def test_a_member_reaches_expert_status_by_the_rules(db, make, home, announced):
    staff, challenge = home
    member = make.user()
    idea = submit(member, challenge, "Steam cycle")
    moderation.shortlist(staff, idea)  # 15 points and an outcome: not yet
    assert not held(db, member)
    record = experts.category_record(member.id, "home")
    assert (record.points, record.outcomes, record.hidden_recently) == (15, 1, 0)
    moderation.decide(staff, idea, "selected", "Into the focus group.")  # 35
    assert not held(db, member)
    moderation.decide(staff, idea, "winner", "The best of the challenge.")  # 85: granted at once
    assert held(db, member)
    assert announced == [(member.id, "home", "granted")]
    change = db.session.scalar(select(ExpertStatusChange))
    assert change.actor_id is None and "85 points" in change.reason
    db.session.commit()
    assert experts.expert_categories(member.id) == ("home",)
    assert not held(db, member, "mobility")


def test_many_up_votes_alone_make_no_expert(db, make, home):
    """Outcomes, not activity alone: without a shortlisted idea there, no status."""
    _staff, challenge = home
    member = make.user()
    idea = submit(member, challenge, "Steam cycle")
    for _ in range(60):
        cast_vote(make.user(), idea, 1)
    experts.review_all()
    assert experts.category_record(member.id, "home").points == 65
    assert not held(db, member)


def test_points_in_another_category_do_not_count(db, make, home):
    staff, challenge = home
    mobility = make.challenge(make.company(staff=[staff]), category="mobility")
    member = make.user()
    make_expert(staff, mobility, member)
    idea = submit(member, challenge, "Steam cycle")
    moderation.shortlist(staff, idea)
    assert held(db, member, "mobility") and not held(db, member, "home")


def test_hidden_content_ends_the_status_at_once_and_blocks_it_for_90_days(db, make, home, announced):
    staff, challenge = home
    member, other = make.user(), make.user()
    make_expert(staff, challenge, member)
    idea = submit(other, challenge, "Cold rinse")
    spam = comments.post_comment(member, idea, "Buy cheap detergent at example.org")
    moderation.hide_comment(staff, spam, "Advertising")
    assert not held(db, member)
    assert announced[-1] == (member.id, "home", "lapsed")
    assert experts.review_all()["grant"] == 0
    # 91 days later the record is clean again: the daily review grants it back
    later = utcnow() + timedelta(days=91)
    counts = experts.review_all(now=later)
    assert counts["grant"] == 1 and held(db, member)


def test_the_daily_review_lapses_status_whose_points_are_older_than_24_months(db, make, home):
    staff, challenge = home
    member = make.user()
    make_expert(staff, challenge, member)
    assert experts.review_all()["keep"] >= 1 and held(db, member)
    counts = experts.review_all(now=utcnow() + timedelta(days=731))
    assert counts["lapse"] == 1 and not held(db, member)
    [lapse] = db.session.scalars(select(ExpertStatusChange).where(ExpertStatusChange.action == "lapsed")).all()
    assert "points_in_category" in lapse.reason


def test_the_review_command(app, db, make, home):
    staff, challenge = home
    member = make.user()
    idea = submit(member, challenge, "Steam cycle")
    moderation.shortlist(staff, idea)
    db.session.commit()
    ledger.award(ledger.Due(member.id, "idea_winner", "idea:424242", 60, None, "home", challenge.id, idea.id))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["reputation", "review"])
    assert result.exit_code == 0 and "1 granted, 0 lapsed" in result.output
    assert held(db, member)


def test_staff_grant_and_revoke_with_reasons_kept_in_the_history(db, make, home, announced):
    staff, challenge = home
    member = make.user()
    experts.grant(staff, member, "home", "Twenty years designing washing machines.")
    assert held(db, member)
    experts.review_all()  # the rules would not grant it; staff's word stands
    assert held(db, member)
    experts.revoke(staff, member, "home", "Promoted a competitor's product in comments.")
    assert not held(db, member)
    make_expert(staff, challenge, member)  # the rules would grant it now; the revocation stands
    experts.review_all()
    assert not held(db, member)
    history = experts.history(member.id)
    assert [(h.action, h.actor_id) for h in history] == [("revoked", staff.id), ("granted", staff.id)]
    assert history[0].reason == "Promoted a competitor's product in comments."
    assert [a for _u, _c, a in announced] == ["granted", "revoked"]


@pytest.mark.parametrize(("who", "allowed"), [("visitor", False), ("member", False), ("other_staff", False),
                                              ("staff", True), ("admin", True)])
def test_who_may_change_expert_status(db, make, home, who, allowed):
    from flask_login import AnonymousUserMixin

    staff, _challenge = home
    other_staff = make.user()
    make.challenge(make.company(staff=[other_staff]), category="mobility")
    actor = {"visitor": AnonymousUserMixin(), "member": make.user(), "other_staff": other_staff,
             "staff": staff, "admin": make.user(admin=True)}[who]
    member = make.user()
    if allowed:
        experts.grant(actor, member, "home", "A well-known appliance engineer.")
        assert held(db, member)
    else:
        with pytest.raises(NotAllowed):
            experts.grant(actor, member, "home", "A well-known appliance engineer.")
        assert db.session.scalar(select(ExpertStatusChange)) is None


@pytest.mark.parametrize(("category", "reason", "field"), [
    ("toys", "A well-known appliance engineer.", "category"),
    ("home", "short", "reason"),
    ("home", "", "reason"),
    ("home", "x" * 1001, "reason"),
])
def test_bad_staff_input_names_the_field_and_saves_nothing(db, make, home, category, reason, field):
    staff, _challenge = home
    member = make.user(admin=False)
    with pytest.raises(Invalid) as error:
        experts.grant(make.user(admin=True), member, category, reason)
    assert error.value.field == field
    assert db.session.scalar(select(ExpertStatus)) is None


def test_revoking_what_is_not_held_is_refused(db, make, home):
    staff, _challenge = home
    with pytest.raises(Invalid):
        experts.revoke(staff, make.user(), "home", "Never was an expert here.")


def test_experts_of_a_category_strongest_first_with_why(db, make, home):
    staff, challenge = home
    strong, weak, outsider = make.user(name="Strong"), make.user(name="Weak"), make.user()
    make_expert(staff, challenge, strong)
    cast_vote(make.user(), db.session.scalars(select(ideas.Idea).where(ideas.Idea.author_id == strong.id)).one(), 1)
    experts.grant(staff, weak, "home", "Known from the repair-café community.")
    db.session.commit()
    found = experts.experts_in_category("home", 5)
    assert [u for u, _why in found] == [strong.id, weak.id]
    assert "86 points" in found[0][1] and "Home appliances" in found[0][1]
    assert experts.experts_in_category("home", 1) == found[:1]
    assert experts.experts_in_category("mobility", 5) == []
    assert outsider.id not in dict(found)


def test_the_expert_map_is_cached_and_forgotten_after_a_commit(app, db, make, home):
    staff, _challenge = home
    member = make.user()
    db.session.commit()
    assert experts.expert_categories(member.id) == ()
    experts.grant(staff, member, "home", "A well-known appliance engineer.")
    db.session.commit()
    assert experts.expert_categories(member.id) == ("home",)
    badge = str(experts.member_badges(member.id))
    assert "Expert" in badge and "Home appliances" in badge
    assert str(experts.member_badges(staff.id)) == ""
