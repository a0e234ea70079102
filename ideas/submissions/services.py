"""Submitting, editing and withdrawing ideas.

Rules: ideas are submitted only while the challenge is in its submission phase, by
verified members who accepted the challenge's current terms; a double-clicked
submit (same submission_key) makes one idea; each save that changes the text is a
new IdeaRevision; withdrawing records an IdeaDecision.
"""

from __future__ import annotations

import difflib
import re

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ideas.accounts.models import User
from ideas.challenges import phases
from ideas.challenges.models import Challenge, ChallengeCriterion
from ideas.core import events, languages
from ideas.core.db import utcnow
from ideas.core.errors import Invalid, NotAllowed
from ideas.core.pagination import paginate_offset
from ideas.core.slugs import slugify
from ideas.core.tags import check_tags, clean_tags
from ideas.core.uploads import delete_image, store_images
from ideas.extensions import db
from ideas.submissions import policy, statuses
from ideas.submissions.counters import sync_idea_count
from ideas.submissions.models import (
    Comment,
    Idea,
    IdeaCoauthor,
    IdeaDecision,
    IdeaImage,
    IdeaRevision,
    Vote,
)
from ideas.submissions.terms import has_accepted

MAX_IMAGES = 5
LIMITS = {"title": (5, 160), "summary": (10, 500), "description": (20, 20000)}


def _check_text(title: str, summary: str, description: str, tags: list[str]) -> None:
    values = {"title": title, "summary": summary, "description": description}
    labels = {"title": _("The title"), "summary": _("The summary"), "description": _("The description")}
    for name, (low, high) in LIMITS.items():
        length = len(values[name])
        if length < low or length > high:
            raise Invalid(
                _("%(what)s must be %(low)s to %(high)s characters long (it has %(n)s).",
                  what=labels[name], low=low, high=high, n=length),
                field=name,
            )
    check_tags(tags)


def _coauthors(author: User, usernames) -> list[User]:
    if isinstance(usernames, str):
        usernames = re.split(r"[\s,]+", usernames)
    names = []
    for name in usernames or []:
        name = name.strip().lstrip("@")
        if name and name.lower() not in names:
            names.append(name.lower())
    if not names:
        return []
    users = db.session.scalars(select(User).where(func.lower(User.username).in_(names))).all()
    found = {u.username.lower(): u for u in users}
    missing = [n for n in names if n not in found]
    if missing:
        raise Invalid(_("No member is called %(names)s.", names=", ".join(missing)), field="coauthors")
    if author.username.lower() in found:
        raise Invalid(_("You are already the author; list only your co-authors."), field="coauthors")
    return [found[n] for n in names]


def _existing_by_key(key: str | None) -> Idea | None:
    if not key:
        return None
    return db.session.scalar(select(Idea).where(Idea.submission_key == key))


