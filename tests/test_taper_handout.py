"""The personalised taper handout as printed: real PDFs, read back."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from leaflet.cli.main import cli
from leaflet.publish.checks import check_records
from leaflet.render.schedule_view import plan_context
from leaflet.taper.calendar import compute_schedule
from leaflet.taper.taper_choice import ProductChoice
from leaflet.taper.taper_request import parse_request
from leaflet.translation.catalog_checks import Translator
from leaflet.translation.domains import load_language, locale_codes
from leaflet.translation.languages import babel_locale
from leaflet.verify.preflight import PdfFacts, contains, normalise, read_facts_pypdf

from .conftest import BACLOFEN, FICTIONAL

PATIENT = "Jane Example-Patient"


def taper_pdf(out: Path, *args: str) -> tuple[int, str, PdfFacts | None]:
    result = CliRunner().invoke(cli, ["taper", *args, "--out", str(out)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    facts = read_facts_pypdf(out.read_bytes()) if out.exists() else None
    return result.exit_code, result.output, facts


FOURTEEN_DAYS = [
    "--drug", "baclofen", "--current-dose", "60", "--split", "20,20,20", "--tablet-mg", "10",
    "--days", "14", "--start", "2026-12-07",
]  # fmt: skip


def test_the_handout_prints_the_plan_the_warnings_and_the_patient(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    out = tmp_path / "handout.pdf"
    code, output, facts = taper_pdf(
        out, *FOURTEEN_DAYS, "--patient-name", PATIENT, "--prescriber", "Dr A. Sample"
    )
    assert code == 0, output
    assert facts is not None and facts.pages <= 2
    text = facts.text
    for phrase in [
        PATIENT,
        "Dr A. Sample",
        "First day: Monday, December 7, 2026",
        "Take 2 tablets (20 mg) in the morning",
        "Take 1 tablet (10 mg) at midday",
        "Take 2 tablets (20 mg) in the evening",
        "Last day: Sunday, December 20, 2026",
        "Take 1 tablet (10 mg) in the evening",
        "From Monday, December 21, 2026, take no more Baclofen.",
        "Stop: no more Baclofen",
        "the midday dose, the morning dose, and the evening dose",
        # The warnings the taper handout must carry, and the emergency advice.
        "Stopping baclofen suddenly can be dangerous, whatever the reason.",
        "If you are pregnant, do not stop baclofen on your own.",
        "Get emergency help now.",
        "Call your prescriber today if you notice:",
    ]:
        assert phrase in text, phrase
    # An oral calendar leaves out the pump: no pump section, no pump signs.
    assert "pump" not in text.lower()
    # The patient's name is on paper and nowhere else.
    assert PATIENT not in caplog.text and PATIENT not in output
    assert [p.name for p in tmp_path.iterdir()] == ["handout.pdf"]


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_four_weeks_four_times_a_day_fits_two_pages(tmp_path: Path, paper: str) -> None:
    code, output, facts = taper_pdf(
        tmp_path / "t.pdf",
        "--drug", "baclofen",
        "--current-dose", "80", "--times-per-day", "4", "--tablet-mg", "5", "--days", "28",
        "--start", "2026-12-07", "--paper", paper, "--patient-name", PATIENT,
    )  # fmt: skip
    assert code == 0, output
    assert facts is not None and facts.pages == 2
    assert "Take 4 tablets (20 mg) at bedtime" in facts.text
    assert "Take 1 tablet (5 mg) at bedtime" in facts.text


def test_a_long_taper_prints_one_row_a_step(tmp_path: Path) -> None:
    code, output, facts = taper_pdf(
        tmp_path / "t.pdf",
        "--drug", "baclofen",
        "--current-dose", "60", "--tablet-mg", "10", "--step-mg", "10", "--every-days", "14",
        "--start", "2026-12-07",
    )  # fmt: skip
    assert code == 0, output
    assert facts is not None
    assert "Mon, Dec 7 – Sun, Dec 20" in facts.text  # one row for the first 14 days
    assert "Mon, Feb 1 – Sun, Feb 14" in facts.text  # the last step, 10 mg
    assert "Mon, Feb 15 Stop: no more Baclofen" in facts.text


def test_a_short_plan_needs_the_override_and_then_says_so(tmp_path: Path) -> None:
    short = [
        "--drug", "baclofen", "--current-dose", "20", "--times-per-day", "2", "--tablet-mg", "10",
        "--days", "3", "--start", "2026-12-07",
    ]  # fmt: skip
    code, output, facts = taper_pdf(tmp_path / "refused.pdf", *short)
    assert code == 2 and facts is None
    assert "shorter than the 7 days the record allows" in output
    code, output, facts = taper_pdf(tmp_path / "t.pdf", *short, "--prescriber-override")
    assert code == 0, output
    assert facts is not None
    assert "Prescriber-directed plan: it is shorter than the usual minimum." in facts.text


def test_scored_tablets_are_halved_as_usp_17_writes_it(tmp_path: Path) -> None:
    code, output, facts = taper_pdf(
        tmp_path / "t.pdf",
        "--record", str(FICTIONAL), "--current-dose", "75", "--split", "37.5,37.5",
        "--tablet-mg", "25", "--days", "14", "--start", "2026-12-07",
    )  # fmt: skip
    assert code == 0, output
    assert facts is not None
    # NFKC (see preflight.normalise) writes ½ as 1⁄2, in the PDF text as in the needle.
    assert normalise("Take 1½ tablets (37.5 mg) in the evening") in facts.text
    assert normalise("Take ½ tablet (12.5 mg) in the evening") in facts.text
    assert "Medicine: Examplofen tablets (Fictivia), 25 mg" in facts.text


def test_an_unknown_language_is_a_usage_error(tmp_path: Path) -> None:
    code, output, facts = taper_pdf(tmp_path / "t.pdf", *FOURTEEN_DAYS, "--lang", "xx")
    assert code == 2 and facts is None
    known = ", ".join(["en", *locale_codes()])
    assert output.splitlines()[-1] == (
        f"Error: Invalid value for '--lang': unknown language 'xx' (expected one of: {known})"
    )


@pytest.mark.parametrize("lang", locale_codes())
def test_every_complete_language_prints_the_calendar(tmp_path: Path, lang: str) -> None:
    out = tmp_path / f"{lang}.pdf"
    code, output, facts = taper_pdf(out, *FOURTEEN_DAYS, "--lang", lang, "--paper", "letter")
    assert code == 0, output
    assert facts is not None and facts.pages <= 2
    # The first and last day's instructions, as the language writes them.
    record = check_records([BACLOFEN])[0][0]
    request = parse_request(
        record,
        current_dose="60",
        split="20,20,20",
        choice=ProductChoice(form="tablet", strengths=("10 mg",)),
        days="14",
        start="2026-12-07",
    )
    translator = Translator(lang, load_language(lang))
    name = translator("baclofen:drug.name", record.drug.name)
    plan = plan_context(
        compute_schedule(request, record.taper.minimum_days),
        name,
        babel_locale(lang),
        translator,
    )["plan"]
    rtl = lang == "ar"
    for line in [*plan["first_doses"], *plan["last_doses"]]:
        assert contains(facts.text, line, rtl), line
    assert facts.lang == lang.replace("_", "-")


def test_two_capsule_strengths_are_combined_and_never_split(tmp_path: Path) -> None:
    code, output, facts = taper_pdf(
        tmp_path / "t.pdf",
        "--drug", "gabapentin", "--form", "capsule", "--strength", "300 mg",
        "--strength", "100 mg", "--current-dose", "1200", "--split", "400,400,400",
        "--days", "21", "--start", "2026-12-07",
    )  # fmt: skip
    assert code == 0, output
    assert facts is not None and facts.pages <= 2
    for phrase in [
        "Medicine: Gabapentin capsules (Neurontin), 300 mg and 100 mg",
        "Count each dose in whole capsules.",
        "Take 1 capsule of 300 mg and 1 capsule of 100 mg (400 mg) in the evening",
        "Take 1 capsule of 100 mg (100 mg) in the evening",
        "From Monday, December 28, 2026, take no more Gabapentin.",
    ]:
        assert phrase in facts.text, phrase
    assert "½" not in facts.text and "1⁄2" not in facts.text


def test_a_liquid_is_measured_in_ml_with_the_mg_beside_it(tmp_path: Path) -> None:
    code, output, facts = taper_pdf(
        tmp_path / "t.pdf",
        "--drug", "gabapentin", "--form", "oral-solution", "--strength", "250 mg/5 mL",
        "--current-dose", "900", "--days", "14", "--start", "2026-12-07", "--paper", "letter",
    )  # fmt: skip
    assert code == 0, output
    assert facts is not None and facts.pages <= 2
    for phrase in [
        "Medicine: Gabapentin oral solution (Neurontin), 250 mg in 5 mL",
        "Measure each dose in mL with the oral syringe or measuring cup that comes with your "
        "medicine. Never use a kitchen spoon.",
        "Take 5.5 mL (275 mg) in the morning",
        "Take 0.5 mL (25 mg) in the evening",
    ]:
        assert phrase in facts.text, phrase
    assert "tablet" not in facts.text


def test_the_labels_own_plan_says_where_it_comes_from(tmp_path: Path) -> None:
    code, output, facts = taper_pdf(
        tmp_path / "t.pdf",
        "--drug", "clonazepam", "--form", "odt", "--strength", "0.125 mg",
        "--current-dose", "1", "--split", "0.5,0.5", "--plan", "label", "--start", "2026-12-07",
    )  # fmt: skip
    assert code == 0, output
    assert facts is not None and facts.pages <= 2
    for phrase in [
        "Medicine: Clonazepam orally disintegrating tablets, 0.125 mg",
        "This is the example plan the label gives for panic disorder: your daily dose goes down "
        "by 0.25 mg every 3 days.",
        "Take 3 tablets (0.375 mg) in the morning",
        "Take 1 tablet (0.125 mg) in the evening",
        "From Wednesday, December 16, 2026, take no more Clonazepam.",
    ]:
        assert phrase in facts.text, phrase
    assert "Prescriber-directed" not in facts.text
