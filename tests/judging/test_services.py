"""Judging services: the panel, the rubric, assignment, scorecards, the ranking; each rule
of issue 17 and each bad input, with nothing half-saved when a call is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ideas.core import events
from ideas.core.errors import Invalid, InvalidTransition, NotAllowed, NotFound
from ideas.judging import policy, services
from ideas.judging.models import JudgeAssignment, Score, Scorecard, ScoreChange
from ideas.submissions.models import IdeaCoauthor


@pytest.fixture
def world(make):
    staff = make.user()
    company = make.company(staff=[staff])
    challenge = make.challenge(company, phase="review")
    return staff, challenge


def _panel(db, staff, challenge, judges):
    for judge in judges:
        invitation = services.invite_judge(staff, challenge, judge.username)
        services.respond_to_invitation(judge, invitation, accept=True)


def _shortlist(make, challenge, n, **kw):
    return [make.idea(challenge, status="shortlisted", **kw) for _ in range(n)]


@pytest.fixture
def judged(db, make, world):
    """A challenge in review: 3 accepted judges, a rubric of 2 criteria, 4 shortlisted
    ideas, every judge assigned every idea."""
    staff, challenge = world
    judges = [make.user() for _ in range(3)]
    _panel(db, staff, challenge, judges)
    rubric = services.set_rubric(staff, challenge, [
        {"title": "Hygiene", "weight": "2", "scale_low": 1, "scale_high": 5},
        {"title": "Cost", "weight": "1", "scale_low": 1, "scale_high": 10},
    ])
    ideas = _shortlist(make, challenge, 4)
    services.assign_shortlist(staff, challenge, "all")
    return staff, challenge, judges, rubric, ideas


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


# -- panel -----------------------------------------------------------------------

def test_invite_by_username_or_email_and_event(db, make, world):
    staff, challenge = world
    a, b = make.user(), make.user()
    sent = []
    events.judging_invited.connect(lambda sender, **kw: sent.append(kw["invitation"]), weak=False)
    try:
        one = services.invite_judge(staff, challenge, a.username)
        two = services.invite_judge(staff, challenge, b.email.upper())
    finally:
        events.judging_invited.receivers.clear()
    assert (one.user_id, two.user_id) == (a.id, b.id)
    assert [i.id for i in sent] == [one.id, two.id]
    assert one.status == "invited" and one.invited_by_id == staff.id


def test_invite_refusals(db, make, world):
    staff, challenge = world
    member = make.user()
    with pytest.raises(NotAllowed):
        services.invite_judge(member, challenge, staff.username)
    with pytest.raises(Invalid) as unknown:
        services.invite_judge(staff, challenge, "nobody@example.org")
    assert unknown.value.field == "judge"
    services.invite_judge(staff, challenge, member.username)
    with pytest.raises(Invalid, match="invited already"):
        services.invite_judge(staff, challenge, member.email)


def test_invitation_answered_once_by_the_invitee(db, make, world):
    staff, challenge = world
    judge, other = make.user(), make.user()
    invitation = services.invite_judge(staff, challenge, judge.username)
    with pytest.raises(NotFound):
        services.respond_to_invitation(other, invitation, accept=True)
    services.respond_to_invitation(judge, invitation, accept=False)
    assert not policy.is_judge(judge, challenge)
    with pytest.raises(InvalidTransition):
        services.respond_to_invitation(judge, invitation, accept=True)
    again = services.invite_judge(staff, challenge, judge.username)  # a decliner may be asked again
    services.respond_to_invitation(judge, again, accept=True)
    assert policy.is_judge(judge, challenge)


# -- rubric ------------------------------------------------------------------------

def test_default_rubric_comes_from_the_success_criteria(world):
    _staff, challenge = world
    assert [r["title"] for r in services.default_rubric(challenge)] == ["Removes 99% of bacteria"]


@pytest.mark.parametrize("row, field", [
    ({"title": "A", "weight": "heavy"}, "criteria-0-weight"),
    ({"title": "A", "weight": "nan"}, "criteria-0-weight"),
    ({"title": "A", "weight": "0"}, "criteria-0-weight"),
    ({"title": "A", "weight": "-1"}, "criteria-0-weight"),
    ({"title": "", "weight": "1"}, "criteria-0-title"),
    ({"title": "A", "scale_low": 5, "scale_high": 5}, "criteria-0-scale_high"),
    ({"title": "A", "scale_low": "one", "scale_high": 5}, "criteria-0-scale_low"),
])
def test_rubric_bad_input_names_the_field(db, world, row, field):
    staff, challenge = world
    with pytest.raises(Invalid) as error:
        services.set_rubric(staff, challenge, [row])
    assert error.value.field == field
    assert services.rubric(challenge) == []


def test_weight_with_a_decimal_comma_parses(world):
    staff, challenge = world
    [criterion] = services.set_rubric(staff, challenge, [{"title": "A", "weight": "1,5"}])
    assert criterion.weight == 1.5


def test_rubric_is_staff_only(make, world):
    _staff, challenge = world
    with pytest.raises(NotAllowed):
        services.set_rubric(make.user(), challenge, [{"title": "A"}])


def test_weights_and_scales_frozen_once_scoring_started(db, judged):
    staff, challenge, judges, rubric, ideas = judged
    services.save_scorecard(judges[0], ideas[0], {rubric[0].id: 3})
    rows = [{"title": "Hygiene", "weight": 3, "scale_low": 1, "scale_high": 5},
            {"title": "Cost", "weight": 1, "scale_low": 1, "scale_high": 10}]
    with pytest.raises(InvalidTransition, match="Scoring has started"):
        services.set_rubric(staff, challenge, rows)
    rows[0]["weight"] = 2
    rows[1]["scale_high"] = 5
    with pytest.raises(InvalidTransition):
        services.set_rubric(staff, challenge, rows)
    with pytest.raises(InvalidTransition):
        services.set_rubric(staff, challenge, rows[:1])
    rows[1]["scale_high"] = 10
    rows[0]["title"] = "Hygiene after a wash"  # wording may still change
    kept = services.set_rubric(staff, challenge, rows)
    assert [c.id for c in kept] == [c.id for c in rubric]
    assert kept[0].title == "Hygiene after a wash" and kept[0].weight == 2


def test_database_refuses_a_bad_criterion(db, world):
    from ideas.judging.models import RubricCriterion

    _staff, challenge = world
    db.session.add(RubricCriterion(challenge_id=challenge.id, position=1, title="A", weight=0))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# -- assignment -------------------------------------------------------------------

def test_balanced_assignment_never_gives_an_author_their_idea(db, make, world):
    staff, challenge = world
    judges = [make.user() for _ in range(4)]
    _panel(db, staff, challenge, judges)
    services.configure(staff, challenge, judges_per_idea=2)
    ideas = _shortlist(make, challenge, 5)
    authored = make.idea(challenge, author=judges[0], status="shortlisted")
    coauthored = make.idea(challenge, status="shortlisted")
    db.session.add(IdeaCoauthor(idea_id=coauthored.id, user_id=judges[1].id))
    db.session.flush()
    services.assign_shortlist(staff, challenge, "balanced")
    rows = db.session.scalars(select(JudgeAssignment)).all()
    pairs = {(a.judge_id, a.idea_id) for a in rows}
    assert (judges[0].id, authored.id) not in pairs
    assert (judges[1].id, coauthored.id) not in pairs
    per_idea = {i.id: sum(1 for a in rows if a.idea_id == i.id) for i in [*ideas, authored, coauthored]}
    assert set(per_idea.values()) == {2}
    loads = [sum(1 for a in rows if a.judge_id == j.id) for j in judges]
    assert max(loads) - min(loads) <= 1


def test_assignment_is_idempotent_and_picks_up_later_shortlisted_ideas(db, make, world):
    staff, challenge = world
    judges = [make.user() for _ in range(3)]
    _panel(db, staff, challenge, judges)
    services.configure(staff, challenge, judges_per_idea=2)
    _shortlist(make, challenge, 3)
    first = services.assign_shortlist(staff, challenge, "balanced")
    assert len(first) == 6
    assert services.assign_shortlist(staff, challenge, "balanced") == []
    late = make.idea(challenge, status="shortlisted")
    make.idea(challenge)  # not shortlisted: not judged
    second = services.assign_shortlist(staff, challenge, "balanced")
    assert {a.idea_id for a in second} == {late.id} and len(second) == 2
    assert _count(db, JudgeAssignment) == 8


def test_all_mode_gives_every_judge_every_idea_but_their_own(db, make, world):
    staff, challenge = world
    judges = [make.user() for _ in range(3)]
    _panel(db, staff, challenge, judges)
    _shortlist(make, challenge, 2)
    make.idea(challenge, author=judges[2], status="shortlisted")
    created = services.assign_shortlist(staff, challenge, "all")
    assert len(created) == 3 * 3 - 1


def test_assignment_refusals(db, make, world):
    staff, challenge = world
    with pytest.raises(NotAllowed):
        services.assign_shortlist(make.user(), challenge)
    with pytest.raises(Invalid) as no_judges:
        services.assign_shortlist(staff, challenge)
    assert no_judges.value.field == "judges"
    judges = [make.user() for _ in range(2)]
    _panel(db, staff, challenge, judges)
    with pytest.raises(Invalid) as empty:
        services.assign_shortlist(staff, challenge)
    assert empty.value.field == "shortlist"
    services.configure(staff, challenge, judges_per_idea=3)
    _shortlist(make, challenge, 2)
    with pytest.raises(Invalid) as short:
        services.assign_shortlist(staff, challenge, "balanced")
    assert short.value.field == "judges_per_idea"
    assert _count(db, JudgeAssignment) == 0
    with pytest.raises(Invalid):
        services.assign_shortlist(staff, challenge, "random")


def test_judges_per_idea_must_parse(world):
    staff, challenge = world
    for bad in ("three", "0", "99"):
        with pytest.raises(Invalid) as error:
            services.configure(staff, challenge, judges_per_idea=bad)
        assert error.value.field == "judges_per_idea"


def test_conflict_passes_the_idea_to_another_judge(db, make, world):
    staff, challenge = world
    judges = [make.user() for _ in range(3)]
    _panel(db, staff, challenge, judges)
    services.configure(staff, challenge, judges_per_idea=2)
    [idea] = _shortlist(make, challenge, 1)
    services.assign_shortlist(staff, challenge, "balanced")
    mine = policy.assignment_for(judges[0], idea)
    with pytest.raises(Invalid) as no_reason:
        services.declare_conflict(judges[0], mine, "  ")
    assert no_reason.value.field == "reason" and mine.status == "assigned"
    with pytest.raises(NotFound):
        services.declare_conflict(judges[1], mine, "not mine")
    replacement = services.declare_conflict(judges[0], mine, "My brother wrote it.")
    assert mine.status == "conflict" and mine.conflict_reason == "My brother wrote it."
    assert replacement.judge_id == judges[2].id
    assert policy.assignment_for(judges[0], idea) is None
    with pytest.raises(NotAllowed, match="not assigned"):
        services.save_scorecard(judges[0], idea, {})
    # a later assignment round never hands it back to the judge with the conflict
    assert services.assign_shortlist(staff, challenge, "balanced") == []
    assert services.assign_shortlist(staff, challenge, "all") == []


# -- scorecards ---------------------------------------------------------------------

def test_draft_is_kept_then_submitted_with_audit_trail(db, judged):
    _staff, _challenge, judges, rubric, ideas = judged
    hygiene, cost = rubric
    judge, idea = judges[0], ideas[0]
    card = services.save_scorecard(judge, idea, {hygiene.id: "4"}, "Nice steam idea", "Feasible?")
    assert card.status == "draft" and {s.criterion_id: s.value for s in card.scores} == {hygiene.id: 4}
    card = services.save_scorecard(judge, idea, {hygiene.id: 5, cost.id: 7})
    assert card.comment_for_author == "Nice steam idea"  # left as it was
    sent = []
    events.scorecard_submitted.connect(lambda sender, **kw: sent.append(kw["scorecard"]), weak=False)
    try:
        card = services.submit_scorecard(judge, idea)
    finally:
        events.scorecard_submitted.receivers.clear()
    assert card.status == "submitted" and card.submitted_at is not None and sent == [card]
    trail = db.session.scalars(select(ScoreChange).order_by(ScoreChange.id)).all()
    assert [(t.criterion_id, t.old_value, t.new_value, t.actor_id) for t in trail] == [
        (hygiene.id, None, 4, judge.id), (hygiene.id, 4, 5, judge.id), (cost.id, None, 7, judge.id)]


@pytest.mark.parametrize("value", ["0", "6", "-1", "4.5", "lots"])
def test_score_outside_the_scale_or_not_a_number_saves_nothing(db, judged, value):
    _staff, _challenge, judges, rubric, ideas = judged
    hygiene, cost = rubric
    with pytest.raises(Invalid) as error:
        services.save_scorecard(judges[0], ideas[0], {cost.id: 9, hygiene.id: value}, "comment")
    assert error.value.field == f"score-{hygiene.id}"
    assert _count(db, Scorecard) == 0 and _count(db, Score) == 0 and _count(db, ScoreChange) == 0


def test_unknown_criterion_is_refused(db, judged):
    _staff, _challenge, judges, _rubric, ideas = judged
    with pytest.raises(Invalid, match="not in the rubric"):
        services.save_scorecard(judges[0], ideas[0], {999999: 3})


def test_submit_with_a_criterion_missing_saves_nothing(db, judged):
    _staff, _challenge, judges, rubric, ideas = judged
    hygiene, cost = rubric
    services.save_scorecard(judges[0], ideas[0], {hygiene.id: 2})
    with pytest.raises(Invalid, match="Cost is missing") as error:
        services.submit_scorecard(judges[0], ideas[0], {hygiene.id: 3}, "changed comment")
    assert error.value.field == f"score-{cost.id}"
    card = services.scorecard_for(judges[0], ideas[0])
    assert card.status == "draft" and card.comment_for_author == ""
    assert [s.value for s in card.scores] == [2]


def test_second_submit_refused_until_staff_reopen(db, make, judged):
    staff, _challenge, judges, rubric, ideas = judged
    hygiene, cost = rubric
    card = services.submit_scorecard(judges[0], ideas[0], {hygiene.id: 2, cost.id: 3})
    with pytest.raises(InvalidTransition, match="already"):
        services.submit_scorecard(judges[0], ideas[0], {hygiene.id: 5, cost.id: 3})
    with pytest.raises(InvalidTransition):
        services.save_scorecard(judges[0], ideas[0], {hygiene.id: 5})
    assert [s.value for s in card.scores] == [2, 3]
    with pytest.raises(NotAllowed):
        services.reopen_scorecard(judges[0], card)
    with pytest.raises(NotAllowed):
        services.reopen_scorecard(make.user(), card)
    services.reopen_scorecard(staff, card)
    assert card.status == "draft" and card.reopened_by_id == staff.id
    with pytest.raises(InvalidTransition):
        services.reopen_scorecard(staff, card)
    services.submit_scorecard(judges[0], ideas[0], {hygiene.id: 5})
    assert [s.value for s in card.scores] == [5, 3]
    assert len(services.score_history(staff, card)) == 3


def test_scoring_an_idea_not_assigned(db, make, judged):
    staff, challenge, judges, rubric, _ideas = judged
    unassigned = make.idea(challenge, status="shortlisted")
    with pytest.raises(NotAllowed, match="not assigned"):
        services.save_scorecard(judges[0], unassigned, {rubric[0].id: 3})
    with pytest.raises(NotAllowed):
        services.save_scorecard(make.user(), _ideas[0], {rubric[0].id: 3})
    assert _count(db, Scorecard) == 0


def test_a_judge_who_is_an_author_cannot_score(db, make, judged):
    _staff, _challenge, judges, rubric, ideas = judged
    # made co-author after the assignment: still refused
    db.session.add(IdeaCoauthor(idea_id=ideas[1].id, user_id=judges[1].id))
    db.session.flush()
    db.session.expire(ideas[1])
    with pytest.raises(NotAllowed, match="wrote or co-wrote"):
        services.save_scorecard(judges[1], ideas[1], {rubric[0].id: 3})
    assert not policy.may_judge(judges[1], ideas[1])
    assert _count(db, Scorecard) == 0


def test_score_unique_per_scorecard_and_criterion_in_the_database(db, judged):
    _staff, _challenge, judges, rubric, ideas = judged
    card = services.save_scorecard(judges[0], ideas[0], {rubric[0].id: 3})
    db.session.add(Score(scorecard_id=card.id, criterion_id=rubric[0].id, value=4))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# -- ranking, visibility, publication ---------------------------------------------------

def test_ranking_calibrates_a_harsh_judge_and_reports_alpha(db, judged):
    staff, challenge, judges, rubric, ideas = judged
    hygiene, cost = rubric
    # judges 0 and 1 agree; judge 2 is harsher by a constant but ranks the same way
    table = {0: [(5, 9), (4, 7), (3, 5), (2, 3)], 1: [(5, 10), (4, 8), (3, 4), (2, 2)],
             2: [(3, 5), (2, 4), (1, 3), (1, 1)]}
    for j, rows in table.items():
        for idea, (h, c) in zip(ideas, rows, strict=True):
            services.submit_scorecard(judges[j], idea, {hygiene.id: h, cost.id: c})
    result = services.judging_ranking(staff, challenge)
    assert [r.idea for r in result["rows"]] == [i.id for i in ideas]
    assert all(r.count == 3 for r in result["rows"])
    assert result["alpha"] is not None and all(cal.calibrated for cal in result["judges"].values())
    assert result["low_agreement"] == (result["alpha"] < 0.667)
    harsh = result["judges"][judges[2].id]
    assert harsh.mean < result["judges"][judges[0].id].mean


def test_drafts_do_not_count_in_the_ranking(db, judged):
    staff, challenge, judges, rubric, ideas = judged
    services.save_scorecard(judges[0], ideas[0], {rubric[0].id: 5, rubric[1].id: 10})
    assert services.judging_ranking(staff, challenge)["rows"] == []


def test_only_staff_see_scores_and_the_ranking(db, make, judged):
    staff, challenge, judges, rubric, ideas = judged
    card = services.save_scorecard(judges[0], ideas[0], {rubric[0].id: 5})
    for outsider in (judges[1], ideas[0].author, make.user(), None):
        if outsider is not None:
            with pytest.raises(NotAllowed):
                services.judging_ranking(outsider, challenge)
        assert not policy.can_see_scores(outsider, challenge, services.setup_for(challenge))
        assert not policy.can_see_scorecard(outsider, card, challenge)
    assert policy.can_see_scorecard(judges[0], card, challenge)
    assert policy.can_see_scorecard(staff, card, challenge)


def test_judge_queue_clause_lists_only_their_live_assignments(db, make, judged):
    _staff, challenge, judges, rubric, ideas = judged
    services.save_scorecard(judges[0], ideas[0], {rubric[0].id: 4})
    services.declare_conflict(judges[0], policy.assignment_for(judges[0], ideas[0]), "I advised the author.")
    assert _count(db, ScoreChange) == 1  # the draft's trail is kept
    with pytest.raises(NotAllowed):
        services.submit_scorecard(judges[0], ideas[0], {rubric[0].id: 4, rubric[1].id: 4})
    queue = db.session.scalars(select(JudgeAssignment.idea_id).where(policy.judged_by(judges[0]))).all()
    assert sorted(queue) == sorted(i.id for i in ideas[1:])
    assert db.session.scalars(select(JudgeAssignment).where(policy.judged_by(make.user()))).all() == []


def test_author_sees_comments_only_after_publication(db, judged):
    staff, challenge, _judges, _rubric, ideas = judged
    author = ideas[0].author
    assert not policy.can_see_author_comments(author, ideas[0], services.setup_for(challenge))
    with pytest.raises(InvalidTransition, match="4 are still only shortlisted"):
        services.publish_results(staff, challenge)
    services.select_idea(staff, ideas[0], "The panel's favourite: cheap and hygienic.")
    for idea in ideas[1:]:
        services.decline_idea(staff, idea, "Too costly to build for now, thank you.")
    sent = []
    events.judging_published.connect(lambda sender, **kw: sent.append(kw["challenge"]), weak=False)
    try:
        setup = services.publish_results(staff, challenge)
    finally:
        events.judging_published.receivers.clear()
    assert sent == [challenge]
    assert policy.can_see_author_comments(author, ideas[0], setup)
    with pytest.raises(InvalidTransition):
        services.publish_results(staff, challenge)


# -- following the panel, decisions, what the idea page says ------------------------------

def _score_all(judged, values):
    """Each judge submits every idea with the same value on both criteria (by judge)."""
    _staff, _challenge, judges, rubric, ideas = judged
    for judge, per_idea in zip(judges, values, strict=True):
        for idea, value in zip(ideas, per_idea, strict=True):
            services.submit_scorecard(judge, idea, {rubric[0].id: value, rubric[1].id: value},
                                      comment_for_author=f"Comment {value} from {judge.username}")


def test_idea_shortlisted_later_is_given_to_the_panel_the_same_way(db, make, judged):
    from ideas.submissions import moderation

    staff, challenge, judges, _rubric, _ideas = judged
    late = make.idea(challenge, status="submitted")
    moderation.shortlist(staff, late, "Came in late but strong.")
    assigned = set(db.session.scalars(select(JudgeAssignment.judge_id).where(JudgeAssignment.idea_id == late.id)))
    assert assigned == {j.id for j in judges}  # "all" mode: every judge


def test_progress_counts_and_reminders_once_a_day(db, make, judged):
    from datetime import timedelta

    staff, challenge, judges, rubric, ideas = judged
    services.submit_scorecard(judges[0], ideas[0], {rubric[0].id: 3, rubric[1].id: 7})
    services.save_scorecard(judges[1], ideas[0], {rubric[0].id: 2})
    report = services.progress(staff, challenge)
    by_judge = {r["judge"].id: r for r in report["rows"]}
    assert by_judge[judges[0].id]["submitted"] == 1 and by_judge[judges[0].id]["pending"] == 3
    assert by_judge[judges[1].id]["drafts"] == 1 and by_judge[judges[1].id]["submitted"] == 0
    assert report["assigned"] == 12 and report["submitted"] == 1
    sent = []
    events.judges_reminded.connect(lambda sender, **kw: sent.extend(kw["judges"]), weak=False)
    try:
        assert services.remind_late_judges(staff, challenge) == 3
        with pytest.raises(Invalid, match="less than a day"):
            services.remind_late_judges(staff, challenge)
        later = services.progress(staff, challenge)["rows"][0]["invitation"].reminded_at + timedelta(hours=25)
        assert services.remind_late_judges(staff, challenge, judge_id=judges[2].id, now=later) == 1
    finally:
        events.judges_reminded.receivers.clear()
    assert [(u.id, n) for u, n in sent[:3]] == [(judges[0].id, 3), (judges[1].id, 4), (judges[2].id, 4)]
    with pytest.raises(NotAllowed):
        services.progress(judges[0], challenge)


def test_judge_queue_lists_only_their_live_assignments(db, make, judged):
    staff, challenge, judges, rubric, ideas = judged
    services.submit_scorecard(judges[0], ideas[1], {rubric[0].id: 3, rubric[1].id: 7})
    page = services.challenge_queue(judges[0], challenge)
    assert [row[1] for row in page.items] == [ideas[0].id, ideas[2].id, ideas[3].id, ideas[1].id]
    assert page.items[-1][-1] == "submitted"
    assert services.queue_summary(judges[0])[0]["submitted"] == 1
    assert services.pending_count(judges[0]) == 3
    outsider = make.user()
    with pytest.raises(NotFound):
        services.challenge_queue(outsider, challenge)
    assert services.queue_summary(outsider) == [] and services.pending_count(outsider) == 0


def test_decisions_wait_for_publication_can_change_and_apply_then(db, make, judged):
    from ideas.judging.models import JudgingDecision
    from ideas.submissions import moderation

    staff, challenge, judges, _rubric, ideas = judged
    with pytest.raises(Invalid) as error:
        services.select_idea(staff, ideas[0], "  ")
    assert error.value.field == "reason"
    with pytest.raises(NotAllowed):
        services.select_idea(judges[0], ideas[0], "I like it very much indeed.")
    services.select_idea(staff, ideas[0], "Cheap, hygienic and loved by the panel.")
    assert ideas[0].status == "shortlisted"  # nobody learns it before the publication
    services.decline_idea(staff, ideas[0], "On second thoughts: too costly for now.")  # changed
    assert services.pending_decision(ideas[0]).to_status == "declined"
    services.undo_decision(staff, ideas[0])
    assert services.pending_decision(ideas[0]) is None
    with pytest.raises(InvalidTransition):
        services.undo_decision(staff, ideas[0])
    with pytest.raises(Invalid):
        services.decline_idea(staff, ideas[1], "no")
    # the idea page's own decline cannot bypass the judging while it runs
    with pytest.raises(InvalidTransition, match="being judged"):
        moderation.decline(staff, ideas[1], "Declined from the idea page instead.")
    assert ideas[1].status == "shortlisted"
    services.select_idea(staff, ideas[0], "Cheap, hygienic and loved by the panel.")
    for idea in ideas[1:]:
        services.decline_idea(staff, idea, "Too costly to build for now, thank you.")
    services.publish_results(staff, challenge)
    assert [i.status for i in ideas] == ["selected", "declined", "declined", "declined"]
    assert ideas[0].status_reason == "Cheap, hygienic and loved by the panel."
    assert db.session.scalar(select(func.count()).select_from(JudgingDecision)
                             .where(JudgingDecision.applied_at.is_(None))) == 0
    with pytest.raises(InvalidTransition, match="published"):
        services.invite_judge(staff, challenge, make.user().username)

def test_calibrated_ranking_differs_from_raw_mean_with_a_harsh_judge(db, make, world):
    """Nine ideas, one judge each (three each). Two judges score their ideas 3, 4 and 5;
    the harsh one 1, 2 and 3. By raw mean the harsh judge's best idea sits among the
    others' worst; calibrated, each judge's best idea is as good as the others' best."""
    staff, challenge = world
    judges = [make.user() for _ in range(3)]
    _panel(db, staff, challenge, judges)
    rubric = services.set_rubric(staff, challenge, [
        {"title": "Hygiene", "weight": "2", "scale_low": 1, "scale_high": 5},
        {"title": "Cost", "weight": "1", "scale_low": 1, "scale_high": 10},
    ])
    services.configure(staff, challenge, blind=True, judges_per_idea=1)
    ideas = {i.id: i for i in _shortlist(make, challenge, 9)}
    services.assign_shortlist(staff, challenge, "balanced")
    best = {}
    for judge, values in zip(judges, [(3, 4, 5), (3, 4, 5), (1, 2, 3)], strict=True):
        mine = sorted(db.session.scalars(select(JudgeAssignment.idea_id).where(JudgeAssignment.judge_id == judge.id)))
        assert len(mine) == 3  # loads within one: exactly three each
        for idea_id, value in zip(mine, values, strict=True):
            services.submit_scorecard(judge, ideas[idea_id], {rubric[0].id: value, rubric[1].id: value})
        best[judge.id] = mine[-1]
    page = services.ranking_page(staff, challenge)
    raw_order = [r.idea for r in sorted(page["rows"], key=lambda r: (-r.raw, r.idea))]
    cal_order = [r.idea for r in page["rows"]]
    harsh_best = best[judges[2].id]
    assert set(cal_order[:3]) == set(best.values())
    assert raw_order.index(harsh_best) >= 4  # behind the soft judges' 5s and 4s
    assert page["judges"][judges[2].id].calibrated and page["judges"][judges[2].id].mean < page["judges"][judges[0].id].mean
    assert page["undecided"] == 9 and set(page["judge_users"]) == {j.id for j in judges}


