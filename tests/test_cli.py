"""The command line: exit codes, exact messages, documented commands, safe failures."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from leaflet.cli.main import cli
from leaflet.publish.writer import TEMP_PREFIX
from leaflet.verify.preflight import extract_text

from .conftest import FICTIONAL


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def fictional_copy(tmp_path: Path, **patch: str) -> Path:
    """Write the fictional record with some patient/clinician texts replaced."""
    data = yaml.safe_load(FICTIONAL.read_text(encoding="utf-8"))
    for key, value in patch.items():
        section, index, field = key.split("__")
        data[section][int(index)][field] = value
    path = tmp_path / "examplofen.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_every_command_is_documented_with_an_example() -> None:
    import click

    def walk(group: click.Group, prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
        found = []
        for name, command in sorted(group.commands.items()):
            found.append((*prefix, name))
            if isinstance(command, click.Group):
                found += walk(command, (*prefix, name))
        return found

    commands = walk(cli, ())  # type: ignore[arg-type]
    assert commands == [
        ("build",),
        ("check",),
        ("i18n",),
        ("i18n", "extract"),
        ("i18n", "init"),
        ("i18n", "proof"),
        ("i18n", "review"),
        ("i18n", "status"),
        ("i18n", "update"),
        ("migrate",),
        ("new",),
        ("schema",),
        ("serve",),
        ("taper",),
    ]
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    code, output = run("--help")
    assert code == 0
    for path in commands:
        code, help_text = run(*path, "--help")
        assert code == 0
        assert "Example" in help_text, path
        assert f"leaflet {' '.join(path)}" in readme, path
        if len(path) == 1:
            assert path[0] in output


def test_check_valid_record() -> None:
    code, output = run("check", "--record", str(FICTIONAL))
    assert code == 0, output
    assert output.endswith("valid.\n")


def test_check_reports_a_yaml_syntax_error_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("drug:\n  id: x\n  name: [unclosed\n", encoding="utf-8")
    code, output = run("check", "--record", str(bad))
    assert code == 1
    assert f"{bad}:4: YAML syntax error:" in output or f"{bad}:3: YAML syntax error:" in output
    assert output.endswith("1 problem found.\n")
    assert "Traceback" not in output


def test_usage_errors_exit_2() -> None:
    code, output = run("build", "--audience", "nobody")
    assert code == 2
    assert output.splitlines()[-1] == (
        "Error: Invalid value for '--audience': unknown audience 'nobody' (expected all, or a "
        "comma-separated list of: patient, clinician, taper)"
    )
    assert run("frobnicate")[0] == 2
    assert run("build", "--paper", "a3")[0] == 2


def test_an_unknown_language_is_a_usage_error_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = run("build", "--record", str(FICTIONAL), "--lang", "xx", "--out", str(out))
    assert code == 2
    assert output.splitlines()[-1] == (
        "Error: Invalid value for '--lang': unknown language 'xx' (expected all, or a "
        "comma-separated list of: en, ar, de, es_US, fr, pt_BR, ru, vi, zh_Hans)"
    )
    assert not out.exists()


def test_bad_record_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 2\n", encoding="utf-8")
    out = tmp_path / "out"
    code, output = run("build", "--record", str(bad), "--out", str(out))
    assert code == 1
    assert (
        f"{bad}:1: drug: required field is missing (expected a value here, got nothing)" in output
    )
    assert not out.exists() or not any(out.rglob("*"))


def test_schema_is_json_schema_for_the_record() -> None:
    code, output = run("schema")
    assert code == 0
    schema = json.loads(output)
    assert schema["title"] == "leaflet drug record"
    assert "warnings" in schema["properties"]
    assert schema["additionalProperties"] is False


def test_every_schema_field_is_described_with_an_example() -> None:
    code, output = run("schema")
    assert code == 0
    schema = json.loads(output)
    sections = {**schema["$defs"], "DrugRecord": schema}
    undescribed = [
        f"{name}.{field}"
        for name, section in sections.items()
        for field, spec in section.get("properties", {}).items()
        if not spec.get("description") or not spec.get("examples")
    ]
    assert undescribed == []
    assert schema["properties"]["schema_version"]["examples"] == [2]


def test_html_in_a_text_field_is_printed_literally(tmp_path: Path) -> None:
    record = fictional_copy(
        tmp_path, contraindications__0__patient="if <b>allergic</b> & <script>x</script>."
    )
    out = tmp_path / "out"
    code, output = run("build", "--record", str(record), "--audience", "patient", "--out", str(out))
    assert code == 0, output
    text = extract_text((out / "en" / "examplofen-patient.pdf").read_bytes())
    assert "if <b>allergic</b> & <script>x</script>." in text


def test_a_failing_document_keeps_the_previous_good_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _ = run("build", "--record", str(FICTIONAL), "--out", str(out), "-q")
    assert code == 0
    card = out / "en" / "examplofen-clinician.pdf"
    before = hashlib.sha256(card.read_bytes()).hexdigest()
    # A clinician text long enough to push the one-page card onto a second page.
    long_text = " ".join(["This sentence makes the quick card far too long to fit."] * 60)
    record = fictional_copy(
        tmp_path,
        contraindications__0__clinician=long_text,
        warnings__0__clinician=long_text,
        warnings__1__clinician=long_text,
        warnings__2__clinician=long_text,
        interactions__0__clinician=long_text,
    )
    code, output = run("build", "--record", str(record), "--out", str(out), "-q")
    assert code == 1
    assert re.search(
        r"examplofen-clinician\.pdf: preflight: page limit not met \(expected exactly 1 page\(s\), "
        r"got [2-9]\); shorten the text or adjust the layout; not written",
        output,
    ), output
    assert hashlib.sha256(card.read_bytes()).hexdigest() == before
    assert not [p for p in out.rglob("*") if p.name.startswith(TEMP_PREFIX)]
    manifest = json.loads((out / "manifest.json").read_text())
    entry = next(d for d in manifest["documents"] if d["path"] == "en/examplofen-clinician.pdf")
    assert entry["sha256"] == before


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_build_one_audience_and_paper(tmp_path: Path, paper: str) -> None:
    code, _ = run(
        "build",
        "--record",
        str(FICTIONAL),
        "--audience",
        "taper",
        "--paper",
        paper,
        "--out",
        str(tmp_path),
        "-q",
    )
    assert code == 0
    suffix = "-letter" if paper == "letter" else ""
    assert [p.name for p in (tmp_path / "en").iterdir()] == [f"examplofen-taper{suffix}.pdf"]


def test_a_missing_required_warning_is_named_and_not_written(
    tmp_path: Path, ghost_taper_warning: str
) -> None:
    code, output = run("build", "--record", str(FICTIONAL), "--out", str(tmp_path), "-q")
    assert code == 1
    assert (
        "examplofen-taper.pdf: preflight: required warning 'ghost-warning' is missing from "
        "the PDF text (expected 'This sentence is in no template.'); not written"
    ) in output
    assert not (tmp_path / "en" / "examplofen-taper.pdf").exists()
    assert (tmp_path / "en" / "examplofen-patient.pdf").exists()
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert sorted(d["audience"] for d in manifest["documents"]) == ["clinician", "patient"]


def test_duplicate_key_exits_1_with_both_lines(tmp_path: Path) -> None:
    text = FICTIONAL.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("  inn:"))
    lines.insert(index + 1, lines[index])
    path = tmp_path / "dup.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    code, output = run("check", "--record", str(path))
    assert code == 1
    assert output == (
        f"{path}:{index + 2}: drug.inn: duplicate key (already defined on line {index + 1}; "
        "expected each key once: remove or rename one of them)\n1 problem found.\n"
    )
