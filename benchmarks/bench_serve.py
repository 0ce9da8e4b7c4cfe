"""Measure ``leaflet serve`` while a patient waits (a benchmark, not a test).

Run: .venv/bin/python benchmarks/bench_serve.py [--workers N] [--requests N]

In one run, on this machine:

(a) the command line: ``leaflet taper … --out`` for one personalised handout,
    start-up included (median of 5);
(b) ``leaflet serve`` started as a pharmacist starts it (loopback, one worker per
    core), then the latency of one personalised taper handout (POST /api/taper,
    format pdf), p50 and p95, with 1, 4 and 16 concurrent clients;
(c) the throughput at saturation (16 clients) in handouts per second, against
    (d) the batch rate for the very same handouts: one process per core rendering
    them back to back with leaflet's renderer, warm, no HTTP (what a batch of
    personalised handouts costs); and, for scale, ``leaflet build --audience
    taper --lang all --force`` with --jobs = cores (the standard handouts, whose
    schedule is blank).

Targets on 2 cores: (b) p50 ≤ 0.35 s with one client, p95 ≤ 1.5 s with 4
clients; (c) ≥ 90 % of (d).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
LEAFLET = str(Path(sys.executable).with_name("leaflet"))
sys.path.insert(0, str(ROOT))

from leaflet.serve.openapi import TAPER_EXAMPLE  # noqa: E402

#: The API's documented example, as a PDF with a patient's name.
BODY = {**TAPER_EXAMPLE, "patient_name": "Test Patient", "format": "pdf"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def command_line(out: Path) -> float:
    """(a) Median seconds of ``leaflet taper`` for the same handout, start-up included."""
    args = [
        LEAFLET, "taper", "--drug", "gabapentin", "--form", "capsule", "--strength", "300 mg",
        "--strength", "100 mg", "--current-dose", "1200", "--split", "400,400,400",
        "--days", "21", "--start", "2026-12-07", "--patient-name", "Test Patient",
        "--out", str(out / "taper.pdf"),
    ]  # fmt: skip
    times = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(args, check=True, cwd=ROOT, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def _client(base: str, count: int, latencies: list[float]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        for n in range(count):
            body = {**BODY, "days": 14 + n % 14}
            started = time.perf_counter()
            answer = await client.post("/api/taper", json=body)
            latencies.append(time.perf_counter() - started)
            if answer.status_code != 200:
                raise SystemExit(f"request failed: {answer.status_code} {answer.text[:200]}")


async def load(base: str, clients: int, per_client: int) -> tuple[list[float], float]:
    """Latencies of ``clients`` clients sending ``per_client`` requests each, and wall time."""
    latencies: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(_client(base, per_client, latencies) for _ in range(clients)))
    return latencies, time.perf_counter() - started


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def batch_rate(jobs: int, out: Path) -> tuple[int, float]:
    """(d) Taper handouts a second from ``leaflet build`` with ``jobs`` workers."""
    args = [LEAFLET, "build", "--audience", "taper", "--lang", "all", "--paper", "all",
            "--force", "--jobs", str(jobs), "--out", str(out)]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(args, check=True, cwd=ROOT, capture_output=True)
    seconds = time.perf_counter() - started
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    count = sum(1 for d in manifest["documents"] if d["audience"] == "taper")
    return count, seconds


def _render_many(count: int) -> float:
    """Render ``count`` personalised handouts in this process, warm; return the seconds."""
    from leaflet.publish.checks import check_records
    from leaflet.render.presentation import Presentation
    from leaflet.serve import rendering
    from leaflet.taper.taper_plan import TaperFields, plan_taper

    rendering.warm()
    record = check_records([ROOT / "data" / "gabapentin.yaml"])[0][0]
    started = time.perf_counter()
    for n in range(count):
        fields = TaperFields(
            current_dose="1200", start="2026-12-07", form="capsule",
            strengths=("300 mg", "100 mg"), split="400,400,400", days=str(14 + n % 14),
            personal={"patient_name": "Test Patient"},
        )  # fmt: skip
        schedule, personal = plan_taper(record, fields)
        rendered = rendering.render_taper(record, schedule, "en", "a4", personal, Presentation())
        assert not isinstance(rendered, list), rendered
    return time.perf_counter() - started


def batch_same_handouts(cores: int, total: int) -> float:
    """(d) Handouts a second, ``cores`` processes rendering the same handouts, no HTTP."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(cores) as pool:
        list(pool.map(_render_many, [1] * cores))  # start and warm each process
        started = time.perf_counter()
        list(pool.map(_render_many, [total // cores] * cores))
        wall = time.perf_counter() - started
    return (total // cores) * cores / wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--requests", type=int, default=32, help="requests per load level")
    options = parser.parse_args()
    cores = options.workers
    print(f"machine: {platform.processor() or platform.machine()}, {cores} core(s) used")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        cli = command_line(out)
        print(f"(a) leaflet taper, one handout, start-up included: {cli:.2f} s")
        port = _free_port()
        server = subprocess.Popen(
            [LEAFLET, "serve", "--port", str(port), "--workers", str(cores)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 120
            while True:
                try:
                    if httpx.get(f"{base}/api/drugs", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.time() > deadline:
                    raise SystemExit("leaflet serve did not start")
                time.sleep(0.2)
            asyncio.run(load(base, 1, 3))  # warm: each worker's first catalog load
            results = {}
            for clients in (1, 4, 16):
                per_client = max(1, options.requests // clients)
                latencies, wall = asyncio.run(load(base, clients, per_client))
                results[clients] = (latencies, wall)
                p50, p95 = _percentile(latencies, 0.5), _percentile(latencies, 0.95)
                print(
                    f"(b) {clients:2d} client(s), {len(latencies)} handouts: "
                    f"p50 {p50:.2f} s, p95 {p95:.2f} s"
                )
            latencies, wall = results[16]
            serve_rate = len(latencies) / wall
        finally:
            server.terminate()
            server.wait(30)
        same_rate = batch_same_handouts(cores, options.requests)
        count, seconds = batch_rate(cores, out / "batch")
        build_rate = count / seconds
        print(f"(c) saturation (16 clients): {serve_rate:.2f} handouts/s")
        print(f"(d) the same handouts back to back, {cores} processes: {same_rate:.2f}/s")
        print(f"    serve / batch: {serve_rate / same_rate:.0%} (target ≥ 90 %)")
        print(
            f"    for scale: leaflet build, {count} standard taper handouts, --jobs {cores}: "
            f"{build_rate:.2f} docs/s"
        )


if __name__ == "__main__":
    main()
