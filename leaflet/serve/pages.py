"""The web pages a pharmacist uses at the counter: leaflets and taper calendars.

Plain HTML forms that work without JavaScript (a small script only filters
the list of medicines as one types). A taper form is checked exactly as
``leaflet taper`` checks its options: each problem is shown next to its field,
in the command line's words. Forms are protected by a double-submit CSRF token.
"""

from __future__ import annotations

import hmac
import io
import secrets
from typing import Any
from urllib.parse import parse_qs, urlencode

import jinja2
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..record.errors import InputError
from ..render.context import EnglishUi
from ..render.dosing_view import product_label
from ..resources import bundled, package_folder
from ..translation.languages import bcp47
from .api import pdf_response
from .pool import Busy, WorkerLost
from .requests import field_problems, read_taper_call
from .service import DocumentRequest, LeafletService, NotFound, Unprintable

__all__ = ["page_routes"]

HERE = package_folder() / "serve"
_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)
AUDIENCES = (
    ("patient", "Patient leaflet"),
    ("clinician", "Clinician quick card"),
    ("taper", "Taper and withdrawal handout"),
)
PAPERS = (("a4", "A4"), ("letter", "US Letter"))
CSRF_COOKIE = "leaflet_csrf"
#: Form fields the taper page sends that are not the API's own.
_PAGE_ONLY = ("csrf", "supply", "supply2", "plan_kind", "action")


def _service(request: Request) -> LeafletService:
    service: LeafletService = request.app.state.service
    return service


def _page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    service = _service(request)
    languages = [{**lang, "tag": bcp47(lang["code"])} for lang in service.languages()]
    html = _templates.get_template(template).render(
        branding=service.presentation.branding, languages=languages, **context
    )
    return HTMLResponse(html, status_code=status)


async def index(request: Request) -> Response:
    return await documents(request)


async def documents(request: Request) -> Response:
    service = _service(request)
    params = request.query_params
    drugs = service.drugs()
    chosen: dict[str, Any] = {
        "drug": params.get("drug", drugs[0]["id"] if drugs else ""),
        "lang": params.get("lang", "en"),
        "audience": params.get("audience", "patient"),
        "paper": params.get("paper", "a4"),
        "large_print": params.get("edition") == "large-print",
    }
    result, error, status = None, None, 200
    if "drug" in params:
        wanted = DocumentRequest(
            chosen["drug"], chosen["lang"], chosen["audience"], chosen["paper"],
            chosen["large_print"],
        )  # fmt: skip
        try:
            await run_in_threadpool(service.document, wanted)
        except NotFound as problem:
            error, status = str(problem), 404
        except Unprintable as problem:
            error, status = "; ".join(p.message for p in problem.problems), 409
        else:
            query = urlencode(
                {
                    "paper": wanted.paper,
                    "edition": "large-print" if wanted.large_print else "standard",
                }
            )
            path = f"{wanted.drug}/{wanted.lang}/{wanted.audience}"
            name = service.record(wanted.drug).drug.name
            label = dict(AUDIENCES)[wanted.audience]
            result = {
                "title": f"{name}: {label.lower()}",
                "pdf": f"/api/documents/{path}?{query}",
                "preview": f"/preview/{path}?{query}",
            }
    return _page(
        request,
        "documents.html",
        status,
        title="Print a leaflet",
        page="documents",
        drugs=drugs,
        chosen=chosen,
        audiences=AUDIENCES,
        papers=PAPERS,
        result=result,
        error=error,
    )


async def preview(request: Request) -> Response:
    """Page 1 of a document as a PNG, from the verified build."""
    params = request.query_params
    wanted = DocumentRequest(
        request.path_params["drug"], request.path_params["lang"],
        request.path_params["audience"], params.get("paper", "a4"),  # type: ignore[arg-type]
        params.get("edition") == "large-print",
    )  # fmt: skip
    try:
        data, _name = await run_in_threadpool(_service(request).document, wanted)
    except (NotFound, Unprintable):
        return Response(status_code=404)
    png = await run_in_threadpool(_first_page_png, data)
    return Response(png, media_type="image/png")


def _first_page_png(pdf: bytes) -> bytes:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=70 / 72).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()
    finally:
        document.close()


def _csrf(request: Request) -> str:
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)


