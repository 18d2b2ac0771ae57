"""PDF layout: tables across pages, wrapped/merged cells, unruled tables, running headers.

Every test builds its PDF with reportlab, reads it with the real reader, and checks the
Document (blocks, rows, pages) and, where it matters, the Statement extracted from it.
The page a UID is printed on is taken from PDFium's page text, not assumed.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from conformance.document import Document, Line
from conformance.document import Table as DocTable
from conformance.model import Direction, Role
from conformance.parsers import parse_statement
from conformance.parsers.pdf import join_split_uids, read_pdf

STYLES = getSampleStyleSheet()
CELL = STYLES["BodyText"].clone("cell", fontSize=8, leading=9)
GRID = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
TS_HEADS = ["Transfer Syntax", "Transfer Syntax UID"]
RUNNING_HEADER = "ACME Imager DICOM Conformance Statement Rev. 7"

# (name, UID) of real storage SOP classes, enough to fill several pages
SOPS = [
    (f"Storage class {i}", uid)
    for i, uid in enumerate(
        [f"1.2.840.10008.5.1.4.1.1.{n}" for n in (1, 2, 4, 6.1, 7, 12.1, 12.2, 20, 128, 481.1, 481.2, 481.3)]
        + [f"1.2.840.10008.5.1.4.1.1.88.{n}" for n in (11, 22, 33, 34, 35, 40, 50, 59, 65, 67, 68, 69)]
        + [f"1.2.840.10008.5.1.4.1.1.{n}" for n in ("9.1.1", "9.1.2", "9.1.3", "9.2.1", "9.3.1", "9.4.1")]
        + [f"1.2.840.10008.5.1.4.1.1.{n}" for n in ("77.1.1", "77.1.2", "77.1.3", "77.1.4", "77.1.5.1")]
        + [f"1.2.840.10008.5.1.4.1.1.{n}" for n in ("11.1", "11.2", "11.3", "11.4", "11.5", "66", "67")]
        + [f"1.2.840.10008.5.1.4.1.1.{n}" for n in ("2.1", "4.1", "4.2", "3.1", "1.1", "1.2", "1.3")]
    )
]


def _running(c: canvas.Canvas, doc: object) -> None:
    c.saveState()
    c.setFont("Helvetica", 8)
    c.drawString(60, A4[1] - 30, RUNNING_HEADER)
    c.drawString(60, 25, f"Page {c.getPageNumber()}")
    if c.getPageNumber() == 1:
        c.drawString(60, 45, "* The default transfer syntax; see 4.4 Configuration for others.")
    c.restoreState()


def build(path: Path, story: list, *, running: bool = True) -> Path:
    """A platypus PDF; with ``running`` every page gets a header line and a "Page n" footer."""
    if running:
        SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=_running, onLaterPages=_running)
    else:
        SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def uid_pages(path: Path) -> dict[str, int]:
    """Page (1-based) on which each UID string is printed, from PDFium's own text."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        found: dict[str, int] = {}
        for i in range(len(pdf)):
            text = pdf[i].get_textpage().get_text_range()
            for _, uid in SOPS:
                if f"{uid}\r" in text or f"{uid}\n" in text or f"{uid} " in text:
                    found.setdefault(uid, i + 1)
        return found
    finally:
        pdf.close()


def heading(text: str) -> Paragraph:
    return Paragraph(text, STYLES["Heading2"])


def pc_rows() -> list[list]:
    rows: list[list] = [["Abstract Syntax Name", "Abstract Syntax UID", "Transfer Syntax", "Role"]]
    for name, uid in SOPS:
        rows.append([Paragraph(name, CELL), uid, "Implicit VR Little Endian", "SCP"])
    return rows


def tables(doc: Document) -> list[DocTable]:
    return [b for b in doc.blocks if isinstance(b, DocTable)]


