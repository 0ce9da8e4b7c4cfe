"""Create a new project folder that builds straight away (``leaflet new DIR``).

The project gets leaflet's example record (with its translations, so every
language builds), a commented ``leaflet.toml``, the record's JSON Schema and an
editor setting that points YAML files in ``data/`` at it, and a short README.
Every file is written through :class:`~leaflet.publish.writer.OutputWriter`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib

from ..project import RECORDS_DOMAIN, SETTINGS_NAME
from ..record.reading import read_text
from ..resources import bundled
from ..translation.po_format import po_text
from .writer import OutputWriter

__all__ = ["EXAMPLE_DRUG", "SCHEMA_NAME", "create_project"]

#: The record a new project starts with.
EXAMPLE_DRUG = "baclofen"
#: The example record, relative to the project folder.
RECORD_PATH = f"data/{EXAMPLE_DRUG}.yaml"
#: Where the project keeps the record's JSON Schema, relative to its folder.
SCHEMA_NAME = "schema/record-2.json"

SETTINGS_TEXT = """\
# leaflet project settings. Every command run in this folder (or with
# --project pointing at it) reads them. An option given on the command line wins.

# The pharmacy or clinic printed on every document. Remove the # to use it.
# [branding]
# name = "Main Street Pharmacy"
# address = "1 Main Street, Springfield"
# phone = "555-0199"
# logo = "logo.png"          # PNG or JPEG, relative to this file

# Defaults for `leaflet build`.
[build]
languages = "all"            # or a list: ["en", "es_US", "ar"]
papers = ["a4"]              # a4, letter, or "all"
# audiences = "all"          # patient, clinician, taper
# large_print = true         # also the large-print edition (18 pt)
# booklet = true             # also each language's documents bound in one PDF
# formats = ["pdf", "html"]  # html: self-contained pages for screens
# online_url = "https://example.org/leaflets/{drug}/{lang}/{audience}"

# `leaflet serve` beyond this machine (--host): the access token every request needs.
# Keep this file private if you set it; without it, a new token is printed at start.
# [serve]
# token = "at-least-24-letters-digits-or-dashes"
"""

README_TEXT = """\
# {name}: leaflets built with leaflet

| Folder | What it holds |
|---|---|
| `leaflet.toml` | Settings: branding, languages, papers, editions, online address |
| `data/*.yaml` | One record per medicine ({example} is the example) |
| `locales/` | Translations: `records.pot`, `<lang>/LC_MESSAGES/records.po`, `<lang>/termbase.tbx` |
| `templates/` | Optional: a file here replaces leaflet's own template or stylesheet of that name |
| `schema/` | The record's JSON Schema, for editors that check YAML as you type |
| `out/` | What `leaflet build` writes (not to be edited or committed) |
| `proofs/` | Bilingual proofs for reviewers, from `leaflet i18n proof` (not committed) |

    leaflet check                 # every record and translation, every problem at once
    leaflet build                 # the PDFs, into out/
    leaflet i18n update           # after editing a record: refresh the catalogs
    leaflet taper --help          # a personalised taper calendar
    leaflet serve                 # the same in the browser: http://127.0.0.1:8080

leaflet's own headings and standard statements come translated with leaflet.
"""

GITIGNORE_TEXT = "/out/\n/proofs/\n"


def create_project(root: Path, schema: dict[str, Any]) -> list[Path]:
    """Write a new project into ``root`` (new or empty); return the files written, in order.

    ``schema`` is the record's JSON Schema (``leaflet schema``), written to
    ``schema/record-2.json``.
    """
    writer = OutputWriter(root)
    written = [
        writer.write_bytes(SETTINGS_NAME, SETTINGS_TEXT.encode("utf-8")),
        writer.write_bytes(
            "README.md",
            README_TEXT.format(name=root.name, example=EXAMPLE_DRUG).encode("utf-8"),
        ),
        writer.write_bytes(".gitignore", GITIGNORE_TEXT.encode("utf-8")),
        writer.write_json(SCHEMA_NAME, schema),
        writer.write_json(
            ".vscode/settings.json", {"yaml.schemas": {f"./{SCHEMA_NAME}": ["data/*.yaml"]}}
        ),
    ]
    record = read_text(bundled("data") / f"{EXAMPLE_DRUG}.yaml")
    # Editors with a YAML language server check the record against the schema as it is typed.
    first_line = f"# yaml-language-server: $schema=../{SCHEMA_NAME}\n"
    written.append(writer.write_bytes(RECORD_PATH, (first_line + record).encode("utf-8")))
    written += _example_translations(writer)
    return written


def _example_translations(writer: OutputWriter) -> list[Path]:
    """Copy the example record's entries of leaflet's bundled ``records`` catalogs."""
    source = bundled("locales")
    written = []
    catalogs = source.glob(f"*/LC_MESSAGES/{RECORDS_DOMAIN}.po")
    names = [f"{RECORDS_DOMAIN}.pot", *sorted(p.relative_to(source).as_posix() for p in catalogs)]
    for name in names:
        if not (source / name).is_file():
            continue
        catalog = polib.pofile(read_text(source / name), wrapwidth=0)
        for entry in [e for e in catalog if not (e.msgctxt or "").startswith(f"{EXAMPLE_DRUG}:")]:
            catalog.remove(entry)
        for entry in catalog:
            # The record gained its schema line at the top: every line moved down one.
            entry.occurrences = [
                (path, str(int(line) + 1) if path == RECORD_PATH and line.isdigit() else line)
                for path, line in entry.occurrences
            ]
        written.append(writer.write_bytes(f"locales/{name}", po_text(catalog).encode("utf-8")))
    # The termbases guard the warnings of every record the project will hold.
    for path in sorted([*source.glob("termbase.tbx"), *source.glob("*/termbase.tbx")]):
        name = path.relative_to(source).as_posix()
        written.append(writer.write_bytes(f"locales/{name}", read_text(path).encode("utf-8")))
    return written
