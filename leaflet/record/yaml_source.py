"""Parse a record's YAML text into plain data and the line of every value.

The loader reads the file; this module turns its text into data. Parsing works
at the YAML node level so that every value keeps its line, and it is stricter
than ``yaml.safe_load``: aliases (the "billion laughs" bomb), merge keys and
explicit tags (``!!python/object``, ``!!binary``) are refused, nesting is
limited (deep nesting would exhaust Python's stack), and text may not hold
invisible control characters. Numbers whose meaning depends on the YAML version
or on a reader's guess are refused with how to write them: ``010`` (YAML 1.1
octal, 8), ``1:30`` (base 60, 90), ``0x10``, ``1_000``, ``1.0e+5``. A syntax
error in an unclosed quote or bracket is reported where it opens, not where the
parser gave up. Every refusal is a :class:`~leaflet.errors.Problem` with the
file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

import yaml

from .characters import invisible_characters_problem
from .errors import InputError, Problem

__all__ = ["MAX_DEPTH", "LineMap", "PathKey", "ambiguous_number_problem", "dotted", "parse_yaml"]

PathKey = tuple[str | int, ...]

#: Deepest nesting accepted; a real record nests five or six levels.
MAX_DEPTH = 40

_FLOAT_TAG = "tag:yaml.org,2002:float"
_INT_TAG = "tag:yaml.org,2002:int"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


@dataclass
class LineMap:
    """Maps a path inside the record (keys and list indexes) to its source line."""

    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_for(self, path: PathKey) -> int:
        """Return the line of ``path``, or of its closest ancestor that has one."""
        probe = tuple(path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get((), 1)


def parse_yaml(text: str, name: str) -> tuple[Any, LineMap]:
    """Parse one YAML document; return its data and line map, or raise InputError."""
    try:
        node = yaml.compose(text, Loader=_StrictLoader)
    except _Refused as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise InputError([Problem(name, line, "", str(exc.problem))]) from None
    except yaml.MarkedYAMLError as exc:
        raise InputError([_syntax_problem(exc, name, text)]) from None
    except yaml.reader.ReaderError as exc:
        # PyYAML's reader refuses most control characters before parsing starts.
        character = exc.character if isinstance(exc.character, str) else chr(exc.character)
        line = text.count("\n", 0, exc.position) + 1
        problem = (
            invisible_characters_problem(character) or f"character {character!r} is not allowed"
        )
        raise InputError([Problem(name, line, "", problem)]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(name, None, "", f"YAML error: {exc}")]) from None
    if node is None:
        raise InputError([Problem(name, 1, "", "file is empty (expected a YAML mapping)")])
    builder = _Builder(name)
    data = builder.build(node, ())
    if builder.problems:
        raise InputError(builder.problems)
    return data, builder.lines


def _syntax_problem(exc: yaml.MarkedYAMLError, name: str, text: str) -> Problem:
    unclosed = _unclosed(exc, text)
    if unclosed is not None:
        return Problem(name, unclosed[0], "", f"YAML syntax error: {unclosed[1]}")
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    if "'\\t'" in str(exc.problem):
        return Problem(
            name,
            line,
            "",
            "a tab is used for indentation (expected spaces: YAML does not allow tabs; "
            "replace the tab with spaces)",
        )
    what = exc.problem or "invalid YAML"
    context = f" {exc.context}" if exc.context else ""
    return Problem(
        name,
        line,
        "",
        f"YAML syntax error: {what}{context} (expected valid YAML; check the indentation "
        "and quoting on this line and the one above)",
    )


_OPENERS = {"flow sequence": ("[", "]"), "flow mapping": ("{", "}")}
#: A line that reads as the start of an entry: ``  clinician: …`` or ``  - …``.
_ENTRY_LINE = re.compile(r"\n[ \t]*(?:- |[A-Za-z_][\w-]*:(?:[ \t]|$))", re.MULTILINE)


def _unclosed(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str] | None:
    """The line where an unclosed quote or bracket opens, and what to do, if that is the error.

    PyYAML notices an unclosed quote only where the file ends, or where the next
    quote closes it and the text after that cannot be parsed: often many lines
    below the mistake. The line that opens the quote or bracket is the one to fix.
    """
    problem, context = str(exc.problem or ""), str(exc.context or "")
    opened, found = exc.context_mark, exc.problem_mark
    if opened is None or found is None:
        return _quote_closed_too_late(exc, text)
    if context == "while scanning a quoted scalar":
        quote = text[opened.index] if opened.index < len(text) else '"'
        return (
            opened.line + 1,
            f"the {quote} on this line opens a text that is never closed (expected a closing "
            f"{quote} at the end of the text, got the end of the file)",
        )
    late = _quote_closed_too_late(exc, text)
    if late is not None:
        return late
    for kind, (opener, closer) in _OPENERS.items():
        if context == f"while parsing a {kind}" and found.line > opened.line:
            got = problem.rpartition("but got ")[2].replace("'<scalar>'", "more text")
            if "<stream end>" in got:
                got = "the end of the file"
            else:
                got = f"{got} on line {found.line + 1}"
            return (
                opened.line + 1,
                f"the '{opener}' on this line is never closed (expected '{closer}' to close it, "
                f"got {got})",
            )
    return None


def _quote_closed_too_late(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str] | None:
    """An unclosed quote that the next quote closed, lines below, swallowing entries between."""
    found = exc.problem_mark
    if found is None:
        return None
    last: yaml.ScalarToken | None = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= found.index:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'"):
                last = token
    except yaml.YAMLError:
        pass  # the scanner's own error comes later in the text than the parser's
    if (
        last is None
        or last.end_mark.line != found.line
        or last.start_mark.line == found.line
        or not _ENTRY_LINE.search(text, last.start_mark.index, last.end_mark.index)
    ):
        return None
    quote = str(last.style)
    return (
        last.start_mark.line + 1,
        f"the {quote} on this line opens a text that is never closed (expected a closing "
        f"{quote} at the end of the text, got one only on line {found.line + 1}, which made "
        "the lines between part of the text)",
    )


class _Refused(yaml.MarkedYAMLError):
    """A YAML feature that records never need, met before anything was built."""


class _StrictLoader(yaml.SafeLoader):
    """A SafeLoader that refuses aliases, explicit tags and deep nesting while composing.

    The checks run on parser events, before a node is built, so an alias bomb
    is never expanded and deep nesting never reaches PyYAML's recursive composer.
    """

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]
        tag = getattr(event, "tag", None)
        shown = str(tag).replace("tag:yaml.org,2002:", "!!")
        if isinstance(event, yaml.AliasEvent):
            _refuse(
                "YAML aliases (*name) are not allowed (expected the value written out in full)",
                event,
            )
        if tag is not None and tag != "!":
            _refuse(
                f"YAML tags ({shown!r}) are not allowed (expected a plain value: remove the tag)",
                event,
            )
        if self._depth >= MAX_DEPTH:
            _refuse(f"nested too deeply (expected at most {MAX_DEPTH} levels)", event)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _refuse(problem: str, event: Any) -> NoReturn:
    raise _Refused(problem=problem, problem_mark=event.start_mark)


class _Builder:
    """Turns a composed YAML node tree into Python data and a line map."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lines = LineMap()
        self.problems: list[Problem] = []
        self._constructor = yaml.SafeLoader("")

    def _problem(self, node: yaml.Node, path: PathKey, message: str) -> None:
        self.problems.append(Problem(self.name, node.start_mark.line + 1, dotted(path), message))

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.lines.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines.lines[(*path, index)] = item.start_mark.line + 1
                items.append(self.build(item, (*path, index)))
            return items
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        result: dict[str, Any] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_node, path, "a key must be plain text")
                continue
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key == "<<":
                self._problem(key_node, path, "YAML merge keys ('<<') are not allowed")
                continue
            if key in key_lines:
                self._problem(
                    key_node,
                    (*path, key),
                    f"duplicate key (already defined on line {key_lines[key]}; "
                    "expected each key once: remove or rename one of them)",
                )
                continue
            key_lines[key] = line
            self.lines.lines[(*path, key)] = line
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.Node, path: PathKey) -> Any:
        if isinstance(node, yaml.ScalarNode) and node.style is None:
            problem = ambiguous_number_problem(str(node.value), node.tag)
            if problem:
                self._problem(node, path, problem)
                return None
        if node.tag == _FLOAT_TAG:
            # Doses are exact decimals: 0.05 must stay 0.05, never a binary float.
            try:
                number = Decimal(str(node.value))
            except InvalidOperation:
                number = Decimal("NaN")
            if not number.is_finite():
                self._problem(
                    node,
                    path,
                    f"not a finite number (expected a number such as 5 or 0.5, got {node.value!r})",
                )
                return None
            return number
        try:
            value = self._constructor.construct_object(node, deep=True)
        except (ValueError, TypeError, OverflowError, yaml.YAMLError):
            # PyYAML builds a date from 2026-02-30 and fails: a user's typo, not a bug.
            if node.tag == _TIMESTAMP_TAG:
                message = f"not a real date (expected YYYY-MM-DD, got {node.value!r})"
            else:
                message = f"not a valid value (got {node.value!r})"
            self._problem(node, path, message)
            return None
        problem = invisible_characters_problem(value) if isinstance(value, str) else None
        if problem:
            self._problem(node, path, problem)
            return None
        return value


