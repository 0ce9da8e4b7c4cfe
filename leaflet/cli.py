"""The ``leaflet`` command: a thin layer over :mod:`leaflet.build` and :mod:`leaflet.catalogs`.

Exit codes: 0 success; 1 a problem in the input (record, translations,
preflight); 2 a usage error (unknown option or value). A user's mistake is
printed as one line per problem, never as a traceback.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import Problem

__all__ = ["cli", "main"]

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
DEFAULT_RECORD = DATA_DIR / "baclofen.yaml"
AUDIENCE_CHOICES = ("patient", "clinician", "taper")
PAPER_CHOICES = ("a4", "letter")


class CommaList(click.ParamType):  # type: ignore[type-arg]
    """A comma-separated list of choices, or ``all``."""

    name = "list"

    def __init__(self, choices: tuple[str, ...] | None) -> None:
        self.choices = choices

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        items = [v.strip() for v in str(value).split(",") if v.strip()]
        if not items:
            self.fail("expected at least one value", param, ctx)
        if items == ["all"]:
            return ("all",)
        if self.choices is not None:
            for item in items:
                if item not in self.choices:
                    self.fail(
                        f"{item!r} is not one of {', '.join(self.choices)} or all", param, ctx
                    )
        return tuple(dict.fromkeys(items))


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
    count = len(problems)
    click.echo(f"{count} problem{'s' if count != 1 else ''} found.", err=True)


def _setup_logging(quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("leaflet")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False


def _records_or_default(records: tuple[Path, ...]) -> tuple[Path, ...]:
    return records or (DEFAULT_RECORD,)


def _records_or_data(records: tuple[Path, ...]) -> tuple[Path, ...]:
    return records or tuple(sorted(DATA_DIR.glob("*.yaml")))


RECORD_OPTION = click.option(
    "--record",
    "records",
    type=click.Path(path_type=Path, dir_okay=False),
    multiple=True,
    help="Drug record (YAML). Repeat for several. Default: data/baclofen.yaml.",
)
MESSAGE_RECORDS_OPTION = click.option(
    "--record",
    "records",
    type=click.Path(path_type=Path, dir_okay=False),
    multiple=True,
    help="Drug records to take prose from. Default: every record in data/.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="leaflet")
def cli() -> None:
    """Build printable, verified medicine leaflets from a YAML drug record.

    \b
    Example:
        leaflet build --lang all --paper all
    """


@cli.command()
@RECORD_OPTION
@click.option(
    "--lang",
    "langs",
    type=CommaList(None),
    default="en",
    show_default=True,
    help="Languages, comma-separated, or 'all'.",
)
@click.option(
    "--audience",
    "audiences",
    type=CommaList(AUDIENCE_CHOICES),
    default="all",
    show_default=True,
    help="patient, clinician, taper (comma-separated) or 'all'.",
)
@click.option(
    "--paper",
    "papers",
    type=CommaList(PAPER_CHOICES),
    default="a4",
    show_default=True,
    help="a4, letter (comma-separated) or 'all'.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("out"),
    show_default=True,
    help="Output folder.",
)
@click.option(
    "--draft",
    is_flag=True,
    help="Translators' proofs: render despite missing translations, each marked "
    "[[…]], with a DRAFT watermark, as …-draft.pdf, never in the manifest.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
def build(
    records: tuple[Path, ...],
    langs: tuple[str, ...],
    audiences: tuple[str, ...],
    papers: tuple[str, ...],
    out_dir: Path,
    draft: bool,
    quiet: bool,
) -> None:
    """Build PDFs into OUT/<lang>/<drug>-<audience>[-letter].pdf and OUT/manifest.json.

    Each document is checked before it is written (required warnings present,
    page limits); a document that fails, or that needs a missing or fuzzy
    translation, is not written and the command exits 1.

    \b
    Examples:
        leaflet build
        leaflet build --audience patient --paper letter --out /tmp/leaflets
        leaflet build --lang all --paper all
        leaflet build --lang de --draft
    """
    from .build import BuildOptions, available_languages
    from .build import build as run_build

    _setup_logging(quiet)
    options = BuildOptions(
        records=_records_or_default(records),
        out_dir=out_dir,
        langs=tuple(available_languages()) if langs == ("all",) else langs,
        audiences=AUDIENCE_CHOICES if audiences == ("all",) else audiences,  # type: ignore[arg-type]
        papers=PAPER_CHOICES if papers == ("all",) else papers,  # type: ignore[arg-type]
        draft=draft,
    )
    report = run_build(options)
    if not quiet:
        count = len(report.documents)
        click.echo(f"{count} document{'s' if count != 1 else ''} written to {out_dir}.", err=True)
    if not report.ok:
        _print_problems(report.problems)
        sys.exit(1)


@cli.command()
@RECORD_OPTION
def check(records: tuple[Path, ...]) -> None:
    """Validate records and every translation catalog; print every problem; exit 1 if any.

    Catalog checks: PO syntax, placeholders, numbers, untranslated copies of the
    English, the drug's name, characters the bundled fonts lack, and (as
    warnings) translations over twice the English length.

    \b
    Example:
        leaflet check --record data/baclofen.yaml
    """
    from .checks import check_everything

    _setup_logging(quiet=False)
    valid, catalogs, problems = check_everything(_records_or_default(records))
    if problems:
        _print_problems(problems)
        sys.exit(1)
    click.echo(
        f"{len(valid)} record{'s' if len(valid) != 1 else ''} and {catalogs} "
        f"catalog{'s' if catalogs != 1 else ''} valid.",
        err=True,
    )


@cli.command()
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the schema to this file instead of standard output.",
)
def schema(out_file: Path | None) -> None:
    """Write the record's JSON Schema, for editors that validate YAML as you type.

    \b
    Example:
        leaflet schema --out leaflet-record.schema.json
    """
    from .model import DrugRecord
    from .writer import OutputWriter

    document = DrugRecord.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "leaflet drug record"
    if out_file is None:
        click.echo(json.dumps(document, indent=2, sort_keys=True))
    else:
        OutputWriter(out_file.parent).write_json(out_file.name, document)
        click.echo(f"Schema written to {out_file}.", err=True)


@cli.command()
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
    """
    from .errors import InputError
    from .taper import compute_schedule, parse_request, schedule_json

    _setup_logging(quiet)
    if output_format == "pdf" and out_file is None:
        raise click.UsageError("--out FILE.pdf is required for the pdf format")
    if out_file is not None and out_file.is_dir():
        _print_problems(
            [Problem("--out", None, "", f"{out_file} is a folder (expected a file name)")]
        )
        sys.exit(1)
    from .checks import check_records

    records, problems = check_records([record_path])
    if problems:
        _print_problems(problems)
        sys.exit(1)
    record = records[0]
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
        _print_problems(error.problems)
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
        personal={
            "patient_name": patient_name.strip(),
            "prescriber": prescriber.strip(),
            "pharmacy_phone": pharmacy_phone.strip(),
        },
    )
    if problems:
        _print_problems(problems)
        sys.exit(1)


