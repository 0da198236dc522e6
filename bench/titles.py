"""Headlines as copies: how often a headline (a title without a text, as page dumps and headline feeds
give them) is linked to the right article by its title, and how often to a wrong one.

    .venv/bin/python bench/titles.py

For four real archives in ../shared/data: every article's title becomes a headline, lightly edited
(case, «ё», punctuation, spacing, as feeds and dumps differ). Half of the articles (every other one in
time order) are stored; the other half are known only by their headline. Articles and headlines arrive
shuffled together (a headline before or after its article) through the duplicates stage's title index
(`stages.copies.TitleIndex`). A headline's link is right when the article or headline it points to has
the same text as its own article (containment of word 3-grams ≥ 0.5, so a reprint counts), wrong when
the text differs (a title the outlet reused). Also: how many stored articles share a title at all.
Writes docs/bench/titles.md.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SHARED, header, write_report  # noqa: E402
from newsdesk.dedup import words  # noqa: E402
from newsdesk.stages.copies import TitleIndex, title_key  # noqa: E402

ARCHIVES = {
    "contest crawl pages, Nov 2019": "html_pages_tgcontest2019/pages.jsonl.gz",
    "RIA Novosti 2023": "ru_ria_topics_2023/articles.jsonl.gz",
    "Tengrinews 2024": "ru_news_tengrinews_2024/articles.jsonl.gz",
    "RT / NG": "ru_rt_ng_keywords/articles.jsonl.gz",
}


def read(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    return sorted((r for r in rows if r.get("title")), key=lambda r: (r.get("published_at") or "", r["id"]))


def edit(title: str, rng: random.Random) -> str:
    """The title as another feed or a page dump may spell it."""
    choice = rng.randrange(4)
    if choice == 0:
        return title.replace("ё", "е").replace("Ё", "Е")
    if choice == 1:
        return title.rstrip(".!?") + "."
    if choice == 2:
        return title.replace(" ", "  ", 1).replace("«", '"').replace("»", '"')
    return title.upper() if rng.random() < 0.2 else title


def trigrams(text: str) -> set[tuple[str, ...]]:
    w = words(text)
    return set(zip(w, w[1:], w[2:], strict=False))


def same_text(a: set, b: set) -> bool:
    return bool(a) and bool(b) and len(a & b) / min(len(a), len(b)) >= 0.5


def measure(rows: list[dict], seed: int = 7) -> dict[str, float]:
    rng = random.Random(seed)
    grams = {r["id"]: trigrams(r.get("text") or "") for r in rows}
    stored = {r["id"] for i, r in enumerate(rows) if i % 2 == 0}
    events = [("article", r) for r in rows if r["id"] in stored] + [("headline", r) for r in rows]
    rng.shuffle(events)
    index, links = TitleIndex(), {}
    start = time.process_time()
    for kind, r in events:
        if kind == "article":
            index.add_article(r["id"], r["title"], r.get("published_at") or "")
        else:
            links["h:" + r["id"]] = index.add_headline("h:" + r["id"], edit(r["title"], rng))
    links.update(index.changes)
    cpu = time.process_time() - start

    def target_text(target: str) -> set:
        return grams[target.removeprefix("h:")]

    counts = {"present": 0, "present linked right": 0, "present linked wrong": 0,
              "absent": 0, "absent linked right": 0, "absent linked wrong": 0, "short": 0}
    for r in rows:
        if title_key(r["title"]) is None:
            counts["short"] += 1
        group = "present" if r["id"] in stored else "absent"
        counts[group] += 1
        target = links.get("h:" + r["id"])
        if target is not None:
            counts[f"{group} linked {'right' if same_text(grams[r['id']], target_text(target)) else 'wrong'}"] += 1
    keys = [k for r in rows if r["id"] in stored and (k := title_key(r["title"])) is not None]
    shared = len(keys) - len(set(keys))
    return {**counts, "stored sharing a title": shared, "cpu µs": cpu / len(events) * 1e6}


def main() -> None:
    lines = ["## Headlines as copies of articles (`bench/titles.py`)", "",
             header("python bench/titles.py").rstrip(),
             "- each archive: every article's title as a lightly edited headline; every other article (time order) "
             "stored, the rest known by the headline alone; all arriving shuffled together", "",
             "| archive | articles | stored articles' headlines linked to them (recall) | wrong links: to another "
             "text (precision) | absent articles' headlines linked to a stored reprint | headlines under 4 words "
             "(never linked) | stored articles reusing a title | µs CPU per item |",
             "|---|---|---|---|---|---|---|---|"]
    for name, path in ARCHIVES.items():
        rows = read(SHARED / path)
        m = measure(rows)
        right = m["present linked right"] + m["absent linked right"]
        wrong = m["present linked wrong"] + m["absent linked wrong"]
        lines.append(f"| {name} | {len(rows):,} | {m['present linked right']:,} of {m['present']:,} "
                     f"({m['present linked right'] / m['present']:.3f}) | {wrong} ({right / (right + wrong):.3f}) | "
                     f"{m['absent linked right']} | {m['short']} | {m['stored sharing a title']} | {m['cpu µs']:.1f} |")
        print(lines[-1], file=sys.stderr)
    lines += ["", "A headline whose title has fewer than four words is never linked (its article stays in feeds "
              "twice); a wrong link hides a headline behind another edition of a reused title."]
    print(write_report("titles", "\n".join(lines) + "\n"))


if __name__ == "__main__":
    main()
