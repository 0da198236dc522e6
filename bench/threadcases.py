"""Labelled cases for bench/threads.py, built from real data in ../shared/data.

* the background corpus: ``ru_news_scale_mix`` items, analysed once (lemmas) for IDF and streams;
* same-story pairs: ``ru_same_story_pairs/pairs_with_text_dev.tsv`` split into the tune pool (split
  ``training`` and the headlinecause ``markup_*`` rows) and the test pool (tgcontest2020 ``honey``);
* duplicates: edited copies of real articles;
* streams: real items replicated with new ids over a long time span, and real days in several orders.
"""

from __future__ import annotations

import csv
import dataclasses
import gzip
import hashlib
import json
import os
import random
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from newsdesk.dedup import DedupIndex, DedupOptions
from newsdesk.records import Article
from newsdesk.similarity import DocumentFrequencies, TextLemmas, Vectorizer, analyse, cosine
from newsdesk.threads import ThreadOptions, rethread

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared")) / "data"
PAIRS = DATA / "ru_same_story_pairs/pairs_with_text_dev.tsv"
OUR_PAIRS = ROOT / "bench/labels/same_story_tgc2019.tsv"  # our labels of crawl pages (tune pool)
MIX = DATA / "ru_news_scale_mix/items.jsonl.gz"
POOL_TIME = datetime(2019, 11, 15, tzinfo=UTC)


def read_jsonl(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def item_article(item: dict, id_: str | None = None, when: datetime | None = None) -> Article:
    published = when or (datetime.fromisoformat(item["published_at"]) if item.get("published_at") else None)
    paragraphs = [p for p in (item.get("text") or "").split("\n") if p.strip()]
    return Article(
        title=item.get("title") or "",
        paragraphs=paragraphs,
        id=id_ or item["id"],
        source=item.get("source"),
        published_at=published,
        lang="ru",
    )


# --- background corpus ---------------------------------------------------------------------------


@dataclass
class Corpus:
    items: list[dict]
    lemmas: dict[str, TextLemmas]
    frequencies: DocumentFrequencies


def load_corpus(cache: Path | None) -> Corpus:
    items = list(read_jsonl(MIX))
    if cache and cache.exists():
        lemmas = _load_cache(cache)
    else:
        lemmas = {item["id"]: analyse(item_article(item)) for item in items}
        if cache:
            _save_cache(cache, lemmas)
    frequencies = DocumentFrequencies.fit(lem.title + lem.body for lem in lemmas.values())
    return Corpus(items, lemmas, frequencies)


def _save_cache(path: Path, lemmas: dict[str, TextLemmas]) -> None:
    rows = {k: [list(v.title), list(v.body), sorted(v.names)] for k, v in lemmas.items()}
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")


def _load_cache(path: Path) -> dict[str, TextLemmas]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return {k: TextLemmas(_interned(t), _interned(b), frozenset(_interned(n))) for k, (t, b, n) in rows.items()}


def _interned(terms: list[str]) -> tuple[str, ...]:
    return tuple(sys.intern(t) for t in terms)


# --- 1. same-story pairs -------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    pool: str  # "tune" or "test"
    dataset: str
    left: str  # article ids
    right: str
    same: bool


def read_pairs(corpus: Corpus | None = None) -> tuple[list[Pair], dict[str, Article]]:
    """The labelled pairs and their articles; with ``corpus``, also our labelled crawl pairs (tune pool)."""
    csv.field_size_limit(1 << 30)
    pairs, articles = [], {}
    if corpus is not None:
        pairs += _our_pairs(corpus, articles)
    with PAIRS.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows, delimiter="\t"):
            pool = _pool(row)
            if pool is None:
                continue
            left, right = (_pair_article(row, side, articles) for side in ("left", "right"))
            pairs.append(Pair(pool, row["source_dataset"], left, right, row["label"] == "same_story"))
    return pairs, articles


def _our_pairs(corpus: Corpus, articles: dict[str, Article]) -> list[Pair]:
    items = {i["id"]: i for i in corpus.items}
    pairs = []
    for line in OUR_PAIRS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            left, right, label = line.split("\t")
            for side in (left, right):
                articles.setdefault(side, item_article(items[side], when=POOL_TIME))
            pairs.append(Pair("tune", "newsdesk_tgc2019", left, right, label == "same"))
    return pairs


