"""`newsdesk watch --once` over 1,000 loopback sources: items/s, CPU per item, peak memory.

    .venv/bin/python bench/watch.py [--sources 1000] [--hosts 16] [--workers 8]

One local server process (this one) serves every source: a small RSS feed per source with
``--items`` items, the first ``--full`` carrying their full text, the others summary-only so
their article page (the text in ~22 KB of site navigation, sidebar and script) is fetched and extracted.  Texts
are real Russian articles from ../shared/data/ru_news_scale_mix.  The sources are spread over
``--hosts`` loopback addresses (127.0.0.1, 127.0.0.2, …, one listening socket each) because the
watcher allows one connection per host, as it would with 1,000 real outlets on different hosts.

The watcher runs as its own process (`newsdesk watch --once`, the CLI as shipped) on a new
temporary SQLite file, started by a small launcher process that reports its CPU time and peak RSS
(os.wait4).  A second
pass (`--force`) polls the same sources again: every feed answers 304 to its ETag.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import header, real_items, write_report  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NEWSDESK = ROOT / ".venv" / "bin" / "newsdesk"
NAV = "".join(f'<li><a href="/section/{n}">Раздел {n}</a></li>' for n in range(40))
SIDEBAR = "".join(f'<li><a href="/news/{n}">Другая новость дня номер {n}: подробности</a></li>' for n in range(60))
SCRIPT = "window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}" * 40


def articles(n: int) -> list[dict]:
    """``n`` distinct real articles with a title and at least 600 characters of text."""
    found = [i for i in real_items() if i.get("title") and len(i.get("text") or "") >= 600 and i.get("url")]
    if len(found) < n:
        raise SystemExit(f"only {len(found)} usable articles in the scale mix, {n} needed")
    return found[:n]


def page(item: dict) -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in item["text"].split("\n") if p.strip())
    title = html.escape(item["title"])
    return (
        f'<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:title" content="{title}">'
        '<meta property="article:published_time" content="2026-11-24T10:00:00+05:00">'
        f"<script>{SCRIPT}</script></head><body>"
        f"<header><nav><ul>{NAV}</ul></nav></header><main><article><h1>{title}</h1>{body}</article>"
        f"<aside><ul>{SIDEBAR}</ul></aside></main><footer>© 2026 Пример медиа. Все права защищены.</footer>"
        "</body></html>"
    ).encode()


def feed(source: int, items: list[dict], full: int, base: str) -> bytes:
    entries = []
    for j, item in enumerate(items):
        link = f"{base}/s/{source}/a/{j}.html"
        lead = html.escape(item["text"].split("\n")[0][:200])
        content = (
            f"<content:encoded><![CDATA[{item['text'].replace(chr(10), '<br/><br/>')}]]></content:encoded>"
            if j < full
            else ""
        )
        entries.append(
            f"<item><guid>{link}</guid><title>{html.escape(item['title'])}</title><link>{link}</link>"
            f"<pubDate>Tue, 24 Nov 2026 10:{j:02d}:00 +0500</pubDate><description>{lead}</description>"
            f"{content}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Источник {source}</title>{''.join(entries)}</channel></rss>"
    ).encode()


class Site:
    """Everything the sources serve, pre-rendered, with request counters."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[bytes, str]] = {
            "/robots.txt": (b"User-agent: *\nDisallow: /private/\n", "text/plain")
        }
        self.counts = {"feed": 0, "304": 0, "page": 0, "robots": 0, "other": 0}
        self.lock = threading.Lock()

    def count(self, what: str) -> None:
        with self.lock:
            self.counts[what] += 1


def handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            found = site.files.get(self.path)
            kind = (
                "robots"
                if self.path == "/robots.txt"
                else "feed"
                if self.path.endswith("feed.xml")
                else "page"
                if found
                else "other"
            )
            if kind == "feed" and self.headers.get("If-None-Match") == f'"{self.path}"':
                site.count("304")
                self.send_response(304)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            site.count(kind)
            body, ctype = found or (b"not found", "text/plain")
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", f'"{self.path}"')
            self.end_headers()
            self.wfile.write(body)

    return Handler


def serve(site: Site, hosts: int) -> list[ThreadingHTTPServer]:
    servers = []
    for n in range(hosts):
        server = ThreadingHTTPServer((f"127.0.0.{n + 1}", 0), handler(site))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    return servers


