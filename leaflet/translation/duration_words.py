"""Catch a translation that prints a duration's unit twice ("12 ans ans").

A duration placeholder arrives worded with its unit ("12 ans", "3 дня",
"3天"; see :mod:`leaflet.render.durations`). A translation written when the
placeholder held a bare number, or by habit, adds the unit again after it.
The unit words each language uses are its own ``duration.*`` entries, so the
check needs no word list of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel

from ..record.durations import DurationValue, is_age
from ..record.model import Cited, DrugRecord
from ..record.prose import iter_prose
from .catalog_loader import LoadedCatalog

__all__ = ["doubled_units", "duration_placeholders"]

_PLACEHOLDER = re.compile(r"\{[a-z][a-z0-9_]*\}")


def duration_placeholders(records: Iterable[DrugRecord]) -> dict[str, dict[str, str]]:
    """Map each record text's msgctxt to its duration placeholders and their units."""
    out: dict[str, dict[str, str]] = {}
    for record in records:
        for context, key, _text in iter_prose(record):
            owner = _owner(record, key)
            if owner is None:
                continue
            units = {
                name: "age" if is_age(name) and value.unit == "year" else value.unit
                for name, value in owner.values.items()
                if isinstance(value, DurationValue)
            }
            if units:
                out[context] = units
    return out


def _owner(record: DrugRecord, key: tuple[str | int, ...]) -> Cited | None:
    """The statement holding the values of the text at ``key``."""
    obj: Any = record
    owner: Cited | None = None
    for part in key:
        if isinstance(obj, Cited):
            owner = obj
        obj = obj[part] if isinstance(part, int) else getattr(obj, part, None)
        if not isinstance(obj, BaseModel | list):
            break
    return owner


def _unit_words(catalog: LoadedCatalog, unit: str) -> set[str]:
    """The words the language's ``duration.<unit>`` entries print around the number."""
    words: set[str] = set()
    for context in (f"duration.{unit}", f"duration.{unit}_range"):
        entry = catalog.entries.get(context)
        for text in entry.texts if entry is not None else ():
            for chunk in _PLACEHOLDER.split(text):
                for word in chunk.split():
                    if any(ch.isalpha() for ch in word) and not _is_connector(chunk, word):
                        words.add(word.strip(".,;:()"))
    return {w for w in words if w}


def _is_connector(chunk: str, word: str) -> bool:
    """True for the word between a range's two numbers ("to", "bis", "إلى")."""
    return chunk.strip() == word and chunk.startswith(" ") and chunk.endswith(" ")


def doubled_units(
    catalog: LoadedCatalog, context: str, text: str, units: dict[str, str]
) -> Iterator[str]:
    """Say where ``text`` repeats the unit that a duration placeholder already prints."""
    for name, unit in units.items():
        words = _unit_words(catalog, unit)
        for match in re.finditer(re.escape("{" + name + "}"), text):
            after = text[match.end() :].lstrip()
            for word in sorted(words, key=len, reverse=True):
                rest = after[len(word) :]
                if after.startswith(word) and not (rest[:1].isalpha() and word[-1:].isascii()):
                    yield (
                        f"the unit is printed twice: {{{name}}} already prints its unit "
                        f"(a duration worded by leaflet's duration.{unit} entry), so delete "
                        f"{word!r} after it"
                    )
                    break
