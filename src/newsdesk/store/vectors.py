"""Articles' dense vectors in the archive (``article_vectors``), so the encoder reads each text once.

A row is valid for the model that made it and the text it read (`dense.fingerprint`); an edited
article or another model simply misses and is embedded again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from sqlalchemy import Connection, Table, delete, select

from newsdesk import dense
from newsdesk.records import Article
from newsdesk.store.models import VectorRow

VECTORS: Table = VectorRow.__table__  # type: ignore[assignment]
_CHUNK = 500  # ids per IN (…) query


def save_vectors(conn: Connection, vectors: Iterable[tuple[Article, np.ndarray]]) -> None:
    rows = [{"article_id": a.id, "model": dense.MODEL, "text_hash": dense.fingerprint(a),
             "vector": v.astype(np.float16).tobytes()} for a, v in vectors]
    for i in range(0, len(rows), _CHUNK):
        chunk = rows[i:i + _CHUNK]
        conn.execute(delete(VECTORS).where(VECTORS.c.article_id.in_([r["article_id"] for r in chunk])))
        conn.execute(VECTORS.insert(), chunk)


def vectors_by_id(conn: Connection, ids: Sequence[str]) -> dict[str, np.ndarray]:
    """``{article id: vector}`` of this model, without checking the text (for ranking, where a vector one
    edit old does no harm; an edited article is embedded again on ingest anyway)."""
    found = dict[str, np.ndarray]()
    for i in range(0, len(ids), _CHUNK):
        rows = conn.execute(select(VECTORS.c.article_id, VECTORS.c.vector)
                            .where(VECTORS.c.article_id.in_(ids[i:i + _CHUNK]), VECTORS.c.model == dense.MODEL))
        found.update((r.article_id, np.frombuffer(r.vector, dtype=np.float16).astype(np.float32)) for r in rows)
    return found


def stored_vectors(conn: Connection, articles: Sequence[Article]) -> dict[str, np.ndarray]:
    """``{article id: vector}`` for the articles whose stored vector still matches their text."""
    wanted = {a.id: dense.fingerprint(a) for a in articles if a.id}
    ids, found = list(wanted), dict[str, np.ndarray]()
    for i in range(0, len(ids), _CHUNK):
        rows = conn.execute(select(VECTORS.c.article_id, VECTORS.c.text_hash, VECTORS.c.vector)
                            .where(VECTORS.c.article_id.in_(ids[i:i + _CHUNK]), VECTORS.c.model == dense.MODEL))
        found.update((r.article_id, np.frombuffer(r.vector, dtype=np.float16).astype(np.float32))
                     for r in rows if r.text_hash == wanted[r.article_id])
    return found
