"""The bundled sample: found through importlib.resources, loaded once into an empty archive on startup."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.pipeline import Pipeline
from newsdesk.store import open_archive
from newsdesk.store.queries import count_articles
from newsdesk.web import app as web_app
from newsdesk.web.app import create_app
from newsdesk.web.sample import load_sample, load_sample_if_empty, sample_files


def test_sample_files_are_the_data_files() -> None:
    names = [f.name for f in sample_files()]
    assert "articles.jsonl" in names and any(n.startswith("page_dump") for n in names)
    assert all(n.endswith((".jsonl", ".txt", ".xml")) for n in names)  # not MANIFEST.md, not truth.json


def test_load_sample_is_idempotent(tmp_path: Path) -> None:
    archive = open_archive(str(tmp_path / "s.db"))
    first = load_sample(archive, Pipeline(stages=[]))
    assert first.added >= 80 and first.rejected == 0, first.errors
    assert load_sample_if_empty(archive) is None
    assert load_sample(archive, Pipeline(stages=[])).added == 0


def test_the_site_starts_with_the_sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    quick = functools.partial(load_sample_if_empty, pipeline=Pipeline(stages=[]))  # the NLP stages take seconds
    monkeypatch.setattr(web_app, "load_sample_if_empty", quick)
    app = create_app(Settings(database_url=str(tmp_path / "site.db"), load_sample=True))
    with TestClient(app) as client:
        items = client.get("/?format=json").json()["items"]
        assert items and any(i["primary_tag"] for i in items)
        assert client.get(items[0]["page_url"]).status_code == 200
    with app.state.archive.engine.connect() as conn:
        assert count_articles(conn) >= 80


def test_no_sample_when_switched_off(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=str(tmp_path / "empty.db"), load_sample=False))
    with TestClient(app) as client:
        assert client.get("/?format=json").json()["items"] == []
        assert "Пока нет новостей" in client.get("/").text
