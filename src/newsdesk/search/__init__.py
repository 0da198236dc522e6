"""Full-text search in Russian and Kazakh over our own lemmas: one interface, three engines.

    query ─► query.parse ─► Query (words as sets of lemmas, «phrases») ─┬─► sqlite.py    FTS5 + bm25
                                                                        ├─► postgres.py  tsvector + GIN
                                                                        └─► fastindex.py tantivy (optional)
    article ─► terms.analyze_fields (analyze.lemmas) ─► IndexedDoc ─► search_docs + FTS5 / tsvector
                                                          search_docs.seq ─► tantivy follows the database

The database index is always written and is the source of truth; with ``search_engine=tantivy`` an
embedded index derived from it answers (block-max pruning: p95 < 30 ms at 1M articles).  All engines
index the same terms, so they return the same hits; a copy whose original matches too is folded under
it before paging (``fold.py``); snippets are cut from the original text with ``analyze.tokens`` offsets
(``snippets.py``).
"""

from newsdesk.search.engine import Hit, Results, SearchStage, index, remove, search, write
from newsdesk.search.fastindex import FastIndex, for_settings
from newsdesk.search.filters import Filters
from newsdesk.search.query import Query, parse
from newsdesk.search.reindex import reindex, stale
from newsdesk.search.terms import version

__all__ = ["FastIndex", "Filters", "Hit", "Query", "Results", "SearchStage", "for_settings", "index", "parse",
           "reindex", "remove", "search", "stale", "version", "write"]
