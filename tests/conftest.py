"""Shared fixtures: real SQLite files, the local PostgreSQL, and the ../shared data sets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared")) / "data"

def pytest_configure(config: pytest.Config) -> None:
    """Analyse the bundled sample once per run; every test archive that loads it gets a copy."""
    import tempfile

    # Dense vectors (~0.1 s per article) stay off unless a test turns them on (the `dense_on` fixture):
    # the suite ingests thousands of articles.  tests/test_dense.py covers them.
    os.environ.setdefault("NEWSDESK_DENSE", "0")
    if "NEWSDESK_SAMPLE_CACHE" not in os.environ:
        os.environ["NEWSDESK_SAMPLE_CACHE"] = tempfile.mkdtemp(prefix="newsdesk-sample-cache-")


SAMPLE_USERS = {"test_browser", "test_web_sample", "test_web_i18n"}  # modules whose tests start a site on the sample


def pytest_collection_finish(session: pytest.Session) -> None:
    """Analyse the sample before the first test that needs it starts its clock."""
    if any(item.module.__name__ in SAMPLE_USERS for item in session.items if hasattr(item, "module")):
        from newsdesk.web.sample import warm_cache

        warm_cache()


needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"real data sets not found at {SHARED} (the ../shared folder of the workspace)"
)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"real data sets not found at {SHARED} (the ../shared folder of the workspace)")
    return SHARED


PG_ADMIN = os.environ.get("NEWSDESK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN.replace("postgresql://", "postgresql://", 1), connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 - any failure means: no server to test against
        return False


@pytest.fixture(scope="session")
def pg_url():
    """A throw-away PostgreSQL database for this test session (dropped afterwards)."""
    import uuid

    import psycopg

    if not _pg_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN}; CI must test both databases")
        pytest.skip(f"PostgreSQL is not reachable at {PG_ADMIN}")
    name = f"newsdesk_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _reset_pg(url: str) -> None:
    from sqlalchemy import create_engine, text

    from newsdesk.config import database_url

    engine = create_engine(database_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """The same storage tests against a real SQLite file and the local PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "archive.db")
    url = request.getfixturevalue("pg_url")
    _reset_pg(url)
    return url


@pytest.fixture
def archive(db_url):
    from newsdesk.store import open_archive

    arch = open_archive(db_url)
    yield arch
    arch.dispose()


@pytest.fixture
def dense_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dense sentence vectors on for this test (they are off for the rest of the suite)."""
    monkeypatch.setenv("NEWSDESK_DENSE", "1")
