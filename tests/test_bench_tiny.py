"""The benchmark end to end on the tiny data set (1 s per route).

Skipped when wrk is missing and cannot be installed here (no apt-get, or not root).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import run

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ["hello (ceiling)", "/healthz", "home /", "member home", "challenges", "challenge page", "list top p1", "list top p",
            "list top last", "list new", "list fresh", "idea page", "compare", "terms page",
            "moderation (staff)", "close page (staff)", "judge queue (judge)", "judging progress (staff)",
            "judging ranking (staff)", "prototypes", "prototype page", "focus group (staff)",
            "focus group board (staff)", "focus group thread (staff)", "feedback results (staff)",
            "leaderboard all time", "leaderboard week", "challenge leaderboard", "experts", "profile (top member)",
            "feed (member)", "notifications (member)", "search", "similar ideas",
            "cast votes"]


def test_tiny_benchmark_end_to_end(tmp_path):
    if not run.can_get_wrk():
        pytest.skip("wrk is not installed and cannot be installed here (no apt-get or not root): "
                    "install wrk to run the benchmark test")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BENCH_DATABASE_URL")}
    url = f"sqlite:///{tmp_path / 'data' / 'tiny.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--size", "tiny", "--quiet", "--url", url,
         "--data-dir", str(tmp_path / "data"), "--results-dir", str(tmp_path / "results")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]

    (json_file,) = (tmp_path / "results").glob("*-tiny.json")
    (md_file,) = (tmp_path / "results").glob("*-tiny.md")
    data = json.loads(json_file.read_text())
    names = [row["name"] for row in data["rows"]]
    for prefix in EXPECTED:
        assert any(name.startswith(prefix) for name in names), f"no row {prefix!r} in {names}"
    assert len(names) == len(EXPECTED)
    assert data["rows"][0]["rps"] > 0, "the hello ceiling served nothing"
    # every page answers 200 (the staff pages with a staff session), none grows its SQL
    assert all(row.get("status") == 200 for row in data["rows"] if row["name"] != "cast votes"), data["rows"]
    assert data["votes"]["verified"], data["votes"]
    assert {t["target"] for t in data["targets"]} >= {"votes >= 300/s", "idea page p50 <= 20 ms"}
    table = md_file.read_text()
    assert "| hello (ceiling) |" in table and "| cast votes |" in table
    assert "| hello (ceiling) |" in result.stdout  # the table is printed too
    (search_md,) = (tmp_path / "results").glob("*-tiny-search.md")  # the search benchmark ran
    assert "rebuild:" in search_md.read_text() and "similar ideas" in search_md.read_text()


def test_parse_wrk_reads_rate_percentiles_and_errors():
    out = """Running 1s test @ http://127.0.0.1:58000/
  2 threads and 8 connections
  Latency Distribution
     50%    1.50ms
     75%    2.00ms
     90%    3.00ms
     99%   12.00ms
  1234 requests in 1.00s, 1.00MB read
  Non-2xx or 3xx responses: 17
Requests/sec:   1234.56
BENCH_P50_US 1500
BENCH_P95_US 4200
BENCH_P99_US 12000
"""
    r = run.parse_wrk(out)
    assert r["rps"] == 1234.56 and r["requests"] == 1234 and r["non2xx"] == 17
    assert (r["p50_ms"], r["p95_ms"], r["p99_ms"]) == (1.5, 4.2, 12.0)
    assert run.parse_wrk(out.replace("BENCH_P99_US 12000", ""))["p99_ms"] == 12.0


def test_targets_miss_when_a_route_fails():
    rows = [
        {"name": "hello (ceiling)", "rps": 1000.0, "requests": 1000, "non2xx": 0, "status": 200,
         "ceiling_pct": 100.0, "p50_ms": 1.0},
        {"name": "list top p1", "rps": 500.0, "requests": 500, "non2xx": 500, "status": 500,
         "ceiling_pct": 50.0, "p50_ms": 5.0},
        {"name": "idea page (200 comments)", "rps": 400.0, "requests": 400, "non2xx": 0, "status": 200,
         "ceiling_pct": 40.0, "p50_ms": 5.0},
    ]
    result = {t["target"]: t["pass"] for t in run.targets(rows, {"verified": True})}
    assert result["idea list >= 15% of ceiling"] is False  # fast, but every answer was a 500
    assert result["idea page >= 15% of ceiling"] is True
    assert result["idea page p50 <= 20 ms"] is True
