"""Rubric, not-news, tag-suggestion and tag-audit quality on the real sets in ../shared/data.

Run: .venv/bin/python bench/tags.py [--quick]   (prints Markdown, writes docs/bench/tags.md)

Rubrics: the contest's test items (Toloka honey + exam) when ``toloka_gold.jsonl`` is present;
otherwise, honestly labelled proxies: the 40 Toloka ``training`` items scored by a model trained
without them, and 5-fold cross-validation over the contest's early markup and not-news titles
(each fold's model trained on everything else, the weak and silver sets included).
Tags: a time split of each tagged archive (older 80 % trains, newer 20 % tests); the audit swaps one
editor tag of 1,000 test articles for a random other tag of the model's vocabulary.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import json
import os
import platform
import random
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsdesk import analyze, features, rubric_corpus, rubrics, tags  # noqa: E402
from newsdesk.records import Article  # noqa: E402
from newsdesk.rubric_training import DEFAULT_LANGS, DEFAULT_SOURCE_WEIGHTS, HEAD_SOURCES  # noqa: E402
from newsdesk.rubrics import TrainOptions  # noqa: E402

DATA = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared")) / "data"
OUT = ROOT / "docs" / "bench" / "tags.md"
CRAWL_RU = "newsdesk_tgc2019_ru"  # our labels of the contest crawl's Russian pages (rubric_corpus source name)
STORED_TAGS = "--raw-tags" not in sys.argv  # tags as the archive stores them (the raw rows: --raw-tags)
OUTLETS_RU = {"newsdesk_tengri_ru": "Tengrinews", "newsdesk_ria_ru": "RIA", "newsdesk_rtng_ru": "RT/NG"}  # our labels
SECOND_READING = ROOT / "bench" / "labels" / "rubrics_second_reading.tsv"


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return (f"- command: `.venv/bin/python bench/tags.py {' '.join(sys.argv[1:])}`\n"
            f"- machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}\n"
            f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit.stdout.strip() or '?'}\n")


# --- rubrics ---------------------------------------------------------------------------------

def macro_f1(truth: list[str], pred: list[str]) -> float:
    scores = []
    for label in sorted(set(truth) | set(pred)):
        tp = sum(t == p == label for t, p in zip(truth, pred, strict=True))
        fp, fn = sum(p == label for p in pred) - tp, sum(t == label for t in truth) - tp
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def binary(truth: list[bool], pred: list[bool]) -> tuple[float, float]:
    tp = sum(t and p for t, p in zip(truth, pred, strict=True))
    return tp / max(1, sum(pred)), tp / max(1, sum(truth))


def rubric_vectors(articles: list[Article], cache: Path | None) -> dict[str, np.ndarray]:
    """Dense vectors (``{dense.fingerprint: vector}``) of ``articles``; empty when dense vectors are off.
    ``cache`` (dev only) keeps them between runs."""
    from newsdesk import dense

    os.environ.setdefault(dense.ENV, "1")
    if not dense.available():
        return {}
    vectors: dict[str, np.ndarray] = {}
    if cache and cache.exists():
        with np.load(cache) as stored:
            vectors = dict(zip(stored["keys"], stored["vectors"], strict=True))
    todo = list({key: a for a in articles if (key := dense.fingerprint(a)) not in vectors}.items())
    for (key, _), vector in zip(todo, dense.embed_many([a for _, a in todo]), strict=True):
        if vector is not None:
            vectors[key] = vector
    if cache and todo:
        np.savez(cache, keys=np.array(list(vectors)), vectors=np.array(list(vectors.values())))
    return vectors


def rubric_folds(folds: int, cache: Path | None = None, keep: Callable[[Article], bool] | None = None,
                 shares: tuple[float, ...] = ()) -> tuple[dict[str, tuple[list, list]], list]:
    """Predictions (truth, pred) per evaluation set from `folds` models, and not-news title pairs.

    Folded: the contest's markup v0, its not-news titles, our labels of the Russian and English crawl
    pages and of Kazakh articles; every model also learns from the rest of the default corpora.  The 40
    Toloka items are scored by a model of all the other labels.  Our labels of the Russian-language
    outlets (`OUTLETS_RU`) are scored by a second CV in which only they are folded.  With dense vectors, each model also
    has the dense head (learnt from the `HEAD_SOURCES` items of its training folds), and the sets are
    scored again with it under keys ending in ``+head``.  ``keep`` (the learning curve) leaves the labels
    it refuses out of every training set; the evaluation sets stay whole.  With ``shares``, each set is also
    scored with the head at each of those shares of the probabilities (keys ending in ``+head@share``).
    """
    base = rubric_corpus.default_corpus(DATA, ["newsdesk_labels_ru", "sib200_topics", "telegram_posts",
                                               "rt_ng_sections", "ria_rubrics"])
    crawl = [a for a in base if a.source == CRAWL_RU]
    base = [a for a in base if a.source != CRAWL_RU]
    v0 = list(rubric_corpus.contest_markup(DATA))
    gold = list(rubric_corpus.contest_gold_training(DATA))
    titles = list(rubric_corpus.contest_not_news_titles(DATA, news_too=True))
    en_kk = list(rubric_corpus.labelled_en_kk(DATA))
    folded = v0 + titles + en_kk + crawl
    rng = random.Random(0)
    fold_of = {id(a): rng.randrange(folds) for a in folded}
    options = TrainOptions(source_weights=DEFAULT_SOURCE_WEIGHTS, langs=DEFAULT_LANGS, folds=1)
    vectors = rubric_vectors([a for a in base + crawl + en_kk if a.source in HEAD_SOURCES] + v0 + gold, cache)
    keys = ("gold_training_40", "markup_v0_cv", "en", "kk", "crawl_ru", *(f"outlet {n}" for n in OUTLETS_RU.values()))
    out: dict[str, tuple[list, list]] = {k + suffix: ([], []) for k in keys for suffix in ("", "+head")}
    title_pairs: list[tuple[bool, bool]] = []
    kept = keep or (lambda a: True)
    for fold in range(folds):
        train = [a for a in base if kept(a)] + [a for a in folded if fold_of[id(a)] != fold and kept(a)]
        model = rubrics.train(train, options, vectors=vectors)
        _score(model, [a for a in v0 if fold_of[id(a)] == fold], out, "markup_v0_cv", vectors, shares)
        _score(model, [a for a in crawl if fold_of[id(a)] == fold], out, "crawl_ru", vectors, shares)
        for lang in ("en", "kk"):
            _score(model, [a for a in en_kk if a.lang == lang and fold_of[id(a)] == fold], out, lang, vectors, shares)
        for a in (a for a in titles if fold_of[id(a)] == fold):
            title_pairs.append((a.rubric == "not_news", model.predict(a)[0] == "not_news"))
        print(f"  rubric fold {fold + 1}/{folds} done", file=sys.stderr)
    model = rubrics.train([a for a in base + folded if kept(a)], options, vectors=vectors)  # all labels but the 40
    _score(model, gold, out, "gold_training_40", vectors, shares)
    outlets = [a for a in base if a.source in OUTLETS_RU]  # a second CV: only these folded, the rest trains
    outlet_fold = {id(a): rng.randrange(folds) for a in outlets}
    for fold in range(folds):
        held = [a for a in outlets if outlet_fold[id(a)] == fold]
        out_of_fold = {id(a) for a in held}
        model = rubrics.train([a for a in base + folded if id(a) not in out_of_fold and kept(a)], options,
                              vectors=vectors)
        for source, name in OUTLETS_RU.items():
            _score(model, [a for a in held if a.source == source], out, f"outlet {name}", vectors, shares)
        print(f"  outlet fold {fold + 1}/{folds} done", file=sys.stderr)
    for suffix in ("", "+head"):
        parts = [out.get(f"outlet {name}{suffix}", ([], [])) for name in OUTLETS_RU.values()]
        out["outlets_ru" + suffix] = ([t for p in parts for t in p[0]], [x for p in parts for x in p[1]])
    return {k: v for k, v in out.items() if v[0]}, title_pairs


def agreement_line() -> str:
    """How often a second, independent reading of our crawl labels agrees with the first (and Cohen's κ)."""
    first = rubric_corpus.our_labels()["tgc2019"]
    rows = [line.split("\t") for line in SECOND_READING.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    pairs = [(first[id_][1], rubric) for id_, rubric in rows]
    agree = sum(a == b for a, b in pairs) / len(pairs)
    left, right = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum(left[k] * right[k] for k in left) / len(pairs) ** 2
    return (f"Label agreement: a second developer relabelled {len(pairs)} of our Russian crawl pages without "
            f"seeing the first labels (`{SECOND_READING.relative_to(ROOT)}`): agreement {agree:.3f}, "
            f"Cohen's κ {(agree - chance) / (1 - chance):.3f}.")


def _score(model: rubrics.RubricModel, articles: list[Article], out: dict[str, tuple[list, list]], key: str,
           vectors: dict[str, np.ndarray], shares: tuple[float, ...] = ()) -> None:
    """Score ``articles`` into ``out[key]`` with the SVM alone, into ``out[key + "+head"]`` with the head, and
    into ``out[f"{key}+head@{share}"]`` with the head at each of ``shares``."""
    from dataclasses import replace

    from newsdesk import dense

    head = model.head
    for a in articles:
        out[key][0].append(a.rubric)
        out[key][1].append(model.predict(a)[0])
        if head is None:
            continue
        vector = vectors.get(dense.fingerprint(a))
        out[key + "+head"][0].append(a.rubric)
        out[key + "+head"][1].append(model.predict(a, vector=vector)[0])
        for share in shares:
            model.head = replace(head, share=share)
            found = out.setdefault(f"{key}+head@{share}", ([], []))
            found[0].append(a.rubric)
            found[1].append(model.predict(a, vector=vector)[0])
        model.head = head


def rubric_row(name: str, truth: list[str], pred: list[str]) -> str:
    """``| name | items | accuracy | accuracy on news | macro-F1 | not-news precision | not-news recall |``;
    accuracy on news: over the items our label calls news (one of the seven rubrics), a news item the model
    calls not-news counting as wrong; the not-news verdict has its own two columns."""
    p, r = binary([t == "not_news" for t in truth], [x == "not_news" for x in pred])
    acc = sum(t == x for t, x in zip(truth, pred, strict=True)) / len(truth)
    news = [(t, x) for t, x in zip(truth, pred, strict=True) if t != "not_news"]
    on_news = f"{sum(t == x for t, x in news) / len(news):.3f}" if news else "–"
    return f"| {name} | {len(truth)} | {acc:.3f} | {on_news} | {macro_f1(truth, pred):.3f} | {p:.3f} | {r:.3f} |"


def rubric_report(folds: int, cache: Path | None = None) -> str:
    lines = ["### Rubrics (8 classes) and not-news", "",
             "| evaluation set | items | accuracy | accuracy on news | macro-F1 | not-news precision | "
             "not-news recall |", "|---|---|---|---|---|---|---|"]
    test = list(rubric_corpus.contest_gold_test(DATA))
    sets = {}
    if test:
        model = rubrics.default_model()
        sets["toloka honey+exam (contest test), shipped model"] = ([a.rubric for a in test],
                                                                   [model.predict(a)[0] for a in test])
    folded, title_pairs = rubric_folds(folds, cache)
    names = {"gold_training_40": "toloka training split (40), model trained without it",
             "markup_v0_cv": f"contest markup v0, {folds}-fold CV",
             "crawl_ru": f"Russian crawl pages (contest's Nov 2019 crawl), our labels, {folds}-fold CV",
             "en": f"English crawl pages, our labels, {folds}-fold CV",
             "kk": f"Kazakh Kazinform articles, our labels, {folds}-fold CV",
             "outlets_ru": f"Russian-language outlets' news (Tengrinews, RIA, RT/NG), our labels, {folds}-fold CV",
             **{f"outlet {n}": f"– of which {n}" for n in OUTLETS_RU.values()}}
    for key, name in names.items():
        sets[name] = folded[key]
        if key + "+head" in folded:
            sets[f"{name}, **with the dense head**"] = folded[key + "+head"]
    lines += [rubric_row(name, truth, pred) for name, (truth, pred) in sets.items()]
    p, r = binary(*map(list, zip(*title_pairs, strict=True)))
    lines.append(f"| news/not-news titles ({len(title_pairs)}, {folds}-fold CV; horoscope/weather → other) "
                 f"| {len(title_pairs)} | – | – | – | {p:.3f} | {r:.3f} |")
    if not test:
        lines += ["", "The contest's test items (Toloka honey + exam) are held back from this workspace "
                  "(`toloka_gold.jsonl` absent), so the figures above are proxies, not the contest's test."]
    per_class = Counter(t for t in folded["markup_v0_cv"][0])
    lines += ["", f"markup v0 class counts: {dict(per_class)}", "", agreement_line()]
    for key, name in (("crawl_ru+head", "Russian crawl pages"), ("outlets_ru+head", "Russian-language outlets")):
        if key in folded:
            lines += ["", *confusion(f"{name}, with the dense head", *folded[key])]
    return "\n".join(lines) + "\n"


def confusion(name: str, truth: list[str], pred: list[str]) -> list[str]:
    """A confusion table (rows: our label, columns: the model's) and the commonest confusions."""
    labels = [r for r in rubrics.RUBRICS if r in set(truth) | set(pred)]
    pairs = Counter(zip(truth, pred, strict=True))
    rows = [f"Confusions, {name} (rows: our label, columns: the model's; {len(truth)} items):", "",
            "| | " + " | ".join(labels) + " |", "|---" * (len(labels) + 1) + "|"]
    rows += [f"| {t} | " + " | ".join(str(pairs[t, p]) for p in labels) + " |" for t in labels]
    errors = Counter()
    for (t, p), n in pairs.items():
        if t != p:
            errors[tuple(sorted((t, p)))] += n
    common = ", ".join(f"{a} ↔ {b} {n}" for (a, b), n in errors.most_common(4))
    return rows + ["", f"{sum(errors.values())} errors; commonest: {common}."]


def curve_report(folds: int = 5, cache: Path | None = None, shares: tuple[float, ...] = (0.25, 0.5, 0.75, 1.0)) -> str:
    """Accuracy with the dense head when training keeps a share of our crawl, and of our outlets', labels."""
    lines = ["### Rubrics: would more of our labels help?", "",
             "The same CVs, each training set keeping a random share of our labels of the Russian crawl pages and of",
             "the outlets' news; every item is still scored, the other training data stay whole.", "",
             "| share of our labels in training | crawl labels | crawl accuracy | outlet labels | outlets accuracy |",
             "|---|---|---|---|---|"]
    draw = random.Random(1)
    rank: dict[str, float] = {}
    ours = {CRAWL_RU, *OUTLETS_RU}

    for share in shares:
        found, _ = rubric_folds(folds, cache, keep=lambda a, share=share: a.source not in ours or
                                rank.setdefault(f"{a.source}:{a.id}", draw.random()) < share)
        row = []
        for key in ("crawl_ru+head", "outlets_ru+head"):
            truth, pred = found[key]
            row += [f"~{round(len(truth) * share * (folds - 1) / folds):,}",
                    f"{sum(t == x for t, x in zip(truth, pred, strict=True)) / len(truth):.3f}"]
        lines.append(f"| {share:.2f} | " + " | ".join(row) + " |")
        print(f"  curve {share:.2f} done", file=sys.stderr)
    return "\n".join(lines) + "\n"


HEAD_SHARES = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)


def share_report(folds: int = 5, cache: Path | None = None, shares: tuple[float, ...] = HEAD_SHARES) -> str:
    """Accuracy with the dense head at several shares of the mixed probabilities, one training per fold: the
    shipped share is the one the Russian crawl's CV scores best; the other rows are reported beside it."""
    found, _ = rubric_folds(folds, cache, shares=shares)
    sets = {"crawl_ru": "Russian crawl CV (chooses)", "outlets_ru": "outlets' CV", "markup_v0_cv": "markup v0 CV",
            "gold_training_40": "Toloka 40", "en": "English crawl CV"}
    lines = ["### Rubrics: the dense head's share", "", "| share | " + " | ".join(sets.values()) + " |",
             "|---" * (len(sets) + 1) + "|"]
    for share in shares:
        cells = []
        for key in sets:
            truth, pred = found.get(f"{key}+head@{share}", ([], []))
            if key == "outlets_ru":  # the per-outlet keys, pooled
                parts = [found.get(f"outlet {n}+head@{share}", ([], [])) for n in OUTLETS_RU.values()]
                truth, pred = [t for p in parts for t in p[0]], [x for p in parts for x in p[1]]
            cells.append(f"{sum(t == x for t, x in zip(truth, pred, strict=True)) / max(1, len(truth)):.3f}")
        lines.append(f"| {share:.2f}{' (shipped)' if share == TrainOptions().head_share else ''} | "
                     + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def timing_report(n: int = 500) -> str:
    model = rubrics.default_model()
    start = time.perf_counter()
    rubrics.RubricModel.load(rubrics.DEFAULT_PATH)
    load = time.perf_counter() - start
    articles = list(rubric_corpus.contest_markup(DATA))[:n]
    for a in articles:
        a.lang = "ru"
    shared = [analyze.lemmas(a.text[: features.MAX_TEXT_CHARS]) for a in articles]
    cold = _per_article(lambda: [model.predict(a) for a in articles], len(articles))
    warm = _per_article(lambda: [model.predict(a, lem) for a, lem in zip(articles, shared, strict=True)],
                        len(articles))
    bags = [features.article_terms(a, lem) for a, lem in zip(articles, shared, strict=True)]
    core = _per_article(lambda: [model.probabilities(b) for b in bags], len(articles))
    size = rubrics.DEFAULT_PATH.stat().st_size / 1e6
    head = ""
    if model.head is not None:
        vector = np.ones(model.head.coef.shape[1], dtype=np.float32) / np.sqrt(model.head.coef.shape[1])
        mixed = _per_article(lambda: [model.probabilities(b, vector) for b in bags], len(articles))
        head = (f"- with the dense head, given the article's vector (computed once for threads too; the encoder's "
                f"cost is in the threads section): {mixed:.3f} ms/article\n")
    return ("### Rubric speed (one core)\n\n"
            f"- shipped model `src/newsdesk/models/rubrics.npz` {size:.1f} MB, load {load * 1000:.0f} ms\n"
            f"- classification given the article's lemmas: {warm:.3f} ms/article "
            f"(of which TF-IDF + linear scores {core:.3f} ms)\n"
            f"- including lemmatisation (analyzer cache warm from the line above): {cold:.3f} ms/article "
            f"over {len(articles)} contest articles (median {_median_chars(articles)} chars)\n" + head)


def _per_article(run, n: int) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        run()
        best = min(best, (time.perf_counter() - start) * 1000 / n)
    return best


def _median_chars(articles: list[Article]) -> int:
    return int(np.median([len(a.text) for a in articles]))


# --- tags ------------------------------------------------------------------------------------

def read_archive(name: str) -> list[Article]:
    """A tagged archive in time order (RT ids grow with time; NG and others carry dates)."""
    files = {"ria": "ru_ria_topics_2023/articles.jsonl.gz", "tengrinews": "ru_news_tengrinews_2024/articles.jsonl.gz",
             "rt": "ru_rt_ng_keywords/articles.jsonl.gz", "ng": "ru_rt_ng_keywords/articles.jsonl.gz"}
    with gzip.open(DATA / files[name], "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    if name in ("rt", "ng"):
        rows = [r for r in rows if r["id"].startswith(name + "-")]
    if name == "rt":  # RT article numbers grow with time; rows without one are left out
        rows = [r | {"published_at": _rt_number(r)} for r in rows if _rt_number(r) is not None]
    articles = [_tagged(r) for r in sorted(rows, key=_when) if r.get("tags")]
    return stored_tags(articles) if STORED_TAGS else articles


def _when(row: dict) -> tuple[float, str]:
    """A row's place in time: its date as ingest reads it (Tengrinews dates a third of its items only in
    «published_raw»), or RT's article number; undated rows first."""
    from newsdesk.sources.fields import record_dates

    if not isinstance(row["published_at"], str) or not row["published_at"].isdigit():
        published = record_dates(row)[0]
        return (published.timestamp(), "") if published else (0.0, "")
    return (0.0, row["published_at"])


def stored_tags(articles: list[Article]) -> list[Article]:
    """The articles with their editor tags as an archive stores them (`Writer`): tags sharing a slug
    («Брексит», «брексит ») are one tag under the first name met, oldest article first."""
    from newsdesk import gazetteer
    from newsdesk.slug import slugify
    from newsdesk.sources.fields import tag_list

    first: dict[str, str] = {}
    for a in articles:
        names = [first.setdefault(slugify(gazetteer.canonical_tag(t)) or t, gazetteer.canonical_tag(t))
                 for t in tag_list({"tags": a.editor_tags}, "tags", None)]
        a.editor_tags = list(dict.fromkeys(names))
    return articles


def _rt_number(row: dict) -> str | None:
    found = re.search(r"/(\d{4,})-", row.get("url") or "")
    return found.group(1).zfill(12) if found else None


def _tagged(row: dict) -> Article:
    body = row.get("text") or ""
    return Article(title=row.get("title") or "", lead=row.get("summary") or row.get("subtitle") or "",
                   paragraphs=[body] if body else [], id=row["id"], lang="ru", editor_tags=list(row["tags"]))


def tag_quality(model: tags.TagModel, test: list[Article]) -> dict[str, float]:
    hits1, recall3, known3, applied, applied_ok = 0, 0.0, 0.0, 0, 0
    for a in test:
        truth = set(a.editor_tags)
        top = model.suggest(Article(title=a.title, lead=a.lead, paragraphs=a.paragraphs, lang=a.lang), k=3)
        names = [t.tag for t in top]
        hits1 += bool(names) and names[0] in truth
        recall3 += len(truth & set(names)) / len(truth)
        known = truth & set(model.tags)
        known3 += len(known & set(names)) / len(known) if known else 0
        applied += sum(t.confidence >= model.apply_threshold for t in top)
        applied_ok += sum(t.confidence >= model.apply_threshold and t.tag in truth for t in top)
    n = len(test)
    return {"p@1": hits1 / n, "r@3": recall3 / n, "r@3 known": known3 / sum(bool(set(a.editor_tags) & set(model.tags))
                                                                            for a in test),
            "applied/article": applied / n, "applied precision": applied_ok / max(1, applied)}


def wilson(p: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion ``p`` measured on ``n`` items."""
    centre, half = p + z * z / (2 * n), z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - half) / (1 + z * z / n), (centre + half) / (1 + z * z / n)


def learning_p1(model: tags.TagModel, test: list[Article]) -> float:
    """P@1 as the product runs: each test article gets its suggestions, then its editor tags teach a copy of the
    model (`TagModel.update`, as `stages.tagging.learn` does when an editor saves tags) before the next one."""
    learner, hits = copy.deepcopy(model), 0
    for a in test:
        top = learner.suggest(Article(title=a.title, lead=a.lead, paragraphs=a.paragraphs, lang=a.lang), k=1)
        hits += bool(top) and top[0].tag in a.editor_tags
        learner.update(a)
    return hits / len(test)


def _suggest_given_lemmas(model: tags.TagModel, test: list[Article]) -> float:
    """CPU ms per article of `suggest` given the text's lemmas, as the pipeline calls it (its lemma
    stage analyses each article once for search, rubric and tags alike)."""
    known = [(Article(title=a.title, lead=a.lead, paragraphs=a.paragraphs, lang=a.lang), analyze.lemmas(a.text, "ru"))
             for a in test]
    start = time.process_time()
    for article, lemmas in known:
        model.suggest(article, k=3, lemmas=lemmas)
    return (time.process_time() - start) * 1000 / len(known)


def audit_quality(model: tags.TagModel, test: list[Article], n: int = 1000, seed: int = 0) -> dict[str, float]:
    """Swap one known editor tag of up to ``n`` test articles for a random vocabulary tag; score flags."""
    rng = random.Random(seed)
    pool = [a for a in test if sum(t in model for t in set(a.editor_tags)) >= 2]
    chosen = [pool[i % len(pool)] for i in rng.sample(range(len(pool)), min(n, len(pool)))] if pool else []
    while len(chosen) < n and pool:  # small archives: reuse articles with another swap
        chosen.append(rng.choice(pool))
    flagged = injected_flagged = 0
    for a in chosen:
        own = list(dict.fromkeys(a.editor_tags))
        out = rng.choice([t for t in own if t in model])
        wrong = rng.choice([t for t in model.tags if t not in own])
        swapped = Article(title=a.title, lead=a.lead, paragraphs=a.paragraphs, lang=a.lang,
                          editor_tags=[wrong if t == out else t for t in own])
        flags = tags.audit(swapped, model)
        flagged += len(flags)
        injected_flagged += any(f.tag == wrong for f in flags)
    return {"injected": len(chosen), "precision": injected_flagged / max(1, flagged),
            "recall": injected_flagged / max(1, len(chosen)), "distinct articles": len({id(a) for a in chosen})}


def tag_report(names: list[str]) -> str:
    lines = ["### Tags: time split (older 80 % trains, newer 20 % tests)", "",
             "| archive | train / test articles | tags learned | P@1 | P@1 95 % interval | P@1 learning as editors tag "
             "| R@3 | R@3 (learned tags) | applied/article | applied precision | train s | suggest ms/article "
             "| given the lemmas |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    audits = ["", "### Tag audit: one editor tag swapped for a random vocabulary tag in test articles", "",
              "| archive | injected | in distinct articles | audit threshold | precision | recall |",
              "|---|---|---|---|---|---|"]
    for name in names:
        archive = read_archive(name)
        cut = int(len(archive) * 0.8)
        start = time.perf_counter()
        model = tags.TagModel.train(archive[:cut])
        trained = time.perf_counter() - start
        start = time.perf_counter()
        q = tag_quality(model, archive[cut:])
        per = (time.perf_counter() - start) * 1000 / len(archive[cut:])
        given = _suggest_given_lemmas(model, archive[cut:])
        learning = learning_p1(model, archive[cut:])
        low, high = wilson(q["p@1"], len(archive) - cut)
        lines.append(f"| {name} | {cut} / {len(archive) - cut} | {len(model.tags)} | {q['p@1']:.3f} "
                     f"| {low:.3f}–{high:.3f} | {learning:.3f} "
                     f"| {q['r@3']:.3f} "
                     f"| {q['r@3 known']:.3f} | {q['applied/article']:.2f} | {q['applied precision']:.3f} "
                     f"| {trained:.0f} | {per:.1f} | {given:.2f} |")
        a = audit_quality(model, archive[cut:])
        audits.append(f"| {name} | {a['injected']} | {a['distinct articles']} | {model.audit_threshold:.3f} "
                      f"| {a['precision']:.3f} | {a['recall']:.3f} |")
        print(f"  tags {name} done", file=sys.stderr)
    return "\n".join(lines + audits) + "\n"


def variants_report(names: list[str], shown: int = 8) -> str:
    """Editor tags spelled several ways in each real archive (`tag_variants.find_variants`, no people index:
    the archives carry no entities), counted on the tags as the archive stores them (`stored_tags`)."""
    from newsdesk.tag_variants import find_variants

    lines = ["### Tag variants: one tag spelled several ways", "",
             "| archive | editor tags | groups | tags in them | spelling / word forms | articles tagged with a "
             "less used spelling | CPU ms |", "|---|---|---|---|---|---|---|"]
    listed = []
    for name in names:
        archive = read_archive(name)
        uses = Counter(t for a in archive for t in set(a.editor_tags))
        start = time.process_time()
        groups = find_variants(uses)
        ms = (time.process_time() - start) * 1000
        minority = {t for g in groups for t, _ in g.tags[1:]}
        reasons = Counter(g.reason for g in groups)
        lines.append(f"| {name} | {len(uses):,} | {len(groups)} | {sum(len(g.tags) for g in groups)} | "
                     f"{reasons['spelling']} / {reasons['word forms']} | "
                     f"{sum(bool(minority & set(a.editor_tags)) for a in archive):,} of {len(archive):,} | {ms:.0f} |")
        listed.append(f"- {name}: " + "; ".join(" = ".join(f"«{t}» {n}" for t, n in g.tags) for g in groups[:shown]))
    return "\n".join(lines + ["", f"The {shown} most used groups of each:", "", *listed]) + "\n"


def sample_audit_report() -> str:
    """The bundled sample's deliberately wrong tags, found by `tags.audit_archive`."""
    from importlib import resources

    root = resources.files("newsdesk").joinpath("sample")
    rows = [json.loads(line) for line in root.joinpath("articles.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    wrong = {(w["id"], w["tag"]) for w in json.loads(root.joinpath("truth.json").read_text())["wrong_tags"]}
    sample = [Article(id=r["id"], title=r["title"], lead=r["lead"], paragraphs=r["text"].split("\n\n"),
                      lang=r["lang"], editor_tags=r["tags"]) for r in rows]
    _, found = tags.audit_archive(sample, tags.TagOptions(folds=5))
    flagged = [(a.id, f.tag) for a, f in found]
    top = set(flagged[: len(wrong)])
    return ("### Tag audit on the bundled sample (105 articles, 7 deliberately wrong tags)\n\n"
            f"- flagged {len(flagged)} tags; all wrong tags flagged: {len(wrong & set(flagged))}/{len(wrong)}; "
            f"precision {len(wrong & set(flagged)) / max(1, len(flagged)):.2f}\n"
            f"- wrong tags among the {len(wrong)} worst flags: {len(wrong & top)}/{len(wrong)}\n")


def small_archive_audit_report() -> str:
    """A small archive whose tags are its rubrics (lenta.ru's feed, 198 articles, one tag each, all of them
    right): how many tags the audit flags by confidence alone, with and without leaving alone the tags used
    on fewer than `tags.AUDIT_MIN_USES` articles."""
    from newsdesk.sources import read

    feed = DATA / "ru_rss_feeds/publisher_feeds/lenta.ru_rss_2022-12-03.xml"
    items = list({i.id: i for i in read(str(feed)) if isinstance(i, Article) and i.editor_tags}.values())
    uses = Counter(t for i in items for t in set(i.editor_tags))
    rows = []
    for name, floor in (("every tag judged (before)", 0), (f"tags on {tags.AUDIT_MIN_USES}+ articles (now)", None)):
        saved = tags.AUDIT_MIN_USES
        tags.AUDIT_MIN_USES = saved if floor is None else floor
        try:
            _, found = tags.audit_archive(items)
        finally:
            tags.AUDIT_MIN_USES = saved
        counts = sorted(uses[f.tag] for _, f in found)
        rows.append(f"| {name} | {len(found)} | {', '.join(map(str, counts)) or '—'} |")
    return ("### Tag audit on a small archive whose tags are right (lenta.ru feed, 2022-12-03)\n\n"
            f"{len(items)} articles, {len(uses)} tags (the outlet's own rubrics), one per article.\n\n"
            "| audit | flags | uses of each flagged tag |\n|---|---|---|\n" + "\n".join(rows) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rubric folds, RIA and Tengrinews only")
    parser.add_argument("--only", choices=["rubrics", "tags", "small-audit", "curve", "share", "variants"],
                        help="run one half (or the small archive's audit, the rubrics' learning curve, the head's "
                        "share or the tag variants, alone)")
    parser.add_argument("--archives", default="ria,tengrinews,rt,ng",
                        help="tagged archives to split (rt trains ~1,200 tags: the slow one)")
    parser.add_argument("--raw-tags", action="store_true", help="tags as the rows spell them, not as an archive "
                        "stores them (one tag per slug)")
    parser.add_argument("--vectors", type=Path, help="file to keep the labelled items' dense vectors in (dev only)")
    args = parser.parse_args()
    parts = ["## Rubrics and tags (`bench/tags.py`)\n", machine()]
    print(parts[0], parts[1], sep="\n", flush=True)
    sections = []
    if args.only != "tags":
        sections += [lambda: rubric_report(3 if args.quick else 5, args.vectors), timing_report]
    if args.only == "small-audit":
        sections = [small_archive_audit_report]
    elif args.only == "curve":
        sections = [lambda: curve_report(5, args.vectors)]
    elif args.only == "share":
        sections = [lambda: share_report(5, args.vectors)]
    elif args.only == "variants":
        sections = [lambda: variants_report(args.archives.split(","))]
    elif args.only != "rubrics":
        archives = ["ria", "tengrinews"] if args.quick else args.archives.split(",")
        sections += [lambda: tag_report(archives), lambda: variants_report(archives), sample_audit_report,
                     small_archive_audit_report]
    for section in sections:
        parts.append(section())
        print(parts[-1], flush=True)
    report = "\n".join(parts)
    if not args.only and not args.quick:  # a partial run does not overwrite the report
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