def _with_csrf(response: Response, token: str) -> Response:
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
    return response


async def taper_form(request: Request) -> Response:
    service = _service(request)
    drugs = [d for d in service.drugs() if d["taper"]]
    drug = request.query_params.get("drug", "")
    if drug and drug not in {d["id"] for d in drugs}:
        drug = ""
    values = _defaults(drug)
    token = _csrf(request)
    return _with_csrf(_taper_page(request, drugs, values, {}, token, None), token)


def _defaults(drug: str) -> dict[str, Any]:
    return {
        "drug": drug, "supply": "", "current_dose": "", "split": "", "plan_kind": "days",
        "days": "", "step_mg": "", "every_days": "", "start": "", "patient_name": "",
        "prescriber": "", "pharmacy_phone": "", "pump_team_phone": "", "lang": "en",
        "paper": "a4", "large_print": False, "supply2": "", "min_ml": "", "times_per_day": "",
        "dose_times": "", "prescriber_override": False,
    }  # fmt: skip


def _taper_page(
    request: Request,
    drugs: list[dict[str, Any]],
    values: dict[str, Any],
    problems: dict[str, list[str]],
    token: str,
    schedule: dict[str, Any] | None,
    status: int = 200,
) -> HTMLResponse:
    service = _service(request)
    supplies: list[dict[str, str]] = []
    has_pump = False
    if values["drug"]:
        record = service.record(values["drug"])
        has_pump = "intrathecal" in record.routes()
        models = {product.id: product for product in record.products}
        for product in service.products(values["drug"]):
            # The record's own name for the product, as the leaflet prints it in English.
            name = product_label(models[product["id"]], record.drug.name, EnglishUi())
            for strength in product["strengths"]:
                supplies.append(
                    {"value": f"{product['id']}|{strength}", "label": f"{name}: {strength}"}
                )
    return _page(
        request,
        "taper.html",
        status,
        title="Taper calendar",
        page="taper",
        drugs=drugs,
        values=values,
        problems=problems,
        csrf=token,
        supplies=supplies,
        papers=PAPERS,
        schedule=schedule,
        has_pump=has_pump,
    )


async def taper_submit(request: Request) -> Response:
    service = _service(request)
    raw = (await request.body()).decode("utf-8", "replace")
    form = {key: values[-1] for key, values in parse_qs(raw, keep_blank_values=True).items()}
    token = request.cookies.get(CSRF_COOKIE, "")
    if not token or not hmac.compare_digest(token, form.get("csrf", "")):
        return HTMLResponse(
            "<!doctype html><title>Form expired</title><p>This form has expired. "
            '<a href="/taper">Open the taper calendar again</a>.</p>',
            status_code=403,
        )
    drugs = [d for d in service.drugs() if d["taper"]]
    values = {**_defaults(form.get("drug", "")), **{k: v for k, v in form.items() if k != "csrf"}}
    values["large_print"] = form.get("large_print") == "true"
    values["prescriber_override"] = form.get("prescriber_override") == "true"
    body = _api_body(form, service)
    call = read_taper_call(body)
    problems: dict[str, list[str]] = {}
    for problem in call.problems:
        problems.setdefault(problem.field, []).append(problem.message)
    schedule = None
    if not problems:
        try:
            record, planned, personal = service.plan(call.drug, call.fields)
            if form.get("action") == "pdf":
                data = await service.taper_pdf(
                    record, planned, lang=call.lang, paper=call.paper,  # type: ignore[arg-type]
                    personal=personal, large_print=call.large_print,
                )  # fmt: skip
                return pdf_response(data, f"{record.drug.id}-taper.pdf")
            schedule = _schedule_view(service.schedule_json(record, planned))
        except InputError as error:
            for problem in field_problems(error.problems):
                problems.setdefault(problem.field, []).append(problem.message)
        except NotFound as error:
            problems.setdefault("drug", []).append(str(error))
        except (Unprintable, Busy, WorkerLost) as error:
            text = (
                "; ".join(p.message for p in error.problems)
                if isinstance(error, Unprintable)
                else ("Every worker is busy or one stopped: try again in a moment.")
            )
            problems.setdefault("lang", []).append(text)
    status = 422 if problems else 200
    return _with_csrf(_taper_page(request, drugs, values, problems, token, schedule, status), token)


