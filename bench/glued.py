"""Words glued with no space (``sources.glued``) on real bodies: candidates, splits, a sample, the words kept.

    .venv/bin/python bench/glued.py [SAMPLE]

A candidate is a lower-case Cyrillic letter before a capital inside a word, on the reader's lines (one per
paragraph, cleaned, site names spaced: what ``unglued`` sees).  Printed per corpus (Tengrinews' 349 articles,
the first 4,000 items of ``ru_news_scale_mix``, the first 1,000 RIA articles): the counts, SAMPLE random splits
(«¶» a sentence cut, «|» a space; all of them with SAMPLE -1) and every word with a candidate that was kept.
"""

from __future__ import annotations

import collections
import gzip
import itertools
import json
import random
import re
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parents[1] / "src")]

from common import SHARED  # noqa: E402
from newsdesk.sources import fields, glued  # noqa: E402

CORPORA = {
    "tengrinews": (SHARED / "ru_news_tengrinews_2024" / "articles.jsonl.gz", None),
    "scale_mix": (SHARED / "ru_news_scale_mix" / "items.jsonl.gz", 4000),
    "ria": (SHARED / "ru_ria_topics_2023" / "articles.jsonl.gz", 1000),
}
_BOUNDARY = re.compile(r"(?<=[а-яёәғқңөұүһі])(?=[А-ЯЁӘҒҚҢӨҰҮҺІ])")


def bodies(path, limit):  # noqa: ANN001, ANN201 - a script
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line).get("text") or "" for line in itertools.islice(lines, limit)]


def lines(text: str) -> list[str]:
    """The reader's paragraphs before they are unglued (``fields.paragraphs``' first steps)."""
    blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return [fields._SITE_GLUE.sub(" ", fields.clean_line(b.replace("\n", " "))) for b in blocks]


def measure(texts: list[str]) -> tuple[collections.Counter, list[str], collections.Counter]:
    counts, shown, kept = collections.Counter(), [], collections.Counter()
    for line in (line for text in texts for line in lines(text)):
        found = [s for s in glued.splits(line) if fields._outside_quotes(line[:s.at])]  # as ``unglued`` does
        at = {s.at for s in found}
        for token in re.finditer(r"\S+", line):
            points = [token.start() + b.start() for b in _BOUNDARY.finditer(token.group())]
            counts["candidates"] += len(points)
            if points and not at & set(points):
                kept[token.group()] += 1
        for split in found:
            counts["openers" if not _BOUNDARY.match(line, split.at) else "splits"] += 1
            counts["cuts"] += split.opens
            shown.append(f"{line[max(0, split.at - 40):split.at]}{'¶' if split.opens else '|'}{line[split.at:][:30]}")
    return counts, shown, kept


def main(sample: int) -> None:
    random.seed(7)
    for name, (path, limit) in CORPORA.items():
        counts, shown, kept = measure(bodies(path, limit))
        print(f"{name}: {counts['candidates']} candidates, {counts['splits']} split ({counts['cuts']} cuts), "
              f"{counts['openers']} openers («Ранее|суд»); {sum(kept.values())} words kept ({len(kept)} distinct)")
        for line in shown if sample < 0 else random.sample(shown, min(sample, len(shown))):
            print("  ", line)
        print("   kept:", " | ".join(f"{w} {n}" if n > 1 else w for w, n in kept.most_common()))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
