"""The fetcher against a real HTTP server on loopback that misbehaves on purpose."""

from __future__ import annotations

import time

import httpx
import pytest

from loopback import Loopback, drip, redirect, reply
from newsdesk import netguard
from newsdesk.errors import BlockedURL, FetchError
from newsdesk.fetch import BadStatus, Fetcher, FetchOptions, Unreachable, fetch_document, is_transient

FAST = FetchOptions(allow_private=True, connect_timeout=1.0, read_timeout=0.5, total_timeout=1.0, retries=0,
                    backoff=0.01, host_delay=0.0, max_body=1024 * 1024)


@pytest.fixture
def site():
    with Loopback() as server:
        yield server


def fetcher(**changes) -> Fetcher:
    from dataclasses import replace

    return Fetcher(replace(FAST, **changes))


# --- the SSRF guard -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/feed", "http://localhost:8080/", "http://[::1]/", "http://10.1.2.3/", "http://192.168.0.1/",
    "http://169.254.169.254/latest/meta-data/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/",
    "http://100.100.100.200/", "http://[fd00:ec2::254]/",
])
def test_guard_refuses_non_public_addresses(url):
    with pytest.raises(BlockedURL, match="non-public address"):
        netguard.check_url(url, private_ok=False)


@pytest.mark.parametrize("url", ["ftp://example.kz/x", "file:///etc/passwd", "http:///nohost", "javascript:alert(1)"])
def test_guard_refuses_other_schemes(url):
    with pytest.raises(BlockedURL, match="only http and https"):
        netguard.check_url(url, private_ok=False)


def test_loopback_refused_unless_allowed(site, monkeypatch):
    site.static("/feed", "<rss/>", "application/rss+xml")
    monkeypatch.delenv("NEWSDESK_FETCH_ALLOW_PRIVATE", raising=False)
    with pytest.raises(BlockedURL, match="127.0.0.1"):
        fetch_document(site.url("/feed"))
    with pytest.raises(BlockedURL):
        fetcher(allow_private=False).get(site.url("/feed"))
    assert site.requests == []  # refused before connecting
    monkeypatch.setenv("NEWSDESK_FETCH_ALLOW_PRIVATE", "1")
    assert fetch_document(site.url("/feed")).body == b"<rss/>"


def test_connect_time_guard_catches_what_the_url_check_missed(site):
    """DNS rebinding: the connection itself is checked on the address it really goes to."""
    site.static("/feed", "<rss/>")
    guarded = fetcher(allow_private=False)
    with pytest.raises(BlockedURL, match="connection to 127.0.0.1"):
        guarded.client.get(site.url("/feed"))  # bypasses check_url
    assert site.requests == []


def test_redirect_into_private_network_refused(site, monkeypatch):
    real = netguard.resolve
    # pretend 127.0.0.1 is public so the first hop passes; "localhost" resolves for real
    monkeypatch.setattr(netguard, "resolve", lambda h, p: [netguard.ipaddress.ip_address("8.8.8.8")]
                        if h == "127.0.0.1" else real(h, p))
    port = site.server.server_address[1]
    site.route("/go", lambda h: redirect(h, f"http://localhost:{port}/secret"))
    site.static("/secret", "metadata")
    with pytest.raises(BlockedURL, match="localhost resolves to non-public"):
        Fetcher(FetchOptions(robots=False, host_delay=0), client=httpx.Client()).get(site.url("/go"))
    assert site.hits("/secret") == 0


# --- timeouts, retries, sizes ------------------------------------------------------------------------------


def test_slow_drip_is_cut_by_the_total_deadline(site):
    site.route("/drip", lambda h: drip(h, total=100_000, chunk=10, pause=0.05))
    started = time.monotonic()
    with pytest.raises(Unreachable, match="too slow"):
        fetcher(total_timeout=0.6).get(site.url("/drip"))
    assert time.monotonic() - started < 2.5


def test_silent_server_hits_the_read_timeout(site):
    def silent(h):
        h.send_response(200)
        h.send_header("Content-Length", "100")
        h.end_headers()
        time.sleep(2)

    site.route("/silent", silent)
    with pytest.raises(Unreachable, match="read timeout"):
        fetcher(read_timeout=0.3).get(site.url("/silent"))


def test_server_errors_are_retried_with_backoff_then_succeed(site):
    calls = []

    def flaky(h):
        calls.append(time.monotonic())
        reply(h, b"<rss/>", "application/rss+xml", status=503 if len(calls) < 3 else 200)

    site.route("/flaky", flaky)
    doc = fetcher(retries=2, backoff=0.05).get(site.url("/flaky"))
    assert doc.status == 200 and len(calls) == 3
    assert calls[1] - calls[0] >= 0.025 and calls[2] - calls[1] >= 0.05  # 0.05 s, doubled, +-50 % jitter


def test_retry_after_longer_than_we_wait_gives_up_at_once(site):
    site.static("/busy", "busy", status=429, headers={"Retry-After": "3600"})
    with pytest.raises(BadStatus) as info:
        fetcher(retries=3).get(site.url("/busy"))
    assert info.value.status == 429 and is_transient(info.value)
    assert site.hits("/busy") == 1


def test_client_errors_are_not_retried(site):
    with pytest.raises(BadStatus, match="HTTP 404") as info:
        fetcher(retries=3).get(site.url("/missing"))
    assert site.hits("/missing") == 1 and not is_transient(info.value)


