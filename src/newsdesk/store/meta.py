"""Small key/value state in the ``meta`` table (learned indexes, versions)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, delete, select

from newsdesk.store.models import MetaRow

META: Table = MetaRow.__table__  # type: ignore[assignment]


def get_meta(conn: Connection, key: str, default: Any = None) -> Any:
    value = conn.scalar(select(META.c.value).where(META.c.key == key))
    return default if value is None else value


def set_meta(conn: Connection, key: str, value: Any) -> None:
    conn.execute(delete(META).where(META.c.key == key))
    conn.execute(META.insert().values(key=key, value=value))
