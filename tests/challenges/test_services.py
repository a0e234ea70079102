"""Challenge services: staff-only creation, the phase table, scheduling, visibility."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from ideas.challenges import services
from ideas.challenges.models import Challenge, PhasePlan, PhaseTransition
from ideas.core.errors import Invalid, InvalidTransition, NotAllowed
from ideas.core.events import challenge_phase_changed


def data(**kw):
    kw.setdefault("title", "Quieter washing machines")
    kw.setdefault("summary", "How might we halve the noise of a spin cycle?")
    kw.setdefault("problem", "Spin cycles wake the **neighbours**.")
    kw.setdefault("category", "home")
    return services.ChallengeData(**kw)


def test_create_needs_staff(db, make):
    boss, stranger = make.user(), make.user()
    company = make.company(owner=boss)
    with pytest.raises(NotAllowed):
        services.create_challenge(stranger, company, data())
    challenge = services.create_challenge(boss, company, data(reward_amount=Decimal("500")))
    assert challenge.phase == "draft" and challenge.slug == "quieter-washing-machines"
    assert challenge.created_by_id == boss.id


@pytest.mark.parametrize(("kw", "field"), [
    ({"title": "  "}, "title"),
    ({"category": "weapons"}, "category"),
    ({"reward_amount": Decimal("-1")}, "reward_amount"),
    ({"vote_budget": 0}, "vote_budget"),
    ({"visibility": "secret"}, "visibility"),
])
def test_create_refuses_bad_input(db, make, kw, field):
    boss = make.user()
    company = make.company(owner=boss)
    with pytest.raises(Invalid) as exc:
        services.create_challenge(boss, company, data(**kw))
    assert exc.value.field == field


def test_criteria_bounds(db, make):
    boss = make.user()
    challenge = make.challenge(make.company(owner=boss), phase="draft")
    with pytest.raises(Invalid):
        services.set_criteria(boss, challenge, [])
    with pytest.raises(Invalid):
        services.set_criteria(boss, challenge, ["ok"])
    with pytest.raises(Invalid):
        services.set_criteria(boss, challenge, [f"criterion {i}" for i in range(11)])
    services.set_criteria(boss, challenge, ["Below 40 dB", "Costs under 20 EUR"])
    assert [c.text for c in challenge.criteria] == ["Below 40 dB", "Costs under 20 EUR"]


def test_phase_plans_must_increase(db, make):
    boss = make.user()
    challenge = make.challenge(make.company(owner=boss), phase="draft")
    d = datetime(2030, 1, 1)
    with pytest.raises(Invalid) as exc:
        services.set_phase_plans(boss, challenge, {"submission": (d, d - timedelta(days=1))})
    assert exc.value.field == "submission_ends"
    with pytest.raises(Invalid) as exc:
        services.set_phase_plans(boss, challenge, {"submission": (d, d + timedelta(days=10)),
                                                   "voting": (d + timedelta(days=5), None)})
    assert exc.value.field == "voting_starts"
    services.set_phase_plans(boss, challenge, {"submission": (d, d + timedelta(days=10)),
                                               "voting": (d + timedelta(days=10), d + timedelta(days=20))})
    assert [p.phase for p in challenge.phase_plans] == ["submission", "voting"]


def test_terms_edit_bumps_version(db, make):
    boss = make.user()
    challenge = make.challenge(make.company(owner=boss), terms="CC BY")
    services.update_challenge(boss, challenge, data(terms="CC BY"))
    assert challenge.terms_version == 1
    services.update_challenge(boss, challenge, data(terms="CC BY-SA"))
    assert challenge.terms_version == 2


def test_every_move_is_recorded_and_announced(db, make):
    boss = make.user()
    challenge = make.challenge(make.company(owner=boss), phase="draft")
    seen = []

    def listener(sender, **kw):
        seen.append((kw["from_phase"], kw["to_phase"]))

    challenge_phase_changed.connect(listener)
    try:
        services.publish(boss, challenge)
        services.advance(boss, challenge, "voting", note="Enough ideas")
        services.advance(boss, challenge, "review")
    finally:
        challenge_phase_changed.disconnect(listener)
    assert challenge.published_at is not None
    rows = db.session.scalars(select(PhaseTransition).where(PhaseTransition.challenge_id == challenge.id)
                              .order_by(PhaseTransition.id)).all()
    assert [(t.from_phase, t.to_phase, t.actor_id) for t in rows] == [
        ("draft", "submission", boss.id), ("submission", "voting", boss.id), ("voting", "review", boss.id)]
    assert rows[1].note == "Enough ideas"
    assert seen == [("draft", "submission"), ("submission", "voting"), ("voting", "review")]


def test_forbidden_move_raises(db, make):
    boss = make.user()
    challenge = make.challenge(make.company(owner=boss), phase="voting")
    with pytest.raises(InvalidTransition):
        services.advance(boss, challenge, "draft")
    assert challenge.phase == "voting"
    assert db.session.scalar(select(PhaseTransition.id)) is None


def test_only_staff_advance(db, make):
    challenge = make.challenge(phase="submission")
    with pytest.raises(NotAllowed):
        services.advance(make.user(), challenge, "voting")


def test_advance_due_moves_only_due_ones(db, make):
    now = datetime(2030, 6, 1, 12)
    due = make.challenge(phase="submission")
    not_due = make.challenge(phase="submission")
    draft = make.challenge(phase="draft")
    db.session.execute(PhasePlan.__table__.update().where(PhasePlan.challenge_id == due.id)
                       .values(starts_at=now - timedelta(days=10), ends_at=now - timedelta(minutes=1)))
    db.session.execute(PhasePlan.__table__.update().where(PhasePlan.challenge_id.in_([not_due.id, draft.id]))
                       .values(starts_at=now - timedelta(days=10), ends_at=now + timedelta(days=1)))
    db.session.execute(PhasePlan.__table__.update().where(PhasePlan.challenge_id == draft.id)
                       .values(ends_at=now - timedelta(days=1)))
    db.session.expire_all()
    moved = services.advance_due(now)
    assert [(c.id, a, b) for c, a, b in moved] == [(due.id, "submission", "voting")]
    assert db.session.get(Challenge, not_due.id).phase == "submission"
    assert db.session.get(Challenge, draft.id).phase == "draft"
    transition = db.session.scalar(select(PhaseTransition).where(PhaseTransition.challenge_id == due.id))
    assert transition.actor_id is None and transition.at == now
    assert services.advance_due(now) == []  # voting has no plan: nothing more is due


def test_invite_only_visible_to_invited_and_staff(db, make):
    boss, invited, other = make.user(), make.user(), make.user()
    challenge = make.challenge(make.company(owner=boss), visibility="invite")
    services.invite_member(boss, challenge, invited.email.upper())
    assert challenge not in services.list_challenges(other).items
    assert challenge not in services.list_challenges(None).items
    assert challenge in services.list_challenges(invited).items
    assert challenge in services.list_challenges(boss).items
    with pytest.raises(Invalid):
        services.invite_member(boss, challenge, "nobody@example.org")
    services.uninvite(boss, challenge, invited.id)
    assert challenge not in services.list_challenges(invited).items


def test_draft_hidden_from_public(db, make):
    boss = make.user()
    draft = make.challenge(make.company(owner=boss), phase="draft")
    assert draft not in services.list_challenges(None).items
    assert draft not in services.list_challenges(make.user()).items
    assert draft in services.list_challenges(boss).items
    assert draft not in services.home_page_data(None)["open_challenges"]


def test_list_filters_and_sorts(db, make):
    a = make.challenge(category="food", phase="submission")
    b = make.challenge(category="energy", phase="voting")
    b.idea_count = 5
    db.session.flush()
    assert services.list_challenges(None, category="food").items == [a]
    assert services.list_challenges(None, phase="voting").items == [b]
    assert services.list_challenges(None, company_id=a.company_id).items == [a]
    assert services.list_challenges(None, sort="active").items[0] == b


def test_home_page_data(db, make):
    open_one = make.challenge(phase="submission")
    closed = make.challenge(phase="closed")
    home = services.home_page_data(None)
    assert home["open_challenges"] == [open_one]
    assert home["closed_challenges"] == [closed]
    assert home["totals"]["challenges"] == 2


def test_scheduler_never_publishes(db, make):
    draft = make.challenge(phase="draft")
    with pytest.raises(InvalidTransition):
        services.advance(None, draft, "submission")
    assert draft.phase == "draft"


def test_terms_versions_keep_every_text_and_acceptances_point_at_theirs(db, make):
    """Editing the terms used to overwrite the text an earlier acceptance referred to."""
    from ideas.challenges.models import TermsAcceptance
    from ideas.submissions.terms import accept_terms, has_accepted

    staff = make.user()
    challenge = make.challenge(make.company(staff=[staff]))
    member = make.user()
    first = accept_terms(member, challenge)
    data = services.ChallengeData(
        title=challenge.title, summary=challenge.summary, problem=challenge.problem, category=challenge.category,
        terms="Ideas are shared under CC BY-SA 4.0; the reward is split among co-authors.",
        reward_currency="EUR", visibility="public")
    services.update_challenge(staff, challenge, data)
    assert challenge.terms_version == 2 and not has_accepted(member, challenge)
    second = accept_terms(member, challenge)
    texts = {v.version: v.text for v in services.terms_versions(challenge)}
    assert texts == {1: "Ideas are shared under CC BY 4.0.", 2: data.terms}
    by_version = {a.terms_version: a for a in db.session.scalars(
        db.select(TermsAcceptance).where(TermsAcceptance.user_id == member.id))}
    assert by_version[1].version_text.text == "Ideas are shared under CC BY 4.0."
    assert by_version[2].version_text.text == data.terms
    assert (first.id, second.id) == (by_version[1].id, by_version[2].id)


def test_terms_version_page(db, make, client):
    challenge = make.challenge()
    db.session.commit()
    base = f"/challenges/{challenge.id}-{challenge.slug}/terms"
    assert "CC BY 4.0" in client.get(f"{base}/1").get_data(as_text=True)
    assert client.get(f"{base}/2").status_code == 404
