"""Watched sources: adding, listing with their health, removing, and recording each poll.

Health comes from the ``sources`` row (last success, last error with its reason, consecutive
failures, next poll) and the ``source_fetches`` log (items per day, median latency).  The log is
pruned to `KEEP_FETCHES`.  Which feed items already had their article page fetched is kept in
the ``meta`` table under ``watch.seen.<source id>`` (item key → fingerprint of what the feed said).
"""

from __future__ import annotations

import ipaddress
import statistics
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, Table, delete, func, insert, or_, select, update

from newsdesk.errors import InputError, NotFound
from newsdesk.netguard import allow_private_env, is_public
from newsdesk.store.models import FetchRow, MetaRow, SourceRow

SOURCES: Table = SourceRow.__table__  # type: ignore[assignment]
FETCHES: Table = FetchRow.__table__  # type: ignore[assignment]
META: Table = MetaRow.__table__  # type: ignore[assignment]

KINDS = ("auto", "feed", "sitemap", "html")
MIN_INTERVAL, MAX_INTERVAL = 60, 7 * 86400
KEEP_FETCHES = timedelta(days=30)
HEALTH_WINDOW = timedelta(days=7)
LATENCY_SAMPLE = 20  # last successful fetches the median latency is taken over
SEEN_LIMIT = 2000  # item fingerprints remembered per source


class SourceExists(InputError):
    """The URL is already watched (the API answers 409)."""


@dataclass
class Source:
    id: int
    url: str
    name: str
    kind: str = "auto"
    interval_s: int = 900
    lang: str | None = None
    enabled: bool = True
    etag: str | None = None
    last_modified: str | None = None
    created_at: datetime | None = None
    last_polled: datetime | None = None
    next_poll: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    consecutive_failures: int = 0


@dataclass
class SourceHealth(Source):
    items_per_day: float = 0.0
    median_latency_ms: float | None = None
    fetches: int = 0  # polls in the health window
    status: str = "new"  # new, ok, failing, disabled

    def as_dict(self, iso: bool = True) -> dict[str, Any]:
        """The public record (no validators); datetimes as ISO 8601 strings unless ``iso=False``."""
        data = asdict(self)
        data.pop("etag")
        data.pop("last_modified")
        return {k: v.isoformat() if iso and isinstance(v, datetime) else v for k, v in data.items()}


@dataclass
class PollRecord:
    """The outcome of one poll, as stored."""

    at: datetime
    ok: bool
    status: int | None = None
    latency_ms: float | None = None
    items_new: int = 0  # new articles and new revisions
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    next_poll: datetime | None = None
    seen: dict[str, str] = field(default_factory=dict)  # item fingerprints to remember


def validate_url(url: str, private_ok: bool | None = None) -> str:
    """A well-formed http(s) URL whose host, when it is a literal address, is public (unless allowed)."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{url!r} is not an http(s) URL (e.g. https://tengrinews.kz/news.rss)", field="url")
    host = parts.hostname.strip("[]")
    if not (allow_private_env() if private_ok is None else private_ok) and _literal_private(host):
        raise InputError(f"{url!r} points at a non-public address", field="url")
    return url


def _literal_private(host: str) -> bool:
    try:
        return not is_public(ipaddress.ip_address(host))
    except ValueError:
        return False


def _check_fields(kind: str, interval_s: int, lang: str | None, name: str | None) -> None:
    if kind not in KINDS:
        raise InputError(f"kind {kind!r}: choose one of {', '.join(KINDS)}", field="kind")
    if not MIN_INTERVAL <= interval_s <= MAX_INTERVAL:
        raise InputError(f"interval {interval_s} s: use {MIN_INTERVAL}..{MAX_INTERVAL} seconds", field="interval_s")
    if lang is not None and not (lang.isalpha() and 2 <= len(lang) <= 8):
        raise InputError(f"lang {lang!r}: use a language code such as ru or kk", field="lang")
    if name is not None and len(name) > 200:
        raise InputError("name: at most 200 characters", field="name")


def add_source(conn: Connection, url: str, name: str | None = None, interval_s: int = 900,
               lang: str | None = None, kind: str = "auto", now: datetime | None = None,
               private_ok: bool | None = None) -> Source:
    """Watch a new source; its kind is detected at each poll unless given.

    ``private_ok``: `Settings.fetch_allow_private` (default: the environment variable)."""
    url = validate_url(url, private_ok)
    _check_fields(kind, interval_s, lang, name)
    if conn.execute(select(SOURCES.c.id).where(SOURCES.c.url == url)).first():
        raise SourceExists(f"{url} is already watched", field="url")
    values = {"url": url, "name": (name or "").strip() or urlsplit(url).hostname, "kind": kind,
              "interval_s": interval_s, "lang": lang, "enabled": True, "consecutive_failures": 0,
              "created_at": now or datetime.now(UTC)}
    new_id = conn.execute(insert(SOURCES).values(**values).returning(SOURCES.c.id)).scalar_one()
    return get_source(conn, new_id)


def _where(id_or_url: int | str) -> Any:
    text = str(id_or_url).strip()
    return SOURCES.c.id == int(text) if text.isdigit() else SOURCES.c.url == text


def get_source(conn: Connection, id_or_url: int | str) -> Source:
    row = conn.execute(select(SOURCES).where(_where(id_or_url))).mappings().first()
    if row is None:
        raise NotFound(f"no source {str(id_or_url)!r} (see `newsdesk sources list`)")
    return Source(**row)


def remove_source(conn: Connection, id_or_url: int | str) -> Source:
    """Stop watching; its fetch log goes with it, its articles stay."""
    source = get_source(conn, id_or_url)
    conn.execute(delete(FETCHES).where(FETCHES.c.source_id == source.id))
    conn.execute(delete(META).where(META.c.key == seen_key(source.id)))
    conn.execute(delete(SOURCES).where(SOURCES.c.id == source.id))
    return source


def due_sources(conn: Connection, now: datetime, force: bool = False) -> list[Source]:
    """Enabled sources whose next poll time has come (all enabled ones with ``force``)."""
    query = select(SOURCES).where(SOURCES.c.enabled.is_(True)).order_by(SOURCES.c.next_poll.nulls_first(), SOURCES.c.id)
    if not force:
        query = query.where(or_(SOURCES.c.next_poll.is_(None), SOURCES.c.next_poll <= now))
    return [Source(**row) for row in conn.execute(query).mappings()]


def next_due(conn: Connection) -> datetime | None:
    return conn.execute(select(func.min(SOURCES.c.next_poll)).where(SOURCES.c.enabled.is_(True))).scalar()


def record_poll(conn: Connection, source_id: int, poll: PollRecord) -> bool:
    """Store one poll's outcome; False when the source was removed meanwhile."""
    values: dict[str, Any] = {"last_polled": poll.at, "next_poll": poll.next_poll}
    if poll.ok:
        values.update(last_success=poll.at, consecutive_failures=0)
        if poll.etag or poll.last_modified:
            values.update(etag=poll.etag, last_modified=poll.last_modified)
    else:
        values.update(last_error=poll.error, last_error_at=poll.at,
                      consecutive_failures=SOURCES.c.consecutive_failures + 1)
    if not conn.execute(update(SOURCES).where(SOURCES.c.id == source_id).values(**values)).rowcount:
        return False
    conn.execute(insert(FETCHES).values(source_id=source_id, at=poll.at, status=poll.status, ok=poll.ok,
                                        latency_ms=poll.latency_ms, items_new=poll.items_new, error=poll.error))
    conn.execute(delete(FETCHES).where(FETCHES.c.source_id == source_id, FETCHES.c.at < poll.at - KEEP_FETCHES))
    if poll.seen:
        remember_seen(conn, source_id, poll.seen)
    return True


