"""Language codes: the source language, the pseudo-locale, and how each is written.

Catalogs are named with gettext/CLDR codes (``pt_BR``, ``zh_Hans``); PDFs and
HTML carry BCP 47 tags (``pt-BR``, ``zh-Hans``); Babel formats numbers and dates.
"""

from __future__ import annotations

from babel import Locale

__all__ = ["PSEUDO_LOCALE", "SOURCE_LANGUAGE", "babel_locale", "bcp47", "direction", "own_name"]

SOURCE_LANGUAGE = "en"
#: A pseudo-locale: accented, bracketed, about 30 % longer (the +30 % target for body
#: text in docs/translators.md), to prove layouts have room.
PSEUDO_LOCALE = "en_XA"


def babel_locale(lang: str) -> str:
    """Return the locale Babel formats ``lang``'s numbers and dates with."""
    return SOURCE_LANGUAGE if lang == PSEUDO_LOCALE else lang


def bcp47(lang: str) -> str:
    """Return the BCP 47 language tag for a catalog code: ``zh_Hans`` -> ``zh-Hans``."""
    return lang.replace("_", "-")


def direction(lang: str) -> str:
    """Return ``rtl`` for right-to-left scripts, else ``ltr``."""
    order = Locale.parse(babel_locale(lang)).character_order
    return "rtl" if order == "right-to-left" else "ltr"


def own_name(lang: str) -> str:
    """Return the language's name in itself, e.g. ``Deutsch`` (pseudo: a fixed label)."""
    if lang == PSEUDO_LOCALE:
        return "Pseudo-locale"
    locale = Locale.parse(lang)
    name = locale.get_display_name(locale) or lang
    return name[:1].upper() + name[1:]
