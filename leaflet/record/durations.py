"""Durations and ages in a record: ``'1 week'``, ``'1 to 2 weeks'``, ``'65 years'``.

A number of weeks or years cannot be printed as a bare number followed by a
word in the English sentence: Russian says "1 недели" but "5 недель", Arabic
"أسبوع إلى أسبوعين" ("a week to two weeks") where the English has "1 to 2
weeks". A duration is therefore a value of its own, with its unit, and each
language words it through leaflet's own catalog (see
:mod:`leaflet.render.durations`), while the record's sentence holds only the
placeholder: "over {weeks}" with ``weeks: 1 to 2 weeks``.

A duration is a whole number of its unit, or a range of two whole numbers from
1 upwards with the lower first; the units are minutes, hours, days, weeks, months and years.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, WithJsonSchema

from .number_limits import shown

__all__ = [
    "DURATION_PATTERN",
    "TIME_UNITS",
    "UNIT_AFTER_PLACEHOLDER",
    "Duration",
    "DurationValue",
    "TimeUnit",
    "is_age",
    "looks_like_duration",
]

TimeUnit = Literal["minute", "hour", "day", "week", "month", "year"]
TIME_UNITS: tuple[str, ...] = TimeUnit.__args__  # type: ignore[attr-defined]

#: The largest number of each unit a duration or age may hold: a slip (an extra
#: zero) beyond it is refused. Ages stop at 120 years.
_CEILINGS = {"minute": 1440, "hour": 10000, "day": 3650, "week": 520, "month": 240, "year": 120}

_UNIT_WORDS = "|".join(f"{unit}s?" for unit in TIME_UNITS)
_DURATION_RE = re.compile(
    rf"^\s*(?P<low>\d+(?:\.\d+)?)(?:\s*(?:to|–)\s*(?P<high>\d+(?:\.\d+)?))?\s+(?P<unit>{_UNIT_WORDS})\s*$"
)
#: The JSON Schema pattern of a duration.
DURATION_PATTERN = rf"^\d+( to \d+)? ({_UNIT_WORDS})$"
#: A time unit typed after a placeholder or a pair of them ("{min_weeks} to {max_weeks}
#: weeks"): refused in a record (the unit belongs in the value) and moved there by migrate.
#: Groups: the placeholder, the range's upper placeholder (or None), the unit's word.
UNIT_AFTER_PLACEHOLDER = re.compile(
    rf"\{{([a-z][a-z0-9_]*)\}}(?: to \{{([a-z][a-z0-9_]*)\}})? ({_UNIT_WORDS})\b"
)


class DurationValue(BaseModel):
    """A whole number of minutes, hours, days, weeks, months or years, or a range of them."""

    model_config = ConfigDict(frozen=True)
    low: int
    #: The upper end of a range ("1 to 2 weeks"); None for one number.
    high: int | None = None
    unit: TimeUnit

    def __str__(self) -> str:
        count = self.high if self.high is not None else self.low
        unit = self.unit if count == 1 else f"{self.unit}s"
        if self.high is None:
            return f"{self.low} {unit}"
        return f"{self.low} to {self.high} {unit}"

    @property
    def count(self) -> int:
        """The number the wording agrees with: the range's upper end, or the one number."""
        return self.high if self.high is not None else self.low


def is_age(name: str) -> bool:
    """True for a placeholder named for a person's age (``age``, ``min_age``, ``ages``).

    Some languages word an age apart from the years of a duration (Chinese 12岁, not 12年).
    """
    return bool({"age", "ages"} & set(name.split("_")))


def looks_like_duration(raw: Any) -> bool:
    """True when ``raw`` is text ending in a time unit, so it is checked as a duration."""
    return isinstance(raw, str) and bool(re.search(rf"\b({_UNIT_WORDS})\s*$", raw.strip()))


def _parse_duration(raw: Any) -> DurationValue:
    if isinstance(raw, DurationValue):
        return raw
    got = shown(repr(raw))
    match = _DURATION_RE.match(raw) if isinstance(raw, str) else None
    if match is None:
        raise ValueError(
            "not a duration (expected a whole number and a unit such as '2 weeks', or a "
            f"range such as '1 to 2 weeks'; units: {', '.join(TIME_UNITS)}, got {got})"
        )
    low_text, high_text, word = match.group("low", "high", "unit")
    unit = word.removesuffix("s")
    numbers = [Decimal(low_text)] + ([Decimal(high_text)] if high_text else [])
    if any(n != n.to_integral_value() for n in numbers):
        raise ValueError(
            f"a duration in part of a {unit} (expected whole {unit}s, or the same time in a "
            f"smaller unit, got {got})"
        )
    low, high = int(numbers[0]), (int(numbers[1]) if high_text else None)
    ceiling = _CEILINGS[unit]
    if not 1 <= low <= ceiling or (high is not None and not low < high <= ceiling):
        raise ValueError(
            f"duration out of range (expected from 1 to {ceiling} {unit}s, a range with the "
            f"lower number first, got {got})"
        )
    value = DurationValue(low=low, high=high, unit=unit)  # type: ignore[arg-type]
    if word != _english_word(value):
        raise ValueError(
            f"the unit's English form does not match its number (expected {str(value)!r}, "
            f"got {got})"
        )
    return value


def _english_word(value: DurationValue) -> str:
    return value.unit if value.count == 1 else f"{value.unit}s"


Duration = Annotated[
    DurationValue,
    BeforeValidator(_parse_duration),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": "A duration or an age: a whole number and a time unit ('1 week', "
            "'65 years') or a range ('1 to 2 weeks'). Each language words it in its own "
            "grammar; the text holds only the placeholder ('over {weeks}').",
            "examples": ["1 week", "1 to 2 weeks", "12 hours", "65 years"],
        }
    ),
]
