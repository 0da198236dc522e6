"""The cross-language link of story threads (Russian ↔ Kazakh), for bench/threads.py.

Across languages two articles are linked when the cosine of their dense vectors reaches
``ThreadOptions.cross_threshold``.  No real labelled Russian–Kazakh same-story pairs exist in
../shared/data, so the threshold is set by the false links it must not make, on three sets:

* real Kazakhstan news that cannot be one story: Tengrinews (Russian, April 2024) against Kazinform
  (Kazakh, Nov 2025 – Feb 2026, its Latin script converted to Cyrillic) — every pair is two stories;
* SIB-200 (FLORES sentences professionally translated): runs of consecutive sentences of one source
  text and topic as pseudo-documents; the Kazakh and Russian versions of one are a positive pair, of two
  different ones a negative (splits train and dev only; test is held out);
* the bundled sample's Russian–Kazakh pairs (written by us; its stories are in ``truth.json``).

Chosen: the lowest threshold on a 0.01 grid with no false link on any of the three.  Recall is reported
on the SIB-200 translations (pairs) and the sample (threaded, pairs of articles in one thread).
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections.abc import Sequence
from importlib.resources import files
from itertools import combinations
from pathlib import Path

import numpy as np

from newsdesk import dense
from newsdesk.crosslingual import LanguageShelf
from newsdesk.kazakh import latin_to_cyrillic
from newsdesk.records import Article
from newsdesk.threads import ThreadOptions, rethread

GRID = tuple(round(0.86 + 0.01 * i, 2) for i in range(8))
_LATIN_WORD = re.compile(r"[A-Za-zÁáǴǵIıŃńÓóÚúÝý']+")


def _rows(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def _cyrillic(text: str) -> str:
    return _LATIN_WORD.sub(lambda m: latin_to_cyrillic(m.group()), text)


def _vectors(articles: Sequence[Article]) -> np.ndarray:
    return np.array(dense.embed_many(list(articles)))


def real_negatives(data: Path) -> np.ndarray:
    """Dense cosines of every Tengrinews (ru) × Kazinform (kk) pair: all different stories."""
    ru = [Article(title=r["title"], paragraphs=[r["text"]], lang="ru")
          for r in _rows(data / "ru_news_tengrinews_2024/articles.jsonl.gz")]
    kk = [Article(title=_cyrillic(r["title"]), paragraphs=[_cyrillic(r["text"])], lang="kk")
          for r in _rows(data / "kk_news_kazinform_latin/articles.jsonl.gz")]
    return (_vectors(kk) @ _vectors(ru).T).ravel()


def sib_pairs(data: Path) -> tuple[np.ndarray, np.ndarray]:
    """(cosines of the translation pairs, cosines of the different-document pairs) of SIB-200 pseudo-documents."""
    rows = sorted((json.loads(line) for line in (data / "kk_ru_en_sib200_topics/sib200_kk_ru_en.jsonl").open()),
                  key=lambda r: r["index_id"])
    documents: list[list[dict]] = []
    for row in rows:
        last = documents[-1][-1] if documents else None
        if last and row["index_id"] == last["index_id"] + 1 and row["category"] == last["category"]:
            documents[-1].append(row)
        else:
            documents.append([row])
    ru, kk = ([Article(title="", paragraphs=[" ".join(r[lang] for r in doc)], lang=lang) for doc in documents]
              for lang in ("ru", "kk"))
    similarity = _vectors(kk) @ _vectors(ru).T
    return np.diag(similarity).copy(), similarity[~np.eye(len(documents), dtype=bool)]


def sample_articles() -> tuple[list[Article], dict[str, int]]:
    from datetime import datetime

    rows = [json.loads(r) for r in (files("newsdesk") / "sample" / "articles.jsonl").read_text("utf-8").splitlines()]
    articles = [Article(id=r["id"], title=r["title"], lead=r["lead"], paragraphs=r["text"].split("\n\n"),
                        lang=r["lang"], source=r["source"], published_at=datetime.fromisoformat(r["published_at"]))
                for r in rows]
    truth = json.loads((files("newsdesk") / "sample" / "truth.json").read_text("utf-8"))
    return articles, {a: i for i, ids in enumerate(truth["stories"]) for a in ids}


def sample_runs(thresholds: Sequence[float]) -> tuple[dict[float, tuple[int, int]], int, np.ndarray]:
    """Per threshold, the sample's cross-language pairs threaded together (of one story, of two); the
    number of one-story pairs, and the dense cosines of the different-story pairs."""
    articles, story = sample_articles()
    vectors = dict(zip((a.id or "" for a in articles), dense.embed_many(articles), strict=True))
    lang = {a.id: a.lang for a in articles}
    pairs = [(a, b) for a, b in combinations(sorted(lang), 2) if lang[a] != lang[b]]
    same = {p for p in pairs if p[0] in story and story[p[0]] == story.get(p[1])}
    runs = {}
    for t in thresholds:
        threads = rethread(articles, None, ThreadOptions(cross_threshold=t), None, vectors)
        linked = {p for p in pairs if threads[p[0]] == threads[p[1]]}
        runs[t] = (len(linked & same), len(linked - same))
    other = np.array([float(vectors[a] @ vectors[b]) for a, b in pairs if (a, b) not in same])
    return runs, len(same), other


def shelf_cost(active: int = 1_500, queries: int = 2_000) -> float:
    """µs per `LanguageShelf.closest` with ``active`` articles of the other language."""
    rng = np.random.default_rng(0)
    shelf = LanguageShelf()
    vectors = rng.normal(size=(active + queries, dense.DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    for i in range(active):
        shelf.add(str(i), "ru", vectors[i])
    start = time.process_time()
    for vector in vectors[active:]:
        shelf.closest(vector, "kk", ThreadOptions().cross_threshold)
    return (time.process_time() - start) / queries * 1e6


def report(data: Path) -> list[str]:
    real = real_negatives(data)
    sib_same, sib_other = sib_pairs(data)
    runs, sample_same, sample_other = sample_runs((*GRID, 2.0))  # 2.0: the cross-language link off
    lines = ["| threshold | false links: Tengrinews × Kazinform | SIB-200 | sample | SIB-200 translations linked "
             "| sample, threaded: one-story pairs together | different-story pairs together |",
             "|---|---|---|---|---|---|---|"]
    clean = []
    for t in GRID:
        false = [int((cosines >= t).sum()) for cosines in (real, sib_other, sample_other)]
        if not any(false):
            clean.append(t)
        right, wrong = runs[t]
        lines.append(f"| {t:.2f} | {false[0]} of {len(real):,} | {false[1]} of {len(sib_other):,} "
                     f"| {false[2]} of {len(sample_other):,} | {(sib_same >= t).mean():.3f} of {len(sib_same)} "
                     f"| {right} of {sample_same} | {wrong} |")
    chosen = min(clean, default=None)
    lines += ["", f"Largest cosine of a real different-story pair: {real.max():.3f}; of a SIB-200 different-document "
              f"pair: {sib_other.max():.3f}; of a sample different-story pair: {sample_other.max():.3f}. "
              f"Lowest clean threshold: {chosen}; library default "
              f"(`ThreadOptions.cross_threshold`): {ThreadOptions().cross_threshold}. Sample pairs joined with the "
              f"cross-language link off: {runs[2.0][0]} of {sample_same}.",
              "", f"Cost: `LanguageShelf.closest` over 1,500 active articles of the other language "
              f"{shelf_cost():.0f} µs CPU per arriving article (one matrix-vector product)."]
    return lines


if __name__ == "__main__":  # this section alone: .venv/bin/python bench/threadlangs.py
    from threadcases import DATA

    print("\n".join(report(DATA)))
