"""Closing a challenge: every idea gets an outcome first.

A challenge cannot close while one of its ideas still waits for a decision
(statuses.UNDECIDED): the `challenge_closing` signal, sent by the challenges module
before the move, is refused here. Staff either decide those ideas one by one
(shortlist, decline with feedback) or close with one reason that applies to all the
rest (they become statuses.CLOSING_OUTCOME with that reason). Every author hears the
outcome of their idea with the closing notice (notifications module).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, insert, literal, select, update
from sqlalchemy.orm import joinedload

from ideas.challenges import services as challenge_services
from ideas.challenges.models import Challenge
from ideas.core import events
from ideas.core.db import utcnow
from ideas.core.errors import InvalidTransition
from ideas.core.pagination import paginate_offset
from ideas.extensions import db
from ideas.submissions import statuses
from ideas.submissions.counters import sync_idea_count
from ideas.submissions.models import Idea, IdeaDecision
from ideas.submissions.moderation import reason_text, require_staff

MIN_REASON = 10


def _undecided(challenge_id: int):
    return select(Idea).where(Idea.challenge_id == challenge_id, Idea.status.in_(statuses.UNDECIDED))


def undecided_page(challenge: Challenge, page: int = 1, per_page: int = 20):
    """One page of the ideas still without an outcome, best-scored first, with their
    authors: what the closing page lists (a bounded number of queries at any size)."""
    query = (_undecided(challenge.id).options(joinedload(Idea.author))
             .order_by(Idea.score.desc(), Idea.id))
    return paginate_offset(query, page, per_page, db.session)


def undecided_count(challenge: Challenge) -> int:
    return db.session.scalar(
        select(func.count()).select_from(_undecided(challenge.id).subquery())) or 0


def refuse_undecided(challenge: Challenge, **_kw) -> None:
    """Receiver of `challenge_closing`: no challenge closes with ideas left undecided."""
    count = undecided_count(challenge)
    if count:
        raise InvalidTransition(ngettext(
            "%(num)d idea has no outcome yet. Decide it, or close the challenge from its moderation "
            "page with a reason for the rest.",
            "%(num)d ideas have no outcome yet. Decide them, or close the challenge from its moderation "
            "page with a reason for the rest.", count), field="to_phase")


def close_challenge(actor, challenge: Challenge, rest_reason: str = "", note: str = "", now=None) -> int:
    """Close the challenge; ideas still undecided get CLOSING_OUTCOME with `rest_reason`
    (required when there are any), each with its IdeaDecision, in a few set-based
    statements whatever their number. Returns how many were decided this way."""
    require_staff(actor, challenge)
    if challenge.phase == "closed":
        raise InvalidTransition(_("This challenge is closed already."))
    count = undecided_count(challenge)
    reason = reason_text(rest_reason, field="rest_reason", required=bool(count),
                         min_len=MIN_REASON if count else 0)
    if count:
        now = now or utcnow()
        rest = _undecided(challenge.id).with_only_columns(Idea.id).scalar_subquery()
        db.session.execute(insert(IdeaDecision).from_select(
            ["idea_id", "from_status", "to_status", "reason", "actor_id", "created_at"],
            select(Idea.id, Idea.status, literal(statuses.CLOSING_OUTCOME), literal(reason), literal(actor.id),
                   literal(now, type_=IdeaDecision.created_at.type))
            .where(Idea.challenge_id == challenge.id, Idea.status.in_(statuses.UNDECIDED))))
        db.session.execute(update(Idea).where(Idea.id.in_(rest)).values(
            status=statuses.CLOSING_OUTCOME, status_reason=reason, decided_at=now, decided_by_id=actor.id,
            updated_at=now).execution_options(synchronize_session=False))
        db.session.expire_all()  # ideas loaded before now carry their old status
        sync_idea_count(challenge.id)  # declined ideas stay listed; the count is checked anyway
        events.ideas_decided_on_closing.send(challenge, challenge=challenge, to_status=statuses.CLOSING_OUTCOME,
                                             reason=reason, actor=actor)
    challenge_services.advance(actor, challenge, "closed", now=now, note=note)
    return count


def connect() -> None:
    """Connect the closing rule to the challenges module's signal (called by create_app)."""
    events.challenge_closing.connect(refuse_undecided, weak=False)
