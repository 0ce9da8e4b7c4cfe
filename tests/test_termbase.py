"""The termbase guards the warnings: approved terms used, forbidden ones nowhere, one name each."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet.project import Project
from leaflet.publish.checks import check_records
from leaflet.record.errors import InputError
from leaflet.record.reading import LineMap
from leaflet.translation.catalogs import Message, extract_messages
from leaflet.translation.domains import load_language
from leaflet.translation.termbase import termbase_problems
from leaflet.translation.termbase_file import read_termbase, template_problems, termbase_path

from .conftest import LOCALES, ROOT
from .helpers import edit_entry, run_leaflet

WARNING = "baclofen:warnings.abrupt-withdrawal.patient"
TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en">
  <text>
    <body>
{entries}
    </body>
  </text>
</martif>
"""


def _entry(concept: str, english: list[str], tag: str | None, terms: list[tuple[str, str]]) -> str:
    lines = [f'      <termEntry id="{concept}">', '        <langSet xml:lang="en">']
    lines += [f"          <tig><term>{word}</term></tig>" for word in english]
    lines.append("        </langSet>")
    if tag:
        lines.append(f'        <langSet xml:lang="{tag}">')
        lines += [
            f"          <tig><term>{t}</term>"
            f'<termNote type="administrativeStatus">{s}</termNote></tig>'
            for t, s in terms
        ]
        lines.append("        </langSet>")
    lines.append("      </termEntry>")
    return "\n".join(lines)


def _write_termbase(locales: Path, terms: list[tuple[str, str]]) -> None:
    """A one-concept termbase for German, hallucinations; no other language has one."""
    for other in locales.glob("*/termbase.tbx"):
        other.unlink()
    english = ["hallucination"]
    termbase_path(locales, None).write_text(
        TEMPLATE.format(entries=_entry("hallucination", english, None, [])), encoding="utf-8"
    )
    termbase_path(locales, "de").write_text(
        TEMPLATE.format(entries=_entry("hallucination", english, "de", terms)), encoding="utf-8"
    )


def _set_msgstr(locales: Path, context: str, text: str) -> int:
    """Give one entry of the German records catalog a new translation; return its line."""
    return edit_entry(locales / "de/LC_MESSAGES/records.po", context, text)


@pytest.fixture()
def in_project(locales_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The private project's locales, from inside the project as a translator works."""
    monkeypatch.chdir(locales_copy.parent)
    return locales_copy


@pytest.fixture()
def german_termbase(in_project: Path) -> Path:
    _write_termbase(
        in_project,
        [("Halluzination", "preferredTerm-admn-sts"), ("Sinnestäuschung", "forbidden")],
    )
    return in_project


def test_a_required_warning_without_the_approved_term_is_refused(german_termbase: Path) -> None:
    text = (
        "Beenden Sie die Einnahme von Baclofen nicht plötzlich. Ein plötzliches Absetzen kann "
        "dazu führen, dass Sie Dinge sehen oder hören, die nicht da sind. Es kann auch "
        "Krampfanfälle, hohes Fieber, Verwirrtheit und viel steifere Muskeln verursachen."
    )
    line = _set_msgstr(german_termbase, WARNING, text)
    outcome = run_leaflet("check")
    assert outcome.code == 1
    assert (
        f"locales/de/LC_MESSAGES/records.po:{line}: {WARNING}: the English names "
        "'hallucination' ('hallucination') but the translation has no approved term for it "
        "(expected one of: 'Halluzination'; locales/de/termbase.tbx:5)"
    ) in outcome.lines


def test_a_forbidden_term_is_refused_anywhere(german_termbase: Path) -> None:
    context = "baclofen:side_effects.items.confusion.patient"
    line = _set_msgstr(german_termbase, context, "Verwirrtheit und Sinnestäuschungen")
    outcome = run_leaflet("check")
    assert outcome.code == 1
    assert (
        f"locales/de/LC_MESSAGES/records.po:{line}: {context}: forbidden term 'Sinnestäuschung' "
        "for 'hallucination' (locales/de/termbase.tbx:11; expected: 'Halluzination')"
    ) in outcome.lines


def test_a_concept_named_two_ways_in_one_drug_is_refused(in_project: Path) -> None:
    _write_termbase(
        in_project,
        [("Halluzination", "preferredTerm-admn-sts"), ("Trugbild", "admittedTerm-admn-sts")],
    )
    line = _set_msgstr(
        in_project,
        WARNING,
        "Beenden Sie die Einnahme von Baclofen nicht plötzlich. Sie könnten Trugbilder sehen. "
        "Es kann auch Krampfanfälle, hohes Fieber, Verwirrtheit und steifere Muskeln verursachen.",
    )
    outcome = run_leaflet("check")
    assert outcome.code == 1
    found = [text for text in outcome.lines if "is named in more than one way" in text]
    assert found == [
        f"locales/de/LC_MESSAGES/records.po:{line}: {WARNING}: 'hallucination' is named in more "
        f"than one way in baclofen's documents ('Halluzination' in "
        + found[0].split("('Halluzination' in ", 1)[1]
    ]
    assert f"'Trugbild' in {WARNING}; expected one approved term shared by all of them)" in found[0]


def test_the_build_refuses_a_language_that_breaks_its_termbase(
    german_termbase: Path, tmp_path: Path
) -> None:
    _set_msgstr(german_termbase, WARNING, "Sinnestäuschung. Halluzinationen.")
    outcome = run_leaflet(
        "build", "--lang", "de", "--drug", "baclofen", "--audience", "patient",
        "--out", str(tmp_path / "built"),
    )  # fmt: skip
    assert outcome.code == 1
    assert any("forbidden term 'Sinnestäuschung'" in text for text in outcome.lines)
    assert not (tmp_path / "built/de").exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("<martif><text><body><termEntry id='x'>", "not well-formed TBX"),
        (
            TEMPLATE.format(entries=_entry("x", ["x"], "de", [("X", "approved")])),
            "term 'X' has administrativeStatus 'approved' (expected one of: "
            "preferredTerm-admn-sts, admittedTerm-admn-sts, forbidden)",
        ),
        (
            TEMPLATE.format(entries=_entry("x", ["x"], "de", [("X", "admittedTerm-admn-sts")])),
            "x: 0 preferred terms (expected exactly one term with preferredTerm-admn-sts)",
        ),
        (
            TEMPLATE.format(entries=_entry("x", ["x"], "fr", [("X", "preferredTerm-admn-sts")])),
            "a term for language 'fr' in the termbase of 'de' (expected xml:lang=\"de\")",
        ),
    ],
)
def test_an_unsound_termbase_is_reported_with_its_line(
    tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "termbase.tbx"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_termbase(path, "de")
    assert any(expected in str(problem) and problem.line for problem in raised.value.problems)


@pytest.fixture(scope="module")
def messages() -> list[Message]:
    records, problems = check_records(sorted((ROOT / "data").glob("*.yaml")))
    assert not problems
    return extract_messages([(r, r.drug.id, LineMap()) for r in records])


@pytest.mark.parametrize("lang", LOCALES)
def test_every_language_has_a_termbase_its_catalogs_keep(
    lang: str, messages: list[Message]
) -> None:
    project = Project(ROOT)
    template = read_termbase(termbase_path(project.locales_dir, None), None)
    termbase = read_termbase(termbase_path(project.locales_dir, lang), lang)
    assert template_problems(termbase, template) == []
    assert all(concept.approved for concept in termbase.concepts)
    assert termbase_problems(termbase, load_language(lang), messages) == []
