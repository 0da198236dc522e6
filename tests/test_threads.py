"""Online story threading, rethreading, order independence and ranking (newsdesk.threads)."""

from __future__ import annotations

import dataclasses
import gzip
import json
import random
from collections import Counter
from datetime import datetime, timedelta
from importlib.resources import files
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from newsdesk import dense
from newsdesk.errors import InputError
from newsdesk.records import Article
from newsdesk.similarity import DocumentFrequencies, Vectorizer, analyse
from newsdesk.threads import (
    Member,
    RankOptions,
    Thread,
    Threader,
    ThreadOptions,
    rank_threads,
    resolve,
    rethread,
    thread_title,
)

T0 = datetime.fromisoformat("2026-04-12T09:00:00+05:00")

# Three stories (two or three outlets each) and two unrelated items, written for these tests.
STORIES = {
    "flood": [
        ("Паводок в Петропавловске: прорвало дамбу на озере Пестром",
         "В Петропавловске ночью прорвало дамбу на озере Пестром, вода подошла к дачным массивам. "
         "Из зоны подтопления эвакуировали 380 жителей, сообщили в ДЧС Северо-Казахстанской области."),
        ("Из-за прорыва дамбы в Петропавловске эвакуировали сотни жителей",
         "Спасатели ДЧС Северо-Казахстанской области эвакуировали 380 человек после того, как вода из "
         "озера Пестрого прорвала дамбу. Подтоплены дачи и частные дома на окраине Петропавловска."),
        ("Аким Петропавловска: эвакуированным жителям выплатят компенсации",
         "Аким Петропавловска пообещал компенсации жителям, эвакуированным после прорыва дамбы на озере "
         "Пестром. Подтоплены более двухсот дачных домов, откачка воды продолжается."),
    ],
    "rate": [
        ("Нацбанк Казахстана сохранил базовую ставку на уровне 14,75%",
         "Национальный банк Казахстана сохранил базовую ставку на уровне 14,75% годовых. Инфляция в марте "
         "замедлилась до 9,1%, следующее решение по ставке регулятор объявит 31 мая."),
        ("Базовая ставка Нацбанка осталась 14,75%: регулятор ждёт замедления инфляции",
         "Нацбанк оставил базовую ставку без изменений, 14,75%. Регулятор отметил, что годовая инфляция "
         "снизилась до 9,1%, а решение о ставке в следующий раз примут 31 мая."),
    ],
    "visit": [
        ("Токаев прибыл с официальным визитом в Ереван",
         "Президент Казахстана Касым-Жомарт Токаев прибыл в Ереван с официальным визитом. В аэропорту "
         "Звартноц его встретил премьер-министр Армении Никол Пашинян."),
        ("Токаев и Пашинян подписали в Ереване совместное заявление",
         "Касым-Жомарт Токаев и Никол Пашинян по итогам переговоров в Ереване подписали совместное заявление "
         "и восемь документов о сотрудничестве Казахстана и Армении."),
    ],
}
SINGLES = [
    ("В Алматы открыли новую линию скоростного автобуса",
     "Маршрут BRT протяжённостью 11 километров соединил микрорайоны Алмагуль и Орбита с центром Алматы."),
    ("Шымкентский «Ордабасы» обыграл «Актобе» в матче чемпионата",
     "Футболисты «Ордабасы» победили «Актобе» со счётом 2:0, оба мяча забиты во втором тайме."),
]


def corpus() -> list[tuple[str, Article]]:
    """(story, article) pairs, a story's articles an hour or two apart."""
    out = []
    for s, (story, texts) in enumerate(STORIES.items()):
        for i, (title, body) in enumerate(texts):
            out.append((story, _article(f"{story}-{i}", title, body, 5 * s + 2 * i, f"outlet-{i}")))
    out += [(f"single-{i}", _article(f"single-{i}", t, b, 3 + 4 * i, "outlet-9")) for i, (t, b) in enumerate(SINGLES)]
    return out


