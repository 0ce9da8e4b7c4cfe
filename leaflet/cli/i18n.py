"""``leaflet i18n``: the translators' catalog commands, over :mod:`leaflet.catalogs`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .cli_common import DRUG_OPTION, RECORD_OPTION, data_records, print_problems, select_records
from .cli_output import inform, output_options

__all__ = ["i18n"]


@click.group()
@output_options
def i18n() -> None:
    """Maintain the translation catalogs (gettext PO, for Poedit, Weblate …).

    \b
    Example:
        leaflet i18n extract && leaflet i18n update && leaflet i18n status
    """


def _every_record(records: tuple[Path, ...], drugs: tuple[str, ...], command: str) -> Any:
    """The messages of every record in data/; a narrower selection is refused.

    Catalogs hold every drug's translations: merging only some drugs' messages
    would retire the others' translations.
    """
    if records or drugs:
        raise click.UsageError(
            f"i18n {command} always works on every record in data/, so that no drug's "
            "translations are retired (expected no --record or --drug; put a new record in "
            "data/ first)"
        )
    return _messages(data_records())


def _messages(records: tuple[Path, ...]) -> Any:
    from .checks import collect_messages

    messages, problems = collect_messages(records)
    if problems:
        print_problems(problems)
        sys.exit(1)
    return messages


@i18n.command()
@output_options
@RECORD_OPTION
@DRUG_OPTION
def extract(records: tuple[Path, ...], drugs: tuple[str, ...]) -> None:
    """Refresh locales/leaflet.pot from the templates, the code and the records.

    \b
    Example:
        leaflet i18n extract
    """
    from .catalogs import write_pot

    messages = _every_record(records, drugs, "extract")
    path = write_pot(messages)
    inform(f"{len(messages)} messages written to {path}.")


@i18n.command()
@output_options
@click.argument("lang")
@RECORD_OPTION
@DRUG_OPTION
def init(lang: str, records: tuple[Path, ...], drugs: tuple[str, ...]) -> None:
    """Start a catalog for LANG (e.g. de, pt_BR, zh_Hans), marked unreviewed.

    \b
    Example:
        leaflet i18n init it
    """
    from datetime import date

    from .catalogs import init_catalog
    from .errors import InputError
    from .languages import is_source_language

    if is_source_language(lang):
        # A catalog for English would make every build print English twice into out/en.
        raise click.BadParameter(
            f"{lang!r} is the source language (English, or the built-in pseudo-locale), which "
            "needs no catalog (expected a language to translate into, e.g. de, pt_BR, zh_Hans)",
            param_hint="'LANG'",
        )
    messages = _every_record(records, drugs, "init")
    try:
        path = init_catalog(lang, messages, date.today())
    except InputError as error:
        print_problems(error.problems)
        sys.exit(1)
    inform(f"Created {path} with {len(messages)} messages to translate.")


@i18n.command()
@output_options
@RECORD_OPTION
@DRUG_OPTION
def update(records: tuple[Path, ...], drugs: tuple[str, ...]) -> None:
    """Merge the current messages into every catalog; changed English becomes fuzzy.

    Also refreshes locales/leaflet.pot.

    \b
    Example:
        leaflet i18n update
    """
    from .catalogs import update_catalogs, write_pot

    messages = _every_record(records, drugs, "update")
    write_pot(messages)
    summary, problems = update_catalogs(messages)
    for lang, counts in summary.items():
        inform(
            f"{lang}: {counts['changed']} changed (now fuzzy), {counts['added']} new "
            f"({counts['suggested']} with a fuzzy suggestion), {counts['revived']} back from "
            f"obsolete, {counts['obsolete']} obsolete"
        )
    if problems:
        print_problems(problems)
        click.echo("Those catalogs were left unchanged: fix them, then run this again.", err=True)
        sys.exit(1)


@i18n.command()
@output_options
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@RECORD_OPTION
@DRUG_OPTION
def status(as_json: bool, records: tuple[Path, ...], drugs: tuple[str, ...]) -> None:
    """Show, per locale, translated, fuzzy and missing entries, and open required warnings.

    \b
    Example:
        leaflet i18n status --json
    """
    from .checks import catalog_statuses

    rows, problems = catalog_statuses(select_records(records, drugs))
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
        print_problems(problems)
        sys.exit(1)
