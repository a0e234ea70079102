"""Participation terms: a member accepts a challenge's terms (in their current
version) before their first idea there; a new version must be accepted again. Each
acceptance points at the kept text of the version accepted (TermsVersion)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ideas.challenges.models import Challenge, TermsAcceptance
from ideas.challenges.services import current_terms, record_terms_version
from ideas.core.db import utcnow
from ideas.extensions import db


def has_accepted(user, challenge: Challenge) -> bool:
    """True when the user accepted the challenge's current terms version."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(select(TermsAcceptance.id).where(
        TermsAcceptance.challenge_id == challenge.id,
        TermsAcceptance.user_id == user.id,
        TermsAcceptance.terms_version == challenge.terms_version,
    )) is not None


def accept_terms(user, challenge: Challenge, now=None) -> TermsAcceptance:
    """Record acceptance of the current terms version; accepting twice is harmless."""
    query = select(TermsAcceptance).where(
        TermsAcceptance.challenge_id == challenge.id,
        TermsAcceptance.user_id == user.id,
        TermsAcceptance.terms_version == challenge.terms_version,
    )
    existing = db.session.scalar(query)
    if existing is not None:
        return existing
    version = current_terms(challenge)
    if version is None:  # a challenge older than the kept versions: keep its text now
        version = record_terms_version(challenge, now=now)
    acceptance = TermsAcceptance(challenge_id=challenge.id, user_id=user.id,
                                 terms_version=challenge.terms_version, terms_version_id=version.id,
                                 accepted_at=now or utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(acceptance)
    except IntegrityError:  # a concurrent accept won the race
        return db.session.scalar(query)
    return acceptance
