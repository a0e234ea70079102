"""What the index holds for each kind of thing, and how a page's hits are checked and
shown: one `SearchKind` per kind (challenge, idea, comment). Later kinds (public
prototypes, profiles, focus-group posts) register theirs with `register_kind`.

`documents(session, ids)` reads the current rows (None: the thing is gone and leaves
the index); `visible_rows(session, user, ids)` runs the module's own SQL policy over
a page's hits and returns what may be shown, with what the result row needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, or_, select, true
from sqlalchemy.orm import Session

from ideas.accounts.models import User
from ideas.challenges.models import Challenge, ChallengeCriterion
from ideas.challenges.policy import managed_challenges, visible_challenges
from ideas.search import analyzer
from ideas.search.policies import challenge_audience, content_grants, idea_listed
from ideas.submissions.models import Comment, Idea, IdeaCoauthor
from ideas.submissions.policy import visible_ideas


@dataclass
class Document:
    kind: str
    obj_id: int
    title: str
    body: str
    grants: list[str]
    challenge_id: int
    company_id: int
    category: str
    status: str  # an idea's status, a challenge's phase, "comment"
    created_at: datetime
    idea_id: int | None = None
    # Ideas and challenges: their recorded language; comments (and rows whose language
    # is not recorded yet): the analyzer's guess from the script.
    lang: str = ""
    words: str = ""  # text for the "did you mean" vocabulary (title and body)

    def __post_init__(self):
        if not self.lang:
            self.lang = analyzer.detect_language(f"{self.title} {self.body}")
        if not self.words:
            self.words = f"{self.title} {self.body}"

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.obj_id}"


@dataclass
class Row:
    """A hit the searcher may see, with what its result line shows."""

    kind: str
    obj_id: int
    title: str
    text: str
    created_at: datetime
    challenge_id: int
    idea_id: int | None = None
    slug: str = ""
    idea_slug: str = ""
    author: str = ""
    status: str = ""
    lang: str | None = None  # the idea's or challenge's recorded language
    extra: dict = field(default_factory=dict)


class SearchKind:
    name = ""

    def documents(self, session: Session, ids: list[int]) -> dict[int, Document | None]:
        raise NotImplementedError

    def all_ids(self, session: Session, challenge_id: int | None = None):
        """A SELECT of every id of this kind (in one challenge)."""
        raise NotImplementedError

    def visible_rows(self, session: Session, user, ids: Iterable[int]) -> dict[int, Row]:
        raise NotImplementedError


def _authors(session: Session, idea_ids: list[int], lead: dict[int, int]) -> dict[int, set[int]]:
    out = {i: {lead[i]} for i in idea_ids if i in lead}
    if idea_ids:
        for idea_id, user_id in session.execute(
                select(IdeaCoauthor.idea_id, IdeaCoauthor.user_id).where(IdeaCoauthor.idea_id.in_(idea_ids))):
            out.setdefault(idea_id, set()).add(user_id)
    return out


def _challenges(session: Session, ids: Iterable[int]) -> dict[int, Challenge]:
    ids = sorted(set(ids))
    if not ids:
        return {}
    return {c.id: c for c in session.scalars(select(Challenge).where(Challenge.id.in_(ids)))}


class ChallengeKind(SearchKind):
    name = "challenge"

    def documents(self, session, ids):
        found = _challenges(session, ids)
        criteria: dict[int, list[str]] = {}
        if found:
            for cid, text in session.execute(select(ChallengeCriterion.challenge_id, ChallengeCriterion.text)
                                              .where(ChallengeCriterion.challenge_id.in_(list(found)))):
                criteria.setdefault(cid, []).append(text)
        out: dict[int, Document | None] = {}
        for cid in ids:
            c = found.get(cid)
            if c is None:
                out[cid] = None
                continue
            audience = challenge_audience(c)
            out[cid] = Document(
                kind=self.name, obj_id=c.id, title=c.title,
                body="\n".join([c.summary, c.problem, " ".join(c.tags or []), *criteria.get(cid, [])]),
                grants=[f"staff:{c.company_id}"] + ([audience] if audience else []),
                challenge_id=c.id, company_id=c.company_id, category=c.category, status=c.phase,
                created_at=c.published_at or c.created_at, lang=c.language or "")
        return out

    def all_ids(self, session, challenge_id=None):
        statement = select(Challenge.id).order_by(Challenge.id)
        if challenge_id is not None:
            statement = statement.where(Challenge.id == challenge_id)
        return statement

    def visible_rows(self, session, user, ids):
        ids = list(ids)
        if not ids:
            return {}
        rows = session.execute(select(Challenge.id, Challenge.title, Challenge.slug, Challenge.summary,
                                      Challenge.problem, Challenge.phase, Challenge.published_at,
                                      Challenge.created_at, Challenge.language)
                               .where(Challenge.id.in_(ids), visible_challenges(user)))
        return {r.id: Row(self.name, r.id, r.title, f"{r.summary}\n{r.problem}", r.published_at or r.created_at,
                          r.id, slug=r.slug, status=r.phase, lang=r.language) for r in rows}


class IdeaKind(SearchKind):
    name = "idea"

    def documents(self, session, ids):
        found = {i.id: i for i in session.scalars(select(Idea).where(Idea.id.in_(ids)))} if ids else {}
        challenges = _challenges(session, (i.challenge_id for i in found.values()))
        authors = _authors(session, list(found), {i.id: i.author_id for i in found.values()})
        out: dict[int, Document | None] = {}
        for iid in ids:
            idea = found.get(iid)
            if idea is None:
                out[iid] = None
                continue
            c = challenges[idea.challenge_id]
            out[iid] = Document(
                kind=self.name, obj_id=idea.id, title=idea.title,
                body="\n".join([idea.summary, idea.description, " ".join(idea.tags or [])]),
                grants=content_grants(c, listed=idea_listed(idea), author_ids=authors.get(iid, ())),
                challenge_id=c.id, company_id=c.company_id, category=c.category, status=idea.status,
                created_at=idea.created_at, idea_id=idea.id, lang=idea.language or "")
        return out

    def all_ids(self, session, challenge_id=None):
        statement = select(Idea.id).order_by(Idea.id)
        if challenge_id is not None:
            statement = statement.where(Idea.challenge_id == challenge_id)
        return statement

    def visible_rows(self, session, user, ids):
        ids = list(ids)
        if not ids:
            return {}
        rows = session.execute(
            select(Idea.id, Idea.title, Idea.slug, Idea.summary, Idea.description, Idea.status, Idea.created_at,
                   Idea.challenge_id, Idea.hidden_at, Idea.language, User.display_name)
            .join(User, User.id == Idea.author_id)
            .where(Idea.id.in_(ids), visible_ideas(user)))
        return {r.id: Row(self.name, r.id, r.title, f"{r.summary}\n{r.description}", r.created_at, r.challenge_id,
                          idea_id=r.id, slug=r.slug, author=r.display_name,
                          status="hidden" if r.hidden_at else r.status, lang=r.language) for r in rows}


class CommentKind(SearchKind):
    name = "comment"

    def documents(self, session, ids):
        found = {c.id: c for c in session.scalars(select(Comment).where(Comment.id.in_(ids)))} if ids else {}
        ideas = {i.id: i for i in session.scalars(
            select(Idea).where(Idea.id.in_({c.idea_id for c in found.values()})))} if found else {}
        challenges = _challenges(session, (i.challenge_id for i in ideas.values()))
        authors = _authors(session, list(ideas), {i.id: i.author_id for i in ideas.values()})
        out: dict[int, Document | None] = {}
        for cid in ids:
            comment = found.get(cid)
            if comment is None or comment.deleted_at is not None:
                out[cid] = None
                continue
            idea = ideas[comment.idea_id]
            c = challenges[idea.challenge_id]
            grants = ([f"staff:{c.company_id}"] if comment.hidden_at is not None else
                      content_grants(c, listed=idea_listed(idea), author_ids=authors.get(idea.id, ())))
            out[cid] = Document(
                kind=self.name, obj_id=comment.id, title="", body=comment.body, grants=grants,
                challenge_id=c.id, company_id=c.company_id, category=c.category, status="comment",
                created_at=comment.created_at, idea_id=idea.id)
        return out

    def all_ids(self, session, challenge_id=None):
        statement = select(Comment.id).where(Comment.deleted_at.is_(None)).order_by(Comment.id)
        if challenge_id is not None:
            statement = statement.join(Idea, Idea.id == Comment.idea_id).where(Idea.challenge_id == challenge_id)
        return statement

    def visible_rows(self, session, user, ids):
        ids = list(ids)
        if not ids:
            return {}
        managed = managed_challenges(user)
        if managed is None:
            shown = Comment.hidden_at.is_(None)
        elif managed is True:
            shown = true()
        else:
            shown = or_(Comment.hidden_at.is_(None), Idea.challenge_id.in_(select(Challenge.id).where(managed)))
        rows = session.execute(
            select(Comment.id, Comment.body, Comment.created_at, Comment.idea_id, Idea.title, Idea.slug,
                   Idea.challenge_id, User.display_name)
            .join(Idea, Idea.id == Comment.idea_id).join(User, User.id == Comment.author_id)
            .where(Comment.id.in_(ids), Comment.deleted_at.is_(None), and_(visible_ideas(user), shown)))
        return {r.id: Row(self.name, r.id, r.title, r.body, r.created_at, r.challenge_id, idea_id=r.idea_id,
                          idea_slug=r.slug, author=r.display_name, status="comment") for r in rows}


KINDS: dict[str, SearchKind] = {}


def register_kind(kind: SearchKind) -> None:
    KINDS[kind.name] = kind


for _kind in (ChallengeKind(), IdeaKind(), CommentKind()):
    register_kind(_kind)
