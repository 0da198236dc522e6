"""The stored tag audit (`newsdesk train` / `newsdesk audit --fresh` write it), read once per audit.

Every article page asks which of its tags and its candidates' tags the audit flags («Ещё новости»
lets no flagged tag link anything), and the audit of a large archive is thousands of flags: parsing
it per page cost ~12 ms at 6,000 flags, more than the rest of the page.  Each saved audit carries a
version key, so a server process parses an audit once and every process sees a new one at once."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select

from newsdesk.records import ARTICLE
from newsdesk.store.meta import get_meta, set_meta
from newsdesk.store.writer import ARTICLE_TAGS, ARTICLES

AUDIT_KEY = "audit"
VARIANTS_KEY = "tag_variants"  # `tag_variants.find_variants` of the editor tags, as dicts, most used first
VERSION_KEY = "audit_version"
UNVERSIONED_TTL = 30.0  # seconds an audit saved before versions existed is reused


@dataclass(frozen=True)
class StoredAudit:
    flags: list[dict[str, Any]]  # {article_id, tag, score, better, title}, worst first
    pairs: frozenset[tuple[str, str]] = field(init=False)  # (article_id, tag) of each flag
    by_article: dict[str, dict[str, dict[str, Any]]] = field(init=False)  # article_id -> tag -> flag

    def __post_init__(self) -> None:
        by: dict[str, dict[str, dict[str, Any]]] = {}
        for flag in self.flags:
            by.setdefault(flag["article_id"], {})[flag["tag"]] = flag
        object.__setattr__(self, "pairs", frozenset((f["article_id"], f["tag"]) for f in self.flags))
        object.__setattr__(self, "by_article", by)


_cache: dict[str, tuple[Any, float, StoredAudit]] = {}  # archive url -> (version, expires, audit)
_lock = threading.Lock()


def save_audit(conn: Connection, flags: list[dict[str, Any]]) -> None:
    set_meta(conn, AUDIT_KEY, flags)
    set_meta(conn, VERSION_KEY, uuid.uuid4().hex)


def forget_removed(conn: Connection, article_id: str, editor_tags: list[str]) -> None:
    """An editor changed an article's tags: its flags on tags it no longer carries go (the audit of the
    next `newsdesk train` judges the new ones); the rest of the stored audit stays as it was."""
    kept = {t.casefold() for t in editor_tags}
    flags = stored_audit(conn).flags
    left = [f for f in flags if f["article_id"] != article_id or f["tag"].casefold() in kept]
    if len(left) != len(flags):
        save_audit(conn, left)


def rename_tags(conn: Connection, names: dict[str, str]) -> None:
    """Tags merged into another (casefolded old name → the kept one): the stored flags name the kept tag,
    and a flag whose better tag is now its own tag goes."""
    renamed = [{**f, "tag": names.get(f["tag"].casefold(), f["tag"]),
                "better": names.get((f.get("better") or "").casefold(), f.get("better"))}
               for f in stored_audit(conn).flags]
    left = [f for f in renamed if (f.get("better") or "").casefold() != f["tag"].casefold()]
    save_audit(conn, list({(f["article_id"], f["tag"]): f for f in left}.values()))


def stored_audit(conn: Connection) -> StoredAudit:
    """The archive's stored audit (empty when there is none), parsed once per saved version."""
    version, url, now = get_meta(conn, VERSION_KEY), str(conn.engine.url), time.monotonic()
    with _lock:
        hit = _cache.get(url)
    if hit is not None and hit[0] == version and (version is not None or hit[1] > now):
        return hit[2]
    audit = StoredAudit(list(get_meta(conn, AUDIT_KEY, []) or []))
    with _lock:
        if len(_cache) > 64:
            _cache.clear()
        _cache[url] = (version, now + UNVERSIONED_TTL, audit)
    return audit


def save_variants(conn: Connection, groups: list[dict[str, Any]]) -> None:
    set_meta(conn, VARIANTS_KEY, groups)


def stored_variants(conn: Connection) -> list[dict[str, Any]]:
    """The editor tags that look like one tag, as the last `newsdesk train` found them (a few hundred
    groups at most: read whole)."""
    return list(get_meta(conn, VARIANTS_KEY, []) or [])


def editor_tagged_count(conn: Connection) -> int:
    """Articles (not headlines) carrying editor tags: what `newsdesk train` and its audit learn from."""
    t = ARTICLE_TAGS.c
    query = (select(func.count(func.distinct(t.article_id))).select_from(ARTICLE_TAGS.join(ARTICLES))
             .where(t.origin == "editor", ARTICLES.c.kind == ARTICLE))
    return int(conn.scalar(query) or 0)


def small_archive_note(tagged: int, rule_articles: int) -> str | None:
    """A caution for an audit learnt from fewer than ``rule_articles`` tagged articles
    (`TagOptions.audit_rule_articles`), which judges a tag by its confidence alone."""
    if tagged >= rule_articles:
        return None
    return (f"the audit learnt from {tagged} tagged articles (fewer than {rule_articles}): it judges each tag by "
            "its confidence alone, so a tag used on few articles is flagged more often than it deserves")
