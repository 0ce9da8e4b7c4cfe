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

PDFium also says where each character is inked: :func:`read_facts` lists every
word that reaches outside the page's printable area
(:class:`StrayText`), for preflight to refuse (see :func:`_stray_words`).
"""

from __future__ import annotations

import ctypes
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

__all__ = [
    "PRINTABLE_EDGE_MM",
    "PdfFacts",
    "StrayText",
    "normalise",
    "read_facts",
    "read_facts_pypdf",
]

_LINE_END_HYPHEN = re.compile(r"[\u2010\u00ad]\s*\n\s*")
# A line that breaks after a real hyphen ("vous-" / "même") keeps the hyphen.
_LINE_END_REAL_HYPHEN = re.compile(r"(?<=\w-)[^\S\n]*\n\s*(?=\w)")
# PDFium reports a hyphen-minus that ends a line as U+FFFE and drops the line break.
_PDFIUM_LINE_END_HYPHEN = "\ufffe"
# Characters that print nothing (Unicode's Default_Ignorable_Code_Point): soft
# hyphens, zero-width spaces and joiners, the word joiner, bidi marks, embeddings and
# isolates, variation selectors, Hangul fillers. A translator or a record may hold them
# and an extractor drops them, so they are ignored on both sides of a comparison.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
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
# German's suspended compounds ("Stimmungs- oder Verhaltensänderungen") may break
# after the hyphen: the line end joins the words, so the space is dropped on both sides.
_AFTER_HYPHEN = re.compile(r"(?<=\w)- +(?=\w)")


def normalise(text: str) -> str:
    """Normalise extracted or source text so the two can be compared.

    NFKC (folds no-break and narrow spaces and ligatures); joins words split by
    automatic hyphenation (U+2010 or a soft hyphen at a line end) and compounds
    broken after their own hyphen ("vous-" / "même" is "vous-même", also as
    PDFium reports it, with U+FFFE for the hyphen and no line break); drops
    characters that print nothing (soft hyphens, zero-width spaces, the word
    joiner, bidi marks and isolates …); collapses whitespace; removes spaces
    between Han characters and after a slash (a line may break after "/" in
    "5 mg/5 mL", and the extractor reports the break as a space) and after a
    hyphen that ends a word ("Stimmungs- oder", which may break after the
    hyphen). Typographic quotes become plain ones.
    """
    text = unicodedata.normalize("NFKC", text).replace(_PDFIUM_LINE_END_HYPHEN, "-")
    text = _LINE_END_HYPHEN.sub("", text)
    text = _LINE_END_REAL_HYPHEN.sub("", text)
    text = _INVISIBLE.sub("", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    text = _SPACES.sub(" ", text).strip()
    text = _AFTER_SLASH.sub("/", text)
    text = _AFTER_HYPHEN.sub("-", text)
    return _HAN_GAP.sub("", text)


#: The strip along each edge of the sheet where nothing may be printed: office
#: printers leave about 4 to 5 mm unprinted (4.2 mm on most lasers). 5 mm is the
#: narrowest @page margin any layout sets (the tight Letter card), and every layout's
#: margins leave the running header and footer their lines above this strip.
PRINTABLE_EDGE_MM = 5
_POINTS_PER_MM = 72 / 25.4
#: A glyph's ink may start a little before its line does ("j", an italic overhang).
_INK_TOLERANCE_PT = 1.0
_CONTEXT = 40


@dataclass(frozen=True)
class StrayText:
    """A printed word with ink outside the page's printable area."""

    #: The page, counted from 1.
    page: int
    #: The whole word, as PDFium extracts it (also its part inside the area).
    word: str
    #: Up to 40 characters of the page's text before and after the word, as
    #: extracted (across lines): enough to tell which text the word belongs to.
    before: str
    after: str
    #: The edge it crosses: "left", "right", "top" or "bottom".
    side: str
    #: Past the paper's edge (not printed at all), not only inside the unprinted strip.
    off_paper: bool


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
    #: Words inked outside the printable area, in page order; PDFium
    #: only (pypdf reads no glyph positions), so always empty from :func:`read_facts_pypdf`.
    strays: tuple[StrayText, ...] = ()

    @property
    def text(self) -> str:
        """All pages' text, normalised."""
        return normalise(" ".join(self.page_texts))


