"""Small key/value state in the ``meta`` table (learned indexes, versions)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Connection, Table, delete, select

from newsdesk.errors import InputError
from newsdesk.store.models import MetaRow

log = logging.getLogger(__name__)
T = TypeVar("T")

META: Table = MetaRow.__table__  # type: ignore[assignment]


def get_meta(conn: Connection, key: str, default: Any = None) -> Any:
    value = conn.scalar(select(META.c.value).where(META.c.key == key))
    return default if value is None else value


def restore_state(state: Any, from_state: Callable[[Any], T], fresh: Callable[[], T], what: str) -> T:
    """A stage's state object from its saved JSON, or a fresh one when there is none or it is outdated."""
    if not state:
        return fresh()
    try:
        return from_state(state)
    except InputError as exc:
        log.warning("%s not restored (%s); starting anew", what, exc)
        return fresh()


def set_meta(conn: Connection, key: str, value: Any) -> None:
    conn.execute(delete(META).where(META.c.key == key))
    conn.execute(META.insert().values(key=key, value=value))
