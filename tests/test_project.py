"""A project the user owns: `leaflet new`, `--project`, settings defaults, overrides."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from leaflet.project import Project, current_project, find_project
from leaflet.render.theme import OWN_TEMPLATES_DIR
from leaflet.verify.preflight import read_facts_pypdf
from tests.conftest import LOCALES
from tests.helpers import files_under, run_leaflet

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def new_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project made by ``leaflet new``, untouched by the tests that read it."""
    folder = tmp_path_factory.mktemp("new") / "clinic"
    outcome = run_leaflet("new", str(folder))
    assert outcome.code == 0, outcome.stderr
    assert outcome.lines == [f"Created 24 files in {folder}/. Next: cd {folder} && leaflet build"]
    return folder


@pytest.fixture()
def project_copy(new_project: Path, tmp_path: Path) -> Path:
    """A private copy of the new project, for a test that changes it."""
    copy = tmp_path / "clinic"
    shutil.copytree(new_project, copy)
    return copy


def test_new_writes_a_complete_project(new_project: Path) -> None:
    files = files_under(new_project)
    assert {
        ".gitignore",
        ".vscode/settings.json",
        "README.md",
        "data/baclofen.yaml",
        "leaflet.toml",
        "locales/records.pot",
        "locales/es_US/LC_MESSAGES/records.po",
        "locales/zh_Hans/LC_MESSAGES/records.po",
        "locales/termbase.tbx",
        "locales/ar/termbase.tbx",
        "schema/record-2.json",
    } <= set(files)
    # Every language's termbase comes with the example, as in leaflet's own project.
    assert sorted(n for n in files if n.endswith("termbase.tbx")) == sorted(
        ["locales/termbase.tbx", *(f"locales/{lang}/termbase.tbx" for lang in LOCALES)]
    )
    # The project's catalogs hold the record's prose only: leaflet's own text ships with it.
    assert not [name for name in files if name.endswith("leaflet.po")]
    record = (new_project / "data" / "baclofen.yaml").read_text(encoding="utf-8")
    assert record.splitlines()[0] == "# yaml-language-server: $schema=../schema/record-2.json"
    assert (
        record.splitlines()[1:]
        == (ROOT / "data" / "baclofen.yaml").read_text(encoding="utf-8").splitlines()
    )
    settings = json.loads((new_project / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings == {"yaml.schemas": {"./schema/record-2.json": ["data/*.yaml"]}}


def test_the_new_project_schema_is_what_leaflet_schema_prints(new_project: Path) -> None:
    printed = run_leaflet("schema")
    assert printed.code == 0
    written = json.loads((new_project / "schema" / "record-2.json").read_text(encoding="utf-8"))
    assert written == json.loads(printed.stdout)
    assert written["$id"] == "https://leaflet.example.org/schema/record-2.json"


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    outcome = run_leaflet("new", str(tmp_path))
    assert outcome.code == 2
    assert outcome.lines[-1] == (
        f"Error: Invalid value for 'DIRECTORY': {str(tmp_path)!r} already exists and is not an "
        "empty folder (expected a new folder name, or an empty folder)"
    )
    assert files_under(tmp_path) == ["notes.txt"]


def test_a_new_project_checks_and_builds_in_its_own_folder(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project_copy / "data")  # a subfolder: the project is found above it
    checked = run_leaflet("check")
    assert checked.code == 0, checked.stderr
    assert checked.lines == ["1 record and 8 catalogs valid."]
    built = run_leaflet("build", "--lang", "en,es_US,ar", "--audience", "patient")
    assert built.code == 0, built.stderr
    assert files_under(project_copy / "out") == [
        "ar/baclofen-patient.pdf",
        "en/baclofen-patient.pdf",
        "es_US/baclofen-patient.pdf",
        "manifest.json",
    ]
    facts = read_facts_pypdf((project_copy / "out" / "es_US" / "baclofen-patient.pdf").read_bytes())
    assert facts.lang == "es-US"
    assert "baclofeno" in facts.text.lower()


def test_project_names_the_folder_from_anywhere(
    project_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    # Given to the group or to the command, the project is the same.
    first = run_leaflet("--project", str(project_copy), "build", "--audience", "clinician")
    assert first.code == 0, first.stderr
    second = run_leaflet("build", "--project", str(project_copy), "--lang", "de")
    assert second.code == 0, second.stderr
    assert files_under(elsewhere) == []
    out = files_under(project_copy / "out")
    # leaflet.toml's languages = "all" and papers = ["a4"] stand in for the options not given.
    assert "ar/baclofen-clinician.pdf" in out and "zh_Hans/baclofen-clinician.pdf" in out
    assert "de/baclofen-patient.pdf" in out and "en/baclofen-patient.pdf" not in out
    assert not [name for name in out if "letter" in name]
    # The project stops being current when the command ends.
    assert current_project() == find_project(elsewhere)


def test_a_missing_project_folder_is_a_usage_error(tmp_path: Path) -> None:
    outcome = run_leaflet("check", "--project", str(tmp_path / "nowhere"))
    assert outcome.code == 2
    assert outcome.lines[-1] == (
        f"Error: Invalid value for '--project': Directory '{tmp_path / 'nowhere'}' does not exist."
    )


def test_a_bad_build_default_names_the_settings_line(project_copy: Path) -> None:
    settings = project_copy / "leaflet.toml"
    text = settings.read_text(encoding="utf-8")
    assert text.count('languages = "all"') == text.count("# large_print = true ") == 1
    settings.write_text(
        text.replace('languages = "all"', 'languages = ["en", 5]').replace(
            "# large_print = true ", 'large_print = "yes"'
        ),
        encoding="utf-8",
    )
    outcome = run_leaflet("build", "--project", str(project_copy))
    assert outcome.code == 1
    assert outcome.lines == [
        f"{settings}:13: build.languages.1: wrong value (expected a valid string, got 5)",
        f"{settings}:16: build.large_print: wrong value (expected true or false, got 'yes')",
        "2 problems found.",
    ]
    settings.write_text(
        text.replace('languages = "all"', 'languages = ["en", "xx"]').replace(
            'papers = ["a4"]', 'papers = "a5"'
        ),
        encoding="utf-8",
    )
    outcome = run_leaflet("build", "--project", str(project_copy))
    assert outcome.code == 1
    assert outcome.lines == [
        f"{settings}:13: build.languages: unknown language 'xx' (expected all, or a list of: "
        "en, ar, de, es_US, fr, pt_BR, ru, vi, zh_Hans)",
        f"{settings}:14: build.papers: unknown paper size 'a5' (expected all, or a list of: "
        "a4, letter)",
        "2 problems found.",
    ]
    # An option given on the command line wins over the file.
    outcome = run_leaflet(
        "build", "--project", str(project_copy), "--lang", "en", "--paper", "letter", "-q"
    )
    assert outcome.code == 0, outcome.stderr
    assert files_under(project_copy / "out") == [
        "en/baclofen-clinician-letter.pdf",
        "en/baclofen-patient-letter.pdf",
        "en/baclofen-taper-letter.pdf",
        "manifest.json",
    ]


def _english_patient_text(project: Path) -> str:
    pdf = project / "out" / "en" / "baclofen-patient.pdf"
    return read_facts_pypdf(pdf.read_bytes()).text


def test_a_project_replaces_a_stylesheet_and_a_template(project_copy: Path) -> None:
    templates = project_copy / "templates"
    templates.mkdir()
    css = (OWN_TEMPLATES_DIR / "leaflet.css").read_text(encoding="utf-8")
    (templates / "leaflet.css").write_text(css + "\nh2 { text-transform: uppercase; }\n", "utf-8")
    page = (OWN_TEMPLATES_DIR / "patient.html").read_text(encoding="utf-8")
    assert page.count("<h1>{{ drug_name }}</h1>") == 1
    (templates / "patient.html").write_text(
        page.replace(
            "<h1>{{ drug_name }}</h1>",
            "<h1>{{ drug_name }}</h1>\n<p>Ask Main Street Pharmacy about this medicine.</p>",
        ),
        encoding="utf-8",
    )
    checked = run_leaflet("check", "--project", str(project_copy))
    assert checked.code == 0, checked.stderr
    assert checked.lines == [
        "templates/leaflet.css: replaces leaflet's own leaflet.css",
        "templates/patient.html: replaces leaflet's own patient.html",
        "1 record and 8 catalogs valid.",
    ]
    built = run_leaflet("build", "--project", str(project_copy), "--lang", "en")
    assert built.code == 0, built.stderr
    text = _english_patient_text(project_copy)
    assert "Ask Main Street Pharmacy about this medicine." in text
    assert "4. POSSIBLE SIDE EFFECTS" in text
    # The clinician card uses the replaced stylesheet too, and its own template still.
    card = read_facts_pypdf((project_copy / "out/en/baclofen-clinician.pdf").read_bytes())
    assert "Ask Main Street Pharmacy" not in card.text
    # Editing the project's template is a change: the document is rendered again.
    (templates / "patient.html").write_text(page, encoding="utf-8")
    again = run_leaflet("build", "--project", str(project_copy), "--lang", "en", "-q")
    assert again.code == 0, again.stderr
    assert "Ask Main Street Pharmacy" not in _english_patient_text(project_copy)


def test_preflight_checks_a_replaced_template(project_copy: Path) -> None:
    templates = project_copy / "templates"
    templates.mkdir()
    (templates / "patient.html").write_text(
        '{% extends "base.html" %}{% set doc_title = "Leaflet" %}'
        "{% block body %}<p>Nothing to see.</p>{% endblock %}\n",
        encoding="utf-8",
    )
    built = run_leaflet(
        "build", "--project", str(project_copy), "--lang", "en", "--audience", "patient"
    )
    assert built.code == 1
    pdf = project_copy / "out" / "en" / "baclofen-patient.pdf"
    missing = [line for line in built.lines if "is missing from the PDF text" in line]
    assert [line.split("'")[1] for line in missing] == [
        "abrupt-withdrawal",
        "drowsiness-driving",
        "alcohol-cns-depressants",
        "neonatal-withdrawal",
    ]
    assert all(line.startswith(f"{pdf}: preflight: required warning ") for line in missing)
    assert not (project_copy / "out" / "en" / "baclofen-patient.pdf").exists()


def test_this_repository_is_a_project() -> None:
    assert find_project(ROOT / "data") == Project(ROOT)
    assert (ROOT / "leaflet.toml").is_file()


def test_a_new_projects_catalogs_round_trip_and_take_a_new_record(project_copy: Path) -> None:
    locales = project_copy / "locales"
    before = {name: (locales / name).read_bytes() for name in files_under(locales)}
    updated = run_leaflet("i18n", "update", "--project", str(project_copy), "-q")
    assert updated.code == 0, updated.stderr
    assert {name: (locales / name).read_bytes() for name in files_under(locales)} == before
    # The user adds a record: its prose joins the project's catalogs, untranslated.
    shutil.copyfile(ROOT / "data" / "gabapentin.yaml", project_copy / "data" / "gabapentin.yaml")
    assert run_leaflet("check", "--project", str(project_copy)).code == 0
    updated = run_leaflet("i18n", "update", "--project", str(project_copy), "-q")
    assert updated.code == 0, updated.stderr
    spanish = (locales / "es_US" / "LC_MESSAGES" / "records.po").read_text(encoding="utf-8")
    assert 'msgctxt "gabapentin:drug.name"' in spanish
    built = run_leaflet(
        "build", "--project", str(project_copy), "--lang", "all", "--audience", "patient"
    )
    assert built.code == 0, built.stderr
    out = files_under(project_copy / "out")
    assert "en/gabapentin-patient.pdf" in out and "es_US/baclofen-patient.pdf" in out
    assert "es_US/gabapentin-patient.pdf" not in out
    (line,) = [text for text in built.lines if text.startswith("es_US: gabapentin: ")]
    count = int(line.split(" not built: ")[1].split()[0])
    assert line == (
        f"es_US: gabapentin: patient document not built: {count} entries not translated (to "
        "list them: leaflet build --lang es_US --drug gabapentin; progress: leaflet i18n status "
        "--drug gabapentin)"
    )
    assert built.lines[-1].startswith(
        "18 documents: 10 written, 0 unchanged, 8 skipped (8 untranslated, 0 not applicable), "
        "0 failed, in "
    )


def test_every_command_but_new_takes_project() -> None:
    import click

    from leaflet.cli.main import cli

    def walk(group: click.Group, prefix: tuple[str, ...]) -> list[tuple[str, click.Command]]:
        found = []
        for name, command in sorted(group.commands.items()):
            found.append((" ".join((*prefix, name)), command))
            if isinstance(command, click.Group):
                found += walk(command, (*prefix, name))
        return found

    without = [
        name
        for name, command in [("leaflet", cli), *walk(cli, ())]  # type: ignore[list-item]
        if not any("--project" in param.opts for param in command.params)
    ]
    assert without == ["new"]
