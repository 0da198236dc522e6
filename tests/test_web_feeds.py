"""RSS 2.0 and Atom feeds out: feedparser reads them back without a bozo flag."""

from __future__ import annotations

import feedparser
import pytest
from fastapi.testclient import TestClient

from test_web_support import client_fixture, fill, learned, make_client  # noqa: F401 - fixture


@pytest.mark.parametrize("path, version, count", [
    ("/feed.xml", "rss20", 8), ("/atom.xml", "atom10", 8),  # 9 records, one of them a copy: a story shows once
    ("/tag/almaty/feed.xml", "rss20", 4), ("/tag/almaty/atom.xml", "atom10", 4),
])
def test_feeds_parse_cleanly(client: TestClient, path: str, version: str, count: int) -> None:
    response = client.get(path)
    assert response.status_code == 200 and "xml" in response.headers["content-type"]
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == version and len(feed.entries) == count


def test_feed_entries(client: TestClient) -> None:
    feed = feedparser.parse(client.get("/tag/zemletryasenie/feed.xml").content)
    first = feed.entries[0]
    assert first.title == "Землетрясение в Алматы: что известно"  # the copy (newer) is left out
    assert first.link == "http://testserver/article/quake-kazinform"
    assert [t.term for t in first.tags] == ["Землетрясение", "Алматы"]
    assert feed.feed.title.startswith("Землетрясение")
    headlines = feedparser.parse(client.get("/tag/almaty/atom.xml").content).entries
    assert any(e.link == "https://orda.kz/fire-sto" for e in headlines)


def test_unknown_tag_feed_is_404(client: TestClient) -> None:
    assert client.get("/tag/net-takoy/feed.xml").status_code == 404


def test_feeds_use_the_host_they_are_served_on(client: TestClient) -> None:
    one = feedparser.parse(client.get("/feed.xml", headers={"Host": "news.example.kz"}).content)
    two = feedparser.parse(client.get("/feed.xml", headers={"Host": "intranet.local"}).content)
    assert one.entries[0].link.startswith("http://news.example.kz/article/")
    assert two.entries[0].link.startswith("http://intranet.local/article/")


def test_a_site_address_names_the_feeds_whatever_the_host(tmp_path) -> None:
    with make_client(str(tmp_path / "a.db"), site_url="https://news.example.kz/") as client:
        for host in ("evil.example", "intranet.local"):
            feed = feedparser.parse(client.get("/atom.xml", headers={"Host": host}).content)
            assert feed.entries[0].link.startswith("https://news.example.kz/article/")
            assert feed.entries[0].id.startswith("https://news.example.kz/") and host not in str(feed)


@pytest.mark.parametrize("bad", ["news.example.kz", "ftp://news.example.kz", "https://", "https://a b.kz"])
def test_a_site_address_must_be_one(tmp_path, bad: str) -> None:
    from newsdesk.config import Settings
    from newsdesk.errors import ConfigError

    with pytest.raises(ConfigError, match="NEWSDESK_SITE_URL"):
        Settings(database_url=str(tmp_path / "a.db"), site_url=bad).check()


def test_a_feed_speaks_the_language_of_most_of_its_items(client: TestClient) -> None:
    fill(client.app.state.archive, [  # type: ignore[attr-defined]
        learned(id=f"kk-{i}", title=f"Наурыз мерекесі {i}", text="Мереке.", lang="kk", tags=["Наурыз"],
                published_at=f"2026-11-2{i}T10:00:00+05:00", source="Egemen") for i in (1, 2)])
    rss = feedparser.parse(client.get("/tag/nauryz/feed.xml").content)
    assert rss.feed.language == "kk"
    assert rss.feed.description == "«Наурыз» тақырыбы бойынша жаңалықтар"
    atom = feedparser.parse(client.get("/tag/nauryz/atom.xml").content)
    assert atom.feed.language == "kk" and atom.feed.subtitle == "«Наурыз» тақырыбы бойынша жаңалықтар"
    site = feedparser.parse(client.get("/feed.xml").content).feed
    assert site.language == "ru" and site.description == "Новости Казахстана"
