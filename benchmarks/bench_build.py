"""Measure batch builds against WeasyPrint's own floor (a benchmark, not a test).

Run: .venv/bin/python benchmarks/bench_build.py [--jobs N] [--records N]

In one run, on this machine:

(a) a full build of every record in data/ × every language × every audience,
    on A4 and Letter (``--force`` into an empty folder), with --jobs = cores;
(b) the floor: bare WeasyPrint rendering the very same HTML, in one process,
    nothing else (one FontConfiguration, the stylesheet parsed once), divided by
    the number of cores;
(c) a no-op rebuild (nothing changed: nothing is rendered);
(d) the same full build with --jobs 1, for the parallel efficiency
    T(1 job) / (cores × T(cores jobs));
(e) the peak resident memory of each worker process;
and documents per second for 10, 25 and 50 generated fictional records
(English, three audiences, A4), to show how time grows with the record count.

Targets on a 2-core machine: (a) ≤ 1.15 × (b); efficiency ≥ 85 %; (c) < 5 % of
(a); peak memory per worker < 400 MB.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from leaflet.build import BuildOptions, available_languages, build, output_name  # noqa: E402
from leaflet.catalogs import load_catalogs  # noqa: E402
from leaflet.checks import check_records  # noqa: E402
from leaflet.document import DocumentJob, produce  # noqa: E402
from leaflet.pdf import STYLESHEET, Renderer  # noqa: E402
from leaflet.templating import TEMPLATES_DIR  # noqa: E402
from leaflet.workers import default_jobs  # noqa: E402

AUDIENCES = ("patient", "clinician", "taper")
PAPERS = ("a4", "letter")


def timed_build(options: BuildOptions) -> tuple[float, object]:
    started = time.perf_counter()
    report = build(options)
    seconds = time.perf_counter() - started
    if not report.ok:
        for problem in report.problems:
            print(problem)
        raise SystemExit("the build failed; fix it before measuring")
    return seconds, report


def final_html(records: list[Path], langs: list[str]) -> list[str]:
    """The HTML every document is finally rendered from (not timed)."""
    valid, _ = check_records(records)
    catalogs, _ = load_catalogs([lang for lang in langs if lang != "en"])
    renderer = Renderer()
    pages = []
    for record in valid:
        for lang in langs:
            for audience in AUDIENCES:
                for paper in PAPERS:
                    name = output_name(record.drug.id, audience, lang, paper)  # type: ignore[arg-type]
                    job = DocumentJob(
                        record,
                        audience,
                        lang,
                        paper,
                        catalogs.get(lang),
                        name,  # type: ignore[arg-type]
                    )
                    produced = produce(job, renderer)
                    assert not isinstance(produced, list), produced
                    pages.append(produced.html)
    return pages


def floor_seconds(html_pages: list[str]) -> float:
    """Bare WeasyPrint: the same HTML to PDF, one process, nothing else."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    css = weasyprint.CSS(filename=str(STYLESHEET), font_config=fonts)
    base = str(TEMPLATES_DIR) + os.sep
    weasyprint.HTML(string=html_pages[0], base_url=base).write_pdf(
        stylesheets=[css], font_config=fonts
    )  # warm-up, as the build's workers are warm after their first document
    started = time.perf_counter()
    for page in html_pages:
        weasyprint.HTML(string=page, base_url=base).write_pdf(stylesheets=[css], font_config=fonts)
    return time.perf_counter() - started


def fictional_records(folder: Path, count: int) -> list[Path]:
    """Write ``count`` copies of the fictional test drug, each with its own id and name."""
    source = yaml.safe_load((ROOT / "tests" / "fixtures" / "examplofen.yaml").read_text())
    paths = []
    for index in range(1, count + 1):
        record = dict(source)
        record["drug"] = dict(source["drug"], id=f"examplofen-{index:02d}")
        path = folder / f"examplofen-{index:02d}.yaml"
        path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True))
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--records", type=int, default=50)
    args = parser.parse_args()
    cores = args.jobs
    records = tuple(sorted((ROOT / "data").glob("*.yaml")))
    langs = available_languages()
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, jobs {cores}, "
          f"Python {platform.python_version()}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        base = BuildOptions(
            records=records,
            out_dir=out,
            langs=tuple(langs),
            audiences=AUDIENCES,
            papers=PAPERS,
            force=True,
            jobs=cores,
        )
        full, report = timed_build(base)
        documents = len(report.documents)  # type: ignore[attr-defined]
        peak_mb = max(report.peak_kib.values()) / 1024  # type: ignore[attr-defined]
        noop, _ = timed_build(BuildOptions(**{**base.__dict__, "force": False}))
        serial, _ = timed_build(BuildOptions(**{**base.__dict__, "jobs": 1}))
        floor = floor_seconds(final_html(list(records), langs))
        scaling = []
        for count in (10, 25, args.records):
            folder = Path(tmp) / f"records-{count}"
            folder.mkdir()
            paths = fictional_records(folder, count)
            options = BuildOptions(
                records=tuple(paths), out_dir=Path(tmp) / f"out-{count}", audiences=AUDIENCES,
                jobs=cores, force=True,
            )  # fmt: skip
            seconds, fictional = timed_build(options)
            scaling.append((count, len(fictional.documents), seconds))  # type: ignore[attr-defined]
    ideal = floor / cores
    efficiency = serial / (cores * full)
    print(f"(a) full build: {documents} documents in {full:.2f} s "
          f"({documents / full:.1f} documents/s)")  # fmt: skip
    print(
        f"(b) floor: bare WeasyPrint {floor:.2f} s in one process; ÷ {cores} cores = {ideal:.2f} s"
    )
    print(f"    full build / floor per core = {full / ideal:.2f} (target ≤ 1.15)")
    print(f"(c) no-op rebuild: {noop * 1000:.0f} ms = {noop / full:.1%} of the full build "
          f"(target < 5 %)")  # fmt: skip
    print(f"(d) --jobs 1: {serial:.2f} s; parallel efficiency {efficiency:.0%} (target ≥ 85 %)")
    print(f"(e) peak memory per worker: {peak_mb:.0f} MB (target < 400 MB)")
    print("fictional records (English, 3 audiences, A4):")
    for count, docs, seconds in scaling:
        print(f"    {count:>3} records: {docs} documents in {seconds:.2f} s, "
              f"{docs / seconds:.1f} documents/s")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
