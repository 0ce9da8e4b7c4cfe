"""Check, before rendering, that the bundled fonts can draw every character to print.

WeasyPrint would draw a missing character as an empty box (and log a warning,
which fails the document); checking the catalogs and the record first names the
character and the entry or line that holds it, so the editor knows what to fix.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from .catalog_loader import LoadedCatalog
from .errors import Problem
from .loader import load_font_cmap
from .pdf import FONTS_DIR

__all__ = ["bundled_coverage", "coverage_problems", "missing_characters", "missing_font_problem"]

FONT_SUFFIXES = (".ttf", ".otf")


@cache
def bundled_coverage(fonts_dir: Path = FONTS_DIR) -> frozenset[int]:
    """Return every code point some bundled font can draw."""
    covered: set[int] = set()
    for path in sorted(fonts_dir.iterdir()):
        if path.suffix.lower() in FONT_SUFFIXES:
            covered |= load_font_cmap(path)
    return frozenset(covered)


def missing_characters(text: str, covered: frozenset[int]) -> list[str]:
    """Return the characters of ``text`` no bundled font has (spaces and controls excepted)."""
    missing = []
    for char in dict.fromkeys(text):
        if ord(char) in covered or char.isspace() or unicodedata.category(char).startswith("C"):
            continue
        missing.append(char)
    return missing


def missing_font_problem(text: str) -> str | None:
    """Say which characters of ``text`` no bundled font can draw, or None."""
    missing = missing_characters(text, bundled_coverage())
    if not missing:
        return None
    shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing)
    return (
        f"no bundled font has {shown} (expected characters the fonts in fonts/ cover: add a "
        "font there, or change the text)"
    )


def coverage_problems(catalog: LoadedCatalog) -> list[Problem]:
    """Return one problem per catalog entry holding characters no bundled font has."""
    problems = []
    for entry in catalog.entries.values():
        message = missing_font_problem("".join(entry.texts))
        if message:
            problems.append(Problem(catalog.name, entry.line, entry.context, message))
    return problems
