"""Labelled rubric corpora read from ``../shared/data``: gold, silver and weak labels.

Each reader yields `Article` records with ``rubric`` set to one of `RUBRICS` and ``source``
set to the corpus name, so `rubrics.train` can weight the corpora differently.  Weak labels
come from a mapping of each outlet's own section (URL path, scraper rubric, a language model's
category) onto the Telegram contest's set; sections that do not map cleanly are skipped.

The Toloka gold items of split ``honey`` and ``exam`` are the contest's test set: they are
never read here, whatever files exist.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .records import Article, Origin

log = logging.getLogger(__name__)

RUBRICS = ("society", "economy", "technology", "sports", "entertainment", "science", "other", "not_news")

CONTEST = "ru_news_categories_tgcontest"
TEST_SPLITS = frozenset({"honey", "exam"})

# Telegram posts: categories assigned by an LLM upstream.  personal, moscow, other and stuff mix
# incidents, celebrities and city news, so they are left out.
TELEGRAM_MAP = {
    "political": "society",
    "business": "economy",
    "finances": "economy",
    "it": "technology",
    "science": "science",
    "gaming": "entertainment",
    "weather": "other",
}
# RT and NG URL sections.  The contest guide files health under science and computer games,
# celebrities and culture under entertainment.
SECTION_MAP = {
    "sport": "sports", "autosport": "sports", "sochi2014": "sports",
    "business": "economy", "economics": "economy", "energy": "economy", "ng_energiya": "economy",
    "realty": "economy", "ecoprom": "economy",
    "science": "science", "nauka": "science", "health": "science",
    "world": "society", "russia": "society", "ussr": "society", "politics": "society",
    "ng_politics": "society", "cis": "society", "regions": "society", "armies": "society",
    "dipkurer": "society", "moscow": "society", "education": "society", "ng_stolitsa": "society",
    "ng_ekologiya": "society", "ng_ecology": "society", "ecology": "society", "armament": "society",
    "nopolitics": "entertainment", "culture": "entertainment", "cinematograph": "entertainment",
    "lit": "entertainment", "antrakt": "entertainment", "poetry": "entertainment", "tv": "entertainment",
    "non-fiction": "entertainment", "ng_exlibris": "entertainment", "style": "entertainment",
}
RIA_MAP = {"economy": "economy", "culture": "entertainment", "society": "society"}

# The contest guide files horoscopes and weather forecasts under "other", not "not_news".
_OTHER_TITLE = re.compile(r"гороскоп|зодиак|погод[аеуы]|синоптик|таро\b|лунный календар", re.IGNORECASE)
_TG_MARKUP = re.compile(r"\*\*|__|\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True, slots=True)
class Corpus:
    """One labelled set: its file (relative to the data folder) and how many items it gave."""

    name: str
    path: str
    count: int


def read_jsonl(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each line of a JSON-lines file, gzipped or not."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                yield number, _parse(line, path, number)


def _parse(line: str, path: Path, number: int) -> dict:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON ({exc.msg}); fix or drop the line", Origin(str(path), number)) from exc


def _article(row: dict, rubric: str, source: str, path: Path, line: int, *, body_key: str = "text") -> Article:
    body = row.get(body_key) or ""
    return Article(
        title=row.get("title") or "", lead=row.get("summary") or row.get("subtitle") or "",
        paragraphs=[body] if body else [], id=row.get("id"), lang=row.get("lang") or "ru",
        source=source, rubric=rubric, url=row.get("url"), origin=Origin(str(path), line),
    )


def contest_markup(data: Path) -> Iterator[Article]:
    """The contest's early fastText markup (title and body on one line; ``sport`` → ``sports``)."""
    path = data / CONTEST / "markup_v0_fasttext.jsonl"
    for line, row in read_jsonl(path):
        label = "sports" if row["label"] == "sport" else row["label"]
        yield _article(row, label, "tgcontest_markup_v0", path, line)


def contest_gold_training(data: Path) -> Iterator[Article]:
    """Toloka gold items of split ``training`` only; honey and exam are the test set."""
    for name in ("toloka_gold_training.jsonl", "toloka_gold.jsonl"):
        path = data / CONTEST / name
        if path.exists():
            yield from _gold(path, {"training"})
            return


