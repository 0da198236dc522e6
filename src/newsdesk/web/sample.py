"""The bundled sample (``src/newsdesk/sample/``): loaded into an empty archive on first run, so the
site has something real to show.  ``newsdesk serve`` does it on startup; the CLI may call it too."""

from __future__ import annotations

import logging
from importlib import resources
from importlib.resources.abc import Traversable

from newsdesk.ingest import Summary, ingest
from newsdesk.pipeline import Pipeline
from newsdesk.sources import read
from newsdesk.store.db import Archive
from newsdesk.store.queries import count_articles

log = logging.getLogger(__name__)
DATA_SUFFIXES = (".jsonl", ".txt", ".xml", ".atom", ".rss", ".html")


def sample_files() -> list[Traversable]:
    """The sample's data files in name order (articles.jsonl, page_dump*.txt, feed.xml, atom.xml, …)."""
    folder = resources.files("newsdesk") / "sample"
    if not folder.is_dir():
        return []
    return sorted((f for f in folder.iterdir() if f.is_file() and f.name.endswith(DATA_SUFFIXES)
                   and not f.name.startswith((".", "_"))), key=lambda f: f.name)


def load_sample(archive: Archive, pipeline: Pipeline | None = None) -> Summary:
    """Ingest every sample file; returns the combined counts."""
    total = Summary()
    for file in sample_files():
        with resources.as_file(file) as path:
            part = ingest(archive, read(str(path)), pipeline)
        _add(total, part)
        log.info("sample %s: %s", file.name, part.line())
    return total


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
