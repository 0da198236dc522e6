"""One settings object, read from ``NEWSDESK_*`` environment variables.

Built where it is needed (``create_app(settings)``, the CLI's callback), never at import time.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from newsdesk.errors import ConfigError

DEFAULT_DB = "newsdesk.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSDESK_", extra="ignore")

    database_url: str = Field(
        DEFAULT_DB, description="SQLite file path or SQLAlchemy URL (sqlite:///…, postgresql://…)."
    )
    api_token: str | None = Field(
        None, description="Bearer token for API writes; writes are refused without it."
    )
    environment: str = Field(
        "development", description="development or production; production refuses unsafe defaults."
    )
    load_sample: bool = Field(True, description="Load the bundled sample into an empty archive when the site starts.")
    fetch_allow_private: bool = Field(False, description="Allow fetching private/loopback addresses (tests only).")
    contact: str = Field("newsdesk@localhost", description="Contact address sent in the fetcher's User-Agent.")
    max_write_bytes: int = Field(2_000_000, description="Largest request body accepted by API writes.")
    page_size: int = Field(20, description="Articles per page on HTML pages.")
    search_engine: str = Field(
        "database", description="Full-text engine: 'database' (SQLite FTS5 / PostgreSQL tsvector, always kept up to "
        "date) or 'tantivy' (an embedded index that follows the database: p95 under 30 ms at 1M articles)."
    )
    search_index: str | None = Field(
        None, description="Directory of the tantivy index (default: '<archive file>.search' beside a SQLite archive, "
        "./newsdesk-search with PostgreSQL); it can be deleted at any time and is rebuilt from the database."
    )
    site_url: str | None = Field(
        None, description="The site's public address (https://news.example.kz): feeds link to it and name their items "
        "by it. Without it, the address a request came to, which a client chooses (its Host header)."
    )
    malloc_arenas: int = Field(
        2, description="glibc malloc arenas per server process (0: glibc's default, 8 per core; an explicit "
        "MALLOC_ARENA_MAX wins). Two keep the request threads' freed memory together: ~90 MB less with two workers."
    )

    def url(self) -> str:
        """The SQLAlchemy URL; a bare path means a SQLite file."""
        return database_url(self.database_url)

    def check(self) -> Settings:
        if self.environment == "production" and self.api_token in (None, "", "change-me"):
            raise ConfigError("NEWSDESK_API_TOKEN must be set to a secret in production")
        if self.site_url is not None and not re.fullmatch(r"https?://[^\s/?#]+(?:/[^\s?#]*)?", self.site_url):
            raise ConfigError(f"NEWSDESK_SITE_URL {self.site_url!r} is no site address: write https://news.example.kz")
        return self


def database_url(value: str) -> str:
    if "://" in value:
        if value.startswith("postgresql://"):
            return "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value
    return f"sqlite:///{Path(value).expanduser()}"
