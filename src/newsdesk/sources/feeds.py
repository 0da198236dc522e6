"""RSS 2.0 and Atom feeds, through feedparser."""

from __future__ import annotations

import calendar
import html as htmllib
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from xml.sax import SAXParseException

import feedparser

from newsdesk import rulemma
from newsdesk.errors import InputError, InputWarning
from newsdesk.names import person_case
from newsdesk.records import Article, Origin
from newsdesk.sources.fields import clean_line, paragraphs, parse_date, stable_id

_BLOCK = re.compile(r"</?(?:p|div|br|li|h[1-6]|blockquote)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
# Between an outlet's name and what a channel title adds to it: «El Habar — жаңалықтар», «Lenta.ru : Новости»,
# «Istories: Истории».  Spaces around a dash are required, so «T-invariant» and «Кок-Тобе» stay whole.
_TAGLINE = re.compile(r"\s+[—–|·-]\s+|\s*:\s+")


def html_to_text(fragment: str) -> str:
    """A feed's HTML summary or content as plain paragraphs."""
    text = _BLOCK.sub("\n\n", fragment)
    return htmllib.unescape(_TAG.sub("", text))


def read_feed(data: bytes, name: str, source: str | None = None) -> Iterator[Article | InputError]:
    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = getattr(parsed, "bozo_exception", None) or "no items"
        yield InputError(f"not a readable RSS/Atom feed: {str(reason)[:200]}", Origin(name))
        return
    feed_title = outlet_name(clean_line(parsed.feed.get("title", ""))) or None
    for number, entry in enumerate(parsed.entries, start=1):
        try:
            yield _entry(entry, Origin(name, item=number), source or feed_title)
        except InputError as exc:
            yield exc
    if isinstance(parsed.get("bozo_exception"), SAXParseException):
        yield _broken(parsed.bozo_exception, name, len(parsed.entries))


def _broken(error: SAXParseException, name: str, read: int) -> InputWarning:
    """The XML error of a feed read leniently (feedparser's loose parser): the items it found went in, but
    what the broken markup held may be cut or lost, so the publisher's feed should be looked at."""
    return InputWarning(f"the feed is malformed XML ({error.getMessage()} at column {error.getColumnNumber()}); "
                        f"read leniently: {read} item{'s' if read != 1 else ''}", Origin(name, error.getLineNumber()))


def outlet_name(title: str) -> str:
    """The outlet a channel title names, without the tagline or section it adds («Степной вестник — новости
    Казахстана» → «Степной вестник»), so a feed's items and the outlet's other records share one source.
    An author's feed names the outlet second («Ольга Алленова — Коммерсантъ» → «Коммерсантъ»)."""
    parts = [p for p in _TAGLINE.split(title) if p]
    if len(parts) < 2:
        return title
    return parts[1] if _names_a_person(parts[0]) else parts[0]


def _names_a_person(text: str) -> bool:
    """«Ольга Алленова», «Ирина Тумакова*» (a foreign-agent mark), «Александр Черных» (a first name, then a
    surname pymorphy reads as an adjective)."""
    words = text.rstrip("*").split()
    if person_case(" ".join(words).lower()):
        return True
    return len(words) == 2 and all(w[:1].isupper() for w in words) and _first_name(words[0])


def _first_name(word: str) -> bool:
    return any({"Name", "nomn"} <= p.tag.grammemes for p in rulemma.morph().parse(word.lower()))


def _entry(entry: Any, origin: Origin, source: str | None) -> Article:
    title = clean_line(html_to_text(entry.get("title", "")))
    summary = clean_line(html_to_text(entry.get("summary", "")))
    content = "\n\n".join(html_to_text(c.get("value", "")) for c in entry.get("content", []) or [])
    body = paragraphs(content)
    if not title and not body and not summary:
        raise InputError("feed item without title or text", origin, "title")
    url = entry.get("link") or None
    lead = summary if body and summary and not body[0].startswith(summary[:40]) else ""
    if not body and summary:
        body = paragraphs(html_to_text(entry.get("summary", "")))
    return Article(
        id=_entry_id(entry, url, source, title),
        title=title or (body[0][:200] if body else summary[:200]),
        lead=lead,
        paragraphs=body,
        url=url,
        source=source,
        author=clean_line(entry.get("author", "")) or None,
        published_at=_entry_date(entry, origin),
        editor_tags=[t for t in (clean_line(tag.get("term", "")) for tag in entry.get("tags", []) or []) if t],
        origin=origin,
    )


def _entry_id(entry: Any, url: str | None, source: str | None, title: str) -> str:
    guid = entry.get("id") or url
    return stable_id(guid) if guid else stable_id(source, title)


def _entry_date(entry: Any, origin: Origin) -> datetime | None:
    for key in ("published", "updated"):
        raw = entry.get(key)
        if not raw:
            continue
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
        return parse_date(raw, origin)
    return None
