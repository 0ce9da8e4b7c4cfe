"""Plausibility rules that need several fields: doses within their maxima, ranges the right way.

Each number is checked on its own where it is read (:mod:`leaflet.record.number_limits`);
these rules compare numbers with each other. A single dose may not exceed the
regimen's maximum single dose or its maximum daily dose, nor the day's total
of its own dose; a kidney or liver band's dose choices stay within the band's
daily total; placeholder values that form a range (``low`` and ``high``,
``min_weeks`` and ``max_weeks``) are the right way round; and a placeholder's
number stays within what its name says it is (an ``age`` from 0 to 120 years).
Amounts in mg, mcg and g are compared in one unit. Each problem is yielded as
``(path, message)``, like :mod:`leaflet.record.record_rules`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from .fields import Cited, QuantityValue
from .model import DrugRecord
from .model_dosing import AmountRange, Dose, Regimen, TimesRange, amount_top
from .number_limits import exceeds, named_value_problem
from .yaml_source import PathKey

__all__ = ["RANGE_WORDS", "plausibility_problems"]

#: Words that make two placeholder names a range: ``tmax_low`` and ``tmax_high``.
RANGE_WORDS = (("low", "high"), ("min", "max"))

Found = Iterator[tuple[PathKey, str]]


def plausibility_problems(record: DrugRecord) -> Found:
    """Yield (path, message) for every number that is implausible next to another."""
    for index, regimen in enumerate(record.regimens):
        path: PathKey = ("regimens", index)
        yield from _single_doses(regimen, path)
        for name in ("start", "usual", "maximum"):
            dose = getattr(regimen, name)
            if dose is not None:
                yield from _within_its_day(dose, (*path, name), adds_up=name != "maximum")
    yield from _band_problems(record)
    yield from _value_problems(record, ())


def _single_doses(regimen: Regimen, path: PathKey) -> Found:
    """A starting or usual single dose above the maximum single or daily dose."""
    maximum = regimen.maximum
    if maximum is None:
        return
    max_each, max_daily = amount_top(maximum.each), amount_top(maximum.daily)
    for name in ("start", "usual"):
        dose: Dose | None = getattr(regimen, name)
        each = amount_top(dose.each) if dose is not None else None
        if dose is None or each is None:
            continue
        highest = dose.highest_daily()
        if max_each is not None and exceeds(each, max_each):
            yield (
                (*path, name, "each"),
                f"a single dose is above the maximum single dose (expected at most {max_each}, "
                f"got {each})",
            )
        # A day's total above the maximum is already named by record_rules.
        elif (
            max_daily is not None
            and exceeds(each, max_daily)
            and not (highest is not None and exceeds(highest, max_daily))
        ):
            yield (
                (*path, name, "each"),
                f"a single dose is above the maximum daily dose (expected at most {max_daily}, "
                f"got {each})",
            )
    for index, test in enumerate(regimen.test_doses):
        if max_daily is not None and exceeds(test.dose, max_daily):
            yield (
                (*path, "test_doses", index, "dose"),
                f"a test dose is above the maximum daily dose (expected at most {max_daily}, "
                f"got {test.dose})",
            )


def _within_its_day(dose: Dose, path: PathKey, adds_up: bool) -> Found:
    """A dose's single dose above its own daily total, or doses adding up to more."""
    each, daily = amount_top(dose.each), amount_top(dose.daily)
    if each is None or daily is None:
        return
    if exceeds(each, daily):
        yield (
            (*path, "each"),
            f"a single dose is above the day's total (expected at most {daily}, got {each})",
        )
        return
    times = dose.times_per_day
    fewest = times.min if isinstance(times, TimesRange) else times
    least = dose.each.min if isinstance(dose.each, AmountRange) else dose.each
    if not adds_up or fewest is None or least is None:
        return
    total = QuantityValue(value=least.value * fewest, unit=least.unit)
    if exceeds(total, daily):
        yield (
            (*path, "times_per_day"),
            f"the doses add up to more than the day's total (expected at most {daily}, got "
            f"{fewest} x {least} = {total})",
        )


def _band_problems(record: DrugRecord) -> Found:
    """A kidney or liver band's dose choice above the band's daily total."""
    for organ in ("kidney", "liver"):
        adjustment = getattr(record.populations, organ).adjustment
        if adjustment is None:
            continue
        for b_index, band in enumerate(adjustment.bands):
            daily = amount_top(band.daily)
            for c_index, choice in enumerate(band.each):
                if daily is not None and exceeds(choice, daily):
                    yield (
                        ("populations", organ, "adjustment", "bands", b_index, "each", c_index),
                        f"a dose choice is above the band's daily total (expected at most "
                        f"{daily}, got {choice})",
                    )


def _value_problems(obj: Any, path: PathKey) -> Found:
    """Every placeholder value against its name, and every pair of values forming a range."""
    if isinstance(obj, Cited):
        for name, value in obj.values.items():
            if isinstance(value, int | Decimal) and not isinstance(value, bool):
                problem = named_value_problem(name, Decimal(value))
                if problem:
                    yield (*path, "values", name), problem
        yield from _inverted_pairs(obj.values, (*path, "values"))
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            if name != "values":
                yield from _value_problems(getattr(obj, name), (*path, name))
    elif isinstance(obj, list):
        for index, item in enumerate(obj):
            yield from _value_problems(item, (*path, index))


def _inverted_pairs(values: Mapping[str, Any], path: PathKey) -> Found:
    for name, value in values.items():
        words = name.split("_")
        for low, high in RANGE_WORDS:
            if low not in words:
                continue
            partner = "_".join(high if word == low else word for word in words)
            if partner in values and _above(value, values[partner]):
                yield (
                    (*path, name),
                    f"the range is upside down (expected {name} <= {partner}, got {value} and "
                    f"{values[partner]})",
                )


def _above(first: Any, second: Any) -> bool:
    """True when ``first`` is more than ``second`` and the two can be compared."""
    if isinstance(first, QuantityValue) and isinstance(second, QuantityValue):
        return exceeds(first, second)
    numbers = (int, Decimal)
    if isinstance(first, numbers) and isinstance(second, numbers):
        return bool(first > second)
    if isinstance(first, date) and isinstance(second, date):
        return first > second
    return False
