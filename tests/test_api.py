"""The JSON API through the real app: every endpoint, filter, auth rule and error on a SQLite file
(``client``); the tests touching storage run once more on the local PostgreSQL (``api``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from newsdesk.store.writer import REVISIONS
from newsdesk.web.schemas import ArticleOut
from test_web_support import TOKEN, api_fixture, auth, client_fixture, pg_url_fixture  # noqa: F401 - fixtures

ERROR_KEYS = {"code", "message", "field"}


def ids(response: object) -> list[str]:
    return [item["id"] for item in response.json()["items"]]  # type: ignore[attr-defined]


def assert_error(response: object, status: int, code: str, field: str | None = None) -> None:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS, body
    assert body["error"]["code"] == code
    assert body["error"]["field"] == field


def test_list_newest_first_with_undated_last(api: TestClient) -> None:
    got = ids(api.get("/api/v1/articles?limit=100"))
    assert got == ["kk-quake", "quake-copy", "quake-kazinform", "quake-tengri", "pension", "oil", "boxing",
                   "head-url", "head-nourl"]
    body = api.get("/api/v1/articles?limit=100").json()
    assert body["next_cursor"] is None
    first = body["items"][0]
    assert first["page_url"] == "/article/kk-quake" and first["tags"] == ["Алматы"]
    ArticleOut.model_validate(first)


@pytest.mark.parametrize("query, expected", [
    ("tag=zemletryasenie", ["quake-copy", "quake-kazinform", "quake-tengri"]),
    ("tag=almaty", ["kk-quake", "quake-kazinform", "quake-tengri", "head-url"]),
    ("tag=net-takogo", []),
    ("rubric=economy", ["pension", "oil"]),
    ("lang=kk", ["kk-quake"]),
    ("source=Kazinform", ["quake-kazinform", "pension"]),
    ("kind=headline", ["head-url", "head-nourl"]),
    ("since=2026-11-24T14:30:00%2B05:00", ["kk-quake", "quake-copy", "quake-kazinform"]),
    ("until=2026-11-22T09:00:01", ["oil", "boxing"]),  # naive: Asia/Almaty
    ("since=2026-11-21&until=2026-11-24T12:00:00%2B05:00", ["pension", "oil"]),
    ("tag=almaty&lang=ru&source=Tengrinews", ["quake-tengri"]),
])
def test_list_filters(api: TestClient, query: str, expected: list[str]) -> None:
    assert ids(api.get(f"/api/v1/articles?limit=100&{query}")) == expected


def test_cursor_pages_cover_everything_once(api: TestClient) -> None:
    everything = ids(api.get("/api/v1/articles?limit=100"))
    seen, cursor = [], None
    while True:
        page = api.get("/api/v1/articles", params={"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        assert len(page["items"]) <= 2
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == everything


@pytest.mark.parametrize("query, field", [
    ("cursor=garbage!!", "cursor"), ("limit=0", "limit"), ("limit=101", "limit"),
    ("since=yesterday", "since"), ("kind=video", "kind"),
])
def test_list_rejects_bad_parameters(client: TestClient, query: str, field: str) -> None:
    assert_error(client.get(f"/api/v1/articles?{query}"), 422, "invalid", field)


@pytest.mark.parametrize("path, field, allowed", [
    ("/api/v1/articles?lang=xx", "lang", "'ru', 'kk', 'en' or 'other'"),
    ("/api/v1/articles?rubric=zzz", "rubric", "'society', 'economy'"),
    ("/api/v1/tags?kind=zz", "kind", "'topic', 'place', 'story', 'person' or 'organisation'"),
    ("/api/v1/threads?lang=xx", "lang", "'ru', 'kk', 'en' or 'other'"),
    ("/api/v1/threads?rubric=politics", "rubric", "'not_news'"),
    ("/api/v1/search?q=x&lang=xx", "lang", "'kk'"),
    ("/api/v1/search?q=x&rubric=zzz", "rubric", "'sports'"),
    ("/api/v1/entities/almaty?after=zzz", "after", "next_cursor"),
])
def test_an_unknown_filter_value_is_refused_with_the_allowed_ones(client: TestClient, path: str, field: str,
                                                                  allowed: str) -> None:
    response = client.get(path)
    assert_error(response, 422, "invalid", field)
    assert allowed in response.json()["error"]["message"]


@pytest.mark.parametrize("tag", ["almaty", "Алматы", "алматы"])
def test_a_tag_filter_takes_the_name_as_search_does(api: TestClient, tag: str) -> None:
    assert ids(api.get("/api/v1/articles", params={"tag": tag})) == ["kk-quake", "quake-kazinform", "quake-tengri",
                                                                   "head-url"]
    stories = api.get("/api/v1/threads", params={"tag": tag, "period": 90 * 86400}).json()["items"]
    assert [s["id"] for s in stories] == ["t-quake"]


def test_get_one_and_unknown(api: TestClient) -> None:
    article = api.get("/api/v1/articles/quake-tengri").json()
    assert article["id"] == "quake-tengri" and article["page_url"] == "/article/quake-tengri"
    assert article["entities"][0]["name"] == "Алматы"
    assert_error(api.get("/api/v1/articles/net-takoy"), 404, "not_found")


def test_tags_with_counts_and_cursor(api: TestClient) -> None:
    body = api.get("/api/v1/tags").json()
    counts = {t["slug"]: t["count"] for t in body["items"]}
    assert counts["almaty"] == 4 and counts["zemletryasenie"] == 3 and counts["pensiya-2026"] == 1
    assert body["items"][0]["slug"] == "almaty" and body["items"][0]["page_url"] == "/tag/almaty"
    first = api.get("/api/v1/tags?limit=2").json()
    second = api.get(f"/api/v1/tags?limit=2&cursor={first['next_cursor']}").json()
    assert [t["slug"] for t in first["items"] + second["items"]] == [t["slug"] for t in body["items"][:4]]
    assert_error(api.get("/api/v1/tags?cursor=x"), 422, "invalid", "cursor")


@pytest.mark.parametrize("path, first", [("rubrics", "society"), ("outlets", "Kazinform"), ("langs", "ru")])
def test_facets(api: TestClient, path: str, first: str) -> None:
    body = api.get(f"/api/v1/{path}").json()
    assert body["items"][0]["name"] == first and body["next_cursor"] is None
    assert body["items"][0]["page_url"].endswith(first)


NEW = {"title": "Аким Астаны открыл новую школу",
       "text": "Школа рассчитана на 1200 мест.\n\nОткрытие прошло в понедельник.",
       "published_at": "2026-11-25T09:00:00+05:00", "source": "Astana TV", "lang": "ru",
       "tags": ["Астана", "Образование"]}


def test_create_returns_the_stored_article(api: TestClient) -> None:
    response = api.post("/api/v1/articles", json=NEW, headers=auth())
    assert response.status_code == 201, response.text
    stored = response.json()
    assert stored["id"].startswith("nd-") and stored["page_url"] == f"/article/{stored['id']}"
    assert stored["tags"] == ["Астана", "Образование"] and stored["editor_tags"] == ["Астана", "Образование"]
    assert stored["text"] == NEW["text"] and stored["revision"] == 1
    assert response.headers["location"] == f"/api/v1/articles/{stored['id']}"
    assert api.get(f"/api/v1/articles/{stored['id']}").json() == stored
    assert ids(api.get("/api/v1/articles?tag=astana")) == [stored["id"]]


def test_an_article_created_without_a_date_is_dated_now_and_listed_first(api: TestClient) -> None:
    before = datetime.now(UTC)
    created = api.post("/api/v1/articles", json={"title": "Срочно: в Астане открылся новый мост", "text": "Текст."},
                       headers=auth()).json()
    assert datetime.fromisoformat(created["published_at"]) >= before.replace(microsecond=0)
    assert ids(api.get("/api/v1/articles?limit=1")) == [created["id"]]
    assert created["id"] in api.get("/feed.xml").text


def test_create_with_taken_id_conflicts(api: TestClient) -> None:
    assert_error(api.post("/api/v1/articles", json={**NEW, "id": "pension"}, headers=auth()), 409, "conflict", "id")


def test_create_without_id_at_a_stored_articles_url_conflicts(api: TestClient) -> None:
    url = "https://astanatv.kz/ru/news/shkola-1200"
    assert api.post("/api/v1/articles", json={**NEW, "id": "school", "url": url}, headers=auth()).status_code == 201
    again = api.post("/api/v1/articles", json={**NEW, "url": url, "title": "Новая школа"}, headers=auth())
    assert_error(again, 409, "conflict", "url")
    assert "'school'" in again.json()["error"]["message"]
    assert ids(api.get("/api/v1/articles?tag=astana")) == ["school"]


@pytest.mark.parametrize("headers", [{}, auth("wrong"), {"Authorization": f"Basic {TOKEN}"}, {"Authorization": TOKEN}])
def test_writes_need_the_token(client: TestClient, headers: dict[str, str]) -> None:
    assert_error(client.post("/api/v1/articles", json=NEW, headers=headers), 401, "unauthorized")
    assert_error(client.patch("/api/v1/articles/pension", json={"title": "x"}, headers=headers), 401, "unauthorized")
    assert_error(client.delete("/api/v1/articles/pension", headers=headers), 401, "unauthorized")
    assert client.get("/api/v1/articles/pension").json()["title"].startswith("Пенсии")


@pytest.mark.parametrize("body, field", [
    ({"text": ""}, "title"),
    ({"title": "Ок", "tags": "not-a-list"}, "tags"),
    ({"title": "Ок", "tags": [1, 2]}, "tags.0"),
    ({"title": "Ок", "published_at": "вчера"}, "published_at"),
    ({"title": "Ок", "rubric": "politics"}, "rubric"),
    ({"title": "Ок", "colour": "red"}, "colour"),
    ({"title": "Ок", "id": "x" * 65}, "id"),
])
def test_create_validation_names_the_field(client: TestClient, body: dict[str, object], field: str) -> None:
    assert_error(client.post("/api/v1/articles", json=body, headers=auth()), 422, "invalid", field)
    assert len(ids(client.get("/api/v1/articles?limit=100"))) == 9  # nothing written


def test_create_rejects_malformed_json(client: TestClient) -> None:
    headers = {**auth(), "Content-Type": "application/json"}
    response = client.post("/api/v1/articles", content=b'{"title": ', headers=headers)
    assert response.status_code == 422 and set(response.json()["error"]) == ERROR_KEYS


def test_update_changes_tags_and_keeps_the_revision(api: TestClient) -> None:
    before = api.get("/api/v1/articles/pension").json()
    response = api.patch("/api/v1/articles/pension", json={"tags": ["Пенсия 2026", "Соцзащита"]}, headers=auth())
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["tags"] == ["Пенсия 2026", "Соцзащита"] and updated["revision"] == 2
    assert updated["title"].startswith("Пенсии") and updated["rubric"] == "economy"
    assert updated["published_at"] == before["published_at"] and updated["fetched_at"] == before["fetched_at"]
    assert ids(api.get("/api/v1/articles?tag=sotszashchita")) == ["pension"]
    assert ids(api.get("/api/v1/articles?tag=mrp-2026")) == []
    with api.app.state.archive.engine.connect() as conn:  # type: ignore[attr-defined]
        old = conn.execute(select(REVISIONS).where(REVISIONS.c.article_id == "pension")).one()
    assert old.revision == 1 and old.editor_tags == ["Пенсия 2026", "МРП 2026"]


def test_an_editor_sets_the_language(api: TestClient) -> None:
    response = api.patch("/api/v1/articles/pension", json={"lang": "kk"}, headers=auth())
    assert response.status_code == 200 and response.json()["lang"] == "kk"  # the editor's word, not detection's
    response = api.patch("/api/v1/articles/pension", json={"lang": "ru", "lead": "Жаңа лид"}, headers=auth())
    assert response.json()["lang"] == "ru"
    assert api.patch("/api/v1/articles/pension", json={"lang": "en"}, headers=auth()).json()["lang"] == "en"
    api.patch("/api/v1/articles/pension", json={"lang": "kk"}, headers=auth())
    retitled = api.patch("/api/v1/articles/pension", json={"title": "Пенсии: новые размеры"}, headers=auth()).json()
    assert retitled["lang"] == "kk" and retitled["title"] == "Пенсии: новые размеры"  # the editor's language stays
    assert api.patch("/api/v1/articles/pension", json={"lang": "xx"}, headers=auth()).status_code == 422


def test_an_editor_takes_engine_tags_off(api: TestClient) -> None:
    taken = api.patch("/api/v1/articles/pension", json={"rejected_tags": ["Алматы"]}, headers=auth())
    assert taken.status_code == 200 and taken.json()["rejected_tags"] == ["Алматы"]
    assert "rejected_tags" in taken.json()["editor_fields"]  # the editor's now: a source update keeps it
    assert "Алматы" not in taken.json()["tags"]
    assert api.get("/api/v1/articles/pension").json()["rejected_tags"] == ["Алматы"]
    refused = api.patch("/api/v1/articles/pension", json={"rejected_tags": None}, headers=auth())
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "rejected_tags"


def test_a_tag_no_article_carries_any_more_has_no_page(api: TestClient) -> None:
    assert api.get("/tag/mrp-2026").status_code == 200
    api.patch("/api/v1/articles/pension", json={"tags": ["Пенсия 2026"]}, headers=auth())
    for path in ("/tag/mrp-2026", "/tag/mrp-2026/feed.xml", "/tag/mrp-2026/atom.xml"):
        assert api.get(path).status_code == 404, path  # not an empty page a search engine keeps
    assert api.get("/tag/mrp-2026", params={"format": "json"}).json()["error"]["code"] == "not_found"


def test_update_errors(api: TestClient) -> None:
    assert_error(api.patch("/api/v1/articles/net", json={"title": "x"}, headers=auth()), 404, "not_found")
    assert_error(api.patch("/api/v1/articles/pension", json={"title": None}, headers=auth()), 422, "invalid", "title")
    assert_error(api.patch("/api/v1/articles/pension", json={"title": "", "text": "", "lead": ""}, headers=auth()),
                 422, "invalid", "title")
    assert api.get("/api/v1/articles/pension").json()["revision"] == 1


def test_delete(api: TestClient) -> None:
    assert api.delete("/api/v1/articles/quake-tengri", headers=auth()).status_code == 204
    assert_error(api.get("/api/v1/articles/quake-tengri"), 404, "not_found")
    assert_error(api.delete("/api/v1/articles/quake-tengri", headers=auth()), 404, "not_found")
    assert api.get("/api/v1/articles/quake-copy").json()["duplicate_of"] is None
    assert {t["slug"]: t["count"] for t in api.get("/api/v1/tags").json()["items"]}["zemletryasenie"] == 2


def test_body_over_the_limit_is_refused(client: TestClient) -> None:
    limit = client.app.state.settings.max_write_bytes  # type: ignore[attr-defined]
    big = {**NEW, "text": "а" * limit}
    assert_error(client.post("/api/v1/articles", json=big, headers=auth()), 413, "too_large")


def test_error_shape_is_pinned(api: TestClient) -> None:
    body = api.get("/api/v1/articles/net").json()
    assert body == {"error": {"code": "not_found", "message": "no article with id 'net'", "field": None}}
    assert_error(api.get("/api/v1/nothing-here"), 404, "not_found")
    assert_error(api.put("/api/v1/articles", json={}), 405, "method_not_allowed")


def test_openapi_has_separate_input_and_output_models(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    models = schema["components"]["schemas"]
    assert {"ArticleIn", "ArticlePatch", "ArticleOut", "ArticleList", "TagList", "ErrorOut"} <= set(models)
    assert "page_url" in models["ArticleOut"]["properties"] and "page_url" not in models["ArticleIn"]["properties"]
    post = schema["paths"]["/api/v1/articles"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/ArticleIn")
    assert {"201", "401", "413", "422"} <= set(post["responses"])
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and "/api/v1/articles" in docs.text and "<script" not in docs.text


def test_reads_after_writes_are_fresh(api: TestClient) -> None:
    assert "pension" in ids(api.get("/api/v1/articles?limit=100"))
    assert "/article/pension" in api.get("/").text
    api.patch("/api/v1/articles/pension", json={"title": "Пенсии: новые размеры"}, headers=auth())
    assert api.get("/api/v1/articles/pension").json()["title"] == "Пенсии: новые размеры"
    assert "Пенсии: новые размеры" in api.get("/").text
    api.delete("/api/v1/articles/pension", headers=auth())
    assert "pension" not in ids(api.get("/api/v1/articles?limit=100"))
    assert "/article/pension" not in api.get("/").text


def test_a_url_over_the_limit_is_a_clear_414(client: TestClient) -> None:
    long = "землетрясение " * 400  # 10 KB once percent-encoded
    response = client.get("/api/v1/search", params={"q": long})
    assert_error(response, 414, "uri_too_long")
    assert "8,192" in response.json()["error"]["message"]
    page = client.get("/search", params={"q": long})
    assert page.status_code == 414 and "Слишком длинный адрес страницы" in page.text
    client.cookies.set("ui_lang", "kk")
    assert "Бет мекенжайы тым ұзын" in client.get("/search", params={"q": long}).text
    assert client.get("/api/v1/search", params={"q": "землетрясение " * 100}).status_code == 200


def test_an_edit_and_a_deletion_outlive_their_source(api: TestClient) -> None:
    from newsdesk.ingest import ingest
    from newsdesk.pipeline import Pipeline
    from newsdesk.sources.fields import article_from_dict
    from newsdesk.store.audit import save_audit
    from test_web_support import RECORDS

    archive = api.app.state.archive  # type: ignore[attr-defined]
    with archive.engine.begin() as conn:
        save_audit(conn, [{"article_id": "quake-tengri", "tag": "Алматы", "score": 0.01, "better": None, "title": "x"}])
    patched = api.patch("/api/v1/articles/pension", json={"tags": ["Пенсии"], "rubric": "society"}, headers=auth())
    assert patched.status_code == 200, patched.text
    assert api.delete("/api/v1/articles/quake-tengri", headers=auth()).status_code == 204
    assert api.get("/api/v1/audit").json()["items"] == []
    source = {r["id"]: r for r in RECORDS}
    again = [{**source["pension"], "title": "Пенсии вырастут с 1 января 2026 года"}, source["quake-tengri"]]
    summary = ingest(archive, [article_from_dict(r) for r in again], Pipeline(stages=[]))
    assert (summary.added, summary.updated, summary.deleted) == (0, 1, 1)
    pension = api.get("/api/v1/articles/pension").json()
    assert pension["title"] == "Пенсии вырастут с 1 января 2026 года"
    assert (pension["editor_tags"], pension["rubric"]) == (["Пенсии"], "society")
    assert_error(api.get("/api/v1/articles/quake-tengri"), 404, "not_found")
