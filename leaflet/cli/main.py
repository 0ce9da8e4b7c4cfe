"""The ``leaflet`` command: a thin layer over the library (:mod:`leaflet.publish.build`).

Exit codes: 0 success; 1 a problem in an input file (record, translations,
settings) or found on paper (preflight); 2 a mistake in the command line: an
unknown option, an unknown or malformed value (:mod:`leaflet.record.choices`), an
output that is one of the inputs (:mod:`leaflet.cli.output_guard`), a taper option
that does not fit the record. A user's mistake is printed as one line per
problem, never as a traceback. The taper and i18n
commands live in :mod:`leaflet.cli.taper_command` and :mod:`leaflet.cli.i18n`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..project import current_project
from .common import (
    AUDIENCE_CHOICES,
    DRUG_OPTION,
    EXAMPLE_RECORDS,
    PAPER_CHOICES,
    PROJECT_OPTION,
    RECORD_OPTION,
    CommaList,
    check_output_file,
    check_output_folder,
    language_choices,
    print_problems,
    select_records,
)
from .i18n import i18n
from .migrate_command import migrate
from .new_command import new
from .output import inform, output_options
from .project_settings import apply_build_defaults, settings_file_in_use, settings_or_exit
from .serve_command import serve
from .taper_command import taper

__all__ = ["cli", "main"]


def _check_online_url(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    from .online_url import check_online_url

    if value is not None:
        problem = check_online_url(value)
        if problem:
            raise click.BadParameter(problem)
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="leaflet")
@output_options
@PROJECT_OPTION
def cli() -> None:
    """Build printable, verified medicine leaflets from a YAML drug record.

    Every command works on a project folder: records in data/, their
    translations in locales/, settings in leaflet.toml, output in out/.
    `leaflet new DIR` creates one.

    \b
    Example:
        leaflet new clinic && cd clinic && leaflet build --lang all --paper all
    """


@cli.command()
@output_options
@PROJECT_OPTION
@RECORD_OPTION
@DRUG_OPTION
@click.option(
    "--lang",
    "langs",
    type=CommaList(language_choices, "language", "languages"),
    default="en",
    show_default=True,
    help="Languages, comma-separated, or 'all'.",
)
@click.option(
    "--audience",
    "audiences",
    type=CommaList(AUDIENCE_CHOICES, "audience", "audiences"),
    default="all",
    show_default=True,
    help="patient, clinician, taper (comma-separated) or 'all'.",
)
@click.option(
    "--paper",
    "papers",
    type=CommaList(PAPER_CHOICES, "paper size", "paper sizes"),
    default="a4",
    show_default=True,
    help="a4, letter (comma-separated) or 'all'.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Output folder.  [default: out/ in the project]",
)
@click.option(
    "--draft",
    is_flag=True,
    help="Translators' proofs: render despite missing translations, each marked "
    "[[…]], with a DRAFT watermark, as …-draft.pdf, never in the manifest.",
)
@click.option(
    "--data",
    "data_dirs",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    multiple=True,
    help="Build every record (*.yaml) in this folder. Repeatable; adds to --record.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes rendering at once.  [default: the number of CPU cores]",
)
@click.option("--force", is_flag=True, help="Render every document, even unchanged ones.")
@click.option(
    "--booklet",
    is_flag=True,
    help="Also bind each language's documents into OUT/<lang>/booklet[-letter].pdf.",
)
@click.option(
    "--large-print",
    is_flag=True,
    help="Also build the large-print edition: OUT/<lang>/<drug>-<audience>-large.pdf.",
)
@click.option(
    "--format",
    "formats",
    type=CommaList(("pdf", "html"), "format", "formats"),
    default="pdf",
    show_default=True,
    help="pdf, html (self-contained, for screens) or all.",
)
@click.option(
    "--settings",
    "settings_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Settings file (TOML): the pharmacy or clinic to print, defaults for these "
    "options.  [default: the project's leaflet.toml]",
)
@click.option(
    "--online-url",
    callback=_check_online_url,
    help="Address of the online version, with {drug}, {lang}, {audience}: printed with a QR code.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="With --lang all: a drug whose translation is incomplete fails the build "
    "(it always does for a language named in --lang).",
)
def build(
    records: tuple[Path, ...],
    drugs: tuple[str, ...],
    langs: tuple[str, ...],
    audiences: tuple[str, ...],
    papers: tuple[str, ...],
    out_dir: Path | None,
    draft: bool,
    data_dirs: tuple[Path, ...],
    jobs: int | None,
    force: bool,
    booklet: bool,
    large_print: bool,
    formats: tuple[str, ...],
    settings_file: Path | None,
    online_url: str | None,
    strict: bool,
    quiet: bool,
) -> None:
    """Build PDFs into OUT/<lang>/<drug>-<audience>[-letter].pdf and OUT/manifest.json.

    Each document is checked before it is written (required warnings present,
    page limits); a document that fails is not written and the command exits 1.
    A drug whose translation into a language is incomplete is not built in that
    language: with --lang all it is reported in one line and the build goes on
    (exit 0, or 1 with --strict); for a language named in --lang each missing
    entry is listed and the command exits 1. A document is only
    rendered again when something it depends on changed (the record, the
    catalog entries it prints, the templates, the fonts, leaflet itself or the
    options); --force renders everything.

    \b
    Examples:
        leaflet build
        leaflet build --audience patient --paper letter --out /tmp/leaflets
        leaflet build --lang all --paper all --booklet
        leaflet build --data data/ --lang all --jobs 4
        leaflet build --large-print --format pdf,html --settings leaflet.toml
        leaflet build --online-url "https://example.org/{drug}/{lang}/{audience}"
        leaflet build --lang de --draft
    """
    from ..publish.build import BuildOptions, available_languages
    from ..publish.build import build as run_build
    from ..publish.workers import default_jobs
    from .progress import Progress, live_output, summary_line

    settings = settings_or_exit(settings_file)
    given = apply_build_defaults(
        click.get_current_context(),
        settings,
        {
            "langs": langs,
            "audiences": audiences,
            "papers": papers,
            "formats": formats,
            "large_print": large_print,
            "booklet": booklet,
            "online_url": online_url,
        },
    )
    langs, audiences, papers = given["langs"], given["audiences"], given["papers"]
    formats, large_print, booklet = given["formats"], given["large_print"], given["booklet"]
    online_url = given["online_url"]
    branding = settings.branding if settings else None
    settings_file = settings_file_in_use(settings_file)
    out_dir = out_dir if out_dir is not None else current_project().out_dir
    extra: list[Path] = []
    for folder in data_dirs:
        extra += sorted(folder.glob("*.yaml"))
    chosen = select_records(records, drugs, tuple(extra))
    every_language = langs == ("all",)
    if every_language:
        langs = tuple(available_languages())
    check_output_folder(out_dir, langs, chosen, data_dirs, settings_file, branding)
    options = BuildOptions(
        records=chosen,
        out_dir=out_dir,
        langs=langs,
        audiences=AUDIENCE_CHOICES if audiences == ("all",) else audiences,  # type: ignore[arg-type]
        papers=PAPER_CHOICES if papers == ("all",) else papers,  # type: ignore[arg-type]
        draft=draft,
        jobs=jobs or default_jobs(),
        force=force,
        booklet=booklet,
        large_print=large_print,
        formats=("pdf", "html") if formats == ("all",) else formats,
        branding=branding,
        online_url=online_url,
        strict=strict or not every_language,
    )
    stream = sys.stderr
    progress = Progress(stream, live=live_output(stream), quiet=quiet)
    report = run_build(options, on_event=progress)
    progress.finish()
    for line in report.untranslated_lines():
        click.echo(line, err=True)
    if not quiet:
        for drug, audience in dict.fromkeys(report.not_applicable):
            click.echo(
                f"{drug}: no {audience} document: its record says it does not apply", err=True
            )
        # Last, so that it is what a user sees; only the problems, if any, follow it.
        click.echo(summary_line(progress, report, options), err=True)
    if not report.ok:
        print_problems(report.problems)
        sys.exit(1)


@cli.command()
@output_options
@PROJECT_OPTION
@RECORD_OPTION
@DRUG_OPTION
def check(records: tuple[Path, ...], drugs: tuple[str, ...]) -> None:
    """Validate records and every translation catalog; print every problem; exit 1 if any.

    Catalog checks: PO syntax, placeholders, numbers, untranslated copies of the
    English, the drug's name, characters the bundled fonts lack, and (as
    warnings) translations over twice the English length.

    \b
    Example:
        leaflet check
        leaflet check --drug gabapentin
    """
    from ..publish.checks import check_everything
    from ..render.theme import current_theme

    settings_or_exit(None)
    valid, catalogs, problems = check_everything(select_records(records, drugs))
    if problems:
        print_problems(problems)
        sys.exit(1)
    theme = current_theme()
    for name in theme.overridden():
        inform(f"{current_project().shown(theme.find(name))}: replaces leaflet's own {name}")
    for name in theme.added():
        inform(f"{current_project().shown(theme.find(name))}: the project's own template file")
    inform(
        f"{len(valid)} record{'s' if len(valid) != 1 else ''} and {catalogs} "
        f"catalog{'s' if catalogs != 1 else ''} valid."
    )


@cli.command()
@output_options
@PROJECT_OPTION
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the schema to this file instead of standard output.",
)
def schema(out_file: Path | None) -> None:
    """Write the record's JSON Schema, for editors that validate YAML as you type.

    Every field has a description and an example taken from a real record.

    \b
    Example:
        leaflet schema --out leaflet-record.schema.json
    """
    from ..publish.checks import check_records
    from ..publish.writer import OutputWriter
    from ..record.record_schema import record_schema

    if out_file is not None:
        check_output_file(out_file, EXAMPLE_RECORDS)
    examples, _ = check_records(EXAMPLE_RECORDS)
    document = record_schema(examples)
    if out_file is None:
        click.echo(json.dumps(document, indent=2, sort_keys=True))
    else:
        OutputWriter(out_file.parent).write_json(out_file.name, document)
        inform(f"Schema written to {out_file}.")


cli.add_command(new)
cli.add_command(taper)
cli.add_command(i18n)
cli.add_command(migrate)
cli.add_command(serve)


def main() -> None:
    """Entry point for the ``leaflet`` script and ``python -m leaflet``.

    A problem with the user's input that a command did not report itself (a
    folder that cannot be written, say) is still printed as problems, exit 1:
    only a bug in leaflet ever shows a traceback.
    """
    from ..record.errors import InputError

    try:
        cli(prog_name="leaflet")
    except InputError as error:
        print_problems(error.problems)
        sys.exit(1)
