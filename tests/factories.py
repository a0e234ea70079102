"""Plain factory functions over the models; each flushes and returns the object."""

from __future__ import annotations

import itertools
from datetime import timedelta

from argon2 import PasswordHasher

from ideas.core.db import utcnow

_seq = itertools.count(1)


def with_alt(*streams, alt: str = "A test picture") -> list:
    """Image slots as a form sends them (core.uploads.ImageUpload): each stream with its
    alt text, numbered from 1."""
    from ideas.core.uploads import ImageUpload

    return [ImageUpload(stream, f"{alt} {n}", n) for n, stream in enumerate(streams, start=1)]
DEFAULT_PASSWORD = "correct horse battery"
_HASH = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(DEFAULT_PASSWORD)


class Factories:
    def __init__(self, db):
        self.db = db

    def _add(self, obj):
        self.db.session.add(obj)
        self.db.session.flush()
        return obj

    def user(self, *, verified: bool = True, admin: bool = False, name: str | None = None, **kw):
        from ideas.accounts.models import User

        n = next(_seq)
        kw.setdefault("email", f"member{n}@example.org")
        kw.setdefault("username", f"member{n}")
        return self._add(User(
            display_name=name or f"Member {n}",
            password_hash=_HASH,
            email_verified_at=utcnow() if verified else None,
            is_admin=admin,
            **kw,
        ))

    def company(self, *, staff=(), owner=None, **kw):
        from ideas.companies.models import Company, CompanyMember

        n = next(_seq)
        kw.setdefault("name", f"Company {n}")
        kw.setdefault("slug", f"company-{n}")
        company = self._add(Company(**kw))
        if owner is not None:
            self._add(CompanyMember(company_id=company.id, user_id=owner.id, role="owner"))
        for person in staff:
            self._add(CompanyMember(company_id=company.id, user_id=person.id, role="manager"))
        return company

    def challenge(self, company=None, *, phase: str = "submission", **kw):
        from ideas.challenges.models import Challenge, ChallengeCriterion, PhasePlan
        from ideas.challenges.services import record_terms_version

        company = company or self.company()
        n = next(_seq)
        now = utcnow()
        kw.setdefault("title", f"Challenge {n}")
        kw.setdefault("slug", f"challenge-{n}")
        kw.setdefault("summary", "How might we make laundry hygienic?")
        kw.setdefault("problem", "Washing machines keep bacteria in the drum.")
        kw.setdefault("category", "home")
        kw.setdefault("terms", "Ideas are shared under CC BY 4.0.")
        challenge = self._add(Challenge(
            company_id=company.id, phase=phase,
            published_at=None if phase == "draft" else now, **kw,
        ))
        record_terms_version(challenge)  # as the service keeps it
        self._add(ChallengeCriterion(challenge_id=challenge.id, position=1, text="Removes 99% of bacteria"))
        self._add(PhasePlan(challenge_id=challenge.id, phase="submission", starts_at=now - timedelta(days=1),
                            ends_at=now + timedelta(days=14)))
        return challenge

    def idea(self, challenge=None, author=None, **kw):
        from ideas.submissions import statuses
        from ideas.submissions.models import Idea, IdeaRevision

        challenge = challenge or self.challenge()
        author = author or self.user()
        n = next(_seq)
        kw.setdefault("title", f"Idea {n}")
        kw.setdefault("slug", f"idea-{n}")
        kw.setdefault("summary", "A steam cycle that cleans the drum.")
        kw.setdefault("description", "Run a **steam** cycle after every wash.")
        idea = self._add(Idea(challenge_id=challenge.id, author_id=author.id, **kw))
        self._add(IdeaRevision(idea_id=idea.id, number=1, title=idea.title, summary=idea.summary,
                               description=idea.description, tags=list(idea.tags or []),
                               editor_id=author.id))
        if idea.hidden_at is None and statuses.is_public(idea.status or statuses.INITIAL):
            challenge.idea_count += 1  # the count of listed ideas, as services keep it
        return idea
