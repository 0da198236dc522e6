"""The fields an editor owns: what an editor set through the API («tags», «rubric», a title…) stays when
the article's source sends it again changed.  The source's new text still comes in; the editor's fields are
put back into its record before the stages run, until the editor changes them again."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection

from newsdesk.records import Article
from newsdesk.store.queries import article_dicts
from newsdesk.store.writer import Existing


def keep_editors(conn: Connection, changed: list[tuple[Article, Existing]]) -> None:
    """Put the stored values of the fields an editor set back into the source's records of ``changed``."""
    owned = {a.id: old.editor_fields for a, old in changed if old.editor_fields}
    if not owned:
        return
    stored = {d["id"]: d for d in article_dicts(conn, list(owned))}  # type: ignore[arg-type]
    for article, _old in changed:
        if article.id in owned and article.id in stored:
            put_back(article, stored[article.id], owned[article.id])


def put_back(article: Article, stored: dict[str, Any], fields: Collection[str]) -> None:
    """``fields`` (the API's names, `editing.EDITABLE`) of the ``stored`` article into ``article``."""
    for name in fields:
        if name == "tags":
            article.editor_tags = list(stored["editor_tags"])
        elif name == "rejected_tags":
            article.rejected_tags = list(stored.get("rejected_tags") or [])
        elif name == "text":
            article.paragraphs = [p for p in stored["text"].split("\n\n") if p]
        elif name == "rubric":
            given = stored["rubric_confidence"] is None  # the editor's rubric; else the editor cleared it
            article.rubric, article.rubric_confidence = (stored["rubric"] if given else None), None
        elif name in _PLAIN:
            setattr(article, name, stored[name])
    article.editor_fields = set(fields)


_PLAIN = ("kind", "url", "source", "author", "title", "lead", "published_at", "lang", "section")
