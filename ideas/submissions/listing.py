"""A challenge's idea list: sorts and pages that cost the same on page 1 and 1000.

The ids of one page are picked from the sort index first (LIMIT/OFFSET over
(challenge_id, key, id)), then those rows are loaded with their authors in one
query. No COUNT per request: the last page comes from challenge.idea_count, or with
the language filter from the list's language counts (one GROUP BY over the same
index, through the same visibility rule, so a count never includes an idea the
reader may not see).
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import BigInteger, Integer, String, and_, bindparam, case, func, literal, select

from ideas.accounts.models import User
from ideas.challenges.models import Challenge
from ideas.challenges.policy import can_manage
from ideas.core.pagination import Page
from ideas.extensions import db
from ideas.submissions import policy, statuses
from ideas.submissions.models import Idea, IdeaImage
from ideas.submissions.policy import authored_by, listed

SORTS = ("top", "new", "trending", "discussed", "fresh")
# The idea's first image, for the row's thumbnail: a look-up in the (idea_id, position)
# unique index for each of the page's rows, inside the same query.
_THUMBNAIL = (
    select(IdeaImage.filename).where(IdeaImage.idea_id == Idea.id)
    .order_by(IdeaImage.position).limit(1).correlate(Idea).scalar_subquery()
)
# What a list row shows, read as plain rows (no ORM objects to build): the author's
# name and the thumbnail come in the same query.
ROW_COLUMNS = (
    Idea.id, Idea.challenge_id, Idea.author_id, Idea.title, Idea.slug, Idea.summary, Idea.status,
    Idea.tags, Idea.up_votes, Idea.down_votes, Idea.score, Idea.trend, Idea.comment_count,
    Idea.created_at, Idea.hidden_at, Idea.language,
    User.username.label("author_username"), User.display_name.label("author_name"),
    User.avatar.label("author_avatar"), _THUMBNAIL.label("thumbnail"),
)
# Fresh eyes: each member's order is id * m mod p, with p the prime 2^31 - 1 and m a
# multiplier drawn from the member's seed: a permutation of the ids that is stable for
# one member and different between members, even for consecutive seeds (adding the
# seed instead would shift every idea alike, giving everyone the same order). Ids and
# multipliers stay below 2^31, so the product fits in a 64-bit integer on every backend.
_PRIME = 2_147_483_647
_MULTIPLIER = 2_654_435_761
FRESH_WINDOW = 500  # fresh eyes shuffles the 500 least-voted ideas, then goes on by votes


# Staff lists show every idea but merged ones, whose pages redirect to their target.
_STAFF_LISTED = tuple(s for s in statuses.ALL if s != "merged")
# The index-backed sorts: highest (newest) first, then id. Walked backwards for the
# pages past the middle.
KEYS = {"top": Idea.score, "new": Idea.created_at, "trending": Idea.trend, "discussed": Idea.comment_count}


def _order(sort: str, seed, backwards: bool = False):
    if sort in KEYS:
        key = KEYS[sort]
        return [key.asc(), Idea.id.asc()] if backwards else [key.desc(), Idea.id.desc()]
    if sort == "fresh":  # within the window: fewest-votes bucket first, shuffled per member
        return _fresh_order(Idea.votes_total, Idea.id, seed)
    return [Idea.votes_total, Idea.id]  # "fresh_tail", after the window: fewest votes first


def _fresh_order(votes, idea_id, seed):
    bucket = case((votes == 0, 0), (votes <= 2, 1), (votes <= 9, 2), else_=3)
    shuffle = (idea_id * seed) % literal(_PRIME)
    return [bucket, shuffle, idea_id]


def fresh_multiplier(member_seed: int) -> int:
    """The member's shuffle multiplier, in 1 .. p-1 (never 0, which would tie every idea)."""
    return 1 + (int(member_seed) * _MULTIPLIER) % (_PRIME - 1)


def _scope(user, challenge: Challenge) -> str:
    """Which ideas of a (visible) challenge the user sees, as policy.visible_ideas says:
    "staff" everything but merged ones (they redirect), "member" the public ones plus
    the ones they wrote or co-author, "public" the listed ones."""
    if policy.authenticated(user):
        return "staff" if can_manage(user, challenge) else "member"
    return "public"


class _Member:
    """Stands in for the user in the statement built once per scope: authored_by()
    compares with a bound user id."""

    is_authenticated = True
    id = bindparam("user_id", type_=Integer)


def _shown(scope: str, by_language: bool = False):
    """The ideas of one challenge that a reader of `scope` sees (policy.visible_ideas
    as bound parameters), in one language if `by_language`."""
    challenge_id = bindparam("challenge_id", type_=Integer)
    if scope == "staff":
        shown = and_(Idea.challenge_id == challenge_id, Idea.status.in_(_STAFF_LISTED))
    else:
        public = listed()
        if scope == "member":
            public = public | authored_by(_Member)
        shown = and_(Idea.challenge_id == challenge_id, public)
    if by_language:
        shown = and_(shown, Idea.language == bindparam("language", type_=String))
    return shown


