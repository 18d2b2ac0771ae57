"""A cached ``conformance facts`` run imports neither the readers nor pydicom.

A cache hit needs the file's hash, the cache entry and the export; importing pydicom,
pynetdicom and the PDF libraries would cost it most of its time (issue 11: a cached run must
be >= 5x faster than a cold one, as a whole process; ``benchmarks/cached_facts.py`` measures
that). Timing is no test on a shared machine, so this guards the cause: what the process
has imported when the command is done. Each run is its own process, as a user's would be.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests import badinput as B

ROOT = Path(__file__).resolve().parent.parent
# what a cache hit must not load: the readers and their libraries, the UID dictionaries, the matcher
HEAVY = (
    "pypdfium2",
    "pdfplumber",
    "pydicom",
    "pynetdicom",
    "rapidfuzz",
    "conformance.extract",
    "conformance.uids",
    "conformance.matcher",
)
DRIVER = """
import json, sys
from conformance.cli import run

heavy = sys.argv[1].split(",")
sys.argv = ["conformance", *sys.argv[2:]]
try:
    run()
except SystemExit as exc:
    assert not exc.code, exc.code
print(json.dumps(sorted(m for m in heavy if m in sys.modules)))
"""


def _facts_run(cache: Path, *args: str, heavy: tuple[str, ...] = HEAVY) -> list[str]:
    """Run ``conformance facts ARGS`` in a fresh process; which of ``heavy`` it imported."""
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, ",".join(heavy), "facts", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT), "CONFORMANCE_CACHE_DIR": str(cache)},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    loaded: list[str] = json.loads(proc.stdout.strip().splitlines()[-1])
    return loaded


def test_cached_facts_run_imports_no_reader_or_pydicom(tmp_path: Path) -> None:
    pdf = B.statement_pdf(tmp_path / "ct.pdf")
    cache = tmp_path / "cache"
    cold = _facts_run(cache, str(pdf), "--out", str(tmp_path / "cold"))
    assert {"pypdfium2", "pydicom", "conformance.extract"} <= set(cold)  # the probe sees imports
    warm = _facts_run(cache, str(pdf), "--out", str(tmp_path / "warm"))
    assert warm == []
    cold_facts = json.loads((tmp_path / "cold" / "ct.json").read_text())
    assert json.loads((tmp_path / "warm" / "ct.json").read_text()) == cold_facts
    assert cold_facts["services"]  # the statement was read, not an empty export


def test_cached_runs_of_several_statements_start_no_pool(tmp_path: Path) -> None:
    """Two cached statements: served in this process, so no worker pool and no multiprocessing."""
    paths = [str(B.statement_pdf(tmp_path / "ct.pdf")), str(B.statement_pdf(tmp_path / "mr.pdf"))]
    cache = tmp_path / "cache"
    pool = ("concurrent.futures.process", "multiprocessing")
    assert set(_facts_run(cache, *paths, "--out", str(tmp_path / "cold"), heavy=pool)) == set(pool)
    assert _facts_run(cache, *paths, "--out", str(tmp_path / "warm"), heavy=(*HEAVY, *pool)) == []
