"""Focus group services: creating for selected ideas, invitations with suggestions and
their reasons, the agreement (versions, re-acceptance), the size limit, leaving and
removal, the board, sessions, feedback rounds and their results, the synthesis,
archiving; every refusal leaves nothing saved."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import icalendar
import pytest
from sqlalchemy import func, select

from ideas.core import events
from ideas.core.errors import Invalid, InvalidTransition, NotAllowed, NotFound
from ideas.extensions import db
from ideas.focus_groups import board, candidates, feedback, meetings, policy, services
from ideas.focus_groups.models import (
    AgreementAcceptance,
    Attachment,
    FeedbackResponse,
    FocusGroup,
    GroupSession,
    Membership,
    Post,
)
from ideas.judging.models import (
    JudgeAssignment,
    JudgeInvitation,
    RubricCriterion,
    Score,
    Scorecard,
)
from tests.factories import with_alt
from tests.focus_groups.conftest import AGREEMENT, join, make_group, not_an_image, png


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


# -- creating ------------------------------------------------------------------------

def test_staff_create_a_group_for_selected_ideas_only(world, make):
    staff = world.people["staff"]
    submitted = make.idea(world.challenge, status="submitted")
    before = count(FocusGroup)
    with pytest.raises(Invalid) as err:
        make_group(staff, world.challenge, [submitted])
    assert err.value.field == "ideas"
    with pytest.raises(NotAllowed):
        make_group(world.people["other_staff"], world.challenge, [world.idea])
    with pytest.raises(NotAllowed):
        make_group(world.people["author"], world.challenge, [world.idea])
    assert count(FocusGroup) == before
    group = make_group(staff, world.challenge, [world.idea, world.other_idea])
    assert {i.id for i in services.group_ideas(group)} == {world.idea.id, world.other_idea.id}
    assert services.current_agreement(group).version == 1


@pytest.mark.parametrize(("field", "value"), [
    ("title", "  "), ("purpose", ""), ("agreement", ""), ("size_limit", "zero"), ("size_limit", 0),
    ("size_limit", 501), ("starts_on", "31/02/2027"), ("ends_on", date.today() - timedelta(days=1)),
])
def test_bad_group_input_names_the_field(world, field, value):
    before = count(FocusGroup)
    with pytest.raises(Invalid) as err:
        make_group(world.people["staff"], world.challenge, [world.idea], **{field: value})
    assert err.value.field == field
    assert count(FocusGroup) == before


def test_no_group_in_a_closed_challenge(world):
    world.challenge.phase = "closed"
    with pytest.raises(InvalidTransition):
        make_group(world.people["staff"], world.challenge, [world.idea])


# -- invitations, agreement, membership -------------------------------------------------

def test_invitation_then_acceptance_records_the_agreement_version_and_time(world):
    group, invitee = world.group, world.people["invitee"]
    joined = []
    events.focus_group_joined.connect(lambda s, **kw: joined.append(kw["user"].id), weak=False)
    assert policy.access(invitee, group) == policy.INVITED
    assert not policy.can_see_inside(invitee, group)
    with pytest.raises(Invalid) as err:
        services.respond(invitee, group, True, agreed=False, version=1)
    assert err.value.field == "agree"
    assert policy.membership_of(invitee, group).status == "invited"
    join(invitee, group)
    acceptance = db.session.scalar(select(AgreementAcceptance).where(
        AgreementAcceptance.group_id == group.id, AgreementAcceptance.user_id == invitee.id))
    assert acceptance.version == 1 and acceptance.accepted_at is not None
    assert policy.access(invitee, group) == policy.INSIDE
    assert invitee.id in joined
    assert group.member_count == 3


def test_a_changed_agreement_must_be_accepted_again_before_the_next_visit(world):
    group, member = world.group, world.people["member"]
    services.change_agreement(world.people["staff"], group, AGREEMENT + " Photos too.")
    assert group.agreement_version == 2
    assert policy.access(member, group) == policy.AGREEMENT
    assert group.id not in set(db.session.scalars(policy.inside_group_ids(member)))
    assert member.id not in policy.readers(group)
    with pytest.raises(InvalidTransition):  # accepting the version read before the change
        services.accept_agreement(member, group, agreed=True, version=1)
    services.accept_agreement(member, group, agreed=True, version=2)
    assert policy.access(member, group) == policy.INSIDE
    assert count(AgreementAcceptance, AgreementAcceptance.user_id == member.id) == 2


def test_the_same_agreement_text_is_no_new_version(world):
    services.change_agreement(world.people["staff"], world.group, AGREEMENT)
    assert world.group.agreement_version == 1


def test_agreement_changed_while_the_invitee_read_it(world):
    services.change_agreement(world.people["staff"], world.group, "A stricter text.")
    with pytest.raises(InvalidTransition):
        services.respond(world.people["invitee"], world.group, True, agreed=True, version=1)
    assert policy.membership_of(world.people["invitee"], world.group).status == "invited"


def test_joining_a_full_group_is_refused_and_saves_nothing(world, make):
    staff, group = world.people["staff"], world.group
    services.edit_group(staff, group, title=group.title, purpose=group.purpose, size_limit=2,
                        starts_on=group.starts_on, ends_on=group.ends_on)
    with pytest.raises(Invalid) as err:
        join(world.people["invitee"], group)
    assert "full" in err.value.message
    db.session.rollback()  # as the view does
    assert policy.membership_of(world.people["invitee"], group).status == "invited"
    assert count(AgreementAcceptance, AgreementAcceptance.user_id == world.people["invitee"].id) == 0
    assert db.session.get(FocusGroup, group.id).member_count == 2


def test_size_limit_cannot_go_below_the_members(world):
    group = world.group
    with pytest.raises(Invalid) as err:
        services.edit_group(world.people["staff"], group, title=group.title, purpose=group.purpose, size_limit=1,
                            starts_on=group.starts_on, ends_on=group.ends_on)
    assert err.value.field == "size_limit"


@pytest.mark.parametrize("role", ["member", "invitee"])
def test_an_invitation_for_someone_already_in_is_refused(world, role):
    before = count(Membership)
    with pytest.raises(Invalid) as err:
        services.invite(world.people["staff"], world.group, world.people[role].username)
    assert err.value.field == "member"
    assert count(Membership) == before


def test_invite_by_email_unknown_or_staff_refused(world):
    staff, group = world.people["staff"], world.group
    with pytest.raises(Invalid):
        services.invite(staff, group, "nobody@example.org")
    with pytest.raises(Invalid):
        services.invite(staff, group, staff.email)
    row = services.invite(staff, group, world.people["outsider"].email, reason="knows drums")
    assert row.status == "invited" and row.reason == "knows drums"


def test_an_invite_only_challenge_member_must_be_invited_to_the_challenge_first(world):
    world.challenge.visibility = "invite"
    with pytest.raises(Invalid):
        services.invite(world.people["staff"], world.group, world.people["outsider"])


def test_former_members_see_nothing_and_may_be_invited_again(world):
    group, former = world.group, world.people["former"]
    assert policy.access(former, group) is None
    assert group.id not in set(db.session.scalars(select(FocusGroup.id).where(policy.visible_groups(former))))
    services.invite(world.people["staff"], group, former)
    assert policy.access(former, group) == policy.INVITED


def test_leave_and_remove_free_the_place(world):
    group = world.group
    assert group.member_count == 2
    services.leave(world.people["member"], group)
    assert group.member_count == 1
    row = policy.membership_of(world.people["author"], group)
    services.remove_member(world.people["staff"], group, row)
    assert group.member_count == 0 and row.status == "removed"
    assert policy.access(world.people["author"], group) is None
    with pytest.raises(NotFound):
        services.leave(world.people["member"], group)


def test_decline(world):
    services.respond(world.people["invitee"], world.group, False)
    assert policy.access(world.people["invitee"], world.group) is None


def test_other_group_and_other_company_see_nothing(world):
    group = world.group
    for role in ("other_member", "other_staff", "outsider", "former"):
        user = world.people[role]
        assert policy.access(user, group) is None, role
        assert group.id not in set(db.session.scalars(policy.inside_group_ids(user))), role
    assert policy.access(world.people["admin"], group) == policy.STAFF


# -- candidates ----------------------------------------------------------------------

def test_candidates_with_reasons(world, make, app):
    staff, challenge = world.people["staff"], world.challenge
    # a judge who scored the idea highest
    high, low = make.user(name="High Judge"), make.user(name="Low Judge")
    criterion = db.session.add(RubricCriterion(challenge_id=challenge.id, position=1, title="Quiet"))
    db.session.flush()
    criterion = db.session.scalar(select(RubricCriterion).where(RubricCriterion.challenge_id == challenge.id))
    for judge, value in ((high, 5), (low, 2)):
        db.session.add(JudgeInvitation(challenge_id=challenge.id, user_id=judge.id, status="accepted"))
        a = JudgeAssignment(challenge_id=challenge.id, idea_id=world.idea.id, judge_id=judge.id)
        db.session.add(a)
        db.session.flush()
        card = Scorecard(assignment_id=a.id, judge_id=judge.id, idea_id=world.idea.id, status="submitted",
                         submitted_at=datetime(2026, 1, 1))
        db.session.add(card)
        db.session.flush()
        db.session.add(Score(scorecard_id=card.id, criterion_id=criterion.id, value=value))
    # a shortlisted author in the same category elsewhere (the fallback for experts)
    elsewhere = make.challenge(phase="closed", category=challenge.category)
    expert = make.user(name="Seasoned")
    make.idea(elsewhere, expert, status="shortlisted")
    db.session.flush()
    found = {c.user.id: c.reasons for c in candidates.suggest(staff, world.group)}
    assert world.people["coauthor"].id in found
    assert any("co-author" in r for r in found[world.people["coauthor"].id])
    assert world.people["author"].id not in found  # already a member
    assert any("highest" in r for r in found[high.id])
    assert low.id not in found or not any("highest" in r for r in found[low.id])
    assert any("shortlisted" in r for r in found[expert.id])
    assert staff.id not in found
    with pytest.raises(NotAllowed):
        candidates.suggest(world.people["other_staff"], world.group)


def test_expert_provider_replaces_the_fallback(world, make, app):
    expert = make.user(name="Badge Holder")
    candidates.experts_in_category.provide(app, lambda category, limit: [(expert.id, "expert: 12 accepted ideas")])
    found = {c.user.id: c.reasons for c in candidates.suggest(world.people["staff"], world.group)}
    assert found[expert.id] == ["expert: 12 accepted ideas"]


# -- the board -----------------------------------------------------------------------

def test_threads_replies_and_image_attachments(world, app):
    member, group = world.people["member"], world.group
    thread = board.start_thread(member, group, "First impressions", "The **feet** help.", images=with_alt(png()))
    assert len(thread.attachments) == 1
    reply = board.reply(world.people["author"], thread, "Agreed.")
    assert thread.reply_count == 1 and reply.thread_id == thread.id
    page = board.threads(member, group)
    assert [t.id for t in page.items] == [thread.id]
    stored = thread.attachments[0].filename
    from ideas.core.uploads import upload_dir

    assert (upload_dir(private=True) / stored).exists()
    assert not (upload_dir() / stored).exists()  # not reachable through /uploads


def test_an_attachment_that_is_not_an_image_saves_nothing(world):
    before = (count(Post), count(Attachment))
    with pytest.raises(Invalid) as err:
        board.start_thread(world.people["member"], world.group, "Spec", "See attached.",
                           images=with_alt(png(), not_an_image()))
    assert err.value.field == "images"
    assert (count(Post), count(Attachment)) == before


def test_outsiders_cannot_read_or_post(world):
    for role in ("other_member", "former", "other_staff", "invitee"):
        with pytest.raises(NotFound):
            board.start_thread(world.people[role], world.group, "Hi", "Hello")
        with pytest.raises(NotFound):
            board.threads(world.people[role], world.group)


def test_a_member_with_an_old_agreement_cannot_post(world):
    services.change_agreement(world.people["staff"], world.group, "New text.")
    with pytest.raises(NotFound):
        board.start_thread(world.people["member"], world.group, "Hi", "Hello")


def test_posting_after_archiving_is_refused(world):
    thread = board.start_thread(world.people["member"], world.group, "Before", "Still open.")
    services.archive(world.people["staff"], world.group)
    before = count(Post)
    with pytest.raises(InvalidTransition):
        board.start_thread(world.people["member"], world.group, "After", "Archived?")
    with pytest.raises(InvalidTransition):
        board.reply(world.people["member"], thread, "Archived?")
    assert count(Post) == before
    assert policy.can_see_inside(world.people["member"], world.group)  # still visible to members
    with pytest.raises(InvalidTransition):
        services.invite(world.people["staff"], world.group, world.people["outsider"])


# -- sessions ------------------------------------------------------------------------

def test_session_is_stored_in_utc_and_exports_ics(world, now):
    sent = []
    events.focus_group_session_scheduled.connect(lambda s, **kw: sent.append(kw["session"].id), weak=False)
    local = (now + timedelta(days=3)).replace(hour=18, minute=0, second=0, microsecond=0)
    session = meetings.schedule(world.people["staff"], world.group, title="Kick-off", starts_at=local,
                                timezone="Europe/Prague", duration_minutes=90, mode="online",
                                video_link="https://meet.example.org/abc", agenda="1. Hello", now=now)
    assert session.starts_at.hour in (16, 17)  # 18:00 in Prague is 16:00 or 17:00 UTC
    assert session.id in sent
    cal = icalendar.Calendar.from_ical(meetings.ics(session, world.group, "http://x/fg/1"))
    event = next(iter(cal.walk("VEVENT")))
    assert event.decoded("dtstart").utcoffset() == timedelta(0)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=90)
    assert "Kick-off" in str(event["summary"])


@pytest.mark.parametrize(("kw", "field"), [
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"starts_at": "tomorrow-ish"}, "starts_at"),
    ({"video_link": "javascript:alert(1)"}, "video_link"),
    ({"mode": "in_person", "place": ""}, "place"),
    ({"duration_minutes": 2}, "duration_minutes"),
    ({"starts_at": datetime(2020, 1, 1, 10)}, "starts_at"),
    ({"mode": "telepathy"}, "mode"),
])
def test_bad_session_input(world, now, kw, field):
    values = dict(title="Kick-off", starts_at=now + timedelta(days=2), timezone="UTC", duration_minutes=60,
                  mode="online", video_link="https://meet.example.org/x")
    values.update(kw)
    with pytest.raises(Invalid) as err:
        meetings.schedule(world.people["staff"], world.group, now=now, **values)
    assert err.value.field == field
    assert count(GroupSession) == 0


def test_notes_and_attendance_after_the_session(world, now):
    session = meetings.schedule(world.people["staff"], world.group, title="Kick-off",
                                starts_at=now + timedelta(days=1), timezone="UTC", mode="in_person",
                                place="Lumora lab, Kladno", now=now)
    with pytest.raises(InvalidTransition):
        meetings.record_notes(world.people["staff"], session, "Too early", now=now)
    later = now + timedelta(days=2)
    with pytest.raises(Invalid):
        meetings.record_notes(world.people["staff"], session, "x", [world.people["outsider"].id], now=later)
    meetings.record_notes(world.people["staff"], session, "We agreed on **rubber**.",
                          [world.people["member"].id, world.people["author"].id], now=later)
    assert meetings.attendance(session) == {world.people["member"].id, world.people["author"].id}


# -- feedback rounds -------------------------------------------------------------------

QUESTIONS = [{"kind": "rating", "text": "How quiet is it?"}, {"kind": "text", "text": "What would you change?"}]


def test_round_answered_once_and_aggregated(world):
    staff, group = world.people["staff"], world.group
    round_ = feedback.publish_round(staff, group, title="First round", questions=QUESTIONS)
    rating_q, text_q = round_.questions
    feedback.answer(world.people["member"], round_, {rating_q.id: "4", text_q.id: "Softer feet"})
    feedback.answer(world.people["author"], round_, {str(rating_q.id): 2})
    with pytest.raises(InvalidTransition):
        feedback.answer(world.people["member"], round_, {rating_q.id: "5"})
    assert count(FeedbackResponse) == 2
    results = feedback.results(staff, round_)
    rating = results[0]
    assert rating["count"] == 2 and rating["mean"] == 3.0
    assert rating["distribution"] == [(1, 0), (2, 1), (3, 0), (4, 1), (5, 0)]
    assert results[1]["texts"] == ["Softer feet"]
    with pytest.raises(NotAllowed):
        feedback.results(world.people["member"], round_)
    feedback.close_round(staff, round_)
    join(world.people["invitee"], group)
    with pytest.raises(InvalidTransition):
        feedback.answer(world.people["invitee"], round_, {rating_q.id: 3})


@pytest.mark.parametrize("value", ["", "9", "abc"])
def test_bad_ratings_save_nothing(world, value):
    round_ = feedback.publish_round(world.people["staff"], world.group, title="R", questions=QUESTIONS)
    with pytest.raises(Invalid):
        feedback.answer(world.people["member"], round_, {round_.questions[0].id: value})
    assert count(FeedbackResponse) == 0


def test_a_round_needs_a_question(world):
    with pytest.raises(Invalid) as err:
        feedback.publish_round(world.people["staff"], world.group, title="R", questions=[{"kind": "rating"}])
    assert err.value.field == "questions"


def test_outsiders_cannot_answer(world):
    round_ = feedback.publish_round(world.people["staff"], world.group, title="R", questions=QUESTIONS)
    with pytest.raises(NotFound):
        feedback.answer(world.people["other_member"], round_, {round_.questions[0].id: 3})


# -- synthesis ------------------------------------------------------------------------

def test_synthesis(world):
    with pytest.raises(Invalid):
        services.write_synthesis(world.people["staff"], world.group, "", public=True)
    services.write_synthesis(world.people["staff"], world.group, "Rubber feet halve the noise.", public=True)
    assert world.group.synthesis_public
    with pytest.raises(NotAllowed):
        services.write_synthesis(world.people["member"], world.group, "Mine")


def test_an_attachment_without_alt_text_saves_nothing(world):
    from ideas.core.uploads import ImageUpload, upload_dir

    before = (count(Post), count(Attachment), sorted(upload_dir(private=True).iterdir()))
    with pytest.raises(Invalid) as err:
        board.start_thread(world.people["member"], world.group, "Spec", "See attached.",
                           images=[ImageUpload(png(), "", 1, alt_field="images-0-alt")])
    assert err.value.field == "images-0-alt"
    assert (count(Post), count(Attachment), sorted(upload_dir(private=True).iterdir())) == before
    thread = board.start_thread(world.people["member"], world.group, "Spec", "See attached.",
                                images=with_alt(png(), alt="The rubber feet"))
    assert thread.attachments[0].alt == "The rubber feet 1"
