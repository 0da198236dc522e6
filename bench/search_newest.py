"""Newest first against best first: the same queries on an existing archive, median ms of 7 runs each.

    .venv/bin/python bench/search_newest.py sqlite:///archive.db      (or a postgresql:// URL)

Prints a Markdown table: «same total» says both orders found the same results, and each newest-first page is
checked to be in date order.  Writes no report file.
"""

from __future__ import annotations

import argparse
import statistics

from common import header, timings
from newsdesk.search import search
from newsdesk.store import open_archive

QUERIES = ("США", "Путин", "выборы", "в", "налог", "Алматы", "пенсия фонд", '"Государственная дума"', "нефть OR газ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    archive = open_archive(args.url)
    print(header(f"bench/search_newest.py {args.url}"))
    print("| query | matches | best first ms | newest first ms | same total | page in date order |")
    print("|---|---|---|---|---|---|")
    with archive.engine.connect() as conn:
        for q in QUERIES:
            best, newest = search(conn, q, limit=20), search(conn, q, limit=20, newest=True)
            best_ms = statistics.median(timings(lambda q=q: search(conn, q, limit=20), args.repeat))
            newest_ms = statistics.median(timings(lambda q=q: search(conn, q, limit=20, newest=True), args.repeat))
            dates = [h.published_at for h in newest.items if h.published_at]
            print(f"| {q} | {best.matches:,} | {best_ms:.1f} | {newest_ms:.1f} "
                  f"| {'yes' if best.total == newest.total else 'no'} "
                  f"| {'yes' if dates == sorted(dates, reverse=True) else 'NO'} |")


if __name__ == "__main__":
    main()
