"""The bundled fonts, and whether they can draw every character a record or catalog holds.

WeasyPrint would draw a missing character as an empty box (and log a warning,
which fails the document); checking the catalogs and the record first names the
character and the entry or line that holds it, so the editor knows what to fix.
"""

from __future__ import annotations

import os
import unicodedata
from functools import cache
from pathlib import Path

from ..resources import bundled
from .errors import InputError, Problem
from .reading import display_path, load_font_cmap

__all__ = [
    "FONTS_DIR",
    "FONT_CONFIG",
    "FONT_SUFFIXES",
    "bundled_coverage",
    "font_files",
    "missing_characters",
    "missing_font_problem",
]

#: The bundled fonts: the only fonts a document may use.
FONTS_DIR = bundled("fonts")
#: Font files fontconfig reads from the bundled folder (the coverage check reads the
#: TrueType and OpenType ones; the others would still change what the renderer draws).
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc", ".woff", ".woff2", ".pfb", ".pfa")
#: The font configuration the renderer reads (see :mod:`leaflet.render.pdf`).
FONT_CONFIG = "fonts.conf"


def font_files(fonts_dir: Path = FONTS_DIR) -> list[Path]:
    """Every font file in the bundled folder and its subfolders, in a stable order.

    Exactly the files that can change what is drawn: fontconfig scans the folder
    recursively; anything else there (a README, a licence, files another program
    left) is not a font and is not an input.
    """
    found = []
    for folder, subfolders, names in os.walk(fonts_dir):
        subfolders.sort()
        found += [Path(folder, name) for name in names if name.lower().endswith(FONT_SUFFIXES)]
    return sorted(found, key=lambda path: path.relative_to(fonts_dir).as_posix())


@cache
def bundled_coverage(fonts_dir: Path = FONTS_DIR) -> frozenset[int]:
    """Return every code point some bundled font can draw."""
    covered: set[int] = set()
    for path in font_files(fonts_dir):
        if path.suffix.lower() not in (".ttf", ".otf", ".ttc", ".otc"):
            continue
        try:
            covered |= load_font_cmap(path)
        except OSError as exc:
            raise InputError(
                [
                    Problem(
                        display_path(path),
                        None,
                        "",
                        f"bundled font cannot be read ({exc.strerror}; expected a font file "
                        "of at most 256 MB). To fix: restore the fonts/ folder from the release",
                    )
                ]
            ) from None
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
