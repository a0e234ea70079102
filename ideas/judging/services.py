"""Judging services: set up the panel and the rubric, assign the shortlist, score it,
rank it. Plain functions with an explicit actor and `now`; they add and flush, send
events and raise the domain errors of ideas.core.errors; they never commit.

Every input is checked before anything is written, so a refused call leaves nothing
half-saved. The arithmetic (totals, calibration, agreement, assignment) is scoring.py's.
"""

from __future__ import annotations

import contextlib
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import case, delete, func, or_, select
from sqlalchemy.orm import selectinload

from ideas.accounts.models import User
from ideas.challenges.models import Challenge
from ideas.core import events
from ideas.core.db import utcnow
from ideas.core.errors import Invalid, InvalidTransition, NotAllowed, NotFound
from ideas.core.pagination import Page
from ideas.extensions import db
from ideas.judging import policy, scoring
from ideas.judging.models import (
    JudgeAssignment,
    JudgeInvitation,
    JudgingDecision,
    JudgingSetup,
    RubricCriterion,
    Score,
    Scorecard,
    ScoreChange,
)
from ideas.submissions import moderation, pairwise
from ideas.submissions.models import Idea, IdeaCoauthor

MAX_TEXT = 5000
MAX_JUDGES_PER_IDEA = 20
MAX_CRITERIA = 20
ASSIGN_MODES = ("all", "balanced")
DEFAULT_SCALE = (1, 5)


def _require_staff(actor, challenge: Challenge) -> None:
    if not policy.is_staff(actor, challenge):
        raise NotAllowed(_("Only the challenge's staff can do this."))


