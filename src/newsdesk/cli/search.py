"""``search`` and ``reindex``: the full-text index from the command line."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, date, datetime, time, timedelta

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from newsdesk import search as engine
from newsdesk.cli.app import Context, app, err, fail, guarded
from newsdesk.search.fastindex import for_settings

out = Console(highlight=False, soft_wrap=True)
_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


@app.command("search")
@guarded
def search_cmd(
    ctx: typer.Context,
    query: str = typer.Argument(..., help='Words (any form) and "quoted phrases"; all must match.'),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per hit on stdout."),
    tag: str = typer.Option(None, "--tag", help="Only articles with this tag (name or slug)."),
    rubric: str = typer.Option(None, "--rubric", help="Only this rubric (society, economy, …)."),
    lang: str = typer.Option(None, "--lang", help="Only this language (ru, kk, en)."),
    source: str = typer.Option(None, "--source", help="Only this source."),
    since: str = typer.Option(None, "--since", help="Published on or after (2024-04-12 or ISO 8601; UTC)."),
    until: str = typer.Option(None, "--until", help="Published before; a bare date includes that day."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=100, help="Hits to show (1–100)."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many hits first."),
    recency: bool = typer.Option(False, "--recency", help="Favour recent articles."),
    newest: bool = typer.Option(False, "--newest", help="Newest first (undated last), not best first."),
) -> None:
    """Search the archive: best matches first, with highlighted snippets."""
    obj: Context = ctx.obj
    filters = engine.Filters(tag=tag, rubric=rubric, lang=lang, source=source,
                             since=parse_date(since, "--since"), until=parse_date(until, "--until", end=True))
    with obj.archive().engine.connect() as conn:
        results = engine.search(conn, query, filters, limit=limit, offset=offset, recency=recency,
                                index=for_settings(obj.settings), newest=newest)
    for rank, hit in enumerate(results.items, offset + 1):
        if as_json:
            typer.echo(json.dumps(hit_dict(hit), ensure_ascii=False))
        else:
            out.print(readable(rank, hit))
    if not obj.quiet:
        err.print(summary(results, offset), markup=False)


@app.command("reindex")
@guarded
def reindex_cmd(
    ctx: typer.Context,
    everything: bool = typer.Option(False, "--all", help="Reindex every article, not only stale ones."),
) -> None:
    """Index articles never indexed or indexed by an older analyzer version (--all: every article).

    With NEWSDESK_SEARCH_ENGINE=tantivy the embedded index then catches up (--all: is rebuilt)."""
    obj: Context = ctx.obj
    archive = obj.archive()
    if obj.quiet:
        count = engine.reindex(archive, everything=everything)
    else:
        columns = (TextColumn("reindexing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=err, transient=True) as progress:
            task = progress.add_task("reindex", total=None)
            count = engine.reindex(archive, lambda done, total: progress.update(task, completed=done, total=total),
                                   everything=everything)
    if not obj.quiet:
        err.print(f"reindexed {count} articles (analyzer {engine.version()})", markup=False)
    if (index := for_settings(obj.settings)) is not None:
        with archive.engine.connect() as conn:
            applied = index.rebuild(conn) if everything else index.sync(conn, lag=None)
        if not obj.quiet:
            err.print(f"tantivy index at {index.path}: {max(applied, 0)} documents applied", markup=False)


def parse_date(value: str | None, option: str, end: bool = False) -> datetime | None:
    """A date or ISO datetime (UTC when no zone); a bare date as ``--until`` means the end of that day."""
    if not value:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime.combine(day + timedelta(days=1 if end else 0), time(), UTC)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} {value!r}: expected a date like 2024-04-12 or 2024-04-12T09:30") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def summary(results: engine.Results, offset: int) -> str:
    """«1–2 of 2 found (1 copy under its original)»: the range counts results, copies are told apart."""
    folded = sum(len(hit.copies) for hit in results.items)
    shown = f"{offset + 1}–{offset + len(results.items)} of " if results.items else ""
    found = f"{results.total}" if results.exact else f"up to {results.total}"
    copies = (f" ({folded} {'copy' if folded == 1 else 'copies'} under {'its' if folded == 1 else 'their'} "
              f"original{'' if folded == 1 else 's'})" if folded else "")
    return f"{shown}{found} found{copies} in {results.took_ms:.0f} ms"


def hit_dict(hit: engine.Hit) -> dict[str, object]:
    return {"id": hit.id, "score": hit.score, "title": hit.title, "title_highlighted": hit.title_highlighted,
            "snippet": hit.snippet, "url": hit.url, "source": hit.source,
            "published_at": hit.published_at.isoformat() if hit.published_at else None,
            "lang": hit.lang, "rubric": hit.rubric,
            "copies": [{"id": i, "source": source} for i, source in hit.copies]}


def readable(rank: int, hit: engine.Hit) -> Text:
    meta = ", ".join(x for x in (hit.source, f"{hit.published_at:%Y-%m-%d}" if hit.published_at else None,
                                 hit.id) if x)
    line = Text(f"{rank}. ")
    line.append_text(marked(hit.title_highlighted or hit.id, "bold"))
    line.append(f"  ({meta})", style="dim")
    if hit.snippet:
        line.append("\n   ")
        line.append_text(marked(hit.snippet))
    if hit.copies:
        line.append("\n   also: " + ", ".join(f"{source or 'copy'} ({i})" for i, source in hit.copies), style="dim")
    return line


def marked(fragment: str, style: str = "") -> Text:
    """Our snippet HTML as terminal text: <mark> becomes reverse video, entities are decoded."""
    text = Text(style=style)
    pos = 0
    for match in _MARK.finditer(fragment):
        text.append(html.unescape(fragment[pos:match.start()]))
        text.append(html.unescape(match.group(1)), style="reverse")
        pos = match.end()
    text.append(html.unescape(fragment[pos:]))
    return text
