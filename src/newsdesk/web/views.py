"""What each page shows, as plain data: the HTML page and its JSON twin are built from these dicts.
Handlers in ``routes/`` only translate HTTP to these calls."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection

from newsdesk import gazetteer, institutions
from newsdesk.errors import NotFound
from newsdesk.store import listing, stories, tagmerge
from newsdesk.store.listing import Filter, decode_cursor
from newsdesk.store.queries import get_article
from newsdesk.web.cache import Memo
from newsdesk.web.i18n import LANGS, RUBRICS, Msg
from newsdesk.web.render import tag_labels

TRENDING = 10
RELATED = 12
STORIES = 6


def feed_page(conn: Connection, flt: Filter, size: int, after: str | None) -> dict[str, Any]:
    cursor = decode_cursor(after) if after else None
    ids, nxt = listing.page_ids(conn, flt, size, cursor)
    return {"items": listing.cards(conn, ids), "next_cursor": nxt, "is_first": cursor is None}


def trending(conn: Connection, memo: Memo | None = None) -> list[dict[str, Any]]:
    """«Главные темы»: tags bursting over their own baseline (marked ↑, with the ``usual`` count of their
    ``window_hours``), topped up with the most used recent ones (of the last 48 hours); every pill shows its count
    and says in its tooltip what it counts (``render.trend_hint``)."""
    def compute() -> list[dict[str, Any]]:
        bursts = [{"name": t["tag"], "slug": t["slug"], "count": t["count"], "rising": True,
                   "window_hours": t["window_hours"], "usual": t["expected"]}
                  for t in stories.trending_tags(conn, limit=TRENDING)]
        common = [{**t, "window_hours": 48} for t in listing.trending_now(conn, TRENDING)]
        first: dict[str, dict[str, Any]] = {}
        for t in bursts + common:  # one pill a tag: a burst (the strongest window first) before a plain count
            first.setdefault(t["slug"], t)
        return list(first.values())[:TRENDING]

    return compute() if memo is None else memo.get(("trending", TRENDING), compute)


def top_stories(conn: Connection, memo: Memo | None = None) -> list[dict[str, Any]]:
    """Stories several outlets tell, for the home page."""
    def compute() -> list[dict[str, Any]]:
        return stories.top_stories(conn, limit=STORIES, min_sources=2)

    return compute() if memo is None else memo.get(("stories", STORIES), compute)


def latest(memo: Memo | None) -> listing.Latest:
    """``listing.latest_ids``, remembered per filter while the archive stays the same."""
    if memo is None:
        return listing.latest_ids

    def remembered(conn: Connection, flt: Filter, size: int) -> list[str]:
        return memo.get(("latest", flt, size), lambda: listing.latest_ids(conn, flt, size))

    return remembered


def home(conn: Connection, size: int, after: str | None, memo: Memo | None = None) -> dict[str, Any]:
    page = feed_page(conn, Filter(), size, after)
    top = top_stories(conn, memo) if page["is_first"] else []
    return {"title": Msg("Последние новости"), "trending": trending(conn, memo), "stories": top, **page}


def article(conn: Connection, article_id: str, memo: Memo | None = None) -> dict[str, Any]:
    found = get_article(conn, article_id)
    if found is None:
        raise NotFound(f"no article with id {article_id!r}")
    found["page_url"] = listing.page_url(article_id)
    tags = [{"name": label, "slug": s, "kind": found["tag_kinds"].get(n, "topic")}
            for n, s, label in zip(found["tags"], found["tag_slugs"], tag_labels(found), strict=True)]
    return {"title": found["title"], "article": found, "tag_links": tags,
            "entity_groups": _entity_groups(found["entities"]),
            "related": stories.related(conn, found, RELATED, latest(memo)),
            "story": _story_link(conn, found)}


def _story_link(conn: Connection, article: dict[str, Any]) -> dict[str, Any] | None:
    """The article's story, when other articles tell it too."""
    thread = article.get("thread_id")
    return stories.story_link(conn, thread, article.get("lang")) if thread else None


