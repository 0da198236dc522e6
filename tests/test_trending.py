"""Trending tags: bursts against each tag's own baseline (newsdesk.trending)."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timedelta
from importlib.resources import files
from pathlib import Path

import pytest

from newsdesk.trending import TrendOptions, burst_score, trending

NOW = datetime.fromisoformat("2026-11-24T13:00:00+05:00")
DAY = timedelta(days=1)


def steady(tag: str, per_day: int, days: int = 35) -> list[tuple[str, datetime]]:
    return [(tag, NOW - d * DAY - (i + 0.5) * DAY / per_day) for d in range(days) for i in range(per_day)]


def burst(tag: str, count: int, hours: float = 20) -> list[tuple[str, datetime]]:
    return [(tag, NOW - timedelta(hours=hours * (i + 0.5) / count)) for i in range(count)]


@pytest.mark.parametrize(
    ("count", "expected", "sign"),
    [(15, 1.0, 1), (10, 10.0, 0), (2, 10.0, -1), (0, 3.0, -1)],
)
def test_burst_score_sign_and_size(count: int, expected: float, sign: int) -> None:
    score = burst_score(count, expected)
    assert (score > 0) - (score < 0) == sign
    if sign > 0:
        assert score > 5


def test_burst_is_detected_and_steady_tags_are_not_flagged() -> None:
    events = steady("Алматы", 10) + steady("Нефть", 3) + steady("Землетрясение", 1, days=30)
    events += burst("Землетрясение", 15)
    found = trending(events, NOW)
    day = [t for t in found if t.window == DAY]
    assert [t.tag for t in day] == ["Землетрясение"]
    assert day[0].count == 16 and day[0].score > 5 and day[0].ratio > 5  # the burst and the daily one


def test_more_news_overall_does_not_make_every_tag_trend() -> None:
    events = steady("Алматы", 10) + steady("Нефть", 3)
    events += burst("Алматы", 10) + burst("Нефть", 3)  # the last day twice as busy for everyone
    assert trending(events, NOW) == []


def test_new_tag_needs_a_minimum_count() -> None:
    events = steady("Алматы", 10) + burst("Бокс", 2)
    assert trending(events, NOW) == []
    assert [t.tag for t in trending(events + burst("Бокс", 2), NOW, TrendOptions(windows=(DAY,)))] == ["Бокс"]


def test_future_events_are_ignored_and_young_archives_report_nothing() -> None:
    events = steady("Алматы", 10) + [("Бокс", NOW + timedelta(hours=1))] * 10
    assert trending(events, NOW) == []
    assert trending(burst("Бокс", 20), NOW) == []  # no baseline at all


def test_bundled_sample_earthquake_burst() -> None:
    rows = (files("newsdesk") / "sample" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    events = [(tag, datetime.fromisoformat(r["published_at"])) for r in map(json.loads, rows) for tag in r["tags"]]
    truth = json.loads((files("newsdesk") / "sample" / "truth.json").read_text(encoding="utf-8"))["trending_burst"]
    found = trending(events, datetime.fromisoformat("2026-11-24T13:10:00+05:00"), TrendOptions(windows=(DAY,)))
    assert found[0].tag == truth["tag"]


@pytest.mark.shared
def test_real_tengrinews_days(shared_data: Path) -> None:
    with gzip.open(shared_data / "ru_news_tengrinews_2024" / "articles.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    events = [(t, datetime.fromisoformat(r["published_at"])) for r in rows if r.get("published_at") for t in r["tags"]]
    found = {t.tag: t for t in trending(events, datetime.fromisoformat("2024-04-15T23:59:00+05:00")) if t.window == DAY}
    assert "суд" in found  # the Bishimbaev trial opened that day
    assert "паводки" not in found  # the floods: the biggest tag, but steady all week
