"""Two gettext domains: leaflet's own text and the project's record prose, each its own catalogs."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import polib
import pytest

from leaflet.cli import i18n as cli_i18n
from leaflet.project import Project
from leaflet.translation.domains import (
    DOMAIN,
    DOMAINS,
    RECORDS_DOMAIN,
    load_language,
    locale_codes,
    po_relative_path,
    pot_name,
)
from leaflet.translation.signoff import (
    SignOff,
    entries_digest,
    read_signoffs,
    review_of,
    scope_entries,
    signoff_path,
    signoffs_json,
)

from .conftest import LOCALES, ROOT
from .helpers import run_leaflet

DROWSY = (
    "Baclofen can make you sleepy. Do not drive or use machines until you know how it affects you."
)
DROWSY_CONTEXT = "baclofen:warnings.drowsiness-driving.patient"


def _digests(files: list[Path]) -> dict[str, str]:
    return {str(f): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def _domain_files(locales: Path, domain: str) -> list[Path]:
    """Every file of one domain: its template and each language's catalog."""
    return [locales / pot_name(domain), *sorted(locales.glob(f"*/LC_MESSAGES/{domain}.po"))]


def _edit(po_path: Path, context: str, msgstr: str) -> int:
    """Set one entry's translation; return the entry's line."""
    po = polib.pofile(str(po_path), wrapwidth=0)
    entry = next(e for e in po if e.msgctxt == context)
    entry.msgstr = msgstr
    po.save(str(po_path))
    return next(e for e in polib.pofile(str(po_path)) if e.msgctxt == context).linenum


def test_the_repository_holds_both_domains_side_by_side_for_every_language() -> None:
    locales = ROOT / "locales"
    for domain in DOMAINS:
        assert (locales / pot_name(domain)).is_file()
        assert sorted(p.parents[1].name for p in _domain_files(locales, domain)[1:]) == sorted(
            LOCALES
        )
    for lang in LOCALES:
        own = polib.pofile(str(locales / po_relative_path(lang, DOMAIN)))
        records = polib.pofile(str(locales / po_relative_path(lang, RECORDS_DOMAIN)))
        # The same header, but for each template's own creation date.
        differing = {k for k in own.metadata if own.metadata[k] != records.metadata.get(k)}
        assert differing <= {"Report-Msgid-Bugs-To", "POT-Creation-Date"}, differing
        assert own.metadata.keys() == records.metadata.keys()
        assert all(":" not in e.msgctxt for e in own)
        assert all(":" in e.msgctxt for e in records)


def test_the_command_line_names_the_domains_the_library_uses() -> None:
    assert (cli_i18n.RECORDS_DOMAIN, cli_i18n._OWN_DOMAIN) == (RECORDS_DOMAIN, DOMAIN)


def test_a_project_update_never_changes_leaflets_own_catalogs(private_project: Project) -> None:
    locales = private_project.locales_dir
    own = _domain_files(locales, DOMAIN)
    before = _digests(own)
    record = private_project.data_dir / "baclofen.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace(DROWSY, DROWSY.replace("sleepy", "very sleepy")), "utf-8")
    (locales / po_relative_path("vi", RECORDS_DOMAIN)).unlink()
    records_before = _digests(_domain_files(locales, RECORDS_DOMAIN))
    for command in (("update",), ("extract",), ("init", "vi")):
        outcome = run_leaflet("i18n", *command)
        assert outcome.code == 0, outcome.stderr
    # The project's catalogs did change: the English moved, and a language was started.
    assert _digests(_domain_files(locales, RECORDS_DOMAIN)) != records_before
    assert (locales / po_relative_path("vi", RECORDS_DOMAIN)).is_file()
    assert _digests(own) == before


