"""Index terms: the analyzer's lemmas, normalised the same way for documents and queries.

A lemma becomes one or more *terms*: lower case, «ё» folded to «е», split on anything that is not a
letter or digit («алма-ата» → «алма», «ата», kept adjacent so it still matches as a phrase).  Terms
are plain runs of letters and digits, so every backend (FTS5's ``ascii`` tokenizer, a PostgreSQL
``tsvector`` built verbatim, tantivy's whitespace tokenizer) sees exactly the same tokens.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from newsdesk import analyze

TERMS_VERSION = "1"  # bump when the normalisation below changes: every article is reindexed
MAX_TERM = 64  # longer runs (hashes, base64) are not words anyone searches for
FIELDS = ("title", "lead", "body")
_RUN = re.compile(r"[^\W_]+")


def version() -> str:
    """What an indexed document depends on: the analyzer's version and this normalisation's."""
    return f"{getattr(analyze, 'ANALYZER_VERSION', '0')}+t{TERMS_VERSION}"


@lru_cache(maxsize=200_000)
def lemma_terms(lemma: str) -> tuple[str, ...]:
    folded = lemma.lower().replace("ё", "е")
    return tuple(t for t in _RUN.findall(folded) if len(t) <= MAX_TERM)


def text_terms(text: str, lang: str | None) -> list[str]:
    """The index terms of a text, in order."""
    out: list[str] = []
    for lemma in analyze.lemmas(text, lang):
        out.extend(lemma_terms(lemma))
    return out


@dataclass(frozen=True, slots=True)
class IndexedDoc:
    """One article as the index sees it: the terms of its title, lead and body, space-separated."""

    article_id: str
    title: str
    lead: str
    body: str
    day: int | None = None  # publication day, days since 1970-01-01 UTC

    def fields(self) -> tuple[str, str, str]:
        return self.title, self.lead, self.body

    def pack(self) -> bytes:
        """Compact copy of the terms, kept so a document can be removed or re-fed without re-analysis."""
        return zlib.compress("\x1f".join(self.fields()).encode(), 1)


def unpack(article_id: str, blob: bytes, day: int | None = None) -> IndexedDoc:
    title, lead, body = zlib.decompress(blob).decode().split("\x1f")
    return IndexedDoc(article_id, title, lead, body, day)


def analyze_fields(article_id: str, title: str, lead: str, body: str, lang: str | None,
                   published_at: datetime | None = None) -> IndexedDoc:
    return IndexedDoc(article_id, " ".join(text_terms(title, lang)), " ".join(text_terms(lead, lang)),
                      " ".join(text_terms(body, lang)), day_number(published_at))


def day_number(moment: datetime | None) -> int | None:
    """Days since 1970-01-01 UTC (naive datetimes are taken as UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() // 86400)
