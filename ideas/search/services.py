"""Searching: the page's query through the backend with the searcher's grants, the
hits checked again by each kind's own policy, facets with labels, "did you mean",
and the index kept healthy (a missing or unreadable index is started afresh and
rebuilt through the queue). A failure becomes a message, never an error page."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select

from ideas.challenges.categories import category_label
from ideas.challenges.models import Challenge
from ideas.challenges.policy import visible_challenges
from ideas.companies.models import Company
from ideas.core import languages
from ideas.core.links import path_to
from ideas.search import queue, spelling
from ideas.search.backends import FACETS, SORTS, IndexUnavailable, backend_for
from ideas.search.documents import KINDS, Row
from ideas.search.policies import user_grants
from ideas.search.query import parse
from ideas.search.snippets import highlight
from ideas.submissions import statuses
from ideas.submissions.comments import PER_PAGE as COMMENTS_PER_PAGE
from ideas.submissions.models import Comment

log = logging.getLogger(__name__)
PER_PAGE = 20
MAX_RESULT_PAGE = 50  # deeper than this nobody reads: refine the search instead


@dataclass
class Result:
    kind: str
    url: str
    title: Markup
    snippet: Markup
    created_at: object
    context: str = ""  # the challenge (or idea, for a comment)
    author: str = ""
    status: str = ""
    lang: str | None = None  # of the title and snippet: an idea's or challenge's recorded language


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchPage:
    q: str
    results: list[Result] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = "relevance"
    suggestion: str | None = None
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    unavailable: bool = False
    catching_up: bool = False
    sampled: int = 0  # facets counted among the best this many results
    exact: bool = True


def kind_label(kind: str) -> str:
    return {"idea": _("Ideas"), "comment": _("Comments"), "challenge": _("Challenges")}.get(kind, kind)


def status_label(status: str) -> str:
    phases = {"draft": _("Draft"), "submission": _("Submission"), "voting": _("Voting"), "review": _("Review"),
              "refinement": _("Refinement"), "prototyping": _("Prototyping"), "closed": _("Closed")}
    if status in phases:
        return _("Challenge: %(phase)s", phase=phases[status])
    if status == "comment":
        return _("Comment")
    return statuses.label(status)


def language_label(code: str) -> str:
    """A language facet's label: the language's own name (core/languages.py)."""
    return languages.native_name(code)


def ensure_index(app) -> bool:
    """Whether the index can be read; a missing or unreadable one is started afresh
    and a rebuild queued (applied a batch at a time by requests and `flask search sync`)."""
    backend = backend_for(app)
    try:
        backend.check()
        return True
    except IndexUnavailable as exc:
        log.warning("search index unavailable (%s): starting it afresh and rebuilding", exc)
    try:
        from sqlalchemy.orm import Session

        from ideas.extensions import db

        if backend.reset():
            with Session(db.engine) as session, session.begin():
                queue.enqueue_rebuild(session)
        queue.apply_pending(app, budget_seconds=1.0)
        return True
    except Exception:
        log.exception("search index could not be rebuilt")
        return False


def clean_filters(args) -> dict[str, str]:
    out = {}
    for name in FACETS:
        value = (args.get(name) or "").strip()
        if value and len(value) <= 40:
            out[name] = value
    return out


def search(session, user, q: str | None, *, filters: dict[str, str] | None = None, sort: str = "relevance",
           page: int = 1) -> SearchPage:
    """One page of results for `user`, never raising for a backend failure."""
    filters = filters or {}
    sort = sort if sort in SORTS else "relevance"
    page = max(1, min(int(page or 1), MAX_RESULT_PAGE))
    parsed = parse(q)
    out = SearchPage(q=(q or "").strip(), filters=filters, sort=sort, page=page, notes=list(parsed.notes))
    if parsed.error:
        out.error = parsed.error if out.q else None
        return out
    app = current_app._get_current_object()
    try:
        if not ensure_index(app):
            raise IndexUnavailable("rebuild failed")
        backend = backend_for(app)
        grants = user_grants(session, user)
        mask = queue.pending_mask(session)
        hits = backend.search(parsed, grants, filters=filters, sort=sort, page=page, per_page=PER_PAGE, mask=mask)
        out.catching_up = queue.pending_count(session) > queue.MASK_LIMIT
        out.total = hits.total
        out.sampled, out.exact = hits.sampled, hits.exact
        out.pages = min(MAX_RESULT_PAGE, -(-hits.total // PER_PAGE))
        out.results = _results(session, user, hits.keys, parsed.terms())
        out.facets = _facets(session, user, hits.facets, filters)
        if hits.total == 0:
            out.suggestion = spelling.suggest(backend, parsed.typed_words(), grants)
            if out.suggestion and out.suggestion.lower() == out.q.lower():
                out.suggestion = None
    except Exception:
        log.exception("search failed for %r", q)
        out.unavailable = True
        out.results, out.facets, out.total = [], {}, 0
    return out


def _comment_pages(session, rows: list[Row]) -> dict[int, int]:
    """The comments page of the idea where each comment (or its parent) is shown."""
    ids = [r.obj_id for r in rows if r.kind == "comment"]
    if not ids:
        return {}
    parent = dict(session.execute(select(Comment.id, func.coalesce(Comment.parent_id, Comment.id))
                                  .where(Comment.id.in_(ids))).all())
    idea_ids = {r.idea_id for r in rows if r.kind == "comment"}
    numbered = select(Comment.id, func.row_number().over(
        partition_by=Comment.idea_id, order_by=(Comment.created_at, Comment.id)).label("n")) \
        .where(Comment.idea_id.in_(idea_ids), Comment.parent_id.is_(None)).subquery()
    wanted = set(parent.values())
    place = {cid: n for cid, n in session.execute(select(numbered.c.id, numbered.c.n)
                                                  .where(numbered.c.id.in_(wanted)))}
    return {cid: (place.get(top, 1) - 1) // COMMENTS_PER_PAGE + 1 for cid, top in parent.items()}


def _results(session, user, keys, terms) -> list[Result]:
    by_kind: dict[str, list[int]] = {}
    for kind, obj_id in keys:
        by_kind.setdefault(kind, []).append(obj_id)
    rows: dict[tuple[str, int], Row] = {}
    for kind, ids in by_kind.items():
        if kind in KINDS:
            for obj_id, row in KINDS[kind].visible_rows(session, user, ids).items():
                rows[(kind, obj_id)] = row
    challenge_titles = dict(session.execute(select(Challenge.id, Challenge.title).where(
        Challenge.id.in_({r.challenge_id for r in rows.values()}))).all()) if rows else {}
    comment_pages = _comment_pages(session, list(rows.values()))
    out = []
    for key in keys:
        row = rows.get(key)
        if row is None:  # the index was behind: the policy says no
            continue
        if row.kind == "challenge":
            url = path_to("challenges.show", challenge_id=row.obj_id, slug=row.slug)
            context = ""
        elif row.kind == "idea":
            url = path_to("submissions.show", idea_id=row.obj_id, slug=row.slug)
            context = challenge_titles.get(row.challenge_id, "")
        else:
            args = {"idea_id": row.idea_id, "slug": row.idea_slug}
            if comment_pages.get(row.obj_id, 1) > 1:
                args["comments_page"] = comment_pages[row.obj_id]
            url = path_to("submissions.show", **args) + f"#comment-{row.obj_id}"
            context = challenge_titles.get(row.challenge_id, "")
        title = highlight(row.title, terms, whole=True) if row.title else Markup("")
        out.append(Result(kind=row.kind, url=url, title=title, snippet=highlight(row.text, terms),
                          created_at=row.created_at, context=context, author=row.author, status=row.status,
                          lang=row.lang))
    return out


def _facets(session, user, counts: dict[str, dict[str, int]], filters) -> dict[str, list[FacetValue]]:
    labels: dict[str, dict[str, str]] = {
        "kind": {k: kind_label(k) for k in KINDS},
        "lang": {code: language_label(code) for code in counts.get("lang", {}) if code in languages.STORED},
    }
    challenge_ids = [int(v) for v in counts.get("challenge", {}) if v.isdigit()][:200]
    if challenge_ids:
        labels["challenge"] = {str(i): t for i, t in session.execute(
            select(Challenge.id, Challenge.title).where(Challenge.id.in_(challenge_ids), visible_challenges(user)))}
    company_ids = [int(v) for v in counts.get("company", {}) if v.isdigit()][:200]
    if company_ids:
        labels["company"] = {str(i): n for i, n in session.execute(
            select(Company.id, Company.name).where(Company.id.in_(company_ids)))}
    labels["category"] = {c: category_label(c) for c in counts.get("category", {})}
    labels["status"] = {s: status_label(s) for s in counts.get("status", {})}
    out: dict[str, list[FacetValue]] = {}
    for name in FACETS:
        values = []
        for value, count in counts.get(name, {}).items():
            label = labels.get(name, {}).get(value)
            if label is None or count <= 0:
                continue  # a value the searcher may not know of (or nothing to count)
            values.append(FacetValue(value, label, count, filters.get(name) == value))
        values.sort(key=lambda v: (-v.count, v.label))
        if values:
            out[name] = values[:12]
    return out


def sync(app, *, budget_seconds: float | None = None, wait_ms: int | None = None) -> tuple[int, bool]:
    """Apply whatever is queued (`flask search sync`, and after each writing request)."""
    ensure_index(app)
    return queue.apply_pending(app, budget_seconds=budget_seconds, wait_ms=wait_ms)

