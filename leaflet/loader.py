"""Read input files: drug records (YAML, with the line of every value) and manifests.

This is the only module that reads user inputs. It refuses what is not text
(binary, UTF-16/32, another encoding, an oversized file) before parsing; the
YAML itself is parsed by :mod:`leaflet.yaml_source`, which keeps the line of
every value for the validator's messages.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError, Problem
from .yaml_source import LineMap, PathKey, parse_yaml

__all__ = [
    "LineMap",
    "LoadedRecord",
    "LoadedSettings",
    "PathKey",
    "decode_text",
    "display_path",
    "file_digest",
    "load_font_cmap",
    "load_manifest",
    "load_record",
    "load_settings",
    "read_input",
    "read_logo",
    "read_output",
    "read_text",
    "tree_digest",
]

#: Largest record file accepted; real records are a few tens of kilobytes.
MAX_RECORD_BYTES = 2 * 1024 * 1024


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
    raw = read_input(path, name, MAX_RECORD_BYTES, "a YAML drug record")
    text = decode_text(raw, name)
    data, lines = parse_yaml(text, name)
    return LoadedRecord(source=path, name=name, data=data, lines=lines)


def read_input(path: Path, name: str, limit: int, kind: str) -> bytes:
    """Read a user's input file of at most ``limit`` bytes; raise InputError otherwise.

    Only a regular file is read: a device such as /dev/zero would never end,
    and a named pipe would wait forever for a writer.
    """

    def refuse(message: str) -> InputError:
        return InputError([Problem(name, None, "", message)])

    try:
        status = path.stat()
    except FileNotFoundError:
        raise refuse(f"file not found (expected {kind})") from None
    except OSError as exc:
        raise refuse(f"cannot be read ({exc.strerror}; expected {kind})") from None
    if stat.S_ISDIR(status.st_mode):
        raise refuse(f"is a folder (expected {kind})")
    if not stat.S_ISREG(status.st_mode):
        raise refuse(f"is not a regular file (expected {kind})")
    if status.st_size > limit:
        raise refuse(f"file is too large (expected at most {limit} bytes, got {status.st_size})")
    try:
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise refuse(f"cannot be read ({exc.strerror}; expected {kind})") from None
    if len(raw) > limit:  # it grew while we looked
        raise refuse(f"file is too large (expected at most {limit} bytes, got more)")
    return raw


def decode_text(raw: bytes, name: str, kind: str = "a UTF-8 YAML file") -> str:
    """Decode a UTF-8 input file (a BOM is dropped); raise InputError if it is not text."""
    encoding = _wide_encoding(raw)
    if encoding:
        raise InputError(
            [
                Problem(
                    name,
                    None,
                    "",
                    f"file is {encoding}, not UTF-8 (expected UTF-8: save the file as UTF-8 in "
                    "your editor)",
                )
            ]
        )
    if b"\x00" in raw:
        raise InputError([Problem(name, None, "", f"file is binary, not text (expected {kind})")])
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
    odd = _ODD_LINE_BREAK.search(text)
    if odd:
        raise InputError(
            [
                Problem(
                    name,
                    text.count("\n", 0, odd.start()) + 1,
                    "",
                    f"invisible line separator U+{ord(odd.group()):04X} (expected ordinary line "
                    "breaks: delete it; it often comes from copying text out of a word processor)",
                )
            ]
        )
    return text.removeprefix("\ufeff")


#: Characters Python, PyYAML and polib count as line breaks but editors do not show:
#: they would shift every line number after them, and break a quoted PO string in two.
_ODD_LINE_BREAK = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _wide_encoding(raw: bytes) -> str | None:
    """Name the encoding a byte-order mark announces, when it is not UTF-8."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    return None


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
    raw = read_input(path, name, MAX_SETTINGS_BYTES, "a TOML settings file")
    text = decode_text(raw, name, "a UTF-8 TOML settings file")
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
        # Only code points are wanted: numbered glyph names spare fontTools reading
        # the real ones (for the CJK fonts, a CFF charset of 65,535 glyphs; half the time).
        count = font["maxp"].numGlyphs
        font.setGlyphOrder([".notdef", *(f"glyph{index}" for index in range(1, count))])
        cmap = font.getBestCmap() or {}
        return set(cmap)
