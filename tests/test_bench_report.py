"""The side-by-side report lines up the same routes across sizes."""

from bench.report import side_by_side


def _result(size, last_page, rps):
    rows = [
        {"name": "hello (ceiling)", "rps": 4000.0, "ceiling_pct": 100.0, "p50_ms": 1.5, "sql_queries": None},
        {"name": "list top p1", "rps": rps, "ceiling_pct": rps / 40, "p50_ms": 20.0, "sql_queries": 3},
        {"name": f"list top last p{last_page}", "rps": rps - 10, "ceiling_pct": None, "p50_ms": 22.0,
         "sql_queries": 3},
    ]
    return {"size": size, "rows": rows, "date": "2026-11-23 18:00 UTC", "commit": "abc1234",
            "database": "sqlite", "machine": {"cores": 2, "memory_gb": 23.5, "load_avg": [0.5]}}


def test_routes_line_up_whatever_the_page_number():
    table = side_by_side([_result("small", 25, 400.0), _result("large", 2500, 380.0)])
    lines = table.splitlines()
    assert lines[0].startswith("| route | small req/s")
    last = next(line for line in lines if line.startswith("| list top last page"))
    assert "390.0" in last and "370.0" in last
    assert sum(line.startswith("| list top") for line in lines) == 2
    assert "- large: 2026-11-23 18:00 UTC, commit abc1234, sqlite, 2 cores" in table