def test_an_update_of_leaflets_own_domain_never_changes_the_records_catalogs(
    private_project: Project,
) -> None:
    locales = private_project.locales_dir
    records = _domain_files(locales, RECORDS_DOMAIN)
    before = _digests(records)
    # Something for each domain's update to do: a record's English changed, and
    # a catalog of leaflet's own that the update rewrites.
    record = private_project.data_dir / "baclofen.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace(DROWSY, DROWSY.replace("sleepy", "very sleepy")), "utf-8")
    german = locales / po_relative_path("de", DOMAIN)
    original = german.read_bytes()
    german.write_bytes(original + b"\n")
    for command in (("update",), ("extract",), ("init", "it")):
        outcome = run_leaflet("i18n", *command, "--domain", "leaflet")
        assert outcome.code == 0, outcome.stderr
    assert german.read_bytes() == original
    assert (locales / po_relative_path("it", DOMAIN)).is_file()
    assert not (locales / po_relative_path("it", RECORDS_DOMAIN)).exists()
    assert _digests(records) == before


def test_the_split_catalogs_round_trip_through_an_update_of_each_domain(
    private_project: Project,
) -> None:
    locales = private_project.locales_dir
    files = [*_domain_files(locales, DOMAIN), *_domain_files(locales, RECORDS_DOMAIN)]
    before = _digests(files)
    for domain in DOMAINS:
        for command in ("update", "extract"):
            outcome = run_leaflet("-q", "i18n", command, "--domain", domain)
            assert outcome.code == 0, outcome.stderr
    assert _digests(files) == before
    assert sorted(p.name for p in locales.iterdir() if p.is_file()) == [
        "leaflet.pot",
        "records.pot",
        "termbase.tbx",
    ]


def test_each_problem_names_the_file_and_line_of_its_own_domain(private_project: Project) -> None:
    locales = private_project.locales_dir
    records = locales / po_relative_path("de", RECORDS_DOMAIN)
    own = locales / po_relative_path("de", DOMAIN)
    record_line = _edit(records, DROWSY_CONTEXT, "Baclofen macht schläfrig, 24 Stunden lang.")
    own_line = _edit(
        own, "band.very_common.long", "Sehr häufig: kann mehr als 1 von 100 Behandelten betreffen"
    )
    outcome = run_leaflet("check")
    assert outcome.code == 1
    assert (
        f"{records}:{record_line}: {DROWSY_CONTEXT}: number(s) 24 are not in the English "
        "(expected exactly the numbers of the English in a required warning: remove them, or "
        "write the word as the English does)"
    ) in outcome.lines, outcome.stderr
    assert (
        f"{own}:{own_line}: band.very_common.long: number(s) 10 from the English are missing "
        "(expected every number of the English in the translation)"
    ) in outcome.lines, outcome.stderr


def test_a_gap_is_listed_with_the_file_and_line_of_its_own_domain(
    private_project: Project, tmp_path: Path
) -> None:
    locales = private_project.locales_dir
    records = locales / po_relative_path("es_US", RECORDS_DOMAIN)
    own = locales / po_relative_path("es_US", DOMAIN)
    record_line = _edit(records, "baclofen:drug.drug_class.clinician", "")
    own_line = _edit(own, "clinician.dosing", "")
    out = tmp_path / "out"
    outcome = run_leaflet(
        "build",
        "--drug",
        "baclofen",
        "--lang",
        "es_US",
        "--audience",
        "clinician",
        "--out",
        str(out),
    )
    assert outcome.code == 1
    assert f"{own}:{own_line}: clinician.dosing: not translated" in outcome.lines
    assert (
        f"{records}:{record_line}: baclofen:drug.drug_class.clinician: not translated"
    ) in outcome.lines