def contest_gold_test(data: Path) -> Iterator[Article]:
    """Toloka honey and exam items, for evaluation only (absent when the set is held back)."""
    path = data / CONTEST / "toloka_gold.jsonl"
    if path.exists():
        yield from _gold(path, TEST_SPLITS)


def _gold(path: Path, splits: set[str] | frozenset[str]) -> Iterator[Article]:
    for line, row in read_jsonl(path):
        if row.get("split") in splits:
            label = "sports" if row["label"] == "sport" else row["label"]
            yield _article(row, label, f"tgcontest_gold_{row['split']}", path, line)


def contest_news_titles(data: Path) -> Iterator[Article]:
    """News and not-news titles: news ones with rubric ``news`` (the trainer assigns a rubric)."""
    return contest_not_news_titles(data, news_too=True)


def contest_not_news_titles(data: Path, *, news_too: bool = False) -> Iterator[Article]:
    """Titles marked not-news (how-tos, listicles; horoscopes and weather → ``other``)."""
    path = data / CONTEST / "news_detect_titles.jsonl"
    for line, row in read_jsonl(path):
        if row["is_news"] == 0 or news_too:
            rubric = "not_news" if row["is_news"] == 0 else "news"
            if rubric == "not_news" and _OTHER_TITLE.search(row["title"]):
                rubric = "other"
            yield _article(row, rubric, "tgcontest_news_detect", path, line)


def telegram_posts(data: Path) -> Iterator[Article]:
    """Silver labels: an LLM's categories of Telegram channel posts, mapped by `TELEGRAM_MAP`."""
    path = data / "ru_telegram_news_posts" / "posts.jsonl.gz"
    for line, row in read_jsonl(path):
        rubric = TELEGRAM_MAP.get(row.get("rubric") or "")
        if rubric and row.get("text"):
            text = _TG_MARKUP.sub(lambda m: m.group(1) or "", row["text"])
            title, _, body = text.strip().partition("\n")
            art = _article({**row, "title": title, "text": body}, rubric, "telegram_posts", path, line)
            yield art


def rt_ng_sections(data: Path) -> Iterator[Article]:
    """Weak labels: RT and NG URL sections mapped by `SECTION_MAP`."""
    path = data / "ru_rt_ng_keywords" / "articles.jsonl.gz"
    for line, row in read_jsonl(path):
        rubric = SECTION_MAP.get(row.get("rubric") or "")
        if rubric:
            yield _article(row, rubric, "rt_ng_sections", path, line)


def ria_rubrics(data: Path) -> Iterator[Article]:
    """Weak labels: the RIA scraper's section (economy, culture, society)."""
    path = data / "ru_ria_topics_2023" / "articles.jsonl.gz"
    for line, row in read_jsonl(path):
        rubric = RIA_MAP.get(row.get("rubric") or "")
        if rubric:
            yield _article(row, rubric, "ria_rubrics", path, line)


READERS = {
    "tgcontest_markup_v0": contest_markup,
    "tgcontest_gold_training": contest_gold_training,
    "tgcontest_news_detect": contest_news_titles,
    "telegram_posts": telegram_posts,
    "rt_ng_sections": rt_ng_sections,
    "ria_rubrics": ria_rubrics,
}
FILES = {
    "tgcontest_markup_v0": f"{CONTEST}/markup_v0_fasttext.jsonl",
    "tgcontest_gold_training": f"{CONTEST}/toloka_gold_training.jsonl (split == training only)",
    "tgcontest_news_detect": f"{CONTEST}/news_detect_titles.jsonl (is_news 0 → not_news; 1 → rubric of a first model)",
    "telegram_posts": "ru_telegram_news_posts/posts.jsonl.gz (LLM categories, see TELEGRAM_MAP)",
    "rt_ng_sections": "ru_rt_ng_keywords/articles.jsonl.gz (URL sections, see SECTION_MAP)",
    "ria_rubrics": "ru_ria_topics_2023/articles.jsonl.gz (scraper rubric, see RIA_MAP)",
}


def default_corpus(data: Path, names: Iterable[str] = tuple(READERS)) -> list[Article]:
    """Every labelled article of the named corpora, in reader order."""
    if not data.is_dir():
        raise InputError("data folder not found; pass the ../shared/data folder", Origin(str(data)))
    articles: list[Article] = []
    for name in names:
        found = list(READERS[name](data))
        log.info("rubric corpus %s: %d articles", name, len(found))
        articles.extend(found)
    return articles