@pytest.mark.parametrize("repeat_header", [True, False])
def test_table_across_pages_is_one_table_with_row_pages(tmp_path: Path, repeat_header: bool) -> None:
    """Page 1 also has a footnote under its part of the table; the table still continues."""
    story = [heading("4.2.1.3 Association Acceptance Policy"), Paragraph("Accepted contexts:", CELL)]
    story += [Spacer(1, 500)]  # push the table so that it starts low on page 1
    rows = pc_rows()
    rows[1][2] = "Implicit VR Little Endian *"
    story += [
        Table(
            rows, colWidths=[150, 150, 130, 40], repeatRows=1 if repeat_header else 0, style=TableStyle(GRID)
        )
    ]
    story += [Paragraph("End of the accepted contexts.", CELL)]
    path = build(tmp_path / "long.pdf", story)
    doc = read_pdf(path)
    found = tables(doc)
    assert len(found) == 1, [t.rows[:2] for t in found]
    table = found[0]
    assert table.rows[0][:2] == ["Abstract Syntax Name", "Abstract Syntax UID"]
    assert len(table.rows) == len(SOPS) + 1  # one header, no repeated header rows
    pages = uid_pages(path)
    assert len(set(pages.values())) >= 3  # the table really spans pages
    for row, page in zip(table.rows[1:], table.row_pages[1:], strict=True):
        assert pages[row[1]] == page, row
    st = parse_statement(path, use_cache=False)
    services = st.services()
    for _, uid in SOPS:
        cap = services[(uid, Role.SCP)]
        assert cap.direction is Direction.ACCEPT
        assert pages[uid] in {p.page for p in cap.provenance}
        assert "1.2.840.10008.1.2" in cap.transfer_syntaxes


def test_running_header_footer_removed_and_no_table_text_as_prose(tmp_path: Path) -> None:
    story = [heading("1 Overview")]
    story += [Paragraph(f"Prose paragraph number {i} about the product.", CELL) for i in range(40)]
    story += [PageBreak(), Table(pc_rows(), repeatRows=1, style=TableStyle(GRID)), PageBreak()]
    story += [Paragraph("Closing words.", CELL), PageBreak(), Paragraph("Appendix.", CELL)]
    doc = read_pdf(build(tmp_path / "running.pdf", story))
    texts = [b.text for b in doc.blocks if isinstance(b, Line)]
    assert not any(RUNNING_HEADER in t for t in texts)
    assert not any(t.startswith("Page ") for t in texts)
    assert "Closing words." in texts
    uids_in_tables = {uid for _, uid in SOPS}
    assert not any(u in t for t in texts for u in uids_in_tables)


def test_table_sits_between_the_headings_around_it(tmp_path: Path) -> None:
    head = ["SOP Class Name", "SOP Class UID", "Role"]
    rows = [head, ["CT Image Storage", "1.2.840.10008.5.1.4.1.1.2", "SCU"]]
    story = [heading("4.2.1.2 Association Initiation Policy"), Table(rows, style=TableStyle(GRID))]
    story += [heading("4.2.1.3 Association Acceptance Policy")]
    rows2 = [head, ["MR Image Storage", "1.2.840.10008.5.1.4.1.1.4", "SCP"]]
    story += [Table(rows2, style=TableStyle(GRID)), Paragraph("Trailing prose.", CELL)]
    path = build(tmp_path / "order.pdf", story, running=False)
    doc = read_pdf(path)
    kinds = [("T" if isinstance(b, DocTable) else ("H" if b.heading else "L")) for b in doc.blocks]
    assert kinds == ["H", "T", "H", "T", "L"], [getattr(b, "text", b) for b in doc.blocks]
    heads = [b for b in doc.blocks if isinstance(b, Line) and b.heading]
    assert heads[0].level == 4
    st = parse_statement(path, use_cache=False)
    assert st.services()[("1.2.840.10008.5.1.4.1.1.2", Role.SCU)].direction is Direction.INITIATE
    assert st.services()[("1.2.840.10008.5.1.4.1.1.4", Role.SCP)].direction is Direction.ACCEPT


