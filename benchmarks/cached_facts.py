"""Cold vs cached ``conformance facts`` of one statement, each run a whole process.

    python benchmarks/cached_facts.py [--runs 5] [--pages 200] [--keep DIR] [STATEMENT ...]

A user who exports facts twice (or a script that runs ``facts`` per device) pays for a whole
process each time: interpreter start, the CLI, imports, then either a parse (cold) or a parse
cache read (warm). A cache hit needs neither the PDF libraries nor pydicom/pynetdicom, so a
warm run should cost little more than the interpreter and the CLI.

Statements: the 200-page vendor-style PDF of ``parse_speed.py`` (generated, cached in a temp
dir) and ``statements/aurora-ct-128.pdf``, or the files given. For each, cold and warm runs
alternate (so that both see the same machine load; other people's processes share the
cores): cold with a fresh empty ``CONFORMANCE_CACHE_DIR`` (parses and fills the cache, as a
first run does), warm with a filled one. Prints the median wall and CPU (user+sys) seconds of
``--runs`` runs each, their ratios and the load average. Target: warm >= 5x faster (wall).

``PYTHONDONTWRITEBYTECODE`` (set in some shells and CI) makes every run compile the package's
own modules from source, as an installed wheel never does; the header says whether it is set,
and ``--bytecode`` unsets it for the runs (the first run then writes ``__pycache__``).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 5.0


def command() -> list[str]:
    """The installed ``conformance`` entry point next to this interpreter, else the same via -c."""
    script = Path(sys.executable).parent / "conformance"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from conformance.cli import run; run()"]


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one whole process; CPU from the children's rusage delta."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(statement: Path, runs: int, work: Path, bytecode: bool) -> dict[str, list[float]]:
    out = work / "facts"
    args = [*command(), "facts", str(statement), "--out", str(out)]
    base = dict(os.environ, PYTHONPATH=str(ROOT))
    if bytecode:
        base.pop("PYTHONDONTWRITEBYTECODE", None)
    warm_dir = work / "warm-cache"
    subprocess.run(args, check=True, env=dict(base, CONFORMANCE_CACHE_DIR=str(warm_dir)), capture_output=True)
    times: dict[str, list[float]] = {"cold_wall": [], "cold_cpu": [], "warm_wall": [], "warm_cpu": []}
    for i in range(runs):
        cold_dir = work / f"cold-cache-{i}"
        wall, cpu = timed(args, dict(base, CONFORMANCE_CACHE_DIR=str(cold_dir)))
        shutil.rmtree(cold_dir, ignore_errors=True)
        times["cold_wall"].append(wall)
        times["cold_cpu"].append(cpu)
        wall, cpu = timed(args, dict(base, CONFORMANCE_CACHE_DIR=str(warm_dir)))
        times["warm_wall"].append(wall)
        times["warm_cpu"].append(cpu)
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("statements", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pages", type=int, default=200, help="pages of the generated PDF")
    ap.add_argument("--keep", type=Path, default=None, help="folder for the generated PDF")
    ap.add_argument("--bytecode", action="store_true", help="unset PYTHONDONTWRITEBYTECODE for the runs")
    args = ap.parse_args()
    statements = list(args.statements)
    if not statements:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from parse_speed import make_pdf

        statements = [make_pdf(args.pages, args.keep)[0], ROOT / "statements" / "aurora-ct-128.pdf"]
    print(f"command: {' '.join(command())} facts STATEMENT --out DIR; {args.runs} runs each, medians")
    compiled = args.bytecode or not os.environ.get("PYTHONDONTWRITEBYTECODE")
    print(
        f"cores: {os.cpu_count()}, load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
        f"bytecode cache {'on' if compiled else 'off (PYTHONDONTWRITEBYTECODE)'}"
    )
    failed = []
    for statement in statements:
        with tempfile.TemporaryDirectory(prefix="conformance-cached-facts-") as work:
            t = measure(statement, args.runs, Path(work), args.bytecode)
        med = {k: statistics.median(v) for k, v in t.items()}
        ratio = med["cold_wall"] / med["warm_wall"]
        print(
            f"{statement.name}: cold {med['cold_wall']:.2f} s wall / {med['cold_cpu']:.2f} s CPU, "
            f"warm {med['warm_wall']:.2f} s wall / {med['warm_cpu']:.2f} s CPU; "
            f"ratio {ratio:.1f}x wall, {med['cold_cpu'] / med['warm_cpu']:.1f}x CPU "
            f"(warm wall min {min(t['warm_wall']):.2f} max {max(t['warm_wall']):.2f})"
        )
        if ratio < TARGET_RATIO:
            failed.append(f"{statement.name}: {ratio:.1f}x (target {TARGET_RATIO}x)")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for line in failed:
        print("BELOW TARGET:", line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
