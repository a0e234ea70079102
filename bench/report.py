"""Side-by-side table of benchmark runs at different sizes: the cost of growing.

    python -m bench.report bench/results/<date>-<commit>-small.json ...-medium.json ...-large.json

Rows are matched by route (list pages by their kind: "list top deep", "list top last"),
so a page number that depends on the size still lines up.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def _route(name: str) -> str:
    name = re.sub(r"^list top last p\d+$", "list top last page", name)
    name = re.sub(r"^list top p(?!1$)\d+$", "list top deep page", name)
    return re.sub(r"^idea page \(\d+ comments\)$", "idea page (200 comments)", name)


def _num(value, digits=1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def side_by_side(results: list[dict]) -> str:
    sizes = [r["size"] for r in results]
    head = ["route"] + [f"{s} {col}" for s in sizes for col in ("req/s", "% ceil", "p50 ms", "SQL")]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    routes: list[str] = []
    for result in results:
        for row in result["rows"]:
            if _route(row["name"]) not in routes:
                routes.append(_route(row["name"]))
    by_size = [{_route(row["name"]): row for row in result["rows"]} for result in results]
    for route in routes:
        cells = [route]
        for rows in by_size:
            row = rows.get(route, {})
            sql = row.get("sql_queries")
            cells += [_num(row.get("rps")), _num(row.get("ceiling_pct")), _num(row.get("p50_ms")),
                      "-" if sql is None else str(sql)]
        lines.append("| " + " | ".join(cells) + " |")
    notes = [f"{r['size']}: {r['date']}, commit {r['commit']}, {r['database']}, "
             f"{r['machine']['cores']} cores / {r['machine']['memory_gb']} GB, "
             f"load average at start {r['machine'].get('load_avg', ['?'])[0]}" for r in results]
    return "\n".join(lines) + "\n\n" + "\n".join(f"- {n}" for n in notes) + "\n"


def main(argv: list[str] | None = None) -> int:
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])]
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    order = {"tiny": 0, "small": 1, "medium": 2, "large": 3}
    results = sorted((json.loads(p.read_text()) for p in paths), key=lambda r: order.get(r["size"], 9))
    sys.stdout.write(side_by_side(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
