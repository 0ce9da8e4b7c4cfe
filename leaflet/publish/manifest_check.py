"""Check a previous build's manifest before trusting it: its form, and the files it lists.

``manifest.json`` is read back at the start of every build, to tell which
documents are unchanged. Anything may have happened to it since it was written
— a crash of another tool, a hand edit, a PDF replaced by other bytes — so
nothing in it is used until it has been checked, entry by entry:

* its form: every field leaflet writes, with the type leaflet writes, and a
  path that is the one leaflet's layout gives that document or booklet;
* its files: a regular file inside the output folder whose SHA-256 is the one
  listed and, for a PDF, whose page count is the one listed.

What fails is dropped, and the caller says so once and rewrites the manifest.
A manifest that is not leaflet's at all (another program's ``manifest.json``)
is told apart, so that it is never overwritten.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from ..record.reading import read_regular
from ..render.presentation import Presentation
from .build_report import booklet_name, output_name
from .writer import OutputWriter

__all__ = ["CheckedManifest", "check_manifest", "is_foreign"]

_Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
_Pages = Annotated[int, Field(ge=1)]
_STRICT = ConfigDict(strict=True, extra="forbid")


class _Document(TypedDict):
    __pydantic_config__ = _STRICT  # type: ignore[misc]

    drug: str
    audience: Literal["patient", "clinician", "taper"]
    lang: str
    paper: Literal["a4", "letter"]
    path: str
    pages: _Pages
    sha256: _Sha256
    revision: int
    review: str
    edition: Literal["standard", "large-print"]
    format: Literal["pdf", "html"]
    fingerprint: str


class _Booklet(TypedDict):
    __pydantic_config__ = _STRICT  # type: ignore[misc]

    lang: str
    paper: Literal["a4", "letter"]
    path: str
    pages: _Pages
    sha256: _Sha256
    documents: list[str]
    fingerprint: str


_DOCUMENT = TypeAdapter(_Document)
_BOOKLET = TypeAdapter(_Booklet)
_USES = TypeAdapter(list[str], config=ConfigDict(strict=True))


class _Generator(TypedDict):
    __pydantic_config__ = _STRICT  # type: ignore[misc]

    name: Literal["leaflet"]
    version: str


_GENERATOR = TypeAdapter(_Generator)

#: The keys of a manifest leaflet writes.
_KEYS = {"generator", "documents", "booklets", "uses"}
#: Largest listed file checked (a booklet of every drug is a few megabytes).
_MAX_LISTED_BYTES = 512 * 1024 * 1024


@dataclass
class CheckedManifest:
    """The entries of a manifest that passed every check, and what was dropped."""

    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    booklets: dict[str, dict[str, Any]] = field(default_factory=dict)
    uses: dict[str, list[str]] = field(default_factory=dict)
    #: Entries not in the form leaflet writes (wrong types, a path not its own, twice).
    malformed: int = 0
    #: Entries whose file is missing, is not a regular file, or has other bytes.
    changed: int = 0
    #: Parts of the manifest itself not in leaflet's form: "no uses table", …
    parts: list[str] = field(default_factory=list)

    def dropped(self) -> str | None:
        """What was dropped, in words for the build's notice, or None."""
        said = list(self.parts)
        if self.malformed:
            said.append(f"{_entries(self.malformed)} not in the form leaflet writes")
        if self.changed:
            said.append(f"{_entries(self.changed)} whose file is missing or not the one listed")
        return "; ".join(said) or None


def _entries(count: int) -> str:
    return f"{count} entr{'y' if count == 1 else 'ies'}"


def is_foreign(data: Any) -> bool:
    """True for a JSON object another program wrote: no key of leaflet's, or another generator."""
    if not isinstance(data, dict) or not data:
        return False
    generator = data.get("generator")
    if isinstance(generator, dict) and isinstance(generator.get("name"), str):
        return bool(generator["name"] != "leaflet")
    return not (_KEYS & set(data))


def check_manifest(data: dict[str, Any], writer: OutputWriter) -> CheckedManifest:
    """Keep the entries of ``data`` that are in leaflet's form and whose files are intact."""
    checked = CheckedManifest()
    checked.parts += [f"unknown key {key!r}" for key in sorted(set(data) - _KEYS)]
    try:
        _GENERATOR.validate_python(data.get("generator"))
    except ValidationError:
        checked.parts.append("no generator naming leaflet and its version")
    for key, adapter, target, layout in (
        ("documents", _DOCUMENT, checked.documents, _document_path),
        ("booklets", _BOOKLET, checked.booklets, _booklet_path),
    ):
        raw = data.get(key)
        if not isinstance(raw, list):
            checked.parts.append(f"no {key} list")
            continue
        twice = set()
        for item in raw:
            try:
                entry = dict(adapter.validate_python(item))
            except ValidationError:
                checked.malformed += 1
                continue
            path = entry["path"]
            if path != layout(entry) or path in twice:
                checked.malformed += 1
            elif path in target:
                # Listed twice: neither copy can be trusted more than the other.
                checked.malformed += 2
                twice.add(path)
                del target[path]
            elif _intact(writer, entry):
                target[path] = entry
            else:
                checked.changed += 1
    uses = data.get("uses")
    if not isinstance(uses, dict):
        checked.parts.append("no uses table")
        uses = {}
    for key, used in uses.items():
        try:
            checked.uses[key] = _USES.validate_python(used)
        except ValidationError:
            checked.malformed += 1
    return checked


def _document_path(entry: dict[str, Any]) -> str:
    shown = Presentation(
        large_print=entry["edition"] == "large-print", html=entry["format"] == "html"
    )
    return output_name(entry["drug"], entry["audience"], entry["lang"], entry["paper"], shown)


def _booklet_path(entry: dict[str, Any]) -> str:
    return booklet_name(entry["lang"], entry["paper"])


def _intact(writer: OutputWriter, entry: dict[str, Any]) -> bool:
    """True when the listed file has exactly the listed bytes (and, for a PDF, pages)."""
    try:
        data = read_regular(writer.target(entry["path"]), _MAX_LISTED_BYTES)
    except (OSError, ValueError):  # ValueError: a path leading out of the folder
        return False
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        return False
    if entry.get("format", "pdf") != "pdf":
        return True
    return _page_count(data) == int(entry["pages"])


def _page_count(data: bytes) -> int | None:
    """The number of pages PDFium reads in ``data``, or None when it is not a PDF."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        return len(document)
    finally:
        document.close()
