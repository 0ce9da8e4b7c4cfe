"""Shared fixtures: one session-scoped build of every record, read back from PDF with pypdf."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaflet import project as project_module
from leaflet.cli import common as cli_common
from leaflet.project import Project
from leaflet.publish import document
from leaflet.publish.build import BuildOptions, BuildReport, build
from leaflet.render.context import Paper
from leaflet.translation import domains
from leaflet.translation.languages import PSEUDO_LOCALE
from leaflet.verify.preflight import PdfFacts, RequiredText, read_facts_pypdf

ROOT = Path(__file__).resolve().parent.parent
BACLOFEN = ROOT / "data" / "baclofen.yaml"
FICTIONAL = ROOT / "tests" / "fixtures" / "examplofen.yaml"
#: Every real record the project ships.
DATA_RECORDS = tuple(sorted((ROOT / "data").glob("*.yaml")))
#: Fictional records that exercise every shape a record can take (see each file's header).
FIXTURE_RECORDS = (
    FICTIONAL,
    ROOT / "tests" / "fixtures" / "examplomycin.yaml",
    ROOT / "tests" / "fixtures" / "fictolam.yaml",
)
#: Every rule that holds for baclofen is tested over all of these.
ALL_RECORDS = DATA_RECORDS + FIXTURE_RECORDS


class Built:
    """A finished build and a cached reader for its PDFs."""

    def __init__(self, report: BuildReport, out_dir: Path) -> None:
        self.report = report
        self.out_dir = out_dir
        self._facts: dict[str, PdfFacts] = {}

    def facts(self, relative: str) -> PdfFacts:
        """Return what pypdf reads from ``out/<relative>``.

        pypdf, not the build's PDFium preflight reader: the tests check every
        document with a second, independent extractor.
        """
        if relative not in self._facts:
            self._facts[relative] = read_facts_pypdf((self.out_dir / relative).read_bytes())
        return self._facts[relative]


def copy_project(root: Path) -> Project:
    """Copy this repository's project — its records and both domains' catalogs — into ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "locales", root / "locales")
    return Project(root)


def use_private_project(
    monkeypatch: pytest.MonkeyPatch, project: Project, own_locales: Path | None = None
) -> None:
    """Make leaflet read ``project``, and its own catalogs from ``own_locales``, for one test.

    Every command finds its project again from the working folder, so finding
    is pointed at ``project`` too; the monkeypatch undoes it all after the test.
    """
    monkeypatch.setattr(domains, "OWN_LOCALES_DIR", own_locales or project.locales_dir)
    monkeypatch.setattr(project_module, "find_project", lambda start: project)
    monkeypatch.setattr(cli_common, "find_project", lambda start: project)
    monkeypatch.setattr(project_module, "_current", project)


@pytest.fixture()
def private_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A private copy of this repository's project (``data/``, ``locales/``) that leaflet reads.

    As in the repository, leaflet's own catalogs (``leaflet.po``) and the
    project's (``records.po``) share the copy's ``locales/``.
    """
    project = copy_project(tmp_path)
    use_private_project(monkeypatch, project)
    return project


@pytest.fixture()
def locales_copy(private_project: Project) -> Path:
    """The ``locales/`` folder of :func:`private_project`: both domains' catalogs."""
    return private_project.locales_dir


@pytest.fixture()
def ghost_taper_warning(monkeypatch: pytest.MonkeyPatch) -> str:
    """Require of every taper handout a warning no template prints; return its name.

    The taper document then fails preflight, as it would if a template lost a
    required warning.
    """
    real = document.required_texts

    def with_ghost(
        record: object, view: object, audience: str, route: str | None = None
    ) -> list[RequiredText]:
        texts = real(record, view, audience, route)  # type: ignore[arg-type]
        if audience == "taper":
            texts.append(RequiredText("ghost-warning", "This sentence is in no template."))
        return texts

    monkeypatch.setattr(document, "required_texts", with_ghost)
    return "ghost-warning"


@pytest.fixture(autouse=True)
def fail_on_logged_warnings(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail any test during which WeasyPrint or leaflet logged an unexpected warning."""
    caplog.set_level(logging.WARNING)
    yield
    unexpected = [
        r
        for r in caplog.get_records("call")
        if r.levelno >= logging.WARNING and r.name.split(".")[0] in ("weasyprint", "leaflet")
    ]
    assert not unexpected, [r.getMessage() for r in unexpected]


@pytest.fixture(scope="session")
def english_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Build every English document of every real and fictional record, A4 and Letter, once."""
    out_dir = tmp_path_factory.mktemp("out")
    report = build(
        BuildOptions(records=ALL_RECORDS, out_dir=out_dir, papers=("a4", "letter"), jobs=2)
    )
    return Built(report, out_dir)


@pytest.fixture(scope="session")
def baclofen_build(english_build: Built) -> Built:
    """The shared English build, for tests about baclofen's documents."""
    return english_build


@pytest.fixture(scope="session")
def fictional_build(english_build: Built) -> Built:
    """The shared English build, for tests about the fictional drug's documents."""
    return english_build


#: The eight translated languages.
LOCALES = ["es_US", "fr", "de", "pt_BR", "ru", "vi", "ar", "zh_Hans"]


#: The records the pseudo-locale is built for: its 30 % longer text is a layout
#: stress test, which only baclofen's documents pass (see docs/translators.md).
PSEUDO_RECORDS = (BACLOFEN,)


def papers_built(drug: str, audience: str) -> tuple[Paper, ...]:
    """The papers :func:`all_locales_build` builds a document on.

    Every document on A4; on Letter, every clinician card (the tightest page)
    and all of baclofen's. The README's build makes them all on both papers.
    """
    return ("a4", "letter") if drug == "baclofen" or audience == "clinician" else ("a4",)


@pytest.fixture(scope="session")
def all_locales_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Every document of every record in data/, in every language, once (see papers_built).

    The pseudo-locale is built for :data:`PSEUDO_RECORDS` only, into the same folder.
    """
    out_dir = tmp_path_factory.mktemp("all")
    langs = ("en", *LOCALES)
    runs = [
        BuildOptions(records=DATA_RECORDS, out_dir=out_dir, langs=langs, papers=("a4",)),
        BuildOptions(
            records=DATA_RECORDS,
            out_dir=out_dir,
            langs=langs,
            papers=("letter",),
            audiences=("clinician",),
        ),
        BuildOptions(
            records=(BACLOFEN,),
            out_dir=out_dir,
            langs=langs,
            papers=("letter",),
            audiences=("patient", "taper"),
        ),
        BuildOptions(
            records=PSEUDO_RECORDS, out_dir=out_dir, langs=(PSEUDO_LOCALE,), papers=("a4", "letter")
        ),
    ]
    report = build(runs[0])
    for options in runs[1:]:
        more = build(options)
        report.documents += more.documents
        report.problems += more.problems
    return Built(report, out_dir)
