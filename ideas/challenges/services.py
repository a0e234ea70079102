"""Challenge services: create, edit, schedule, publish and move challenges along
the phase table; invitations; listings, the company page's list and the home page.

Plain functions with an explicit actor; they add and flush, raise domain errors,
send signals, and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from ideas.accounts.models import User
from ideas.challenges import phases
from ideas.challenges.categories import CATEGORIES
from ideas.challenges.models import (
    VISIBILITIES,
    Challenge,
    ChallengeCriterion,
    ChallengeInvite,
    PhasePlan,
    PhaseTransition,
    TermsVersion,
)
from ideas.challenges.policy import can_manage, visible_challenges
from ideas.companies.policy import is_staff
from ideas.core import languages
from ideas.core.db import utcnow
from ideas.core.errors import DomainError, Invalid, InvalidTransition, NotAllowed, NotFound
from ideas.core.events import challenge_closing, challenge_phase_changed, challenge_published
from ideas.core.pagination import Page, paginate_offset
from ideas.core.slugs import slugify
from ideas.core.tags import check_tags, clean_tags
from ideas.extensions import db

SORTS = ("newest", "closing", "active")


@dataclass
class ChallengeData:
    """What a staff member fills in to create or edit a challenge."""

    title: str
    summary: str
    problem: str
    category: str = "other"
    tags: list[str] = field(default_factory=list)
    reward_text: str = ""
    reward_amount: Decimal | None = None
    reward_currency: str = "USD"
    terms: str = ""
    visibility: str = "public"
    vote_budget: int | None = None
    cover_image: str | None = None
    # core.languages.STORED, or AUTO (detect from the text); None: on create detect, on
    # edit keep the recorded one.
    language: str | None = None


def _require_manager(actor, challenge: Challenge) -> None:
    if not can_manage(actor, challenge):
        raise NotAllowed(_("Only the company's staff can manage this challenge."))


def _validate(data: ChallengeData) -> None:
    title = (data.title or "").strip()
    if not title:
        raise Invalid(_("Give the challenge a title."), field="title")
    if len(title) > 160:
        raise Invalid(_("The title is too long (at most 160 characters)."), field="title")
    if not (data.summary or "").strip():
        raise Invalid(_("Write a one-sentence summary."), field="summary")
    if len(data.summary) > 300:
        raise Invalid(_("The summary is too long (at most 300 characters)."), field="summary")
    if not (data.problem or "").strip():
        raise Invalid(_("Describe the problem to solve."), field="problem")
    if data.category not in CATEGORIES:
        raise Invalid(_("Choose a category from the list."), field="category")
    if data.visibility not in VISIBILITIES:
        raise Invalid(_("Choose who can see the challenge."), field="visibility")
    if data.reward_amount is not None and data.reward_amount < 0:
        raise Invalid(_("The reward cannot be negative."), field="reward_amount")
    if data.vote_budget is not None and data.vote_budget <= 0:
        raise Invalid(_("The vote budget must be a positive number."), field="vote_budget")
    currency = (data.reward_currency or "").strip()
    if len(currency) != 3 or not currency.isalpha():
        raise Invalid(_("Use a three-letter currency code such as EUR."), field="reward_currency")


def _language(data: ChallengeData, current: str | None = None) -> str | None:
    """The language to record (checked before anything is changed)."""
    if data.language is None and current is not None:
        return current
    return languages.resolve(data.language, languages.content_text(data.title, data.summary, data.problem))


def _clean_tags(tags) -> list[str]:
    return check_tags(clean_tags(tags))


def create_challenge(actor, company, data: ChallengeData, *, now: datetime | None = None) -> Challenge:
    """A new draft challenge of `company`; only its staff may create one."""
    if not is_staff(actor, company.id):
        raise NotAllowed(_("Only the company's staff can create challenges."))
    _validate(data)
    language = _language(data)
    now = now or utcnow()
    challenge = Challenge(
        company_id=company.id,
        created_by_id=actor.id,
        title=data.title.strip(),
        slug=slugify(data.title),
        summary=data.summary.strip(),
        problem=data.problem,
        category=data.category,
        tags=_clean_tags(data.tags),
        language=language,
        cover_image=data.cover_image,
        reward_text=(data.reward_text or "").strip(),
        reward_amount=data.reward_amount,
        reward_currency=data.reward_currency.strip().upper(),
        terms=data.terms or "",
        terms_version=1,
        visibility=data.visibility,
        vote_budget=data.vote_budget,
        phase="draft",
        created_at=now,
        updated_at=now,
    )
    db.session.add(challenge)
    db.session.flush()
    record_terms_version(challenge, actor, now=now)
    return challenge


def record_terms_version(challenge: Challenge, actor=None, *, now: datetime | None = None) -> TermsVersion:
    """Keep the challenge's current terms text as its version `terms_version` (call after
    the text or the version number changed)."""
    version = TermsVersion(challenge_id=challenge.id, version=challenge.terms_version, text=challenge.terms or "",
                           created_by_id=actor.id if actor is not None else None, created_at=now or utcnow())
    db.session.add(version)
    db.session.flush()
    return version


def current_terms(challenge: Challenge) -> TermsVersion | None:
    """The kept text of the challenge's current terms version."""
    return db.session.scalar(select(TermsVersion).where(
        TermsVersion.challenge_id == challenge.id, TermsVersion.version == challenge.terms_version))


