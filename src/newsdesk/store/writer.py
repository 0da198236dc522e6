"""Writing articles: new ones inserted, changed ones updated in place with their old revision kept,
unchanged ones left alone.  Bulk statements, one transaction per batch."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from newsdesk import gazetteer
from newsdesk.kazakh import has_kazakh_letters
from newsdesk.records import Article
from newsdesk.slug import slugify
from newsdesk.store.meta import get_meta
from newsdesk.store.models import (
    ArticleEntityRow,
    ArticleRow,
    ArticleTagRow,
    EntityRow,
    RevisionRow,
    TagRow,
)
from newsdesk.tag_variants import word_key

ARTICLES: Table = ArticleRow.__table__  # type: ignore[assignment]
TAGS: Table = TagRow.__table__  # type: ignore[assignment]
ARTICLE_TAGS: Table = ArticleTagRow.__table__  # type: ignore[assignment]
ENTITIES: Table = EntityRow.__table__  # type: ignore[assignment]
ARTICLE_ENTITIES: Table = ArticleEntityRow.__table__  # type: ignore[assignment]
REVISIONS: Table = RevisionRow.__table__  # type: ignore[assignment]
CHUNK = 500  # ids per IN (...) lookup
TAG_MOVES = "tag_moves"  # meta: {merged tag's slug: the kept tag's slug} (`tagmerge`)


def content_hash(article: Article) -> str:
    """Hash of what the input said (not what the engine learned): decides unchanged vs updated."""
    parts = [article.kind, article.url, article.source, article.author, article.title, article.lead,
             article.body, article.published_at.isoformat() if article.published_at else None,
             article.editor_tags]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


@dataclass
class Existing:
    hash: str  # of what the source said last (an editor's write keeps it: `Writer.write`)
    revision: int
    editor_fields: frozenset[str] = frozenset()  # the fields an editor set


def existing(conn: Connection, ids: Sequence[str]) -> dict[str, Existing]:
    found: dict[str, Existing] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        rows = conn.execute(select(ARTICLES.c.id, ARTICLES.c.content_hash, ARTICLES.c.revision,
                                   ARTICLES.c.editor_fields).where(ARTICLES.c.id.in_(chunk)))
        found.update((r.id, Existing(r.content_hash, r.revision, frozenset(r.editor_fields or ()))) for r in rows)
    return found


def stored_hash(article: Article, old: Existing | None, source_hash: str | None = None) -> str:
    """The hash an article is stored with: the source record's (``source_hash``, taken before the editor's
    fields were put back into it), and through an editor's own write the source's hash it had, so the
    source's next unchanged record is unchanged and a changed one is an update."""
    if source_hash is not None:
        return source_hash
    if old is not None and article.editor_fields:
        return old.hash
    return content_hash(article)


