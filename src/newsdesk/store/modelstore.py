"""Trained models kept in the archive's ``models`` table: a model's files packed into one zip blob."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Table, delete, select, update

from newsdesk.store.models import ModelRow

MODELS: Table = ModelRow.__table__  # type: ignore[assignment]
T = TypeVar("T")


def save_model(conn: Connection, name: str, writer: Callable[[Path], None], meta: dict[str, Any] | None = None) -> None:
    """Store what ``writer(path)`` writes (``path`` and its siblings) under ``name``, replacing any older one."""
    with tempfile.TemporaryDirectory(prefix="newsdesk-model-") as tmp:
        writer(Path(tmp) / "model.npz")
        files = sorted(p for p in Path(tmp).iterdir() if p.is_file())
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
            for path in files:
                zf.write(path, path.name)
    conn.execute(delete(MODELS).where(MODELS.c.name == name))
    conn.execute(MODELS.insert().values(name=name, created_at=datetime.now(UTC), meta=meta or {},
                                        files=[p.name for p in files], data=buf.getvalue()))


def load_model(conn: Connection, name: str, reader: Callable[[Path], T]) -> T | None:
    """The model stored under ``name`` read back with ``reader(path)``, or None when there is none."""
    row = conn.execute(select(MODELS.c.data).where(MODELS.c.name == name)).first()
    if row is None:
        return None
    with tempfile.TemporaryDirectory(prefix="newsdesk-model-") as tmp:
        with zipfile.ZipFile(io.BytesIO(row.data)) as zf:
            zf.extractall(tmp)
        return reader(Path(tmp) / "model.npz")


def model_info(conn: Connection, name: str) -> dict[str, Any] | None:
    row = conn.execute(select(MODELS.c.created_at, MODELS.c.meta).where(MODELS.c.name == name)).first()
    return None if row is None else {"name": name, "created_at": row.created_at, "meta": row.meta}


def update_meta(conn: Connection, name: str, changes: dict[str, Any]) -> None:
    """Change keys of a stored model's meta, leaving the model itself as it is."""
    meta = conn.scalar(select(MODELS.c.meta).where(MODELS.c.name == name))
    conn.execute(update(MODELS).where(MODELS.c.name == name).values(meta=(meta or {}) | changes))
