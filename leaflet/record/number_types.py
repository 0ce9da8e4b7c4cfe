"""The record's number types: quantities, plain numbers, percentages, clearances and dates.

Each kind of number is checked by one function, whichever way the record
writes it: a quantity as ``'25 mg'`` or ``{value: 25, unit: mg}``, a
placeholder's value as a quantity, a plain number or a date. The limits
themselves (plausible amounts per unit, decimal places, dates) live in
:mod:`leaflet.record.number_limits`; :mod:`leaflet.record.fields` re-exports these types.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
)

from .durations import Duration, DurationValue, looks_like_duration
from .number_limits import (
    MAX_DECIMALS,
    MAX_PLAIN_NUMBER,
    NAMED_LIMITS,
    UNIT_LIMITS,
    amount_problem,
    as_number,
    date_problem,
    plain_number_problem,
    range_problem,
    shown,
    written,
)

__all__ = [
    "QUANTITY_LIMITS_NOTE",
    "QUANTITY_PATTERN",
    "UNITS",
    "Clearance",
    "PercentNumber",
    "PlainNumber",
    "Quantity",
    "QuantityValue",
    "RecordDate",
    "Unit",
    "Value",
    "range_or_single",
]

Unit = Literal["mg", "mcg", "g", "mL", "%", "h", "mg/kg", "mcg/kg"]
UNITS: tuple[str, ...] = Unit.__args__  # type: ignore[attr-defined]


class QuantityValue(BaseModel):
    """A number with its unit, written in the record as text such as ``"50 mcg"``."""

    model_config = ConfigDict(frozen=True)
    value: Decimal
    unit: Unit

    def __str__(self) -> str:
        return f"{self.value} {self.unit}"

    @property
    def base_unit(self) -> str:
        """The amount's unit without a per-weight part: ``mg`` for ``mg/kg``."""
        return self.unit.split("/", 1)[0]

    @property
    def per_kg(self) -> bool:
        """True for a dose by body weight (``mg/kg``)."""
        return self.unit.endswith("/kg")


_QUANTITY_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z%/]+)\s*$")
_NOT_A_QUANTITY = "not a quantity (expected a number and a unit such as '5 mg', got {got})"


def _parse_quantity(raw: Any) -> QuantityValue:
    """Check a quantity however it is written: ``'25 mg'`` or ``{value: 25, unit: mg}``.

    Both forms (and a quantity already built) go through the same checks: a known
    unit, and an amount that is plausible for it (:func:`amount_problem`).
    """
    number: Decimal
    unit: str
    if isinstance(raw, QuantityValue):
        number, unit, got = raw.value, raw.unit, repr(str(raw))
    elif isinstance(raw, dict):
        number, unit, got = _quantity_mapping(raw)
    elif isinstance(raw, str):
        number, unit, got = _quantity_text(raw)
    else:
        raise ValueError(_NOT_A_QUANTITY.format(got=shown(repr(raw))))
    if unit not in UNITS:
        raise ValueError(f"unknown unit (expected one of {', '.join(UNITS)}, got {unit!r})")
    problem = amount_problem(number, unit, got)
    if problem:
        raise ValueError(problem)
    return QuantityValue.model_validate({"value": number, "unit": unit})


def _quantity_text(raw: str) -> tuple[Decimal, str, str]:
    match = _QUANTITY_RE.match(raw)
    if not match:
        raise ValueError(_NOT_A_QUANTITY.format(got=shown(repr(raw))))
    number, unit = match.groups()
    if re.match(r"0\d", number):
        # Outside quotes YAML reads 010 as 8 (octal): the same digits are refused here too.
        raise ValueError(
            f"a number with a leading zero (expected {Decimal(number)} {unit}, without the "
            f"leading zero, got {shown(repr(raw))})"
        )
    return Decimal(number), unit, shown(repr(raw))


def _quantity_mapping(raw: dict[Any, Any]) -> tuple[Decimal, str, str]:
    got = shown("{" + ", ".join(f"{k}: {v}" for k, v in raw.items()) + "}")
    if set(raw) != {"value", "unit"} or not isinstance(raw["unit"], str):
        raise ValueError(
            "not a quantity (expected a number and a unit such as '5 mg', or value: and "
            f"unit: such as {{value: 5, unit: mg}}, got {got})"
        )
    number = as_number(raw["value"])
    if number is None:
        raise ValueError(
            f"not a quantity (expected value: to be a number such as 5, got "
            f"{written(raw['value'])})"
        )
    return number, raw["unit"], got


_UNIT_PATTERN = "|".join(re.escape(u) for u in UNITS)
#: The JSON Schema pattern of a quantity written as text.
QUANTITY_PATTERN = r"^\d+(\.\d+)?\s*(" + _UNIT_PATTERN + r")$"
#: The limits every quantity is held to, as the schema states them.
QUANTITY_LIMITS_NOTE = (
    f"At most {MAX_DECIMALS} decimal places, and within what is plausible for the unit: "
    + ", ".join(f"{low}–{high} {unit}" for unit, (low, high, _) in UNIT_LIMITS.items())
    + " (a smaller or larger amount is a slip, or belongs in another unit)."
)

