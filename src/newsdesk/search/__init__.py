"""Full-text search in Russian and Kazakh over our own lemmas: one interface, two backends.

    query ─► query.parse ─► Query (words as sets of lemmas, «phrases») ─┬─► sqlite.py   FTS5 + bm25
                                                                        └─► postgres.py tsvector + GIN
    article ─► terms.analyze_fields (analyze.lemmas) ─► IndexedDoc ─► the same two backends

Both backends index the same terms, so they return the same hits; snippets are cut from the original
text with ``analyze.tokens`` offsets (``snippets.py``).
"""

from newsdesk.search.engine import Hit, Results, SearchStage, index, remove, search, write
from newsdesk.search.filters import Filters
from newsdesk.search.query import Query, parse
from newsdesk.search.reindex import reindex, stale
from newsdesk.search.terms import version

__all__ = ["Filters", "Hit", "Query", "Results", "SearchStage", "index", "parse", "reindex", "remove",
           "search", "stale", "version", "write"]
