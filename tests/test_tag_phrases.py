"""Tags named in the text: lemma keys, the archive's lexicon and its counts, the ranker's features."""

from __future__ import annotations

import numpy as np
import pytest

from newsdesk import analyze
from newsdesk.tag_phrases import FEATURES, Counts, Leave, Lexicon, Ranker, expand, features, key, rank


@pytest.mark.parametrize(("tag", "expected"), [
    ("молодежное яблоко", ("молодежный", "яблоко")),
    ("Уголовные дела", ("уголовный", "дело")),
    ("санктпетербург", ("санктпетербург",)),
])
def test_a_tag_is_keyed_by_its_lemmas(tag: str, expected: tuple[str, ...]) -> None:
    assert key(tag) == expected


def lexicon() -> Lexicon:
    tag_lists = [["газпром", "газ"], ["Газпром"], ["газпром", "молодежное яблоко", "выборы"], ["санктпетербург"]]
    return Lexicon.build(tag_lists, ["газпром", "выборы"])


def test_the_lexicon_keeps_each_tag_once_in_its_most_used_spelling() -> None:
    lex = lexicon()
    assert sorted(lex.forms) == ["выборы", "газ", "газпром", "молодежное яблоко", "санктпетербург"]
    assert lex.vocab[lex.index[key("газпром")]] == 0
    assert lex.vocab[lex.index[key("газ")]] == -1
    assert lex.entries(["Газпром", "нет такого тега"]) == {lex.index[key("газпром")]}


def test_find_locates_phrases_in_the_title_and_the_text_hyphens_dropped() -> None:
    lex = lexicon()
    title = analyze.lemmas("Активистов «Молодежного Яблока» задержали", "ru")
    body = analyze.lemmas("В Санкт-Петербурге прошли выборы. Выборы прошли спокойно.", "ru")
    found = lex.find(title, body)
    named = {lex.forms[j]: where for j, where in found.positions.items()}
    assert named == {"молодежное яблоко": [1], "санктпетербург": [5], "выборы": [7, 8]}
    assert found.title == len(title)


def test_counts_keep_a_window_of_recent_articles() -> None:
    lex = lexicon()
    lex.window = 2
    gas, vote = lex.index[key("газпром")], lex.index[key("выборы")]
    for tagged in ({gas}, {gas}, {vote}):
        lex.count(tagged, tagged)
    assert (lex.counts.uses[gas], lex.counts.recent_uses[gas], lex.counts.articles) == (2, 1, 3)


def test_new_tags_join_the_lexicon() -> None:
    lex = lexicon()
    added = lex.add(["атомный авианосец"])
    assert lex.forms[added.pop()] == "атомный авианосец"
    assert len(lex.counts.uses) == len(lex)


def test_features_describe_named_tags_the_counts_know() -> None:
    lex = lexicon()
    gas, vote, youth = (lex.index[key(t)] for t in ("газпром", "выборы", "молодежное яблоко"))
    lex.count({gas}, {gas})
    lex.count({vote, youth}, {vote, youth})
    found = lex.find(analyze.lemmas("Газпром и выборы", "ru"), [])
    rows, entries = features(lex, found, np.array([0.9, 0.2]), lex.counts)
    assert sorted(entries) == sorted([gas, vote]) and rows.shape == (2, len(FEATURES))
    assert rows[entries.index(gas), FEATURES.index("in title")] == 1.0
    left_out = features(lex, found, np.array([0.9, 0.2]), lex.counts, Leave({gas}, {gas}))[1]
    assert left_out == [vote]  # a tag only this article used is no candidate for it


def test_the_ranker_scores_pairwise_products_and_calibrates() -> None:
    assert expand(np.array([[1.0, 2.0]])).tolist() == [[1.0, 2.0, 1.0, 2.0, 4.0]]
    size = len(FEATURES)
    weights = np.zeros(size + size * (size + 1) // 2)
    weights[FEATURES.index("in title")] = 3.0
    ranker = Ranker(np.zeros(size), np.ones(size), weights, (1.0, -1.0))
    lex = lexicon()
    for tagged in ({0}, {1}, {2}, {3}, {4}):
        lex.count(tagged, tagged)
    found = lex.find(analyze.lemmas("Газпром", "ru"), analyze.lemmas("Газ подорожал", "ru"))
    ranked = rank(lex, ranker, found, np.array([0.3, 0.5]), ["газпром", "выборы"], limit=2)
    assert [tag for tag, _ in ranked] == ["газпром", "выборы", "газ"]
    assert ranked[0][1] == pytest.approx(1 / (1 + np.exp(-2.0)))


def test_counts_grow_with_the_lexicon() -> None:
    counts = Counts.zeros(2)
    counts.grow(4)
    assert counts.seen.tolist() == [0, 0, 0, 0]
