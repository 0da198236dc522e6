"""Merging an outlet's tag variants into one tag (`newsdesk merge-tags`, `POST /api/v1/tags/merge`).

`tag_variants` finds tags spelled several ways («театр», «театры»); an editor decides which spelling
stays.  A merge moves every article's variant tag (editor, engine or suggestion) to the kept tag in one
transaction, an article that had both keeps one, the variants' pages redirect to the kept tag's, the
stored variant groups forget the merged ones, and articles that come later with a variant are stored
under the kept tag (`Writer.tag_ids`).  The tag model and the audit learnt the old spellings:
`newsdesk train` teaches them the merged vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, and_, delete, exists, func, select, update
from sqlalchemy.orm import aliased

from newsdesk import gazetteer
from newsdesk.errors import InputError, NotFound
from newsdesk.store.audit import VARIANTS_KEY, rename_tags, stored_variants
from newsdesk.store.meta import get_meta, set_meta
from newsdesk.store.writer import ARTICLE_TAGS, TAG_MOVES, TAGS, Writer


@dataclass(frozen=True, slots=True)
class Merged:
    into: str  # the kept tag's name
    slug: str
    merged: tuple[str, ...]  # the variants' names, as stored
    articles: int  # articles whose tags changed (the engine's tags and suggestions included)
    edited: int  # of them, articles whose editor tags changed


def merge_tags(conn: Connection, variants: list[str], into: str) -> Merged:
    """Move every article's ``variants`` tags to ``into`` (created when the archive has no such tag)."""
    keep = gazetteer.tag_slug(into)
    slug_of = {v: gazetteer.tag_slug(v) for v in variants}
    slugs = list(dict.fromkeys(s for s in slug_of.values() if s != keep))
    if keep and not slugs and slug_of:
        return _rename(conn, keep, into.strip())
    if not keep or not slugs:
        raise InputError("name the tags to merge and a different tag to keep", field="tags")
    rows = {r.slug: r for r in conn.execute(select(TAGS.c.id, TAGS.c.slug, TAGS.c.name, TAGS.c.kind)
                                            .where(TAGS.c.slug.in_(slugs)))}
    missing = [v for v, s in slug_of.items() if s in slugs and s not in rows]
    if missing:
        raise NotFound(f"no tag {missing[0]!r} in the archive")
    kept = conn.execute(select(TAGS.c.id, TAGS.c.name).where(TAGS.c.slug == keep)).first()
    if kept is None:
        kind = rows[slugs[0]].kind
        kept_id = Writer().tag_ids(conn, {into.strip(): kind}, follow_moves=False)[into.strip()]
        kept_name = into.strip()
    else:
        kept_id, kept_name = kept.id, kept.name
    gone = [rows[s].id for s in slugs]
    count = select(func.count(func.distinct(ARTICLE_TAGS.c.article_id))).where(ARTICLE_TAGS.c.tag_id.in_(gone))
    changed = conn.scalar(count) or 0
    edited = conn.scalar(count.where(ARTICLE_TAGS.c.origin == "editor")) or 0
    _move(conn, gone, kept_id)
    conn.execute(delete(TAGS).where(TAGS.c.id.in_(gone)))
    moves = get_meta(conn, TAG_MOVES) or {}
    moves = {old: (keep if new in slugs else new) for old, new in moves.items() if old != keep}  # kept: no move
    moves |= dict.fromkeys(slugs, keep)
    set_meta(conn, TAG_MOVES, moves)
    names = {rows[s].name.casefold() for s in slugs}
    rename_tags(conn, dict.fromkeys(names, kept_name))
    set_meta(conn, VARIANTS_KEY, [g for g in stored_variants(conn)
                                  if not names & {t["tag"].casefold() for t in g["tags"]}])
    return Merged(kept_name, keep, tuple(rows[s].name for s in slugs), int(changed), int(edited))


def _rename(conn: Connection, slug: str, name: str) -> Merged:
    """A tag spelled otherwise under the same slug («Погода» → «погода»): its name changes, its page stays."""
    row = conn.execute(select(TAGS.c.id, TAGS.c.name).where(TAGS.c.slug == slug)).first()
    if row is None:
        raise NotFound(f"no tag {name!r} in the archive")
    if row.name == name:
        raise InputError("name the tags to merge and a different tag to keep", field="tags")
    conn.execute(update(TAGS).where(TAGS.c.id == row.id).values(name=name))
    rename_tags(conn, {row.name.casefold(): name})
    count = select(func.count(func.distinct(ARTICLE_TAGS.c.article_id))).where(ARTICLE_TAGS.c.tag_id == row.id)
    edited = conn.scalar(count.where(ARTICLE_TAGS.c.origin == "editor")) or 0
    return Merged(name, slug, (row.name,), int(conn.scalar(count) or 0), int(edited))


def _move(conn: Connection, gone: list[int], kept: int) -> None:
    """Rows of the ``gone`` tags become rows of ``kept``; where the article has ``kept`` already (same
    origin), the row goes; an editor's ``kept`` on an article leaves no engine row of it."""
    t, other = ARTICLE_TAGS, aliased(ARTICLE_TAGS)
    has = exists().where(other.c.article_id == t.c.article_id, other.c.tag_id == kept, other.c.origin == t.c.origin)
    for tag_id in gone:  # one variant at a time: two variants on one article cannot both become `kept`
        conn.execute(update(t).where(t.c.tag_id == tag_id, ~has).values(tag_id=kept))
        conn.execute(delete(t).where(t.c.tag_id == tag_id))
    editor = exists().where(other.c.article_id == t.c.article_id, other.c.tag_id == kept, other.c.origin == "editor")
    conn.execute(delete(t).where(and_(t.c.tag_id == kept, t.c.origin != "editor", editor)))


def moved_tag(conn: Connection, slug: str) -> str | None:
    """The slug a merged tag's page moved to (`merge_tags`), or None."""
    return (get_meta(conn, TAG_MOVES) or {}).get(slug)