def test_wrapped_cells_split_uid_and_retired_names(tmp_path: Path) -> None:
    rows = [
        ["SOP Class Name", "SOP Class UID", "SCU", "SCP"],
        [
            Paragraph("X-Ray 3D<br/>Angiographic Image<br/>Storage", CELL),
            "1.2.840.10008.5.1.4.1.1.13.1.1",
            "Yes",
            "No",
        ],
        [
            Paragraph("Query/Retrieve Patient Root FIND", CELL),
            Paragraph("1.2.840.10008.5.1.4.1.2.1.<br/>1", CELL),
            "Yes",
            "No",
        ],
        [Paragraph("RETIRED Detached Patient Management SOP Class", CELL), "", "No", "Yes"],
        [Paragraph("Standalone Overlay Storage (Retired)", CELL), "", "No", "Yes"],
    ]
    grid = Table(rows, colWidths=[150, 140, 40, 40], style=TableStyle(GRID))
    path = build(tmp_path / "wrapped.pdf", [heading("1 Network Services"), grid])
    table = tables(read_pdf(path))[0]
    assert table.rows[2][1] == "1.2.840.10008.5.1.4.1.2.1.1"  # re-joined UID
    assert table.rows[1][0].split("\n") == ["X-Ray 3D", "Angiographic Image", "Storage"]
    services = parse_statement(path, use_cache=False).services()
    assert ("1.2.840.10008.5.1.4.1.2.1.1", Role.SCU) in services
    assert ("1.2.840.10008.5.1.4.1.1.13.1.1", Role.SCU) in services
    assert ("1.2.840.10008.3.1.2.1.1", Role.SCP) in services  # RETIRED prefix
    assert ("1.2.840.10008.5.1.4.1.1.8", Role.SCP) in services  # (Retired) suffix


def test_merged_cells_fill_down(tmp_path: Path) -> None:
    rows = [["Abstract Syntax Name", "Abstract Syntax UID", "Transfer Syntax UID", "Role"]]
    for name, uid in SOPS[:4]:
        rows.append([name, uid, "", ""])
    rows[1][2] = "1.2.840.10008.1.2.1"
    rows[1][3] = "SCU"
    style = [*GRID, ("SPAN", (2, 1), (2, 4)), ("SPAN", (3, 1), (3, 4))]  # one TS and role for all rows
    path = build(
        tmp_path / "merged.pdf",
        [heading("4.2.2 Proposed Presentation Contexts"), Table(rows, style=TableStyle(style))],
    )
    table = tables(read_pdf(path))[0]
    assert [r[2:] for r in table.rows[1:]] == [["1.2.840.10008.1.2.1", "SCU"]] * 4
    services = parse_statement(path, use_cache=False).services()
    for _, uid in SOPS[:4]:
        assert services[(uid, Role.SCU)].transfer_syntaxes == ["1.2.840.10008.1.2.1"]


def test_spanning_header_over_name_and_uid(tmp_path: Path) -> None:
    rows = [["Abstract Syntax", "", "Transfer Syntax", "", "Role"]]
    rows += [[name, uid, "Explicit VR Little Endian", "1.2.840.10008.1.2.1", "SCP"] for name, uid in SOPS[:3]]
    style = [*GRID, ("SPAN", (0, 0), (1, 0)), ("SPAN", (2, 0), (3, 0))]
    path = build(
        tmp_path / "span.pdf",
        [heading("Accepted Presentation Contexts"), Table(rows, style=TableStyle(style))],
    )
    table = tables(read_pdf(path))[0]
    assert table.rows[0] == ["Abstract Syntax", "Abstract Syntax UID", *TS_HEADS, "Role"]
    services = parse_statement(path, use_cache=False).services()
    assert services[(SOPS[0][1], Role.SCP)].transfer_syntaxes == ["1.2.840.10008.1.2.1"]


