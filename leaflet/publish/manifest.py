"""The build manifest: what is in the output folder, with fingerprints and booklets.

``out/manifest.json`` lists every published document (drug, audience, language,
paper, edition, format, path, pages, SHA-256, record revision, review status,
fingerprint), every booklet, and, per drug and audience, the catalog entries the
document uses — so the next build can tell what changed.

It is kept true at every moment, so that a build killed at any point leaves a
manifest that matches the files: a file about to be replaced is first taken
off the list, and listed again only once its new bytes are in place. Every
change is written atomically.

It is checked when it is read (:mod:`leaflet.publish.manifest_check`): an entry not in
the form leaflet writes, or whose file is gone or has other bytes, is dropped,
and a manifest that cannot be read at all (damaged JSON, a named pipe, a link
to a device) is dropped whole. Either way the build says so in one line,
renders what is no longer listed, and rewrites the manifest: never a
traceback, never a folder that fails until ``--force``. Another program's
``manifest.json`` is refused rather than overwritten.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import __version__
from ..record.errors import Problem
from ..record.reading import file_digest, load_manifest
from .manifest_check import check_manifest, is_foreign
from .writer import OutputWriter, WriteError

__all__ = ["MANIFEST_NAME", "Manifest"]

MANIFEST_NAME = "manifest.json"

log = logging.getLogger("leaflet")


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
        """Read the folder's manifest, keeping only what passes every check; say what not.

        Raises WriteError for another program's ``manifest.json``, or a folder or a
        symbolic link leading out of the output folder in its place.
        """
        path = writer.out_dir / MANIFEST_NAME
        writer.inside(MANIFEST_NAME)  # a link leading out is refused before anything is built
        if path.is_dir() and not path.is_symlink():  # a file cannot be renamed over a folder
            raise WriteError(
                [
                    Problem(
                        str(path),
                        None,
                        "",
                        "is a folder (expected the manifest file leaflet writes there; move the "
                        "folder away, or choose another --out)",
                    )
                ]
            )
        data, unreadable = load_manifest(path)
        manifest = cls(writer, existed=data is not None or unreadable is not None)
        if unreadable is None and data is not None and not isinstance(data, dict):
            unreadable = "not a JSON object"
        if unreadable is not None:
            log.warning(
                "%s: damaged (%s), so it is dropped; every document is built again and the "
                "manifest rewritten",
                path,
                unreadable,
            )
            return manifest
        if data is None:
            return manifest
        if is_foreign(data):
            raise WriteError(
                [
                    Problem(
                        str(path),
                        None,
                        "",
                        "not a leaflet manifest (expected the manifest.json leaflet writes, got "
                        "a JSON file another program wrote; move it away, or choose another --out)",
                    )
                ]
            )
        checked = check_manifest(data, writer)
        manifest.documents, manifest.booklets = checked.documents, checked.booklets
        manifest.uses = checked.uses
        dropped = checked.dropped()
        if dropped:
            log.warning(
                "%s: dropped what is damaged (%s); what it no longer lists is built again and "
                "the manifest rewritten",
                path,
                dropped,
            )
        return manifest

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
