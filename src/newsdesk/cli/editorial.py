"""``train``, ``audit``, ``rethread`` and ``reanalyse``: editors' work over the whole archive."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from newsdesk.cli.app import Context, app, err, fail, guarded
from newsdesk.errors import InputError
from newsdesk.sources.fields import parse_date


@app.command("train")
@guarded
def train_cmd(
    ctx: typer.Context,
    rubrics: Path = typer.Option(None, "--rubrics", help="Also rebuild the rubric model from the labelled sets "
                                 "in this folder (../shared/data); with dense vectors on, its dense head embeds "
                                 "~6,100 labelled texts first (~25 minutes; NEWSDESK_DENSE_THREADS=2 on an idle "
                                 "machine halves it)."),
    rubric_out: Path = typer.Option(None, "--rubric-out", help="Where the rebuilt rubric model goes "
                                    "(default: the package's shipped model)."),
    own_rubrics: bool = typer.Option(False, "--own-rubrics", help="Also learn the outlet's rubrics from the "
                                     "archive's articles whose rubric an editor gave (with the labelled sets of "
                                     "--rubrics when given, instead of rebuilding the shipped model), keep that "
                                     "model in the archive for new articles and re-classify the engine's rubrics."),
    if_stale: int = typer.Option(0, "--if-stale", min=0, metavar="N",
                                 help="Train only when the archive's tag model is missing or N or more tagged "
                                 "articles (or editors' tag saves, or deletions of tagged articles) came since it was "
                                 "trained: for a cron job. "
                                 "0: always."),
) -> None:
    """Learn the outlet's tags from the archive's editor tags, re-tag every article, refresh the audit."""
    from newsdesk import editorial

    obj: Context = ctx.obj
    if if_stale and (rubrics is not None or own_rubrics):
        raise fail("--if-stale checks the tag model only: train rubrics without it")
    if if_stale:
        from newsdesk.stages.tagging import tag_model_age

        with obj.archive().engine.connect() as conn:
            age = tag_model_age(conn)
        if age is not None and age.changes < if_stale:
            if not obj.quiet:
                when = f"{age.trained_at:%Y-%m-%d %H:%M} UTC" if age.trained_at else "before"
                err.print(f"tag model is up to date: trained {when} on {age.trained_on} tagged articles, "
                          f"{age.changes} changes since (trains from {if_stale})", markup=False, soft_wrap=True)
            return
    if own_rubrics:
        own = editorial.train_own_rubrics(obj.archive(), rubrics)
        err.print(f"rubric model of the archive: {json.dumps(own.meta, ensure_ascii=False)[:300]}", markup=False)
    elif rubrics is not None:
        from newsdesk.rubrics import DEFAULT_PATH

        meta = editorial.train_rubrics(rubrics, rubric_out or DEFAULT_PATH)
        err.print(f"rubric model: {json.dumps(meta, ensure_ascii=False)[:300]}", markup=False)
    model, flags = editorial.train_tags(obj.archive())
    if not obj.quiet:
        err.print(f"tag model: {len(model.tags)} tags learned from {model.articles} articles; "
                  f"{len(flags)} editor tags flagged by the audit", markup=False)


@app.command("audit")
@guarded
def audit_cmd(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="One JSON line per flagged tag."),
    fresh: bool = typer.Option(False, "--fresh", help="Retrain and audit again instead of the stored audit."),
    limit: int = typer.Option(0, "--limit", help="Show at most this many (0: all)."),
    variants: bool = typer.Option(False, "--variants", help="Instead, the editor tags that look like one tag "
                                  "(«театр», «театры»), most used first, as the last `train` found them."),
) -> None:
    """Editor tags that do not fit their article, worst first, with the tag that fits better."""
    from newsdesk import editorial
    from newsdesk.store.audit import small_archive_note
    from newsdesk.tags import TagOptions

    if variants:
        _print_variants(ctx, as_json, fresh, limit)
        return
    flags = editorial.audit_flags(ctx.obj.archive(), recompute=fresh)
    tagged = editorial.editor_tagged(ctx.obj.archive()) if flags else 0
    note = small_archive_note(tagged, TagOptions().audit_rule_articles) if flags else None
    if note and not ctx.obj.quiet:
        err.print(f"note: {note}", markup=False)
    for flag in flags[:limit or None]:
        if as_json:
            typer.echo(json.dumps({"article_id": flag.article_id, "tag": flag.tag, "score": flag.score,
                                   "better": flag.better}, ensure_ascii=False))
        else:
            better = f" → «{flag.better}»" if flag.better else ""
            typer.echo(f"{flag.score:.3f}  «{flag.tag}»{better}  {flag.article_id}  {flag.title[:80]}")


def _note_untrained(ctx: typer.Context) -> None:
    """Say why no variants are listed when no `newsdesk train` has looked for them yet (not a clean archive)."""
    from newsdesk.stages.tagging import tag_model_age

    with ctx.obj.archive().engine.connect() as conn:
        untrained = tag_model_age(conn) is None
    if untrained and not ctx.obj.quiet:
        err.print("note: no `newsdesk train` yet, which finds the variants (or add --fresh)", markup=False,
                  soft_wrap=True)


def _print_variants(ctx: typer.Context, as_json: bool, fresh: bool, limit: int) -> None:
    from newsdesk import editorial
    from newsdesk.store.audit import stored_variants

    archive = ctx.obj.archive()
    if fresh:
        editorial.train_tags(archive)
    else:
        _note_untrained(ctx)
    with archive.engine.connect() as conn:
        groups = stored_variants(conn)
    for group in groups[:limit or None]:
        if as_json:
            typer.echo(json.dumps(group, ensure_ascii=False))
        else:
            spelled = ", ".join(f"«{t['tag']}» ({t['articles']})" for t in group["tags"])
            typer.echo(f"{group['reason']}: {spelled}")


@app.command("merge-tags")
@guarded
def merge_tags_cmd(
    ctx: typer.Context,
    variants: list[str] = typer.Argument(..., help="The tag variants to merge away («театры»)."),
    into: str = typer.Option(..., "--into", help="The tag every article keeps instead («театр»)."),
) -> None:
    """Merge tag variants into one tag (see `audit --variants`); the variants' pages redirect to it."""
    from newsdesk.store.tagmerge import merge_tags

    with ctx.obj.archive().engine.begin() as conn:
        done = merge_tags(conn, variants, into)
    if not ctx.obj.quiet:
        merged = ", ".join(f"«{name}»" for name in done.merged)
        err.print(f"merged {merged} into «{done.into}»: editor tags of {done.edited} articles, {done.articles} "
                  "with the engine's; `newsdesk train` teaches the tag model the merged tags", markup=False)


