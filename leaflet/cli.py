"""The ``leaflet`` command: a thin layer over :mod:`leaflet.build`.

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

__all__ = ["main"]

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_RECORD = PROJECT_DIR / "data" / "baclofen.yaml"
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="leaflet")
def cli() -> None:
    """Build printable, verified medicine leaflets from a YAML drug record.

    \b
    Example:
        leaflet build --lang all --paper all
    """


@cli.command()
@click.option(
    "--record",
    "records",
    type=click.Path(path_type=Path, dir_okay=False),
    multiple=True,
    help="Drug record (YAML). Repeat for several. Default: data/baclofen.yaml.",
)
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
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
def build(
    records: tuple[Path, ...],
    langs: tuple[str, ...],
    audiences: tuple[str, ...],
    papers: tuple[str, ...],
    out_dir: Path,
    quiet: bool,
) -> None:
    """Build PDFs into OUT/<lang>/<drug>-<audience>[-letter].pdf and OUT/manifest.json.

    Each document is checked before it is written (required warnings present,
    page limits); a document that fails is not written and the command exits 1.

    \b
    Examples:
        leaflet build
        leaflet build --audience patient --paper letter --out /tmp/leaflets
        leaflet build --lang all --paper all
    """
    from .build import BuildOptions, available_languages
    from .build import build as run_build

    _setup_logging(quiet)
    options = BuildOptions(
        records=records or (DEFAULT_RECORD,),
        out_dir=out_dir,
        langs=tuple(available_languages()) if langs == ("all",) else langs,
        audiences=AUDIENCE_CHOICES if audiences == ("all",) else audiences,  # type: ignore[arg-type]
        papers=PAPER_CHOICES if papers == ("all",) else papers,  # type: ignore[arg-type]
    )
    report = run_build(options)
    if not quiet:
        count = len(report.documents)
        click.echo(f"{count} document{'s' if count != 1 else ''} written to {out_dir}.", err=True)
    if not report.ok:
        _print_problems(report.problems)
        sys.exit(1)


@cli.command()
@click.option(
    "--record",
    "records",
    type=click.Path(path_type=Path, dir_okay=False),
    multiple=True,
    help="Drug record (YAML). Repeat for several. Default: data/baclofen.yaml.",
)
def check(records: tuple[Path, ...]) -> None:
    """Validate records and print every problem; exit 1 if there is any.

    \b
    Example:
        leaflet check --record data/baclofen.yaml
    """
    from .build import check_records

    valid, problems = check_records(records or (DEFAULT_RECORD,))
    if problems:
        _print_problems(problems)
        sys.exit(1)
    click.echo(f"{len(valid)} record{'s' if len(valid) != 1 else ''} valid.", err=True)


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


def main() -> None:
    """Entry point for the ``leaflet`` script and ``python -m leaflet``."""
    cli(prog_name="leaflet")
