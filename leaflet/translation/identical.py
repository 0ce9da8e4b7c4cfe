"""The allow-list of text meant to stay identical to the English.

Translation tools such as Weblate do not keep a catalog's translator comments,
so the ``# identical:`` comment cannot be a Weblate translator's only way to
say "this is the same word in my language". The project's allow-list files say
it instead, one item per line (``#`` starts a comment):

* ``locales/identical.txt`` — for every language: names and units;
* ``locales/<lang>/identical.txt`` — for one language.

A line that is the msgctxt of an entry (``baclofen:routes.oral.title``,
``card.route.oral``) allows that entry's translation to equal its English; any
other line is a word or phrase (a brand, a unit, an abbreviation) that may stand
untranslated wherever a text holds nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..record.reading import decode_text, display_path, read_input

__all__ = ["ALLOW_LIST_NAME", "AllowList", "read_allow_list"]

ALLOW_LIST_NAME = "identical.txt"
MAX_ALLOW_LIST_BYTES = 1_000_000


@dataclass(frozen=True)
class AllowList:
    """What a language's allow-list files name: items, each with the file and line."""

    items: dict[str, str] = field(default_factory=dict)

    def allows_entry(self, context: str) -> bool:
        """True when the entry ``context`` may equal its English."""
        return context in self.items

    @property
    def words(self) -> set[str]:
        """Every item, as words that may stand untranslated."""
        return set(self.items)


def read_allow_list(locales: Path, lang: str) -> AllowList:
    """Read the shared and the language's allow-list files, where they exist."""
    items: dict[str, str] = {}
    for path in (locales / ALLOW_LIST_NAME, locales / lang / ALLOW_LIST_NAME):
        if not path.is_file():
            continue
        name = display_path(path)
        text = decode_text(
            read_input(path, name, MAX_ALLOW_LIST_BYTES, "a text file"), name, "a UTF-8 text file"
        )
        for number, line in enumerate(text.splitlines(), start=1):
            item = line.split("#", 1)[0].strip()
            if item:
                items.setdefault(item, f"{name}:{number}")
    return AllowList(items)
