"""The real PDFs: required warnings in the extracted text, page limits, metadata, determinism."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from leaflet.build import output_name
from leaflet.context import record_view
from leaflet.document import required_texts
from leaflet.loader import load_record
from leaflet.model import DrugRecord
from leaflet.preflight import normalise
from leaflet.validate import validate_record

from .conftest import BACLOFEN, ROOT, Built

# Kept here, independent of the record's `required_in` flags: removing a flag from
# the record must not silently drop a warning from the paper.
REQUIRED_WARNINGS = {
    "patient": {
        "abrupt-withdrawal",
        "drowsiness-driving",
        "alcohol-cns-depressants",
        "neonatal-withdrawal",
    },
    "clinician": {
        "abrupt-withdrawal",
        "drowsiness-driving",
        "alcohol-cns-depressants",
        "neonatal-withdrawal",
        "pump-withdrawal",
        "stroke",
        "psychiatric",
        "autonomic-dysreflexia",
        "epilepsy",
        "posture-balance",
        "ovarian-cysts",
    },
    "taper": {"abrupt-withdrawal", "neonatal-withdrawal", "pump-withdrawal"},
}

# Phrases written here by hand, not taken from the record, that each document must print.
REQUIRED_PHRASES = {
    "patient": [
        "The most important things to know about Baclofen",
        "suddenly",
        "alcohol",
        "Never take more than 80 mg in one day.",
        "1. What Baclofen is and what it is used for",
        "2. What you need to know before you take Baclofen",
        "3. How to take Baclofen",
        "If you take more Baclofen than you should",
        "If you forget to take Baclofen",
        "If you stop taking Baclofen",
        "4. Possible side effects",
        "Very common: may affect more than 1 in 10 people",
        "5. How to store Baclofen",
        "6. Contents of the pack and other information",
        "This leaflet was last revised on November 22, 2026",
    ],
    "clinician": [
        "WARNING: DO NOT DISCONTINUE ABRUPTLY",
        "Maximum: 80 mg per day (20 mg 4 times a day).",
        "Intrathecal dosing (mcg)",
        "300 mcg to 800 mcg",
        "90 mcg to 703 mcg",
        "Contraindications",
        "Overdose management",
        "Withdrawal and tapering",
        "Pharmacokinetics",
    ],
    "taper": [
        "Why you must not stop suddenly",
        "How tapering works",
        "Your schedule",
        "Call your prescriber today if you notice:",
        "Get emergency help now.",
        "If you have a Baclofen pump",
        "If you are pregnant",
    ],
}

EVERY_PAGE = ["Based on US prescribing information", "Revision 1, November 22, 2026", "English"]
DOC_NAMES = {
    "patient": "Patient leaflet",
    "clinician": "Clinician quick card",
    "taper": "Taper and withdrawal handout",
}
PAGE_LIMITS = {"patient": (1, 4), "clinician": (1, 1), "taper": (1, 2)}
AUDIENCES = ("patient", "clinician", "taper")
PAPERS = ("a4", "letter")


@pytest.fixture(scope="module")
def record() -> DrugRecord:
    return validate_record(load_record(BACLOFEN))


def test_build_succeeds_for_every_document(baclofen_build: Built) -> None:
    assert baclofen_build.report.problems == []
    built = {(d.audience, d.paper) for d in baclofen_build.report.documents}
    assert built == {(a, p) for a in AUDIENCES for p in PAPERS}


def test_record_flags_at_least_the_independent_list(record: DrugRecord) -> None:
    flagged = {a: {w.id for w in record.warnings if a in w.required_in} for a in AUDIENCES}
    for audience, ids in REQUIRED_WARNINGS.items():
        assert ids <= flagged[audience], f"{audience}: not flagged {ids - flagged[audience]}"


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_required_warnings_are_in_the_pdf_text(
    baclofen_build: Built, record: DrugRecord, audience: str, paper: str
) -> None:
    text = baclofen_build.facts(output_name("baclofen", audience, "en", paper)).text  # type: ignore[arg-type]
    view = record_view(record, "en")
    by_id = {w["id"]: w for w in view["warnings"]}
    for warning_id in sorted(
        REQUIRED_WARNINGS[audience]
        | {t.name for t in required_texts(record, view, audience)} & set(by_id)
    ):  # type: ignore[arg-type]
        wording = by_id[warning_id][audience]
        assert wording, f"{warning_id} has no {audience} text"
        assert normalise(wording) in text, f"{warning_id} missing from {audience}/{paper}"
    for phrase in REQUIRED_PHRASES[audience]:
        assert normalise(phrase) in text, f"{phrase!r} missing from {audience}/{paper}"


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_page_limits_and_metadata(baclofen_build: Built, audience: str, paper: str) -> None:
    facts = baclofen_build.facts(output_name("baclofen", audience, "en", paper))  # type: ignore[arg-type]
    low, high = PAGE_LIMITS[audience]
    assert low <= facts.pages <= high
    assert facts.lang == "en"
    assert facts.title == f"Baclofen – {DOC_NAMES[audience]}"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_page_has_the_running_header_and_footer(baclofen_build: Built, audience: str) -> None:
    facts = baclofen_build.facts(output_name("baclofen", audience, "en", "a4"))  # type: ignore[arg-type]
    for number, page in enumerate(facts.page_texts, start=1):
        text = normalise(page)
        for phrase in [*EVERY_PAGE, f"Baclofen · {DOC_NAMES[audience]}"]:
            assert phrase in text, f"page {number}: {phrase!r}"
        assert f"Page {number} of {facts.pages}" in text


def test_the_clinician_card_reproduces_the_boxed_warning(
    baclofen_build: Built, record: DrugRecord
) -> None:
    text = baclofen_build.facts("en/baclofen-clinician.pdf").text
    (box,) = record.boxed_warnings
    for paragraph in box.paragraphs:
        assert normalise(paragraph) in text


def test_manifest_lists_exactly_the_written_files(baclofen_build: Built) -> None:
    import json

    manifest = json.loads((baclofen_build.out_dir / "manifest.json").read_text())
    assert manifest["generator"] == {"name": "leaflet", "version": "0.1.0"}
    paths = sorted(
        p.relative_to(baclofen_build.out_dir).as_posix()
        for p in baclofen_build.out_dir.rglob("*.pdf")
    )
    assert [d["path"] for d in manifest["documents"]] == paths
    for entry in manifest["documents"]:
        data = (baclofen_build.out_dir / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["revision"] == 1
        assert entry["drug"] == "baclofen"
        assert set(entry) == {
            "drug",
            "audience",
            "lang",
            "paper",
            "path",
            "pages",
            "sha256",
            "revision",
            "review",
            "fingerprint",
            "edition",
            "format",
        }
        assert (entry["edition"], entry["format"]) == ("standard", "pdf")
        assert len(entry["fingerprint"]) == 64
        assert entry["review"] == "source"


def test_rebuild_in_another_process_is_byte_identical(
    baclofen_build: Built, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "leaflet", "build", "--paper", "all", "--out", str(tmp_path), "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    for entry in baclofen_build.report.documents:
        again = (tmp_path / entry.path).read_bytes()
        assert hashlib.sha256(again).hexdigest() == entry.sha256, entry.path


def test_only_bundled_fonts_are_embedded(baclofen_build: Built) -> None:
    from pypdf import PdfReader

    reader = PdfReader(baclofen_build.out_dir / "en" / "baclofen-patient.pdf")
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts and all(name.startswith("Noto-Sans") for name in fonts), fonts


def test_no_attachments(baclofen_build: Built) -> None:
    from pypdf import PdfReader

    for entry in baclofen_build.report.documents:
        assert not PdfReader(baclofen_build.out_dir / entry.path).attachments


def test_the_fictional_drug_builds_too(fictional_build: Built) -> None:
    assert fictional_build.report.problems == []
    assert len(fictional_build.report.documents) == 6
    text = fictional_build.facts("en/examplofen-patient.pdf").text
    assert "Examplofen" in text and "Baclofen" not in text and "baclofen" not in text
