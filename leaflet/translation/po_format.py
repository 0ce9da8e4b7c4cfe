"""Write PO catalogs exactly as GNU msgmerge, msgcat and Poedit write them.

A translator's tool rewrites the whole file when it saves: if leaflet wrote its
catalogs any other way, one save in Poedit would become a diff of hundreds of
lines, and the next ``leaflet i18n update`` another one back. So leaflet wraps
strings the GNU way: at 79 columns, an entry whose text does not fit on the
keyword's line starts with an empty string (``msgid ""``), every ``\\n`` ends a
line, and lines break where the Unicode line-breaking algorithm (UAX #14, as
GNU libunistring applies it) allows, counting East Asian wide characters as two
columns. ``#:`` references wrap at the same width; other comments never wrap.

The line-break classes below cover the scripts leaflet's catalogs are written
in (Latin, Cyrillic, Arabic, Vietnamese, Chinese); the tests compare this
module's output with ``msgcat``'s for every catalog.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

import polib

__all__ = ["PAGE_WIDTH", "po_text", "wrap_string"]

#: GNU gettext's default page width.
PAGE_WIDTH = 79

# The UAX #14 pair table as GNU libunistring has it (lbrktables.c): row the
# class before a position, column the class after it; "D" a direct break, "I"
# a break only after spaces, "P" no break. libunistring breaks between "." and
# a letter (its (IS, AL) entry is D), unlike the standard's example table,
# and, as newer UAX #14 rules say, keeps letters with a prefix or postfix sign
# ("n%10", LB24) and never breaks before an ellipsis but after a space (LB22);
# a closing bracket, a space and a full-width colon ("] ：") may break, after
# a full-width closing punctuation ("》 ：") they may not.
_CLASS_NAMES = (
    "WJ GL B2 BA BB HY CL CP EX IN NS OP QU IS NU PO PR SY AL H2 H3 ID JL JV JT HL RI ZWJ EB EM"
)
_CLASSES = _CLASS_NAMES.split()
_TABLE_TEXT = """
PIIIIIPPPIIIIPIIIPIIIIIIIIIIII
PIIIIIPPPIIIIPIIIPIIIIIIIIIIII
PIPIDIPPPIIDIPDDDPDDDDDDDDDIDD
PDDIDIPPPIIDIPDDDPDDDDDDDDDIDD
PIIIIIPPPIIIIPIIIPIIIIIIIIIIII
PDDIDIPPPIIDIPIDDPDDDDDDDDDIDD
PIDIDIPPPIPDIPDIIPDDDDDDDDDIDD
PIDIDIPPPIIDIPIIIPIDDDDDDIDIDD
PIDIDIPPPIIDIPDDDPDDDDDDDDDIDD
PIDIDIPPPIIDIPDDDPDDDDDDDDDIDD
PIDIDIPPPIIDIPDDDPDDDDDDDDDIDD
PPPPPPPPPPPPPPPPPPPPPPPPPPPPPP
PIIIIIPPPIIPIPIIIPIIIIIIIIIIII
PIDIDIPPPIIDIPIDDPDDDDDDDDDIDD
PIDIDIPPPIIIIPIIIPIDDDDDDIDIDD
PIDIDIPPPIIIIPIDDPIDDDDDDIDIDD
PIDIDIPPPIIIIPIDDPIIIIIIIIDIII
PIDIDIPPPIIDIPIDDPDDDDDDDIDIDD
PIDIDIPPPIIIIPIIIPIDDDDDDIDIDD
PIDIDIPPPIIDIPDIDPDDDDDIIDDIDD
PIDIDIPPPIIDIPDIDPDDDDDDIDDIDD
PIDIDIPPPIIDIPDIDPDDDDDDDDDIDD
PIDIDIPPPIIDIPDIDPDIIDIIDDDIDD
PIDIDIPPPIIDIPDIDPDDDDDIIDDIDD
PIDIDIPPPIIDIPDIDPDDDDDDIDDIDD
PIDIDIPPPIIIIPIIIPIDDDDDDIDIDD
PIDIDIPPPIIDIPDDDPDDDDDDIDIIDD
PIDIDIPPPIIDIPDDDPDDDIDDIDIIII
PIDIDIPPPIIDIPDIDPDDDDDDIDIIDI
PIDIDIPPPIIDIPDIDPDDDDDDIDIIDD
"""
_TABLE = _TABLE_TEXT.split()
_PAIRS = {
    (before, after): _TABLE[i][j]
    for i, before in enumerate(_CLASSES)
    for j, after in enumerate(_CLASSES)
}

_SPECIAL = {
    " ": "SP",
    "\u00a0": "GL",
    "\u202f": "GL",
    "\u2007": "GL",
    "\u2060": "WJ",
    "\ufeff": "WJ",
    "\u200b": "ZW",
    "(": "OP",
    "[": "OP",
    "{": "OP",
    "\u00a1": "OP",
    "\u00bf": "OP",
    ")": "CP",
    "]": "CP",
    "}": "CL",
    '"': "QU",
    "'": "QU",
    "\u00ab": "QU",
    "\u00bb": "QU",
    "\u2018": "QU",
    "\u2019": "QU",
    "\u201c": "QU",
    "\u201d": "QU",
    "\u201e": "OP",
    "!": "EX",
    "?": "EX",
    "\u061b": "EX",
    "\u061f": "EX",
    "/": "SY",
    ",": "IS",
    ".": "IS",
    ":": "IS",
    ";": "IS",
    "\u060c": "IS",
    "\u066a": "PO",
    "\u066b": "NU",
    "\u066c": "NU",
    "%": "PO",
    "\u00b0": "PO",
    "\u2030": "PO",
    "\u2032": "PO",
    "\u2033": "PO",
    "\u2103": "PO",
    "$": "PR",
    "+": "PR",
    "\u00b1": "PR",
    "\\": "PR",
    "#": "AL",
    "-": "HY",
    "\u2010": "BA",
    "\u2013": "BA",
    "\u2012": "BA",
    "\u2014": "B2",
    "\u2026": "IN",
    "\u00b7": "AL",
    "|": "BA",
    "\t": "BA",
    "\u3001": "CL",
    "\u3002": "CL",
    "\uff0c": "CL",
    "\uff0e": "CL",
    "\uff09": "CL",
    "\uff3d": "CL",
    "\uff5d": "CL",
    "\u300b": "CL",
    "\u300d": "CL",
    "\u300f": "CL",
    "\u3011": "CL",
    "\u3009": "CL",
    "\uff08": "OP",
    "\uff3b": "OP",
    "\uff5b": "OP",
    "\u300a": "OP",
    "\u300c": "OP",
    "\u300e": "OP",
    "\u3010": "OP",
    "\u3008": "OP",
    "\uff1a": "NS",
    "\uff1b": "NS",
    "\uff01": "EX",
    "\uff1f": "EX",
    "\u30fb": "NS",
    "\u3005": "NS",
    "\uff5e": "ID",
    "\uff05": "PO",
}


def _line_class(char: str) -> str:
    """The UAX #14 line-breaking class of one character (the classes leaflet's text uses)."""
    special = _SPECIAL.get(char)
    if special:
        return special
    code = ord(char)
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Cf") or category == "Mc":
        return "CM"
    if category == "Nd":
        return "NU"
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return "ID"
    if 0x0E00 <= code <= 0x0EFF:  # Thai and Lao: dictionary breaks; not in leaflet's text
        return "AL"
    return "AL"


