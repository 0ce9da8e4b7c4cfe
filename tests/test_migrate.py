"""``leaflet migrate``: a format-1 record becomes format 2 and keeps its translations."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib

from leaflet.translation.po_format import po_text

from .conftest import FICTIONAL, ROOT
from .helpers import run_leaflet

SCHEMA_1 = ROOT / "tests" / "fixtures" / "schema1" / "examplofen.yaml"
OLD_CONTEXT = "examplofen:side_effects.items.0.patient"
NEW_CONTEXT = "examplofen:side_effects.items.respiratory-depression.patient"


def test_a_format_1_record_is_converted_and_what_it_lacks_is_named(
    tmp_path: Path, locales_copy: Path
) -> None:
    record = tmp_path / "examplofen.yaml"
    shutil.copy(SCHEMA_1, record)
    outcome = run_leaflet("migrate", str(record))
    assert outcome.code == 0, outcome.stderr
    assert (tmp_path / "examplofen.yaml.v1").read_bytes() == SCHEMA_1.read_bytes()
    assert record.read_text(encoding="utf-8").count("schema_version: 2") == 1
    assert outcome.lines[-4:] == [
        "2 thing(s) to add by hand:",
        f"  {record}: regulatory.labels: add the label(s) the record follows, each with id, "
        "title, version, date and refs",
        f"  {record}: indications.approved.oral.title: add a short name (patient: and "
        "clinician:) for the dosing tables",
        "Then run: leaflet i18n update",
    ]
    # What format 1 never held is exactly what `check` still asks for.
    check = run_leaflet("check", "--record", str(record))
    assert check.code == 1
    assert [line.split(": ", 2)[1] for line in check.lines[:-1]] == [
        "regulatory.labels",
        "indications.approved[0].title",
    ]


def test_its_translations_are_renamed_to_the_new_ids_and_nothing_else_changes(
    tmp_path: Path, locales_copy: Path
) -> None:
    german = locales_copy / "de" / "LC_MESSAGES" / "records.po"
    own = (locales_copy / "de" / "LC_MESSAGES" / "leaflet.po").read_bytes()
    # The catalog as msgmerge writes it, with a translation of a format-1 id.
    catalog = polib.pofile(str(german), wrapwidth=0)
    catalog.append(
        polib.POEntry(
            msgctxt=OLD_CONTEXT,
            msgid="Slow or shallow breathing",
            msgstr="Langsame oder flache Atmung",
        )
    )
    before = po_text(catalog)
    german.write_text(before, encoding="utf-8")
    record = tmp_path / "examplofen.yaml"
    shutil.copy(SCHEMA_1, record)
    outcome = run_leaflet("migrate", str(record), "--out", str(tmp_path / "new.yaml"))
    assert outcome.code == 0, outcome.stderr
    assert "1 translation(s) renamed to the new ids." in outcome.stderr
    assert record.read_bytes() == SCHEMA_1.read_bytes()  # --out leaves the original alone
    after = german.read_text(encoding="utf-8")
    assert after == before.replace(OLD_CONTEXT, NEW_CONTEXT)
    assert (locales_copy / "de" / "LC_MESSAGES" / "leaflet.po").read_bytes() == own
    entry = next(e for e in polib.pofile(str(german)) if e.msgctxt == NEW_CONTEXT)
    assert entry.msgstr == "Langsame oder flache Atmung"
    assert f"- id: {NEW_CONTEXT.split('.')[2]}" in (tmp_path / "new.yaml").read_text("utf-8")


def test_a_record_already_in_format_2_is_left_alone(tmp_path: Path) -> None:
    record = tmp_path / "examplofen.yaml"
    shutil.copy(FICTIONAL, record)
    outcome = run_leaflet("migrate", str(record))
    assert outcome.code == 1
    assert outcome.lines[0] == (
        f"{record}:6: schema_version: not a format-1 record (expected schema_version: 1, got 2); "
        "nothing to convert"
    )
    assert record.read_bytes() == FICTIONAL.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["examplofen.yaml"]
