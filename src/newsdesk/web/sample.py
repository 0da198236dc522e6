"""The bundled sample (``src/newsdesk/sample/``): loaded into an empty archive on first run, so the
site has something real to show.  ``newsdesk serve`` does it on startup; the CLI may call it too."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sqlite3
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from newsdesk.ingest import Summary, ingest
from newsdesk.pipeline import Pipeline
from newsdesk.sources import read
from newsdesk.store.db import Archive
from newsdesk.store.queries import count_articles

log = logging.getLogger(__name__)
DATA_SUFFIXES = (".jsonl", ".txt", ".xml", ".atom", ".rss", ".html")
OUTLETS = {"page_dump.txt": "Almaty Today", "page_dump_kk.txt": "El Habar"}  # who the dumps were scraped from


def sample_files() -> list[Traversable]:
    """The sample's data files in name order (articles.jsonl, page_dump*.txt, feed.xml, atom.xml, …)."""
    folder = resources.files("newsdesk") / "sample"
    if not folder.is_dir():
        return []
    return sorted((f for f in folder.iterdir() if f.is_file() and f.name.endswith(DATA_SUFFIXES)
                   and not f.name.startswith((".", "_"))), key=lambda f: f.name)


CACHE_ENV = "NEWSDESK_SAMPLE_CACHE"  # a folder: reuse one analysed copy of the sample (tests set it)


def load_sample(archive: Archive, pipeline: Pipeline | None = None) -> Summary:
    """Ingest every sample file and learn the outlet's tags from it; returns the combined counts.

    With ``NEWSDESK_SAMPLE_CACHE`` set, an empty SQLite archive gets a copy of an archive analysed
    once (keyed by the sample and the pipeline's versions) instead of analysing the sample again."""
    cache = _cache_file()
    if cache is not None and archive.is_sqlite and pipeline is None:
        return _load_cached(archive, cache)
    total = _ingest_all(archive, pipeline)
    if pipeline is None or pipeline.stages:
        from newsdesk.editorial import train_tags

        train_tags(archive)
    return total


def _ingest_all(archive: Archive, pipeline: Pipeline | None) -> Summary:
    total = Summary()
    for file in sample_files():
        with resources.as_file(file) as path:
            part = ingest(archive, read(str(path), source=OUTLETS.get(file.name)), pipeline)
        _add(total, part)
        log.info("sample %s: %s", file.name, part.line())
    return total


def _cache_file() -> Path | None:
    folder = os.environ.get(CACHE_ENV)
    if not folder:
        return None
    from newsdesk import __version__
    from newsdesk.analyze import ANALYZER_VERSION
    from newsdesk.pipeline import NLP_VERSION

    digest = hashlib.sha256(f"{__version__}/{NLP_VERSION}/{ANALYZER_VERSION}".encode())
    for file in sample_files():
        digest.update(file.read_bytes())
    return Path(folder) / f"sample-{digest.hexdigest()[:16]}.db"


def warm_cache() -> Path | None:
    """Build the analysed copy of the sample now (when ``NEWSDESK_SAMPLE_CACHE`` is set)."""
    cache = _cache_file()
    if cache is not None and not cache.exists():
        _build(cache)
    return cache


def _build(cache: Path) -> None:
    from newsdesk.store import open_archive

    cache.parent.mkdir(parents=True, exist_ok=True)
    building = cache.with_suffix(f".{os.getpid()}.tmp")
    built = open_archive(str(building))
    load_sample(built, Pipeline())
    built.dispose()
    with sqlite3.connect(building) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.move(building, cache)


def _load_cached(archive: Archive, cache: Path) -> Summary:
    """Copy the analysed sample into ``archive`` (SQLite's online backup), building it first if needed."""
    if not cache.exists():
        _build(cache)
    raw = archive.engine.raw_connection()
    try:
        with sqlite3.connect(cache) as source:
            source.backup(raw.driver_connection)  # type: ignore[arg-type]
    finally:
        raw.close()
    with archive.engine.connect() as conn:
        return Summary(added=count_articles(conn))


def load_sample_if_empty(archive: Archive, pipeline: Pipeline | None = None) -> Summary | None:
    """Load the sample only into an archive with no articles (what the site does on startup)."""
    with archive.engine.connect() as conn:
        if count_articles(conn):
            return None
    return load_sample(archive, pipeline)


def _add(total: Summary, part: Summary) -> None:
    total.added += part.added
    total.updated += part.updated
    total.unchanged += part.unchanged
    total.rejected += part.rejected
    total.errors += part.errors
    total.ids += part.ids
