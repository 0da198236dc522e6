"""Labelled language-id sets read from ../shared/data (for bench/language.py).

Labels come from the data set's own language (ru/kk/en sets) or from the publishing site for the
Telegram-contest pages (their ``lang_guess_heuristic`` is not trusted alone): Ukrainian pages from
.ua sites, Uzbek pages from uza.uz/oz and championat.asia/uz, Buryat pages from burunen.ru,
Bulgarian pages from .bg sites, English pages from a fixed list of English-language sites.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

ENGLISH_SITES = frozenset(
    [
        "www.washingtontimes.com",
        "www.forbes.com",
        "www.theglobeandmail.com",
        "www.moneycontrol.com",
        "saharareporters.com",
        "www.mirror.co.uk",
        "www.theguardian.com",
        "www.reuters.com",
        "news.yahoo.com",
        "www.breitbart.com",
        "www.channelnewsasia.com",
        "www.foxnews.com",
        "www.business-standard.com",
        "www.autosport.com",
    ]
)
SPANISH_FRENCH_SITES = frozenset(
    ["www.diariodecuyo.com.ar", "www.ledevoir.com", "valenciaplaza.com", "www.elliberal.com.ar", "www.opovo.com.br"]
)


def read_jsonl(path: Path) -> Iterator[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def first_words(text: str, n: int = 5) -> str:
    return " ".join(text.split()[:n])


def language_sets(data: Path) -> dict[str, list[tuple[str, str]]]:
    """Set name → [(text, expected language)]."""
    sets: dict[str, list[tuple[str, str]]] = {}
    sets["ru headlines (tengri, ria, tgcontest)"] = [(t, "ru") for t in _ru_headlines(data)]
    kaznerd = [r["text_detok"] for r in read_jsonl(data / "kk_ner_kaznerd/valid.jsonl.gz")]
    sets["kk KazNERD valid sentences"] = [(t, "kk") for t in kaznerd]
    sets["kk KazNERD, first 5 words"] = [(first_words(t), "kk") for t in kaznerd if len(t.split()) >= 5]
    sib = [r for r in read_jsonl(data / "kk_ru_en_sib200_topics/sib200_kk_ru_en.jsonl") if r["split"] != "test"]
    for lang in ("kk", "ru", "en"):
        sets[f"{lang} SIB-200 train+dev"] = [(r[lang], lang) for r in sib]
        sets[f"{lang} SIB-200, first 5 words"] = [(first_words(r[lang]), lang) for r in sib]
    latin = list(read_jsonl(data / "kk_news_kazinform_latin/articles.jsonl.gz"))
    sets["kk Latin Kazinform titles"] = [(r["title"], "kk") for r in latin]
    sets["kk Latin Kazinform texts"] = [(r["text"], "kk") for r in latin]
    pages = _pages(data)
    sets["en tgcontest titles (English sites)"] = [(t, "en") for t, k in pages if k == "en"]
    for kind in ("uk", "uz", "bxr", "bg", "es/fr/pt"):
        sets[f"other: {kind} tgcontest titles"] = [(t, "other") for t, k in pages if k == kind]
    return sets


def _ru_headlines(data: Path) -> list[str]:
    titles = [r["title"] for r in read_jsonl(data / "ru_news_tengrinews_2024/articles.jsonl.gz")]
    titles += [r["title"] for r in read_jsonl(data / "ru_ria_topics_2023/articles.jsonl.gz")]
    titles += [r["title"] for r in read_jsonl(data / "ru_news_categories_tgcontest/news_detect_titles.jsonl")]
    return [t for t in titles if t and t.strip()]


def _pages(data: Path) -> list[tuple[str, str]]:
    found = []
    for name in ("html_pages_tgcontest2019", "html_pages_tgcontest2020"):
        for row in read_jsonl(data / name / "pages.jsonl.gz"):
            kind = _page_kind(row)
            if kind and row.get("title", "").strip():
                found.append((row["title"], kind))
    return found


def _page_kind(row: dict) -> str | None:
    url, guess = row["url"], row.get("lang_guess_heuristic")
    host = urlparse(url).netloc
    if host in ENGLISH_SITES:
        return "en"
    if host in SPANISH_FRENCH_SITES:
        return "es/fr/pt"
    if guess == "uk" and host.endswith(".ua"):
        return "uk"
    if "uza.uz/oz/" in url or "championat.asia/uz/" in url:
        return "uz"
    if host == "burunen.ru" and guess == "bxr":
        return "bxr"
    if host.endswith(".bg"):
        return "bg"
    return None
