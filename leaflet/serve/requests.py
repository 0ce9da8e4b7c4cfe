"""Read a taper request from JSON or a form into :class:`~leaflet.taper.taper_plan.TaperFields`.

The API's fields are the command line's options in snake_case (``current_dose``
for ``--current-dose``), and a mistake comes back under the field's name with
the command line's own message. Every field is checked before anything is
planned, and every problem is reported at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..record.errors import Problem
from ..taper.taper_plan import PERSONAL_FIELDS, TaperFields

__all__ = [
    "FIELDS",
    "MAX_FIELD_LENGTH",
    "FieldProblem",
    "TaperCall",
    "field_problems",
    "read_taper_call",
]

#: Each field of a taper request, and what it holds.
FIELDS: dict[str, str] = {
    "drug": "the drug's id, e.g. gabapentin",
    "form": "tablet, capsule, er-tablet, er-capsule, odt, oral-solution, oral-suspension or "
    "granules",
    "strength": "a strength as the record writes it ('300 mg', '250 mg/5 mL'), or a list of two",
    "product": "the product's id, when several match",
    "min_ml": "liquids: the smallest volume to measure, in mL",
    "current_dose": "today's daily total in mg",
    "split": "how the day's total is taken: a list of mg, e.g. [20, 20, 20]",
    "times_per_day": "doses a day when they are equal",
    "dose_times": "the times of day: morning, midday, evening, bedtime",
    "days": "plan: the taper's length in days",
    "step_mg": "plan: lower the daily total by this many mg",
    "every_days": "plan: every this many days",
    "plan": "plan: 'label', the record's label plan",
    "start": "the first day, YYYY-MM-DD",
    "prescriber_override": "accept a plan shorter than the record's minimum (true/false)",
    "patient_name": "printed on the handout only",
    "prescriber": "prescriber's name and phone, printed",
    "pharmacy_phone": "pharmacy's name and phone, printed",
    "pump_team_phone": "pump team's name and phone, printed",
    "lang": "the handout's language (default en)",
    "paper": "a4 or letter (default a4)",
    "large_print": "the large-print edition (true/false)",
    "format": "json (the schedule) or pdf (the handout)",
}
#: Longest text any field may hold: far above any real value, far below a body's limit.
MAX_FIELD_LENGTH = 200
_TEXT_FIELDS = (
    "form", "product", "min_ml", "current_dose", "times_per_day", "dose_times", "days",
    "step_mg", "every_days", "plan", "start",
)  # fmt: skip


@dataclass(frozen=True)
class FieldProblem:
    """One mistake in a request, under the field it is about."""

    field: str
    message: str

    def as_json(self) -> dict[str, str]:
        """The problem as the API returns it."""
        return {"field": self.field, "message": self.message}


@dataclass
class TaperCall:
    """A checked taper request: the plan's fields and how to answer."""

    drug: str
    fields: TaperFields
    lang: str = "en"
    paper: str = "a4"
    large_print: bool = False
    format: str = "json"
    problems: list[FieldProblem] = field(default_factory=list)


def field_problems(problems: list[Problem]) -> list[FieldProblem]:
    """The command line's problems, each under its field's name (``--split`` → ``split``)."""
    out = []
    for problem in problems:
        if problem.line is None and problem.file.startswith("--"):
            out.append(FieldProblem(problem.file[2:].replace("-", "_"), problem.message))
        else:
            out.append(FieldProblem(problem.path or "drug", problem.message))
    return out


def _text(value: Any, name: str, problems: list[FieldProblem]) -> str | None:
    """A field as the command line would have received it: text."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        problems.append(FieldProblem(name, f"not text or a number (expected {FIELDS[name]})"))
        return None
    text = str(value)
    if len(text) > MAX_FIELD_LENGTH:
        problems.append(
            FieldProblem(name, f"too long (expected at most {MAX_FIELD_LENGTH} characters)")
        )
        return None
    return text


def _flag(value: Any, name: str, problems: list[FieldProblem]) -> bool:
    if value in (None, False, "", "false", "off", "0"):
        return False
    if value in (True, "true", "on", "1"):
        return True
    problems.append(FieldProblem(name, "not true or false (expected true or false)"))
    return False


def _texts(value: Any, name: str, problems: list[FieldProblem]) -> list[str]:
    """A field that may be one value or a list of them."""
    if value in (None, ""):
        return []
    items = value if isinstance(value, list) else [value]
    if len(items) > 8:
        problems.append(FieldProblem(name, f"too many values (expected {FIELDS[name]})"))
        return []
    out = []
    for item in items:
        text = _text(item, name, problems)
        if text is not None:
            out.append(text)
    return out


def read_taper_call(body: Any) -> TaperCall:
    """Read a request body (JSON object or form fields); problems are collected on the call."""
    problems: list[FieldProblem] = []
    if not isinstance(body, dict):
        problems.append(FieldProblem("body", 'not a JSON object (expected {"drug": …, …})'))
        body = {}
    for name in body:
        if name not in FIELDS:
            problems.append(
                FieldProblem(
                    str(name)[:40],
                    f"unknown field (expected one of: {', '.join(FIELDS)})",
                )
            )
    texts = {name: _text(body.get(name), name, problems) for name in _TEXT_FIELDS}
    drug = _text(body.get("drug"), "drug", problems) or ""
    if not drug:
        problems.append(FieldProblem("drug", f"missing (expected {FIELDS['drug']})"))
    for name in ("current_dose", "start"):
        if not texts[name]:
            problems.append(FieldProblem(name, f"missing (expected {FIELDS[name]})"))
    split = _texts(body.get("split"), "split", problems)
    personal = {}
    for name in PERSONAL_FIELDS:
        personal[name] = _text(body.get(name), name, problems) or ""
    answer = _text(body.get("format"), "format", problems) or "json"
    if answer not in ("json", "pdf"):
        problems.append(
            FieldProblem("format", f"{answer!r} is not a format (expected json or pdf)")
        )
    fields = TaperFields(
        current_dose=texts["current_dose"] or "",
        start=texts["start"] or "",
        form=texts["form"] or None,
        strengths=tuple(_texts(body.get("strength"), "strength", problems)),
        product=texts["product"] or None,
        min_ml=texts["min_ml"] or None,
        split=",".join(split) or None,
        times_per_day=texts["times_per_day"] or None,
        dose_times=texts["dose_times"] or None,
        days=texts["days"] or None,
        step_mg=texts["step_mg"] or None,
        every_days=texts["every_days"] or None,
        plan=texts["plan"] or None,
        prescriber_override=_flag(body.get("prescriber_override"), "prescriber_override", problems),
        personal=personal,
    )
    return TaperCall(
        drug=drug,
        fields=fields,
        lang=_text(body.get("lang"), "lang", problems) or "en",
        paper=_text(body.get("paper"), "paper", problems) or "a4",
        large_print=_flag(body.get("large_print"), "large_print", problems),
        format=answer,
        problems=problems,
    )
