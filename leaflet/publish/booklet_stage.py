"""The booklet stage of a build: bind each language's documents, per paper, into one PDF.

Part of :mod:`leaflet.publish.build` (its ``_Build`` inherits :class:`BookletStage`),
kept apart so that the orchestration module stays short. A booklet binds the
documents the manifest lists; those not rendered in this run are read back
from the output folder, and are bound only if they still have exactly the
bytes the manifest lists. A document that changed or cannot be read is taken
off the manifest (the next build renders it again) and the booklet is not
bound, with one problem saying so: never a traceback, and never a booklet
bound from bytes nobody checked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..record.errors import Problem
from ..record.model import Audience, DrugRecord
from ..record.reading import display_path, read_output
from ..render.context import Paper
from ..translation.catalog_checks import Translator
from ..translation.catalog_loader import LoadedCatalog
from ..translation.languages import own_name
from .booklet import BookletPart, make_booklet
from .build_report import BuildEvent, BuildReport, booklet_name, output_name
from .document import DOCUMENT_TITLES
from .fingerprint import Fingerprinter
from .manifest import Manifest
from .writer import OutputWriter

if TYPE_CHECKING:
    from pathlib import Path

    from .build import BuildOptions

__all__ = ["BookletStage"]


class BookletStage:
    """Binds booklets for a build; the build provides the attributes below."""

    options: BuildOptions
    langs: list[str]
    loaded: list[tuple[Path, DrugRecord]]
    catalogs: dict[str, LoadedCatalog]
    manifest: Manifest
    writer: OutputWriter
    produced: dict[str, bytes]
    fingerprints: Fingerprinter
    report: BuildReport
    emit: Callable[[BuildEvent], None]

    def _booklets(self) -> None:
        """Bind each language's documents, per paper, into one booklet."""
        for lang in self.langs:
            ui = Translator(lang, self.catalogs.get(lang))
            for paper in self.options.papers:
                members = []
                for _, record in self.loaded:
                    for audience in self.options.audiences:
                        path = output_name(record.drug.id, audience, lang, paper)
                        if self.manifest.intact(path):
                            members.append((record, audience, path))
                if members:
                    self._booklet(lang, paper, members, ui)

    def _booklet(
        self,
        lang: str,
        paper: Paper,
        members: list[tuple[DrugRecord, Audience, str]],
        ui: Translator,
    ) -> None:
        name = booklet_name(lang, paper)
        listed = [(path, self.manifest.documents[path]["sha256"]) for _, _, path in members]
        digest = hashlib.sha256(repr([self.fingerprints.generator, listed]).encode())
        fingerprint = digest.hexdigest()
        entry = self.manifest.booklets.get(name)
        if (
            not self.options.force
            and entry is not None
            and entry.get("fingerprint") == fingerprint
            and self.manifest.intact(name, booklet=True)
        ):
            return
        parts = []
        for record, audience, path in members:
            data = self.produced.get(path) or self._read_back(name, path)
            if data is None:
                return
            drug_title = ui(f"{record.drug.id}:drug.name", record.drug.name)
            parts.append(BookletPart(drug_title, ui(*DOCUMENT_TITLES[audience]), data))
        title = f"{', '.join(dict.fromkeys(p.drug_title for p in parts))} · {own_name(lang)}"
        data, pages = make_booklet(parts, lang.replace("_", "-"), title)
        new_entry: dict[str, Any] = {
            "lang": lang,
            "paper": paper,
            "path": name,
            "pages": pages,
            "sha256": hashlib.sha256(data).hexdigest(),
            "documents": [path for _, _, path in members],
            "fingerprint": fingerprint,
        }
        self.manifest.replace(
            name, new_entry, lambda: self.writer.write_bytes(name, data), booklet=True
        )
        self.report.booklets.append(name)
        self.emit(BuildEvent("written", display_path(self.options.out_dir / name), pages=pages))

    def _read_back(self, booklet: str, path: str) -> bytes | None:
        """A listed document's bytes from the folder, if they are still the listed ones."""
        target = self.writer.target(path)
        try:
            data = read_output(target)
        except OSError as exc:
            reason = exc.strerror or str(exc)
        else:
            if hashlib.sha256(data).hexdigest() == self.manifest.documents[path]["sha256"]:
                return data
            reason = "its bytes are not the ones manifest.json lists"
        self.manifest.documents.pop(path, None)
        self.manifest.save()
        self.report.problems.append(
            Problem(
                display_path(self.options.out_dir / booklet),
                None,
                "",
                f"not bound: {path} changed while the build ran ({reason}; expected the "
                "document the build wrote). To fix: run the build again, which renders it anew",
            )
        )
        return None
