"""Check a pharmacist's taper options and turn them into a :class:`~leaflet.taper.TaperRequest`.

Every option arrives as typed text (``60``, ``20,20,20``, ``2026-12-07``). Each
mistake becomes a problem naming its option, all of them collected before the
request is refused; a dose in micrograms (a pump dose) is never accepted.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from .errors import InputError, Problem
from .model import DrugRecord
from .taper import (
    MAX_TAPER_DAYS,
    TIMES_BY_COUNT,
    TaperRequest,
    planned_length,
    show_mg,
)

__all__ = ["FIRST_YEAR", "LAST_YEAR", "parse_request"]

NOT_SCORED = "; this tablet is not scored, so it cannot be halved"
_NUMBER = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*(mg|mcg|µg|ug)?\s*$", re.IGNORECASE)


def _problem(option: str, message: str) -> Problem:
    return Problem(option, None, "", message)


def _parse_mg(option: str, raw: str, what: str, problems: list[Problem]) -> Decimal | None:
    match = _NUMBER.match(raw)
    if not match:
        problems.append(
            _problem(
                option, f"not a number of mg (expected {what}, such as 10 or 7.5, got {raw!r})"
            )
        )
        return None
    unit = (match.group(2) or "mg").lower()
    if unit != "mg":
        problems.append(
            _problem(
                option,
                f"{raw!r} is in micrograms, an intrathecal (pump) dose (expected mg taken by "
                "mouth; pump doses are changed by the pump team, never with a calendar)",
            )
        )
        return None
    value = Decimal(match.group(1))
    if value <= 0:
        problems.append(_problem(option, f"must be more than zero (expected {what}, got {raw!r})"))
        return None
    return value


def _parse_int(option: str, raw: str, what: str, problems: list[Problem]) -> int | None:
    try:
        value = int(raw.strip())
    except ValueError:
        problems.append(_problem(option, f"not a whole number (expected {what}, got {raw!r})"))
        return None
    if value <= 0:
        problems.append(_problem(option, f"must be more than zero (expected {what}, got {raw!r})"))
        return None
    return value


def _tablet_strengths(record: DrugRecord) -> dict[Decimal, bool]:
    """Map each oral tablet strength (mg) to whether some product marks it scored."""
    found: dict[Decimal, bool] = {}
    for product in record.products:
        if product.route != "oral" or product.form != "tablet":
            continue
        for strength in product.strengths:
            if strength.amount.unit == "mg":
                value = strength.amount.value.normalize()
                found[value] = found.get(value, False) or strength.scored
    return found


def parse_request(
    record: DrugRecord,
    *,
    current_dose: str,
    tablet_mg: str,
    start: str,
    split: str | None = None,
    times_per_day: str | None = None,
    days: str | None = None,
    step_mg: str | None = None,
    every_days: str | None = None,
    route: str = "oral",
    prescriber_override: bool = False,
) -> TaperRequest:
    """Check the typed options against each other and the record; raise InputError if wrong.

    Every problem is collected and reported at once, each naming its option.
    """
    if route != "oral":
        raise InputError(
            [
                _problem(
                    "--route",
                    f"{route} doses are not tapered with a calendar (expected oral; "
                    "intrathecal (pump) doses are lowered by the pump team, who reprogram "
                    "the pump)",
                )
            ]
        )
    problems: list[Problem] = []
    current = _parse_mg("--current-dose", current_dose, "the daily total in mg", problems)
    tablet = _parse_mg("--tablet-mg", tablet_mg, "a tablet strength in mg", problems)
    oral = record.dosing.oral
    maximum = oral.max_daily.value if oral is not None else None
    if current is not None and maximum is not None and current > maximum:
        problems.append(
            _problem(
                "--current-dose",
                f"{show_mg(current)} is above the maximum daily dose of {show_mg(maximum)} "
                f"(expected at most {show_mg(maximum)}; check the prescription)",
            )
        )
    scored = False
    strengths = _tablet_strengths(record)
    if tablet is not None:
        if not strengths:
            problems.append(
                _problem("--tablet-mg", f"{record.drug.name} has no tablets in the record")
            )
        elif tablet.normalize() not in strengths:
            listed = ", ".join(show_mg(s) for s in sorted(strengths))
            problems.append(
                _problem(
                    "--tablet-mg",
                    f"no {show_mg(tablet)} tablet in the record (expected one of: {listed})",
                )
            )
            tablet = None
        else:
            scored = strengths[tablet.normalize()]
    max_times = max(TIMES_BY_COUNT)
    if oral is not None:
        max_times = min(max_times, oral.max_regimen_times_per_day)
    split_mg = _parse_split(split, times_per_day, current, tablet, scored, max_times, problems)
    if current is not None and tablet is not None and split_mg is not None:
        unit = tablet / 2 if scored else tablet
        if current <= unit:
            problems.append(
                _problem(
                    "--current-dose",
                    f"{show_mg(current)} a day is the smallest dose "
                    f"{_tablet_words(tablet, scored)} can give, so it cannot be lowered in steps "
                    "(expected a larger dose; to go lower, the prescriber may choose a smaller "
                    "tablet or a liquid)",
                )
            )
    start_date = _parse_date(start, problems)
    plan = _parse_plan(days, step_mg, every_days, tablet, scored, current, problems)
    if problems:
        raise InputError(problems)
    assert current is not None and tablet is not None and split_mg is not None
    assert start_date is not None and plan is not None
    request = TaperRequest(
        current_mg=current,
        split_mg=split_mg,
        tablet_mg=tablet,
        scored=scored,
        start=start_date,
        days=plan[0],
        step_mg=plan[1],
        every_days=plan[2],
        prescriber_override=prescriber_override,
    )
    length = planned_length(request)
    if length > MAX_TAPER_DAYS:
        raise InputError(
            [
                _problem(
                    "--days" if request.days else "--every-days",
                    f"the plan lasts {length} days (expected at most {MAX_TAPER_DAYS}; "
                    "check for a typing slip)",
                )
            ]
        )
    minimum = record.taper.minimum_days
    if length < minimum and not prescriber_override:
        raise InputError(
            [
                _problem(
                    "--days" if request.days else "--every-days",
                    f"a {length}-day taper is shorter than the {minimum} days the record "
                    f"allows (expected {minimum} days or more; if the prescriber ordered "
                    "this plan, add --prescriber-override and it is printed as "
                    "prescriber-directed)",
                )
            ]
        )
    return request


def _parse_split(
    split: str | None,
    times_per_day: str | None,
    current: Decimal | None,
    tablet: Decimal | None,
    scored: bool,
    max_times: int,
    problems: list[Problem],
) -> tuple[Decimal, ...] | None:
    count: int | None = None
    if times_per_day is not None:
        count = _parse_int("--times-per-day", times_per_day, "doses a day, 1 to 4", problems)
        if count is not None and count > max_times:
            problems.append(
                _problem(
                    "--times-per-day",
                    f"{count} doses a day is more than the {max_times} the record allows "
                    f"(expected 1 to {max_times})",
                )
            )
            return None
        if count is None:
            return None
    doses: list[Decimal] = []
    if split is not None:
        for part in split.split(","):
            value = _parse_mg("--split", part, "each dose in mg, e.g. 20,20,20", problems)
            if value is None:
                return None
            doses.append(value)
        if len(doses) > max_times:
            problems.append(
                _problem(
                    "--split",
                    f"{len(doses)} doses a day is more than the {max_times} the record allows "
                    f"(expected 1 to {max_times} doses, e.g. 20,20,20)",
                )
            )
            return None
        if count is not None and count != len(doses):
            problems.append(
                _problem(
                    "--split",
                    f"{len(doses)} doses do not match --times-per-day {count} (expected "
                    f"{count} doses, or leave out --times-per-day)",
                )
            )
            return None
        if current is not None and sum(doses) != current:
            problems.append(
                _problem(
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
        if tablet is not None and each % (tablet / 2 if scored else tablet) != 0:
            problems.append(
                _problem(
                    "--times-per-day",
                    f"{show_mg(current)} cannot be split into {count} equal doses of whole "
                    f"{_tablet_words(tablet, scored)} (expected the real split with "
                    "--split, e.g. --split 20,10,20)",
                )
            )
            return None
        doses = [each] * count
    else:
        return None
    if tablet is not None:
        unit = tablet / 2 if scored else tablet
        for value in doses:
            if value % unit != 0:
                problems.append(
                    _problem(
                        "--split" if split is not None else "--current-dose",
                        f"{show_mg(value)} is not a whole number of "
                        f"{_tablet_words(tablet, scored)} (expected multiples of "
                        f"{show_mg(unit)}{'' if scored else NOT_SCORED})",
                    )
                )
                return None
    return tuple(doses)


def _tablet_words(tablet: Decimal, scored: bool) -> str:
    return f"{show_mg(tablet)} tablets or halves" if scored else f"{show_mg(tablet)} tablets"


#: Years a start date may fall in: wide, yet far from the calendar's limits.
FIRST_YEAR, LAST_YEAR = 2000, 2999


def _parse_date(raw: str, problems: list[Problem]) -> date | None:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip()):
            raise ValueError
        parsed = date.fromisoformat(raw.strip())
    except ValueError:
        problems.append(
            _problem(
                "--start",
                f"not a date (expected YYYY-MM-DD, such as 2026-12-03, got {raw!r})",
            )
        )
        return None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        problems.append(
            _problem(
                "--start",
                f"the year {parsed.year} is out of range (expected a start date from "
                f"{FIRST_YEAR} to {LAST_YEAR}; check for a typing slip)",
            )
        )
        return None
    return parsed


def _parse_plan(
    days: str | None,
    step_mg: str | None,
    every_days: str | None,
    tablet: Decimal | None,
    scored: bool,
    current: Decimal | None,
    problems: list[Problem],
) -> tuple[int | None, Decimal | None, int | None] | None:
    stepped = step_mg is not None or every_days is not None
    if days is not None and stepped:
        problems.append(
            _problem(
                "--days",
                "two plans given (expected either --days N, or --step-mg X with --every-days D)",
            )
        )
        return None
    if days is not None:
        length = _parse_int("--days", days, "the taper's length in days", problems)
        return None if length is None else (length, None, None)
    if not stepped:
        problems.append(
            _problem(
                "--days",
                "no plan given (expected --days N, or --step-mg X with --every-days D)",
            )
        )
        return None
    if step_mg is None or every_days is None:
        missing = "--step-mg" if step_mg is None else "--every-days"
        problems.append(
            _problem(missing, f"missing (expected {missing} with the other step option)")
        )
        return None
    step = _parse_mg("--step-mg", step_mg, "the amount the daily total drops by", problems)
    every = _parse_int("--every-days", every_days, "days between steps", problems)
    if step is None or every is None:
        return None
    if tablet is not None:
        unit = tablet / 2 if scored else tablet
        if step % unit != 0:
            problems.append(
                _problem(
                    "--step-mg",
                    f"{show_mg(step)} is not a whole number of {_tablet_words(tablet, scored)} "
                    f"(expected a multiple of {show_mg(unit)})",
                )
            )
            return None
    if current is not None and step >= current:
        problems.append(
            _problem(
                "--step-mg",
                f"{show_mg(step)} is not less than the current dose of {show_mg(current)} "
                "(expected a smaller step, so that the dose goes down before it stops)",
            )
        )
        return None
    return (None, step, every)
