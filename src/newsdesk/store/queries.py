"""Reading the archive: full article objects (everything the engine learned) for export, API and pages."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from newsdesk.records import Article, Entity, TagScore
from newsdesk.store.writer import ARTICLE_ENTITIES, ARTICLE_TAGS, ARTICLES, ENTITIES, TAGS

PAGE = 500


def article_dicts(conn: Connection, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Full article objects for ``ids``, in that order (unknown ids are left out)."""
    rows = {r.id: r for r in conn.execute(select(ARTICLES).where(ARTICLES.c.id.in_(list(ids))))}
    tags = _tags(conn, list(rows))
    entities = _entities(conn, list(rows))
    return [_article(rows[i], tags.get(i, {}), entities.get(i, [])) for i in ids if i in rows]


def get_article(conn: Connection, article_id: str) -> dict[str, Any] | None:
    found = article_dicts(conn, [article_id])
    return found[0] if found else None


def export(conn: Connection) -> Iterator[dict[str, Any]]:
    """Every article, ordered by id, streamed a page at a time."""
    last = ""
    while True:
        ids = list(conn.scalars(select(ARTICLES.c.id).where(ARTICLES.c.id > last)
                                .order_by(ARTICLES.c.id).limit(PAGE)))
        if not ids:
            return
        yield from article_dicts(conn, ids)
        last = ids[-1]


def count_articles(conn: Connection) -> int:
    return conn.scalar(select(func.count()).select_from(ARTICLES)) or 0


def to_record(data: dict[str, Any]) -> Article:
    """An article dict back into a record (for stages that re-run over stored articles)."""
    return Article(
        id=data["id"], kind=data["kind"], url=data["url"], source=data["source"], author=data["author"],
        title=data["title"], lead=data["lead"], paragraphs=[p for p in data["text"].split("\n\n") if p],
        published_at=data["published_at"], lang=data["lang"], rubric=data["rubric"],
        rubric_confidence=data["rubric_confidence"], editor_tags=list(data["editor_tags"]),
        rejected_tags=list(data.get("rejected_tags") or []), tags=list(data["tags"]), tag_kinds=dict(data["tag_kinds"]),
        auto_tags=[TagScore(t["tag"], t["confidence"] or 0.0, data["tag_kinds"].get(t["tag"], "topic"))
                   for t in data["auto_tags"]],
        suggested_tags=[TagScore(t["tag"], t["confidence"]) for t in data["suggested_tags"]],
        entities=[Entity(e["name"], e["type"], e["mentions"], e["slug"], kazakh_name=e.get("kazakh_name"))
                  for e in data["entities"]],
        thread_id=data["thread_id"], duplicate_of=data["duplicate_of"], nlp_version=data["nlp_version"],
        section=data.get("section"),
    )


def stored_pages(conn: Connection, ids: Sequence[str]) -> dict[str, Article]:
    """What the input said about the stored ones of ``ids`` (text, title, dates, editor's tags), as records
    for the pipeline to analyse again: none of what the engine learned is carried over."""
    found: dict[str, Article] = {}
    for start in range(0, len(ids), PAGE):
        for data in article_dicts(conn, ids[start:start + PAGE]):
            found[data["id"]] = Article(
                id=data["id"], kind=data["kind"], url=data["url"], source=data["source"], author=data["author"],
                title=data["title"], lead=data["lead"], paragraphs=[p for p in data["text"].split("\n\n") if p],
                published_at=data["published_at"], editor_tags=list(data["editor_tags"]),
                rejected_tags=list(data.get("rejected_tags") or []), section=data.get("section"))
    return found


def _tags(conn: Connection, ids: list[str]) -> dict[str, dict[str, list[Any]]]:
    rows = conn.execute(
        select(ARTICLE_TAGS.c.article_id, ARTICLE_TAGS.c.origin, ARTICLE_TAGS.c.confidence, ARTICLE_TAGS.c.position,
               TAGS.c.name,
               TAGS.c.slug, TAGS.c.kind)
        .join(TAGS, TAGS.c.id == ARTICLE_TAGS.c.tag_id)
        .where(ARTICLE_TAGS.c.article_id.in_(ids))
        .order_by(ARTICLE_TAGS.c.article_id, ARTICLE_TAGS.c.position))
    found: dict[str, dict[str, list[Any]]] = {}
    for r in rows:
        found.setdefault(r.article_id, {}).setdefault(r.origin, []).append(r)
    return found


def _entities(conn: Connection, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    rows = conn.execute(
        select(ARTICLE_ENTITIES.c.article_id, ARTICLE_ENTITIES.c.mentions, ENTITIES.c.name, ENTITIES.c.type,
               ENTITIES.c.slug, ENTITIES.c.kazakh_name)
        .join(ENTITIES, ENTITIES.c.id == ARTICLE_ENTITIES.c.entity_id)
        .where(ARTICLE_ENTITIES.c.article_id.in_(ids))
        .order_by(ARTICLE_ENTITIES.c.article_id, ARTICLE_ENTITIES.c.mentions.desc(), ENTITIES.c.name))
    found: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        found.setdefault(r.article_id, []).append(
            {"name": r.name, "type": r.type, "mentions": r.mentions, "slug": r.slug, "kazakh_name": r.kazakh_name})
    return found


def _article(row: Any, tags: dict[str, list[Any]], entities: list[dict[str, Any]]) -> dict[str, Any]:
    applied = final_order(tags)
    return {
        "id": row.id, "kind": row.kind, "url": row.url, "source": row.source, "author": row.author,
        "title": row.title, "lead": row.lead, "text": row.body,
        "published_at": row.published_at, "fetched_at": row.fetched_at,
        "lang": row.lang, "rubric": row.rubric, "rubric_confidence": row.rubric_confidence,
        "tags": [t.name for t in applied],
        "tag_slugs": [t.slug for t in applied],
        "tag_kinds": {t.name: t.kind for t in applied},
        "editor_tags": [t.name for t in tags.get("editor", [])],
        "rejected_tags": [t.name for t in tags.get("rejected", [])],
        "auto_tags": [{"tag": t.name, "confidence": t.confidence} for t in _engine_only(tags, "auto")],
        "suggested_tags": [{"tag": t.name, "confidence": t.confidence} for t in _engine_only(tags, "suggested")],
        "entities": entities,
        "thread_id": row.thread_id, "duplicate_of": row.duplicate_of,
        "content_hash": row.content_hash, "revision": row.revision, "nlp_version": row.nlp_version,
        "updated_at": row.updated_at, "section": (row.extra or {}).get("section"),
        "editor_fields": list(row.editor_fields or []),
    }


def final_order(tags: dict[str, list[Any]]) -> list[Any]:
    """Editor and applied engine tags in their stored final positions, primary first, each tag once.
    Editor tags the engine left out of the final order sit at positions from 1000 on."""
    rows = [t for t in tags.get("editor", []) + tags.get("auto", []) if t.position < 1000]
    first: dict[str, Any] = {}
    for row in sorted(rows, key=lambda t: t.position):
        first.setdefault(row.slug, row)
    return list(first.values())


def _engine_only(tags: dict[str, list[Any]], origin: str) -> list[Any]:
    """The engine's tags of ``origin`` that are not the editor's too (archives stored before the tag stage
    told «Sputnik» from the editor's «спутник» by their slug hold both rows)."""
    editor = {t.slug for t in tags.get("editor", [])}
    return [t for t in tags.get(origin, []) if t.slug not in editor]
