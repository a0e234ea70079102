"""The benchmark: `python -m bench.run --size small|medium|large|tiny` (`make bench SIZE=...`).

Seeds (or reuses) a separate database, serves the app with gunicorn on loopback as in
production, and measures each route with wrk against a bare Flask "hello world"
served the same way (the ceiling). Routes that answer 404/500 are counted as errors,
not crashes. Results: a table on stdout and bench/results/<date>-<commit>-<size>.json/.md.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from bench import seed

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
DEFAULT_DURATION = {"tiny": 1, "small": 10, "medium": 10, "large": 10}
PORT_RANGE = range(int(os.environ.get("BENCH_PORT", 58000)), int(os.environ.get("BENCH_PORT", 58000)) + 100)
SESSIONS = {"tiny": 10}  # member sessions for the vote run; 50 for the other sizes
PER_PAGE = 20

# --- tools ------------------------------------------------------------------


class BenchError(SystemExit):
    pass


def ensure_wrk(install: bool = True) -> str:
    """The path of wrk; installs Debian's package when missing and apt-get can."""
    path = shutil.which("wrk")
    if path:
        return path
    if install and shutil.which("apt-get") and os.geteuid() == 0:
        print("wrk is missing: running `apt-get install -y wrk`", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        result = subprocess.run(["apt-get", "install", "-y", "wrk"], env=env,
                                capture_output=True, text=True)
        if result.returncode != 0:
            subprocess.run(["apt-get", "update"], env=env, capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "wrk"], env=env, capture_output=True)
        path = shutil.which("wrk")
        if path:
            return path
    raise BenchError("wrk is not installed and could not be installed "
                     "(install it: `apt-get install wrk` on Debian/Ubuntu, `brew install wrk` on macOS)")


def can_get_wrk() -> bool:
    return bool(shutil.which("wrk") or (shutil.which("apt-get") and os.geteuid() == 0))


def free_port() -> int:
    for port in PORT_RANGE:
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise BenchError(f"no free port in {PORT_RANGE.start}-{PORT_RANGE.stop - 1}")


def machine() -> dict:
    try:
        load = [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        load = None
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    return {"cores": os.cpu_count() or 1, "memory_gb": round(mem_kb / 1024 / 1024, 1),
            "load_avg": load, "python": platform.python_version(), "platform": platform.platform()}


def commit() -> tuple[str, bool]:
    try:
        short = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                                    capture_output=True, text=True).stdout.strip())
        return short, dirty
    except (OSError, subprocess.CalledProcessError):
        return "nogit", False


# --- gunicorn ---------------------------------------------------------------


class Server:
    """gunicorn in the foreground as our child; stopped (and its group killed) on exit."""

    def __init__(self, name: str, wsgi: str, env: dict, workers: int, log_dir: Path):
        self.name, self.wsgi, self.workers = name, wsgi, workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **env}
        self.log_path = log_dir / f"gunicorn-{name}.log"
        self.proc: subprocess.Popen | None = None

    def __enter__(self):
        cmd = [sys.executable, "-m", "gunicorn", "-w", str(self.workers), "-k", "sync", "--preload",
               "-b", f"127.0.0.1:{self.port}", "--log-level", "warning", self.wsgi]
        self._log = open(self.log_path, "w")  # noqa: SIM115 (closed in __exit__)
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self._log.flush()
                tail = self.log_path.read_text()[-2000:]
                raise BenchError(f"gunicorn ({self.name}) exited with {self.proc.returncode}:\n{tail}")
            if len(self.worker_pids()) >= self.workers and _answers(self.base + "/"):
                return self
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise BenchError(f"gunicorn ({self.name}) did not answer within 90 s; see {self.log_path}")

    def __exit__(self, *_exc):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self._log.close()

    def worker_pids(self) -> list[int]:
        if not self.proc:
            return []
        pid = self.proc.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        try:
            return [int(p) for p in children.read_text().split()]
        except OSError:
            pass
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
        return found

    def peak_memory_mb(self) -> float:
        """Sum of the workers' peak resident memory (VmHWM)."""
        total_kb = 0
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        total_kb += int(line.split()[1])
            except OSError:
                continue
        return round(total_kb / 1024, 1)


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2).close()  # noqa: S310 (loopback)
        return True
    except urllib.error.HTTPError:
        return True  # any HTTP answer means it is up
    except (urllib.error.URLError, OSError):
        return False


