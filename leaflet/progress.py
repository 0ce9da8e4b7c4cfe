"""Show a build's progress: a live status line on a terminal, plain lines elsewhere.

Part of the CLI layer: :func:`leaflet.build.build` reports :class:`BuildEvent`
objects and this display prints them. On a terminal (and not under CI) one
status line is redrawn in place — documents done out of the total, elapsed time,
an estimate of the time left, and what is being rendered — with a line above it
for each document written or failed. In a pipe, a log file or CI, each written
document is one plain line. ``--quiet`` prints nothing but problems.
"""

from __future__ import annotations

import os
import time
from typing import TextIO

from .build import BuildEvent

__all__ = ["Progress", "live_output"]


def live_output(stream: TextIO) -> bool:
    """True when a status line may be redrawn: a terminal, and not a CI run."""
    return stream.isatty() and not os.environ.get("CI")


class Progress:
    """Prints build events as they come."""

    def __init__(self, stream: TextIO, *, live: bool, quiet: bool) -> None:
        self.stream = stream
        self.live = live and not quiet
        self.quiet = quiet
        self.total = 0
        self.done = 0
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
            pages = f" ({event.pages} page{'' if event.pages == 1 else 's'})" if event.pages else ""
            self._line(f"wrote {event.name}{pages}")
        elif event.kind == "failed":
            self.done += 1
            self._line(f"not written: {event.name}")
        if self.live:
            self._status()

    def finish(self) -> str:
        """Clear the status line; return the summary of what was done."""
        if self.live:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
        elapsed = time.monotonic() - self.started
        written = self.done
        parts = [f"{written} document{'s' if written != 1 else ''} rendered"]
        if self.unchanged:
            parts.append(f"{self.unchanged} unchanged")
        return f"{', '.join(parts)} in {elapsed:.1f} s."

    def _line(self, text: str) -> None:
        if self.quiet:
            return
        prefix = "\r\x1b[K" if self.live else ""
        self.stream.write(f"{prefix}{text}\n")
        self.stream.flush()

    def _status(self) -> None:
        elapsed = time.monotonic() - self.started
        left = ""
        if self.done and self.total > self.done:
            left = f", about {elapsed / self.done * (self.total - self.done):.0f} s left"
        doing = f" · {self.current}" if self.done < self.total and self.current else ""
        width = max(self.total, 1)
        self.stream.write(
            f"\r\x1b[K[{self.done:>{len(str(width))}}/{width}] {elapsed:.1f} s{left}{doing}"
        )
        self.stream.flush()
