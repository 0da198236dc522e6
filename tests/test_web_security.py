"""Safety: security headers everywhere, hostile strings rendered as text, no inline code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient

from test_web_support import client_fixture, fill, learned, make_client  # noqa: F401 - fixtures

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
RTL = "\u202eтекст справа налево\u202c и \u200fметка"
CONTROL = "Заголовок\x00с\x07управляющими\x1bсимволами\x0b"
HUGE = "Длинный заголовок " * 60_000  # ~1 MB

HOSTILE = [
    learned(id="xss", title=SCRIPT, lead=SCRIPT, text=f"Абзац {SCRIPT}", source=f"src {SCRIPT}",
            url="javascript:alert(1)", published_at="2026-11-24T12:00:00+05:00", tags=[f"Тег {SCRIPT}"]),
    learned(id="rtl", title=RTL, text=RTL, published_at="2026-11-24T12:01:00+05:00", tags=["Алматы"]),
    learned(id="control", title=CONTROL, text=CONTROL, published_at="2026-11-24T12:02:00+05:00", tags=["Алматы"]),
    learned(id="huge", title=HUGE.strip(), text=HUGE, published_at="2026-11-24T12:03:00+05:00", tags=["Алматы"]),
    learned(id="head-js", kind="headline", title="Заголовок со ссылкой javascript", url="javascript:alert(1)",
            tags=["Алматы"]),
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with make_client(str(tmp_path_factory.mktemp("hostile") / "hostile.db")) as c:
        fill(c.app.state.archive, HOSTILE)  # type: ignore[attr-defined]
        yield c


@pytest.mark.parametrize("path", ["/", "/article/quake-tengri", "/api/v1/articles", "/static/site.css",
                                  "/feed.xml", "/nope", "/api/v1/nope", "/api/docs"])
def test_security_headers_everywhere(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "script-src" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/article/xss", "/tag/almaty", "/tags", "/api/docs", "/nope"])
def test_no_inline_scripts_or_styles(client: TestClient, path: str) -> None:
    html = client.get(path).text
    assert "<script" not in html and "<style" not in html and not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


@pytest.mark.parametrize("path", ["/", "/article/xss", "/tag/teg-script-alert-x-script-img-src-x-onerror-alert-1",
                                  "/source/src <script>alert(\"x\")<%2Fscript><img src=x onerror=alert(1)>"])
def test_script_tags_render_as_text(hostile: TestClient, path: str) -> None:
    response = hostile.get(path)
    assert response.status_code == 200, path
    assert "<script>" not in response.text and "<img src=x" not in response.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in response.text


def test_javascript_urls_are_never_links(hostile: TestClient) -> None:
    for path in ("/", "/article/xss", "/tag/almaty"):
        assert 'href="javascript:' not in hostile.get(path).text


def test_rtl_marks_stay_text(hostile: TestClient) -> None:
    html = hostile.get("/article/rtl").text
    assert f"<h1>{RTL}</h1>" in html
    assert "unicode-bidi: plaintext" in hostile.get("/static/site.css").text


def test_control_characters_are_dropped(hostile: TestClient) -> None:
    for path in ("/", "/article/control"):
        html = hostile.get(path).text
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", html)
    assert hostile.get("/api/v1/articles/control").status_code == 200


def test_a_one_megabyte_title(hostile: TestClient) -> None:
    response = hostile.get("/article/huge")
    assert response.status_code == 200 and response.text.count("Длинный заголовок") >= 60_000
    assert hostile.get("/").status_code == 200


@pytest.mark.parametrize("path", ["/feed.xml", "/atom.xml", "/tag/almaty/feed.xml"])
def test_hostile_feeds_stay_valid(hostile: TestClient, path: str) -> None:
    feed = feedparser.parse(hostile.get(path).content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert all("javascript:" not in e.link for e in feed.entries)


def test_request_size_limit_by_content_length(tmp_path: Path) -> None:
    with make_client(str(tmp_path / "s.db"), max_write_bytes=1000) as small:
        response = small.post("/api/v1/articles", content=b"{" + b" " * 2000 + b"}",
                              headers={"Content-Type": "application/json", "Authorization": "Bearer x"})
        assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


def test_request_size_limit_when_streamed(tmp_path: Path) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"title": "'
        for _ in range(20):
            yield b"a" * 100
        yield b'"}'

    with make_client(str(tmp_path / "s.db"), max_write_bytes=1000) as small:
        response = small.post("/api/v1/articles", content=chunks(), headers={"Content-Type": "application/json"})
        assert response.status_code == 413
