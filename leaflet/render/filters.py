"""Formatting for templates: numbers, doses, dates and CSS strings, per locale.

Templates never format anything themselves; they call these functions (as
filters or through the render context). Numbers are never rounded: a dose of
0.05 prints as 0.05 (``0,05`` in German).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal, format_percent
from markupsafe import Markup

from ..record.model import QuantityValue

__all__ = [
    "capfirst",
    "css_counter_content",
    "css_string",
    "fill_placeholders",
    "format_date",
    "format_number",
    "format_quantity",
    "format_value",
    "isolate",
    "keep_ranges_together",
    "tighten_full_width",
    "unit_symbol",
]

NBSP = "\u00a0"

#: CLDR unit ids for the record's units (always the short symbol). Durations in days or
#: weeks are written in prose around a plain-number placeholder instead: CLDR's short
#: forms drop the digits in some languages (Arabic "يومان", two days).
CLDR_UNITS = {
    "mg": ("mass-milligram", "short"),
    "mcg": ("mass-microgram", "short"),
    "g": ("mass-gram", "short"),
    "mL": ("volume-milliliter", "short"),
    "h": ("duration-hour", "short"),
    "kg": ("mass-kilogram", "short"),
}
#: Micrograms are "mcg" wherever CLDR would print the Greek micro sign: the
#: documents follow US labelling, where "μg" is a listed error-prone abbreviation
#: (read as "mg"). Scripts with their own unit words keep them (мкг, مكغم).
MICRO_SIGNS = ("μg", "µg")

#: Chinese writes micrograms as the word 微克: no micro sign to misread, and no Latin
#: "mcg" among Chinese units.
CHINESE_MICROGRAMS = "微克"

#: Millilitres are "mL" wherever CLDR prints "ml": a lower-case l is easily read as
#: the digit 1 (ISMP's error-prone abbreviations; USP style). Cyrillic "мл" stays.
_LOWER_ML = re.compile(r"(?<![A-Za-z])ml(?![A-Za-z])")
#: Arabic: CLDR's "ملتر" is not what pharmacy labels print; "مل" is (as the catalogs write).
_ARABIC_ML = re.compile(r"ملتر")

#: Long dates CLDR words differently from the national usage the review asked for.
LONG_DATE_PATTERNS = {"vi": "'ngày' d 'tháng' M 'năm' y"}


def _unit_words(text: str, locale: str) -> str:
    """Replace CLDR unit words that are error-prone or not what labels print (see above)."""
    chinese = locale.split("_")[0] == "zh"
    for sign in MICRO_SIGNS:
        if chinese:  # written close up, as 毫克 and 毫升 are: "50微克"
            text = re.sub(rf"\s*{sign}", CHINESE_MICROGRAMS, text)
        text = text.replace(sign, "mcg")
    if locale.split("_")[0] == "ar":
        text = _ARABIC_ML.sub("مل", text)
    return _LOWER_ML.sub("mL", text)


UnitNamer = Callable[[str], str]


def format_number(value: Decimal | int, locale: str) -> str:
    """Format a number for ``locale`` exactly as written: no rounding, no padding."""
    return str(format_decimal(value, locale=locale, decimal_quantization=False))


def format_quantity(
    quantity: QuantityValue, locale: str, unit_name: UnitNamer | None = None
) -> str:
    """Format ``5 mg`` for ``locale`` with its short unit; number and unit never split."""
    if quantity.unit == "%":
        return str(
            format_percent(quantity.value / 100, locale=locale, decimal_quantization=False)
        ).replace(" ", NBSP)
    number = format_number(quantity.value, locale)
    if unit_name is not None:
        return f"{number}{NBSP}{unit_name(quantity.unit)}"
    unit, _, per = quantity.unit.partition("/")
    text = _unit_pattern(unit, quantity.value, locale).replace("{0}", number)
    if per:
        # A dose by body weight: "10 mg/kg", "10 мг/кг" — the per-unit's bare symbol.
        symbol = _unit_pattern(per, Decimal(1), locale).replace("{0}", "").strip()
        text = f"{text}/{symbol}"
    return _unit_words(text, locale).replace(" ", NBSP)


def _unit_pattern(unit: str, value: Decimal, locale: str) -> str:
    """Return CLDR's pattern (e.g. ``{0} mg``) for ``value`` of ``unit`` in ``locale``.

    Chosen by the value's real plural category, and never one without the number:
    some languages' singular forms drop it (Arabic "غرام" alone means one gram),
    which Babel's format_unit would print for a preformatted number.
    """
    cldr, length = CLDR_UNITS[unit]
    loc = Locale.parse(locale)
    patterns = loc._data["unit_patterns"][cldr][length]
    for category in (loc.plural_form(value), "other"):
        pattern = patterns.get(category)
        if pattern and "{0}" in pattern:
            return str(pattern)
    raise LookupError(f"no CLDR pattern with a number for {cldr} in {locale}")


def unit_symbol(unit: str, locale: str) -> str:
    """A unit's short symbol in ``locale``, without a number: "mg", "мг", "مغم"."""
    text = _unit_pattern(unit, Decimal(2), locale).replace("{0}", "").strip()
    return _unit_words(text, locale)