def _entity_groups(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups = [{"type": t, "items": [e for e in entities if e["type"] == t]} for t in ("PER", "ORG", "LOC")]
    return [g for g in groups if g["items"]]


def tag_page(conn: Connection, slug: str, size: int, after: str | None) -> dict[str, Any]:
    tag = listing.tag_info(conn, slug)
    if tag is None:
        raise NotFound(f"no tag {slug!r}")
    feeds = {"rss": f"/tag/{quote(slug)}/feed.xml", "atom": f"/tag/{quote(slug)}/atom.xml"}
    page = feed_page(conn, Filter(tag=slug), size, after)
    return {"title": tag_title(tag["name"]), "tag": tag, "feeds": feeds, **page}


def tag_title(name: str) -> str:
    """A tag as its page and feeds title it: a place or an institution in both languages, «Балхаш · Балқаш»."""
    kazakh = gazetteer.kazakh_label(name) or institutions.kazakh_name(name)
    return f"{name} · {kazakh}" if kazakh else name


def moved_tag(slug: str, conn: Connection) -> str | None:
    """The slug a tag lives under now: a place's when ``slug`` is its Kazakh name's (older archives had
    one tag per language: «/tag/balqash» is now «/tag/balkhash»), or the kept tag's when an editor merged
    ``slug`` into it (`newsdesk merge-tags`; later articles with that tag are filed under the kept one)."""
    return gazetteer.moved_slugs().get(slug) or tagmerge.moved_tag(conn, slug)


def tag_filter(tag: str, conn: Connection) -> str:
    """The slug a ``?tag=`` filter means: a tag's name («Алматы») or slug (``almaty``), read as search reads
    it (`gazetteer.tag_slug`), then followed to where the tag lives now (`moved_tag`)."""
    slug = gazetteer.tag_slug(tag)
    return moved_tag(slug, conn) or slug


def rubric_page(conn: Connection, rubric: str, size: int, after: str | None) -> dict[str, Any]:
    if rubric not in RUBRICS:
        raise NotFound(f"no rubric {rubric!r}; rubrics: {', '.join(RUBRICS)}")
    return {"title": Msg(RUBRICS[rubric]), "rubric": rubric, **feed_page(conn, Filter(rubric=rubric), size, after)}


def source_page(conn: Connection, source: str, size: int, after: str | None) -> dict[str, Any]:
    page = feed_page(conn, Filter(source=source, copies=True), size, after)
    if not page["items"] and page["is_first"]:
        raise NotFound(f"no articles from source {source!r}")
    return {"title": source, "source": source, **page}


def lang_page(conn: Connection, lang: str, size: int, after: str | None) -> dict[str, Any]:
    """A language the footer links to is a page even while empty («English» before the first English
    article); another code is one only while the archive has articles in it."""
    page = feed_page(conn, Filter(lang=lang), size, after)
    if lang not in LANGS and not page["items"] and page["is_first"]:
        raise NotFound(f"no articles in language {lang!r}")
    return {"title": LANGS.get(lang, lang), "lang": lang, **page}


def tags(conn: Connection, limit: int = 500) -> dict[str, Any]:
    items = [{**t, "page_url": f"/tag/{quote(t['slug'])}", "label": tag_title(t["name"])}
             for t in listing.tags_with_counts(conn, limit)]  # a place under both its names: «Балхаш · Балқаш»
    return {"title": Msg("Все темы"), "tags": items}


def not_found(conn: Connection, memo: Memo | None = None) -> dict[str, Any]:
    """What the 404 page offers instead: the latest headlines and the main topics."""
    ids = latest(memo)(conn, Filter(kind="article"), 8)
    return {"latest": listing.cards(conn, ids), "trending": trending(conn, memo)}