def _pool(row: dict) -> str | None:
    if row["split"] == "training" or row["split"].startswith("markup"):
        return "tune"
    if row["source_dataset"] == "tgcontest2020" and row["split"] == "honey":
        return "test"
    return None


def _pair_article(row: dict, side: str, articles: dict[str, Article]) -> str:
    title, text, url = row[f"{side}_title"], row[f"{side}_text"], row[f"{side}_url"]
    key = "pair-" + hashlib.blake2b(f"{url}\n{title}\n{text}".encode(), digest_size=8).hexdigest()
    articles.setdefault(
        key,
        Article(
            title=title,
            paragraphs=[text] if text else [],
            id=key,
            lang="ru",
            source=url.split("/")[2] if "//" in url else None,
            published_at=POOL_TIME,
        ),
    )
    return key


@dataclass(frozen=True)
class Scores:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self, name: str) -> str:
        n = self.tp + self.fp + self.fn + self.tn
        return f"| {name} | {n} | {self.tp + self.fn} | {self.precision:.3f} | {self.recall:.3f} | {self.f1:.3f} |"


def score(pairs: Iterable[Pair], same: dict[tuple[str, str], bool]) -> Scores:
    c = Counter((p.same, same[p.left, p.right]) for p in pairs)
    return Scores(c[True, True], c[False, True], c[True, False], c[False, False])


def thread_pool(
    pairs: list[Pair], articles: dict[str, Article], corpus: Corpus, options: ThreadOptions, distractors: bool,
    dense: dict[str, np.ndarray] | None = None,
) -> dict[tuple[str, str], bool]:
    pool = {a for p in pairs for a in (p.left, p.right)}
    batch = [articles[a] for a in sorted(pool)]
    lemmas = {a.id or "": corpus.lemmas.get(a.id or "") or analyse(a) for a in batch}
    if distractors:
        extra = distractor_articles(corpus, pool)
        batch += extra
        lemmas.update({a.id or "": corpus.lemmas[a.id or ""] for a in extra})
    vectorizer = Vectorizer(DocumentFrequencies.from_dict(corpus.frequencies.to_dict()), learn=False)
    threads = rethread(batch, vectorizer, dataclasses.replace(options, dense=dense is not None), lemmas, dense)
    return {(p.left, p.right): threads[p.left] == threads[p.right] for p in pairs}


def distractor_articles(corpus: Corpus, exclude: set[str] = frozenset()) -> list[Article]:  # type: ignore[assignment]
    return [item_article(i, when=POOL_TIME) for i in corpus.items
            if i["dataset"] == "html_pages_tgcontest2019" and i["id"] not in exclude]


def pair_cosines(pairs: list[Pair], articles: dict[str, Article], corpus: Corpus) -> dict[tuple[str, str], float]:
    vectorizer = Vectorizer(corpus.frequencies, learn=False)
    ids = {a for p in pairs for a in (p.left, p.right)}
    vectors = {a: vectorizer.vector(corpus.lemmas.get(a) or analyse(articles[a])) for a in ids}
    return {(p.left, p.right): cosine(vectors[p.left].terms, vectors[p.right].terms) for p in pairs}


# --- 2. duplicates -------------------------------------------------------------------------------

EDITS = (
    "delete 5% of words",
    "insert 5% words",
    "replace 5% of words",
    "title punctuation",
    "cut the last paragraph (or 30%)",
    "new title + replace 3%",
    "cut to the first half",
)


def edit(article: Article, kind: str, rng: random.Random, vocabulary: list[str]) -> Article:
    """A copy of ``article`` changed the way reprints and feed copies are."""
    title, paragraphs = article.title, list(article.paragraphs)
    if kind == "title punctuation":
        title = "«" + title.rstrip(".!") + "»!" if rng.random() < 0.5 else title.replace(" ", "  ") + "."
    elif kind == "cut the last paragraph (or 30%)":
        paragraphs = paragraphs[:-1] if len(paragraphs) > 2 else [_head(" ".join(paragraphs), 0.7)]
    elif kind == "cut to the first half":
        paragraphs = [_head(" ".join(paragraphs), 0.5)]
    elif kind == "new title + replace 3%":
        title = " ".join(rng.sample(vocabulary, 6)).capitalize()
        paragraphs = [_mutate(p, "replace", 0.03, rng, vocabulary) for p in paragraphs]
    else:
        operation, share = kind.split()[0], 0.05
        paragraphs = [_mutate(p, operation, share, rng, vocabulary) for p in paragraphs]
    return Article(
        title=title,
        paragraphs=paragraphs,
        lead=article.lead,
        lang=article.lang,
        source="copy",
        id=f"{article.id}~{kind}",
        published_at=article.published_at + timedelta(hours=2),
    )


