"""Run the real ``leaflet`` entry point in-process, as a user's shell would."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import polib
from click.testing import CliRunner

from leaflet.cli.main import main

__all__ = ["Outcome", "edit_entry", "files_under", "run_leaflet"]


@dataclass(frozen=True)
class Outcome:
    """What one run printed and its exit code."""

    code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        """The lines printed on standard error (where problems go)."""
        return self.stderr.splitlines()


def run_leaflet(*args: str) -> Outcome:
    """Run ``leaflet ARGS`` through :func:`leaflet.cli.main.main`; any exception propagates.

    ``main`` is what the installed script calls, so a user's mistake that escaped
    as an exception (a traceback) fails the calling test.
    """
    saved = sys.argv
    sys.argv = ["leaflet", *args]
    try:
        with CliRunner().isolation() as streams:
            try:
                main()
                code = 0
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 1
            return Outcome(code, streams[0].getvalue().decode(), streams[1].getvalue().decode())
    finally:
        sys.argv = saved


def files_under(folder: Path) -> list[str]:
    """Every file below ``folder`` (relative, sorted); empty when it does not exist."""
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def edit_entry(
    path: Path,
    context: str,
    msgstr: str | None = None,
    *,
    fuzzy: bool = False,
    tcomment: str | None = None,
) -> int:
    """Change one entry of a catalog as a translator would; return the entry's line."""
    po = polib.pofile(str(path), wrapwidth=0)
    entry = next(e for e in po if e.msgctxt == context)
    if msgstr is not None:
        entry.msgstr = msgstr
    if tcomment is not None:
        entry.tcomment = tcomment
    if fuzzy:
        entry.flags.append("fuzzy")
    po.save()
    return int(next(e for e in polib.pofile(str(path)) if e.msgctxt == context).linenum)


def required_warnings_found(pdf: bytes, project: Path, drug: str, lang: str, audience: str) -> None:
    """Assert every required warning of the document is in the PDF's text, read by pypdf."""
    from leaflet.publish.checks import check_records
    from leaflet.publish.document import required_texts
    from leaflet.render.context import record_view
    from leaflet.translation.catalog_checks import Translator
    from leaflet.translation.domains import load_language
    from leaflet.translation.languages import babel_locale
    from leaflet.verify.preflight import contains, read_facts_pypdf

    records, _ = check_records([project / "data" / f"{drug}.yaml"])
    translator = Translator(lang, None if lang == "en" else load_language(lang))
    view = record_view(records[0], babel_locale(lang), translator, translator)
    text = read_facts_pypdf(pdf).text
    wanted = required_texts(records[0], view, audience, "oral" if audience == "taper" else None)  # type: ignore[arg-type]
    assert wanted
    for required in wanted:
        assert contains(text, required.text, lang == "ar"), required.name


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (for a server a test starts)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
