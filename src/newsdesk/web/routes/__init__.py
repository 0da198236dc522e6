"""The routers the app includes, in order.  Another developer adds a page or endpoint group by
writing ``routes/<name>.py`` with an ``APIRouter`` called ``router`` and appending one line here;
``create_app(settings, extra_routers=[...])`` adds more without touching this list.

Order matters only where paths overlap: more specific routers go first; ``pages`` ends with
catch-all paths (``/source/{name:path}``), so routers added later never get shadowed by it.
"""

from __future__ import annotations

from fastapi import APIRouter

from newsdesk.web.routes import api, docs, feeds, pages, search, sources, stories, ui

ROUTERS: list[APIRouter] = [stories.router, api.router, docs.router, feeds.router, search.router, ui.router,
                            pages.router, sources.router]
