"""Check a rendered PDF before it is published: its text, page count and metadata.

The text is extracted with PDFium (:mod:`leaflet.pdf_facts`) and normalised
(see :func:`normalise`) so that a warning broken over two lines, hyphenated or
set with special spaces is still found. A document that fails any check is
never written.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html import unescape

from .pdf_facts import PdfFacts, normalise, read_facts, read_facts_pypdf

__all__ = [
    "PdfFacts",
    "RequiredText",
    "body_text",
    "check_html",
    "check_pdf",
    "contains",
    "extract_text",
    "html_text",
    "normalise",
    "read_facts",
    "read_facts_pypdf",
    "structure_problems",
    "tokens",
]

_HEADING = re.compile(r"/H([1-6])")


_TAG = re.compile(r"<[^>]+>")
_LANG_ATTR = re.compile(r"<html[^>]*\blang=\"([^\"]+)\"")


def html_text(html: str) -> str:
    """Return the normalised text of an HTML document's body, as a reader sees it."""
    body = html.split("<body", 1)[-1]
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", body, flags=re.S)
    return normalise(unescape(_TAG.sub(" ", body)))


def check_html(
    html: str, required: Iterable[RequiredText], *, lang: str, rtl: bool = False
) -> list[str]:
    """Return what is wrong with an HTML edition; an empty list means it may ship."""
    problems = []
    text = html_text(html)
    for item in required:
        if not contains(text, item.text, rtl):
            snippet = item.text if len(item.text) <= 70 else item.text[:67] + "..."
            problems.append(
                f"required warning {item.name!r} is missing from the HTML text "
                f"(expected {snippet!r})"
            )
    declared = _LANG_ATTR.search(html)
    if declared is None or declared.group(1) != lang:
        found = declared.group(1) if declared else None
        problems.append(f"HTML language is wrong (expected lang={lang!r}, got {found!r})")
    return problems


def structure_problems(facts: PdfFacts) -> list[str]:
    """Return what a screen reader would trip on: no tags, skipped headings, images without text."""
    problems = []
    if not facts.structure or not facts.marked:
        problems.append("PDF is not tagged (expected a structure tree and /MarkInfo marked)")
    if facts.shows_title is False:
        problems.append("PDF viewers would show the file name (expected /DisplayDocTitle true)")
    level = 0
    for tag, _ in facts.structure:
        match = _HEADING.fullmatch(tag)
        if match:
            wanted = int(match.group(1))
            if wanted > level + 1:
                problems.append(
                    f"heading levels skip from H{level} to H{wanted} (expected each heading "
                    "at most one level below the one before)"
                )
            level = wanted
    for tag, alt in facts.structure:
        if tag == "/Figure" and not alt:
            problems.append("an image has no alternative text (expected alt text on every image)")
    return problems


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


_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def contains(haystack: str, needle: str, rtl: bool) -> bool:
    """Say whether ``needle`` is printed in ``haystack`` (both already extracted).

    Left-to-right: a substring test on normalised text. Chinese and Japanese put
    no spaces between words, so a line may break anywhere — even between an
    ideograph and "mg" — and the extractor then reports a space that was never
    written: for a needle in those scripts, spaces are ignored on both sides.
    Right-to-left: no extractor keeps Arabic runs in order around digits and Latin
    words, so the needle's tokens must all be present (as a multiset) in the page
    text.
    """
    if not rtl:
        wanted = normalise(needle)
        if wanted and _CJK.search(wanted):
            return re.sub(r"\s+", "", wanted) in re.sub(r"\s+", "", haystack)
        return wanted in haystack
    found = tokens(haystack)
    missing = tokens(needle) - found
    # pypdf sometimes loses the space where an Arabic line breaks next to a bracket
    # ("المبيض" + "نشرة" come out as one run): a word found inside a longer run counts.
    return all(any(word in run and len(run) > len(word) for run in found) for word in missing)


def body_text(facts: PdfFacts, chrome: Iterable[str]) -> str:
    """All pages' text without the running header and footer, as one text.

    The chrome is taken out page by page; the pages are then joined as lines, so
    a sentence — or a word broken at its own hyphen ("Baclofen-" / "Tabletten") —
    that runs on to the next page reads as it was written.
    """
    lines = sorted({normalise(c) for c in chrome if c.strip()}, key=len, reverse=True)
    pages = []
    for raw in facts.page_texts:
        page = normalise(raw)
        for line in lines:
            page = page.replace(line, " ")
        pages.append(page.strip())
    return normalise("\n".join(pages))


def check_pdf(
    facts: PdfFacts,
    required: Iterable[RequiredText],
    *,
    lang: str,
    min_pages: int,
    max_pages: int,
    rtl: bool = False,
    chrome: Iterable[str] = (),
) -> list[str]:
    """Return what is wrong with a rendered document; an empty list means it may ship.

    ``chrome`` is the running header and footer text of every page: it is taken
    out of the page text before searching, so that a warning that continues on
    the next page (large print lets long blocks break) reads as one text.
    """
    problems: list[str] = []
    haystack = body_text(facts, chrome)
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
    problems += structure_problems(facts)
    return problems
