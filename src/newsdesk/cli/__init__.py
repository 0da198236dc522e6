"""The ``newsdesk`` command line: verbs that each call one library function.

Data goes to stdout (JSON lines where it is data), progress and logs to stderr.
Each verb group lives in its own module and registers itself on ``app``.
"""

from __future__ import annotations

from newsdesk.cli import archive as _archive  # noqa: F401  (registers ingest, export)
from newsdesk.cli import editorial as _editorial  # noqa: F401  (registers train, audit, rethread)
from newsdesk.cli import search as _search  # noqa: F401  (registers search, reindex)
from newsdesk.cli import site as _site  # noqa: F401  (registers serve)
from newsdesk.cli import sources as _sources  # noqa: F401  (registers sources, watch)
from newsdesk.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
