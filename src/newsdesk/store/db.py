"""Opening the archive: engine, SQLite pragmas, migrations."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import OperationalError

from newsdesk.config import database_url
from newsdesk.errors import StoreError

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")


@dataclass
class Archive:
    """An open archive: the engine plus what the dialect can do."""

    engine: Engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def dispose(self) -> None:
        self.engine.dispose()


def open_archive(url_or_path: str, migrate: bool = True) -> Archive:
    """Open (and by default create or upgrade) the archive at a path or SQLAlchemy URL."""
    url = database_url(url_or_path)
    engine = _engine(url)
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        raise StoreError(f"cannot open the archive at {url_or_path}: {exc.orig}") from exc
    archive = Archive(engine)
    if migrate:
        upgrade(archive)
    return archive


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=30000",
                   "cache_size=-65536", "temp_store=MEMORY"):
        cur.execute(f"PRAGMA {pragma}")
    cur.close()


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(archive: Archive) -> None:
    """Run every pending migration; a no-op on an up-to-date archive."""
    cfg = alembic_config()
    with archive.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    log.debug("archive at head (%s)", archive.dialect)


def has_schema(archive: Archive) -> bool:
    return inspect(archive.engine).has_table("articles")
