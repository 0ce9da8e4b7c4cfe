"""Wire the web app: the pages, the API, the worker pool and the safety layers.

:func:`create_app` returns an ASGI application for one project folder. The
layers, outermost first: the access log (no query strings, no bodies), the
security headers, the access token (off loopback), the body size limit; then
the routes.
"""

from __future__ import annotations

import contextlib
import html
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..project import Project
from ..render.presentation import Presentation
from .api import api_routes
from .openapi import OPENAPI
from .pages import page_routes
from .pool import RenderPool
from .security import MAX_BODY, AccessLog, App, BodyLimit, SecurityHeaders, TokenGate
from .service import LeafletService

__all__ = ["ServeOptions", "create_app"]


@dataclass(frozen=True)
class ServeOptions:
    """How to serve: the workers, the queue, the token and what to print on documents."""

    workers: int = 2
    queue: int = 32
    #: Required on every request when set (serving beyond this machine).
    token: str | None = None
    presentation: Presentation | None = None
    online_url: str | None = None
    max_body: int = MAX_BODY


async def api_docs(request: Request) -> Response:
    """The API's description as a readable page (offline: no script from elsewhere)."""
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<title>API · leaflet</title><link rel='stylesheet' href='/static/app.css'></head>",
        "<body><main id='main'><h1>leaflet API</h1>",
        f"<p>{html.escape(OPENAPI['info']['description'])}</p>",
        "<p>Machine-readable: <a href='/api/openapi.json'>/api/openapi.json</a> (OpenAPI 3.1).</p>",
    ]
    for path, methods in OPENAPI["paths"].items():
        for method, spec in methods.items():
            parts.append(f"<h2><code>{method.upper()} {html.escape(path)}</code></h2>")
            parts.append(f"<p>{html.escape(spec['summary'])}</p>")
            body = spec.get("requestBody")
            if body:
                schema = body["content"]["application/json"]["schema"]
                parts.append(
                    "<table tabindex='0' aria-label='Request fields'><thead><tr>"
                    "<th>Field</th><th>What it holds</th></tr></thead><tbody>"
                )
                for name, field in schema["properties"].items():
                    parts.append(
                        f"<tr><td><code>{name}</code></td><td>{html.escape(field['description'])}</td></tr>"
                    )
                parts.append("</tbody></table>")
                example = json.dumps(body["content"]["application/json"]["example"], indent=2)
                parts.append(
                    f"<pre tabindex='0' aria-label='Example request'>{html.escape(example)}</pre>"
                )
            codes = ", ".join(
                f"{code}: {html.escape(answer['description'])}"
                for code, answer in spec["responses"].items()
            )
            parts.append(f"<p>Answers: {codes}</p>")
    parts.append("</main></body></html>")
    return HTMLResponse("".join(parts))


async def not_found(request: Request, exc: Exception) -> Response:
    return JSONResponse({"error": "no such page", "problems": []}, status_code=404)


def create_app(
    project: Project, options: ServeOptions | None = None, pool: RenderPool | None = None
) -> App:
    """The ASGI application serving ``project``'s documents and taper calendars."""
    options = options or ServeOptions()
    own_pool = pool is None
    pool = pool or RenderPool(project, options.workers, options.queue)
    service = LeafletService(project, pool, options.presentation, options.online_url)
    owned = pool if own_pool else None

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        if owned is not None:  # a pool the caller passed in is the caller's to stop
            owned.close()

    app = Starlette(
        routes=[*page_routes(), *api_routes(), Route("/docs", api_docs)],
        exception_handlers={404: not_found},
        lifespan=lifespan,
    )
    app.state.service = service
    wrapped: App = BodyLimit(app, options.max_body)
    wrapped = TokenGate(wrapped, options.token)
    wrapped = SecurityHeaders(wrapped)
    return AccessLog(wrapped)
