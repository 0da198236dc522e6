"""Lists for the site and the API: filtered feeds with cursor pagination, headline cards, tags with
counts, rubric/source/language listings, «Ещё новости» and «Главные темы».

Order is always newest first and stable: ``published_at DESC, id DESC``; undated records (headlines
from page dumps) come after every dated one, ordered by id.  A cursor is the (published_at, id) of
the last item shown, so a page never repeats or skips items when new ones arrive.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Select, and_, bindparam, func, or_, select

from newsdesk import gazetteer
from newsdesk.related import Candidate, rerank
from newsdesk.store.audit import stored_audit
from newsdesk.store.vectors import vectors_by_id
from newsdesk.store.writer import ARTICLE_ENTITIES, ARTICLE_TAGS, ARTICLES, ENTITIES, TAGS

APPLIED = ("editor", "auto")  # tag origins that are on the article (suggested ones are not)
FINAL = 1000  # positions from here on are editor tags the engine left out of the final order
TRENDING_WINDOW = timedelta(hours=48)
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Filter:
    """What a list shows; every field is optional and they combine with AND."""

    tag: str | None = None  # tag slug
    rubric: str | None = None
    lang: str | None = None
    source: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    kind: str | None = None
    entity: str | None = None  # entity slug
    copies: bool = False  # also list copies (``duplicate_of`` set); feeds show a story once


@dataclass(frozen=True, slots=True)
class Cursor:
    published_at: datetime | None
    id: str


class BadCursor(ValueError):
    """A cursor that this code did not hand out."""


def encode_cursor(cursor: Cursor) -> str:
    at = cursor.published_at.isoformat() if cursor.published_at else None
    raw = json.dumps([at, cursor.id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str) -> Cursor:
    try:
        at, ident = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        when = datetime.fromisoformat(at) if at is not None else None
    except (ValueError, TypeError, binascii.Error) as exc:
        raise BadCursor(f"not a cursor this site gave out: {text[:40]!r}") from exc
    if not isinstance(ident, str) or (when is not None and when.tzinfo is None):
        raise BadCursor(f"not a cursor this site gave out: {text[:40]!r}")
    return Cursor(when, ident)


def page_url(article_id: str) -> str:
    """Path of an article's page on this site."""
    return "/article/" + quote(article_id, safe="")


# --- feeds -----------------------------------------------------------------------------------------

def tag_id(conn: Connection, slug: str) -> int | None:
    return conn.scalar(select(TAGS.c.id).where(TAGS.c.slug == slug))


def page_ids(conn: Connection, flt: Filter, limit: int, cursor: Cursor | None = None) -> tuple[list[str], str | None]:
    """Ids of one page of ``flt`` after ``cursor`` (newest first) and the cursor of the next page."""
    params = {k: v for k, v in _fields(flt).items() if v is not None}
    shape = frozenset(params) | (frozenset() if flt.copies else ORIGINALS)
    rows: list[Any] = []
    if cursor is None or cursor.published_at is not None:
        at = {"at": cursor.published_at, "after": cursor.id} if cursor is not None else {}
        rows = list(conn.execute(_statement(shape, "dated", bool(at)), {**params, **at, "n": limit + 1}))
    if len(rows) <= limit and flt.since is None and flt.until is None:
        after = {"after": cursor.id} if cursor is not None and cursor.published_at is None else {}
        rows += list(conn.execute(_statement(shape, "undated", bool(after)),
                                  {**params, **after, "n": limit + 1 - len(rows)}))
    more = len(rows) > limit
    rows = rows[:limit]
    nxt = encode_cursor(Cursor(rows[-1].published_at, rows[-1].id)) if more else None
    return [r.id for r in rows], nxt


ORIGINALS = frozenset({"originals"})  # shape marker: leave copies out


def _fields(flt: Filter) -> dict[str, Any]:
    return {"rubric": flt.rubric, "lang": flt.lang, "source": flt.source, "kind": flt.kind, "since": flt.since,
            "until": flt.until, "tag": flt.tag, "entity": flt.entity}


