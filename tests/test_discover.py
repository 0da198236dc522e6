"""Source kinds, lying charsets, sitemaps and article links on listing pages."""

from __future__ import annotations

import pytest

from newsdesk.discover import (
    detect_kind,
    document_text,
    listing_links,
    looks_like_article,
    sitemap_links,
    xml_utf8,
)
from newsdesk.fetch import Document


def doc(body: bytes, ctype: str | None = None, url: str = "https://tengrinews.kz/news/") -> Document:
    return Document(url, 200, ctype, body)


@pytest.mark.parametrize(("body", "ctype", "kind"), [
    (b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "text/html", "feed"),
    (b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- x --><feed xmlns="http://www.w3.org/2005/Atom"/>', None, "feed"),
    (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', None, "feed"),
    (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>', None, "sitemap"),
    (b'<?xml version="1.0"?><sitemapindex/>', "application/xml", "sitemapindex"),
    (b"<!DOCTYPE html><html><body>", "application/octet-stream", "html"),
    (b"   garbage", "text/html; charset=utf-8", "html"),
])
def test_detect_kind(body, ctype, kind):
    assert detect_kind(doc(body, ctype)) == kind


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
def test_lying_charset_is_not_trusted(encoding):
    text = "<html><body><p>Президент Казахстана подписал закон о медиа</p></body></html>"
    assert "Президент Казахстана" in document_text(doc(text.encode(encoding), "text/html; charset=utf-8"))
    xml = '<?xml version="1.0" encoding="utf-8"?><rss><channel><title>Новости Казахстана</title></channel></rss>'
    fixed = xml_utf8(doc(xml.encode(encoding), "application/rss+xml"))
    assert "Новости Казахстана" in fixed.decode("utf-8") and b'encoding="utf-8"' in fixed


def test_news_sitemap_and_index():
    sitemap = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://www.inform.kz/ru/tokaev-podpisal-zakon_a4200001</loc><lastmod>2026-11-24T10:05:00+05:00</lastmod>
<news:news><news:publication_date>2026-11-24T10:00:00+05:00</news:publication_date>
<news:title>Токаев подписал закон</news:title></news:news></url>
<url><loc> https://www.inform.kz/kz/astanada-zhana-mektep_a4200002 </loc></url></urlset>"""
    links = sitemap_links(sitemap.encode())
    assert [link.url for link in links] == ["https://www.inform.kz/ru/tokaev-podpisal-zakon_a4200001",
                                            "https://www.inform.kz/kz/astanada-zhana-mektep_a4200002"]
    assert (links[0].title, links[0].published, links[0].modified) == (
        "Токаев подписал закон", "2026-11-24T10:00:00+05:00", "2026-11-24T10:05:00+05:00")
    index = (b'<sitemapindex><sitemap><loc>https://x.kz/s1.xml</loc><lastmod>2026-11-01</lastmod></sitemap>'
             b'<sitemap><loc>https://x.kz/s2.xml</loc><lastmod>2026-11-24</lastmod></sitemap></sitemapindex>')
    assert [link.url for link in sitemap_links(index)] == ["https://x.kz/s2.xml", "https://x.kz/s1.xml"]
    broken = b"<urlset><url><loc>https://x.kz/news/2026/11/24/one</loc></url><url><loc>https://x.kz/2"
    assert [link.url for link in sitemap_links(broken)] == ["https://x.kz/news/2026/11/24/one"]


BASE = "https://tengrinews.kz/kazakhstan_news/"


@pytest.mark.parametrize(("url", "article"), [
    ("https://tengrinews.kz/kazakhstan_news/tokaev-podpisal-zakon-o-media-512345/", True),
    ("https://www.tengrinews.kz/kazakhstan_news/tokaev-podpisal-zakon-o-media-512345/", True),
    ("https://tengrinews.kz/news/2026/11/24/almaty/", True),
    ("https://tengrinews.kz/kz/news/zhana-mektep-ashyldy/", True),
    ("https://tengrinews.kz/news.php?id=48213", True),
    ("https://tengrinews.kz/", False),
    ("https://tengrinews.kz/kazakhstan_news/", False),
    ("https://tengrinews.kz/tag/tokaev-kasym-zhomart/", False),
    ("https://tengrinews.kz/kazakhstan_news/page/2/", False),
    ("https://tengrinews.kz/author/ivan-petrov-ivanovich/", False),
    ("https://tengrinews.kz/static/logo-2026-main.png", False),
    ("https://facebook.com/tengrinews/posts/1234567-abc-def", False),
])
def test_looks_like_article(url, article):
    assert looks_like_article(url, BASE) is article


def test_listing_links_in_page_order_once_each():
    page = """<html><body><nav><a href="/">Главная</a><a href="/tag/astana/">Астана</a></nav>
    <a href="/kazakhstan_news/v-almaty-vypal-pervyiy-sneg-512346/">В Алматы выпал <b>первый</b> снег</a>
    <a href="/kazakhstan_news/tokaev-podpisal-zakon-o-media-512345/">Токаев подписал закон</a>
    <a href="/kazakhstan_news/v-almaty-vypal-pervyiy-sneg-512346/#comments">12 комментариев</a>
    <a href="javascript:void(0)">ещё</a><a href="mailto:info@tengrinews.kz">почта</a></body></html>"""
    links = listing_links(page, BASE)
    assert [(link.url.rsplit("/", 2)[-2], link.title) for link in links] == [
        ("v-almaty-vypal-pervyiy-sneg-512346", "В Алматы выпал первый снег"),
        ("tokaev-podpisal-zakon-o-media-512345", "Токаев подписал закон"),
    ]
