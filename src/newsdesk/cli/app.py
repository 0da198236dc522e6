"""The Typer app, the global options, and how library errors become CLI errors."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import typer
from rich.console import Console

from newsdesk.config import Settings, database_url
from newsdesk.errors import NewsdeskError
from newsdesk.store import Archive, open_archive

app = typer.Typer(help="newsdesk: a news engine for Kazakhstan's Russian- and Kazakh-language media.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)  # an error is one line, however long


@dataclass
class Context:
    settings: Settings
    quiet: bool = False
    _archive: Archive | None = None

    def archive(self, create: bool = False) -> Archive:
        """The archive at ``--db``; only the verbs that store (``create``) make a SQLite file that is not there:
        a mistyped path to ``search`` or ``export`` is an error, not an empty archive and «0 found»."""
        if self._archive is None:
            url = self.settings.database_url
            missing = missing_sqlite_file(url)
            if missing is not None and not create:
                raise fail(f"no archive at {missing} (check --db, or store articles there first: newsdesk ingest)")
            self._archive = open_archive(url)
        return self._archive


def missing_sqlite_file(url: str) -> Path | None:
    """The SQLite file ``url`` names when it does not exist (an in-memory database is never missing)."""
    full = database_url(url)
    if not full.startswith("sqlite:///") or full == "sqlite:///:memory:":
        return None
    path = Path(full.removeprefix("sqlite:///"))
    return None if path.exists() else path


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


@contextmanager
def stop_on_signals(stopping: threading.Event, doing: str,
                    first: Callable[[], None] | None = None) -> Iterator[None]:
    """First SIGTERM/SIGINT: set ``stopping`` (the work ends cleanly at its next safe point) and call ``first``
    (in the main thread: it may raise into what waits there, `sources.interrupt_stdin`).  A second: stop now."""

    def handler(signum: int, _frame: object) -> None:
        if stopping.is_set():
            raise KeyboardInterrupt
        err.print(f"{signal.Signals(signum).name}: {doing} (again to abort)", markup=False)
        stopping.set()
        if first is not None:
            first()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
