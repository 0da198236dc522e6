"""Shared data and fixtures of the web and API tests (imported by test_web_*.py and test_api*.py).

A small archive with real Russian and Kazakh strings: one story told twice (same thread) plus an
exact duplicate, a Kazakh article, headline-only records with and without a URL."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsdesk.config import Settings
from newsdesk.ingest import ingest
from newsdesk.pipeline import Pipeline
from newsdesk.sources.fields import article_from_dict
from newsdesk.store import open_archive
from newsdesk.web.app import create_app

TOKEN = "test-token-almaty-2026"
PG_ADMIN = os.environ.get("NEWSDESK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def learned(**fields: Any) -> dict[str, Any]:
    """A record as an export writes it: what the engine learned is restored, not recomputed."""
    return {"nlp_version": "test", "lang": "ru", "editor_tags": fields.get("tags", []), **fields}


RECORDS: list[dict[str, Any]] = [
    learned(id="quake-tengri", title="В Алматы ощутили землетрясение магнитудой 4,5",
            lead="Толчки ощутили жители южной столицы.",
            text="Землетрясение произошло в 14:05.\n\nПострадавших и разрушений нет, сообщили в МЧС.",
            published_at="2026-11-24T14:05:00+05:00", source="Tengrinews", rubric="society",
            url="https://tengrinews.kz/kazakhstan_news/quake-1", tags=["Землетрясение", "Алматы"],
            thread_id="t-quake", author="Айгерим Сапарова",
            entities=[{"name": "Алматы", "type": "LOC", "mentions": 2, "slug": "almaty"},
                      {"name": "МЧС", "type": "ORG", "mentions": 1, "slug": "mchs"},
                      {"name": "Канат Бозумбаев", "type": "PER", "mentions": 1, "slug": "kanat-bozumbaev"}]),
    learned(id="quake-kazinform", title="Землетрясение в Алматы: что известно",
            text="Сейсмологи зафиксировали толчки.", published_at="2026-11-24T14:30:00+05:00",
            source="Kazinform", rubric="society", tags=["Землетрясение", "Алматы"], thread_id="t-quake"),
    learned(id="quake-copy", title="В Алматы ощутили землетрясение магнитудой 4,5 (копия)",
            text="Землетрясение произошло в 14:05.", published_at="2026-11-24T14:40:00+05:00",
            source="Copy.kz", rubric="society", tags=["Землетрясение"], duplicate_of="quake-tengri"),
    learned(id="pension", title="Пенсии в Казахстане вырастут с 1 января 2026 года",
            text="Минтруда сообщило о повышении.\n\nРазмер МРП тоже изменится.",
            published_at="2026-11-24T10:00:00+05:00", source="Kazinform", rubric="economy",
            tags=["Пенсия 2026", "МРП 2026"]),
    learned(id="kk-quake", title="Алматыда жер сілкінісі болды", text="Сілкініс 4,5 балл болды.",
            published_at="2026-11-24T15:00:00+05:00", source="Egemen", lang="kk", rubric="society",
            tags=["Алматы"]),
    learned(id="boxing", title="Казахстанский боксер завоевал золото чемпионата мира",
            text="Финал прошел в Ташкенте.", published_at="2026-11-20T20:00:00+05:00", source="Vesti.kz",
            rubric="sports", tags=["Бокс"]),
    learned(id="oil", title="Добыча нефти на Тенгизе выросла", text="Рост составил 5%.",
            published_at="2026-11-22T09:00:00+05:00", source="Kapital.kz", rubric="economy", tags=["Нефть"]),
    learned(id="head-url", kind="headline", title="В Алматы произошел пожар на СТО", source="Orda.kz",
            url="https://orda.kz/fire-sto", tags=["Алматы"]),
    learned(id="head-nourl", kind="headline", title="В Шымкенте открыли новый парк", source="Orda.kz",
            tags=["Шымкент"]),
]


def fill(archive: Any, records: list[dict[str, Any]] | None = None) -> None:
    summary = ingest(archive, [article_from_dict(r) for r in records or RECORDS], Pipeline(stages=[]))
    assert not summary.rejected, summary.errors


def make_client(url: str, **settings: Any) -> TestClient:
    options = {"database_url": url, "load_sample": False, "api_token": TOKEN, **settings}
    app = create_app(Settings(**options))
    fill(app.state.archive)
    return TestClient(app)


@pytest.fixture(name="client")
def client_fixture(tmp_path: Path) -> Iterator[TestClient]:
    with make_client(str(tmp_path / "web.db")) as c:
        yield c


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session", name="pg_url")
def pg_url_fixture() -> Iterator[str]:
    """A temporary PostgreSQL database for this test session (dropped afterwards)."""
    sqlalchemy = pytest.importorskip("sqlalchemy")
    name = f"newsdesk_test_web_{uuid.uuid4().hex[:10]}"
    try:
        admin = sqlalchemy.create_engine(PG_ADMIN.replace("postgresql://", "postgresql+psycopg://"),
                                         isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # noqa: BLE001 - no server: skip with the reason
        pytest.skip(f"local PostgreSQL not reachable at {PG_ADMIN}: {exc}")
    yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], name="api")
def api_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    """The app over a real SQLite file, and once over the local PostgreSQL (a fresh database each time)."""
    if request.param == "sqlite":
        url = str(tmp_path / "api.db")
    else:
        base = request.getfixturevalue("pg_url")
        url = _fresh_schema(base)
    with make_client(url) as c:
        yield c
        c.app.state.archive.dispose()  # type: ignore[attr-defined]


def _fresh_schema(url: str) -> str:
    """Empty every table of the session database so each test starts from the same rows."""
    archive = open_archive(url)
    with archive.engine.begin() as conn:
        tables = [r[0] for r in conn.exec_driver_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename != 'alembic_version'")]
        conn.exec_driver_sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    archive.dispose()
    return url


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """The app on uvicorn, on a free loopback port, in a thread; yields the base URL."""
    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        raise RuntimeError("the server did not start within 20 s")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
