"""Prototype services: made from a selected idea (authors credited, idea prototyped),
the status table with its dated history, visibility, iterations, tester sign-up
(places, waiting list, confirm or first come), feedback against the success criteria,
staff replies, scores per iteration, launching as a winner, the idea's path."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ideas.challenges.models import ChallengeCriterion
from ideas.core import events
from ideas.core.errors import Invalid, InvalidTransition, NotAllowed, NotFound
from ideas.extensions import db
from ideas.focus_groups import services as group_services
from ideas.prototypes import journey, policy, services, testing
from ideas.prototypes.models import (
    Iteration,
    Prototype,
    TesterSignup,
    TestFeedback,
)
from ideas.submissions.models import Idea, IdeaDecision
from tests.factories import with_alt
from tests.focus_groups.conftest import not_an_image, png


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def proto(world):
    prototype = services.create_prototype(world.people["staff"], world.idea, title="Silent Drum v1",
                                          summary="Rubber feet and a foam lining.")
    db.session.commit()
    return prototype


def _iteration(world, prototype, **kw):
    values = dict(version_name=f"v{prototype.iteration_count + 1}", description="Feet in natural rubber.",
                  changes="" if prototype.iteration_count == 0 else "Softer compound.", places=2,
                  waiting_places=1, signup_mode="first_come")
    values.update(kw)
    iteration = services.add_iteration(world.people["staff"], prototype, **values)
    testing.set_test(world.people["staff"], iteration, open_=True)
    return iteration


def _criteria(world):
    return db.session.scalars(select(ChallengeCriterion).where(
        ChallengeCriterion.challenge_id == world.challenge.id).order_by(ChallengeCriterion.position)).all()


def test_create_credits_the_authors_and_prototypes_the_idea(world, proto):
    assert [c.user_id for c in proto.credits] == [world.people["author"].id, world.people["coauthor"].id]
    assert db.session.get(Idea, world.idea.id).status == "prototyped"
    assert [h.to_status for h in proto.history] == ["concept"]
    assert count(IdeaDecision, IdeaDecision.idea_id == world.idea.id, IdeaDecision.to_status == "prototyped") == 1


def test_only_from_a_selected_idea_and_only_staff(world, make, proto):
    with pytest.raises(InvalidTransition):  # prototyped already
        services.create_prototype(world.people["staff"], world.idea, title="Again")
    submitted = make.idea(world.challenge)
    with pytest.raises(InvalidTransition):
        services.create_prototype(world.people["staff"], submitted, title="Nope")
    with pytest.raises(NotAllowed):
        services.create_prototype(world.people["other_staff"], world.other_idea, title="Nope")
    with pytest.raises(Invalid) as err:
        services.create_prototype(world.people["staff"], world.other_idea, title="Group only", visibility="group")
    assert err.value.field == "focus_group_id"
    assert count(Prototype) == 1


def test_status_table_and_dated_history(world, proto):
    staff = world.people["staff"]
    changes = []
    events.prototype_status_changed.connect(lambda s, **kw: changes.append(kw["to_status"]), weak=False)
    with pytest.raises(InvalidTransition):
        services.change_status(staff, proto, "launched")
    services.change_status(staff, proto, "building")
    with pytest.raises(InvalidTransition):  # testing needs an iteration
        services.change_status(staff, proto, "testing")
    _iteration(world, proto)
    services.change_status(staff, proto, "testing")
    services.change_status(staff, proto, "launched", "In shops from March.", mark_winner=True)
    assert [h.to_status for h in proto.history] == ["concept", "building", "testing", "launched"]
    assert all(h.at is not None for h in proto.history)
    assert changes[-3:] == ["building", "testing", "launched"]
    assert db.session.get(Idea, world.idea.id).status == "winner"
    with pytest.raises(InvalidTransition):
        services.change_status(staff, proto, "stopped")
    assert not any(i.test_open for i in services.iterations(proto))


def test_iterations_need_what_changed_from_the_second_on(world, proto):
    _iteration(world, proto)
    with pytest.raises(Invalid) as err:
        services.add_iteration(world.people["staff"], proto, version_name="v2", description="x", changes="")
    assert err.value.field == "changes"
    with pytest.raises(Invalid) as err:
        services.add_iteration(world.people["staff"], proto, version_name="v2", description="x", changes="y",
                               images=with_alt(png(), not_an_image()))
    assert err.value.field == "images"
    assert count(Iteration) == 1 and proto.iteration_count == 1


def test_first_come_places_then_waiting_list_then_full(world, make, proto):
    it = _iteration(world, proto, places=1, waiting_places=1)
    a, b, c = make.user(), make.user(), make.user()
    assert testing.sign_up(a, it).status == "confirmed"
    assert testing.sign_up(b, it).status == "waiting"
    with pytest.raises(InvalidTransition) as err:
        testing.sign_up(c, it)
    assert "full" in err.value.message
    with pytest.raises(InvalidTransition):
        testing.sign_up(a, it)  # signed up already
    assert count(TesterSignup) == 2
    testing.withdraw(a, testing.signup_of(a, it))  # the first waiting takes the place
    assert testing.signup_of(b, it).status == "confirmed"
    assert it.held_places == 1


def test_confirm_mode_and_closed_test(world, make, proto):
    it = _iteration(world, proto, places=1, waiting_places=0, signup_mode="confirm")
    a, b = make.user(), make.user()
    signup = testing.sign_up(a, it)
    assert signup.status == "pending" and it.held_places == 0
    with pytest.raises(InvalidTransition):
        testing.sign_up(b, it)  # one place, asked for already, no waiting list
    with pytest.raises(NotAllowed):
        testing.confirm(world.people["member"], signup)
    testing.confirm(world.people["staff"], signup)
    assert signup.status == "confirmed" and it.held_places == 1
    testing.set_test(world.people["staff"], it, open_=False)
    with pytest.raises(InvalidTransition) as err:
        testing.sign_up(b, it)
    assert "closed" in err.value.message
    with pytest.raises(Invalid):
        testing.set_test(world.people["staff"], it, open_=True, places=0)


def test_staff_and_unverified_cannot_sign_up(world, proto):
    it = _iteration(world, proto)
    with pytest.raises(NotAllowed):
        testing.sign_up(world.people["staff"], it)
    with pytest.raises(NotAllowed):
        testing.sign_up(world.people["unverified"], it)


def test_feedback_against_every_criterion_once_and_scores(world, make, proto):
    db.session.add(ChallengeCriterion(challenge_id=world.challenge.id, position=2, text="Costs under 5 EUR"))
    db.session.flush()
    crits = _criteria(world)
    v1 = _iteration(world, proto, places=3)
    tester, other = make.user(), make.user()
    testing.sign_up(tester, v1)
    testing.sign_up(other, v1)
    with pytest.raises(Invalid) as err:
        testing.give_feedback(tester, v1, {crits[0].id: 4})
    assert err.value.field == f"rating-{crits[1].id}"
    with pytest.raises(Invalid):
        testing.give_feedback(tester, v1, {crits[0].id: 6, crits[1].id: 3})
    with pytest.raises(NotAllowed):
        testing.give_feedback(make.user(), v1, {crits[0].id: 4, crits[1].id: 3})
    assert count(TestFeedback) == 0
    got = []
    events.prototype_feedback_given.connect(lambda s, **kw: got.append(kw["tester"].id), weak=False)
    fb = testing.give_feedback(tester, v1, {crits[0].id: 2, crits[1].id: 4}, "Quiet", "Slides on tiles",
                               images=with_alt(png()))
    testing.give_feedback(other, v1, {str(crits[0].id): "4", str(crits[1].id): "4"})
    with pytest.raises(InvalidTransition):
        testing.give_feedback(tester, v1, {crits[0].id: 2, crits[1].id: 4})
    assert got == [tester.id, other.id]
    v2 = _iteration(world, proto, places=3)
    testing.sign_up(tester, v2)
    testing.give_feedback(tester, v2, {crits[0].id: 5, crits[1].id: 4})
    table = testing.scores(proto)
    assert [i.number for i in table["iterations"]] == [1, 2]
    assert table["cells"][(v1.id, crits[0].id)] == (3.0, 2)
    assert table["cells"][(v2.id, crits[0].id)] == (5.0, 1)
    # feedback is read by staff and by its tester only
    assert [f.id for f in testing.feedback_for(other, v1)] != [fb.id]
    assert fb.id in [f.id for f in testing.feedback_for(world.people["staff"], v1)]
    testing.reply(world.people["staff"], fb, "Thanks, we add a rubber ring.")
    assert fb.reply and fb.replied_at
    with pytest.raises(NotAllowed):
        testing.reply(world.people["member"], fb, "Me too")


def test_group_only_prototype_is_seen_exactly_inside_the_group(world, proto):
    services.set_visibility(world.people["staff"], proto, "group", world.group.id)
    seen = {role: policy.can_view(world.people[role], proto) for role in world.people}
    listed = {role: proto.id in set(db.session.scalars(select(Prototype.id).where(
        policy.visible_prototypes(world.people[role])))) for role in world.people}
    expected = {"staff": True, "admin": True, "author": True, "member": True}
    for role in world.people:
        assert seen[role] == expected.get(role, False), role
        assert listed[role] == seen[role], role
    group_services.change_agreement(world.people["staff"], world.group, "Stricter.")
    assert not policy.can_view(world.people["member"], proto)
    it = _iteration(world, proto)
    with pytest.raises(NotFound):
        testing.sign_up(world.people["other_member"], it)


def test_public_prototype_seen_by_everyone_who_sees_the_idea(world, proto):
    for role in world.people:
        assert policy.can_view(world.people[role], proto), role
    world.idea.hidden_at = world.idea.created_at
    assert not policy.can_view(world.people["member"], proto)
    assert policy.can_view(world.people["staff"], proto)


def test_the_path_of_an_idea(world, make, proto):
    staff = world.people["staff"]
    db.session.add(IdeaDecision(idea_id=world.idea.id, from_status="submitted", to_status="shortlisted",
                                created_at=world.idea.created_at))
    db.session.add(IdeaDecision(idea_id=world.idea.id, from_status="shortlisted", to_status="selected",
                                created_at=world.idea.created_at))
    _iteration(world, proto)
    services.change_status(staff, proto, "building")
    services.change_status(staff, proto, "testing")
    services.change_status(staff, proto, "launched", mark_winner=True)
    group_services.write_synthesis(staff, world.group, "Rubber works.", public=False)
    kinds = [s["kind"] for s in journey.idea_panel(make.user(), world.idea)["steps"]]
    assert kinds[:2] == ["shortlisted", "selected"]
    assert {"focus_group", "iteration", "launched", "winner"} <= set(kinds)
    outsider_group = next(s for s in journey.idea_panel(make.user(), world.idea)["steps"] if s["kind"] == "focus_group")
    assert outsider_group["group"] is None and outsider_group["synthesis"] == ""
    member_group = next(s for s in journey.idea_panel(world.people["member"], world.idea)["steps"]
                        if s["kind"] == "focus_group")
    assert member_group["group"].id == world.group.id and member_group["synthesis"] == "Rubber works."
    services.set_visibility(staff, proto, "group", world.group.id)
    assert "iteration" not in [s["kind"] for s in journey.idea_panel(make.user(), world.idea)["steps"]]


def test_iteration_and_feedback_images_need_alt_text(world, make, proto):
    from ideas.core.uploads import ImageUpload, upload_dir

    def files():
        return sorted(upload_dir(private=True).iterdir())

    before = files()
    with pytest.raises(Invalid) as err:
        services.add_iteration(world.people["staff"], proto, version_name="v1", description="x",
                               images=[ImageUpload(png(), "", 1, alt_field="images-0-alt")])
    assert err.value.field == "images-0-alt"
    assert count(Iteration) == 0 and files() == before
    v1 = _iteration(world, proto, images=with_alt(png(), alt="The drum on its feet"), places=3)
    assert [i.alt for i in v1.images] == ["The drum on its feet 1"]
    tester = make.user()
    testing.sign_up(tester, v1)
    crits = testing.criteria(proto)
    ratings = {c.id: 4 for c in crits}
    before = files()
    with pytest.raises(Invalid) as err:
        testing.give_feedback(tester, v1, ratings, "Quiet", images=[ImageUpload(png(), "  ", 1, alt_field="images-0-alt")])
    assert err.value.field == "images-0-alt"
    assert count(TestFeedback) == 0 and files() == before
    fb = testing.give_feedback(tester, v1, ratings, "Quiet", images=with_alt(png(), alt="Feet after a week"))
    assert [i.alt for i in fb.images] == ["Feet after a week 1"]
