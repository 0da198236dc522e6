"""Words glued with no space (``sources.glued``) on real bodies: candidates, splits, a sample, the words kept.

    .venv/bin/python bench/glued.py [SAMPLE]

A candidate is a lower-case Cyrillic letter before a capital inside a word, on the reader's lines (one per
paragraph, cleaned, site names spaced: what ``unglued`` sees).  Printed per corpus (Tengrinews' 349 articles,
the first 4,000 items of ``ru_news_scale_mix``, the first 1,000 RIA and RT/NG articles): the counts, SAMPLE
random splits («¶» a sentence cut, «|» a space; all of them with SAMPLE -1) and every word with a candidate that
was kept.

Then lower-case glues («областидождь»): a candidate is a lower-case word of 8+ letters unknown to pymorphy that
splits into two dictionary words of 4+ letters.  Per corpus: candidates, splits, every distinct split word with
its context (SAMPLE random ones where there are more), the candidates kept, and the lower-case pass's CPU time
per article (its word cache cold at each corpus's start, the
language detector loaded).  On Tengrinews, entity names holding a glued
lower-case word and articles with the lemma «дождь», without the pass and with it.
"""

from __future__ import annotations

import collections
import gzip
import itertools
import json
import random
import re
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parents[1] / "src")]

from common import SHARED  # noqa: E402
from newsdesk.sources import fields, glued  # noqa: E402

CORPORA = {
    "tengrinews": (SHARED / "ru_news_tengrinews_2024" / "articles.jsonl.gz", None),
    "scale_mix": (SHARED / "ru_news_scale_mix" / "items.jsonl.gz", 4000),
    "ria": (SHARED / "ru_ria_topics_2023" / "articles.jsonl.gz", 1000),
    "rt_ng": (SHARED / "ru_rt_ng_keywords" / "articles.jsonl.gz", 1000),
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
            if not _BOUNDARY.match(line, split.at) and not re.search("(?i:ранее|также|напомним)$", line[:split.at]):
                continue  # a lower-case glue: counted below
            counts["openers" if not _BOUNDARY.match(line, split.at) else "splits"] += 1
            counts["cuts"] += split.opens
            shown.append(f"{line[max(0, split.at - 40):split.at]}{'¶' if split.opens else '|'}{line[split.at:][:30]}")
    return counts, shown, kept


def lower_candidate(word: str) -> bool:
    """Unknown to pymorphy, and two dictionary words of 4+ letters somehow."""
    known = glued._known
    return not known(word) and any(known(word[:at]) and known(word[at:]) for at in range(4, len(word) - 3))


def measure_lower(texts: list[str]) -> tuple[collections.Counter, dict[str, str], collections.Counter]:
    counts, split, kept = collections.Counter(), {}, collections.Counter()
    for line in (line for text in texts for line in lines(text)):
        at = {s.at for s in glued.splits(line) if fields._outside_quotes(line[:s.at])}
        for word in glued._LONG_LOWER.finditer(line):
            if not lower_candidate(word.group()):
                continue
            counts["candidates"] += 1
            inside = [a for a in at if word.start() < a < word.end()]
            if not inside:
                kept[word.group()] += 1
                continue
            counts["splits"] += 1
            shown = "".join(f"{line[b:a]}|" for b, a in zip([word.start(), *inside], inside, strict=False))
            split.setdefault(word.group(), f"{line[max(0, word.start() - 30):word.start()]}{shown}"
                             f"{line[inside[-1]:word.end() + 20]}")
    return counts, split, kept


def lower_cost(texts: list[str]) -> tuple[float, float]:
    """CPU seconds of ``glued.splits`` over the bodies' lines without the lower-case pass and with it."""
    all_lines = [line for text in texts for line in lines(text)]
    timings = []
    for lower in (False, True):
        glued.lower_split.cache_clear()
        real = glued._lower_splits
        glued._lower_splits = real if lower else (lambda text, taken: [])  # type: ignore[assignment]
        start = time.process_time()
        for line in all_lines:
            glued.splits(line)
        timings.append(time.process_time() - start)
        glued._lower_splits = real
    return timings[0], timings[1]


def lower_effect(texts: list[str]) -> None:
    """Tengrinews: entity names holding a lower-case glued word, and articles with the lemma «дождь»."""
    from newsdesk import analyze, entities
    from newsdesk.acronyms import AcronymIndex

    entities.load()
    real = glued._lower_splits
    for label, lower in (("without", False), ("with", True)):
        glued._lower_splits = real if lower else (lambda text, taken: [])  # type: ignore[assignment]
        glued_names, mentions, rain, rainy = collections.Counter(), 0, 0, 0
        for text in texts:
            body = "\n".join(fields.paragraphs(text))
            for entity in entities.extract(body, "ru", AcronymIndex()):
                if any(lower_candidate(w) for w in re.findall(r"(?<![А-ЯЁа-яё])[а-яё]{8,}", entity.name)):
                    glued_names[entity.name] += 1
                    mentions += len(entity.spans)
            found = sum(t.lemma == "дождь" for t in analyze.tokens(body, "ru"))
            rain, rainy = rain + found, rainy + bool(found)
        print(f"   {label} the pass: {len(glued_names)} names hold a glued lower-case word ({mentions} mentions): "
              + ", ".join(glued_names), f"; the lemma «дождь» {rain} times in {rainy} articles")
    glued._lower_splits = real


def main(sample: int) -> None:
    random.seed(7)
    for name, (path, limit) in CORPORA.items():
        counts, shown, kept = measure(bodies(path, limit))
        print(f"{name}: {counts['candidates']} candidates, {counts['splits']} split ({counts['cuts']} cuts), "
              f"{counts['openers']} openers («Ранее|суд»); {sum(kept.values())} words kept ({len(kept)} distinct)")
        for line in shown if sample < 0 else random.sample(shown, min(sample, len(shown))):
            print("  ", line)
        print("   kept:", " | ".join(f"{w} {n}" if n > 1 else w for w, n in kept.most_common()))
    print("\nLower-case glues («областидождь»):")
    for name, (path, limit) in CORPORA.items():
        texts = bodies(path, limit)
        counts, split, kept = measure_lower(texts)
        without, with_lower = lower_cost(texts)
        print(f"{name}: {counts['candidates']} candidates ({len(set(split) | set(kept))} distinct), "
              f"{counts['splits']} split ({len(split)} distinct); "
              f"splits() {1000 * without / len(texts):.3f} → {1000 * with_lower / len(texts):.3f} ms CPU per article")
        words = sorted(split) if sample < 0 or name == "tengrinews" else random.sample(sorted(split),
                                                                                        min(sample, len(split)))
        for word in words:
            print("  ", split[word])
        print("   kept:", " | ".join(f"{w} {n}" if n > 1 else w for w, n in kept.most_common()))
        if name == "tengrinews":
            lower_effect(texts)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
