"""Parse a record's YAML text into plain data and the line of every value.

The loader reads the file; this module turns its text into data. Parsing works
at the YAML node level so that every value keeps its line, and it is stricter
than ``yaml.safe_load``: aliases (the "billion laughs" bomb), merge keys and
explicit tags (``!!python/object``, ``!!binary``) are refused, nesting is
limited (deep nesting would exhaust Python's stack), and text may not hold
invisible control characters. Every refusal is a :class:`~leaflet.errors.Problem`
with the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

import yaml

from .characters import invisible_characters_problem
from .errors import InputError, Problem

__all__ = ["MAX_DEPTH", "LineMap", "PathKey", "dotted", "parse_yaml"]

PathKey = tuple[str | int, ...]

#: Deepest nesting accepted; a real record nests five or six levels.
MAX_DEPTH = 40

_FLOAT_TAG = "tag:yaml.org,2002:float"
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
        raise InputError([_syntax_problem(exc, name)]) from None
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


def _syntax_problem(exc: yaml.MarkedYAMLError, name: str) -> Problem:
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
        if node.tag == _FLOAT_TAG:
            # Doses are exact decimals: 0.05 must stay 0.05, never a binary float.
            try:
                return Decimal(str(node.value).replace("_", ""))
            except InvalidOperation:
                self._problem(node, path, f"not a finite number (got {node.value!r})")
                return None
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


def dotted(path: PathKey) -> str:
    """Write a path as the messages show it: ``regimens[0].titration[1].each``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