# --- HTTP helpers -----------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _opener(jar=None):
    handlers = [_NoRedirect()]
    if jar is not None:
        handlers.append(urllib.request.HTTPCookieProcessor(jar))
    return urllib.request.build_opener(*handlers)


def _request(opener, url, data: dict | None = None, headers: dict | None = None):
    """(status, headers, body) without following redirects; never raises on 4xx/5xx."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with opener.open(req, timeout=30) as resp:
            return resp.status, resp.headers, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as exc:
        return 0, {}, str(exc)


def probe(url: str, cookie: str | None = None) -> dict:
    """One request: status and the X-SQL-Queries header."""
    status, headers, _ = _request(_opener(), url, headers={"Cookie": cookie} if cookie else None)
    queries = headers.get("X-SQL-Queries") if headers else None
    return {"status": status, "sql_queries": int(queries) if queries and queries.isdigit() else None}


_CSRF_RE = re.compile(
    r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"'
    r'|<meta name="csrf-token" content="([^"]+)"')


def _csrf(html: str) -> str | None:
    m = _CSRF_RE.search(html)
    return next((g for g in m.groups() if g), None) if m else None


def login(base: str, email: str, password: str, after: str | None = None) -> tuple[dict | None, str]:
    """Log in through the form; returns ({cookie, token}, "") or (None, why)."""
    jar = http.cookiejar.CookieJar()
    opener = _opener(jar)
    status, _, html = _request(opener, base + "/login")
    token = _csrf(html)
    if not token:
        return None, f"GET /login answered {status} without a csrf_token"
    status, headers, _ = _request(opener, base + "/login",
                                  {"csrf_token": token, "email": email, "password": password})
    if status not in (301, 302, 303):
        return None, f"POST /login answered {status} (expected a redirect)"
    if after:  # a fresh token for the logged-in session (if logging in reset the session)
        _, _, html = _request(opener, base + after)
        token = _csrf(html) or token
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return {"cookie": cookie, "token": token, "email": email}, ""


# --- wrk --------------------------------------------------------------------


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(out: str) -> dict:
    r: dict = {"rps": 0.0, "requests": 0, "non2xx": 0, "socket_errors": 0,
               "p50_ms": None, "p95_ms": None, "p99_ms": None}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", out):
        r["rps"] = float(m.group(1))
    if m := re.search(r"(\d+) requests in", out):
        r["requests"] = int(m.group(1))
    if m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        r["non2xx"] = int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        r["socket_errors"] = sum(int(x) for x in m.groups())
    for p in (50, 95, 99):
        if m := re.search(rf"BENCH_P{p}_US (\d+)", out):
            r[f"p{p}_ms"] = round(int(m.group(1)) / 1000, 2)
        elif m := re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M):
            r[f"p{p}_ms"] = round(_ms(*m.groups()), 2)
    return r


def run_wrk(wrk: str, url: str, duration: float, *, script: Path, script_args=(), headers=(),
            warmup: float = 2.0) -> dict:
    def cmd(d, part):
        c = [wrk, "-t2", "-c8", f"-d{max(1, round(d))}s", "--latency", "--timeout", "10s",
             "-s", str(script)]
        for h in headers:
            c += ["-H", h]
        c.append(url)
        if script_args:  # the script learns whether this is the warm-up or the measured run
            c += ["--", *map(str, script_args), part]
        return c

    if warmup > 0:
        subprocess.run(cmd(warmup, "warmup"), capture_output=True, text=True, timeout=warmup + 60)
    result = subprocess.run(cmd(duration, "run"), capture_output=True, text=True, timeout=duration + 120)
    parsed = parse_wrk(result.stdout)
    if result.returncode != 0:
        parsed["error"] = (result.stderr or result.stdout).strip()[-300:] or f"wrk exited {result.returncode}"
    elif not parsed["requests"]:
        parsed.update(p50_ms=None, p95_ms=None, p99_ms=None)
        parsed["error"] = f"no request completed in {duration} s (too slow, or not answering)"
    return parsed


# --- the run ----------------------------------------------------------------


def routes(facts: dict) -> list[tuple[str, str]]:
    ch = facts["challenge"]
    quote = urllib.parse.quote  # slugs keep Cyrillic and Chinese letters
    base = f"/challenges/{ch['id']}-{quote(ch['slug'])}"
    last = max(1, -(-ch["idea_count"] // PER_PAGE))
    deep = min(100, last)
    idea = facts["idea"]
    rows = [
        ("/healthz", "/healthz"),
        ("home /", "/"),
        ("member home", "/"),
        ("challenges", "/challenges/"),
        ("challenge page", base),  # with its participation chart
        ("list top p1", f"{base}/ideas?sort=top"),
        (f"list top p{deep}", f"{base}/ideas?sort=top&page={deep}"),
        (f"list top last p{last}", f"{base}/ideas?sort=top&page={last}"),
        ("list new", f"{base}/ideas?sort=new"),
        ("list fresh", f"{base}/ideas?sort=fresh"),
        (f"idea page ({idea['comment_count']} comments)", f"/ideas/{idea['id']}-{quote(idea['slug'])}"),
        ("compare", f"{base}/compare"),
        ("terms page", f"{base}/terms/1"),
        ("moderation (staff)", f"{base}/moderation"),
        ("close page (staff)", f"{base}/close"),
        ("judge queue (judge)", f"/judging/challenges/{ch['id']}"),
        ("judging progress (staff)", f"{base}/judging"),
        ("judging ranking (staff)", f"{base}/judging/ranking"),
        ("prototypes", "/prototypes"),
        ("prototype page", "/prototypes/1"),
        ("focus group (staff)", "/focus-groups/1"),
        ("focus group board (staff)", "/focus-groups/1/board"),
        ("focus group thread (staff)", "/focus-groups/1/board/1"),
        ("feedback results (staff)", "/focus-groups/1/feedback/1"),
        ("leaderboard all time", "/leaderboard?period=all"),
        ("leaderboard week", "/leaderboard?period=week"),
        ("challenge leaderboard", f"{base}/leaderboard?period=month"),
        ("experts", "/experts"),
        ("profile (top member)", f"/members/{quote(facts['member'])}") if facts.get("member") else None,
        ("feed (member)", "/feed"),
        ("notifications (member)", "/notifications/"),
        ("search (2 words)", "/search?q=" + quote("solar filter")),
        ("similar ideas (idea page panel)", f"/ideas/{idea['id']}/similar"),
    ]
    return [r for r in rows if r is not None]


def wanted(only: str | None, name: str) -> bool:
    """--only "list,votes": routes whose name contains one of the words (the ceiling always runs)."""
    if not only:
        return True
    return any(word.strip() and word.strip() in name for word in only.split(","))


def bench(args) -> dict:
    wrk = ensure_wrk(install=not args.no_install)
    size = args.size
    duration = args.duration or DEFAULT_DURATION[size]
    # tiny checks the harness, not the speed: the probe request is its only warm-up
    warmup = (0.0 if size == "tiny" else 2.0) if args.warmup is None else args.warmup
    workers = args.workers or 2 * (os.cpu_count() or 1)
    data_dir = Path(args.data_dir or ROOT / "instance" / "bench")
    data_dir.mkdir(parents=True, exist_ok=True)
    url = args.url or seed.default_url(size, data_dir)
    started = time.monotonic()
    machine_info = machine()

    print(f"== seeding {size}", file=sys.stderr)
    facts = seed.ensure(size, url, force=args.reseed, quiet=args.quiet)
    app_env = {"DATABASE_URL": url, "INSTANCE_PATH": str(data_dir / "app"), "COUNT_QUERIES": "1",
               "RATELIMIT_ENABLED": "0",
               # the served routes are measured without the search index catching up behind them
               # (bench/search.py measures search on its own)
               "SEARCH_APPLY_AFTER_REQUEST": "0"}
    if wanted(args.only, "search") or wanted(args.only, "similar"):
        from bench import search as search_bench

        print("== search index for the served routes", file=sys.stderr)
        app_env["SEARCH_INDEX_DIR"] = str(search_bench.prepare(url, data_dir, quiet=args.quiet))
    rows: list[dict] = []
    work = Path(tempfile.mkdtemp(prefix="bench-", dir=data_dir))
    latency_lua = BENCH_DIR / "latency.lua"

    def measure(server: Server, name: str, path: str, cookie: str | None = None) -> dict:
        print(f"== {time.monotonic() - started:5.1f}s {name}: {path}", file=sys.stderr)
        row = {"name": name, "path": path, "method": "GET"}
        row.update(probe(server.base + path, cookie))
        row.update(run_wrk(wrk, server.base + path, duration, script=latency_lua, warmup=warmup,
                           headers=[f"Cookie: {cookie}"] if cookie else ()))
        row["peak_mb"] = server.peak_memory_mb()
        rows.append(row)
        return row

    with Server("hello", "bench.hello:app", {}, workers, work) as hello:
        measure(hello, "hello (ceiling)", "/")
        hello_mb = hello.peak_memory_mb()

    vote_info: dict = {}
    with Server("app", "wsgi:app", app_env, workers, work) as app:
        print(f"== {time.monotonic() - started:5.1f}s app up; logging members in", file=sys.stderr)
        voters = facts["voters"][:SESSIONS.get(size, 50)]
        with ThreadPoolExecutor(max_workers=2 * workers) as pool:
            logins = list(pool.map(lambda v: login(app.base, v["email"], v["password"]), voters))
        sessions = [s for s, _ in logins if s]
        why = next((w for s, w in logins if not s), "")
        member_cookie = sessions[0]["cookie"] if sessions else None
        staff_session = login(app.base, facts["staff"]["email"], facts["staff"]["password"])[0] \
            if facts.get("staff") else None
        staff_cookie = staff_session["cookie"] if staff_session else None
        judge_session = login(app.base, facts["judge"]["email"], facts["judge"]["password"])[0] \
            if facts.get("judge") else None
        judge_cookie = judge_session["cookie"] if judge_session else None
        for name, path in routes(facts):
            if wanted(args.only, name):
                cookie = (staff_cookie if "(staff)" in name else judge_cookie if "(judge)" in name
                          else member_cookie if name in ("compare", "member home") or "(member)" in name else None)
                measure(app, name, path, cookie)

        before = _vote_rows(url)
        row = {"name": "cast votes", "path": "POST /ideas/<id>/vote", "method": "POST",
               "sessions": len(sessions)}
        if sessions and not wanted(args.only, "cast votes"):
            row.update({"status": None, "sql_queries": None, "rps": 0.0, "requests": 0, "non2xx": 0,
                        "socket_errors": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None,
                        "error": "skipped (--only)"})
        elif sessions:
            fresh = fresh_pairs(url, [v["email"] for v in voters], facts["vote_ideas"])

            def vote_once():
                idea_id = (fresh.get(sessions[0]["email"]) or facts["vote_ideas"]).pop(0)
                return _request(_opener(), f"{app.base}/ideas/{idea_id}/vote",
                                {"value": "1", "csrf_token": sessions[0]["token"]},
                                {"Cookie": sessions[0]["cookie"], "X-CSRFToken": sessions[0]["token"]})

            one = vote_once()
            if one[0] == 400:  # the login page's CSRF token did not survive logging in: log in again
                print("== vote answered 400: logging in again with a fresh CSRF token", file=sys.stderr)
                with ThreadPoolExecutor(max_workers=2 * workers) as pool:
                    logins = list(pool.map(lambda v: login(app.base, v["email"], v["password"], "/"),
                                           voters))
                sessions = [s for s, _ in logins if s] or sessions
                one = vote_once()
            row["sessions"] = len(sessions)
            row["status"] = one[0]
            sess_file = work / "sessions.tsv"
            need = int(1.5 * 1000 * (duration + warmup) / max(1, len(sessions)))
            left = min((len(fresh.get(s["email"], [])) for s in sessions), default=0)
            row["fresh_pairs"] = sum(len(fresh.get(s["email"], [])) for s in sessions)
            if left < need:
                print(f"== only {left} ideas left that some member has not voted on (a run at 1,000/s "
                      f"needs {need}); later requests repeat votes. `--reseed` starts from fresh data.",
                      file=sys.stderr)
            sess_file.write_text("".join(
                f"{s['cookie']}\t{s['token']}\t{urllib.parse.quote(s['token'], safe='')}\t"
                f"{','.join(map(str, fresh.get(s['email']) or facts['vote_ideas']))}\n" for s in sessions))
            q = one[1].get("X-SQL-Queries") if one[1] else None
            row["sql_queries"] = int(q) if q and q.isdigit() else None
            row.update(run_wrk(wrk, f"{app.base}/", duration, script=BENCH_DIR / "vote.lua",
                               script_args=(sess_file,), warmup=warmup))
        else:
            row.update({"status": None, "sql_queries": None, "rps": 0.0, "requests": 0, "non2xx": 0,
                        "socket_errors": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None,
                        "error": f"no member could log in: {why}"})
        row["peak_mb"] = app.peak_memory_mb()
        rows.append(row)
        app_mb = app.peak_memory_mb()

    after = _vote_rows(url)
    vote_info = {"vote_rows_before": before, "vote_rows_after": after, "votes_recorded": after - before,
                 **verify(url)}
    row["votes_recorded"] = after - before

    ceiling = rows[0]["rps"] or 0.0
    for r in rows:
        r["ok_rps"] = round(r["rps"] * (1 - r["non2xx"] / r["requests"]), 1) if r["requests"] else 0.0
        r["ceiling_pct"] = round(100 * r["rps"] / ceiling, 1) if ceiling else None

    short, dirty = commit()
    result = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": short + ("-dirty" if dirty else ""),
        "machine": machine_info,
        "size": size,
        "database": seed._safe(url).split("://")[0] if "://" in url else url,
        "seed": {k: v for k, v in facts.items() if k not in ("voters", "vote_ideas", "url")},
        "duration_s": duration,
        "workers": workers,
        "wrk": "-t2 -c8 --latency",
        "memory_mb": {"hello_workers_peak": hello_mb, "app_workers_peak": app_mb},
        "rows": rows,
        "votes": vote_info,
        "targets": targets(rows, vote_info),
        "elapsed_s": round(time.monotonic() - started, 1),
    }
    shutil.rmtree(work, ignore_errors=True)
    return result


def fresh_pairs(url: str, emails: list[str], idea_ids: list[int]) -> dict[str, list[int]]:
    """Per member, the ideas among `idea_ids` they have not voted on yet, so that every
    request of the vote run casts a new vote (a repeated one is a no-op and cheaper)."""
    from sqlalchemy import bindparam, create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            users = dict(conn.execute(text("SELECT email, id FROM users WHERE email IN :emails")
                                      .bindparams(bindparam("emails", expanding=True)),
                                      {"emails": emails}).all())
            voted: dict[int, set[int]] = {}
            for user_id, idea_id in conn.execute(
                    text("SELECT user_id, idea_id FROM votes WHERE user_id IN :ids")
                    .bindparams(bindparam("ids", expanding=True)),
                    {"ids": list(users.values()) or [0]}):
                voted.setdefault(user_id, set()).add(idea_id)
    finally:
        engine.dispose()
    return {email: [i for i in idea_ids if i not in voted.get(uid, ())] for email, uid in users.items()}


def _vote_rows(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT COUNT(*) FROM votes")).scalar_one()
    finally:
        engine.dispose()


def verify(url: str) -> dict:
    """Counters against rows after the vote run; nothing may be doubled."""
    from ideas.extensions import db

    app = seed._app(url)
    with app.app_context():
        counts = seed.check_counts(db)
        recount = seed.app_recount(db)
        db.session.remove()
        db.engine.dispose()
    ok = counts["ok"] and (recount is None or recount["ok"])
    return {"verified": ok, "drift": counts["drift"], "app_recount": recount}


def _row(rows, prefix):
    return next((r for r in rows if r["name"].startswith(prefix)), None)


def targets(rows: list[dict], votes: dict) -> list[dict]:
    def clean(r):
        return bool(r) and r.get("requests", 0) > 0 and r.get("non2xx", 0) == 0 \
            and r.get("status") in (200, 303, 302) and not r.get("error")

    first = _row(rows, "list top p1")
    deep = next((r for r in rows if r["name"].startswith("list top p") and r is not first
                 and "last" not in r["name"]), None)
    last = _row(rows, "list top last")
    page = _row(rows, "idea page")
    vote = _row(rows, "cast votes")
    out = []

    def add(name, row, value, goal, ok, unit=""):
        shown = "-" if value is None else (f"{value:.1f}{unit}" if isinstance(value, float) else f"{value}{unit}")
        out.append({"target": name, "route": row["name"] if row else None, "value": shown, "goal": goal,
                    "pass": bool(ok and clean(row))})

    for label, r in (("idea list", first), ("idea page", page)):
        pct = r.get("ceiling_pct") if r else None
        add(f"{label} >= 15% of ceiling", r, pct, ">= 15%", pct is not None and pct >= 15, "%")
    p50 = first.get("p50_ms") if first else None
    add("list p50 <= 30 ms", first, p50, "<= 30 ms", p50 is not None and p50 <= 30, " ms")
    for label, r in (("deep page", deep), ("last page", last)):
        v = r.get("p50_ms") if r else None
        ok = v is not None and p50 is not None and v <= 2 * p50
        add(f"{label} p50 <= 2x first page", r, v, f"<= {2 * p50:.1f} ms" if p50 else "<= 2x", ok, " ms")
    v = page.get("p50_ms") if page else None
    add("idea page p50 <= 20 ms", page, v, "<= 20 ms", v is not None and v <= 20, " ms")
    for label, r in (("judge queue", _row(rows, "judge queue")), ("judging ranking", _row(rows, "judging ranking"))):
        v = r.get("p50_ms") if r else None
        ok = v is not None and p50 is not None and v <= 2 * p50
        add(f"{label} p50 <= 2x idea list", r, v, f"<= {2 * p50:.1f} ms" if p50 else "<= 2x", ok, " ms")
    v = vote.get("ok_rps") if vote else None
    add("votes >= 300/s", vote, v, ">= 300/s", v is not None and v >= 300 and votes.get("verified"), "/s")
    add("votes verified (no drift, none doubled)", vote, "yes" if votes.get("verified") else "NO",
        "yes", votes.get("verified"))
    out[-1]["pass"] = bool(votes.get("verified"))
    return out


# --- output -----------------------------------------------------------------


COLUMNS = [("route", "name"), ("status", "status"), ("req/s", "rps"), ("% ceil", "ceiling_pct"),
           ("p50 ms", "p50_ms"), ("p95 ms", "p95_ms"), ("p99 ms", "p99_ms"), ("non-2xx", "non2xx"),
           ("SQL/req", "sql_queries"), ("peak MB", "peak_mb")]


def _cell(v):
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.1f}"
    return str(v)


def render(result: dict) -> str:
    m = result["machine"]
    lines = [f"# Benchmark {result['size']} — {result['date']}, commit {result['commit']}", "",
             f"Machine: {m['cores']} cores, {m['memory_gb']} GB; gunicorn {result['workers']} sync workers "
             f"(--preload); wrk {result['wrk']} -d{result['duration_s']}s; database {result['database']}; "
             f"seed: {'reused' if result['seed'].get('reused') else 'fresh'}.", ""]
    load = m.get("load_avg")
    if load and load[0] > m["cores"]:
        lines[-1:-1] = [f"WARNING: load average {load[0]:.1f} on {m['cores']} cores at the start: "
                        "other processes competed for the CPU, so these figures are low.", ""]
    header = [c for c, _ in COLUMNS]
    table = [[_cell(r.get(k)) for _, k in COLUMNS] for r in result["rows"]]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in table]
    errors = [f"- {r['name']}: {r['error']}" for r in result["rows"] if r.get("error")]
    if errors:
        lines += ["", "Errors:", *errors]
    v = result["votes"]
    vr = _row(result["rows"], "cast votes") or {}
    lines += ["", f"Votes: {vr.get('requests', 0):,} vote requests in the measured run (plus the warm-up), "
              f"each a member's first vote on that idea; {v.get('votes_recorded', 0):,} new vote rows from "
              f"{vr.get('sessions', 0)} member sessions; counters "
              f"{'consistent' if v.get('verified') else 'INCONSISTENT ' + json.dumps(v.get('drift'))}"
              f"; app recount: {'not available' if v.get('app_recount') is None else v['app_recount']}.",
              "", "| target | route | value | goal | result |", "|---|---|---|---|---|"]
    lines += [f"| {t['target']} | {t['route'] or '-'} | {t['value']} | {t['goal']} | "
              f"{'pass' if t['pass'] else 'MISS'} |" for t in result["targets"]]
    mem = result["memory_mb"]
    lines += ["", f"Workers' peak memory: hello {mem['hello_workers_peak']} MB, app {mem['app_workers_peak']} MB.",
              f"Elapsed: {result['elapsed_s']} s."]
    return "\n".join(lines) + "\n"


def write(result: dict, results_dir: Path) -> tuple[Path, Path]:
    results_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{result['date'][:10]}-{result['commit'].removesuffix('-dirty')}-{result['size']}"
    json_path, md_path = results_dir / f"{stem}.json", results_dir / f"{stem}.md"
    json_path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    md_path.write_text(render(result))
    return json_path, md_path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the app's main routes with wrk.")
    parser.add_argument("--size", choices=list(seed.SIZES), default="small")
    parser.add_argument("--duration", type=int, help="seconds per route (default 10, tiny 1)")
    parser.add_argument("--warmup", type=float, help="warm-up seconds per route (default 2)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default 2 x cores)")
    parser.add_argument("--url", help="database URL (default BENCH_DATABASE_URL or <data-dir>/<size>.sqlite3)")
    parser.add_argument("--data-dir", help="where the SQLite data and app instance live (instance/bench)")
    parser.add_argument("--results-dir", help="where results go (bench/results; instance/bench/partial with --only)")
    parser.add_argument("--no-install", action="store_true", help="never apt-get install wrk")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.add_argument("--reseed", action="store_true", help="generate the data again even if it exists")
    parser.add_argument("--only", help="comma-separated words: measure only the routes whose names "
                        "contain one ('list', 'idea page', 'votes'); results go to a scratch folder")
    parser.add_argument("--no-search", action="store_true", help="skip the search benchmark (bench/search.py)")
    args = parser.parse_args(argv)
    result = bench(args)
    default_dir = ROOT / "instance" / "bench" / "partial" if args.only else BENCH_DIR / "results"
    json_path, md_path = write(result, Path(args.results_dir or default_dir))
    sys.stdout.write(render(result))
    print(f"\nwritten: {json_path.relative_to(ROOT) if json_path.is_relative_to(ROOT) else json_path}, "
          f"{md_path.name}")
    if wanted(args.only, "search") and not args.no_search:
        from bench import search

        found = search.run(args.size, args.url, data_dir=Path(args.data_dir) if args.data_dir else None,
                           quiet=args.quiet)
        stem = md_path.with_suffix("").name + "-search"
        md_path.with_name(f"{stem}.json").write_text(json.dumps(found, indent=2, ensure_ascii=False) + "\n")
        md_path.with_name(f"{stem}.md").write_text(search.render(found))
        sys.stdout.write("\n" + search.render(found))
        print(f"\nwritten: {stem}.json, {stem}.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