def reschedule(conn: Connection, source_id: int, when: datetime) -> None:
    conn.execute(update(SOURCES).where(SOURCES.c.id == source_id).values(next_poll=when))


def seen_key(source_id: int) -> str:
    return f"watch.seen.{source_id}"


def load_seen(conn: Connection, source_id: int) -> dict[str, str]:
    value = conn.execute(select(META.c.value).where(META.c.key == seen_key(source_id))).scalar()
    return dict(value) if isinstance(value, dict) else {}


def remember_seen(conn: Connection, source_id: int, fresh: dict[str, str]) -> None:
    seen = load_seen(conn, source_id)
    for key, fingerprint in fresh.items():
        seen.pop(key, None)
        seen[key] = fingerprint  # most recent last; the oldest fall off
    seen = dict(list(seen.items())[-SEEN_LIMIT:])
    key = seen_key(source_id)
    if conn.execute(update(META).where(META.c.key == key).values(value=seen)).rowcount == 0:
        conn.execute(insert(META).values(key=key, value=seen))


def list_sources(conn: Connection, now: datetime | None = None) -> list[SourceHealth]:
    """Every source with its health, in id order."""
    now = now or datetime.now(UTC)
    items, counts = _items(conn, now)
    latencies = _latencies(conn, now)
    rows = conn.execute(select(SOURCES).order_by(SOURCES.c.id)).mappings()
    return [_health(Source(**row), now, items.get(row["id"], 0), counts.get(row["id"], 0),
                    latencies.get(row["id"], [])) for row in rows]


def source_health(conn: Connection, id_or_url: int | str, now: datetime | None = None) -> SourceHealth:
    source = get_source(conn, id_or_url)
    return next(h for h in list_sources(conn, now) if h.id == source.id)


def _items(conn: Connection, now: datetime) -> tuple[dict[int, int], dict[int, int]]:
    query = (select(FETCHES.c.source_id, func.sum(FETCHES.c.items_new), func.count())
             .where(FETCHES.c.at >= now - HEALTH_WINDOW).group_by(FETCHES.c.source_id))
    rows = conn.execute(query).all()
    return {r[0]: int(r[1] or 0) for r in rows}, {r[0]: int(r[2]) for r in rows}


def _latencies(conn: Connection, now: datetime) -> dict[int, list[float]]:
    rank = func.row_number().over(partition_by=FETCHES.c.source_id, order_by=FETCHES.c.at.desc()).label("rank")
    recent = (select(FETCHES.c.source_id, FETCHES.c.latency_ms, rank)
              .where(FETCHES.c.ok.is_(True), FETCHES.c.latency_ms.is_not(None),
                     FETCHES.c.at >= now - HEALTH_WINDOW).subquery())
    found: dict[int, list[float]] = {}
    for source_id, latency, _ in conn.execute(select(recent).where(recent.c.rank <= LATENCY_SAMPLE)):
        found.setdefault(source_id, []).append(latency)
    return found


def _health(source: Source, now: datetime, items: int, fetches: int, latencies: list[float]) -> SourceHealth:
    window = min(HEALTH_WINDOW, max(timedelta(days=1), now - (source.created_at or now)))
    health = SourceHealth(**asdict(source))
    health.items_per_day = round(items / (window / timedelta(days=1)), 2)
    health.median_latency_ms = round(statistics.median(latencies), 1) if latencies else None
    health.fetches = fetches
    health.status = ("disabled" if not source.enabled else "new" if source.last_polled is None
                     else "failing" if source.consecutive_failures else "ok")
    return health
