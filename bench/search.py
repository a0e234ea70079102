"""The search benchmark (part of `make bench`; alone: `python -m bench.search --size large`).

On the bench's seeded data, for each backend (Whoosh on the bench database; PostgreSQL
on BENCH_DATABASE_URL when it is PostgreSQL, else on a database of its own at
127.0.0.1:5432 seeded the same way, when one answers):

- rebuild: `flask search reindex`'s work (documents a second; ideas, comments and
  challenges all count);
- queries: p50/p95 of the search service (query, facets, policy check of the page,
  snippets; in process, no HTTP) for one-, two- and three-word queries in each
  language, as a visitor, words taken from the seed's vocabulary so that one word
  matches tens of thousands of ideas at the large size;
- similar ideas: p50/p95 of the similar-ideas service for texts typed into the large
  challenge (one embedding, word match, the challenge's vector matrix).

The seeded ideas' vectors come from embedding each distinct "adjective noun" of the
seed's vocabulary once (a few hundred texts) instead of 100,000 titles (~20 min on two
cores): the similar-ideas request does the same work either way.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

from bench import seed

ROOT = Path(__file__).resolve().parent.parent
QUERY_RUNS = {"tiny": 3, "small": 12, "medium": 20, "large": 30}
SIMILAR_RUNS = {"tiny": 5, "small": 20, "medium": 40, "large": 60}
SIMILAR_ONLY = False  # --similar-only
TARGETS = {"rebuild_docs_per_s": 1000, "query_p95_ms": 50, "similar_p95_ms": 100}


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def index_dir(url: str, data_dir: Path, backend: str = "whoosh") -> Path:
    """Where the bench keeps the Whoosh index of a seeded database."""
    return Path(data_dir) / f"search-{backend}-{Path(url).stem}"


def _app(url: str, backend: str, data_dir: Path):
    from ideas import create_app

    os.environ.setdefault("INSTANCE_PATH", str(data_dir / "app"))
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {},
                       "RATELIMIT_ENABLED": False, "SEARCH_BACKEND": backend,
                       "SEARCH_INDEX_DIR": str(index_dir(url, data_dir, backend)),
                       "SEARCH_APPLY_AFTER_REQUEST": False})


def prepare(url: str, data_dir: Path, quiet: bool = False) -> Path:
    """Vectors and a Whoosh index for the served routes (`search`, `similar ideas`),
    built once per seeded database; returns the index directory."""
    from ideas.search.backends import backend_for
    from ideas.search.commands import reindex

    app = _app(url, "whoosh", Path(data_dir))
    _seed_vectors(app, quiet)
    with app.app_context():
        try:
            built = backend_for(app).doc_count() > 0
        except Exception:  # noqa: BLE001  (no index yet)
            built = False
        if not built:
            reindex(app, progress=not quiet, embed=False)
    return index_dir(url, Path(data_dir))


def _seed_vectors(app, quiet: bool) -> dict:
    """Vectors for seeded ideas that have none: the embedding of their "adjective noun"."""
    import re

    from sqlalchemy import insert, select
    from tqdm import tqdm

    from ideas.extensions import db
    from ideas.search import vectors
    from ideas.search.analyzer import detect_language
    from ideas.search.models import IdeaVector
    from ideas.submissions.models import Idea

    started = time.monotonic()
    with app.app_context():
        have = db.session.scalar(select(IdeaVector.idea_id).limit(1))
        if have is not None:
            return {"seeded": 0, "seconds": 0.0}
        rows = db.session.execute(select(Idea.id, Idea.challenge_id, Idea.title)).all()
        key = {}
        for r in rows:
            title = re.sub(r"\s*#\d+$", "", r.title)
            core = re.split(r" for | pro | для ", title)[0] if not re.search(r"[\u4e00-\u9fff]", title) \
                else title.split("的", 1)[-1]
            key[r.id] = core
        texts = sorted(set(key.values()))
        bar = tqdm(total=len(texts), desc="bench vectors", unit="text", disable=quiet, file=sys.stderr)
        embedded = {}
        for i in range(0, len(texts), 32):
            chunk = texts[i:i + 32]
            for text, vector in zip(chunk, vectors.embed(chunk), strict=True):
                embedded[text] = (vectors.to_bytes(vector), detect_language(text))
            bar.update(len(chunk))
        bar.close()
        batch = []
        for r in rows:
            raw, lang = embedded[key[r.id]]
            batch.append({"idea_id": r.id, "challenge_id": r.challenge_id, "digest": "bench", "lang": lang,
                          "vector": raw})
            if len(batch) >= 5000:
                db.session.execute(insert(IdeaVector), batch)
                db.session.commit()
                batch = []
        if batch:
            db.session.execute(insert(IdeaVector), batch)
            db.session.commit()
        db.session.remove()
    return {"seeded": len(rows), "distinct_texts": len(texts), "seconds": round(time.monotonic() - started, 1)}


def _queries(rng: random.Random) -> dict[str, dict[int, list[str]]]:
    """Per language, queries of one, two and three words from the seed's vocabulary."""
    out = {}
    for lang, w in seed.WORDS.items():
        nouns = [n for n in w["noun"]]
        one = [n.split()[0] if lang != "zh" else n for n in nouns]
        if lang == "zh":
            two = [f"{a.rstrip('的')} {n}" for a in w["adj"] for n in nouns]
            three = [f"{a.rstrip('的')} {n} {x}" for a in w["adj"] for n in nouns for x in w["who"]]
        else:
            two = [f"{a} {n.split()[0]}" for a in w["adj"] for n in nouns]
            three = [f"{a} {n.split()[0]} {x.split()[-1]}" for a in w["adj"] for n in nouns for x in w["who"]]
        out[lang] = {1: one, 2: two, 3: three}
    return out


