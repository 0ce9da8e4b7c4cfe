"""Bind a language's documents into one print-ready booklet PDF, with bookmarks.

Every document starts on a right-hand (odd) page, so the booklet can be printed
double-sided and still be split into handouts; a blank page is added where
needed. Each document gets a bookmark, under its drug. The booklet carries the
language (``/Lang``) and a title, like every document.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import IndirectObject, NameObject, TextStringObject

__all__ = ["BookletPart", "make_booklet"]


@dataclass(frozen=True)
class BookletPart:
    """One document in a booklet: its PDF and the bookmark titles it goes under."""

    drug_title: str
    title: str
    data: bytes


def make_booklet(parts: list[BookletPart], lang: str, title: str) -> tuple[bytes, int]:
    """Return the booklet's PDF bytes and page count."""
    writer = PdfWriter()
    drug_marks: dict[str, IndirectObject] = {}
    for part in parts:
        if len(writer.pages) % 2:
            first = writer.pages[0]
            writer.add_blank_page(width=first.mediabox.width, height=first.mediabox.height)
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(part.data)), import_outline=False)
        parent = drug_marks.get(part.drug_title)
        if parent is None:
            parent = drug_marks[part.drug_title] = writer.add_outline_item(
                title=part.drug_title, page_number=start
            )
        writer.add_outline_item(title=part.title, page_number=start, parent=parent)
    writer.add_metadata({"/Title": title})
    writer._root_object[NameObject("/Lang")] = TextStringObject(lang)
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)
