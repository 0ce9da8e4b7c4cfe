"""Measure batch builds against WeasyPrint's own floor (a benchmark, not a test).

Run: .venv/bin/python benchmarks/bench_build.py [--jobs N] [--records N]

In one run, on this machine, each figure taken in a fresh Python process (so
that no measurement runs in a heap another one left behind):

(a) a full build of every record in data/ × every language × every audience,
    on A4 and Letter (``--force`` into an empty folder), with --jobs = cores; a
    drug whose translation into a language is incomplete is skipped, as the
    README's build skips it;
(b) the floor: bare WeasyPrint rendering the very same HTML (of the documents (a)
    wrote, as its manifest lists them) to the same kind of
    PDF (tagged PDF/UA-1, as every leaflet is), in one process, nothing else (one
    FontConfiguration, the stylesheet parsed once), divided by the number of
    cores; the untagged floor is printed beside it;
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
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from leaflet.publish.build import BuildOptions, available_languages, build, output_name  # noqa: E402
from leaflet.publish.checks import check_records  # noqa: E402
from leaflet.publish.document import DocumentJob, produce  # noqa: E402
from leaflet.publish.workers import default_jobs  # noqa: E402
from leaflet.record.fields import Audience  # noqa: E402
from leaflet.render.context import Paper  # noqa: E402
from leaflet.render.pdf import PDF_VARIANT, STYLESHEET, Renderer  # noqa: E402
from leaflet.render.theme import OWN_TEMPLATES_DIR  # noqa: E402
from leaflet.translation.catalogs import load_catalogs  # noqa: E402

AUDIENCES: tuple[Audience, ...] = ("patient", "clinician", "taper")
PAPERS: tuple[Paper, ...] = ("a4", "letter")


def timed_build(options: BuildOptions) -> tuple[float, object]:
    started = time.perf_counter()
    report = build(options)
    seconds = time.perf_counter() - started
    if not report.ok:
        for problem in report.problems:
            print(problem)
        raise SystemExit("the build failed; fix it before measuring")
    return seconds, report


def final_html(records: list[Path], manifest: Path) -> list[str]:
    """The HTML each document the full build wrote was finally rendered from (not timed).

    The manifest names those documents: a drug whose translation into a language
    is still incomplete is not built in it, and so not rendered here either.
    """
    valid, _ = check_records(records)
    by_id = {record.drug.id: record for record in valid}
    listed = json.loads(manifest.read_text(encoding="utf-8"))["documents"]
    langs = sorted({entry["lang"] for entry in listed})
    catalogs, _ = load_catalogs([lang for lang in langs if lang != "en"])
    renderer = Renderer()
    pages = []
    for entry in listed:
        name = output_name(entry["drug"], entry["audience"], entry["lang"], entry["paper"])
        job = DocumentJob(
            by_id[entry["drug"]],
            entry["audience"],
            entry["lang"],
            entry["paper"],
            catalogs.get(entry["lang"]),
            name,
        )
        produced = produce(job, renderer)
        assert not isinstance(produced, list), produced
        pages.append(produced.html)
    return pages


def floor_seconds(html_pages: list[str], variant: str | None = PDF_VARIANT) -> float:
    """Bare WeasyPrint: the same HTML to the same PDF variant, one process, nothing else."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    css = weasyprint.CSS(filename=str(STYLESHEET), font_config=fonts)
    base = str(OWN_TEMPLATES_DIR) + os.sep
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


