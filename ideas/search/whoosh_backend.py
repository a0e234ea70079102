"""The default backend: a Whoosh index in instance/search-index.

Whoosh allows one writer (a second gets LockError at once: IndexBusy here); its
lock is an OS file lock, so a writer killed mid-way leaves no lock behind and its
uncommitted segment is never read. A rebuild writes a fresh index beside the old
one and swaps the directories, so searches go on meanwhile.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
import time
from contextlib import contextmanager
from datetime import datetime

from whoosh import index, sorting
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.index import LockError
from whoosh.query import And, Every, Not, Or, Term
from whoosh.query.spans import SpanNear2, SpanOr
from whoosh.scoring import BM25F

from ideas.search.analyzer import WhooshAnalyzer
from ideas.search.backends import (
    FACETS,
    Backend,
    Hits,
    IndexBusy,
    IndexUnavailable,
    IndexWriter,
    Mask,
)
from ideas.search.query import Clause, ParsedQuery

FIELDS = ("title", "body")
_FACET_FIELD = {"kind": "kind", "challenge": "challenge", "company": "company", "category": "category",
                "status": "status", "lang": "lang"}


def schema() -> Schema:
    return Schema(
        key=ID(unique=True, stored=True),
        kind=ID(stored=True, sortable=True),
        obj_id=NUMERIC(int, bits=64, stored=True),
        challenge=ID(sortable=True),
        company=ID(sortable=True),
        category=ID(sortable=True),
        status=ID(sortable=True),
        lang=ID(sortable=True),
        grants=KEYWORD(scorable=False),
        title=TEXT(analyzer=WhooshAnalyzer(), phrase=True, field_boost=2.0),
        body=TEXT(analyzer=WhooshAnalyzer(), phrase=True),
        words=TEXT(analyzer=WhooshAnalyzer(surface=True), phrase=False),
        created=NUMERIC(int, bits=64, sortable=True),
    )


def _fields(doc) -> dict:
    return {
        "key": doc.key, "kind": doc.kind, "obj_id": doc.obj_id, "challenge": str(doc.challenge_id),
        "company": str(doc.company_id), "category": doc.category or "", "status": doc.status,
        "lang": doc.lang, "grants": " ".join(doc.grants), "title": doc.title or "", "body": doc.body or "",
        "words": doc.words, "created": int(doc.created_at.timestamp() * 1_000_000) if isinstance(doc.created_at, datetime) else 0,
    }


def _position(alts: tuple[str, ...], fieldname: str):
    terms = [Term(fieldname, a) for a in alts]
    return terms[0] if len(terms) == 1 else Or(terms)


def _clause(clause: Clause):
    if not clause.phrase:
        return And([Or([_position(alts, f) for f in FIELDS]) for _d, alts in clause.positions])
    slop = max([d for d, _alts in clause.positions[1:]] or [1])
    return Or([SpanNear2([_position(alts, f) if len(alts) == 1 else SpanOr([Term(f, a) for a in alts])
                          for _d, alts in clause.positions], slop=slop, ordered=True) for f in FIELDS])


def compile_query(query: ParsedQuery):
    combine = Or if query.match_any else And
    clauses = [_clause(c) for c in query.required]
    required = combine(clauses) if len(clauses) > 1 else clauses[0]
    if query.excluded:
        # not AndNot: Whoosh-Reloaded 2.7.5's AndNot keeps documents that contain the
        # excluded term once another document holding it comes first (And + Not is right)
        return And([required, Not(Or([_clause(c) for c in query.excluded]))])
    return required


def _grant_filter(grants):
    return None if grants is None else Or([Term("grants", g) for g in grants])


def _restricted(q, grants, restrict=(), mask=None):
    """The query with the searcher's grants, facet restrictions and mask as clauses
    that do not score. Whoosh's `filter=` would first list every document a grant
    opens (all public ones: O(index) a query); as a clause, the matchers skip."""
    parts = [q, *restrict]
    if grants is not None:  # (almost) no boost: it narrows, it does not rank (0 would drop it)
        parts.append(Or([Term("grants", g, boost=1e-6) for g in grants]))
    masked = _mask(mask) if mask is not None else None
    if masked is not None:
        parts.append(Not(masked))
    return And(parts) if len(parts) > 1 else q


def _restrict(filters: dict[str, str]):
    terms = [Term(_FACET_FIELD[name], value) for name, value in filters.items() if name in _FACET_FIELD]
    return terms


def _mask(mask: Mask):
    if not mask:
        return None
    if mask.everything:
        return Every()
    parts = [Term("key", k) for k in mask.keys] + [Term("challenge", str(c)) for c in mask.challenges]
    return Or(parts)


FACET_EXACT_LIMIT = 2000  # up to this many matches, facets count them all
FACET_SAMPLE = 500  # beyond, facets count the best this many


def _sample_facets(searcher, results) -> dict[str, dict[str, int]]:
    reader = searcher.reader()
    docnums = [hit.docnum for hit in results[:FACET_SAMPLE]]
    facets: dict[str, dict[str, int]] = {}
    for name, fieldname in _FACET_FIELD.items():
        column = reader.column_reader(fieldname)
        counts: dict[str, int] = {}
        for docnum in docnums:
            value = column[docnum]
            value = value.decode("utf-8") if isinstance(value, bytes) else str(value)
            counts[value] = counts.get(value, 0) + 1
        facets[name] = counts
    return facets


class _Writer(IndexWriter):
    def __init__(self, writer):
        self.w = writer

    def upsert(self, docs):
        for doc in docs:
            self.w.update_document(**_fields(doc))

    def delete(self, keys):
        for key in keys:
            self.w.delete_by_term("key", key)

    def delete_challenge(self, challenge_id):
        self.w.delete_by_term("challenge", str(challenge_id))


class WhooshBackend(Backend):
    name = "whoosh"

    def __init__(self, path: str):
        self.path = str(path)
        self._ix = None
        self._ix_stamp = None
        self._lock = threading.RLock()
        self._local = threading.local()  # each thread's open searcher (opening one costs ~0.5 s at 300k documents)

    # -- opening -------------------------------------------------------------

    def _open(self):
        """The index, reopened when a rebuild swapped the directory."""
        try:
            stamp = os.stat(self.path).st_ino
        except FileNotFoundError as exc:
            raise IndexUnavailable("no index") from exc
        with self._lock:
            if self._ix is None or self._ix_stamp != stamp:
                try:
                    self._ix = index.open_dir(self.path)
                except Exception as exc:  # missing TOC, unreadable segments, bad pickle
                    self._ix = None
                    raise IndexUnavailable(str(exc)) from exc
                self._ix_stamp = stamp
            return self._ix

    def check(self):
        try:
            with self._searcher() as searcher:
                searcher.doc_count()
        except IndexUnavailable:
            raise
        except Exception as exc:
            self._local.searcher = None
            raise IndexUnavailable(str(exc)) from exc

    @contextmanager
    def _creating(self):
        """One process or thread at a time creates or replaces the index directory."""
        os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        with self._lock, open(f"{self.path}.create-lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _readable(self) -> bool:
        try:
            with index.open_dir(self.path).searcher() as searcher:
                searcher.doc_count()
            return True
        except Exception:  # noqa: BLE001
            return False

    def reset(self) -> bool:
        with self._creating():
            if self._readable():  # another process started it afresh meanwhile
                self._ix = None
                return False
            self._ix = None
            shutil.rmtree(self.path, ignore_errors=True)
            os.makedirs(self.path, exist_ok=True)
            index.create_in(self.path, schema())
            return True

    def exists(self) -> bool:
        return index.exists_in(self.path)

    # -- writing -------------------------------------------------------------

    @contextmanager
    def writer(self):
        if not self.exists():
            with self._creating():
                if not self.exists():
                    os.makedirs(self.path, exist_ok=True)
                    index.create_in(self.path, schema())
        ix = self._open()
        try:
            raw = ix.writer(timeout=0)
        except LockError as exc:
            raise IndexBusy() from exc
        try:
            yield _Writer(raw)
        except BaseException:
            raw.cancel()
            raise
        raw.commit()

    def rebuild(self, batches):
        fresh = f"{self.path}.new-{os.getpid()}"
        shutil.rmtree(fresh, ignore_errors=True)
        os.makedirs(fresh)
        ix = index.create_in(fresh, schema())
        # several processes analyse at once (STACK.md: the fastest Whoosh rebuild on 2 cores)
        procs = max(1, min(4, os.cpu_count() or 1))
        writer = ix.writer(limitmb=256, procs=procs, multisegment=procs > 1)
        count = 0
        try:
            for batch in batches:
                for doc in batch:
                    writer.add_document(**_fields(doc))
                count += len(batch)
            writer.commit(optimize=False)
        except BaseException:
            writer.cancel()
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        old = f"{self.path}.old-{os.getpid()}-{int(time.time())}"
        if os.path.exists(self.path):
            os.rename(self.path, old)
        os.rename(fresh, self.path)
        shutil.rmtree(old, ignore_errors=True)
        with self._lock:
            self._ix = None
        return count

    # -- reading -------------------------------------------------------------

    @contextmanager
    def _searcher(self):
        """This thread's searcher, brought up to date with the index's last commit."""
        ix = self._open()
        cached = getattr(self._local, "searcher", None)
        # not Searcher.refresh(): it reuses segment readers whose deletions changed, so an
        # updated document's old version would still match (measured)
        if (cached is None or getattr(self._local, "ix", None) is not ix
                or cached.reader().generation() != ix.latest_generation()):
            if cached is not None:
                cached.close()
            cached = ix.searcher(weighting=BM25F(B=0.5, K1=1.2))
        self._local.searcher, self._local.ix = cached, ix
        yield cached

    def search(self, query, grants, *, filters, sort, page, per_page, mask):
        q = compile_query(query)
        restrict = _restrict(filters)
        with self._searcher() as searcher:
            kwargs = {}
            if sort in ("new", "old"):
                kwargs["sortedby"] = sorting.FieldFacet("created", reverse=(sort == "new"))
            full = _restricted(q, grants, restrict, mask)
            # the page first, without facets: Whoosh may skip blocks that cannot make the page
            results = searcher.search(full, limit=max(page * per_page, FACET_SAMPLE), **kwargs)
            start = (page - 1) * per_page
            keys = [(hit["kind"], hit["obj_id"]) for hit in results[start:start + per_page]]
            exact = results.has_exact_length()
            total = len(results) if exact else results.estimated_length()
            if total <= FACET_EXACT_LIMIT:
                facets = self._exact_facets(searcher, q, grants, restrict, mask, filters)
                total = sum(facets["kind"].values()) if "kind" in facets and "kind" not in filters else total
                return Hits(keys=keys, total=total, facets=facets)
            # many matches: count the facets among the best FACET_SAMPLE (Whoosh is pure
            # Python; counting 20,000 matches costs a second)
            return Hits(keys=keys, total=total, facets=_sample_facets(searcher, results), sampled=FACET_SAMPLE,
                        exact=exact)

    def _exact_facets(self, searcher, q, grants, restrict, mask, filters):
        groups = {name: sorting.FieldFacet(field, maptype=sorting.Count) for name, field in _FACET_FIELD.items()
                  if name in FACETS}
        results = searcher.search(_restricted(q, grants, restrict, mask), limit=1, groupedby=groups)
        facets = {name: dict(results.groups(name)) for name in groups}
        # a facet's counts ignore its own restriction, so other values stay reachable
        for name in filters:
            if name in groups:
                others = [t for t in restrict if t.fieldname != _FACET_FIELD[name]]
                again = searcher.search(_restricted(q, grants, others, mask), limit=1, groupedby={name: groups[name]})
                facets[name] = dict(again.groups(name))
        return facets

    def matching(self, query, grants, *, filters, limit, within=None):
        q = compile_query(query)
        restrict = _restrict(filters)
        if within is not None:
            if not within:
                return []
            restrict.append(Or([Term("key", k, boost=1e-6) for k in within]))
        with self._searcher() as searcher:
            results = searcher.search(_restricted(q, grants, restrict), limit=limit)
            return [(hit["kind"], hit["obj_id"], hit.score) for hit in results]

    def near_words(self, word, maxdist):
        with self._searcher() as searcher:
            return list(searcher.reader().terms_within("words", word, maxdist, prefix=1))[:50]

    def word_visible(self, word, grants):
        with self._searcher() as searcher:
            return len(searcher.search(_restricted(Term("words", word), grants), limit=1)) > 0

    def doc_count(self) -> int:
        with self._searcher() as searcher:
            return searcher.doc_count()
