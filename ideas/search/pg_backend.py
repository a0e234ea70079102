"""The PostgreSQL backend: the analyzer's terms stored as a tsvector in a table of the
same database, for deployments on several machines (every app server sees one index).

The terms go in as given (`'lexeme':pos`, title weight A, body weight B) and queries
come as tsquery text cast with ::tsquery, so PostgreSQL never normalizes them a second
time: Chinese segmentation, stemming and accent folding are the analyzer's, exactly as
with Whoosh. One writer at a time: a session advisory lock (released if the writer's
connection dies). The table belongs to this backend, created on first use.
"""

from __future__ import annotations

import zlib
from contextlib import contextmanager

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    cast,
    delete,
    func,
    literal,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY, TSVECTOR, insert

from ideas.search import analyzer
from ideas.search.backends import Backend, Hits, IndexBusy, IndexUnavailable, IndexWriter
from ideas.search.query import to_tsquery

metadata = MetaData()
documents = Table(
    "search_documents", metadata,
    Column("key", String(40), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("obj_id", Integer, nullable=False),
    Column("challenge_id", Integer, nullable=False),
    Column("company_id", Integer, nullable=False),
    Column("category", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("lang", String(5), nullable=False),
    Column("grants", ARRAY(Text), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("tsv", TSVECTOR, nullable=False),
    Column("words", ARRAY(Text), nullable=False),
    Index("ix_search_documents_tsv", "tsv", postgresql_using="gin"),
    Index("ix_search_documents_grants", "grants", postgresql_using="gin"),
    Index("ix_search_documents_words", "words", postgresql_using="gin"),
    Index("ix_search_documents_challenge", "challenge_id"),
)
vocabulary = Table(
    "search_vocabulary", metadata,
    Column("word", String(40), primary_key=True),
    Column("folded", String(40), nullable=False, index=True),
)

_LOCK_KEY = zlib.crc32(b"ideas-search-writer")
_FACET_COLUMNS = {"kind": "kind", "challenge": "challenge_id", "company": "company_id", "category": "category",
                  "status": "status", "lang": "lang"}
_GAP = 8  # positions between the title and the body, so no phrase spans both


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_text(title: str, body: str) -> str:
    """The analyzer's terms of title (weight A) and body (B) as tsvector input."""
    positions: dict[str, list[str]] = {}
    last = 0
    for weight, text_, offset in (("A", title, 1), ("B", body, None)):
        if offset is None:
            offset = last + _GAP
        for token in analyzer.analyze(text_ or ""):
            pos = min(offset + token.pos, 16383)
            last = max(last, pos)
            entry = positions.setdefault(token.term, [])
            if len(entry) < 255:
                entry.append(f"{pos}{weight}")
    return " ".join(f"{_lexeme(term)}:{','.join(pos)}" for term, pos in positions.items())


def _row(doc) -> dict:
    return {
        "key": doc.key, "kind": doc.kind, "obj_id": doc.obj_id, "challenge_id": doc.challenge_id,
        "company_id": doc.company_id, "category": doc.category or "", "status": doc.status, "lang": doc.lang,
        "grants": list(doc.grants), "created_at": doc.created_at, "tsv": tsvector_text(doc.title, doc.body),
        "words": sorted(set(analyzer.words(doc.words)))[:2000],
    }


class _Writer(IndexWriter):
    def __init__(self, connection):
        self.connection = connection
        self.rows: list[dict] = []
        self.deleted: list[str] = []

    def upsert(self, docs):
        self.rows.extend(_row(d) for d in docs)

    def delete(self, keys):
        self.deleted.extend(keys)

    def delete_challenge(self, challenge_id):
        self.connection.execute(delete(documents).where(documents.c.challenge_id == challenge_id))

    def flush(self):
        c = self.connection
        if self.deleted:
            c.execute(delete(documents).where(documents.c.key.in_(self.deleted)))
        if self.rows:
            _write_rows(c, self.rows)


def _write_rows(connection, rows: list[dict]) -> None:
    statement = insert(documents).values(tsv=cast(bindparam("tsv_text"), TSVECTOR))
    payload = [{**{k: v for k, v in r.items() if k != "tsv"}, "tsv_text": r["tsv"]} for r in rows]
    statement = statement.on_conflict_do_update(
        index_elements=["key"],
        set_={name: statement.excluded[name] for name in
              ("kind", "obj_id", "challenge_id", "company_id", "category", "status", "lang", "grants",
               "created_at", "tsv", "words")})
    connection.execute(statement, payload)
    words = sorted({w for r in rows for w in r["words"]})
    if words:
        connection.execute(insert(vocabulary).on_conflict_do_nothing(),
                           [{"word": w, "folded": analyzer.fold(w)} for w in words])


class PostgresBackend(Backend):
    name = "postgres"

    def __init__(self, app):
        from ideas.extensions import db

        self._db = db
        self._app = app
        self._ready = False

    @property
    def engine(self):
        return self._db.engines[None] if hasattr(self._db, "engines") else self._db.engine

    def _ensure(self):
        if not self._ready:
            if self.engine.dialect.name != "postgresql":
                raise IndexUnavailable("SEARCH_BACKEND=postgres needs a PostgreSQL DATABASE_URL")
            # several processes may start at once: one creates the tables, the others wait
            with self.engine.begin() as conn:
                conn.execute(select(func.pg_advisory_xact_lock(_LOCK_KEY + 1)))
                metadata.create_all(conn, checkfirst=True)
            self._ready = True

    def check(self):
        try:
            self._ensure()
            with self.engine.connect() as c:
                c.execute(select(documents.c.key).limit(1))
        except IndexUnavailable:
            raise
        except Exception as exc:
            raise IndexUnavailable(str(exc)) from exc

    def reset(self) -> bool:
        self._ready = False
        self._ensure()
        return True

    @contextmanager
    def writer(self):
        self._ensure()
        with self.engine.connect() as lock_conn:
            if not lock_conn.execute(select(func.pg_try_advisory_lock(_LOCK_KEY))).scalar():
                lock_conn.rollback()
                raise IndexBusy()
            lock_conn.commit()
            try:
                with self.engine.begin() as conn:
                    writer = _Writer(conn)
                    yield writer
                    writer.flush()
            finally:
                lock_conn.execute(select(func.pg_advisory_unlock(_LOCK_KEY)))
                lock_conn.commit()

    def rebuild(self, batches):
        self._ensure()
        count = 0
        with self.engine.connect() as lock_conn:
            lock_conn.execute(select(func.pg_advisory_lock(_LOCK_KEY)))
            lock_conn.commit()
            try:
                with self.engine.begin() as conn:
                    conn.execute(delete(documents))
                    for batch in batches:
                        if batch:
                            _write_rows(conn, [_row(d) for d in batch])
                        count += len(batch)
                    conn.execute(text("ANALYZE search_documents"))
            finally:
                lock_conn.execute(select(func.pg_advisory_unlock(_LOCK_KEY)))
                lock_conn.commit()
        return count

    # -- reading -------------------------------------------------------------

    def _where(self, tsquery, grants, filters, mask=None):
        d = documents.c
        clauses = [d.tsv.op("@@")(tsquery)]
        if grants is not None:
            clauses.append(d.grants.op("&&")(cast(literal(list(grants), ARRAY(Text)), ARRAY(Text))))
        for name, value in filters.items():
            col = _FACET_COLUMNS.get(name)
            if col is None:
                continue
            if col in ("challenge_id", "company_id"):
                if not str(value).isdigit():
                    clauses.append(literal(False))
                    continue
                value = int(value)
            clauses.append(d[col] == value)
        if mask:
            if mask.everything:
                clauses.append(literal(False))
            if mask.keys:
                clauses.append(d.key.not_in(sorted(mask.keys)))
            if mask.challenges:
                clauses.append(d.challenge_id.not_in(sorted(mask.challenges)))
        return clauses

    def search(self, query, grants, *, filters, sort, page, per_page, mask):
        self._ensure()
        tsquery = cast(literal(to_tsquery(query)), TSQUERY)
        d = documents.c
        where = self._where(tsquery, grants, filters, mask)
        rank = func.ts_rank(d.tsv, tsquery)
        order = {"new": (d.created_at.desc(), d.key), "old": (d.created_at.asc(), d.key)}.get(
            sort, (rank.desc(), d.created_at.desc()))
        with self.engine.connect() as c:
            keys = [(r.kind, r.obj_id) for r in c.execute(
                select(d.kind, d.obj_id).where(*where).order_by(*order)
                .limit(per_page).offset((page - 1) * per_page))]
            facets: dict[str, dict[str, int]] = {name: {} for name in _FACET_COLUMNS}
            # one scan for the facets that nobody restricted, one more per restricted facet
            # (its counts ignore its own restriction, so other values stay reachable)
            free = [n for n in _FACET_COLUMNS if n not in filters]
            passes = [(free, where)] + [([n], self._where(tsquery, grants,
                                                          {k: v for k, v in filters.items() if k != n}, mask))
                                        for n in filters if n in _FACET_COLUMNS]
            total = 0
            for names, clauses in passes:
                if not names:
                    continue
                cols = [d[_FACET_COLUMNS[n]] for n in names]
                sets = ", ".join(f"({_FACET_COLUMNS[n]})" for n in names)
                inner = select(*cols).where(*clauses).subquery()
                statement = select(*[inner.c[_FACET_COLUMNS[n]] for n in names], func.count().label("n")) \
                    .group_by(text(f"GROUPING SETS ({sets})"))
                for row in c.execute(statement):
                    for n in names:
                        value = row._mapping[_FACET_COLUMNS[n]]
                        if value is not None:
                            facets[n][str(value)] = row.n
            if "kind" not in filters:
                total = sum(facets["kind"].values())
            else:
                total = c.execute(select(func.count()).where(*where).select_from(documents)).scalar()
            return Hits(keys=keys, total=total, facets=facets)

    def matching(self, query, grants, *, filters, limit, within=None):
        self._ensure()
        if within is not None and not within:
            return []
        tsquery = cast(literal(to_tsquery(query)), TSQUERY)
        d = documents.c
        rank = func.ts_rank(d.tsv, tsquery)
        where = self._where(tsquery, grants, filters)
        if within is not None:
            where.append(d.key.in_(list(within)))
        with self.engine.connect() as c:
            return [(r.kind, r.obj_id, float(r.score)) for r in c.execute(
                select(d.kind, d.obj_id, rank.label("score")).where(*where).order_by(rank.desc()).limit(limit))]

    def near_words(self, word, maxdist):
        self._ensure()
        folded = analyzer.fold(word)
        if not folded:
            return []
        v = vocabulary.c
        with self.engine.connect() as c:
            rows = c.execute(select(v.word, v.folded).where(
                v.folded.like(folded[0].replace("%", r"\%").replace("_", r"\_") + "%"),
                func.length(v.folded).between(len(folded) - maxdist, len(folded) + maxdist)).limit(20000))
            from ideas.search.spelling import edit_distance

            return [r.word for r in rows if edit_distance(r.folded, folded, maxdist) <= maxdist][:50]

    def word_visible(self, word, grants):
        self._ensure()
        d = documents.c
        clauses = [d.words.contains([word])]
        if grants is not None:
            clauses.append(d.grants.op("&&")(cast(literal(list(grants), ARRAY(Text)), ARRAY(Text))))
        with self.engine.connect() as c:
            return c.execute(select(literal(1)).where(*clauses).select_from(documents).limit(1)).first() is not None

    def doc_count(self) -> int:
        self._ensure()
        with self.engine.connect() as c:
            return c.execute(select(func.count()).select_from(documents)).scalar()

