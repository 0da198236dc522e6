"""The OpenAPI schema tells the truth: for every /api/v1 route, the status codes real requests produce are
exactly the ones it declares, and each answer fits the declared model (its types through the pydantic model,
its keys through the schema: nothing undeclared)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel

from newsdesk.store.meta import set_meta
from newsdesk.store.stories import ENTITY_MOVES, STORY_MOVES
from newsdesk.web.routes import ROUTERS
from test_web_support import TOKEN, make_client

AUTH = {"Authorization": f"Bearer {TOKEN}"}
BIG = {"title": "x", "text": "а" * 3000}  # over max_write_bytes below
FEED = {"url": "http://127.0.0.1:9/feed.xml", "name": "Local"}
Case = tuple[str, str, dict[str, Any]]  # method, path, request keywords

# Per route (as the schema names it): requests that together produce every status it can answer with.
# Within a route the cases run in order on one fresh archive (a delete comes last).
CASES: dict[tuple[str, str], list[Case]] = {
    ("get", "/api/v1/articles"): [("GET", "/api/v1/articles", {}), ("GET", "/api/v1/articles?lang=xx", {})],
    ("get", "/api/v1/articles/{article_id}"): [("GET", "/api/v1/articles/pension", {}),
                                               ("GET", "/api/v1/articles/nope", {})],
    ("post", "/api/v1/articles"): [
        ("POST", "/api/v1/articles", {"json": {"title": "Новость"}, "headers": AUTH}),
        ("POST", "/api/v1/articles", {"json": {"title": "Новость"}}),
        ("POST", "/api/v1/articles", {"json": {"title": "Новость", "id": "pension"}, "headers": AUTH}),
        ("POST", "/api/v1/articles", {"json": BIG, "headers": AUTH}),
        ("POST", "/api/v1/articles", {"json": {"rubric": "politics"}, "headers": AUTH})],
    ("patch", "/api/v1/articles/{article_id}"): [
        ("PATCH", "/api/v1/articles/pension", {"json": {"title": "Пенсии вырастут"}, "headers": AUTH}),
        ("PATCH", "/api/v1/articles/pension", {"json": {"title": "x"}}),
        ("PATCH", "/api/v1/articles/nope", {"json": {"title": "x"}, "headers": AUTH}),
        ("PATCH", "/api/v1/articles/pension", {"json": BIG, "headers": AUTH}),
        ("PATCH", "/api/v1/articles/pension", {"json": {"title": None}, "headers": AUTH})],
    ("delete", "/api/v1/articles/{article_id}"): [("DELETE", "/api/v1/articles/oil", {}),
                                                  ("DELETE", "/api/v1/articles/nope", {"headers": AUTH}),
                                                  ("DELETE", "/api/v1/articles/oil", {"headers": AUTH})],
    ("post", "/api/v1/tags/merge"): [
        ("POST", "/api/v1/tags/merge", {"json": {"tags": ["Бокс"], "into": "Спорт"}}),
        ("POST", "/api/v1/tags/merge", {"json": {"tags": ["Нет такого"], "into": "Спорт"}, "headers": AUTH}),
        ("POST", "/api/v1/tags/merge", {"json": {"tags": ["x" * 3000], "into": "Спорт"}, "headers": AUTH}),
        ("POST", "/api/v1/tags/merge", {"json": {"tags": []}, "headers": AUTH}),
        ("POST", "/api/v1/tags/merge", {"json": {"tags": ["Бокс"], "into": "Спорт"}, "headers": AUTH})],
    ("get", "/api/v1/tags"): [("GET", "/api/v1/tags", {}), ("GET", "/api/v1/tags?kind=zz", {})],
    ("get", "/api/v1/rubrics"): [("GET", "/api/v1/rubrics", {})],
    ("get", "/api/v1/outlets"): [("GET", "/api/v1/outlets", {})],
    ("get", "/api/v1/langs"): [("GET", "/api/v1/langs", {})],
    ("get", "/api/v1/sources"): [("POST", "/api/v1/sources", {"json": FEED, "headers": AUTH}),
                                 ("GET", "/api/v1/sources", {})],
    ("get", "/api/v1/sources/{source_id}"): [("POST", "/api/v1/sources", {"json": FEED, "headers": AUTH}),
                                             ("GET", "/api/v1/sources/1", {}), ("GET", "/api/v1/sources/99", {}),
                                             ("GET", "/api/v1/sources/abc", {})],
    ("post", "/api/v1/sources"): [
        ("POST", "/api/v1/sources", {"json": FEED}),
        ("POST", "/api/v1/sources", {"json": FEED, "headers": AUTH}),
        ("POST", "/api/v1/sources", {"json": FEED, "headers": AUTH}),
        ("POST", "/api/v1/sources", {"json": {**FEED, "name": "x" * 3000}, "headers": AUTH}),
        ("POST", "/api/v1/sources", {"json": {"url": "ftp://example.kz"}, "headers": AUTH})],
    ("delete", "/api/v1/sources/{source_id}"): [
        ("POST", "/api/v1/sources", {"json": FEED, "headers": AUTH}),
        ("DELETE", "/api/v1/sources/1", {}), ("DELETE", "/api/v1/sources/99", {"headers": AUTH}),
        ("DELETE", "/api/v1/sources/abc", {"headers": AUTH}), ("DELETE", "/api/v1/sources/1", {"headers": AUTH})],
    ("get", "/api/v1/search"): [("GET", "/api/v1/search?q=землетрясение", {}),
                                ("GET", "/api/v1/search?q=x&rubric=zzz", {})],
    ("get", "/api/v1/threads"): [("GET", "/api/v1/threads?period=7776000&limit=1", {}),
                                 ("GET", "/api/v1/threads?lang=xx", {})],
    ("get", "/api/v1/threads/{thread_id}"): [("GET", "/api/v1/threads/t-quake", {}),
                                             ("GET", "/api/v1/threads/t-old", {}),
                                             ("GET", "/api/v1/threads/nope", {})],
    ("get", "/api/v1/trending"): [("GET", "/api/v1/trending", {}), ("GET", "/api/v1/trending?cursor=x", {})],
    ("get", "/api/v1/articles/{article_id}/related"): [("GET", "/api/v1/articles/quake-tengri/related", {}),
                                                       ("GET", "/api/v1/articles/nope/related", {}),
                                                       ("GET", "/api/v1/articles/oil/related?limit=0", {})],
    ("get", "/api/v1/articles/{article_id}/explain"): [("GET", "/api/v1/articles/quake-tengri/explain", {}),
                                                       ("GET", "/api/v1/articles/nope/explain", {})],
    ("get", "/api/v1/entities/{slug}"): [("GET", "/api/v1/entities/almaty?limit=1", {}),
                                         ("GET", "/api/v1/entities/almaty-old", {}),
                                         ("GET", "/api/v1/entities/nobody", {}),
                                         ("GET", "/api/v1/entities/almaty?after=zzz", {})],
    ("get", "/api/v1/audit"): [("GET", "/api/v1/audit", {}), ("GET", "/api/v1/audit?limit=0", {})],
    ("get", "/api/v1/audit/variants"): [("GET", "/api/v1/audit/variants", {})],
}


@pytest.fixture(name="site")
def site_fixture(tmp_path: Path) -> Iterator[TestClient]:
    with make_client(str(tmp_path / "schema.db"), max_write_bytes=2000, fetch_allow_private=True) as client:
        with client.app.state.archive.engine.begin() as conn:  # type: ignore[attr-defined]
            set_meta(conn, STORY_MOVES, {"t-old": "t-quake"})  # a rethread moved it: 301
            set_meta(conn, ENTITY_MOVES, {"almaty-old": "almaty"})
        yield client


@pytest.fixture(scope="module", name="schema")
def schema_fixture(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    with make_client(str(tmp_path_factory.mktemp("schema") / "openapi.db")) as client:
        return {"openapi": client.get("/api/openapi.json").json(), "models": _models()}


def _models() -> dict[str, type[BaseModel]]:
    """Every model a route declares, by the name the schema gives it."""
    found: dict[str, type[BaseModel]] = {}
    for route in (r for router in ROUTERS for r in router.routes):
        if isinstance(route, APIRoute):
            declared = [route.response_model, *(r.get("model") for r in route.responses.values())]
            found.update({m.__name__: m for m in declared if isinstance(m, type) and issubclass(m, BaseModel)})
    return found


def test_every_api_route_has_its_cases(schema: dict[str, Any]) -> None:
    routes = {(method, path) for path, ops in schema["openapi"]["paths"].items() if path.startswith("/api/v1")
              for method in ops}
    assert routes == set(CASES)


@pytest.mark.parametrize("route", sorted(CASES), ids=lambda r: f"{r[0]} {r[1]}")
def test_real_answers_are_the_declared_ones(site: TestClient, schema: dict[str, Any],
                                            route: tuple[str, str]) -> None:
    method, path = route
    declared = schema["openapi"]["paths"][path][method]["responses"]
    produced = set()
    verb, url, options = next(case for case in CASES[route] if case[0].lower() == method)
    too_long = (verb, url + ("&" if "?" in url else "?") + "pad=" + "a" * 9000, options)  # deps.url_length
    for verb, url, options in [too_long, *CASES[route]]:
        response = site.request(verb, url, follow_redirects=False, **options)
        if verb.lower() != method:
            continue  # a set-up request of another route
        status = str(response.status_code)
        produced.add(status)
        assert status in declared, f"{verb} {url} answered {status}, not declared: {response.text[:200]}"
        _fits(response, declared[status], schema)
    assert produced == set(declared), f"declared but never produced: {set(declared) - produced}"


def _fits(response: Any, declared: dict[str, Any], schema: dict[str, Any]) -> None:
    if "content" not in declared:
        assert response.status_code in (204, 301) and not response.content.strip(b"null"), response.text
        return
    ref = declared["content"]["application/json"]["schema"]["$ref"]
    body = response.json()
    schema["models"][ref.rsplit("/", 1)[1]].model_validate(body)
    assert not list(_undeclared(body, {"$ref": ref}, schema["openapi"]["components"]["schemas"], "")), \
        list(_undeclared(body, {"$ref": ref}, schema["openapi"]["components"]["schemas"], ""))


def _undeclared(value: Any, node: dict[str, Any], components: dict[str, Any], where: str) -> Iterator[str]:
    """Keys of ``value`` that the JSON schema ``node`` does not declare (walked through refs, anyOf, items)."""
    if "$ref" in node:
        yield from _undeclared(value, components[node["$ref"].rsplit("/", 1)[1]], components, where)
    elif "anyOf" in node:
        fits = [list(_undeclared(value, option, components, where)) for option in node["anyOf"]]
        yield from min(fits, key=len)
    elif isinstance(value, dict) and "properties" in node:
        for key, item in value.items():
            if key not in node["properties"]:
                yield f"{where}.{key}"
            else:
                yield from _undeclared(item, node["properties"][key], components, f"{where}.{key}")
    elif isinstance(value, list) and "items" in node:
        for i, item in enumerate(value):
            yield from _undeclared(item, node["items"], components, f"{where}[{i}]")


def test_no_route_declares_fastapis_own_validation_error(schema: dict[str, Any]) -> None:
    assert not {"HTTPValidationError", "ValidationError"} & set(schema["openapi"]["components"]["schemas"])
