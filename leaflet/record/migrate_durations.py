"""Move the time units that follow placeholders in a record's prose into its values.

Schema 1 wrote "every {step_days} days" with ``step_days: 3``; leaflet now wants
"every {step_days}" with ``step_days: 3 days`` (see :mod:`leaflet.record.durations`),
and "over {min_weeks} to {max_weeks} weeks" as "over {weeks}" with
``weeks: 1 to 2 weeks``. :func:`move_time_units` rewrites a migrated record in place.
"""

from __future__ import annotations

import re
from typing import Any

from .durations import UNIT_AFTER_PLACEHOLDER

__all__ = ["move_time_units"]


def move_time_units(data: Any) -> None:
    """Rewrite every statement in ``data`` whose prose types a time unit after a placeholder."""
    if isinstance(data, list):
        for item in data:
            move_time_units(item)
        return
    if not isinstance(data, dict):
        return
    values = data.get("values")
    if isinstance(values, dict):
        _move(data, values)
    for key, value in data.items():
        if key != "values":
            move_time_units(value)


def _move(statement: dict[str, Any], values: dict[str, Any]) -> None:
    moved: dict[str, str] = {}
    joined: set[str] = set()

    def rewrite(match: re.Match[str]) -> str:
        low, high, word = match.groups()
        unit = word.removesuffix("s")
        if low not in values or (high is not None and high not in values):
            return match.group(0)
        if high is None:
            count = values[low]
            moved[low] = f"{count} {unit}" if count == 1 else f"{count} {unit}s"
            return "{" + low + "}"
        name = _range_name(low, high, values)
        moved[name] = f"{values[low]} to {values[high]} {unit}s"
        joined.update((low, high))
        return "{" + name + "}"

    for key, text in list(statement.items()):
        if isinstance(text, str):
            statement[key] = UNIT_AFTER_PLACEHOLDER.sub(rewrite, text)
        elif isinstance(text, list) and all(isinstance(t, str) for t in text):
            statement[key] = [UNIT_AFTER_PLACEHOLDER.sub(rewrite, t) for t in text]
    still_used = " ".join(str(v) for k, v in statement.items() if k != "values")
    # A range's two ends are dropped unless another text still prints one of them.
    for gone in joined:
        if "{" + gone + "}" not in still_used:
            values.pop(gone, None)
    values.update(moved)


def _range_name(low: str, high: str, values: dict[str, Any]) -> str:
    """A name for the joined range: ``weeks`` for min_weeks and max_weeks."""
    words = [w for w in low.split("_") if w not in ("min", "low")]
    name = "_".join(words) or "span"
    return name if name not in values or name in (low, high) else f"{name}_range"
