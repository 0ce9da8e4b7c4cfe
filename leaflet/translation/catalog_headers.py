"""A PO catalog's header: the standard fields leaflet writes, and the ones it checks.

leaflet writes the fields xgettext and msgmerge write, in their order, so that
a catalog saved by Poedit or Weblate and merged again by leaflet keeps its
header; it checks the fields a wrong copy or a tool's default gets wrong.
"""

from __future__ import annotations

import re

import polib

from ..record.errors import Problem

__all__ = [
    "LEAFLET_BUGS_URL",
    "STANDARD_FIELDS",
    "header_line",
    "header_problems",
    "merged_header",
    "template_header",
]


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


#: Where leaflet's own catalogs send a translator who finds a mistake in the English.
LEAFLET_BUGS_URL = "https://github.com/leaflet-rx/leaflet-rx/issues"
#: The header fields in the order xgettext, msginit and msgmerge write them.
STANDARD_FIELDS = (
    "Project-Id-Version",
    "Report-Msgid-Bugs-To",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Plural-Forms",
    "X-Generator",
)


def template_header(project: str, bugs: str, created: str, generator: str) -> dict[str, str]:
    """A template's header, with xgettext's placeholders for what each language fills in."""
    return {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": bugs,
        "POT-Creation-Date": created,
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": generator,
    }


#: Fields whose template value is real, not a placeholder: an empty one is filled from it.
_FROM_TEMPLATE = ("Report-Msgid-Bugs-To",)


def merged_header(
    old: dict[str, str], template: dict[str, str], defaults: dict[str, str]
) -> dict[str, str]:
    """A catalog's header after an update, as msgmerge makes it.

    The catalog keeps its own fields, in its own order (a tool such as Poedit
    may have written them), with the template's POT-Creation-Date; a standard
    field it lacks is added at its place, from ``defaults`` (which also fill
    an empty one) or the template.
    """
    header = dict(old)
    header["POT-Creation-Date"] = template["POT-Creation-Date"]
    for field_name in STANDARD_FIELDS:
        if field_name in defaults and not header.get(field_name):
            header[field_name] = defaults[field_name]
        elif field_name in _FROM_TEMPLATE and not header.get(field_name):
            header[field_name] = template.get(field_name, "")
        elif field_name not in header and field_name in template:
            header[field_name] = template[field_name]
    return _in_standard_order(header, old)


def _in_standard_order(header: dict[str, str], old: dict[str, str]) -> dict[str, str]:
    """Fields the catalog had keep their order; added standard ones go where GNU puts them."""
    order = [name for name in old if name in header]
    for field_name in STANDARD_FIELDS:
        if field_name in header and field_name not in order:
            later = [n for n in STANDARD_FIELDS[STANDARD_FIELDS.index(field_name) + 1 :]]
            position = next((order.index(n) for n in later if n in order), len(order))
            order.insert(position, field_name)
    order += [name for name in header if name not in order]
    return {name: header[name] for name in order}
