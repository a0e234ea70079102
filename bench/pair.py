"""Paired CPU comparison of commits: `python -m bench.pair [--n 150] before=cccfae7 after=HEAD`.

wrk's requests per second follow whatever else the machine runs: on 2 shared cores the
same commit measured 30-200 req/s on the idea page within ten minutes. This measures
what a commit costs instead: each label's commit is exported (`git archive`) into a
scratch folder and served by its own worker process through Flask's test client, on its
own copy of one small benchmark database; the requests go to the workers in turn, in a
random order each round, so every commit meets the same load. Reported per route: the
median CPU time of a request (`time.process_time` in the worker; `--clock wall` for
wall-clock time, waits included), its lower quartile, and the median of the paired
differences against the first label, with the SQL count.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUTES = ("list", "deep", "idea", "member-list", "compare", "vote")


def export(commit: str, into: Path) -> Path:
    """The commit's tree in `into`, sharing this checkout's virtualenv and vendored assets."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    for shared in (".venv", "static/vendor"):
        if (ROOT / shared).exists() and not (into / shared).exists():
            (into / shared).symlink_to((ROOT / shared).resolve())
    return into


def worker(src: str, database: str, clock=time.process_time) -> None:
    """Serve one commit: answer each route name on stdin with "<ms> <sql count>"."""
    import warnings

    warnings.filterwarnings("ignore")
    sys.path.insert(0, src)
    os.chdir(src)
    tmp = tempfile.mkdtemp(prefix="pair-")
    shutil.copy(database, os.path.join(tmp, "db.sqlite3"))
    os.environ["INSTANCE_PATH"] = os.path.join(tmp, "instance")
    from bench import run as benchrun
    from bench import seed
    from ideas import create_app

    url = f"sqlite:///{tmp}/db.sqlite3"
    facts = seed.ensure("small", url, force=False, quiet=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "COUNT_QUERIES": True})
    paths = dict(benchrun.routes(facts))
    deep = next(v for k, v in paths.items() if k.startswith("list top p") and k != "list top p1" and "last" not in k)
    urls = {"list": paths["list top p1"], "deep": deep, "member-list": paths["list top p1"],
            "idea": next(v for k, v in paths.items() if k.startswith("idea page")), "compare": paths["compare"]}
    visitor, members = app.test_client(), []
    voters = facts["voters"][:10]
    for v in voters:
        client = app.test_client()
        client.post("/login", data={"email": v["email"], "password": v["password"]})
        members.append((v["email"], client))
    fresh = benchrun.fresh_pairs(url, [v["email"] for v in voters], facts["vote_ideas"])
    votes = 0
    print("ready", flush=True)
    for line in sys.stdin:
        route = line.strip()
        if route == "quit":
            break
        started = clock()
        if route == "vote":
            email, client = members[votes % len(members)]
            votes += 1
            response = client.post(f"/ideas/{fresh[email].pop(0)}/vote", data={"value": "1"})
        else:
            client = members[0][1] if route in ("compare", "member-list") else visitor
            response = client.get(urls[route])
        spent = clock() - started
        if response.status_code not in (200, 303):
            print(f"error {response.status_code}", flush=True)
            continue
        print(f"{spent * 1000:.4f} {response.headers.get('X-SQL-Queries')}", flush=True)
    shutil.rmtree(tmp, ignore_errors=True)


def compare(n: int, labels: list[tuple[str, str]], database: str, clock: str = "cpu") -> str:
    scratch = Path(tempfile.mkdtemp(prefix="bench-pair-"))
    workers = []
    try:
        for label, commit in labels:
            src = export(commit, scratch / label)
            proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--worker", str(src),
                                     "--database", database, "--clock", clock],
                                    cwd=src, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
            workers.append((label, proc))
        for label, proc in workers:
            if not proc.stdout.readline().startswith("ready"):
                raise SystemExit(f"the worker of {label} did not start")

        def ask(proc, route):
            proc.stdin.write(route + "\n")
            answer = proc.stdout.readline().split()
            if answer[0] == "error":
                raise SystemExit(f"{route} answered {answer[1]}")
            return float(answer[0]), answer[1]

        times = {label: {r: [] for r in ROUTES} for label, _ in workers}
        sql = {label: {} for label, _ in workers}
        for route in ROUTES:
            for _label, proc in workers:  # warm up
                for _ in range(3 if route == "vote" else 10):
                    ask(proc, route)
            for _ in range(min(n, 300) if route == "vote" else n):
                for label, proc in random.sample(workers, len(workers)):
                    ms, queries = ask(proc, route)
                    times[label][route].append(ms)
                    sql[label][route] = queries
        for _label, proc in workers:
            proc.stdin.write("quit\n")
            proc.stdin.flush()
            proc.wait()
    finally:
        for _label, proc in workers:
            if proc.poll() is None:
                proc.kill()
        shutil.rmtree(scratch, ignore_errors=True)
    first = labels[0][0]
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    what = "CPU ms" if clock == "cpu" else "Wall-clock ms"
    lines = [f"{what} per request in process, {n} paired rounds, load average {load}: "
             f"median (lower quartile) [median paired difference against {first}] SQL", "",
             "| commit | " + " | ".join(ROUTES) + " |", "|---|" + "---|" * len(ROUTES)]
    for label, commit in labels:
        cells = []
        for route in ROUTES:
            xs, base = times[label][route], times[first][route]
            diff = statistics.median(a - b for a, b in zip(xs, base, strict=False))
            cells.append(f"{statistics.median(xs):.2f} ({statistics.quantiles(xs, n=4)[0]:.2f}) "
                         f"[{diff:+.2f}] {sql[label][route]}")
        lines.append(f"| {label} ({commit}) | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Paired in-process CPU comparison of commits.")
    parser.add_argument("labels", nargs="*", help="label=commit, the first is the reference")
    parser.add_argument("--n", type=int, default=150, help="requests per route and commit")
    parser.add_argument("--database", help="a seeded small SQLite file (default: seeded into a scratch folder)")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                        help="time.process_time (default) or time.perf_counter (includes waiting)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.database, time.process_time if args.clock == "cpu" else time.perf_counter)
        return 0
    labels = [tuple(spec.split("=", 1)) for spec in args.labels]
    if len(labels) < 2 or any(len(pair) != 2 for pair in labels):
        parser.error("give at least two label=commit")
    database = args.database
    if database is None:
        from bench import seed

        database = str(Path(tempfile.mkdtemp(prefix="bench-pair-db-")) / "small.sqlite3")
        seed.ensure("small", f"sqlite:///{database}", force=True, quiet=True)
    sys.stdout.write(compare(args.n, labels, database, args.clock))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
