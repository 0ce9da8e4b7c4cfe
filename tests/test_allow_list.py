"""The allow-list files let an entry or a word stay identical to the English, as Weblate needs."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from .helpers import edit_entry, run_leaflet

CONTEXT = "baclofen:drug.drug_class.clinician"
ENGLISH = "GABA-B receptor agonist; centrally acting skeletal muscle relaxant"


@pytest.fixture()
def untranslated_entry(locales_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """German gives one entry its English unchanged, as a Weblate translator might."""
    monkeypatch.chdir(locales_copy.parent)
    path = locales_copy / "de/LC_MESSAGES/records.po"
    edit_entry(path, CONTEXT, ENGLISH, tcomment="")
    assert next(e.msgid for e in polib.pofile(str(path)) if e.msgctxt == CONTEXT) == ENGLISH
    return locales_copy


def _identical_problems() -> list[str]:
    outcome = run_leaflet("check")
    return [line for line in outcome.lines if "identical to the English" in line]


def test_an_entry_identical_to_the_english_is_refused_without_the_allow_list(
    untranslated_entry: Path,
) -> None:
    [problem] = _identical_problems()
    assert problem.endswith(
        f"{CONTEXT}: translation is identical to the English (expected a translation; if the "
        "word is the same in your language, add the translator comment '# identical: …' or "
        "list its msgctxt in locales/<lang>/identical.txt)"
    )


def test_the_languages_allow_list_names_the_entry(untranslated_entry: Path) -> None:
    (untranslated_entry / "de/identical.txt").write_text(
        f"# Kept in English on purpose\n{CONTEXT}  # the class name reads the same\n",
        encoding="utf-8",
    )
    assert _identical_problems() == []


def test_the_shared_allow_list_names_the_words(untranslated_entry: Path) -> None:
    (untranslated_entry / "identical.txt").write_text(f"{ENGLISH}\n", encoding="utf-8")
    assert _identical_problems() == []


def test_another_languages_allow_list_does_not_count(untranslated_entry: Path) -> None:
    (untranslated_entry / "fr/identical.txt").write_text(f"{CONTEXT}\n", encoding="utf-8")
    assert len(_identical_problems()) == 1