def _text(value: str | None, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(_("Please give a reason."), field=field)
    if len(value) > limit:
        raise Invalid(_("Please write at most %(n)d characters.", n=limit), field=field)
    return value


# -- setup and panel --------------------------------------------------------------

def setup_for(challenge: Challenge) -> JudgingSetup | None:
    return db.session.scalar(select(JudgingSetup).where(JudgingSetup.challenge_id == challenge.id))


def configure(actor, challenge: Challenge, *, blind: bool = True, judges_per_idea=3, now=None) -> JudgingSetup:
    """Staff choose blind review and how many judges each idea needs (1 to 20)."""
    _require_staff(actor, challenge)
    try:
        per_idea = int(str(judges_per_idea).strip())
    except ValueError:
        raise Invalid(_("Enter a whole number of judges per idea."), field="judges_per_idea") from None
    if not 1 <= per_idea <= MAX_JUDGES_PER_IDEA:
        raise Invalid(ngettext("Each idea needs between 1 and %(num)d judge.", "Each idea needs between 1 and %(num)d judges.",
                                MAX_JUDGES_PER_IDEA),
                      field="judges_per_idea")
    setup = setup_for(challenge)
    if setup is None:
        setup = JudgingSetup(challenge_id=challenge.id, created_at=now or utcnow())
        db.session.add(setup)
    setup.blind = bool(blind)
    setup.judges_per_idea = per_idea
    setup.updated_at = now or utcnow()
    db.session.flush()
    return setup


def _ensure_setup(challenge: Challenge, now=None) -> JudgingSetup:
    setup = setup_for(challenge)
    if setup is None:
        setup = JudgingSetup(challenge_id=challenge.id, created_at=now or utcnow(), updated_at=now or utcnow())
        db.session.add(setup)
        db.session.flush()
    return setup


def invite_judge(actor, challenge: Challenge, who: str, now=None) -> JudgeInvitation:
    """Invite a member (by username or email) to the panel; a member who declined may be
    invited again, one already invited or on the panel may not."""
    _require_staff(actor, challenge)
    who = (who or "").strip()
    if not who:
        raise Invalid(_("Enter the judge's username or email address."), field="judge")
    user = db.session.scalar(select(User).where(or_(User.username == who, User.email == who.lower())))
    if user is None:
        raise Invalid(_("No member has that username or email address."), field="judge")
    now = now or utcnow()
    if policy.is_published(setup_for(challenge)):
        raise InvalidTransition(_("The results are published: the panel is closed."))
    invitation = db.session.scalar(select(JudgeInvitation).where(
        JudgeInvitation.challenge_id == challenge.id, JudgeInvitation.user_id == user.id))
    if invitation is not None and invitation.status != "declined":
        raise Invalid(_("%(name)s is invited already.", name=user.display_name), field="judge")
    _ensure_setup(challenge, now)
    if invitation is None:
        invitation = JudgeInvitation(challenge_id=challenge.id, user_id=user.id)
        db.session.add(invitation)
    invitation.status = "invited"
    invitation.invited_by_id = actor.id
    invitation.created_at = now
    invitation.responded_at = None
    db.session.flush()
    events.judging_invited.send(invitation, invitation=invitation, challenge=challenge, actor=actor)
    return invitation


def respond_to_invitation(user, invitation: JudgeInvitation, accept: bool, now=None) -> JudgeInvitation:
    """The invited member accepts or declines, once."""
    if not policy.authenticated(user) or invitation.user_id != user.id:
        raise NotFound(_("We could not find that invitation."))
    if invitation.status != "invited":
        raise InvalidTransition(_("You answered this invitation already."))
    invitation.status = "accepted" if accept else "declined"
    invitation.responded_at = now or utcnow()
    db.session.flush()
    return invitation


def panel(challenge: Challenge) -> list[int]:
    """The accepted judges' ids, in the order they were invited."""
    return list(db.session.scalars(select(JudgeInvitation.user_id).where(
        JudgeInvitation.challenge_id == challenge.id, JudgeInvitation.status == "accepted")
        .order_by(JudgeInvitation.id)))


# -- rubric -----------------------------------------------------------------------

def rubric(challenge: Challenge) -> list[RubricCriterion]:
    return list(db.session.scalars(select(RubricCriterion).where(RubricCriterion.challenge_id == challenge.id)
                                   .order_by(RubricCriterion.position)))


def default_rubric(challenge: Challenge) -> list[dict]:
    """The rubric staff start from: one criterion per success criterion of the
    challenge, weight 1, scale 1-5."""
    low, high = DEFAULT_SCALE
    return [{"title": c.text, "description": "", "weight": 1, "scale_low": low, "scale_high": high}
            for c in challenge.criteria]


def _number(value, field: str, *, whole: bool) -> float | int:
    text = str(value if value is not None else "").strip().replace(",", ".")
    try:
        number = int(text) if whole else float(text)
    except ValueError:
        message = _("Enter a whole number.") if whole else _("Enter a number, such as 1 or 1.5.")
        raise Invalid(message, field=field) from None
    if not whole and not math.isfinite(number):
        raise Invalid(_("Enter a number, such as 1 or 1.5."), field=field)
    return number


def _parse_rubric(rows: Sequence[Mapping]) -> list[dict]:
    if not rows:
        raise Invalid(_("A rubric needs at least one criterion."), field="criteria")
    if len(rows) > MAX_CRITERIA:
        raise Invalid(ngettext("A rubric has at most %(num)d criterion.", "A rubric has at most %(num)d criteria.", MAX_CRITERIA), field="criteria")
    parsed = []
    for i, row in enumerate(rows):
        prefix = f"criteria-{i}-"
        title = (row.get("title") or "").strip()
        if not title:
            raise Invalid(_("Give the criterion a title."), field=prefix + "title")
        if len(title) > 200:
            raise Invalid(_("Please write at most %(n)d characters.", n=200), field=prefix + "title")
        weight = _number(row.get("weight", 1), prefix + "weight", whole=False)
        if weight <= 0 or weight > 1000:
            raise Invalid(_("A weight is a number above 0 (at most 1000)."), field=prefix + "weight")
        low = _number(row.get("scale_low", DEFAULT_SCALE[0]), prefix + "scale_low", whole=True)
        high = _number(row.get("scale_high", DEFAULT_SCALE[1]), prefix + "scale_high", whole=True)
        if not low < high:
            raise Invalid(_("The top of the scale must be above its bottom."), field=prefix + "scale_high")
        if high - low > 100 or low < -100:
            raise Invalid(_("Use a scale of at most 100 steps, such as 1-5 or 1-10."), field=prefix + "scale_high")
        parsed.append({"title": title, "description": _text(row.get("description"), prefix + "description"),
                       "weight": float(weight), "scale_low": low, "scale_high": high})
    return parsed


def scoring_started(challenge: Challenge) -> bool:
    return db.session.scalar(select(Score.id).join(RubricCriterion, RubricCriterion.id == Score.criterion_id)
                             .where(RubricCriterion.challenge_id == challenge.id).limit(1)) is not None


def set_rubric(actor, challenge: Challenge, rows: Sequence[Mapping], now=None) -> list[RubricCriterion]:
    """Replace the rubric (rows of title, description, weight, scale_low, scale_high).
    Once any score exists, only titles and descriptions may change: weights, scales and
    the list of criteria are fixed, or the scores already given would mean something else."""
    _require_staff(actor, challenge)
    parsed = _parse_rubric(rows)
    current = rubric(challenge)
    if scoring_started(challenge):
        same = len(parsed) == len(current) and all(
            p["weight"] == c.weight and p["scale_low"] == c.scale_low and p["scale_high"] == c.scale_high
            for p, c in zip(parsed, current, strict=True))
        if not same:
            raise InvalidTransition(_("Scoring has started: the criteria, their weights and scales can no "
                                      "longer change, or the scores already given would mean something else."))
    _ensure_setup(challenge, now)
    # Positions move out of the way first, so the unique (challenge, position) holds throughout.
    for c in current:
        c.position = -c.id
    db.session.flush()
    kept = []
    for i, p in enumerate(parsed):
        c = current[i] if i < len(current) else RubricCriterion(challenge_id=challenge.id)
        if i >= len(current):
            db.session.add(c)
        c.position = i + 1
        for key, value in p.items():
            setattr(c, key, value)
        kept.append(c)
    for c in current[len(parsed):]:
        db.session.delete(c)
    db.session.flush()
    return kept


# -- assignment ---------------------------------------------------------------------

def _shortlist_ids(challenge: Challenge) -> list[int]:
    return list(db.session.scalars(select(Idea.id).where(
        Idea.challenge_id == challenge.id, Idea.status == "shortlisted", Idea.hidden_at.is_(None))
        .order_by(Idea.id)))


def _author_pairs(idea_ids: list[int]) -> set[tuple[int, int]]:
    """(user, idea) for every author and co-author of these ideas."""
    if not idea_ids:
        return set()
    pairs = {(user, idea) for user, idea in db.session.execute(
        select(Idea.author_id, Idea.id).where(Idea.id.in_(idea_ids)))}
    pairs |= {(user, idea) for user, idea in db.session.execute(
        select(IdeaCoauthor.user_id, IdeaCoauthor.idea_id).where(IdeaCoauthor.idea_id.in_(idea_ids)))}
    return pairs


def _assignments(challenge: Challenge) -> list[JudgeAssignment]:
    return list(db.session.scalars(select(JudgeAssignment).where(JudgeAssignment.challenge_id == challenge.id)))


def assign_shortlist(actor, challenge: Challenge, mode: str = "balanced", now=None) -> list[JudgeAssignment]:
    """Give the shortlist to the panel: every judge every idea ("all"), or each idea the
    setup's number of judges with loads within one ("balanced"). Never an author or a
    co-author, never a judge who declared a conflict on the idea. Idempotent: a second
    call only assigns what is new (ideas shortlisted or judges accepted since).
    Returns the new assignments."""
    _require_staff(actor, challenge)
    if mode not in ASSIGN_MODES:
        raise Invalid(_("Choose to give every idea to every judge, or a balanced assignment."), field="mode")
    judges = panel(challenge)
    if not judges:
        raise Invalid(_("No judge has accepted an invitation yet."), field="judges")
    ideas = _shortlist_ids(challenge)
    if not ideas:
        raise Invalid(_("The shortlist is empty."), field="shortlist")
    setup = _ensure_setup(challenge, now)
    if setup.published_at is not None:
        raise InvalidTransition(_("The results are published: the panel is closed."))
    rows = _assignments(challenge)
    taken = {(a.judge_id, a.idea_id) for a in rows}  # live or conflict: never assigned again
    excluded = _author_pairs(ideas) | taken
    now = now or utcnow()
    if mode == "all":
        new = {idea: [j for j in judges if (j, idea) not in excluded] for idea in ideas}
    else:
        existing: dict[int, list[int]] = defaultdict(list)
        for a in rows:
            if a.status == "assigned":
                existing[a.idea_id].append(a.judge_id)
        try:
            new = scoring.assign_balanced(ideas, judges, setup.judges_per_idea, excluded, existing)
        except scoring.AssignmentError as error:
            raise Invalid(_("An idea needs %(needed)s but only %(available)d of the panel can judge "
                            "it (the others wrote it or declared a conflict): invite more judges or ask "
                            "for fewer per idea.", available=error.available,
                            needed=ngettext("%(num)d judge", "%(num)d judges", error.needed)),
                          field="judges_per_idea") from None
    setup.assign_mode = mode
    created = []
    for idea, chosen in new.items():
        for judge in chosen:
            assignment = JudgeAssignment(challenge_id=challenge.id, idea_id=idea, judge_id=judge, assigned_at=now)
            db.session.add(assignment)
            created.append(assignment)
    db.session.flush()
    return created


def declare_conflict(judge, assignment: JudgeAssignment, reason: str, now=None) -> JudgeAssignment | None:
    """A judge declares a conflict of interest on an assigned idea (reason required); the
    idea passes to the panel's least loaded judge who can take it. Returns the new
    assignment, or None when nobody can (staff see the idea short of a judge)."""
    if not policy.authenticated(judge) or assignment.judge_id != judge.id:
        raise NotFound(_("We could not find that assignment."))
    reason = _text(reason, "reason", required=True, limit=500)
    if assignment.status != "assigned":
        raise InvalidTransition(_("You declared a conflict on this idea already."))
    card = db.session.scalar(select(Scorecard).where(Scorecard.assignment_id == assignment.id))
    if card is not None and card.status == "submitted":
        raise InvalidTransition(_("You submitted this scorecard already; ask the staff to reopen it first."))
    now = now or utcnow()
    # A draft stays (with its audit trail) but counts nowhere: only submitted cards rank,
    # and the judge can no longer change it without a live assignment.
    challenge = db.session.get(Challenge, assignment.challenge_id)
    rows = [a for a in _assignments(challenge) if a.idea_id == assignment.idea_id]
    per_idea = sum(1 for a in rows if a.status == "assigned")  # the idea keeps as many judges as it had
    assignment.status = "conflict"
    assignment.conflict_reason = reason
    assignment.conflict_at = now
    db.session.flush()
    excluded = _author_pairs([assignment.idea_id]) | {(a.judge_id, a.idea_id) for a in rows}
    existing = {assignment.idea_id: [a.judge_id for a in rows if a.status == "assigned"]}
    try:
        new = scoring.assign_balanced([assignment.idea_id], _loads_order(challenge), per_idea, excluded, existing)
    except scoring.AssignmentError:
        return None
    replacement = None
    for judge_id in new.get(assignment.idea_id, []):
        replacement = JudgeAssignment(challenge_id=challenge.id, idea_id=assignment.idea_id,
                                      judge_id=judge_id, assigned_at=now)
        db.session.add(replacement)
    db.session.flush()
    return replacement


def _loads_order(challenge: Challenge) -> list[int]:
    """The panel, lightest live load first (ties in invitation order): whom a passed-on
    idea goes to."""
    judges = panel(challenge)
    loads = {judge: count for judge, count in db.session.execute(
        select(JudgeAssignment.judge_id, func.count()).where(
            JudgeAssignment.challenge_id == challenge.id, JudgeAssignment.status == "assigned")
        .group_by(JudgeAssignment.judge_id))}
    return sorted(judges, key=lambda j: (loads.get(j, 0), judges.index(j)))


# -- scorecards ---------------------------------------------------------------------

def _judge_assignment(judge, idea: Idea) -> JudgeAssignment:
    if not policy.authenticated(judge):
        raise NotAllowed(_("Log in to judge."))
    if policy.is_author(judge, idea):
        raise NotAllowed(_("You cannot judge an idea you wrote or co-wrote."))
    assignment = policy.assignment_for(judge, idea)
    if assignment is None or not policy.is_judge(judge, idea.challenge):
        raise NotAllowed(_("This idea is not assigned to you."))
    return assignment


def _parse_scores(scores: Mapping, criteria: list[RubricCriterion]) -> dict[int, int | None]:
    """criterion id -> value (None: left blank); every value a whole number on its scale."""
    by_id = {c.id: c for c in criteria}
    parsed: dict[int, int | None] = {}
    for key, raw in (scores or {}).items():
        try:
            criterion = by_id[int(key)]
        except (KeyError, TypeError, ValueError):
            raise Invalid(_("This criterion is not in the rubric."), field=f"score-{key}") from None
        field = f"score-{criterion.id}"
        if raw is None or str(raw).strip() == "":
            parsed[criterion.id] = None
            continue
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise Invalid(_("%(criterion)s: enter a whole number.", criterion=criterion.title), field=field) from None
        if not criterion.scale_low <= value <= criterion.scale_high:
            raise Invalid(_("%(criterion)s: score from %(low)d to %(high)d.", criterion=criterion.title,
                            low=criterion.scale_low, high=criterion.scale_high), field=field)
        parsed[criterion.id] = value
    return parsed


def scorecard_for(judge, idea: Idea) -> Scorecard | None:
    if not policy.authenticated(judge):
        return None
    return db.session.scalar(select(Scorecard).where(Scorecard.idea_id == idea.id, Scorecard.judge_id == judge.id))


def scoring_closed(idea: Idea) -> str | None:
    """Why the idea's scorecards no longer change (results published, or the idea decided
    already), or None while it is being judged."""
    if policy.is_published(setup_for(idea.challenge)):
        return _("The results are published: the scorecards are closed.")
    if idea.status != "shortlisted":
        return _("The staff have decided on this idea already: its scorecards are closed.")
    return None


def _write(judge, idea: Idea, scores, comment_for_author, note_for_staff, now, *, submit: bool) -> Scorecard:
    assignment = _judge_assignment(judge, idea)
    closed = scoring_closed(idea)
    if closed:
        raise InvalidTransition(closed)
    criteria = rubric(idea.challenge)
    if not criteria:
        raise InvalidTransition(_("The rubric is not ready yet."))
    card = scorecard_for(judge, idea)
    if card is not None and card.status == "submitted":
        raise InvalidTransition(_("You submitted this scorecard already; ask the staff to reopen it to change it."))
    parsed = _parse_scores(scores, criteria)
    comment = _text(comment_for_author, "comment_for_author") if comment_for_author is not None else None
    note = _text(note_for_staff, "note_for_staff") if note_for_staff is not None else None
    current = {s.criterion_id: s for s in card.scores} if card is not None else {}
    merged = {cid: s.value for cid, s in current.items()}
    merged.update(parsed)
    if submit:
        for c in criteria:
            if merged.get(c.id) is None:
                raise Invalid(_("Score every criterion before you submit: %(criterion)s is missing.",
                                criterion=c.title), field=f"score-{c.id}")
    # Everything is checked: now write.
    now = now or utcnow()
    if card is None:
        card = Scorecard(assignment_id=assignment.id, judge_id=judge.id, idea_id=idea.id, created_at=now)
        db.session.add(card)
        db.session.flush()
    for cid, value in parsed.items():
        score = current.get(cid)
        old = score.value if score is not None else None
        if old == value:
            continue
        if value is None:
            db.session.delete(score)
        elif score is None:
            card.scores.append(Score(criterion_id=cid, value=value))
        else:
            score.value = value
        db.session.add(ScoreChange(scorecard_id=card.id, criterion_id=cid, actor_id=judge.id,
                                   old_value=old, new_value=value, changed_at=now))
    if comment is not None:
        card.comment_for_author = comment
    if note is not None:
        card.note_for_staff = note
    card.updated_at = now
    if submit:
        card.status = "submitted"
        card.submitted_at = now
    db.session.flush()
    db.session.expire(card, ["scores"])
    return card


def save_scorecard(judge, idea: Idea, scores: Mapping, comment_for_author: str | None = None,
                   note_for_staff: str | None = None, now=None) -> Scorecard:
    """Keep a draft: the scores given so far (blank ones cleared), each on its scale."""
    return _write(judge, idea, scores, comment_for_author, note_for_staff, now, submit=False)


def submit_scorecard(judge, idea: Idea, scores: Mapping | None = None, comment_for_author: str | None = None,
                     note_for_staff: str | None = None, now=None) -> Scorecard:
    """Save and submit: every criterion must be scored; a submitted card is final until
    staff reopen it."""
    card = _write(judge, idea, scores or {}, comment_for_author, note_for_staff, now, submit=True)
    events.scorecard_submitted.send(card, scorecard=card, idea=idea, judge=judge)
    return card


def reopen_scorecard(actor, scorecard: Scorecard, now=None) -> Scorecard:
    """Staff reopen a submitted scorecard so its judge can change it."""
    idea = db.session.get(Idea, scorecard.idea_id)
    _require_staff(actor, idea.challenge)
    if scorecard.status != "submitted":
        raise InvalidTransition(_("This scorecard is not submitted."))
    if policy.is_published(setup_for(idea.challenge)):
        raise InvalidTransition(_("The results are published: their scorecards can no longer be reopened."))
    scorecard.status = "draft"
    scorecard.submitted_at = None
    scorecard.reopened_at = now or utcnow()
    scorecard.reopened_by_id = actor.id
    db.session.flush()
    events.scorecard_reopened.send(scorecard, scorecard=scorecard, idea=idea, actor=actor)
    return scorecard


def score_history(actor, scorecard: Scorecard) -> list[ScoreChange]:
    idea = db.session.get(Idea, scorecard.idea_id)
    _require_staff(actor, idea.challenge)
    return list(db.session.scalars(select(ScoreChange).where(ScoreChange.scorecard_id == scorecard.id)
                                   .order_by(ScoreChange.id)))


# -- ranking and publication -----------------------------------------------------------

def submitted_totals(challenge: Challenge) -> dict[tuple[int, int], float]:
    """(judge, idea) -> weighted total of every submitted scorecard (two queries)."""
    criteria = rubric(challenge)
    rows = db.session.execute(
        select(Scorecard.judge_id, Scorecard.idea_id, Score.criterion_id, Score.value)
        .join(Score, Score.scorecard_id == Scorecard.id)
        .join(JudgeAssignment, JudgeAssignment.id == Scorecard.assignment_id)
        .where(JudgeAssignment.challenge_id == challenge.id, Scorecard.status == "submitted"))
    cards: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for judge_id, idea_id, criterion_id, value in rows:
        cards[(judge_id, idea_id)][criterion_id] = value
    crit = [scoring.Criterion(c.id, c.weight, c.scale_low, c.scale_high) for c in criteria]
    return {key: scoring.weighted_total(values, crit) for key, values in cards.items()}


def judging_ranking(actor, challenge: Challenge) -> dict:
    """Staff's ranking of the shortlist: raw and calibrated scores, counts and spread per
    idea, each judge's calibration, and the panel's agreement (Krippendorff's alpha,
    interval), flagged below scoring.LOW_AGREEMENT."""
    _require_staff(actor, challenge)
    totals = submitted_totals(challenge)
    units: dict[int, dict[int, float]] = defaultdict(dict)
    for (judge, idea), total in totals.items():
        units[idea][judge] = total
    alpha = scoring.krippendorff_alpha_interval(units)
    # The same agreement after calibration: a judge who is harsh on everything but ranks
    # like the others lowers the first figure, not this one.
    calibrated: dict[int, dict[int, float]] = defaultdict(dict)
    for (judge, idea), z in scoring.z_scores(totals).items():
        calibrated[idea][judge] = z
    alpha_calibrated = scoring.krippendorff_alpha_interval(calibrated)
    return {
        "rows": scoring.ranking(totals),
        "judges": scoring.calibrations(totals),
        "alpha": alpha,
        "low_agreement": alpha is None or alpha < scoring.LOW_AGREEMENT,
        "alpha_calibrated": alpha_calibrated,
        "low_agreement_calibrated": alpha_calibrated is None or alpha_calibrated < scoring.LOW_AGREEMENT,
    }


def publish_results(actor, challenge: Challenge, now=None) -> JudgingSetup:
    """Publish the judging: every judged idea has a decision (selected, declined, ...);
    each author is told it with the judges' comments meant for them, which they may
    then read on the idea's page."""
    _require_staff(actor, challenge)
    setup = setup_for(challenge)
    if setup is None:
        raise InvalidTransition(_("Judging is not set up for this challenge."))
    if setup.published_at is not None:
        raise InvalidTransition(_("The results are published already."))
    if not _assignments(challenge):
        raise InvalidTransition(_("Nothing has been judged yet: give the shortlist to the panel first."))
    undecided = shortlist_counts(challenge)[1]
    if undecided:
        raise InvalidTransition(ngettext(
            "Decide every judged idea before publishing: %(num)d is still only shortlisted.",
            "Decide every judged idea before publishing: %(num)d are still only shortlisted.", undecided))
    now = now or utcnow()
    setup.published_at = now
    setup.published_by_id = actor.id
    decisions = list(db.session.scalars(select(JudgingDecision).where(
        JudgingDecision.challenge_id == challenge.id, JudgingDecision.applied_at.is_(None))))
    ideas = {i.id: i for i in db.session.scalars(select(Idea).where(Idea.id.in_([d.idea_id for d in decisions])))}
    for record in decisions:
        idea = ideas.get(record.idea_id)
        if idea is not None and idea.status == "shortlisted":
            moderation.decide(actor, idea, record.to_status, record.reason, now, held=True, via="judging")
        record.applied_at = now
    db.session.flush()
    events.judging_published.send(setup, setup=setup, challenge=challenge, actor=actor)
    return setup


def clear_assignments(actor, challenge: Challenge) -> None:
    """Staff take the shortlist back from the panel before any scorecard exists."""
    _require_staff(actor, challenge)
    if db.session.scalar(select(Scorecard.id).join(JudgeAssignment, JudgeAssignment.id == Scorecard.assignment_id)
                         .where(JudgeAssignment.challenge_id == challenge.id).limit(1)) is not None:
        raise InvalidTransition(_("Judges have started scoring: the assignments stay."))
    db.session.execute(delete(JudgeAssignment).where(JudgeAssignment.challenge_id == challenge.id))


# -- the shortlist as the panel follows it ---------------------------------------------

def judged_idea_ids(challenge: Challenge) -> list[int]:
    """The ideas given to the panel (any assignment, live or passed on), by id."""
    return list(db.session.scalars(select(JudgeAssignment.idea_id).where(
        JudgeAssignment.challenge_id == challenge.id).distinct().order_by(JudgeAssignment.idea_id)))


def shortlist_counts(challenge: Challenge) -> tuple[int, int]:
    """(ideas on the shortlist, judged ideas still waiting for a decision): two counts."""
    shortlisted = db.session.scalar(select(func.count(Idea.id)).where(
        Idea.challenge_id == challenge.id, Idea.status == "shortlisted", Idea.hidden_at.is_(None))) or 0
    return shortlisted, len(_undecided_ids(challenge))


def _undecided_ids(challenge: Challenge) -> list[int]:
    """Judged ideas, still shortlisted, without a decision waiting for publication."""
    judged = select(JudgeAssignment.idea_id).where(JudgeAssignment.challenge_id == challenge.id)
    pending = select(JudgingDecision.idea_id).where(JudgingDecision.challenge_id == challenge.id,
                                                    JudgingDecision.applied_at.is_(None))
    return list(db.session.scalars(select(Idea.id).where(
        Idea.id.in_(judged), Idea.id.not_in(pending), Idea.status == "shortlisted", Idea.hidden_at.is_(None))))


def assign_newly_shortlisted(sender, idea: Idea | None = None, to_status: str = "", actor=None, **_kw) -> None:
    """`idea_status_changed` receiver: an idea shortlisted after the panel got the
    shortlist is given to it the same way (every judge, or balanced). When the panel
    cannot take it (too few judges without a conflict), it waits: the progress page
    shows it short of judges."""
    if idea is None or to_status != "shortlisted" or actor is None:
        return
    setup = setup_for(idea.challenge)
    if setup is None or setup.assign_mode is None or setup.published_at is not None:
        return
    # assign_shortlist checks everything before it writes: a refusal leaves nothing behind.
    with contextlib.suppress(Invalid, NotAllowed):
        assign_shortlist(actor, idea.challenge, setup.assign_mode)


def connect() -> None:
    """Listen to the domain events judging reacts to (called by create_app)."""
    events.idea_status_changed.connect(assign_newly_shortlisted)
    events.idea_status_changing.connect(hold_judged_decisions)


MAX_CONFLICTS_SHOWN = 50


def progress(actor, challenge: Challenge) -> dict:
    """Staff follow the panel: every invitation with its judge's live assignments,
    drafts, submitted cards and declared conflicts, the conflicts with their reasons
    (the latest MAX_CONFLICTS_SHOWN), and the ideas short of judges. Five queries
    whatever the size of the shortlist."""
    _require_staff(actor, challenge)
    invitations = list(db.session.scalars(
        select(JudgeInvitation).where(JudgeInvitation.challenge_id == challenge.id)
        .options(selectinload(JudgeInvitation.user)).order_by(JudgeInvitation.id)))
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"assigned": 0, "conflict": 0})
    for judge_id, status, n in db.session.execute(
            select(JudgeAssignment.judge_id, JudgeAssignment.status, func.count())
            .where(JudgeAssignment.challenge_id == challenge.id)
            .group_by(JudgeAssignment.judge_id, JudgeAssignment.status)):
        counts[judge_id][status] = n
    cards: dict[int, dict[str, int]] = defaultdict(lambda: {"draft": 0, "submitted": 0})
    for judge_id, status, n in db.session.execute(
            select(Scorecard.judge_id, Scorecard.status, func.count())
            .join(JudgeAssignment, JudgeAssignment.id == Scorecard.assignment_id)
            .where(JudgeAssignment.challenge_id == challenge.id, JudgeAssignment.status == "assigned")
            .group_by(Scorecard.judge_id, Scorecard.status)):
        cards[judge_id][status] = n
    setup = setup_for(challenge)
    per_idea = setup.judges_per_idea if setup else 0
    live = func.sum(case((JudgeAssignment.status == "assigned", 1), else_=0))
    short = db.session.execute(
        select(JudgeAssignment.idea_id, live).where(JudgeAssignment.challenge_id == challenge.id)
        .group_by(JudgeAssignment.idea_id).having(live < per_idea)).all() if setup and setup.assign_mode == "balanced" else []
    rows = []
    for inv in invitations:
        assigned = counts[inv.user_id]["assigned"]
        submitted = cards[inv.user_id]["submitted"]
        rows.append({"invitation": inv, "judge": inv.user, "assigned": assigned,
                     "submitted": submitted, "drafts": cards[inv.user_id]["draft"],
                     "conflicts": counts[inv.user_id]["conflict"],
                     "pending": max(0, assigned - submitted),
                     "late": inv.status == "accepted" and assigned > submitted})
    conflicts = db.session.execute(
        select(JudgeAssignment.idea_id, Idea.title, User.display_name, JudgeAssignment.conflict_reason,
               JudgeAssignment.conflict_at)
        .join(Idea, Idea.id == JudgeAssignment.idea_id).join(User, User.id == JudgeAssignment.judge_id)
        .where(JudgeAssignment.challenge_id == challenge.id, JudgeAssignment.status == "conflict")
        .order_by(JudgeAssignment.conflict_at.desc()).limit(MAX_CONFLICTS_SHOWN)).all()
    total_assigned = sum(r["assigned"] for r in rows)
    total_submitted = sum(r["submitted"] for r in rows)
    return {"rows": rows, "assigned": total_assigned, "submitted": total_submitted,
            "short_of_judges": [idea_id for idea_id, _n in short], "setup": setup, "conflicts": conflicts}


