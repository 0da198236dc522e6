"""Trending tags: tags whose rate in a recent window clearly exceeds their own baseline.

For each tag and each window (24 h and 7 days by default) the count ``c`` in the window
``(now − w, now]`` is compared with what the tag's baseline rate predicts.  The baseline is the
``baseline`` period just before the window; its share of all tag events, smoothed towards the
average tag so a rare tag is not «infinitely» trending after one article, gives the expected count

    E = n_window · (c_base + α) / (n_base + α · V)

(``n_*``: all tag events in the window / baseline, ``V``: distinct tags, ``α``: ``smoothing``), which
also discounts a day when every tag is busier because more was published.  The burst score is the
signed square root of the Poisson deviance,

    score = sign(c − E) · sqrt(2 · (c · ln(c / E) − (c − E)))

which behaves like a z-score even for small counts.  A tag trends when ``c ≥ min_count``,
``c / E ≥ min_ratio`` and ``score ≥ min_score``; a window whose baseline holds fewer than
``min_baseline`` events (a young archive) reports nothing rather than guess.

    trending(events, now) -> [Trend(tag, window, count, expected, ratio, score), ...]  best first
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class TrendOptions:
    windows: tuple[timedelta, ...] = (timedelta(hours=24), timedelta(days=7))
    baseline: timedelta = timedelta(days=28)  # the period before each window that sets the baseline
    smoothing: float = 0.5  # α: pseudo-count of each tag in the baseline
    min_count: int = 3  # events in the window
    min_ratio: float = 2.0  # count / expected
    min_score: float = 3.0  # burst score (≈ standard deviations)
    min_baseline: int = 30  # with fewer tag events in the baseline a window is not judged at all
    limit: int = 20  # per window


@dataclass(frozen=True, slots=True)
class Trend:
    tag: str
    window: timedelta
    count: int
    expected: float
    ratio: float
    score: float


def burst_score(count: float, expected: float) -> float:
    """Signed square root of the Poisson deviance of ``count`` against ``expected`` (> 0)."""
    if count <= 0:
        return -math.sqrt(2.0 * expected)
    deviance = 2.0 * (count * math.log(count / expected) - (count - expected))
    return math.copysign(math.sqrt(max(deviance, 0.0)), count - expected)


def trending(events: Iterable[tuple[str, datetime]], now: datetime,
             options: TrendOptions | None = None) -> list[Trend]:
    """Trending tags for each window, best first within a window (windows in ``options`` order).

    ``events`` are ``(tag, published_at)`` pairs, one per tag of each article, covering at least
    ``window + baseline`` before ``now``; events after ``now`` are ignored.
    """
    options = options or TrendOptions()
    history = [(tag, when) for tag, when in events if when <= now]
    found: list[Trend] = []
    for window in options.windows:
        found += _window_trends(history, now, window, options)
    return found


def _window_trends(events: list[tuple[str, datetime]], now: datetime, window: timedelta,
                   options: TrendOptions) -> list[Trend]:
    start, base_start = now - window, now - window - options.baseline
    recent = Counter(tag for tag, when in events if when > start)
    base = Counter(tag for tag, when in events if base_start < when <= start)
    n_recent, n_base = sum(recent.values()), sum(base.values())
    if n_base < options.min_baseline:
        return []
    smoothed_total = n_base + options.smoothing * len(recent.keys() | base.keys())
    trends = []
    for tag, count in recent.items():
        expected = n_recent * (base[tag] + options.smoothing) / smoothed_total
        trend = Trend(tag, window, count, expected, count / expected, burst_score(count, expected))
        if _is_trending(trend, options):
            trends.append(trend)
    trends.sort(key=lambda t: (-t.score, -t.count, t.tag))
    return trends[: options.limit]


def _is_trending(trend: Trend, options: TrendOptions) -> bool:
    return (trend.count >= options.min_count and trend.ratio >= options.min_ratio
            and trend.score >= options.min_score)
