"""Editor writes from the API: create, update and delete articles.

Creates and updates go through the same path as ingestion (``article_from_dict`` validates,
``ingest`` enriches and stores in one transaction), so an API article is stored exactly like an
ingested one, an update keeps the earlier revision, and nothing is ever half-written.  An editor's
new or changed tags then teach the archive's tag model at once (`stages.tagging.learn`).

The fields an editor sets are the editor's (``articles.editor_fields``): the source's later records of the
article bring their new text but not over them (`store.owned`).  A deleted article is remembered
(`store.deleted`), so its source does not bring it back.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, select, update

from newsdesk import search
from newsdesk.errors import InputError, NotFound
from newsdesk.ingest import ingest
from newsdesk.pipeline import Pipeline
from newsdesk.records import ARTICLE, Article, Origin
from newsdesk.sources.fields import article_from_dict
from newsdesk.stages import tagging
from newsdesk.stages.threading import refresh_story
from newsdesk.store import deleted
from newsdesk.store.audit import forget_removed
from newsdesk.store.db import Archive
from newsdesk.store.modelstore import model_info, update_meta
from newsdesk.store.queries import get_article
from newsdesk.store.writer import ARTICLE_TAGS, ARTICLES

log = logging.getLogger(__name__)
ORIGIN = Origin("api")
EDITABLE = ("kind", "url", "source", "author", "title", "lead", "text", "published_at", "lang", "rubric",
            "section", "tags", "rejected_tags")
STORY_FIELDS = ("thread_id", "title", "lang", "rubric", "source", "published_at", "duplicate_of")  # a story row reads


class Conflict(InputError):
    """The article already exists (a create with a taken id)."""


def create_article(archive: Archive, data: dict[str, Any], pipeline: Pipeline | None = None) -> dict[str, Any]:
    """Validate and store a new article; returns it as stored.  Raises InputError (with the field)."""
    article = article_from_dict(data, ORIGIN)
    article.editor_fields = {name for name in EDITABLE if data.get(name) not in (None, "", [])}
    if article.published_at is None:  # an editor's article is out when it is saved: undated, no list would show it
        article.published_at = article.fetched_at or datetime.now(UTC)
    with archive.engine.connect() as conn:
        same = None if data.get("id") or not article.url else conn.scalar(
            select(ARTICLES.c.id).where(ARTICLES.c.url == article.url).order_by(ARTICLES.c.id).limit(1))
        if same is not None:  # its URL is what identifies a record without an id (`fields._record_id`)
            raise Conflict(f"the article at {article.url!r} exists with id {same!r}; update it with PATCH",
                           ORIGIN, "url")
        if conn.scalar(select(ARTICLES.c.id).where(ARTICLES.c.id == article.id)) is not None:
            raise Conflict(f"an article with id {article.id!r} exists; update it with PATCH", ORIGIN, "id")
    stored = _store(archive, article, pipeline, restore=True)  # an editor may bring a deleted article back
    _learn_tags(archive, article, [])
    return stored


def update_article(archive: Archive, article_id: str, changes: dict[str, Any],
                   pipeline: Pipeline | None = None) -> dict[str, Any]:
    """Apply ``changes`` (any of EDITABLE) to a stored article; the earlier version is kept as a revision.
    The fields ``changes`` names become the editor's: the source's later records do not overwrite them."""
    with archive.engine.connect() as conn:
        current = get_article(conn, article_id)
    if current is None:
        raise NotFound(f"no article with id {article_id!r}")
    owned = set(current["editor_fields"]) | (set(changes) & set(EDITABLE))
    if not _differs(current, changes):
        return _claim(archive, current, owned)
    merged = {**editable_fields(current), **changes, "id": article_id, "fetched_at": current["fetched_at"]}
    article = article_from_dict(merged, ORIGIN)
    article.editor_fields = owned
    if "lang" in owned and "lang" not in changes and current.get("lang"):  # the editor's language, kept
        article.lang = current["lang"]
    if "tags" in changes and "rejected_tags" not in changes:  # a tag the editor took away is not offered back
        kept = {t.casefold() for t in article.editor_tags}
        dropped = [t for t in current["editor_tags"] if t.casefold() not in kept]
        article.rejected_tags = list(dict.fromkeys([*article.rejected_tags, *dropped]))
        if dropped:
            article.editor_fields = owned | {"rejected_tags"}
    _learn_tags(archive, article, current["editor_tags"])  # first: the article is tagged by the model that learnt it
    stored = _store(archive, article, pipeline)
    if any(stored.get(k) != current.get(k) for k in STORY_FIELDS):
        with archive.engine.begin() as conn:  # its stories' rows, also when a story left the threading window
            for thread_id in dict.fromkeys([current.get("thread_id"), stored.get("thread_id")]):
                refresh_story(conn, thread_id)
    if stored["editor_tags"] != current["editor_tags"]:
        with archive.engine.begin() as conn:
            forget_removed(conn, article_id, stored["editor_tags"])
    return stored


def editable_fields(article: dict[str, Any]) -> dict[str, Any]:
    """What the input said about a stored article, in the JSON-lines field names."""
    fields = {name: article.get(name) for name in EDITABLE if name not in ("tags", "rubric", "lang")}
    fields["tags"] = list(article["editor_tags"])
    fields["rejected_tags"] = list(article.get("rejected_tags") or [])
    if article.get("rubric") and article.get("rubric_confidence") is None:  # given, not inferred
        fields["rubric"] = article["rubric"]
    return fields


def _differs(current: dict[str, Any], changes: dict[str, Any]) -> set[str]:
    """The fields ``changes`` gives a new value (a rubric the engine inferred is new when the editor gives it)."""
    before = {name: current.get(name) for name in EDITABLE} | editable_fields(current)
    if current.get("rubric_confidence") is not None:
        before["rubric"] = None
    return {name for name, value in changes.items() if name in EDITABLE and value != before.get(name)}


def _claim(archive: Archive, current: dict[str, Any], owned: set[str]) -> dict[str, Any]:
    """A save that changes no value still makes its fields the editor's."""
    if owned != set(current["editor_fields"]):
        with archive.engine.begin() as conn:
            conn.execute(update(ARTICLES).where(ARTICLES.c.id == current["id"])
                         .values(editor_fields=sorted(owned)))
    return {**current, "editor_fields": sorted(owned)}


