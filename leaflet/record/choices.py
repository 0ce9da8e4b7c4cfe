"""Read option values that name members of a known set: languages, audiences, papers, formats.

Every such option is read here, so that each mistake gets the same words
whichever option it is made in, and each is a usage error (exit 2). The rules:

* a value is matched whatever its case (``DE``, ``Letter``) and written back in its
  own spelling (``de``, ``letter``); spaces around an item are ignored: the meaning
  is not in doubt;
* an unknown value is named, with every value that is allowed;
* in a comma-separated list, an empty item (``de,,fr``, ``de,``) and an item named
  twice (``de,de``) are refused: either is usually a value lost or mistyped;
* ``all`` stands alone: ``all,en`` is refused, not read as an unknown language.

Shell completion offers only what these rules accept (:func:`complete_choice`,
:func:`complete_choice_list`): a value in its own spelling, never one already
named in the list, never ``all`` beside another item.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "ALL",
    "OptionValueError",
    "complete_choice",
    "complete_choice_list",
    "read_choice",
    "read_choice_list",
]

#: The value that selects every choice of a list option.
ALL = "all"
#: Longest part of a typed value echoed in a message.
_SHOWN = 60


class OptionValueError(ValueError):
    """An option value that is not one the option takes; ``str()`` is the message."""


def _shown(raw: str) -> str:
    """The value as a message quotes it: escaped (``repr``) and cut to a readable length."""
    return repr(raw if len(raw) <= _SHOWN else raw[:_SHOWN] + "…")


def _matcher(choices: Sequence[str], hidden: Sequence[str]) -> dict[str, str]:
    return {choice.casefold(): choice for choice in (*choices, *hidden)}


def read_choice(raw: str, choices: Sequence[str], noun: str, hidden: Sequence[str] = ()) -> str:
    """Return the one choice ``raw`` names, in its own spelling; raise OptionValueError if none.

    ``hidden`` values are accepted but not listed (the pseudo-locale, say).
    """
    expected = f"expected one of: {', '.join(choices)}"
    item = raw.strip()
    if not item:
        raise OptionValueError(f"no {noun} given ({expected})")
    found = _matcher(choices, hidden).get(item.casefold())
    if found is None:
        hint = f"; only one {noun} here" if "," in item else ""
        raise OptionValueError(f"unknown {noun} {_shown(item)} ({expected}{hint})")
    return found


def read_choice_list(
    raw: str,
    choices: Sequence[str],
    noun: str,
    plural: str,
    hidden: Sequence[str] = (),
    *,
    every: bool = True,
) -> tuple[str, ...]:
    """Return the choices a comma-separated ``raw`` names, in order, or ``("all",)``.

    Raise OptionValueError naming the first unknown, empty or repeated item.
    ``every=False`` for a list that ``all`` cannot stand for (the times of the
    day's doses, one for each dose).
    """
    listed = ", ".join(choices)
    expected = (
        f"expected {ALL}, or a comma-separated list of: {listed}"
        if every
        else f"expected a comma-separated list of: {listed}"
    )
    items = [part.strip() for part in raw.split(",")]
    named = [item for item in items if item]
    if not named:
        raise OptionValueError(f"no {noun} given ({expected})")
    if every and ALL in (item.casefold() for item in named):
        if len(named) > 1:
            raise OptionValueError(
                f"{ALL!r} cannot be combined with other {plural} (expected {ALL!r} alone, or "
                f"a comma-separated list of {plural}, got {_shown(raw)})"
            )
        found = [ALL]
    else:
        known = _matcher(choices, hidden)
        found = []
        for item in named:
            value = known.get(item.casefold())
            if value is None:
                spaced = any(char.isspace() for char in item)
                hint = f"; separate {plural} with commas, not spaces" if spaced else ""
                raise OptionValueError(f"unknown {noun} {_shown(item)} ({expected}{hint})")
            found.append(value)
    fixed = ",".join(dict.fromkeys(found))
    twice = next((value for i, value in enumerate(found) if value in found[:i]), None)
    if twice is not None:
        raise OptionValueError(
            f"{twice!r} is named twice in {_shown(raw)} (expected each {noun} once, such as "
            f"{fixed!r})"
        )
    if len(named) != len(items):
        raise OptionValueError(
            f"an empty item in {_shown(raw)} (expected a comma-separated list of {plural} "
            f"with nothing left out between the commas, such as {fixed!r})"
        )
    return tuple(found)


def complete_choice(incomplete: str, choices: Sequence[str]) -> list[str]:
    """The choices that begin with what has been typed, whatever its case, in listed order."""
    start = incomplete.strip().casefold()
    return [choice for choice in choices if choice.casefold().startswith(start)]


def complete_choice_list(
    incomplete: str, choices: Sequence[str], hidden: Sequence[str] = (), *, every: bool = True
) -> list[str]:
    """The whole values a shell may put in place of a comma list typed so far.

    Only the item after the last comma is completed (``de,f`` → ``de,fr``); the
    items before it are kept as typed. A choice already named is not offered
    again, nor is ``all`` beside another item (each would be refused); after an
    unknown item or ``all`` nothing is offered, since no completion could be read.
    ``hidden`` values are accepted before the last comma but never offered.
    """
    typed, comma, last = incomplete.rpartition(",")
    prefix = typed + comma
    known = _matcher(choices, hidden)
    named: set[str] = set()
    for item in (part.strip() for part in typed.split(",")) if comma else ():
        value = known.get(item.casefold())
        if value is None:
            return []
        named.add(value)
    offered = [choice for choice in choices if choice not in named]
    if every and not named:
        offered.append(ALL)
    return [prefix + choice for choice in complete_choice(last, offered)]