def insert_ignore(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT … ON CONFLICT DO NOTHING on either dialect."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(table).on_conflict_do_nothing(), rows)


class Writer:
    """Persists batches of articles; caches tag and entity ids across batches."""

    def __init__(self) -> None:
        self._tag_ids: dict[str, int] = {}
        self._entity_ids: dict[str, int] = {}
        self._kinds: set[tuple[str, str]] = set()
        self._russian: set[tuple[str, str]] = set()  # (table, slug) stored under a Russian spelling
        self._kazakh: set[str] = set()  # entity slugs whose Kazakh spelling is stored
        self._same: dict[tuple[str, ...], tuple[str, str]] | None = None  # `same_words` key → (slug, name)

    def write(self, conn: Connection, new: list[Article], changed: list[tuple[Article, Existing]],
              hashes: dict[str, str] | None = None) -> None:
        """Insert ``new``, update ``changed`` (keeping their old revision); ``hashes``: the source records'
        hashes of articles an editor's fields were put back into (`stored_hash`)."""
        now, hashes = datetime.now(UTC), hashes or {}
        if new:
            conn.execute(ARTICLES.insert(), [_row(a, content_hash(a), 1, now) for a in new])
        if changed:
            self._save_revisions(conn, [a.id for a, _ in changed], now)  # type: ignore[misc]
            self._update(conn, changed, now, hashes)
        every = new + [a for a, _ in changed]
        self.write_tags(conn, every)
        self.write_entities(conn, every)

    def _update(self, conn: Connection, changed: list[tuple[Article, Existing]], now: datetime,
                hashes: dict[str, str]) -> None:
        ids = [a.id for a, _ in changed]
        conn.execute(delete(ARTICLE_TAGS).where(ARTICLE_TAGS.c.article_id.in_(ids)))
        conn.execute(delete(ARTICLE_ENTITIES).where(ARTICLE_ENTITIES.c.article_id.in_(ids)))
        for article, old in changed:
            row = _row(article, stored_hash(article, old, hashes.get(article.id or "")), old.revision + 1, now)
            del row["id"]
            conn.execute(update(ARTICLES).where(ARTICLES.c.id == article.id).values(**row))

    def _save_revisions(self, conn: Connection, ids: list[str], now: datetime) -> None:
        cols = ARTICLES.c
        rows = conn.execute(select(cols.id, cols.revision, cols.title, cols.lead, cols.body, cols.url,
                                   cols.published_at, cols.content_hash).where(cols.id.in_(ids))).all()
        tags = _editor_tags(conn, ids)
        conn.execute(REVISIONS.insert(), [
            {"article_id": r.id, "revision": r.revision, "title": r.title, "lead": r.lead, "body": r.body,
             "url": r.url, "published_at": r.published_at, "content_hash": r.content_hash,
             "editor_tags": tags.get(r.id, []), "saved_at": now} for r in rows])

    def write_tags(self, conn: Connection, articles: Iterable[Article]) -> None:
        articles = list(articles)
        kinds: dict[str, str] = {}
        for a in articles:  # a kind the engine found (place, person…) over «topic», whichever article says it
            for name in _all_tags(a):
                if kinds.get(name, "topic") == "topic":
                    kinds[name] = a.tag_kinds.get(name, "topic")
        ids = self.tag_ids(conn, kinds)
        rows = [row for a in articles for row in _tag_rows(a, ids)]
        insert_ignore(conn, ARTICLE_TAGS, rows)

    def tag_ids(self, conn: Connection, kinds: dict[str, str], follow_moves: bool = True) -> dict[str, int]:
        """Ids of tags by name, creating the missing ones (name → kind); names sharing a slug share a
        tag, and so do a place's Russian and Kazakh names (stored under the Russian one).  A tag an editor
        merged into another (`tagmerge`) is that other tag, so a feed that brings the old spelling back
        does not recreate it; the moves are read on every call, as a merge may come from another process."""
        canonical = {name: gazetteer.canonical_tag(name) for name in kinds}
        slugs = {name: slugify(canonical[name]) or "tag" for name in kinds}
        if follow_moves:  # (a merge asks for the kept tag by its own name: `tagmerge`)
            moves: dict[str, str] = get_meta(conn, TAG_MOVES) or {}
            for slug in moves:  # a merge deleted those rows: ids cached before it are stale
                self._tag_ids.pop(slug, None)
            slugs = {name: moves.get(slug, slug) for name, slug in slugs.items()}
            slugs = self._same_words(conn, slugs, canonical, moves)
        missing = _russian_first((slug, canonical[name]) for name, slug in slugs.items() if slug not in self._tag_ids)
        if missing:
            kind_of = {canonical[name]: kind for name, kind in kinds.items()}
            insert_ignore(conn, TAGS, [{"slug": s, "name": n, "kind": kind_of[n]} for s, n in missing.items()])
            wanted = list(missing)
            for start in range(0, len(wanted), CHUNK):
                rows = conn.execute(select(TAGS.c.slug, TAGS.c.id).where(TAGS.c.slug.in_(wanted[start:start + CHUNK])))
                self._tag_ids.update((r.slug, r.id) for r in rows)
        self._upgrade_kinds(conn, {slugs[name]: kind for name, kind in kinds.items() if kind != "topic"})
        people = ((slugs[name], canonical[name]) for name, kind in kinds.items() if kind == "person")
        self._russian_names(conn, TAGS, _russian_first(people))
        return {name: self._tag_ids[slug] for name, slug in slugs.items()}

    def _same_words(self, conn: Connection, slugs: dict[str, str], canonical: dict[str, str],
                    moves: dict[str, str]) -> dict[str, str]:
        """A tag of several words is the stored tag of the same words in another order, case or alphabet
        («Куандык Бишимбаев» is «Бишимбаев Куандык», «Қасым-Жомарт Тоқаев» is «Токаев Касым-Жомарт»), or
        with the soft signs a Kazakh spelling leaves out («Доналд Трамп»: «Дональд Трамп», the Russian
        spelling, then names it).  Its slug would differ, and one person would have several tag pages."""
        if self._same is None:
            self._same = _same_words_table(conn)
        out = dict(slugs)
        for name, slug in slugs.items():
            key = same_words(canonical[name])
            if key is None:
                continue
            known = self._same.setdefault(key, (slug, canonical[name]))
            out[name] = moves.get(known[0], known[0])
            if _softer(canonical[name], known[1]):
                conn.execute(update(TAGS).where(TAGS.c.slug == out[name]).values(name=canonical[name]))
                self._same[key] = (known[0], canonical[name])
        return out

    def _russian_names(self, conn: Connection, table: Table, names: dict[str, str]) -> None:
        """A person first met in a Kazakh text is stored under the Kazakh spelling («Әділ Сәрсенбаев»);
        the Russian one («Адиль Сарсенбаев»), once met, replaces it, as a place is stored under its Russian
        name.  Pages name a person's tag and entity alike: a Russian article's tag list no longer reads
        «Әділ Сәрсенбаев» above «Люди: Адиль Сарсенбаев»."""
        wanted = {slug: name for slug, name in names.items()
                  if (table.name, slug) not in self._russian and not has_kazakh_letters(name)}
        if not wanted:
            return
        stored = conn.execute(select(table.c.slug, table.c.name).where(table.c.slug.in_(list(wanted))))
        for row in stored:
            if has_kazakh_letters(row.name):
                conn.execute(update(table).where(table.c.slug == row.slug).values(name=wanted[row.slug]))
            self._russian.add((table.name, row.slug))

    def _kazakh_names(self, conn: Connection, names: dict[str, str]) -> None:
        """Keep a person's Kazakh spelling (``entities.kazakh_name``, the first met) for Kazakh pages."""
        wanted = {slug: name for slug, name in names.items() if slug and slug not in self._kazakh}
        for slug, name in wanted.items():
            conn.execute(update(ENTITIES).where(ENTITIES.c.slug == slug, ENTITIES.c.kazakh_name.is_(None))
                         .values(kazakh_name=name))
            self._kazakh.add(slug)

    def _upgrade_kinds(self, conn: Connection, kinds: dict[str, str]) -> None:
        """A tag first seen as a plain topic takes the specific kind (place, person…) the engine found."""
        for slug, kind in kinds.items():
            if (slug, kind) not in self._kinds:
                conn.execute(update(TAGS).where(TAGS.c.slug == slug, TAGS.c.kind == "topic").values(kind=kind))
                self._kinds.add((slug, kind))

    def write_entities(self, conn: Connection, articles: list[Article]) -> None:
        wanted = {(e.slug or slugify(e.name)): (e.name, e.type, e.kazakh_name) for a in articles for e in a.entities}
        missing = [s for s in wanted if s and s not in self._entity_ids]
        if missing:
            insert_ignore(conn, ENTITIES, [{"slug": s, "name": wanted[s][0], "type": wanted[s][1],
                                            "kazakh_name": _kazakh_spelling(*wanted[s][:2]) or wanted[s][2]}
                                           for s in missing])
            for start in range(0, len(missing), CHUNK):
                found = conn.execute(select(ENTITIES.c.slug, ENTITIES.c.id)
                                     .where(ENTITIES.c.slug.in_(missing[start:start + CHUNK])))
                self._entity_ids.update((r.slug, r.id) for r in found)
        people = ((e.slug or slugify(e.name), e.name) for a in articles for e in a.entities if e.type == "PER")
        self._russian_names(conn, ENTITIES, _russian_first(people))
        self._kazakh_names(conn, {(e.slug or slugify(e.name)): name for a in articles for e in a.entities
                                  if (name := _kazakh_spelling(e.name, e.type) or e.kazakh_name)})
        rows: dict[tuple[str | None, int], dict[str, Any]] = {}
        for a in articles:
            for e in a.entities:
                entity_id = self._entity_ids.get(e.slug or slugify(e.name))
                if entity_id is not None:
                    key = (a.id, entity_id)
                    if key in rows:
                        rows[key]["mentions"] += e.mentions
                    else:
                        rows[key] = {"article_id": a.id, "entity_id": entity_id, "mentions": e.mentions}
        insert_ignore(conn, ARTICLE_ENTITIES, list(rows.values()))


def _kazakh_spelling(name: str, type_: str) -> str | None:
    return name if type_ == "PER" and has_kazakh_letters(name) else None


_SOFT = str.maketrans("", "", "ьъЬЪ")
# archive URL → (tags counted, largest tag id, `same_words` key → (slug, name)): read once per process and
# archive, then only the tags added since (4.5 µs a tag: 0.45 s for 100,000 tags on every API save otherwise)
_SAME_WORDS: dict[str, tuple[int, int, dict[tuple[str, ...], tuple[str, str]]]] = {}


def _same_words_table(conn: Connection) -> dict[tuple[str, ...], tuple[str, str]]:
    """The archive's tags of several words by `same_words` key, the oldest tag of each key first."""
    url = str(conn.engine.url)
    count, top = conn.execute(select(func.count(), func.max(TAGS.c.id)).select_from(TAGS)).one()
    count, top = int(count or 0), int(top or 0)
    seen, last, table = _SAME_WORDS.get(url, (0, 0, {}))
    if top < last or count < seen:  # tags merged away, or another archive at this address: read them all again
        seen, last, table = 0, 0, {}
    rows = conn.execute(select(TAGS.c.slug, TAGS.c.name).where(TAGS.c.id > last).order_by(TAGS.c.id))
    for r in rows:
        if (key := same_words(r.name)) is not None:
            table.setdefault(key, (r.slug, r.name))
    _SAME_WORDS[url] = (count, top, table)
    return table


def same_words(tag: str) -> tuple[str, ...] | None:
    """What makes two tags of two or more words one tag: the words, case, «ё», Kazakh letters, soft signs and
    order aside; None for a tag of one word (its slug decides)."""
    key = word_key(tag.translate(_SOFT))
    return key if len(key) > 1 else None


def _softer(new: str, stored: str) -> bool:
    """``new`` is the Russian spelling of ``stored``: it has the soft signs the Kazakh one leaves out."""
    return (not has_kazakh_letters(new) and not has_kazakh_letters(stored)
            and sum(new.count(c) for c in "ьъ") > sum(stored.count(c) for c in "ьъ"))


def _russian_first(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """{slug: name}, a name in Russian letters winning over a Kazakh spelling of the same slug."""
    out: dict[str, str] = {}
    for slug, name in pairs:
        if slug and (slug not in out or has_kazakh_letters(out[slug])):
            out[slug] = name
    return out


def final_tags(article: Article) -> list[str]:
    """Final tag order: what the tag stage chose, else editor tags then applied engine tags."""
    if article.tags:
        return article.tags
    editor = {t.casefold() for t in article.editor_tags}
    return article.editor_tags + [s.tag for s in article.auto_tags if s.tag.casefold() not in editor]


def _all_tags(article: Article) -> list[str]:
    return final_tags(article) + article.editor_tags + [s.tag for s in article.suggested_tags] + article.rejected_tags


def _tag_rows(article: Article, ids: dict[str, int]) -> list[dict[str, Any]]:
    order = {name.casefold(): i for i, name in enumerate(final_tags(article))}
    editor = {t.casefold() for t in article.editor_tags}
    confidence = {s.tag.casefold(): s.confidence for s in article.auto_tags}
    rows = [{"article_id": article.id, "tag_id": ids[name], "origin": "editor" if name.casefold() in editor else "auto",
             "position": order[name.casefold()], "confidence": confidence.get(name.casefold())}
            for name in final_tags(article)]
    rows += [{"article_id": article.id, "tag_id": ids[t], "origin": "editor", "position": 1000 + i, "confidence": None}
             for i, t in enumerate(article.editor_tags) if t.casefold() not in order]
    rows += [{"article_id": article.id, "tag_id": ids[s.tag], "origin": "suggested", "position": i,
              "confidence": s.confidence} for i, s in enumerate(article.suggested_tags)]
    rows += [{"article_id": article.id, "tag_id": ids[t], "origin": "rejected", "position": 2000 + i,
              "confidence": None} for i, t in enumerate(article.rejected_tags)]
    return _unique(rows)


_ORIGIN_RANK = {"editor": 0, "rejected": 1, "auto": 2, "suggested": 3}


def _unique(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per article and tag: two names of one tag («Бишимбаев Куандык», «Куандык Бишимбаев») or an
    engine tag the editor gave too are the editor's tag, a tag the editor took off is off, an applied tag is
    no suggestion as well."""
    seen: dict[tuple[Any, Any], dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: _ORIGIN_RANK.get(r["origin"], 3)):
        seen.setdefault((row["article_id"], row["tag_id"]), row)
    return list(seen.values())


def _editor_tags(conn: Connection, ids: list[str]) -> dict[str, list[str]]:
    rows = conn.execute(select(ARTICLE_TAGS.c.article_id, TAGS.c.name)
                        .join(TAGS, TAGS.c.id == ARTICLE_TAGS.c.tag_id)
                        .where(ARTICLE_TAGS.c.article_id.in_(ids), ARTICLE_TAGS.c.origin == "editor")
                        .order_by(ARTICLE_TAGS.c.article_id, ARTICLE_TAGS.c.position))
    found: dict[str, list[str]] = {}
    for r in rows:
        found.setdefault(r.article_id, []).append(r.name)
    return found


def _row(a: Article, digest: str, revision: int, now: datetime) -> dict[str, Any]:
    return {
        "id": a.id, "kind": a.kind, "url": a.url, "source": a.source, "author": a.author,
        "title": a.title, "lead": a.lead, "body": a.body, "published_at": a.published_at,
        "fetched_at": a.fetched_at or now, "updated_at": now, "lang": a.lang, "rubric": a.rubric,
        "rubric_confidence": a.rubric_confidence, "thread_id": a.thread_id, "duplicate_of": a.duplicate_of,
        "content_hash": digest, "revision": revision, "nlp_version": a.nlp_version,
        "editor_fields": sorted(a.editor_fields) or None,
        "extra": {k: v for k, v in (("tag_kinds", a.tag_kinds), ("section", a.section)) if v} or None,
    }