def terms_versions(challenge: Challenge) -> list[TermsVersion]:
    """Every kept version of the challenge's terms, newest first."""
    return list(db.session.scalars(select(TermsVersion).where(TermsVersion.challenge_id == challenge.id)
                                   .order_by(TermsVersion.version.desc())))


def update_challenge(actor, challenge: Challenge, data: ChallengeData) -> Challenge:
    """Edit a challenge; changing the terms text bumps terms_version (members re-accept)."""
    _require_manager(actor, challenge)
    _validate(data)
    language = _language(data, challenge.language)
    if (data.terms or "") != (challenge.terms or ""):
        challenge.terms = data.terms or ""
        challenge.terms_version += 1
        record_terms_version(challenge, actor)
    challenge.title = data.title.strip()
    challenge.slug = slugify(data.title)
    challenge.summary = data.summary.strip()
    challenge.problem = data.problem
    challenge.category = data.category
    challenge.tags = _clean_tags(data.tags)
    challenge.language = language
    if data.cover_image:
        challenge.cover_image = data.cover_image
    challenge.reward_text = (data.reward_text or "").strip()
    challenge.reward_amount = data.reward_amount
    challenge.reward_currency = data.reward_currency.strip().upper()
    challenge.visibility = data.visibility
    challenge.vote_budget = data.vote_budget
    db.session.flush()
    return challenge


def set_criteria(actor, challenge: Challenge, texts: list[str]) -> list[ChallengeCriterion]:
    """Replace the success criteria: 1 to 10 items, each 3 to 200 characters."""
    _require_manager(actor, challenge)
    items = [t.strip() for t in texts if t and t.strip()]
    if not 1 <= len(items) <= 10:
        raise Invalid(_("State between 1 and 10 success criteria, one per line."), field="criteria")
    for text in items:
        if not 3 <= len(text) <= 200:
            raise Invalid(
                _("Each criterion needs 3 to 200 characters: “%(text)s”.", text=text[:40]), field="criteria"
            )
    db.session.execute(delete(ChallengeCriterion).where(ChallengeCriterion.challenge_id == challenge.id))
    db.session.expire(challenge, ["criteria"])
    created = [ChallengeCriterion(challenge_id=challenge.id, position=i, text=text)
               for i, text in enumerate(items, start=1)]
    db.session.add_all(created)
    db.session.flush()
    db.session.expire(challenge, ["criteria"])
    return created


def set_phase_plans(
    actor, challenge: Challenge, plans: dict[str, tuple[datetime | None, datetime | None]]
) -> list[PhasePlan]:
    """Replace the planned dates. Each end is after its start, and the dates increase
    from one phase to the next; an error names the field `<phase>_starts` / `<phase>_ends`."""
    _require_manager(actor, challenge)
    last: datetime | None = None
    last_field = ""
    rows = []
    for phase in phases.PHASES[1:]:
        starts, ends = plans.get(phase, (None, None))
        if starts is None and ends is None:
            continue
        for value, name in ((starts, f"{phase}_starts"), (ends, f"{phase}_ends")):
            if value is None:
                continue
            if name.endswith("_ends") and starts is not None and value <= starts:
                raise Invalid(_("The end must be after the start."), field=name)
            if last is not None and value < last:
                raise Invalid(_("This date comes before an earlier one (%(label)s).",
                                label=last_field), field=name)
            last, last_field = value, phases.label(phase)
        rows.append(PhasePlan(challenge_id=challenge.id, phase=phase, starts_at=starts, ends_at=ends))
    db.session.execute(delete(PhasePlan).where(PhasePlan.challenge_id == challenge.id))
    db.session.add_all(rows)
    db.session.flush()
    db.session.expire(challenge, ["phase_plans"])
    return rows


def _move(actor, challenge: Challenge, to_phase: str, now: datetime, note: str) -> PhaseTransition:
    phases.check_move(challenge.phase, to_phase)
    transition = PhaseTransition(
        challenge_id=challenge.id, from_phase=challenge.phase, to_phase=to_phase,
        actor_id=actor.id if actor is not None else None, note=(note or "").strip()[:300], at=now,
    )
    challenge.phase = to_phase
    db.session.add(transition)
    db.session.flush()
    db.session.expire(challenge, ["transitions"])
    return transition