def build(site: Site, servers: list[ThreadingHTTPServer], texts: list[dict], args: argparse.Namespace) -> list[str]:
    urls = []
    for s in range(args.sources):
        host, port = servers[s % len(servers)].server_address[:2]
        base = f"http://{host}:{port}"
        items = texts[s * args.items : (s + 1) * args.items]
        site.files[f"/s/{s}/feed.xml"] = (feed(s, items, args.full, base), "application/rss+xml; charset=utf-8")
        for j, item in enumerate(items[args.full :], start=args.full):
            site.files[f"/s/{s}/a/{j}.html"] = (page(item), "text/html; charset=utf-8")
        urls.append(f"{base}/s/{s}/feed.xml")
    return urls


def add_sources(db: Path, urls: list[str]) -> None:
    from newsdesk.store import open_archive
    from newsdesk.store.sources import add_source

    archive = open_archive(str(db))
    with archive.engine.begin() as conn:
        for n, url in enumerate(urls):
            add_source(conn, url, f"Источник {n}", lang="ru", private_ok=True)
    archive.dispose()


# Linux charges a child's peak RSS with its parent's at fork+exec (exec records the old address space's
# high-water mark), and this process holds every page it serves: the watcher is therefore started by a
# small launcher process, which reports the watcher's own CPU time and peak RSS from os.wait4.
LAUNCHER = """
import json, os, sys, time
start = time.perf_counter()
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ)
_, status, usage = os.wait4(pid, 0)
print(json.dumps({"wall": time.perf_counter() - start, "code": os.waitstatus_to_exitcode(status),
                  "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}))
"""


def watch(db: Path, workers: int, force: bool, nlp: bool = True) -> dict:
    """Run ``newsdesk watch --once`` as its own process; its wall time, CPU time and peak RSS."""
    command = [str(NEWSDESK), "--db", str(db), "watch", "--once", "--host-delay", "0", "--workers", str(workers)]
    command += (["--force"] if force else []) + ([] if nlp else ["--no-nlp"])
    done = subprocess.run([sys.executable, "-c", LAUNCHER, *command], capture_output=True, text=True,
                          env={**os.environ, "NEWSDESK_FETCH_ALLOW_PRIVATE": "1"})
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    if measured["code"]:
        raise SystemExit(f"watch failed ({measured['code']}):\n{done.stderr[-3000:]}")
    return {**measured, "summary": done.stderr.strip().splitlines()[-1],
            "command": " ".join(["newsdesk", "--db", "TMP.db"] + command[3:])}


def breakdown(site: Site, sources: int) -> dict[str, float]:
    """CPU ms per feed parse and per page extraction, measured here on the same documents."""
    from newsdesk.discover import document_text
    from newsdesk.fetch import Document
    from newsdesk.sources.feeds import read_feed
    from newsdesk.sources.html import extract

    feeds = [site.files[f"/s/{s}/feed.xml"][0] for s in range(min(sources, 100))]
    pages = [body for path, (body, _) in site.files.items() if path.endswith(".html")][:200]
    extract(document_text(Document("http://x/0", 200, "text/html", pages[0])), "x", "s", "http://x/0")  # warm up
    start = time.process_time()
    for feed_ in feeds:
        list(read_feed(feed_, "feed", "s"))
    per_feed = (time.process_time() - start) / len(feeds) * 1000
    start = time.process_time()
    for n, body in enumerate(pages):
        extract(document_text(Document(f"http://x/{n}", 200, "text/html", body)), "x", "s", f"http://x/{n}")
    return {"feed_ms": per_feed, "page_ms": (time.process_time() - start) / len(pages) * 1000,
            "page_kb": sum(map(len, pages)) / len(pages) / 1024}


def startup_seconds(db: Path) -> float:
    start = time.perf_counter()
    subprocess.run([str(NEWSDESK), "--db", str(db), "sources", "list", "--json"], capture_output=True, check=True)
    return time.perf_counter() - start


