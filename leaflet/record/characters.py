"""Characters that must never reach a printed leaflet, wherever the text comes from.

Control characters, line and paragraph separators (U+2028, U+2029) and the
bidirectional overrides are invisible in an editor but change what is printed:
an override (U+202E) can show "01" where the text says "10". Private-use and
unassigned code points print as empty boxes, and U+FFFD marks text that was
already damaged by a wrong encoding.
"""

from __future__ import annotations

import unicodedata

__all__ = [
    "MAX_COMBINING_MARKS",
    "combining_marks_problem",
    "invisible_characters_problem",
    "letterless_problem",
    "printed_text_problem",
    "unsafe_characters",
]

#: Layout controls a text may hold: line feed and tab (they print as spaces).
_ALLOWED_CONTROLS = frozenset("\n\t")

#: Bidirectional embeddings and overrides (U+202A–U+202E). The marks and isolates
#: that Arabic text legitimately uses (U+200E, U+200F, U+061C, U+2066–U+2069) stay allowed.
_BIDI_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e")

_UNSAFE_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn", "Zl", "Zp"})


def unsafe_characters(text: str) -> list[str]:
    """Return each unsafe character in ``text`` once, written like ``U+202E``, in order."""
    found: dict[str, None] = {}
    for char in text:
        if char in _ALLOWED_CONTROLS:
            continue
        if (
            char in _BIDI_OVERRIDES
            or char == "\ufffd"
            or unicodedata.category(char) in _UNSAFE_CATEGORIES
        ):
            found.setdefault(f"U+{ord(char):04X}", None)
    return list(found)


def invisible_characters_problem(text: str) -> str | None:
    """Say which unsafe characters ``text`` holds, as a user-facing problem, or None.

    Also refuses a letter carrying more combining marks than any script writes
    (:func:`combining_marks_problem`): every text input passes through here.
    """
    unsafe = unsafe_characters(text)
    if not unsafe:
        return combining_marks_problem(text)
    return (
        f"invisible control character(s) {', '.join(unsafe)} in the text (expected printable "
        "text: delete them; they often come from copying text out of another program)"
    )


#: Most combining marks one character may carry. Vietnamese stacks two (ệ decomposed),
#: Arabic a shadda and a vowel, Devanagari a vowel sign, nukta and candrabindu; four
#: leaves room for all of them. Thousands ("Zalgo" text) print a column of accents
#: through the lines above and below, over a warning's border.
MAX_COMBINING_MARKS = 4
_COMBINING_CATEGORIES = frozenset({"Mn", "Mc", "Me"})


def combining_marks_problem(text: str) -> str | None:
    """Say where a character carries more than :data:`MAX_COMBINING_MARKS` combining marks."""
    run = 0
    for index, char in enumerate(text + " "):
        if unicodedata.category(char) in _COMBINING_CATEGORIES:
            run += 1
            continue
        if run > MAX_COMBINING_MARKS:
            # The position, not the letter: the text may be a patient's name, which no
            # message repeats.
            where = f"character {index - run} of the text" if index > run else "the text's start"
            return (
                f"too many combining marks on one character ({run} on {where}; expected "
                f"at most {MAX_COMBINING_MARKS}: retype the word, the marks would print over "
                "the lines around it)"
            )
        run = 0
    return None


def letterless_problem(text: str) -> str | None:
    """Say so when ``text`` has no letter in any script, or return None.

    Prose that is only spaces, punctuation, digits or invisible marks (U+200E,
    U+2066…) prints as an empty bullet, and an empty search text is "found" on any
    page: a warning must say something a reader can read.
    """
    if any(unicodedata.category(char).startswith("L") for char in text):
        return None
    return (
        "text has no letters (expected words a reader can read, got only "
        f"{_describe_letterless(text)}: write the text, or remove the entry)"
    )


def _describe_letterless(text: str) -> str:
    shown = "".join(c if c.isprintable() and not c.isspace() else "" for c in text)
    if not shown:
        return "spaces or invisible marks"
    return f"marks, digits or punctuation {shown[:40]!r}"


def printed_text_problem(text: str, max_length: int) -> str | None:
    """Say what makes a short text typed by a user unfit to print, or None.

    For the patient's name, the prescriber and the like: no invisible characters,
    and short enough to fit the line it is printed on.
    """
    problem = invisible_characters_problem(text)
    if problem is None and len(text) > max_length:
        problem = f"text is too long (expected at most {max_length} characters, got {len(text)})"
    return problem