def test_50_mb_body_refused_by_its_declared_length_without_reading_it(site):
    site.route("/huge", lambda h: drip(h, total=50 * 1024 * 1024, chunk=64 * 1024, pause=0.0))
    started = time.monotonic()
    with pytest.raises(FetchError, match="52,428,800 bytes is over the 1,048,576-byte limit"):
        fetcher().get(site.url("/huge"))
    assert time.monotonic() - started < 1.5


def test_50_mb_body_without_length_cut_at_the_cap(site):
    site.route("/stream", lambda h: drip(h, total=50 * 1024 * 1024, chunk=64 * 1024, pause=0.0, length=False))
    with pytest.raises(FetchError, match="over the 1,048,576-byte limit"):
        fetcher().get(site.url("/stream"))
    time.sleep(0.2)
    assert site.sent["/stream"] < 12 * 1024 * 1024  # the cap plus what socket buffers held


def test_content_type_checked(site):
    site.static("/logo", b"\x89PNG....", "image/png")
    with pytest.raises(FetchError, match="unexpected content type 'image/png'"):
        fetcher().get(site.url("/logo"))


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_compressed_bodies_decoded(site, encoding):
    text = "<rss><channel><title>Қазақстан жаңалықтары</title></channel></rss>".encode()
    site.static("/feed", text, "application/rss+xml", encoding=encoding)
    doc = fetcher().get(site.url("/feed"))
    assert doc.body == text
    assert encoding in site.requests[-1][1]["Accept-Encoding"]


# --- redirects, conditional GET, robots, user agent -------------------------------------------------------


def test_redirect_loop_detected(site):
    site.route("/a", lambda h: redirect(h, "/b"))
    site.route("/b", lambda h: redirect(h, "/a"))
    with pytest.raises(FetchError, match="redirect loop"):
        fetcher().get(site.url("/a"))


def test_redirect_limit(site):
    for n in range(10):
        site.route(f"/r{n}", lambda h, n=n: redirect(h, f"/r{n + 1}", 301))
    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetcher(max_redirects=3).get(site.url("/r0"))
    site.static("/r10", "<rss/>", "application/rss+xml")
    assert fetcher(max_redirects=10).get(site.url("/r0")).url == site.url("/r10")


def test_conditional_get(site):
    def feed(h):
        if h.headers.get("If-None-Match") == '"v1"':
            h.send_response(304)
            h.end_headers()
            return
        reply(h, b"<rss/>", "application/rss+xml", headers={"ETag": '"v1"', "Last-Modified": "Tue, 24 Nov 2026"})

    site.route("/feed", feed)
    first = fetcher().get(site.url("/feed"))
    assert (first.status, first.etag, first.last_modified) == (200, '"v1"', "Tue, 24 Nov 2026")
    again = fetcher().get(site.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.body == b""
    assert site.requests[-1][1]["If-Modified-Since"] == "Tue, 24 Nov 2026"


def test_robots_disallow_and_crawl_delay(site):
    site.static("/robots.txt", "User-agent: *\nDisallow: /private/\nCrawl-delay: 1\n", "text/plain")
    site.static("/news/1", "<html>one</html>")
    site.static("/private/2", "<html>two</html>")
    f = fetcher(robots_ttl=60)
    with pytest.raises(BlockedURL, match="disallowed by robots.txt"):
        f.get(site.url("/private/2"))
    started = time.monotonic()
    f.get(site.url("/news/1"))
    f.get(site.url("/news/1"))
    assert time.monotonic() - started >= 0.9  # Crawl-delay: 1 honoured between the two
    assert site.hits("/robots.txt") == 1 and site.hits("/private/2") == 0


def test_unreachable_robots_means_no_fetching_for_now(site):
    site.static("/robots.txt", "oops", status=500)
    site.static("/news/1", "<html>one</html>")
    with pytest.raises(Unreachable, match="robots.txt unreachable"):
        fetcher().get(site.url("/news/1"))
    assert site.hits("/news/1") == 0


def test_user_agent_names_newsdesk_and_the_contact(site):
    site.static("/x", "ok", "text/plain")
    fetcher(contact="desk@example.kz").get(site.url("/x"))
    agent = site.requests[-1][1]["User-Agent"]
    assert agent.startswith("newsdesk/") and "desk@example.kz" in agent


def test_one_request_at_a_time_per_host(site):
    import threading

    active, peak = [0], [0]
    lock = threading.Lock()

    def slow(h):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1
        reply(h, b"ok", "text/plain")

    site.route("/s", slow)
    f = fetcher(robots=False)
    threads = [threading.Thread(target=f.get, args=(site.url("/s"),)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert site.hits("/s") == 6 and peak[0] == 1


def test_read_url_goes_through_fetch_document(site, monkeypatch):
    from newsdesk.sources import read

    feed = ('<?xml version="1.0" encoding="windows-1251"?><rss><channel><title>Лента</title><item><guid>1</guid>'
            "<title>Токаев подписал закон о медиа</title><description>Закон вступит в силу через десять дней."
            "</description></item></channel></rss>")
    site.static("/feed.xml", feed.encode("cp1251"), "application/rss+xml")
    monkeypatch.setenv("NEWSDESK_FETCH_ALLOW_PRIVATE", "1")
    [article] = list(read(site.url("/feed.xml")))
    assert article.title == "Токаев подписал закон о медиа"
    monkeypatch.delenv("NEWSDESK_FETCH_ALLOW_PRIVATE")
    [refused] = list(read(site.url("/feed.xml")))
    assert "non-public address" in str(refused)
