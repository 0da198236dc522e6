"""The search page and ``/api/v1/search`` through the real app (SQLite file)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.ingest import ingest
from newsdesk.pipeline import Pipeline
from newsdesk.search import SearchStage
from newsdesk.web.app import create_app
from test_search import ARTICLES, _fresh


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("web-search") / "web.db"
    app = create_app(Settings(database_url=str(path), load_sample=False))
    ingest(app.state.archive, [_fresh(a) for a in ARTICLES], Pipeline([SearchStage()]))
    with TestClient(app) as c:
        yield c


def test_api_search(client: TestClient) -> None:
    body = client.get("/api/v1/search", params={"q": "пенсия"}).json()
    assert body["total"] == 1 and body["query"] == "пенсия"
    assert body["matches"] == 1 and body["total_exact"] is True and body["folded"] == 0
    hit = body["items"][0]
    assert hit["id"] == "ru-pension" and hit["page_url"] == "/article/ru-pension"
    assert "<mark>пенсии</mark>" in hit["snippet"]
    assert hit["published_at"].startswith("2024-04-12T09:00:00")


def test_api_filters_and_paging(client: TestClient) -> None:
    got = client.get("/api/v1/search", params={"q": "взносы", "source": "tengrinews", "limit": 1}).json()
    assert got["total"] == 2 and len(got["items"]) == 1
    got = client.get("/api/v1/search", params={"q": "взносы", "since": "2024-04-11T00:00:00+00:00"}).json()
    assert {h["id"] for h in got["items"]} == {"ru-pension", "ru-scattered"}
    got = client.get("/api/v1/search", params={"q": "Алматы", "lang": "kk", "tag": "almaty"}).json()
    assert [h["id"] for h in got["items"]] == ["kk-almaty"]


@pytest.mark.parametrize("q", ["", "***", '"', "NEAR(", "😀", "x" * 5000])
def test_api_malformed_queries(client: TestClient, q: str) -> None:
    response = client.get("/api/v1/search", params={"q": q})
    assert response.status_code == 200 and response.json()["items"] == []


def test_api_bad_parameters_are_422(client: TestClient) -> None:
    assert client.get("/api/v1/search", params={"q": "x", "limit": 0}).status_code == 422
    assert client.get("/api/v1/search", params={"q": "x", "since": "вчера"}).status_code == 422


def test_search_page(client: TestClient) -> None:
    html = client.get("/search", params={"q": "налоги"}).text
    assert 'value="налоги"' in html
    assert "<mark>Налоги</mark> &amp; &lt;b&gt;сборы&lt;/b&gt;" in html
    assert "&lt;b&gt;«Рога &amp; копыта»&lt;/b&gt;" in html and "<b>" not in html
    assert 'href="/article/ru-html"' in html and "<span>1 материал</span>" in html


def test_search_page_escapes_the_query(client: TestClient) -> None:
    html = client.get("/search", params={"q": '"><script>alert(1)</script>'}).text
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_search_page_json_twin(client: TestClient) -> None:
    twin = client.get("/search", params={"q": "взносы", "format": "json"}).json()
    assert twin["total"] == 3 and twin["next_page"] is None
    assert {h["id"] for h in twin["items"]} == {"ru-pension", "ru-employers", "ru-scattered"}
    assert client.get("/search").status_code == 200


def test_a_page_past_the_end_says_so_and_links_the_first(client: TestClient) -> None:
    for ui, past, first in (("ru", "Эта страница дальше последней", "К первой странице"),
                            ("kk", "Бұл бет соңғы беттен әрі", "Бірінші бетке")):
        client.cookies.set("ui_lang", ui)
        html = client.get("/search", params={"q": "налоги", "page": 40}).text
        assert past in html and f'<a href="/search?q=%D0%BD%D0%B0%D0%BB%D0%BE%D0%B3%D0%B8">{first}</a>' in html
        assert "Ничего не найдено" not in html and "Ештеңе табылмады" not in html and 'rel="prev"' not in html
    client.cookies.delete("ui_lang")
    assert "Ничего не найдено" in client.get("/search", params={"q": "несуществующееслово"}).text


@pytest.mark.parametrize(("q", "expected"), [
    ("пенсия OR налог", {"ru-pension", "ru-html"}),
    ("взносы -фонд", {"ru-pension", "ru-employers"}),
    ('взносы NOT "пенсионные взносы"', {"ru-scattered"}),
])
def test_api_operators(client: TestClient, q: str, expected: set[str]) -> None:
    assert {h["id"] for h in client.get("/api/v1/search", params={"q": q}).json()["items"]} == expected


@pytest.mark.parametrize(("q", "says"), [
    ("-фонд", "only excludes"),
    ("NOT Алматы", "only excludes"),
    (" ".join(f"слово{i}" for i in range(13)), "13 words and phrases"),
    ('"' + " ".join(f"слово{i}" for i in range(20)) + '"', "20 words; at most 16"),
])
def test_a_refused_query_is_the_one_error_shape(client: TestClient, q: str, says: str) -> None:
    for response in (client.get("/api/v1/search", params={"q": q}),
                     client.get("/search", params={"q": q, "format": "json"})):
        assert response.status_code == 422
        error = response.json()["error"]
        assert error["code"] == "invalid" and error["field"] == "q" and says in error["message"]


@pytest.mark.parametrize(("ui", "says"), [
    ("ru", "Запрос только исключает слова (-слово, NOT слово)"),
    ("kk", "Сұрау тек сөздерді шығарып тастайды (-сөз, NOT сөз)"),
])
def test_the_search_page_says_why_it_refuses(client: TestClient, ui: str, says: str) -> None:
    cookie = {"Cookie": f"ui_lang={ui}"}
    response = client.get("/search", params={"q": "-фонд"}, headers=cookie)
    assert response.status_code == 422 and says in response.text and 'value="-фонд"' in response.text
    many = client.get("/search", params={"q": " ".join(f"слово{i}" for i in range(14))}, headers=cookie)
    assert many.status_code == 422 and "14" in many.text and "12" in many.text
    long = client.get("/search", params={"q": '"' + " ".join(f"слово{i}" for i in range(20)) + '"'}, headers=cookie)
    assert long.status_code == 422 and "20" in long.text and "16" in long.text


def test_the_search_page_explains_the_syntax(client: TestClient) -> None:
    assert "-слово исключает" in client.get("/search").text
    assert "-сөз сол сөзі бар" in client.get("/search", headers={"Cookie": "ui_lang=kk"}).text


def test_the_search_page_filters_by_language_rubric_and_days(client: TestClient) -> None:
    def hits(**params: str) -> set[str]:
        found = client.get("/search", params={"q": "пенсия OR взносы OR Алматы", "format": "json", **params})
        assert found.status_code == 200, found.text
        return {h["id"] for h in found.json()["items"]}

    everything = hits()  # published on 10, 11, 12 and 14 April 2024
    assert everything == {"ru-pension", "ru-employers", "ru-scattered", "kk-almaty"}
    assert hits(lang="") == hits(rubric="") == everything  # «все» in a select sends an empty value
    assert hits(lang="kk") == hits(rubric="society") == {"kk-almaty"}
    assert hits(since="2024-04-11", until="2024-04-12") == {"ru-scattered", "ru-pension"}  # whole days, Almaty
    assert hits(until="2024-04-10") == {"ru-employers"} and hits(since="2024-04-13") == {"kk-almaty"}
    page = client.get("/search", params={"q": "Алматы", "lang": "kk", "since": "2024-04-01", "recency": "true"}).text
    assert '<option value="kk" selected>' in page and 'name="since" value="2024-04-01"' in page
    assert '<option value="recency" selected>' in page and 'name="q" value="Алматы"' in page


def test_search_sorts_by_date_on_the_page_and_in_the_api(client: TestClient) -> None:
    def order(path: str, **params: str) -> list[str]:
        found = client.get(path, params={"q": "пенсия OR взносы OR Алматы", **params})
        assert found.status_code == 200, found.text
        return [h["id"] for h in found.json()["items"]]

    newest = ["kk-almaty", "ru-pension", "ru-scattered", "ru-employers"]  # 14, 12, 11, 10 April
    assert order("/api/v1/search", sort="date") == order("/search", sort="date", format="json") == newest
    assert sorted(order("/api/v1/search")) == sorted(newest)
    assert order("/api/v1/search", recency="true") == order("/api/v1/search", sort="recency")
    assert client.get("/api/v1/search", params={"q": "Алматы", "sort": "alphabet"}).status_code == 422
    page = client.get("/search", params={"q": "взносы", "sort": "date"}).text
    assert '<option value="date" selected>' in page
    past = client.get("/search", params={"q": "взносы", "sort": "date", "page": "9"}).text
    assert "/search?q=%D0%B2%D0%B7%D0%BD%D0%BE%D1%81%D1%8B&amp;sort=date" in past  # the pager keeps the order


@pytest.mark.parametrize(("ui", "says"), [("ru", "не похожа на день"), ("kk", "күнге ұқсамайды")])
def test_a_date_that_is_no_day_is_said(client: TestClient, ui: str, says: str) -> None:
    page = client.get("/search", params={"q": "Алматы", "since": "24.11.2026"}, headers={"Cookie": f"ui_lang={ui}"})
    assert page.status_code == 422 and says in page.text and "24.11.2026" in page.text
    twin = client.get("/search", params={"q": "Алматы", "until": "вчера", "format": "json"})
    assert twin.status_code == 422 and twin.json()["error"]["field"] == "until"
