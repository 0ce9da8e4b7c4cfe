"""Hostile option values: each is a usage error (exit 2) with its exact message, and writes nothing.

Three classes, each checked on several inputs and, where a rule covers every
option, over the whole command tree:

* an output that is one of the inputs (``--out`` naming the record, the settings
  file, the logo, a record in ``data/``, a file in leaflet's own folders; through
  a symbolic link, ``..`` or a hard link too);
* an ``--online-url`` whose printed text and QR code could differ, or that is no
  ordinary web address;
* an unknown or malformed value of an option that takes one of a known set.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from PIL import Image

from leaflet.cli.common import CommaList, OneOf
from leaflet.cli.main import cli

from .conftest import FICTIONAL, ROOT
from .helpers import Outcome, files_under, run_leaflet

LANGS = "en, ar, de, es_US, fr, pt_BR, ru, vi, zh_Hans"
TAPER = [
    *("--current-dose", "60", "--split", "20,20,20", "--tablet-mg", "10"),
    *("--days", "14", "--start", "2026-12-07"),
]
SETTINGS = '[branding]\nname = "Main Street Pharmacy"\nlogo = "logo.png"\n'


def _refused(outcome: Outcome, code: int, expected: str) -> None:
    assert outcome.code == code, outcome.stderr
    assert expected in outcome.lines, outcome.stderr
    assert "Traceback" not in outcome.stderr + outcome.stdout


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in files_under(folder)}


@pytest.fixture()
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A working folder holding a record, a settings file and its logo."""
    shutil.copyfile(ROOT / "data" / "baclofen.yaml", tmp_path / "baclofen.yaml")
    (tmp_path / "leaflet.toml").write_text(SETTINGS, encoding="utf-8")
    Image.new("RGB", (60, 20), (11, 79, 92)).save(tmp_path / "logo.png")
    monkeypatch.chdir(tmp_path)
    before = _snapshot(tmp_path)
    yield tmp_path
    assert _snapshot(tmp_path) == before, "a refused command changed or wrote a file"


# --- 19. an output that is one of the inputs ---------------------------------------------


def _file_clash(out: str, what: str) -> str:
    return (
        f"Error: Invalid value for '--out': {out} is {what} (expected a new file to write: "
        "choose another name)"
    )


def _taper(*extra: str) -> Outcome:
    return run_leaflet("taper", "--record", "baclofen.yaml", *TAPER, *extra)


@pytest.mark.parametrize("output_format", ["pdf", "json"])
def test_taper_out_naming_the_record_is_refused(workdir: Path, output_format: str) -> None:
    outcome = _taper("--format", output_format, "--out", "baclofen.yaml")
    _refused(outcome, 2, _file_clash("'baclofen.yaml'", "the record this command reads"))


def test_taper_out_reaching_the_record_by_another_name_is_refused(workdir: Path) -> None:
    (workdir / "sub").mkdir()
    os.symlink("baclofen.yaml", workdir / "link.pdf")
    os.link(workdir / "baclofen.yaml", workdir / "hard.pdf")
    for other in ("link.pdf", "hard.pdf", "sub/../baclofen.yaml", str(workdir / "baclofen.yaml")):
        shown = (
            repr(other)
            if os.path.abspath(other) == str(workdir / "baclofen.yaml")
            else f"{other!r}, another name for baclofen.yaml,"
        )
        outcome = _taper("--out", other)
        _refused(outcome, 2, _file_clash(shown, "the record this command reads"))
    original = (ROOT / "data" / "baclofen.yaml").read_bytes()
    assert (workdir / "baclofen.yaml").read_bytes() == original
    os.unlink("link.pdf")
    os.unlink("hard.pdf")
    os.rmdir("sub")


def test_an_out_through_a_symbolic_link_loop_is_refused(workdir: Path) -> None:
    os.symlink("loop", workdir / "loop")
    for command, out in (
        (["taper", "--record", "baclofen.yaml", *TAPER], "loop/handout.pdf"),
        (["schema"], "loop"),
        (["build", "--record", "baclofen.yaml"], "loop"),
    ):
        outcome = run_leaflet(*command, "--out", out)
        _refused(
            outcome,
            2,
            f"Error: Invalid value for '--out': {out!r} leads through a symbolic link that "
            "points back to itself (expected a path that can be written: remove the link, or "
            "choose another name)",
        )
    os.unlink("loop")


