"""Many readers at once on the real server: no request waits forever for a database connection
(more concurrent requests than the pool has connections, with the page cache off)."""

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
    paths = [f"/article/{r['id']}" for r in RECORDS if r.get("kind") != "headline"] + ["/", "/tag/almaty"]
    with serve(app) as base, httpx.Client(base_url=base, timeout=10) as client, \
            ThreadPoolExecutor(READERS) as pool:
        statuses = list(pool.map(lambda i: client.get(paths[i % len(paths)]).status_code, range(READERS * 5)))
    assert statuses == [200] * len(statuses)
