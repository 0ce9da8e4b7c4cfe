"""Shell completion of option values, driven the way bash drives it.

bash's completion script sets ``COMP_WORDS`` (the line typed so far),
``COMP_CWORD`` (the index of the word being completed) and
``_LEAFLET_COMPLETE=bash_complete``, runs ``leaflet`` and reads one ``type,value``
line per candidate. These tests do the same through the real entry point.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest

from leaflet.cli.common import CommaList, OneOf
from leaflet.cli.main import cli
from leaflet.record.choices import ALL
from tests.conftest import ROOT
from tests.helpers import run_leaflet

LOCALES = ROOT / "locales"
#: The languages on disk, read without leaflet: English, then each of its own catalogs by name.
LANGUAGES = [
    "en",
    *sorted(p.parents[1].name for p in LOCALES.glob("*/LC_MESSAGES/leaflet.po")),
]
DRUGS = ["baclofen", "clonazepam", "gabapentin", "propranolol"]
FICTOLAM = ROOT / "tests" / "fixtures" / "fictolam.yaml"


def complete(monkeypatch: pytest.MonkeyPatch, line: str) -> list[str]:
    """The candidates leaflet gives bash for the last word of ``line`` (after ``leaflet``).

    A line ending in a space completes a new, empty word.
    """
    words = ["leaflet", *shlex.split(line)]
    if line.endswith(" ") or not line:
        words.append("")
    monkeypatch.setenv("COMP_WORDS", shlex.join(words))
    monkeypatch.setenv("COMP_CWORD", str(len(words) - 1))
    monkeypatch.setenv("_LEAFLET_COMPLETE", "bash_complete")
    outcome = run_leaflet()
    assert (outcome.code, outcome.stderr) == (0, "")
    candidates = []
    # click ends the list with a newline, so no candidates is one empty line.
    for row in filter(None, outcome.stdout.splitlines()):
        kind, _, value = row.partition(",")
        assert kind == "plain", row
        candidates.append(value)
    return candidates


def test_the_languages_are_english_every_catalog_and_all(monkeypatch: pytest.MonkeyPatch) -> None:
    assert {"en", "de", "fr", "zh_Hans"} <= set(LANGUAGES)
    assert complete(monkeypatch, "build --lang ") == [*LANGUAGES, ALL]
    assert complete(monkeypatch, "build --lang z") == ["zh_Hans"]
    assert complete(monkeypatch, "build --lang PT") == ["pt_BR"]
    # The handout is in one language: no 'all'.
    assert complete(monkeypatch, "taper --lang ") == LANGUAGES


def test_a_list_completes_the_item_after_the_last_comma(monkeypatch: pytest.MonkeyPatch) -> None:
    others = [lang for lang in LANGUAGES if lang != "de"]
    assert complete(monkeypatch, "build --lang de,") == [f"de,{lang}" for lang in others]
    assert complete(monkeypatch, "build --lang de,f") == ["de,fr"]
    # Items before the comma are kept as typed; one already named is never offered again.
    assert complete(monkeypatch, "build --lang DE,fr,d") == []
    assert complete(monkeypatch, "build --lang DE,fr,e") == ["DE,fr,en", "DE,fr,es_US"]
    # 'all' stands alone, and nothing can follow it or an unknown or empty item.
    assert complete(monkeypatch, "build --lang de,a") == ["de,ar"]
    assert complete(monkeypatch, "build --lang all,") == []
    assert complete(monkeypatch, "build --lang xx,") == []
    assert complete(monkeypatch, "build --lang de,,") == []


def test_audiences_papers_and_formats(monkeypatch: pytest.MonkeyPatch) -> None:
    assert complete(monkeypatch, "build --audience ") == ["patient", "clinician", "taper", ALL]
    assert complete(monkeypatch, "build --audience taper,") == ["taper,patient", "taper,clinician"]
    assert complete(monkeypatch, "build --paper ") == ["a4", "letter", ALL]
    assert complete(monkeypatch, "build --paper a4,") == ["a4,letter"]
    assert complete(monkeypatch, "build --paper a4,letter,") == []
    assert complete(monkeypatch, "build --format ") == ["pdf", "html", ALL]
    assert complete(monkeypatch, "build --format h") == ["html"]
    assert complete(monkeypatch, "taper --paper ") == ["a4", "letter"]
    assert complete(monkeypatch, "taper --format ") == ["pdf", "json"]


def test_taper_forms_and_plans(monkeypatch: pytest.MonkeyPatch) -> None:
    from leaflet.taper.taper_supply import CLI_FORMS

    assert complete(monkeypatch, "taper --form ") == list(CLI_FORMS)
    assert {"tablet", "capsule", "oral-solution", "granules"} <= set(CLI_FORMS)
    assert complete(monkeypatch, "taper --form er-") == ["er-tablet", "er-capsule"]
    assert complete(monkeypatch, "taper --form oral-s") == ["oral-solution", "oral-suspension"]
    assert complete(monkeypatch, "taper --plan ") == ["label"]


def test_drug_completes_the_ids_of_the_records_in_data(monkeypatch: pytest.MonkeyPatch) -> None:
    assert complete(monkeypatch, "build --drug ") == DRUGS
    assert complete(monkeypatch, "build --drug G") == ["gabapentin"]
    assert complete(monkeypatch, "check --drug c") == ["clonazepam"]
    assert complete(monkeypatch, "i18n status --drug p") == ["propranolol"]
    # A drug already named is not offered again.
    assert complete(monkeypatch, "build --drug gabapentin --drug ") == [
        d for d in DRUGS if d != "gabapentin"
    ]


def test_drug_completes_from_the_named_records_and_skips_broken_ones(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "binary.yaml").write_bytes(b"\x00\xff\xfe drug: {id: nope}")
    (tmp_path / "list.yaml").write_text("- drug\n- id\n", encoding="utf-8")
    (tmp_path / "unclosed.yaml").write_text("drug: {id: 'oops\n", encoding="utf-8")
    (tmp_path / "folder.yaml").mkdir()
    named = " ".join(
        f"--record {path}"
        for path in (
            tmp_path / "binary.yaml",
            tmp_path / "list.yaml",
            tmp_path / "unclosed.yaml",
            tmp_path / "missing.yaml",
            FICTOLAM,
        )
    )
    assert complete(monkeypatch, f"check {named} --drug ") == ["fictolam"]
    # --data reads every *.yaml in the folder, a folder named so too.
    assert complete(monkeypatch, f"build --data {tmp_path} --drug ") == []
    assert complete(monkeypatch, f"build --data {FICTOLAM.parent} --drug ") == [
        "examplofen",
        "examplomycin",
        "fictolam",
    ]


def test_a_catalog_added_or_broken_still_completes(
    monkeypatch: pytest.MonkeyPatch, locales_copy: Path
) -> None:
    (locales_copy / "it" / "LC_MESSAGES").mkdir(parents=True)
    (locales_copy / "it" / "LC_MESSAGES" / "leaflet.po").write_text("msgid ", encoding="utf-8")
    (locales_copy / "de" / "LC_MESSAGES" / "leaflet.po").write_bytes(b"\x00\xff garbage")
    (locales_copy / "xx").symlink_to(locales_copy / "xx")  # a loop
    (locales_copy / "yy" / "LC_MESSAGES" / "leaflet.po").mkdir(parents=True)
    expected = ["en", *sorted([*LANGUAGES[1:], "it"])]
    assert complete(monkeypatch, "build --lang ") == [*expected, ALL]
    assert complete(monkeypatch, "taper --lang i") == ["it"]


def test_an_unreadable_locales_folder_costs_only_its_catalogs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from leaflet.translation import domains

    # A folder the user may not list: permissions cannot make one for root (who runs
    # these tests), so a path whose listing fails stands in for it.
    class Unlistable(type(tmp_path)):  # type: ignore[misc]
        def iterdir(self):  # type: ignore[no-untyped-def]
            raise PermissionError(13, "Permission denied", str(self))

    # leaflet's own catalogs: the languages there are the ones it can print.
    monkeypatch.setattr(domains, "OWN_LOCALES_DIR", Unlistable(tmp_path))
    assert complete(monkeypatch, "build --lang ") == [ALL]
    assert complete(monkeypatch, "taper --lang ") == []


def _choice_params(command: click.Command, path: str = "") -> list[tuple[str, click.Option]]:
    """Every option of ``command`` and its subcommands whose type is a choice type."""
    found = [
        (path, param)
        for param in command.params
        if isinstance(param, click.Option) and isinstance(param.type, OneOf | CommaList)
    ]
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            found += _choice_params(sub, f"{path} {name}".strip())
    return found


def test_every_choice_option_completes_values_it_accepts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    params = _choice_params(cli)
    assert {(path, p.opts[0]) for path, p in params} >= {
        ("build", "--lang"),
        ("build", "--audience"),
        ("build", "--paper"),
        ("build", "--format"),
        ("taper", "--form"),
        ("taper", "--plan"),
    }
    for path, param in params:
        candidates = complete(monkeypatch, f"{path} {param.opts[0]} ")
        assert candidates, f"{path} {param.opts[0]} completes nothing"
        for value in candidates:
            param.type.convert(value, param, None)  # raises on a value it refuses


def test_completion_never_imports_the_renderer() -> None:
    """Completion runs at every TAB: it must not pay for WeasyPrint or PDFium."""
    script = (
        "import sys\n"
        "from leaflet.cli.main import main\n"
        "sys.argv = ['leaflet']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('weasyprint', 'pypdfium2', 'pypdf'))\n"
        "print('heavy:', heavy, file=sys.stderr)\n"
    )
    env = {
        **os.environ,
        "COMP_WORDS": "leaflet build --drug ",
        "COMP_CWORD": "3",
        "_LEAFLET_COMPLETE": "bash_complete",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.splitlines() == [f"plain,{drug}" for drug in DRUGS]
    assert result.stderr == "heavy: []\n"
