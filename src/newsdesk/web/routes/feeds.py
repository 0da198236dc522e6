"""Feeds out: RSS 2.0 and Atom for the whole site and for each tag."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from newsdesk import gazetteer
from newsdesk.errors import NotFound
from newsdesk.store import listing
from newsdesk.store.listing import Filter
from newsdesk.web import feedxml, views
from newsdesk.web.render import SITE_NAME
from newsdesk.web.routes.deps import Conn, ReleasingRoute

router = APIRouter(include_in_schema=False, route_class=ReleasingRoute)
SIZE = 50
TYPES = {"rss": "application/rss+xml; charset=utf-8", "atom": "application/atom+xml; charset=utf-8"}


def _base(request: Request) -> str:
    """The site's address for feed links and item ids: ``NEWSDESK_SITE_URL``, else the one the request came to."""
    return (request.app.state.settings.site_url or str(request.base_url)).rstrip("/")


def _feed(request: Request, conn: Conn, flt: Filter, channel: feedxml.Channel, fmt: str) -> Response:
    ids, _ = listing.page_ids(conn, flt, SIZE)
    items = listing.cards(conn, ids)
    build = feedxml.rss if fmt == "rss" else feedxml.atom
    return Response(build(channel, items, _base(request)), media_type=TYPES[fmt])


def _site(request: Request, path: str) -> feedxml.Channel:
    base = _base(request)
    return feedxml.Channel(SITE_NAME, base + "/", base + path, "Новости Казахстана", "Қазақстан жаңалықтары")


@router.get("/feed.xml")
def site_rss(request: Request, conn: Conn) -> Response:
    return _feed(request, conn, Filter(), _site(request, "/feed.xml"), "rss")


@router.get("/atom.xml")
def site_atom(request: Request, conn: Conn) -> Response:
    return _feed(request, conn, Filter(), _site(request, "/atom.xml"), "atom")


def _tag_channel(request: Request, conn: Conn, slug: str, name: str) -> feedxml.Channel:
    tag = listing.tag_info(conn, slug)
    if tag is None:
        raise NotFound(f"no tag {slug!r}")
    base, path = _base(request), f"/tag/{quote(slug)}"
    title = views.tag_title(tag["name"])
    return feedxml.Channel(f"{title} — {SITE_NAME}", base + path, f"{base}{path}/{name}", f"Новости по теме «{title}»",
                            f"«{gazetteer.tag_label(tag['name'], 'kk')}» тақырыбы бойынша жаңалықтар")


@router.get("/tag/{slug}/feed.xml")
def tag_rss(request: Request, conn: Conn, slug: str) -> Response:
    if (moved := views.moved_tag(slug, conn)) is not None:  # a place's Kazakh-named tag of older archives
        return RedirectResponse(f"/tag/{quote(moved)}/feed.xml", status_code=301)
    return _feed(request, conn, Filter(tag=slug), _tag_channel(request, conn, slug, "feed.xml"), "rss")


@router.get("/tag/{slug}/atom.xml")
def tag_atom(request: Request, conn: Conn, slug: str) -> Response:
    if (moved := views.moved_tag(slug, conn)) is not None:
        return RedirectResponse(f"/tag/{quote(moved)}/atom.xml", status_code=301)
    return _feed(request, conn, Filter(tag=slug), _tag_channel(request, conn, slug, "atom.xml"), "atom")