def submit_idea(author: User, challenge: Challenge, *, title: str, summary: str, description: str,
                tags=(), images=(), coauthor_usernames=(), submission_key: str | None = None,
                language: str = languages.AUTO, now=None) -> Idea:
    """Create an idea in a challenge in its submission phase (see module rules).

    `images` are the form's image slots (`core.uploads.ImageUpload`, at most 5), each
    picture with its alt text, which is required; a repeated `submission_key` returns
    the idea made by the first submit instead of a second one. A refusal stores nothing.
    `language` is the author's choice of core.languages.STORED, or AUTO: detected from the text.
    """
    now = now or utcnow()
    key = (submission_key or "").strip()[:64] or None
    existing = _existing_by_key(key)
    if existing is not None and existing.author_id == author.id:
        return existing
    if not phases.allows(challenge.phase, "submit"):
        raise NotAllowed(phases.refusal("submit"))
    if not author.is_verified:
        raise NotAllowed(_("Please confirm your email address before submitting an idea."))
    if not has_accepted(author, challenge):
        raise NotAllowed(_("Please accept the challenge's participation terms first."), field="terms")
    title, summary, description = (title or "").strip(), (summary or "").strip(), (description or "").strip()
    tags = clean_tags(tags)
    _check_text(title, summary, description, tags)
    language = languages.resolve(language, languages.content_text(title, summary, description))
    coauthors = _coauthors(author, coauthor_usernames)
    if existing is not None:  # someone else's key: never reuse it
        key = None

    stored = store_images(images, field="images", limit=MAX_IMAGES)  # all or none

    idea = Idea(challenge_id=challenge.id, author_id=author.id, title=title, slug=slugify(title),
                summary=summary, description=description, tags=tags, language=language, status=statuses.INITIAL,
                submission_key=key, revision_count=1, created_at=now, updated_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(idea)
            db.session.flush()
    except IntegrityError:
        for image in stored:
            delete_image(image.filename)
        again = _existing_by_key(key)
        if again is not None:
            return again
        raise
    idea.challenge = challenge
    for position, image in enumerate(stored, start=1):
        db.session.add(IdeaImage(idea_id=idea.id, position=position, filename=image.filename,
                                 width=image.width, height=image.height, alt=image.alt, created_at=now))
    for user in coauthors:
        db.session.add(IdeaCoauthor(idea_id=idea.id, user_id=user.id, added_at=now))
    db.session.add(IdeaRevision(idea_id=idea.id, number=1, title=title, summary=summary,
                                description=description, tags=tags, editor_id=author.id, created_at=now))
    # Counters move in SQL so concurrent submits do not lose an increment.
    db.session.execute(
        Challenge.__table__.update().where(Challenge.id == challenge.id)
        .values(idea_count=Challenge.idea_count + 1, last_activity_at=now)
    )
    db.session.flush()
    db.session.refresh(challenge, ["idea_count", "last_activity_at"])
    events.idea_submitted.send(idea, actor=author)
    return idea


is_author = policy.is_author


def can_edit(user, idea: Idea) -> bool:
    return policy.can(user, idea, "edit")


def edit_idea(editor: User, idea: Idea, *, title: str, summary: str, description: str, tags=(),
              language: str | None = None, now=None) -> IdeaRevision | None:
    """Save a changed text as a new revision; returns None when the text did not change
    (a changed language alone is saved without a revision).

    Only the author or a co-author, only while the challenge takes submissions and
    the idea is still just submitted. `language`: None keeps it, AUTO detects it from
    the new text, a code of core.languages.STORED sets it.
    """
    policy.check(editor, idea, "edit")
    title, summary, description = (title or "").strip(), (summary or "").strip(), (description or "").strip()
    tags = clean_tags(tags)
    _check_text(title, summary, description, tags)
    if language is not None:
        idea.language = languages.resolve(language, languages.content_text(title, summary, description))
    if (title, summary, description, tags) == (idea.title, idea.summary, idea.description, list(idea.tags or [])):
        db.session.flush()
        return None
    now = now or utcnow()
    number = (db.session.scalar(select(func.max(IdeaRevision.number)).where(IdeaRevision.idea_id == idea.id))
              or 0) + 1
    revision = IdeaRevision(idea_id=idea.id, number=number, title=title, summary=summary,
                            description=description, tags=tags, editor_id=editor.id, created_at=now)
    db.session.add(revision)
    if title != idea.title:
        idea.slug = slugify(title)
    idea.title, idea.summary, idea.description, idea.tags = title, summary, description, tags
    idea.revision_count = number
    idea.updated_at = now
    db.session.flush()
    events.idea_edited.send(idea, actor=editor, revision=revision)
    return revision


def idea_page_facts(idea: Idea) -> dict:
    """What the idea page shows beside the idea itself, read as plain rows: its images,
    its co-authors and the challenge's success criteria."""

    images = db.session.execute(
        select(IdeaImage.filename, IdeaImage.width, IdeaImage.height, IdeaImage.alt)
        .where(IdeaImage.idea_id == idea.id).order_by(IdeaImage.position)).all()
    coauthors = db.session.execute(
        select(User.id, User.username, User.display_name).join(IdeaCoauthor, IdeaCoauthor.user_id == User.id)
        .where(IdeaCoauthor.idea_id == idea.id).order_by(IdeaCoauthor.added_at, User.id)).all()
    criteria = db.session.scalars(
        select(ChallengeCriterion.text).where(ChallengeCriterion.challenge_id == idea.challenge_id)
        .order_by(ChallengeCriterion.position)).all()
    return {"images": images, "coauthors": coauthors, "criteria": criteria}


def withdraw_idea(author: User, idea: Idea, reason: str = "", now=None) -> IdeaDecision:
    """The lead author takes an idea back while the phase and its status allow it; it
    leaves the lists and the count."""
    policy.check(author, idea, "withdraw")
    now = now or utcnow()
    decision = IdeaDecision(idea_id=idea.id, from_status=idea.status, to_status="withdrawn",
                            reason=(reason or "").strip()[:2000], actor_id=author.id, created_at=now)
    db.session.add(decision)
    idea.status = "withdrawn"
    idea.decided_at = now
    idea.decided_by_id = author.id
    idea.updated_at = now
    db.session.flush()
    sync_idea_count(idea.challenge_id, now=now)
    db.session.refresh(idea.challenge, ["idea_count"])
    events.idea_withdrawn.send(idea, actor=author, reason=decision.reason)
    return decision


def revisions(idea: Idea) -> list[IdeaRevision]:
    return list(db.session.scalars(
        select(IdeaRevision).where(IdeaRevision.idea_id == idea.id).order_by(IdeaRevision.number)
    ))


_WORDS = re.compile(r"\s+|[^\s]+")


def _word_diff(old: str, new: str) -> list[tuple[str, str]]:
    a, b = _WORDS.findall(old or ""), _WORDS.findall(new or "")
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("equal", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                out.append(("delete", "".join(a[i1:i2])))
            if j2 > j1:
                out.append(("insert", "".join(b[j1:j2])))
    return out


def revision_diff(idea: Idea, a: int, b: int) -> dict[str, list[tuple[str, str]]]:
    """Word diff per field between revision numbers a and b: {field: [(op, text)]},
    op in equal/insert/delete. Unknown revision numbers raise Invalid."""
    rows = {r.number: r for r in db.session.scalars(
        select(IdeaRevision).where(IdeaRevision.idea_id == idea.id, IdeaRevision.number.in_([a, b]))
    )}
    if a not in rows or b not in rows:
        raise Invalid(_("There is no such revision."), field="rev")
    old, new = rows[a], rows[b]
    return {
        "title": _word_diff(old.title, new.title),
        "summary": _word_diff(old.summary, new.summary),
        "description": _word_diff(old.description, new.description),
        "tags": _word_diff(", ".join(old.tags or []), ", ".join(new.tags or [])),
    }


CONTRIBUTION_TABS = ("ideas", "votes", "comments")


def contributions(user, tab: str, page: int, per_page: int = 20):
    """"My contributions": one page of the ideas the user wrote or co-authors (any
    status, with their outcome), or of their votes or comments on ideas they can still
    see; returns (page, {idea id: idea} for the vote and comment rows)."""
    ideas_by_id: dict[int, Idea] = {}
    if tab == "ideas":
        query = (select(Idea).where(policy.authored_by(user)).options(joinedload(Idea.challenge))
                 .order_by(Idea.created_at.desc(), Idea.id.desc()))
        return paginate_offset(query, page, per_page, db.session), ideas_by_id
    model = Vote if tab == "votes" else Comment
    mine = model.user_id == user.id if model is Vote else model.author_id == user.id
    query = select(model).join(Idea, Idea.id == model.idea_id).where(mine, policy.visible_ideas(user))
    if model is Comment:
        query = query.where(Comment.deleted_at.is_(None))
    result = paginate_offset(query.order_by(model.created_at.desc(), model.id.desc()), page, per_page, db.session)
    ids = {row.idea_id for row in result.items}
    if ids:
        ideas_by_id = {i.id: i for i in db.session.scalars(select(Idea).where(Idea.id.in_(ids)))}
    return result, ideas_by_id


def merged_into(user, idea: Idea) -> Idea | None:
    """Where a merged idea's page leads the user: its target, when they may see it."""
    if not idea.merged_into_id or statuses.is_public(idea.status) or not policy.can_view(user, idea.challenge):
        return None
    target = db.session.get(Idea, idea.merged_into_id)
    return target if target is not None and policy.can_view_idea(user, target) else None