@lru_cache(maxsize=128)
def _page_statement(sort: str, scope: str, backwards: bool = False, by_language: bool = False):
    """The page query of one sort and scope, built once: every request only binds
    challenge_id, user_id, seed, limit and offset (and SQLAlchemy's compiled cache
    does the rest). A per-process memo of immutable statements: building the query
    and its cache key for each request cost 1.2 ms, a quarter of the list's CPU."""
    shown = _shown(scope, by_language)
    order = _order(sort, bindparam("seed", type_=BigInteger), backwards)
    limit, offset = bindparam("limit", type_=Integer), bindparam("offset", type_=Integer)
    if sort == "fresh":
        # Shuffle only the FRESH_WINDOW least-voted ideas (read from ix_ideas_fresh),
        # not the whole challenge: the first pages cost the same with 50,000 ideas.
        window = (
            select(Idea.id, Idea.votes_total).where(shown).order_by(Idea.votes_total, Idea.id)
            .limit(FRESH_WINDOW)
        ).subquery()
        ids = (
            select(window.c.id).order_by(*_fresh_order(window.c.votes_total, window.c.id,
                                                       bindparam("seed", type_=BigInteger)))
            .limit(limit).offset(offset)
        ).subquery()
    else:
        ids = select(Idea.id).where(shown).order_by(*order).limit(limit).offset(offset).subquery()
    return (
        select(*ROW_COLUMNS).join(ids, ids.c.id == Idea.id).join(User, User.id == Idea.author_id)
        .order_by(*order)
    )


@lru_cache(maxsize=8)
def _counts_statement(scope: str):
    return select(Idea.language, func.count()).where(_shown(scope)).group_by(Idea.language)


def language_counts(user, challenge: Challenge) -> dict[str, int]:
    """How many of the challenge's ideas this user sees in each language (one query;
    ideas whose language is not recorded are left out)."""
    scope = _scope(user, challenge)
    params = {"challenge_id": challenge.id}
    if scope == "member":
        params["user_id"] = user.id
    return {code: n for code, n in db.session.execute(_counts_statement(scope), params) if code and n}


def idea_page(user, challenge: Challenge, sort: str = "top", page: int = 1, per_page: int = 20,
              member_seed: int = 0, language: str | None = None, language_total: int | None = None) -> Page:
    """One page of the challenge's ideas in the given sort, as rows with the columns of
    ROW_COLUMNS (the challenge must be visible to the user: the caller checks `can_view`),
    only those in `language` if given (`language_total`: how many the user sees in it,
    from language_counts, for the last page).

    The page's ids are picked from the sort's index (LIMIT/OFFSET over an index that
    also holds the visibility and language columns), then those rows are read with
    their authors.
    """
    sort = sort if sort in SORTS else "top"
    page = max(1, page)
    scope = _scope(user, challenge)
    by_language = language is not None
    params = {"challenge_id": challenge.id, "limit": per_page + 1, "offset": (page - 1) * per_page}
    if scope == "member":
        params["user_id"] = user.id
    if by_language:
        params["language"] = language
    # The public count is exact (counters.sync_idea_count; language_counts likewise):
    # it finds the last page, and the pages past the middle walk the index backwards.
    total = language_total if by_language else (challenge.idea_count or 0)
    if sort == "fresh":
        if params["offset"] < FRESH_WINDOW:
            params["seed"] = fresh_multiplier(member_seed)
            params["limit"] = min(params["limit"], FRESH_WINDOW - params["offset"])
            rows = db.session.execute(_page_statement("fresh", scope, False, by_language), params).all()
            if len(rows) < params["limit"] or params["offset"] + len(rows) < FRESH_WINDOW:
                return _page(rows, page, per_page, total, sort)
            # the page ends where the window does: the rest of it comes from the tail
            more = per_page + 1 - len(rows)
            tail = db.session.execute(_page_statement("fresh_tail", scope, False, by_language), {
                **params, "offset": FRESH_WINDOW, "limit": more}).all()
            return _page([*rows, *tail], page, per_page, total, sort)
        sort_key = "fresh_tail"
    else:
        sort_key = sort
    if scope == "public" and sort in KEYS and total is not None and params["offset"] > total // 2:
        # Near the end, walk the index from the other end: the last page costs what the
        # first does. The public count is exact (counters.sync_idea_count); the rows
        # offset..offset+per_page forwards are total-1-offset-per_page.. backwards.
        end = total - params["offset"]  # rows from the offset to the end
        if end <= 0:
            return _page([], page, per_page, total, sort)
        start = max(0, end - (per_page + 1))
        params.update(offset=start, limit=end - start)
        rows = db.session.execute(_page_statement(sort, scope, True, by_language), params).all()
        return _page(rows[::-1], page, per_page, total, sort)
    rows = db.session.execute(_page_statement(sort_key, scope, False, by_language), params).all()
    return _page(rows, page, per_page, total, sort)


def _page(rows, page: int, per_page: int, total: int | None, sort: str) -> Page:
    return Page(items=rows[:per_page], page=page, per_page=per_page, has_next=len(rows) > per_page,
                has_prev=page > 1, total=total, extra={"sort": sort})


def list_rows(user, challenge: Challenge, ideas: list, my_votes: dict[int, int]) -> list[tuple]:
    """(idea, the user's vote, whether the vote buttons are enabled) for each row, decided
    without a query per row: co-authors, not known here, are still refused on casting."""
    may_vote = policy.row_vote_check(user, challenge)
    return [(idea, my_votes.get(idea.id, 0), may_vote(idea)) for idea in ideas]
