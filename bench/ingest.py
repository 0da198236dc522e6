"""Ingest throughput (articles/s) and peak memory for 10,000 and 100,000 real articles.

    .venv/bin/python bench/ingest.py [--sizes 10000 100000] [--nlp 1000]

Each run is a fresh process (so peak RSS is its own) ingesting a JSON-lines file into a new SQLite
archive, parsing included.  Records come from ../shared/data/ru_news_scale_mix, replicated with new
ids past its 47k rows.  Without --nlp the pipeline has no language stages (the issue's target:
≥ 2,000 articles/s on one core); --nlp N also runs the full default pipeline (language, entities,
rubric, tags, duplicates, threads, search index) on N articles, as `newsdesk ingest` does.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import header, real_items, replicated, write_report  # noqa: E402


def child(path: str, db: str, nlp: bool) -> None:
    from newsdesk.ingest import ingest
    from newsdesk.pipeline import Pipeline
    from newsdesk.sources import read
    from newsdesk.store import open_archive

    archive = open_archive(db)
    pipeline = Pipeline() if nlp else Pipeline(stages=[])
    start = time.perf_counter()
    summary = ingest(archive, read(path), pipeline)
    seconds = time.perf_counter() - start
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "added": summary.added,
                "rejected": summary.rejected,
                "seconds": seconds,
                "cpu": cpu.ru_utime + cpu.ru_stime,
                "peak_mb": cpu.ru_maxrss / 1024,
                "db_mb": Path(db).stat().st_size / 1048576,
            }
        )
    )


def run(n: int, nlp: bool, items: list[dict], workdir: Path) -> dict:
    src = workdir / f"in-{n}.jsonl.gz"
    if not src.exists():
        with gzip.open(src, "wt", encoding="utf-8") as out:
            for item in replicated(items, n):
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
    db = workdir / f"bench-{n}-{int(nlp)}.db"
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(src), str(db)] + (["--nlp", "1"] if nlp else []),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--nlp", type=int, default=0, metavar="N",
                        help="also measure the full default pipeline on N articles")
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        child(*args.child, nlp=args.nlp)
        return
    items = real_items()
    lines = [
        "| articles | pipeline | added | wall s | articles/s | CPU s | articles per CPU s | peak RSS MB | SQLite MB "
        "| load avg |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as tmp:
        plan = [(n, False) for n in args.sizes] + ([(args.nlp, True)] if args.nlp else [])
        for n, nlp in plan:
            r = run(n, nlp, items, Path(tmp))
            lines.append(
                f"| {n:,} | {'default (every stage)' if nlp else 'store only (--no-nlp)'} | "
                f"{r['added']:,} | {r['seconds']:.1f} | {r['added'] / r['seconds']:,.0f} | {r['cpu']:.1f} | "
                f"{r['added'] / r['cpu']:,.0f} | {r['peak_mb']:.0f} | {r['db_mb']:.0f} | {os.getloadavg()[0]:.1f} |"
            )
            print(lines[-1], flush=True)
    command = "python bench/ingest.py " + " ".join(sys.argv[1:])
    report = "## Ingest throughput\n\n" + header(command.strip()) + "\n" + "\n".join(lines) + "\n"
    print(report)
    write_report("ingest", report)


if __name__ == "__main__":
    main()
