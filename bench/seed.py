"""Benchmark data: a separate database filled in bulk with realistic, consistent data.

`python -m bench.seed --size small` (or `ensure(size)` from bench.run) creates
instance/bench/<size>.sqlite3, or fills BENCH_DATABASE_URL (PostgreSQL), unless a
marker says that database already holds this size with this schema.

Every size keeps one challenge with half of the ideas and one idea with 200
comments. Votes respect the (idea, member) uniqueness and never go to a member's own
idea; all counters (idea up/down/score/trend/comment_count, challenge
idea/vote/comment counts) are computed from the rows inserted.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, text

ROOT = Path(__file__).resolve().parent.parent
SEED_VERSION = 6  # 3: terms versions kept with their text; 4: a judging panel on the big challenge; 5: a focus group and a prototype; 6: points ledger, experts, follows, feed
BENCH_PASSWORD = "bench password 2026"
BENCH_EMAIL = "bench{n}@example.org"
VOTER_COUNT = 50  # members who author nothing: the vote benchmark logs them in
CHUNK = 5000
MARKER_TABLE = "bench_marker"


@dataclass(frozen=True)
class Size:
    name: str
    ideas: int
    members: int
    votes: int
    comments: int
    challenges: int
    companies: int


SIZES = {
    "tiny": Size("tiny", 300, 120, 3_000, 600, 4, 2),
    "small": Size("small", 1_000, 300, 10_000, 2_000, 6, 3),
    "medium": Size("medium", 10_000, 2_000, 100_000, 20_000, 12, 4),
    "large": Size("large", 100_000, 20_000, 1_000_000, 200_000, 40, 10),
}
BIG_COMMENTS = 200

# --- text -------------------------------------------------------------------

WORDS = {
    "en": {
        "adj": ["quiet", "solar", "modular", "shared", "smart", "foldable", "low-cost", "reusable",
                "self-cleaning", "community", "portable", "offline", "bio-based", "open", "safer"],
        "noun": ["washing cycle", "water filter", "delivery box", "bike rack", "sensor kit",
                 "recycling station", "repair café", "charging hub", "compost bin", "tool library",
                 "steam cleaner", "heat pump", "rain barrel", "parcel locker", "tram stop"],
        "who": ["families", "students", "seniors", "small shops", "the neighbourhood", "commuters",
                "schools", "hospitals", "farmers", "tenants"],
        "verb": ["reduces", "saves", "prevents", "measures", "shares", "simplifies", "doubles"],
        "obj": ["energy use", "waste", "queues", "water", "costs", "noise", "bacteria", "travel time"],
        "title": "{adj} {noun} for {who}",
        "sentence": "The {adj} {noun} {verb} {obj} for {who}.",
        "comment": ["Great idea, I would use this every week.", "How would it handle winter?",
                    "We tried something similar at work and it {verb} {obj}.",
                    "Could it be cheaper if it were {adj}?", "+1, especially for {who}."],
    },
    "cs": {
        "adj": ["tichý", "solární", "modulární", "sdílený", "chytrý", "skládací", "levný",
                "znovupoužitelný", "samočisticí", "komunitní", "přenosný", "bezpečnější"],
        "noun": ["prací cyklus", "vodní filtr", "box na zásilky", "stojan na kola", "senzor",
                 "sběrný dvůr", "kompostér", "nabíjecí stanice", "parní čistič", "tepelné čerpadlo",
                 "sud na dešťovou vodu", "výdejní box", "zastávka tramvaje"],
        "who": ["rodiny", "studenty", "seniory", "malé obchody", "sousedy", "dojíždějící", "školy",
                "nemocnice", "zemědělce", "nájemníky"],
        "verb": ["snižuje", "šetří", "zabraňuje", "měří", "sdílí", "zjednodušuje"],
        "obj": ["spotřebu energie", "odpad", "fronty", "vodu", "náklady", "hluk", "bakterie"],
        "title": "{adj} {noun} pro {who}",
        "sentence": "Tento {adj} {noun} {verb} {obj} pro {who}.",
        "comment": ["Skvělý nápad, používal bych to každý týden.", "Jak to bude fungovat v zimě?",
                    "Zkoušeli jsme něco podobného a {verb} to {obj}.", "Pračka by to ocenila!",
                    "+1, hlavně pro {who}."],
    },
    "ru": {
        "adj": ["тихий", "солнечный", "модульный", "общий", "умный", "складной", "дешёвый",
                "многоразовый", "самоочищающийся", "переносной", "безопасный"],
        "noun": ["цикл стирки", "фильтр для воды", "ящик для посылок", "велопарковка", "датчик",
                 "пункт переработки", "компостер", "зарядная станция", "пароочиститель",
                 "тепловой насос", "постамат", "трамвайная остановка"],
        "who": ["семей", "студентов", "пенсионеров", "малых магазинов", "соседей", "школ",
                "больниц", "фермеров", "жильцов"],
        "verb": ["снижает", "экономит", "предотвращает", "измеряет", "упрощает"],
        "obj": ["расход энергии", "отходы", "очереди", "воду", "затраты", "шум", "бактерии"],
        "title": "{adj} {noun} для {who}",
        "sentence": "Этот {adj} {noun} {verb} {obj} для {who}.",
        "comment": ["Отличная идея, пользовался бы каждую неделю.", "А как это будет работать зимой?",
                    "Мы пробовали похожее, и это {verb} {obj}.", "+1, особенно для {who}."],
    },
    "zh": {
        "adj": ["安静的", "太阳能", "模块化", "共享", "智能", "可折叠", "低成本", "可重复使用",
                "自清洁", "社区", "便携式", "更安全的"],
        "noun": ["洗衣程序", "净水器", "快递箱", "自行车架", "传感器套件", "回收站", "堆肥箱",
                 "充电站", "蒸汽清洁器", "热泵", "雨水桶", "电车站"],
        "who": ["家庭", "学生", "老年人", "小商店", "邻居", "通勤者", "学校", "医院", "农民"],
        "verb": ["减少", "节省", "防止", "测量", "简化"],
        "obj": ["能源消耗", "垃圾", "排队时间", "用水", "成本", "噪音", "细菌"],
        "title": "为{who}设计的{adj}{noun}",
        "sentence": "这个{adj}{noun}为{who}{verb}{obj}。",
        "comment": ["好主意，我每周都会用。", "冬天怎么办？", "我们试过类似的，它{verb}了{obj}。",
                    "+1，尤其是对{who}。"],
    },
}
LANGS = ["en", "en", "cs", "ru", "zh"]  # English a bit more common
FIRST = ["Anna", "Jan", "Petra", "Tomáš", "Olga", "Иван", "Мария", "Wei", "Li Na", "Sarah", "David",
         "Eva", "Pavel", "Наталья", "Chen", "Lucie", "Martin", "Aisha", "Kenji", "Zuzana"]
LAST = ["Nováková", "Svoboda", "Smith", "Ivanova", "Петров", "Wang", "Zhang", "Dvořák", "Brown",
        "Kuznetsova", "Müller", "Černá", "Liu", "Garcia", "Horák"]


def _fill(rng: random.Random, lang: str, template: str) -> str:
    w = WORDS[lang]
    return template.format(**{k: rng.choice(w[k]) for k in ("adj", "noun", "who", "verb", "obj")})


def _title(rng, lang, n):
    t = _fill(rng, lang, WORDS[lang]["title"])
    return (t[:1].upper() + t[1:])[:150] + f" #{n}"


def _paragraph(rng, lang, sentences=3):
    return " ".join(_fill(rng, lang, WORDS[lang]["sentence"]) for _ in range(sentences))


def _description(rng, lang):
    bullets = "\n".join(f"- {_fill(rng, lang, WORDS[lang]['sentence'])}" for _ in range(3))
    return f"{_paragraph(rng, lang, 3)}\n\n{bullets}\n\n**{_fill(rng, lang, WORDS[lang]['sentence'])}**"


def _comment(rng, lang):
    return _fill(rng, lang, rng.choice(WORDS[lang]["comment"]))


# --- where ------------------------------------------------------------------


def default_url(size: str, data_dir: Path | None = None) -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    data_dir = Path(data_dir or ROOT / "instance" / "bench")
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(data_dir / f'{size}.sqlite3').resolve()}"


def schema_fingerprint(metadata) -> str:
    parts = []
    for table in sorted(metadata.tables.values(), key=lambda t: t.name):
        cols = ",".join(f"{c.name}:{c.type}" for c in table.columns)
        indexes = ",".join(sorted(f"{i.name}:{'/'.join(c.name for c in i.columns)}" for i in table.indexes))
        parts.append(f"{table.name}({cols})[{indexes}]")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _app(url: str):
    from ideas import create_app

    os.environ.setdefault("INSTANCE_PATH", str(ROOT / "instance" / "bench" / "app"))
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": {},
                       "RATELIMIT_ENABLED": False})


def _read_marker(db) -> dict | None:
    try:
        with db.engine.connect() as conn:
            row = conn.execute(text(f"SELECT value FROM {MARKER_TABLE} WHERE key = 'seed'")).first()
    except Exception:  # noqa: BLE001 (no table yet)
        return None
    return json.loads(row[0]) if row else None


def _write_marker(db, marker: dict) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (key VARCHAR(40) PRIMARY KEY, value TEXT)"))
        conn.execute(text(f"DELETE FROM {MARKER_TABLE} WHERE key = 'seed'"))
        conn.execute(text(f"INSERT INTO {MARKER_TABLE} (key, value) VALUES ('seed', :v)"),
                     {"v": json.dumps(marker)})


def _reset(db, url: str) -> None:
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    elif db.engine.url.database and db.engine.url.database != ":memory:":
        # a new file is much faster than dropping a million rows through the WAL
        db.engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(db.engine.url.database + suffix).unlink(missing_ok=True)
    else:
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text(f"DROP TABLE IF EXISTS {MARKER_TABLE}"))
    db.create_all()


# --- generation -------------------------------------------------------------


class Inserter:
    """executemany in chunks, with one tqdm bar and a rows/s figure per table."""

    def __init__(self, db, quiet: bool = False):
        self.db = db
        self.quiet = quiet
        self.total_rows = 0
        self.rates: dict[str, float] = {}

    def __call__(self, model, rows, total: int) -> None:
        from tqdm import tqdm

        name = model.__tablename__
        started = time.perf_counter()
        bar = tqdm(total=total, desc=f"{name:>16}", unit="rows", disable=self.quiet,
                   file=sys.stderr, mininterval=0.5)
        chunk: list[dict] = []
        done = 0
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                self._flush(model, chunk)
                bar.update(len(chunk))
                done += len(chunk)
                chunk = []
        if chunk:
            self._flush(model, chunk)
            bar.update(len(chunk))
            done += len(chunk)
        bar.close()
        elapsed = max(time.perf_counter() - started, 1e-9)
        self.rates[name] = done / elapsed
        self.total_rows += done
        if not self.quiet:
            print(f"  {name}: {done:,} rows in {elapsed:.1f} s = {done / elapsed:,.0f} rows/s",
                  file=sys.stderr)

    def _flush(self, model, chunk):
        self.db.session.execute(insert(model.__table__), chunk)
        self.db.session.commit()


def generate(db, size: Size, *, seed: int = 2026, quiet: bool = False) -> dict:
    """Insert the whole data set; returns facts the benchmark needs (ids, slugs)."""
    from argon2 import PasswordHasher

    from ideas.accounts.models import User
    from ideas.challenges.models import Challenge, ChallengeCriterion, TermsVersion
    from ideas.companies.models import Company, CompanyMember
    from ideas.core.db import utcnow
    from ideas.core.slugs import slugify
    from ideas.submissions.models import Comment, Idea, IdeaRevision, Vote
    from ideas.submissions.ranking import trend_from, wilson_lower_bound

    rng = random.Random(seed)
    now = utcnow().replace(microsecond=0)
    put = Inserter(db, quiet)
    started = time.perf_counter()
    pw_hash = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(BENCH_PASSWORD)

    # Members: 1..VOTER_COUNT author nothing (bench voters); the rest author ideas.
    n_members = max(size.members, VOTER_COUNT + 20)
    langs_of_user = {}

    def users():
        for n in range(1, n_members + 1):
            lang = rng.choice(LANGS)
            langs_of_user[n] = lang
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            yield {"id": n, "email": BENCH_EMAIL.format(n=n), "username": f"bench{n}",
                   "display_name": name, "password_hash": pw_hash,
                   "email_verified_at": now - timedelta(days=100), "is_admin": n == 1,
                   "active": True, "bio": "", "expertise": [], "locale": lang, "timezone": "UTC",
                   "notify_email": False, "notify_frequency": "instant",
                   "created_at": now - timedelta(days=120), "password_changed_at": now - timedelta(days=120)}

    put(User, users(), n_members)
    authors = list(range(VOTER_COUNT + 1, n_members + 1))

    def companies():
        for c in range(1, size.companies + 1):
            lang = LANGS[c % len(LANGS)]
            name = f"{_fill(rng, lang, '{noun}').title()} Company {c}"
            yield {"id": c, "name": name, "slug": slugify(name)[:130] or f"company-{c}",
                   "tagline": _fill(rng, lang, WORDS[lang]["sentence"])[:200],
                   "description": _paragraph(rng, lang), "website": "", "created_at": now - timedelta(days=200)}

    put(Company, companies(), size.companies)
    # Staff: the last `companies` authors own one company each.
    put(CompanyMember, ({"company_id": c, "user_id": n_members - c + 1, "role": "owner",
                         "created_at": now - timedelta(days=200)} for c in range(1, size.companies + 1)),
        size.companies)

    # Ideas: half in challenge 1, the rest spread over the others.
    n_ch = size.challenges
    idea_challenge = [1 if i < size.ideas // 2 else 2 + (i % (n_ch - 1)) for i in range(size.ideas)]
    idea_created = [now - timedelta(seconds=rng.randint(3600, 90 * 86400)) for _ in range(size.ideas)]
    idea_author = [rng.choice(authors) for _ in range(size.ideas)]
    idea_lang = [langs_of_user[a] if rng.random() < 0.8 else rng.choice(LANGS) for a in idea_author]

    # Votes per idea: skewed (a few popular ideas), distinct members, never the author.
    weights = [rng.paretovariate(1.3) for _ in range(size.ideas)]
    wsum = sum(weights)
    cap = n_members - 1
    per_idea = [min(cap, int(size.votes * w / wsum)) for w in weights]
    short = size.votes - sum(per_idea)
    i = 0
    while short > 0:
        if per_idea[i % size.ideas] < cap:
            per_idea[i % size.ideas] += 1
            short -= 1
        i += 1
    members_range = range(1, n_members + 1)
    votes: list[tuple] = []  # (idea_id, challenge_id, user_id, value, created_at)
    ups = [0] * size.ideas
    downs = [0] * size.ideas
    trends = [0.0] * size.ideas
    for ix in range(size.ideas):
        k = per_idea[ix]
        if not k:
            continue
        voters = rng.sample(members_range, min(cap + 1, k + 1))
        voters = [u for u in voters if u != idea_author[ix]][:k]
        quality = rng.betavariate(4, 2)
        span = (now - idea_created[ix]).total_seconds()
        up_times = []
        for u in voters:
            value = 1 if rng.random() < quality else -1
            at = idea_created[ix] + timedelta(seconds=int(rng.random() * span))
            votes.append((ix + 1, idea_challenge[ix], u, value, at))
            if value == 1:
                ups[ix] += 1
                up_times.append(at)
            else:
                downs[ix] += 1
        trends[ix] = trend_from(up_times)

    # Comments: one idea (the first of the big challenge with the most votes) gets 200.
    big_idea = max(range(size.ideas // 2), key=lambda j: per_idea[j]) + 1
    comment_idea = [big_idea] * BIG_COMMENTS
    rest = max(0, size.comments - BIG_COMMENTS)
    others = [i for i in range(1, size.ideas + 1) if i != big_idea]
    comment_idea += [rng.choice(others) for _ in range(rest)]  # exactly 200 on the big one
    comments_of = [0] * size.ideas
    for idea_id in comment_idea:
        comments_of[idea_id - 1] += 1

    challenge_ideas = [0] * (n_ch + 1)
    challenge_votes = [0] * (n_ch + 1)
    challenge_comments = [0] * (n_ch + 1)
    challenge_last = [None] * (n_ch + 1)
    for ix in range(size.ideas):
        ch = idea_challenge[ix]
        challenge_ideas[ch] += 1
        challenge_votes[ch] += ups[ix] + downs[ix]
        challenge_comments[ch] += comments_of[ix]
        challenge_last[ch] = max(filter(None, [challenge_last[ch], idea_created[ix]]))

    phases = ["voting", "submission", "voting", "submission", "review", "closed"]

    def challenges():
        for c in range(1, n_ch + 1):
            lang = "en" if c == 1 else LANGS[c % len(LANGS)]
            title = "How might we make laundry hygienic?" if c == 1 else _title(rng, lang, c)
            yield {"id": c, "company_id": 1 + (c - 1) % size.companies, "created_by_id": None,
                   "title": title, "slug": slugify(title)[:170] or f"challenge-{c}",
                   "summary": _fill(rng, lang, WORDS[lang]["sentence"])[:300],
                   "problem": _description(rng, lang), "category": rng.choice(["home", "city", "health", "energy"]),
                   "tags": ["bench"], "language": lang, "reward_text": "", "reward_currency": "USD",
                   "terms": "Ideas are shared under CC BY 4.0.", "terms_version": 1,
                   "visibility": "public", "phase": phases[(c - 1) % len(phases)], "vote_budget": None,
                   "published_at": now - timedelta(days=100), "created_at": now - timedelta(days=101),
                   "updated_at": now - timedelta(days=1), "idea_count": challenge_ideas[c],
                   "vote_count": challenge_votes[c], "comment_count": challenge_comments[c],
                   "last_activity_at": challenge_last[c]}

    put(Challenge, challenges(), n_ch)
    put(ChallengeCriterion, ({"challenge_id": c, "position": 1, "text": "Works for real people"}
                             for c in range(1, n_ch + 1)), n_ch)
    put(TermsVersion, ({"challenge_id": c, "version": 1, "text": "Ideas are shared under CC BY 4.0.",
                        "created_by_id": None, "created_at": now - timedelta(days=101)}
                       for c in range(1, n_ch + 1)), n_ch)

    titles = [_title(rng, idea_lang[ix], ix + 1) for ix in range(size.ideas)]

    def ideas():
        for ix in range(size.ideas):
            lang = idea_lang[ix]
            up, down = ups[ix], downs[ix]
            yield {"id": ix + 1, "challenge_id": idea_challenge[ix], "author_id": idea_author[ix],
                   "title": titles[ix], "slug": slugify(titles[ix])[:170] or f"idea-{ix + 1}",
                   "summary": _fill(rng, lang, WORDS[lang]["sentence"])[:500],
                   "description": _description(rng, lang), "tags": [], "language": lang, "status": "submitted",
                   "status_reason": "", "hidden_reason": "", "up_votes": up, "down_votes": down,
                   "score": wilson_lower_bound(up, down), "trend": trends[ix],
                   "comment_count": comments_of[ix], "comparison_count": 0, "revision_count": 1,
                   "created_at": idea_created[ix], "updated_at": idea_created[ix]}

    put(Idea, ideas(), size.ideas)
    idea_rows = db.session.execute(select(Idea.id, Idea.title, Idea.summary, Idea.description,
                                          Idea.author_id, Idea.created_at)).all()
    put(IdeaRevision, ({"idea_id": r.id, "number": 1, "title": r.title, "summary": r.summary,
                        "description": r.description, "tags": [], "editor_id": r.author_id,
                        "created_at": r.created_at} for r in idea_rows), len(idea_rows))
    del idea_rows

    put(Vote, ({"idea_id": v[0], "challenge_id": v[1], "user_id": v[2], "value": v[3],
                "created_at": v[4], "updated_at": v[4]} for v in votes), len(votes))
    del votes

    def comments():
        last_on: dict[int, int] = {}
        for cid, idea_id in enumerate(comment_idea, start=1):
            ix = idea_id - 1
            parent = last_on.get(idea_id) if rng.random() < 0.2 else None
            last_on[idea_id] = cid
            at = idea_created[ix] + timedelta(seconds=int(rng.random() * (now - idea_created[ix]).total_seconds()))
            yield {"id": cid, "idea_id": idea_id, "author_id": rng.choice(authors), "parent_id": parent,
                   "body": _comment(rng, idea_lang[ix]), "created_at": at, "hidden_reason": "",
                   "reply_count": 0}

    put(Comment, comments(), len(comment_idea))
    _judging(db, put, rng, now, size, idea_challenge, idea_author)
    # reply_count from the rows just inserted
    db.session.execute(text(
        "UPDATE comments SET reply_count = (SELECT COUNT(*) FROM comments c2 WHERE c2.parent_id = comments.id)"
        " WHERE id IN (SELECT parent_id FROM comments WHERE parent_id IS NOT NULL)"))
    db.session.commit()
    focus_groups(db, put, size, rng, now)
    _fix_sequences(db)
    _reputation(db)

    elapsed = time.perf_counter() - started
    if not quiet:
        print(f"seeded {size.name}: {put.total_rows:,} rows in {elapsed:.1f} s "
              f"= {put.total_rows / max(elapsed, 1e-9):,.0f} rows/s", file=sys.stderr)
    return {"seconds": round(elapsed, 1), "rows": put.total_rows,
            "rows_per_s": round(put.total_rows / max(elapsed, 1e-9)),
            "rates": {k: round(v) for k, v in put.rates.items()}}


JUDGES = range(VOTER_COUNT - 4, VOTER_COUNT + 1)  # five of the voters (they author nothing)
SHORTLIST = 200


def _judging(db, put, rng, now, size: Size, idea_challenge, idea_author) -> None:
    """A judging panel on the big challenge: SHORTLIST ideas (fewer on small sizes)
    shortlisted, five judges, a rubric of three criteria, each idea given to three
    judges with loads within one; four in five scorecards submitted, the rest drafts or
    not started. The first judge is harsher than the others."""
    from ideas.judging.models import (
        JudgeAssignment,
        JudgeInvitation,
        JudgingSetup,
        RubricCriterion,
        Score,
        Scorecard,
    )
    from ideas.submissions.models import Idea

    big = [ix + 1 for ix in range(size.ideas) if idea_challenge[ix] == 1]
    shortlist = big[: min(SHORTLIST, len(big) // 2)]
    db.session.execute(Idea.__table__.update().where(Idea.id.in_(shortlist)).values(status="shortlisted"))
    put(JudgingSetup, [{"id": 1, "challenge_id": 1, "blind": True, "judges_per_idea": 3, "assign_mode": "balanced",
                        "created_at": now - timedelta(days=5), "updated_at": now - timedelta(days=5)}], 1)
    judges = list(JUDGES)
    put(JudgeInvitation, ({"challenge_id": 1, "user_id": j, "status": "accepted", "invited_by_id": None,
                           "created_at": now - timedelta(days=5), "responded_at": now - timedelta(days=4)}
                          for j in judges), len(judges))
    scales = [(1, 5, 2.0), (1, 5, 1.0), (1, 10, 1.0)]
    put(RubricCriterion, ({"id": n, "challenge_id": 1, "position": n, "title": f"Criterion {n}",
                           "description": "", "weight": w, "scale_low": lo, "scale_high": hi}
                          for n, (lo, hi, w) in enumerate(scales, start=1)), len(scales))
    assignments, cards, scores = [], [], []
    for k, idea_id in enumerate(shortlist):
        quality = rng.random()
        for m in range(3):
            judge = judges[(3 * k + m) % len(judges)]
            if judge == idea_author[idea_id - 1]:
                continue
            aid = len(assignments) + 1
            assignments.append({"id": aid, "challenge_id": 1, "idea_id": idea_id, "judge_id": judge,
                                "status": "assigned", "conflict_reason": "", "assigned_at": now - timedelta(days=4)})
            roll = rng.random()
            if roll > 0.9:
                continue  # not started
            status = "submitted" if roll < 0.8 else "draft"
            cid = len(cards) + 1
            cards.append({"id": cid, "assignment_id": aid, "judge_id": judge, "idea_id": idea_id, "status": status,
                          "comment_for_author": "Clear and well argued.", "note_for_staff": "",
                          "submitted_at": now - timedelta(days=1) if status == "submitted" else None,
                          "created_at": now - timedelta(days=2), "updated_at": now - timedelta(days=1)})
            harsh = 0.25 if judge == judges[0] else 0.0
            for n, (lo, hi, _w) in enumerate(scales, start=1):
                level = min(1.0, max(0.0, quality - harsh + rng.uniform(-0.15, 0.15)))
                scores.append({"scorecard_id": cid, "criterion_id": n, "value": round(lo + level * (hi - lo))})
    put(JudgeAssignment, assignments, len(assignments))
    put(Scorecard, cards, len(cards))
    put(Score, scores, len(scores))


def focus_groups(db, put, size: Size, rng: random.Random, now) -> None:
    """A focus group on the biggest challenge (its top idea selected, then prototyped)
    with members, a board of threads and replies, a session and a closed feedback round
    answered by every member, all growing with the size; and a public prototype with
    three iterations rated by testers. The pages read them a page or an aggregate at a
    time, so their SQL does not grow with these numbers."""
    from ideas.challenges.models import Challenge, ChallengeCriterion
    from ideas.companies.models import CompanyMember
    from ideas.focus_groups.models import (
        Agreement,
        AgreementAcceptance,
        FeedbackAnswer,
        FeedbackQuestion,
        FeedbackResponse,
        FeedbackRound,
        FocusGroup,
        FocusGroupIdea,
        GroupSession,
        Membership,
        Post,
    )
    from ideas.prototypes.models import (
        CriterionRating,
        Iteration,
        Prototype,
        PrototypeCredit,
        TesterSignup,
        TestFeedback,
    )
    from ideas.submissions.models import Idea

    big = db.session.execute(select(Challenge.id, Challenge.company_id).order_by(
        Challenge.idea_count.desc(), Challenge.id).limit(1)).one()
    idea = db.session.execute(select(Idea.id, Idea.author_id).where(Idea.challenge_id == big.id)
                              .order_by(Idea.score.desc(), Idea.id).limit(1)).one()
    db.session.execute(text("UPDATE ideas SET status = 'prototyped' WHERE id = :id"), {"id": idea.id})
    staff = db.session.scalar(select(CompanyMember.user_id).where(CompanyMember.company_id == big.company_id)
                              .order_by(CompanyMember.user_id).limit(1))
    n_members = max(10, size.members // 10)
    members = list(range(VOTER_COUNT + 1, VOTER_COUNT + 1 + n_members))
    db.session.execute(insert(FocusGroup.__table__), [{
        "id": 1, "challenge_id": big.id, "title": "Bench focus group", "purpose": "Refine the top idea.",
        "size_limit": n_members + 10, "member_count": n_members, "starts_on": (now - timedelta(days=30)).date(),
        "ends_on": (now + timedelta(days=30)).date(), "agreement_version": 1, "synthesis": "",
        "synthesis_public": False, "created_by_id": staff, "created_at": now, "updated_at": now}])
    db.session.execute(insert(FocusGroupIdea.__table__), [{"group_id": 1, "idea_id": idea.id}])
    db.session.execute(insert(Agreement.__table__), [{"id": 1, "group_id": 1, "version": 1, "text": "Confidential.",
                                                      "created_by_id": staff, "created_at": now}])
    put(Membership, ({"group_id": 1, "user_id": u, "status": "member", "reason": "bench", "invited_at": now,
                      "joined_at": now} for u in members), n_members)
    put(AgreementAcceptance, ({"group_id": 1, "user_id": u, "version": 1, "agreement_id": 1, "accepted_at": now}
                              for u in members), n_members)
    n_threads = max(30, size.ideas // 20)
    replies_per = 4
    put(Post, ({"id": t, "group_id": 1, "thread_id": None, "author_id": rng.choice(members), "title": f"Thread {t}",
                "body": "What do you think of **this**?", "reply_count": replies_per,
                "created_at": now - timedelta(minutes=t), "last_activity_at": now - timedelta(minutes=t)}
               for t in range(1, n_threads + 1)), n_threads)
    put(Post, ({"id": n_threads + k + 1, "group_id": 1, "thread_id": 1 + k // replies_per,
                "author_id": rng.choice(members), "title": "", "body": "Agreed.", "reply_count": 0,
                "created_at": now, "last_activity_at": now} for k in range(n_threads * replies_per)),
        n_threads * replies_per)
    db.session.execute(insert(GroupSession.__table__), [{
        "id": 1, "group_id": 1, "title": "Kick-off", "starts_at": now - timedelta(days=7), "duration_minutes": 60,
        "mode": "online", "place": "", "video_link": "https://meet.example.org/bench", "agenda": "Hello",
        "notes": "Notes", "created_by_id": staff, "created_at": now}])
    db.session.execute(insert(FeedbackRound.__table__), [{
        "id": 1, "group_id": 1, "title": "Round one", "intro": "", "status": "closed",
        "response_count": n_members, "opened_at": now, "closed_at": now, "created_by_id": staff, "created_at": now}])
    db.session.execute(insert(FeedbackQuestion.__table__), [
        {"id": 1, "round_id": 1, "position": 1, "kind": "rating", "text": "How useful?", "scale_low": 1, "scale_high": 5},
        {"id": 2, "round_id": 1, "position": 2, "kind": "text", "text": "What else?", "scale_low": 1, "scale_high": 5}])
    put(FeedbackResponse, ({"id": k + 1, "round_id": 1, "user_id": u, "submitted_at": now}
                           for k, u in enumerate(members)), n_members)
    put(FeedbackAnswer, (row for k in range(n_members) for row in (
        {"response_id": k + 1, "question_id": 1, "rating": rng.randint(1, 5), "text": ""},
        {"response_id": k + 1, "question_id": 2, "rating": None, "text": f"Answer {k}"})), 2 * n_members)
    criteria = db.session.scalars(select(ChallengeCriterion.id).where(ChallengeCriterion.challenge_id == big.id)).all()
    db.session.execute(insert(Prototype.__table__), [{
        "id": 1, "challenge_id": big.id, "idea_id": idea.id, "focus_group_id": 1, "title": "Bench prototype",
        "summary": "Built from the top idea.", "status": "testing", "visibility": "public", "iteration_count": 3,
        "created_by_id": staff, "created_at": now, "updated_at": now}])
    db.session.execute(insert(PrototypeCredit.__table__), [{"prototype_id": 1, "user_id": idea.author_id,
                                                            "position": 1}])
    testers = members[: max(5, n_members // 2)]
    for number in (1, 2, 3):
        db.session.execute(insert(Iteration.__table__), [{
            "id": number, "prototype_id": 1, "number": number, "version_name": f"v{number}",
            "description": "An iteration.", "changes": "" if number == 1 else "Better.", "places": len(testers),
            "waiting_places": 5, "held_places": len(testers), "signup_mode": "first_come",
            "test_open": number == 3, "feedback_count": len(testers), "created_by_id": staff, "created_at": now}])
        put(TesterSignup, ({"iteration_id": number, "user_id": u, "status": "confirmed", "created_at": now}
                           for u in testers), len(testers))
        base = (number - 1) * len(testers)
        put(TestFeedback, ({"id": base + k + 1, "iteration_id": number, "tester_id": u, "worked": "Good",
                            "did_not_work": "", "created_at": now, "reply": ""} for k, u in enumerate(testers)),
            len(testers))
        put(CriterionRating, ({"feedback_id": base + k + 1, "criterion_id": c, "value": rng.randint(number, 5)}
                              for k in range(len(testers)) for c in criteria), len(testers) * len(criteria))
    db.session.commit()


def _fix_sequences(db) -> None:
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("users", "companies", "company_members", "challenges", "challenge_criteria", "terms_versions",
                  "ideas", "idea_revisions", "votes", "comments", "judging_setups", "judge_invitations",
                  "rubric_criteria", "judge_assignments", "scorecards", "scores", "focus_groups", "focus_group_agreements",
                  "focus_group_members", "focus_group_acceptances", "focus_group_posts", "focus_group_sessions",
                  "focus_group_rounds", "focus_group_questions", "focus_group_responses", "focus_group_answers",
                  "prototypes", "prototype_credits", "prototype_iterations", "prototype_testers",
                  "prototype_feedback", "prototype_ratings"):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 1))"))
    db.session.commit()


def _reputation(db) -> None:
    """The points ledger from the rows (SQL-side, as `flask reputation rebuild` would
    compute it), 30 experts in the big challenge's category, a member who follows that
    challenge and 20 authors, and the feed's history."""
    from ideas.core.db import utcnow
    from ideas.notifications import feed
    from ideas.reputation import rules

    submitted, upvote = rules.RULES["idea_submitted"].points, rules.RULES["upvote_received"].points
    db.session.execute(text(
        "INSERT INTO point_entries (user_id, reason, thing, occurrence, points, category, challenge_id, idea_id, at) "
        f"SELECT i.author_id, 'idea_submitted', 'idea:' || i.id, 0, {submitted}, c.category, i.challenge_id, i.id, "
        "i.created_at FROM ideas i JOIN challenges c ON c.id = i.challenge_id"))
    db.session.execute(text(
        "INSERT INTO point_entries (user_id, reason, thing, occurrence, points, category, challenge_id, idea_id, at) "
        f"SELECT i.author_id, 'upvote_received', 'vote:' || v.idea_id || ':' || v.user_id, 0, {upvote}, c.category, "
        "i.challenge_id, i.id, v.updated_at FROM votes v JOIN ideas i ON i.id = v.idea_id "
        "JOIN challenges c ON c.id = i.challenge_id WHERE v.value = 1"))
    big_id, category = db.session.execute(text(
        "SELECT id, category FROM challenges ORDER BY idea_count DESC, id LIMIT 1")).one()
    db.session.execute(text(
        "INSERT INTO expert_statuses (user_id, category, held, since, reviewed_at) "
        "SELECT user_id, :category, :held, MAX(at), MAX(at) FROM point_entries WHERE category = :where_category "
        "GROUP BY user_id ORDER BY SUM(points) DESC, user_id LIMIT 30"),
        {"category": category, "where_category": category, "held": True})
    reader = db.session.execute(text("SELECT id FROM users WHERE email = :e"),
                                {"e": BENCH_EMAIL.format(n=1)}).scalar_one()
    db.session.execute(text(
        "INSERT INTO follows (user_id, target_kind, target_id, created_at) VALUES (:u, 'challenge', :c, :now)"),
        {"u": reader, "c": big_id, "now": utcnow()})
    db.session.execute(text(
        "INSERT INTO follows (user_id, target_kind, target_id, created_at) "
        "SELECT :u, 'member', author_id, :now FROM ideas GROUP BY author_id ORDER BY author_id LIMIT 20"),
        {"u": reader, "now": utcnow()})
    feed.backfill()
    db.session.commit()


