"""The interface-language switch: ``/ui/kk?next=/article/x`` and ``/ui/ru?next=…`` remember the reader's
choice in a cookie and send them back (303) to ``next`` — a path on this site, nowhere else.  Plain links:
the switch works without JavaScript."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from newsdesk.errors import NotFound
from newsdesk.web import i18n

router = APIRouter(include_in_schema=False)
YEAR = 365 * 86400
Next = Annotated[str | None, Query(alias="next", max_length=2000, description="Where to go back: a local path.")]


def local_path(target: str | None) -> str:
    """``target`` when it is a path on this site, else ``/``: no scheme, no host, no ``//host`` or ``/\\host``
    (browsers read both as another site), no control characters (browsers drop tabs and newlines, which
    would turn ``/\\t/evil.com`` into ``//evil.com``)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    if any(ch < " " or ch == "\x7f" for ch in target):
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


@router.get("/ui/{lang}")
def switch(request: Request, lang: str, back: Next = None) -> RedirectResponse:
    if lang not in i18n.UI_LANGS:
        raise NotFound(f"no interface language {lang!r}; there are: {', '.join(i18n.UI_LANGS)}")
    response = RedirectResponse(local_path(back), status_code=303, headers={"Cache-Control": "no-store"})
    response.set_cookie(i18n.COOKIE, lang, max_age=YEAR, path="/", samesite="lax", httponly=True,
                        secure=request.url.scheme == "https")
    return response
