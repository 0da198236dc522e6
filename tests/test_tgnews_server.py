"""`tgnews server`: the contest's HTTP protocol, against a real server process on loopback."""

from __future__ import annotations

import gzip
import http.client
import json
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

pytestmark = pytest.mark.shared
MONTH = 30 * 24 * 3600
HTML = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": f"max-age={MONTH}"}
_TIME = re.compile(r'(<meta property="article:published_time" content=")[^"]*(")')


@dataclass
class Running:
    proc: subprocess.Popen[bytes]
    port: int
    opened_after: float  # seconds from start to an accepted connection
    first_status: int  # the answer to the very first request

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def stop(self) -> None:
        self.proc.kill()  # SIGKILL: no chance to flush or close anything
        self.proc.wait(10)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(data: Path, log: Path) -> Running:
    port = free_port()
    began = time.monotonic()
    with log.open("ab") as err:
        proc = subprocess.Popen([sys.executable, "-m", "newsdesk.tgnews.cli", "-v", "server", str(port),
                                 "--host", "127.0.0.1", "--data", str(data)], stdout=err, stderr=err)
    opened_after = _wait_open(port, began, proc)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    status, _ = call(conn, "GET", "/threads?period=60&lang_code=ru&category=any")
    conn.close()
    running = Running(proc, port, opened_after, status)
    _wait_ready(running)
    return running


def _wait_open(port: int, began: float, proc: subprocess.Popen[bytes]) -> float:
    while time.monotonic() - began < 20:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return time.monotonic() - began
        except OSError:
            assert proc.poll() is None, "the server exited"
            time.sleep(0.02)
    raise AssertionError("the port never opened")


def _wait_ready(running: Running) -> None:
    conn = running.connect()
    deadline = time.monotonic() + 90
    while call(conn, "GET", "/threads?period=60&lang_code=ru&category=any")[0] == 503:
        assert time.monotonic() < deadline, "still 503 after 90 s"
        time.sleep(0.1)
    conn.close()