@pytest.mark.parametrize("rules", ["horizontal", "none"])
def test_unruled_tables_take_columns_from_header_and_rows(tmp_path: Path, rules: str) -> None:
    path = tmp_path / f"{rules}.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = 780
    c.setFont("Helvetica-Bold", 12)
    c.drawString(60, y, "4.2.1.3 Association Acceptance Policy")
    y -= 30
    c.setFont("Helvetica", 9)
    cols = (60, 230, 390, 500)
    for x, label in zip(cols, ("SOP Class Name", "SOP Class UID", "Transfer Syntax", "Role"), strict=True):
        c.drawString(x, y, label)
    data = [
        ("CT Image Storage", "1.2.840.10008.5.1.4.1.1.2"),
        ("MR Image Storage", "1.2.840.10008.5.1.4.1.1.4"),
        ("Ultrasound Image", "1.2.840.10008.5.1.4.1.1.6.1"),
    ]
    for i, (name, uid) in enumerate(data):
        top = y - 8
        if rules == "horizontal":
            c.line(55, top, 540, top)
        y -= 22
        c.drawString(cols[0], y, name)
        c.drawString(cols[1], y, uid)
        c.drawString(cols[2], y, "Implicit VR Little Endian")
        c.drawString(cols[3], y, "SCP")
        if i == 1:  # a wrapped name: second line in the first column only
            y -= 11
            c.drawString(cols[0], y, "(for Processing)")
    c.drawString(60, y - 40, "The AE accepts any of the contexts above from any calling AE title.")
    c.save()
    doc = read_pdf(path)
    found = tables(doc)
    assert len(found) == 1
    table = found[0]
    assert table.rows[0] == ["SOP Class Name", "SOP Class UID", "Transfer Syntax", "Role"]
    assert [r[1] for r in table.rows[1:]] == [uid for _, uid in data]
    assert table.rows[2][0].split("\n") == ["MR Image Storage", "(for Processing)"]
    texts = [b.text for b in doc.blocks if isinstance(b, Line)]
    assert texts[-1].startswith("The AE accepts any of the contexts")
    services = parse_statement(path, use_cache=False).services()
    for _, uid in data:
        cap = services[(uid, Role.SCP)]
        assert cap.direction is Direction.ACCEPT
        assert cap.transfer_syntaxes == ["1.2.840.10008.1.2"]


def test_join_split_uids() -> None:
    joined = join_split_uids(["1.2.840.10008.5.1.4.1.2.1.", "1", "next"])
    assert joined == ["1.2.840.10008.5.1.4.1.2.1.1", "next"]
    assert join_split_uids(["1.2.840.10008.1.2", ".4.50"]) == ["1.2.840.10008.1.2.4.50"]
    assert join_split_uids(["Version 2.", "1 is current"]) == ["Version 2.", "1 is current"]


@pytest.mark.parametrize("n_rows", [30, 19])
def test_unruled_table_continued_without_header_on_next_page(tmp_path: Path, n_rows: int) -> None:
    """The rest of the table (12 rows, or a single one) is on page 2 without a header."""
    path = tmp_path / "continued.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    cols = (60, 260, 470)
    rows = SOPS[:n_rows]
    c.setFont("Helvetica", 9)
    c.drawString(60, 800, "4.2.1.3 Association Acceptance Policy")
    y = 770
    for x, label in zip(cols, ("SOP Class Name", "SOP Class UID", "Role"), strict=True):
        c.drawString(x, y, label)
    for i, (name, uid) in enumerate(rows):
        y -= 40
        if i == 18:  # the rest goes on page 2, without a header
            c.showPage()
            c.setFont("Helvetica", 9)
            y = 800
        for x, text in zip(cols, (name, uid, "SCP"), strict=True):
            c.drawString(x, y, text)
    c.save()
    doc = read_pdf(path)
    (table,) = tables(doc)
    assert [r[1] for r in table.rows[1:]] == [uid for _, uid in rows]
    assert table.row_pages[1:] == [1] * 18 + [2] * (n_rows - 18)
    services = parse_statement(path, use_cache=False).services()
    assert {p.page for p in services[(rows[-1][1], Role.SCP)].provenance} == {2}