def _head(text: str, share: float) -> str:
    words = text.split()
    return " ".join(words[: int(len(words) * share)])


def _mutate(text: str, operation: str, share: float, rng: random.Random, vocabulary: list[str]) -> str:
    out = []
    for word in text.split():
        if rng.random() >= share:
            out.append(word)
        elif operation == "insert":
            out += [word, rng.choice(vocabulary)]
        elif operation == "replace":
            out.append(rng.choice(vocabulary))
    return " ".join(out)


def dedup_pool(corpus: Corpus) -> list[Article]:
    """Real full articles, minus those that are already near copies of each other (true Jaccard ≥ 0.3)."""
    items = [i for i in corpus.items if i["dataset"] in ("ru_ria_topics_2023", "html_pages_tgcontest2019")]
    articles = [item_article(i, when=_when(i)) for i in items if len((i.get("text") or "").split()) >= 80]
    return _distinct(articles)


def _when(item: dict) -> datetime:
    return datetime.fromisoformat(item["published_at"]) if item.get("published_at") else POOL_TIME


def _distinct(articles: list[Article]) -> list[Article]:
    index = DedupIndex(DedupOptions(threshold=0.3, containment=0.5, window=None))
    kept = []
    for article in sorted(articles, key=lambda a: (a.published_at, a.id)):
        if index.add(article) is None:
            kept.append(article)
    return kept


def hard_negatives(sources: list[Article], pool: list[Article], corpus: Corpus) -> list[tuple[str, str, float]]:
    """Each source's most similar other pool article by TF-IDF cosine (same topic, different text)."""
    vectorizer = Vectorizer(corpus.frequencies, learn=False)
    vectors = {a.id: vectorizer.vector(corpus.lemmas[a.id]).terms for a in pool}
    pairs = []
    for source in sources:
        best = max((a.id for a in pool if a.id != source.id), key=lambda j: cosine(vectors[source.id], vectors[j]))
        pairs.append((source.id, best, cosine(vectors[source.id], vectors[best])))
    return pairs


# --- 3. cost per article at 10,000 and 1,000,000 archived articles -------------------------------

STREAM_START = datetime(2022, 1, 1, tzinfo=UTC)
PER_DAY = 1_000  # articles a day: 1,000,000 articles span 1,000 days


def replicated_stream(corpus: Corpus, count: int, seed: int = 2) -> Iterator[tuple[Article, TextLemmas]]:
    """Real items drawn at random with new ids, ``PER_DAY`` a day, each up to an hour late."""
    rng = random.Random(seed)
    step = 86_400 / PER_DAY
    for i in range(count):
        item = corpus.items[rng.randrange(len(corpus.items))]
        when = STREAM_START + timedelta(seconds=i * step - rng.uniform(0, 3_600))
        yield item_article(item, f"r{i:07d}", when), corpus.lemmas[item["id"]]


# --- 4. arrival order ---------------------------------------------------------------------------

ORDER_SETS = (("Tengrinews, 12–17 Apr 2024", "ru_news_tengrinews_2024/articles.jsonl.gz"),
              ("RIA Novosti, Oct–Dec 2023", "ru_ria_topics_2023/articles.jsonl.gz"))


def arrival_orders(articles: list[Article], seed: int = 4) -> dict[str, list[Article]]:
    rng = random.Random(seed)
    chronological = sorted(articles, key=lambda a: (a.published_at, a.id))
    late = sorted(articles, key=lambda a: a.published_at + timedelta(hours=rng.uniform(0, 6)))
    daily = sorted(articles, key=lambda a: (a.published_at.date(), rng.random()))
    shuffled = rng.sample(articles, len(articles))
    return {"publication order": chronological, "each up to 6 h late": late, "random order within each day": daily,
            "random order over the whole period": shuffled}
