"""``leaflet taper``: one patient's taper calendar (a thin layer over :mod:`leaflet.taper`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .characters import printed_text_problem
from .cli_common import (
    DEFAULT_RECORD,
    PAPER_CHOICES,
    branding_or_exit,
    print_problems,
    setup_logging,
)
from .errors import Problem
from .fonts import missing_font_problem
from .presentation import Presentation

__all__ = ["taper"]

#: Longest patient name, prescriber or pharmacy line: one printed line on the handout.
MAX_PERSONAL_LENGTH = 80


@click.command()
@click.option(
    "--record",
    "record_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=DEFAULT_RECORD,
    help="Drug record (YAML). Default: data/baclofen.yaml.",
)
@click.option("--current-dose", required=True, help="Today's daily total in mg, e.g. 60.")
@click.option("--split", help="How the day's total is taken, in mg, e.g. 20,20,20.")
@click.option("--times-per-day", help="Doses a day when they are equal (default 3).")
@click.option("--tablet-mg", required=True, help="The tablet strength the patient has, in mg.")
@click.option("--days", help="Plan: the taper's total length in days.")
@click.option("--step-mg", help="Plan: lower the daily total by this many mg …")
@click.option("--every-days", help="… every this many days.")
@click.option("--start", required=True, help="First day of the taper, YYYY-MM-DD.")
@click.option("--route", default="oral", show_default=True, help="Only oral doses are tapered.")
@click.option(
    "--prescriber-override",
    is_flag=True,
    help="Accept a plan shorter than the record's minimum; printed as prescriber-directed.",
)
@click.option("--lang", default="en", show_default=True, help="Language of the handout.")
@click.option(
    "--paper",
    type=click.Choice(PAPER_CHOICES, case_sensitive=False),
    default="a4",
    show_default=True,
    help="Paper.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("pdf", "json"), case_sensitive=False),
    default="pdf",
    show_default=True,
    help="pdf: the handout; json: the computed schedule (docs/taper.md).",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path),
    help="File to write (required for pdf; json goes to standard output without it).",
)
@click.option("--patient-name", default="", help="Printed on the handout only.")
@click.option("--prescriber", default="", help="Prescriber's name and phone, printed.")
@click.option("--pharmacy-phone", default="", help="Pharmacy's name and phone, printed.")
@click.option("--large-print", is_flag=True, help="The large-print edition (18 pt, one column).")
@click.option(
    "--settings",
    "settings_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Settings file (TOML) with the pharmacy or clinic to print on the handout.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
def taper(
    record_path: Path,
    current_dose: str,
    split: str | None,
    times_per_day: str | None,
    tablet_mg: str,
    days: str | None,
    step_mg: str | None,
    every_days: str | None,
    start: str,
    route: str,
    prescriber_override: bool,
    lang: str,
    paper: str,
    output_format: str,
    out_file: Path | None,
    patient_name: str,
    prescriber: str,
    pharmacy_phone: str,
    large_print: bool,
    settings_file: Path | None,
    quiet: bool,
) -> None:
    """Print a personalised, dated taper calendar for one patient, or its schedule as JSON.

    Day 1 (--start) is the first day on a lower dose; every dose is a whole
    number of tablets (halves only for a tablet the record marks scored); the
    day after the last dose says stop. A plan shorter than the record's minimum
    needs --prescriber-override. Pump (intrathecal) doses are never tapered here.

    \b
    Examples:
        leaflet taper --current-dose 60 --split 20,20,20 --tablet-mg 10 \\
            --days 14 --start 2026-12-07 --out taper.pdf
        leaflet taper --current-dose 30 --tablet-mg 10 --step-mg 10 \\
            --every-days 7 --start 2026-12-07 --lang es --out pauta.pdf
        leaflet taper --current-dose 60 --tablet-mg 10 --days 14 \\
            --start 2026-12-07 --format json
        leaflet taper --current-dose 40 --tablet-mg 10 --days 14 \\
            --start 2026-12-07 --large-print --settings leaflet.toml --out big.pdf
    """
    from .errors import InputError
    from .taper import compute_schedule, schedule_json
    from .taper_request import parse_request

    setup_logging(quiet)
    branding = branding_or_exit(settings_file)
    if output_format == "pdf" and out_file is None:
        raise click.UsageError("--out FILE.pdf is required for the pdf format")
    if out_file is not None and out_file.is_dir():
        print_problems(
            [Problem("--out", None, "", f"{out_file} is a folder (expected a file name)")]
        )
        sys.exit(1)
    from .checks import check_records

    records, problems = check_records([record_path])
    if problems:
        print_problems(problems)
        sys.exit(1)
    record = records[0]
    personal = {
        "patient_name": patient_name.strip(),
        "prescriber": prescriber.strip(),
        "pharmacy_phone": pharmacy_phone.strip(),
    }
    for key, value in personal.items():
        wrong = printed_text_problem(value, MAX_PERSONAL_LENGTH) or missing_font_problem(value)
        if wrong:
            # Never echo the value: it may be a patient's name.
            problems.append(Problem("--" + key.replace("_", "-"), None, "", wrong))
    try:
        request = parse_request(
            record,
            current_dose=current_dose,
            tablet_mg=tablet_mg,
            start=start,
            split=split,
            times_per_day=times_per_day,
            days=days,
            step_mg=step_mg,
            every_days=every_days,
            route=route,
            prescriber_override=prescriber_override,
        )
    except InputError as error:
        problems.extend(error.problems)
    if problems:
        print_problems(problems)
        sys.exit(1)
    schedule = compute_schedule(request, record.taper.minimum_days)
    if output_format == "json":
        document = schedule_json(schedule, record.drug.id, record.regulatory.revision)
        if out_file is None:
            click.echo(json.dumps(document, indent=2))
        else:
            from .writer import OutputWriter

            OutputWriter(out_file.parent).write_json(out_file.name, document)
        return
    from .build import build_taper_handout

    assert out_file is not None
    problems = build_taper_handout(
        record,
        schedule,
        lang=lang,
        paper=paper,  # type: ignore[arg-type]
        out_file=out_file,
        personal=personal,
        presentation=Presentation(large_print=large_print, branding=branding),
    )
    if problems:
        print_problems(problems)
        sys.exit(1)
