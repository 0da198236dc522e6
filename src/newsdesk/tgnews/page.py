"""A contest page → `Article`: og: metadata from `sources.html.og_meta`, paragraphs by a light scan.

The contest's pages are Telegram's simplified Instant-View HTML: og: meta tags in the head, then
``<article><h1>…</h1><address>…</address><p>…</p>…</article>``.  A regex pass over the block elements
reads them some 25 times faster than trafilatura (which `sources.html.extract` uses for arbitrary
pages), which is what lets a thousand pages be indexed in seconds.  Figures, captions, related-links
boxes and footers are left out.  A page is never refused: one with no text is still an article (its
language comes out ``other``), so every file given is accounted for.
"""

from __future__ import annotations

import html as htmllib
import logging
import re
from datetime import datetime

from newsdesk.errors import InputError
from newsdesk.records import Article, Origin
from newsdesk.sources.fields import clean_line, parse_date
from newsdesk.sources.html import og_meta

log = logging.getLogger(__name__)

_SKIPPED = re.compile(r"<(figure|figcaption|related|footer|aside|address|script|style|table|h1)\b.*?</\1\s*>",
                      re.S | re.I)
_QUOTE = re.compile(r"<blockquote\b[^>]*>(.*?)</blockquote\s*>", re.S | re.I)
_BLOCK = re.compile(r"<(p|h[2-6]|li|pre)\b[^>]*>(.*?)</\1\s*>", re.S | re.I)
_NESTED_BLOCK = re.compile(r"<(p|li|h[2-6])\b", re.I)
_BREAK = re.compile(r"<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"[\x00-\x20\x7f\u00a0\u2000-\u200b\u202f\u205f\u3000]+")  # controls too
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.S | re.I)


def parse(page: str, name: str) -> Article:
    """The article of one contest page; ``id`` is the file name, the protocol's key."""
    meta = og_meta(page)
    origin = Origin(name)
    body = _paragraphs(page)
    title = clean_line(meta.get("og:title") or _h1(page))
    lead = clean_line(meta.get("og:description", ""))
    if lead and body and body[0].startswith(lead[:60]):
        lead = ""
    return Article(
        id=name,
        title=title,
        lead=lead,
        paragraphs=body,
        url=meta.get("og:url") or None,
        source=clean_line(meta.get("og:site_name", "")) or None,
        author=clean_line(meta.get("article:author", "")) or None,
        published_at=_date(meta.get("article:published_time"), origin),
        origin=origin,
    )


def _paragraphs(page: str) -> list[str]:
    start = page.find("<body")
    content = _QUOTE.sub(_quote, _SKIPPED.sub(" ", page[start if start >= 0 else 0:]))
    return [text for text in (_text(m.group(2)) for m in _BLOCK.finditer(content)) if text]


def _quote(match: re.Match[str]) -> str:
    """A quote made of paragraphs keeps them; a bare quote becomes one paragraph."""
    inner = match.group(1)
    return inner if _NESTED_BLOCK.search(inner) else f"<p>{inner}</p>"


def _text(fragment: str) -> str:
    """Inline markup dropped, entities decoded, runs of spaces and control characters made one space
    (what `clean_line` does, by one regex: it runs on every paragraph)."""
    return _SPACE.sub(" ", htmllib.unescape(_TAG.sub("", _BREAK.sub(" ", fragment)))).strip()


def _h1(page: str) -> str:
    match = _H1.search(page)
    return _text(match.group(1)) if match else ""


def _date(value: str | None, origin: Origin) -> datetime | None:
    try:
        return parse_date(value, origin)
    except InputError:
        log.info("%s: ignoring unparsable page date %r", origin, value)
        return None
