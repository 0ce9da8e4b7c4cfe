"""Plausible numbers: the limits every number in a record is held to, by kind.

A record's numbers are typed by hand, and a slip (an extra zero, a minus sign,
a decimal point in the wrong place, a date's year) prints as a wrong dose.
Each kind of number has one check here, whichever way the record writes it
(``'25 mg'`` or ``{value: 25, unit: mg}``, ``19`` or ``{min: 10, max: 20}``):
finite, within the kind's plausible range, and with at most
:data:`MAX_DECIMALS` decimal places. Together these bound every number to a
few digits, so nothing that passes ``leaflet check`` can overflow the
formatting of a document (Babel works to 28 significant digits).

The functions return a problem in leaflet's wording, or None; the models in
:mod:`leaflet.record.fields` and :mod:`leaflet.record.model_dosing` raise it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Protocol

__all__ = [
    "EARLIEST_DATE",
    "MAX_DECIMALS",
    "MAX_PLAIN_NUMBER",
    "NAMED_LIMITS",
    "UNIT_LIMITS",
    "Measured",
    "amount_problem",
    "as_number",
    "date_problem",
    "decimal_places",
    "exceeds",
    "in_common_unit",
    "named_value_problem",
    "plain_number_problem",
    "range_problem",
    "shown",
    "written",
]

#: The most decimal places a number may have: 0.0625 mg (a 62.5 mcg tablet) needs four.
#: More is a slip (0.33333 mg), and would print digits no label gives.
MAX_DECIMALS = 4

#: Smallest and largest plausible amount per unit, and how to write a smaller one.
#: Floors: an amount below the floor is written in the smaller unit (0.0005 mg is
#: 0.5 mcg); the smallest real doses (calcitriol 0.25 mcg, ziconotide 0.1 mcg an hour)
#: are far above 0.01 mcg. Ceilings: no single dose, daily total or strength comes
#: near them (the largest daily doses are a few grams), and a larger amount is
#: written in the larger unit.
UNIT_LIMITS: dict[str, tuple[Decimal, Decimal, str]] = {
    "mg": (Decimal("0.001"), Decimal(100000), "write a smaller amount in mcg"),
    "mcg": (Decimal("0.01"), Decimal(100000), "check the decimal point"),
    "g": (Decimal("0.001"), Decimal(100), "write a smaller amount in mg"),
    # A 1 mL oral syringe is marked in 0.01 mL; a litre is the largest bag or bottle.
    "mL": (Decimal("0.01"), Decimal(1000), "check the decimal point"),
    "%": (Decimal("0.001"), Decimal(100), "check the decimal point"),
    # Half-lives of weeks (amiodarone: about 1400 h) stay below the ceiling.
    "h": (Decimal("0.01"), Decimal(10000), "check the decimal point"),
    "mg/kg": (Decimal("0.001"), Decimal(1000), "write a smaller amount in mcg/kg"),
    "mcg/kg": (Decimal("0.01"), Decimal(10000), "check the decimal point"),
}

#: The largest plain number a placeholder may hold (counts, durations, ages …).
MAX_PLAIN_NUMBER = Decimal(1000000)

#: Placeholder names that say what their number is: a name holding one of these
#: words, split at underscores (``age``, ``min_age``, ``step_days``), is held to its
#: range. Ages and durations are never negative; a percentage is at most 100.
NAMED_LIMITS: dict[str, tuple[str, Decimal, str]] = {
    "age": ("an age", Decimal(120), " years"),
    "years": ("a number of years", Decimal(120), " years"),
    "weeks": ("a number of weeks", Decimal(520), " weeks"),
    "days": ("a number of days", Decimal(3650), " days"),
    "hours": ("a number of hours", Decimal(10000), " hours"),
    "pct": ("a percentage", Decimal(100), " %"),
    "percent": ("a percentage", Decimal(100), " %"),
}

#: No label a record follows, and no revision of a record, is older than this; a
#: year such as 0001 or 1026 is a typing slip.
EARLIEST_DATE = datetime.date(1950, 1, 1)
#: How far ahead a date may be: a revision may be dated for its planned release,
#: never years ahead (9999 or 2206 is a typing slip).
_LATEST_AHEAD = datetime.timedelta(days=366)

#: Mass units in micrograms, so that amounts in mg, mcg and g can be compared.
_MICROGRAMS = {"mcg": Decimal(1), "mg": Decimal(1000), "g": Decimal(1000000)}


class Measured(Protocol):
    """Anything with a value and a unit (a record's quantity)."""

    @property
    def value(self) -> Decimal: ...

    @property
    def unit(self) -> str: ...


def shown(text: str) -> str:
    """Shorten a value for a message: a 400-digit number is not read, only its start."""
    return text if len(text) <= 40 else text[:37] + "..."


def written(raw: Any) -> str:
    """A value as the record's YAML wrote it, for a message: ``true``, ``'5'``, ``12``."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    return shown(repr(raw) if isinstance(raw, str) else str(raw))


def decimal_places(value: Decimal) -> int:
    """How many decimal places ``value`` is written with (trailing zeros count)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def as_number(raw: Any) -> Decimal | None:
    """Return ``raw`` as a Decimal when it is a number (never a bool or a text), else None."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal):
        return None
    return raw if isinstance(raw, Decimal) else Decimal(str(raw))


def _digits_problem(value: Decimal, got: str) -> str | None:
    if not value.is_finite():
        return f"not a finite number (expected a number such as 5 or 0.5, got {got})"
    if decimal_places(value) > MAX_DECIMALS:
        return (
            f"too many decimal places (expected at most {MAX_DECIMALS}, as the label writes "
            f"the number, got {got})"
        )
    return None


def amount_problem(value: Decimal, unit: str, got: str) -> str | None:
    """What is wrong with an amount of ``unit`` (a dose, a strength, a volume), or None.

    ``got`` is the amount as the record writes it, for the message.
    """
    if not value.is_finite():
        return _digits_problem(value, got)
    if value <= 0:
        return f"must be more than zero (expected a positive amount, got {got})"
    floor, ceiling, smaller = UNIT_LIMITS[unit]
    if value > ceiling:
        return (
            f"too large to be real (expected at most {ceiling} {unit}; check for extra digits "
            f"or a wrong unit, got {got})"
        )
    if value < floor:
        return f"too small to be real (expected at least {floor} {unit}; {smaller}, got {got})"
    return _digits_problem(value, got)


def range_problem(
    value: Decimal, low: Decimal, high: Decimal, what: str, unit: str = ""
) -> str | None:
    """What is wrong with a number that must lie from ``low`` to ``high``, or None."""
    got = shown(str(value))
    if not value.is_finite():
        return _digits_problem(value, got)
    if not low <= value <= high:
        return f"out of range for {what} (expected {low} to {high}{unit}, got {got})"
    return _digits_problem(value, got)


def plain_number_problem(value: Decimal) -> str | None:
    """What is wrong with a plain number in a placeholder (a count, a duration), or None."""
    got = shown(str(value))
    if not value.is_finite():
        return _digits_problem(value, got)
    if value < 0:
        return f"a negative number (expected 0 or more, got {got})"
    if value > MAX_PLAIN_NUMBER:
        return (
            f"too large to be real (expected at most {MAX_PLAIN_NUMBER}; check for extra "
            f"digits, got {got})"
        )
    return _digits_problem(value, got)


def named_value_problem(name: str, value: Decimal) -> str | None:
    """What is wrong with a placeholder's number given what its name says it is, or None."""
    for word in name.split("_"):
        if word in NAMED_LIMITS:
            what, high, unit = NAMED_LIMITS[word]
            return range_problem(value, Decimal(0), high, what, unit)
    return None


def date_problem(value: datetime.date, today: datetime.date | None = None) -> str | None:
    """What is wrong with a date in a record (a revision, a label's date), or None."""
    latest = (today or datetime.date.today()) + _LATEST_AHEAD
    if EARLIEST_DATE <= value <= latest:
        return None
    return (
        f"date out of range (expected a date from {EARLIEST_DATE.isoformat()} to one year "
        f"after today, got {value.isoformat()}; check the year for a typing slip)"
    )


def in_common_unit(first: Measured, second: Measured) -> tuple[Decimal, Decimal] | None:
    """Both values in one unit (mg and g in mcg), or None when they measure different things."""
    if first.unit == second.unit:
        return first.value, second.value
    first_mass, _, first_per = first.unit.partition("/")
    second_mass, _, second_per = second.unit.partition("/")
    if first_per != second_per or first_mass not in _MICROGRAMS or second_mass not in _MICROGRAMS:
        return None
    return first.value * _MICROGRAMS[first_mass], second.value * _MICROGRAMS[second_mass]


def exceeds(first: Measured, second: Measured) -> bool:
    """True when ``first`` is more than ``second`` (in any mass unit); False if not comparable."""
    values = in_common_unit(first, second)
    return values is not None and values[0] > values[1]
