"""Check a PO catalog's header: the fields a wrong copy or a tool's default gets wrong."""

from __future__ import annotations

import re

import polib

from ..record.errors import Problem

__all__ = ["header_line", "header_problems"]


def header_problems(po: polib.POFile, text: str, name: str, lang: str) -> list[Problem]:
    """Check the header fields a wrong copy or a tool's default would get wrong."""
    problems = []
    declared = po.metadata.get("Language", "").strip()
    if declared and re.split(r"[_-]", declared)[0] != re.split(r"[_-]", lang)[0]:
        problems.append(
            Problem(
                name,
                header_line(text, "Language"),
                "",
                f"the Language header says {declared!r} but the catalog is in the {lang!r} "
                f"folder (expected Language: {lang}; is this the right file?)",
            )
        )
    content_type = po.metadata.get("Content-Type", "")
    charset = re.search(r"charset\s*=\s*([\w.-]+)", content_type)
    if charset and charset.group(1).lower().replace("-", "") != "utf8":
        problems.append(
            Problem(
                name,
                header_line(text, "Content-Type"),
                "",
                f"the header declares charset {charset.group(1)} (expected "
                "'Content-Type: text/plain; charset=UTF-8'; the file must be saved as UTF-8)",
            )
        )
    if po.metadata_is_fuzzy:
        problems.append(
            Problem(
                name,
                _fuzzy_header_line(text),
                "",
                "the header is marked '#, fuzzy' (expected the flag removed once the catalog "
                "is ready; gettext tools ignore a fuzzy catalog; Poedit removes it on save)",
            )
        )
    return problems


def _fuzzy_header_line(text: str) -> int | None:
    """The line of a ``#, fuzzy`` flag on the header entry, if any."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("msgid"):
            break
        if line.startswith("#,") and "fuzzy" in line:
            return number
    return None


def header_line(text: str, field_name: str) -> int | None:
    """The line of the header field ``field_name`` in a catalog's text, if it has one."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith(f'"{field_name}:'):
            return number
    return None
