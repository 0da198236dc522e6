"""``tgnews``: the Telegram Data Clustering contest's command line (round 2), over newsdesk.

    tgnews languages <dir>        tgnews news <dir>        tgnews categories <dir>
    tgnews threads <dir>          tgnews server <port> [--data DIR]

Batch modes print one JSON document on stdout and exit 0; logs go to stderr.  argparse, not Typer:
the server must have its port open within a second, so this module imports nothing heavy.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

MODES = ("languages", "news", "categories", "threads")  # = batch.MODES, kept here to stay light
DEFAULT_DATA = "tgnews-data"


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="tgnews", description="The Telegram news contest's protocol over newsdesk.")
    root.add_argument("-v", "--verbose", action="count", default=0, help="log progress to stderr (-vv: debug)")
    commands = root.add_subparsers(dest="command", required=True, metavar="MODE")
    for mode in MODES:
        sub = commands.add_parser(mode, help=f"print the {mode} of the .html pages under DIR as JSON")
        sub.add_argument("source_dir", type=Path, metavar="DIR")
        sub.add_argument("--workers", type=int, default=None, help="processes analysing pages (default: one per core)")
    server = commands.add_parser("server", help="serve the HTTP protocol on PORT (all interfaces)")
    server.add_argument("port", type=int)
    server.add_argument("--data", type=Path, default=Path(DEFAULT_DATA),
                        help=f"directory of the persistent index (default ./{DEFAULT_DATA})")
    server.add_argument("--host", default="0.0.0.0", help="address to bind (default all interfaces)")
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(args.verbose, 2)]
    logging.basicConfig(level=level, stream=sys.stderr, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if args.command == "server":
        from newsdesk.tgnews.server import serve

        return serve(args.host, args.port, args.data)
    return _batch(args.command, args.source_dir, args.workers)


def _batch(mode: str, source: Path, workers: int | None) -> int:
    if not source.exists():
        print(f"tgnews: {source}: no such directory (give the folder of .html pages)", file=sys.stderr)
        return 2
    from newsdesk.tgnews.batch import run

    document = run(mode, source, workers)
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
