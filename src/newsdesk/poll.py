"""One poll of one source: fetch it (conditionally), turn it into articles, and fetch the article
pages of items that need one — summary-only feed items, sitemap entries, links on a listing page.

Nothing is stored here: a `Poll` carries the articles and what to remember, and the watcher
stores it in one go.  An item whose page was already fetched is recognised by the fingerprint
of what the source said about it (title, summary, dates): unchanged items are skipped, changed
ones fetched again (an edit becomes a new revision).  A page that cannot be fetched falls back
to what the feed said, so nothing is lost, and is tried again on the next poll when the failure
was transient.  An article already stored with its page's full text is never cut back to the
feed's summary: the watcher puts the feed's changes (a new title) on the stored text
(`over_stored`) and the page is tried again.  While a page is to be tried again the poll keeps
the source's old validators, so the next poll reads the feed in full rather than a 304.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime

from newsdesk.discover import PageLink, detect_kind, document_text, listing_links, sitemap_links, xml_utf8
from newsdesk.errors import FetchError, InputError
from newsdesk.fetch import PAGE_ACCEPT, Abandoned, Deferred, Document, Fetcher, is_transient
from newsdesk.records import Article
from newsdesk.sources.feeds import read_feed
from newsdesk.sources.fields import parse_date, stable_id
from newsdesk.sources.html import extract
from newsdesk.store.sources import Source

log = logging.getLogger(__name__)
MAX_CHILD_SITEMAPS = 2


@dataclass(frozen=True)
class PollOptions:
    max_pages: int = 20  # article pages fetched per poll; the rest wait for the next one
    min_body: int = 400  # characters: a feed item with less text is summary-only and its page is fetched


@dataclass
class Entry:
    """An item whose article page is to be fetched."""

    key: str  # the article id
    link: PageLink
    fingerprint: str
    fallback: Article | None = None  # what the feed said, stored if the page cannot be had


@dataclass
class Poll:
    source: Source
    at: datetime
    ok: bool = True
    status: int | None = None
    latency_ms: float | None = None
    kind: str | None = None
    error: str | None = None
    deferred: bool = False
    etag: str | None = None
    last_modified: str | None = None
    articles: list[Article] = field(default_factory=list)
    rejected: list[InputError] = field(default_factory=list)
    seen: dict[str, str] = field(default_factory=dict)
    pages: int = 0
    page_errors: int = 0
    summaries: dict[str, Entry] = field(default_factory=dict)  # articles that are the feed's summary, not the page
    retry: bool = False  # a page is to be tried again: keep the old validators so the feed is read in full

    def fail(self, exc: Exception) -> Poll:
        """A failed poll; its error without the source's URL, which every report of it names already."""
        self.ok, self.error = False, str(exc).removeprefix(f"{self.source.url}: ")
        self.status = getattr(exc, "status", self.status)
        return self

    def summary(self, entry: Entry) -> Article | None:
        """The feed's version of ``entry``, remembered as a summary standing in for its page."""
        if entry.fallback is not None:
            self.summaries[entry.key] = entry
        return entry.fallback


def fingerprint(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p or "") for p in parts).encode()).hexdigest()[:16]


def poll_source(fetcher: Fetcher, source: Source, seen: dict[str, str], options: PollOptions,
                now: datetime) -> Poll:
    """Poll ``source`` once; raises `Abandoned` when stopping, every other failure is in the `Poll`."""
    poll = Poll(source, now)
    try:
        doc = fetcher.get(source.url, source.etag, source.last_modified)
    except Abandoned:
        raise
    except Deferred as exc:
        poll.deferred, poll.error = True, str(exc)
        return poll
    except FetchError as exc:
        return poll.fail(exc)
    poll.status, poll.latency_ms = doc.status, round(doc.elapsed_ms, 1)
    poll.etag, poll.last_modified = doc.etag, doc.last_modified
    if doc.not_modified:
        return poll
    try:
        entries = _read(fetcher, doc, poll, options)
    except (InputError, FetchError) as exc:
        return poll.fail(exc)
    _fetch_pages(fetcher, [e for e in entries if seen.get(e.key) != e.fingerprint], poll, options)
    _finish(poll, now)
    return poll


