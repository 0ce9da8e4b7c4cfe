"""Check a pharmacist's taper options and turn them into a :class:`~leaflet.taper.TaperRequest`.

Every option arrives as typed text (``60``, ``20,20,20``, ``"250 mg/5 mL"``,
``2026-12-07``). Each mistake becomes a problem naming its option, all of them
collected before the request is refused; a dose in micrograms (a pump dose) is
never accepted. The product the patient has is found by
:mod:`leaflet.taper.taper_choice`; options that stand alone (amounts, counts, the start
date, the plan) are read by :mod:`leaflet.taper.taper_options`.
"""

from __future__ import annotations

from decimal import Decimal

from ..record.choices import OptionValueError, read_choice_list
from ..record.errors import InputError, Problem
from ..record.model import DrugRecord
from ..record.model_products import TIMES_OF_DAY
from .calendar import MAX_TAPER_DAYS, TIMES_BY_COUNT, TaperRequest, planned_length
from .taper_choice import (
    ProductChoice,
    choose_supply,
    daily_ceiling,
    supply_words,
    usual_doses_a_day,
)
from .taper_options import multiple_problem, parse_date, parse_int, parse_mg, parse_plan
from .taper_supply import Supply, show_mg

__all__ = ["parse_request"]

#: Doses a day a calendar can show: one column per time of day.
MAX_TIMES = len(TIMES_OF_DAY)


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
                Problem.with_option(
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
            Problem.with_option(
                "--current-dose",
                f"{show_mg(current)} is above the highest daily dose in the record, "
                f"{show_mg(ceiling)} (expected at most {show_mg(ceiling)}; check the "
                "prescription)",
            )
        )
    usual = usual_doses_a_day(record, supply.product) if supply is not None else None
    split_mg = _parse_split(split, times_per_day, current, supply, usual, problems)
    if (
        current is not None
        and supply is not None
        and split_mg is not None
        and current <= supply.quantum_mg
    ):
        problems.append(
            Problem.with_option(
                "--current-dose",
                f"{show_mg(current)} a day is the smallest dose {supply_words(supply)} can "
                "give, so it cannot be lowered in steps (expected a larger dose; to go "
                "lower, the prescriber may choose a smaller strength or a liquid)",
            )
        )
    times = _parse_times(dose_times, split_mg, supply, problems)
    start_date = parse_date(start, problems)
    steps = parse_plan(record, days, step_mg, every_days, plan, supply, current, problems)
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
                Problem.with_option(
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
                Problem.with_option(
                    option,
                    f"a {length}-day taper is shorter than the {minimum} days the record "
                    f"allows (expected {minimum} days or more; if the prescriber ordered "
                    "this plan, add --prescriber-override and it is printed as "
                    "prescriber-directed)",
                )
            ]
        )


def _parse_split(
    split: str | None,
    times_per_day: str | None,
    current: Decimal | None,
    supply: Supply | None,
    usual: int | None,
    problems: list[Problem],
) -> tuple[Decimal, ...] | None:
    """The daily doses in mg: as --split gives them, or --times-per-day equal doses.

    Without either, the doses a day the record's regimens give for the product
    (``usual``); when they differ by indication, the pharmacist must say.
    """
    count: int | None = None
    if times_per_day is not None:
        count = parse_int("--times-per-day", times_per_day, "doses a day, 1 to 4", problems)
        if count is not None and count > MAX_TIMES:
            problems.append(
                Problem.with_option(
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
                Problem.with_option(
                    "--split",
                    f"{len(doses)} doses a day is more than a calendar shows (expected 1 to "
                    f"{MAX_TIMES} doses, e.g. 20,20,20)",
                )
            )
            return None
        if count is not None and count != len(doses):
            problems.append(
                Problem.with_option(
                    "--split",
                    f"{len(doses)} doses do not match --times-per-day {count} (expected "
                    f"{count} doses, or leave out --times-per-day)",
                )
            )
            return None
        if current is not None and sum(doses) != current:
            problems.append(
                Problem.with_option(
                    "--split",
                    f"the doses add up to {show_mg(sum(doses, Decimal(0)))}, not the current "
                    f"dose of {show_mg(current)} (expected doses that add up to the daily "
                    "total)",
                )
            )
            return None
    elif current is not None:
        count = count or usual
        if count is None:
            if supply is not None:
                problems.append(
                    Problem.with_option(
                        "--split",
                        "the record's regimens for this product give different numbers of "
                        "doses a day (expected --split with the patient's doses"
                        f"{_example_split(current, supply)}, or --times-per-day)",
                    )
                )
            return None
        each = current / count
        if supply is not None and each % supply.quantum_mg != 0:
            problems.append(
                Problem.with_option(
                    "--times-per-day",
                    f"{show_mg(current)} cannot be split into {count} equal doses of "
                    f"{supply_words(supply)} (expected the real split with --split"
                    f"{_example_split(current, supply, count)})",
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
                problems.append(Problem.with_option(option, multiple_problem(value, supply)))
                return None
    return tuple(doses)


def _example_split(current: Decimal, supply: Supply, count: int = 2) -> str:
    """An uneven split of ``current`` the product can give, as a message's example.

    Empty when ``current`` is not a whole number of the product's smallest step:
    that mistake is reported on its own.
    """
    quantum = supply.quantum_mg
    units = int(current // quantum)
    if current % quantum or units == 0:
        return ""
    count = min(count, units)
    shares = [units // count + (1 if i < units % count else 0) for i in range(count)]
    return ", e.g. --split " + ",".join(f"{(n * quantum).normalize():f}" for n in shares)


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
    try:
        names = read_choice_list(raw, TIMES_OF_DAY, "time of day", "times", every=False)
    except OptionValueError as error:
        problems.append(Problem.with_option("--dose-times", str(error)))
        return None
    if len(names) != len(split):
        problems.append(
            Problem.with_option(
                "--dose-times",
                f"{len(names)} time(s) of day for {len(split)} dose(s) (expected one time "
                "for each dose of --split)",
            )
        )
        return None
    order = [TIMES_OF_DAY.index(n) for n in names]
    if order != sorted(set(order)):
        problems.append(
            Problem.with_option(
                "--dose-times",
                f"times must follow the day, each once (expected an order such as "
                f"morning,evening; got {','.join(names)})",
            )
        )
        return None
    return names
