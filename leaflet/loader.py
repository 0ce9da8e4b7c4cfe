"""Read input files: drug records (YAML, with the line of every value) and manifests.

This is the only module that reads user inputs. A record is parsed at the YAML
node level so that every value keeps the line it came from; the validator uses
those lines to point at each problem. Loading is ``safe_load``-level: only plain
YAML types, and anchors/aliases are refused (they are never needed in a record
and are the vector of "billion laughs" expansion bombs).
"""

from __future__ import annotations

import functools
import gettext
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import polib
import yaml

from .errors import InputError, Problem

__all__ = [
    "CatalogEntry",
    "LineMap",
    "LoadedCatalog",
    "LoadedRecord",
    "display_path",
    "file_digest",
    "list_locales",
    "load_catalog",
    "load_font_cmap",
    "load_manifest",
    "load_record",
    "read_text",
]

PathKey = tuple[str | int, ...]

#: Largest record file accepted; real records are a few tens of kilobytes.
MAX_RECORD_BYTES = 2 * 1024 * 1024

_FLOAT_TAG = "tag:yaml.org,2002:float"


@dataclass
class LineMap:
    """Maps a path inside the record (keys and list indexes) to its source line."""

    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_for(self, path: PathKey) -> int:
        """Return the line of ``path``, or of its closest ancestor that has one."""
        probe = tuple(path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get((), 1)


@dataclass
class LoadedRecord:
    """A record's raw data, where it came from, and the line of each value."""

    source: Path
    name: str
    data: Any
    lines: LineMap


def display_path(path: Path) -> str:
    """Return ``path`` relative to the working directory when it lies inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # a different drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def load_record(path: Path) -> LoadedRecord:
    """Read and parse one YAML record; raise InputError listing every problem."""
    name = display_path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            [Problem(name, None, "", "file not found (expected a YAML drug record)")]
        ) from None
    except IsADirectoryError:
        raise InputError(
            [Problem(name, None, "", "is a folder (expected a YAML drug record file)")]
        ) from None
    except OSError as exc:
        raise InputError([Problem(name, None, "", f"cannot be read ({exc.strerror})")]) from None
    if len(raw) > MAX_RECORD_BYTES:
        raise InputError(
            [
                Problem(
                    name,
                    None,
                    "",
                    f"file is too large (expected at most {MAX_RECORD_BYTES} bytes, "
                    f"got {len(raw)})",
                )
            ]
        )
    text = _decode(raw, name)
    try:
        node = yaml.compose(text, Loader=_NoAliasLoader)
    except _AliasFound as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise InputError(
            [
                Problem(
                    name,
                    line,
                    "",
                    "YAML aliases (*name) are not allowed (expected the value written out in full)",
                )
            ]
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or "invalid YAML"
        context = f" {exc.context}" if exc.context else ""
        raise InputError(
            [
                Problem(
                    name,
                    line,
                    "",
                    f"YAML syntax error: {what}{context} (expected valid YAML; check the "
                    "indentation and quoting on this line and the one above)",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(name, None, "", f"YAML error: {exc}")]) from None
    if node is None:
        raise InputError([Problem(name, 1, "", "file is empty (expected a YAML mapping)")])
    builder = _Builder(name)
    data = builder.build(node, ())
    if builder.problems:
        raise InputError(builder.problems)
    return LoadedRecord(source=path, name=name, data=data, lines=builder.lines)


class _AliasFound(yaml.MarkedYAMLError):
    """An alias (``*name``) was met; records never need one."""


class _NoAliasLoader(yaml.SafeLoader):
    """A SafeLoader that stops at the first alias, before anything is expanded."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise _AliasFound(problem_mark=self.peek_event().start_mark)  # type: ignore[no-untyped-call]
        return super().compose_node(parent, index)


def _decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw:
        raise InputError(
            [Problem(name, None, "", "file is binary, not text (expected a UTF-8 YAML file)")]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            [
                Problem(
                    name,
                    line,
                    "",
                    f"file is not UTF-8 (byte 0x{raw[exc.start]:02x} cannot be decoded; "
                    "expected UTF-8: save the file as UTF-8 in your editor)",
                )
            ]
        ) from None
    return text.removeprefix("\ufeff")


class _Builder:
    """Turns a composed YAML node tree into Python data and a line map."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lines = LineMap()
        self.problems: list[Problem] = []
        self._constructor = yaml.SafeLoader("")

    def _problem(self, node: yaml.Node, path: PathKey, message: str) -> None:
        self.problems.append(Problem(self.name, node.start_mark.line + 1, _dotted(path), message))

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.lines.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            key_lines: dict[str, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self._problem(key_node, path, "a key must be plain text")
                    continue
                key = str(key_node.value)
                line = key_node.start_mark.line + 1
                if key == "<<":
                    self._problem(key_node, path, "YAML merge keys ('<<') are not allowed")
                    continue
                if key in key_lines:
                    self._problem(
                        key_node,
                        (*path, key),
                        f"duplicate key (already defined on line {key_lines[key]}; "
                        "expected each key once: remove or rename one of them)",
                    )
                    continue
                key_lines[key] = line
                self.lines.lines[(*path, key)] = line
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines.lines[(*path, index)] = item.start_mark.line + 1
                items.append(self.build(item, (*path, index)))
            return items
        if node.tag == _FLOAT_TAG:
            # Doses are exact decimals: 0.05 must stay 0.05, never a binary float.
            try:
                return Decimal(str(node.value).replace("_", ""))
            except InvalidOperation:
                self._problem(node, path, f"not a finite number (got {node.value!r})")
                return None
        return self._constructor.construct_object(node, deep=True)


def _dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_manifest(path: Path) -> dict[str, Any] | None:
    """Return a previous build's manifest, or None when absent or unreadable.

    A damaged manifest is not a user error: it only means the next build cannot
    keep entries from earlier runs, so the whole manifest is rewritten.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def file_digest(path: Path) -> str | None:
    """Return the SHA-256 of a file's bytes, or None when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


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
    text = _decode(raw, name)
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


def read_text(path: Path) -> str:
    """Read a UTF-8 text file the project owns (a template or the POT)."""
    return path.read_text(encoding="utf-8")


def load_font_cmap(path: Path) -> set[int]:
    """Return the code points a font file has glyphs for (first face of a collection)."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True, fontNumber=0) as font:
        cmap = font.getBestCmap() or {}
        return set(cmap)