@cli.group()
def i18n() -> None:
    """Maintain the translation catalogs (gettext PO, for Poedit, Weblate …).

    \b
    Example:
        leaflet i18n extract && leaflet i18n update && leaflet i18n status
    """


def _messages(records: tuple[Path, ...]) -> Any:
    from .checks import collect_messages

    messages, problems = collect_messages(_records_or_data(records))
    if problems:
        _print_problems(problems)
        sys.exit(1)
    return messages


@i18n.command()
@MESSAGE_RECORDS_OPTION
def extract(records: tuple[Path, ...]) -> None:
    """Refresh locales/leaflet.pot from the templates, the code and the records.

    \b
    Example:
        leaflet i18n extract
    """
    from .catalogs import write_pot

    messages = _messages(records)
    path = write_pot(messages)
    click.echo(f"{len(messages)} messages written to {path}.", err=True)


@i18n.command()
@click.argument("lang")
@MESSAGE_RECORDS_OPTION
def init(lang: str, records: tuple[Path, ...]) -> None:
    """Start a catalog for LANG (e.g. de, pt_BR, zh_Hans), marked unreviewed.

    \b
    Example:
        leaflet i18n init it
    """
    from datetime import date

    from .catalogs import init_catalog
    from .errors import InputError

    messages = _messages(records)
    try:
        path = init_catalog(lang, messages, date.today())
    except InputError as error:
        _print_problems(error.problems)
        sys.exit(1)
    click.echo(f"Created {path} with {len(messages)} messages to translate.", err=True)


@i18n.command()
@MESSAGE_RECORDS_OPTION
def update(records: tuple[Path, ...]) -> None:
    """Merge the current messages into every catalog; changed English becomes fuzzy.

    Also refreshes locales/leaflet.pot.

    \b
    Example:
        leaflet i18n update
    """
    from .catalogs import update_catalogs, write_pot

    messages = _messages(records)
    write_pot(messages)
    for lang, counts in update_catalogs(messages).items():
        click.echo(
            f"{lang}: {counts['changed']} changed (now fuzzy), {counts['added']} new, "
            f"{counts['obsolete']} obsolete",
            err=True,
        )


@i18n.command()
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@MESSAGE_RECORDS_OPTION
def status(as_json: bool, records: tuple[Path, ...]) -> None:
    """Show, per locale, translated, fuzzy and missing entries, and open required warnings.

    \b
    Example:
        leaflet i18n status --json
    """
    from .checks import catalog_statuses

    rows, problems = catalog_statuses(_records_or_data(records))
    if as_json:
        click.echo(json.dumps({"locales": rows}, indent=2, ensure_ascii=False))
    else:
        click.echo(
            f"{'locale':<8} {'translated':>11} {'fuzzy':>6} {'missing':>8} "
            f"{'required open':>13}  review"
        )
        for row in rows:
            open_required = row["required_warnings_fuzzy"] + row["required_warnings_missing"]
            done = f"{row['translated']}/{row['total']}"
            click.echo(
                f"{row['lang']:<8} {done:>11} {row['fuzzy']:>6} {row['missing']:>8} "
                f"{open_required:>13}  {row['review']['status']}"
            )
    if problems:
        _print_problems(problems)
        sys.exit(1)


def main() -> None:
    """Entry point for the ``leaflet`` script and ``python -m leaflet``."""
    cli(prog_name="leaflet")
