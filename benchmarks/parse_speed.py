"""Parse speed and memory on a long statement PDF.

    python benchmarks/parse_speed.py [--pages 200] [--keep DIR] [--repeat 3]

Generates (reportlab, cached in a temp dir by its parameters) a PS3.2-shaped statement of
at least ``--pages`` pages (200 by default, the size of issue 11's speed bar; 204 in fact):
a ruled SOP-class overview table and a presentation-context table with every SOP class of
pydicom's dictionary (>= 300 rows, header repeated on each page), a running header and
footer, and prose sections filling the rest. Then, in one run:

* cold: ``parse_statement(use_cache=False)`` in a fresh process, ``--repeat`` times (the
  median counts: this machine's speed swings by a third from run to run) -> pages/s (wall,
  and per CPU-second: other people's processes share the cores), peak RSS (the largest of
  the process and its page workers), and the same with 2 page processes (opt-in,
  $CONFORMANCE_PDF_WORKERS), the runs of both alternating
* naive: pdfplumber ``extract_tables()`` on every page, same file, fresh process
* warm: ``parse_statement`` again with the parse cache filled, fresh process

Each measurement runs in its own subprocess so that peak RSS (getrusage) is that job's
alone and no run warms another one's caches. Targets (2 cores): >= 150 pages/s cold (issue
11's bar for a 200-page vendor-style PDF), >= 4x naive, warm <= 50 ms, peak RSS <= 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

TARGETS = {"pages_per_s": 150.0, "ratio": 4.0, "warm_ms": 50.0, "rss_mb": 300.0}


def build_pdf(path: Path, min_pages: int) -> int:
    """Write the benchmark statement; returns the number of SOP-class rows."""
    from pydicom._uid_dict import UID_dictionary
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    sops = sorted((uid, v[0]) for uid, v in UID_dictionary.items() if v[1] == "SOP Class")
    styles = getSampleStyleSheet()
    body, cell = styles["BodyText"], styles["BodyText"].clone("cell", fontSize=7, leading=8)
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTSIZE", (0, 0), (-1, -1), 7),
        ]
    )
    story = [Paragraph("ACME Imager 9 DICOM Conformance Statement", styles["Title"])]
    story += [Paragraph("1 Conformance Statement Overview", styles["Heading1"])]
    rows = [["SOP Class Name", "SOP Class UID", "User of Service (SCU)", "Provider of Service (SCP)"]]
    for i, (uid, name) in enumerate(sops):
        rows.append([Paragraph(name, cell), uid, "Yes", "Yes" if i % 3 else "No"])
    story += [Table(rows, colWidths=[220, 160, 60, 60], repeatRows=1, style=grid), PageBreak()]
    story += [Paragraph("4.2.1.3.1 Association Acceptance Policy", styles["Heading2"])]
    story += [Paragraph("Table 4.2-5 Accepted Presentation Contexts", body)]
    ts = "Implicit VR Little Endian<br/>Explicit VR Little Endian<br/>JPEG Baseline (Process 1)"
    ts_uid = "1.2.840.10008.1.2<br/>1.2.840.10008.1.2.1<br/>1.2.840.10008.1.2.4.50"
    header = ["Abstract Syntax Name", "Abstract Syntax UID", "Transfer Syntax Name", "Transfer Syntax UID"]
    header.append("Role")
    rows = [header]
    for uid, name in sops:
        rows.append([Paragraph(name, cell), uid, Paragraph(ts, cell), Paragraph(ts_uid, cell), "SCP"])
    story += [Table(rows, colWidths=[140, 130, 110, 100, 30], repeatRows=1, style=grid), PageBreak()]
    prose = (
        "The application stores every instance it receives and keeps it until the archive "
        "confirms it. Association requests from unknown calling AE titles are rejected. "
    ) * 12
    n = 0
    while True:  # prose sections until the document is long enough
        n += 1
        story += [Paragraph(f"9.{n} Annex section {n}", styles["Heading2"]), Paragraph(prose, body)]
        story += [Spacer(1, 8), Paragraph(prose, body), PageBreak()]
        if n > min_pages:
            break

    def running(canvas, doc) -> None:  # reportlab page callback
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(60, A4[1] - 30, "ACME Imager 9 DICOM Conformance Statement - Rev. C")
        canvas.drawString(60, 25, f"Page {doc.page}")
        canvas.restoreState()

    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=running, onLaterPages=running)
    return len(sops)


def count_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def make_pdf(pages: int, keep: Path | None) -> tuple[Path, int]:
    folder = keep or Path(tempfile.gettempdir()) / "conformance-bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"statement-{pages}.pdf"
    meta = path.with_suffix(".json")
    if path.is_file() and meta.is_file():
        return path, json.loads(meta.read_text())["rows"]
    rows = build_pdf(path, pages - 20)
    while count_pages(path) < pages:  # prose pages are about one per section
        pages += 10
        rows = build_pdf(path, pages - 20)
    meta.write_text(json.dumps({"rows": rows}))
    return path, rows


_COLD = """
import json, resource, statistics, sys, time
from pathlib import Path
from conformance import cache
from conformance.parsers import file_sha256, parse_statement
if not {use_cache}:  # the clock times the same work as before parsers imported it lazily:
    import conformance.extract  # the extractor (pydicom) outside the clock, PDF libraries inside