def test_taper_out_naming_the_settings_or_its_logo_is_refused(workdir: Path) -> None:
    outcome = _taper("--settings", "leaflet.toml", "--out", "leaflet.toml")
    _refused(outcome, 2, _file_clash("'leaflet.toml'", "the settings file this command reads"))
    outcome = _taper("--settings", "leaflet.toml", "--out", "logo.png")
    what = "the logo this command prints (named in the settings file)"
    _refused(outcome, 2, _file_clash("'logo.png'", what))


def test_taper_out_naming_a_record_in_data_is_refused(workdir: Path) -> None:
    data = ROOT / "data"
    before = _snapshot(data)
    target = str(data / "gabapentin.yaml")
    # This repository is the project whose records are read (the workdir has none).
    outcome = run_leaflet(
        "--project", str(ROOT), "taper", "--drug", "baclofen", *TAPER, "--out", target
    )
    _refused(outcome, 2, _file_clash(repr(target), f"a record leaflet reads from {data}/"))
    new = str(data / "taper.yaml")  # not an input yet, but every later command would read it
    for command in (["taper", "--drug", "baclofen", *TAPER, "--format", "json"], ["schema"]):
        outcome = run_leaflet("--project", str(ROOT), *command, "--out", new)
        _refused(
            outcome,
            2,
            f"Error: Invalid value for '--out': {new!r} would be read as a drug record: leaflet "
            f"reads every {data}/*.yaml (expected a file outside {data}/, or another extension)",
        )
    assert _snapshot(data) == before


@pytest.mark.parametrize(
    ("folder", "what"),
    [
        ("templates", "the templates leaflet renders"),
        ("fonts", "the fonts leaflet embeds"),
        ("leaflet", "leaflet's own code"),
    ],
)
def test_taper_out_inside_leaflets_own_folders_is_refused(
    workdir: Path, folder: str, what: str
) -> None:
    target = ROOT / folder / "handout.pdf"
    outcome = _taper("--out", str(target))
    _refused(
        outcome,
        2,
        f"Error: Invalid value for '--out': {str(target)!r} is inside {ROOT / folder}/, {what} "
        "(expected a file outside leaflet's own folders: choose another place)",
    )
    assert not target.exists()


def test_schema_out_naming_a_record_or_leaflets_code_is_refused(workdir: Path) -> None:
    record = ROOT / "data" / "gabapentin.yaml"  # an example leaflet ships: schema reads it
    before = record.read_bytes()
    outcome = run_leaflet("schema", "--out", str(record))
    _refused(outcome, 2, _file_clash(repr(str(record)), "the record this command reads"))
    assert record.read_bytes() == before
    target = ROOT / "leaflet" / "schema.json"
    outcome = run_leaflet("schema", "--out", str(target))
    _refused(
        outcome,
        2,
        f"Error: Invalid value for '--out': {str(target)!r} is inside {ROOT / 'leaflet'}/, "
        "leaflet's own code (expected a file outside leaflet's own folders: choose another place)",
    )
    assert not target.exists()


def test_migrate_out_naming_the_record_or_a_catalog_is_refused(
    locales_copy: Path, workdir: Path
) -> None:
    shutil.copyfile(ROOT / "tests" / "fixtures" / "schema1" / "examplofen.yaml", "old.yaml")
    catalogs_before = _snapshot(locales_copy)
    record_before = Path("old.yaml").read_bytes()
    for same in ("old.yaml", "./old.yaml", "sub/../old.yaml", str(workdir / "old.yaml")):
        outcome = run_leaflet("migrate", "old.yaml", "--out", same)
        _refused(
            outcome,
            2,
            f"Error: Invalid value for '--out': {str(Path(same))!r} is RECORD itself (expected "
            "another file; to convert RECORD in place, keeping the original as old.yaml.v1, "
            "leave out --out)",
        )
    catalog = locales_copy / "de" / "LC_MESSAGES" / "leaflet.po"
    outcome = run_leaflet("migrate", "old.yaml", "--out", str(catalog))
    _refused(
        outcome,
        2,
        f"Error: Invalid value for '--out': {str(catalog)!r} is inside locales/, the "
        "project's translation catalogs (expected a file outside leaflet's own folders: "
        "choose another place)",
    )
    assert Path("old.yaml").read_bytes() == record_before
    assert _snapshot(locales_copy) == catalogs_before
    Path("old.yaml").unlink()  # the workdir fixture compares against its own files


def _folder_clash(out: str, reason: str) -> str:
    return (
        f"Error: Invalid value for '--out': {out!r} {reason} (expected a folder of its own for "
        "the documents: choose another one)"
    )


