"""PDF statements into a Document: text lines and tables in true reading order.

Speed is the design constraint: a 300-page statement must parse in seconds. pdfminer
(under pdfplumber) needs 0.2-0.3 s to interpret one page, so it cannot touch every table
page. Instead PDFium (pypdfium2, C) does all reading; pdfplumber only merges rules.
The steps, one module each:

* ``pages``: open the PDF (encrypted, corrupt, empty, scanned -> StatementError), read
  every page's text in one call, lay out only pages with table hints (optionally in
  several processes);
* ``layout``: one page in reading order, tables where they are and text bands around them;
* ``ruled``: tables from drawn rules (a lattice of rule positions, spans included);
* ``unruled``: tables ruled only horizontally or not at all, from text positions;
* ``headings``: numbered headings, and short lines set bold or larger than the body;
* ``furniture``: running headers, footers and page numbers dropped;
* ``assemble``: a table continued on the next page (header repeated or not) merged into
  one Table whose rows keep their own page;
* ``model``, ``runs``, ``tables``, ``textlines``: the page model, PDFium text runs,
  what ruled and unruled tables share, and text clean-up (UIDs broken across lines).
"""

from __future__ import annotations

from pathlib import Path

from conformance.document import Document
from conformance.parsers.pdf.assemble import assemble
from conformance.parsers.pdf.furniture import drop_running
from conformance.parsers.pdf.pages import ENV_WORKERS, PARALLEL_MIN_PAGES, read_pages
from conformance.parsers.pdf.textlines import join_split_uids

__all__ = ["ENV_WORKERS", "PARALLEL_MIN_PAGES", "join_split_uids", "read_pdf"]


def read_pdf(path: Path, *, workers: int | None = None) -> Document:
    """Read a PDF into a Document; StatementError for encrypted, scanned or broken files.

    Long documents can be laid out by ``workers`` processes (default 1, or
    $CONFORMANCE_PDF_WORKERS), each taking every n-th page so table pages spread evenly.
    """
    pages, warnings = read_pages(path, workers=workers)
    doc = Document(path=path.name, kind="pdf", pages=len(pages))
    doc.warnings.extend(warnings)
    doc.furniture = drop_running(pages)
    assemble(doc, pages)
    return doc
