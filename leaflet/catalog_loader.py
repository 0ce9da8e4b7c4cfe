"""Read translators' PO catalogs: every entry with its line, plural forms and comments.

The catalog side of the loader (records and manifests are read by
:mod:`leaflet.loader`). A catalog that cannot be parsed, has an entry without a
msgctxt, a duplicate msgctxt, or a broken Plural-Forms header is refused with
every problem listed, each with its line.
"""

from __future__ import annotations

import functools
import gettext
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib

from .errors import InputError, Problem
from .loader import decode_text, display_path

__all__ = ["CatalogEntry", "LoadedCatalog", "list_locales", "load_catalog"]


@dataclass(frozen=True)
class CatalogEntry:
    """One translation in a PO catalog (with its plural forms, for a plural message)."""

    context: str
    msgid: str
    msgstr: str
    fuzzy: bool
    line: int
    previous_msgid: str | None = None
    msgid_plural: str | None = None
    forms: tuple[str, ...] = ()
    comment: str = ""

    @property
    def texts(self) -> tuple[str, ...]:
        """Every translated text of the entry: the msgstr, or each plural form."""
        return self.forms if self.msgid_plural is not None else (self.msgstr,)

    @property
    def translated(self) -> bool:
        """True when every text the entry needs is filled in."""
        return bool(self.texts) and all(self.texts)


@dataclass(frozen=True)
class LoadedCatalog:
    """A locale's PO catalog: its header fields and its entries by message context."""

    lang: str
    path: Path
    name: str
    metadata: dict[str, str]
    entries: dict[str, CatalogEntry]
    nplurals: int = 2
    plural_rule: str = "(n != 1)"

    def plural_index(self, n: int) -> int:
        """Return which plural form the catalog uses for the count ``n``."""
        index: int = _plural_function(self.plural_rule)(n)
        return min(index, self.nplurals - 1)


_PLURAL_FORMS = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?);?\s*$")


@functools.cache
def _plural_function(rule: str) -> Any:
    return gettext.c2py(rule)


def _plural_header(value: str | None) -> tuple[int, str] | None:
    """Parse ``nplurals=2; plural=(n != 1);``; None when it is missing or malformed."""
    match = _PLURAL_FORMS.match(value or "")
    if not match:
        return None
    count, rule = int(match.group(1)), match.group(2)
    if not 1 <= count <= 6:
        return None
    try:
        function = _plural_function(rule)
        results = {function(n) for n in range(0, 200)}
    except (ValueError, SyntaxError, ZeroDivisionError, RecursionError):
        return None
    if not results <= set(range(count)):
        return None
    return count, rule


def list_locales(locales_dir: Path, domain: str) -> list[str]:
    """Return the locale codes that have a ``<code>/LC_MESSAGES/<domain>.po`` catalog."""
    if not locales_dir.is_dir():
        return []
    return sorted(
        child.name
        for child in locales_dir.iterdir()
        if (child / "LC_MESSAGES" / f"{domain}.po").is_file()
    )


_PO_SYNTAX_LINE = re.compile(r"\(line (\d+)\)")


def load_catalog(path: Path, lang: str) -> LoadedCatalog:
    """Read a PO catalog; raise InputError for a missing, unreadable or malformed file."""
    name = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = "file not found" if isinstance(exc, FileNotFoundError) else exc.strerror
        raise InputError(
            [
                Problem(
                    name,
                    None,
                    "",
                    f"{reason} (expected a PO catalog; run: leaflet i18n init {lang})",
                )
            ]
        ) from None
    text = decode_text(raw, name)
    try:
        po = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        match = _PO_SYNTAX_LINE.search(str(exc))
        line = int(match.group(1)) if match else None
        raise InputError(
            [
                Problem(
                    name,
                    line,
                    "",
                    "PO syntax error (expected msgctxt/msgid/msgstr lines with quoted text; "
                    "check the quotes on this line and the one above)",
                )
            ]
        ) from None
    problems: list[Problem] = []
    plural = _plural_header(po.metadata.get("Plural-Forms"))
    if plural is None:
        problems.append(
            Problem(
                name,
                _header_line(text, "Plural-Forms"),
                "",
                f"bad or missing Plural-Forms header (expected e.g. "
                f"'nplurals=2; plural=(n != 1);', got {po.metadata.get('Plural-Forms')!r}; "
                f"copy it from: leaflet i18n init {lang})",
            )
        )
    entries: dict[str, CatalogEntry] = {}
    for entry in po:
        if entry.obsolete:
            continue
        if not entry.msgctxt:
            problems.append(
                Problem(
                    name,
                    entry.linenum,
                    "",
                    f"entry {entry.msgid[:40]!r} has no msgctxt (expected the stable id "
                    "leaflet i18n extract writes; run leaflet i18n update)",
                )
            )
            continue
        if entry.msgctxt in entries:
            problems.append(
                Problem(
                    name,
                    entry.linenum,
                    entry.msgctxt,
                    f"duplicate msgctxt (already on line {entries[entry.msgctxt].line}; "
                    "expected each id once)",
                )
            )
            continue
        forms: tuple[str, ...] = ()
        if entry.msgid_plural:
            count = plural[0] if plural else 2
            forms = tuple(entry.msgstr_plural.get(i, "") for i in range(count))
        entries[entry.msgctxt] = CatalogEntry(
            context=entry.msgctxt,
            msgid=entry.msgid,
            msgstr=entry.msgstr,
            fuzzy=entry.fuzzy,
            line=entry.linenum,
            previous_msgid=entry.previous_msgid,
            msgid_plural=entry.msgid_plural or None,
            forms=forms,
            comment=entry.tcomment or "",
        )
    if problems or plural is None:
        raise InputError(problems)
    return LoadedCatalog(
        lang=lang,
        path=path,
        name=name,
        metadata=dict(po.metadata),
        entries=entries,
        nplurals=plural[0],
        plural_rule=plural[1],
    )


def _header_line(text: str, field_name: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f'"{field_name}:'):
            return number
    return None