def test_a_language_the_project_has_not_translated_builds_nothing_and_says_untranslated(
    private_project: Project, tmp_path: Path
) -> None:
    locales = private_project.locales_dir
    missing = locales / po_relative_path("de", RECORDS_DOMAIN)
    missing.unlink()
    out = tmp_path / "out"
    # Loading the language is no error: its record prose is simply untranslated.
    catalog = load_language("de")
    assert catalog.entries["clinician.dosing"].name.endswith("leaflet.po")
    assert not any(":" in context for context in catalog.entries)
    assert run_leaflet("check").code == 0
    shared = ["build", "--drug", "baclofen", "--audience", "clinician", "--out", str(out)]
    outcome = run_leaflet(*shared, "--lang", "all")
    assert outcome.code == 0, outcome.stderr
    assert not (out / "de").exists()
    assert (out / "es_US/baclofen-clinician.pdf").exists()
    (line,) = [line for line in outcome.lines if line.startswith("de: baclofen: ")]
    assert line.startswith("de: baclofen: clinician document not built: ")
    assert "entries not translated" in line
    outcome = run_leaflet(*shared, "--lang", "de")
    assert outcome.code == 1
    assert (
        f"{missing}: baclofen:drug.name: no entry: no catalog of the project's records in 'de' "
        "yet (run: leaflet i18n init de)"
    ) in outcome.lines, outcome.stderr
    assert not (out / "de").exists()
    # Starting the catalog brings the records' messages, and only those.
    outcome = run_leaflet("i18n", "init", "de")
    assert outcome.code == 0, outcome.stderr
    started = polib.pofile(str(missing))
    assert len(started) > 100 and all(":" in e.msgctxt for e in started)


def test_a_project_catalog_in_a_language_leaflet_lacks_is_reported_by_check(
    private_project: Project,
) -> None:
    locales = private_project.locales_dir
    german = locales / po_relative_path("de", RECORDS_DOMAIN)
    italian = locales / po_relative_path("it", RECORDS_DOMAIN)
    italian.parent.mkdir(parents=True)
    italian.write_text(
        german.read_text(encoding="utf-8").replace('"Language: de\\n"', '"Language: it\\n"'),
        encoding="utf-8",
    )
    assert "it" not in locale_codes() and "it" in locale_codes(RECORDS_DOMAIN)
    outcome = run_leaflet("check")
    assert outcome.code == 1
    assert outcome.lines == [
        f"{italian}: translates the records into 'it', but leaflet has no catalog of its own "
        "text in 'it', so nothing is built in it (expected one of leaflet's languages: ar, de, "
        "es_US, fr, pt_BR, ru, vi, zh_Hans; to fix: rename or delete this catalog, or add 'it' to "
        "leaflet itself with leaflet i18n init it --domain leaflet in a clone of leaflet's "
        "repository)",
        "1 problem found.",
    ]


def test_a_project_catalog_is_not_started_in_a_language_leaflet_lacks(
    private_project: Project,
) -> None:
    outcome = run_leaflet("i18n", "init", "it")
    assert outcome.code == 1
    assert outcome.lines[0] == (
        "LANG: leaflet has no catalog of its own text in 'it', so nothing would be built in it "
        "(expected one of leaflet's languages: ar, de, es_US, fr, pt_BR, ru, vi, zh_Hans; to add "
        "'it' to leaflet itself: leaflet i18n init it --domain leaflet, in a clone of "
        "leaflet's repository)"
    )
    assert not (private_project.locales_dir / "it").exists()


def test_an_id_in_both_domains_catalogs_is_refused(private_project: Project) -> None:
    locales = private_project.locales_dir
    own = locales / po_relative_path("fr", DOMAIN)
    records = locales / po_relative_path("fr", RECORDS_DOMAIN)
    po = polib.pofile(str(own), wrapwidth=0)
    po.append(polib.POEntry(msgctxt="baclofen:drug.name", msgid="Baclofen", msgstr="Baclofène"))
    po.save(str(own))
    own_line = next(e for e in polib.pofile(str(own)) if e.msgctxt == "baclofen:drug.name").linenum
    line = next(e for e in polib.pofile(str(records)) if e.msgctxt == "baclofen:drug.name").linenum
    outcome = run_leaflet("check")
    assert outcome.code == 1
    assert (
        f"{records}:{line}: baclofen:drug.name: the same msgctxt is in {own} on line {own_line} "
        "(expected each id in one catalog: leaflet's own ids in leaflet.po, the records' "
        "'<drug id>:…' ids in records.po; delete the one in the wrong file)"
    ) in outcome.lines, outcome.stderr


