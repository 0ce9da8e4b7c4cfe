"""Show a build's progress: a live status line on a terminal, plain lines elsewhere.

Part of the CLI layer: :func:`leaflet.publish.build.build` reports :class:`BuildEvent`
objects and this display prints them. On a terminal (and not under CI, and not
``TERM=dumb``) one status line is redrawn in place — documents done out of the
total, elapsed time, an estimate of the time left, and what is being rendered —
with a line above it for each document written or failed. In a pipe, a log
file, CI or a dumb terminal, each written document is one plain line and
nothing is redrawn. ``--quiet`` prints nothing but problems. The build ends
with one summary line (:func:`summary_line`).

The status line is cut to the terminal's width (with "…"), measured again at
every redraw: a line that wrapped could not be erased by ``\\r`` and would stay
on screen as stale fragments. The display uses no colour, so ``NO_COLOR`` has
nothing to turn off; any colour added must honour it.

Why not ``rich``: it would be a new dependency for one redrawn line; its live
display moves the cursor over several lines, which is what leaves fragments in
a terminal that is resized or too narrow; and what this needs — a width, a cut,
``\\r`` and an erase — fits in a few tested lines on :func:`shutil.get_terminal_size`.
"""

from __future__ import annotations

import os
import shutil
import time
import unicodedata
from typing import TextIO

from ..publish.build import BuildEvent, BuildOptions, BuildReport
from .output import ERASE_LINE, live_output

__all__ = [
    "ERASE_LINE",
    "Progress",
    "fit",
    "live_output",
    "summary_line",
    "terminal_width",
]


def terminal_width(stream: TextIO) -> int:
    """The columns of the terminal ``stream`` writes to; ``COLUMNS`` wins, as in shutil."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    # shutil asks standard output, which may be a pipe while standard error is the terminal.
    try:
        size = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        size = 0
    return size or shutil.get_terminal_size().columns


def _cells(char: str) -> int:
    """Columns a character takes on a terminal: 0 for a combining mark, 2 for a wide one."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def fit(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` terminal columns, ending in "…" when cut."""
    if sum(_cells(c) for c in text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        if used + _cells(char) > width - 1:
            break
        kept.append(char)
        used += _cells(char)
    return "".join(kept) + "…" if width > 0 else ""


class Progress:
    """Prints build events as they come, and counts them for the summary."""

    def __init__(self, stream: TextIO, *, live: bool, quiet: bool) -> None:
        self.stream = stream
        self.live = live and not quiet
        self.quiet = quiet
        self.total = 0
        self.done = 0
        self.written = 0
        self.failed = 0
        self.unchanged = 0
        self.current = ""
        self.started = time.monotonic()

    def __call__(self, event: BuildEvent) -> None:
        """Handle one event from the build."""
        if event.kind == "planned":
            self.total = event.total
            self.started = time.monotonic()
        elif event.kind == "unchanged":
            self.unchanged += 1
        elif event.kind == "started":
            self.current = event.name
        elif event.kind == "written":
            self.done += 1
            self.written += 1
            pages = f" ({event.pages} page{'' if event.pages == 1 else 's'})" if event.pages else ""
            self._line(f"wrote {event.name}{pages}")
        elif event.kind == "failed":
            self.done += 1
            self.failed += 1
            self._line(f"not written: {event.name}")
        if self.live:
            self._status()

    def finish(self) -> None:
        """Clear the status line, leaving the cursor at the start of an empty line."""
        if self.live:
            self.stream.write(ERASE_LINE)
            self.stream.flush()

    def _line(self, text: str) -> None:
        if self.quiet:
            return
        # A permanent line may wrap: it is never redrawn, so it leaves nothing stale.
        prefix = ERASE_LINE if self.live else ""
        self.stream.write(f"{prefix}{text}\n")
        self.stream.flush()

    def _status(self) -> None:
        elapsed = time.monotonic() - self.started
        left = ""
        if self.done and self.total > self.done:
            left = f", about {elapsed / self.done * (self.total - self.done):.0f} s left"
        doing = f" · {self.current}" if self.done < self.total and self.current else ""
        width = max(self.total, 1)
        status = f"[{self.done:>{len(str(width))}}/{width}] {elapsed:.1f} s{left}{doing}"
        # One column spare: a line filling the last column makes some terminals wrap.
        self.stream.write(ERASE_LINE + fit(status, terminal_width(self.stream) - 1))
        self.stream.flush()


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def summary_line(progress: Progress, report: BuildReport, options: BuildOptions) -> str:
    """The build's one closing line: every requested document, by what became of it.

    Failed counts each planned document that was not written, whether preflight
    refused it or the build stopped before reaching it.
    """
    untranslated = report.skipped.get("untranslated", 0)
    not_applicable = report.skipped.get("not applicable", 0)
    skipped = untranslated + not_applicable
    failed = max(progress.failed, progress.total - progress.written)
    total = progress.written + progress.unchanged + skipped + failed
    return (
        f"{_count(total, 'document')}: {progress.written} written, {progress.unchanged} "
        f"unchanged, {skipped} skipped ({untranslated} untranslated, {not_applicable} not "
        f"applicable), {failed} failed, in {report.seconds:.1f} s. Output: {options.out_dir}"
    )
