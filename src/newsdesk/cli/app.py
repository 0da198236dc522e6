"""The Typer app, the global options, and how library errors become CLI errors."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import typer
from rich.console import Console

from newsdesk.config import Settings
from newsdesk.errors import NewsdeskError
from newsdesk.store import Archive, open_archive

app = typer.Typer(help="newsdesk: a news engine for Kazakhstan's Russian- and Kazakh-language media.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
err = Console(stderr=True, highlight=False)


@dataclass
class Context:
    settings: Settings
    quiet: bool = False
    _archive: Archive | None = None

    def archive(self) -> Archive:
        if self._archive is None:
            self._archive = open_archive(self.settings.database_url)
        return self._archive


@app.callback()
def root(
    ctx: typer.Context,
    db: str = typer.Option(
        None, "--db", help="SQLite file or database URL (default: NEWSDESK_DATABASE_URL or ./newsdesk.db)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars or summaries on stderr."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log each stage's work to stderr."),
) -> None:
    settings = Settings(database_url=db) if db else Settings()
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = Context(settings, quiet)


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"error: {message}", markup=False)
    return typer.Exit(code)


def guarded(fn):  # noqa: ANN001, ANN201 - decorator
    """Turn library errors into one-line CLI errors at the edge."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        try:
            return fn(*args, **kwargs)
        except NewsdeskError as exc:
            raise fail(str(exc)) from exc

    return wrapper
