"""Formatting for templates: numbers, doses, dates and CSS strings, per locale.

Templates never format anything themselves; they call these functions (as
filters or through the render context). Numbers are never rounded: a dose of
0.05 prints as 0.05 (``0,05`` in German). The placeholder syntax those texts
may hold (bare ``%(name)s`` and ``{name}`` only) is read here too, for the
catalog checks.
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

from .model import QuantityValue

__all__ = [
    "capfirst",
    "css_counter_content",
    "css_string",
    "fill_placeholders",
    "format_date",
    "format_number",
    "format_quantity",
    "format_value",
    "glued_placeholders",
    "isolate",
    "keep_ranges_together",
    "placeholder_names",
    "placeholder_syntax_problems",
    "unglue_placeholders",
    "unit_symbol",
    "without_placeholders",
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

#: Millilitres are "mL" wherever CLDR prints "ml": a lower-case l is easily read as
#: the digit 1 (ISMP's error-prone abbreviations; USP style). Cyrillic "мл" stays.
_LOWER_ML = re.compile(r"(?<![A-Za-z])ml(?![A-Za-z])")

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
    for sign in MICRO_SIGNS:
        text = text.replace(sign, "mcg")
    text = _LOWER_ML.sub("mL", text)
    return text.replace(" ", NBSP)


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
    for sign in MICRO_SIGNS:
        text = text.replace(sign, "mcg")
    return _LOWER_ML.sub("mL", text)


def format_date(value: date, locale: str) -> str:
    """Format a date in the locale's long form, e.g. ``22 November 2026``."""
    return str(babel_format_date(value, format="long", locale=locale))


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


# Placeholder syntax: what a translation may hold for the formatting above. Only
# bare %(name)s (templates, Python's %) and {name} (records, str.format) pass.

_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_BARE = re.compile(r"%\([a-z_][a-z0-9_]*\)s|\{[a-z_][a-z0-9_]*\}")
#: Every %-conversion Python's % operator acts on, bare or not: %(date)s, %(date)300000000s,
#: %(n)-5s, %(n).3s, %(n)*s, %s, %%, and a lone % before anything else.
_PERCENT_TOKEN = re.compile(
    r"%(?:\((?P<name>[^()]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d*))?[hlL]?[a-zA-Z%]?"
)
_FIELD = re.compile(r"\{([^{}]*)\}")
_FIELD_WITH_SPEC = re.compile(r"([a-z_][a-z0-9_]*)\s*[!:].*", re.DOTALL)


def placeholder_syntax_problems(target: str, formatted: bool) -> list[str]:
    """Say what in ``target`` is a placeholder leaflet does not accept, or a stray % or brace.

    Only ``%(name)s`` and ``{name}`` are allowed: a width, precision, flag or
    conversion is never right in a leaflet, and ``%(date)300000000s`` would build
    a 300 MB string, so the text is scanned here, never formatted. A lone ``%``
    matters only where the text is %-formatted (``formatted``).
    """
    found: list[str] = []
    lone = False
    for match in _PERCENT_TOKEN.finditer(target):
        token, name = match.group(0), match.group("name")
        if token == "%%" or _BARE.fullmatch(token):
            continue
        if name is not None and _NAME.fullmatch(name):
            found.append(_spec_problem(token, f"%({name})s"))
        elif formatted:
            lone = True
    if lone:
        found.append("a lone % sign (expected %% for a literal percent sign)")
    unbalanced = False
    for match in _FIELD.finditer(target):
        inner = match.group(1)
        if _NAME.fullmatch(inner):
            continue
        spec = _FIELD_WITH_SPEC.fullmatch(inner)
        if spec:
            found.append(_spec_problem(match.group(0), f"{{{spec.group(1)}}}"))
        else:
            unbalanced = True
    rest = _FIELD.sub("", target)
    if unbalanced or "{" in rest or "}" in rest:
        found.append("unbalanced braces (expected {name} placeholders only)")
    return found


def _clip(text: str, limit: int = 30) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _spec_problem(token: str, bare: str) -> str:
    return (
        f"placeholder {bare} has a width, precision, flag or conversion (expected the bare "
        f"{bare} as in the English, got {_clip(token)}; leaflet formats the value itself)"
    )


def placeholder_names(text: str) -> tuple[set[str], set[str]]:
    """The names of ``text``'s %-placeholders and of its brace placeholders, bare or not."""
    percent = {
        m.group("name")
        for m in _PERCENT_TOKEN.finditer(text)
        if m.group("name") is not None and _NAME.fullmatch(m.group("name"))
    }
    brace = set()
    for m in _FIELD.finditer(text):
        named = _NAME.fullmatch(m.group(1)) or _FIELD_WITH_SPEC.fullmatch(m.group(1))
        if named:
            brace.add(named.group(1) if named.re is _FIELD_WITH_SPEC else named.group(0))
    return percent, brace


#: A decimal or grouping sign that still joins a digit to a placeholder: "{dose},5".
_JOINERS = ".,\u066b\u066c"


def _digits_against(text: str) -> list[tuple[int, int, int, int]]:
    """Each placeholder with digits against it: (digits start, placeholder start, end, digits end).

    Walked character by character, not matched by a pattern that backtracks: a
    catalog may hold a line of a million digits.
    """
    found = []
    for match in _BARE.finditer(text):
        start, end = match.span()
        before = start - 1 if start and text[start - 1] in _JOINERS else start
        first = before
        while first and text[first - 1].isdecimal():
            first -= 1
        after = end + 1 if end < len(text) and text[end] in _JOINERS else end
        last = after
        while last < len(text) and text[last].isdecimal():
            last += 1
        head, tail = first if first < before else start, last if last > after else end
        if (head, tail) != (start, end):
            found.append((head, start, end, tail))
    return found


def glued_placeholders(text: str) -> set[str]:
    """Each placeholder with digits against it, as written: '{age}0', '1{age}'."""
    return {text[head:tail] for head, _, _, tail in _digits_against(text)}


def unglue_placeholders(text: str) -> str:
    """``text`` with the digits against its placeholders taken out (reported once, as glued)."""
    dropped: set[int] = set()
    for head, start, end, tail in _digits_against(text):
        dropped.update(range(head, start), range(end, tail))
    return "".join(char for index, char in enumerate(text) if index not in dropped)


def without_placeholders(text: str, by: str = "") -> str:
    """``text`` with each placeholder, bare or not, replaced by ``by``."""
    return _FIELD.sub(by, _PERCENT_TOKEN.sub(lambda m: by if m.group("name") else m.group(0), text))