def _measure_queries(app, size: str, rng: random.Random) -> dict:
    from flask_login import AnonymousUserMixin

    from ideas.core.db import reading
    from ideas.extensions import db
    from ideas.search import services

    runs = QUERY_RUNS[size]
    visitor = AnonymousUserMixin()
    results = {}
    with app.app_context(), app.test_request_context("/search"):
        for q in ("warm up", "洗衣机", "pračka", "машина"):  # opens the index, loads jieba
            services.search(db.session, visitor, q)
        for lang, by_words in _queries(rng).items():
            for words, pool in by_words.items():
                times, totals = [], []
                for _ in range(runs):
                    q = rng.choice(pool)
                    started = time.perf_counter()
                    with reading():
                        page = services.search(db.session, visitor, q)
                        db.session.rollback()
                    times.append((time.perf_counter() - started) * 1000)
                    totals.append(page.total)
                    if page.unavailable:
                        raise SystemExit(f"search failed for {q!r}")
                results[f"{lang} {words}w"] = {"p50_ms": round(_pct(times, 50), 1), "p95_ms": round(_pct(times, 95), 1),
                                               "median_matches": int(statistics.median(totals)),
                                               "max_matches": max(totals), "runs": runs}
    return results


def _measure_similar(app, size: str, rng: random.Random) -> dict:
    from flask_login import AnonymousUserMixin
    from sqlalchemy import func, select

    from ideas.core.db import reading
    from ideas.extensions import db
    from ideas.search import similar
    from ideas.submissions.models import Idea

    runs = SIMILAR_RUNS[size]
    with app.app_context(), app.test_request_context("/search/similar"):
        big = db.session.execute(select(Idea.challenge_id, func.count()).group_by(Idea.challenge_id)
                                 .order_by(func.count().desc()).limit(1)).first()
        challenge_id, count = big
        member = AnonymousUserMixin()
        texts = []
        for _ in range(runs):
            lang = rng.choice(seed.LANGS)
            texts.append(f"{seed._title(rng, lang, 0)[:-3]}\n{seed._fill(rng, lang, seed.WORDS[lang]['sentence'])}")
        started = time.perf_counter()
        with reading():
            similar.similar_ideas(db.session, member, challenge_id, texts[0])  # the matrix is read once
        first = (time.perf_counter() - started) * 1000
        times, found = [], []
        for text in texts:
            started = time.perf_counter()
            with reading():
                out = similar.similar_ideas(db.session, member, challenge_id, text)
                db.session.rollback()
            times.append((time.perf_counter() - started) * 1000)
            found.append(len(out))
    return {"challenge_ideas": count, "first_ms": round(first, 1), "p50_ms": round(_pct(times, 50), 1),
            "p95_ms": round(_pct(times, 95), 1), "median_found": statistics.median(found), "runs": runs}


def _pg_url(size: str, main_url: str) -> str | None:
    if main_url.startswith("postgresql"):
        return main_url
    url = os.environ.get("BENCH_SEARCH_PG_URL", f"postgresql+psycopg://postgres@127.0.0.1:5432/ideas_bench_{size}")
    try:
        import psycopg
        from sqlalchemy.engine import make_url

        u = make_url(url)
        with psycopg.connect(host=u.host or "127.0.0.1", port=u.port or 5432, user=u.username or "postgres",
                             dbname="postgres", autocommit=True, connect_timeout=3) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (u.database,)).fetchone():
                conn.execute(f'CREATE DATABASE "{u.database}"')
        return url
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL not reachable for the search benchmark ({exc.__class__.__name__}); whoosh only",
              file=sys.stderr)
        return None


