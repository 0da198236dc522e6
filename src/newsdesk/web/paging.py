"""Cursors of ranked lists (top stories, trending tags, the tag audit), opaque to clients:

    {"o": 40, "at": "2026-11-24T15:00:00+05:00", "q": "3f9c0a51d2e87b64"}   base64url, no padding

``o`` is the offset into the ranking, ``at`` the time the first page was ranked at (a ranking by freshness
would otherwise move under a client walking it while the clock runs) and ``q`` a fingerprint of the list and
its filters: a cursor handed out for another query is refused with a 422 naming the parameter.  The page
size is not part of the query, so a client may change ``limit`` while walking.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsdesk.web.errors import ApiError


@dataclass(frozen=True, slots=True)
class Position:
    offset: int = 0
    at: datetime | None = None  # the ranking's time; None for lists that do not depend on the clock


def fingerprint(name: str, query: Mapping[str, Any]) -> str:
    """The list and its filters (those set), as 16 hex digits."""
    shown = sorted((key, str(value)) for key, value in query.items() if value is not None)
    return hashlib.sha256(json.dumps([name, shown], ensure_ascii=False).encode()).hexdigest()[:16]


def encode(position: Position, name: str, query: Mapping[str, Any]) -> str:
    data = {"o": position.offset, "at": position.at.isoformat() if position.at else None,
            "q": fingerprint(name, query)}
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(text: str | None, name: str, query: Mapping[str, Any], field: str = "cursor") -> Position:
    """The position ``text`` names in this query's list (the start when None), or a 422 on ``field``."""
    if text is None:
        return Position()
    data = _load(text, field)
    if data.get("q") != fingerprint(name, query):
        raise ApiError(422, f"this cursor belongs to another query: repeat the query that gave it, with "
                       f"the same filters, or drop {field}", field)
    return Position(data["o"], datetime.fromisoformat(data["at"]) if data["at"] else None)


def _load(text: str, field: str) -> dict[str, Any]:
    try:
        data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        valid = isinstance(data, dict) and isinstance(data.get("o"), int) and data["o"] >= 0
        if valid and data.get("at") is not None:
            valid = datetime.fromisoformat(data["at"]).tzinfo is not None
    except (ValueError, TypeError, binascii.Error):
        valid = False
    if not valid:
        raise ApiError(422, f"not a cursor this site gave out: {text[:40]!r}; pass the next_cursor of a "
                       "previous page", field)
    return data  # type: ignore[no-any-return]  # checked above


def page(items: Sequence[Any], position: Position, limit: int, name: str,
         query: Mapping[str, Any]) -> dict[str, Any]:
    """``{"items", "next_cursor"}`` of a page from ``items`` (the ranking from ``position.offset`` on, one
    more than ``limit`` when there is a next page)."""
    more = len(items) > limit
    after = Position(position.offset + limit, position.at)
    return {"items": list(items[:limit]), "next_cursor": encode(after, name, query) if more else None}
