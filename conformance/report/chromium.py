"""Headless Chromium: the report as a PDF (``check --pdf``) and as a screenshot (docs/make_screenshot.py).

Why Chromium rather than a PDF library: the browser tests already need it, it prints the page
exactly as a reader's browser shows it (inline SVG, collapsible lists, the print stylesheet),
and it takes seconds on a multi-megabyte report. The running header (report title, site name)
and the page numbers are CSS page-margin boxes in the report's own print stylesheet, so a
reader printing from their browser gets the same pages; nothing is passed to Chromium but the
file. WeasyPrint, the well-kept pure-Python alternative, installs here too but needs Pango,
renders SVG and ``<details>`` its own way and is far slower on a large site.

Chromium is looked up as ``CONFORMANCE_CHROMIUM`` (a path), then ``chromium``,
``chromium-browser``, ``google-chrome`` on ``PATH``. It runs with a throw-away profile, no
extensions and no background networking; the report itself forbids every load by its CSP.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from conformance.errors import ConformanceError
from conformance.fileio import atomic_write

LOGGER = logging.getLogger(__name__)

ENV_VAR = "CONFORMANCE_CHROMIUM"
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FALLBACKS = (Path("/usr/bin/chromium"), Path("/usr/bin/chromium-browser"))
TIMEOUT = 300.0  # seconds; a 1,000-device report prints in well under a minute
FLAGS = (
    "--headless",
    "--disable-gpu",
    "--disable-dev-shm-usage",  # containers have a tiny /dev/shm; large pages crash without this
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
)
MISSING = f"Chromium not found (install chromium, or set {ENV_VAR} to its path)"


class ChromiumError(ConformanceError):
    """Chromium is missing, failed or timed out while writing an output file."""


def find_chromium() -> str | None:
    """The Chromium executable, or None."""
    wanted = os.environ.get(ENV_VAR, "").strip()
    if wanted:
        return wanted if Path(wanted).is_file() and os.access(wanted, os.X_OK) else None
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    return next((str(p) for p in FALLBACKS if p.is_file()), None)


def _run(exe: str, args: Sequence[str], profile: Path, out: Path, timeout: float) -> None:
    """Run one headless Chromium job; raise a one-line error naming ``out`` when it writes nothing."""
    sandbox = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []  # refused as root
    cmd = [exe, *FLAGS, *sandbox, f"--user-data-dir={profile}", *args]
    LOGGER.info("running %s", " ".join(cmd))
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: on timeout we end exactly what we started
    )
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise ChromiumError(str(out), f"Chromium did not finish within {timeout:.0f} s") from None
    if proc.returncode != 0:
        lines = [ln for ln in output.decode("utf-8", "replace").splitlines() if ln.strip()]
        last = lines[-1][:200] if lines else "no output"
        raise ChromiumError(str(out), f"Chromium failed (exit {proc.returncode}: {last})")


def print_pdf(html: str, out: Path, *, timeout: float = TIMEOUT) -> None:
    """Print an HTML page to ``out`` (A4 and headers from its print stylesheet); atomic."""
    exe = find_chromium()
    if exe is None:
        raise ChromiumError(str(out), f"cannot write the PDF: {MISSING}")
    with tempfile.TemporaryDirectory(prefix="conformance-pdf-") as tmp:
        page, pdf = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        args = ["--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()]
        _run(exe, args, Path(tmp) / "profile", out, timeout)
        data = pdf.read_bytes() if pdf.is_file() else b""
        if not data.startswith(b"%PDF"):
            raise ChromiumError(str(out), "Chromium wrote no PDF")
        atomic_write(out, data)


def screenshot(page: Path, out: Path, *, width: int = 1280, height: int = 1400, timeout: float = 120) -> None:
    """A PNG of the top ``width`` x ``height`` pixels of a page (the README's picture); atomic."""
    exe = find_chromium()
    if exe is None:
        raise ChromiumError(str(out), f"cannot take the screenshot: {MISSING}")
    with tempfile.TemporaryDirectory(prefix="conformance-shot-") as tmp:
        png = Path(tmp) / "shot.png"
        args = [f"--window-size={width},{height}", f"--screenshot={png}", page.resolve().as_uri()]
        _run(exe, args, Path(tmp) / "profile", out, timeout)
        data = png.read_bytes() if png.is_file() else b""
        if not data.startswith(b"\x89PNG"):
            raise ChromiumError(str(out), "Chromium wrote no screenshot")
        atomic_write(out, data)