def run(size: str, url: str | None = None, *, data_dir: Path | None = None, quiet: bool = False,
        backends: tuple[str, ...] = ("whoosh", "postgres"), reuse_index: bool = False) -> dict:
    from ideas.search.commands import reindex

    data_dir = Path(data_dir or ROOT / "instance" / "bench")
    url = url or seed.default_url(size, data_dir)
    rng = random.Random(2026)
    out = {"size": size, "backends": {}}
    for backend in backends:
        backend_url = url if backend == "whoosh" else _pg_url(size, url)
        if backend_url is None:
            out["backends"][backend] = {"skipped": "PostgreSQL not reachable"}
            continue
        print(f"== search benchmark: {backend} on {seed._safe(backend_url)}", file=sys.stderr)
        seed.ensure(size, backend_url, quiet=quiet)
        ideas = seed.SIZES[size].ideas
        app = _app(backend_url, backend, data_dir)
        vectors_info = _seed_vectors(app, quiet)
        result = {"vectors": vectors_info}
        with app.app_context():
            from ideas.search.backends import backend_for

            try:
                built = reuse_index and backend_for(app).doc_count() > 0
            except Exception:  # noqa: BLE001
                built = False
            if not built:
                stats = reindex(app, progress=not quiet, embed=False)
                result["rebuild"] = {"documents": stats["documents"], "seconds": stats["index_seconds"],
                                     "docs_per_s": stats["rate"],
                                     "ideas_per_s": round(ideas / stats["index_seconds"], 1)
                                     if stats["index_seconds"] else None}
        result["queries"] = {} if SIMILAR_ONLY else _measure_queries(app, size, rng)
        result["similar"] = _measure_similar(app, size, rng)
        out["backends"][backend] = result
    out["targets"] = targets(out)
    return out


def targets(out: dict) -> list[dict]:
    rows = []
    for backend, r in out["backends"].items():
        if "queries" not in r:
            continue
        if "rebuild" in r:
            rate = r["rebuild"]["docs_per_s"] or 0
            rows.append({"backend": backend, "target": "rebuild >= 1,000 documents/s", "value": rate,
                         "result": "pass" if rate >= TARGETS["rebuild_docs_per_s"] else "MISS"})
        worst = max(r["queries"].items(), key=lambda kv: kv[1]["p95_ms"]) if r["queries"] else None
        if worst:
            rows.append({"backend": backend, "target": "query p95 <= 50 ms (worst of 12 kinds)",
                         "value": f"{worst[1]['p95_ms']} ms ({worst[0]})",
                         "result": "pass" if worst[1]["p95_ms"] <= TARGETS["query_p95_ms"] else "MISS"})
        rows.append({"backend": backend, "target": "similar ideas p95 <= 100 ms", "value": f"{r['similar']['p95_ms']} ms",
                     "result": "pass" if r["similar"]["p95_ms"] <= TARGETS["similar_p95_ms"] else "MISS"})
    return rows


def render(out: dict) -> str:
    lines = [f"## Search ({out['size']})", ""]
    for backend, r in out["backends"].items():
        if "skipped" in r:
            lines += [f"{backend}: skipped ({r['skipped']})", ""]
            continue
        rb = r.get("rebuild")
        lines += [f"### {backend}", "",
                  (f"rebuild: {rb['documents']:,} documents in {rb['seconds']} s = {rb['docs_per_s']:,} documents/s "
                   f"({rb['ideas_per_s']:,} ideas/s counting only the ideas)") if rb else
                  "rebuild: not measured (--reuse-index)", "",
                  "| query | p50 ms | p95 ms | median matches | max matches |", "|---|---|---|---|---|"]
        for name, q in r["queries"].items():
            lines.append(f"| {name} | {q['p50_ms']} | {q['p95_ms']} | {q['median_matches']:,} | {q['max_matches']:,} |")
        s = r["similar"]
        lines += ["", f"similar ideas in a challenge of {s['challenge_ideas']:,} ideas: p50 {s['p50_ms']} ms, "
                  f"p95 {s['p95_ms']} ms (first request, reading the vectors: {s['first_ms']} ms)", ""]
    lines += ["| backend | target | value | result |", "|---|---|---|---|"]
    lines += [f"| {t['backend']} | {t['target']} | {t['value']} | {t['result']} |" for t in out["targets"]]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="The search benchmark.")
    parser.add_argument("--size", choices=list(seed.SIZES), default="small")
    parser.add_argument("--url", help="database URL (default BENCH_DATABASE_URL or instance/bench/<size>.sqlite3)")
    parser.add_argument("--backends", default="whoosh,postgres")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--out", help="write the JSON here")
    parser.add_argument("--reuse-index", action="store_true", help="keep an index already built (no rebuild figure)")
    parser.add_argument("--runs", type=int, help="queries per kind (default by size)")
    parser.add_argument("--similar-only", action="store_true", help="measure only the similar-ideas request")
    args = parser.parse_args(argv)
    global SIMILAR_ONLY
    SIMILAR_ONLY = args.similar_only
    if args.runs:
        QUERY_RUNS[args.size] = args.runs
    out = run(args.size, args.url, quiet=args.quiet, backends=tuple(args.backends.split(",")),
              reuse_index=args.reuse_index)
    sys.stdout.write(render(out))
    if args.out:
        Path(args.out).write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
