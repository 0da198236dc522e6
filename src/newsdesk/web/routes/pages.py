"""HTML pages (each with a JSON twin at ``?format=json``): home, article, tag, rubric, source,
language and the tag index."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from newsdesk.web import views
from newsdesk.web.render import render
from newsdesk.web.routes.deps import Conn, ReleasingRoute

router = APIRouter(include_in_schema=False, route_class=ReleasingRoute)
After = Annotated[str | None, Query(max_length=400, description="Cursor of the page to show.")]


def _size(request: Request) -> int:
    return request.app.state.settings.page_size


@router.get("/")
def home(request: Request, conn: Conn, after: After = None) -> Response:
    return render(request, "home.html", views.home(conn, _size(request), after, request.app.state.memo))


@router.get("/article/{article_id:path}")
def article(request: Request, conn: Conn, article_id: str) -> Response:
    context = views.article(conn, article_id, request.app.state.memo)
    return render(request, "article.html", context, content_lang=context["article"]["lang"])


@router.get("/tags")
def tags(request: Request, conn: Conn) -> Response:
    return render(request, "tags.html", views.tags(conn))


@router.get("/tag/{slug}")
def tag(request: Request, conn: Conn, slug: str, after: After = None) -> Response:
    moved = views.moved_tag(slug, conn)
    if moved is not None:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"/tag/{quote(moved)}{query}", status_code=301)
    return render(request, "list.html", views.tag_page(conn, slug, _size(request), after))


@router.get("/rubric/{rubric}")
def rubric(request: Request, conn: Conn, rubric: str, after: After = None) -> Response:
    return render(request, "list.html", views.rubric_page(conn, rubric, _size(request), after))


@router.get("/lang/{lang}")
def lang(request: Request, conn: Conn, lang: str, after: After = None) -> Response:
    return render(request, "list.html", views.lang_page(conn, lang, _size(request), after), content_lang=lang)


@router.get("/source/{name:path}")
def source(request: Request, conn: Conn, name: str, after: After = None) -> Response:
    return render(request, "list.html", views.source_page(conn, name, _size(request), after))
