"""One search as the backends receive it: the parsed query, the filter condition, paging, ranking."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newsdesk.search.filters import Condition
from newsdesk.search.query import Query

# Ranking looks at the newest CAP matches only (by docid, i.e. indexing order): FTS5 and PostgreSQL
# score every candidate, so a word found in half a million articles would otherwise cost 0.2–1.5 s.
# Sorting by date orders the same CAP candidates by their publication time.
CAP = 10_000
HALF_LIFE_DAYS = 30.0  # with recency, an article this old counts half, one twice as old a third
UNDATED_AGE = 365  # days assumed for articles without a date


@dataclass(frozen=True, slots=True)
class Plan:
    query: Query
    where: Condition
    limit: int = 20
    offset: int = 0
    recency: bool = False
    today: int = 0  # days since 1970-01-01 UTC
    newest: bool = False  # newest first (by publication time, undated last), not best first
    cap: int = CAP

    def params(self, match: str) -> dict[str, Any]:
        return {"q": match, "cap": self.cap, "limit": self.limit, "offset": self.offset, "today": self.today,
                **self.where.params}


def recency_sql(day: str) -> str:
    """Weight in (0, 1] for an article published on ``day`` (a column), relative to ``:today``."""
    age = f"(CASE WHEN {day} IS NULL THEN {UNDATED_AGE} WHEN :today - {day} < 0 THEN 0 ELSE :today - {day} END)"
    return f"(1.0 / (1.0 + {age} / {HALF_LIFE_DAYS}))"
