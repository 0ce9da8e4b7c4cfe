"""``leaflet i18n``: the translators' catalog commands, over :mod:`leaflet.translation.catalogs`.

Each command works on one gettext domain: the project's record prose
(``records``, the default) or, for translators of leaflet itself in a clone of
its repository, leaflet's own text (``--domain leaflet``).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..project import RECORDS_DOMAIN
from ..publish.writer import OutputWriter
from .common import (
    DRUG_OPTION,
    PROJECT_OPTION,
    RECORD_OPTION,
    OneOf,
    data_records,
    print_problems,
    select_records,
)
from .output import inform, output_options

__all__ = ["i18n"]

#: leaflet's own domain (``leaflet.translation.domains.DOMAIN``, not imported:
#: completion reads this module and must stay light).
_OWN_DOMAIN = "leaflet"

_DOMAIN_OPTION = click.option(
    "--domain",
    type=OneOf((RECORDS_DOMAIN, _OWN_DOMAIN), "domain"),
    default=RECORDS_DOMAIN,
    show_default=True,
    help="records: the project's record prose, in the project's locales/. leaflet: "
    "leaflet's own text, for translators of leaflet itself (in a clone of its repository).",
)


_F = TypeVar("_F", bound=Callable[..., Any])


def _catalog_options(command: _F) -> _F:
    """The options every catalog command takes: output, project, domain, records."""
    for option in (DRUG_OPTION, RECORD_OPTION, _DOMAIN_OPTION, PROJECT_OPTION, output_options):
        command = option(command)
    return command


@click.group()
@output_options
@PROJECT_OPTION
def i18n() -> None:
    """Maintain the translation catalogs (gettext PO, for Poedit, Weblate …).

    Works on the project's catalogs of its records' text; --domain leaflet works on
    leaflet's own (headings, labels, standard statements) instead.

    \b
    Example:
        leaflet i18n extract && leaflet i18n update && leaflet i18n status
    """


def _every_record(
    records: tuple[Path, ...], drugs: tuple[str, ...], command: str, domain: str
) -> Any:
    """The messages to merge: every record in data/, none for leaflet's own; never a selection.

    Catalogs hold every drug's translations: merging only some drugs' messages
    would retire the others' translations.
    """
    if records or drugs:
        raise click.UsageError(
            f"i18n {command} always works on every record in data/, so that no drug's "
            "translations are retired (expected no --record or --drug; put a new record in "
            "data/ first)"
        )
    every = data_records()
    return _messages(every if domain == RECORDS_DOMAIN else (), notes_from=every)


def _messages(records: tuple[Path, ...], notes_from: tuple[Path, ...] = ()) -> Any:
    """The messages of ``records`` (none: leaflet's own), with their translator notes.

    The notes (where each text prints, its placeholders' values) come from
    rendering ``notes_from``'s documents, by default ``records``'.
    """
    from ..publish.checks import check_records, collect_messages
    from ..publish.translator_notes import annotate_messages

    messages, problems = collect_messages(records)
    if problems:
        print_problems(problems)
        sys.exit(1)
    valid, _ = check_records(notes_from or records)
    return annotate_messages(messages, valid)


@i18n.command()
@_catalog_options
def extract(records: tuple[Path, ...], drugs: tuple[str, ...], domain: str) -> None:
    """Refresh the domain's template, locales/records.pot (or leaflet.pot).

    The records' text comes from every record in data/; leaflet's own, from its
    templates and code.

    \b
    Example:
        leaflet i18n extract
    """
    from ..translation.catalog_writing import write_pot
    from ..translation.catalogs import in_domain

    messages = _every_record(records, drugs, "extract", domain)
    writer = _locales_writer(domain)
    path = write_pot(messages, writer, domain)
    inform(f"{len(in_domain(messages, domain))} messages written to {path}.")


@i18n.command()
@_catalog_options
@click.argument("lang")
def init(lang: str, records: tuple[Path, ...], drugs: tuple[str, ...], domain: str) -> None:
    """Start a catalog for LANG (e.g. de, pt_BR, zh_Hans), marked unreviewed.

    A project catalog needs a language leaflet has its own catalog for.

    \b
    Example:
        leaflet i18n init de
    """
    from datetime import date

    from ..record.errors import InputError
    from ..translation.catalog_writing import init_catalog
    from ..translation.catalogs import in_domain
    from ..translation.languages import is_source_language

    if is_source_language(lang):
        # A catalog for English would make every build print English twice into out/en.
        raise click.BadParameter(
            f"{lang!r} is the source language (English, or the built-in pseudo-locale), which "
            "needs no catalog (expected a language to translate into, e.g. de, pt_BR, zh_Hans)",
            param_hint="'LANG'",
        )
    messages = _every_record(records, drugs, "init", domain)
    writer = _locales_writer(domain)
    try:
        path = init_catalog(lang, messages, date.today(), writer, domain)
    except InputError as error:
        print_problems(error.problems)
        sys.exit(1)
    inform(f"Created {path} with {len(in_domain(messages, domain))} messages to translate.")


@i18n.command()
@_catalog_options
def update(records: tuple[Path, ...], drugs: tuple[str, ...], domain: str) -> None:
    """Merge the current messages into every catalog of the domain; changed English becomes fuzzy.

    Also refreshes the domain's template (locales/records.pot, or leaflet.pot).
    Never touches the other domain's files.

    \b
    Example:
        leaflet i18n update
    """
    from ..translation.catalog_update import update_catalogs
    from ..translation.catalog_writing import write_pot

    messages = _every_record(records, drugs, "update", domain)
    writer = _locales_writer(domain)
    write_pot(messages, writer, domain)
    summary, problems = update_catalogs(messages, writer, domain)
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
@_catalog_options
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def status(as_json: bool, records: tuple[Path, ...], drugs: tuple[str, ...], domain: str) -> None:
    """Show, per locale, translated, fuzzy and missing entries, and open required warnings.

    \b
    Example:
        leaflet i18n status --json
    """
    from ..publish.checks import catalog_statuses

    selected = select_records(records, drugs) if domain == RECORDS_DOMAIN else ()
    rows, problems = catalog_statuses(selected, domain)
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


def _locales_writer(domain: str) -> OutputWriter:
    """The writer for the domain's catalogs folder: atomic, never outside it.

    leaflet's own catalogs are written only where they can be (a clone of its
    repository): an installed leaflet's are refused as a usage error (exit 2).
    """
    from ..translation.domains import locales_dir

    folder = locales_dir(domain)
    if domain == _OWN_DOMAIN and not os.access(folder, os.W_OK):
        raise click.UsageError(
            f"--domain leaflet writes leaflet's own catalogs in {folder}, which is not "
            "writable (expected a clone of leaflet's repository, installed with pip install "
            "-e; to translate leaflet itself, work there: docs/translators.md)"
        )
    return OutputWriter(folder)


def _register_review_commands() -> None:
    """Add ``proof`` and ``review``, which live in their own module, to the group."""
    from .i18n_review import proof, review

    i18n.add_command(proof)
    i18n.add_command(review)


_register_review_commands()
