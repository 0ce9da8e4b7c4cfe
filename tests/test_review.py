"""A proof a pharmacist can sign: its contents, and the rules of a sign-off."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polib
import pytest

from leaflet.project import Project
from leaflet.verify.preflight import read_facts_pypdf

from .helpers import Outcome, edit_entry, run_leaflet

DRUG = "gabapentin"
WARNING = "gabapentin:warnings.abrupt-withdrawal.patient"
REVIEWER = "Anna Schmidt, Fachapothekerin"


@pytest.fixture()
def project(private_project: Project, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.chdir(private_project.root)
    return private_project


def _proof(*scope: str) -> Path:
    outcome = run_leaflet("i18n", "proof", "de", *scope, "--format", "html", "-q")
    assert outcome.code == 0, outcome.stderr
    name = "leaflet" if "leaflet" in scope else scope[-1]
    return Path("proofs/de") / f"{name}-proof.html"


def _review(proof: Path, *scope: str, date: str = "2026-12-01") -> Outcome:
    return run_leaflet(
        "i18n", "review", "de", *scope, "--reviewer", REVIEWER, "--date", date,
        "--proof", str(proof),
    )  # fmt: skip


def _edit(project: Project, context: str, text: str, fuzzy: bool = False) -> int:
    return edit_entry(project.locales_dir / "de/LC_MESSAGES/records.po", context, text, fuzzy=fuzzy)


def test_the_proof_shows_english_and_translation_as_printed_in_print_order(
    project: Project,
) -> None:
    html = _proof("--drug", DRUG).read_text(encoding="utf-8")
    rows = re.findall(r"<tr class=\"(required|)\">(.*?)</tr>", html, re.S)
    assert len(rows) == len(
        [e for e in polib.pofile(str(project.locales_dir / "records.pot")) if
         e.msgctxt.startswith(f"{DRUG}:")]
    )  # fmt: skip
    first = rows[0][1]
    assert "patient leaflet" in first and "Gabapentin" in first
    warning = next(body for kind, body in rows if WARNING in body)
    assert next(kind for kind, body in rows if WARNING in body) == "required"
    # The placeholder is filled and the number formatted, in both languages.
    assert "over at least 1 week." in warning and "1 Woche" in warning
    line = next(
        e.linenum
        for e in polib.pofile(str(project.locales_dir / "de/LC_MESSAGES/records.po"))
        if e.msgctxt == WARNING
    )
    assert f"records.po:{line}" in warning
    assert "Required warning" in warning
    # Print order: the patient leaflet's rows come before the clinician card's.
    documents = [re.search(r"<td class=\"where\">([a-z ]+)", body).group(1) for _, body in rows]  # type: ignore[union-attr]
    assert documents.index("clinician card") > documents.index("patient leaflet")
    assert documents == sorted(
        documents,
        key=[
            "patient leaflet",
            "clinician card",
            "taper and withdrawal handout",
            "not in a standard document",
        ].index,
    )


def test_the_proof_pdf_is_the_same_each_time(project: Project) -> None:
    first = run_leaflet("i18n", "proof", "de", "--drug", DRUG, "--format", "pdf", "-q")
    assert first.code == 0, first.stderr
    data = Path("proofs/de/gabapentin-proof.pdf").read_bytes()
    assert run_leaflet("i18n", "proof", "de", "--drug", DRUG, "--format", "pdf", "-q").code == 0
    assert Path("proofs/de/gabapentin-proof.pdf").read_bytes() == data
    text = " ".join(read_facts_pypdf(data).page_texts)
    assert "Translation proof: Gabapentin, German (de)" in text


def test_a_stale_proof_is_refused(project: Project) -> None:
    proof = _proof("--drug", DRUG)
    _edit(
        project,
        WARNING,
        "Beenden Sie die Einnahme von Gabapentin nicht plötzlich. Wenn Sie "
        "Epilepsie haben, kann ein plötzliches Absetzen Krampfanfälle auslösen, die nicht "
        "aufhören. Ihr Arzt wird Ihre Dosis langsam über mindestens {weeks} Woche senken.",
    )
    outcome = _review(proof, "--drug", DRUG)
    assert outcome.code == 1
    assert any(
        text.startswith(
            f"{proof}: this proof is not the one the current catalogs and records "
            "produce (its sha256 "
        )
        and text.endswith(
            "make a new one with leaflet i18n proof de --drug gabapentin and review that)"
        )
        for text in outcome.lines
    ), outcome.stderr
    assert outcome.lines[-1] == "Sign-off not recorded."
    assert not (project.locales_dir / "de/LC_MESSAGES/records.reviews.json").exists()


def test_a_fuzzy_entry_blocks_the_sign_off(project: Project) -> None:
    line = _edit(project, WARNING, "Nicht plötzlich absetzen.", fuzzy=True)
    proof = _proof("--drug", DRUG)
    outcome = _review(proof, "--drug", DRUG)
    assert outcome.code == 1
    assert (
        f"locales/de/LC_MESSAGES/records.po:{line}: {WARNING}: fuzzy: needs review (remove the "
        "fuzzy flag once checked)"
    ) in outcome.lines


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--reviewer", "Anna Schmidt", "names no credentials"),
        ("--date", "2999-01-01", "is in the future"),
        ("--date", "1.12.2026", "does not match the format"),
    ],
)
def test_a_sign_off_needs_a_reviewer_with_credentials_and_a_real_date(
    project: Project, option: str, value: str, expected: str
) -> None:
    proof = _proof("--drug", DRUG)
    values = {"--reviewer": REVIEWER, "--date": "2026-12-01", option: value}
    outcome = run_leaflet(
        "i18n", "review", "de", "--drug", DRUG, "--proof", str(proof),
        *[item for pair in values.items() for item in pair],
    )  # fmt: skip
    assert outcome.code == 2
    assert expected in outcome.stderr


def _clinician_card(tmp: Path) -> tuple[str, dict[str, object]]:
    outcome = run_leaflet(
        "build", "--lang", "de", "--drug", DRUG, "--audience", "clinician", "--out", str(tmp),
    )  # fmt: skip
    assert outcome.code == 0, outcome.stderr
    text = " ".join(read_facts_pypdf((tmp / "de/gabapentin-clinician.pdf").read_bytes()).page_texts)
    manifest = json.loads((tmp / "manifest.json").read_text(encoding="utf-8"))
    [entry] = [d for d in manifest["documents"] if d["path"] == "de/gabapentin-clinician.pdf"]
    return " ".join(text.split()), entry


def test_a_signed_off_translation_names_its_reviewer_until_an_entry_changes(
    project: Project, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    text, entry = _clinician_card(out)
    assert "Diese Übersetzung wurde noch nicht von einem Apotheker geprüft." in text
    assert entry["review"] == "unreviewed"
    recorded = _review(_proof("--drug", DRUG), "--drug", DRUG)
    assert recorded.code == 0, recorded.stderr
    # The drug's text alone is not enough: leaflet's own text in German is not signed off.
    assert _clinician_card(out)[1]["review"] == "unreviewed"
    own = _review(_proof("--domain", "leaflet"), "--domain", "leaflet", date="2026-12-02")
    assert own.code == 0, own.stderr
    text, entry = _clinician_card(out)
    assert f"Übersetzung geprüft von {REVIEWER} am 2. Dezember 2026" in text
    assert "noch nicht von einem Apotheker geprüft" not in text
    assert entry["review"] == "reviewed"
    signoffs = json.loads(
        (project.locales_dir / "de/LC_MESSAGES/records.reviews.json").read_text(encoding="utf-8")
    )
    assert signoffs["signoffs"][DRUG]["reviewer"] == REVIEWER
    # Any later change to a signed-off entry returns the pair to unreviewed.
    context = "gabapentin:warnings.driving.clinician"
    po = polib.pofile(str(project.locales_dir / "de/LC_MESSAGES/records.po"))
    current = next(e.msgstr for e in po if e.msgctxt == context)
    _edit(project, context, current + " ")
    text, entry = _clinician_card(out)
    assert "Diese Übersetzung wurde noch nicht von einem Apotheker geprüft." in text
    assert entry["review"] == "unreviewed"
