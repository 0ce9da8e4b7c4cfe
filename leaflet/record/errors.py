"""Problems found in a user's input, and the exception that carries them.

A *problem* is a user's mistake (a bad record, a missing warning in a PDF), never
a bug. Every stage collects problems instead of stopping at the first, and the
CLI prints them one per line as ``file:line: field.path: what is wrong`` and
exits with status 1. Bugs are ordinary exceptions and keep their traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["InputError", "Problem"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, with where it is and how to fix it."""

    file: str
    line: int | None
    path: str
    message: str

    @classmethod
    def with_option(cls, option: str, message: str) -> Problem:
        """A problem with one command-line option: ``--split: what is wrong (expected …)``."""
        return cls(option, None, "", message)

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class InputError(Exception):
    """Raised once a stage has collected every problem in its input."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