# --- facts and checks -------------------------------------------------------


def facts(db) -> dict:
    """What the benchmark needs to build its URLs, read from the database."""
    from ideas.challenges.models import Challenge
    from ideas.submissions.models import Comment, Idea

    big = db.session.execute(select(Challenge.id, Challenge.slug, Challenge.idea_count)
                             .order_by(Challenge.idea_count.desc(), Challenge.id).limit(1)).one()
    idea_id = db.session.execute(select(Comment.idea_id, func.count()).group_by(Comment.idea_id)
                                 .order_by(func.count().desc()).limit(1)).one()[0]
    idea = db.session.execute(select(Idea.id, Idea.slug, Idea.comment_count).where(Idea.id == idea_id)).one()
    vote_ideas = db.session.scalars(select(Idea.id).where(Idea.challenge_id == big.id)
                                    .where(Idea.author_id > VOTER_COUNT).order_by(Idea.id).limit(2000)).all()
    from ideas.accounts.models import User
    from ideas.companies.models import CompanyMember

    staff_email = db.session.scalar(
        select(User.email).join(CompanyMember, CompanyMember.user_id == User.id)
        .join(Challenge, Challenge.company_id == CompanyMember.company_id).where(Challenge.id == big.id)
        .order_by(User.id).limit(1))
    top = db.session.execute(text(
        "SELECT u.username FROM point_entries p JOIN users u ON u.id = p.user_id "
        "GROUP BY u.id, u.username ORDER BY SUM(p.points) DESC, u.id LIMIT 1")).scalar()
    return {
        "challenge": {"id": big.id, "slug": big.slug, "idea_count": big.idea_count},
        "member": top,
        "staff": {"email": staff_email, "password": BENCH_PASSWORD} if staff_email else None,
        "judge": {"email": BENCH_EMAIL.format(n=JUDGES[0]), "password": BENCH_PASSWORD},
        "idea": {"id": idea.id, "slug": idea.slug, "comment_count": idea.comment_count},
        "voters": [{"email": BENCH_EMAIL.format(n=n), "password": BENCH_PASSWORD}
                   for n in range(1, VOTER_COUNT + 1)],
        "vote_ideas": list(vote_ideas),
    }


