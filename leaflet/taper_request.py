"""Check a pharmacist's taper options and turn them into a :class:`~leaflet.taper.TaperRequest`.

Every option arrives as typed text (``60``, ``20,20,20``, ``"250 mg/5 mL"``,
``2026-12-07``). Each mistake becomes a problem naming its option, all of them
collected before the request is refused; a dose in micrograms (a pump dose) is
never accepted. The product the patient has is found by
:mod:`leaflet.taper_choice`.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from .errors import InputError, Problem
from .model import DrugRecord
from .model_dosing import TIMES_OF_DAY
from .taper import MAX_TAPER_DAYS, TIMES_BY_COUNT, TaperRequest, planned_length
from .taper_choice import ProductChoice, choose_supply, daily_ceiling, supply_words
from .taper_supply import Supply, show_mg

__all__ = ["FIRST_YEAR", "LAST_YEAR", "parse_request"]

_NUMBER = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*(mg|mcg|µg|ug)?\s*$", re.IGNORECASE)
#: Doses a day a calendar can show: one column per time of day.
MAX_TIMES = len(TIMES_OF_DAY)


def problem(option: str, message: str) -> Problem:
    """A problem with one command-line option."""
    return Problem(option, None, "", message)


def parse_mg(option: str, raw: str, what: str, problems: list[Problem]) -> Decimal | None:
    """Read an amount in mg (a bare number means mg); refuse micrograms."""
    match = _NUMBER.match(raw)
    if not match:
        problems.append(
            problem(option, f"not a number of mg (expected {what}, such as 10 or 7.5, got {raw!r})")
        )
        return None
    unit = (match.group(2) or "mg").lower()
    if unit != "mg":
        problems.append(
            problem(
                option,
                f"{raw!r} is in micrograms, an intrathecal (pump) dose (expected mg taken by "
                "mouth; pump doses are changed by the pump team, never with a calendar)",
            )
        )
        return None
    value = Decimal(match.group(1))
    if value <= 0:
        problems.append(problem(option, f"must be more than zero (expected {what}, got {raw!r})"))
        return None
    return value


def parse_int(option: str, raw: str, what: str, problems: list[Problem]) -> int | None:
    """Read a whole number above zero."""
    try:
        value = int(raw.strip())
    except ValueError:
        problems.append(problem(option, f"not a whole number (expected {what}, got {raw!r})"))
        return None
    if value <= 0:
        problems.append(problem(option, f"must be more than zero (expected {what}, got {raw!r})"))
        return None
    return value


def parse_request(
    record: DrugRecord,
    *,
    current_dose: str,
    start: str,
    choice: ProductChoice,
    split: str | None = None,
    times_per_day: str | None = None,
    dose_times: str | None = None,
    days: str | None = None,
    step_mg: str | None = None,
    every_days: str | None = None,
    plan: str | None = None,
    route: str = "oral",
    prescriber_override: bool = False,
) -> TaperRequest:
    """Check the typed options against each other and the record; raise InputError if wrong.

    Every problem is collected and reported at once, each naming its option.
    """
    if route != "oral":
        raise InputError(
            [
                problem(
                    "--route",
                    f"{route} doses are not tapered with a calendar (expected oral; "
                    "intrathecal (pump) doses are lowered by the pump team, who reprogram "
                    "the pump)",
                )
            ]
        )
    problems: list[Problem] = []
    current = parse_mg("--current-dose", current_dose, "the daily total in mg", problems)
    supply = choose_supply(record, choice, problems)
    ceiling = daily_ceiling(record)
    if current is not None and ceiling is not None and current > ceiling:
        problems.append(
            problem(
                "--current-dose",
                f"{show_mg(current)} is above the highest daily dose in the record, "
                f"{show_mg(ceiling)} (expected at most {show_mg(ceiling)}; check the "
                "prescription)",
            )
        )
    split_mg = _parse_split(split, times_per_day, current, supply, choice.option, problems)
    if current is not None and supply is not None and split_mg is not None:
        if current <= supply.quantum_mg:
            problems.append(
                problem(
                    "--current-dose",
                    f"{show_mg(current)} a day is the smallest dose {supply_words(supply)} can "
                    "give, so it cannot be lowered in steps (expected a larger dose; to go "
                    "lower, the prescriber may choose a smaller strength or a liquid)",
                )
            )
    times = _parse_times(dose_times, split_mg, supply, problems)
    start_date = _parse_date(start, problems)
    steps = _parse_plan(record, days, step_mg, every_days, plan, supply, current, problems)
    if problems:
        raise InputError(problems)
    assert current is not None and supply is not None and split_mg is not None
    assert start_date is not None and steps is not None and times is not None
    kind, length_days, step, every = steps
    taper = record.taper
    request = TaperRequest(
        current_mg=current,
        split_mg=split_mg,
        supply=supply,
        start=start_date,
        times=times,
        days=length_days,
        step_mg=step,
        every_days=every,
        prescriber_override=prescriber_override,
        plan=kind,
        reduction_order=tuple(taper.reduction_order) if taper else TIMES_OF_DAY,
    )
    _check_length(record, request, prescriber_override)
    return request


def _check_length(record: DrugRecord, request: TaperRequest, override: bool) -> None:
    option = {"days": "--days", "step": "--every-days", "label": "--plan"}[request.plan]
    length = planned_length(request)
    if length > MAX_TAPER_DAYS:
        raise InputError(
            [
                problem(
                    option,
                    f"the plan lasts {length} days (expected at most {MAX_TAPER_DAYS}; "
                    "check for a typing slip)",
                )
            ]
        )
    minimum = record.taper.minimum_days if record.taper else 1
    # The label's own plan is never "too short": the minimum guards prescribers' plans.
    if length < minimum and not override and request.plan != "label":
        raise InputError(
            [
                problem(
                    option,
                    f"a {length}-day taper is shorter than the {minimum} days the record "
                    f"allows (expected {minimum} days or more; if the prescriber ordered "
                    "this plan, add --prescriber-override and it is printed as "
                    "prescriber-directed)",
                )
            ]
        )


def _multiple_problem(value: Decimal, supply: Supply) -> str:
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


def _parse_split(
    split: str | None,
    times_per_day: str | None,
    current: Decimal | None,
    supply: Supply | None,
    supply_option: str,
    problems: list[Problem],
) -> tuple[Decimal, ...] | None:
    count: int | None = None
    if times_per_day is not None:
        count = parse_int("--times-per-day", times_per_day, "doses a day, 1 to 4", problems)
        if count is not None and count > MAX_TIMES:
            problems.append(
                problem(
                    "--times-per-day",
                    f"{count} doses a day is more than a calendar shows (expected 1 to "
                    f"{MAX_TIMES}: morning, midday, evening and bedtime)",
                )
            )
            return None
        if count is None:
            return None
    doses: list[Decimal] = []
    if split is not None:
        for part in split.split(","):
            value = parse_mg("--split", part, "each dose in mg, e.g. 20,20,20", problems)
            if value is None:
                return None
            doses.append(value)
        if len(doses) > MAX_TIMES:
            problems.append(
                problem(
                    "--split",
                    f"{len(doses)} doses a day is more than a calendar shows (expected 1 to "
                    f"{MAX_TIMES} doses, e.g. 20,20,20)",
                )
            )
            return None
        if count is not None and count != len(doses):
            problems.append(
                problem(
                    "--split",
                    f"{len(doses)} doses do not match --times-per-day {count} (expected "
                    f"{count} doses, or leave out --times-per-day)",
                )
            )
            return None
        if current is not None and sum(doses) != current:
            problems.append(
                problem(
                    "--split",
                    f"the doses add up to {show_mg(sum(doses, Decimal(0)))}, not the current "
                    f"dose of {show_mg(current)} (expected doses that add up to the daily "
                    "total)",
                )
            )
            return None
    elif current is not None:
        count = count or 3
        each = current / count
        if supply is not None and each % supply.quantum_mg != 0:
            problems.append(
                problem(
                    "--times-per-day",
                    f"{show_mg(current)} cannot be split into {count} equal doses of "
                    f"{supply_words(supply)} (expected the real split with --split, e.g. "
                    "--split 20,10,20)",
                )
            )
            return None
        doses = [each] * count
    else:
        return None
    if supply is not None:
        for value in doses:
            if value % supply.quantum_mg != 0:
                option = "--split" if split is not None else "--current-dose"
                problems.append(problem(option, _multiple_problem(value, supply)))
                return None
    return tuple(doses)


def _parse_times(
    raw: str | None,
    split: tuple[Decimal, ...] | None,
    supply: Supply | None,
    problems: list[Problem],
) -> tuple[str, ...] | None:
    if split is None:
        return None
    if raw is None:
        usual = supply.product.take.time_of_day if supply and supply.product.take else None
        if len(split) == 1 and usual is not None:
            return (usual,)
        return TIMES_BY_COUNT[len(split)]
    names = tuple(name.strip().lower() for name in raw.split(",") if name.strip())
    unknown = [n for n in names if n not in TIMES_OF_DAY]
    if unknown:
        problems.append(
            problem(
                "--dose-times",
                f"unknown time of day {unknown[0]!r} (expected {', '.join(TIMES_OF_DAY)})",
            )
        )
        return None
    if len(names) != len(split):
        problems.append(
            problem(
                "--dose-times",
                f"{len(names)} time(s) of day for {len(split)} dose(s) (expected one time "
                "for each dose of --split)",
            )
        )
        return None
    order = [TIMES_OF_DAY.index(n) for n in names]
    if order != sorted(set(order)):
        problems.append(
            problem(
                "--dose-times",
                f"times must follow the day, each once (expected an order such as "
                f"morning,evening; got {','.join(names)})",
            )
        )
        return None
    return names


#: Years a start date may fall in: wide, yet far from the calendar's limits.
FIRST_YEAR, LAST_YEAR = 2000, 2999


def _parse_date(raw: str, problems: list[Problem]) -> date | None:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip()):
            raise ValueError
        parsed = date.fromisoformat(raw.strip())
    except ValueError:
        problems.append(
            problem(
                "--start",
                f"not a date (expected YYYY-MM-DD, such as 2026-12-03, got {raw!r})",
            )
        )
        return None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        problems.append(
            problem(
                "--start",
                f"the year {parsed.year} is out of range (expected a start date from "
                f"{FIRST_YEAR} to {LAST_YEAR}; check for a typing slip)",
            )
        )
        return None
    return parsed


_Plan = tuple[str, int | None, Decimal | None, int | None]


def _parse_plan(
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
            problem(
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
                problem(
                    "--plan",
                    f"the {record.drug.name} label gives no taper steps, so there is no label "
                    "plan (expected --days N, or --step-mg X with --every-days D, as the "
                    "prescriber ordered)",
                )
            )
            return None
        if supply is not None and label.daily_step.value % supply.quantum_mg != 0:
            problems.append(
                problem(
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
            problem(
                "--days",
                "no plan given (expected --days N, --step-mg X with --every-days D, or "
                "--plan label)",
            )
        )
        return None
    if step_mg is None or every_days is None:
        missing = "--step-mg" if step_mg is None else "--every-days"
        problems.append(
            problem(missing, f"missing (expected {missing} with the other step option)")
        )
        return None
    step = parse_mg("--step-mg", step_mg, "the amount the daily total drops by", problems)
    every = parse_int("--every-days", every_days, "days between steps", problems)
    if step is None or every is None:
        return None
    if supply is not None and step % supply.quantum_mg != 0:
        problems.append(problem("--step-mg", _multiple_problem(step, supply)))
        return None
    return _stepped(step, every, current, "step", problems)


def _stepped(
    step: Decimal, every: int, current: Decimal | None, kind: str, problems: list[Problem]
) -> _Plan | None:
    if current is not None and step >= current:
        option = "--plan" if kind == "label" else "--step-mg"
        problems.append(
            problem(
                option,
                f"{show_mg(step)} is not less than the current dose of {show_mg(current)} "
                "(expected a smaller step, so that the dose goes down before it stops)",
            )
        )
        return None
    return (kind, None, step, every)
