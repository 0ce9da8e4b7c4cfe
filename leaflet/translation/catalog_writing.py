"""Write templates and new catalogs: the entries, the standard header, GNU's layout.

Every catalog leaflet writes goes through :func:`leaflet.translation.po_format.po_text`,
so it is byte for byte what msgmerge, msgcat and Poedit would write.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import polib
from babel import Locale, UnknownLocaleError

from .. import __version__
from ..project import RECORDS_DOMAIN
from ..record.errors import InputError, Problem
from ..record.reading import display_path
from .catalog_headers import LEAFLET_BUGS_URL, merged_header, template_header
from .catalog_loader import read_template
from .catalogs import CatalogWriter, Message, in_domain
from .domains import DOMAIN, locale_codes, locales_dir, po_relative_path, pot_name
from .languages import language_name, plural_forms_header
from .po_format import po_text

__all__ = ["catalog_defaults", "init_catalog", "nplurals_of", "pot_file", "write_pot"]

GENERATOR = f"leaflet {__version__}"


def pot_file(
    messages: list[Message], nplurals: int = 2, domain: str = DOMAIN, created: str = ""
) -> polib.POFile:
    """Return a catalog of ``messages`` with empty translations: a template, or a new catalog."""
    pot = polib.POFile(wrapwidth=0)
    bugs = LEAFLET_BUGS_URL if domain == DOMAIN else ""
    pot.metadata = template_header(f"leaflet {__version__}", bugs, created, GENERATOR)
    for message in messages:
        entry = polib.POEntry(
            msgctxt=message.context,
            msgid=message.msgid,
            msgstr="",
            occurrences=[(f, str(n)) for f, n in message.locations],
            comment="\n".join(message.comments),
            flags=["python-brace-format"]
            if "{" in message.msgid
            else (["python-format"] if "%(" in message.msgid else []),
        )
        if message.msgid_plural is not None:
            entry.msgid_plural = message.msgid_plural
            entry.msgstr_plural = {index: "" for index in range(nplurals)}
        pot.append(entry)
    return pot


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")


def write_pot(messages: list[Message], writer: CatalogWriter, domain: str) -> Path:
    """Write ``domain``'s template of its messages (``locales/<domain>.pot``); return its path.

    POT-Creation-Date changes only when the entries do: extracting the same
    messages again writes the same bytes.
    """
    mine = in_domain(messages, domain)
    old_date, old_text = read_template(locales_dir(domain) / pot_name(domain))
    if old_date is not None:
        same = po_text(pot_file(mine, domain=domain, created=old_date))
        if same == old_text:
            return writer.write_bytes(pot_name(domain), same.encode("utf-8"))
    text = po_text(pot_file(mine, domain=domain, created=_now()))
    return writer.write_bytes(pot_name(domain), text.encode("utf-8"))


def nplurals_of(lang: str) -> int:
    """How many plural forms ``lang`` has (CLDR, as the catalog checks require)."""
    return int(plural_forms_header(lang).split(";")[0].split("=")[1])


def catalog_defaults(lang: str) -> dict[str, str]:
    """The header fields a language's catalog gets when it lacks them or leaves them empty."""
    return {
        "Language-Team": f"{language_name(lang)} <{lang}>",
        "Language": lang,
        "Plural-Forms": plural_forms_header(lang),
        "X-Generator": GENERATOR,
    }


def init_catalog(
    lang: str, messages: list[Message], today: date, writer: CatalogWriter, domain: str
) -> Path:
    """Create a new, empty catalog of ``domain`` for ``lang`` from the current messages.

    A project catalog is refused for a language leaflet has no catalog of its
    own for: nothing would ever be built in it.
    """
    try:
        Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        raise InputError(
            [
                Problem(
                    "LANG",
                    None,
                    "",
                    f"unknown locale code {lang!r} (expected e.g. de, pt_BR, zh_Hans)",
                )
            ]
        ) from None
    relative = po_relative_path(lang, domain)
    if (locales_dir(domain) / relative).exists():
        raise InputError(
            [
                Problem(
                    display_path(locales_dir(domain) / relative),
                    None,
                    "",
                    "catalog already exists (expected a new locale; use leaflet i18n update)",
                )
            ]
        )
    if domain == RECORDS_DOMAIN and lang not in locale_codes(DOMAIN):
        raise InputError(
            [
                Problem(
                    "LANG",
                    None,
                    "",
                    f"leaflet has no catalog of its own text in {lang!r}, so nothing would be "
                    f"built in it (expected one of leaflet's languages: "
                    f"{', '.join(locale_codes(DOMAIN))}; to add {lang!r} to leaflet itself: "
                    f"leaflet i18n init {lang} --domain leaflet, in a clone of leaflet's "
                    "repository)",
                )
            ]
        )
    po = pot_file(in_domain(messages, domain), nplurals_of(lang), domain, _now())
    start = {"PO-Revision-Date": today.isoformat(), "Last-Translator": ""}
    defaults = catalog_defaults(lang)
    header = {**po.metadata, **start, "Language-Team": defaults["Language-Team"]}
    po.metadata = merged_header(header, po.metadata, defaults)
    return writer.write_bytes(relative, po_text(po).encode("utf-8"))
