"""Filtered search: queries × filters (lang, rubric, tag, source, since/until) on an existing archive.

    .venv/bin/python bench/search_filtered.py sqlite:///archive.db [--repeat 3] [--dump hits.json]
    .venv/bin/python bench/search.py --filtered postgresql://…/db        (the same, from bench/search.py)

Times the full ``search()`` and, inside it, the backend's ``count`` and ``folded`` (the parts a filter
used to make walk the filtered articles and probe the index row by row).  ``--dump`` writes every
case's hits, totals and match counts, so two runs (code before and after) can be compared for
identical results.  Prints a Markdown table; writes no report file.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from common import header, timings
from newsdesk.search import Filters, engine, parse, search
from newsdesk.search.filters import condition
from newsdesk.search.plan import Plan
from newsdesk.store import open_archive

QUERIES = ("США", "Путин", "выборы", "в", "налог", "Алматы", "пенсия фонд", '"Государственная дума"')
FILTERS: dict[str, Filters] = {
    "none": Filters(),
    "lang=ru": Filters(lang="ru"),
    "lang=kk": Filters(lang="kk"),
    "rubric=science": Filters(rubric="science"),
    "tag=rossiya": Filters(tag="rossiya"),
    "source=russian.rt.com": Filters(source="russian.rt.com"),
    "since/until 2024-11": Filters(since=datetime(2024, 11, 1, tzinfo=UTC), until=datetime(2024, 12, 1, tzinfo=UTC)),
    "lang=ru, since 2024-10": Filters(lang="ru", since=datetime(2024, 10, 1, tzinfo=UTC)),
}


def timed(fn: Callable[[], Any], repeat: int) -> float:
    """Median milliseconds of ``repeat`` runs after one warm-up."""
    return statistics.median(timings(fn, repeat))


def run(url: str, repeat: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One row per query × filter: timings, and the results to compare between runs."""
    archive = open_archive(url)
    rows, dump = [], {}
    with archive.engine.connect() as conn:
        backend = engine.backend(conn)
        for q in QUERIES:
            for name, filters in FILTERS.items():
                plan = Plan(parse(q), condition(filters))
                found = search(conn, q, filters, limit=20)
                rows.append({"q": q, "filter": name, "total": found.total, "matches": found.matches,
                             "search": timed(lambda q=q, f=filters: search(conn, q, f, limit=20), repeat),
                             "count": timed(lambda p=plan: backend.count(conn, p), repeat),
                             "folded": timed(lambda p=plan: backend.folded(conn, p), repeat)})
                dump[f"{q} | {name}"] = {"total": found.total, "matches": found.matches, "exact": found.exact,
                                         "hits": [[h.id, h.score, [c[0] for c in h.copies]] for h in found.items]}
    archive.dispose()
    return rows, dump


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| query | filter | matches | total | search() ms | count ms | folded ms |",
             "|---|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['q']} | {r['filter']} | {r['matches']:,} | {r['total']:,} | {r['search']:.1f} | "
              f"{r['count']:.1f} | {r['folded']:.1f} |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", help="an archive: sqlite:///path.db or a postgresql:// URL (left unchanged)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each case after a warm-up")
    parser.add_argument("--dump", type=Path, help="write every case's hits and totals here (JSON)")
    args = parser.parse_args(argv)
    rows, dump = run(args.url, args.repeat)
    if args.dump:
        args.dump.write_text(json.dumps(dump, ensure_ascii=False, indent=1), encoding="utf-8")
    print(header("python bench/search_filtered.py " + " ".join(argv if argv is not None else sys.argv[1:])))
    print(table(rows))


if __name__ == "__main__":
    main()
