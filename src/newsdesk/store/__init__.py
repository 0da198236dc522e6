"""The article archive: SQLAlchemy models, Alembic migrations, writes and queries."""

from newsdesk.store.db import Archive, open_archive

__all__ = ["Archive", "open_archive"]
