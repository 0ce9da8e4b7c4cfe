"""Read the taper options that stand alone: amounts in mg, counts, the start date, the plan.

Each mistake becomes a :class:`~leaflet.errors.Problem` naming its option;
:mod:`leaflet.taper.taper_request` collects them all before refusing a request.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from ..record.errors import Problem
from ..record.model import DrugRecord
from .taper_choice import supply_words
from .taper_supply import Supply, show_mg

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "multiple_problem",
    "parse_date",
    "parse_int",
    "parse_mg",
    "parse_plan",
]

_NUMBER = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*(mg|mcg|µg|ug)?\s*$", re.IGNORECASE)


def parse_mg(option: str, raw: str, what: str, problems: list[Problem]) -> Decimal | None:
    """Read an amount in mg (a bare number means mg); refuse micrograms."""
    match = _NUMBER.match(raw)
    if not match:
        problems.append(
            Problem.with_option(
                option, f"not a number of mg (expected {what}, such as 10 or 7.5, got {raw!r})"
            )
        )
        return None
    unit = (match.group(2) or "mg").lower()
    if unit != "mg":
        problems.append(
            Problem.with_option(
                option,
                f"{raw!r} is in micrograms, an intrathecal (pump) dose (expected mg taken by "
                "mouth; pump doses are changed by the pump team, never with a calendar)",
            )
        )
        return None
    value = Decimal(match.group(1))
    if value <= 0:
        problems.append(
            Problem.with_option(option, f"must be more than zero (expected {what}, got {raw!r})")
        )
        return None
    return value


def parse_int(option: str, raw: str, what: str, problems: list[Problem]) -> int | None:
    """Read a whole number above zero."""
    try:
        value = int(raw.strip())
    except ValueError:
        problems.append(
            Problem.with_option(option, f"not a whole number (expected {what}, got {raw!r})")
        )
        return None
    if value <= 0:
        problems.append(
            Problem.with_option(option, f"must be more than zero (expected {what}, got {raw!r})")
        )
        return None
    return value


def multiple_problem(value: Decimal, supply: Supply) -> str:
    step = supply.quantum_mg
    if supply.is_liquid:
        return (
            f"{show_mg(value)} is not a measurable volume of {supply.concentration} "
            f"(expected multiples of {supply.step_ml.normalize():f} mL = {show_mg(step)}; "
            "--min-ml sets the smallest volume)"
        )
    return (
        f"{show_mg(value)} is not a whole number of {supply_words(supply)} (expected "
        f"multiples of {show_mg(step)}{'' if supply.divisible else _NOT_DIVIDED[supply.unit_name]})"
    )


_NOT_DIVIDED = {
    "tablet": "; this tablet is not scored, so it cannot be halved",
    "capsule": "; capsules are never split",
    "packet": "; packets are never split",
}


#: Years a start date may fall in: wide, yet far from the calendar's limits.
FIRST_YEAR, LAST_YEAR = 2000, 2999


def parse_date(raw: str, problems: list[Problem]) -> date | None:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip()):
            raise ValueError
        parsed = date.fromisoformat(raw.strip())
    except ValueError:
        problems.append(
            Problem.with_option(
                "--start",
                f"not a date (expected YYYY-MM-DD, such as 2026-12-03, got {raw!r})",
            )
        )
        return None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        problems.append(
            Problem.with_option(
                "--start",
                f"the year {parsed.year} is out of range (expected a start date from "
                f"{FIRST_YEAR} to {LAST_YEAR}; check for a typing slip)",
            )
        )
        return None
    return parsed


_Plan = tuple[str, int | None, Decimal | None, int | None]


def parse_plan(
    record: DrugRecord,
    days: str | None,
    step_mg: str | None,
    every_days: str | None,
    plan: str | None,
    supply: Supply | None,
    current: Decimal | None,
    problems: list[Problem],
) -> _Plan | None:
    stepped = step_mg is not None or every_days is not None
    given = [name for name, used in (("--days", days is not None), ("--step-mg", stepped),
                                     ("--plan", plan is not None)) if used]  # fmt: skip
    if len(given) > 1:
        problems.append(
            Problem.with_option(
                given[1],
                f"two plans given ({' and '.join(given)}; expected one of --days N, "
                "--step-mg X with --every-days D, or --plan label)",
            )
        )
        return None
    if days is not None:
        length = parse_int("--days", days, "the taper's length in days", problems)
        return None if length is None else ("days", length, None, None)
    if plan is not None:
        label = record.taper.label_plan if record.taper else None
        if label is None:
            problems.append(
                Problem.with_option(
                    "--plan",
                    f"the {record.drug.name} label gives no taper steps, so there is no label "
                    "plan (expected --days N, or --step-mg X with --every-days D, as the "
                    "prescriber ordered)",
                )
            )
            return None
        if supply is not None and label.daily_step.value % supply.quantum_mg != 0:
            problems.append(
                Problem.with_option(
                    "--plan",
                    f"the label's plan lowers the daily dose by {show_mg(label.daily_step.value)} "
                    f"every {label.every_days} days, which {supply_words(supply)} cannot do "
                    f"(expected a strength whose smallest step divides "
                    f"{show_mg(label.daily_step.value)})",
                )
            )
            return None
        return _stepped(label.daily_step.value, label.every_days, current, "label", problems)
    if not stepped:
        problems.append(
            Problem.with_option(
                "--days",
                "no plan given (expected --days N, --step-mg X with --every-days D, or "
                "--plan label)",
            )
        )
        return None
    if step_mg is None or every_days is None:
        missing = "--step-mg" if step_mg is None else "--every-days"
        problems.append(
            Problem.with_option(missing, f"missing (expected {missing} with the other step option)")
        )
        return None
    step = parse_mg("--step-mg", step_mg, "the amount the daily total drops by", problems)
    every = parse_int("--every-days", every_days, "days between steps", problems)
    if step is None or every is None:
        return None
    if supply is not None and step % supply.quantum_mg != 0:
        problems.append(Problem.with_option("--step-mg", multiple_problem(step, supply)))
        return None
    return _stepped(step, every, current, "step", problems)


def _stepped(
    step: Decimal, every: int, current: Decimal | None, kind: str, problems: list[Problem]
) -> _Plan | None:
    if current is not None and step >= current:
        option = "--plan" if kind == "label" else "--step-mg"
        problems.append(
            Problem.with_option(
                option,
                f"{show_mg(step)} is not less than the current dose of {show_mg(current)} "
                "(expected a smaller step, so that the dose goes down before it stops)",
            )
        )
        return None
    return (kind, None, step, every)
