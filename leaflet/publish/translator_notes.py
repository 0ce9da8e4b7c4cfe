"""Notes for translators: where each text prints, what its placeholders hold, how long it may be.

Every document of every record is rendered once in English, to HTML only,
with each looked-up text wrapped in private-use marks naming its entry. The
marks show where a text lands: the document, the section heading above it,
whether it sits in a heading, a table cell or on the one-page clinician card,
and the text as printed, from which each placeholder's example value is read.
The notes become ``#.`` comments in the catalogs (:func:`annotate_messages`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..record.model import DrugRecord
from ..render.theme import current_theme
from ..translation.catalogs import Message
from ..translation.languages import SOURCE_LANGUAGE
from .marking import marked_texts, render_marked

__all__ = ["DOCUMENT_NAMES", "Placement", "annotate_messages", "placements"]

#: How a note names each document.
DOCUMENT_NAMES = {
    "patient": "patient leaflet",
    "clinician": "clinician card",
    "taper": "taper and withdrawal handout",
}
#: Room a translation may take, as a share of the English, where the layout is tight.
TIGHT_SHARE = {"heading": 1.5, "table cell": 1.5, "card": 1.3}

_PLACEHOLDER = re.compile(r"\{(\w+)\}|%\((\w+)\)s")


@dataclass
class Placement:
    """Where one entry prints: documents with their sections, the tightest spot, a sample."""

    sections: dict[str, str] = field(default_factory=dict)
    tight: set[str] = field(default_factory=set)
    printed: str = ""


def placements(records: Iterable[DrugRecord]) -> dict[str, Placement]:
    """Where every entry prints, over every document of ``records`` in English.

    Remembered for the same records and templates: a session that updates the
    catalogs again (a translator's loop, the tests) renders them once.
    """
    records = list(records)
    theme = current_theme()
    templates = tuple(
        (str(path), path.stat().st_mtime_ns, path.stat().st_size)
        for folder in theme.folders
        for path in sorted(folder.glob("*"))
        if path.is_file()
    )
    key = (tuple(r.model_dump_json() for r in records), templates)
    if key not in _PLACEMENTS:
        _PLACEMENTS.clear()  # one project at a time is plenty
        _PLACEMENTS[key] = _placements(records)
    return _PLACEMENTS[key]


_PLACEMENTS: dict[tuple[tuple[str, ...], tuple[tuple[str, int, int], ...]], dict[str, Placement]]
_PLACEMENTS = {}


def _placements(records: list[DrugRecord]) -> dict[str, Placement]:
    found: dict[str, Placement] = {}
    for record in records:
        for audience in record.documents:
            html_text, order = render_marked(record, audience, SOURCE_LANGUAGE)
            for text in marked_texts(html_text, order):
                place = found.setdefault(text.context, Placement())
                # The first drug's heading names the section: later drugs only repeat it.
                place.sections.setdefault(audience, text.section)
                if text.spot:
                    place.tight.add(text.spot)
                if audience == "clinician":
                    place.tight.add("card")
                place.printed = place.printed or text.printed
    return found


def _examples(msgid: str, printed: str) -> dict[str, str]:
    """Each placeholder's value in ``printed``, the English as it printed (if it matches)."""
    names = [a or b for a, b in _PLACEHOLDER.findall(msgid)]
    if not names:
        return {}
    parts = _PLACEHOLDER.split(msgid)[::3]
    pattern = "(.+?)".join(re.escape(" ".join(p.split())) for p in parts)
    match = re.fullmatch(pattern, printed)
    if match is None:
        return {}
    pairs = zip(names, match.groups(), strict=False)
    return {name: value.strip() for name, value in pairs if value.strip()}


def _notes(message: Message, place: Placement | None) -> list[str]:
    """The ``#.`` lines for one message."""
    if place is None:
        return [
            "Printed in: no standard document of the current records (a personalised taper "
            "handout, an option, or a value no record uses yet)."
        ]
    where = "; ".join(
        DOCUMENT_NAMES[audience] + (f" › {section}" if section else "")
        for audience, section in place.sections.items()
    )
    notes = [f"Printed in: {where}."]
    examples = _examples(message.msgid, place.printed)
    names = [a or b for a, b in _PLACEHOLDER.findall(message.msgid)]
    if names:
        shown = [f"{n} = “{examples[n]}”" if n in examples else n for n in dict.fromkeys(names)]
        notes.append(f"Placeholders, as they printed in English: {', '.join(shown)}.")
    if place.tight:
        share = max(TIGHT_SHARE[kind] for kind in place.tight)
        budget = max(math.ceil(len(message.msgid) * share), len(message.msgid) + 10)
        spots = ", ".join(sorted(place.tight))
        notes.append(f"Length: at most about {budget} characters ({spots}: the layout is tight).")
    return notes


def annotate_messages(messages: list[Message], records: Iterable[DrugRecord]) -> list[Message]:
    """Add each message's translator notes to its comments (leaflet's and the records' own)."""
    found = placements(records)
    for message in messages:
        for note in _notes(message, found.get(message.context)):
            if note not in message.comments:
                message.comments.append(note)
    return messages
