"""Text → tokens and lemmas for Russian, Kazakh and English; the lemmas the archive indexes.

    tokens("В Алматы 24.11.2026 открыли iPhone-центр", "ru")
    → в/в  Алматы/алматы  24.11.2026/24.11.2026  открыли/открыть  iPhone-центр/iphone-центр

* Tokens: one regular expression (measured ~20× faster than razdel, with the same word tokens
  on news text: bench/language.py), keeping dates, decimals, hyphenated words («Алма-Ата»,
  «кое-кто»), apostrophes and domain names («Kaspi.kz»); HTML entities («&nbsp;») are skipped.
* Russian: pymorphy3 behind an LRU cache, with fixes for Kazakh names pymorphy does not know
  (Токаев → токаев, not «токай»; Семее → семей; Кызылорде → кызылорда).
* Kazakh: our suffix stripper (``newsdesk.kazakh``); Kazakh in Latin script is converted to
  Cyrillic first. A Kazakh text is analysed sentence by sentence, so a Russian quote inside it
  gets Russian lemmas.
* English: lower case + Snowball (PyStemmer).
* Lemmas are lower case with ё → е. Numbers and dates are their own lemma.

Change ``ANALYZER_VERSION`` whenever a lemma can change: the archive reindexes on change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from newsdesk import kazakh
from newsdesk import lang as langid
from newsdesk.stopwords import EN_STOPWORDS, KK_STOPWORDS, RU_STOPWORDS

ANALYZER_VERSION = "8"  # 8: a capitalised Kazakh name of our world table keeps it («Судан», not «су»)
# 7: Kazakh stems of nouns in -н («ауданы» → «аудан», not «ауда»; «күні» → «күн»), no
# stem of two letters unless listed («аудан» not «ау»), a Latin «i» in Kazakh Cyrillic is «і» («сiлкiнiсi»)
# 6: Latin-script Kazakh «Iran» is «иран», not «іран» (a capital «I» before a back vowel)
# 5: Kazakh accusative and ablative after a possessive («сілкінісінен» → «сілкініс»);
# «паводков» → паводок, not «паводковый»; «Пашинян» → пашинян (rulemma)
# 4: Kazakh case endings after an abbreviation («АҚШ-тың» → «ақш»)
MAX_WORD = 60  # longer "words" (base64, a megabyte of one word) are lower-cased, not analysed

_TOKEN = re.compile(
    r"""&(?:[a-zA-Z]{2,8}|\#[0-9]{1,6}|\#x[0-9a-fA-F]{1,6});      # HTML entity: skipped
    | \d{1,2}\.\d{1,2}\.\d{2,4}(?!\d)                              # date 24.11.2026
    | \d+(?:[.,:]\d+)*(?:-[^\W\d_]+)?                              # 2,68  12:30  2017-нші
    | [^\W_]\w*(?:[-'’][^\W_]\w*)*(?:\.(?:kz|ru|com|org|net|uz|kg|io|info)\b)?  # word, Kaspi.kz
    """,
    re.X,
)
_KK_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_CYRILLIC = re.compile("[а-яёА-ЯЁәғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_LATIN = re.compile("[a-zA-Z\u00c0-\u024f]")
# A Kazakh sentence without one of these words is not checked for being Russian (saves time).
_RUSSIAN_HINT = re.compile(
    r"(?<![\w-])(?:в|во|на|и|с|со|что|для|из|от|как|это|при|по|но|он|она|они|мы|вы|я|был|была)(?![\w-])", re.I
)
_SENTENCE = re.compile(r"[^.!?…\n]+[.!?…\n]*")
_HOMOGLYPHS = str.maketrans("aceopxyABCEHKMOPTX", "асеорхуАВСЕНКМОРТХ")
# Kazakh typed with a Latin «i» for «і» («жер сiлкiнiсi»): Kazakh's «і», never Russian's «и»
_KK_HOMOGLYPHS = str.maketrans("aceopxyABCEHKMOPTXiI", "асеорхуАВСЕНКМОРТХіІ")
_KK_HOMOGLYPH_LETTERS = frozenset("aceopxyABCEHKMOPTXiI")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    lemma: str


def tokens(text: str, lang: str | None = None) -> list[Token]:
    """Tokens of ``text`` with character offsets and lemmas; ``lang=None`` detects it."""
    found = []
    for start, end, seg_lang in _segments(text, lang):
        for match in _TOKEN.finditer(text, start, end):
            word = match.group()
            if word[0] != "&":
                found.append(Token(word, match.start(), match.end(), lemma(word, seg_lang)))
    return found


def lemmas(text: str, lang: str | None = None) -> list[str]:
    """The lemmas of ``tokens(text, lang)``, faster (no Token objects, a plain dict cache)."""
    out: list[str] = []
    for start, end, seg_lang in _segments(text, lang):
        cache = _cache(seg_lang)
        for word in _TOKEN.findall(text, start, end):
            found = cache.get(word)
            if found is None:
                found = cache[word] = "" if word[0] == "&" else lemma(word, seg_lang)
            if found:
                out.append(found)
    return out


CACHE_SIZE = 300_000  # words per language; the cache is emptied when it is full
_CACHES: dict[str | None, dict[str, str]] = {}


def clear_caches() -> None:
    """Forget every cached lemma (for benchmarks, or after changing the analyzer in a process)."""
    _CACHES.clear()
    lemma.cache_clear()
    kazakh.stem.cache_clear()


def _cache(lang: str | None) -> dict[str, str]:
    cache = _CACHES.setdefault(lang, {})
    if len(cache) > CACHE_SIZE:
        cache.clear()
    return cache


def _segments(text: str, lang: str | None) -> Iterator[tuple[int, int, str]]:
    """(start, end, language) spans: the whole text, or sentences of a Kazakh text."""
    if lang is None:
        lang = langid.detect(text)
    if lang != "kk":
        yield 0, len(text), lang
        return
    for match in _SENTENCE.finditer(text):
        yield match.start(), match.end(), _kazakh_segment_lang(match.group())


def _kazakh_segment_lang(sentence: str) -> str:
    """``ru`` for a Russian sentence quoted in a Kazakh text, ``kk_latn`` for Kazakh in Latin script."""
    if not _CYRILLIC.search(sentence):
        return "kk_latn" if _LATIN.search(sentence) else "kk"
    if len(sentence) > 25 and _RUSSIAN_HINT.search(sentence) and langid.detect(sentence) == "ru":
        return "ru"
    return "kk_latn" if len(_LATIN.findall(sentence)) > len(_CYRILLIC.findall(sentence)) else "kk"


@lru_cache(maxsize=500_000)
def lemma(word: str, lang: str | None = "ru") -> str:
    """Lemma of one token in a text of language ``lang`` (ru, kk, kk_latn, en, other or None)."""
    if word[0].isdigit():
        return _number_lemma(word)
    if len(word) > MAX_WORD:
        return word.lower()
    if _CYRILLIC.search(word):
        if _LATIN.search(word):
            word = _fold_homoglyphs(word, lang)
        if _KK_LETTERS.intersection(word) or lang in ("kk", "kk_latn"):
            return kazakh.stem(word)
        if lang in ("ru", "en", None):
            return _ru_lemma(word)
        return word.lower().replace("ё", "е")
    if lang == "kk_latn" or (lang == "kk" and kazakh.LATIN_LETTERS.intersection(word.lower())):
        return kazakh.stem(kazakh.latin_to_cyrillic(word))
    return _en_lemma(word)


def _number_lemma(word: str) -> str:
    """«2017-нші» → «2017», «25-тен» → «25»; dates and decimals as written."""
    head, dash, tail = word.partition("-")
    return head if dash else word.lower()


def _fold_homoglyphs(word: str, lang: str | None = None) -> str:
    """«Kазахстан» typed with a Latin K → «Казахстан» (when Cyrillic letters are the majority); in Kazakh
    (``lang`` kk, or a Kazakh letter in the word) also when every Latin letter looks Cyrillic, and a Latin «i»
    is «і»: «сiлкiнiсi» → «сілкінісі», «iсi» → «ісі»."""
    if lang in ("kk", "kk_latn") or _KK_LETTERS.intersection(word):
        return "-".join(_fold_kazakh_part(part) for part in word.split("-"))
    if len(_CYRILLIC.findall(word)) > len(_LATIN.findall(word)):
        return word.translate(_HOMOGLYPHS)
    return word


def _fold_kazakh_part(part: str) -> str:
    """One part of a hyphenated word: «Kia» of «Kia-сы» and «IT» of «IT-кеңес» are Latin, not look-alikes."""
    latin = _LATIN.findall(part)
    if not _CYRILLIC.search(part) or not latin:
        return part
    if len(_CYRILLIC.findall(part)) > len(latin) or _KK_HOMOGLYPH_LETTERS.issuperset(latin):
        return part.translate(_KK_HOMOGLYPHS)
    return part


def _ru_lemma(word: str) -> str:
    from newsdesk import rulemma

    return rulemma.lemma(word)


@lru_cache(maxsize=1)
def _stemmer():  # noqa: ANN202 - PyStemmer has no type stubs
    import Stemmer

    return Stemmer.Stemmer("english")


def _en_lemma(word: str) -> str:
    low = word.lower()
    if not low.isascii() or not low.replace("-", "").replace("'", "").isalpha():
        return low
    return _stemmer().stemWord(low)


def stopwords(lang: str) -> frozenset[str]:
    """Our stop-word lemmas for ``ru``, ``kk`` or ``en`` (empty for other languages)."""
    return {"ru": RU_STOPWORDS, "kk": KK_STOPWORDS, "en": EN_STOPWORDS}.get(lang, frozenset())


def is_stop(lemma_: str, lang: str | None = None) -> bool:
    """Is this lemma a stop word of ``lang`` (of any of ru, kk, en when ``lang`` is None)?"""
    if lang is None:
        return lemma_ in RU_STOPWORDS or lemma_ in KK_STOPWORDS or lemma_ in EN_STOPWORDS
    return lemma_ in stopwords(lang)


def query_lemmas(text: str, lang: str | None = None) -> list[tuple[str, ...]]:
    """One tuple of alternative lemmas per query word (match any of them).

    A Cyrillic word without Kazakh letters is read both as Russian and as Kazakh when the query's
    language is not given: «Алматыда» → («алматыда», «алматы»), «пенсии» → («пенсия», «пенсии»).
    """
    out = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        if word[0] == "&":
            continue
        langs = [lang] if lang else _query_langs(word)
        alternatives = dict.fromkeys(lemma(word, lg) for lg in langs)
        out.append(tuple(alternatives))
    return out


def _query_langs(word: str) -> list[str]:
    if _CYRILLIC.search(word):
        return ["kk"] if _KK_LETTERS.intersection(word) else ["ru", "kk"]
    if kazakh.LATIN_LETTERS.intersection(word.lower()):
        return ["kk_latn"]
    return ["en", "kk_latn"] if word.isalpha() else ["en"]
