"""Durations and ages are values, worded by each language's grammar, on real pages."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from leaflet.cli.main import cli
from leaflet.publish.build_report import output_name
from leaflet.record.durations import DurationValue
from leaflet.render.durations import format_duration
from leaflet.translation.catalog_checks import Translator
from leaflet.translation.domains import load_language
from leaflet.translation.languages import babel_locale
from leaflet.verify.preflight import contains

from .conftest import Built
from .helpers import edit_entry


def _word(lang: str, text: str, *, age: bool = False) -> str:
    """Word a duration written as a record writes it, through ``lang``'s real catalog."""
    value = DurationValue.model_validate(_parsed(text))
    ui = Translator(lang, None if lang == "en" else load_language(lang))
    return format_duration(value, babel_locale(lang), ui, age=age)


def _parsed(text: str) -> dict[str, object]:
    numbers, unit = text.rsplit(" ", 1)
    low, _, high = numbers.partition(" to ")
    return {"low": int(low), "high": int(high) if high else None, "unit": unit.rstrip("s")}


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "1 week", "1 week"),
        ("en", "1 to 2 weeks", "1 to 2 weeks"),
        # The review's finding: Arabic says "a week to two weeks", with the dual.
        ("ar", "1 to 2 weeks", "أسبوع إلى أسبوعين"),
        ("ar", "4 to 6 weeks", "4 إلى 6 أسابيع"),
        ("ar", "1 week", "أسبوع"),
        ("ar", "12 hours", "12 ساعة"),
        # Russian genitive after "в течение": 1 недели, 2 недель, 5 дней, 21 дня.
        ("ru", "1 week", "1 недели"),
        ("ru", "1 to 2 weeks", "1–2 недель"),
        ("ru", "3 days", "3 дней"),
        ("ru", "21 days", "21 дня"),
        ("de", "12 years", "12 Jahren"),
        ("zh_Hans", "1 to 2 weeks", "1至2周"),
        ("vi", "3 days", "3 ngày"),
    ],
)
def test_a_duration_is_worded_by_the_languages_own_entries(
    lang: str, text: str, expected: str
) -> None:
    assert _word(lang, text) == expected


@pytest.mark.parametrize(
    ("lang", "age", "years"), [("zh_Hans", "12岁", "12年"), ("vi", "12 tuổi", "12 năm")]
)
def test_an_age_is_worded_apart_from_years_where_the_language_does(
    lang: str, age: str, years: str
) -> None:
    assert _word(lang, "12 years", age=True) == age
    assert _word(lang, "12 years") == years


def test_the_arabic_taper_guidance_prints_a_week_to_two_weeks(all_locales_build: Built) -> None:
    """On paper, in the patient leaflet and the handout: «على مدى أسبوع إلى أسبوعين»."""
    for audience in ("patient", "taper"):
        facts = all_locales_build.facts(output_name("baclofen", audience, "ar", "a4"))  # type: ignore[arg-type]
        assert contains(facts.text, "على مدى أسبوع إلى أسبوعين", True), audience


def test_the_russian_leaflet_prints_the_genitive_range(all_locales_build: Built) -> None:
    facts = all_locales_build.facts(output_name("baclofen", "patient", "ru", "a4"))
    assert contains(facts.text, "1–2 недель", False)


def _check() -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check"])
    return result.exit_code, result.output


def test_a_unit_repeated_after_a_duration_is_refused_with_its_line(locales_copy: Path) -> None:
    """Written when {age} held a bare number, "{age} ans" would print "12 ans ans"."""
    path = locales_copy / "fr/LC_MESSAGES/records.po"
    line = edit_entry(
        path,
        "baclofen:populations.children.oral.clinician",
        "Non établi avant l’âge de {age} ans.",
    )
    code, output = _check()
    assert code == 1
    assert (
        f"{path}:{line}: baclofen:populations.children.oral.clinician: the unit is printed "
        "twice: {age} already prints its unit (a duration worded by leaflet's duration.age "
        "entry), so delete 'ans' after it"
    ) in output, output


def test_an_arabic_dual_form_may_word_both_numbers(locales_copy: Path) -> None:
    """The form used only for two weeks may leave out {low} and {high}; others may not."""
    path = locales_copy / "ar/LC_MESSAGES/leaflet.po"
    assert _check()[0] == 0
    po = polib.pofile(str(path), wrapwidth=0)
    entry = next(e for e in po if e.msgctxt == "duration.week_range")
    assert entry.msgstr_plural[2] == "أسبوع إلى أسبوعين"
    # The form for 3 to 10 serves many numbers: words in place of {high} would lie.
    entry.msgstr_plural[3] = "أسبوع إلى ثلاثة أسابيع"
    po.save()
    code, output = _check()
    assert code == 1
    assert "duration.week_range" in output and "{high}" in output, output


def test_a_duration_value_is_checked_and_its_english_agrees() -> None:
    assert DurationValue(low=1, high=2, unit="week").count == 2
    assert str(DurationValue(low=1, unit="year")) == "1 year"
    assert str(DurationValue(low=3, high=12, unit="year")) == "3 to 12 years"
    assert Decimal(DurationValue(low=5, unit="hour").count) == 5
