"""Catalogs are written as GNU msgcat and msgmerge write them: a Poedit save changes nothing."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from leaflet.project import Project
from leaflet.translation.po_format import po_text

from .conftest import ROOT
from .helpers import run_leaflet

CATALOGS = sorted((ROOT / "locales").glob("*/LC_MESSAGES/*.po")) + sorted(
    (ROOT / "locales").glob("*.pot")
)


def msgcat(path: Path) -> str:
    """The file as GNU msgcat writes it with its default wrapping (what Poedit does too)."""
    assert shutil.which("msgcat"), "gettext's msgcat is missing: run ./scripts/setup.sh"
    done = subprocess.run(["msgcat", str(path)], capture_output=True, text=True, check=True)
    return done.stdout


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT / "locales")))
def test_every_catalog_is_written_as_msgcat_writes_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert po_text(polib.pofile(str(path), wrapwidth=0)) == text
    assert msgcat(path) == text


_PALETTE = (
    "baclofen mg mL 10 0.5 (spasticity) e.g. light-headed n%10 {dose} %(drug)s “quoted” "
    "«cité» l'eau 剂量 每日1次 （口服） ： ， 。 、 《说明书》 微克 毫升 الجرعة مل ، ؛ نوبات "
    '٢٥ ٪ Tiếng Việt dịch tủy — – … / - " \\ \t °C ± ≥ × ½ 1,000 1.000 $5 5% a/b [1] § • '
    "Übelkeit „Zitat“ не менее 1–2 недель ’s Sí ¿Qué?"
)
WORDS = _PALETTE.split(" ")


def _random_text(rnd: random.Random) -> str:
    parts = []
    for _ in range(rnd.randint(1, 40)):
        parts += [rnd.choice(WORDS), rnd.choice([" ", " ", " ", "", "\n", "\u00a0"])]
    return "".join(parts).strip(" ")


@pytest.mark.parametrize("seed", range(8))
def test_random_text_in_every_script_wraps_as_msgcat_wraps_it(seed: int, tmp_path: Path) -> None:
    rnd = random.Random(seed)
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for index in range(200):
        entry = polib.POEntry(msgctxt=f"ctx.{index}", msgid=_random_text(rnd))
        entry.msgstr = _random_text(rnd)
        if rnd.random() < 0.3:
            entry.flags.append("python-brace-format")
        po.append(entry)
    path = tmp_path / "random.po"
    path.write_text(po_text(po), encoding="utf-8")
    assert msgcat(path) == path.read_text(encoding="utf-8")


def test_a_catalog_saved_by_poedit_survives_an_update_unchanged(
    private_project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Poedit rewraps the file and stamps its header; leaflet's next update keeps both."""
    monkeypatch.chdir(private_project.root)
    saved = {}
    for path in sorted(private_project.locales_dir.glob("*/LC_MESSAGES/*.po")):
        text = msgcat(path).replace(
            '"X-Generator: leaflet', '"X-Poedit-SourceCharset: UTF-8\\n"\n"X-Generator: leaflet'
        )
        path.write_text(text.replace("X-Generator: leaflet 0.1.0", "X-Generator: Poedit 3.4"))
        saved[path] = path.read_bytes()
    assert run_leaflet("i18n", "update", "-q").code == 0
    assert run_leaflet("i18n", "update", "--domain", "leaflet", "-q").code == 0
    changed = [str(p) for p, data in saved.items() if p.read_bytes() != data]
    assert changed == []
    assert b"X-Generator: Poedit 3.4" in next(iter(saved.values()))
