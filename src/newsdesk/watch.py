"""Watching sources: each polled at its interval, failing ones backing off, results stored.

Concurrency: a pool of fetch threads plus one writer (the calling thread).  The work is mostly
waiting on the network; the CPU-bound parts (feed parsing, page extraction, the NLP stages) hold
the GIL whichever model we pick, and the machine has 2 cores, so asyncio would only move the same
parsing onto an executor.  Threads keep httpx, feedparser, trafilatura and SQLAlchemy in their
plain synchronous form.  Sources are grouped by origin into *lanes*: one thread polls one host's
sources in turn, which is what "one connection per host" means in practice; `polite.HostGates`
enforces it (and the per-host delay) for every request, article pages on other hosts included.

One writer: polls travel through a bounded queue to the calling thread, which runs ingestion
(the NLP pipeline is used from that thread only) and records the polls.  The polls that are ready
(up to ``group``; one when the writer keeps up, more when it is the bottleneck) are ingested in
one call and one transaction, so the stages load their archive state once per group rather than
once per source; then the source rows (validators, health, schedule) are written in a second
transaction.  A stop between the two leaves the validators unadvanced, so the next poll fetches
the same items again and ingestion (idempotent) finds them unchanged.  Nothing is half-stored.

Stopping (`Watcher.stop()`, which the CLI calls on SIGTERM/SIGINT): no new polls start, waits and
body reads in flight end with `Abandoned` (at the latest after the read timeout), abandoned polls
store nothing, finished polls already queued are stored.
"""

from __future__ import annotations

import logging
import queue
import random
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from newsdesk.errors import InputWarning
from newsdesk.fetch import Abandoned, Fetcher, FetchOptions
from newsdesk.ingest import Summary, ingest
from newsdesk.pipeline import Pipeline
from newsdesk.polite import origin_of
from newsdesk.poll import Poll, PollOptions, over_stored, poll_source
from newsdesk.sources import Item
from newsdesk.store.db import Archive
from newsdesk.store.queries import stored_pages
from newsdesk.store.sources import PollRecord, Source, due_sources, load_seen, record_poll, reschedule

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WatchOptions:
    workers: int = 8  # fetch threads (each serves one host at a time)
    tick: float = 10.0  # seconds between schedule checks in continuous mode
    backoff_cap: float = 6 * 3600.0  # longest pause of a failing source, seconds
    jitter: float = 0.1  # +-10 % on every next-poll time, so sources don't poll in lockstep
    deferred_retry: float = 300.0  # seconds before a source whose host was busy is tried again
    group: int = 50  # polls stored per ingestion (one transaction; the NLP stages load their state once per call)
    poll: PollOptions = field(default_factory=PollOptions)
    fetch: FetchOptions = field(default_factory=FetchOptions)


@dataclass
class WatchReport:
    polls: int = 0
    ok: int = 0
    failed: int = 0
    not_modified: int = 0
    deferred: int = 0
    pages: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    deleted: int = 0  # items of articles an editor deleted, skipped

    def line(self) -> str:
        skipped = f", skipped {self.deleted} deleted" if self.deleted else ""
        return (f"polled {self.polls} sources: {self.ok} ok ({self.not_modified} not modified), "
                f"{self.failed} failed, {self.deferred} deferred; {self.pages} pages fetched; "
                f"articles added {self.added}, updated {self.updated}, unchanged {self.unchanged}, "
                f"rejected {self.rejected}{skipped}")


@dataclass(frozen=True)
class _LaneDone:
    origin: str


def next_poll(source: Source, ok: bool, now: datetime, options: WatchOptions) -> datetime:
    """The interval after a success; after failures, the interval doubled per failure, capped."""
    seconds = float(source.interval_s)
    if not ok:
        seconds = min(options.backoff_cap, seconds * 2 ** min(source.consecutive_failures + 1, 30))
    return now + timedelta(seconds=seconds * random.uniform(1 - options.jitter, 1 + options.jitter))


