"""The build manifest: what is in the output folder, with fingerprints and booklets.

``out/manifest.json`` lists every published document (drug, audience, language,
paper, edition, format, path, pages, SHA-256, record revision, review status,
fingerprint), every booklet, and, per drug and audience, the catalog entries the
document uses — so the next build can tell what changed.

It is kept true at every moment, so that a build killed at any point leaves a
manifest that matches the files: an entry whose file is gone or altered is
dropped when the manifest is read; a file about to be replaced is first taken
off the list, and listed again only once its new bytes are in place. Every
change is written atomically.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import __version__
from .loader import file_digest, load_manifest
from .writer import OutputWriter, WriteError

__all__ = ["MANIFEST_NAME", "Manifest"]

MANIFEST_NAME = "manifest.json"


@dataclass
class Manifest:
    """The files an output folder holds, kept in step with them as a build writes."""

    writer: OutputWriter
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    booklets: dict[str, dict[str, Any]] = field(default_factory=dict)
    uses: dict[str, list[str]] = field(default_factory=dict)
    existed: bool = False

    @classmethod
    def read(cls, writer: OutputWriter) -> Manifest:
        """Read the folder's manifest, keeping only entries whose files are intact."""
        data = load_manifest(writer.out_dir / MANIFEST_NAME) or {}
        manifest = cls(writer, existed=bool(data))
        manifest.documents = manifest._intact(data.get("documents"))
        manifest.booklets = manifest._intact(data.get("booklets"))
        uses = data.get("uses")
        if isinstance(uses, dict):
            manifest.uses = {k: list(v) for k, v in uses.items() if isinstance(v, list)}
        return manifest

    def _intact(self, raw: Any) -> dict[str, dict[str, Any]]:
        if not isinstance(raw, list):
            return {}
        entries = {}
        for entry in raw:
            if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
                continue
            try:
                path = self.writer.target(entry["path"])
            except ValueError:  # an entry pointing outside the folder is dropped
                continue
            if file_digest(path) == entry.get("sha256"):
                entries[entry["path"]] = entry
        return entries

    def intact(self, relative: str, booklet: bool = False) -> bool:
        """True when ``relative`` is listed (and so its file has the listed bytes)."""
        return relative in (self.booklets if booklet else self.documents)

    def replace(
        self,
        relative: str,
        entry: dict[str, Any],
        write: Callable[[], object],
        *,
        booklet: bool = False,
        uses: tuple[str, list[str]] | None = None,
    ) -> None:
        """Replace a file and its entry without ever listing bytes that are not there."""
        entries = self.booklets if booklet else self.documents
        previous = entries.pop(relative, None)
        if previous is not None:
            self.save()
        try:
            write()
        except WriteError:
            # The old file is untouched (writes are atomic): list it again if it still
            # has its listed bytes, so a full disk costs no published document.
            if previous is not None and file_digest(self.writer.target(relative)) == previous.get(
                "sha256"
            ):
                entries[relative] = previous
                with contextlib.suppress(WriteError):
                    self.save()
            raise
        entries[relative] = entry
        if uses is not None:
            self.uses[uses[0]] = uses[1]
        self.save()

    def save(self) -> None:
        """Write the manifest as it stands (atomically)."""
        if not self.documents and not self.booklets and not self.existed:
            return
        self.existed = True
        self.writer.write_json(
            MANIFEST_NAME,
            {
                "generator": {"name": "leaflet", "version": __version__},
                "documents": [self.documents[key] for key in sorted(self.documents)],
                "booklets": [self.booklets[key] for key in sorted(self.booklets)],
                "uses": {key: self.uses[key] for key in sorted(self.uses)},
            },
            replace=True,
        )