path = Path(sys.argv[1])
key = cache.entry_key(file_sha256(path), path.name)
cached = {use_cache} and cache._entry_path(key).is_file()
times, cpu = [], []
for _ in range({repeat}):
    t, c = time.perf_counter(), time.process_time()
    st = parse_statement(path, use_cache={use_cache})
    times.append(time.perf_counter() - t)
    cpu.append(time.process_time() - c)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # page workers, if any
print(json.dumps({{"seconds": times[0], "cpu": cpu[0], "median": statistics.median(times),
                  "rss_mb": max(rss, kids), "services": len(st.services()), "cached": cached}}))
"""

_NAIVE = """
import json, resource, sys, time
import pdfplumber
t = time.perf_counter()
n = 0
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        n += len(page.extract_tables())
        page.close()
dt = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": dt, "rss_mb": rss, "tables": n}))
"""


def run(code: str, path: Path, env: dict[str, str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median wall time (an odd count gives a run that happened)."""
    ranked = sorted(runs, key=lambda r: r["seconds"])
    return ranked[(len(ranked) - 1) // 2]


def _spread(runs: list[dict[str, Any]]) -> str:
    secs = [r["seconds"] for r in runs]
    return f"{min(secs):.2f}-{max(secs):.2f} s" if len(secs) > 1 else f"{secs[0]:.2f} s"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--keep", type=Path, default=None, help="folder for the generated PDF")
    ap.add_argument("--repeat", type=int, default=3, help="cold runs of each kind (median reported)")
    args = ap.parse_args()
    path, rows = make_pdf(args.pages, args.keep)
    pages = count_pages(path)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="conformance-cache-") as cache:
        env = dict(os.environ, CONFORMANCE_CACHE_DIR=cache, PYTHONPATH=str(ROOT))
        env.pop("CONFORMANCE_PDF_WORKERS", None)  # the default
        colds, pageds = [], []
        for _ in range(max(1, args.repeat)):  # alternating: a slow spell of the machine hits both
            colds.append(run(_COLD.format(use_cache=False, repeat=1), path, env))
            pageds.append(
                run(_COLD.format(use_cache=False, repeat=1), path, dict(env, CONFORMANCE_PDF_WORKERS="2"))
            )
        cold, paged = _median_run(colds), _median_run(pageds)
        naive = run(_NAIVE, path, env)
        for _ in range(3):  # a parser source edited meanwhile (shared tree) changes the key: refill
            run(_COLD.format(use_cache=True, repeat=1), path, env)  # fills the cache
            warm = run(_COLD.format(use_cache=True, repeat=5), path, env)
            if warm["cached"]:
                break
    figures = {
        "pages_per_s": pages / cold["seconds"],
        "ratio": naive["seconds"] / cold["seconds"],
        "warm_ms": warm["median"] * 1000,
        "rss_mb": cold["rss_mb"],
    }
    print(f"statement: {path} ({pages} pages, {rows} SOP-class rows per table, {os.cpu_count()} cores)")
    print(
        f"cold parse:   {cold['seconds']:.2f} s = {figures['pages_per_s']:.0f} pages/s "
        f"({cold['services']} services; median of {len(colds)}: {_spread(colds)}); CPU {cold['cpu']:.2f} s = "
        f"{pages / cold['cpu']:.0f} pages per CPU-second (load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after)"
    )
    print(
        f"cold parse, 2 page processes (opt-in): {paged['seconds']:.2f} s = "
        f"{pages / paged['seconds']:.0f} pages/s (median of {len(pageds)}: {_spread(pageds)}), "
        f"peak RSS {paged['rss_mb']:.0f} MB"
    )
    print(
        f"naive pdfplumber extract_tables: {naive['seconds']:.2f} s ({naive['tables']} tables), "
        f"ratio {figures['ratio']:.1f}x"
    )
    print(
        f"warm (cached) re-parse: median {figures['warm_ms']:.1f} ms of 5, "
        f"first {warm['seconds'] * 1000:.1f} ms"
        + ("" if warm["cached"] else " (cache MISS: parser sources changed meanwhile)")
    )
    print(f"peak RSS cold parse: {cold['rss_mb']:.0f} MB (naive pdfplumber: {naive['rss_mb']:.0f} MB)")
    failed = []
    for key, target in TARGETS.items():
        value = figures[key]
        ok = value <= target if key in {"warm_ms", "rss_mb"} else value >= target
        if not ok:
            failed.append(f"{key} {value:.1f} (target {target})")
    for line in failed:
        print("BELOW TARGET:", line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
