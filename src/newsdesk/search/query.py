"""What a search box can send, turned into a safe query: words, «quoted phrases», nothing else.

    пенсионные "взносы работодателей" Алматы
      └── word ──┘ └───── phrase ──────┘ └ word ┘   (all must match)

Each word becomes the set of its readings — its lemmas under each analyzer a document may have
been indexed with (Russian, Kazakh, English, other) — so «Алматы» finds Kazakh «Алматыда» (lemma
«алматы») and Russian «Алматы» alike.  A phrase is its words' lemmas in order, one reading per
language (a document is written in one language).  Operators and syntax of the
engines (``* : ( ) NEAR AND OR ^``) are never passed through: terms are plain runs of letters and
digits, quoted by us, so no input can break a MATCH expression or a ``tsquery``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from newsdesk import analyze
from newsdesk.search.terms import lemma_terms

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 12
MAX_PHRASE_WORDS = 16
READING_LANGS = ("ru", "kk", "kk_latn", "en", "other")
QUOTES = str.maketrans({c: '"' for c in "«»„“”‟″"})
OPERATORS = frozenset(("AND", "OR", "NOT", "NEAR"))  # engine syntax someone typed: ignored, not searched
# Function words dropped from free words when something else is left to search for.
STOP = frozenset(
    ("в", "во", "на", "и", "с", "со", "по", "о", "об", "к", "ко", "у", "за", "из", "от", "до",
     "для", "не", "ни", "а", "но", "что", "как", "это", "же", "ли", "бы", "то", "или", "при",
     "мен", "және", "да", "де", "та", "те", "бен", "пен", "ол", "бұл", "the", "of", "and", "to",
     "in", "a", "an", "is", "for", "on")
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Clause:
    """Matches a document containing any one of its term sequences (a word's readings, or a phrase)."""

    options: tuple[tuple[str, ...], ...]
    phrase: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    clauses: tuple[Clause, ...]

    def __bool__(self) -> bool:
        return bool(self.clauses)

    @property
    def terms(self) -> frozenset[str]:
        """Every term any clause can match (what snippets highlight)."""
        return frozenset(t for c in self.clauses for option in c.options for t in option)

    def fts5(self) -> str:
        """An FTS5 MATCH expression: ``("a" OR "b") AND "c d"``."""
        return " AND ".join(_fts5_clause(c) for c in self.clauses)

    def tsquery(self) -> str:
        """The same expression as ``tsquery`` text: ``('a' | 'b') & 'c' <-> 'd'``."""
        return " & ".join(_ts_clause(c) for c in self.clauses)


def parse(text: str) -> Query:
    """Never raises: whatever the input, the result is a (possibly empty) safe query."""
    parts = str(text or "")[:MAX_QUERY_CHARS].translate(QUOTES).split('"')
    clauses: list[Clause] = []
    for i, part in enumerate(parts):
        clauses.extend(_phrase(part) if i % 2 else _words(part))
    return Query(tuple(_unique(_drop_stop_words(clauses)))[:MAX_CLAUSES])


def _words(text: str) -> list[Clause]:
    return [Clause(options) for w in _surface_words(text) if (options := readings(w))]


def _phrase(text: str) -> list[Clause]:
    words = _surface_words(text)[:MAX_PHRASE_WORDS]
    options = readings(" ".join(words))
    if len(words) <= 1 or not options:
        return [Clause(options)] if options else []
    return [Clause(options, phrase=True)]


def _surface_words(text: str) -> list[str]:
    return [t.text for t in analyze.tokens(text, None) if t.text not in OPERATORS]


@lru_cache(maxsize=20_000)
def readings(text: str) -> tuple[tuple[str, ...], ...]:
    """The term sequences a query word (or phrase) may stand for, one per analyzer, most likely first."""
    found: dict[tuple[str, ...], None] = {}
    for lemmas in _lemmatisations(text):
        terms = tuple(t for lemma in lemmas for t in lemma_terms(lemma))
        if terms:
            found.setdefault(terms)
    return tuple(found)


def _lemmatisations(text: str) -> list[list[str]]:
    out: list[list[str]] = [analyze.lemmas(text, lang) for lang in READING_LANGS]
    per_word = getattr(analyze, "query_lemmas", None)
    if per_word is not None:  # one tuple of alternatives per word: read them as parallel sequences
        words = [w if isinstance(w, tuple | list) else (w,) for w in per_word(text)]
        width = max((len(w) for w in words), default=0)
        out.extend([w[min(k, len(w) - 1)] for w in words] for k in range(width))
    return out


def _drop_stop_words(clauses: list[Clause]) -> list[Clause]:
    kept = [c for c in clauses if c.phrase or not _is_stop(c)]
    return kept or clauses


def _is_stop(clause: Clause) -> bool:
    is_stop = getattr(analyze, "is_stop", None)
    return any(len(option) == 1 and (option[0] in STOP or (is_stop is not None and is_stop(option[0])))
               for option in clause.options)


def _unique(clauses: list[Clause]) -> list[Clause]:
    return list(dict.fromkeys(clauses))


def _fts5_clause(clause: Clause) -> str:
    options = [f'"{" ".join(option)}"' for option in clause.options]
    return options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")"


def _ts_clause(clause: Clause) -> str:
    options = [" <-> ".join(f"'{t}'" for t in option) for option in clause.options]
    if len(options) == 1 and len(clause.options[0]) == 1:
        return options[0]
    return "(" + " | ".join(f"({o})" if "<->" in o else o for o in options) + ")"