def measure(kind: str, tmp: Path, jobs: int, count: int) -> dict[str, float]:
    """Take one measurement in this (fresh) process; return its figures."""
    records = tuple(sorted((ROOT / "data").glob("*.yaml")))
    langs = available_languages()
    base = BuildOptions(
        records=records, out_dir=tmp / "out", langs=tuple(langs), audiences=AUDIENCES,
        papers=PAPERS, force=True, jobs=jobs,
    )  # fmt: skip
    if kind == "full":
        seconds, report = timed_build(base)
        peak_kib = max(report.peak_kib.values())  # type: ignore[attr-defined]
        return {"seconds": seconds, "documents": len(report.documents), "peak_kib": peak_kib}  # type: ignore[attr-defined]
    if kind == "noop":  # into the folder "full" just filled
        return {"seconds": timed_build(BuildOptions(**{**base.__dict__, "force": False}))[0]}
    if kind == "serial":
        options = BuildOptions(**{**base.__dict__, "jobs": 1, "out_dir": tmp / "serial"})
        return {"seconds": timed_build(options)[0]}
    pages_file = tmp / "final-html.json"
    if kind == "html":  # rendered here, so that the floor's process renders nothing else
        pages = final_html(list(records), tmp / "out" / "manifest.json")
        pages_file.write_text(json.dumps(pages), encoding="utf-8")
        return {}
    if kind in ("floor", "untagged"):
        html_pages = json.loads(pages_file.read_text(encoding="utf-8"))
        return {"seconds": floor_seconds(html_pages, PDF_VARIANT if kind == "floor" else None)}
    folder = tmp / f"records-{count}"
    folder.mkdir()
    paths = fictional_records(folder, count)
    options = BuildOptions(
        records=tuple(paths), out_dir=tmp / f"out-{count}", audiences=AUDIENCES,
        jobs=jobs, force=True,
    )  # fmt: skip
    seconds, fictional = timed_build(options)
    return {"seconds": seconds, "documents": len(fictional.documents)}  # type: ignore[attr-defined]


def in_fresh_process(kind: str, tmp: Path, jobs: int, count: int = 0) -> dict[str, float]:
    """Run :func:`measure` in a new Python process, so no measurement inherits another's heap."""
    command = [sys.executable, __file__, "--measure", kind, "--tmp", str(tmp)]
    command += ["--jobs", str(jobs), "--records", str(count)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--records", type=int, default=50)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--tmp", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.tmp, args.jobs, args.records)))
        return 0
    cores = args.jobs
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, jobs {cores}, "
          f"Python {platform.python_version()}; each figure from a fresh process")  # fmt: skip
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        full = in_fresh_process("full", tmp, cores)
        noop = in_fresh_process("noop", tmp, cores)["seconds"]
        serial = in_fresh_process("serial", tmp, cores)["seconds"]
        in_fresh_process("html", tmp, cores)
        floor = in_fresh_process("floor", tmp, cores)["seconds"]
        untagged = in_fresh_process("untagged", tmp, cores)["seconds"]
        scaling = [
            (count, in_fresh_process("scaling", tmp, cores, count))
            for count in (10, 25, args.records)
        ]
    seconds, documents = full["seconds"], int(full["documents"])
    ideal = floor / cores
    efficiency = serial / (cores * seconds)
    print(f"(a) full build: {documents} documents in {seconds:.2f} s "
          f"({documents / seconds:.1f} documents/s)")  # fmt: skip
    print(
        f"(b) floor: bare WeasyPrint {floor:.2f} s in one process (PDF/UA-1, as built; "
        f"untagged {untagged:.2f} s); ÷ {cores} cores = {ideal:.2f} s"
    )
    print(f"    full build / floor per core = {seconds / ideal:.2f} (target ≤ 1.15)")
    print(f"(c) no-op rebuild: {noop * 1000:.0f} ms = {noop / seconds:.1%} of the full build "
          f"(target < 5 %)")  # fmt: skip
    print(f"(d) --jobs 1: {serial:.2f} s; parallel efficiency {efficiency:.0%} (target ≥ 85 %)")
    print(f"(e) peak memory per worker: {full['peak_kib'] / 1024:.0f} MB (target < 400 MB)")
    print("fictional records (English, 3 audiences, A4):")
    for count, figures in scaling:
        docs, took = int(figures["documents"]), figures["seconds"]
        print(f"    {count:>3} records: {docs} documents in {took:.2f} s, "
              f"{docs / took:.1f} documents/s")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