REMIND_AGAIN_AFTER = timedelta(hours=24)


def remind_late_judges(actor, challenge: Challenge, judge_id: int | None = None, now=None) -> int:
    """Remind the accepted judges who have ideas left to score (or one of them), at most
    once a day each. Returns how many were reminded; sends `judges_reminded`."""
    _require_staff(actor, challenge)
    now = now or utcnow()
    report = progress(actor, challenge)
    late = [r for r in report["rows"] if r["late"] and (judge_id is None or r["judge"].id == judge_id)]
    if judge_id is not None and not late:
        raise Invalid(_("This judge has nothing left to score."), field="judge")
    due = [r for r in late if r["invitation"].reminded_at is None
           or now - r["invitation"].reminded_at >= REMIND_AGAIN_AFTER]
    if not late:
        raise Invalid(_("Every judge has scored everything given to them."), field="judge")
    if not due:
        raise Invalid(_("They were reminded less than a day ago."), field="judge")
    for r in due:
        r["invitation"].reminded_at = now
    db.session.flush()
    events.judges_reminded.send(challenge, challenge=challenge, actor=actor,
                                judges=[(r["judge"], r["pending"]) for r in due])
    return len(due)


def pending_invitations(user) -> list[JudgeInvitation]:
    if not policy.authenticated(user):
        return []
    return list(db.session.scalars(select(JudgeInvitation).where(
        JudgeInvitation.user_id == user.id, JudgeInvitation.status == "invited")
        .options(selectinload(JudgeInvitation.challenge)).order_by(JudgeInvitation.id)))


