"""The site under load: requests/s and p50/p95/p99 latency for the home, article, tag and API list
endpoints at 50 concurrent connections, with the server's resident memory, for 1 and 2 workers.

    .venv/bin/python bench/web.py [--articles 20000] [--workers 1 2] [--duration 15] [--connections 50]

Loads the first 20,000 real items of ../shared/data/ru_news_scale_mix into a fresh SQLite archive
(the no-NLP pipeline, for speed), starts ``uvicorn --factory newsdesk.web.app:app_from_env`` on a free
loopback port and drives it with wrk (Debian's /usr/bin/wrk); a Lua script rotates through 2,000
article ids (and 200 tag slugs) in random order so no single page is served hot.
Target (issue 3): article page p95 < 50 ms at 50 connections, server RSS < 500 MB.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SCALE_MIX, header, write_report  # noqa: E402

WRK = shutil.which("wrk") or "/usr/bin/wrk"
LUA = """
local paths = {%s}
local n = 0
math.randomseed(%d)
request = function()
  n = n + 1
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
"""


def build_archive(db: Path, n: int) -> None:
    from newsdesk.ingest import ingest
    from newsdesk.pipeline import Pipeline
    from newsdesk.records import Article
    from newsdesk.sources import read
    from newsdesk.store import open_archive

    archive = open_archive(str(db))
    items = (i for i in read(str(SCALE_MIX)) if isinstance(i, Article))
    start = time.perf_counter()
    summary = ingest(archive, itertools.islice(items, n), Pipeline(stages=[]))
    with archive.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    print(f"loaded {summary.added} articles in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    archive.dispose()


def sample_paths(db: Path, seed: int = 7) -> dict[str, list[str]]:
    """Paths per endpoint: article pages of random articles, tag pages of the most used tags."""
    from newsdesk.store import open_archive
    from newsdesk.store.listing import page_url, tags_with_counts

    archive = open_archive(str(db))
    with archive.engine.connect() as conn:
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM articles WHERE kind = 'article'")]
        tags = [t["slug"] for t in tags_with_counts(conn, 200)]
    archive.dispose()
    rng = random.Random(seed)
    chosen = rng.sample(ids, min(2000, len(ids)))
    return {
        "home": ["/"],
        "article": [page_url(i) for i in chosen],
        "tag": [f"/tag/{quote(t)}" for t in tags],
        "api list": ["/api/v1/articles?limit=20"] + [f"/api/v1/articles?limit=20&tag={quote(t)}" for t in tags[:20]],
        "api article": [f"/api/v1/articles/{quote(i, safe='')}" for i in chosen],
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def uncached_app() -> object:
    """The app with its response cache off (``uvicorn --factory web:uncached_app --app-dir bench``)."""
    from newsdesk.config import Settings
    from newsdesk.web.app import create_app

    return create_app(Settings(), page_cache_bytes=0)


def start_server(db: Path, workers: int, cache: bool) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "NEWSDESK_DATABASE_URL": str(db), "NEWSDESK_LOAD_SAMPLE": "0"}
    factory = "newsdesk.web.app:app_from_env" if cache else "web:uncached_app"
    cmd = [sys.executable, "-m", "uvicorn", "--factory", factory, "--app-dir", str(Path(__file__).parent),
           "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--log-level", "warning",
           "--no-access-log"]
    proc = subprocess.Popen(cmd, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/api/v1/langs", timeout=2) as response:
                if response.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start within 60 s")


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (peak) of the server: the process plus its worker children, summed."""
    pids = [pid] + [int(p) for p in _children(pid)]
    total = {"rss": 0.0, "hwm": 0.0}
    for p in pids:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        total["rss"] += _kb(status, "VmRSS") / 1024
        total["hwm"] += _kb(status, "VmHWM") / 1024
    total["processes"] = len(pids)
    return total


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


def _kb(status: str, key: str) -> float:
    found = re.search(rf"^{key}:\s+(\d+) kB", status, re.M)
    return float(found.group(1)) if found else 0.0


def run_wrk(base: str, paths: list[str], seconds: int, connections: int, workdir: Path) -> dict[str, float]:
    script = workdir / "rotate.lua"
    script.write_text(LUA % (", ".join(json.dumps(p) for p in paths), 42), encoding="utf-8")
    cmd = [WRK, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), base]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    requests, duration_us, p50, p95, p99, worst, errors = map(int, re.search(r"RESULT (.*)", out).group(1).split())
    return {
        "rps": requests / (duration_us / 1e6),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "max": worst / 1000,
        "errors": errors,
        "requests": requests,
    }


