"""``serve``: the site and the API."""

from __future__ import annotations

import typer

from newsdesk.cli.app import Context, app, err, guarded


@app.command("serve")
@guarded
def serve_cmd(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    workers: int = typer.Option(1, "--workers", help="Worker processes."),
) -> None:
    """Serve the site and the JSON API (loads the bundled sample into an empty archive first)."""
    import os

    import uvicorn

    from newsdesk.store.queries import count_articles
    from newsdesk.web.sample import load_sample_if_empty

    obj: Context = ctx.obj
    archive = obj.archive(create=True)
    with archive.engine.connect() as conn:
        empty = not count_articles(conn)
    if empty and obj.settings.load_sample:
        err.print("first run: analysing the bundled sample (language, entities, rubrics, tags, stories)…",
                  markup=False)
        summary = load_sample_if_empty(archive)
        err.print(f"sample loaded: {summary.line() if summary else 'already there'}", markup=False)
    os.environ["NEWSDESK_DATABASE_URL"] = obj.settings.database_url  # the workers read their settings from it
    err.print(f"newsdesk: http://{host}:{port}/", markup=False)
    uvicorn.run("newsdesk.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                log_level="warning" if obj.quiet else "info")