def read_facts(data: bytes, *, rtl: bool = False) -> PdfFacts:
    """Read page count, language, title, structure, page texts and stray words with PDFium.

    For a right-to-left document (``rtl``) the page texts come from pypdf:
    PDFium reads the lam-alef ligature back as alef-lam and splits a word where
    a vowel mark sits at a line's edge, while pypdf keeps Arabic words whole,
    which the token comparison for right-to-left text relies on. Where glyphs
    are inked comes from PDFium in every script.
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(data)
    try:
        texts: list[str] = []
        structure: list[tuple[str, str | None]] = []
        strays: list[StrayText] = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            if not rtl:
                texts.append(textpage.get_text_range())
            # PDFium gives each page the part of the structure tree with content on
            # it; in page order that is the document's reading order.
            tree = raw.FPDF_StructTree_GetForPage(page.raw)
            if tree:
                for child in range(raw.FPDF_StructTree_CountChildren(tree)):
                    element = raw.FPDF_StructTree_GetChildAtIndex(tree, child)
                    if element:
                        structure.extend(_pdfium_elements(element))
                raw.FPDF_StructTree_Close(tree)
            strays += _stray_words(page, textpage, index + 1)
            textpage.close()
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
            strays=tuple(strays),
        )
    finally:
        document.close()


Box = tuple[float, float, float, float]  # left, bottom, right, top, in points


def _stray_words(page: Any, textpage: Any, number: int) -> list[StrayText]:
    """The words of one page inked outside its printable area.

    Every character is checked, not only those of required warnings: a warning
    is body text, and which characters on paper belong to which warning is what
    text search cannot tell reliably (a warning may break over lines, columns
    and pages). The running header and footer are checked too: they sit in the
    margins, and every layout leaves them room inside the printable area. Fast:
    each line's rectangles are compared first, and only a line reaching outside
    the area is read character by character (under 1 ms a document).
    """
    left, bottom, right, top = (float(v) for v in page.get_cropbox())
    inset = PRINTABLE_EDGE_MM * _POINTS_PER_MM - _INK_TOLERANCE_PT
    area = (left + inset, bottom + inset, right - inset, top - inset)
    handle = textpage.raw
    text = _char_text(handle)
    rects = _Rects(handle)
    strays: list[StrayText] = []
    for line in re.finditer(r"[^\r\n]+", text):
        start, end = line.span()
        if all(_side(box, area) is None for box in rects.of(start, end - start)):
            continue
        for first, last, box in _outside_words(handle, text, start, end, area):
            side = _side(box, area)
            beyond = _side(box, (left, bottom, right, top)) is not None
            context = (text[max(0, first - _CONTEXT) : first], text[last : last + _CONTEXT])
            strays.append(StrayText(number, text[first:last], *context, side or "", beyond))
    return strays


_SURROGATE = re.compile("[\ud800-\udfff]")


def _char_text(handle: Any) -> str:
    """The page's text, one character per PDFium character index."""
    import pypdfium2.raw as raw

    count = raw.FPDFText_CountChars(handle)
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    raw.FPDFText_GetText(handle, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: count * 2].decode("utf-16-le", errors="surrogatepass")
    if _SURROGATE.search(text):
        # A character beyond the BMP takes two UTF-16 units: indices would drift.
        text = "".join(chr(raw.FPDFText_GetUnicode(handle, i)) for i in range(count))
    return text


class _Rects:
    """Reads PDFium's rectangles of a page's text through one set of buffers."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.values = [ctypes.c_double() for _ in range(4)]  # left, top, right, bottom
        self.pointers = [ctypes.byref(v) for v in self.values]

    def of(self, start: int, count: int) -> Iterator[Box]:
        """The rectangles PDFium draws around ``count`` characters from ``start``."""
        import pypdfium2.raw as raw

        for index in range(raw.FPDFText_CountRects(self.handle, start, count)):
            raw.FPDFText_GetRect(self.handle, index, *self.pointers)
            left, top, right, bottom = (v.value for v in self.values)
            yield (left, bottom, right, top)


def _side(box: Box, area: Box) -> str | None:
    """The edge of ``area`` that ``box`` crosses, or None when it lies inside."""
    if box[0] < area[0]:
        return "left"
    if box[2] > area[2]:
        return "right"
    if box[3] > area[3]:
        return "top"
    if box[1] < area[1]:
        return "bottom"
    return None


def _outside_words(
    handle: Any, text: str, start: int, end: int, area: Box
) -> Iterator[tuple[int, int, Box]]:
    """Each word in ``text[start:end]`` with a character outside ``area``.

    Yields the word's span in ``text`` and the box of its characters that lie
    outside.
    """
    import pypdfium2.raw as raw

    values = [ctypes.c_double() for _ in range(4)]  # left, right, bottom, top
    pointers = [ctypes.byref(v) for v in values]
    word_start = start
    outside: Box | None = None
    for index in range(start, end + 1):
        inked = index < end and not text[index].isspace() and _has_ink(handle, index)
        if not inked:
            if outside is not None:
                yield word_start, index, outside
            word_start, outside = index + 1, None
            continue
        if not raw.FPDFText_GetCharBox(handle, index, *pointers):
            continue
        left, right, bottom, top = (v.value for v in values)
        if right > left and top > bottom and _side((left, bottom, right, top), area):
            if outside is not None:  # the union of the word's characters outside
                left, bottom = min(left, outside[0]), min(bottom, outside[1])
                right, top = max(right, outside[2]), max(top, outside[3])
            outside = (left, bottom, right, top)


def _has_ink(handle: Any, index: int) -> bool:
    """Whether a character was drawn, not a space or line break PDFium generated."""
    import pypdfium2.raw as raw

    return bool(raw.FPDFText_GetTextObject(handle, index))


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
