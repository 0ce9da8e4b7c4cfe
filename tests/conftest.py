"""Shared fixtures: one session-scoped build of every record, read back from PDF with pypdf."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaflet import catalogs, document
from leaflet.build import BuildOptions, BuildReport, build
from leaflet.languages import PSEUDO_LOCALE
from leaflet.preflight import PdfFacts, RequiredText, read_facts_pypdf

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


@pytest.fixture()
def locales_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of ``locales/`` that leaflet reads instead of the real one."""
    copy = tmp_path / "locales"
    shutil.copytree(catalogs.LOCALES_DIR, copy)
    monkeypatch.setattr(catalogs, "LOCALES_DIR", copy)
    return copy


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
LOCALES = ["es", "fr", "de", "pt_BR", "ru", "vi", "ar", "zh_Hans"]


@pytest.fixture(scope="session")
def all_locales_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    out_dir = tmp_path_factory.mktemp("all")
    report = build(
        BuildOptions(
            records=(BACLOFEN,),
            out_dir=out_dir,
            langs=("en", *LOCALES, PSEUDO_LOCALE),
            papers=("a4", "letter"),
        )
    )
    return Built(report, out_dir)
