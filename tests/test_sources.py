"""Watched sources: CRUD, validation and health, on SQLite and PostgreSQL; and the CLI verbs."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.errors import InputError, NotFound
from newsdesk.store import open_archive
from newsdesk.store.sources import (
    SEEN_LIMIT,
    PollRecord,
    SourceExists,
    add_source,
    due_sources,
    get_source,
    list_sources,
    load_seen,
    record_poll,
    remember_seen,
    remove_source,
    source_health,
)

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def sqlite_archive(tmp_path_factory):
    """For tests that need no PostgreSQL twin (validation happens before any query)."""
    archive = open_archive(str(tmp_path_factory.mktemp("sources") / "archive.db"))
    yield archive
    archive.dispose()


def test_add_list_remove(archive):
    with archive.engine.begin() as conn:
        tengri = add_source(conn, "https://tengrinews.kz/news.rss", "Tengrinews", 600, "ru")
        kazinform = add_source(conn, "https://www.inform.kz/kz/sitemap-news.xml", kind="sitemap", lang="kk")
    assert (tengri.name, tengri.interval_s, tengri.lang, tengri.kind) == ("Tengrinews", 600, "ru", "auto")
    assert kazinform.name == "www.inform.kz"  # the host when no name is given
    with archive.engine.connect() as conn:
        listed = list_sources(conn)
        assert [s.url for s in listed] == [tengri.url, kazinform.url]
        assert listed[0].status == "new" and listed[0].median_latency_ms is None
        assert get_source(conn, tengri.url).id == tengri.id
    with archive.engine.begin() as conn:
        assert remove_source(conn, str(tengri.id)).url == tengri.url
        assert remove_source(conn, kazinform.url).id == kazinform.id
        assert list_sources(conn) == []
        with pytest.raises(NotFound, match="no source '99'"):
            remove_source(conn, 99)


@pytest.mark.parametrize(("url", "kw", "field", "message"), [
    ("tengrinews.kz/news.rss", {}, "url", "not an http"),
    ("ftp://tengrinews.kz/news.rss", {}, "url", "not an http"),
    ("http://169.254.169.254/latest", {}, "url", "non-public address"),
    ("https://tengrinews.kz/", {"kind": "podcast"}, "kind", "choose one of auto, feed, sitemap, html"),
    ("https://tengrinews.kz/", {"interval_s": 5}, "interval_s", "use 60..604800 seconds"),
    ("https://tengrinews.kz/", {"lang": "русский язык"}, "lang", "language code"),
])
def test_add_refuses_bad_fields(sqlite_archive, monkeypatch, url, kw, field, message):
    monkeypatch.delenv("NEWSDESK_FETCH_ALLOW_PRIVATE", raising=False)
    with sqlite_archive.engine.begin() as conn, pytest.raises(InputError, match=message) as info:
        add_source(conn, url, **kw)
    assert info.value.field == field


def test_duplicate_url_refused(sqlite_archive):
    with sqlite_archive.engine.begin() as conn:
        add_source(conn, "https://kursiv.media/feed/")
        with pytest.raises(SourceExists, match="already watched"):
            add_source(conn, "https://kursiv.media/feed/")


def test_health_from_polls(archive):
    with archive.engine.begin() as conn:
        source = add_source(conn, "https://kapital.kz/feed", now=NOW - timedelta(days=2))
        for hours, latency, items in ((30, 100.0, 5), (20, 300.0, 2), (10, 200.0, 0)):
            record_poll(conn, source.id, PollRecord(NOW - timedelta(hours=hours), True, 200, latency, items,
                                                    etag='"e1"', next_poll=NOW))
        record_poll(conn, source.id, PollRecord(NOW - timedelta(hours=5), False, 503, None, 0,
                                                "https://kapital.kz/feed: HTTP 503", next_poll=NOW))
        record_poll(conn, source.id, PollRecord(NOW - timedelta(hours=4), False, None, None, 0, "read timeout"))
        failing = source_health(conn, source.id, NOW)
    assert failing.status == "failing" and failing.consecutive_failures == 2
    assert failing.last_error == "read timeout" and failing.last_success == NOW - timedelta(hours=10)
    assert failing.median_latency_ms == 200.0  # of the successful polls only
    assert failing.items_per_day == 3.5  # 7 items over the 2 days the source has existed
    assert failing.fetches == 5 and failing.etag == '"e1"'
    with archive.engine.begin() as conn:
        record_poll(conn, source.id, PollRecord(NOW - timedelta(hours=1), True, 304, 50.0, 0))
        recovered = source_health(conn, source.id, NOW)
    assert recovered.status == "ok" and recovered.consecutive_failures == 0
    assert recovered.last_error == "read timeout"  # the last error stays visible, with its time
    assert recovered.etag == '"e1"'  # a 304 without validators keeps the old ones
    assert set(recovered.as_dict()) >= {"items_per_day", "median_latency_ms", "last_error", "status"}
    assert "etag" not in recovered.as_dict()


def test_due_sources_and_removed_source(archive):
    with archive.engine.begin() as conn:
        a = add_source(conn, "https://24.kz/ru/?format=feed")
        b = add_source(conn, "https://ru.sputnik.kz/export/rss2/archive/index.xml")
        record_poll(conn, a.id, PollRecord(NOW, True, next_poll=NOW + timedelta(minutes=15)))
        assert [s.id for s in due_sources(conn, NOW)] == [b.id]
        assert {s.id for s in due_sources(conn, NOW, force=True)} == {a.id, b.id}
        assert [s.id for s in due_sources(conn, NOW + timedelta(hours=1))] == [b.id, a.id]
        remove_source(conn, b.id)
        assert record_poll(conn, b.id, PollRecord(NOW, True)) is False


def test_seen_fingerprints_are_capped(archive):
    with archive.engine.begin() as conn:
        source = add_source(conn, "https://orda.kz/feed/")
        remember_seen(conn, source.id, {f"item{i}": "a" for i in range(SEEN_LIMIT)})
        remember_seen(conn, source.id, {"item0": "b", "new": "c"})
        seen = load_seen(conn, source.id)
    assert len(seen) == SEEN_LIMIT and "item1" not in seen
    assert seen["item0"] == "b" and list(seen)[-1] == "new"


# --- the CLI ------------------------------------------------------------------------------------------------


def run(db, *args):
    result = CliRunner().invoke(app, ["--db", str(db), *args])
    return result


def test_cli_sources(tmp_path, monkeypatch):
    db = tmp_path / "cli.db"
    added = run(db, "sources", "add", "https://tengrinews.kz/news.rss", "--name", "Tengrinews", "--interval", "20m",
                "--lang", "ru")
    assert added.exit_code == 0, added.output
    record = json.loads(added.stdout.splitlines()[0])
    assert (record["id"], record["interval_s"], record["status"]) == (1, 1200, "new")
    assert run(db, "sources", "add", "https://tengrinews.kz/news.rss").exit_code == 2
    bad = run(db, "sources", "add", "https://kz.kursiv.media/", "--interval", "often")
    assert bad.exit_code == 2 and "--interval 'often'" in bad.output
    listed = run(db, "sources", "list", "--json")
    assert [json.loads(line)["name"] for line in listed.stdout.splitlines()] == ["Tengrinews"]
    assert "Tengrinews" in run(db, "sources", "list").stdout
    assert run(db, "sources", "remove", "https://tengrinews.kz/news.rss").exit_code == 0
    missing = run(db, "sources", "remove", "1")
    assert missing.exit_code == 2 and "no source '1'" in missing.output


# --- the web page and the API --------------------------------------------------------------------------------


@pytest.fixture
def web(tmp_path, monkeypatch):
    from test_web_support import make_client

    monkeypatch.delenv("NEWSDESK_FETCH_ALLOW_PRIVATE", raising=False)
    client = make_client(str(tmp_path / "web.db"))
    yield client
    client.close()


def test_api_and_page(web):
    from newsdesk.web.routes.sources import API
    from test_web_support import TOKEN

    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert "Источников пока нет" in web.get("/sources").text
    body = {"url": "https://tengrinews.kz/news.rss", "name": "Tengrinews", "interval_s": 600, "lang": "ru"}
    refused = web.post(API, json=body)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
    created = web.post(API, json=body, headers=auth)
    assert created.status_code == 201 and created.headers["Location"] == f"{API}/1"
    assert created.json()["status"] == "new" and created.json()["interval_s"] == 600
    twice = web.post(API, json=body, headers=auth)
    assert twice.status_code == 409 and twice.json()["error"] == {
        "code": "conflict", "message": "https://tengrinews.kz/news.rss is already watched", "field": "url"}
    for bad, field in (({"url": "https://x.kz/", "interval_s": 5}, "interval_s"),
                       ({"url": "http://169.254.169.254/"}, "url"), ({"url": "https://x.kz/", "kind": "x"}, "kind")):
        error = web.post(API, json=bad, headers=auth)
        assert error.status_code == 422 and error.json()["error"]["field"] == field, error.text
    with web.app.state.archive.engine.begin() as conn:
        record_poll(conn, 1, PollRecord(datetime.now(UTC), False, 503, None, 0, "tengrinews.kz: HTTP 503"))
    page = web.get("/sources").text
    assert "Tengrinews" in page and "tengrinews.kz: HTTP 503" in page and "сбои" in page
    twin = web.get("/sources?format=json").json()
    assert twin["items"][0]["consecutive_failures"] == 1
    assert web.get(API).json()["items"][0]["last_error"] == "tengrinews.kz: HTTP 503"
    assert web.get(f"{API}/1").json()["name"] == "Tengrinews"
    assert web.delete(f"{API}/1").status_code == 401
    assert web.delete(f"{API}/1", headers=auth).status_code == 204
    gone = web.get(f"{API}/1")
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "not_found"
    assert web.get("/api/v1/outlets").status_code == 200  # the outlets facet lives beside it
