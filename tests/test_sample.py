"""The bundled sample corpus is valid and its ground truth (truth.json) agrees with it."""

from __future__ import annotations

import difflib
import json
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import datetime, timedelta
from importlib.resources import files

import pytest

SAMPLE = files("newsdesk") / "sample"
FIELDS = {"id", "url", "source", "title", "lead", "text", "published_at", "lang", "rubric", "tags"}
RUBRICS = {"society", "economy", "technology", "sports", "entertainment", "science", "other", "not_news"}
TAGS = {
    "Алматы", "Астана", "Шымкент", "Пенсия 2026", "МРП 2026", "Налоговый кодекс РК 2026", "АЭС",
    "Землетрясение", "Бокс", "Футбол", "Нефть", "Туризм", "Медицина", "Закон", "Иран", "Образование",
    "Погода", "Экология",
}  # fmt: skip
KK_LETTERS = set("әғқңөұүһі")


def _lines() -> list[str]:
    return (SAMPLE / "articles.jsonl").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    return [json.loads(line) for line in _lines()]


@pytest.fixture(scope="module")
def by_id(articles: list[dict]) -> dict[str, dict]:
    return {a["id"]: a for a in articles}


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("number", range(len(_lines())))
def test_line_is_a_complete_article(number: int) -> None:
    article = json.loads(_lines()[number])
    assert set(article) == FIELDS, f"articles.jsonl:{number + 1}"
    assert article["url"].startswith("https://") and article["title"] and article["lead"]
    assert 3 <= len(article["text"].split("\n\n")) <= 6
    assert article["lang"] in {"ru", "kk"} and article["rubric"] in RUBRICS
    assert 1 <= len(article["tags"]) <= 3 and set(article["tags"]) <= TAGS
    assert datetime.fromisoformat(article["published_at"]).utcoffset() == timedelta(hours=5)


def test_size_and_languages(articles: list[dict]) -> None:
    langs = Counter(a["lang"] for a in articles)
    assert len(articles) >= 80 and langs["kk"] >= 10 and langs["ru"] >= 70


def test_ids_and_urls_are_unique(articles: list[dict]) -> None:
    for field in ("id", "url"):
        repeated = [k for k, n in Counter(a[field] for a in articles).items() if n > 1]
        assert not repeated, f"repeated {field}: {repeated}"


def test_kazakh_articles_use_kazakh_letters(articles: list[dict], truth: dict) -> None:
    exempt = set(truth["lang_cases"]["no_kazakh_letters"])
    for article in articles:
        if article["lang"] == "kk" and article["id"] not in exempt:
            assert KK_LETTERS & set(article["text"].lower()), article["id"]


def test_truth_ids_exist(truth: dict, by_id: dict[str, dict]) -> None:
    ids = [i for group in truth["stories"] for i in group]
    ids += [i for pair in truth["exact_duplicates"] + truth["near_duplicates"] for i in pair]
    ids += [w["id"] for w in truth["wrong_tags"]] + truth["trending_burst"]["ids"]
    ids += [i for group in truth["lang_cases"].values() for i in group]
    assert [i for i in ids if i not in by_id] == []


def test_each_tag_has_four_correctly_tagged_articles(articles: list[dict], truth: dict) -> None:
    wrong = {(w["id"], w["tag"]) for w in truth["wrong_tags"]}
    counts = Counter(t for a in articles for t in a["tags"] if (a["id"], t) not in wrong)
    assert {t: counts[t] for t in TAGS if counts[t] < 4} == {}


def test_stories_span_several_outlets(truth: dict, by_id: dict[str, dict]) -> None:
    assert len(truth["stories"]) >= 6
    for group in truth["stories"]:
        assert len({by_id[i]["source"] for i in group}) >= 2, group


def test_exact_duplicates_repeat_the_text(truth: dict, by_id: dict[str, dict]) -> None:
    assert len(truth["exact_duplicates"]) >= 3
    for original, copy in truth["exact_duplicates"]:
        a, b = by_id[original], by_id[copy]
        assert (a["title"], a["lead"], a["text"]) == (b["title"], b["lead"], b["text"])
        assert a["url"] != b["url"] and a["published_at"] < b["published_at"]


def test_near_duplicates_differ_a_little(truth: dict, by_id: dict[str, dict]) -> None:
    assert len(truth["near_duplicates"]) >= 4
    for original, copy in truth["near_duplicates"]:
        a, b = by_id[original]["text"], by_id[copy]["text"]
        assert a != b and difflib.SequenceMatcher(None, a, b).ratio() > 0.8, (original, copy)


def test_wrong_tags_are_the_editor_tags(truth: dict, by_id: dict[str, dict]) -> None:
    assert len(truth["wrong_tags"]) >= 6
    for wrong in truth["wrong_tags"]:
        assert wrong["tag"] in by_id[wrong["id"]]["tags"] and wrong["better"] in TAGS
        assert wrong["better"] != wrong["tag"]


def test_trending_burst_is_in_the_last_day(truth: dict, articles: list[dict]) -> None:
    burst = truth["trending_burst"]
    last = max(datetime.fromisoformat(a["published_at"]) for a in articles)
    recent = [a for a in articles if datetime.fromisoformat(a["published_at"]) > last - timedelta(hours=24)]
    tagged = [a["id"] for a in recent if burst["tag"] in a["tags"]]
    assert sorted(tagged) == burst["ids"] and len(tagged) > len(recent) / 2


@pytest.mark.parametrize("name", ["page_dump.txt", "page_dump_kk.txt"])
def test_page_dump_matches_its_truth(name: str, truth: dict) -> None:
    expected = truth["page_dumps"][name]
    lines = (SAMPLE / name).read_text(encoding="utf-8").splitlines()
    assert lines[0] == expected["title"] and expected["date"] in lines
    feed = [line for pair in expected["feed"] for line in pair]
    start = lines.index(feed[0])
    assert lines[start : start + len(feed)] == feed
    assert set(expected["noise"]) <= set(lines)


@pytest.mark.parametrize(
    ("name", "item", "link"), [("feed.xml", "channel/item", "link"), ("atom.xml", "{*}entry", "{*}id")]
)
def test_feeds_are_well_formed_and_match_truth(name: str, item: str, link: str, truth: dict) -> None:
    root = ET.fromstring((SAMPLE / name).read_bytes())
    urls = [entry.findtext(link) for entry in root.findall(item)]
    assert 3 <= len(urls) <= 8 and urls == truth["feeds"][name]
