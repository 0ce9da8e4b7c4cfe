"""``leaflet serve``: the API and the pages, on real PDFs, real workers and real errors."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from leaflet.cli.main import cli
from leaflet.project import Project
from leaflet.serve.app import ServeOptions, create_app
from leaflet.serve.openapi import TAPER_EXAMPLE
from leaflet.serve.pool import RenderPool
from leaflet.serve.security import CSP, MAX_BODY
from leaflet.verify.preflight import read_facts_pypdf

from .conftest import copy_project, use_private_project
from .helpers import edit_entry, free_port, required_warnings_found

PATIENT = "Zyxwo Quillfeather"
#: The request docs/api.md and /docs show: the tests prove the documented example works.
GABAPENTIN_TAPER = {key: value for key, value in TAPER_EXAMPLE.items() if key != "format"}


class Served:
    """One running app over a private copy of the project, with its pool and client."""

    def __init__(self, project: Project, pool: RenderPool, client: TestClient) -> None:
        self.project = project
        self.pool = pool
        self.client = client


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    project = copy_project(tmp_path_factory.mktemp("serve"))
    with pytest.MonkeyPatch.context() as patch:
        use_private_project(patch, project)
        pool = RenderPool(project, workers=2, queue=16)
        try:
            with TestClient(create_app(project, ServeOptions(), pool)) as client:
                yield Served(project, pool, client)
        finally:
            pool.close()


# --- listing ---------------------------------------------------------------------------------


def test_the_api_lists_drugs_languages_and_products(served: Served) -> None:
    drugs = served.client.get("/api/drugs").json()["drugs"]
    assert [d["id"] for d in drugs] == ["baclofen", "clonazepam", "gabapentin", "propranolol"]
    assert {d["id"]: d["taper"] for d in drugs}["gabapentin"] is True
    languages = {
        item["code"]: item for item in served.client.get("/api/languages").json()["languages"]
    }
    assert languages["ar"] == {"code": "ar", "name": "العربية", "dir": "rtl"}
    assert languages["de"]["name"] == "Deutsch" and len(languages) == 9
    products = served.client.get("/api/drugs/gabapentin/products").json()["products"]
    capsules = next(p for p in products if p["form"] == "capsule")
    assert capsules["strengths"] == ["100 mg", "300 mg", "400 mg"]
    assert all(p["form"] != "injection" for p in products)


def test_an_unknown_drug_is_404_with_the_choices(served: Served) -> None:
    answer = served.client.get("/api/drugs/aspirin/products")
    assert answer.status_code == 404
    assert answer.json() == {
        "error": "unknown drug 'aspirin' (expected one of: baclofen, clonazepam, gabapentin, "
        "propranolol)",
        "problems": [],
    }


# --- documents -------------------------------------------------------------------------------


def test_a_document_comes_from_the_verified_build_with_its_warnings(served: Served) -> None:
    answer = served.client.get("/api/documents/clonazepam/es_US/patient?paper=letter")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-security-policy"] == CSP
    required_warnings_found(answer.content, served.project.root, "clonazepam", "es_US", "patient")
    # Served from the build's output and its manifest, byte for byte.
    built = served.project.out_dir / "es_US" / "clonazepam-patient-letter.pdf"
    assert built.read_bytes() == answer.content
    manifest = json.loads((served.project.out_dir / "manifest.json").read_text("utf-8"))
    assert any(e["path"] == "es_US/clonazepam-patient-letter.pdf" for e in manifest["documents"])


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        (
            "/api/documents/clonazepam/xx/patient",
            404,
            "unknown language 'xx' (expected one of: en, ar, de, es_US, fr, pt_BR, ru, vi, "
            "zh_Hans)",
        ),
        (
            "/api/documents/propranolol/en/booklet",
            404,
            "Propranolol has no booklet document (expected one of: patient, clinician, taper)",
        ),
        (
            "/api/documents/clonazepam/en/patient?paper=a3",
            404,
            "unknown paper 'a3' (expected a4 or letter)",
        ),
        ("/api/documents/../../etc/passwd", 404, "no such page"),
    ],
)
def test_a_document_that_does_not_exist_is_404(
    served: Served, path: str, status: int, message: str
) -> None:
    answer = served.client.get(path)
    assert answer.status_code == status
    assert answer.json()["error"] == message


def test_a_bad_query_parameter_is_422(served: Served) -> None:
    answer = served.client.get("/api/documents/clonazepam/en/patient?edition=huge")
    assert answer.status_code == 422
    assert answer.json()["problems"] == [
        {"field": "edition", "message": "not an edition (expected standard or large-print)"}
    ]


# --- taper -----------------------------------------------------------------------------------


def _cli_json(*options: str) -> dict[str, object]:
    result = CliRunner().invoke(cli, ["taper", *options, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_taper_schedule_is_the_command_lines_json(served: Served) -> None:
    answer = served.client.post("/api/taper", json={**GABAPENTIN_TAPER, "format": "json"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == _cli_json(
        "--drug", "gabapentin", "--form", "capsule", "--strength", "300 mg", "--strength",
        "100 mg", "--current-dose", "1200", "--split", "400,400,400", "--days", "21",
        "--start", "2026-12-07",
    )  # fmt: skip


def test_a_taper_handout_pdf_holds_the_patient_and_the_warnings(served: Served) -> None:
    answer = served.client.post(
        "/api/taper",
        json={**GABAPENTIN_TAPER, "format": "pdf", "lang": "de", "patient_name": PATIENT},
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert PATIENT in read_facts_pypdf(answer.content).text
    required_warnings_found(answer.content, served.project.root, "gabapentin", "de", "taper")


def test_a_mistake_gets_the_command_lines_message_under_its_field(served: Served) -> None:
    body = {**GABAPENTIN_TAPER, "split": [400, 400, 300], "days": "x"}
    answer = served.client.post("/api/taper", json=body)
    assert answer.status_code == 422
    problems = answer.json()["problems"]
    line = CliRunner().invoke(
        cli,
        ["taper", "--drug", "gabapentin", "--form", "capsule", "--strength", "300 mg",
         "--strength", "100 mg", "--current-dose", "1200", "--split", "400,400,300",
         "--days", "x", "--start", "2026-12-07", "--format", "json"],
    )  # fmt: skip
    assert line.exit_code == 2
    expected = [text.split(": ", 1) for text in line.stderr.splitlines()[:-1]]
    assert [[f"--{p['field'].replace('_', '-')}", p["message"]] for p in problems] == expected
    assert {p["field"] for p in problems} == {"split", "days"}


@pytest.mark.parametrize(
    ("body", "problems"),
    [
        (
            {"drug": "gabapentin", "current_dose": 1200, "start": "2026-12-07", "colour": "red"},
            [{"field": "colour", "message": "unknown field (expected one of: drug, form, strength, "
              "product, min_ml, current_dose, split, times_per_day, dose_times, days, step_mg, "
              "every_days, plan, start, prescriber_override, patient_name, prescriber, "
              "pharmacy_phone, pump_team_phone, lang, paper, large_print, format)"}],
        ),
        (
            {"drug": "gabapentin", "start": "2026-12-07"},
            [{"field": "current_dose", "message": "missing (expected today's daily total in mg)"}],
        ),
        (
            [1, 2],
            [
                {"field": "body", "message": 'not a JSON object (expected {"drug": …, …})'},
                {"field": "drug", "message": "missing (expected the drug's id, e.g. gabapentin)"},
                {"field": "current_dose",
                 "message": "missing (expected today's daily total in mg)"},
                {"field": "start", "message": "missing (expected the first day, YYYY-MM-DD)"},
            ],
        ),
    ],
    ids=["unknown-field", "missing-dose", "not-an-object"],
)  # fmt: skip
def test_a_malformed_request_is_422_with_every_problem(
    served: Served, body: object, problems: list[dict[str, str]]
) -> None:
    answer = served.client.post("/api/taper", json=body)
    assert answer.status_code == 422
    assert answer.json() == {"error": "invalid request", "problems": problems}


def test_a_drug_without_a_taper_and_a_body_not_json(served: Served) -> None:
    answer = served.client.post(
        "/api/taper", content=b"drug=x", headers={"content-type": "text/plain"}
    )
    assert answer.status_code == 415
    answer = served.client.post("/api/taper", json={**GABAPENTIN_TAPER, "drug": "aspirin"})
    assert answer.status_code == 404


def test_an_oversized_body_is_413(served: Served) -> None:
    body = json.dumps({**GABAPENTIN_TAPER, "patient_name": "x" * (MAX_BODY + 1)})
    answer = served.client.post(
        "/api/taper", content=body, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 413
    assert answer.json() == {"error": f"request body too large (expected at most {MAX_BODY} bytes)"}


# --- concurrency and workers -----------------------------------------------------------------


def _asgi(served: Served) -> httpx.AsyncClient:
    app = served.client.app
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1")


def test_sixteen_simultaneous_handouts_are_all_answered_correctly(served: Served) -> None:
    async def many() -> list[httpx.Response]:
        async with _asgi(served) as client:
            calls = [
                client.post(
                    "/api/taper",
                    json={**GABAPENTIN_TAPER, "format": "pdf", "current_dose": 300 * (n % 4 + 1),
                          "split": None, "days": 14 + n},
                )
                for n in range(16)
            ]  # fmt: skip
            return list(await asyncio.gather(*calls))

    answers = asyncio.run(many())
    assert [a.status_code for a in answers] == [200] * 16
    for n, answer in enumerate(answers):
        text = read_facts_pypdf(answer.content).text
        # Each handout is its own: its length in days is printed on it.
        assert f"{14 + n}" in text


def test_a_worker_killed_mid_request_is_replaced_and_the_next_request_succeeds(
    served: Served,
) -> None:
    async def killed() -> httpx.Response:
        async with _asgi(served) as client:
            pending = asyncio.ensure_future(
                client.post("/api/taper", json={**GABAPENTIN_TAPER, "format": "pdf"})
            )
            await asyncio.sleep(0.05)
            for pid in served.pool.worker_pids():
                os.kill(pid, signal.SIGKILL)
            return await pending

    before = served.pool.worker_pids()
    answer = asyncio.run(killed())
    assert answer.status_code == 503
    assert answer.json()["error"].startswith("the worker rendering this request stopped")
    after = served.client.post("/api/taper", json={**GABAPENTIN_TAPER, "format": "pdf"})
    assert after.status_code == 200
    assert set(served.pool.worker_pids()).isdisjoint(before)


def test_a_full_queue_answers_busy_at_once(served: Served) -> None:
    pool = RenderPool(served.project, workers=1, queue=0)
    try:
        app = create_app(served.project, ServeOptions(), pool)

        async def crowd() -> list[httpx.Response]:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
                calls = [
                    c.post("/api/taper", json={**GABAPENTIN_TAPER, "format": "pdf"})
                    for _ in range(4)
                ]
                return list(await asyncio.gather(*calls))

        started = time.perf_counter()
        answers = asyncio.run(crowd())
        statuses = sorted(a.status_code for a in answers)
        assert statuses[0] == 200 and statuses[-1] == 503, statuses
        busy = next(a for a in answers if a.status_code == 503)
        assert busy.headers["retry-after"] == "1"
        assert time.perf_counter() - started < 30
    finally:
        pool.close()


# --- security --------------------------------------------------------------------------------


def test_off_loopback_every_request_needs_the_token(served: Served) -> None:
    app = create_app(served.project, ServeOptions(token="s3cret-token-for-tests"), served.pool)
    with TestClient(app) as client:
        refused = client.get("/api/drugs")
        assert refused.status_code == 401
        assert refused.json() == {
            "error": "access token required (expected the header 'Authorization: Bearer TOKEN', "
            "or open the address leaflet serve printed at start)"
        }
        assert client.get("/", headers={"authorization": "Bearer wrong"}).status_code == 401
        ok = client.get("/api/drugs", headers={"authorization": "Bearer s3cret-token-for-tests"})
        assert ok.status_code == 200
        opened = client.get("/?token=s3cret-token-for-tests", follow_redirects=False)
        assert opened.status_code == 303 and opened.headers["location"] == "/"
        assert client.get("/api/drugs").status_code == 200  # the cookie it set


def test_a_patients_name_reaches_no_file_and_no_log_line(
    served: Served, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    started = time.time()
    with caplog.at_level(logging.DEBUG):
        answer = served.client.post(
            "/api/taper", json={**GABAPENTIN_TAPER, "format": "pdf", "patient_name": PATIENT}
        )
        page = served.client.get("/taper?drug=gabapentin")
        token = page.cookies.get("leaflet_csrf") or served.client.cookies.get("leaflet_csrf")
        form = served.client.post(
            "/taper",
            data={"csrf": token, "drug": "gabapentin", "supply": "gabapentin-capsules|300 mg",
                  "current_dose": "900", "split": "300,300,300", "plan_kind": "days",
                  "days": "14", "start": "2026-12-07", "patient_name": PATIENT,
                  "lang": "en", "paper": "a4", "action": "pdf"},
        )  # fmt: skip
    assert answer.status_code == 200 and PATIENT in read_facts_pypdf(answer.content).text
    assert form.status_code == 200, form.text[:500]
    assert PATIENT not in caplog.text
    assert any("POST /api/taper 200" in r.getMessage() for r in caplog.records)
    needle = PATIENT.encode()
    folders = [served.project.root, Path(os.environ.get("TMPDIR", "/tmp"))]
    for folder in folders:
        for path in folder.rglob("*"):
            try:
                if path.is_file() and path.stat().st_mtime >= started - 1:
                    assert needle not in path.read_bytes(), path
            except (PermissionError, FileNotFoundError):
                continue


def test_every_response_carries_the_strict_policy(served: Served) -> None:
    for path in ("/", "/taper", "/docs", "/api/drugs", "/static/app.css"):
        answer = served.client.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["content-security-policy"] == CSP
        assert answer.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in CSP and "'unsafe-inline'" not in CSP


# --- pages -----------------------------------------------------------------------------------


def test_a_form_post_without_its_csrf_token_is_refused(served: Served) -> None:
    answer = served.client.post("/taper", data={"drug": "gabapentin"})
    assert answer.status_code == 403


def test_the_taper_form_shows_each_mistake_next_to_its_field(served: Served) -> None:
    page = served.client.get("/taper?drug=gabapentin")
    assert page.status_code == 200
    token = served.client.cookies.get("leaflet_csrf")
    fields = {"csrf": token, "drug": "gabapentin", "supply": "gabapentin-capsules|300 mg",
              "current_dose": "900", "split": "300,300,200", "plan_kind": "days",
              "days": "14", "start": "2026-12-07", "lang": "en", "paper": "a4"}  # fmt: skip
    wrong = served.client.post("/taper", data=fields)
    assert wrong.status_code == 422
    assert 'id="split" name="split" value="300,300,200" aria-invalid="true"' in wrong.text
    assert '<p class="field-problem" id="split-problem">' in wrong.text
    fixed = served.client.post("/taper", data={**fields, "split": "300,300,300"})
    assert fixed.status_code == 200
    assert "Schedule: 2026-12-07 to " in fixed.text
    assert "300 mg: 1 capsule" in fixed.text


def test_the_documents_page_offers_a_preview_and_the_pdf(served: Served) -> None:
    page = served.client.get("/documents?drug=gabapentin&lang=ar&audience=clinician&paper=a4")
    assert page.status_code == 200
    assert '<option value="ar" lang="ar" dir="rtl" selected>العربية</option>' in page.text
    assert (
        'href="/api/documents/gabapentin/ar/clinician?paper=a4&amp;edition=standard"' in page.text
    )
    preview = served.client.get("/preview/gabapentin/ar/clinician?paper=a4&edition=standard")
    assert preview.status_code == 200 and preview.content.startswith(b"\x89PNG")


def test_an_incomplete_translation_is_409(served: Served, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    with pytest.MonkeyPatch.context() as patch:
        use_private_project(patch, project)
        edit_entry(
            project.locales_dir / "fr" / "LC_MESSAGES" / "records.po",
            "propranolol:drug.name",
            fuzzy=True,
        )
        app = create_app(project, ServeOptions(), served.pool)
        with TestClient(app) as client:
            answer = client.get("/api/documents/propranolol/fr/clinician")
    assert answer.status_code == 409
    assert answer.json()["error"] == "the document cannot be printed now"
    assert "propranolol:drug.name" in json.dumps(answer.json()["problems"])


# --- the command -----------------------------------------------------------------------------


def test_leaflet_serve_starts_prints_its_address_and_answers(served: Served) -> None:
    import subprocess
    import sys

    port = free_port()
    leaflet = str(Path(sys.executable).with_name("leaflet"))
    server = subprocess.Popen(
        [leaflet, "--project", str(served.project.root), "serve", "--port", str(port),
         "--workers", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.time() + 60
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/drugs", timeout=2)
                break
            except httpx.HTTPError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.time() < deadline, "leaflet serve did not start"
                time.sleep(0.2)
        assert answer.status_code == 200
        assert answer.json()["drugs"][0]["id"] == "baclofen"
    finally:
        server.terminate()
        out, _err = server.communicate(timeout=30)
    assert out.splitlines()[0] == (
        f"leaflet: open http://127.0.0.1:{port}/ (only this machine can reach it; Ctrl-C stops)"
    )


def test_a_weak_token_in_the_settings_is_refused_with_its_line(tmp_path: Path) -> None:
    settings = tmp_path / "leaflet.toml"
    settings.write_text('[build]\npapers = ["a4"]\n\n[serve]\ntoken = "short"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["serve", "--settings", str(settings)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{settings}:5: serve.token: not a usable access token (expected 24 to 200 letters, "
        "digits, '-', '_', '.' or '~', got 5 characters)",
        "1 problem found.",
    ]


def test_the_form_combines_two_strengths_as_the_command_line_does(served: Served) -> None:
    served.client.get("/taper?drug=gabapentin")
    token = served.client.cookies.get("leaflet_csrf")
    fields = {"csrf": token, "drug": "gabapentin", "supply": "gabapentin-capsules|300 mg",
              "supply2": "gabapentin-capsules|100 mg", "current_dose": "1200",
              "split": "400,400,400", "plan_kind": "days", "days": "21",
              "start": "2026-12-07", "lang": "en", "paper": "a4"}  # fmt: skip
    answer = served.client.post("/taper", data=fields)
    assert answer.status_code == 200, answer.text[:300]
    assert "Schedule: 2026-12-07 to 2026-12-28" in answer.text
    assert "400 mg: 2 capsules" in answer.text


def test_the_pages_fonts_come_from_leaflet_and_nothing_else_does(served: Served) -> None:
    answer = served.client.get("/fonts/NotoSansArabic-Regular.ttf")
    assert answer.status_code == 200 and answer.headers["content-type"] == "font/ttf"
    assert answer.headers["cache-control"] == "public, max-age=86400"
    for path in ("/fonts/fonts.conf", "/fonts/OFL-Noto.txt", "/fonts/..%2Fleaflet.toml"):
        assert served.client.get(path).status_code == 404, path
    css = served.client.get("/static/app.css").text
    assert "url(" in css and "http" not in css.replace("/fonts/", "")
