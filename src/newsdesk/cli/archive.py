"""``ingest`` and ``export``: records in, everything learned out."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from newsdesk.cli.app import Context, app, err, fail, guarded, stop_on_signals
from newsdesk.errors import InputError, InputWarning
from newsdesk.export import write_jsonl
from newsdesk.ingest import Summary, ingest
from newsdesk.pipeline import Pipeline
from newsdesk.sources import FORMATS, STDIN_ENDED, Item, StopReading, interrupt_stdin, read


@app.command("ingest")
@guarded
def ingest_cmd(
    ctx: typer.Context,
    targets: list[str] = typer.Argument(..., help="Files, directories, .zip/.gz archives, URLs, or - for stdin."),
    fmt: str = typer.Option("auto", "--format", "-f", help=f"Input format: {'|'.join(FORMATS)}."),
    source: str = typer.Option(None, "--source", help="Source (outlet) name for records that don't carry one."),
    no_nlp: bool = typer.Option(False, "--no-nlp", help="Store only: skip the language stages (fast bulk loads)."),
    restore_deleted: bool = typer.Option(False, "--restore-deleted", help="Also let in the articles an editor "
                                         "deleted (skipped otherwise, by id and URL): their deletion is forgotten."),
) -> None:
    """Ingest articles; prints a summary (added, updated, unchanged, rejected); exit 1 if any was rejected."""
    obj: Context = ctx.obj
    if fmt not in FORMATS:
        raise fail(f"--format {fmt!r}: choose one of {', '.join(FORMATS)}")
    pipeline = Pipeline(stages=[]) if no_nlp else Pipeline()
    items = _all(targets, fmt, source)

    def report(error: InputError) -> None:
        kind = "warning" if isinstance(error, InputWarning) else "rejected"
        err.print(f"{kind} {error}", markup=False, soft_wrap=True)

    summary = _run(obj, items, pipeline, report, restore_deleted)
    if not obj.quiet:
        err.print(f"{summary.line()}", markup=False)
    if summary.interrupted or STDIN_ENDED.is_set():
        raise typer.Exit(130)
    if summary.rejected:
        raise typer.Exit(1)


def _all(targets: list[str], fmt: str, source: str | None) -> Iterator[Item]:
    for target in targets:
        try:
            yield from read(target, fmt, source)
        except StopReading:  # a first Ctrl-C while a live pipe waited: what came is stored
            return


class _Stopping:
    """Stop at the next safe point once signalled, unless the signal only ended a live pipe's read
    (`sources.interrupt_stdin`): then the records read are all the input, and they are stored."""

    def __init__(self, signalled: threading.Event) -> None:
        self.signalled = signalled

    def is_set(self) -> bool:
        return self.signalled.is_set() and not STDIN_ENDED.is_set()


def _run(obj: Context, items: Iterator[Item], pipeline: Pipeline, report,  # noqa: ANN001
         restore: bool = False) -> Summary:
    archive, signalled = obj.archive(create=True), threading.Event()
    stopping = _Stopping(signalled)
    STDIN_ENDED.clear()  # (an earlier run in this process may have ended its input so)
    with stop_on_signals(signalled, "storing the articles analysed so far", interrupt_stdin):
        if obj.quiet or not sys.stderr.isatty():
            return ingest(archive, items, pipeline, on_error=report, stop=stopping.is_set, restore_deleted=restore)
        columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
        with Progress(*columns, console=err, transient=True) as progress:
            task = progress.add_task("ingesting", total=None)

            def tick(summary: Summary) -> None:
                progress.update(task, description=f"ingesting: {summary.line()}")

            return ingest(archive, items, pipeline, on_error=report, on_batch=tick, batch=500, stop=stopping.is_set,
                          restore_deleted=restore)


@app.command("export")
@guarded
def export_cmd(
    ctx: typer.Context,
    output: Path = typer.Option(None, "--output", "-o", help="Write to this file (default, or -: stdout)."),
) -> None:
    """Export every article with everything the engine learned, as JSON lines."""
    obj: Context = ctx.obj
    with obj.archive().engine.connect() as conn:
        if output is None or str(output) == "-":  # «-o -» is stdout, as «ingest -» reads stdin
            count = write_jsonl(conn, sys.stdout)
        else:
            with output.open("w", encoding="utf-8") as out:
                count = write_jsonl(conn, out)
    if not obj.quiet:
        err.print(f"exported {count} records", markup=False)


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)