_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_PREFIXED = re.compile(r"[-+]?0([xXoObB])[0-9a-fA-F_]+")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+(?:\.[0-9_]*)?")
_EXPONENT = re.compile(r"[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)[eE][-+]?[0-9]+")
_GROUPED = re.compile(r"[-+]?[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?|[-+]?[0-9]*\.[0-9_]*_[0-9_]*")
_PREFIX_NAMES = {"x": "a hexadecimal", "o": "an octal", "b": "a binary"}


def ambiguous_number_problem(text: str, tag: str) -> str | None:
    """Refuse an unquoted number whose value depends on who reads it, and say how to write it.

    YAML 1.1 (PyYAML) reads ``010`` as 8 (octal), ``1:30`` as 90 (base 60) and
    ``0x10`` as 16, while YAML 1.2 reads ``010`` as 10 and ``1_000`` or ``1e5`` as
    text; a person reads each differently again. Quoted text is never refused.
    """
    quoted = f"'{text}' in quotes if text was meant"
    plain = text.replace("_", "")
    numeric = tag in (_INT_TAG, _FLOAT_TAG)
    if numeric and _SEXAGESIMAL.fullmatch(text):
        reading = f"YAML reads {text} as {_sexagesimal(plain)}, counting in sixties"
        return f"a number written with ':' ({reading}; expected one plain number, or {quoted})"
    prefixed = _PREFIXED.fullmatch(text)
    if prefixed:
        kind = _PREFIX_NAMES[prefixed.group(1).lower()]
        try:
            value = str(int(plain, 0))
        except ValueError:
            return f"{kind} number (expected a number in plain digits, or {quoted})"
        reading = (
            f"YAML reads {text} as {value}"
            if numeric
            else f"YAML 1.1 reads {text} as text, YAML 1.2 as {value}"
        )
        return f"{kind} number ({reading}; expected {value} in plain digits, or {quoted})"
    if _LEADING_ZERO.fullmatch(text):
        sign = plain[0] if plain[0] in "+-" else ""
        digits = plain.lstrip("+-").lstrip("0")
        meant = sign + ("0" + digits if digits[:1] in ("", ".") else digits)
        if tag == _INT_TAG:
            reading = f"YAML reads {text} as {int(plain, 8)}, an octal number"
        elif tag == _FLOAT_TAG:
            reading = "a leading zero can mean an octal number"
        else:
            reading = f"YAML reads {text} as text, not a number"
        return (
            f"a number with a leading zero ({reading}; expected {meant} without the leading "
            f"zero, or {quoted})"
        )
    if _EXPONENT.fullmatch(text):
        return (
            f"a number in exponent notation (expected the number in plain digits, such as 250 "
            f"or 0.05, or {quoted})"
        )
    if _GROUPED.fullmatch(text):
        return (
            f"a number with '_' (YAML 1.1 reads {text} as {plain}, YAML 1.2 as text; expected "
            f"{plain} without '_', or {quoted})"
        )
    return None


def _sexagesimal(text: str) -> str:
    sign = -1 if text.startswith("-") else 1
    whole, _, fraction = text.lstrip("+-").partition(".")
    value = Decimal(0)
    for part in whole.split(":"):
        value = value * 60 + Decimal(part or "0")
    if fraction:
        value += Decimal("0." + fraction)
    return str(sign * value)


def dotted(path: PathKey) -> str:
    """Write a path as the messages show it: ``regimens[0].titration[1].each``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
