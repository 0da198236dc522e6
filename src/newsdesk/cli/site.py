"""``serve``: the site and the API."""

from __future__ import annotations

import typer

from newsdesk.cli.app import Context, app, guarded


@app.command("serve")
@guarded
def serve_cmd(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    workers: int = typer.Option(1, "--workers", help="Worker processes."),
) -> None:
    """Serve the site and the JSON API (loads the bundled sample into an empty archive first)."""
    import uvicorn

    from newsdesk.web.app import create_app

    obj: Context = ctx.obj
    app_ = create_app(obj.settings)
    uvicorn.run(app_, host=host, port=port, workers=workers, log_level="warning" if obj.quiet else "info")