def _api_body(form: dict[str, str], service: LeafletService) -> dict[str, Any]:
    """The taper form as the API's request body (the fields the command line takes)."""
    body: dict[str, Any] = {
        key: value for key, value in form.items() if key not in _PAGE_ONLY and value != ""
    }
    product, _, strength = form.get("supply", "").partition("|")
    if product:
        body["product"] = product
        body["strength"] = strength
        _, _, second = form.get("supply2", "").partition("|")
        if second and second != strength:
            # Two strengths combine only within the first product: a strength of another
            # product is refused by the command line's own check, with its message.
            body["strength"] = [strength, second]
        try:
            forms = {p["id"]: p["form"] for p in service.products(form.get("drug", ""))}
            body["form"] = forms.get(product, "")
        except NotFound:
            pass
    kind = form.get("plan_kind", "days")
    for key, keep in (("days", "days"), ("step_mg", "step"), ("every_days", "step")):
        if kind != keep:
            body.pop(key, None)
    if kind == "label":
        body["plan"] = "label"
    if "split" in body:
        body["split"] = [part.strip() for part in body["split"].split(",")]
    body.setdefault("format", "json")
    body.pop("format")
    return body


_TIME_ORDER = ("morning", "midday", "evening", "bedtime")


def _schedule_view(schedule: dict[str, Any]) -> dict[str, Any]:
    """The schedule JSON as the page's table shows it: one row per run of equal days."""
    rows: list[dict[str, Any]] = []
    for day in schedule["days"]:
        key = (tuple((d["time"], d["mg"]) for d in day["doses"]), day["stop"])
        if rows and rows[-1]["key"] == key:
            rows[-1]["to"] = day["date"]
            continue
        rows.append(
            {
                "key": key,
                "from": day["date"],
                "to": day["date"],
                "total": "stop" if day["stop"] else f"{day['total_mg']} mg",
                "doses": {d["time"]: _dose(d) for d in day["doses"]},
            }
        )
    times = [t for t in _TIME_ORDER if any(t in row["doses"] for row in rows)]
    steps = [
        {
            "dates": row["from"] if row["from"] == row["to"] else f"{row['from']} to {row['to']}",
            "total": row["total"],
            "doses": [row["doses"].get(time, "–") for time in times],
        }
        for row in rows
    ]
    return {
        "start": schedule["start"],
        "stop": schedule["stop"],
        "times": [time.capitalize() for time in times],
        "steps": steps,
    }


def _dose(dose: dict[str, Any]) -> str:
    if "ml" in dose:
        return f"{dose['mg']} mg = {dose['ml']} mL"
    count, unit = dose.get("count"), dose.get("unit", "")
    plural = "" if str(count) in ("1", "0.5", "0.25", "0.75") else "s"
    return f"{dose['mg']} mg: {count} {unit}{plural}"


async def redirect_home(request: Request) -> Response:
    return RedirectResponse("/", status_code=303)


#: The bundled fonts the pages use, so that every language's name shows on any machine.
PAGE_FONTS = {
    "NotoSans-Regular.ttf": "font/ttf",
    "NotoSans-Bold.ttf": "font/ttf",
    "NotoSansArabic-Regular.ttf": "font/ttf",
    "NotoSansArabic-Bold.ttf": "font/ttf",
    "NotoSansCJKsc-Regular.otf": "font/otf",
}


async def font(request: Request) -> Response:
    """One of :data:`PAGE_FONTS`, by name from a fixed list (no path reaches the disk)."""
    name = request.path_params["name"]
    if name not in PAGE_FONTS:
        return Response(status_code=404)
    data = await run_in_threadpool((bundled("fonts") / name).read_bytes)
    # A day: the CJK face is 16 MB, and the fonts change only with leaflet.
    return Response(
        data, media_type=PAGE_FONTS[name], headers={"cache-control": "public, max-age=86400"}
    )


def page_routes() -> list[Route | Mount]:
    """The pages, the static files they use, and the preview images."""
    return [
        Route("/", index),
        Route("/documents", documents),
        Route("/preview/{drug}/{lang}/{audience}", preview),
        Route("/taper", taper_form, methods=["GET"]),
        Route("/taper", taper_submit, methods=["POST"]),
        Route("/fonts/{name}", font),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
