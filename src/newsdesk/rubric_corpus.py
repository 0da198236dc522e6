"""Labelled rubric corpora read from ``../shared/data``: gold, silver and weak labels.

Each reader yields `Article` records with ``rubric`` set to one of `RUBRICS` and ``source``
set to the corpus name, so `rubrics.train` can weight the corpora differently.  Weak labels
come from a mapping of each outlet's own section (URL path, scraper rubric, a language model's
category) onto the Telegram contest's set; sections that do not map cleanly are skipped.

Our own labels (`LABELS`, shipped with the package: ids and rubrics only, no text) cover pages of
the contest's 2019 crawl in Russian and English and Kazinform's Kazakh articles; we labelled them
by the contest's guide (``annotation_guide_ru.txt``), one reading per item.  The texts are read
from ``../shared/data`` at training time.

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
# SIB-200 topics (FLORES sentences in kk/ru/en).  travel, geography and science/technology have no
# single contest rubric, so they are left out; the test split is never read.
SIB_MAP = {"politics": "society", "sports": "sports", "health": "science", "entertainment": "entertainment"}
SIB_SPLITS = frozenset({"train", "dev"})

LABELS = Path(__file__).parent / "labels" / "rubrics.tsv"
LABELLED_FILES = {
    "tgc2019": "html_pages_tgcontest2019/pages.jsonl.gz",
    "kazinform": "kk_news_kazinform_latin/articles.jsonl.gz",
    "rtng": "ru_rt_ng_keywords/articles.jsonl.gz",
    "ria": "ru_ria_topics_2023/articles.jsonl.gz",
    "tengri": "ru_news_tengrinews_2024/articles.jsonl.gz",
    "telegram": "ru_telegram_news_posts/posts.jsonl.gz",
}

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
            yield _article(_telegram_row(row), rubric, "telegram_posts", path, line)


def _telegram_row(row: dict) -> dict:
    """A post's first line as its title, the rest as text, Telegram markup dropped."""
    text = _TG_MARKUP.sub(lambda m: m.group(1) or "", row.get("text") or "")
    title, _, body = text.strip().partition("\n")
    return {**row, "title": title, "text": body}


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


def our_labels(path: Path = LABELS) -> dict[str, dict[str, tuple[str, str]]]:
    """``{corpus: {id: (lang, rubric)}}`` from our label file (``corpus, id, lang, rubric`` per line)."""
    labels: dict[str, dict[str, tuple[str, str]]] = {}
    with path.open(encoding="utf-8") as rows:
        for number, row in enumerate(rows, 1):
            if not row.strip() or row.startswith("#"):
                continue
            fields = row.rstrip("\n").split("\t")
            if len(fields) != 4 or fields[3] not in RUBRICS:
                raise InputError("expected corpus, id, lang and one of the rubrics", Origin(str(path), number))
            labels.setdefault(fields[0], {})[fields[1]] = (fields[2], fields[3])
    return labels


def labelled_pages(data: Path, langs: Iterable[str] = ("ru", "en", "kk")) -> Iterator[Article]:
    """Pages we labelled (see `LABELS`), texts from ``data``, in the languages asked for."""
    wanted = set(langs)
    for corpus, labels in our_labels().items():
        if not any(lang in wanted for lang, _ in labels.values()):
            continue  # e.g. the English and Kazakh reader need not read the Russian-only files
        path = data / LABELLED_FILES[corpus]
        for line, row in read_jsonl(path):
            lang, rubric = labels.get(row.get("id") or "", (None, None))
            if lang in wanted and rubric:
                if corpus == "telegram":
                    row = _telegram_row(row)
                yield _article({**row, "lang": lang}, rubric, f"newsdesk_{corpus}_{lang}", path, line)


def labelled_ru(data: Path) -> Iterator[Article]:
    return labelled_pages(data, ("ru",))


def labelled_en_kk(data: Path) -> Iterator[Article]:
    return labelled_pages(data, ("en", "kk"))


def sib_topics(data: Path) -> Iterator[Article]:
    """SIB-200 sentences (splits train and dev) in Kazakh, Russian and English, by `SIB_MAP`."""
    path = data / "kk_ru_en_sib200_topics" / "sib200_kk_ru_en.jsonl"
    for line, row in read_jsonl(path):
        rubric = SIB_MAP.get(row.get("category") or "")
        if rubric and row.get("split") in SIB_SPLITS:
            for lang in ("kk", "ru", "en"):
                yield _article({"id": f"sib-{row['index_id']}-{lang}", "text": row[lang], "lang": lang},
                               rubric, "sib200_topics", path, line)


READERS = {
    "newsdesk_labels_ru": labelled_ru,
    "newsdesk_labels_en_kk": labelled_en_kk,
    "sib200_topics": sib_topics,
    "tgcontest_markup_v0": contest_markup,
    "tgcontest_gold_training": contest_gold_training,
    "tgcontest_news_detect": contest_news_titles,
    "telegram_posts": telegram_posts,
    "rt_ng_sections": rt_ng_sections,
    "ria_rubrics": ria_rubrics,
}
WEAK = frozenset({"telegram_posts", "rt_ng_sections", "ria_rubrics"})  # an item we labelled is read from ours only
FILES = {
    "newsdesk_labels_ru": "Russian items of "
                          + ", ".join(LABELLED_FILES[c] for c in ("tgc2019", "rtng", "ria", "tengri", "telegram"))
                          + " (our labels: newsdesk/labels/rubrics.tsv)",
    "newsdesk_labels_en_kk": f"{LABELLED_FILES['tgc2019']} (English pages) and {LABELLED_FILES['kazinform']} "
                             "(our labels: newsdesk/labels/rubrics.tsv)",
    "sib200_topics": "kk_ru_en_sib200_topics/sib200_kk_ru_en.jsonl (splits train, dev; see SIB_MAP)",
    "tgcontest_markup_v0": f"{CONTEST}/markup_v0_fasttext.jsonl",
    "tgcontest_gold_training": f"{CONTEST}/toloka_gold_training.jsonl (split == training only)",
    "tgcontest_news_detect": f"{CONTEST}/news_detect_titles.jsonl (is_news 0 → not_news; 1 → rubric of a first model)",
    "telegram_posts": "ru_telegram_news_posts/posts.jsonl.gz (LLM categories, see TELEGRAM_MAP)",
    "rt_ng_sections": "ru_rt_ng_keywords/articles.jsonl.gz (URL sections, see SECTION_MAP)",
    "ria_rubrics": "ru_ria_topics_2023/articles.jsonl.gz (scraper rubric, see RIA_MAP)",
}


def default_corpus(data: Path, names: Iterable[str] = tuple(READERS)) -> list[Article]:
    """Every labelled article of the named corpora, in reader order."""
    return [a for found in corpora(data, names).values() for a in found]


def corpora(data: Path, names: Iterable[str] = tuple(READERS)) -> dict[str, list[Article]]:
    """``{corpus name: its labelled articles}``; an item we labelled is not read again from a weak corpus."""
    if not data.is_dir():
        raise InputError("data folder not found; pass the ../shared/data folder", Origin(str(data)))
    names = list(names)
    ours = {i for labels in our_labels().values() for i in labels} if set(names) & WEAK else set()
    found: dict[str, list[Article]] = {}
    for name in names:
        found[name] = [a for a in READERS[name](data) if name not in WEAK or a.id not in ours]
        log.info("rubric corpus %s: %d articles", name, len(found[name]))
    return found
