"""Validate inputs without building: records, catalogs, and each locale's status.

The commands ``leaflet check`` and ``leaflet i18n status`` and the build share
these; each collects every problem instead of stopping at the first.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .catalogs import (
    Message,
    catalog_status,
    extract_messages,
    load_catalogs,
    locale_codes,
    required_contexts,
)
from .errors import InputError, Problem
from .fonts import coverage_problems
from .loader import LineMap, load_record
from .model import DrugRecord
from .translation import check_catalog
from .validate import validate_record

__all__ = ["catalog_statuses", "check_everything", "check_records", "collect_messages"]

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
    """Load the records and extract every translatable message, with record lines."""
    loaded: list[tuple[DrugRecord, str, Any]] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            source = load_record(path)
            loaded.append((validate_record(source), source.name, source.lines))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        return [], problems
    try:
        return extract_messages(loaded), []
    except InputError as error:
        return [], error.problems


def catalog_statuses(paths: Iterable[Path]) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Return each locale's translation status, and problems loading anything."""
    paths = list(paths)
    records, problems = check_records(paths)
    messages, extract_problems = collect_messages(paths) if records else ([], [])
    problems += extract_problems
    catalogs, load_problems = load_catalogs(locale_codes())
    problems += load_problems
    required = required_contexts(records)
    rows = [catalog_status(c, messages, required) for c in catalogs.values()]
    return rows, problems


def check_everything(paths: Iterable[Path]) -> tuple[list[DrugRecord], int, list[Problem]]:
    """Validate records and all catalogs; return valid records, catalog count, problems."""
    records, problems = check_records(paths)
    catalogs, load_problems = load_catalogs(locale_codes())
    problems += load_problems
    if records:
        messages = extract_messages([(r, r.drug.id, LineMap()) for r in records])
        for catalog in catalogs.values():
            checked = check_catalog(catalog, messages, records)
            for warning in checked.warnings:
                log.warning("warning: %s", warning)
            problems += checked.errors + coverage_problems(catalog)
    return records, len(catalogs), problems
