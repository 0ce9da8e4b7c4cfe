"""``leaflet i18n proof`` and ``review``: a bilingual proof, and a pharmacist's sign-off.

Registered on the ``i18n`` group by :mod:`leaflet.cli.i18n`.
"""

from __future__ import annotations

import hashlib
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from ..project import RECORDS_DOMAIN, current_project
from ..publish.writer import OutputWriter
from .common import PROJECT_OPTION, OneOf, data_records, print_problems
from .output import inform, output_options

__all__ = ["proof", "review"]

_OWN_DOMAIN = "leaflet"
_FORMATS = ("pdf", "html")


def _scope(drug: str | None, domain: str) -> str:
    """The scope of a proof or sign-off: one drug's text, or leaflet's own (``leaflet``)."""
    if domain == _OWN_DOMAIN:
        if drug:
            raise click.UsageError(
                "--drug and --domain leaflet exclude each other (expected --drug ID for a "
                "drug's text, or --domain leaflet for leaflet's own text)"
            )
        return _OWN_DOMAIN
    if not drug:
        raise click.UsageError(
            "missing --drug (expected the drug whose text is reviewed, e.g. --drug gabapentin; "
            "for leaflet's own text: --domain leaflet)"
        )
    return drug


def _load(lang: str, scope: str) -> tuple[Any, list[Any], list[Any]]:
    """The language's catalogs, the records whose documents print the scope, every message."""
    from ..publish.checks import check_records, collect_messages, language_codes
    from ..record.errors import InputError
    from ..translation.domains import load_language
    from ..translation.languages import SOURCE_LANGUAGE

    if lang == SOURCE_LANGUAGE or lang not in language_codes():
        raise click.BadParameter(
            f"{lang!r} has no catalogs to review (expected one of: "
            f"{', '.join(c for c in language_codes() if c != SOURCE_LANGUAGE)})",
            param_hint="'LANG'",
        )
    paths = data_records()
    records, problems = check_records(paths)
    messages, extract_problems = collect_messages(paths)
    try:
        catalog = load_language(lang)
    except InputError as error:
        problems += error.problems
    if problems or extract_problems:
        print_problems(problems + extract_problems)
        sys.exit(1)
    if scope != _OWN_DOMAIN:
        records = [r for r in records if r.drug.id == scope]
        if not records:
            raise click.BadParameter(
                f"no record of drug {scope!r} in data/ (expected one of: "
                f"{', '.join(sorted(r.drug.id for r in check_records(paths)[0]))})",
                param_hint="'--drug'",
            )
    return catalog, records, messages


def _proof_bytes(proof_obj: Any, kind: str) -> bytes:
    from ..publish.proof import proof_pdf

    return proof_pdf(proof_obj) if kind == "pdf" else proof_obj.html.encode("utf-8")


_DRUG = click.option(
    "--drug", metavar="ID", help="The drug whose text is proofed (e.g. gabapentin)."
)
_DOMAIN = click.option(
    "--domain",
    type=OneOf((RECORDS_DOMAIN, _OWN_DOMAIN), "domain"),
    default=RECORDS_DOMAIN,
    show_default=True,
    help="records: a drug's text (--drug). leaflet: leaflet's own text in the language.",
)


@click.command()
@click.argument("lang")
@_DRUG
@_DOMAIN
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the proofs.  [default: proofs/ in the project]",
)
@click.option(
    "--format",
    "formats",
    type=OneOf(("pdf", "html", "all"), "format"),
    default="all",
    show_default=True,
    help="Write the PDF (to print and sign), the HTML (to read on screen), or both.",
)
@PROJECT_OPTION
@output_options
def proof(lang: str, drug: str | None, domain: str, out: Path | None, formats: str) -> None:
    """Write a bilingual proof of LANG for a pharmacist: PDF and HTML, in print order.

    English and translation side by side as the documents print them, required
    warnings highlighted, each entry with its po file:line. Entries that are
    missing, fuzzy or fail a check are listed: a sign-off waits for them.

    \b
    Examples:
        leaflet i18n proof es_US --drug gabapentin
        leaflet i18n proof ar --domain leaflet --out /tmp/proofs --format html
    """
    from ..publish.proof import proof_of, scope_problems

    scope = _scope(drug, domain)
    catalog, records, messages = _load(lang, scope)
    made = proof_of(records, scope, lang, catalog, messages)
    writer = OutputWriter(out or current_project().root / "proofs")
    for kind in _FORMATS if formats == "all" else (formats,):
        data = _proof_bytes(made, kind)
        path = writer.write_bytes(f"{lang}/{scope}-proof.{kind}", data)
        inform(f"{path}: {len(made.rows)} entries; sha256 {hashlib.sha256(data).hexdigest()}")
    open_problems = scope_problems(catalog, scope, messages, records)
    if open_problems:
        print_problems(open_problems)
        click.echo(
            f"{len(open_problems)} problem(s) above must be fixed before this translation can "
            "be signed off.",
            err=True,
        )