def check_counts(db) -> dict:
    """Compare every stored counter with the rows; returns {"ok": bool, "drift": [...]}."""
    q = {
        "idea up_votes": "SELECT COUNT(*) FROM ideas i WHERE i.up_votes <> "
                         "(SELECT COUNT(*) FROM votes v WHERE v.idea_id = i.id AND v.value = 1)",
        "idea down_votes": "SELECT COUNT(*) FROM ideas i WHERE i.down_votes <> "
                           "(SELECT COUNT(*) FROM votes v WHERE v.idea_id = i.id AND v.value = -1)",
        "idea comment_count": "SELECT COUNT(*) FROM ideas i WHERE i.comment_count <> "
                              "(SELECT COUNT(*) FROM comments c WHERE c.idea_id = i.id AND c.deleted_at IS NULL "
                              "AND c.hidden_at IS NULL)",
        "challenge idea_count": "SELECT COUNT(*) FROM challenges c WHERE c.idea_count <> "
                                "(SELECT COUNT(*) FROM ideas i WHERE i.challenge_id = c.id AND i.hidden_at IS NULL "
                                "AND i.status IN ('submitted', 'shortlisted', 'selected', 'prototyped', "
                                "'winner', 'declined'))",
        "challenge vote_count": "SELECT COUNT(*) FROM challenges c WHERE c.vote_count <> "
                                "(SELECT COUNT(*) FROM votes v WHERE v.challenge_id = c.id)",
        "duplicate votes": "SELECT COUNT(*) FROM (SELECT idea_id, user_id FROM votes "
                           "GROUP BY idea_id, user_id HAVING COUNT(*) > 1) d",
        "votes on own idea": "SELECT COUNT(*) FROM votes v JOIN ideas i ON i.id = v.idea_id "
                             "WHERE v.user_id = i.author_id",
    }
    drift = {}
    for name, sql in q.items():
        n = db.session.execute(text(sql)).scalar_one()
        if n:
            drift[name] = n
    db.session.rollback()
    return {"ok": not drift, "drift": drift}


