"""The project's settings file on the command line: branding, and defaults for ``build``.

A command reads the file ``--settings`` names, else the project's own
``leaflet.toml`` when there is one. A value under ``[build]`` stands in for an
option the user did not give, and is read by that option's own type, so a bad
value gets the option's words, with the settings file's name and line.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..project import current_project
from ..record.errors import InputError, Problem
from .common import print_problems

if TYPE_CHECKING:
    from ..render.presentation import LoadedProjectSettings

__all__ = ["apply_build_defaults", "settings_or_exit"]

#: ``build`` parameter name → its key under ``[build]`` in the settings file.
BUILD_DEFAULTS = {
    "langs": "languages",
    "audiences": "audiences",
    "papers": "papers",
    "formats": "formats",
    "large_print": "large_print",
    "booklet": "booklet",
    "online_url": "online_url",
}


def settings_file_in_use(named: Path | None) -> Path | None:
    """The settings file a command reads: the one named, else the project's, if any."""
    if named is not None:
        return named
    own = current_project().settings_file
    return own if own.is_file() else None


def settings_or_exit(named: Path | None) -> LoadedProjectSettings | None:
    """Load the settings in use, or print every problem in the file and exit 1."""
    from ..render.presentation import load_project_settings

    path = settings_file_in_use(named)
    if path is None:
        return None
    try:
        return load_project_settings(path)
    except InputError as error:
        print_problems(error.problems)
        sys.exit(1)


def apply_build_defaults(
    ctx: click.Context, settings: LoadedProjectSettings | None, values: dict[str, Any]
) -> dict[str, Any]:
    """Fill ``values`` (the build's parameters) from ``[build]`` where no option was given.

    Every value is read by its option's type; all problems are printed at once
    (settings file, line, key) and the command exits 1.
    """
    if settings is None:
        return values
    problems = []
    params = {param.name: param for param in ctx.command.params}
    for name, key in BUILD_DEFAULTS.items():
        given = ctx.get_parameter_source(name) not in (
            click.core.ParameterSource.DEFAULT,
            None,
        )
        setting = getattr(settings.build, key)
        if given or setting is None:
            continue
        try:
            values[name] = _read(params[name], setting, ctx)
        except click.BadParameter as error:
            line = settings.source.lines.line_for(("build", key))
            # The option's words, but the file holds a TOML list, not comma-separated text.
            message = error.message.replace("a comma-separated list of", "a list of")
            problems.append(Problem(settings.source.name, line, f"build.{key}", message))
    if problems:
        print_problems(problems)
        sys.exit(1)
    return values


def _read(param: click.Parameter, setting: Any, ctx: click.Context) -> Any:
    """Read one setting as its option would read the same text."""
    if isinstance(setting, list):
        setting = ",".join(str(item) for item in setting)
    if isinstance(setting, bool):
        return setting
    value = param.type.convert(setting, param, ctx)
    if param.callback is not None:
        value = param.callback(ctx, param, value)
    return value