def stored(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        articles_ = conn.execute("select count(*) from articles").fetchone()[0]
        failed = conn.execute("select count(*) from sources where consecutive_failures > 0").fetchone()[0]
    return articles_, failed


def first_pass(site: Site, urls: list[str], tmp: Path, args: argparse.Namespace, nlp: bool) -> dict:
    """A new archive with every source, one pass (everything new), then a second pass (all 304)."""
    db = tmp / f"watch-{'nlp' if nlp else 'store'}.db"
    add_sources(db, urls)
    site.counts = dict.fromkeys(site.counts, 0)
    result = {"load": os.getloadavg()[0], "first": watch(db, args.workers, False, nlp)}
    result["requests"] = dict(site.counts)
    result["articles"], result["failed"] = stored(db)
    result["second"] = watch(db, args.workers, True, nlp)
    result["db_mb"] = db.stat().st_size / 1048576
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=16)
    parser.add_argument("--items", type=int, default=5, help="items per feed")
    parser.add_argument("--full", type=int, default=3, help="items per feed with full text (the rest: summary only)")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--nlp-sources", type=int, default=200,
                        help="sources for the default-pipeline run (its NLP costs ~100 ms/item; 0 to skip)")
    args = parser.parse_args()
    texts = articles(args.sources * args.items)
    site = Site()
    servers = serve(site, args.hosts)
    urls = build(site, servers, texts, args)
    tmp = Path(tempfile.mkdtemp(prefix="newsdesk-bench-watch-"))
    try:
        add_sources(tmp / "empty.db", [])
        startup = startup_seconds(tmp / "empty.db")
        runs = {False: first_pass(site, urls, tmp, args, False)}
        if args.nlp_sources:
            runs[True] = first_pass(site, urls[:args.nlp_sources], tmp, args, True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        for server in servers:
            server.shutdown()
    report = render(args, runs, startup, breakdown(site, args.sources))
    print(report)
    write_report("watch", report)


def _row(label: str, run: dict, startup: float) -> str:
    first, n = run["first"], run["articles"]
    req = run["requests"]
    return (f"| {label} | {first['wall']:.1f} | {n:,} | {n / first['wall']:,.0f} "
            f"({n / (first['wall'] - startup):,.0f} after start-up) | {first['cpu']:.1f} | "
            f"{first['cpu'] / n * 1000:.2f} | {n / first['cpu']:,.0f} | {first['peak_mb']:.0f} | "
            f"{req['feed']:,} feeds + {req['page']:,} pages + "
            f"{req['robots']} robots.txt | {run['failed']} | {run['load']:.1f} |\n")


def _again(label: str, run: dict) -> str:
    second = run["second"]
    return (f"| {label}, second pass (`--force`): every feed 304 | {second['wall']:.1f} | 0 | – | "
            f"{second['cpu']:.1f} | – | – | {second['peak_mb']:.0f} | {run['requests']['feed']:,} conditional GETs "
            "| – | – |\n")


def render(args: argparse.Namespace, runs: dict[bool, dict], startup: float, parts: dict[str, float]) -> str:
    store, full = runs[False], runs.get(True)
    command = "python bench/watch.py " + " ".join(sys.argv[1:])
    rows = _row(f"{args.sources:,} sources, store only (`--no-nlp`)", store, startup) + _again("same", store)
    if full:
        label = f"{args.nlp_sources:,} sources, default pipeline"
        rows += _row(label, full, startup) + _again("same", full)
    text = (
        f"## Watching {args.sources:,} sources (`newsdesk watch --once`)\n\n" + header(command.strip()) +
        f"- setup: {args.sources:,} RSS sources on {args.hosts} loopback hosts (one server process), "
        f"{args.items} items each ({args.full} with full text, {args.items - args.full} summary-only → "
        f"article page fetched and extracted with trafilatura, ~{parts['page_kb']:.0f} KB pages); real Russian "
        "texts from ru_news_scale_mix; a new temporary SQLite file per run; "
        f"`newsdesk --db TMP.db watch --once --host-delay 0 --workers {args.workers}` (+ `--no-nlp` for store only)\n"
        f"- start-up of the `newsdesk` command (imports, open the archive): {startup:.1f} s, included in wall time\n\n"
        "| run | wall s | items stored | items/s | CPU s | CPU ms/item | items per CPU s | peak RSS MB | requests "
        "| failed | load |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n" + rows +
        f"\n- CPU per source in the watcher, store only: {store['first']['cpu'] / args.sources * 1000:.0f} ms. "
        f"For scale, measured separately on the same documents: parsing one feed {parts['feed_ms']:.0f} ms "
        f"(feedparser), extracting one page {parts['page_ms']:.0f} ms (trafilatura; {args.items - args.full} "
        "per source)\n"
        f"- SQLite file after one pass: {store['db_mb']:.0f} MB store only"
    )
    if full:
        text += f", {full['db_mb']:.0f} MB for the {args.nlp_sources:,} sources with the pipeline"
    return text + (
        "\n- items per CPU second is what one free core sustains (the watcher is bound by one core: the GIL); "
        "CPU time and peak RSS are the watcher process's own (os.wait4 in a small launcher); `load` is the "
        f"1-minute load average when the run started, on a shared {os.cpu_count()}-core machine: wall-clock "
        "figures shrink when it is idle, CPU per item much less so\n"
    )


if __name__ == "__main__":
    main()