def queue_summary(user) -> list[dict]:
    """The judge's challenges with their progress: [{challenge, assigned, submitted,
    drafts}], two queries for any number of challenges or ideas."""
    if not policy.authenticated(user):
        return []
    counts = db.session.execute(
        select(JudgeAssignment.challenge_id, func.count(JudgeAssignment.id),
               func.sum(case((Scorecard.status == "submitted", 1), else_=0)),
               func.sum(case((Scorecard.status == "draft", 1), else_=0)))
        .outerjoin(Scorecard, Scorecard.assignment_id == JudgeAssignment.id)
        .where(policy.judged_by(user)).group_by(JudgeAssignment.challenge_id)).all()
    if not counts:
        return []
    challenges = {c.id: c for c in db.session.scalars(
        select(Challenge).where(Challenge.id.in_([row[0] for row in counts])))}
    rows = [{"challenge": challenges[cid], "assigned": n, "submitted": int(sub or 0), "drafts": int(drafts or 0)}
            for cid, n, sub, drafts in counts]
    rows.sort(key=lambda r: (r["submitted"] >= r["assigned"], r["challenge"].id))
    return rows


def pending_count(user) -> int:
    """Ideas the user has left to score (the navigation's badge); one query."""
    if not policy.authenticated(user):
        return 0
    return db.session.scalar(
        select(func.count(JudgeAssignment.id))
        .outerjoin(Scorecard, Scorecard.assignment_id == JudgeAssignment.id)
        .join(Idea, Idea.id == JudgeAssignment.idea_id)
        .where(policy.judged_by(user), Idea.status == "shortlisted",
               or_(Scorecard.id.is_(None), Scorecard.status == "draft"))) or 0


