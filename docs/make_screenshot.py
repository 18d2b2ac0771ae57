"""Regenerate docs/report-screenshot.png: the top of the example report, as the README shows it.

Runs `conformance demo` (the shipped example inventory) into a temporary folder and has
headless Chromium (the same one `check --pdf` uses) take a 1280-pixel-wide picture of the
report's top: the decisions and the network diagram.

    python docs/make_screenshot.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "docs" / "report-screenshot.png"
WIDTH, HEIGHT = 1280, 1900


def main() -> int:
    from conformance.errors import ConformanceError
    from conformance.pipeline import run_check
    from conformance.report import write_reports
    from conformance.report.chromium import screenshot

    with tempfile.TemporaryDirectory(prefix="report-shot-") as tmp:
        page = Path(tmp) / "report.html"
        write_reports(run_check(ROOT / "statements" / "inventory.yaml"), page, json_out=False, csv_out=False)
        try:
            screenshot(page, OUT, width=WIDTH, height=HEIGHT)
        except ConformanceError as exc:
            print(f"error: {exc.message}", file=sys.stderr)
            return 1
    _shrink(OUT)
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KB)")
    return 0


def _shrink(png: Path) -> None:
    """256 colours are plenty for a page of text and flat colours: a quarter of the bytes in git."""
    from PIL import Image  # Pillow comes with pdfplumber

    with Image.open(png) as im:
        small = im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(png, optimize=True)


if __name__ == "__main__":
    raise SystemExit(main())
