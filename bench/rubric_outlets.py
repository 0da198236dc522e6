"""An outlet's own labelled archive (`newsdesk train --own-rubrics`) against the shipped model's recipe.

    .venv/bin/python bench/rubric_outlets.py [--vectors FILE]   (writes docs/bench/rubric_outlets.md)

Our labels of two outlets' articles (Tengrinews 2024, RIA Novosti 2023; contest rubrics, one reading each)
play an outlet's labelled archive: the older 80 % by publication time is the archive its editors labelled,
the newer 20 % the articles that arrive next.  Three models score the newer part:

* the labelled sets of ../shared/data without that outlet's labels (how the shipped model is trained);
* the outlet's older 80 % alone (`--own-rubrics`);
* both (`--own-rubrics --rubrics ../shared/data`): the outlet's labels weigh like our labels of the
  contest crawl.

With dense vectors on (the default), each model has its dense head and the newer articles are scored with
their vectors.  ``--vectors`` keeps the labelled items' vectors between runs (the same file as
``bench/tags.py --vectors``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from common import header, write_report
from newsdesk import dense, rubric_corpus, rubrics
from newsdesk.records import Article
from newsdesk.rubric_training import DEFAULT_LANGS, DEFAULT_SOURCE_WEIGHTS, HEAD_SOURCES, fit_outlet
from newsdesk.rubrics import TrainOptions
from tags import DATA, rubric_row, rubric_vectors

OUTLETS = {"newsdesk_tengri_ru": "Tengrinews", "newsdesk_ria_ru": "RIA"}
_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)


def _row(name: str, model: rubrics.RubricModel, newer: Sequence[Article], vectors: dict) -> str:
    pred = [model.predict(a, vector=vectors.get(dense.fingerprint(a)))[0] for a in newer]
    return rubric_row(name, [a.rubric or "" for a in newer], pred)


def outlet_rows(source: str, found: dict[str, list[Article]], vectors: dict) -> list[str]:
    outlet = sorted((a for a in found["newsdesk_labels_ru"] if a.source == source),
                    key=lambda a: (a.published_at or _EARLIEST, a.id or ""))
    cut = int(len(outlet) * 0.8)
    older, newer = outlet[:cut], outlet[cut:]
    others = {name: [a for a in items if a.source != source] for name, items in found.items()}
    options = TrainOptions(source_weights=DEFAULT_SOURCE_WEIGHTS, langs=DEFAULT_LANGS)
    name = OUTLETS[source]
    models = {f"{name}: labelled sets without {name} (the shipped model's recipe)":
              rubrics.train([a for items in others.values() for a in items], options, vectors=vectors),
              f"{name}: its older {len(older)} alone (`--own-rubrics`)": fit_outlet(older, {}, vectors),
              f"{name}: both (`--own-rubrics --rubrics ../shared/data`)": fit_outlet(older, others, vectors)}
    print(f"  {name} trained", file=sys.stderr)
    return [_row(label, model, newer, vectors) for label, model in models.items()]


def report(cache: Path | None) -> str:
    found = rubric_corpus.corpora(DATA)
    vectors = rubric_vectors([a for items in found.values() for a in items if a.source in HEAD_SOURCES], cache)
    lines = ["### An outlet's own labelled archive (`newsdesk train --own-rubrics`)", "",
             "The newer 20 % of an outlet's articles we labelled, by the model trained as named.", "",
             "| model | newer articles | accuracy | accuracy on news | macro-F1 | not-news precision | "
             "not-news recall |", "|---|---|---|---|---|---|---|"]
    for source in OUTLETS:
        lines += outlet_rows(source, found, vectors)
    lines += ["", f"Dense head: {'on' if vectors else 'off'} (`NEWSDESK_DENSE`)."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", type=Path, help="file to keep the labelled items' dense vectors in (dev only)")
    args = parser.parse_args()
    command = " ".join([".venv/bin/python bench/rubric_outlets.py", *sys.argv[1:]])
    title = "## Rubrics of an outlet's own archive (`bench/rubric_outlets.py`)"
    text = f"{title}\n\n{header(command)}\n{report(args.vectors)}"
    print(text)
    write_report("rubric_outlets", text)


if __name__ == "__main__":
    main()