def is_on_a_panel(user) -> bool:
    """Invited to or sitting on some panel: the navigation shows "Judging"."""
    if not policy.authenticated(user):
        return False
    return db.session.scalar(select(JudgeInvitation.id).where(
        JudgeInvitation.user_id == user.id, JudgeInvitation.status != "declined").limit(1)) is not None


QUEUE_PAGE = 50


def challenge_queue(judge, challenge: Challenge, page: int = 1) -> Page:
    """The judge's ideas in one challenge, those left to score first: rows of (assignment
    id, idea id, title, slug, summary, scorecard status or None). Titles and summaries
    only: a blind queue names no author and shows no votes."""
    if not policy.is_judge(judge, challenge):
        raise NotFound(_("We could not find that panel."))
    done = case((Scorecard.status == "submitted", 1), else_=0)
    query = (select(JudgeAssignment.id, Idea.id, Idea.title, Idea.slug, Idea.summary, Idea.status,
                    Scorecard.status)
             .join(Idea, Idea.id == JudgeAssignment.idea_id)
             .outerjoin(Scorecard, Scorecard.assignment_id == JudgeAssignment.id)
             .where(policy.judged_by(judge), JudgeAssignment.challenge_id == challenge.id)
             .order_by(done, JudgeAssignment.id))
    rows = db.session.execute(query.limit(QUEUE_PAGE + 1).offset((page - 1) * QUEUE_PAGE)).all()
    return Page(items=rows[:QUEUE_PAGE], page=page, per_page=QUEUE_PAGE,
                has_next=len(rows) > QUEUE_PAGE, has_prev=page > 1)


