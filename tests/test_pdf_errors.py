"""Unreadable PDFs stay one-line errors naming the file: encrypted, scanned, not a statement."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from typer.testing import CliRunner

from conformance.cli import app
from conformance.errors import StatementError
from conformance.parsers import parse_statement


def encrypted_pdf(path: Path) -> Path:
    from reportlab.lib.pdfencrypt import StandardEncryption

    c = canvas.Canvas(str(path), pagesize=A4, encrypt=StandardEncryption("secret", canPrint=0))
    c.drawString(60, 780, "CT Image Storage 1.2.840.10008.5.1.4.1.1.2 SCP")
    c.save()
    return path


def scanned_pdf(path: Path) -> Path:
    """A page that is only a picture of text (no text layer), like a scan."""
    from PIL import Image, ImageDraw

    img = Image.new("L", (400, 100), 255)
    ImageDraw.Draw(img).text((10, 40), "CT Image Storage 1.2.840.10008.5.1.4.1.1.2", fill=0)
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(img), 60, 600, width=400, height=100)
    c.save()
    return path


@pytest.mark.parametrize(("build", "problem"), [(encrypted_pdf, "encrypted"), (scanned_pdf, "no text layer")])
def test_unreadable_pdf_is_one_line_error(
    tmp_path: Path, build: Callable[[Path], Path], problem: str
) -> None:
    path = build(tmp_path / "device.pdf")
    with pytest.raises(StatementError) as err:
        parse_statement(path, use_cache=False)
    assert problem in err.value.message and "device.pdf" in err.value.message
    result = CliRunner().invoke(app, ["parse", str(path)])
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and problem in lines[0], result.output


def test_text_pdf_without_dicom_content_warns(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawString(60, 780, "Dear customer, thank you for your order.")
    c.save()
    st = parse_statement(path, use_cache=False)
    assert st.services() == {}
    assert st.warnings
