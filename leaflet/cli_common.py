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
    "DEFAULT_RECORD",
    "MESSAGE_RECORDS_OPTION",
    "PAPER_CHOICES",
    "RECORD_OPTION",
    "CommaList",
    "branding_or_exit",
    "print_problems",
    "records_or_data",
    "records_or_default",
    "setup_logging",
]

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


def records_or_default(records: tuple[Path, ...]) -> tuple[Path, ...]:
    return records or (DEFAULT_RECORD,)


def records_or_data(records: tuple[Path, ...]) -> tuple[Path, ...]:
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
