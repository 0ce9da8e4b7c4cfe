"""Catalogs over many drugs: ids that keep translations in place, updates that lose none."""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path
from typing import Any

import polib
import pytest
import yaml

from leaflet.project import Project
from leaflet.publish.checks import check_records, collect_messages
from leaflet.translation.catalogs import required_contexts
from leaflet.translation.domains import RECORDS_DOMAIN, po_relative_path

from .conftest import ALL_RECORDS, DATA_RECORDS, FICTIONAL
from .helpers import run_leaflet

DROWSY = (
    "Baclofen can make you sleepy. Do not drive or use machines until you know how it affects you."
)
DROWSY_CONTEXT = "baclofen:warnings.drowsiness-driving.patient"


def run(*args: str) -> tuple[int, str]:
    """Run leaflet in this process (so the patched data/ and locales/ apply): code, output."""
    outcome = run_leaflet(*args)
    return outcome.code, outcome.stdout + outcome.stderr


def english_by_context(path: Path) -> dict[str, str]:
    messages, problems = collect_messages([path])
    assert problems == [], problems
    return {m.context: m.msgid for m in messages if ":" in m.context}


def _insert_at_the_top_of_every_list(node: Any, counter: list[int]) -> None:
    """Put a copy of the first item, under a new id, at the top of every list of items."""
    if isinstance(node, dict):
        for value in node.values():
            _insert_at_the_top_of_every_list(value, counter)
    elif isinstance(node, list):
        for item in node:
            _insert_at_the_top_of_every_list(item, counter)
        if node and all(isinstance(item, dict) and "id" in item for item in node):
            counter[0] += 1
            inserted = copy.deepcopy(node[0])
            inserted["id"] = f"inserted-{counter[0]}"
            for key in ("brands", "required_in"):
                inserted.pop(key, None)  # a brand names one product; one text per warning
            node.insert(0, inserted)


def _reverse_every_list(node: Any) -> None:
    if isinstance(node, dict):
        for value in node.values():
            _reverse_every_list(value)
    elif isinstance(node, list):
        for item in node:
            _reverse_every_list(item)
        if node and all(isinstance(item, dict) and "id" in item for item in node):
            node.reverse()


@pytest.mark.parametrize("record", ALL_RECORDS, ids=[p.stem for p in ALL_RECORDS])
def test_no_translation_id_is_a_list_position(record: Path) -> None:
    positional = [c for c in english_by_context(record) if re.search(r"\.\d+(\.|$)", c)]
    assert positional == []


@pytest.mark.parametrize("change", ["insert", "reverse"])
@pytest.mark.parametrize("record", ALL_RECORDS, ids=[p.stem for p in ALL_RECORDS])
def test_translations_stay_with_their_english_when_lists_change(
    record: Path, change: str, tmp_path: Path
) -> None:
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    if change == "insert":
        inserted = [0]
        _insert_at_the_top_of_every_list(data, inserted)
        assert inserted[0] > 10  # products, regimens, warnings, side effects, rows …
    else:
        _reverse_every_list(data)
    changed = tmp_path / record.name
    changed.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    before, after = english_by_context(record), english_by_context(changed)
    moved = {c: (text, after.get(c)) for c, text in before.items() if after.get(c) != text}
    assert moved == {}


def test_every_required_warning_context_is_a_real_message() -> None:
    records, problems = check_records(ALL_RECORDS)
    assert problems == []
    messages, _ = collect_messages(ALL_RECORDS)
    contexts = {m.context for m in messages}
    required = required_contexts(records)
    assert len(required) > 20
    assert sorted(set(required) - contexts) == []


@pytest.fixture
def project(private_project: Project) -> Path:
    """The data/ folder of a private project, holding copies of every real record."""
    assert sorted(p.name for p in private_project.data_dir.glob("*.yaml")) == [
        p.name for p in DATA_RECORDS
    ]
    return private_project.data_dir


def _entry(locales: Path, lang: str, context: str) -> polib.POEntry:
    po = polib.pofile(str(locales / po_relative_path(lang, RECORDS_DOMAIN)))
    return next(e for e in po if e.msgctxt == context)


