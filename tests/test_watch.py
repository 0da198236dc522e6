"""Watching sources end to end: real loopback servers that misbehave, a real SQLite archive.

Each scenario checks the same three things: the watcher survives, nothing is lost, nothing is
doubled (articles counted in the archive, pages counted on the server).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html import escape

import pytest
from sqlalchemy import text

from loopback import Loopback, drip, redirect, reply
from newsdesk.fetch import FetchOptions
from newsdesk.pipeline import Pipeline
from newsdesk.poll import PollOptions
from newsdesk.store import open_archive
from newsdesk.store.sources import Source, add_source, list_sources, source_health
from newsdesk.watch import Watcher, WatchOptions, next_poll

FAST = WatchOptions(
    workers=4,
    poll=PollOptions(min_body=200),
    fetch=FetchOptions(allow_private=True, connect_timeout=1.0, read_timeout=0.5, total_timeout=1.0, retries=0,
                       backoff=0.01, host_delay=0.0, max_body=1024 * 1024),
)

ALMATY = [
    "Аким Алматы Ерболат Досаев провёл совещание по вопросам подготовки городского хозяйства к зимнему сезону. "
    "В нём приняли участие руководители управлений и коммунальных служб.",
    "По словам акима, к началу отопительного сезона отремонтировано более 120 километров тепловых сетей, а также "
    "заменены изношенные участки водопровода в Алатауском и Наурызбайском районах.",
]
ASTANA = [
    "Астанада жаңа мектеп ашылды. Ол 1200 оқушыға арналған және заманауи зертханалармен жабдықталған. "
    "Салтанатты шараға қала әкімі мен ата-аналар қатысты.",
    "Мектепте робототехника, химия және физика кабинеттері бар. Оқушылар үшін спорт залы мен кітапхана да жұмыс "
    "істейді, деп хабарлады қалалық білім басқармасы.",
]
NEWS = ["Нацбанк Казахстана сохранил базовую ставку на уровне 16,5%. Решение принято на плановом заседании "
        "комитета по денежно-кредитной политике, сообщает пресс-служба регулятора.",
        "Следующее плановое решение по базовой ставке будет объявлено в январе. Инфляция в годовом выражении "
        "замедлилась до 8,5%, отмечают в Нацбанке."]


def item(guid: str, title: str, link: str, body: list[str] | None = None, summary: str = "",
         date: str = "Tue, 24 Nov 2026 10:00:00 +0500") -> str:
    content = f"<content:encoded><![CDATA[{''.join(f'<p>{p}</p>' for p in body)}]]></content:encoded>" if body else ""
    return (f"<item><guid>{guid}</guid><title>{escape(title)}</title><link>{link}</link>"
            f"<pubDate>{date}</pubDate><description>{escape(summary)}</description>{content}</item>")


def rss(*items: str, declared: str = "utf-8") -> str:
    return (f'<?xml version="1.0" encoding="{declared}"?>'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>Лента</title>{''.join(items)}</channel></rss>")


def page(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<html><head><title>{title} — Новости</title><meta property="og:title" content="{title}"></head>'
            f'<body><nav><a href="/">Главная</a></nav><article><h1>{title}</h1>{body}</article>'
            "<footer>© 2026</footer></body></html>")


@pytest.fixture(autouse=True)
def allow_loopback(monkeypatch):
    monkeypatch.setenv("NEWSDESK_FETCH_ALLOW_PRIVATE", "1")


@pytest.fixture
def site():
    with Loopback() as server:
        yield server


@pytest.fixture
def archive(tmp_path):
    arch = open_archive(str(tmp_path / "watch.db"))
    yield arch
    arch.dispose()


def add(archive, url: str, **kw) -> Source:
    with archive.engine.begin() as conn:
        return add_source(conn, url, **kw)


def watch(archive, options: WatchOptions = FAST, force: bool = True):
    """One forced pass, store only: the NLP stages have their own tests (bench/watch.py runs them here)."""
    watcher = Watcher(archive, options, Pipeline(stages=[]))
    try:
        return watcher.run_once(force=force)
    finally:
        watcher.close()


def count(archive, sql: str) -> int:
    with archive.engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


def health(archive, source: Source):
    with archive.engine.connect() as conn:
        return source_health(conn, source.id)


def test_feed_with_summary_items_then_304_then_repeats(site, archive):
    feed = rss(item("n1", "Нацбанк сохранил ставку", site.url("/n1"), NEWS),
               item("n2", "Астанада жаңа мектеп ашылды", site.url("/n2"), ASTANA),
               item("n3", "Алматы готовится к зиме", site.url("/a/almaty-zima-2026"), summary="Коротко о главном."))
    etag = {"on": True}

    def serve(h):
        if etag["on"] and h.headers.get("If-None-Match") == '"v1"':
            h.send_response(304)
            h.end_headers()
            return
        reply(h, feed.encode(), "application/rss+xml; charset=utf-8", headers={"ETag": '"v1"'})

    site.route("/feed", serve)
    site.static("/a/almaty-zima-2026", page("Алматы готовится к зиме", ALMATY))
    source = add(archive, site.url("/feed"), name="Пример", lang="ru")
    first = watch(archive)
    assert (first.added, first.pages, first.failed) == (3, 1, 0)
    with archive.engine.connect() as conn:
        row = conn.execute(text("select title, lead, body, source, lang from articles where url like '%almaty%'")).one()
    assert row.title == "Алматы готовится к зиме" and row.body.startswith("Аким Алматы")
    assert row.lead == "Коротко о главном." and row.source == "Пример" and row.lang == "ru"
    assert count(archive, "select count(distinct lang) from articles") == 1  # the source's language

    second = watch(archive)  # the server answers 304 to our ETag
    assert (second.not_modified, second.added, second.unchanged) == (1, 0, 0)
    etag["on"] = False  # now it ignores validators and repeats the same old items
    third = watch(archive)
    assert (third.added, third.updated, third.unchanged, third.pages) == (0, 0, 2, 0)
    assert count(archive, "select count(*) from articles") == 3
    assert count(archive, "select count(*) from article_revisions") == 0
    assert site.hits("/a/almaty-zima-2026") == 1  # the page is not fetched again
    assert health(archive, source).status == "ok" and health(archive, source).fetches == 3


def test_edited_article_becomes_a_new_revision(site, archive):
    state = {"full": NEWS, "summary": "Коротко о главном.", "page": ALMATY}

    def feed(h):
        xml = rss(item("n1", "Нацбанк сохранил ставку", site.url("/n1"), state["full"]),
                  item("n3", "Алматы готовится к зиме", site.url("/almaty-zima"), summary=state["summary"]))
        reply(h, xml.encode(), "application/rss+xml")

    site.route("/feed", feed)
    site.route("/almaty-zima", lambda h: reply(h, page("Алматы готовится к зиме", state["page"]).encode()))
    add(archive, site.url("/feed"))
    assert watch(archive).added == 2
    state["full"] = [NEWS[0], NEWS[1] + " Обновлено: добавлен комментарий экономиста."]
    state["summary"] = "Коротко о главном (обновлено)."
    state["page"] = [*ALMATY, "Дополнительно закуплены 40 снегоочистителей, сообщили в акимате."]
    again = watch(archive)
    assert (again.added, again.updated, again.pages) == (0, 2, 1)
    assert count(archive, "select count(*) from articles") == 2
    assert count(archive, "select count(*) from article_revisions") == 2
    assert count(archive, "select max(revision) from articles") == 2
    assert count(archive, "select count(*) from articles where body like '%снегоочистителей%'") == 1


def test_a_page_failing_again_never_cuts_stored_full_text_to_the_summary(site, archive):
    state = {"title": "Алматы готовится к зиме", "page": ALMATY, "up": True}

    def feed(h):
        xml = rss(item("n3", state["title"], site.url("/almaty-zima"), summary="Коротко о главном."))
        tag = f'"{hash(xml)}"'
        if h.headers.get("If-None-Match") == tag:
            h.send_response(304)
            h.end_headers()
            return
        reply(h, xml.encode(), "application/rss+xml", headers={"ETag": tag})

    def article(h):
        if not state["up"]:
            reply(h, b"gone for now", "text/plain", status=404)
        else:
            reply(h, page("Алматы готовится к зиме", state["page"]).encode())

    def stored():
        with archive.engine.connect() as conn:
            return conn.execute(text("select title, body, revision from articles")).one()

    site.route("/feed", feed)
    site.route("/almaty-zima", article)
    add(archive, site.url("/feed"))
    assert watch(archive).added == 1 and stored().body.startswith("Аким Алматы")
    state.update(title="Алматы готовится к зиме: отремонтировано 120 км сетей", up=False)
    failed = watch(archive)
    assert (failed.updated, failed.pages) == (1, 1)
    row = stored()  # the feed's change is taken, the page's text kept
    assert row.title == state["title"] and row.body.startswith("Аким Алматы") and len(row.body) > 300
    again = watch(archive)  # not a 304: the page is tried again, and the text still kept
    assert (again.not_modified, again.pages, again.unchanged) == (0, 1, 1) and stored().body == row.body
    state.update(up=True, page=[*ALMATY, "Дополнительно закуплены 40 снегоочистителей, сообщили в акимате."])
    back = watch(archive)
    assert (back.updated, back.pages) == (1, 1) and "снегоочистителей" in stored().body
    assert (watch(archive).not_modified, stored().revision) == (1, 3)


def test_failed_poll_names_its_url_once(site, archive, caplog):
    site.route("/feed", lambda h: reply(h, b"Internal Server Error", "text/plain", status=500))
    source = add(archive, site.url("/feed"))
    with caplog.at_level("WARNING", logger="newsdesk.watch"):
        watch(archive)
    error = health(archive, source).last_error
    assert "HTTP 500" in error and site.url("/feed") not in error
    assert [r.getMessage().count(site.url("/feed")) for r in caplog.records] == [1]


def test_server_errors_then_recovery_with_backoff(site, archive):
    broken = {"left": 2}

    def feed(h):
        if broken["left"]:
            broken["left"] -= 1
            reply(h, b"Internal Server Error", "text/plain", status=500)
        else:
            reply(h, rss(item("n1", "Нацбанк сохранил ставку", site.url("/n1"), NEWS)).encode(), "application/rss+xml")

    site.route("/feed", feed)
    source = add(archive, site.url("/feed"), interval_s=600)
    watch(archive)
    down = health(archive, source)
    assert (down.status, down.consecutive_failures, down.last_success) == ("failing", 1, None)
    assert "HTTP 500" in down.last_error
    watch(archive)
    twice = health(archive, source)
    assert twice.consecutive_failures == 2
    assert twice.next_poll - twice.last_polled > timedelta(seconds=600 * 4 * 0.85)  # backing off
    report = watch(archive)
    up = health(archive, source)
    assert (report.added, up.status, up.consecutive_failures) == (1, "ok", 0)
    assert "HTTP 500" in up.last_error and up.last_success > up.last_error_at
    assert timedelta(seconds=500) < up.next_poll - up.last_polled < timedelta(seconds=700)  # back to normal


def test_next_poll_backs_off_exponentially_and_is_capped():
    source = Source(1, "https://x.kz/feed", "x", interval_s=900)
    now = datetime(2026, 11, 24, tzinfo=UTC)
    options = replace(FAST, jitter=0.0, backoff_cap=3 * 3600)
    assert next_poll(source, True, now, options) == now + timedelta(seconds=900)
    delays = [(next_poll(replace(source, consecutive_failures=n), False, now, options) - now).total_seconds()
              for n in range(5)]
    assert delays == [1800, 3600, 7200, 10800, 10800]


def test_lying_charsets(site, archive):
    feed = rss(item("n1", "Нацбанк сохранил ставку", site.url("/n1"), NEWS),
               item("n3", "Алматы готовится к зиме", site.url("/almaty-zima"), summary="Коротко."))
    site.static("/feed", feed.encode("cp1251"), "application/rss+xml; charset=utf-8")  # declared utf-8: a lie
    koi8 = page("Алматы готовится к зиме", ALMATY).encode("koi8_r", "xmlcharrefreplace")
    site.static("/almaty-zima", koi8, "text/html; charset=utf-8")  # KOI8-R, also declared utf-8
    add(archive, site.url("/feed"))
    assert watch(archive).added == 2
    with archive.engine.connect() as conn:
        titles = set(conn.execute(text("select title from articles")).scalars())
        body = conn.execute(text("select body from articles where url like '%almaty%'")).scalar_one()
    assert titles == {"Нацбанк сохранил ставку", "Алматы готовится к зиме"}
    assert body.startswith("Аким Алматы Ерболат Досаев")


def test_malformed_xml_survived_then_fixed(site, archive):
    state = {"xml": '<?xml version="1.0"?><rss><channel><title>Лента</channel><<<item>&bogus;'}
    site.route("/feed", lambda h: reply(h, state["xml"].encode(), "application/rss+xml"))
    source = add(archive, site.url("/feed"))
    report = watch(archive)
    broken = health(archive, source)
    assert report.failed == 1 and "not a readable RSS/Atom feed" in broken.last_error
    state["xml"] = rss(item("n1", "Нацбанк сохранил ставку", site.url("/n1"), NEWS))
    assert watch(archive).added == 1 and health(archive, source).status == "ok"


def test_bad_sources_fail_alone_and_quickly(site, archive):
    site.route("/drip", lambda h: drip(h, total=100_000, chunk=10, pause=0.05))
    site.route("/huge", lambda h: drip(h, total=50 * 1024 * 1024, chunk=64 * 1024, pause=0.0))
    site.route("/loop", lambda h: redirect(h, "/loop2"))
    site.route("/loop2", lambda h: redirect(h, "/loop"))
    site.static("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    site.static("/private/feed", rss(item("p1", "Закрыто", site.url("/p1"), NEWS)), "application/rss+xml")
    site.static("/feed", rss(item("n1", "Нацбанк сохранил ставку", site.url("/n1"), NEWS)), "application/rss+xml")
    sources = {path: add(archive, site.url(path)) for path in ("/drip", "/huge", "/loop", "/private/feed", "/feed")}
    started = time.monotonic()
    report = watch(archive)
    assert time.monotonic() - started < 6
    assert (report.ok, report.failed, report.added) == (1, 4, 1)
    errors = {path: health(archive, s).last_error for path, s in sources.items()}
    assert "too slow" in errors["/drip"]
    assert "over the 1,048,576-byte limit" in errors["/huge"]
    assert "redirect loop" in errors["/loop"]
    assert "disallowed by robots.txt" in errors["/private/feed"]
    assert errors["/feed"] is None
    assert site.hits("/private/feed") == 0


def test_pages_disallowed_by_robots_keep_the_feed_version(site, archive):
    site.static("/robots.txt", "User-agent: newsdesk\nDisallow: /paywall/\n", "text/plain")
    site.static("/feed", rss(item("n3", "Алматы готовится к зиме", site.url("/paywall/almaty"),
                                  summary="Коротко о главном.")), "application/rss+xml")
    add(archive, site.url("/feed"))
    first = watch(archive)
    assert (first.added, first.pages) == (1, 1)
    assert count(archive, "select body from articles") == "Коротко о главном."
    assert watch(archive).pages == 0  # a refusal is remembered: not asked again
    assert site.hits("/paywall/almaty") == 0


def test_news_sitemap_and_listing_page(site, archive):
    sitemap = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
               'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
               f'<url><loc>{site.url("/ru/news/2026/11/24/almaty-zima")}</loc><news:news>'
               "<news:publication_date>2026-11-24T10:00:00+05:00</news:publication_date>"
               "<news:title>Алматы готовится к зиме</news:title></news:news></url></urlset>")
    listing = ('<html><body><a href="/">Главная</a><a href="/tag/astana">Астана</a>'
               '<a href="/kz/news/astanada-zhana-mektep-ashyldy-512345">Астанада жаңа мектеп ашылды</a>'
               '<a href="/kz/news/astanada-zhana-mektep-ashyldy-512345#comments">Пікірлер</a>'
               '<a href="https://facebook.com/share">FB</a><a href="/logo.png">logo</a></body></html>')
    site.static("/sitemap-news.xml", sitemap, "application/xml")
    site.static("/kz/news", listing)
    site.static("/ru/news/2026/11/24/almaty-zima", page("Алматы готовится к зиме", ALMATY))
    site.static("/kz/news/astanada-zhana-mektep-ashyldy-512345", page("Астанада жаңа мектеп ашылды", ASTANA))
    add(archive, site.url("/sitemap-news.xml"), name="Sitemap")
    add(archive, site.url("/kz/news"), name="Listing")
    report = watch(archive)
    assert (report.added, report.pages, report.failed) == (2, 2, 0)
    with archive.engine.connect() as conn:
        rows = dict(conn.execute(text("select source, published_at from articles")).all())
    assert set(rows) == {"Sitemap", "Listing"} and rows["Sitemap"] is not None
    again = watch(archive)
    assert (again.added, again.pages) == (0, 0)
    assert site.hits("/kz/news/astanada-zhana-mektep-ashyldy-512345") == 1


def test_stop_abandons_in_flight_fetches_and_stores_nothing_half(site, archive):
    site.route("/drip", lambda h: drip(h, total=100_000, chunk=10, pause=0.05))
    source = add(archive, site.url("/drip"))
    options = replace(FAST, fetch=replace(FAST.fetch, total_timeout=30.0, read_timeout=5.0))
    watcher = Watcher(archive, options)
    runner = threading.Thread(target=watcher.run)
    runner.start()
    _wait_for(lambda: site.hits("/drip") == 1)
    started = time.monotonic()
    watcher.stop()
    runner.join(5)
    assert not runner.is_alive() and time.monotonic() - started < 1.5
    assert health(archive, source).last_polled is None  # abandoned: nothing recorded, polled again next time
    assert count(archive, "select count(*) from source_fetches") == 0
    watcher.close()


def test_sigterm_stops_the_watch_command(site, tmp_path):
    """A real SIGTERM to this process while `newsdesk watch` runs (in-process, its handler installed)."""
    from typer.testing import CliRunner

    from newsdesk.cli import app

    site.route("/drip", lambda h: drip(h, total=100_000, chunk=10, pause=0.05))
    db = str(tmp_path / "cli.db")
    archive = open_archive(db)
    add(archive, site.url("/drip"))

    def terminate() -> None:
        _wait_for(lambda: site.hits("/drip") == 1, 10)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=terminate, daemon=True).start()
    started = time.monotonic()
    result = CliRunner().invoke(app, ["--db", db, "watch", "--host-delay", "0", "--timeout", "5", "--no-nlp"])
    assert result.exit_code == 0, result.output
    assert "SIGTERM: finishing in-flight work" in result.output and "polled 0 sources" in result.output
    assert time.monotonic() - started < 5
    assert signal.getsignal(signal.SIGTERM) is not None  # the previous handler is back
    with archive.engine.connect() as conn:
        assert [s.last_polled for s in list_sources(conn)] == [None]
    archive.dispose()


def _wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def test_an_editors_tags_survive_the_source_and_a_deleted_item_stays_deleted(site, archive):
    from newsdesk.store.editing import delete_article, update_article

    titles = {"n1": "Нацбанк сохранил ставку", "n2": "Алматы готовится к зиме"}
    site.route("/feed", lambda h: reply(h, rss(item("n1", titles["n1"], site.url("/n1"), NEWS),
                                               item("n2", titles["n2"], site.url("/n2"), ALMATY)).encode(),
                                        "application/rss+xml; charset=utf-8"))
    add(archive, site.url("/feed"), name="Пример", lang="ru")
    assert watch(archive).added == 2
    with archive.engine.connect() as conn:
        ids = dict(conn.execute(text("select url, id from articles")).all())
    first, second = ids[site.url("/n1")], ids[site.url("/n2")]
    update_article(archive, first, {"tags": ["Базовая ставка"], "rubric": "economy"}, Pipeline(stages=[]))
    delete_article(archive, second)
    titles.update(n1="Нацбанк сохранил базовую ставку на уровне 16,5%", n2="Алматы готова к зиме")
    report = watch(archive)
    assert (report.added, report.updated, report.deleted) == (0, 1, 1)
    assert report.line().endswith("rejected 0, skipped 1 deleted")
    with archive.engine.connect() as conn:
        row = conn.execute(text("select title, rubric from articles where id = :id"), {"id": first}).one()
        tags = conn.execute(text("select t.name from article_tags a join tags t on t.id = a.tag_id "
                                 "where a.article_id = :id and a.origin = 'editor'"), {"id": first}).scalars().all()
    assert row.title == titles["n1"] and row.rubric == "economy" and tags == ["Базовая ставка"]
    assert count(archive, "select count(*) from articles") == 1
