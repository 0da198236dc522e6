"""A single HTML article page: trafilatura finds title, date, author and the clean body."""

from __future__ import annotations

import html as htmllib
import logging
import re
from collections.abc import Iterator

from newsdesk.errors import InputError
from newsdesk.records import Article, Origin
from newsdesk.sources.fields import clean_line, paragraphs, parse_date, stable_id

log = logging.getLogger(__name__)
logging.getLogger("trafilatura").setLevel(logging.ERROR)

MIN_ARTICLE = 80  # characters of body text; less is navigation, not an article
_META = re.compile(r"<meta\s[^>]*>", re.I)
_ATTR = re.compile(r'(property|name|content)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')', re.I)


def og_meta(page: str) -> dict[str, str]:
    """The page's og:/article: meta properties (the Telegram contest pages rely on them)."""
    found: dict[str, str] = {}
    for tag in _META.findall(page[:200_000]):
        attrs = {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3) for m in _ATTR.finditer(tag)}
        key = attrs.get("property") or attrs.get("name")
        if key and "content" in attrs and key.lower() not in found:
            found[key.lower()] = htmllib.unescape(attrs["content"])
    return found


def extract(page: str, name: str, source: str | None = None, url: str | None = None) -> Article:
    import trafilatura

    origin = Origin(name)
    meta = og_meta(page)
    doc = trafilatura.bare_extraction(page, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    text = getattr(doc, "text", None) or ""
    body = paragraphs(text)
    if sum(len(p) for p in body) < MIN_ARTICLE:
        raise InputError("HTML page with no article text (only navigation, scripts or an empty body)", origin)
    title = clean_line(meta.get("og:title") or getattr(doc, "title", None) or "")
    if title and len(body) > 1 and body[0] == title:
        body = body[1:]
    lead = clean_line(meta.get("og:description") or getattr(doc, "description", None) or "")
    if lead and body[0].startswith(lead[:60]):
        lead = ""
    date = meta.get("article:published_time") or getattr(doc, "date", None)
    page_url = url or meta.get("og:url") or getattr(doc, "url", None)
    return Article(
        id=stable_id(page_url) if page_url else stable_id(name, title, body[0]),
        title=title or body[0][:200],
        lead=lead,
        paragraphs=body,
        url=page_url,
        source=source or clean_line(meta.get("og:site_name") or getattr(doc, "sitename", None) or "") or None,
        author=clean_line(meta.get("article:author") or getattr(doc, "author", None) or "") or None,
        published_at=_date(date, origin),
        origin=origin,
    )


def _date(value: str | None, origin: Origin):  # noqa: ANN202 - datetime | None
    try:
        return parse_date(value, origin)
    except InputError:
        log.info("%s: ignoring unparsable page date %r", origin, value)
        return None


def read_html(page: str, name: str, source: str | None = None) -> Iterator[Article | InputError]:
    try:
        yield extract(page, name, source)
    except InputError as exc:
        yield exc
