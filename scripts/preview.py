"""Regenerate the README's page previews: page 1 of each document as a PNG.

Usage: .venv/bin/python scripts/preview.py
Builds into a temporary folder, then renders each PDF's first page with
pdftoppm (poppler-utils) into docs/images/<lang>-<audience>.png.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leaflet.publish.build import BuildOptions, build, build_taper_handout  # noqa: E402
from leaflet.publish.checks import check_records  # noqa: E402
from leaflet.taper.calendar import compute_schedule  # noqa: E402
from leaflet.taper.taper_choice import ProductChoice  # noqa: E402
from leaflet.taper.taper_request import parse_request  # noqa: E402

IMAGES = ROOT / "docs" / "images"
PREVIEWS = [
    ("en", "patient"),
    ("en", "clinician"),
    ("en", "taper"),
    ("ar", "patient"),
    ("zh_Hans", "patient"),
]


def main() -> int:
    """Build, render the previews and report what was written."""
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found: run ./scripts/setup.sh (it installs poppler-utils)")
        return 1
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        langs = tuple(sorted({lang for lang, _ in PREVIEWS}))
        report = build(
            BuildOptions(
                records=(ROOT / "data" / "baclofen.yaml",),
                out_dir=out,
                langs=langs,
                large_print=True,
            )
        )
        if not report.ok:
            for problem in report.problems:
                print(problem)
            return 1
        for lang, audience in PREVIEWS:
            pdf = out / lang / f"baclofen-{audience}.pdf"
            _page_one(pdf, IMAGES / f"{lang}-{audience}")
        _page_one(out / "en" / "baclofen-patient-large.pdf", IMAGES / "en-patient-large")
        # The calendar shows another drug and dose form: two capsule strengths combined.
        calendar = out / "calendar.pdf"
        record = check_records([ROOT / "data" / "gabapentin.yaml"])[0][0]
        request = parse_request(
            record,
            current_dose="1200",
            split="400,400,400",
            choice=ProductChoice(form="capsule", strengths=("300 mg", "100 mg")),
            days="21",
            start="2026-12-07",
        )
        problems = build_taper_handout(
            record,
            compute_schedule(request, record.taper.minimum_days),
            lang="en",
            paper="a4",
            out_file=calendar,
            personal={"patient_name": "Jane Example", "prescriber": "", "pharmacy_phone": ""},
        )
        if problems:
            for problem in problems:
                print(problem)
            return 1
        _page_one(calendar, IMAGES / "en-taper-calendar")
    return 0


def _page_one(pdf: Path, target: Path) -> None:
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(target),
        ],
        check=True,
    )
    print(f"wrote {target.relative_to(ROOT)}.png")


if __name__ == "__main__":
    raise SystemExit(main())