def delete_article(archive: Archive, article_id: str, remember: bool = True) -> None:
    """Delete an article with its tags, entities and revisions; records that pointed at it as their
    original (``duplicate_of``) stop doing so, and its flags leave the stored audit.  ``remember``: its id
    and URL are kept (`store.deleted`), so its source does not bring it back; a tagged article deleted
    counts as a change of the tag model's archive (`newsdesk train --if-stale`)."""
    with archive.engine.begin() as conn:
        row = conn.execute(select(ARTICLES.c.id, ARTICLES.c.url, ARTICLES.c.source, ARTICLES.c.title,
                                  ARTICLES.c.kind, ARTICLES.c.thread_id).where(ARTICLES.c.id == article_id)).first()
        if row is None:
            raise NotFound(f"no article with id {article_id!r}")
        tagged = conn.scalar(select(ARTICLE_TAGS.c.article_id).where(
            ARTICLE_TAGS.c.article_id == article_id, ARTICLE_TAGS.c.origin == "editor").limit(1)) is not None
        conn.execute(delete(ARTICLES).where(ARTICLES.c.id == article_id))
        conn.execute(update(ARTICLES).where(ARTICLES.c.duplicate_of == article_id).values(duplicate_of=None))
        search.remove(conn, [article_id])  # out of the search index in the same transaction
        refresh_story(conn, row.thread_id)
        forget_removed(conn, article_id, [])  # every flag of it
        if remember:
            deleted.remember(conn, row)
        if tagged and row.kind == ARTICLE:
            _count_change(conn)
    log.info("deleted article %s", article_id)


def _count_change(conn: Connection) -> None:
    """One more change since the tag model was trained (`stages.tagging.TagModelAge.editor_saves`)."""
    info = model_info(conn, tagging.MODEL)
    if info is not None:
        meta = info["meta"] or {}
        update_meta(conn, tagging.MODEL, {"editor_updates": int(meta.get("editor_updates", 0)) + 1})


def _learn_tags(archive: Archive, article: Article, before: list[str]) -> None:
    if article.editor_tags and set(article.editor_tags) != set(before):
        with archive.engine.begin() as conn:
            if tagging.learn(conn, article):
                log.info("tag model learnt the tags of %s", article.id)


def _store(archive: Archive, article: Any, pipeline: Pipeline | None, restore: bool = False) -> dict[str, Any]:
    summary = ingest(archive, [article], pipeline, restore_deleted=restore)
    if summary.rejected:
        raise InputError(summary.errors[0].removeprefix(f"{ORIGIN}: "), ORIGIN)
    with archive.engine.connect() as conn:
        stored = get_article(conn, article.id)
    if stored is None:  # pragma: no cover - ingest stored it or raised
        raise NotFound(f"article {article.id!r} was not stored")
    return stored