def format_date(value: date, locale: str) -> str:
    """Format a date in the locale's long form, e.g. ``22 November 2026``."""
    pattern = LONG_DATE_PATTERNS.get(locale.split("_")[0], "long")
    return str(babel_format_date(value, format=pattern, locale=locale))


def format_value(
    value: QuantityValue | Decimal | int | date, locale: str, unit_name: UnitNamer | None = None
) -> str:
    """Format any placeholder value for ``locale``."""
    if isinstance(value, QuantityValue):
        return format_quantity(value, locale, unit_name)
    if isinstance(value, date):
        return format_date(value, locale)
    return format_number(value, locale)


_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def fill_placeholders(text: str, values: Mapping[str, str]) -> str:
    """Replace each ``{name}`` in ``text`` with its already formatted value.

    A placeholder without a value is a bug at this point (the record and the
    catalogs were validated), so it raises KeyError rather than printing "{name}".
    """
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


_RANGE_DASH = re.compile(r"(?<=\d)\s*(–)\s*(?=\d)")


def keep_ranges_together(text: str) -> str:
    """Join "10–63" with word joiners so a line never breaks at the dash of a range."""
    return _RANGE_DASH.sub("\u2060\\1\u2060", text)


def isolate(text: str) -> str:
    """Wrap text typed by a user (a name, a phone number) in a bidi isolate.

    First-strong isolation (FSI … PDI) lets "555-0100" or a Latin name sit in
    Arabic text without being reordered; it prints nothing.
    """
    return f"\u2068{text}\u2069" if text else text


def capfirst(text: str) -> str:
    """Upper-case the first letter of a phrase shown on its own: "adults" -> "Adults".

    Scripts without case (Arabic, Chinese) are unchanged; the rest of the text is
    left as it is, so "children up to 11 years" keeps its other words.
    """
    return text[:1].upper() + text[1:] if text else text


def css_string(text: str) -> Markup:
    """Quote ``text`` as a CSS string literal, safe inside a ``<style>`` element.

    Text already HTML-escaped by Jinja (Markup) is unescaped first: entities mean
    nothing inside ``<style>``, where they would print literally.
    """
    if isinstance(text, Markup):
        text = text.unescape()
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\a ")
        .replace("<", "\\3c ")
        .replace(">", "\\3e ")
    )
    return Markup(f'"{escaped}"')


def css_counter_content(template: str) -> Markup:
    """Turn ``"Page {page} of {pages}"`` into CSS ``content`` with page counters.

    A translation comes HTML-escaped (Markup); it is unescaped before it is cut
    up, because the pieces are plain strings that :func:`css_string` would keep
    as they are: "l'" would print as "l&#39;".
    """
    if isinstance(template, Markup):
        template = template.unescape()
    parts: list[str] = []
    for index, piece in enumerate(re.split(r"\{(page|pages)\}", template)):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(str(css_string(piece)))
    return Markup(" ".join(parts))


#: Full-width punctuation carries its own spacing in Chinese and Japanese: a space
#: beside it (a template joining a label to its text with " ") prints as a gap.
_FULL_WIDTH = "（）：，。；、"
_TAGS = r"(?:</?[A-Za-z][^<>]*>)*"
_SPACE_AFTER = re.compile(rf"([{_FULL_WIDTH}]{_TAGS})[ \t\r\n]+")
_SPACE_BEFORE = re.compile(rf"[ \t\r\n]+({_TAGS}[{_FULL_WIDTH}])")


def tighten_full_width(html: str) -> str:
    """Remove the spaces beside full-width punctuation in rendered HTML, across tags.

    ``口服： 每日`` and ``巴氯芬 （Ozobax）`` become ``口服：每日`` and
    ``巴氯芬（Ozobax）``; no-break spaces (between a number and its unit) stay.
    """
    return _SPACE_BEFORE.sub(r"\1", _SPACE_AFTER.sub(r"\1", html))
