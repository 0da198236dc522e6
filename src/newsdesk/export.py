"""Export: JSON lines of every article with everything the engine learned.

The record shape is the ingest schema plus the learned fields, so an export ingests back
into an empty archive unchanged (see docs/formats.md).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import Connection

from newsdesk.store.queries import export

FIELDS = ("id", "kind", "url", "source", "author", "title", "lead", "text", "published_at", "fetched_at",
          "lang", "rubric", "rubric_confidence", "section", "tags", "tag_slugs", "tag_kinds", "editor_tags",
          "rejected_tags", "auto_tags", "suggested_tags", "entities", "thread_id", "duplicate_of", "nlp_version")


def export_record(article: dict[str, Any]) -> dict[str, Any]:
    record = {name: article[name] for name in FIELDS}
    for name in ("published_at", "fetched_at"):
        if isinstance(record[name], datetime):
            record[name] = record[name].isoformat()
    record["entities"] = [_entity(e) for e in article["entities"]]
    return record


def _entity(e: dict[str, Any]) -> dict[str, Any]:
    """An entity as exported: its Kazakh spelling only where the archive met one (re-ingested, pages keep it)."""
    out = {k: e[k] for k in ("name", "type", "mentions", "slug")}
    return out | {"kazakh_name": e["kazakh_name"]} if e.get("kazakh_name") else out


def write_jsonl(conn: Connection, out: TextIO) -> int:
    count = 0
    for article in export(conn):
        out.write(json.dumps(export_record(article), ensure_ascii=False) + "\n")
        count += 1
    return count
