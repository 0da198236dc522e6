"""Story-level reads: thread pages and ranked top stories, story-aware related news, trending tags,
entities, the tag audit and explanations of the engine's decisions."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Table, func, select

from newsdesk import analyze, rubrics, tags, trending
from newsdesk.records import Article
from newsdesk.slug import slugify
from newsdesk.stages.rubric import MODEL as RUBRIC_MODEL
from newsdesk.stages.tagging import load_tag_model
from newsdesk.store import listing
from newsdesk.store.audit import stored_audit, stored_variants
from newsdesk.store.meta import get_meta
from newsdesk.store.models import ThreadRow
from newsdesk.store.modelstore import load_model
from newsdesk.store.queries import get_article, to_record
from newsdesk.store.vectors import stored_vectors
from newsdesk.store.writer import ARTICLE_ENTITIES, ARTICLE_TAGS, ARTICLES, ENTITIES, TAGS
from newsdesk.threads import Member, Thread, rank_threads

THREADS: Table = ThreadRow.__table__  # type: ignore[assignment]
KEY_ENTITIES = 12
ENTITY_MOVES = "entity_moves"  # meta: {retired entity slug: the slug its page moved to}
STORY_MOVES = "story_moves"  # meta: {thread id a rethread retired: the thread that took most of its articles}


def story_url(thread_id: str) -> str:
    return "/story/" + quote(thread_id, safe="")


def reference_time(conn: Connection, now: datetime | None = None) -> datetime:
    """``now``, or the archive's newest publication time when the archive is older than ``now``."""
    now = now or datetime.now(UTC)
    newest = listing.newest_published(conn)
    return min(now, newest) if newest is not None else now


# --- threads -----------------------------------------------------------------------------------------

def story(conn: Connection, thread_id: str) -> dict[str, Any] | None:
    """A thread: its title, timeline of articles (cards, oldest first), sources (the outlets of its originals),
    the outlets that only reprinted them (``reprinted_by``), key entities and places."""
    row = conn.execute(select(THREADS).where(THREADS.c.id == thread_id)).first()
    ids = list(conn.scalars(select(ARTICLES.c.id).where(ARTICLES.c.thread_id == thread_id)
                            .order_by(ARTICLES.c.published_at, ARTICLES.c.id)))
    if row is None and not ids:
        return None
    timeline = _fold_copies(listing.cards(conn, ids))
    entities = _key_entities(conn, ids)
    sources = sorted({c["source"] for c in timeline if c["source"] and not c["duplicate_of"]})
    return {
        "id": thread_id, "title": row.title if row is not None else (timeline[0]["title"] if timeline else ""),
        "lang": row.lang if row is not None else None, "rubric": row.rubric if row is not None else None,
        "page_url": story_url(thread_id), "size": len(ids),
        "sources": sources,  # independent: the outlets of the originals
        "reprinted_by": sorted({c["source"] for c in timeline if c["source"] and c["duplicate_of"]} - set(sources)),
        "first_published": timeline[0]["published_at"] if timeline else None,
        "last_published": timeline[-1]["published_at"] if timeline else None,
        "timeline": timeline,
        "people": [e for e in entities if e["type"] == "PER"],
        "organisations": [e for e in entities if e["type"] == "ORG"],
        "places": [e for e in entities if e["type"] == "LOC"],
    }


