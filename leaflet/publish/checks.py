"""Validate inputs without building: records, catalogs, and each locale's status.

The commands ``leaflet check`` and ``leaflet i18n status`` and the build share
these; each collects every problem instead of stopping at the first.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from ..project import RECORDS_DOMAIN, current_project
from ..record.errors import InputError, Problem
from ..record.glyphs import missing_font_problem
from ..record.model import DrugRecord
from ..record.reading import LineMap, display_path, load_record
from ..record.validate import validate_record
from ..translation.catalog_checks import check_catalog
from ..translation.catalog_loader import LoadedCatalog
from ..translation.catalogs import (
    Message,
    catalog_status,
    extract_messages,
    in_domain,
    required_contexts,
)
from ..translation.domains import (
    DOMAIN,
    load_catalogs,
    load_domain_catalogs,
    locale_codes,
    unbuildable_catalog_problems,
)
from ..translation.languages import PSEUDO_LOCALE, SOURCE_LANGUAGE
from ..translation.termbase import language_termbase_problems

__all__ = [
    "ProblemList",
    "catalog_statuses",
    "check_everything",
    "check_records",
    "collect_messages",
    "known_languages",
    "language_codes",
    "load_valid_records",
    "usable_languages",
]

log = logging.getLogger("leaflet")


def check_records(paths: Iterable[Path]) -> tuple[list[DrugRecord], list[Problem]]:
    """Load and validate every record; return the valid ones and all problems."""
    records: list[DrugRecord] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            records.append(validate_record(load_record(path)))
        except InputError as error:
            problems.extend(error.problems)
    return records, problems


def collect_messages(paths: Iterable[Path]) -> tuple[list[Message], list[Problem]]:
    """Load the records and extract every translatable message, with record lines.

    A record's messages name it relative to the project (``data/baclofen.yaml``),
    so its catalogs read the same from whichever folder a command runs in.
    """
    loaded: list[tuple[DrugRecord, str, Any]] = []
    problems: list[Problem] = []
    project = current_project()
    for path in paths:
        try:
            source = load_record(path)
            shown = project.shown(path.absolute())
            loaded.append((validate_record(source), shown, source.lines))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        return [], problems
    try:
        return extract_messages(loaded), []
    except InputError as error:
        return [], error.problems


def catalog_statuses(
    paths: Iterable[Path], domain: str = RECORDS_DOMAIN
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Return each of ``domain``'s catalogs' translation status, and problems loading anything.

    leaflet's own domain reads no record: its messages are the templates' and the code's.
    """
    paths = list(paths) if domain != DOMAIN else []
    records, problems = check_records(paths)
    if domain == DOMAIN:
        messages, extract_problems = collect_messages([])
    else:
        messages, extract_problems = collect_messages(paths) if records else ([], [])
    problems += extract_problems
    catalogs, load_problems = load_domain_catalogs(locale_codes(domain), domain)
    problems += load_problems
    required = required_contexts(records)
    mine = in_domain(messages, domain)
    rows = [catalog_status(c, mine, required) for c in catalogs.values()]
    return rows, problems


def check_everything(paths: Iterable[Path]) -> tuple[list[DrugRecord], int, list[Problem]]:
    """Validate records and all catalogs; return valid records, catalog count, problems."""
    records, problems = check_records(paths)
    catalogs, load_problems = load_catalogs(locale_codes())
    problems += load_problems + unbuildable_catalog_problems()
    if records:
        messages = extract_messages([(r, r.drug.id, LineMap()) for r in records])
        for catalog in catalogs.values():
            checked = check_catalog(catalog, messages, records)
            for warning in checked.warnings:
                log.warning("warning: %s", warning)
            problems += checked.errors + coverage_problems(catalog)
            problems += language_termbase_problems(catalog, messages)
    return records, len(catalogs), problems


class ProblemList(Protocol):
    """Anything that collects problems (a build report)."""

    problems: list[Problem]


def load_valid_records(paths: Iterable[Path], report: ProblemList) -> list[tuple[Path, DrugRecord]]:
    """Load and validate each record; a broken one is reported and the rest go on."""
    loaded: list[tuple[Path, DrugRecord]] = []
    seen: dict[str, Path] = {}
    for path in dict.fromkeys(paths):
        try:
            record = validate_record(load_record(path))
        except InputError as error:
            report.problems.extend(error.problems)
            continue
        if record.drug.id in seen:
            report.problems.append(
                Problem(
                    display_path(path),
                    None,
                    "drug.id",
                    f"drug id {record.drug.id!r} is also used by "
                    f"{display_path(seen[record.drug.id])} (expected each record to have its "
                    "own id; its files would overwrite)",
                )
            )
            continue
        seen[record.drug.id] = path
        loaded.append((path, record))
    return loaded


def language_codes() -> list[str]:
    """Every language leaflet can print: English, then each of its own catalogs."""
    return [SOURCE_LANGUAGE, *locale_codes()]


def known_languages(langs: Iterable[str], report: ProblemList) -> list[str]:
    """Return the languages that exist; report each unknown one as a problem with --lang.

    The command line refuses an unknown language before this runs (a usage
    error); this guards callers of the library.
    """
    known = language_codes()
    found = []
    for lang in langs:
        if lang in known or lang == PSEUDO_LOCALE:
            found.append(lang)
        else:
            report.problems.append(
                Problem.with_option(
                    "--lang", f"unknown language {lang!r} (expected one of: {', '.join(known)})"
                )
            )
    return found


def usable_languages(
    langs: list[str], records: list[DrugRecord], report: ProblemList
) -> tuple[dict[str, LoadedCatalog], list[str]]:
    """Load and check each language's catalog; return the catalogs and usable languages."""
    translated = [lang for lang in langs if lang not in (SOURCE_LANGUAGE, PSEUDO_LOCALE)]
    catalogs, problems = load_catalogs(translated)
    report.problems.extend(problems)
    usable = [lang for lang in langs if lang in catalogs or lang not in translated]
    if not catalogs or not records:
        return catalogs, usable
    messages = extract_messages([(r, r.drug.id, LineMap()) for r in records])
    for lang, catalog in catalogs.items():
        checked = check_catalog(catalog, messages, records)
        for warning in checked.warnings:
            log.warning("%s", warning)
        lang_problems = checked.errors + coverage_problems(catalog)
        lang_problems += language_termbase_problems(catalog, messages)
        if lang_problems:
            report.problems.extend(lang_problems)
            usable.remove(lang)
    return catalogs, usable


def coverage_problems(catalog: LoadedCatalog) -> list[Problem]:
    """Return one problem per catalog entry holding characters no bundled font has."""
    problems = []
    for entry in catalog.entries.values():
        message = missing_font_problem("".join(entry.texts))
        if message:
            where = catalog.file_of(entry.context)
            problems.append(Problem(where, entry.line, entry.context, message))
    return problems