def _sign_off(project: Project, domain: str, scope: str, reviewer: str, date: str) -> None:
    """Record a sign-off as leaflet i18n review would, for the catalog as it is now."""
    po_path = project.locales_dir / po_relative_path("de", domain)
    entries = scope_entries(load_language("de"), scope)
    signoffs = read_signoffs(po_path)
    signoffs[scope] = SignOff(reviewer, date, "0" * 64, entries_digest(entries), len(entries))
    signoff_path(po_path).write_bytes(signoffs_json(signoffs))


def test_a_language_is_reviewed_only_when_both_its_texts_are_signed_off(
    private_project: Project,
) -> None:
    # A catalog's own header claim counts for nothing: only a recorded sign-off does.
    path = private_project.locales_dir / po_relative_path("de", RECORDS_DOMAIN)
    po = polib.pofile(str(path), wrapwidth=0)
    po.metadata["X-Leaflet-Review-Status"] = "reviewed"
    po.save(str(path))
    assert review_of(load_language("de"), "baclofen")["status"] == "unreviewed"
    _sign_off(private_project, RECORDS_DOMAIN, "baclofen", "M. Muster, PharmD", "2026-11-30")
    assert review_of(load_language("de"), "baclofen")["status"] == "unreviewed"
    _sign_off(private_project, DOMAIN, "leaflet", "A. Beispiel, Apothekerin", "2026-12-01")
    assert review_of(load_language("de"), "baclofen") == {
        "status": "reviewed",
        "reviewer": "M. Muster, PharmD; A. Beispiel, Apothekerin",
        "date": "2026-12-01",
    }
    # Another drug of the same language is not reviewed by baclofen's sign-off.
    assert review_of(load_language("de"), "gabapentin")["status"] == "unreviewed"


def test_leaflets_own_catalogs_are_refused_when_not_writable(
    private_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An installed leaflet's catalogs are read-only: its translators work in a clone."""
    real_access = os.access
    own = private_project.locales_dir.resolve()
    monkeypatch.setattr(
        os, "access", lambda path, mode: False if Path(path) == own else real_access(path, mode)
    )
    before = _digests(_domain_files(private_project.locales_dir, DOMAIN))
    for command in (("update",), ("extract",), ("init", "it")):
        outcome = run_leaflet("i18n", *command, "--domain", "leaflet")
        assert outcome.code == 2, outcome.stderr
        assert outcome.lines[-1] == (
            f"Error: --domain leaflet writes leaflet's own catalogs in {own}, which is not "
            "writable (expected a clone of leaflet's repository, installed with pip install -e; "
            "to translate leaflet itself, work there: docs/translators.md)"
        )
    assert _digests(_domain_files(private_project.locales_dir, DOMAIN)) == before
    # The project's own catalogs are written as ever.
    assert run_leaflet("i18n", "update").code == 0


@pytest.mark.parametrize("domain", DOMAINS)
def test_a_narrower_selection_is_refused_in_either_domain(domain: str) -> None:
    outcome = run_leaflet("i18n", "update", "--domain", domain, "--drug", "baclofen")
    assert outcome.code == 2
    assert outcome.lines[-1].startswith("Error: i18n update always works on every record in data/")


@pytest.mark.parametrize("domain", DOMAINS)
def test_status_counts_each_domain_against_its_own_catalogs(domain: str) -> None:
    outcome = run_leaflet("i18n", "status", "--domain", domain, "--json")
    assert outcome.code == 0, outcome.stderr
    rows = json.loads(outcome.stdout)["locales"]
    assert sorted(row["lang"] for row in rows) == sorted(LOCALES)
    template = polib.pofile(str(ROOT / "locales" / pot_name(domain)))
    for row in rows:
        assert row["path"] == f"locales/{row['lang']}/LC_MESSAGES/{domain}.po"
        assert row["total"] == len(template)
        assert row["complete"]  # every drug and leaflet's own text are translated
