"""The bad-input corpus: every mistake gets its exact message, exit 1, and writes nothing.

Each case in ``tests/fixtures/invalid/cases*.yaml`` (one file per class of
mistake) names a file, what it guards against, and the one line leaflet must
print. Records are run through ``leaflet check`` and ``leaflet build``; catalogs
replace the German catalog in a copy of ``locales/``; settings files go to
``leaflet build --settings``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT
from .helpers import files_under, run_leaflet

CORPUS = ROOT / "tests" / "fixtures" / "invalid"
CASE_FILES = sorted(CORPUS.glob("cases*.yaml"))
CASES: list[dict[str, Any]] = [
    case for listing in CASE_FILES for case in yaml.safe_load(listing.read_text(encoding="utf-8"))
]


def test_the_corpus_is_large_and_every_file_has_a_case() -> None:
    listed = {case["file"] for case in CASES}
    images = {"not-an-image.png", "logo-bomb.png", "logo-truncated.png"}  # named by settings cases
    on_disk = {p.name for p in CORPUS.iterdir()} - {p.name for p in CASE_FILES} - images
    assert listed == on_disk
    assert len(listed) == len(CASES), "a file is listed twice"
    assert len(CASES) >= 40
    assert {case["kind"] for case in CASES} == {"record", "catalog", "settings"}
    assert all(case["guards"] and case["exit"] == 1 for case in CASES)


def _assert_refused(args: list[str], expected: str, out_dir: Path) -> None:
    outcome = run_leaflet(*args)
    assert outcome.code == 1, outcome.stderr
    assert expected in outcome.lines, outcome.stderr
    assert "Traceback" not in outcome.stderr + outcome.stdout
    assert files_under(out_dir) == []


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_each_bad_input_is_refused_with_its_message(
    case: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    locales_copy: Path,
) -> None:
    monkeypatch.chdir(ROOT)
    source = CORPUS / case["file"]
    out_dir = tmp_path / "out"
    if case["kind"] == "catalog":
        catalog = locales_copy / "de" / "LC_MESSAGES" / "leaflet.po"
        shutil.copyfile(source, catalog)
        # A corpus catalog predates the two domains and holds the records' ids too: it
        # stands alone as the German catalog (a second copy of an id would be refused).
        (locales_copy / "de" / "LC_MESSAGES" / "records.po").unlink()
        expected = case["message"].replace("{file}", str(catalog))
        _assert_refused(["check"], expected, out_dir)
        build = ["build", "--lang", "de", "--audience", "patient", "--out", str(out_dir)]
        _assert_refused(build, expected, out_dir)
        return
    shown = str(source.relative_to(ROOT))
    expected = case["message"].replace("{file}", shown)
    if case["kind"] == "record":
        _assert_refused(["check", "--record", shown], expected, out_dir)
        _assert_refused(["build", "--record", shown, "--out", str(out_dir)], expected, out_dir)
    else:
        build = ["build", "--settings", shown, "--out", str(out_dir)]
        _assert_refused(build, expected, out_dir)


def test_a_ten_megabyte_string_in_a_record_is_refused_before_parsing(tmp_path: Path) -> None:
    text = (ROOT / "tests" / "fixtures" / "examplofen.yaml").read_text(encoding="utf-8")
    record = tmp_path / "huge.yaml"
    record.write_text(text + 'notes: "' + "x" * 10_000_000 + '"\n', encoding="utf-8")
    size = record.stat().st_size
    _assert_refused(
        ["build", "--record", str(record), "--out", str(tmp_path / "out")],
        f"{record}: file is too large (expected at most 2097152 bytes, got {size})",
        tmp_path / "out",
    )


def test_a_ten_megabyte_catalog_is_refused(tmp_path: Path, locales_copy: Path) -> None:
    catalog = locales_copy / "de" / "LC_MESSAGES" / "leaflet.po"
    with catalog.open("a", encoding="utf-8") as handle:
        handle.write("# " + "x" * 10_000_000 + "\n")
    size = catalog.stat().st_size
    _assert_refused(
        ["check"],
        f"{catalog}: file is too large (expected at most 4194304 bytes, got {size})",
        tmp_path / "out",
    )


def test_a_catalog_folder_with_an_unknown_locale_code_is_named(
    tmp_path: Path, locales_copy: Path
) -> None:
    folder = locales_copy / "de-DE"
    shutil.copytree(locales_copy / "de", folder)
    expected = (
        f"{folder}: unknown locale code 'de-DE' (expected a folder named with a locale code "
        "such as de, pt_BR, zh_Hans: rename the folder)"
    )
    _assert_refused(["check"], expected, tmp_path / "out")


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (
            ["build", "--lang", "xx"],
            2,
            "Error: Invalid value for '--lang': unknown language 'xx' (expected all, or a "
            "comma-separated list of: en, ar, de, es_US, fr, pt_BR, ru, vi, zh_Hans)",
        ),
        (
            ["build", "--lang", "../../etc"],
            2,
            "Error: Invalid value for '--lang': unknown language '../../etc' (expected all, or a "
            "comma-separated list of: en, ar, de, es_US, fr, pt_BR, ru, vi, zh_Hans)",
        ),
        (
            ["i18n", "init", "../x"],
            1,
            "LANG: unknown locale code '../x' (expected e.g. de, pt_BR, zh_Hans)",
        ),
        (
            ["build", "--online-url", "https://example.org/{drug"],
            2,
            "Error: Invalid value for '--online-url': a lone { or } (expected only the "
            "placeholders {drug}, {lang}, {audience})",
        ),
        (
            ["build", "--online-url", "https://example.org/" + "a" * 400],
            2,
            "Error: Invalid value for '--online-url': too long for a QR code a phone can read "
            "(expected at most 300 characters once filled in, got up to 420)",
        ),
    ],
    ids=["unknown-lang", "lang-with-path", "init-with-path", "url-lone-brace", "url-too-long"],
)
def test_bad_command_line_values_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], code: int, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    outcome = run_leaflet(*args, *(["--out", "out"] if args[0] == "build" else []))
    assert outcome.code == code, outcome.stderr
    assert expected in outcome.lines, outcome.stderr
    assert files_under(tmp_path) == []


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        (
            "--patient-name",
            "Jane \u202eelpmaxE",
            "--patient-name: invisible control character(s) U+202E in the text (expected "
            "printable text: delete them; they often come from copying text out of another "
            "program)",
        ),
        (
            "--patient-name",
            "Jane Exa\u0301\u0301\u0301\u0301\u0301\u0301mple",
            "--patient-name: too many combining marks on one character (6 on character 8 of the "
            "text; expected at most 4: retype the word, the marks would print over the lines "
            "around it)",
        ),
        (
            "--prescriber",
            "Dr A. Sample " * 10,
            "--prescriber: text is too long (expected at most 80 characters, got 129)",
        ),
        (
            "--start",
            "9999-12-25",
            "--start: the year 9999 is out of range (expected a start date from 2000 to 2999; "
            "check for a typing slip)",
        ),
    ],
)
def test_bad_taper_details_are_named_without_echoing_them(
    tmp_path: Path, option: str, value: str, expected: str
) -> None:
    args = {"--drug": "baclofen", "--current-dose": "60", "--tablet-mg": "10"}
    args |= {"--days": "14", "--start": "2026-12-07"}
    args[option] = value
    flat = [part for pair in args.items() for part in pair]
    outcome = run_leaflet("taper", *flat, "--out", str(tmp_path / "taper.pdf"))
    assert (outcome.code, outcome.lines) == (2, [expected, "1 problem found."])
    assert files_under(tmp_path) == []


def test_a_device_or_a_pipe_is_refused_instead_of_read_forever(tmp_path: Path) -> None:
    pipe = tmp_path / "record.yaml"
    os.mkfifo(pipe)  # opening it would wait for a writer that never comes
    for path, option, kind in (
        (Path("/dev/zero"), "--record", "a YAML drug record"),
        (pipe, "--record", "a YAML drug record"),
        (Path("/dev/urandom"), "--settings", "a TOML settings file"),
    ):
        command = ["check"] if option == "--record" else ["build", "--out", str(tmp_path / "out")]
        outcome = run_leaflet(*command, option, str(path))
        expected = f"{path}: is not a regular file (expected {kind})"
        assert (outcome.code, outcome.lines) == (1, [expected, "1 problem found."])
    assert files_under(tmp_path / "out") == []


@pytest.mark.parametrize(
    "broken",
    ["po-syntax.po", "po-binary.po", "po-duplicate-msgctxt.po", "po-missing-msgctxt.po"],
)
def test_i18n_update_leaves_a_broken_catalog_untouched_and_updates_the_others(
    broken: str, locales_copy: Path
) -> None:
    # The project's catalogs: the ones ``i18n update`` works on.
    german = locales_copy / "de" / "LC_MESSAGES" / "records.po"
    shutil.copyfile(CORPUS / broken, german)
    spanish = locales_copy / "es_US" / "LC_MESSAGES" / "records.po"
    spanish.write_text(spanish.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    outcome = run_leaflet("i18n", "update")
    assert outcome.code == 1
    assert "Traceback" not in outcome.stderr
    assert outcome.lines[-1] == "Those catalogs were left unchanged: fix them, then run this again."
    assert any(line.startswith(f"{german}") for line in outcome.lines), outcome.stderr
    assert german.read_bytes() == (CORPUS / broken).read_bytes()
    assert (
        "es_US: 0 changed (now fuzzy), 0 new (0 with a fuzzy suggestion), 0 back from obsolete, "
        "0 obsolete"
    ) in outcome.lines
    assert not spanish.read_text(encoding="utf-8").endswith("\n\n")  # rewritten by the update
