"""Shared benchmark helpers: where the real data is, replication with new ids, and the report header."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import platform
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared")) / "data"
SCALE_MIX = SHARED / "ru_news_scale_mix" / "items.jsonl.gz"


def real_items(path: Path = SCALE_MIX) -> list[dict]:
    if not path.exists():
        raise SystemExit(f"real data not found at {path} (the ../shared folder of the workspace)")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def replicated(items: list[dict], n: int) -> Iterator[dict]:
    """``n`` records cycling through ``items``; copies after the first pass get new ids (rep<k>-<id>)."""
    for i in range(n):
        item = dict(items[i % len(items)])
        if i >= len(items):
            item["id"] = f"rep{i // len(items)}-{item['id']}"
            if item.get("url"):
                item["url"] = f"{item['url']}#rep{i // len(items)}"
        yield item


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()}"


def commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        return out.stdout.strip() + ("+dirty" if dirty else "")
    except OSError:
        return "unknown"


def header(command: str) -> str:
    return (
        f"- command: `{command}`\n- machine: {machine()}\n"
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC\n- commit: {commit()}\n"
    )


def write_report(name: str, text: str) -> Path:
    out = ROOT / "docs" / "bench" / f"{name}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out


def timings(fn: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds of ``repeat`` runs of ``fn`` after one warm-up."""
    fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times
