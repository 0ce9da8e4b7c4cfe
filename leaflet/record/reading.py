"""Read input files: drug records (YAML, with the line of every value) and manifests.

This is the only module that reads user inputs. It refuses what is not text
(binary, UTF-16/32, another encoding, an oversized file) before parsing; the
YAML itself is parsed by :mod:`leaflet.record.yaml_source`, which keeps the line of
every value for the validator's messages.
"""

from __future__ import annotations

import errno
import hashlib
import io
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
    "NotRegularFile",
    "PathKey",
    "TooLarge",
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
    "read_regular",
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
        return read_regular(path, limit)
    except FileNotFoundError:
        raise refuse(f"file not found (expected {kind})") from None
    except IsADirectoryError:
        raise refuse(f"is a folder (expected {kind})") from None
    except NotRegularFile:
        raise refuse(f"is not a regular file (expected {kind})") from None
    except TooLarge as exc:
        got = "more" if exc.size is None else str(exc.size)
        raise refuse(f"file is too large (expected at most {limit} bytes, got {got})") from None
    except OSError as exc:
        raise refuse(f"cannot be read ({exc.strerror}; expected {kind})") from None


class NotRegularFile(OSError):
    """The path is a named pipe, a device or a socket: reading it could wait or never end."""


class TooLarge(OSError):
    """The file holds more bytes than the reader accepts (``size`` when known)."""

    def __init__(self, size: int | None) -> None:
        super().__init__(errno.EFBIG, "file is too large")
        self.size = size


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def _check_regular(status: os.stat_result) -> None:
    if stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder")
    if not stat.S_ISREG(status.st_mode):
        kind = _kind_of(status.st_mode)
        raise NotRegularFile(errno.EINVAL, f"it is {kind}, not a regular file")


def read_regular(path: Path, limit: int, *, follow: bool = True) -> bytes:
    """Return the bytes of a regular file of at most ``limit`` bytes; raise OSError otherwise.

    Every file leaflet reads goes through here. A named pipe would wait forever
    for a writer and a device such as /dev/zero never ends, so the path is
    checked before it is opened (opening some devices has effects) and the open
    file again (it may have been swapped in between); it is opened without
    waiting (``O_NONBLOCK``, which changes nothing for a regular file). With
    ``follow=False`` a symbolic link is refused (ELOOP) rather than followed.
    Raises FileNotFoundError, IsADirectoryError, :class:`NotRegularFile`,
    :class:`TooLarge`, or the OSError the system gave.
    """
    raw, size = _read_start(path, limit, follow)
    if size > limit:
        raise TooLarge(size)
    if len(raw) > limit:  # it grew while we looked
        raise TooLarge(None)
    return raw


def _read_start(path: Path, limit: int, follow: bool) -> tuple[bytes, int]:
    """Return at most ``limit + 1`` bytes of a regular file, and its size."""
    _check_regular(os.stat(path, follow_symlinks=follow))
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
    if not follow:
        flags |= os.O_NOFOLLOW
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(fd)
        _check_regular(status)
        return handle.read(limit + 1), status.st_size


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


#: Largest manifest read back: a manifest lists a few hundred documents in a few
#: hundred kilobytes; anything far larger is not one leaflet wrote.
MAX_MANIFEST_BYTES = 32 * 1024 * 1024
#: Largest file read whole as a project file or an output (a font, a booklet).
MAX_PROJECT_FILE_BYTES = 256 * 1024 * 1024


def load_manifest(path: Path) -> tuple[Any, str | None]:
    """Return a previous build's manifest data, or why it cannot be used.

    ``(data, None)`` for a manifest read as JSON (its structure is checked by
    :mod:`leaflet.publish.manifest`), ``(None, None)`` when there is none, and
    ``(None, reason)`` when it is there but unusable. It is read like any other
    input (a regular file, of bounded size; a symbolic link is not followed, as
    nothing in the output folder is). A damaged manifest is not a user error: it
    only means the next build cannot keep entries from earlier runs.
    """
    try:
        raw = read_regular(path, MAX_MANIFEST_BYTES, follow=False)
    except FileNotFoundError:
        return None, None
    except TooLarge:
        return None, f"larger than any manifest leaflet writes (over {MAX_MANIFEST_BYTES} bytes)"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "it is a symbolic link, not a regular file"
        return None, exc.strerror or str(exc)
    try:
        return json.loads(raw.decode("utf-8")), None
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    except ValueError as exc:
        return None, f"not valid JSON: {exc}"
    except RecursionError:
        return None, "not valid JSON: nested too deeply"


def tree_digest(paths: list[Path]) -> str:
    """Return one SHA-256 over several files' names and bytes (a missing file counts too).

    A file that cannot be read as a regular file (missing, a pipe, a device,
    too large) counts as missing, so the digest changes and nothing hangs.
    """
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode("utf-8") + b"\0")
        try:
            digest.update(read_regular(path, MAX_PROJECT_FILE_BYTES))
        except OSError:
            digest.update(b"\0missing")
        digest.update(b"\0")
    return digest.hexdigest()


def read_output(path: Path) -> bytes:
    """Read back a document an earlier build wrote (for a booklet); raise OSError if not.

    Only a regular file of bounded size: the output folder is not trusted to
    hold only what leaflet put there.
    """
    return read_regular(path, MAX_PROJECT_FILE_BYTES)


def file_digest(path: Path) -> str | None:
    """Return the SHA-256 of a regular file's bytes, or None when it cannot be read as one."""
    try:
        return hashlib.sha256(read_regular(path, MAX_PROJECT_FILE_BYTES)).hexdigest()
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
    """Read a logo image (the settings' logo); raise OSError if it cannot be read.

    A folder raises IsADirectoryError; a named pipe or a device raises
    :class:`NotRegularFile` (whose ``strerror`` says which) instead of hanging or
    reading forever. At most ``MAX_LOGO_BYTES + 1`` bytes are read: the caller
    refuses a longer file as too large.
    """
    return _read_start(path, MAX_LOGO_BYTES, True)[0]


def read_text(path: Path) -> str:
    """Read a UTF-8 text file the project owns (a template or the POT); OSError if unreadable."""
    return read_regular(path, MAX_PROJECT_FILE_BYTES).decode("utf-8")


def load_font_cmap(path: Path) -> set[int]:
    """Return the code points a font file has glyphs for (first face of a collection)."""
    from fontTools.ttLib import TTFont

    data = io.BytesIO(read_regular(path, MAX_PROJECT_FILE_BYTES))
    with TTFont(data, lazy=True, fontNumber=0) as font:
        # Only code points are wanted: numbered glyph names spare fontTools reading
        # the real ones (for the CJK fonts, a CFF charset of 65,535 glyphs; half the time).
        count = font["maxp"].numGlyphs
        font.setGlyphOrder([".notdef", *(f"glyph{index}" for index in range(1, count))])
        cmap = font.getBestCmap() or {}
        return set(cmap)