def test_build_out_that_is_or_lies_in_an_input_folder_is_refused(workdir: Path) -> None:
    data, templates = ROOT / "data", ROOT / "templates"
    cases = [
        (str(data), f"is {data}/, the records leaflet reads"),
        (str(templates / "out"), f"is inside {templates}/, the templates leaflet renders"),
    ]
    for out, reason in cases:
        outcome = run_leaflet(
            "--project", str(ROOT), "build", "--record", "baclofen.yaml", "--out", out
        )
        _refused(outcome, 2, _folder_clash(out, reason))
    assert not (data / "manifest.json").exists()
    (workdir / "records").mkdir()
    shutil.copyfile(FICTIONAL, workdir / "records" / "examplofen.yaml")
    outcome = run_leaflet("build", "--data", "records", "--out", "records")
    reason = "is records/, a folder of records named by --data"
    _refused(outcome, 2, _folder_clash("records", reason))
    shutil.rmtree(workdir / "records")


def test_build_out_that_would_write_over_an_input_is_refused(workdir: Path) -> None:
    (workdir / "out" / "de").mkdir(parents=True)
    shutil.copyfile("baclofen.yaml", "out/de/baclofen.yaml")
    shutil.copyfile("leaflet.toml", "out/manifest.json")
    shutil.copyfile("logo.png", "out/logo.png")
    outcome = run_leaflet(
        "build", "--record", "out/de/baclofen.yaml", "--lang", "de", "--out", "out"
    )
    reason = (
        "would receive documents at out/de, where the record this command reads is "
        "(out/de/baclofen.yaml)"
    )
    _refused(outcome, 2, _folder_clash("out", reason))
    outcome = run_leaflet(
        "build", "--record", "baclofen.yaml", "--settings", "out/manifest.json", "--out", "out"
    )
    reason = (
        "would receive documents at out/manifest.json, where the settings file this command "
        "reads is (out/manifest.json)"
    )
    _refused(outcome, 2, _folder_clash("out", reason))
    assert files_under(workdir / "out") == ["de/baclofen.yaml", "logo.png", "manifest.json"]
    shutil.rmtree(workdir / "out")


# --- 22. --online-url: the printed address is the QR code's, and a web address ------------


def _url(problem: str) -> str:
    return f"Error: Invalid value for '--online-url': {problem}"


ALLOWED = (
    "letters, digits and - . _ ~ : / ? # @ ! $ & ( ) * + , ; = %, anything else percent-encoded"
)
EXAMPLE = "https://example.org/{drug}/{lang}/{audience}"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        (
            "https://example.org/\u202e{drug}",
            "invisible control character(s) U+202E in the text (expected printable text: delete "
            "them; they often come from copying text out of another program)",
        ),
        (
            "https://example.org/{drug} leaflet",
            "U+0020 (space) in the address (expected no spaces or line breaks: write a space as "
            "%20)",
        ),
        (
            "https://example.org/{drug}\t",
            "U+0009 (tab) in the address (expected no spaces or line breaks: write a space as %20)",
        ),
        (
            'https://example.org/{drug}"onmouseover="x',
            f"'\"' (U+0022) is not allowed in a web address (expected {ALLOWED}, such as %22)",
        ),
        (
            "https://example.org/{drug}'",
            f'"\'" (U+0027) is not allowed in a web address (expected {ALLOWED}, such as %27)',
        ),
        (
            "https://example.org/`{drug}`",
            f"'`' (U+0060) is not allowed in a web address (expected {ALLOWED}, such as %60)",
        ),
        (
            "https://example.org/<script>",
            f"'<' (U+003C) is not allowed in a web address (expected {ALLOWED}, such as %3C)",
        ),
        (
            "https://example.org\\@evil.example/",
            f"'\\\\' (U+005C) is not allowed in a web address (expected {ALLOWED}, such as %5C)",
        ),
        (
            "https://example.org/{{drug}}",
            f"'{{' (U+007B) is not allowed in a web address (expected {ALLOWED}, such as %7B)",
        ),
        (
            "https://exаmple.org/{drug}",  # a Cyrillic а: prints as example.org
            "'а' (U+0430) is not ASCII (expected the address exactly as the QR code holds it: a "
            "host in its xn-- form, other characters percent-encoded, such as %D0%B0)",
        ),
        (
            "https://example.org/\u200b{drug}",
            "U+200B (zero width space) is not ASCII (expected the address exactly as the QR code "
            "holds it: a host in its xn-- form, other characters percent-encoded, such as "
            "%E2%80%8B)",
        ),
        (
            "javascript:alert(1)//{drug}",
            f"not a web address (expected http:// or https:// and a host, such as {EXAMPLE}, "
            "got 'javascript:alert(1)//{drug}')",
        ),
        (
            "file:///etc/passwd",
            f"not a web address (expected http:// or https:// and a host, such as {EXAMPLE}, "
            "got 'file:///etc/passwd')",
        ),
        ("https:///{drug}", f"no host (expected a host after the scheme, such as {EXAMPLE})"),
        (
            "https://example.org@evil.example/{drug}",
            "a user name before the host in 'example.org@evil.example' (expected https://host/…: "
            "an address with '@' before its host prints as one site and opens another)",
        ),
        (
            "https://{lang}.example.org/{drug}",
            "a placeholder in the host '{lang}.example.org' (expected the placeholders after the "
            f"host, such as {EXAMPLE})",
        ),
        (
            "https://example_org/{drug}",
            "'example_org' is not a host name (expected letters, digits, hyphens and dots, such "
            "as example.org)",
        ),
        (
            "https://example.org:0/{drug}",
            "'0' is not a port (expected a number from 1 to 65535, or none)",
        ),
        (
            "https://example.org/100%/{drug}",
            "a '%' without two hexadecimal digits after it (expected %XX, such as %20)",
        ),
    ],
    ids=[
        "override",
        "space",
        "tab",
        "double-quote",
        "quote",
        "backtick",
        "angle-bracket",
        "backslash",
        "doubled-brace",
        "homoglyph-host",
        "zero-width",
        "javascript",
        "file",
        "no-host",
        "user-name",
        "placeholder-in-host",
        "bad-host",
        "bad-port",
        "lone-percent",
    ],
)
def test_a_bad_online_address_is_refused(workdir: Path, url: str, problem: str) -> None:
    outcome = run_leaflet("build", "--record", "baclofen.yaml", "--online-url", url, "--out", "out")
    _refused(outcome, 2, _url(problem))


