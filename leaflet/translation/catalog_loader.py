"""Read translators' PO catalogs: every entry with its file and line, plural forms and comments.

The catalog side of the loader (records and manifests are read by
:mod:`leaflet.record.reading`). A catalog that cannot be parsed, has an entry without a
msgctxt, a duplicate msgctxt or one with a space or line break (never found by
the build), a broken Plural-Forms header or one that disagrees with the
language's CLDR plural rules is refused with every problem listed, each with its
line. A catalog for the source language itself is refused whole.
"""

from __future__ import annotations

import functools
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib
from babel import Locale, UnknownLocaleError

from ..project import RECORDS_DOMAIN
from ..record.errors import InputError, Problem
from ..record.reading import decode_text, display_path, read_input
from .catalog_headers import header_line, header_problems
from .languages import is_source_language, plural_forms_problem
from .signoff import SignOff, read_signoffs

__all__ = [
    "DOMAIN",
    "CatalogEntry",
    "CatalogPart",
    "LoadedCatalog",
    "domain_of",
    "list_locales",
    "load_catalog",
    "load_po_for_update",
    "read_template",
    "source_language_problem",
]


#: The gettext domain of leaflet's own messages (the project's record prose is
#: :data:`leaflet.project.RECORDS_DOMAIN`).
DOMAIN = "leaflet"


def domain_of(context: str) -> str:
    """Return the domain a msgctxt belongs to.

    Record prose is ``<drug id>:<record path>``; leaflet's own ids
    (``patient.s1.heading``, ``form.tablet``) never hold a colon.
    """
    return RECORDS_DOMAIN if ":" in context else DOMAIN


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
    #: The catalog file the entry is in, as problems name it.
    name: str = ""

    @property
    def texts(self) -> tuple[str, ...]:
        """Every translated text of the entry: the msgstr, or each plural form."""
        return self.forms if self.msgid_plural is not None else (self.msgstr,)

    @property
    def translated(self) -> bool:
        """True when every text the entry needs is filled in."""
        return bool(self.texts) and all(self.texts)


@dataclass(frozen=True)
class CatalogPart:
    """One domain's catalog file inside a language's merged view; ``metadata`` None: no file."""

    domain: str
    path: Path
    name: str
    metadata: dict[str, str] | None


@dataclass(frozen=True)
class LoadedCatalog:
    """A locale's PO catalog: its header fields and its entries by message context.

    A language read for rendering is one view of both domains' catalogs:
    ``path``, ``name`` and ``metadata`` are leaflet's own catalog's, ``parts``
    lists every domain's file, and each entry knows the file it came from.
    """

    lang: str
    path: Path
    name: str
    metadata: dict[str, str]
    entries: dict[str, CatalogEntry]
    nplurals: int = 2
    plural_rule: str = "(n != 1)"
    parts: tuple[CatalogPart, ...] = ()
    #: Recorded reviews by scope (a drug id, or "leaflet" for leaflet's own text).
    signoffs: dict[str, SignOff] = field(default_factory=dict)

    def part_for(self, context: str) -> CatalogPart | None:
        """The domain's file that holds, or would hold, ``context``; None for a single file."""
        domain = domain_of(context)
        return next((part for part in self.parts if part.domain == domain), None)

    def file_of(self, context: str) -> str:
        """The file holding ``context``'s entry, or the one that should, as problems name it."""
        entry = self.entries.get(context)
        if entry is not None and entry.name:
            return entry.name
        part = self.part_for(context)
        return part.name if part is not None else self.name

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


_QUOTED = r'"(?:[^"\\]|\\.)*"'
#: The escapes polib decodes; msgfmt knows more (\a, \x41, \101), which polib
#: would print as a backslash and a letter.
_BAD_ESCAPE = re.compile(r'^[^"]*"(?:[^"\\]|\\[nt"\\r])*(\\[^nt"\\r])')
_PO_LINE = re.compile(
    rf"^\s*(?:(?:#~\s*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{_QUOTED}"
    r"|#.*|)\s*$"
)


def _first_malformed_line(text: str) -> tuple[int, str] | None:
    """Return the first malformed line and what is wrong with it, or None.

    polib quietly accepts an unterminated string (and loses a character); msgfmt
    does not, and neither does leaflet.
    """
    for number, line in enumerate(text.split("\n"), start=1):
        if not _PO_LINE.match(line):
            return number, _SYNTAX
        escape = None if line.lstrip().startswith("#") else _BAD_ESCAPE.match(line)
        if escape:
            return number, (
                f'unsupported escape {escape.group(1)} (expected only \\n, \\t, \\" or '
                "\\\\ inside quotes; type the character itself)"
            )
    return None


_SYNTAX = (
    "PO syntax error (expected msgctxt/msgid/msgstr lines with quoted text; "
    "check the quotes on this line and the one above)"
)


#: Largest catalog accepted; a complete catalog is about 100 kB.
MAX_CATALOG_BYTES = 4 * 1024 * 1024


