"""``leaflet serve`` in a real headless Chromium, used as a pharmacist uses it.

Debian's ``chromium`` (installed by ``scripts/setup.sh test``), driven by
Playwright pointed at that browser; axe-core (bundled by axe-playwright-python)
checks each page for WCAG 2.2 AA violations inside the page itself.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Route, sync_playwright

from leaflet.verify.preflight import read_facts_pypdf

from .conftest import copy_project
from .helpers import free_port, required_warnings_found

#: As the HTML edition's browser test starts Chromium: no network, no first-run screens.
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = (
    "/",
    "/documents?drug=gabapentin&lang=ar&audience=clinician",
    "/taper?drug=baclofen",
    "/docs",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``leaflet serve`` on a private copy of the project, as the README starts it."""
    project = copy_project(tmp_path_factory.mktemp("browser"))
    port = free_port()
    leaflet = str(Path(sys.executable).with_name("leaflet"))
    process = subprocess.Popen(
        [leaflet, "--project", str(project.root), "serve", "--port", str(port), "--workers", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                httpx.get(f"{base}/api/drugs", timeout=2)
                break
            except httpx.HTTPError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.time() < deadline, "leaflet serve did not start"
                time.sleep(0.2)
        yield base, project.root
    finally:
        process.terminate()
        process.communicate(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    assert chromium, "Chromium is missing: scripts/test.sh installs the Debian package chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, headless=True, args=FLAGS)
        yield launched
        launched.close()


def _page(browser: Browser, width: int = 1000) -> Page:
    # axe-core is injected as a script: the test lets it past the page's own strict CSP.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    return context.new_page()


def _violations(page: Page) -> list[dict[str, Any]]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    found: list[dict[str, Any]] = results.response["violations"]
    return found


def test_a_pharmacist_picks_a_drug_and_language_and_gets_a_verified_pdf(
    server: tuple[str, Path], browser: Browser
) -> None:
    base, project = server
    page = _page(browser)
    page.goto(base + "/")
    page.fill("#drug-filter", "clona")
    assert page.eval_on_selector("#drug", "select => select.value") == "clonazepam"
    # A language's name in its own script is drawn with leaflet's own font for it.
    page.select_option("#lang", "ar")
    loaded = page.evaluate(
        "async () => { await document.fonts.ready; return [...document.fonts]"
        ".filter(f => f.status === 'loaded').map(f => f.family); }"
    )
    assert loaded.count("leaflet Sans") >= 3, loaded  # Latin regular and bold, Arabic
    page.select_option("#lang", "es_US")
    page.select_option("#audience", "patient")
    page.click("text=Show the leaflet")
    page.wait_for_selector("text=Open the PDF to print or save", timeout=120_000)
    assert page.get_attribute("img.preview", "alt") == "Page 1 of Clonazepam: patient leaflet"
    href = page.get_attribute("a.button", "href")
    assert href is not None
    answer = page.request.get(base + href)
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    required_warnings_found(answer.body(), project, "clonazepam", "es_US", "patient")


def test_a_mistake_is_shown_next_to_its_field_then_the_calendar_prints(
    server: tuple[str, Path], browser: Browser
) -> None:
    base, project = server
    page = _page(browser)
    page.goto(base + "/taper?drug=gabapentin")
    page.select_option("#supply", "gabapentin-capsules|300 mg")
    page.fill("#current_dose", "900")
    page.fill("#split", "300,300,200")
    page.fill("#days", "14")
    page.fill("#start", "2026-12-07")
    page.fill("#patient_name", "Zyxwo Quillfeather")
    page.click("text=Show the schedule")
    problem = page.locator("#split-problem")
    assert problem.inner_text() == (
        "the doses add up to 800 mg, not the current dose of 900 mg (expected doses that add "
        "up to the daily total)"
    )
    assert page.get_attribute("#split", "aria-invalid") == "true"
    assert page.get_attribute("#split", "aria-describedby") == "split-problem"
    page.fill("#split", "300,300,300")
    page.click("text=Show the schedule")
    assert page.locator("#schedule-title").inner_text() == "Schedule: 2026-12-07 to 2026-12-21"
    assert page.locator("#split-problem").count() == 0
    # Chromium shows a PDF in its viewer; the route keeps the bytes the server sent.
    printed: list[bytes] = []

    def keep(route: Route) -> None:
        response = route.fetch()
        if response.headers.get("content-type") == "application/pdf":
            printed.append(response.body())
        route.fulfill(response=response)

    page.context.route("**/taper", keep)
    with page.context.expect_page():
        page.click("text=Print the handout (PDF)")
    deadline = time.time() + 60
    while not printed and time.time() < deadline:
        page.wait_for_timeout(100)
    assert printed, "no PDF came back"
    pdf = printed[0]
    assert pdf.startswith(b"%PDF")
    assert "Zyxwo Quillfeather" in read_facts_pypdf(pdf).text
    required_warnings_found(pdf, project, "gabapentin", "en", "taper")


@pytest.mark.parametrize("width", [360, 1000])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_passes_axe_and_fits_its_width(
    server: tuple[str, Path], browser: Browser, path: str, width: int
) -> None:
    base, _ = server
    page = _page(browser, width)
    page.goto(base + path)
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in _violations(page)] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
