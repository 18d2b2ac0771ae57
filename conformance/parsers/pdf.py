"""PDF statements into a Document: pypdfium2 for fast text, pdfplumber for tables.

Page triage: pypdfium2 reads every page's text quickly; only pages whose text looks
like it holds a SOP-class or presentation-context table are opened with pdfplumber,
whose table finder is the slow part. Each pdfplumber page is closed after use so a
long statement streams in bounded memory.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

from conformance.document import Document, Line, Table
from conformance.errors import StatementError

LOGGER = logging.getLogger(__name__)

_TABLE_HINT = re.compile(r"1\.2\.840\.10008|\bSCU\b|\bSCP\b|Transfer Syntax|Abstract Syntax", re.I)
_HEADING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[A-Z](?:\.\d+)+)\s+[A-Z][^|]{2,100}$")


def _open_pdfium(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise StatementError(str(path), "encrypted PDF (password required)") from exc
        raise StatementError(str(path), f"corrupt or unreadable PDF ({exc})") from exc


def page_texts(path: Path) -> list[str]:
    """Text of every page via pypdfium2 (fast); raises StatementError on unreadable files."""
    pdf = _open_pdfium(path)
    try:
        texts = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_bounded().replace("\r\n", "\n").replace("\r", "\n"))
            textpage.close()
            page.close()
        return texts
    finally:
        pdf.close()


def _clean(cell: str | None) -> str:
    return " ".join((cell or "").split()) if cell is not None else ""


def _cell_text(cell: str | None) -> str:
    """Keep line breaks inside a cell (one transfer syntax per line) but tidy spaces."""
    if cell is None:
        return ""
    return "\n".join(" ".join(part.split()) for part in cell.splitlines() if part.strip())


def read_pdf(path: Path) -> Document:
    texts = page_texts(path)
    if not texts:
        raise StatementError(str(path), "PDF has no pages")
    if not any(t.strip() for t in texts):
        raise StatementError(str(path), "no text layer (scanned PDF?); OCR it first")
    doc = Document(path=path.name, kind="pdf", pages=len(texts))
    candidates = {i for i, t in enumerate(texts) if _TABLE_HINT.search(t)}
    try:
        plumber = pdfplumber.open(str(path))
    except Exception as exc:  # pdfminer raises many types on broken files
        raise StatementError(str(path), f"corrupt PDF ({type(exc).__name__})") from exc
    with plumber:
        for i, text in enumerate(texts):
            page_no = i + 1
            tables: list[Table] = []
            if i in candidates:
                page = plumber.pages[i]
                try:
                    for found in page.find_tables():
                        rows = [[_cell_text(c) for c in row] for row in found.extract()]
                        rows = [r for r in rows if any(r)]
                        if rows:
                            tables.append(Table(rows, page=page_no, row_pages=[page_no] * len(rows)))
                except Exception as exc:  # a broken page must not lose the document
                    doc.warnings.append(f"page {page_no}: tables unreadable ({type(exc).__name__})")
                finally:
                    page.close()
            table_text = {_clean(c) for t in tables for row in t.rows for c in row if c}
            for raw in text.split("\n"):
                line = " ".join(raw.split())
                if not line:
                    continue
                if tables and line in table_text:
                    continue
                doc.blocks.append(Line(line, page=page_no, heading=bool(_HEADING.match(line))))
            for t in tables:
                t.caption = _caption(doc)
                doc.blocks.append(t)
    return doc


def _caption(doc: Document) -> str:
    for block in reversed(doc.blocks[-8:]):
        if isinstance(block, Line) and (block.heading or block.text.lower().startswith("table")):
            return block.text
    return ""
