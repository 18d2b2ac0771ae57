"""Building PDF statements in tests: tables ruled every way, page furniture, review comments.

Real statements come out of Word or FrameMaker with running footers ("Page 12 of 45"), Word
review comments printed in the margin ("Commented [AB3]: ..."), tables that run over pages
with their header repeated, and, in older documents, tables with no rules at all. The
helpers here draw the same with reportlab so that the tests read PDFs laid out that way.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

STYLES = getSampleStyleSheet()
BODY = STYLES["BodyText"]
CELL = BODY.clone("cell", fontSize=8, leading=9.5)


def heading(text: str) -> Paragraph:
    """A numbered heading, one style level per dotted component."""
    number = text.split(" ", 1)[0]
    level = min(4, number.rstrip(".").count(".") + 1) if number[:1].isdigit() else 1
    return Paragraph(text, STYLES[f"Heading{level}"])


def para(text: str) -> Paragraph:
    return Paragraph(text, BODY)


def table(
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    *,
    ruling: str = "grid",
    header_rows: int = 1,
    spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
    wrap: bool = True,
    repeat: bool = True,
) -> Table:
    """A table repeating its header on every page it runs over.

    ``ruling``: "grid" (every border), "horizontal" (a rule under each row), "header" (one
    rule under the header, as many older documents) or "none". With ``wrap`` cells are
    paragraphs that wrap inside their column; newlines in a cell are line breaks. Without
    ``repeat`` the header is printed on the first page only.
    """

    def cell(value: str) -> Any:
        return Paragraph(value.replace("\n", "<br/>"), CELL) if wrap else value

    data = [[cell(c) for c in row] for row in rows]
    style: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTSIZE", (0, 0), (-1, -1), 8)]
    if ruling == "grid":
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    elif ruling == "horizontal":
        style += [
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, colors.black),
            ("LINEBELOW", (0, header_rows), (-1, -1), 0.3, colors.grey),
        ]
    elif ruling == "header":
        style.append(("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, colors.black))
    style += [("SPAN", a, b) for a, b in spans]
    repeat_rows = header_rows if repeat else 0
    return Table(data, colWidths=[w * cm for w in widths], repeatRows=repeat_rows, style=TableStyle(style))


def build(
    path: Path,
    story: list[Any],
    *,
    footer: str = "",
    header: str = "",
    comments: dict[int, str] | None = None,
) -> Path:
    """Write the PDF; ``footer``/``header`` on every page ("{page}" is the page number), and
    ``comments`` maps a page number to a review comment printed in the right margin."""

    def furniture(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        if footer:
            canvas.drawString(2 * cm, 1.2 * cm, footer.format(page=doc.page))
        if header:
            canvas.drawString(2 * cm, A4[1] - 1.2 * cm, header.format(page=doc.page))
        comment = (comments or {}).get(doc.page)
        if comment:
            canvas.setFont("Helvetica", 7)
            canvas.drawString(17.6 * cm, A4[1] / 2, comment)
        canvas.restoreState()

    doc = SimpleDocTemplate(str(path), pagesize=A4, invariant=1, rightMargin=2.5 * cm)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return path