# -- decisions after judging --------------------------------------------------------------

MIN_REASON = 10


def _judged(idea: Idea) -> bool:
    return db.session.scalar(select(JudgeAssignment.id).where(JudgeAssignment.idea_id == idea.id).limit(1)) is not None


def _held(idea: Idea) -> bool:
    """A judged idea's decision waits for the results' publication (and reaches its
    authors with the judges' comments then); afterwards, or for an idea never given to
    the panel, a decision applies at once."""
    return _judged(idea) and not policy.is_published(setup_for(idea.challenge))


def pending_decision(idea: Idea) -> JudgingDecision | None:
    return db.session.scalar(select(JudgingDecision).where(
        JudgingDecision.idea_id == idea.id, JudgingDecision.applied_at.is_(None)))


def _decide_judged(actor, idea: Idea, to_status: str, reason: str, now=None):
    """Record the staff's decision on a shortlisted idea: kept aside until publication
    while judging runs (and changeable until then), applied at once otherwise."""
    _require_staff(actor, idea.challenge)
    reason = moderation.reason_text(reason, field="reason", required=True, min_len=MIN_REASON)
    if idea.status != "shortlisted":
        raise InvalidTransition(_("Only shortlisted ideas can be selected or declined here."))
    if not _held(idea):
        return moderation.decide(actor, idea, to_status, reason, now, via="judging")
    record = pending_decision(idea)
    if record is None:
        record = JudgingDecision(challenge_id=idea.challenge_id, idea_id=idea.id)
        db.session.add(record)
    record.to_status, record.reason, record.actor_id = to_status, reason, actor.id
    record.decided_at = now or utcnow()
    db.session.flush()
    return record


