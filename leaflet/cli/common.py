"""What the command-line modules share: option types, defaults, problem printing, logging.

Part of the CLI layer (:mod:`leaflet.cli`), the only code that prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..project import Project, current_project, find_project, use_project
from ..record.errors import Problem
from ..record.reading import display_path
from ..resources import bundled

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from .output_guard import Input

__all__ = [
    "AUDIENCE_CHOICES",
    "DRUG_OPTION",
    "EXAMPLE_RECORDS",
    "PAPER_CHOICES",
    "PROJECT_OPTION",
    "RECORD_OPTION",
    "CommaList",
    "OneOf",
    "check_output_file",
    "check_output_folder",
    "complete_drug",
    "data_records",
    "language_choices",
    "print_problems",
    "select_records",
]

#: Records whose values are the JSON Schema's examples: the ones leaflet ships.
EXAMPLE_RECORDS = tuple(sorted(bundled("data").glob("*.yaml")))
AUDIENCE_CHOICES = ("patient", "clinician", "taper")
PAPER_CHOICES = ("a4", "letter")


_Choices = tuple[str, ...] | Callable[[], tuple[tuple[str, ...], tuple[str, ...]]]


def _resolve(choices: _Choices) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The listed choices and the hidden ones (accepted, never listed)."""
    return choices() if callable(choices) else (choices, ())


def _completion_choices(choices: _Choices) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The choices as completion lists them, or none when they cannot be read.

    Completion runs at every TAB, before the user has asked for anything: an
    unreadable ``locales/`` must cost the candidates it holds, never print a
    traceback into the user's prompt. ``leaflet check`` reports the folder.
    """
    try:
        return _resolve(choices)
    except Exception:  # completion never fails: see above
        return (), ()


class OneOf(click.ParamType):  # type: ignore[type-arg]
    """One value of a known set, read by :func:`leaflet.record.choices.read_choice`."""

    name = "choice"

    def __init__(self, choices: _Choices, noun: str) -> None:
        self.choices = choices
        self.noun = noun

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        listed = self.choices if isinstance(self.choices, tuple) else ()
        return f"[{'|'.join(listed)}]" if listed else self.noun.upper().replace(" ", "-")

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        """The choices that begin with what has been typed (``_LEAFLET_COMPLETE``)."""
        from click.shell_completion import CompletionItem

        from ..record.choices import complete_choice

        listed, _ = _completion_choices(self.choices)
        return [CompletionItem(value) for value in complete_choice(incomplete, listed)]

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from ..record.choices import OptionValueError, read_choice

        listed, hidden = _resolve(self.choices)
        try:
            return read_choice(str(value), listed, self.noun, hidden)
        except OptionValueError as error:
            self.fail(str(error), param, ctx)


class CommaList(click.ParamType):  # type: ignore[type-arg]
    """A comma-separated list of values of a known set, or ``all``.

    Read by :func:`leaflet.record.choices.read_choice_list`: an unknown, empty or
    repeated item is a usage error (exit 2) before anything is read or written.
    """

    name = "list"

    def __init__(self, choices: _Choices, noun: str, plural: str) -> None:
        self.choices = choices
        self.noun = noun
        self.plural = plural

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        """Complete the item after the last comma: ``de,f`` → ``de,fr``; ``all`` only alone."""
        from click.shell_completion import CompletionItem

        from ..record.choices import ALL, complete_choice_list

        listed, hidden = _completion_choices(self.choices)
        return [
            CompletionItem(value, help=f"every {self.noun}" if value == ALL else None)
            for value in complete_choice_list(incomplete, listed, hidden)
        ]

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from ..record.choices import OptionValueError, read_choice_list

        if isinstance(value, tuple):
            return value
        listed, hidden = _resolve(self.choices)
        try:
            return read_choice_list(str(value), listed, self.noun, self.plural, hidden)
        except OptionValueError as error:
            self.fail(str(error), param, ctx)


def language_choices() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The languages an option may name: English and every catalog; the pseudo-locale hidden.

    Read when the option is, so that a catalog added (or a test's copy of
    ``locales/``) counts.
    """
    from ..publish.checks import language_codes
    from ..translation.languages import PSEUDO_LOCALE

    return tuple(language_codes()), (PSEUDO_LOCALE,)


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)
    count = len(problems)
    click.echo(f"{count} problem{'s' if count != 1 else ''} found.", err=True)


