"""Write outputs atomically into the output folder, and nowhere else.

Every file is written to a temporary file in the same folder, flushed to disk,
then renamed over the target, so a reader sees either the previous complete
file or the new complete file, never a partial one. A path that would escape
the output folder, or a second write to the same path in one run, is a bug in
the caller and raises ValueError.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["TEMP_PREFIX", "OutputWriter"]

#: Temporary files start with this, so a later run can recognise leftovers.
TEMP_PREFIX = ".leaflet-tmp-"


class OutputWriter:
    """Writes files under one output folder, each at most once per run."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir.resolve()
        self._written: set[Path] = set()

    def target(self, relative: str) -> Path:
        """Return the absolute path for ``relative``, refusing paths outside the folder."""
        path = (self.out_dir / relative).resolve()
        if not path.is_relative_to(self.out_dir) or path == self.out_dir:
            raise ValueError(f"output path {relative!r} escapes the output folder")
        return path

    def write_bytes(self, relative: str, data: bytes) -> Path:
        """Atomically write ``data`` to ``relative`` inside the output folder."""
        path = self.target(relative)
        if path in self._written:
            raise ValueError(f"output {relative!r} was already written in this run")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp_name, 0o644)
            os.replace(temp_name, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_name)
            raise
        self._written.add(path)
        return path

    def write_json(self, relative: str, data: Any) -> Path:
        """Atomically write ``data`` as stable, indented JSON."""
        text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        return self.write_bytes(relative, text.encode("utf-8"))