def test_long_pdf_in_parallel_reads_the_same(tmp_path: Path) -> None:
    story = [heading("1 Overview")]
    for i in range(60):
        story += [Paragraph(f"Section text {i}.", CELL), PageBreak()]
    story += [Table(pc_rows(), repeatRows=1, style=TableStyle(GRID))]
    path = build(tmp_path / "long.pdf", story)
    one, two = read_pdf(path, workers=1), read_pdf(path, workers=2)
    assert one.pages == two.pages >= 60
    assert one.blocks == two.blocks
    assert len(tables(two)[0].rows) == len(SOPS) + 1


def test_bold_unnumbered_heading_sets_context(tmp_path: Path) -> None:
    path = tmp_path / "bold.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = 780
    for title, uid, role in (
        ("Association Initiation Policy", "1.2.840.10008.5.1.4.1.1.2", "SCU"),
        ("Association Acceptance Policy", "1.2.840.10008.5.1.4.1.1.4", "SCP"),
    ):
        c.setFont("Helvetica-Bold", 10)
        c.drawString(60, y, title)
        c.setFont("Helvetica", 10)
        c.drawString(60, y - 20, "The application entity supports the following contexts for this activity")
        c.drawString(60, y - 34, "when the operator starts an exchange from the worklist screen")
        for x, text in zip((60, 260, 470), ("SOP Class Name", "SOP Class UID", "Role"), strict=True):
            c.drawString(x, y - 60, text)
        for x, text in zip((60, 260, 470), ("Image Storage", uid, role), strict=True):
            c.drawString(x, y - 76, text)
        y -= 160
    c.save()
    doc = read_pdf(path)
    heads = [b.text for b in doc.blocks if isinstance(b, Line) and b.heading]
    assert heads == ["Association Initiation Policy", "Association Acceptance Policy"]
    services = parse_statement(path, use_cache=False).services()
    assert services[("1.2.840.10008.5.1.4.1.1.2", Role.SCU)].direction is Direction.INITIATE
    assert services[("1.2.840.10008.5.1.4.1.1.4", Role.SCP)].direction is Direction.ACCEPT


def test_bold_heading_above_a_ruled_table_and_wrapped_heading(tmp_path: Path) -> None:
    head = ["SOP Class Name", "SOP Class UID", "Role"]
    prose = Paragraph("The application entity sends the images of a completed series. " * 8, CELL)
    story = [Paragraph("Association Initiation Policy", STYLES["Heading2"]), prose]
    story += [Table([head, ["CT Image Storage", "1.2.840.10008.5.1.4.1.1.2", "SCU"]], style=TableStyle(GRID))]
    story += [
        Paragraph(
            "4.2.1.3.4 SOP Specific Conformance for the Storage and Query Retrieve SOP Classes "
            "accepted by this application entity",
            STYLES["Heading2"],
        )
    ]
    story += [Paragraph("Association Acceptance Policy", STYLES["Heading2"])]
    story += [Table([head, ["MR Image Storage", "1.2.840.10008.5.1.4.1.1.4", "SCP"]], style=TableStyle(GRID))]
    path = build(tmp_path / "ruled-bold.pdf", story, running=False)
    heads = [b.text for b in read_pdf(path).blocks if isinstance(b, Line) and b.heading]
    assert heads[0] == "Association Initiation Policy"
    assert heads[1].startswith("4.2.1.3.4 SOP Specific") and heads[1].endswith("application entity")
    services = parse_statement(path, use_cache=False).services()
    assert services[("1.2.840.10008.5.1.4.1.1.2", Role.SCU)].direction is Direction.INITIATE
    assert services[("1.2.840.10008.5.1.4.1.1.4", Role.SCP)].direction is Direction.ACCEPT


