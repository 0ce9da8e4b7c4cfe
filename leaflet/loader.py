"""Read input files: drug records (YAML, with the line of every value) and manifests.

This is the only module that reads user inputs. A record is parsed at the YAML
node level so that every value keeps the line it came from; the validator uses
those lines to point at each problem. Loading is ``safe_load``-level: only plain
YAML types, and anchors/aliases are refused (they are never needed in a record
and are the vector of "billion laughs" expansion bombs).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem

__all__ = [
    "LineMap",
    "LoadedRecord",
    "LoadedSettings",
    "decode_text",
    "display_path",
    "file_digest",
    "load_font_cmap",
    "load_manifest",
    "load_record",
    "load_settings",
    "read_logo",
    "read_output",
    "read_text",
    "tree_digest",
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
    text = decode_text(raw, name)
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


def decode_text(raw: bytes, name: str) -> str:
    """Decode a UTF-8 input file (a BOM is dropped); raise InputError if it is not text."""
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


def tree_digest(paths: list[Path]) -> str:
    """Return one SHA-256 over several files' names and bytes (a missing file counts too)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode("utf-8") + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0missing")
        digest.update(b"\0")
    return digest.hexdigest()


def read_output(path: Path) -> bytes:
    """Read back a document an earlier build wrote (for a booklet)."""
    return path.read_bytes()


def file_digest(path: Path) -> str | None:
    """Return the SHA-256 of a file's bytes, or None when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@dataclass
class LoadedSettings:
    """A settings file's data, where it came from, and the line of each key."""

    source: Path
    name: str
    data: dict[str, Any]
    lines: LineMap


#: Largest settings file and logo accepted.
MAX_SETTINGS_BYTES = 64 * 1024
MAX_LOGO_BYTES = 1024 * 1024

_TOML_KEY = re.compile(r"^\s*(?:\[\s*([A-Za-z0-9_.-]+)\s*\]|([A-Za-z0-9_-]+)\s*=)")


def load_settings(path: Path) -> LoadedSettings:
    """Read a TOML settings file; raise InputError for a missing, unreadable or broken one."""
    import tomllib

    name = display_path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            [Problem(name, None, "", "file not found (expected a TOML settings file)")]
        ) from None
    except OSError as exc:
        raise InputError([Problem(name, None, "", f"cannot be read ({exc.strerror})")]) from None
    if len(raw) > MAX_SETTINGS_BYTES:
        raise InputError(
            [
                Problem(
                    name,
                    None,
                    "",
                    f"file is too large (expected at most {MAX_SETTINGS_BYTES} bytes, "
                    f"got {len(raw)})",
                )
            ]
        )
    text = decode_text(raw, name)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise InputError(
            [
                Problem(
                    name,
                    int(match.group(1)) if match else None,
                    "",
                    f'TOML syntax error: {str(exc).split(" (at")[0]} (expected key = "value" '
                    "lines under a [section]; check the quotes on this line)",
                )
            ]
        ) from None
    return LoadedSettings(source=path, name=name, data=data, lines=_toml_lines(text))


def _toml_lines(text: str) -> LineMap:
    """Map [section] and section.key paths to their lines (settings files are flat)."""
    lines = LineMap()
    section: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        match = _TOML_KEY.match(line)
        if not match:
            continue
        if match.group(1):
            section = tuple(match.group(1).split("."))
            lines.lines.setdefault(section, number)
        else:
            lines.lines.setdefault((*section, match.group(2)), number)
    return lines


def read_logo(path: Path) -> bytes:
    """Read a logo image (the settings' logo); raise OSError if it cannot be read."""
    with path.open("rb") as handle:
        return handle.read(MAX_LOGO_BYTES + 1)


def read_text(path: Path) -> str:
    """Read a UTF-8 text file the project owns (a template or the POT)."""
    return path.read_text(encoding="utf-8")


def load_font_cmap(path: Path) -> set[int]:
    """Return the code points a font file has glyphs for (first face of a collection)."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True, fontNumber=0) as font:
        cmap = font.getBestCmap() or {}
        return set(cmap)