def _reviewer(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    name, _, credentials = value.partition(",")
    if not name.strip() or not credentials.strip():
        raise click.BadParameter(
            f'{value!r} names no credentials (expected "NAME, credentials", e.g. '
            '"Ana Ruiz, PharmD")'
        )
    return " ".join(value.split())


def _review_date(_ctx: click.Context, _param: click.Parameter, value: datetime) -> date:
    if value.date() > date.today():
        raise click.BadParameter(
            f"{value.date().isoformat()} is in the future (expected the day the proof was reviewed)"
        )
    return value.date()


@click.command()
@click.argument("lang")
@_DRUG
@_DOMAIN
@click.option("--reviewer", required=True, callback=_reviewer, help='"NAME, credentials".')
@click.option(
    "--date",
    "reviewed_on",
    required=True,
    type=click.DateTime(["%Y-%m-%d"]),
    callback=_review_date,
    help="The day of the review, YYYY-MM-DD.",
)
@click.option(
    "--proof",
    "proof_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The proof the reviewer read (the PDF or HTML from leaflet i18n proof).",
)
@PROJECT_OPTION
@output_options
def review(
    lang: str,
    drug: str | None,
    domain: str,
    reviewer: str,
    reviewed_on: date,
    proof_file: Path,
) -> None:
    """Record a pharmacist's sign-off of LANG's translation of one drug (or of leaflet's text).

    Refused unless every entry is translated, not fuzzy and passes every check,
    and the proof given is the one the current catalogs produce. Any later
    change to a signed-off entry returns the translation to unreviewed.

    \b
    Examples:
        leaflet i18n review es_US --drug gabapentin --reviewer "Ana Ruiz, PharmD" \\
            --date 2026-12-06 --proof proofs/es_US/gabapentin-proof.pdf
        leaflet i18n review es_US --domain leaflet --reviewer "Ana Ruiz, PharmD" \\
            --date 2026-12-06 --proof proofs/es_US/leaflet-proof.pdf
    """
    from ..publish.proof import proof_of, scope_problems
    from ..record.errors import Problem
    from ..record.reading import display_path, read_input
    from ..translation.domains import locales_dir, po_relative_path
    from ..translation.signoff import (
        SignOff,
        entries_digest,
        read_signoffs,
        scope_entries,
        signoffs_json,
    )

    scope = _scope(drug, domain)
    catalog, records, messages = _load(lang, scope)
    problems = scope_problems(catalog, scope, messages, records)
    kind = "pdf" if proof_file.suffix.lower() == ".pdf" else "html"
    given = hashlib.sha256(read_input(proof_file, display_path(proof_file), 50_000_000, "a proof"))
    expected = hashlib.sha256(_proof_bytes(proof_of(records, scope, lang, catalog, messages), kind))
    if given.hexdigest() != expected.hexdigest():
        flag = f"--drug {scope}" if scope != _OWN_DOMAIN else "--domain leaflet"
        problems.append(
            Problem(
                display_path(proof_file),
                None,
                "",
                "this proof is not the one the current catalogs and records produce (its "
                f"sha256 {given.hexdigest()[:12]}… differs from {expected.hexdigest()[:12]}…: "
                f"something changed since it was made; make a new one with leaflet i18n proof "
                f"{lang} {flag} and review that)",
            )
        )
    if problems:
        print_problems(problems)
        click.echo("Sign-off not recorded.", err=True)
        sys.exit(1)
    catalog_domain = _OWN_DOMAIN if scope == _OWN_DOMAIN else RECORDS_DOMAIN
    relative = po_relative_path(lang, catalog_domain)
    signoffs = read_signoffs(locales_dir(catalog_domain) / relative)
    entries = scope_entries(catalog, scope)
    signoffs[scope] = SignOff(
        reviewer, reviewed_on.isoformat(), given.hexdigest(), entries_digest(entries), len(entries)
    )
    from .i18n import _locales_writer

    written = _locales_writer(catalog_domain).write_bytes(
        relative.removesuffix(".po") + ".reviews.json", signoffs_json(signoffs)
    )
    inform(
        f"Recorded in {written}: {scope} in {lang} reviewed by {reviewer} on "
        f"{reviewed_on.isoformat()} ({len(entries)} entries)."
    )
