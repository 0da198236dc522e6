"""`tgnews` against the contest's published reference: wall time and peak memory, batch and server.

    .venv/bin/python bench/tgnews.py [--skip-batch] [--skip-server]

All contest pages in ../shared/data (html_pages_tgcontest2019: 7,820, html_pages_tgcontest2020: 488)
are written as .html files to a temporary directory, then:

1. ``tgnews threads DIR`` over all of them (one process per core, and with ``--workers 1``) and over the
   first 1,000 (by file name): wall time, and the peak RSS of the largest process (``ru_maxrss`` of the
   waited-for children, measured by a wrapper process so nothing else is counted).
2. ``tgnews server``: time to an open port and to ready; the 2019 pages PUT one after another on one
   keep-alive connection (docs/s for the first 1,000 and for all), ``GET /threads`` latencies, kill -9
   and the time to ready again, then the 2020 pages (April 2020: with max-age 30 days their arrival
   expires every 2019 page; they leave the index at once and the archive in a background thread, which
   keeps working while the 2020 pages arrive), and the server's peak RSS (VmHWM).

Reference (the contest's published figure): 1,000 documents in 3.5 s and 150 MB, C++ on 8 cores.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SHARED, header, write_report  # noqa: E402

SETS = ("html_pages_tgcontest2019", "html_pages_tgcontest2020")
MONTH = 30 * 24 * 3600
TGNEWS = [sys.executable, "-m", "newsdesk.tgnews.cli"]
QUERIES = ("period=86400&lang_code=ru&category=any", "period=86400&lang_code=en&category=any",
           "period=2592000&lang_code=ru&category=society", "period=3600&lang_code=en&category=any")


def write_pages(out: Path) -> dict[str, list[str]]:
    """Every contest page as ``out/all/<file>.html``; names by data set, sorted."""
    names: dict[str, list[str]] = {}
    (out / "all").mkdir(parents=True)
    for name in SETS:
        path = SHARED / name / "pages.jsonl.gz"
        if not path.exists():
            raise SystemExit(f"contest pages not found at {path} (the ../shared folder of the workspace)")
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                file = row.get("file_name") or row["orig_file"].split("@")[0].rsplit("/", 1)[-1]
                (out / "all" / file).write_text(row["html"], encoding="utf-8")
                names.setdefault(name, []).append(file)
    return {k: sorted(v) for k, v in names.items()}


def subset(out: Path, files: list[str], label: str) -> Path:
    folder = out / label
    folder.mkdir()
    for file in files:
        (folder / file).symlink_to(out / "all" / file)
    return folder


# 1. batch


def measured(command: list[str]) -> dict:
    """Run ``command`` under a wrapper process that reports wall time and its children's peak RSS."""
    wrapper = subprocess.run([sys.executable, __file__, "--measure", "--", *command], capture_output=True, text=True,
                             check=True)
    return json.loads(wrapper.stdout.strip().splitlines()[-1])


def measure(command: list[str]) -> None:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    found = json.loads(done.stdout)
    print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024,
                      "threads": len(found),
                      "articles": sum(len(t["articles"]) for t in found)}))


def batch(out: Path, names: dict[str, list[str]]) -> list[str]:
    every = [n for files in names.values() for n in files]
    first = subset(out, sorted(every)[:1000], "first1000")
    rows = []
    for label, folder, workers in (("all pages", out / "all", None), ("all pages", out / "all", 1),
                                   ("first 1,000", first, None), ("first 1,000", first, 1)):
        command = [*TGNEWS, "threads", str(folder)] + ([] if workers is None else ["--workers", str(workers)])
        got = measured(command)
        pages = len(every) if folder.name == "all" else 1000
        rows.append(f"| {label} | {pages:,} | {workers or 'one per core'} | {load()} | {got['wall']:.1f} "
                    f"| {got['cpu']:.1f} | {pages / got['wall']:,.0f} | {got['peak_mb']:.0f} | {got['threads']:,} "
                    f"| {got['articles']:,} |")
        print(rows[-1], flush=True)
    return rows


# 2. server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(port: int, data: Path, log: Path) -> tuple[subprocess.Popen[bytes], float, float]:
    began = time.perf_counter()
    with log.open("ab") as err:
        proc = subprocess.Popen([*TGNEWS, "server", str(port), "--host", "127.0.0.1", "--data", str(data)],
                                stdout=err, stderr=err)
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"the server exited; see {log}") from None
            time.sleep(0.01)
    opened = time.perf_counter() - began
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    while get(conn, QUERIES[0])[0] == 503:
        time.sleep(0.05)
    conn.close()
    return proc, opened, time.perf_counter() - began


def get(conn: http.client.HTTPConnection, query: str) -> tuple[int, bytes]:
    conn.request("GET", f"/threads?{query}")
    response = conn.getresponse()
    return response.status, response.read()


