"""Check, before rendering, that the bundled fonts can draw every translated character.

WeasyPrint would draw a missing character as an empty box (and log a warning,
which fails the document); checking the catalogs first names the character and
the entries that hold it, so a translator knows what to fix.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from .catalog_loader import LoadedCatalog
from .errors import Problem
from .loader import load_font_cmap
from .pdf import FONTS_DIR

__all__ = ["bundled_coverage", "coverage_problems", "missing_characters"]

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


def coverage_problems(catalog: LoadedCatalog) -> list[Problem]:
    """Return one problem per catalog entry holding characters no bundled font has."""
    covered = bundled_coverage()
    problems = []
    for entry in catalog.entries.values():
        missing = missing_characters("".join(entry.texts), covered)
        if missing:
            shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing)
            problems.append(
                Problem(
                    catalog.name,
                    entry.line,
                    entry.context,
                    f"no bundled font has {shown} (expected characters the fonts in fonts/ "
                    "cover: add a font there, or change the text)",
                )
            )
    return problems
