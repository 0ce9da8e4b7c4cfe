"""Placeholders in prose: the only syntax a record or a translation may use.

Only bare ``%(name)s`` (templates, Python's ``%``) and ``{name}`` (records,
``str.format``) pass; the text is scanned, never formatted.
"""

from __future__ import annotations

import re

__all__ = [
    "glued_placeholders",
    "placeholder_names",
    "placeholder_syntax_problems",
    "unglue_placeholders",
    "without_placeholders",
]

# Placeholder syntax: what a translation may hold for the formatting above. Only
# bare %(name)s (templates, Python's %) and {name} (records, str.format) pass.

_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_BARE = re.compile(r"%\([a-z_][a-z0-9_]*\)s|\{[a-z_][a-z0-9_]*\}")
#: Every %-conversion Python's % operator acts on, bare or not: %(date)s, %(date)300000000s,
#: %(n)-5s, %(n).3s, %(n)*s, %s, %%, and a lone % before anything else.
_PERCENT_TOKEN = re.compile(
    r"%(?:\((?P<name>[^()]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d*))?[hlL]?[a-zA-Z%]?"
)
_FIELD = re.compile(r"\{([^{}]*)\}")
_FIELD_WITH_SPEC = re.compile(r"([a-z_][a-z0-9_]*)\s*[!:].*", re.DOTALL)


def placeholder_syntax_problems(target: str, formatted: bool) -> list[str]:
    """Say what in ``target`` is a placeholder leaflet does not accept, or a stray % or brace.

    Only ``%(name)s`` and ``{name}`` are allowed: a width, precision, flag or
    conversion is never right in a leaflet, and ``%(date)300000000s`` would build
    a 300 MB string, so the text is scanned here, never formatted. A lone ``%``
    matters only where the text is %-formatted (``formatted``).
    """
    found: list[str] = []
    lone = False
    for match in _PERCENT_TOKEN.finditer(target):
        token, name = match.group(0), match.group("name")
        if token == "%%" or _BARE.fullmatch(token):
            continue
        if name is not None and _NAME.fullmatch(name):
            found.append(_spec_problem(token, f"%({name})s"))
        elif formatted:
            lone = True
    if lone:
        found.append("a lone % sign (expected %% for a literal percent sign)")
    unbalanced = False
    for match in _FIELD.finditer(target):
        inner = match.group(1)
        if _NAME.fullmatch(inner):
            continue
        spec = _FIELD_WITH_SPEC.fullmatch(inner)
        if spec:
            found.append(_spec_problem(match.group(0), f"{{{spec.group(1)}}}"))
        else:
            unbalanced = True
    rest = _FIELD.sub("", target)
    if unbalanced or "{" in rest or "}" in rest:
        found.append("unbalanced braces (expected {name} placeholders only)")
    return found


def _clip(text: str, limit: int = 30) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _spec_problem(token: str, bare: str) -> str:
    return (
        f"placeholder {bare} has a width, precision, flag or conversion (expected the bare "
        f"{bare} as in the English, got {_clip(token)}; leaflet formats the value itself)"
    )


def placeholder_names(text: str) -> tuple[set[str], set[str]]:
    """The names of ``text``'s %-placeholders and of its brace placeholders, bare or not."""
    percent = {
        m.group("name")
        for m in _PERCENT_TOKEN.finditer(text)
        if m.group("name") is not None and _NAME.fullmatch(m.group("name"))
    }
    brace = set()
    for m in _FIELD.finditer(text):
        named = _NAME.fullmatch(m.group(1)) or _FIELD_WITH_SPEC.fullmatch(m.group(1))
        if named:
            brace.add(named.group(1) if named.re is _FIELD_WITH_SPEC else named.group(0))
    return percent, brace


#: A decimal or grouping sign that still joins a digit to a placeholder: "{dose},5".
_JOINERS = ".,\u066b\u066c"


def _digits_against(text: str) -> list[tuple[int, int, int, int]]:
    """Each placeholder with digits against it: (digits start, placeholder start, end, digits end).

    Walked character by character, not matched by a pattern that backtracks: a
    catalog may hold a line of a million digits.
    """
    found = []
    for match in _BARE.finditer(text):
        start, end = match.span()
        before = start - 1 if start and text[start - 1] in _JOINERS else start
        first = before
        while first and text[first - 1].isdecimal():
            first -= 1
        after = end + 1 if end < len(text) and text[end] in _JOINERS else end
        last = after
        while last < len(text) and text[last].isdecimal():
            last += 1
        head, tail = first if first < before else start, last if last > after else end
        if (head, tail) != (start, end):
            found.append((head, start, end, tail))
    return found


def glued_placeholders(text: str) -> set[str]:
    """Each placeholder with digits against it, as written: '{age}0', '1{age}'."""
    return {text[head:tail] for head, _, _, tail in _digits_against(text)}


def unglue_placeholders(text: str) -> str:
    """``text`` with the digits against its placeholders taken out (reported once, as glued)."""
    dropped: set[int] = set()
    for head, start, end, tail in _digits_against(text):
        dropped.update(range(head, start), range(end, tail))
    return "".join(char for index, char in enumerate(text) if index not in dropped)


def without_placeholders(text: str, by: str = "") -> str:
    """``text`` with each placeholder, bare or not, replaced by ``by``."""
    return _FIELD.sub(by, _PERCENT_TOKEN.sub(lambda m: by if m.group("name") else m.group(0), text))