def select_idea(actor, idea: Idea, reason: str, now=None):
    """Staff select a shortlisted idea for refinement (status "selected"), with a reason
    its authors will read: with the published results, when the idea was judged."""
    return _decide_judged(actor, idea, "selected", reason, now)


def decline_idea(actor, idea: Idea, feedback: str, now=None):
    """Staff decline a shortlisted idea after judging, with feedback for its authors."""
    return _decide_judged(actor, idea, "declined", feedback, now)


def undo_decision(actor, idea: Idea) -> None:
    """Take back a decision that waits for publication."""
    _require_staff(actor, idea.challenge)
    record = pending_decision(idea)
    if record is None:
        raise InvalidTransition(_("There is no decision waiting for publication on this idea."))
    db.session.delete(record)
    db.session.flush()


def hold_judged_decisions(_sender, idea: Idea | None = None, to_status: str = "", via: str = "",
                          closing: bool = False, **_kw) -> None:
    """`idea_status_changing` receiver: while its judging runs, a judged idea is decided
    from the ranking (kept for the publication), not from elsewhere."""
    if idea is None or via == "judging" or closing or idea.status != "shortlisted":
        return
    if _held(idea):
        raise InvalidTransition(_("This idea is being judged: decide it from the judging ranking, so that "
                                  "its authors hear the decision with the judges' comments."))


RANKING_PAGE = 50


def ranking_page(actor, challenge: Challenge, page: int = 1) -> dict:
    """The ranking, RANKING_PAGE rows per page, with what the page shows beside each row:
    the ideas of the page (title, status), the judges (names), the judged ideas without a
    submitted scorecard, and the undecided count. A constant number of queries."""
    result = judging_ranking(actor, challenge)
    rows = result["rows"]
    pages = max(1, -(-len(rows) // RANKING_PAGE))
    page = min(max(1, page), pages)
    shown = rows[(page - 1) * RANKING_PAGE: page * RANKING_PAGE]
    scored = {r.idea for r in rows}
    judged = judged_idea_ids(challenge)
    facts = {i: (status, hidden) for i, status, hidden in db.session.execute(
        select(Idea.id, Idea.status, Idea.hidden_at).where(Idea.id.in_(judged)))} if judged else {}
    unscored_ids = [i for i in judged if i not in scored and i in facts][:RANKING_PAGE]
    wanted = [r.idea for r in shown] + unscored_ids
    ideas = {i.id: i for i in db.session.scalars(select(Idea).where(Idea.id.in_(wanted)))} if wanted else {}
    judges = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(list(result["judges"]))))} \
        if result["judges"] else {}
    pending = {d.idea_id: d for d in db.session.scalars(select(JudgingDecision).where(
        JudgingDecision.challenge_id == challenge.id, JudgingDecision.applied_at.is_(None)))}
    result.update(rows=shown, ideas=ideas, judge_users=judges, unscored=[ideas[i] for i in unscored_ids],
                  pending=pending,
                  unscored_total=sum(1 for i in judged if i not in scored and i in facts),
                  judged_total=len(facts), scored_total=len(rows), page=page, pages=pages,
                  first_rank=(page - 1) * RANKING_PAGE + 1,
                  undecided=sum(1 for i, (status, hidden) in facts.items()
                                if status == "shortlisted" and hidden is None and i not in pending),
                  setup=setup_for(challenge))
    return result


