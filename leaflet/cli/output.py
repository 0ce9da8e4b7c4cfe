"""How much every command says: ``-q/--quiet``, ``-v/--verbose`` and the logging behind them.

Part of the CLI layer. :func:`output_options` gives a command (or a group) both
options; :func:`configure_output` points the ``leaflet`` logger at standard
error at the level they choose: WARNING with ``-q`` (only problems), INFO by
default (each file written), DEBUG with ``-v`` (also each layout tried per
document). The two options contradict each other, so giving both, on one
command or across a group and its subcommand (``leaflet -q i18n status -v``),
is a usage error (exit 2).
"""

from __future__ import annotations

import functools
import inspect
import logging
import os
import sys
from collections.abc import Callable
from typing import Any, TextIO, TypeVar

import click

__all__ = [
    "COMBINED_MESSAGE",
    "ERASE_LINE",
    "configure_output",
    "inform",
    "live_output",
    "output_options",
]

COMBINED_MESSAGE = "-q and -v cannot be combined (expected one of them, or neither)"

#: Back to the start of the line and erase it: clears a status line drawn there.
ERASE_LINE = "\r\x1b[K"

_F = TypeVar("_F", bound=Callable[..., Any])
_META_KEY = "leaflet.output"


def live_output(stream: TextIO) -> bool:
    """True when a status line may be redrawn: a terminal that can, and not a CI run."""
    term = os.environ.get("TERM", "")
    return stream.isatty() and not os.environ.get("CI") and term.lower() != "dumb"


class _LineHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes each record as one line, first erasing a status line drawn on a terminal.

    Forked render workers log through this handler too, and cannot know whether
    the parent has a status line up: erasing the current line first keeps a log
    line from being glued to the status line's remains. Off a terminal (a pipe,
    CI, ``TERM=dumb``) lines are written as they are.
    """

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self.erase = ERASE_LINE if live_output(stream) else ""
        self.setFormatter(logging.Formatter("%(message)s"))

    def format(self, record: logging.LogRecord) -> str:
        """The message, behind the erase sequence when a status line may be up."""
        return self.erase + super().format(record)


def configure_output(quiet: bool, verbose: bool) -> None:
    """Send the ``leaflet`` logger to standard error at the chosen level.

    Only problems (WARNING) when ``quiet``; each file written (INFO) by default;
    debug detail too (DEBUG) when ``verbose``. Replaces any earlier handler, so a
    group and its subcommand can both call it.
    """
    logger = logging.getLogger("leaflet")
    logger.handlers[:] = [_LineHandler(sys.stderr)]
    logger.setLevel(logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False


def _remember(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    """Record a flag as soon as it is read; refuse it beside the other one.

    Eager, so that ``-q -v`` is named before any other option is checked (a
    missing required option would otherwise hide it). ``ctx.meta`` is shared by a
    group's context and its subcommand's, so a flag given to the group counts
    for the subcommand too.
    """
    if not value or ctx.resilient_parsing:
        return value
    quiet, verbose = ctx.meta.get(_META_KEY, (False, False))
    quiet, verbose = quiet or param.name == "quiet", verbose or param.name == "verbose"
    if quiet and verbose:
        raise click.UsageError(COMBINED_MESSAGE, ctx=ctx)
    ctx.meta[_META_KEY] = (quiet, verbose)
    return value


def inform(message: str) -> None:
    """Print a progress or success message on standard error, unless ``-q`` was given.

    For what a command says about its work ("Schema written to …"); problems are
    printed whatever the level, and a command's product (JSON, a table) goes to
    standard output regardless.
    """
    context = click.get_current_context(silent=True)
    quiet, _ = context.meta.get(_META_KEY, (False, False)) if context else (False, False)
    if not quiet:
        click.echo(message, err=True)


def output_options(command: _F) -> _F:
    """Add ``-q/--quiet`` and ``-v/--verbose`` to a click command and configure logging.

    Use it below ``@click.command()`` or ``@click.group()``. The command's
    function receives ``quiet`` and ``verbose`` only if it names them as
    parameters; logging is configured (:func:`configure_output`) before its body
    runs.
    """
    wanted = set(inspect.signature(command).parameters) & {"quiet", "verbose"}

    @functools.wraps(command)
    def run(*args: Any, quiet: bool, verbose: bool, **kwargs: Any) -> Any:
        # The flags given to this command and to the groups above it.
        context = click.get_current_context()
        quiet, verbose = context.meta.get(_META_KEY, (False, False))
        configure_output(quiet, verbose)
        given = {"quiet": quiet, "verbose": verbose}
        kwargs.update({name: given[name] for name in wanted})
        return command(*args, **kwargs)

    # Listed after the command's own options in its help: click shows its list reversed.
    own = list(getattr(command, "__click_params__", []))
    flag: dict[str, Any] = {"is_flag": True, "is_eager": True, "callback": _remember}
    run.__click_params__ = [  # type: ignore[attr-defined]
        click.Option(
            ["-v", "--verbose"],
            help="Also print debug detail (e.g. each layout a document tries).",
            **flag,
        ),
        click.Option(["-q", "--quiet"], help="Print only problems.", **flag),
        *own,
    ]
    return run  # type: ignore[return-value]