def call(conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    return response.status, response.read()


def threads(conn: http.client.HTTPConnection, period: int = 3 * 86400, lang: str = "ru",
            category: str = "any") -> list[dict]:
    status, data = call(conn, "GET", f"/threads?period={period}&lang_code={lang}&category={category}")
    assert status == 200, data
    return json.loads(data)["threads"]


def listed(found: list[dict]) -> set[str]:
    return {name for thread in found for name in thread["articles"]}


def at(page: str, when: datetime) -> bytes:
    return _TIME.sub(lambda m: m.group(1) + when.isoformat() + m.group(2), page, count=1).encode()


@pytest.fixture(scope="module")
def rows(shared_data: Path) -> list[dict]:
    """Real Russian and English pages of the contest's 15 Nov 2019 hour."""
    taken = {"ru": 0, "latin": 0}
    chosen = []
    with gzip.open(shared_data / "html_pages_tgcontest2019" / "pages.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            guess = row["lang_guess_heuristic"]
            if row["sample_dir"] == "20191115/00" and taken.get(guess, 99) < 30:
                if guess == "latin" and row["text"].count(" the ") < 3:
                    continue
                taken[guess] += 1
                row["name"] = row["orig_file"].split("@")[0].rsplit("/", 1)[-1]
                chosen.append(row)
    return chosen


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    root = tmp_path_factory.mktemp("tgnews")
    running = start(root / "data", root / "server.log")
    yield running
    running.stop()


@pytest.fixture
def conn(server: Running) -> Iterator[http.client.HTTPConnection]:
    connection = server.connect()
    yield connection
    connection.close()


def test_port_opens_at_once_and_answers_503_while_loading(server):
    assert server.opened_after < 1.0
    assert server.first_status == 503


def test_put_new_then_replaced(conn, rows):
    row = rows[0]
    assert call(conn, "PUT", f"/{row['name']}", row["html"].encode(), HTML)[0] == 201
    assert call(conn, "PUT", f"/{row['name']}", row["html"].encode(), HTML)[0] == 204
    changed = row["html"].replace("<p>", "<p>Обновлено. ", 1).encode()
    assert call(conn, "PUT", f"/{row['name']}", changed, HTML)[0] == 204


@pytest.mark.parametrize(("path", "headers"), [
    ("/a.html", {"Content-Type": "application/json", "Cache-Control": "max-age=300"}),
    ("/a.html", {"Content-Type": "text/html"}),
    ("/a.html", {"Content-Type": "text/html", "Cache-Control": "max-age=10"}),
    ("/a/b.html", HTML),
])
def test_bad_put(conn, rows, path, headers):
    status, data = call(conn, "PUT", path, rows[1]["html"].encode(), headers)
    assert status == 400 and json.loads(data)["error"]


def test_put_in_another_charset(conn, rows):
    row = rows[9]
    headers = {**HTML, "Content-Type": "text/html; charset=windows-1251"}
    page = row["html"].replace('charset="utf-8"', 'charset="windows-1251"').encode("cp1251", errors="replace")
    assert call(conn, "PUT", f"/{row['name']}", page, headers)[0] == 201
    assert call(conn, "PUT", f"/{row['name']}", row["html"].encode(), HTML)[0] == 204
    assert call(conn, "PUT", "/binary.html", bytes(range(256)) * 4, HTML)[0] == 400


def test_delete(conn, rows):
    row = rows[2]
    assert call(conn, "PUT", f"/{row['name']}", row["html"].encode(), HTML)[0] == 201
    assert call(conn, "DELETE", f"/{row['name']}")[0] == 204
    assert call(conn, "DELETE", f"/{row['name']}")[0] == 404
    assert call(conn, "DELETE", "/never-sent.html")[0] == 404


def test_threads(conn, rows):
    for row in rows[3:]:
        assert call(conn, "PUT", f"/{row['name']}", row["html"].encode(), HTML)[0] in (201, 204)
    found = threads(conn, category="any")
    assert found and all(set(t) == {"title", "category", "articles"} for t in found)
    assert {r["name"] for r in rows if r["lang_guess_heuristic"] == "ru"} >= listed(found)
    assert len(listed(found)) >= 10
    for category in ("society", "economy", "technology", "sports", "entertainment", "science", "other"):
        expected = [{"title": t["title"], "articles": t["articles"]} for t in found if t["category"] == category]
        assert threads(conn, category=category) == expected
    english = threads(conn, lang="en")
    assert english and not listed(english) & listed(found)
    assert threads(conn, lang="kk") == []


def test_period_counts_back_from_the_newest_article(conn, rows):
    everything = listed(threads(conn, period=3 * 86400))
    assert listed(threads(conn, period=300)) < everything  # the hour's pages span more than 5 minutes


@pytest.mark.parametrize("path", [
    "/threads", "/threads?period=0&lang_code=ru&category=any", "/threads?period=60&lang_code=uk&category=any",
    "/threads?period=60&lang_code=ru&category=politics", "/threads?period=soon&lang_code=ru&category=any",
])
def test_bad_threads_requests(conn, path):
    status, data = call(conn, "GET", path)
    assert status == 400 and "error" in json.loads(data)


def test_unknown_resource(conn):
    assert call(conn, "GET", "/articles")[0] == 404


def test_keep_alive(conn, rows):
    call(conn, "GET", "/threads?period=60&lang_code=ru&category=any")
    sock = conn.sock
    row = rows[4]
    for method, body in (("PUT", row["html"].encode()), ("GET", None), ("DELETE", None), ("PUT", row["html"].encode())):
        path = "/threads?period=60&lang_code=en&category=any" if method == "GET" else f"/{row['name']}"
        call(conn, method, path, body, HTML if body else None)
        assert conn.sock is sock  # the same connection served every request


def test_expiry_by_max_age_on_the_articles_clock(conn, rows):
    base = datetime.fromisoformat("2019-11-16T00:00:00+00:00")  # after every real page above
    short = {**HTML, "Cache-Control": "max-age=300"}
    first, second, third = rows[5], rows[6], rows[7]
    assert call(conn, "PUT", "/old.html", at(first["html"], base), short)[0] == 201
    assert call(conn, "PUT", "/mid.html", at(second["html"], base + timedelta(seconds=200)), short)[0] == 201
    assert call(conn, "PUT", "/old.html", at(first["html"], base), short)[0] == 204  # still indexed
    assert call(conn, "PUT", "/new.html", at(third["html"], base + timedelta(seconds=400)), short)[0] == 201
    assert call(conn, "DELETE", "/old.html")[0] == 404  # 400 s behind the newest: past its 300 s
    assert call(conn, "DELETE", "/mid.html")[0] == 204  # 200 s behind: still indexed
    assert call(conn, "PUT", f"/{rows[8]['name']}", rows[8]["html"].encode(), HTML)[0] == 204  # a month's max-age


def test_index_survives_kill_and_restart(tmp_path, rows):
    running = start(tmp_path / "data", tmp_path / "server.log")
    conn = running.connect()
    kept, deleted = rows[10:16], rows[16]
    short = {**HTML, "Cache-Control": "max-age=300"}
    for row in kept:
        assert call(conn, "PUT", f"/{row['name']}", row["html"].encode(), HTML)[0] == 201
    assert call(conn, "PUT", "/short.html", rows[17]["html"].encode(), short)[0] == 201
    assert call(conn, "PUT", f"/{deleted['name']}", deleted["html"].encode(), HTML)[0] == 201
    assert call(conn, "DELETE", f"/{deleted['name']}")[0] == 204
    before = threads(conn, lang="ru") + threads(conn, lang="en")
    conn.close()
    running.stop()

    again = start(tmp_path / "data", tmp_path / "server.log")
    conn = again.connect()
    try:
        assert threads(conn, lang="ru") + threads(conn, lang="en") == before
        assert call(conn, "DELETE", f"/{deleted['name']}")[0] == 404
        assert call(conn, "PUT", f"/{kept[0]['name']}", kept[0]["html"].encode(), HTML)[0] == 204
        later = datetime.fromisoformat(rows[17]["published_at"]) + timedelta(seconds=301 + 3600)
        assert call(conn, "PUT", "/later.html", at(rows[18]["html"], later), HTML)[0] == 201
        assert call(conn, "DELETE", "/short.html")[0] == 404  # its max-age came back from disk
        assert call(conn, "DELETE", f"/{kept[1]['name']}")[0] == 204
    finally:
        conn.close()
        again.stop()
