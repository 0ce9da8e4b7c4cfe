"""The HTTP API for pharmacy software: JSON in, JSON or PDF out.

Every error is JSON, ``{"error": …, "problems": [{"field": …, "message": …}]}``,
with the command line's own messages and a status that says whose fault it is:
404 (no such drug or document), 422 (a mistake in the request), 409 (the
language's translation is incomplete, or a check stopped the document), 503
(busy, or a worker stopped: try again). The routes and their fields are
described by :data:`leaflet.serve.openapi.OPENAPI`.
"""

from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..record.errors import InputError
from .pool import Busy, WorkerLost
from .requests import FieldProblem, field_problems, read_taper_call
from .service import DocumentRequest, LeafletService, NotFound, Unprintable

__all__ = ["api_routes", "error_response", "pdf_response"]


def error_response(error: Exception) -> JSONResponse:
    """The JSON answer to a failed request, with the status that says whose fault it is."""
    if isinstance(error, NotFound):
        return JSONResponse({"error": str(error), "problems": []}, status_code=404)
    if isinstance(error, InputError):
        problems = [p.as_json() for p in field_problems(error.problems)]
        return JSONResponse({"error": "invalid request", "problems": problems}, status_code=422)
    if isinstance(error, Unprintable):
        problems = [{"field": "lang", "message": str(p)} for p in error.problems]
        return JSONResponse(
            {"error": "the document cannot be printed now", "problems": problems},
            status_code=409,
        )
    if isinstance(error, Busy):
        return JSONResponse(
            {"error": "busy: every worker is rendering; try again in a moment", "problems": []},
            status_code=503,
            headers={"retry-after": "1"},
        )
    if isinstance(error, WorkerLost):
        return JSONResponse(
            {
                "error": "the worker rendering this request stopped (it was replaced); try again",
                "problems": [],
            },
            status_code=503,
            headers={"retry-after": "1"},
        )
    raise error


def _invalid(problems: list[FieldProblem]) -> JSONResponse:
    return JSONResponse(
        {"error": "invalid request", "problems": [p.as_json() for p in problems]},
        status_code=422,
    )


def pdf_response(data: bytes, name: str) -> Response:
    """A PDF shown in the browser (to print or save), never cached."""
    return Response(
        data,
        media_type="application/pdf",
        headers={"content-disposition": f'inline; filename="{name}"'},
    )


def _service(request: Request) -> LeafletService:
    service: LeafletService = request.app.state.service
    return service


async def drugs(request: Request) -> Response:
    return JSONResponse({"drugs": _service(request).drugs()})


async def languages(request: Request) -> Response:
    return JSONResponse({"languages": _service(request).languages()})


async def products(request: Request) -> Response:
    try:
        found = _service(request).products(request.path_params["drug"])
    except NotFound as error:
        return error_response(error)
    return JSONResponse({"drug": request.path_params["drug"], "products": found})


async def document(request: Request) -> Response:
    params = request.query_params
    unknown = sorted(set(params) - {"paper", "edition"})
    if unknown:
        return _invalid(
            [FieldProblem(unknown[0][:40], "unknown parameter (expected paper or edition)")]
        )
    edition = params.get("edition", "standard")
    if edition not in ("standard", "large-print"):
        return _invalid(
            [FieldProblem("edition", "not an edition (expected standard or large-print)")]
        )
    wanted = DocumentRequest(
        drug=request.path_params["drug"],
        lang=request.path_params["lang"],
        audience=request.path_params["audience"],
        paper=params.get("paper", "a4"),  # type: ignore[arg-type]
        large_print=edition == "large-print",
    )
    try:
        data, name = await run_in_threadpool(_service(request).document, wanted)
    except (NotFound, Unprintable) as error:
        return error_response(error)
    return pdf_response(data, name)


async def taper(request: Request) -> Response:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return JSONResponse(
            {"error": "expected a JSON body (Content-Type: application/json)", "problems": []},
            status_code=415,
        )
    try:
        body = json.loads(await request.body())
    except ValueError:
        return _invalid([FieldProblem("body", "not valid JSON (expected a JSON object)")])
    call = read_taper_call(body)
    if call.problems:
        return _invalid(call.problems)
    service = _service(request)
    try:
        record, schedule, personal = service.plan(call.drug, call.fields)
        if call.format == "json":
            return JSONResponse(service.schedule_json(record, schedule))
        data = await service.taper_pdf(
            record,
            schedule,
            lang=call.lang,
            paper=call.paper,  # type: ignore[arg-type]
            personal=personal,
            large_print=call.large_print,
        )
    except (NotFound, InputError, Unprintable, Busy, WorkerLost) as error:
        return error_response(error)
    return pdf_response(data, f"{record.drug.id}-taper.pdf")


async def openapi(request: Request) -> Response:
    from .openapi import OPENAPI

    return JSONResponse(OPENAPI)


def api_routes() -> list[Route]:
    """The API's routes, all under /api/."""
    return [
        Route("/api/drugs", drugs),
        Route("/api/languages", languages),
        Route("/api/drugs/{drug}/products", products),
        Route("/api/documents/{drug}/{lang}/{audience}", document),
        Route("/api/taper", taper, methods=["POST"]),
        Route("/api/openapi.json", openapi),
    ]