def _fold_copies(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The timeline's cards, each original with the ``copies`` of it the story holds ({id, source,
    page_url}) and each such copy marked ``folded``: the page shows a reprint under its original
    («Также: Almaty Today»), not as one more card; the JSON keeps every card."""
    present = {c["id"] for c in cards}
    copies: dict[str, list[dict[str, Any]]] = {}
    for c in cards:
        if c["duplicate_of"] in present:
            copies.setdefault(c["duplicate_of"], []).append({"id": c["id"], "source": c["source"],
                                                             "page_url": c["page_url"]})
    return [{**c, "copies": copies.get(c["id"], []), "folded": c["duplicate_of"] in present} for c in cards]


def story_link(conn: Connection, thread_id: str, lang: str | None = None) -> dict[str, Any] | None:
    """Title, size and page of a thread that more than one article tells (for an article page in ``lang``):
    small queries, not the whole story.  A story told in another language is titled by its earliest article
    in ``lang`` where it has one: a Kazakh article links its story under a Kazakh headline."""
    size = conn.scalar(select(func.count()).select_from(ARTICLES).where(ARTICLES.c.thread_id == thread_id)) or 0
    if size < 2:
        return None
    row = conn.execute(select(THREADS.c.title, THREADS.c.lang).where(THREADS.c.id == thread_id)).first()
    title = row.title if row is not None else None
    if lang and (row is None or row.lang != lang):
        title = _first_title(conn, thread_id, ARTICLES.c.lang == lang) or title
    return {"title": title or _first_title(conn, thread_id), "page_url": story_url(thread_id), "size": size}


def _first_title(conn: Connection, thread_id: str, *where: Any) -> str | None:
    return conn.scalar(select(ARTICLES.c.title).where(ARTICLES.c.thread_id == thread_id, *where)
                       .order_by(ARTICLES.c.published_at, ARTICLES.c.id).limit(1))


def _key_entities(conn: Connection, ids: list[str]) -> list[dict[str, Any]]:
    total = func.sum(ARTICLE_ENTITIES.c.mentions).label("mentions")
    rows = conn.execute(
        select(ENTITIES.c.name, ENTITIES.c.slug, ENTITIES.c.type, ENTITIES.c.kazakh_name, total,
               func.count(ARTICLE_ENTITIES.c.article_id).label("articles"))
        .join(ENTITIES, ENTITIES.c.id == ARTICLE_ENTITIES.c.entity_id)
        .where(ARTICLE_ENTITIES.c.article_id.in_(ids))
        .group_by(ENTITIES.c.name, ENTITIES.c.slug, ENTITIES.c.type, ENTITIES.c.kazakh_name)
        .order_by(func.count(ARTICLE_ENTITIES.c.article_id).desc(), total.desc(), ENTITIES.c.name)
        .limit(3 * KEY_ENTITIES))
    return [{"name": r.name, "slug": r.slug, "type": r.type, "kazakh_name": r.kazakh_name,
             "mentions": int(r.mentions), "articles": r.articles} for r in rows]


def top_stories(conn: Connection, period: timedelta = timedelta(days=3), lang: str | None = None,
                rubric: str | None = None, tag: str | None = None, limit: int = 20,
                now: datetime | None = None, min_sources: int = 1, offset: int = 0) -> list[dict[str, Any]]:
    """Threads active in ``period`` (counted back from now, or from the newest article of an older
    archive) ranked by independent sources, growth and freshness (`threads.rank_threads`); only those
    with at least ``min_sources`` independent sources (the home page asks for 2: a story, not an item);
    ``limit`` of them from the ``offset``-th on."""
    at = reference_time(conn, now)
    members = _members(conn, at - period, at, lang, rubric, tag)
    threads = [Thread(tid, "", tuple(ms)) for tid, ms in members.items()]
    stored = {row.id: row for row in conn.execute(select(THREADS.c.id, THREADS.c.title, THREADS.c.lang,
                                                         THREADS.c.rubric)
                                                  .where(THREADS.c.id.in_(list(members))))}
    ranked = [r for r in rank_threads(threads, at) if r.sources >= min_sources][offset:offset + limit]
    return [{"id": r.thread.id, "title": _story_title(r.thread, _stored(stored, r.thread.id, "title"), lang),
             "lang": lang or _stored(stored, r.thread.id, "lang"),
             "rubric": _stored(stored, r.thread.id, "rubric"),
             "page_url": story_url(r.thread.id), "score": round(r.score, 4), "sources": r.sources,
             "growth": r.growth, "size": len(r.thread.members), "first_published": r.thread.first_at,
             "last_published": r.thread.last_at, "articles": [m.article_id for m in r.thread.members]}
            for r in ranked]


def _stored(rows: dict[str, Any], thread_id: str, column: str) -> Any:
    row = rows.get(thread_id)
    return getattr(row, column) if row is not None else None


def _story_title(thread: Thread, stored: str | None, lang: str | None) -> str:
    """The thread's stored title; asked for one language, the title of a member in it (the stored one when it
    is, else the earliest): a Kazakh list of stories reads Kazakh titles."""
    own = [m.title for m in thread.members if m.lang == lang] if lang else []
    if own:
        return stored if stored in own else own[0]
    return stored or thread.members[0].title


def _members(conn: Connection, since: datetime, until: datetime, lang: str | None, rubric: str | None,
             tag: str | None) -> dict[str, list[Member]]:
    a = ARTICLES.c
    active = select(a.thread_id).where(a.thread_id.is_not(None), a.published_at > since, a.published_at <= until)
    if lang:
        active = active.where(a.lang == lang)
    if rubric:
        active = active.where(a.rubric == rubric)
    if tag:
        tagged = (select(ARTICLE_TAGS.c.article_id).join(TAGS, TAGS.c.id == ARTICLE_TAGS.c.tag_id)
                  .where(TAGS.c.slug == tag, ARTICLE_TAGS.c.origin.in_(("editor", "auto"))))
        active = active.where(a.id.in_(tagged))
    rows = conn.execute(select(a.id, a.thread_id, a.published_at, a.source, a.title, a.duplicate_of, a.lang)
                        .where(a.thread_id.in_(active.distinct()), a.published_at.is_not(None))
                        .order_by(a.published_at, a.id))
    found: dict[str, list[Member]] = {}
    for r in rows:
        found.setdefault(r.thread_id, []).append(Member(r.id, r.published_at, r.source, r.title, r.duplicate_of,
                                                        r.lang or ""))
    return found


# --- related news ----------------------------------------------------------------------------------------

def related(conn: Connection, article: dict[str, Any], limit: int,
            latest: listing.Latest = listing.latest_ids) -> list[dict[str, Any]]:
    """«Ещё новости»: the article's own story first (other outlets, newest first, no copies), then
    articles sharing its tags and entities, then the latest — never itself, never two copies of one."""
    own = _thread_cards(conn, article, limit)
    rest = listing.related_for(conn, article, limit, latest)
    return (own + [c for c in rest if c["id"] not in {o["id"] for o in own}])[:limit]


def _thread_cards(conn: Connection, article: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    if not article.get("thread_id"):
        return []
    a = ARTICLES.c
    rows = conn.execute(select(a.id, a.duplicate_of).where(a.thread_id == article["thread_id"], a.id != article["id"])
                        .order_by(a.published_at.desc(), a.id).limit(4 * limit)).all()
    copies = {article["id"], article.get("duplicate_of")}
    present = {r.id for r in rows}
    seen: set[str] = set()
    ids = []
    for r in rows:
        group = r.duplicate_of or r.id
        if group in seen or r.id in copies or group in copies:
            continue
        seen.add(group)
        ids.append(group if group in present else r.id)  # a reprint is shown as its original, when the story has it
    return listing.cards(conn, ids[:limit])


# --- trending --------------------------------------------------------------------------------------------

def trending_tags(conn: Connection, now: datetime | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Tags whose rate in the last 24 h / 7 days clearly exceeds their own baseline (`trending.trending`), at
    most ``limit`` per window."""
    at = reference_time(conn, now)
    options = trending.TrendOptions(limit=limit)
    since = at - max(options.windows) - options.baseline
    t = ARTICLE_TAGS.c
    rows = conn.execute(select(TAGS.c.name, TAGS.c.slug, ARTICLES.c.published_at)
                        .join(ARTICLE_TAGS, t.tag_id == TAGS.c.id).join(ARTICLES, ARTICLES.c.id == t.article_id)
                        .where(t.origin.in_(("editor", "auto")), t.position < 1000, ARTICLES.c.duplicate_of.is_(None),
                               ARTICLES.c.published_at > since, ARTICLES.c.published_at <= at))
    slugs: dict[str, str] = {}
    events = []
    for r in rows:
        slugs[r.name] = r.slug
        events.append((r.name, r.published_at))
    return [{"tag": tr.tag, "slug": slugs[tr.tag], "page_url": "/tag/" + quote(slugs[tr.tag]),
             "window_hours": int(tr.window.total_seconds() // 3600), "count": tr.count,
             "expected": round(tr.expected, 3), "ratio": round(tr.ratio, 3), "score": round(tr.score, 3)}
            for tr in trending.trending(events, at, options)]


# --- entities, audit, explanations ------------------------------------------------------------------------

def moved_story(conn: Connection, thread_id: str) -> str | None:
    """The story a rethread moved ``thread_id``'s articles to (`editorial.rethread_since` keeps the moves),
    followed through later moves; None when it did not move or no story is left there."""
    moves: dict[str, str] = get_meta(conn, STORY_MOVES) or {}
    seen = {thread_id}
    while (thread_id := moves.get(thread_id, "")) and thread_id not in seen:
        if conn.scalar(select(ARTICLES.c.id).where(ARTICLES.c.thread_id == thread_id).limit(1)) is not None:
            return thread_id
        seen.add(thread_id)
    return None


def entity(conn: Connection, slug: str) -> dict[str, Any] | None:
    row = conn.execute(select(ENTITIES).where(ENTITIES.c.slug == slug)).first()
    if row is None:
        return None
    named = select(func.count(), func.sum(ARTICLE_ENTITIES.c.mentions)).where(ARTICLE_ENTITIES.c.entity_id == row.id)
    if not conn.execute(named).one()[0]:
        return None  # no article names it any more: an older reading's name
    # counted as its page lists them: a copy stands under its original, not on its own
    counts = conn.execute(named.join_from(ARTICLE_ENTITIES, ARTICLES, ARTICLES.c.id == ARTICLE_ENTITIES.c.article_id)
                          .where(ARTICLES.c.duplicate_of.is_(None))).one()
    return {"name": row.name, "slug": row.slug, "type": row.type, "kazakh_name": row.kazakh_name,
            "articles": counts[0],
            "mentions": int(counts[1] or 0), "page_url": "/entity/" + quote(row.slug)}


def moved_entity(conn: Connection, slug: str) -> str | None:
    """The slug an entity's page moved to when a re-analysis retired ``slug`` (`editorial.reanalyse` keeps
    the moves), followed through later moves; None when it did not move or its new page has no articles."""
    moves: dict[str, str] = get_meta(conn, ENTITY_MOVES) or {}
    seen = {slug}
    while (slug := moves.get(slug, "")) and slug not in seen:
        if entity(conn, slug) is not None:
            return slug
        seen.add(slug)
    return None


def tag_variants(conn: Connection) -> list[dict[str, Any]]:
    """Editor tags that look like one tag (`newsdesk train` finds them), most used first; each tag with its
    page."""
    return [{**group, "tags": [{**t, "page_url": "/tag/" + quote(slugify(t["tag"]) or "tag")} for t in group["tags"]]}
            for group in stored_variants(conn)]


def audit(conn: Connection, limit: int | None = None) -> list[dict[str, Any]]:
    """The stored tag audit (`newsdesk train` / `newsdesk audit --fresh` refresh it), worst first."""
    items = [{**f, "page_url": listing.page_url(f["article_id"])} for f in stored_audit(conn).flags]
    return items[:limit] if limit else items


def explain(conn: Connection, article_id: str, k: int = 8) -> dict[str, Any] | None:
    """Why the engine chose the article's rubric and tags: the top weighted words behind each, and how
    the rubric model's two readers (words, dense vector) voted."""
    data = get_article(conn, article_id)
    if data is None:
        return None
    article = to_record(data)
    rubric_model = load_model(conn, RUBRIC_MODEL, rubrics.RubricModel.load)
    tag_model = load_tag_model(conn)
    vector = stored_vectors(conn, [article]).get(article_id)
    lemmas = analyze.lemmas(article.text, article.lang)  # once, for every explanation below
    rubric = data["rubric"]
    model = rubric_model or rubrics.default_model()
    return {"id": article_id, "rubric": rubric, "rubric_confidence": data["rubric_confidence"],
            "rubric_given_by_editor": data["rubric_confidence"] is None and rubric is not None,
            "rubric_because": _pairs(model.explain(article, lemmas, k, vector, rubric)),
            "rubric_votes": _votes(model.parts(article, lemmas, vector), rubric),
            "tags": _tag_reasons(article, lemmas, _judged_tags(data), tag_model, k, _audited(conn, article_id))}


def _votes(parts: dict[str, Any], rubric: str | None) -> list[dict[str, Any]]:
    """Each reader's share of the rubric decision, its own top rubric, and what it gave ``rubric``."""
    share = parts.get("share", 0.0)
    votes = []
    readers = (("words", parts.get("words"), 1 - share), ("dense_vector", parts.get("dense"), share))
    for reader, probs, weight in readers:
        if probs:
            top = max(probs, key=probs.__getitem__)
            votes.append({"reader": reader, "share": round(weight, 4), "top": top,
                          "top_probability": round(probs[top], 4),
                          "rubric_probability": round(probs.get(rubric, 0.0), 4)})
    return votes


def _judged_tags(data: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys(data["tags"] + data["editor_tags"] + [s["tag"] for s in data["suggested_tags"]]))


def _audited(conn: Connection, article_id: str) -> dict[str, dict[str, Any]]:
    """The stored audit's flags on one article's editor tags: {tag: {score, better}}."""
    flags = stored_audit(conn).by_article.get(article_id, {})
    return {tag: {"score": f["score"], "better": f["better"]} for tag, f in flags.items()}


def _tag_reasons(article: Article, lemmas: list[str], judged: list[str], model: tags.TagModel | None,
                 k: int, flagged: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Per tag: where it came from, its kind, the confidence it was applied or suggested with (the ranker's
    for a tag the text names), the classifier's own confidence and the words behind it, and for an editor's
    tag the audit's flag (fit score and the tag that fits better) if the audit doubts it."""
    probs = model.confidences(article, lemmas) if model is not None else None
    decided = {t.tag: t.confidence for t in [*article.auto_tags, *article.suggested_tags]}
    reasons = []
    for tag in judged:
        origin = "editor" if tag in article.editor_tags else ("auto" if tag in article.tags else "suggested")
        kind = article.tag_kinds.get(tag) or tags.tag_kind(tag, article)
        reason: dict[str, Any] = {"tag": tag, "origin": origin, "kind": kind}
        if tag in decided and origin != "editor":
            reason["confidence"] = round(float(decided[tag]), 4)
        if model is not None and probs is not None and tag in model:
            reason["classifier_confidence"] = round(float(probs[model.index[tag]]), 4)
            reason.setdefault("confidence", reason["classifier_confidence"])
            reason["because"] = _pairs(tags.explain(article, tag, model, k, lemmas))
        else:
            reason["because"] = _entity_reason(article, tag)
        if origin == "editor" and tag in flagged:
            reason["audit"] = flagged[tag]
        reasons.append(reason)
    return reasons


def _entity_reason(article: Article, tag: str) -> list[dict[str, Any]]:
    """Place and entity tags are explained by the mentions that produced them."""
    counts = Counter({e.name: e.mentions for e in article.entities})
    return [{"feature": tag, "weight": float(counts[tag])}] if tag in counts else []


def _pairs(pairs: list[tuple[str, float]]) -> list[dict[str, Any]]:
    return [{"feature": f, "weight": round(float(w), 4)} for f, w in pairs]