def load_catalog(path: Path, lang: str) -> LoadedCatalog:
    """Read a PO catalog; raise InputError for a missing, unreadable or malformed file."""
    return _read_checked(path, lang)[1]


def read_template(path: Path) -> tuple[str | None, str | None]:
    """A template's POT-Creation-Date and text, or (None, None) when it does not exist yet."""
    if not path.is_file():
        return None, None
    name = display_path(path)
    text = decode_text(
        read_input(path, name, MAX_CATALOG_BYTES, "a PO template"), name, "a PO file"
    )
    created = re.search(r'^"POT-Creation-Date: ([^"\\]*)\\n"$', text, re.MULTILINE)
    return (created.group(1) if created else None), text


def load_po_for_update(path: Path, lang: str) -> polib.POFile:
    """Read a catalog that ``leaflet i18n update`` will rewrite; raise InputError if unsound.

    The catalog must pass every check of :func:`load_catalog` first: polib
    reads some broken files without complaint (an unterminated string loses a
    character), and rewriting one would silently damage a translator's work.
    """
    return _read_checked(path, lang)[0]


def _read_checked(path: Path, lang: str) -> tuple[polib.POFile, LoadedCatalog]:
    """Read, parse and check a catalog once: polib's view of it and leaflet's."""
    name = display_path(path)
    try:
        Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        raise InputError(
            [
                Problem(
                    display_path(path.parent.parent),
                    None,
                    "",
                    f"unknown locale code {lang!r} (expected a folder named with a locale code "
                    "such as de, pt_BR, zh_Hans: rename the folder)",
                )
            ]
        ) from None
    if is_source_language(lang):
        raise InputError([source_language_problem(path.parent.parent)])
    own = " --domain leaflet" if path.stem == DOMAIN else ""
    raw = read_input(
        path, name, MAX_CATALOG_BYTES, f"a PO catalog; run: leaflet i18n init {lang}{own}"
    )
    text = decode_text(raw, name, "a UTF-8 PO catalog")
    broken = _first_malformed_line(text)
    if broken is not None:
        raise InputError([Problem(name, broken[0], "", broken[1])])
    try:
        po = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        match = _PO_SYNTAX_LINE.search(str(exc))
        line = int(match.group(1)) if match else None
        raise InputError([Problem(name, line, "", _SYNTAX)]) from None
    problems: list[Problem] = []
    plural = _plural_header(po.metadata.get("Plural-Forms"))
    if plural is None:
        problems.append(
            Problem(
                name,
                header_line(text, "Plural-Forms"),
                "",
                f"bad or missing Plural-Forms header (expected e.g. "
                f"'nplurals=2; plural=(n != 1);', got {po.metadata.get('Plural-Forms')!r}; "
                f"copy it from: leaflet i18n init {lang})",
            )
        )
    if plural is not None:
        header = po.metadata.get("Plural-Forms", "")
        mismatch = plural_forms_problem(lang, header, plural[0], _plural_function(plural[1]))
        if mismatch:
            problems.append(Problem(name, header_line(text, "Plural-Forms"), "", mismatch))
    problems += header_problems(po, text, name, lang)
    # Each domain's template sits beside its language folders: locales/<domain>.pot.
    pot = f"locales/{path.stem}.pot"
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
                    f"entry {entry.msgid[:40]!r} has no msgctxt (expected the stable id line "
                    f"above it: copy it from {pot}, where the same msgid has it)",
                )
            )
            continue
        if any(char.isspace() for char in entry.msgctxt):
            # The build looks ids up exactly: "footer.basis\n" would be "no entry", with no line.
            space = _space_name(entry.msgctxt)
            problems.append(
                Problem(
                    name,
                    entry.linenum,
                    "",
                    f"msgctxt {entry.msgctxt!r} holds a {space} (expected the id exactly as in "
                    f"{pot}, {''.join(entry.msgctxt.split())!r}; delete the {space})",
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
            name=name,
        )
    if problems or plural is None:
        raise InputError(problems)
    return po, LoadedCatalog(
        lang=lang,
        path=path,
        name=name,
        metadata=dict(po.metadata),
        entries=entries,
        nplurals=plural[0],
        plural_rule=plural[1],
        signoffs=read_signoffs(path),
    )


def source_language_problem(folder: Path) -> Problem:
    """The problem of a catalog folder named for the source language (``locales/en``).

    The build would print English twice into one folder; the English text comes
    from the records and templates, never from a catalog.
    """
    return Problem(
        display_path(folder),
        None,
        "",
        f"{folder.name!r} is the source language (or the built-in pseudo-locale), which needs "
        "no catalog (expected only languages to translate into: delete this folder)",
    )


def _space_name(text: str) -> str:
    """Name the first kind of white space in ``text``, for a message."""
    char = next(c for c in text if c.isspace())
    return {"\n": "line break", "\r": "carriage return", "\t": "tab", " ": "space"}.get(
        char, f"U+{ord(char):04X} space"
    )
