"""Text → tokens and lemmas for Russian, Kazakh and English (interface; see the language stage)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

ANALYZER_VERSION = "0"

_WORD = re.compile(r"\w+(?:[-']\w+)*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    lemma: str


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def _ru_lemma(word: str) -> str:
    return _morph().parse(word)[0].normal_form


def lemma(word: str, lang: str | None = "ru") -> str:
    low = word.lower()
    if lang == "ru" and not low.isascii():
        return _ru_lemma(low)
    return low


def tokens(text: str, lang: str | None = "ru") -> list[Token]:
    return [Token(m.group(), m.start(), m.end(), lemma(m.group(), lang)) for m in _WORD.finditer(text)]


def lemmas(text: str, lang: str | None = "ru") -> list[str]:
    return [lemma(m.group(), lang) for m in _WORD.finditer(text)]
