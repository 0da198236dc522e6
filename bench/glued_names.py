"""Names glued to their verbs (``glued.name_verb_split``) on real bodies: every split, counted per corpus.

    .venv/bin/python bench/glued_names.py

Reads the first 4,000 items of Tengrinews, scale_mix, RIA, RT/NG and Telegram, each body's lines as the reader
does (``glued.splits``), and counts the splits that fall inside a capitalised word of 9+ letters (the name+verb
rule, and the older «Ранее…» openers) with their two parts, to be read.  Prints; writes no report file.
"""

from __future__ import annotations

import collections
import gzip
import itertools
import json

from common import SHARED as DATA
from common import header
from newsdesk.sources import glued

CORPORA = {"tengrinews": "ru_news_tengrinews_2024/articles.jsonl.gz", "scale_mix": "ru_news_scale_mix/items.jsonl.gz",
           "ria": "ru_ria_topics_2023/articles.jsonl.gz", "rt_ng": "ru_rt_ng_keywords/articles.jsonl.gz",
           "telegram": "ru_telegram_news_posts/posts.jsonl.gz"}


def corpus_splits(path: str, items: int = 4000) -> tuple[int, collections.Counter[tuple[str, str]]]:
    """Items read, and the splits inside long capitalised words: (left, right) → count."""
    found: collections.Counter[tuple[str, str]] = collections.Counter()
    read = 0
    with gzip.open(DATA / path, "rt", encoding="utf-8") as lines:
        for line in itertools.islice(lines, items):
            row, read = json.loads(line), read + 1
            for para in str(row.get("text") or row.get("body") or "").split("\n"):
                for split in glued.splits(para):
                    for word in glued._LONG_CAPITALISED.finditer(para):
                        if word.start() < split.at < word.end():
                            found[(para[word.start():split.at], para[split.at:word.end()])] += 1
    return read, found


def main() -> None:
    print(header("bench/glued_names.py"))
    every: collections.Counter[tuple[str, str]] = collections.Counter()
    for name, path in CORPORA.items():
        read, found = corpus_splits(path)
        print(f"- {name}: {read:,} items, {sum(found.values())} splits inside capitalised words")
        every.update(found)
    print("\n| count | left | right |\n|---|---|---|")
    for (left, right), count in every.most_common():
        print(f"| {count} | {left} | {right} |")


if __name__ == "__main__":
    main()
