"""Highlights on the original text: the words whose lemmas the query matched, marked where they stand.

Offsets come from ``analyze.tokens``, so marks land on what the reader sees: a query «пенсия» marks
«<mark>пенсией</mark>».  Everything else is HTML-escaped.  Analysing a whole long article per hit
would cost milliseconds, so a snippet is found in two steps: places where a query term's first
letters occur are checked word by word (``analyze.lemma``, cached), and only the window around the
first real match is tokenised.  Irregular forms («люди» for «человек») that share no letters are
found by a bounded scan with ``analyze.tokens``, when the title did not match already.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from newsdesk import analyze
from newsdesk.search.terms import lemma_terms

WIDTH = 240  # characters of context in a snippet
SCAN_BUDGET = 3_000  # characters tokenised per article by the fallback scan
PREFIX = 4
_WORD_AT = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")

Span = tuple[int, int]


def matches(text: str, lang: str | None, terms: frozenset[str]) -> list[Span]:
    """Character spans of the tokens whose lemma is (or contains) a query term."""
    return [(t.start, t.end) for t in analyze.tokens(text, lang) if not terms.isdisjoint(lemma_terms(t.lemma))]


def highlight(text: str, lang: str | None, terms: frozenset[str]) -> str:
    """The whole text, escaped, with its matching words in ``<mark>``."""
    return render(text, matches(text, lang, terms) if text else [], 0, len(text))


def snippet(paragraphs: list[str], lang: str | None, terms: frozenset[str], width: int = WIDTH,
            scan: bool = True) -> str:
    """``width`` characters around the first match in ``paragraphs`` (else their start), highlighted.

    ``scan=False`` skips the fallback scan for irregular forms (when the title shows the match)."""
    paragraphs = [p for p in paragraphs if p.strip()]
    if not paragraphs:
        return ""
    for text, start in _candidates(paragraphs, lang, terms):
        if spans := _window_matches(text, start, width, lang, terms):
            return window(text, spans, width)
    if scan and (found := _scan(paragraphs, lang, terms)):
        return window(*found, width)
    return window(paragraphs[0], [], width)


def _candidates(paragraphs: list[str], lang: str | None, terms: frozenset[str]) -> Iterator[tuple[str, int]]:
    """(paragraph, offset) of words that start like a query term and whose lemma is one."""
    pattern = re.compile("|".join(sorted({re.escape(t[:PREFIX]) for t in terms}, key=len, reverse=True)))
    for text in paragraphs:
        folded = text.lower().replace("ё", "е")
        for hit in pattern.finditer(folded):
            word = _WORD_AT.match(text, _word_start(text, hit.start()))
            if word and not terms.isdisjoint(lemma_terms(_lemma(word.group(), lang))):
                yield text, word.start()


def _lemma(word: str, lang: str | None) -> str:
    one = getattr(analyze, "lemma", None)
    if one is not None:
        return one(word, lang)
    found = analyze.lemmas(word, lang)
    return " ".join(found)


def _word_start(text: str, pos: int) -> int:
    while pos > 0 and (text[pos - 1].isalnum() or text[pos - 1] in "-'’"):
        pos -= 1
    return pos


def _window_matches(text: str, pos: int, width: int, lang: str | None, terms: frozenset[str]) -> list[Span]:
    start, end = max(0, pos - width // 2), min(len(text), pos + width)
    return [(s + start, e + start) for s, e in matches(text[start:end], lang, terms)
            if start == 0 or s > 0]


def _scan(paragraphs: list[str], lang: str | None, terms: frozenset[str]) -> tuple[str, list[Span]] | None:
    budget = SCAN_BUDGET
    for text in paragraphs:
        if budget <= 0:
            return None
        budget -= len(text)
        if spans := matches(text[:SCAN_BUDGET], lang, terms):
            return text, spans
    return None


def window(text: str, spans: list[Span], width: int = WIDTH) -> str:
    """``width`` characters of ``text`` around its first span, cut at spaces, with «…» where cut."""
    first = spans[0][0] if spans else 0
    start = 0 if first < width // 3 else _cut_start(text, first - width // 3)
    end = len(text) if start + width >= len(text) else _cut_end(text, start + width, first)
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


def _cut_start(text: str, pos: int) -> int:
    space = text.find(" ", pos)
    return pos if space == -1 or space - pos > 20 else space + 1


def _cut_end(text: str, pos: int, floor: int) -> int:
    space = text.rfind(" ", floor, pos)
    return pos if space == -1 or pos - space > 20 else space