@lru_cache(maxsize=512)
def _statement(shape: frozenset[str], segment: str, after: bool) -> Select[Any]:
    """The query for one combination of filters, built once (values are bound at execution)."""
    cols, t, e = ARTICLES.c, ARTICLE_TAGS.c, ARTICLE_ENTITIES.c
    query = select(cols.id, cols.published_at)
    for name in ("rubric", "lang", "source", "kind"):
        if name in shape:
            query = query.where(cols[name] == bindparam(name))
    if "since" in shape:
        query = query.where(cols.published_at >= bindparam("since", type_=cols.published_at.type))
    if "until" in shape:
        query = query.where(cols.published_at < bindparam("until", type_=cols.published_at.type))
    if "tag" in shape:
        query = query.where(cols.id.in_(
            select(t.article_id).join(TAGS, TAGS.c.id == t.tag_id)
            .where(TAGS.c.slug == bindparam("tag"), t.origin.in_(APPLIED), t.position < FINAL)))
    if "originals" in shape:
        query = query.where(cols.duplicate_of.is_(None))
    if "entity" in shape:
        query = query.where(cols.id.in_(
            select(e.article_id).join(ENTITIES, ENTITIES.c.id == e.entity_id)
            .where(ENTITIES.c.slug == bindparam("entity"))))
    return _dated(query, after) if segment == "dated" else _undated(query, after)


def _dated(query: Select[Any], after: bool) -> Select[Any]:
    cols = ARTICLES.c
    query = query.where(cols.published_at.is_not(None))
    if after:
        at = bindparam("at", type_=cols.published_at.type)
        query = query.where(or_(cols.published_at < at, and_(cols.published_at == at, cols.id < bindparam("after"))))
    return query.order_by(cols.published_at.desc(), cols.id.desc()).limit(bindparam("n"))


def _undated(query: Select[Any], after: bool) -> Select[Any]:
    cols = ARTICLES.c
    query = query.where(cols.published_at.is_(None))
    if after:
        query = query.where(cols.id < bindparam("after"))
    return query.order_by(cols.id.desc()).limit(bindparam("n"))


# --- headline cards --------------------------------------------------------------------------------

_CARD_COLUMNS = ("id", "kind", "url", "source", "title", "lead", "published_at", "lang", "rubric", "thread_id",
                 "duplicate_of")
_CARDS = select(*(ARTICLES.c[name] for name in _CARD_COLUMNS)).where(
    ARTICLES.c.id.in_(bindparam("ids", expanding=True)))
_APPLIED = (select(ARTICLE_TAGS.c.article_id, TAGS.c.name, TAGS.c.slug, TAGS.c.kind)
            .join(TAGS, TAGS.c.id == ARTICLE_TAGS.c.tag_id)
            .where(ARTICLE_TAGS.c.article_id.in_(bindparam("ids", expanding=True)),
                   ARTICLE_TAGS.c.origin.in_(APPLIED), ARTICLE_TAGS.c.position < FINAL)
            .order_by(ARTICLE_TAGS.c.article_id, ARTICLE_TAGS.c.position))


