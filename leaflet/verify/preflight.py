"""Check a rendered PDF before it is published: its text, page count and metadata.

The text is extracted with PDFium (:mod:`leaflet.verify.pdf_facts`) and normalised
(see :func:`normalise`) so that a warning broken over two lines, hyphenated,
broken inside a long word or set with special spaces or invisible marks is
still found. A required text with no letter is never "found": an empty search
text would be found on any page. Every character, the running header and
footer included, must be inked inside the page's printable area (:func:`placement_problems`), so no
warning is cut off at the paper's edge. A document that fails any check is
never written.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from html import unescape

from ..record.characters import letterless_problem
from .pdf_facts import (
    PRINTABLE_EDGE_MM,
    PdfFacts,
    StrayText,
    normalise,
    read_facts,
    read_facts_pypdf,
)

__all__ = [
    "PdfFacts",
    "RequiredText",
    "body_text",
    "check_html",
    "check_pdf",
    "contains",
    "extract_text",
    "html_text",
    "letterless_problems",
    "normalise",
    "placement_problems",
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
    required = list(required)
    problems = letterless_problems(required)
    text = html_text(html)
    for item in required:
        if _letterless(item.text):
            continue
        if not contains(text, item.text, rtl):
            problems.append(
                f"required warning {item.name!r} is missing from the HTML text "
                f"(expected {_snippet(item.text, 70)!r})"
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


# WeasyPrint maps each glyph back to one text in the PDF's ToUnicode table, so an
# Arabic letter drawn once inside a vowelled cluster comes back wrong elsewhere
# (measured: "خاطئًا" extracts as "خاطًا", "أبدًا" after "أُبلغ" as "بدًا"). The
# short vowels and the alef and hamza letters are therefore left out of Arabic tokens
# on both sides: a word is compared by the rest of its letters, its skeleton.
_ARABIC_UNSTABLE = re.compile("[\u064b-\u065f\u0670\u0640\u0621-\u0627\u0671]")


def tokens(text: str) -> Counter[str]:
    """Split text into script-homogeneous tokens, for right-to-left comparisons.

    Arabic words are reduced to their skeleton (see ``_ARABIC_UNSTABLE``).
    """
    found: Counter[str] = Counter()
    for token in _TOKEN.findall(normalise(text)):
        if "\u0600" <= token[0] <= "\ufeff" and not token[0].isdigit():
            token = _ARABIC_UNSTABLE.sub("", token)
        if token:
            found[token] += 1
    return found


_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_SPACE = re.compile(r"\s+")


def contains(haystack: str, needle: str, rtl: bool) -> bool:
    """Say whether ``needle`` is printed in ``haystack`` (both already extracted).

    A needle with no letter once normalised (empty, or only invisible marks,
    punctuation or digits) is never found: it would be "found" on any page.
    Left-to-right: a substring test on normalised text; a word too long for its
    line is broken inside it without a hyphen, and the extractor reports the break
    as a space, so a space may stand inside a needle's word (never instead of one).
    Chinese and Japanese put no spaces between words, so a line may break
    anywhere — even between an ideograph and "mg" — and the extractor then
    reports a space that was never written: for a needle in those scripts,
    spaces are ignored on both sides. Right-to-left: no extractor keeps Arabic
    runs in order around digits and Latin words, so the needle's tokens must all
    be present (as a multiset) in the page text.
    """
    wanted = normalise(needle)
    if _letterless(wanted):
        return False
    if not rtl:
        if _CJK.search(wanted):
            return _SPACE.sub("", wanted) in _SPACE.sub("", haystack)
        return wanted in haystack or _broken_words(wanted).search(haystack) is not None
    found = tokens(haystack)
    missing = tokens(needle) - found
    squeezed = _ARABIC_UNSTABLE.sub("", _SPACE.sub("", normalise(haystack)))
    # pypdf sometimes loses the space where an Arabic line breaks next to a bracket
    # ("المبيض" + "نشرة" come out as one run): a word found inside a longer run counts,
    # and so does a word too long for its line, broken in two.
    return all(
        any(word in run and len(run) > len(word) for run in found)
        or (not word[0].isdigit() and word in squeezed)
        for word in missing
    )


def _broken_words(wanted: str) -> re.Pattern[str]:
    """``wanted`` as a pattern that lets a line break (a space) fall inside any word."""
    return re.compile(
        " ".join(" ?".join(re.escape(char) for char in word) for word in wanted.split(" "))
    )


def _letterless(text: str) -> bool:
    return letterless_problem(normalise(text)) is not None


def letterless_problems(required: Iterable[RequiredText]) -> list[str]:
    """Name each required text that has no letter to look for.

    The record and catalog checks refuse such text where it is written; one
    that still arrives here (a placeholder filled with a number alone, a
    template bug) must fail the document, not pass it as found everywhere.
    """
    return [
        f"required warning {item.name!r} has no letters to look for (expected words a "
        f"reader can read, got {_snippet(item.text, 70)!r}; write its text in the record "
        "or translation, and report this: leaflet should have refused it earlier)"
        for item in required
        if _letterless(item.text)
    ]


def placement_problems(facts: PdfFacts, required: Iterable[RequiredText]) -> list[str]:
    """Say which required warning, or which other text, is inked outside the printable area.

    The words come from :attr:`PdfFacts.strays` (every character of the body
    text is checked, so every required warning is). A word is put down to the
    required text that contains it; one problem is reported per warning and
    page, and one per page for any other text, showing a word printed past the
    paper's edge if there is one.
    """
    required = [item for item in required if not _letterless(item.text)]
    worst: dict[tuple[str, int], StrayText] = {}
    for stray in facts.strays:
        name = _holder(stray, required)
        key = (f"required warning {name!r}" if name else "text", stray.page)
        # Show a word that is not printed at all rather than one that is only near the edge.
        if key not in worst or (stray.off_paper and not worst[key].off_paper):
            worst[key] = stray
    problems = []
    for (subject, page), stray in worst.items():
        where = "past" if stray.off_paper else f"within {PRINTABLE_EDGE_MM} mm of"
        problems.append(
            f"{subject} runs off the page on page {page} (expected every character "
            f"inside the printable area, at least {PRINTABLE_EDGE_MM} mm from the paper's "
            f"edge; got {_snippet(stray.word, 40)!r} {where} the {stray.side} edge): shorten "
            "the word or break it with a space or a hyphen"
        )
    return problems


def _holder(stray: StrayText, required: list[RequiredText]) -> str | None:
    """The name of the required text a stray word belongs to, or None.

    A short word ("Baclofen", "or") is in many texts: it belongs to a required
    text only if, with the page's text around it, it makes up a piece of that
    text at least :data:`_ATTRIBUTION` characters long (or the whole of a
    shorter one). A Chinese "word" is a whole run of text, possibly holding a
    label and the start of a warning: its longest piece in common counts.
    """
    word = _squeezed(stray.word).rstrip("-")
    before, after = _squeezed(stray.before), _squeezed(stray.after)
    for item in required:
        text = _squeezed(item.text)
        if not word or not text:
            continue
        if word in text:
            piece = word
            for char in reversed(before):
                if char + piece not in text:
                    break
                piece = char + piece
            for char in after:
                if piece + char not in text:
                    break
                piece += char
            shared = len(piece)
        else:
            shared = SequenceMatcher(None, word, text, autojunk=False).find_longest_match().size
        if shared >= min(_ATTRIBUTION, len(text)):
            return item.name
    return None


#: How many characters a stray word and the text around it must share with a
#: required text to be put down to it.
_ATTRIBUTION = 30


def _squeezed(text: str) -> str:
    return _SPACE.sub("", normalise(text))


def _snippet(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


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
    the next page (large print lets long blocks break) reads as one text. Every
    required text is also checked to have letters, and every word of the body to
    be inked inside the printable area.
    """
    required = list(required)
    problems = letterless_problems(required)
    haystack = body_text(facts, chrome)
    for item in required:
        if _letterless(item.text):
            continue
        if not contains(haystack, item.text, rtl):
            problems.append(
                f"required warning {item.name!r} is missing from the PDF text "
                f"(expected {_snippet(item.text, 70)!r})"
            )
    if not min_pages <= facts.pages <= max_pages:
        limit = f"exactly {min_pages}" if min_pages == max_pages else f"{min_pages} to {max_pages}"
        problems.append(
            f"page limit not met (expected {limit} page(s), got {facts.pages}); "
            "shorten the text or adjust the layout"
        )
    problems += placement_problems(facts, required)
    if facts.lang != lang:
        problems.append(f"PDF language is wrong (expected /Lang {lang!r}, got {facts.lang!r})")
    if not facts.title:
        problems.append("PDF has no title (expected a document title in the metadata)")
    problems += structure_problems(facts)
    return problems
