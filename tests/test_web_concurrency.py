"""Many readers at once on the real server: no request waits forever for a database connection
(more concurrent requests than the pool has connections, with the page cache off).

Pages, API reads (whose return value FastAPI validates in another pool thread) and not-found pages
(whose suggestions are read from the event loop's error handler) all take part: each once stalled
the server for the pool's timeout under 50 clients."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy.pool import QueuePool

from newsdesk.config import Settings
from newsdesk.web.app import create_app
from test_web_support import RECORDS, fill, serve

READERS = 60  # more than the thread pool's 40 handlers and far more than the pool's connections


def test_more_readers_than_connections(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=str(tmp_path / "busy.db"), load_sample=False), page_cache_bytes=0)
    fill(app.state.archive)
    engine = app.state.archive.engine
    engine.pool = QueuePool(engine.pool._creator, pool_size=2, max_overflow=0, timeout=5)  # a tight pool
    articles = [r["id"] for r in RECORDS if r.get("kind") != "headline"]
    paths = {**{f"/article/{i}": 200 for i in articles}, "/": 200, "/tag/almaty": 200,
             **{f"/api/v1/articles/{i}": 200 for i in articles}, "/api/v1/articles?limit=5": 200,
             "/api/v1/tags": 200, "/tag/no-such-tag": 404, "/article/no-such-article": 404}
    wanted = list(paths.items())
    with serve(app) as base, httpx.Client(base_url=base, timeout=10) as client, \
            ThreadPoolExecutor(READERS) as pool:
        got = list(pool.map(lambda i: (wanted[i % len(wanted)][0], client.get(wanted[i % len(wanted)][0]).status_code),
                            range(READERS * 5)))
    assert [(path, status) for path, status in got if status != paths[path]] == []


def test_malloc_arenas_are_capped_unless_told_otherwise(monkeypatch) -> None:  # noqa: ANN001
    from newsdesk.web.app import limit_malloc_arenas

    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    monkeypatch.delenv("NEWSDESK_MALLOC_ARENAS", raising=False)
    assert Settings().malloc_arenas == 2
    assert limit_malloc_arenas(2) is True  # this machine's glibc
    assert limit_malloc_arenas(0) is False  # NEWSDESK_MALLOC_ARENAS=0: glibc's default
    monkeypatch.setenv("NEWSDESK_MALLOC_ARENAS", "0")
    assert Settings().malloc_arenas == 0
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")  # the operator's own setting wins
    assert limit_malloc_arenas(2) is False
