"""One candidate page in reading order: tables where they are, text around them.

Ruled tables are cut out first; the text above, between and below them is read as
bands, so table text never repeats as prose and headings keep their place around
tables. A page without ruled tables is laid out from its text runs alone.
"""

from __future__ import annotations

import pypdfium2 as pdfium

from conformance.parsers.pdf.headings import add_lines, add_styled, body_style
from conformance.parsers.pdf.model import Page, PTable, Seg
from conformance.parsers.pdf.ruled import edges, grid_table, ruled_cells
from conformance.parsers.pdf.runs import bounded_text, segments
from conformance.parsers.pdf.textlines import UID, clean_lines
from conformance.parsers.pdf.unruled import find_text_tables, text_lines


def layout_page(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, number: int) -> Page:
    """A candidate page: tables where they are, text above/between/below them."""
    width, height = page.get_size()
    page_edges = edges(page, height)
    # long horizontal rules: the row separators of tables ruled only horizontally
    rules = sorted(e["top"] for e in page_edges if e["orientation"] == "h" and e["width"] > 0.3 * width)
    out = Page(number)
    ruled: list[tuple[float, float, PTable]] = []
    for cells in ruled_cells(page_edges):
        table = grid_table(cells, textpage, height)
        if table is not None:
            ruled.append((min(c[1] for c in cells), max(c[3] for c in cells), table))
    if ruled:
        segs: list[Seg] = []
        y = 0.0
        for top, bottom, table in sorted(ruled, key=lambda r: r[0]):
            segs = _text_band(out, textpage, segs, rules, width, height, y, top)
            out.items.append(table)
            y = max(y, bottom)
        _text_band(out, textpage, segs, rules, width, height, y, height)
        return out
    lines = text_lines(segments(textpage, height))
    spans = find_text_tables(lines, rules)
    body = body_style(lines)
    i = 0
    for start, end, table in spans:
        add_styled(out, lines[i:start], body)
        out.items.append(table)
        i = end
    add_styled(out, lines[i:], body)
    return out


def _text_band(
    out: Page,
    textpage: pdfium.PdfTextPage,
    segs: list[Seg],
    rules: list[float],
    width: float,
    height: float,
    y0: float,
    y1: float,
) -> list[Seg]:
    """Text between ruled tables; a table ruled only horizontally in it stays a table.

    The page's runs (``segs``) are only read when the band holds a UID; they are returned
    so the next band of the page reuses them.
    """
    if y1 - y0 < 2:
        return segs
    text = bounded_text(textpage, 0, height - y1 + 0.5, width, height - y0 - 0.5)
    if not UID.search(text):
        add_lines(out, clean_lines(text), textpage)
        return segs
    segs = segs or segments(textpage, height)
    lines = text_lines([s for s in segs if s.top >= y0 - 1 and s.bottom <= y1 + 1])
    spans = find_text_tables(lines, rules)
    if not spans:
        add_lines(out, clean_lines(text), textpage)
        return segs
    i = 0
    for start, end, table in spans:
        add_lines(out, [ln.text for ln in lines[i:start]])
        out.items.append(table)
        i = end
    add_lines(out, [ln.text for ln in lines[i:]])
    return segs