def _article(id_: str, title: str, body: str, hours: float, source: str) -> Article:
    return Article(id=id_, title=title, paragraphs=[body], published_at=T0 + timedelta(hours=hours), source=source,
                   lang="ru")


@pytest.fixture(scope="module")
def vectorizer() -> Vectorizer:
    """IDF from the bundled sample (105 articles) plus the test articles."""
    rows = (files("newsdesk") / "sample" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [analyse(_sample_article(json.loads(r))) for r in rows] + [analyse(a) for _, a in corpus()]
    return Vectorizer(DocumentFrequencies.fit(t.title + t.body for t in texts), learn=False)


def _sample_article(row: dict) -> Article:
    return Article(id=row["id"], title=row["title"], lead=row["lead"], paragraphs=row["text"].split("\n\n"),
                   published_at=datetime.fromisoformat(row["published_at"]), lang=row["lang"],
                   source=row["source"], tags=row["tags"])


def _fresh(vectorizer: Vectorizer, **options: object) -> Threader:
    return Threader(Vectorizer(vectorizer.frequencies, learn=False), ThreadOptions(**options))  # type: ignore[arg-type]


def _online(threader: Threader, articles: list[Article]) -> dict[str, str]:
    assigned = {a.id or "": threader.add(a) for a in articles}
    return resolve(assigned, threader.pop_changes())


def test_articles_of_one_event_share_a_thread_and_others_do_not(vectorizer: Vectorizer) -> None:
    labelled = corpus()
    found = _online(_fresh(vectorizer), [a for _, a in labelled])
    story = {a.id: s for s, a in labelled}
    for a, b in combinations(story, 2):
        assert (found[a] == found[b]) == (story[a] == story[b]), (a, b)


def test_thread_id_is_the_first_article_and_merges_are_reported(vectorizer: Vectorizer) -> None:
    flood = [a for s, a in corpus() if s == "flood"]
    threader = _fresh(vectorizer)
    assert threader.add(flood[0]) == "flood-0"
    assert threader.add(flood[1]) == "flood-0"
    assert threader.thread_of("flood-1") == "flood-0" and threader.pop_changes() == {}


def test_same_set_in_three_orders_gives_the_same_threads(vectorizer: Vectorizer) -> None:
    articles = [a for _, a in corpus()]
    orders = [sorted(articles, key=lambda a: a.published_at), articles[::-1], random.Random(3).sample(articles, 9)]
    results = [_online(_fresh(vectorizer), order) for order in orders]
    ids = sorted(results[0])
    for a, b in combinations(results, 2):
        assert adjusted_rand_score([a[i] for i in ids], [b[i] for i in ids]) == 1.0


def test_rethread_is_independent_of_input_order_and_names_threads_by_earliest(vectorizer: Vectorizer) -> None:
    articles = [a for _, a in corpus()]
    forward = rethread(articles, vectorizer)
    assert rethread(articles[::-1], vectorizer) == forward
    assert forward["flood-2"] == "flood-0" and forward["single-1"] == "single-1"


def test_a_period_starting_mid_story_continues_it_as_a_full_rethread_does(vectorizer: Vectorizer) -> None:
    """The flood story began before the period: with the window before it as context its third article
    joins it under the full rethread's id (it opened a second flood story before); the context is not
    threaded anew, so only the period's articles are in the result."""
    articles = [a for _, a in corpus()]
    full = rethread(articles, vectorizer)
    since = T0 + timedelta(hours=3)
    before = [dataclasses.replace(a, thread_id=full[a.id or ""]) for a in articles if a.published_at < since]
    period = [a for a in articles if a.published_at >= since]
    assert [a.id for a in before] == ["flood-0", "flood-1"]
    assert rethread(period, vectorizer)["flood-2"] == "flood-2"  # what `rethread --since` did: a split story
    assert rethread(period, vectorizer, context=before) == {a.id: full[a.id or ""] for a in period}


def test_a_period_article_linking_two_context_stories_merges_them(vectorizer: Vectorizer) -> None:
    """Context stories stored apart (threaded online, say) that a period article links merge as online:
    the context articles of the absorbed one are reported with the surviving id."""
    flood = [a for s, a in corpus() if s == "flood"]
    before = [dataclasses.replace(flood[0], thread_id="flood-0"), dataclasses.replace(flood[1], thread_id="apart")]
    found = rethread([flood[2]], vectorizer, context=before)
    assert found == {"flood-2": "flood-0", "flood-1": "flood-0"}


def test_articles_further_apart_than_the_window_are_not_linked(vectorizer: Vectorizer) -> None:
    rate = [a for s, a in corpus() if s == "rate"]
    later = Article(id="later", title=rate[1].title, paragraphs=rate[1].paragraphs, lang="ru",
                    published_at=rate[0].published_at + timedelta(hours=80))
    threader = _fresh(vectorizer)
    threader.add(rate[0])
    assert threader.add(later) == "later"
    assert len(threader) == 1 and threader.active_articles == 1  # the first one expired


def test_copy_joins_its_originals_thread(vectorizer: Vectorizer) -> None:
    visit = [a for s, a in corpus() if s == "visit"]
    threader = _fresh(vectorizer)
    threader.add(visit[0])
    copy = Article(id="copy", title="Совсем другой заголовок", duplicate_of=visit[0].id,
                   published_at=visit[0].published_at)
    assert threader.add(copy) == visit[0].id


def test_thread_title_is_the_most_representative_headline(vectorizer: Vectorizer) -> None:
    threader = _fresh(vectorizer)
    for _, article in corpus():
        threader.add(article)
    flood = threader.thread("flood-0")
    assert flood is not None and [m.article_id for m in flood.members] == ["flood-0", "flood-1", "flood-2"]
    assert flood.title != STORIES["flood"][2][0]  # the akim's follow-up is the least central
    assert {"петропавловск", "дамба"} & set(flood.terms)


def test_state_round_trips_through_json(vectorizer: Vectorizer) -> None:
    articles = [a for _, a in corpus()]
    threader = _fresh(vectorizer)
    for article in articles[:-3]:
        threader.add(article)
    restored = Threader.from_state(json.loads(json.dumps(threader.to_state())))
    assert restored.add(articles[-3]) == threader.add(articles[-3])
    assert {t.id: t.title for t in restored.threads()} == {t.id: t.title for t in threader.threads()}


def test_restore_rebuilds_threads_without_deciding(vectorizer: Vectorizer) -> None:
    threader = _fresh(vectorizer)
    flood = [a for s, a in corpus() if s == "flood"]
    for article in flood[:2]:
        threader.restore(article, "t-flood")
    assert threader.add(flood[2]) == "t-flood"


def _unit(seed: int, near: np.ndarray | None = None, cosine: float = 1.0) -> np.ndarray:
    """A random unit vector, or one at ``cosine`` from the unit vector ``near``."""
    rng = np.random.default_rng(seed)
    other = rng.normal(size=dense.DIM).astype(np.float32)
    if near is None:
        return other / np.linalg.norm(other)
    other -= (other @ near) * near
    other /= np.linalg.norm(other)
    return (cosine * near + np.sqrt(1 - cosine**2) * other).astype(np.float32)


def test_the_same_story_in_another_language_joins_by_dense_cosine(vectorizer: Vectorizer) -> None:
    """Russian and Kazakh tellings share few lemmas: across languages the dense cosine links them."""
    flood = [a for s, a in corpus() if s == "flood"]
    kazakh = Article(id="flood-kk", title="Петропавлда бөгет бұзылды", lang="kk", source="outlet-kk",
                     paragraphs=["Пестрое көліндегі бөгет түнде бұзылып, 380 тұрғын көшірілді."],
                     published_at=flood[0].published_at + timedelta(hours=1))
    other = dataclasses.replace(kazakh, id="other-kk", title="Шымкентте жаңа саябақ ашылды",
                                paragraphs=["Саябақта 500 ағаш отырғызылды."])
    ru = _unit(1)
    vectors = {"flood-0": ru, "flood-kk": _unit(2, ru, 0.93), "other-kk": _unit(3, ru, 0.85)}
    threader = _fresh(vectorizer)
    threader.add(flood[0], None, vectors["flood-0"])
    assert threader.add(kazakh, None, vectors["flood-kk"]) == "flood-0"
    assert threader.add(other, None, vectors["other-kk"]) == "other-kk"
    restored = Threader.from_state(json.loads(json.dumps(threader.to_state())))
    assert {i.id: i.lang for i in restored._items.items.values()} == {"flood-0": "ru", "flood-kk": "kk",
                                                                       "other-kk": "kk"}
    late = dataclasses.replace(flood[1], published_at=flood[0].published_at + timedelta(hours=2))
    assert len(restored._items.shelf) == 3  # the vectors are back on their languages' shelves
    assert restored.add(late, None, _unit(4, vectors["flood-kk"], 0.95)) == "flood-0"
    strict = _fresh(vectorizer, cross_threshold=0.95)
    strict.add(flood[0], None, vectors["flood-0"])
    assert strict.add(kazakh, None, vectors["flood-kk"]) == "flood-kk"


def test_across_languages_only_within_the_window(vectorizer: Vectorizer) -> None:
    flood = [a for s, a in corpus() if s == "flood"]
    kazakh = Article(id="kk", title="Петропавлда бөгет бұзылды", lang="kk", paragraphs=["Бөгет бұзылды."],
                     published_at=flood[0].published_at + timedelta(hours=73))
    threader = _fresh(vectorizer)
    ru = _unit(5)
    threader.add(flood[0], None, ru)
    assert threader.add(kazakh, None, _unit(6, ru, 0.99)) == "kk"


def test_article_without_date_or_id_is_refused(vectorizer: Vectorizer) -> None:
    with pytest.raises(InputError, match="published_at"):
        _fresh(vectorizer).add(Article(id="x", title="Без даты"))
    with pytest.raises(InputError, match="id"):
        _fresh(vectorizer).add(Article(title="Без идентификатора", published_at=T0))


def _thread(id_: str, *members: tuple[float, str, str | None]) -> Thread:
    return Thread(id_, id_, tuple(Member(f"{id_}-{i}", T0 + timedelta(hours=h), source, "", dup)
                                  for i, (h, source, dup) in enumerate(members)))


def test_ranking_prefers_more_independent_sources_then_growth_then_freshness() -> None:
    now = T0 + timedelta(hours=24)
    wide = _thread("wide", (20, "a", None), (21, "b", None), (22, "c", None), (23, "d", None))
    copies = _thread("copies", (20, "a", None), (21, "b", "copies-0"), (22, "c", "copies-0"), (23, "d", "copies-0"))
    stale = _thread("stale", (0, "a", None), (1, "b", None), (2, "c", None), (3, "d", None))
    ranked = rank_threads([stale, copies, wide], now)
    assert [r.thread.id for r in ranked] == ["wide", "copies", "stale"]
    assert (ranked[0].sources, ranked[1].sources, ranked[0].growth) == (4, 1, 4)
    assert ranked[2].score < ranked[1].score / 2  # 21 hours at a 12-hour half-life


def test_ranking_ignores_articles_after_now_and_accepts_options() -> None:
    future = _thread("future", (30, "a", None))
    ranked = rank_threads([future, _thread("now", (23, "a", None))], T0 + timedelta(hours=24),
                          RankOptions(half_life=timedelta(hours=1)))
    assert [r.thread.id for r in ranked] == ["now"]


def test_bundled_sample_stories(vectorizer: Vectorizer) -> None:
    """Same-language same-story pairs of the sample's ground truth: precise, and most are found."""
    rows = (files("newsdesk") / "sample" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    articles = [_sample_article(json.loads(r)) for r in rows]
    truth = json.loads((files("newsdesk") / "sample" / "truth.json").read_text(encoding="utf-8"))
    story = {a: i for i, ids in enumerate(truth["stories"]) for a in ids}
    lang = {a.id: a.lang for a in articles}
    found = rethread(articles, vectorizer)
    pairs = [(a, b) for a, b in combinations(sorted(found), 2) if lang[a] == lang[b]]
    linked = [(a, b) for a, b in pairs if found[a] == found[b]]
    right = [(a, b) for a, b in linked if a in story and story[a] == story.get(b)]
    expected = [(a, b) for a, b in pairs if a in story and story[a] == story.get(b)]
    assert len(right) / len(linked) >= 0.8
    assert len(right) / len(expected) >= 0.7


def tengrinews_days(shared_data: Path) -> tuple[list[Article], list[Article]]:
    """Tengrinews' dated articles (12–17 Apr 2024) and those of the last 72 h."""
    with gzip.open(shared_data / "ru_news_tengrinews_2024" / "articles.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    articles = [Article(id=r["id"], title=r["title"], paragraphs=[r["text"]], lang="ru", source=r["source"],
                        published_at=datetime.fromisoformat(r["published_at"])) for r in rows if r.get("published_at")]
    end = max(a.published_at for a in articles if a.published_at)
    return articles, [a for a in articles if a.published_at and a.published_at > end - timedelta(hours=72)]


def three_orders(articles: list[Article]) -> list[list[Article]]:
    """Publication order, reversed, shuffled."""
    in_time = sorted(articles, key=lambda a: (a.published_at, a.id))
    return [in_time, articles[::-1], random.Random(5).sample(articles, len(articles))]


@pytest.mark.shared
def test_real_days_of_news_in_three_orders(shared_data: Path) -> None:
    articles, window = tengrinews_days(shared_data)
    lemmas = {a.id: analyse(a) for a in articles}
    frequencies = DocumentFrequencies.fit(t.title + t.body for t in lemmas.values())
    orders = three_orders(window)
    results = []
    for order in orders:
        threader = Threader(Vectorizer(frequencies, learn=False))
        results.append(resolve({a.id: threader.add(a, lemmas[a.id]) for a in order}, threader.pop_changes()))
    ids = sorted(results[0])
    for a, b in combinations(results, 2):
        assert adjusted_rand_score([a[i] for i in ids], [b[i] for i in ids]) >= 0.95
    # A trial over several days: hearings of different days are separate events by the contest's definition
    # (bench/threads.py calibrates on it), yet at least half of the coverage stays in one story.
    trial = [a.id for a in window if "Бишимбаев" in a.title]
    assert len(trial) >= 10 and Counter(results[0][i] for i in trial).most_common(1)[0][1] >= len(trial) // 2


def test_adding_an_article_again_returns_its_thread(vectorizer: Vectorizer) -> None:
    flood = [a for s, a in corpus() if s == "flood"]
    threader = _fresh(vectorizer)
    threader.add(flood[0])
    assert threader.add(flood[1]) == threader.add(flood[1]) == "flood-0"
    assert len(threader.thread("flood-0").members) == 2  # type: ignore[union-attr]


def test_long_running_thread_remembers_only_its_latest_members(vectorizer: Vectorizer) -> None:
    title, body = STORIES["rate"][0]
    threader = _fresh(vectorizer, max_members=5)
    for i in range(12):
        threader.add(_article(f"r{i}", title, body, i, "outlet"))
    thread = threader.thread("r0")
    assert thread is not None and len(thread.members) <= 6 and thread.members[-1].article_id == "r11"


def test_a_date_in_the_future_does_not_expire_the_window(vectorizer: Vectorizer) -> None:
    rate = [a for s, a in corpus() if s == "rate"]
    threader = _fresh(vectorizer)
    threader.add(rate[0])
    wrong = Article(id="wrong", title="Опечатка в дате", paragraphs=["Год указан неверно."], lang="ru",
                    published_at=T0.replace(year=2099), fetched_at=T0 + timedelta(hours=1))
    threader.add(wrong)
    assert threader.add(rate[1]) == "rate-0"


def test_title_of_a_stored_thread(vectorizer: Vectorizer) -> None:
    flood = [a for s, a in corpus() if s == "flood"]
    threader = _fresh(vectorizer)
    for article in flood:
        threader.add(article)
    assert thread_title(flood, vectorizer) == threader.thread("flood-0").title  # type: ignore[union-attr]
    assert thread_title([], vectorizer) == ""


QUAKE_KK = Article(id="q-kk", title="Алматыда жер сілкінісі сезілді", paragraphs=["Жер сілкінісі 5 балл болды."],
                   published_at=T0, source="El Habar", lang="kk")
QUAKE_RU = [Article(id=f"q-ru{i}", title=title, paragraphs=["Толчки магнитудой 5 ощутили жители Алматы."],
                    published_at=T0 + timedelta(hours=i + 1), source=source, lang="ru")
            for i, (title, source) in enumerate([("В Алматы ощутили землетрясение", "Dala News"),
                                                 ("Землетрясение ощутили в Алматы", "Almaty Today")])]


@pytest.mark.parametrize("members, title", [
    ([QUAKE_KK, *QUAKE_RU], "ru"),  # two Russian tellings and one Kazakh: a Russian title
    ([QUAKE_KK, QUAKE_RU[0]], "ru"),  # one each: Russian, the site's own language
    ([QUAKE_KK, dataclasses.replace(QUAKE_KK, id="q-kk2", title="Алматы тұрғындары жер сілкінісін сезді"),
      QUAKE_RU[0]], "kk"),  # mostly Kazakh: a Kazakh title
])
def test_a_story_is_titled_in_its_main_language(vectorizer: Vectorizer, members: list[Article], title: str) -> None:
    chosen = thread_title(members, vectorizer)
    assert next(a.lang for a in members if a.title == chosen) == title


def test_a_removed_article_leaves_its_thread_and_the_active_set(vectorizer: Vectorizer) -> None:
    labelled = corpus()
    story = [a for s, a in labelled if s == labelled[0][0]]
    threader = _fresh(vectorizer)
    heard: list[str] = []
    threader.on_expiry = lambda thread: heard.append(thread.id)
    thread_id = {threader.add(a) for a in story}.pop()
    assert len(threader.members_of(thread_id)) == len(story)
    first = story[0].id or ""
    assert threader.remove(first) == thread_id and threader.thread_of(first) is None
    view = threader.thread(thread_id)
    assert view is not None and first not in {m.article_id for m in view.members}
    assert view.first_at == min(a.published_at for a in story[1:])  # type: ignore[type-var]
    assert threader.active_articles == len(story) - 1 and threader.remove(first) is None
    alone = _fresh(vectorizer)  # the story as if the first article had never come: the same key lemmas
    assert {alone.add(a) for a in story[1:]} == {story[1].id}
    assert set(view.terms) == set(alone.thread(story[1].id or "").terms)  # type: ignore[union-attr]
    for article in story[1:]:
        threader.remove(article.id or "")
    assert threader.thread(thread_id) is None and heard == []  # gone, not expired
    assert Threader.from_state(threader.to_state()).active_articles == 0


def test_a_revision_keeps_its_thread_with_its_new_headline(vectorizer: Vectorizer) -> None:
    labelled = corpus()
    story = [a for s, a in labelled if s == labelled[0][0]]
    threader = _fresh(vectorizer)
    thread_id = {threader.add(a) for a in story}.pop()
    title = threader.thread(thread_id).title  # type: ignore[union-attr]
    headline = next(a for a in story if a.title == title)
    fixed = dataclasses.replace(headline, title="Заголовок исправлен: " + "совсем другие слова")
    assert threader.add(fixed) == thread_id
    view = threader.thread(thread_id)
    assert view is not None and fixed.title in {m.title for m in view.members} and title not in {
        m.title for m in view.members}
    assert view.title != title
