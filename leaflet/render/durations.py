"""Word a duration or an age ("1 to 2 weeks", "65 years") in the reader's language.

The record gives a duration as a value (:class:`~leaflet.record.durations.DurationValue`),
never as a number before a word in its sentence, because languages word durations
in their own grammar: Russian "1 недели" but "5 недель"; Arabic has a dual
("أسبوعين", two weeks) and words "1 to 2 weeks" as "أسبوع إلى أسبوعين", a week to
two weeks. The wording lives in leaflet's own catalog, one plural message per unit
for one number and one for a range; a range's form is chosen by its upper number.

The record's sentences are written around the phrase ("over {weeks}",
"under {age}"), so each language's phrase is the form that follows a
preposition of time ("over", "within", "at least", "under"): Russian's genitive
("в течение 2 недель"), Arabic's after "على مدى".
"""

from __future__ import annotations

from ..record.durations import DurationValue
from .dosing_view import NP_, UiTranslate
from .filters import format_number

__all__ = ["DURATIONS", "DURATION_RANGES", "format_duration"]

# Translators: a duration or an age, as it reads after a preposition of time ("over",
# "within", "at least", "under"): the record's sentences are written around it, e.g.
# "over {weeks}". Use the case that follows such a preposition (Russian: genitive,
# «в течение 2 недель»); {count} is the number, already formatted.
DURATIONS = {
    "minute": NP_("duration.minute", "{count} minute", "{count} minutes"),
    # Translators: a duration after a preposition of time, as for duration.minute.
    "hour": NP_("duration.hour", "{count} hour", "{count} hours"),
    # Translators: a duration after a preposition of time, as for duration.minute.
    "day": NP_("duration.day", "{count} day", "{count} days"),
    # Translators: a duration after a preposition of time, as for duration.minute.
    "week": NP_("duration.week", "{count} week", "{count} weeks"),
    # Translators: a duration after a preposition of time, as for duration.minute.
    "month": NP_("duration.month", "{count} month", "{count} months"),
    # Translators: a duration after a preposition of time, as for duration.minute.
    "year": NP_("duration.year", "{count} year", "{count} years"),
    # Translators: a person's age, as it reads after "under" or before "and older"
    # ("children under {age}"): Chinese 岁 and Vietnamese tuổi, not the years of a duration.
    "age": NP_("duration.age", "{count} year", "{count} years"),
}
# Translators: a range of durations, e.g. "1 to 2 weeks", read after a preposition of
# time ("over 1 to 2 weeks"). The form is chosen by the upper number {high}; the lower
# number {low} is always at least 1 and below it, so where a form is used only for
# {high} = 2 (Arabic's dual) {low} is 1 and both may be written in words: «أسبوع إلى
# أسبوعين». The English singular form is never used.
DURATION_RANGES = {
    "minute": NP_("duration.minute_range", "{low} to {high} minute", "{low} to {high} minutes"),
    # Translators: a range of durations, as for duration.minute_range (form by {high}).
    "hour": NP_("duration.hour_range", "{low} to {high} hour", "{low} to {high} hours"),
    # Translators: a range of durations, as for duration.minute_range (form by {high}).
    "day": NP_("duration.day_range", "{low} to {high} day", "{low} to {high} days"),
    # Translators: a range of durations, as for duration.minute_range (form by {high}).
    "week": NP_("duration.week_range", "{low} to {high} week", "{low} to {high} weeks"),
    # Translators: a range of durations, as for duration.minute_range (form by {high}).
    "month": NP_("duration.month_range", "{low} to {high} month", "{low} to {high} months"),
    # Translators: a range of durations, as for duration.minute_range (form by {high}).
    "year": NP_("duration.year_range", "{low} to {high} year", "{low} to {high} years"),
    # Translators: a range of ages ("children {ages} old", "3 to 12 years"), as for
    # duration.age; the form is chosen by {high}.
    "age": NP_("duration.age_range", "{low} to {high} year", "{low} to {high} years"),
}


def format_duration(
    value: DurationValue, locale: str, ui: UiTranslate, *, age: bool = False
) -> str:
    """Word ``value`` for ``locale`` through leaflet's catalog: "1 to 2 weeks", "12 hours".

    ``age`` words years as a person's age, which some languages word apart from the
    years of a duration (Chinese 12岁, not 12年); the placeholder's name says which.
    """
    unit = "age" if age and value.unit == "year" else value.unit
    if value.high is None:
        text = ui.plural(*DURATIONS[unit], value.low)
        return text.format(count=format_number(value.low, locale))
    text = ui.plural(*DURATION_RANGES[unit], value.high)
    return text.format(low=format_number(value.low, locale), high=format_number(value.high, locale))
