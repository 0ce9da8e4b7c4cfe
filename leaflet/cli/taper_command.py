"""``leaflet taper``: one patient's taper calendar (a thin layer over :mod:`leaflet.taper`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..render.presentation import Presentation
from ..taper.taper_supply import CLI_FORMS
from .common import (
    PAPER_CHOICES,
    PROJECT_OPTION,
    OneOf,
    check_output_file,
    complete_drug,
    language_choices,
    print_problems,
    select_records,
)
from .output import output_options
from .project_settings import settings_file_in_use, settings_or_exit

__all__ = ["taper"]


@click.command()
@output_options
@PROJECT_OPTION
@click.option(
    "--record",
    "record_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Drug record (YAML). Needed, or --drug, when data/ holds several records.",
)
@click.option(
    "--drug",
    "drug",
    shell_complete=complete_drug,
    help="The drug, by its record's id, e.g. gabapentin.",
)
@click.option(
    "--form",
    type=OneOf(tuple(CLI_FORMS), "form"),
    help="What the patient takes: tablet, capsule, er-tablet, er-capsule, odt, "
    "oral-solution, oral-suspension or granules.",
)
@click.option(
    "--strength",
    "strengths",
    multiple=True,
    help="As the record writes it: '300 mg', '250 mg/5 mL'. Twice to combine two strengths "
    "of one product.",
)
@click.option("--tablet-mg", help="Short for --form tablet --strength 'N mg'.")
@click.option("--product", help="The product's id, when several products match.")
@click.option("--min-ml", help="Liquids: the smallest volume to measure, in mL (default 0.5).")
@click.option("--current-dose", required=True, help="Today's daily total in mg, e.g. 60.")
@click.option("--split", help="How the day's total is taken, in mg, e.g. 20,20,20.")
@click.option(
    "--times-per-day",
    help="Doses a day when they are equal (default: as the record's regimens for the product "
    "give, when they agree).",
)
@click.option(
    "--dose-times",
    help="The times of day of the doses: morning, midday, evening, bedtime (e.g. bedtime).",
)
@click.option("--days", help="Plan: the taper's total length in days.")
@click.option("--step-mg", help="Plan: lower the daily total by this many mg …")
@click.option("--every-days", help="… every this many days.")
@click.option(
    "--plan",
    type=OneOf(("label",), "plan"),
    help="Plan: 'label', the taper the record's label guidance gives.",
)
@click.option("--start", required=True, help="First day of the taper, YYYY-MM-DD.")
@click.option("--route", default="oral", show_default=True, help="Only oral doses are tapered.")
@click.option(
    "--prescriber-override",
    is_flag=True,
    help="Accept a plan shorter than the record's minimum; printed as prescriber-directed.",
)
@click.option(
    "--lang",
    type=OneOf(language_choices, "language"),
    default="en",
    show_default=True,
    help="Language of the handout.",
)
@click.option(
    "--paper",
    type=OneOf(PAPER_CHOICES, "paper size"),
    default="a4",
    show_default=True,
    help="Paper.",
)
@click.option(
    "--format",
    "output_format",
    type=OneOf(("pdf", "json"), "format"),
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
@click.option(
    "--pump-team-phone",
    default="",
    help="Pump team's name and phone: also prints the pump advice, for a patient with a pump.",
)
@click.option("--large-print", is_flag=True, help="The large-print edition (18 pt, one column).")
@click.option(
    "--settings",
    "settings_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Settings file (TOML) with the pharmacy or clinic to print on the handout.  "
    "[default: the project's leaflet.toml]",
)
def taper(
    record_path: Path | None,
    drug: str | None,
    form: str | None,
    strengths: tuple[str, ...],
    tablet_mg: str | None,
    product: str | None,
    min_ml: str | None,
    current_dose: str,
    split: str | None,
    times_per_day: str | None,
    dose_times: str | None,
    days: str | None,
    step_mg: str | None,
    every_days: str | None,
    plan: str | None,
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
    pump_team_phone: str,
    large_print: bool,
    settings_file: Path | None,
) -> None:
    """Print a personalised, dated taper calendar for one patient, or its schedule as JSON.

    Day 1 (--start) is the first day on a lower dose; every dose is whole
    tablets, capsules or packets (halves or quarters only of a tablet the record
    marks scored; capsules and extended-release forms never split), or a
    measurable volume of a liquid in mL; the day after the last dose says stop.
    A plan shorter than the record's minimum needs --prescriber-override. Pump
    (intrathecal) doses are never tapered here. Every mistake in the options is
    listed at once, each naming its option, and the command exits 2.

    \b
    Examples:
        leaflet taper --drug baclofen --current-dose 60 --split 20,20,20 --tablet-mg 10 \\
            --days 14 --start 2026-12-07 --out taper.pdf
        leaflet taper --drug gabapentin --form capsule --strength "300 mg" \\
            --strength "100 mg" --current-dose 1200 --split 400,400,400 --days 21 \\
            --start 2026-12-07 --out taper.pdf
        leaflet taper --drug gabapentin --form oral-solution --strength "250 mg/5 mL" \\
            --current-dose 900 --days 14 --start 2026-12-07 --format json
        leaflet taper --drug clonazepam --form odt --strength "0.125 mg" \\
            --current-dose 1 --split 0.5,0.5 --plan label --start 2026-12-07 --out c.pdf
    """
    from ..record.errors import InputError
    from ..taper.calendar import schedule_json
    from ..taper.taper_plan import TaperFields, no_taper_problem, plan_taper

    settings = settings_or_exit(settings_file)
    branding = settings.branding if settings else None
    settings_file = settings_file_in_use(settings_file)
    if output_format == "pdf" and out_file is None:
        raise click.UsageError("--out FILE.pdf is required for the pdf format")
    from ..publish.checks import check_records

    paths = select_records((record_path,) if record_path else (), (drug,) if drug else ())
    if len(paths) != 1:
        raise click.UsageError(
            f"{len(paths)} records in data/ (expected --drug ID or --record FILE to say which "
            f"medicine the calendar is for)"
        )
    if out_file is not None:
        check_output_file(out_file, paths, settings_file, branding)
    records, problems = check_records(list(paths))
    if problems:
        print_problems(problems)
        sys.exit(1)
    record = records[0]
    refused = no_taper_problem(record)
    if refused is not None:
        print_problems([refused])
        sys.exit(1)
    fields = TaperFields(
        current_dose=current_dose,
        start=start,
        form=form,
        strengths=strengths,
        tablet_mg=tablet_mg,
        product=product,
        min_ml=min_ml,
        split=split,
        times_per_day=times_per_day,
        dose_times=dose_times,
        days=days,
        step_mg=step_mg,
        every_days=every_days,
        plan=plan,
        route=route,
        prescriber_override=prescriber_override,
        personal={
            "patient_name": patient_name,
            "prescriber": prescriber,
            "pharmacy_phone": pharmacy_phone,
            "pump_team_phone": pump_team_phone,
        },
    )
    try:
        schedule, personal = plan_taper(record, fields)
    except InputError as error:
        # Each names the option the pharmacist typed wrong: a usage error, as click's own.
        print_problems(error.problems)
        sys.exit(2)
    if output_format == "json":
        document = schedule_json(schedule, record.drug.id, record.regulatory.revision)
        if out_file is None:
            click.echo(json.dumps(document, indent=2))
        else:
            from ..publish.writer import OutputWriter

            OutputWriter(out_file.parent).write_json(out_file.name, document)
        return
    from ..publish.build import build_taper_handout

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
