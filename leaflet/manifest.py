"""The build manifest: what is in the output folder, with fingerprints and booklets.

``out/manifest.json`` lists every published document (drug, audience, language,
paper, path, pages, SHA-256, record revision, review status, fingerprint), every
booklet, and, per drug and audience, the catalog entries the document uses — so
the next build can tell what changed. It is written last and atomically; an
entry whose file is gone or altered on disk is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import __version__
from .loader import file_digest, load_manifest
from .writer import OutputWriter

__all__ = ["MANIFEST_NAME", "Manifest"]

MANIFEST_NAME = "manifest.json"


@dataclass
class Manifest:
    """The previous build's manifest, and this build's additions to it."""

    writer: OutputWriter
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    booklets: dict[str, dict[str, Any]] = field(default_factory=dict)
    uses: dict[str, list[str]] = field(default_factory=dict)
    existed: bool = False

    @classmethod
    def read(cls, writer: OutputWriter) -> Manifest:
        """Read the manifest in the writer's folder (an unreadable one counts as empty)."""
        data = load_manifest(writer.out_dir / MANIFEST_NAME) or {}
        manifest = cls(writer, existed=bool(data))
        manifest.documents = _entries(data.get("documents"))
        manifest.booklets = _entries(data.get("booklets"))
        uses = data.get("uses")
        if isinstance(uses, dict):
            manifest.uses = {k: list(v) for k, v in uses.items() if isinstance(v, list)}
        return manifest

    def intact(self, relative: str, entries: dict[str, dict[str, Any]] | None = None) -> bool:
        """True when ``relative`` is listed and its file on disk still has the listed bytes."""
        entry = (self.documents if entries is None else entries).get(relative)
        if entry is None:
            return False
        try:
            path = self.writer.target(relative)
        except ValueError:  # an entry pointing outside the folder is dropped
            return False
        return bool(file_digest(path) == entry.get("sha256"))

    def write(self) -> None:
        """Write the manifest: every document and booklet whose file is still intact."""
        documents = {p: e for p, e in self.documents.items() if self.intact(p)}
        booklets = {p: e for p, e in self.booklets.items() if self.intact(p, self.booklets)}
        if not documents and not booklets and not self.existed:
            return
        self.writer.write_json(
            MANIFEST_NAME,
            {
                "generator": {"name": "leaflet", "version": __version__},
                "documents": [documents[key] for key in sorted(documents)],
                "booklets": [booklets[key] for key in sorted(booklets)],
                "uses": {key: self.uses[key] for key in sorted(self.uses)},
            },
        )


def _entries(raw: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(raw, list):
        return {}
    return {
        entry["path"]: entry
        for entry in raw
        if isinstance(entry, dict) and isinstance(entry.get("path"), str)
    }