def test_community_comparison_has_tau_and_disagreements(db, make, judged):
    staff, challenge, _judges, _rubric, ideas = judged
    _score_all(judged, [[5, 4, 3, 2], [5, 4, 3, 2], [4, 3, 2, 1]])
    for idea, score in zip(ideas, [0.1, 0.2, 0.3, 0.4], strict=True):  # the crowd sees it backwards
        idea.score = score
    db.session.flush()
    result = services.community_comparison(staff, challenge)
    assert result["tau_votes"] == pytest.approx(-1.0)
    assert result["tau_pairwise"] is None  # no comparisons yet
    assert result["disagree_votes"][0][1:] in {(1, 4), (4, 1)}
    assert [r["jury"] for r in result["rows"]] == [1, 2, 3, 4]


def test_idea_state_by_role_and_comments_only_after_publication(db, make, judged):
    staff, challenge, judges, _rubric, ideas = judged
    _score_all(judged, [[5, 4, 3, 2], [5, 4, 3, 2], [4, 3, 2, 1]])
    assert services.idea_state(staff, ideas[0])["submitted"] == 3
    assert services.idea_state(judges[0], ideas[0])["card"].status == "submitted"
    author = ideas[0].author
    assert services.idea_state(author, ideas[0]) is None
    assert services.idea_state(make.user(), ideas[0]) is None
    services.select_idea(staff, ideas[0], "Cheap, hygienic and loved by the panel.")
    for idea in ideas[1:]:
        services.decline_idea(staff, idea, "Too costly to build for now, thank you.")
    services.publish_results(staff, challenge)
    state = services.idea_state(author, ideas[0])
    assert state["blind"] and len(state["comments"]) == 3
    assert all(c["judge"] is None for c in state["comments"])  # blind: nobody named
    assert services.idea_state(make.user(), ideas[0]) is None


def test_scorecards_close_once_the_idea_is_decided_or_results_published(db, judged):
    staff, challenge, judges, rubric, ideas = judged
    services.save_scorecard(judges[0], ideas[1], {rubric[0].id: 3})
    services.select_idea(staff, ideas[0], "Cheap, hygienic and loved by the panel.")
    for idea in ideas[1:]:
        services.decline_idea(staff, idea, "Too costly to build for now, thank you.")
    services.publish_results(staff, challenge)
    with pytest.raises(InvalidTransition, match="published"):
        services.submit_scorecard(judges[0], ideas[0], {rubric[0].id: 3, rubric[1].id: 3})
    with pytest.raises(InvalidTransition, match="published"):
        services.save_scorecard(judges[0], ideas[1], {rubric[0].id: 4})
    assert [s.value for s in services.scorecard_for(judges[0], ideas[1]).scores] == [3]