def cards(conn: Connection, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Light article objects for feed cards (no body), in the order of ``ids``; two queries."""
    if not ids:
        return []
    rows = {r.id: r for r in conn.execute(_CARDS, {"ids": list(ids)})}
    tags = applied_tags(conn, list(rows))
    people = kazakh_people(conn, {t["slug"] for i, r in rows.items() if r.lang == "kk" for t in tags.get(i, [])})
    return [card(rows[i], tags.get(i, []), people) for i in ids if i in rows]


def kazakh_people(conn: Connection, slugs: set[str]) -> dict[str, str]:
    """{slug: Kazakh spelling} of the people among ``slugs`` (a tag shares its person's slug) the archive met
    in Kazakh text."""
    if not slugs:
        return {}
    found = conn.execute(select(ENTITIES.c.slug, ENTITIES.c.kazakh_name)
                         .where(ENTITIES.c.slug.in_(list(slugs)), ENTITIES.c.kazakh_name.is_not(None)))
    return {r.slug: r.kazakh_name for r in found}


def card(row: Any, tags: list[dict[str, str]], people: dict[str, str] | None = None) -> dict[str, Any]:
    if row.lang == "kk":  # a place or a person reads in Kazakh on a Kazakh article's card
        tags = [{**t, "name": (people or {}).get(t["slug"]) or gazetteer.tag_label(t["name"], "kk")} for t in tags]
    return {
        "id": row.id, "kind": row.kind, "title": row.title, "lead": row.lead, "url": row.url,
        "source": row.source, "published_at": row.published_at, "lang": row.lang, "rubric": row.rubric,
        "thread_id": row.thread_id, "duplicate_of": row.duplicate_of,
        "page_url": page_url(row.id), "link": link_of(row.kind, row.id, row.url),
        "primary_tag": tags[0] if tags else None, "tags": tags,
    }


def link_of(kind: str, article_id: str, url: str | None) -> str | None:
    """Where a card leads: the article page, or a headline's original URL (none when it has none)."""
    if kind == "headline":
        return url if url and url.startswith(("http://", "https://")) else None
    return page_url(article_id)


def applied_tags(conn: Connection, ids: list[str]) -> dict[str, list[dict[str, str]]]:
    """Final tags (primary first) of each article: {id: [{name, slug, kind}]}."""
    found: dict[str, list[dict[str, str]]] = {}
    for r in conn.execute(_APPLIED, {"ids": ids}):
        found.setdefault(r.article_id, []).append({"name": r.name, "slug": r.slug, "kind": r.kind})
    return found


# --- tags and facets -------------------------------------------------------------------------------

def tag_info(conn: Connection, slug: str) -> dict[str, Any] | None:
    """A tag some article carries, with how many do; None for one only suggested, or no longer used."""
    row = conn.execute(select(TAGS.c.id, TAGS.c.slug, TAGS.c.name, TAGS.c.kind).where(TAGS.c.slug == slug)).first()
    if row is None:
        return None
    t = ARTICLE_TAGS.c
    count = conn.scalar(select(func.count()).select_from(ARTICLE_TAGS)
                        .where(t.tag_id == row.id, t.origin.in_(APPLIED), t.position < FINAL))
    return {"slug": row.slug, "name": row.name, "kind": row.kind, "count": count} if count else None


def tags_with_counts(conn: Connection, limit: int, offset: int = 0, kind: str | None = None) -> list[dict[str, Any]]:
    """Tags by how many articles carry them (most first, then by slug); ``limit`` rows from ``offset``."""
    t = ARTICLE_TAGS.c
    count = func.count(t.article_id).label("count")
    query = (select(TAGS.c.slug, TAGS.c.name, TAGS.c.kind, count)
             .join(ARTICLE_TAGS, t.tag_id == TAGS.c.id)
             .where(t.origin.in_(APPLIED), t.position < FINAL)
             .group_by(TAGS.c.id, TAGS.c.slug, TAGS.c.name, TAGS.c.kind)
             .order_by(count.desc(), TAGS.c.slug).limit(limit).offset(offset))
    if kind is not None:
        query = query.where(TAGS.c.kind == kind)
    return [dict(r._mapping) for r in conn.execute(query)]


def facet(conn: Connection, column: str) -> list[dict[str, Any]]:
    """Values of ``rubric``, ``source`` or ``lang`` with their article counts, most first."""
    col = ARTICLES.c[column]
    count = func.count().label("count")
    rows = conn.execute(select(col.label("name"), count).where(col.is_not(None))
                        .group_by(col).order_by(count.desc(), col))
    return [{"name": r.name, "count": r.count} for r in rows]


def newest_published(conn: Connection) -> datetime | None:
    return conn.scalar(select(func.max(ARTICLES.c.published_at)))


# --- «Главные темы» and «Ещё новости» --------------------------------------------------------------

def trending_tags(conn: Connection, now: datetime, limit: int) -> list[dict[str, Any]]:
    """The most frequent final tags of articles published in the 48 hours up to ``now``."""
    t, a = ARTICLE_TAGS.c, ARTICLES.c
    count = func.count(func.distinct(t.article_id)).label("count")
    rows = conn.execute(
        select(TAGS.c.slug, TAGS.c.name, TAGS.c.kind, count)
        .select_from(ARTICLES.join(ARTICLE_TAGS, t.article_id == a.id).join(TAGS, TAGS.c.id == t.tag_id))
        .where(a.published_at > now - TRENDING_WINDOW, a.published_at <= now,
               t.origin.in_(APPLIED), t.position < FINAL)
        .group_by(TAGS.c.id, TAGS.c.slug, TAGS.c.name, TAGS.c.kind)
        .order_by(count.desc(), TAGS.c.slug).limit(limit))
    return [dict(r._mapping) for r in rows]


def trending_now(conn: Connection, limit: int, now: datetime | None = None) -> list[dict[str, Any]]:
    """Trending tags of the last 48 hours, or of the archive's last 48 hours when nothing is that recent."""
    now = now or datetime.now(UTC)
    found = trending_tags(conn, now, limit)
    newest = newest_published(conn) if not found else None
    return trending_tags(conn, newest, limit) if newest is not None and newest < now else found


POOL = 12  # latest articles taken per shared tag or entity
Latest = Callable[[Connection, "Filter", int], list[str]]


def latest_ids(conn: Connection, flt: Filter, size: int) -> list[str]:
    return page_ids(conn, flt, size)[0]


def related_for(conn: Connection, article: dict[str, Any], limit: int,
                latest: Latest = latest_ids) -> list[dict[str, Any]]:
    """«Ещё новости» for ``article`` (a dict from ``article_dicts``): cards of the latest articles
    sharing its tags or entities (those sharing more first), then the latest of all; never the
    article itself and never two copies of one story (same id, ``duplicate_of``, ``thread_id`` or
    title).  ``latest(conn, filter, n)`` gives the newest ids of a filter (the site passes a cached
    one).  The pooled candidates are ordered by `related.rerank`: content (the stored dense vectors' cosine,
    across languages too), tag and entity overlap and time; a tag the audit says does not fit its article
    links nothing (a weather forecast wrongly tagged «АЭС» is not related news of the plant)."""
    flagged = stored_audit(conn).pairs
    tag_names = dict(zip(article.get("tag_slugs") or [], article.get("tags") or [], strict=False))
    fitting = [slug for slug, name in tag_names.items() if (article["id"], name) not in flagged]
    pools = [latest(conn, Filter(tag=slug), POOL) for slug in fitting[:4]]
    pools += [latest(conn, Filter(entity=e["slug"]), POOL) for e in (article.get("entities") or [])[:3]]
    pooled = _rank(pools)
    candidates = pooled[:RERANK]
    tags = applied_tags(conn, candidates) if candidates else {}  # read once: the rerank's and the cards'
    ranked = _rerank(conn, article, candidates, tags, flagged) + pooled[RERANK:] + latest(conn, Filter(), limit + POOL)
    rows = _distinct_stories(conn, article, ranked, limit)
    read = set(candidates)
    unread = [r.id for r in rows if r.id not in read]
    tags |= applied_tags(conn, unread) if unread else {}
    people = kazakh_people(conn, {t["slug"] for r in rows if r.lang == "kk" for t in tags.get(r.id, [])})
    return [card(r, tags.get(r.id, []), people) for r in rows]


RERANK = 48  # pooled candidates ordered by content, overlap and time


def _rerank(conn: Connection, article: dict[str, Any], ids: list[str], applied: dict[str, list[dict[str, str]]],
            flagged: frozenset[tuple[str, str]]) -> list[str]:
    """``ids`` in `related.rerank`'s order; ``applied`` holds their final tags (`applied_tags`)."""
    if not ids:
        return ids
    tags = {i: frozenset(t["name"].casefold() for t in found if (i, t["name"]) not in flagged)
            for i, found in applied.items()}
    e = ARTICLE_ENTITIES.c
    entities: dict[str, set[str]] = {}
    for mention in conn.execute(select(e.article_id, ENTITIES.c.slug).join(ENTITIES, ENTITIES.c.id == e.entity_id)
                                .where(e.article_id.in_(ids))):
        entities.setdefault(mention.article_id, set()).add(mention.slug)
    times: dict[str, Any] = {}
    langs: dict[str, str | None] = {}
    a = ARTICLES.c
    for r in conn.execute(select(a.id, a.published_at, a.lang).where(a.id.in_(ids))):
        times[r.id], langs[r.id] = r.published_at, r.lang
    vectors = vectors_by_id(conn, [article["id"], *ids])
    own = Candidate(article["id"], frozenset(t.casefold() for t in article.get("tags") or []
                                             if (article["id"], t) not in flagged),
                    frozenset(x["slug"] for x in article.get("entities") or []),
                    article.get("published_at"), vectors.get(article["id"]), article.get("lang"))
    return rerank(own, [Candidate(i, tags.get(i, frozenset()), frozenset(entities.get(i, ())), times.get(i),
                                  vectors.get(i), langs.get(i)) for i in ids],
                  tag_weights=_specificity(conn, article.get("tags") or []))


COUNTS_TTL = 600.0  # seconds a tag's article count is reused: specificity need not be exact, page views many
_counts: dict[tuple[str, str], tuple[float, int]] = {}  # (archive url, tag name) -> (expires, articles)
_ALL = "\0all articles"  # the key of the archive's article count


def _specificity(conn: Connection, names: list[str]) -> dict[str, float]:
    """``log(articles / articles with the tag)`` by casefolded tag name: rare tags say more.  Counts are
    cached per archive for `COUNTS_TTL` (a common tag's count is a scan of its postings)."""
    if not names:
        return {}
    archive, now = str(conn.engine.url), time.monotonic()
    known = {n: hit[1] for n in [*names, _ALL] if (hit := _counts.get((archive, n))) and hit[0] > now}
    fetched: dict[str, int] = {}
    missing = [n for n in names if n not in known]
    if missing:
        t = ARTICLE_TAGS.c
        found: dict[str, int] = dict(conn.execute(select(TAGS.c.name, func.count(func.distinct(t.article_id)))
                                  .join(ARTICLE_TAGS, t.tag_id == TAGS.c.id)
                                  .where(TAGS.c.name.in_(missing), t.origin.in_(APPLIED)).group_by(TAGS.c.name)).all())
        fetched |= {n: int(found.get(n, 0)) for n in missing}
    if _ALL not in known:
        fetched[_ALL] = conn.scalar(select(func.count()).select_from(ARTICLES)) or 0
    if len(_counts) > 10_000:
        _counts.clear()
    _counts.update(((archive, n), (now + COUNTS_TTL, c)) for n, c in fetched.items())  # expiry set once
    counts = known | fetched
    return {n.casefold(): math.log((counts[_ALL] + 1) / (counts[n] + 1)) + 0.1 for n in names}


def _rank(pools: list[list[str]]) -> list[str]:
    """Ids by how many pools hold them, then by their best (newest) place in a pool."""
    score: dict[str, tuple[int, int]] = {}
    for pool in pools:
        for place, ident in enumerate(pool):
            hits, best = score.get(ident, (0, place))
            score[ident] = (hits + 1, min(best, place))
    return sorted(score, key=lambda i: (-score[i][0], score[i][1]))


def _distinct_stories(conn: Connection, article: dict[str, Any], ranked: list[str], limit: int) -> list[Any]:
    """Card rows of the first ``limit`` of ``ranked`` that are neither ``article`` nor a copy of one
    picked before; rows are read a chunk at a time, as far as needed."""
    wanted = list(dict.fromkeys(i for i in ranked if i != article["id"]))
    seen: set[str] = _story_keys(article)
    picked: list[Any] = []
    for start in range(0, len(wanted), 2 * limit):
        chunk = wanted[start:start + 2 * limit]
        rows = {r.id: r for r in conn.execute(_CARDS, {"ids": chunk})}
        for ident in (i for i in chunk if i in rows):
            keys = _story_keys(rows[ident]._mapping)
            if not keys & seen:
                picked.append(rows[ident])
                seen |= keys
                if len(picked) == limit:
                    return picked
    return picked


def _story_keys(item: Mapping[Any, Any]) -> set[str]:
    keys = {"id:" + item["id"], "title:" + _title_key(item.get("title") or "")}
    keys |= {"id:" + v for v in (item.get("duplicate_of"),) if v}
    keys |= {"thread:" + v for v in (item.get("thread_id"),) if v}
    return keys


def _title_key(title: str) -> str:
    """«Акимат: серьёзных…» and «Акимат: серьезных…» are one headline."""
    return " ".join(_WORDS.findall(title.casefold().replace("ё", "е")))
