"""``leaflet new DIR``: create a project folder that builds straight away."""

from __future__ import annotations

from pathlib import Path

import click

from .output import inform, output_options

__all__ = ["new"]


@click.command()
@output_options
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
def new(directory: Path) -> None:
    """Create a project in DIRECTORY (new, or empty): records, translations, settings.

    It holds leaflet's example record with its translations, a commented
    leaflet.toml, the record's JSON Schema (with an editor setting that checks
    data/*.yaml against it) and a README. `leaflet build` works in it at once.

    \b
    Example:
        leaflet new clinic && cd clinic && leaflet check && leaflet build --lang all
    """
    from ..publish.checks import check_records
    from ..publish.new_project import create_project
    from ..record.record_schema import record_schema
    from .common import EXAMPLE_RECORDS

    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise click.BadParameter(
            f"{str(directory)!r} already exists and is not an empty folder (expected a new "
            "folder name, or an empty folder)",
            param_hint="'DIRECTORY'",
        )
    examples, _ = check_records(EXAMPLE_RECORDS)
    written = create_project(directory, record_schema(examples))
    inform(f"Created {len(written)} files in {directory}/. Next: cd {directory} && leaflet build")