def publish(actor, challenge: Challenge, *, now: datetime | None = None, note: str = "") -> PhaseTransition:
    """Draft -> submission: the challenge becomes visible and accepts ideas."""
    _require_manager(actor, challenge)
    now = now or utcnow()
    transition = _move(actor, challenge, "submission", now, note)
    challenge.published_at = now
    db.session.flush()
    challenge_published.send(challenge, actor=actor)
    challenge_phase_changed.send(challenge, actor=actor, from_phase="draft", to_phase="submission")
    return transition


def advance(actor, challenge: Challenge, to_phase: str, now: datetime | None = None,
            note: str = "") -> PhaseTransition:
    """Move the challenge along the phase table; actor None means the scheduler."""
    if actor is not None:
        _require_manager(actor, challenge)
    if challenge.phase == "draft" and to_phase == "submission":
        if actor is None:
            raise InvalidTransition(_("Only the company's staff can publish a challenge."), field="to_phase")
        return publish(actor, challenge, now=now, note=note)
    now = now or utcnow()
    from_phase = challenge.phase
    if to_phase == "closed":
        phases.check_move(from_phase, to_phase)
        challenge_closing.send(challenge, actor=actor)  # may refuse (ideas without outcome)
    transition = _move(actor, challenge, to_phase, now, note)
    challenge_phase_changed.send(challenge, actor=actor, from_phase=from_phase, to_phase=to_phase)
    return transition


def advance_due(now: datetime | None = None) -> list[tuple[Challenge, str, str]]:
    """Move each published challenge whose current phase's plan has ended to its next
    phase; returns (challenge, from, to) for each move."""
    now = now or utcnow()
    due = db.session.scalars(
        select(Challenge)
        .join(PhasePlan, (PhasePlan.challenge_id == Challenge.id) & (PhasePlan.phase == Challenge.phase))
        .where(Challenge.phase.notin_(("draft", "closed")), PhasePlan.ends_at.is_not(None),
               PhasePlan.ends_at <= now)
        .order_by(Challenge.id)
    ).all()
    moved = []
    for challenge in due:
        target = phases.next_phase(challenge.phase)
        if target is None:
            continue
        from_phase = challenge.phase
        try:
            with db.session.begin_nested():
                advance(None, challenge, target, now=now, note=_("Planned end date reached."))
        except DomainError:
            continue  # refused (e.g. ideas still without an outcome): staff decide and close
        moved.append((challenge, from_phase, target))
    return moved


def invite_member(actor, challenge: Challenge, email: str) -> ChallengeInvite:
    """Invite a registered member (by email) to an invite-only challenge; idempotent."""
    _require_manager(actor, challenge)
    email = (email or "").strip().lower()
    user = db.session.scalar(select(User).where(func.lower(User.email) == email)) if email else None
    if user is None:
        raise Invalid(_("No member is registered with this email address."), field="email")
    invite = db.session.scalar(select(ChallengeInvite).where(
        ChallengeInvite.challenge_id == challenge.id, ChallengeInvite.user_id == user.id))
    if invite is None:
        invite = ChallengeInvite(challenge_id=challenge.id, user_id=user.id, invited_by_id=actor.id)
        db.session.add(invite)
        db.session.flush()
    return invite


def uninvite(actor, challenge: Challenge, user_id: int) -> None:
    """Withdraw an invitation."""
    _require_manager(actor, challenge)
    db.session.execute(delete(ChallengeInvite).where(
        ChallengeInvite.challenge_id == challenge.id, ChallengeInvite.user_id == user_id))
    db.session.flush()


def list_invites(challenge: Challenge) -> list[ChallengeInvite]:
    return list(db.session.scalars(select(ChallengeInvite).where(
        ChallengeInvite.challenge_id == challenge.id).order_by(ChallengeInvite.id)))


def get_visible(user, challenge_id: int, *, full: bool = False) -> Challenge:
    """The challenge if the user may know it exists, else NotFound; `full` also loads
    what its page shows (criteria, plans, transitions with their actors) in few queries."""
    query = select(Challenge).where(Challenge.id == challenge_id, visible_challenges(user))
    if full:
        query = query.options(
            selectinload(Challenge.criteria), selectinload(Challenge.phase_plans),
            selectinload(Challenge.transitions).joinedload(PhaseTransition.actor),
        )
    challenge = db.session.scalar(query)
    if challenge is None:
        raise NotFound(_("This challenge does not exist."))
    return challenge


def _closing_at():
    """Subquery: when the current phase is planned to end."""
    return (select(PhasePlan.ends_at)
            .where(PhasePlan.challenge_id == Challenge.id, PhasePlan.phase == Challenge.phase)
            .correlate(Challenge).scalar_subquery())