@app.command("rethread")
@guarded
def rethread_cmd(
    ctx: typer.Context,
    since: str = typer.Option(..., "--since", help="Rebuild threads of articles published since this date "
                              "(ISO 8601; naive means Asia/Almaty)."),
) -> None:
    """Rebuild story threads for a period, independent of the order articles arrived in."""
    from newsdesk import editorial

    try:
        start: datetime | None = parse_date(since, field="--since")
    except InputError as exc:
        raise fail(str(exc)) from exc
    count = editorial.rethread_since(ctx.obj.archive(), start)  # type: ignore[arg-type]
    if not ctx.obj.quiet:
        err.print(f"rethreaded {count} articles published since {start:%Y-%m-%d %H:%M %Z}", markup=False)


@app.command("reanalyse")
@guarded
def reanalyse_cmd(ctx: typer.Context) -> None:
    """Find every stored article's people, organisations and places again with this version's rules, then
    re-run the rubric and tags that read them (editors' choices stay); for archives analysed by an older
    version."""
    from newsdesk import editorial

    obj: Context = ctx.obj
    if obj.quiet or not sys.stderr.isatty():
        count = editorial.reanalyse(obj.archive())
    else:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=err, transient=True) as bar:
            tasks: dict[str, TaskID] = {}

            def tick(step: str, done: int, total: int | None) -> None:
                if step not in tasks:
                    tasks[step] = bar.add_task(step, total=total)
                bar.update(tasks[step], completed=done)

            count = editorial.reanalyse(obj.archive(), progress=tick)
    if not obj.quiet:
        err.print(f"reanalysed {count} articles (entities, the engine's rubrics, tags)", markup=False)
