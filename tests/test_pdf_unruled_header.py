"""PDF unruled tables: a bold header row directly above a wrapped first data row.

The PDF is built with reportlab (platypus Table with Paragraph cells, no grid lines) and
read with the real reader; the header must stay its own row and each SOP class must get
exactly its own transfer syntaxes and role.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from conformance.document import Table as DocTable
from conformance.model import Role
from conformance.parsers import parse_statement, read_document

STYLES = getSampleStyleSheet()
CELL = STYLES["BodyText"].clone("cell7", fontSize=7, leading=8.5)
HEAD = CELL.clone("head7", fontName="Helvetica-Bold")

CT = "1.2.840.10008.5.1.4.1.1.2"
MR = "1.2.840.10008.5.1.4.1.1.4"
ELE = "1.2.840.10008.1.2.1"
ILE = "1.2.840.10008.1.2"
J2K = "1.2.840.10008.1.2.4.90"
CT_SYNTAXES = [
    "Implicit VR Little Endian",
    "Explicit VR Little Endian",
    "JPEG 2000 Image Compression (Lossless Only)",
]


def _build(path: Path, head: ParagraphStyle = HEAD) -> Path:
    rows = [
        [Paragraph(h, head) for h in ("Abstract Syntax", "Transfer Syntax", "Role", "Ext. Neg.")],
        [
            Paragraph(f"CT Image Storage {CT}", CELL),
            Paragraph("<br/>".join(CT_SYNTAXES), CELL),
            Paragraph("SCU", CELL),
            Paragraph("None", CELL),
        ],
        [
            Paragraph(f"MR Image Storage {MR}", CELL),
            Paragraph("Implicit VR Little Endian<br/>Explicit VR Little Endian", CELL),
            Paragraph("SCP", CELL),
            Paragraph("None", CELL),
        ],
    ]
    table = Table(rows, colWidths=[110, 150, 50, 50], style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [
        Paragraph("4.2.1.3 Association Initiation Policy", STYLES["Heading2"]),
        Paragraph("The storage AE proposes these presentation contexts:", CELL),
        table,
        Paragraph("End of the presentation contexts.", CELL),
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


@pytest.mark.parametrize("head", [HEAD, CELL], ids=["bold-header", "regular-header-gap-only"])
def test_header_is_its_own_row(tmp_path: Path, head: ParagraphStyle) -> None:
    path = _build(tmp_path / "unruled_header.pdf", head)
    tables = [b for b in read_document(path).blocks if isinstance(b, DocTable)]
    assert len(tables) == 1
    rows = tables[0].rows
    assert rows[0] == ["Abstract Syntax", "Transfer Syntax", "Role", "Ext. Neg."]
    assert len(rows) == 3
    assert rows[1][0].startswith("CT Image Storage") and CT in rows[1][0].replace("\n", "")
    assert rows[1][2:] == ["SCU", "None"]
    assert rows[2][0].startswith("MR Image Storage") and rows[2][2:] == ["SCP", "None"]


def test_wrapped_rows_get_their_own_syntaxes_and_role(tmp_path: Path) -> None:
    path = _build(tmp_path / "unruled_header.pdf")
    caps = {c.sop_class_uid: c for ae in parse_statement(path, use_cache=False).aes for c in ae.capabilities}
    assert set(caps) == {CT, MR}
    assert caps[CT].role == Role.SCU
    assert sorted(caps[CT].transfer_syntaxes) == sorted([ILE, ELE, J2K])
    assert caps[MR].role == Role.SCP
    assert sorted(caps[MR].transfer_syntaxes) == sorted([ILE, ELE])