def put_all(conn: http.client.HTTPConnection, folder: Path, files: list[str]) -> list[float]:
    """Seconds each PUT took, in order."""
    took = []
    headers = {"Content-Type": "text/html", "Cache-Control": f"max-age={MONTH}"}
    for file in files:
        body = (folder / file).read_bytes()
        start = time.perf_counter()
        conn.request("PUT", f"/{file}", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        took.append(time.perf_counter() - start)
        if response.status not in (201, 204):
            raise SystemExit(f"PUT {file}: HTTP {response.status}")
    return took


def load() -> str:
    """The 1-minute load average (the machine is shared: a busy one slows every wall time)."""
    return Path("/proc/loadavg").read_text().split()[0]


def cpu_seconds(proc: subprocess.Popen[bytes]) -> float:
    fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss(proc: subprocess.Popen[bytes]) -> float:
    for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def server(out: Path, names: dict[str, list[str]]) -> list[str]:
    port, data, log = free_port(), out / "data", out / "server.log"
    proc, opened, ready = start(port, data, log)
    lines = [f"- start on an empty data directory: port open after {opened:.2f} s, ready (200) after {ready:.1f} s"]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    old, new = names[SETS[0]], names[SETS[1]]
    cpu, at_load = cpu_seconds(proc), load()
    took = put_all(conn, out / "all", old[:1000])
    first_cpu = cpu_seconds(proc) - cpu
    took += put_all(conn, out / "all", old[1000:])
    lines += [_rate("2019 pages, first 1,000", took[:1000], first_cpu, at_load),
              _rate(f"2019 pages, all {len(old):,}", took, cpu_seconds(proc) - cpu, at_load)]
    lines += [_latency(conn, query) for query in QUERIES]
    lines.append(f"- server peak RSS after indexing {len(old):,} pages: {peak_rss(proc):.0f} MB")
    conn.close()
    proc.kill()
    proc.wait()
    proc, opened, ready = start(port, data, log)
    lines.append(f"- kill -9 and restart with {len(old):,} pages indexed: port open after {opened:.2f} s, "
                 f"ready after {ready:.1f} s (index rebuilt from the archive, lemmas read back from the file table)")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    cpu, at_load = cpu_seconds(proc), load()
    took_new = put_all(conn, out / "all", new)
    lines.append(_rate(f"2020 pages ({len(new)}), expiring the 2019 ones on arrival", took_new,
                       cpu_seconds(proc) - cpu, at_load))
    lines.append(_rate(f"all {len(old) + len(new):,} pages", took + took_new))
    lines.append(f"- server peak RSS (after the restart): {peak_rss(proc):.0f} MB")
    conn.close()
    proc.kill()
    proc.wait()
    for line in lines:
        print(line, flush=True)
    return lines


def _rate(label: str, took: list[float], cpu: float | None = None, at_load: str | None = None) -> str:
    total = sum(took)
    ordered = sorted(took)
    server = f" (server CPU {cpu:.1f} s, load average {at_load} at the start)" if cpu is not None else ""
    return (f"- PUT {label}: {total:.1f} s, {len(took) / total:,.0f} docs/s{server}; per PUT median "
            f"{ordered[len(ordered) // 2] * 1000:.1f} ms, p99 {ordered[int(len(ordered) * 0.99)] * 1000:.1f} ms, "
            f"max {ordered[-1] * 1000:.0f} ms")


def _latency(conn: http.client.HTTPConnection, query: str) -> str:
    times, threads = [], 0
    for _ in range(2):
        start = time.perf_counter()
        status, data = get(conn, query)
        times.append(time.perf_counter() - start)
        threads = len(json.loads(data)["threads"]) if status == 200 else -status
    first, again = times[0] * 1000, times[1] * 1000
    return f"- GET /threads?{query}: {threads:,} threads, first {first:.0f} ms, again {again:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--skip-server", action="store_true")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("command", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.command)
        return
    with tempfile.TemporaryDirectory(prefix="tgnews-bench-") as tmp:
        out = Path(tmp)
        names = write_pages(out)
        batch_rows = [] if args.skip_batch else batch(out, names)
        server_lines = [] if args.skip_server else server(out, names)
    report(batch_rows, server_lines)


def report(batch_rows: list[str], server_lines: list[str]) -> None:
    text = "## tgnews: the Telegram contest protocol\n\n" + header("python bench/tgnews.py") + "\n"
    text += ("Reference (the contest's published figure): 1,000 documents in 3.5 s, 150 MB, C++ on 8 cores. "
             "Pages: all contest pages in ../shared/data (7,820 of Nov 2019, 488 of Apr 2020).\n\n")
    if batch_rows:
        text += ("### `tgnews threads DIR`\n\nPeak RSS is the largest single process (the forked workers share "
                 "the models loaded before the fork).\n\n"
                 "| pages | n | processes | load avg | wall s | CPU s | pages/s | peak RSS MB | threads "
                 "| articles threaded |\n|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n"
                 + "\n".join(batch_rows) + "\n\n")
    if server_lines:
        text += ("### `tgnews server`: PUT one page after another on one keep-alive connection, max-age 30 days\n\n"
                 + "\n".join(server_lines) + "\n")
    path = write_report("tgnews", text)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
