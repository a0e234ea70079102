"""An idea's whole path, with dates: shortlisted → judged → selected → focus group →
prototype iteration N → launched (→ winner), for the idea page and the challenge's
results. Each step is shown only as far as the viewer may see it: the judging once
published (staff: as soon as scorecards are in), a focus group's name and synthesis
to whoever sees inside it (its synthesis to everyone once published), and a
prototype's iterations only to whoever may see the prototype.

The results page asks for several ideas at once: a fixed number of queries whatever
their number."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, select

from ideas.challenges.models import Challenge
from ideas.extensions import db
from ideas.focus_groups import policy as group_policy
from ideas.focus_groups.models import FocusGroup, FocusGroupIdea
from ideas.focus_groups.services import OPEN_PHASES
from ideas.judging.models import JudgingSetup, Scorecard
from ideas.prototypes import policy
from ideas.prototypes.models import Iteration, Prototype, PrototypeStatusChange
from ideas.submissions.models import Idea, IdeaDecision

DECISION_STEPS = ("shortlisted", "selected", "winner")
# The path runs in this order whatever the dates say (a group may start on the day the
# idea is selected, before the hour of the decision); dates order steps of one kind.
ORDER = {kind: n for n, kind in enumerate(
    ("shortlisted", "judged", "selected", "focus_group", "iteration", "launched", "stopped", "winner"))}


def _step(kind: str, at: datetime | None, **extra) -> dict:
    return {"kind": kind, "at": at, **extra}


def journeys(user, challenge: Challenge, ideas: list[Idea]) -> dict[int, list[dict]]:
    """idea id -> its steps in date order (ideas with nothing past "submitted" map to [])."""
    ids = [i.id for i in ideas]
    if not ids:
        return {}
    staff = group_policy.is_staff(user, challenge)
    decisions: dict[int, dict[str, datetime]] = defaultdict(dict)
    for idea_id, to_status, at in db.session.execute(
            select(IdeaDecision.idea_id, IdeaDecision.to_status, func.min(IdeaDecision.created_at))
            .where(IdeaDecision.idea_id.in_(ids), IdeaDecision.to_status.in_(DECISION_STEPS))
            .group_by(IdeaDecision.idea_id, IdeaDecision.to_status)):
        decisions[idea_id][to_status] = at
    setup = db.session.scalar(select(JudgingSetup).where(JudgingSetup.challenge_id == challenge.id))
    judged: dict[int, tuple[datetime, int]] = {}
    if setup is not None and (setup.published_at is not None or staff):
        for idea_id, last, n in db.session.execute(
                select(Scorecard.idea_id, func.max(Scorecard.submitted_at), func.count(Scorecard.id))
                .where(Scorecard.idea_id.in_(ids), Scorecard.status == "submitted").group_by(Scorecard.idea_id)):
            judged[idea_id] = (setup.published_at or last, n)
    groups: dict[int, list[FocusGroup]] = defaultdict(list)
    rows = db.session.execute(select(FocusGroupIdea.idea_id, FocusGroup).join(
        FocusGroup, FocusGroup.id == FocusGroupIdea.group_id).where(FocusGroupIdea.idea_id.in_(ids))
        .order_by(FocusGroup.starts_on, FocusGroup.id)).all()
    inside = set(db.session.scalars(group_policy.inside_group_ids(user))) if rows else set()
    for idea_id, group in rows:
        groups[idea_id].append(group)
    prototypes = list(db.session.scalars(select(Prototype).where(
        Prototype.idea_id.in_(ids), policy.visible_prototypes(user)).order_by(Prototype.id)))
    proto_ids = [p.id for p in prototypes]
    iterations: dict[int, list[Iteration]] = defaultdict(list)
    finals: dict[int, PrototypeStatusChange] = {}
    if proto_ids:
        for it in db.session.scalars(select(Iteration).where(Iteration.prototype_id.in_(proto_ids))
                                     .order_by(Iteration.number)):
            iterations[it.prototype_id].append(it)
        for change in db.session.scalars(select(PrototypeStatusChange).where(
                PrototypeStatusChange.prototype_id.in_(proto_ids),
                PrototypeStatusChange.to_status.in_(("launched", "stopped"))).order_by(PrototypeStatusChange.id)):
            finals[change.prototype_id] = change
    out: dict[int, list[dict]] = {}
    for idea in ideas:
        steps = []
        made = decisions.get(idea.id, {})
        if "shortlisted" in made:
            steps.append(_step("shortlisted", made["shortlisted"]))
        if idea.id in judged:
            at, n = judged[idea.id]
            steps.append(_step("judged", at, judges=n, published=setup.published_at is not None))
        if "selected" in made:
            steps.append(_step("selected", made["selected"]))
        for group in groups.get(idea.id, []):
            seen = group.id in inside
            synthesis = group.synthesis if group.synthesis and (seen or group.synthesis_public) else ""
            steps.append(_step("focus_group", datetime.combine(group.starts_on, datetime.min.time()),
                               until=group.ends_on, group=group if seen else None, synthesis=synthesis,
                               synthesis_public=group.synthesis_public))
        for prototype in prototypes:
            if prototype.idea_id != idea.id:
                continue
            for it in iterations.get(prototype.id, []):
                steps.append(_step("iteration", it.created_at, prototype=prototype, iteration=it))
            if prototype.id in finals:
                change = finals[prototype.id]
                steps.append(_step(change.to_status, change.at, prototype=prototype))
        if "winner" in made:
            steps.append(_step("winner", made["winner"]))
        steps.sort(key=lambda s: (ORDER[s["kind"]], s["at"] or datetime.min))
        out[idea.id] = steps
    return out


def idea_panel(user, idea: Idea) -> dict | None:
    """What the idea page shows of its path (None: nothing past the submission and
    nothing for this user to start): the steps, the prototypes the user may see, and
    for staff whether a focus group or a prototype can be started from it."""
    steps = journeys(user, idea.challenge, [idea]).get(idea.id) or []
    staff = group_policy.is_staff(user, idea.challenge)
    open_challenge = idea.challenge.phase in OPEN_PHASES
    panel = {
        "steps": steps,
        "prototypes": list({s["prototype"].id: s["prototype"] for s in steps if s.get("prototype")}.values()),
        "can_prototype": staff and idea.status == "selected" and idea.hidden_at is None,
        "can_group": staff and open_challenge and idea.status in ("selected", "prototyped"),
    }
    return panel if steps or panel["can_prototype"] or panel["can_group"] else None
