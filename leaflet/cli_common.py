"""What the command-line modules share: option types, defaults, problem printing, logging.

Part of the CLI layer (:mod:`leaflet.cli`), the only code that prints.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click

from .errors import Problem

__all__ = [
    "AUDIENCE_CHOICES",
    "DATA_DIR",
    "DRUG_OPTION",
    "EXAMPLE_RECORDS",
    "PAPER_CHOICES",
    "RECORD_OPTION",
    "CommaList",
    "branding_or_exit",
    "data_records",
    "print_problems",
    "select_records",
    "setup_logging",
]

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
#: Records whose values are the JSON Schema's examples: the real ones, and the fictional
#: ones that exercise every shape a record can take.
EXAMPLE_RECORDS = (
    *sorted(DATA_DIR.glob("*.yaml")),
    *sorted((PROJECT_DIR / "tests" / "fixtures").glob("*.yaml")),
)
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


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
    count = len(problems)
    click.echo(f"{count} problem{'s' if count != 1 else ''} found.", err=True)


def setup_logging(quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("leaflet")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False


def data_records() -> tuple[Path, ...]:
    """Every record in the project's ``data/`` folder, in name order."""
    return tuple(sorted(DATA_DIR.glob("*.yaml")))


def _drug_id(path: Path) -> str | None:
    """The drug id a record file declares, read without validating the rest."""
    from .errors import InputError
    from .loader import load_record

    try:
        data = load_record(path).data
    except InputError:
        return None
    drug = data.get("drug") if isinstance(data, dict) else None
    value = drug.get("id") if isinstance(drug, dict) else None
    return value if isinstance(value, str) else None


def select_records(
    records: tuple[Path, ...], drugs: tuple[str, ...], extra: tuple[Path, ...] = ()
) -> tuple[Path, ...]:
    """The records a command works on: every record in data/, or those named.

    ``--record PATH`` names files; ``--drug ID`` picks the record of that drug
    from data/ (or from the named files); ``extra`` adds files found elsewhere
    (``build --data DIR``). An unknown drug id is a usage error (exit 2).
    """
    chosen = list(records) + list(extra)
    if not drugs:
        return tuple(dict.fromkeys(chosen)) if chosen else data_records()
    pool = chosen or list(data_records())
    by_id: dict[str, Path] = {}
    for path in pool:
        drug = _drug_id(path)
        if drug is not None:
            by_id.setdefault(drug, path)
    picked = []
    for drug in drugs:
        if drug not in by_id:
            where = "the named records" if chosen else f"{DATA_DIR.name}/"
            raise click.BadParameter(
                f"no record of {drug!r} in {where} (expected one of: "
                f"{', '.join(sorted(by_id)) or 'none'})",
                param_hint="'--drug'",
            )
        picked.append(by_id[drug])
    return tuple(dict.fromkeys(picked))


RECORD_OPTION = click.option(
    "--record",
    "records",
    type=click.Path(path_type=Path, dir_okay=False),
    multiple=True,
    help="Drug record (YAML). Repeat for several. Default: every record in data/.",
)
DRUG_OPTION = click.option(
    "--drug",
    "drugs",
    multiple=True,
    help="Only the record of this drug id (e.g. gabapentin). Repeatable.",
)


def branding_or_exit(settings_file: Path | None) -> Any:
    """Load the settings' branding, or print every problem in the file and exit 1."""
    if settings_file is None:
        return None
    from .errors import InputError
    from .presentation import load_branding

    try:
        return load_branding(settings_file)
    except InputError as error:
        print_problems(error.problems)
        sys.exit(1)
