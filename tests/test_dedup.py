"""Exact and near-duplicate detection (newsdesk.dedup)."""

from __future__ import annotations

import gzip
import json
import random
from datetime import datetime, timedelta
from importlib.resources import files
from pathlib import Path

import pytest

from newsdesk.dedup import DedupIndex, DedupOptions, find_duplicates, words
from newsdesk.errors import InputError
from newsdesk.records import Article

T0 = datetime.fromisoformat("2026-11-20T11:00:00+05:00")

BODY = (
    "Министр иностранных дел Ирана заявил, что Тегеран готов обсуждать открытие Ормузского пролива "
    "для танкеров, если западные страны снимут ограничения на экспорт иранской нефти. По его словам, "
    "переговоры могут начаться уже в декабре при посредничестве Омана и Катара. Судоходство через "
    "пролив было приостановлено на прошлой неделе после инцидента с двумя нефтеналивными судами. "
    "Цена нефти марки Brent после заявления снизилась на 2,3 процента и опустилась до 81 доллара "
    "за баррель."
)
EDITED = (
    "Глава МИД Ирана заявил, что Тегеран готов обсуждать открытие Ормузского пролива "
    "для танкеров, если западные страны снимут ограничения на экспорт иранской нефти. По его словам, "
    "переговоры могут начаться уже в декабре при посредничестве Омана и Катара. Судоходство через "
    "пролив было приостановлено на прошлой неделе после инцидента с двумя нефтеналивными танкерами. "
    "Цена нефти Brent после заявления снизилась на 2,3% и опустилась до 81 доллара за баррель."
)
SAME_TOPIC = (
    "Оман предложил провести в Маскате переговоры Ирана и западных стран о возобновлении судоходства "
    "через Ормузский пролив. Министерство иностранных дел султаната сообщило, что делегации могут "
    "встретиться до конца месяца. Страховые компании тем временем подняли ставки для танкеров, "
    "идущих в Персидский залив, а цена нефти Brent за неделю выросла на 4 процента."
)


def article(id_: str, title: str, body: str, hours: float = 0.0, source: str = "Dala News") -> Article:
    return Article(id=id_, title=title, paragraphs=[body], published_at=T0 + timedelta(hours=hours),
                   source=source, lang="ru")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Иран обозначил условия для открытия Ормуза!", "иран обозначил условия для открытия ормуза"),
        ("«Ёлка» — 2026: ВСЁ", "елка 2026 все"),
    ],
)  # fmt: skip
def test_words_normalise_case_yo_and_punctuation(text: str, expected: str) -> None:
    assert " ".join(words(text)) == expected


def test_exact_copy_with_other_punctuation_is_a_duplicate_of_the_earliest() -> None:
    index = DedupIndex()
    first = article("a1", "Иран обозначил условия для открытия Ормузского пролива", BODY)
    copy = article("a2", "Иран обозначил условия для открытия Ормузского пролива.", BODY, 2, "Qazaq Times")
    assert index.add(first) is None
    assert index.add(copy) == "a1"


def test_same_headline_in_two_feeds_is_a_duplicate() -> None:
    index = DedupIndex()
    index.add(Article(id="h1", title="Иран обозначил условия для открытия Ормузского пролива",
                      published_at=T0, kind="headline"))
    headline = Article(id="h2", title="Иран  обозначил условия для открытия Ормузского пролива",
                       published_at=T0, kind="headline")
    assert index.add(headline) == "h1"


def test_lightly_edited_reprint_is_a_near_duplicate() -> None:
    index = DedupIndex()
    index.add(article("a1", "Иран обозначил условия для открытия Ормузского пролива", BODY))
    assert index.add(article("a2", "Тегеран назвал условия открытия Ормуза", EDITED, 3)) == "a1"


def test_article_on_the_same_topic_is_not_a_duplicate() -> None:
    index = DedupIndex()
    index.add(article("a1", "Иран обозначил условия для открытия Ормузского пролива", BODY))
    assert index.add(article("a3", "Оман предложил площадку для переговоров по Ормузу", SAME_TOPIC, 1)) is None


def test_earlier_copy_arriving_later_becomes_the_original() -> None:
    index = DedupIndex()
    assert index.add(article("late", "Тегеран назвал условия открытия Ормуза", EDITED, 5)) is None
    assert index.add(article("copy", "Иран: условия открытия Ормузского пролива", BODY, 6)) == "late"
    assert index.add(article("early", "Иран обозначил условия для открытия Ормузского пролива", BODY, 0)) is None
    assert index.pop_changes() == {"late": "early", "copy": "early"}
    assert index.original_of("copy") == "early" and index.pop_changes() == {}