def test_update_marks_changed_english_fuzzy_and_keeps_the_old_text(
    project: Path, locales_copy: Path, tmp_path: Path
) -> None:
    record = project / "baclofen.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace(DROWSY, DROWSY.replace("sleepy", "very sleepy")), "utf-8")
    code, output = run("i18n", "update")
    assert code == 0, output
    entry = _entry(locales_copy, "ru", DROWSY_CONTEXT)
    assert entry.fuzzy and entry.previous_msgid == DROWSY and entry.msgstr
    assert "ru: 1 changed (now fuzzy), 0 new (0 with a fuzzy suggestion), 0 back from " in output
    code, output = run(
        "build", "--drug", "baclofen", "--lang", "ru", "--audience", "patient",
        "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert code == 1
    assert f"{DROWSY_CONTEXT}: fuzzy: needs review" in output


def test_a_drug_taken_out_and_put_back_gets_every_translation_back(
    project: Path, locales_copy: Path, tmp_path: Path
) -> None:
    before = {
        e.msgctxt: e.msgstr
        for e in polib.pofile(str(locales_copy / po_relative_path("de", RECORDS_DOMAIN)))
        if e.msgctxt and e.msgctxt.startswith("baclofen:") and e.msgstr and not e.obsolete
    }
    assert len(before) > 150
    aside = tmp_path / "baclofen.yaml"
    shutil.move(project / "baclofen.yaml", aside)
    # Twice: the second update used to drop what the first had retired.
    for _ in range(2):
        code, output = run("i18n", "update")
        assert code == 0, output
        retired = {
            e.msgctxt: e.msgstr
            for e in polib.pofile(str(locales_copy / po_relative_path("de", RECORDS_DOMAIN)))
            if e.obsolete and e.msgctxt and e.msgctxt.startswith("baclofen:")
        }
        assert before.items() <= retired.items()  # (with entries retired long ago)
    changed = aside.read_text(encoding="utf-8").replace(DROWSY, DROWSY.replace("sleepy", "drowsy"))
    (project / "baclofen.yaml").write_text(changed, encoding="utf-8")
    code, output = run("i18n", "update")
    assert code == 0, output
    assert f"de: 1 changed (now fuzzy), 0 new (0 with a fuzzy suggestion), {len(before)} back " in (
        output
    )
    catalog = polib.pofile(str(locales_copy / po_relative_path("de", RECORDS_DOMAIN)))
    back = {
        e.msgctxt: e
        for e in catalog
        if e.msgctxt and e.msgctxt.startswith("baclofen:") and not e.obsolete
    }
    assert {c: e.msgstr for c, e in back.items()} == before
    assert [c for c, e in back.items() if e.fuzzy] == [DROWSY_CONTEXT]
    assert back[DROWSY_CONTEXT].previous_msgid == DROWSY


def test_a_new_drug_arrives_untranslated_with_suggestions_never_used_unreviewed(
    project: Path, locales_copy: Path, tmp_path: Path
) -> None:
    shutil.copy(FICTIONAL, project / FICTIONAL.name)
    code, output = run("i18n", "update")
    assert code == 0, output
    assert re.search(
        r"es_US: 0 changed \(now fuzzy\), \d+ new \([1-9]\d* with a fuzzy suggestion\)", output
    )
    catalog = polib.pofile(str(locales_copy / po_relative_path("es_US", RECORDS_DOMAIN)))
    entries = {e.msgctxt: e for e in catalog if e.msgctxt and not e.obsolete}
    # The same English as baclofen's, translated there: suggested, marked fuzzy.
    suggested = entries["examplofen:warnings.alcohol-cns-depressants.title"]
    assert suggested.fuzzy
    assert suggested.msgstr == entries["baclofen:warnings.alcohol-cns-depressants.title"].msgstr
    assert entries["examplofen:drug.name"].msgstr == ""
    # Every other drug keeps every translation it had.
    code, output = run("i18n", "status", "--drug", "baclofen", "--json")
    assert code == 0 and '"complete": false' not in output
    code, output = run(
        "build", "--drug", "examplofen", "--lang", "es_US", "--out", str(tmp_path / "out")
    )
    assert code == 1
    assert "examplofen:warnings.alcohol-cns-depressants.title: fuzzy: needs review" in output


@pytest.mark.parametrize("command", ["update", "extract", "init"])
def test_a_partial_selection_is_refused_rather_than_retiring_other_drugs(command: str) -> None:
    extra = ["it"] if command == "init" else []
    code, output = run("i18n", command, *extra, "--drug", "baclofen")
    assert code == 2
    assert output.splitlines()[-1] == (
        f"Error: i18n {command} always works on every record in data/, so that no drug's "
        "translations are retired (expected no --record or --drug; put a new record in data/ "
        "first)"
    )


def test_a_broken_record_in_data_stops_the_update_before_any_catalog_changes(
    project: Path, locales_copy: Path
) -> None:
    before = {p: p.read_bytes() for p in sorted(locales_copy.rglob("*.po*"))}
    broken = project / "baclofen.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("schema_version: 2", "x: ["))
    code, output = run("i18n", "update")
    assert code == 1
    assert f"{broken}:" in output and "YAML syntax error" in output
    assert {p: p.read_bytes() for p in sorted(locales_copy.rglob("*.po*"))} == before
