"""Check a rendered PDF before it is published: its text, page count and metadata.

The text is extracted with pypdf and normalised (see :func:`normalise`) so that
a warning broken over two lines, hyphenated or set with special spaces is still
found. A document that fails any check is never written.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from pypdf import PdfReader

__all__ = [
    "PdfFacts",
    "RequiredText",
    "check_pdf",
    "contains",
    "extract_text",
    "normalise",
    "read_facts",
    "tokens",
]

_LINE_END_HYPHEN = re.compile(r"[\u2010\u00ad]\s*\n\s*")
# A line that breaks after a real hyphen ("vous-" / "même") keeps the hyphen.
_LINE_END_REAL_HYPHEN = re.compile(r"(?<=\w-)[^\S\n]*\n\s*(?=\w)")
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


def normalise(text: str) -> str:
    """Normalise extracted or source text so the two can be compared.

    NFKC (folds no-break and narrow spaces and ligatures); joins words split by
    automatic hyphenation (U+2010 or a soft hyphen at a line end) and compounds
    broken after their own hyphen ("vous-" / "même" is "vous-même"); drops bidi
    controls; collapses whitespace; removes spaces between Han characters.
    Typographic quotes become plain ones.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _LINE_END_HYPHEN.sub("", text)
    text = _LINE_END_REAL_HYPHEN.sub("", text)
    text = _BIDI_CONTROLS.sub("", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    text = _SPACES.sub(" ", text).strip()
    return _HAN_GAP.sub("", text)


@dataclass(frozen=True)
class PdfFacts:
    """What preflight reads from a PDF."""

    pages: int
    lang: str | None
    title: str | None
    page_texts: tuple[str, ...]

    @property
    def text(self) -> str:
        """All pages' text, normalised."""
        return normalise(" ".join(self.page_texts))


def read_facts(data: bytes) -> PdfFacts:
    """Read page count, catalog language, title and page texts from PDF bytes."""
    reader = PdfReader(io.BytesIO(data))
    lang = reader.root_object.get("/Lang")
    title = reader.metadata.title if reader.metadata else None
    texts = tuple(page.extract_text() for page in reader.pages)
    return PdfFacts(
        pages=len(reader.pages),
        lang=str(lang) if lang is not None else None,
        title=str(title) if title else None,
        page_texts=texts,
    )


def extract_text(data: bytes) -> str:
    """Return the normalised text of a whole PDF."""
    return read_facts(data).text


@dataclass(frozen=True)
class RequiredText:
    """A text that must appear in a document, with a name to report if it does not."""

    name: str
    text: str


_TOKEN = re.compile(
    r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]+"  # runs of Arabic letters
    r"|\d+(?:[.,]\d+)*"  # numbers with an optional decimal part
    r"|[^\W\d_]+"  # runs of other letters
)


def tokens(text: str) -> Counter[str]:
    """Split text into script-homogeneous tokens, for right-to-left comparisons."""
    return Counter(_TOKEN.findall(normalise(text)))


def contains(haystack: str, needle: str, rtl: bool) -> bool:
    """Say whether ``needle`` is printed in ``haystack`` (both already extracted).

    Left-to-right: a plain substring test on normalised text. Right-to-left: no
    extractor keeps Arabic runs in order around digits and Latin words, so the
    needle's tokens must all be present (as a multiset) in the page text.
    """
    if not rtl:
        return normalise(needle) in haystack
    return not tokens(needle) - tokens(haystack)


def check_pdf(
    facts: PdfFacts,
    required: Iterable[RequiredText],
    *,
    lang: str,
    min_pages: int,
    max_pages: int,
    rtl: bool = False,
) -> list[str]:
    """Return what is wrong with a rendered document; an empty list means it may ship."""
    problems: list[str] = []
    haystack = facts.text
    for item in required:
        if not contains(haystack, item.text, rtl):
            snippet = item.text if len(item.text) <= 70 else item.text[:67] + "..."
            problems.append(
                f"required warning {item.name!r} is missing from the PDF text "
                f"(expected {snippet!r})"
            )
    if not min_pages <= facts.pages <= max_pages:
        limit = f"exactly {min_pages}" if min_pages == max_pages else f"{min_pages} to {max_pages}"
        problems.append(
            f"page limit not met (expected {limit} page(s), got {facts.pages}); "
            "shorten the text or adjust the layout"
        )
    if facts.lang != lang:
        problems.append(f"PDF language is wrong (expected /Lang {lang!r}, got {facts.lang!r})")
    if not facts.title:
        problems.append("PDF has no title (expected a document title in the metadata)")
    return problems