def test_result_does_not_depend_on_arrival_order() -> None:
    items = [
        article("a1", "Иран обозначил условия для открытия Ормузского пролива", BODY, 0),
        article("a2", "Тегеран назвал условия открытия Ормуза", EDITED, 1),
        article("a3", "Оман предложил площадку для переговоров по Ормузу", SAME_TOPIC, 2),
        article("a4", "Иран обозначил условия для открытия Ормузского пролива", BODY, 3),
    ]
    expected = {"a2": "a1", "a4": "a1"}
    for seed in range(3):
        random.Random(seed).shuffle(items)
        index = DedupIndex()
        found = {a.id: index.add(a) for a in items}
        found.update(index.pop_changes())
        assert {k: v for k, v in found.items() if v} == expected
    assert find_duplicates(items) == expected


def test_old_articles_are_forgotten_and_memory_is_bounded() -> None:
    index = DedupIndex(DedupOptions(window=timedelta(days=2), max_items=3))
    index.add(article("old", "Иран обозначил условия для открытия Ормузского пролива", BODY, 0))
    assert index.add(article("new", "Иран обозначил условия для открытия Ормузского пролива", BODY, 24 * 3)) is None
    for i in range(5):
        index.add(article(f"x{i}", f"Заголовок {i}", f"Текст номер {i} о разных событиях в Астане", 24 * 3 + i))
    assert len(index) == 3


def test_state_round_trips_through_json() -> None:
    index = DedupIndex()
    index.add(article("a1", "Иран обозначил условия для открытия Ормузского пролива", BODY))
    index.add(article("a2", "Иран обозначил условия", BODY, 1))
    restored = DedupIndex.from_state(json.loads(json.dumps(index.to_state())))
    assert restored.add(article("a3", "Тегеран назвал условия открытия Ормуза", EDITED, 2)) == "a1"
    assert restored.original_of("a2") == "a1"


def test_state_of_another_version_is_refused() -> None:
    with pytest.raises(InputError, match="version"):
        DedupIndex.from_state({"version": 0})


def test_article_without_id_is_refused() -> None:
    with pytest.raises(InputError, match="id"):
        DedupIndex().add(Article(title="Без идентификатора", published_at=T0))


def _sample() -> list[Article]:
    rows = (files("newsdesk") / "sample" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [_sample_article(json.loads(line)) for line in rows]


def _sample_article(row: dict) -> Article:
    return Article(id=row["id"], title=row["title"], lead=row["lead"], paragraphs=row["text"].split("\n\n"),
                   published_at=datetime.fromisoformat(row["published_at"]), lang=row["lang"],
                   source=row["source"])


def test_bundled_sample_copies_are_found_and_nothing_else() -> None:
    truth = json.loads((files("newsdesk") / "sample" / "truth.json").read_text(encoding="utf-8"))
    expected = {copy: original for original, copy in truth["exact_duplicates"] + truth["near_duplicates"]}
    assert find_duplicates(_sample()) == expected


@pytest.mark.shared
def test_edited_copies_of_real_articles_are_found(shared_data: Path) -> None:
    path = shared_data / "ru_ria_topics_2023" / "articles.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for _, line in zip(range(200), lines, strict=False)]
    originals = [Article(id=r["id"], title=r["title"], paragraphs=[r["text"]], lang="ru",
                         published_at=datetime.fromisoformat(r["published_at"])) for r in rows]
    rng = random.Random(7)
    copies = [_reprint(a, rng) for a in rng.sample(originals, 40)]
    found = find_duplicates(originals + copies)
    expected = {c.id: c.id.split("~")[0] for c in copies}
    assert {k: v for k, v in found.items() if k in expected} == expected
    assert len(set(found) - set(expected)) <= 2  # RIA republishes a few updated versions itself


def _reprint(original: Article, rng: random.Random) -> Article:
    tokens = original.paragraphs[0].split()
    kept = [w for w in tokens if rng.random() > 0.05]
    return Article(id=f"{original.id}~copy", title=original.title.rstrip(".") + "!", paragraphs=[" ".join(kept)],
                   lang="ru", published_at=original.published_at + timedelta(hours=1))
