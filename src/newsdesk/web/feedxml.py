"""RSS 2.0 and Atom 1.0 documents for the site's feeds (built with ElementTree: always well-formed)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from xml.etree import ElementTree as ET

ATOM_NS = "http://www.w3.org/2005/Atom"
_NOT_XML = re.compile(r"[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class Channel:
    title: str
    site_url: str  # absolute URL of the HTML page the feed mirrors
    feed_url: str  # absolute URL of the feed itself
    description: str
    kk_description: str = ""  # said instead when most items are Kazakh

    def describe(self, lang: str) -> str:
        return self.kk_description if lang == "kk" and self.kk_description else self.description


def xml_text(value: str | None) -> str:
    """Text with the characters XML 1.0 forbids removed (control characters, lone surrogates)."""
    return _NOT_XML.sub("", value or "")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, attrs)
    if text is not None:
        node.text = xml_text(text)
    return node


def _link(item: dict[str, Any], base: str) -> str:
    return item["link"] if item["link"] and item["link"].startswith("http") else base + item["page_url"]


def language(items: list[dict[str, Any]]) -> str:
    """The feed's language: the one most of its items are in (``ru`` for none), so a Kazakh tag's feed says
    ``kk``."""
    counts = Counter(str(item["lang"]) for item in items if item.get("lang") in ("ru", "kk", "en"))
    return counts.most_common(1)[0][0] if counts else "ru"


def rss(channel: Channel, items: list[dict[str, Any]], base: str) -> bytes:
    root = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM_NS})
    ch = _sub(root, "channel")
    _sub(ch, "title", channel.title)
    _sub(ch, "link", channel.site_url)
    lang = language(items)
    _sub(ch, "description", channel.describe(lang))
    _sub(ch, "language", lang)
    _sub(ch, "atom:link", href=channel.feed_url, rel="self", type="application/rss+xml")
    _sub(ch, "lastBuildDate", format_datetime(_updated(items)))
    for item in items:
        node = _sub(ch, "item")
        _sub(node, "title", item["title"])
        _sub(node, "link", _link(item, base))
        _sub(node, "guid", base + item["page_url"], isPermaLink="false")
        if item.get("lead"):
            _sub(node, "description", item["lead"])
        if item.get("published_at"):
            _sub(node, "pubDate", format_datetime(item["published_at"]))
        for tag in item.get("tags", []):
            _sub(node, "category", tag["name"])
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False)


def atom(channel: Channel, items: list[dict[str, Any]], base: str) -> bytes:
    lang = language(items)
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": lang})
    _sub(root, "title", channel.title)
    _sub(root, "subtitle", channel.describe(lang))
    _sub(root, "id", channel.feed_url)
    _sub(root, "link", href=channel.site_url, rel="alternate", type="text/html")
    _sub(root, "link", href=channel.feed_url, rel="self", type="application/atom+xml")
    _sub(root, "updated", _updated(items).isoformat())
    _sub(_sub(root, "author"), "name", channel.title)
    for item in items:
        entry = _sub(root, "entry")
        _sub(entry, "title", item["title"])
        _sub(entry, "id", base + item["page_url"])
        _sub(entry, "link", href=_link(item, base), rel="alternate")
        _sub(entry, "updated", (item.get("published_at") or _updated(items)).isoformat())
        if item.get("published_at"):
            _sub(entry, "published", item["published_at"].isoformat())
        if item.get("lead"):
            _sub(entry, "summary", item["lead"])
        if item.get("source"):
            _sub(_sub(entry, "author"), "name", item["source"])
        for tag in item.get("tags", []):
            _sub(entry, "category", term=xml_text(tag["slug"]), label=xml_text(tag["name"]))
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False)


def _updated(items: list[dict[str, Any]]) -> datetime:
    dates = [i["published_at"] for i in items if i.get("published_at")]
    return max(dates) if dates else datetime(2026, 1, 1, tzinfo=UTC)
