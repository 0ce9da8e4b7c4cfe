"""A missing translation holds back only the documents that print it."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet.publish.document import printed_contexts
from leaflet.record.reading import load_record
from leaflet.record.validate import validate_record

from .conftest import ROOT
from .helpers import edit_entry, run_leaflet

PATIENT_ONLY = "baclofen:warnings.drowsiness-driving.patient"


@pytest.fixture()
def patient_warning_fuzzy(locales_copy: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """German's translation of a patient-only warning is marked for review; return its line."""
    monkeypatch.chdir(locales_copy.parent)
    return edit_entry(locales_copy / "de/LC_MESSAGES/records.po", PATIENT_ONLY, fuzzy=True)


def test_only_the_document_that_prints_a_fuzzy_entry_is_held_back(
    patient_warning_fuzzy: int, tmp_path: Path
) -> None:
    out = tmp_path / "built"
    outcome = run_leaflet("build", "--lang", "de", "--drug", "baclofen", "--out", str(out))
    assert outcome.code == 1
    assert (
        f"locales/de/LC_MESSAGES/records.po:{patient_warning_fuzzy}: {PATIENT_ONLY}: fuzzy: "
        "needs review (remove the fuzzy flag once checked)"
    ) in outcome.lines
    assert sorted(p.name for p in (out / "de").iterdir()) == [
        "baclofen-clinician.pdf",
        "baclofen-taper.pdf",
    ]


def test_the_full_build_names_the_document_held_back(
    patient_warning_fuzzy: int, tmp_path: Path
) -> None:
    outcome = run_leaflet(
        "build", "--lang", "all", "--drug", "baclofen", "--audience", "clinician,patient",
        "--out", str(tmp_path / "built"),
    )  # fmt: skip
    assert outcome.code == 0
    assert (
        "de: baclofen: patient document not built: 1 entry not translated (to list them: "
        "leaflet build --lang de --drug baclofen; progress: leaflet i18n status --drug baclofen)"
    ) in outcome.stdout.splitlines() + outcome.lines
    assert (tmp_path / "built/de/baclofen-clinician.pdf").exists()


@pytest.mark.parametrize("drug", ["baclofen", "gabapentin", "clonazepam", "propranolol"])
def test_a_document_prints_its_own_warnings_and_not_the_others(drug: str) -> None:
    record = validate_record(load_record(ROOT / "data" / f"{drug}.yaml"))
    printed = {a: printed_contexts(record, a) for a in record.documents}
    for warning in record.warnings:
        for audience in record.documents:
            text = f"{drug}:warnings.{warning.id}.{audience}"
            written = getattr(warning, audience, None)
            if audience in warning.required_in:
                assert text in printed[audience], text
            elif written is None:
                assert text not in printed[audience], text
    # The clinician card never prints a patient-only text, whatever the record.
    assert not {c for c in printed["clinician"] if c.endswith(".patient")}
