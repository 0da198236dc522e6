"""Fitting the ranker of named tags: the conditional logit, calibration, time order, a whole model."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from newsdesk import analyze
from newsdesk.records import Article
from newsdesk.tag_phrases import FEATURES, Lexicon, Ranker, expand
from newsdesk.tag_ranking import _hits, conditional_logit, platt, time_order
from newsdesk.tags import TagModel, TagOptions

COMPANIES = {
    "газпром": ("«Газпром»", "«Газпрома»", "«Газпрому»"),
    "роснефть": ("«Роснефть»", "«Роснефти»", "«Роснефтью»"),
    "сбербанк": ("Сбербанк", "Сбербанка", "Сбербанку"),
    "аэрофлот": ("«Аэрофлот»", "«Аэрофлота»", "«Аэрофлоту»"),
    "лукойл": ("«Лукойл»", "«Лукойла»", "«Лукойлу»"),
    "ржд": ("РЖД", "РЖД", "РЖД"),
    "норникель": ("«Норникель»", "«Норникеля»", "«Норникелю»"),
    "ростех": ("«Ростех»", "«Ростеха»", "«Ростеху»"),
}
TITLES = ("{0} отчитался о прибыли за квартал", "Акционеры {1} получат дивиденды", "Правительство помогло {2}")
BODY = "Аналитики обсуждают новости компании {1}. Конкуренты из {rival} промолчали."


def archive() -> list[Article]:
    """Two articles per company (too few for a classifier), tagged with it; every other also «экономика»."""
    out, names = [], list(COMPANIES.items())
    for round_ in range(2):
        for n, (tag, forms) in enumerate(names):
            tags = [tag] + (["экономика"] if n % 2 == round_ else [])
            rival = names[(n + 3) % len(names)][1][1]
            out.append(Article(title=TITLES[round_].format(*forms), lead=BODY.format(*forms, rival=rival),
                               lang="ru", editor_tags=tags))
    return out


@pytest.fixture(scope="module")
def ranked() -> TagModel:
    return TagModel.train(archive(), TagOptions(min_examples=3, folds=3, min_df=1, rank_min_articles=10))


def test_a_tag_too_rare_to_learn_is_suggested_when_the_text_names_it(ranked: TagModel) -> None:
    assert ranked.ranker is not None
    assert ranked.tags == ["экономика"]
    probe = Article(title="«Лукойл» купил месторождение", lead="Компания «Лукойл» заплатила за него.", lang="ru")
    top = ranked.suggest(probe, k=3)
    assert top[0].tag == "лукойл"
    assert top == sorted(top, key=lambda t: -t.confidence)
    assert all(0 <= t.confidence <= 1 for t in top)
    given = Article(title=probe.title, lead=probe.lead, lang="ru", editor_tags=["Лукойл"])
    assert "лукойл" not in [t.tag for t in ranked.suggest(given, k=3)]


def test_a_small_archive_has_no_ranker() -> None:
    assert TagModel.train(archive(), TagOptions(min_examples=3, folds=3, min_df=1)).ranker is None


def test_a_ranked_model_survives_save_and_load(ranked: TagModel, tmp_path) -> None:
    ranked.save(tmp_path / "tags.npz")
    loaded = TagModel.load(tmp_path / "tags.npz")
    probe = Article(title="«Ростех» получил заказ", lead="Совет директоров «Ростеха» доволен.", lang="ru")
    assert loaded.suggest(probe) == ranked.suggest(probe)
    assert list(loaded.lexicon.recent) == list(ranked.lexicon.recent)


def test_update_teaches_the_lexicon_a_new_tag(tmp_path) -> None:
    model = TagModel.train(archive(), TagOptions(min_examples=3, folds=3, min_df=1, rank_min_articles=10))
    model.update(Article(title="«Татнефть» отчиталась о прибыли", lead="Акционеры «Татнефти» довольны.",
                         lang="ru", editor_tags=["татнефть"]))
    assert model.lexicon.forms[model.lexicon.index[("татнефть",)]] == "татнефть"
    probe = Article(title="«Татнефть» выплатит дивиденды", lead="Решение совета директоров «Татнефти».", lang="ru")
    assert "татнефть" in [t.tag for t in model.suggest(probe, k=3)]
    assert "татнефть" not in model.index  # a classifier comes with the next `newsdesk train`


def test_the_conditional_logit_puts_the_positive_first() -> None:
    z = np.array([[1.0], [0.0], [0.0], [2.0], [1.0]])
    y = np.array([1.0, 0.0, 0.0, 1.0, 0.0])
    w = conditional_logit(z, y, np.array([3, 2]), c=10.0)
    assert w[0] > 0


def test_platt_scaling_is_monotone_and_calibrated() -> None:
    scores = np.linspace(-3, 3, 200)
    labels = (np.random.default_rng(0).random(200) < 1 / (1 + np.exp(-2 * scores))).astype(float)
    a, b = platt(scores, labels)
    assert 1.0 < a < 3.5 and abs(b) < 0.6


def test_time_order_uses_publication_dates_when_all_have_one() -> None:
    dated = [Article(title=str(d), published_at=datetime(2018, 3, d)) for d in (20, 14, 16)]
    assert time_order(dated) == [1, 2, 0]
    assert time_order(dated + [Article(title="без даты")]) == [0, 1, 2, 3]


def test_the_ranker_is_judged_by_its_first_tag_and_on_a_tie_by_its_first_three() -> None:
    size = len(FEATURES)
    weights = np.zeros(expand(np.zeros((1, size))).shape[1])
    weights[FEATURES.index("in title")] = 3.0
    ranker = Ranker(np.zeros(size), np.ones(size), weights, (1.0, -1.0))
    lex = Lexicon.build([["газпром", "газ"], ["Газпром"], ["газпром", "выборы"]], ["газпром", "выборы"])
    for tagged in ({0}, {1}, {2}):
        lex.count(tagged, tagged)
    found = lex.find(analyze.lemmas("Газпром", "ru"), analyze.lemmas("Газ подорожал перед выборами", "ru"))
    probs = np.array([[0.3, 0.5], [0.3, 0.5]])  # the classifiers put «выборы» first
    articles = [Article(title="", lang="ru", editor_tags=["газпром", "газ"]),
                Article(title="", lang="ru", editor_tags=["выборы", "газ"])]
    mine, theirs = _hits(lex, ranker, [found, found], probs, ["газпром", "выборы"], articles)
    assert mine[0] == theirs[0] == 1  # each gets one first tag right: a tie
    assert mine[1] > theirs[1]  # the ranker names «газ» too, which the classifiers cannot
    assert mine > theirs  # so the ranker is kept