def _opportunities(text: str) -> list[bool]:
    """Where libunistring allows a break: ``result[i]`` is True for a break before ``text[i]``."""
    breaks = [False] * len(text)
    last = "BK"  # the class of the last character that is not a space
    prev = "BK"
    space = False
    for index, char in enumerate(text):
        kind = _line_class(char)
        if kind == "SP":
            space = True
        elif kind == "ZW":
            last, space = "ZW", False
        elif kind in ("CM", "ZWJ"):
            if last == "BK":
                last, space = "AL", False
            elif last == "ZW" or space:
                breaks[index] = True
                last, space = "AL", False
        else:
            if last == "ZW":
                breaks[index] = True
            elif last != "BK" and prev != "ZWJ":
                rule = _PAIRS[(last, kind)]
                # LB30 keeps a letter or digit with an opening bracket, but not
                # with a full-width one: "تشنج（" breaks.
                if kind == "OP" and last in ("AL", "HL", "NU") and _wide(char):
                    rule = "D"
                breaks[index] = rule == "D" or (rule == "I" and space)
            last, space = kind, False
        prev = kind
    return breaks


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\r": "\\r", "\n": "\\n"}
#: Format directives a break never splits, by the entry's format flag.
_DIRECTIVES = {
    "python-brace-format": re.compile(r"\{[^{}]*\}"),
    "python-format": re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]"),
}


def _width(char: str) -> int:
    if unicodedata.category(char) in ("Mn", "Me", "Cf") and char != "\u00ad":
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _escaped(portion: str, flags: tuple[str, ...]) -> tuple[str, list[bool]]:
    """The portion as written between quotes, and where a break is never allowed.

    Not inside an escape sequence, not inside a format directive of the
    entry's format, and not just before the ``\\n`` that ends a portion.
    """
    inside = [False] * len(portion)
    for flag in flags:
        pattern = _DIRECTIVES.get(flag)
        for match in pattern.finditer(portion) if pattern else ():
            for index in range(match.start() + 1, match.end()):
                inside[index] = True
    text: list[str] = []
    barred: list[bool] = []
    for char, within in zip(portion, inside, strict=True):
        written = _ESCAPES.get(char, char)
        text.append(written)
        barred += [within] + [True] * (len(written) - 1)
    escaped = "".join(text)
    if portion.endswith("\n"):
        barred[-2] = True
    return escaped, barred


