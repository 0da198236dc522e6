"""``sources add|list|remove`` and ``watch``: the live sources and the poller."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import typer

from newsdesk.cli.app import Context, app, err, fail, guarded, stop_on_signals
from newsdesk.fetch import FetchOptions
from newsdesk.pipeline import Pipeline
from newsdesk.store.sources import KINDS, add_source, list_sources, remove_source, source_health
from newsdesk.watch import Watcher, WatchOptions

sources_app = typer.Typer(help="Watched sources: feeds, news sitemaps and section pages.", no_args_is_help=True)
app.add_typer(sources_app, name="sources")

_UNITS = {"": 1, "s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> int:
    """Seconds from ``900``, ``15m``, ``2h`` or ``1d``."""
    match = re.fullmatch(r"\s*(\d+)\s*(s|m|min|h|d)?\s*", text.lower())
    if not match:
        raise fail(f"--interval {text!r}: use seconds or a number with s, m, h or d (e.g. 15m)")
    return int(match.group(1)) * _UNITS[match.group(2) or ""]


def _line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


@sources_app.command("add")
@guarded
def add_cmd(
    ctx: typer.Context,
    url: str = typer.Argument(..., help="Feed, news sitemap or section page URL."),
    name: str = typer.Option(None, "--name", help="Outlet name stored on its articles (default: the host)."),
    interval: str = typer.Option("15m", "--interval", help="How often to poll: seconds, or 15m, 2h, 1d."),
    lang: str = typer.Option(None, "--lang", help="Language of its articles (ru, kk) when known."),
    kind: str = typer.Option("auto", "--kind", help=f"Force the kind: {'|'.join(KINDS)}."),
) -> None:
    """Watch a source; prints it as a JSON line."""
    obj: Context = ctx.obj
    with obj.archive(create=True).engine.begin() as conn:
        source = add_source(conn, url, name, parse_interval(interval), lang, kind,
                            private_ok=obj.settings.fetch_allow_private)
        health = source_health(conn, source.id)
    typer.echo(_line(health.as_dict()))
    if not obj.quiet:
        err.print(f"added source {source.id}: {source.name} ({source.kind}, every {source.interval_s} s)",
                  markup=False)


@sources_app.command("list")
@guarded
def list_cmd(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="JSON lines with the full health record."),
) -> None:
    """Sources with their health: last success, last error, items per day, median latency."""
    obj: Context = ctx.obj
    with obj.archive().engine.connect() as conn:
        sources = list_sources(conn)
    for health in sources:
        data = health.as_dict()
        typer.echo(_line(data) if as_json else _row(data))


def _row(h: dict[str, Any]) -> str:
    latency = f"{h['median_latency_ms']:.0f} ms" if h["median_latency_ms"] is not None else "-"
    error = f"  last error: {h['last_error']}" if h["consecutive_failures"] else ""
    return (f"{h['id']:>4}  {h['status']:<8} {h['kind']:<7} {h['interval_s']:>6}s  "
            f"{h['items_per_day']:>7.1f}/day  {latency:>8}  fails {h['consecutive_failures']}  "
            f"{h['name']}  {h['url']}{error}")


@sources_app.command("remove")
@guarded
def remove_cmd(
    ctx: typer.Context,
    source: str = typer.Argument(..., help="Source id or URL."),
) -> None:
    """Stop watching a source (its articles stay in the archive)."""
    obj: Context = ctx.obj
    with obj.archive().engine.begin() as conn:
        removed = remove_source(conn, source)
    if not obj.quiet:
        err.print(f"removed source {removed.id}: {removed.url}", markup=False)


@app.command("watch")
@guarded
def watch_cmd(
    ctx: typer.Context,
    once: bool = typer.Option(False, "--once", help="One pass over the due sources, then exit (for cron)."),
    force: bool = typer.Option(False, "--force", help="Poll every enabled source now, due or not."),
    workers: int = typer.Option(8, "--workers", min=1, max=64, help="Fetch threads (one host each at a time)."),
    host_delay: float = typer.Option(1.0, "--host-delay", min=0, help="Seconds between requests to one host."),
    timeout: float = typer.Option(15.0, "--timeout", min=0.1, help="Read timeout, seconds."),
    no_nlp: bool = typer.Option(False, "--no-nlp", help="Store only: skip the language stages."),
) -> None:
    """Poll the sources: until stopped (SIGTERM, Ctrl-C), or once with --once."""
    obj: Context = ctx.obj
    fetch = FetchOptions.from_settings(obj.settings, host_delay=host_delay, read_timeout=timeout)
    options = WatchOptions(workers=workers, fetch=replace(fetch, max_connections=max(workers * 2, 16)))
    watcher = Watcher(obj.archive(), options, Pipeline(stages=[]) if no_nlp else None)
    with stop_on_signals(watcher.stopping, "finishing in-flight work"):
        report = watcher.run_once(force) if once or force else watcher.run()
    watcher.close()
    if not obj.quiet:
        err.print(report.line(), markup=False, soft_wrap=True)
