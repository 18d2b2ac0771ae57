"""The one-call bounded-text read gives exactly what pypdfium2's get_text_bounded gives.

The PDF reader reads every ruled cell, text band and page margin through
:func:`conformance.parsers.pdf.runs.bounded_text`; it must not change a character of it.
"""

from __future__ import annotations

import random
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from conformance.parsers.pdf import runs


def _statement_page(path: Path) -> Path:
    """A page of table-like text in lines and columns, accents and hyphens included."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 9)
    y = 800.0
    for i in range(60):
        c.drawString(50, y, f"CT Image Storage {i} – Größe/Taille")
        c.drawString(250, y, f"1.2.840.10008.5.1.4.1.1.{i}")
        c.drawString(420, y, "Explicit VR Little Endian, JPEG-LS")
        y -= 12.5
    c.save()
    return path


def _rects(width: float, height: float, n: int) -> list[tuple[float, float, float, float]]:
    rng = random.Random(7)
    out = [(0.0, 0.0, width, height), (0.0, height - 40, width, height), (-5.0, -5.0, 1.0, 1.0)]
    for _ in range(n):
        x0, x1 = sorted(rng.uniform(-10, width + 10) for _ in range(2))
        y0, y1 = sorted(rng.uniform(-10, height + 10) for _ in range(2))
        out.append((x0, y0, x1, y1))
    return out


@pytest.mark.parametrize("units", [runs._TEXT_UNITS, 16])  # 16: long texts take pypdfium2's way
def test_bounded_text_is_pypdfium2s(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, units: int) -> None:
    monkeypatch.setattr(runs, "_TEXT_UNITS", units)
    pdf = pdfium.PdfDocument(str(_statement_page(tmp_path / "page.pdf")))
    page = pdf[0]
    textpage = page.get_textpage()
    try:
        width, height = page.get_size()
        rects = _rects(width, height, 200)
        texts = [runs.bounded_text(textpage, *r) for r in rects]
        assert texts == [textpage.get_text_bounded(*r) for r in rects]
        assert "Größe" in texts[0] and "" in texts  # the whole page, and an empty corner
        assert units > 1000 or any(len(t) > units for t in texts)  # the fallback was taken
    finally:
        textpage.close()
        page.close()
        pdf.close()