# --- 23. unknown or malformed option values: exit 2, one message -------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["build", "--lang", "all,en"],
            "Error: Invalid value for '--lang': 'all' cannot be combined with other languages "
            "(expected 'all' alone, or a comma-separated list of languages, got 'all,en')",
        ),
        (
            ["build", "--lang", "de,de"],
            "Error: Invalid value for '--lang': 'de' is named twice in 'de,de' (expected each "
            "language once, such as 'de')",
        ),
        (
            ["build", "--lang", "de,,fr"],
            "Error: Invalid value for '--lang': an empty item in 'de,,fr' (expected a "
            "comma-separated list of languages with nothing left out between the commas, such "
            "as 'de,fr')",
        ),
        (
            ["build", "--lang", ""],
            "Error: Invalid value for '--lang': no language given (expected all, or a "
            f"comma-separated list of: {LANGS})",
        ),
        (
            ["build", "--lang", "de fr"],
            "Error: Invalid value for '--lang': unknown language 'de fr' (expected all, or a "
            f"comma-separated list of: {LANGS}; separate languages with commas, not spaces)",
        ),
        (
            ["build", "--paper", "a3"],
            "Error: Invalid value for '--paper': unknown paper size 'a3' (expected all, or a "
            "comma-separated list of: a4, letter)",
        ),
        (
            ["build", "--audience", "patient,"],
            "Error: Invalid value for '--audience': an empty item in 'patient,' (expected a "
            "comma-separated list of audiences with nothing left out between the commas, such "
            "as 'patient')",
        ),
        (
            ["build", "--format", "pdf,docx"],
            "Error: Invalid value for '--format': unknown format 'docx' (expected all, or a "
            "comma-separated list of: pdf, html)",
        ),
        (
            ["build", "--drug", "nosuchdrug"],
            "Error: Invalid value for '--drug': no record of 'nosuchdrug' in data/ (expected one "
            "of: baclofen, clonazepam, gabapentin, propranolol)",
        ),
        (
            ["taper", "--drug", "baclofen", *TAPER, "--lang", "de,fr", "--out", "t.pdf"],
            "Error: Invalid value for '--lang': unknown language 'de,fr' (expected one of: "
            f"{LANGS}; only one language here)",
        ),
        (
            ["taper", "--drug", "baclofen", *TAPER, "--paper", "a3", "--out", "t.pdf"],
            "Error: Invalid value for '--paper': unknown paper size 'a3' (expected one of: a4, "
            "letter)",
        ),
        (
            ["taper", "--drug", "baclofen", *TAPER, "--format", "xml"],
            "Error: Invalid value for '--format': unknown format 'xml' (expected one of: pdf, "
            "json)",
        ),
        (
            [
                "taper",
                "--drug",
                "baclofen",
                *TAPER,
                "--dose-times",
                "morning,,evening",
                "--format",
                "json",
            ],
            "--dose-times: an empty item in 'morning,,evening' (expected a comma-separated list "
            "of times with nothing left out between the commas, such as 'morning,evening')",
        ),
        (
            [
                "taper",
                "--drug",
                "baclofen",
                *TAPER,
                "--dose-times",
                "morning,noon,evening",
                "--format",
                "json",
            ],
            "--dose-times: unknown time of day 'noon' (expected a comma-separated list of: "
            "morning, midday, evening, bedtime)",
        ),
        (
            ["taper", "--drug", "baclofen", *TAPER[:-1], "next monday", "--format", "json"],
            "--start: not a date (expected YYYY-MM-DD, such as 2026-12-03, got 'next monday')",
        ),
    ],
    ids=[
        "lang-all-and-en",
        "lang-twice",
        "lang-empty-item",
        "lang-empty",
        "lang-spaces",
        "paper-unknown",
        "audience-trailing-comma",
        "format-unknown",
        "drug-unknown",
        "taper-two-langs",
        "taper-paper",
        "taper-format",
        "taper-dose-times-empty",
        "taper-dose-times-unknown",
        "taper-start",
    ],
)
def test_an_unknown_or_malformed_value_is_a_usage_error(
    workdir: Path, args: list[str], message: str
) -> None:
    extra = ["--out", "out"] if args[0] == "build" else []
    # This repository is the project: its records are the ones --drug picks.
    _refused(run_leaflet("--project", str(ROOT), *args, *extra), 2, message)