Quantity = Annotated[
    QuantityValue,
    BeforeValidator(_parse_quantity),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": QUANTITY_PATTERN},
                {
                    "type": "object",
                    "properties": {
                        "value": {"type": "number", "exclusiveMinimum": 0},
                        "unit": {"enum": list(UNITS)},
                    },
                    "required": ["value", "unit"],
                    "additionalProperties": False,
                },
            ],
            "description": "A positive number and a unit, e.g. '5 mg', '50 mcg' or, by body "
            f"weight, '10 mg/kg' (or written {{value: 5, unit: mg}}). {QUANTITY_LIMITS_NOTE}",
            "examples": ["5 mg", "250 mg", "50 mcg", "10 mg/kg"],
        }
    ),
]


def _plain_number(raw: Any) -> int | Decimal:
    number = as_number(raw)
    if number is None:
        raise ValueError(
            "wrong value (expected a number, a quantity such as '5 mg' or a date, got "
            f"{written(raw)})"
        )
    problem = plain_number_problem(number)
    if problem:
        raise ValueError(problem)
    return raw if isinstance(raw, int) else number


def _check_date(value: date) -> date:
    problem = date_problem(value)
    if problem:
        raise ValueError(problem)
    return value


#: A date in a record: a revision, a label's date, a placeholder's value.
RecordDate = Annotated[date, AfterValidator(_check_date)]

PlainNumber = Annotated[
    int | Decimal,
    BeforeValidator(_plain_number),
    WithJsonSchema(
        {
            "type": "number",
            "minimum": 0,
            "maximum": int(MAX_PLAIN_NUMBER),
            "description": "A plain number (a count, a duration, an age). Never negative, at "
            f"most {MAX_DECIMALS} decimal places; a placeholder named for an age, years, "
            "weeks, days, hours or a percentage (pct) is held to that range: "
            + ", ".join(f"{word} up to {high}" for word, (_, high, _) in NAMED_LIMITS.items())
            + ".",
        }
    ),
]


def _value_kind(raw: Any) -> str:
    """Which kind of placeholder value ``raw`` is written as; each kind has one check."""
    if isinstance(raw, date):
        return "Date"
    if isinstance(raw, int | float | Decimal):
        return "Number"
    if isinstance(raw, DurationValue) or looks_like_duration(raw):
        return "Duration"
    return "Quantity"


Value = Annotated[
    Annotated[Quantity, Tag("Quantity")]
    | Annotated[PlainNumber, Tag("Number")]
    | Annotated[RecordDate, Tag("Date")]
    | Annotated[Duration, Tag("Duration")],
    Discriminator(_value_kind),
    Field(
        description="A placeholder's value: a quantity ('5 mg'), a number, a date or a "
        "duration ('1 to 2 weeks', '65 years')."
    ),
]


def _percent(raw: Any) -> Decimal:
    number = as_number(raw)
    if number is None:
        raise ValueError(f"not a percentage (expected a number from 0 to 100, got {written(raw)})")
    problem = range_problem(number, Decimal(0), Decimal(100), "a percentage", " %")
    if problem:
        raise ValueError(problem)
    return number


#: A percentage written as a number (19, 0.5), from 0 to 100.
PercentNumber = Annotated[
    Decimal,
    BeforeValidator(_percent),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 100}),
]


#: Creatinine clearance never exceeds this (mL/min); a normal adult's is about 120.
_MAX_CLEARANCE = Decimal(250)


def _clearance(raw: Any) -> Decimal:
    number = as_number(raw)
    if number is None:
        raise ValueError(f"wrong value (expected a number in mL/min, got {written(raw)})")
    problem = range_problem(number, Decimal(0), _MAX_CLEARANCE, "a creatinine clearance", " mL/min")
    if problem:
        raise ValueError(problem)
    return number


Clearance = Annotated[
    Decimal,
    BeforeValidator(_clearance),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": int(_MAX_CLEARANCE)}),
]


def range_or_single(raw: Any) -> str:
    """Tell a range (``{min: …, max: …}``) from a single value, for a discriminated union.

    Each shape then gets its own one check: without this, pydantic tries every
    branch of a union and reports each branch's complaint (one mistake, three
    messages). The tags start with a capital so that messages leave them out.
    """
    if isinstance(raw, dict):
        return "Range" if {"min", "max"} & set(raw) else "Single"
    # A range already built (a model with min and max); a Decimal has min() and max() too.
    is_range = isinstance(raw, BaseModel) and hasattr(raw, "min") and hasattr(raw, "max")
    return "Range" if is_range else "Single"