def warm(base: str, paths: list[str]) -> None:
    """Request each path of ``paths`` (8 at a time): the measured run sees a warm server, as a news
    site's pages are read many times each.  Workers share the requests at random, so each path is
    given twice per worker."""

    def get(path: str) -> None:
        with urllib.request.urlopen(base + path, timeout=60) as response:
            response.read()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(get, paths))


def bench_workers(
    db: Path, workers: int, cache: bool, paths: dict[str, list[str]], args: argparse.Namespace, workdir: Path
) -> list[dict[str, object]]:
    proc, base = start_server(db, workers, cache)
    rows = []
    try:
        for name, urls in paths.items():
            warm(base, urls * 2 * workers)
            run_wrk(base, urls, 2, args.connections, workdir)  # warm-up
            result = run_wrk(base, urls, args.duration, args.connections, workdir)
            rows.append({"workers": workers, "cache": "on" if cache else "off", "endpoint": name, **result,
                         **memory_mb(proc.pid)})
            print(_line(rows[-1]), file=sys.stderr)
    finally:
        proc.terminate()
        proc.wait(30)
    return rows


def _line(r: dict[str, object]) -> str:
    return (f"| {r['workers']} | {r['cache']} | {r['endpoint']} | {r['rps']:,.0f} | {r['p50']:.1f} | "
            f"{r['p95']:.1f} | {r['p99']:.1f} | {r['errors']} | {r['rss']:.0f} | {r['hwm']:.0f} |")


def report(rows: list[dict[str, object]], args: argparse.Namespace, command: str) -> str:
    lines = [
        "## Web: pages and API under load (bench/web.py)", "", header(command).rstrip(),
        f"- data: first {args.articles:,} items of ru_news_scale_mix in SQLite (no-NLP ingest, ANALYZE after)",
        f"- load: wrk -t2 -c{args.connections} -d{args.duration}s --latency; a Lua script picks paths at random "
        "(2,000 random article ids, the 200 most used tags); wrk shares the 2 cores with the server",
        "- warm-up before each measured run: every path requested twice per worker, then 2 s of wrk",
        f"- machine load (1-min load average) before / after: {args.load_before:.1f} / {os.getloadavg()[0]:.1f} "
        "(both include this benchmark's own wrk and server while they run or wind down; other developers' jobs "
        "may share the machine)",
        "- page cache: on = as served (responses kept until the archive changes), off = every request computed",
        "- memory: VmRSS / VmHWM of the uvicorn process plus its workers, summed, after each run", "",
        "| workers | page cache | endpoint | req/s | p50 ms | p95 ms | p99 ms | errors | RSS MB | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *[_line(r) for r in rows], "",
    ]
    for r in (r for r in rows if r["endpoint"] == "article"):
        verdict = "met" if r["p95"] < 50 and r["hwm"] < 500 else "missed"
        lines.append(f"- article page, {r['workers']} worker(s), cache {r['cache']}: p95 {r['p95']:.1f} ms, "
                     f"peak RSS {r['hwm']:.0f} MB — target (p95 < 50 ms at {args.connections} connections, "
                     f"RSS < 500 MB) **{verdict}**")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--cache", choices=["on", "off", "both"], default="both",
                        help="the response cache: on (as served), off (every request computed), or both")
    parser.add_argument("--db", help="reuse this archive (built when missing)")
    args = parser.parse_args()
    if not Path(WRK).exists():
        raise SystemExit("wrk not found: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="newsdesk-bench-web-"))
    db = Path(args.db) if args.db else workdir / "web.db"
    if not db.exists():
        build_archive(db, args.articles)
    paths = sample_paths(db)
    args.load_before = os.getloadavg()[0]
    caches = {"on": [True], "off": [False], "both": [True, False]}[args.cache]
    rows = [row for cache in caches for workers in args.workers
            for row in bench_workers(db, workers, cache, paths, args, workdir)]
    command = "python bench/web.py " + " ".join(sys.argv[1:])
    text = report(rows, args, command.strip())
    print(text)
    print(f"wrote {write_report('web', text)}", file=sys.stderr)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
