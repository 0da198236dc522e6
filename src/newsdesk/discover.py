"""What a fetched source document is, and which article pages it points to.

A source is a feed (RSS/Atom), a sitemap (news sitemaps included; an index lists sitemaps) or an
HTML listing page whose article links are followed.  `detect_kind` sniffs the document itself
first (servers often mislabel), then the content type.  `document_text` and `xml_utf8` turn the
bytes into text even when the declared charset lies (windows-1251 or KOI8-R served as UTF-8).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

from newsdesk.fetch import Document
from newsdesk.records import Origin
from newsdesk.sources.decode import decode, detect_encoding

KINDS = ("auto", "feed", "sitemap", "html")
MAX_LINKS = 200

_ROOT = re.compile(rb"<(rss|feed|rdf:rdf|urlset|sitemapindex|html|!doctype\s+html)\b", re.I)
_XML_DECL = re.compile(rb"^(\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])[A-Za-z0-9._-]+\2", re.I)
_XML_CHARSET = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9._-]+)", re.I)
_SKIP_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|ico|pdf|zip|rar|mp[34]|avi|mov|css|js|xml|rss|json|docx?|xlsx?)$",
                       re.I)
_SKIP_PART = re.compile(r"^(?:tags?|category|categories|rubric|rubrics|author|authors|search|login|auth|register|"
                        r"page|archive|about|contacts?|advert|reklama|subscribe|rss|feed|amp)$", re.I)
_DATE_PATH = re.compile(r"/(?:19|20)\d\d/(?:[01]?\d)/")
_NUMERIC_ID = re.compile(r"(?:^|[-_/])\d{4,}(?:[-_./]|$)")


def detect_kind(doc: Document) -> str:
    """feed, sitemap, sitemapindex or html."""
    match = _ROOT.search(doc.body[:4096])
    if match:
        root = match.group(1).lower()
        if root in (b"rss", b"feed", b"rdf:rdf"):
            return "feed"
        if root in (b"urlset", b"sitemapindex"):
            return root.decode().replace("urlset", "sitemap")
        return "html"
    ctype = (doc.content_type or "").lower()
    return "html" if "html" in ctype else "feed"


def declared_charset(doc: Document) -> str | None:
    """The charset the server or the document claims (checked, not trusted, by `detect_encoding`)."""
    ctype = (doc.content_type or "").lower()
    if "charset=" in ctype:
        return ctype.split("charset=", 1)[1].split(";")[0].strip(" \"'")
    match = _XML_CHARSET.search(doc.body[:1024]) or _META_CHARSET.search(doc.body[:4096])
    return match.group(1).decode("ascii") if match else None


def document_text(doc: Document) -> str:
    """The body as text; raises InputError for binary content."""
    return decode(doc.body, Origin(doc.url), declared_charset(doc))


def xml_utf8(doc: Document) -> bytes:
    """The XML body re-encoded as UTF-8 (its declaration fixed) when it is really in another charset."""
    encoding = detect_encoding(doc.body[:65536], declared_charset(doc))
    if encoding in ("utf-8", "utf-8-sig"):
        return doc.body
    text = doc.body.decode(encoding, errors="replace").encode("utf-8")
    return _XML_DECL.sub(rb'\1"utf-8"', text, count=1)


@dataclass(frozen=True, slots=True)
class PageLink:
    """An article page a source points to, with what the source says about it."""

    url: str
    title: str = ""
    published: str | None = None
    modified: str | None = None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def sitemap_links(data: bytes) -> list[PageLink]:
    """<url> entries of a (news) sitemap, or the <sitemap> entries of an index (newest first)."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return [PageLink(u.decode("utf-8", "replace").strip())
                for u in re.findall(rb"<loc>\s*([^<\s]+)\s*</loc>", data)[:MAX_LINKS]]
    links = [_sitemap_entry(node) for node in root if _local(node.tag) in ("url", "sitemap")]
    links = [link for link in links if link.url]
    if _local(root.tag) == "sitemapindex":
        links.sort(key=lambda link: link.modified or "", reverse=True)
    return links[:MAX_LINKS]


def _sitemap_entry(node: ET.Element) -> PageLink:
    fields: dict[str, str] = {}
    for child in node.iter():
        name = _local(child.tag)
        if child.text and child.text.strip() and name not in fields:
            fields[name] = child.text.strip()
    return PageLink(fields.get("loc", ""), fields.get("title", ""), fields.get("publication_date"),
                    fields.get("lastmod"))


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href:
            self.found.append((self._href, " ".join("".join(self._text).split())))
        if tag == "a":
            self._href = None


def listing_links(page: str, base_url: str) -> list[PageLink]:
    """Links on a section page that look like articles of the same site, in page order, once each."""
    parser = _Anchors()
    parser.feed(page)
    parser.close()
    seen: dict[str, PageLink] = {}
    for href, text in parser.found:
        url = _absolute(href, base_url)
        if url and url not in seen and url != _absolute(base_url, base_url) and looks_like_article(url, base_url):
            seen[url] = PageLink(url, text)
    return list(seen.values())[:MAX_LINKS]


def _absolute(href: str, base: str) -> str | None:
    url = urljoin(base, href.strip())
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


def _site(host: str | None) -> str:
    return (host or "").lower().removeprefix("www.")


def looks_like_article(url: str, base_url: str) -> bool:
    """Same site, not a file or a navigation page, and a path shaped like an article's."""
    parts = urlsplit(url)
    if _site(parts.hostname) != _site(urlsplit(base_url).hostname) or _SKIP_EXT.search(parts.path):
        return False
    segments = [s for s in parts.path.split("/") if s]
    if not segments or any(_SKIP_PART.match(s) for s in segments[:1] + segments[-1:]):
        return False
    last = segments[-1].rsplit(".", 1)[0]
    return bool(_DATE_PATH.search(parts.path) or _NUMERIC_ID.search(parts.path)
                or re.search(r"(?:^|&)\w*id=\d{3,}", parts.query)
                or (len(segments) >= 2 and last.count("-") + last.count("_") >= 2))
