"""Read a rendered PDF back: page count, language, title, tags and each page's text.

Two independent readers fill the same :class:`PdfFacts`:

* :func:`read_facts` — PDFium (pypdfium2), the build's preflight reader. It is
  compiled code and reads a document in about 10 ms, where pypdf takes about
  150 ms: on a full build that was a quarter of all the time spent.
* :func:`read_facts_pypdf` — pypdf, a pure-Python reader written by other
  people from the same specification. The test suite reads every built document
  with it too, so a bug in one extractor cannot hide a missing warning.

For right-to-left documents the build takes the page texts from pypdf too
(see :func:`read_facts`). Otherwise the two differ only in how a hyphen that
ends a line is reported, which :func:`normalise` absorbs; it also makes source
text comparable with what was extracted.
"""

from __future__ import annotations

import ctypes
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["PdfFacts", "normalise", "read_facts", "read_facts_pypdf"]

_LINE_END_HYPHEN = re.compile(r"[\u2010\u00ad]\s*\n\s*")
# A line that breaks after a real hyphen ("vous-" / "même") keeps the hyphen.
_LINE_END_REAL_HYPHEN = re.compile(r"(?<=\w-)[^\S\n]*\n\s*(?=\w)")
# PDFium reports a hyphen-minus that ends a line as U+FFFE and drops the line break.
_PDFIUM_LINE_END_HYPHEN = "\ufffe"
_BIDI_CONTROLS = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
# Chinese has no spaces: a line break between two CJK characters, or between one and
# the punctuation NFKC turned into ASCII ("；" is ";"), is not a word gap.
_CJK_PUNCT = ";:,.!?()"
_HAN_GAP = re.compile(
    rf"(?<=[{_CJK}])\s+(?=[{_CJK}{re.escape(_CJK_PUNCT)}])"
    rf"|(?<=[{re.escape(_CJK_PUNCT)}])\s+(?=[{_CJK}])"
)
_SPACES = re.compile(r"\s+")


_AFTER_SLASH = re.compile(r"/ +")