def test_known_values_are_read_whatever_their_case() -> None:
    outcome = run_leaflet(
        "taper", "--drug", "Baclofen", "--form", "TABLET", "--paper", "Letter",
        "--lang", "DE", "--format", "JSON", *TAPER,
    )  # fmt: skip
    assert outcome.code == 0, outcome.stderr
    assert '"drug": "baclofen"' in outcome.stdout


def _choice_options() -> list[tuple[tuple[str, ...], click.Parameter]]:
    """Every option of every command whose value is one of a known set."""
    found = []

    def walk(group: click.Group, prefix: tuple[str, ...]) -> None:
        for name, command in sorted(group.commands.items()):
            path = (*prefix, name)
            if isinstance(command, click.Group):
                walk(command, path)
            for param in command.params:
                if isinstance(param.type, (click.Choice, OneOf, CommaList)):
                    found.append((path, param))

    walk(cli, ())  # type: ignore[arg-type]
    return found


CHOICE_OPTIONS = _choice_options()


def test_the_walk_finds_every_kind_of_choice_option() -> None:
    names = {(" ".join(path), param.opts[0]) for path, param in CHOICE_OPTIONS}
    assert {("build", "--lang"), ("build", "--paper"), ("taper", "--lang")} <= names
    assert ("taper", "--form") in names and ("taper", "--format") in names


@pytest.mark.parametrize(
    ("path", "param"),
    CHOICE_OPTIONS,
    ids=[f"{' '.join(path)} {param.opts[0]}" for path, param in CHOICE_OPTIONS],
)
def test_every_choice_option_refuses_a_bad_value_with_exit_2(
    workdir: Path, path: tuple[str, ...], param: click.Parameter
) -> None:
    assert isinstance(param.type, (OneOf, CommaList)), (
        "a choice option not read by leaflet.record.choices: its messages would differ"
    )
    option = param.opts[0]
    choices = param.type.choices
    listed = choices()[0] if callable(choices) else choices
    noun = param.type.noun
    first = listed[0]
    if isinstance(param.type, CommaList):
        plural = param.type.plural
        expected = f"expected all, or a comma-separated list of: {', '.join(listed)}"
        cases = {
            "zz-unknown": f"unknown {noun} 'zz-unknown' ({expected})",
            f"{first},{first}": f"{first!r} is named twice in '{first},{first}' (expected each "
            f"{noun} once, such as {first!r})",
            f"{first},,": f"an empty item in '{first},,' (expected a comma-separated list of "
            f"{plural} with nothing left out between the commas, such as {first!r})",
            f"all,{first}": f"'all' cannot be combined with other {plural} (expected 'all' "
            f"alone, or a comma-separated list of {plural}, got 'all,{first}')",
        }
    else:
        cases = {
            "zz-unknown": f"unknown {noun} 'zz-unknown' (expected one of: {', '.join(listed)})"
        }
    for value, problem in cases.items():
        outcome = run_leaflet(*path, option, value)
        _refused(outcome, 2, f"Error: Invalid value for '{option}': {problem}")