def test_bold_labels_are_not_headings(tmp_path: Path) -> None:
    path = tmp_path / "labels.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(60, 800, "The application entity accepts the following SOP Class as an SCP for storage:")
    c.drawString(60, 786, "CT Image Storage 1.2.840.10008.5.1.4.1.1.2 and no other class of this group.")
    y = 760
    for label, value in (("Maximum associations initiated:", "4"), ("Maximum associations accepted:", "8")):
        c.setFont("Helvetica-Bold", 10)
        c.drawString(60, y, label)
        c.setFont("Helvetica", 10)
        c.drawString(230, y, value)
        y -= 14
    c.save()
    lines = [b for b in read_pdf(path).blocks if isinstance(b, Line)]
    expected = ["Maximum associations initiated: 4", "Maximum associations accepted: 8"]
    assert [ln.text for ln in lines[-2:]] == expected
    assert not any(ln.heading for ln in lines)


def test_rows_stacked_in_one_ruled_row_are_split(tmp_path: Path) -> None:
    rows = [["Abstract Syntax Name", "Abstract Syntax UID", "Role"]]
    ct, mr, us = "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.5.1.4.1.1.3.1"
    rows.append(["CT Image Storage\nMR Image Storage", f"{ct}\n{mr}", "SCP\nSCU"])  # no rule between
    rows.append([Paragraph("Ultrasound Multi-frame<br/>Image Storage", CELL), us, "SCP"])
    story = [heading("2.1 Contexts"), Table(rows, style=TableStyle(GRID))]
    path = build(tmp_path / "stacked.pdf", story, running=False)
    table = tables(read_pdf(path))[0]
    assert table.rows[1:] == [
        ["CT Image Storage", "1.2.840.10008.5.1.4.1.1.2", "SCP"],
        ["MR Image Storage", "1.2.840.10008.5.1.4.1.1.4", "SCU"],
        ["Ultrasound Multi-frame\nImage Storage", "1.2.840.10008.5.1.4.1.1.3.1", "SCP"],
    ]


def test_horizontal_rules_table_across_pages_with_repeated_header(tmp_path: Path) -> None:
    style = TableStyle(
        [
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    story = [heading("4.2.1.3 Association Acceptance Policy"), Spacer(1, 450)]
    story += [Table(pc_rows(), colWidths=[150, 150, 130, 40], repeatRows=1, style=style)]
    path = build(tmp_path / "hrules.pdf", story)
    (table,) = tables(read_pdf(path))
    assert table.rows[0] == ["Abstract Syntax Name", "Abstract Syntax UID", "Transfer Syntax", "Role"]
    assert [r[1] for r in table.rows[1:]] == [uid for _, uid in SOPS]
    pages = uid_pages(path)
    assert table.row_pages[1:] == [pages[uid] for _, uid in SOPS]
    assert len(set(table.row_pages)) >= 2


def test_table_ruled_only_between_columns(tmp_path: Path) -> None:
    style = TableStyle(
        [
            ("BOX", (0, 0), (-1, -1), 0.5, colors.black),
            ("LINEBEFORE", (1, 0), (-1, -1), 0.5, colors.black),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    rows = pc_rows()[:12]
    rows[3][0] = Paragraph("A long wrapped SOP class name<br/>over two lines", CELL)
    grid = Table(rows, colWidths=[150, 150, 130, 40], style=style)
    story = [heading("4.2.1.3 Association Acceptance Policy"), grid]
    (table,) = tables(read_pdf(build(tmp_path / "vrules.pdf", story, running=False)))
    assert [r[1] for r in table.rows[1:]] == [uid for _, uid in SOPS[:11]]
    name = "A long wrapped SOP class name\nover two lines"
    assert table.rows[3] == [name, SOPS[2][1], "Implicit VR Little Endian", "SCP"]
