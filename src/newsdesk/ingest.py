"""Ingestion: records in, enriched, stored.  Idempotent; bad records are reported and skipped."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection

from newsdesk.errors import InputError, InputWarning
from newsdesk.pipeline import Pipeline
from newsdesk.records import Article
from newsdesk.sources import Item
from newsdesk.store import deleted
from newsdesk.store.db import Archive
from newsdesk.store.owned import keep_editors
from newsdesk.store.writer import Existing, Writer, content_hash, existing

log = logging.getLogger(__name__)
BATCH = 1000
AHEAD = timedelta(days=1)  # a publication date further past the fetch is a mistake, not a time zone


@dataclass
class Summary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    deleted: int = 0  # records of articles an editor deleted, skipped (`store.deleted`)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    interrupted: bool = False  # stopped on request: what was analysed is stored, the rest was not read

    @property
    def seen(self) -> int:
        return self.added + self.updated + self.unchanged + self.rejected + self.deleted

    def line(self) -> str:
        stopped = "; interrupted: the rest was not read" if self.interrupted else ""
        skipped = f", skipped {self.deleted} deleted" if self.deleted else ""
        return (f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, "
                f"rejected {self.rejected}{skipped}{stopped}")


def ingest(archive: Archive, items: Iterable[Item], pipeline: Pipeline | None = None,
           on_error: Callable[[InputError], None] | None = None,
           on_batch: Callable[[Summary], None] | None = None, batch: int = BATCH,
           stop: Callable[[], bool] | None = None, restore_deleted: bool = False) -> Summary:
    """Store every record of ``items``; returns the counts.  One transaction per batch.  When ``stop()`` turns
    true (a signal), the articles analysed so far are stored with the stages' state, and the rest is not read.
    A record of an article an editor deleted is skipped (counted in ``deleted``) unless ``restore_deleted``."""
    summary, writer = Summary(), Writer()
    pipeline = pipeline if pipeline is not None else Pipeline()
    stop = stop or (lambda: False)
    with archive.engine.begin() as conn:
        pipeline.load(conn)
    for chunk in _batches(items, batch, summary, on_error):
        _store(archive, chunk, pipeline, writer, summary, on_error, stop, restore_deleted)
        if on_batch:
            on_batch(summary)
        if stop():
            summary.interrupted = True
            break
    log.info("ingest: %s", summary.line())
    return summary


def _batches(items: Iterable[Item], size: int, summary: Summary,
             on_error: Callable[[InputError], None] | None) -> Iterator[list[Article]]:
    """Articles in batches of ``size``.  An id met twice in a batch (one item in a feed twice, a file with a
    repeated record) is stored once, as its later record: the earlier one is reported, so ingesting the file
    again changes nothing."""
    chunk: dict[str, Article] = {}
    for item in items:
        if isinstance(item, InputWarning):  # what a reader could not read of a file, the rest of it read
            _warn(summary, item, on_error)
            continue
        if isinstance(item, InputError):
            _reject(summary, item, on_error)
            continue
        if len(chunk) >= size:
            yield list(chunk.values())
            chunk = {}
        earlier = chunk.pop(item.id, None)  # type: ignore[arg-type]
        if earlier is not None:
            where = f" at {item.origin}" if item.origin else ""
            _reject(summary, InputError(f"id {item.id!r} comes again{where}: the later record is stored",
                                        earlier.origin, "id"), on_error)
        chunk[item.id] = item  # type: ignore[index]
    if chunk:
        yield list(chunk.values())


def _store(archive: Archive, chunk: list[Article], pipeline: Pipeline, writer: Writer, summary: Summary,
           on_error: Callable[[InputError], None] | None, stop: Callable[[], bool], restore_deleted: bool) -> None:
    with archive.engine.begin() as conn:
        chunk = _alive(conn, chunk, summary, restore_deleted)
        known = existing(conn, [a.id for a in chunk])  # type: ignore[misc]
        new: list[Article] = []
        changed: list[tuple[Article, Existing]] = []
        hashes: dict[str, str] = {}  # the source's hash of a record an editor's fields go back into
        restored: set[str] = set()  # threads of records restored from an export: their story rows
        for article in chunk:
            if stop():  # between articles: no stage is half-way through one
                break
            _no_future(article, summary, on_error)
            old = known.get(article.id)  # type: ignore[arg-type]
            if old is not None and not article.editor_fields:  # the source's record; an editor's write is stored
                if old.hash == content_hash(article):
                    summary.unchanged += 1
                    continue
                if old.editor_fields:
                    hashes[article.id] = content_hash(article)  # type: ignore[index]
                    keep_editors(conn, [(article, old)])
            if article.nlp_version and article.thread_id:
                restored.add(article.thread_id)
            if not _enrich(pipeline, article, summary, on_error):
                continue
            (new.append(article) if old is None else changed.append((article, old)))
        writer.write(conn, new, changed, hashes)
        pipeline.save(conn, new + [a for a, _ in changed])
        restore_stories(conn, restored)
    summary.added += len(new)
    summary.updated += len(changed)
    summary.ids.extend(a.id for a in new + [a for a, _ in changed])  # type: ignore[misc]


def restore_stories(conn: Connection, thread_ids: Iterable[str]) -> None:
    """The story rows of threads that records restored from an export name (`export` → `ingest` into a new
    archive): created where missing, then counted from their stored articles (`refresh_story`)."""
    from newsdesk.stages.threading import refresh_story
    from newsdesk.store.stories import THREADS
    from newsdesk.store.writer import insert_ignore

    wanted = sorted(thread_ids)
    if not wanted:
        return
    insert_ignore(conn, THREADS, [{"id": thread_id, "title": "", "size": 0, "sources": 0} for thread_id in wanted])
    for thread_id in wanted:
        refresh_story(conn, thread_id)


def _alive(conn: Connection, chunk: list[Article], summary: Summary, restore: bool) -> list[Article]:
    """The records of ``chunk`` but those of articles an editor deleted (counted), or with ``restore`` all of
    them, their deletion forgotten."""
    if restore:
        deleted.restore(conn, chunk)
        return chunk
    gone = deleted.deleted_ids(conn, chunk)
    summary.deleted += len(gone)
    for article in chunk:
        if article.id in gone:
            log.info("%s: %s was deleted by an editor: skipped", article.origin or article.id, article.id)
    return [a for a in chunk if a.id not in gone]


def _no_future(article: Article, summary: Summary, on_error: Callable[[InputError], None] | None) -> None:
    """A publication date more than a day after the fetch (a mistyped year: «2026-12-29» on a page of
    2025/12/29) would head every list for weeks: it is dropped, and said so; the article is stored undated."""
    published, fetched = article.published_at, article.fetched_at or datetime.now(UTC)
    if published is None or published <= fetched + AHEAD:
        return
    article.published_at = None
    _warn(summary, InputWarning(f"date {published.isoformat()} is after the fetch ({fetched:%Y-%m-%d %H:%M} UTC): "
                                "stored undated", article.origin, "published_at"), on_error)


def _warn(summary: Summary, warning: InputWarning, on_error: Callable[[InputError], None] | None) -> None:
    summary.warnings.append(str(warning))
    if on_error:
        on_error(warning)


def _enrich(pipeline: Pipeline, article: Article, summary: Summary,
            on_error: Callable[[InputError], None] | None) -> bool:
    if article.nlp_version:  # restored from an export: what it learned is kept
        return True
    article.fetched_at = article.fetched_at or datetime.now(UTC)
    try:
        pipeline.enrich(article)
    except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the batch
        log.exception("enrichment failed for %s", article.origin)
        _reject(summary, InputError(f"could not be analysed ({type(exc).__name__}: {exc})", article.origin),
                on_error)
        return False
    return True


def _reject(summary: Summary, error: InputError, on_error: Callable[[InputError], None] | None) -> None:
    summary.rejected += 1
    summary.errors.append(str(error))
    if on_error:
        on_error(error)