def normalise(text: str) -> str:
    """Normalise extracted or source text so the two can be compared.

    NFKC (folds no-break and narrow spaces and ligatures); joins words split by
    automatic hyphenation (U+2010 or a soft hyphen at a line end) and compounds
    broken after their own hyphen ("vous-" / "même" is "vous-même", also as
    PDFium reports it, with U+FFFE for the hyphen and no line break); drops bidi
    controls; collapses whitespace; removes spaces between Han characters and
    after a slash (a line may break after "/" in "5 mg/5 mL", and the extractor
    reports the break as a space). Typographic quotes become plain ones.
    """
    text = unicodedata.normalize("NFKC", text).replace(_PDFIUM_LINE_END_HYPHEN, "-")
    text = _LINE_END_HYPHEN.sub("", text)
    text = _LINE_END_REAL_HYPHEN.sub("", text)
    text = _BIDI_CONTROLS.sub("", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    text = _SPACES.sub(" ", text).strip()
    text = _AFTER_SLASH.sub("/", text)
    return _HAN_GAP.sub("", text)


@dataclass(frozen=True)
class PdfFacts:
    """What preflight reads from a PDF."""

    pages: int
    lang: str | None
    title: str | None
    page_texts: tuple[str, ...]
    #: Structure elements in reading order, with alternative text where given:
    #: ("/H1", None), ("/Figure", "QR code …") …; empty for an untagged PDF.
    structure: tuple[tuple[str, str | None], ...] = ()
    marked: bool = False
    #: /ViewerPreferences /DisplayDocTitle; None where the reader cannot see it
    #: (PDFium has no call for it: the tests check it in every built PDF with pypdf).
    shows_title: bool | None = False

    @property
    def text(self) -> str:
        """All pages' text, normalised."""
        return normalise(" ".join(self.page_texts))


def read_facts(data: bytes, *, rtl: bool = False) -> PdfFacts:
    """Read page count, language, title, structure and page texts with PDFium.

    For a right-to-left document (``rtl``) the page texts come from pypdf:
    PDFium reads the lam-alef ligature back as alef-lam and splits a word where
    a vowel mark sits at a line's edge, while pypdf keeps Arabic words whole,
    which the token comparison for right-to-left text relies on.
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(data)
    try:
        texts: list[str] = []
        structure: list[tuple[str, str | None]] = []
        for index in range(len(document)):
            page = document[index]
            if not rtl:
                textpage = page.get_textpage()
                texts.append(textpage.get_text_range())
                textpage.close()
            # PDFium gives each page the part of the structure tree with content on
            # it; in page order that is the document's reading order.
            tree = raw.FPDF_StructTree_GetForPage(page.raw)
            if tree:
                for child in range(raw.FPDF_StructTree_CountChildren(tree)):
                    element = raw.FPDF_StructTree_GetChildAtIndex(tree, child)
                    if element:
                        structure.extend(_pdfium_elements(element))
                raw.FPDF_StructTree_Close(tree)
            page.close()
        lang = _wide_string(raw.FPDFCatalog_GetLanguage, document.raw)
        title = document.get_metadata_value("Title")
        if rtl:
            texts = list(_pypdf_page_texts(data))
        return PdfFacts(
            pages=len(document),
            lang=lang or None,
            title=title or None,
            page_texts=tuple(texts),
            structure=tuple(structure),
            marked=bool(raw.FPDFCatalog_IsTagged(document.raw)),
            shows_title=None,
        )
    finally:
        document.close()


def _wide_string(function: Callable[..., int], *args: Any) -> str:
    """Call a PDFium getter that fills a UTF-16LE buffer; return its text."""
    size = function(*args, None, 0)
    if size <= 2:  # just the terminating NUL
        return ""
    buffer = ctypes.create_string_buffer(size)
    pointer_type = function.argtypes[len(args)]  # type: ignore[attr-defined]
    function(*args, ctypes.cast(buffer, pointer_type), size)
    return buffer.raw[: size - 2].decode("utf-16-le")


def _pdfium_elements(element: Any) -> Iterator[tuple[str, str | None]]:
    """Walk a PDFium structure element depth first: its type and alternative text."""
    import pypdfium2.raw as raw

    kind = _wide_string(raw.FPDF_StructElement_GetType, element)
    alt = _wide_string(raw.FPDF_StructElement_GetAltText, element)
    yield f"/{kind}", (alt or None)
    for index in range(raw.FPDF_StructElement_CountChildren(element)):
        child = raw.FPDF_StructElement_GetChildAtIndex(element, index)
        if child:
            yield from _pdfium_elements(child)


def _pypdf_page_texts(data: bytes) -> Iterator[str]:
    from pypdf import PdfReader

    for page in PdfReader(io.BytesIO(data)).pages:
        yield page.extract_text()


def read_facts_pypdf(data: bytes) -> PdfFacts:
    """Read the same facts with pypdf: the independent second reader."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    root = reader.root_object
    lang = root.get("/Lang")
    title = reader.metadata.title if reader.metadata else None
    texts = tuple(page.extract_text() for page in reader.pages)
    mark_info = _resolve(root.get("/MarkInfo")) or {}
    preferences = _resolve(root.get("/ViewerPreferences")) or {}
    tree = _resolve(root.get("/StructTreeRoot"))
    return PdfFacts(
        pages=len(reader.pages),
        lang=str(lang) if lang is not None else None,
        title=str(title) if title else None,
        page_texts=texts,
        structure=tuple(_pypdf_elements(tree)) if tree is not None else (),
        marked=bool(mark_info.get("/Marked", False)),
        shows_title=bool(preferences.get("/DisplayDocTitle", False)),
    )


def _resolve(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


def _pypdf_elements(node: Any) -> Iterator[tuple[str, str | None]]:
    """Walk a pypdf structure tree depth first: each element's type and alternative text."""
    kids = _resolve(node.get("/K")) if hasattr(node, "get") else None
    if kids is None:
        return
    for kid in kids if isinstance(kids, list) else [kids]:
        element = _resolve(kid)
        if hasattr(element, "get") and "/S" in element:
            alt = element.get("/Alt")
            yield str(element["/S"]), (str(alt) if alt is not None else None)
            yield from _pypdf_elements(element)
