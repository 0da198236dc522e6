"""Search filters and the SQL condition they become (the same on SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.sql.elements import BindParameter

from newsdesk import gazetteer
from newsdesk.store.types import UTCDateTime


@dataclass(frozen=True, slots=True)
class Filters:
    """Narrow a search: every given filter must hold.  ``since`` is inclusive, ``until`` exclusive."""

    tag: str | None = None  # tag name or slug; editor and applied engine tags count, suggestions don't
    rubric: str | None = None
    lang: str | None = None
    source: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def __bool__(self) -> bool:
        return any(getattr(self, name) not in (None, "") for name in self.__slots__)  # type: ignore[attr-defined]


@dataclass
class Condition:
    """SQL over the ``articles`` table aliased ``a``, with its bound values."""

    sql: str
    params: dict[str, Any]
    binds: list[BindParameter[Any]]


TAG_SQL = ("EXISTS (SELECT 1 FROM article_tags at_ JOIN tags t_ ON t_.id = at_.tag_id "
           "WHERE at_.article_id = a.id AND at_.origin IN ('editor', 'auto') AND t_.slug = :f_tag)")


def condition(filters: Filters) -> Condition:
    parts: list[str] = []
    params: dict[str, Any] = {}
    binds: list[BindParameter[Any]] = []
    for name in ("rubric", "lang", "source"):
        if value := getattr(filters, name):
            parts.append(f"a.{name} = :f_{name}")
            params[f"f_{name}"] = value
    if filters.tag:
        parts.append(TAG_SQL)
        params["f_tag"] = gazetteer.tag_slug(filters.tag)
    for name, op in (("since", ">="), ("until", "<")):
        if (moment := getattr(filters, name)) is not None:
            parts.append(f"a.published_at {op} :f_{name}")
            binds.append(bindparam(f"f_{name}", moment, type_=UTCDateTime()))
    return Condition(" AND ".join(parts), params, binds)