def _filtered(query, company_id: int | None, category: str | None, phase: str | None):
    if company_id:
        query = query.where(Challenge.company_id == company_id)
    if category:
        query = query.where(Challenge.category == category)
    if phase:
        query = query.where(Challenge.phase == phase)
    return query


def list_challenges(user, company_id: int | None = None, category: str | None = None,
                    phase: str | None = None, sort: str = "newest", page: int = 1,
                    per_page: int = 12, language: str | None = None) -> Page:
    """One page of the challenges this user may see, filtered and sorted."""
    query = _filtered(select(Challenge).where(visible_challenges(user)), company_id, category, phase)
    if language:
        query = query.where(Challenge.language == language)
    if sort == "closing":
        closing = _closing_at()
        query = query.order_by(closing.is_(None), closing.asc(), Challenge.id.desc())
    elif sort == "active":
        query = query.order_by((Challenge.idea_count + Challenge.vote_count + Challenge.comment_count).desc(),
                               Challenge.id.desc())
    else:
        query = query.order_by(Challenge.published_at.is_(None), Challenge.published_at.desc(),
                               Challenge.id.desc())
    return paginate_offset(query, page, per_page, db.session)


def language_counts(user, company_id: int | None = None, category: str | None = None,
                    phase: str | None = None) -> dict[str, int]:
    """How many of the challenges this user may see (under the list's other filters) are
    written in each language: one query, through the same visibility rule."""
    query = _filtered(select(Challenge.language, func.count()).where(visible_challenges(user)),
                      company_id, category, phase)
    rows = db.session.execute(query.where(Challenge.language.is_not(None)).group_by(Challenge.language))
    return {code: n for code, n in rows if n}


def closing_dates(challenges) -> dict[int, datetime | None]:
    """Planned end of the current phase, per challenge id (one query)."""
    ids = [c.id for c in challenges]
    if not ids:
        return {}
    rows = db.session.execute(
        select(PhasePlan.challenge_id, PhasePlan.phase, PhasePlan.ends_at).where(PhasePlan.challenge_id.in_(ids))
    ).all()
    by_id = {c.id: c.phase for c in challenges}
    return {cid: ends for cid, phase, ends in rows if by_id.get(cid) == phase}


def company_challenges(user, company, page: int = 1, per_page: int = 12) -> Page:
    """One page of a company's challenges that this user may see, newest first (the
    company page's list)."""
    return paginate_offset(
        select(Challenge)
        .where(Challenge.company_id == company.id, visible_challenges(user))
        .order_by(Challenge.published_at.desc().nulls_first(), Challenge.id.desc()),
        page, per_page, db.session,
    )


def open_challenge_counts(company_ids) -> dict[int, int]:
    """How many public challenges each company has running (published, not closed),
    per company id (one query; companies with none are absent)."""
    ids = list(company_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Challenge.company_id, func.count(Challenge.id))
        .where(Challenge.company_id.in_(ids), Challenge.visibility == "public",
               Challenge.phase.notin_(("draft", "closed")))
        .group_by(Challenge.company_id)
    ).all()
    return dict(rows)


def home_page_data(user) -> dict:
    """What the home page shows to this user: open challenges, recently closed ones
    (their winners come from submissions, through the home view), totals."""
    visible = visible_challenges(user)
    open_challenges = list(db.session.scalars(
        select(Challenge).where(visible, Challenge.phase.in_(("submission", "voting")))
        .order_by(Challenge.published_at.desc(), Challenge.id.desc()).limit(6)
    ))
    closed = list(db.session.scalars(
        select(Challenge).where(visible, Challenge.phase == "closed")
        .order_by(Challenge.updated_at.desc(), Challenge.id.desc()).limit(3)
    ))
    totals = db.session.execute(
        select(func.count(Challenge.id), func.coalesce(func.sum(Challenge.idea_count), 0),
               func.coalesce(func.sum(Challenge.vote_count), 0)).where(visible)
    ).one()
    return {
        "open_challenges": open_challenges,
        "closed_challenges": closed,
        "closing": closing_dates(open_challenges),
        "totals": {"challenges": totals[0], "ideas": totals[1], "votes": totals[2]},
    }


def timeline(challenge: Challenge) -> list[dict]:
    """The challenge's timeline (phases.timeline) from its recorded moves and plans; the
    challenge is loaded with its transitions and plans (get_visible(full=True))."""
    reached: dict[str, datetime] = {}
    left: dict[str, datetime] = {}
    for move in sorted(challenge.transitions, key=lambda t: t.at):
        reached.setdefault(move.to_phase, move.at)
        left[move.from_phase] = move.at
    plans = {p.phase: (p.starts_at, p.ends_at) for p in challenge.phase_plans}
    return phases.timeline(challenge.phase, reached, plans, left)