def _read(fetcher: Fetcher, doc: Document, poll: Poll, options: PollOptions) -> list[Entry]:
    kind = poll.source.kind if poll.source.kind != "auto" else detect_kind(doc)
    poll.kind = kind
    if kind == "feed":
        return _feed(doc, poll, options)
    if kind in ("sitemap", "sitemapindex"):
        return _sitemap(fetcher, doc, poll.source)
    links = listing_links(document_text(doc), doc.url)
    if not links:
        raise InputError("HTML page lists no article links (force --kind feed or sitemap if it is one)",
                         poll.source.url)
    return [Entry(stable_id(link.url), link, "listed") for link in links]


def _feed(doc: Document, poll: Poll, options: PollOptions) -> list[Entry]:
    entries: list[Entry] = []
    for item in read_feed(xml_utf8(doc), doc.url, poll.source.name):
        if isinstance(item, InputError):
            if item.origin is not None and getattr(item.origin, "line", None) is None:
                raise item  # the feed as a whole is unreadable
            poll.rejected.append(item)
        elif item.url and len(item.body) < options.min_body:
            fp = fingerprint(item.title, item.body, item.published_at, item.url)
            entries.append(Entry(item.id or stable_id(item.url), PageLink(item.url), fp, item))
        else:
            poll.articles.append(item)
    return entries


def _sitemap(fetcher: Fetcher, doc: Document, source: Source) -> list[Entry]:
    links = sitemap_links(xml_utf8(doc))
    if detect_kind(doc) == "sitemapindex":  # the newest child sitemaps
        children = [xml_utf8(fetcher.get(child.url)) for child in links[:MAX_CHILD_SITEMAPS]]
        links = [link for data in children for link in sitemap_links(data)]
    if not links:
        raise InputError("sitemap lists no URLs", source.url)
    return [Entry(stable_id(link.url), link, fingerprint(link.title, link.published, link.modified))
            for link in links]


def _fetch_pages(fetcher: Fetcher, todo: list[Entry], poll: Poll, options: PollOptions) -> None:
    for entry in todo[:options.max_pages]:
        article = _page(fetcher, entry, poll)
        if article is not None:
            poll.articles.append(article)
    for entry in todo[options.max_pages:]:  # over the budget: the feed's version now, the page later
        poll.retry = True
        if (fallback := poll.summary(entry)) is not None:
            poll.articles.append(fallback)


def _page(fetcher: Fetcher, entry: Entry, poll: Poll) -> Article | None:
    poll.pages += 1
    try:
        doc = fetcher.get(entry.link.url, accept=PAGE_ACCEPT)
        article = _merge(extract(document_text(doc), entry.link.url, poll.source.name, entry.link.url), entry)
    except Abandoned:
        raise
    except (FetchError, InputError) as exc:
        poll.page_errors += 1
        log.info("%s: page not used: %s", entry.link.url, exc)
        if isinstance(exc, FetchError) and is_transient(exc):
            poll.retry = True
        else:
            poll.seen[entry.key] = entry.fingerprint  # a refusal or an empty page: don't ask again
        return poll.summary(entry)
    poll.seen[entry.key] = entry.fingerprint
    return article


def _merge(page: Article, entry: Entry) -> Article:
    """The extracted page under the item's id, with what the source said where it is better."""
    page.id, page.url = entry.key, entry.link.url
    feed = entry.fallback
    if feed is not None:
        page.title = feed.title or page.title
        page.published_at = feed.published_at or page.published_at
        page.author = feed.author or page.author
        page.editor_tags = feed.editor_tags or page.editor_tags
        if not page.lead and feed.body and not page.body.startswith(feed.body[:60]):
            page.lead = feed.body
    else:
        page.title = entry.link.title or page.title
        page.published_at = _date(entry.link.published) or page.published_at
    return page


def over_stored(stored: Article, entry: Entry) -> Article:
    """The stored article (what its page said when last fetched) with what the feed says now, as a fetch
    of the unchanged page would give: the feed's changes without losing the page's full text."""
    article = _merge(stored, entry)
    if entry.fallback is not None:
        article.source, article.fetched_at = entry.fallback.source, entry.fallback.fetched_at
        article.lang, article.origin = entry.fallback.lang, entry.fallback.origin
    return article


def _date(value: str | None) -> datetime | None:
    try:
        return parse_date(value)
    except InputError:
        return None


def _finish(poll: Poll, now: datetime) -> None:
    for article in poll.articles:
        article.fetched_at = now
        article.source = poll.source.name
        if poll.source.lang and not article.lang:
            article.lang = poll.source.lang
    log.info("%s: %s, %d items, %d pages (%d failed)", poll.source.url, poll.kind, len(poll.articles),
             poll.pages, poll.page_errors)