class Watcher:
    """Polls the archive's sources.  `run_once` for one pass, `run` until `stop`."""

    def __init__(self, archive: Archive, options: WatchOptions | None = None,
                 pipeline: Pipeline | None = None, fetcher: Fetcher | None = None) -> None:
        self.archive = archive
        self.options = options or WatchOptions()
        self.pipeline = pipeline if pipeline is not None else Pipeline()
        self.fetcher = fetcher or Fetcher(self.options.fetch)
        self.stopping = self.fetcher.stop  # one event ends waits, body reads and the schedule
        self.report = WatchReport()
        self._results: queue.Queue[Poll | _LaneDone] = queue.Queue(
            maxsize=max(2 * self.options.workers, self.options.group))
        self._running: set[str] = set()

    def stop(self) -> None:
        """Ask the watcher to stop (safe from a signal handler or another thread)."""
        self.stopping.set()

    def close(self) -> None:
        self.fetcher.close()

    def run_once(self, force: bool = False) -> WatchReport:
        """One pass over the sources that are due (every enabled source with ``force``)."""
        with ThreadPoolExecutor(self.options.workers, thread_name_prefix="watch") as pool:
            self._start_due(pool, force)
            while self._running:
                self._handle(self._results.get())
        return self.report

    def run(self) -> WatchReport:
        """Poll each source at its interval until `stop` is called; then finish cleanly."""
        with ThreadPoolExecutor(self.options.workers, thread_name_prefix="watch") as pool:
            while not self.stopping.is_set():
                self._start_due(pool, force=False)
                self._drain_for(self.options.tick)
            while self._running:
                self._handle(self._results.get())
        return self.report

    def _drain_for(self, seconds: float) -> None:
        deadline = datetime.now(UTC) + timedelta(seconds=seconds)
        while not self.stopping.is_set() and (left := (deadline - datetime.now(UTC)).total_seconds()) > 0:
            try:
                self._handle(self._results.get(timeout=min(left, 0.5)))
            except queue.Empty:
                continue

    def _start_due(self, pool: ThreadPoolExecutor, force: bool) -> None:
        with self.archive.engine.connect() as conn:
            due = due_sources(conn, datetime.now(UTC), force)
        lanes: dict[str, list[Source]] = defaultdict(list)
        for source in due:
            lanes[origin_of(source.url)].append(source)
        for origin, sources in lanes.items():
            if origin not in self._running and not self.stopping.is_set():
                self._running.add(origin)
                pool.submit(self._lane, origin, sources)

    def _lane(self, origin: str, sources: list[Source]) -> None:
        try:
            for source in sources:
                if self.stopping.is_set():
                    break
                poll = self._poll(source)
                if poll is None:
                    break
                self._results.put(poll)
        finally:
            self._results.put(_LaneDone(origin))

    def _poll(self, source: Source) -> Poll | None:
        now = datetime.now(UTC)
        try:
            with self.archive.engine.connect() as conn:
                seen = load_seen(conn, source.id)
            return poll_source(self.fetcher, source, seen, self.options.poll, now)
        except Abandoned:
            log.info("%s: abandoned (stopping)", source.url)
            return None
        except Exception as exc:  # noqa: BLE001 - one source's bug must not stop the others
            log.exception("%s: poll crashed", source.url)
            return Poll(source, now).fail(RuntimeError(f"internal error: {type(exc).__name__}: {exc}"))

    def _handle(self, first: Poll | _LaneDone) -> None:
        """Store ``first`` with whatever else is ready (up to ``group`` polls), then release finished lanes."""
        items = [first]
        while len(items) < self.options.group:
            try:
                items.append(self._results.get_nowait())
            except queue.Empty:
                break
        polls = [item for item in items if isinstance(item, Poll)]
        if polls:
            try:
                self._store(polls)
            except Exception:  # noqa: BLE001 - the archive failed for these polls; the next ones may succeed
                log.exception("could not store %d polls (%s, …)", len(polls), polls[0].source.url)
        for item in items:  # after their polls: a lane's host is free once everything it fetched is stored
            if isinstance(item, _LaneDone):
                self._running.discard(item.origin)

    def _store(self, polls: list[Poll]) -> None:
        """The polls' articles in one ingestion (one transaction), then every source row in another."""
        self._keep_full_texts(polls)
        summary = self._ingest([poll for poll in polls if poll.ok and not poll.deferred])
        stored = set(summary.ids)
        with self.archive.engine.begin() as conn:
            for poll in polls:
                if poll.deferred:
                    when = poll.at + timedelta(seconds=min(poll.source.interval_s, self.options.deferred_retry))
                    reschedule(conn, poll.source.id, when)
                else:
                    record_poll(conn, poll.source.id, self._record(poll, stored))
        self._count(polls, summary)

    def _keep_full_texts(self, polls: list[Poll]) -> None:
        """A page that failed stands in for an article stored with more text than the feed's summary: the
        stored text stays, with what the feed changed on it, and the page is tried again next poll."""
        wanted = [key for poll in polls for key in poll.summaries]
        if not wanted:
            return
        with self.archive.engine.connect() as conn:
            stored = stored_pages(conn, wanted)
        for poll in polls:
            for i, article in enumerate(poll.articles):
                entry, page = poll.summaries.get(article.id or ""), stored.get(article.id or "")
                if entry is None or page is None or len(page.body) <= len(article.body):
                    continue
                poll.articles[i] = over_stored(page, entry)
                poll.seen.pop(entry.key, None)
                poll.retry = True
                log.info("%s: page not fetched, its stored text kept", entry.link.url)

    def _record(self, poll: Poll, stored: set[str]) -> PollRecord:
        items = sum(article.id in stored for article in poll.articles)
        held = poll.source if poll.retry else poll  # a page to try again: the feed is to be read in full
        etag, modified = held.etag, held.last_modified
        return PollRecord(poll.at, poll.ok, poll.status, poll.latency_ms, items, poll.error, etag,
                          modified, next_poll(poll.source, poll.ok, poll.at, self.options), poll.seen)

    def _ingest(self, polls: list[Poll]) -> Summary:
        latest = {article.id: article for poll in polls for article in poll.articles}  # one batch
        items: list[Item] = [*latest.values(), *(error for poll in polls for error in poll.rejected)]
        if not items:
            return Summary()
        return ingest(self.archive, items, self.pipeline, on_error=_log_rejected, batch=len(items) + 1)

    def _count(self, polls: list[Poll], summary: Summary) -> None:
        report = self.report
        for poll in polls:
            report.polls += 1
            report.pages += poll.pages
            report.deferred += poll.deferred
            report.ok += poll.ok and not poll.deferred
            report.failed += not poll.ok
            report.not_modified += poll.status == 304
            if not poll.ok:
                log.warning("%s: %s", poll.source.url, poll.error)
        report.added += summary.added
        report.updated += summary.updated
        report.unchanged += summary.unchanged
        report.rejected += summary.rejected
        report.deleted += summary.deleted


def _log_rejected(error: Exception) -> None:
    log.info("%s %s", "warning" if isinstance(error, InputWarning) else "rejected", error)
