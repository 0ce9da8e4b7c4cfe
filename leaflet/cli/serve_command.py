"""``leaflet serve``: the web app and the HTTP API, for the pharmacy counter."""

from __future__ import annotations

from pathlib import Path

import click

from .common import PROJECT_OPTION
from .output import output_options
from .project_settings import settings_or_exit

__all__ = ["serve"]


@click.command()
@output_options
@PROJECT_OPTION
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Any address but this machine's own (127.0.0.1, ::1) "
    "requires the access token on every request.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Worker processes rendering handouts (default: the CPU cores).",
)
@click.option(
    "--token",
    help="Access token for a non-local --host (default: the settings file's serve.token, "
    "else a new one, printed at start).",
)
@click.option(
    "--settings",
    "settings_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Settings file (TOML): the pharmacy to print, the online-version address, the "
    "token.  [default: the project's leaflet.toml]",
)
def serve(
    host: str, port: int, workers: int | None, token: str | None, settings_file: Path | None
) -> None:
    """Serve leaflets and taper calendars in the browser, and the HTTP API.

    Open the address it prints: pick a medicine, the patient's language and a
    document to print, or fill in a taper calendar. Pharmacy software calls
    the API under /api/ (described at /docs). It works offline. Only this
    machine can reach it unless --host says otherwise; then every request
    needs the access token. Stop it with Ctrl-C.

    \b
    Examples:
        leaflet serve
        leaflet serve --port 9000 --workers 2
        leaflet serve --host 0.0.0.0 --token "$LEAFLET_TOKEN"
    """
    import uvicorn

    from ..project import current_project
    from ..publish.workers import default_jobs
    from ..render.presentation import Presentation
    from ..serve.app import ServeOptions, create_app
    from ..serve.security import is_loopback, new_token

    settings = settings_or_exit(settings_file)
    branding = settings.branding if settings else None
    online = settings.build.online_url if settings else None
    saved_token = settings.serve.token if settings else None
    local = is_loopback(host)
    needed = None if local else (token or saved_token or new_token())
    project = current_project()
    options = ServeOptions(
        workers=workers or default_jobs(),
        token=needed,
        presentation=Presentation(branding=branding),
        online_url=online,
    )
    click.echo(f"leaflet: starting {options.workers} worker(s) for {project.root} …", err=True)
    app = create_app(project, options)
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{port}/"
    if needed is None:
        click.echo(f"leaflet: open {address} (only this machine can reach it; Ctrl-C stops)")
    else:
        click.echo(
            f"leaflet: open {address}?token={needed} (every request needs this token; Ctrl-C stops)"
        )
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning", lifespan="on")
