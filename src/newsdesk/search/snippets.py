"""Highlights on the original text: the words whose lemmas the query matched, marked where they stand.

The text is re-analysed with ``analyze.tokens`` so offsets point into what the reader sees: a query
«пенсия» marks «<mark>пенсией</mark>».  Everything else is HTML-escaped.  To stay fast on long
articles, paragraphs are analysed only until the first match, those sharing a lemma's first letters
first (irregular forms like «люди» for «человек» are found by a second, bounded pass).
"""

from __future__ import annotations

import html

from newsdesk import analyze
from newsdesk.search.terms import lemma_terms

WIDTH = 240  # characters of context in a snippet
SCAN_BUDGET = 12_000  # characters analysed per article at most
PREFIX = 4

Span = tuple[int, int]


def matches(text: str, lang: str | None, terms: frozenset[str]) -> list[Span]:
    """Character spans of the tokens whose lemma is (or contains) a query term."""
    return [(t.start, t.end) for t in analyze.tokens(text, lang) if not terms.isdisjoint(lemma_terms(t.lemma))]


def highlight(text: str, lang: str | None, terms: frozenset[str]) -> str:
    """The whole text, escaped, with its matching words in ``<mark>``."""
    return render(text, matches(text, lang, terms) if text else [], 0, len(text))


def snippet(paragraphs: list[str], lang: str | None, terms: frozenset[str], width: int = WIDTH) -> str:
    """A window of ``width`` characters around the first match in ``paragraphs`` (or their start)."""
    paragraphs = [p for p in paragraphs if p.strip()]
    if not paragraphs:
        return ""
    found = _first_match(paragraphs, lang, terms)
    if found is None:
        return window(paragraphs[0], [], width)
    index, spans = found
    return window(paragraphs[index], spans, width)


def _first_match(paragraphs: list[str], lang: str | None, terms: frozenset[str]) -> tuple[int, list[Span]] | None:
    prefixes = {t[:PREFIX] for t in terms}
    likely = [i for i, p in enumerate(paragraphs) if _has_prefix(p, prefixes)]
    seen = set(likely)
    rest = [i for i in range(len(paragraphs)) if i not in seen]
    budget = SCAN_BUDGET
    for i in likely + rest:
        if budget <= 0:
            return None
        budget -= len(paragraphs[i])
        if spans := matches(paragraphs[i], lang, terms):
            return i, spans
    return None


def _has_prefix(text: str, prefixes: set[str]) -> bool:
    folded = text.lower().replace("ё", "е")
    return any(p in folded for p in prefixes)


def window(text: str, spans: list[Span], width: int = WIDTH) -> str:
    """``width`` characters of ``text`` around its first span, cut at spaces, with «…» where cut."""
    first = spans[0][0] if spans else 0
    start = 0 if first < width // 3 else _word_start(text, first - width // 3)
    end = len(text) if start + width >= len(text) else _word_end(text, start + width, first)
    inner = [(s, e) for s, e in spans if s >= start and e <= end]
    return ("…" if start else "") + render(text, inner, start, end) + ("…" if end < len(text) else "")


def render(text: str, spans: list[Span], start: int, end: int) -> str:
    out, pos = [], start
    for s, e in spans:
        out.append(html.escape(text[pos:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    return "".join(out).strip()


def _word_start(text: str, pos: int) -> int:
    space = text.find(" ", pos)
    return pos if space == -1 or space - pos > 20 else space + 1


def _word_end(text: str, pos: int, floor: int) -> int:
    space = text.rfind(" ", floor, pos)
    return pos if space == -1 or pos - space > 20 else space