def data_records() -> tuple[Path, ...]:
    """Every record in the project's ``data/`` folder, in name order."""
    return tuple(sorted(current_project().data_dir.glob("*.yaml")))


_PROJECT_KEY = "leaflet.project"


def _use_project(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    """Make the named project (or the one around the current folder) current for the command.

    Eager, so every other option (``--lang``'s languages, ``--drug``'s records)
    is read in the right project. Given to the group, it holds for the
    subcommand; the project stops being current when the command ends.
    """
    if value is None and _PROJECT_KEY in ctx.meta:
        return  # the group's --project holds for its subcommand
    project = Project(value.absolute()) if value is not None else find_project(Path.cwd())
    ctx.meta[_PROJECT_KEY] = project
    use_project(project)
    ctx.find_root().call_on_close(lambda: use_project(None))


PROJECT_OPTION = click.option(
    "--project",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    is_eager=True,
    expose_value=False,
    callback=_use_project,
    help="Project folder.  [default: the nearest folder holding a leaflet.toml at or "
    "above the current one, else the current folder]",
)


def _drug_id(path: Path) -> str | None:
    """The drug id a record file declares, read without validating the rest."""
    from ..record.errors import InputError
    from ..record.reading import load_record

    try:
        data = load_record(path).data
    except InputError:
        return None
    drug = data.get("drug") if isinstance(data, dict) else None
    value = drug.get("id") if isinstance(drug, dict) else None
    return value if isinstance(value, str) else None


def select_records(
    records: tuple[Path, ...], drugs: tuple[str, ...], extra: tuple[Path, ...] = ()
) -> tuple[Path, ...]:
    """The records a command works on: every record in data/, or those named.

    ``--record PATH`` names files; ``--drug ID`` picks the record of that drug
    from data/ (or from the named files); ``extra`` adds files found elsewhere
    (``build --data DIR``). A drug id is matched whatever its case; an unknown
    one is a usage error (exit 2).
    """
    chosen = list(records) + list(extra)
    if not drugs:
        return tuple(dict.fromkeys(chosen)) if chosen else data_records()
    pool = chosen or list(data_records())
    by_id: dict[str, Path] = {}
    for path in pool:
        drug = _drug_id(path)
        if drug is not None:
            by_id.setdefault(drug, path)
    from ..record.choices import OptionValueError, read_choice

    known = sorted(by_id)
    picked = []
    for drug in drugs:
        try:
            picked.append(by_id[read_choice(drug, known, "drug")])
        except OptionValueError:
            where = "the named records" if chosen else "data/"
            raise click.BadParameter(
                f"no record of {drug!r} in {where} (expected one of: {', '.join(known) or 'none'})",
                ctx=click.get_current_context(silent=True),
                param_hint="'--drug'",
            ) from None
    return tuple(dict.fromkeys(picked))


RECORD_OPTION = click.option(
    "--record",
    "records",
    type=click.Path(path_type=Path, dir_okay=False),
    multiple=True,
    help="Drug record (YAML). Repeat for several. Default: every record in data/.",
)


def _named_records(ctx: click.Context) -> list[Path]:
    """The record files named so far on the command line being completed."""
    named: list[Path] = []
    for key in ("records", "record_path"):
        value = ctx.params.get(key)
        named += [value] if isinstance(value, Path) else list(value or ())
    for folder in ctx.params.get("data_dirs") or ():
        named += _yaml_in(Path(folder))
    return named


def complete_drug(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Complete ``--drug`` with the drug ids of the records the command would read.

    Those named by ``--record`` or ``--data`` before it, else every record in
    data/ (as :func:`select_records` picks); an id already given is not offered
    again. A record that cannot be read is left out silently: completion runs at
    every TAB, and ``leaflet check`` is where a record's problems are reported.
    """
    from click.shell_completion import CompletionItem

    from ..record.choices import complete_choice

    try:
        pool = _named_records(ctx) or list(data_records())
    except Exception:  # completion never fails: see above
        pool = []
    given = ctx.params.get("drugs") or ctx.params.get("drug") or ()
    given = {str(drug).casefold() for drug in ((given,) if isinstance(given, str) else given)}
    ids = []
    for path in pool:
        try:
            drug = _drug_id(path)
        except Exception:  # an unreadable record costs only its own id
            drug = None
        if drug is not None and drug.casefold() not in given:
            ids.append(drug)
    return [CompletionItem(drug) for drug in complete_choice(incomplete, sorted(set(ids)))]


DRUG_OPTION = click.option(
    "--drug",
    "drugs",
    multiple=True,
    shell_complete=complete_drug,
    help="Only the record of this drug id (e.g. gabapentin). Repeatable.",
)


def _inputs(
    records: Iterable[Path], settings_file: Path | None = None, branding: Any = None
) -> list[Input]:
    """What a command reads that a user named, then leaflet's own records."""
    from .output_guard import Input

    found = [Input(path, "the record this command reads") for path in records]
    if settings_file is not None:
        found.append(Input(settings_file, "the settings file this command reads"))
    logo = getattr(branding, "logo_path", None)
    if logo is not None:
        found.append(Input(logo, "the logo this command prints (named in the settings file)"))
    folder = current_project().data_dir
    shown = display_path(folder)
    found += [Input(p, f"a record leaflet reads from {shown}/") for p in _yaml_in(folder)]
    return found


def _yaml_in(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml"))


def _refuse(message: str, option: str) -> None:
    raise click.BadParameter(
        message, ctx=click.get_current_context(silent=True), param_hint=f"'{option}'"
    )


def check_output_file(
    out: Path,
    records: Iterable[Path],
    settings_file: Path | None = None,
    branding: Any = None,
    option: str = "--out",
    *,
    writes_record: bool = False,
) -> None:
    """Refuse (a usage error, exit 2) an output file that is one of the command's inputs.

    Inputs: the records, settings file and logo the command reads, every record in
    the project's ``data/``, and anything inside leaflet's own folders.
    Unless the output is a record (``writes_record``), a new ``*.yaml`` file in
    those record folders is refused too: it would be read as one.
    """
    from .output_guard import file_output_problem

    if out.is_dir():
        _refuse(f"{str(out)!r} is a folder (expected a file name)", option)
    folders = () if writes_record else (current_project().data_dir,)
    problem = file_output_problem(out, _inputs(records, settings_file, branding), folders)
    if problem:
        _refuse(problem, option)


def check_output_folder(
    out: Path,
    langs: Iterable[str],
    records: Iterable[Path],
    data_dirs: Iterable[Path] = (),
    settings_file: Path | None = None,
    branding: Any = None,
) -> None:
    """Refuse (exit 2) a build's output folder that holds, or lies among, its inputs.

    The build writes ``manifest.json`` and its lock in the folder, and each
    language's documents in ``<lang>/``.
    """
    from ..publish.writer import LOCK_NAME
    from .output_guard import Input, folder_output_problem

    folders = [
        Input(current_project().data_dir, "the records leaflet reads"),
        *(Input(folder, "a folder of records named by --data") for folder in data_dirs),
    ]
    problem = folder_output_problem(
        out,
        subfolders=langs,
        files=("manifest.json", LOCK_NAME),
        inputs=_inputs(records, settings_file, branding),
        folders=folders,
    )
    if problem:
        _refuse(problem, "--out")
