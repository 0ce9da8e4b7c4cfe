"""``leaflet migrate``: convert a format-1 record to format 2, keeping its translations."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import PROJECT_OPTION, check_output_file, print_problems
from .output import inform, output_options

__all__ = ["migrate"]

_HEADER = (
    "# Converted from record format 1 by `leaflet migrate` (docs/record-format.md).\n"
    "# Comments of the original are in {backup}.\n"
)


@click.command()
@output_options
@PROJECT_OPTION
@click.argument("record", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the converted record here instead of replacing RECORD "
    "(the original is then left as it is).",
)
def migrate(record: Path, out_file: Path | None) -> None:
    """Convert RECORD from record format 1 to format 2, and rename its translations.

    The record is rewritten in place (the original is kept beside it as
    RECORD.v1) unless --out names another file. Every translation of the record
    in the project's catalogs (locales/<lang>/LC_MESSAGES/records.po) is renamed
    to the record's new ids, so none is lost; then run `leaflet i18n update`.
    What format 1 never held is listed as things to add; `leaflet check` points
    at them until they are there.

    \b
    Example:
        leaflet migrate data/baclofen.yaml && leaflet check --record data/baclofen.yaml
    """
    import polib

    from ..publish.writer import OutputWriter
    from ..record.errors import InputError, Problem
    from ..record.migrate import dump_record, migrate_catalog_text, migrate_record
    from ..record.reading import display_path, load_record, read_text
    from ..translation.domains import RECORDS_DOMAIN, locale_codes, locales_dir, po_relative_path
    from ..translation.po_format import po_text
    from .output_guard import same_file

    if out_file is not None:
        # Naming RECORD itself would replace it with no backup, against --out's promise.
        if same_file(out_file, record):
            raise click.BadParameter(
                f"{str(out_file)!r} is RECORD itself (expected another file; to convert "
                f"RECORD in place, keeping the original as {record.name}.v1, leave out --out)",
                ctx=click.get_current_context(),
                param_hint="'--out'",
            )
        check_output_file(out_file, [record], writes_record=True)
    try:
        loaded = load_record(record)
    except InputError as error:
        print_problems(error.problems)
        sys.exit(1)
    data = loaded.data
    version = data.get("schema_version") if isinstance(data, dict) else None
    if version != 1:
        print_problems(
            [
                Problem(
                    loaded.name,
                    loaded.lines.line_for(("schema_version",)),
                    "schema_version",
                    f"not a format-1 record (expected schema_version: 1, got {version!r}); "
                    "nothing to convert",
                )
            ]
        )
        sys.exit(1)
    migration = migrate_record(data)
    target = out_file or record
    writer = OutputWriter(target.parent)
    if out_file is None:
        backup = record.name + ".v1"
        writer.write_bytes(backup, read_text(record).encode("utf-8"))
    else:
        backup = display_path(record)
    text = dump_record(migration.data, _HEADER.format(backup=backup))
    writer.write_bytes(target.name, text.encode("utf-8"))
    renamed = 0
    # Only the records' catalogs hold a record's ids; leaflet's own are never touched.
    folder = locales_dir(RECORDS_DOMAIN)
    locales = OutputWriter(folder)
    for lang in locale_codes(RECORDS_DOMAIN):
        relative = po_relative_path(lang, RECORDS_DOMAIN)
        old = read_text(folder / relative)
        new, count = migrate_catalog_text(old, migration.contexts)
        if count:
            # A renamed id is written wrapped as msgmerge would write it.
            text = po_text(polib.pofile(new, wrapwidth=0))
            locales.write_bytes(relative, text.encode("utf-8"))
            renamed += count
    inform(
        f"Converted {loaded.name} to record format 2 in {display_path(target)}; "
        f"{renamed} translation(s) renamed to the new ids."
    )
    if migration.todo:
        click.echo(f"{len(migration.todo)} thing(s) to add by hand:", err=True)
        for item in migration.todo:
            click.echo(f"  {display_path(target)}: {item}", err=True)
    # Kept with -q: the catalogs still hold the old ids' messages until it is run.
    click.echo("Then run: leaflet i18n update", err=True)