def app_recount(db) -> dict | None:
    """Run the app's own consistency check if it exists; rolled back, reported as is."""
    try:
        from ideas.submissions import votes as votes_module
    except ImportError:
        return None
    recount = getattr(votes_module, "recount", None)
    if recount is None:
        return None
    try:
        result = recount()
        db.session.rollback()
    except Exception as exc:  # noqa: BLE001 (report, do not crash the benchmark)
        db.session.rollback()
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    return {"ok": not _has_drift(result), "result": _jsonable(result)}


def _has_drift(result) -> bool:
    if result is None:
        return False
    if isinstance(result, bool):
        return not result
    if isinstance(result, int | float):
        return result != 0
    if isinstance(result, dict):
        return any(_has_drift(v) for v in result.values())
    if isinstance(result, list | tuple | set):
        return len(result) > 0
    for attr in ("drift", "changed", "fixed"):
        if hasattr(result, attr):
            return _has_drift(getattr(result, attr))
    return False


def _jsonable(value):
    if isinstance(value, list | tuple):
        return [str(v) for v in value[:20]]
    try:
        json.dumps(value)
        return value
    except TypeError:
        return repr(value)[:500]


# --- entry ------------------------------------------------------------------


def ensure(size_name: str, url: str | None = None, *, force: bool = False, quiet: bool = False) -> dict:
    """Seed `size_name` into `url` unless already there; returns facts + seeding info."""
    from ideas.extensions import db

    size = SIZES[size_name]
    url = url or default_url(size_name)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    app = _app(url)
    with app.app_context():
        marker = {"size": asdict(size), "schema": schema_fingerprint(db.metadata), "version": SEED_VERSION}
        existing = _read_marker(db)
        if existing == marker and not force:
            if not quiet:
                print(f"reusing {size_name} data in {_safe(url)}", file=sys.stderr)
            info = {"reused": True}
        else:
            if not quiet:
                print(f"seeding {size_name} into {_safe(url)}", file=sys.stderr)
            _reset(db, url)
            info = {"reused": False, **generate(db, size, quiet=quiet)}
            counts = check_counts(db)
            if not counts["ok"]:
                raise SystemExit(f"seeded data is inconsistent: {counts['drift']}")
            recount = app_recount(db)
            if recount is not None and not recount["ok"]:
                raise SystemExit(f"the app's recount found drift in seeded data: {recount}")
            info["recount"] = recount
            _write_marker(db, marker)
        info.update(facts(db))
        info["url"] = url
        db.session.remove()
        db.engine.dispose()
    return info


def _safe(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Fill the benchmark database.")
    parser.add_argument("--size", choices=list(SIZES), default="small")
    parser.add_argument("--url", help="database URL (default: BENCH_DATABASE_URL or instance/bench/<size>.sqlite3)")
    parser.add_argument("--force", action="store_true", help="re-seed even if the marker matches")
    args = parser.parse_args(argv)
    info = ensure(args.size, args.url, force=args.force)
    print(json.dumps({k: v for k, v in info.items() if k not in ("voters", "vote_ideas")}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
