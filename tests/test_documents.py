"""The real PDFs of every record: required warnings in the text, limits, metadata, determinism."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from leaflet.publish.build import output_name
from leaflet.publish.document import required_texts
from leaflet.record.model import DrugRecord
from leaflet.record.reading import load_record
from leaflet.record.validate import validate_record
from leaflet.render.context import record_view
from leaflet.verify.preflight import normalise

from .conftest import ALL_RECORDS, DATA_RECORDS, ROOT, Built

RECORDS = {path.stem: validate_record(load_record(path)) for path in ALL_RECORDS}

# Kept here, independent of the records' `required_in` flags: removing a flag from a
# record must not silently drop a warning from the paper. Written from the reference
# sheets (../shared/reference), not copied from the records.
REQUIRED_WARNINGS: dict[str, dict[str, set[str]]] = {
    "baclofen": {
        "patient": {
            "abrupt-withdrawal", "drowsiness-driving", "alcohol-cns-depressants",
            "neonatal-withdrawal",
        },
        "clinician": {
            "abrupt-withdrawal", "drowsiness-driving", "alcohol-cns-depressants",
            "neonatal-withdrawal", "pump-withdrawal", "stroke", "psychiatric",
            "autonomic-dysreflexia", "epilepsy", "posture-balance", "ovarian-cysts",
        },
        "taper": {"abrupt-withdrawal", "neonatal-withdrawal", "pump-withdrawal"},
    },
    "gabapentin": {
        "patient": {
            "abrupt-withdrawal", "respiratory-depression", "suicidal-thoughts",
            "allergic-reactions", "dress", "driving",
        },
        "clinician": {
            "abrupt-withdrawal", "respiratory-depression", "suicidal-thoughts",
            "allergic-reactions", "dress", "driving", "children-behavior", "misuse-abuse",
            "gralise-horizant",
        },
        "taper": {"abrupt-withdrawal"},
    },
    "clonazepam": {
        "patient": {
            "opioids", "abuse-misuse-addiction", "abrupt-withdrawal", "suicidal-thoughts",
            "driving", "neonatal-sedation-withdrawal",
        },
        "clinician": {
            "opioids", "abuse-misuse-addiction", "abrupt-withdrawal", "suicidal-thoughts",
            "driving", "neonatal-sedation-withdrawal", "worsening-seizures",
        },
        "taper": {"abrupt-withdrawal", "neonatal-sedation-withdrawal"},
    },
    "propranolol": {
        "patient": {"abrupt-stop", "surgery", "diabetes-hypoglycemia", "bronchospasm"},
        "clinician": {
            "abrupt-stop", "surgery", "diabetes-hypoglycemia", "bronchospasm", "heart-failure",
            "thyrotoxicosis", "hypersensitivity-skin", "er-not-mg-for-mg", "hemangeol",
        },
        "taper": {"abrupt-stop", "thyrotoxicosis"},
    },
}  # fmt: skip

# Phrases written here by hand, not taken from the records, that each document must print.
REQUIRED_PHRASES: dict[str, dict[str, list[str]]] = {
    "baclofen": {
        "patient": [
            "The most important things to know about Baclofen",
            "Never take more than 80 mg in one day.",
            "3. How to take Baclofen",
            "If you take a liquid",
            "Never use a kitchen spoon.",
            "Call your doctor or Poison Help at 1-800-222-1222 right away",
            "call 911",
            "Driving and using machines",
            "Baclofen with alcohol",
            "Throwing up (vomiting)",
            "This leaflet was last revised on December 6, 2026",
        ],
        "clinician": [
            "WARNING: DO NOT DISCONTINUE ABRUPTLY",
            "80 mg a day (20 mg 4 times a day)",
            "Intrathecal dosing (mcg)",
            "300 mcg to 800 mcg a day",
            "observed range: 24 mcg to 1,199 mcg a day",
            "Units differ by route: oral doses in mg and intrathecal doses in mcg.",
            "Oral liquids differ in strength:",
            "Signs, intrathecal:",
        ],
        "taper": [
            "Why you must not stop suddenly",
            "Call your pump team right away. If you cannot reach them, go to the emergency "
            "department and say you have a baclofen pump.",
            "If you have a Baclofen pump",
            "Pump team and phone:",
            "usually over 1 to 2 weeks or longer",
        ],
    },
    "gabapentin": {
        "patient": [
            "Nerve pain after shingles",
            "Partial seizures",
            "Day 1",
            "Gabapentin oral solution (Neurontin) 250 mg in 5 mL",
            "6 mL",
            "You can take it with or without food.",
        ],
        "clinician": [
            "Kidney impairment: dose by creatinine clearance (mL/min)",
            "≥60",
            "Haemodialysis: maintenance dose by creatinine clearance, plus a supplemental dose "
            "of 125 mg, 150 mg, 200 mg, 250 mg, or 350 mg after each 4 hours of dialysis.",
            "somnolence 19% vs 9% placebo",
        ],
        "taper": ["Stopping Gabapentin safely"],
    },
    "clonazepam": {
        "patient": [
            "federally controlled substance (schedule IV)",
            "Never take more in one day than the most shown for your use.",
            "4 mg a day",
            "20 mg a day",
        ],
        "clinician": [
            "RISKS FROM CONCOMITANT USE WITH OPIOIDS",
            "US controlled substance, schedule IV",
            "about 50%",
        ],
        "taper": ["Stopping Clonazepam safely"],
    },
    "propranolol": {
        "patient": ["Hemangeol", "640 mg a day", "320 mg a day", "120 mg a day"],
        "clinician": ["Oral liquids differ in strength:", "InnoPran XL"],
        "taper": ["Stopping Propranolol safely"],
    },
}

DOC_NAMES = {
    "patient": "Patient leaflet",
    "clinician": "Clinician quick card",
    "taper": "Taper and withdrawal handout",
}
PAGE_LIMITS = {"patient": (1, 4), "clinician": (1, 1), "taper": (1, 2)}
PAPERS = ("a4", "letter")
#: Every document the records say apply: (drug, audience).
DOCUMENTS = [(drug, a) for drug, record in RECORDS.items() for a in record.documents]


def test_build_succeeds_for_every_document_of_every_record(english_build: Built) -> None:
    assert english_build.report.problems == []
    built = {(d.drug, d.audience, d.paper) for d in english_build.report.documents}
    assert built == {(drug, a, p) for drug, a in DOCUMENTS for p in PAPERS}


def test_a_document_that_does_not_apply_is_reported_not_printed(english_build: Built) -> None:
    assert ("examplomycin", "taper") in english_build.report.not_applicable
    assert not (english_build.out_dir / "en" / "examplomycin-taper.pdf").exists()


@pytest.mark.parametrize("drug", sorted(REQUIRED_WARNINGS))
def test_records_flag_at_least_the_independent_list(drug: str) -> None:
    record = RECORDS[drug]
    flagged = {a: {w.id for w in record.warnings if a in w.required_in} for a in DOC_NAMES}
    for audience, ids in REQUIRED_WARNINGS[drug].items():
        assert ids <= flagged[audience], f"{drug}/{audience}: not flagged {ids - flagged[audience]}"


def test_every_real_record_has_an_independent_list() -> None:
    assert {path.stem for path in DATA_RECORDS} == set(REQUIRED_WARNINGS)


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize(("drug", "audience"), DOCUMENTS)
def test_required_warnings_are_in_the_pdf_text(
    english_build: Built, drug: str, audience: str, paper: str
) -> None:
    record = RECORDS[drug]
    text = english_build.facts(output_name(drug, audience, "en", paper)).text  # type: ignore[arg-type]
    view = record_view(record, "en")
    by_id = {w["id"]: w for w in view["warnings"]}
    independent = REQUIRED_WARNINGS.get(drug, {}).get(audience, set())
    flagged = {t.name for t in required_texts(record, view, audience)} & set(by_id)  # type: ignore[arg-type]
    for warning_id in sorted(independent | flagged):
        wording = by_id[warning_id][audience]
        assert wording, f"{warning_id} has no {audience} text"
        assert normalise(wording) in text, f"{warning_id} missing from {drug} {audience}/{paper}"
    for phrase in REQUIRED_PHRASES.get(drug, {}).get(audience, []):
        assert normalise(phrase) in text, f"{phrase!r} missing from {drug} {audience}/{paper}"


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize(("drug", "audience"), DOCUMENTS)
def test_page_limits_and_metadata(
    english_build: Built, drug: str, audience: str, paper: str
) -> None:
    facts = english_build.facts(output_name(drug, audience, "en", paper))  # type: ignore[arg-type]
    low, high = PAGE_LIMITS[audience]
    assert low <= facts.pages <= high
    assert facts.lang == "en"
    assert facts.title == f"{RECORDS[drug].drug.name} – {DOC_NAMES[audience]}"


@pytest.mark.parametrize(("drug", "audience"), DOCUMENTS)
def test_every_page_has_the_running_header_and_footer(
    english_build: Built, drug: str, audience: str
) -> None:
    """Each page says what it is, its language, revision and page; a card says it once.

    The one-page card has no running header (its margins are too narrow to print
    one): its footer names the document and the language, before the revision.
    """
    record = RECORDS[drug]
    facts = english_build.facts(output_name(drug, audience, "en", "a4"))  # type: ignore[arg-type]
    revision = f"Revision {record.regulatory.revision}, "
    if audience == "clinician":
        text = normalise(facts.page_texts[0])
        assert facts.pages == 1
        assert text.startswith(f"{record.drug.name} "), text[:80]
        footer = f"{DOC_NAMES[audience]} · English · {revision}"
        assert footer in text and text.endswith("Based on US prescribing information"), text
        assert "Page 1 of" not in text
        return
    for number, page in enumerate(facts.page_texts, start=1):
        text = normalise(page)
        for phrase in ["Based on US prescribing information", revision, "English",
                       f"{record.drug.name} · {DOC_NAMES[audience]}"]:  # fmt: skip
            assert phrase in text, f"{drug} {audience} page {number}: {phrase!r}"
        assert f"Page {number} of {facts.pages}" in text


#: Text that marks an empty list, an unfilled placeholder or a missing value.
_DEBRIS = re.compile(r"\[\]|\{[a-z_]+\}|%\([a-z_]+\)s|\bNone\b|\bundefined\b|\[\[")


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize(("drug", "audience"), DOCUMENTS)
def test_no_document_prints_debris_or_an_empty_heading(
    english_build: Built, drug: str, audience: str, paper: str
) -> None:
    facts = english_build.facts(output_name(drug, audience, "en", paper))  # type: ignore[arg-type]
    found = _DEBRIS.findall(facts.text)
    assert not found, f"{drug} {audience}/{paper}: {found}"
    headings = [(tag, text) for tag, text in facts.structure if tag in ("/H2", "/H3")]
    order = [tag for tag, _ in facts.structure]
    for index, (tag, _) in enumerate(facts.structure):
        if tag not in ("/H2", "/H3"):
            continue
        following = order[index + 1 : index + 2]
        # A heading is followed by content, never straight by another heading of its rank.
        assert following and following[0] not in (tag, "/H1"), (drug, audience, headings)


def test_one_route_prints_no_route_labels(english_build: Built) -> None:
    for drug in ("gabapentin", "clonazepam", "propranolol"):
        text = english_build.facts(f"en/{drug}-clinician.pdf").text
        assert "Oral:" not in text, drug


def test_the_clinician_card_reproduces_every_boxed_warning(english_build: Built) -> None:
    for drug, record in RECORDS.items():
        text = english_build.facts(f"en/{drug}-clinician.pdf").text
        for box in record.boxed_warnings:
            for paragraph in box.paragraphs:
                assert normalise(paragraph.text) in text, (drug, paragraph.id)


def test_manifest_lists_exactly_the_written_files(english_build: Built) -> None:
    manifest = json.loads((english_build.out_dir / "manifest.json").read_text())
    assert manifest["generator"] == {"name": "leaflet", "version": "0.1.0"}
    paths = sorted(
        p.relative_to(english_build.out_dir).as_posix()
        for p in english_build.out_dir.rglob("*.pdf")
    )
    assert sorted(d["path"] for d in manifest["documents"]) == paths
    for entry in manifest["documents"]:
        data = (english_build.out_dir / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["revision"] == RECORDS[entry["drug"]].regulatory.revision
        assert set(entry) == {
            "drug", "audience", "lang", "paper", "path", "pages", "sha256", "revision",
            "review", "fingerprint", "edition", "format",
        }  # fmt: skip
        assert (entry["edition"], entry["format"]) == ("standard", "pdf")
        assert len(entry["fingerprint"]) == 64
        assert entry["review"] == "source"


def test_rebuild_in_another_process_is_byte_identical(english_build: Built, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "leaflet", "build", "--paper", "all", "--out", str(tmp_path), "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    for entry in english_build.report.documents:
        if entry.drug not in {p.stem for p in DATA_RECORDS}:
            continue
        again = (tmp_path / entry.path).read_bytes()
        assert hashlib.sha256(again).hexdigest() == entry.sha256, entry.path


def test_only_bundled_fonts_are_embedded(english_build: Built) -> None:
    from pypdf import PdfReader

    reader = PdfReader(english_build.out_dir / "en" / "baclofen-patient.pdf")
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts and all(name.startswith("Noto-Sans") for name in fonts), fonts


def test_no_attachments(english_build: Built) -> None:
    from pypdf import PdfReader

    for entry in english_build.report.documents:
        assert not PdfReader(english_build.out_dir / entry.path).attachments


@pytest.mark.parametrize("drug", sorted(RECORDS))
def test_no_document_names_another_drug(english_build: Built, drug: str) -> None:
    others = [r.drug.inn for name, r in RECORDS.items() if name != drug]
    for audience in RECORDS[drug].documents:
        text = english_build.facts(output_name(drug, audience, "en", "a4")).text.lower()  # type: ignore[arg-type]
        assert not [o for o in others if o in text], (drug, audience)


def _unused(record: DrugRecord) -> None:  # keeps the import used for type checkers
    del record
