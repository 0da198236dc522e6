"""What a search box can send, turned into a safe query: words, «quoted phrases», OR, and exclusions.

    пенсионные "взносы работодателей" Алматы OR Астана -фонд
      └── word ──┘ └───── phrase ──────┘ └─ either word ─┘ └ none ┘   (every part must hold)

``-word`` and ``-"phrase"`` (or ``NOT word``) exclude the articles that contain them; ``OR`` (upper case
only: «or», «или» are words) lets either neighbour match.  A query that only excludes, names more than
``MAX_CLAUSES`` words and phrases, or quotes a phrase longer than ``MAX_PHRASE_WORDS``, is refused
(``Query.problem``) rather than searched loosely.

Each word becomes the set of its readings — its lemmas under each analyzer a document may have
been indexed with (Russian, Kazakh, English, other) — so «Алматы» finds Kazakh «Алматыда» (lemma
«алматы») and Russian «Алматы» alike.  A phrase is its words' lemmas in order, one reading per
language (a document is written in one language).  Operators and syntax of the
engines (``* : ( ) NEAR AND ^``) are never passed through: terms are plain runs of letters and
digits, quoted by us, so no input can break a MATCH expression or a ``tsquery``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from newsdesk import analyze
from newsdesk.search.terms import lemma_terms

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 12
MAX_PHRASE_WORDS = 16
READING_LANGS = ("ru", "kk", "kk_latn", "en", "other")
QUOTES = str.maketrans({c: '"' for c in "«»„“”‟″"})
OPERATORS = frozenset(("AND", "OR", "NOT", "NEAR"))  # never searched for; OR and NOT between terms are ours
# A quoted phrase (a missing closing quote runs to the end) or a run without spaces and quotes; either may
# follow a minus that starts it («-фонд», «-"пенсионный фонд"»: not «Алма-Ата»).
_PIECE = re.compile(r'(?P<minus>(?<!\S)-)?(?:"(?P<phrase>[^"]*)"?|(?P<run>[^\s"]+))')
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
    """Matches a document that every clause matches and no excluded clause does."""

    clauses: tuple[Clause, ...]
    excluded: tuple[Clause, ...] = ()
    size: int = 0  # words and phrases asked for, each OR alternative and exclusion counted
    longest_phrase: int = 0  # words in the longest quoted phrase

    def __bool__(self) -> bool:
        return bool(self.clauses)

    @property
    def terms(self) -> frozenset[str]:
        """Every term a clause can match (what snippets highlight; never an excluded word)."""
        return frozenset(t for c in self.clauses for option in c.options for t in option)

    @property
    def problem(self) -> str | None:
        """Why this query cannot be searched as asked, for the person who typed it; None when it can."""
        if self.size > MAX_CLAUSES:
            return (f"the query has {self.size} words and phrases; at most {MAX_CLAUSES} can be searched "
                    'together: drop some, or put a wording in "quotes" (a phrase counts once)')
        if self.longest_phrase > MAX_PHRASE_WORDS:
            return (f"a quoted phrase has {self.longest_phrase} words; at most {MAX_PHRASE_WORDS} can be matched "
                    "as a phrase: shorten it, or leave out the quotes")
        if self.excluded and not self.clauses:
            return "the query only excludes words (-word, NOT word): add a word or phrase to search for"
        return None

    def fts5(self) -> str:
        """An FTS5 MATCH expression: ``("a" OR "b") AND "c d"``, ``("a") NOT ("b" OR "c")`` with exclusions."""
        positive = " AND ".join(_fts5_clause(c) for c in self.clauses)
        if not (self.excluded and positive):
            return positive
        return f"({positive}) NOT (" + " OR ".join(_fts5_clause(c) for c in self.excluded) + ")"

    def tsquery(self) -> str:
        """The same expression as ``tsquery`` text: ``('a' | 'b') & 'c' <-> 'd'``, ``… & !'e'``."""
        excluded = [f"!{_ts_clause(c)}" for c in self.excluded] if self.clauses else []
        return " & ".join([*(_ts_clause(c) for c in self.clauses), *excluded])


def parse(text: str) -> Query:
    """Never raises: whatever the input, the result is a (possibly empty) safe query; ``problem`` says
    when it should not be searched."""
    groups: list[list[Clause]] = []  # clauses that must match; each a list of OR alternatives
    excluded: list[Clause] = []
    negate = either = after_word = False
    pieces = _pieces(str(text or "")[:MAX_QUERY_CHARS].translate(QUOTES))
    for minus, clauses, run, _ in pieces:
        if run in ("NOT", "OR"):
            negate, either = run == "NOT", run == "OR" and after_word
            continue
        if not clauses:
            continue
        if minus or negate:
            excluded.extend(clauses)
        elif either:
            groups[-1].append(clauses[0])
            groups.extend([c] for c in clauses[1:])
        else:
            groups.extend([c] for c in clauses)
        after_word, negate, either = not (minus or negate), False, False
    longest = max((words for *_, words in pieces), default=0)
    return _query(groups, excluded, longest)


def _pieces(text: str) -> list[tuple[bool, list[Clause], str, int]]:
    """(excluded?, its clauses, the bare run, a phrase's word count) for each phrase or space-free run of
    ``text``, in order."""
    out = []
    for m in _PIECE.finditer(text):
        phrase, run, minus = m.group("phrase"), m.group("run") or "", bool(m.group("minus"))
        if phrase is None:
            out.append((minus, _words(run), run, 0))
        else:
            out.append((minus, _phrase(phrase), "", len(_surface_words(phrase))))
    return out


def _query(groups: list[list[Clause]], excluded: list[Clause], longest_phrase: int) -> Query:
    unique = list(dict.fromkeys(tuple(_unique(g)) for g in groups))
    kept = [g for g in unique if len(g) > 1 or g[0].phrase or not _is_stop(g[0])] or unique
    clauses = _unique([_either(g) for g in kept])
    excluded = _unique(excluded)
    return Query(tuple(clauses), tuple(excluded), sum(len(g) for g in kept) + len(excluded), longest_phrase)


def _either(group: tuple[Clause, ...]) -> Clause:
    """One clause matching any of the group's (a single clause stays itself)."""
    if len(group) == 1:
        return group[0]
    return Clause(tuple(dict.fromkeys(o for c in group for o in c.options)), any(c.phrase for c in group))


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