def community_comparison(actor, challenge: Challenge, limit: int = 10) -> dict:
    """The jury's ranking beside the community's: calibrated jury score (raw mean where an
    idea has no calibrated one) against the votes (Wilson score) and against the
    "which is better?" comparisons (Bradley-Terry strength), each with Kendall's tau-b
    over the ideas both rank, and the ideas on which they disagree most."""
    result = judging_ranking(actor, challenge)
    jury = {r.idea: (r.calibrated if r.calibrated is not None else r.raw) for r in result["rows"]}
    ideas = {i.id: i for i in db.session.scalars(select(Idea).where(Idea.id.in_(list(jury))))} if jury else {}
    votes = {i: ideas[i].score for i in jury if i in ideas}
    strengths = {idea.id: s for idea, s in pairwise.bradley_terry(challenge) if idea.id in jury}
    jury_rank = scoring.ranks(jury)
    vote_rank = scoring.ranks(votes)
    pair_rank = scoring.ranks(strengths)
    rows = sorted(({"idea": ideas[i], "jury": jury_rank[i], "votes": vote_rank.get(i),
                    "pairwise": pair_rank.get(i), "up": ideas[i].up_votes, "down": ideas[i].down_votes,
                    "comparisons": ideas[i].comparison_count} for i in jury if i in ideas),
                  key=lambda r: r["jury"])
    return {
        "rows": rows,
        "tau_votes": scoring.kendall_tau_b(jury, votes),
        "tau_pairwise": scoring.kendall_tau_b(jury, strengths),
        "disagree_votes": [(ideas[i], j, c) for i, j, c in scoring.disagreements(jury, votes, limit)],
        "disagree_pairwise": [(ideas[i], j, c) for i, j, c in scoring.disagreements(jury, strengths, limit)],
    }


def idea_scorecards(actor, idea: Idea) -> list[Scorecard]:
    """Every scorecard on an idea with its scores (staff), judges' names loaded."""
    _require_staff(actor, idea.challenge)
    return list(db.session.scalars(select(Scorecard).where(Scorecard.idea_id == idea.id)
                                   .options(selectinload(Scorecard.scores), selectinload(Scorecard.judge))
                                   .order_by(Scorecard.id)))


def idea_conflicts(actor, idea: Idea) -> list:
    """The judges who declared a conflict on the idea, with their reasons (staff)."""
    _require_staff(actor, idea.challenge)
    return db.session.execute(
        select(User.display_name, JudgeAssignment.conflict_reason, JudgeAssignment.conflict_at)
        .join(User, User.id == JudgeAssignment.judge_id)
        .where(JudgeAssignment.idea_id == idea.id, JudgeAssignment.status == "conflict")
        .order_by(JudgeAssignment.conflict_at)).all()


def idea_state(user, idea: Idea) -> dict | None:
    """What the idea page says about judging to this user, or None (nothing to say):
    staff see the panel's progress on it; its judge a link to their scorecard; its
    authors, once the results are published, the judges' comments (without names under
    blind review); anyone else nothing."""
    if idea.status not in ("shortlisted", "selected", "prototyped", "winner", "declined"):
        return None
    setup = setup_for(idea.challenge)
    if setup is None:
        return None
    if policy.is_staff(user, idea.challenge):
        counts = dict(db.session.execute(
            select(Scorecard.status, func.count()).join(JudgeAssignment, JudgeAssignment.id == Scorecard.assignment_id)
            .where(Scorecard.idea_id == idea.id, JudgeAssignment.status == "assigned")
            .group_by(Scorecard.status)).all())
        assigned = db.session.scalar(select(func.count(JudgeAssignment.id)).where(
            JudgeAssignment.idea_id == idea.id, JudgeAssignment.status == "assigned")) or 0
        if not assigned and not counts:
            return None
        return {"role": "staff", "assigned": assigned, "submitted": counts.get("submitted", 0),
                "drafts": counts.get("draft", 0), "published": policy.is_published(setup),
                "pending": pending_decision(idea)}
    if policy.may_judge(user, idea):
        card = scorecard_for(user, idea)
        return {"role": "judge", "card": card, "published": policy.is_published(setup)}
    if policy.can_see_author_comments(user, idea, setup):
        return {"role": "author", "comments": author_comments(idea, setup), "blind": setup.blind}
    return None


def author_comments(idea: Idea, setup: JudgingSetup) -> list[dict]:
    """The submitted cards' comments meant for the authors, in a fixed but anonymous order
    under blind review (by card id, never with the judge), with the judge's name otherwise."""
    cards = db.session.execute(
        select(Scorecard.comment_for_author, User.display_name)
        .join(User, User.id == Scorecard.judge_id)
        .where(Scorecard.idea_id == idea.id, Scorecard.status == "submitted", Scorecard.comment_for_author != "")
        .order_by(Scorecard.id)).all()
    return [{"text": text, "judge": None if setup.blind else name} for text, name in cards]


def nav_entry(user) -> dict | None:
    """What the navigation's "Judging" entry shows: None when the user sits on no panel
    and has no invitation; else the number of ideas left to score and of invitations."""
    if not is_on_a_panel(user):
        return None
    invited = db.session.scalar(select(func.count(JudgeInvitation.id)).where(
        JudgeInvitation.user_id == user.id, JudgeInvitation.status == "invited")) or 0
    return {"pending": pending_count(user), "invited": invited}