def _wrap_portion(text: str, barred: list[bool], width: int, start_column: int) -> list[int]:
    """Where libunistring breaks ``text`` to fit ``width`` columns: the cut positions."""
    possible = [ok and not bar for ok, bar in zip(_opportunities(text), barred, strict=True)]
    cuts: list[int] = []
    last: int | None = None
    last_column, piece_width = start_column, 0
    for index, char in enumerate(text):
        if possible[index]:
            if last is not None and last_column + piece_width > width:
                cuts.append(last)
                last_column = 0
            last = index
            last_column += piece_width
            piece_width = 0
        piece_width += _width(char)
    if last is not None and last_column + piece_width > width:
        cuts.append(last)
    return sorted(set(cuts))


def wrap_string(
    keyword: str, text: str, prefix: str = "", flags: tuple[str, ...] = ()
) -> list[str]:
    """The lines GNU gettext writes for ``keyword "text"``, each starting with ``prefix``."""
    portions = re.findall(r"[^\n]*\n|[^\n]+", text) or [""]
    after_break = len(prefix) + 1
    width = PAGE_WIDTH - 1 - after_break
    lines: list[str] = []
    first = True
    for number, portion in enumerate(portions):
        more = number < len(portions) - 1
        escaped, barred = _escaped(portion, flags)
        start = (len(prefix) + len(keyword) + 2 if first else len(prefix) + 1) - after_break
        cuts = _wrap_portion(escaped, barred, width, start)
        if first and escaped and (more or start > width or cuts):
            lines.append(f'{prefix}{keyword} ""')
            first = False
            cuts = _wrap_portion(escaped, barred, width, len(prefix) + 1 - after_break)
        edges = [0, *cuts, len(escaped)]
        for a, b in itertools.pairwise(edges):
            if first:
                lines.append(f'{prefix}{keyword} "{escaped[a:b]}"')
                first = False
            else:
                lines.append(f'{prefix}"{escaped[a:b]}"')
    return lines


def _references(occurrences: list[tuple[str, str]]) -> list[str]:
    """``#:`` lines, wrapped as GNU gettext wraps them."""
    lines: list[str] = []
    line, column = "#:", 2
    for path, number in occurrences:
        item = f"{path}:{number}" if number else path
        if column > 2 and column + 1 + len(item) > PAGE_WIDTH:
            lines.append(line)
            line, column = "#:", 2
        line += " " + item
        column += 1 + len(item)
    if column > 2:
        lines.append(line)
    return lines


def _entry_lines(entry: polib.POEntry | polib.MOEntry) -> list[str]:
    obsolete = bool(getattr(entry, "obsolete", False))
    prefix = "#~ " if obsolete else ""
    lines: list[str] = []
    for comment in entry.tcomment.splitlines() if entry.tcomment else []:
        lines.append(f"# {comment}" if comment else "#")
    for comment in entry.comment.splitlines() if entry.comment else []:
        lines.append(f"#. {comment}" if comment else "#.")
    if entry.occurrences and not obsolete:
        lines += _references(entry.occurrences)
    flags = list(entry.flags)
    if "fuzzy" in flags:
        flags = ["fuzzy", *(f for f in flags if f != "fuzzy")]
    if flags:
        lines.append("#, " + ", ".join(flags))
    for keyword, value in (
        ("msgctxt", entry.previous_msgctxt),
        ("msgid", entry.previous_msgid),
        ("msgid_plural", entry.previous_msgid_plural),
    ):
        if value is not None:
            lines += wrap_string(keyword, value, "#| ")
    formats = tuple(f for f in flags if f.endswith("-format") and not f.startswith("no-"))
    if entry.msgctxt is not None:
        lines += wrap_string("msgctxt", entry.msgctxt, prefix)
    lines += wrap_string("msgid", entry.msgid, prefix, formats)
    if entry.msgid_plural:
        lines += wrap_string("msgid_plural", entry.msgid_plural, prefix, formats)
        forms = entry.msgstr_plural or {0: "", 1: ""}
        for index in sorted(forms, key=int):
            lines += wrap_string(f"msgstr[{index}]", forms[index], prefix, formats)
    else:
        lines += wrap_string("msgstr", entry.msgstr, prefix, formats)
    return lines


def po_text(po: polib.POFile) -> str:
    """A whole catalog as GNU gettext writes it.

    An obsolete entry without a translation keeps nothing worth keeping:
    msgcat and msgmerge drop it, and so does leaflet.
    """
    header = polib.POEntry(msgid="", msgstr=_header(po))
    header.flags = ["fuzzy"] if po.metadata_is_fuzzy else []
    # An empty header comment is still written, as a lone "#".
    head = [f"# {line}" if line else "#" for line in (po.header or "").split("\n")]
    blocks = [head + _entry_lines(header)]
    blocks += [_entry_lines(entry) for entry in po if not entry.obsolete]
    blocks += [_entry_lines(entry) for entry in po if entry.obsolete and _has_translation(entry)]
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


def _has_translation(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


def _header(po: polib.POFile) -> str:
    """The header fields in the order the catalog has them (a tool may have chosen it)."""
    return "".join(f"{name}: {value}\n" for name, value in po.metadata.items())
