"""Opening a PDF with PDFium and reading its pages, in one process or several.

Every page's text is one PDFium call; only pages that look like they hold a SOP-class
or presentation-context table get a layout pass. Encrypted, corrupt, empty and
scanned (textless) files end in a StatementError naming the problem. Pages are
independent, so a long document can be split over processes, this one reading a share
too. That stays opt-in ($CONFORMANCE_PDF_WORKERS): on the 204-page benchmark statement
(benchmarks/parse_speed.py, 2 cores) two processes were 8-17% faster on an idle machine
and no faster beside one or two busy processes, since only page reading (about half a
parse) splits while the second process takes a core from other work; one process alone
reads over 200 pages/s. Many statements use the cores through parse_many instead.
"""

from __future__ import annotations

import logging
import os
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import cast

import pypdfium2 as pdfium

from conformance.errors import StatementError
from conformance.parsers.pdf.furniture import margin_keys
from conformance.parsers.pdf.headings import add_lines
from conformance.parsers.pdf.layout import layout_page
from conformance.parsers.pdf.model import Page
from conformance.parsers.pdf.textlines import clean_lines, norm_text
from conformance.words import lower_exact

LOGGER = logging.getLogger(__name__)

ENV_WORKERS = "CONFORMANCE_PDF_WORKERS"  # page processes per PDF; batch workers force 1
PARALLEL_MIN_PAGES = 48  # below this, starting a second process costs more than it saves

# a page worth a layout pass: it may hold a SOP-class or presentation-context table
_TABLE_HINT = re.compile(
    r"[0-2]\.\d+\.\d+\.\d+\.\d+|Transfer Syntax|Abstract Syntax|SOP Class|\bSCU\b|\bSCP\b|Endian", re.I
)
# the same, in parts the regex engine searches fast (a whole page of text per call): words on the
# lower-cased text, "\bscu\b" written to start with its literal, the UID without IGNORECASE
_HINT_WORDS = ("transfer syntax", "abstract syntax", "sop class", "endian")
_HINT_ROLE = re.compile(r"sc[pu](?<!\wsc[pu])(?!\w)")
_HINT_UID = re.compile(r"[0-2]\.\d+\.\d+\.\d+\.\d+")

_Pages = tuple[list[Page], bool, list[str]]  # pages, any text at all, warnings


def read_pages(path: Path, *, workers: int | None = None) -> tuple[list[Page], list[str]]:
    """Every page laid out, in order, and the warnings; StatementError when there is nothing to read.

    Long documents can be laid out by ``workers`` processes (default 1, or
    $CONFORMANCE_PDF_WORKERS), each taking every n-th page so table pages spread evenly.
    """
    pdf = _open_pdfium(path)
    try:
        npages = len(pdf)
    finally:
        pdf.close()
    if npages == 0:
        raise StatementError(str(path), "PDF has no pages")
    n = _workers(npages, workers)
    parts = _read_parallel(path, npages, n) if n > 1 else None
    pages, any_text, warnings = parts if parts is not None else _read_pages(path, list(range(npages)))
    if not any_text:
        raise StatementError(str(path), "no text layer (scanned PDF?); OCR it first")
    return pages, warnings


def _open_pdfium(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise StatementError(str(path), "encrypted PDF (password required)") from exc
        raise StatementError(str(path), f"corrupt or unreadable PDF ({exc})") from exc


def _read_pages(path: Path, numbers: list[int]) -> _Pages:
    """Triage and lay out the given 0-based pages; pages are independent of each other."""
    pdf = _open_pdfium(path)
    pages: list[Page] = []
    warnings: list[str] = []
    any_text = False
    try:
        for i in numbers:
            page = pdf[i]
            textpage = page.get_textpage()
            try:
                text = norm_text(textpage.get_text_range())
                any_text = any_text or bool(text.strip())
                result = Page(i + 1)
                if _table_hint(text):
                    try:
                        result = layout_page(page, textpage, i + 1)
                    except Exception as exc:  # a broken page must not lose the document
                        LOGGER.warning("%s page %d: layout failed (%s)", path.name, i + 1, exc)
                        warnings.append(f"page {i + 1}: tables unreadable ({type(exc).__name__})")
                        result = Page(i + 1)
                        add_lines(result, clean_lines(text))
                else:
                    add_lines(result, clean_lines(text), textpage)
                result.margin_keys = margin_keys(textpage, *page.get_size())
                pages.append(result)
            finally:
                textpage.close()
                page.close()
    finally:
        pdf.close()
    return pages, any_text, warnings


def _table_hint(text: str) -> bool:
    """Whether a page's text has :data:`_TABLE_HINT` (ten times faster than searching it)."""
    if not lower_exact(text):
        return bool(_TABLE_HINT.search(text))
    low = text.lower()
    return any(word in low for word in _HINT_WORDS) or bool(_HINT_ROLE.search(low) or _HINT_UID.search(text))


def _read_pages_worker(path: str, numbers: list[int]) -> tuple[str, object]:
    """Process-pool body: PDFium errors come back as text (they do not pickle reliably)."""
    try:
        return "ok", _read_pages(Path(path), numbers)
    except StatementError as exc:
        return "statement", exc.problem
    except pdfium.PdfiumError as exc:
        return "pdfium", str(exc)


def _workers(npages: int, workers: int | None) -> int:
    import multiprocessing

    if multiprocessing.current_process().daemon:  # a daemonic pool worker may not fork children
        return 1
    if workers is None:
        env = os.environ.get(ENV_WORKERS, "")
        workers = int(env) if env.isdigit() and int(env) > 0 else 1
    return max(1, min(workers, os.cpu_count() or 1, 8)) if npages >= PARALLEL_MIN_PAGES else 1


def _page_of(warning: str) -> int:
    m = re.match(r"page (\d+)", warning)
    return int(m.group(1)) if m else 0


def _read_parallel(path: Path, npages: int, n: int) -> _Pages | None:
    """Every n-th page per process, this one included (it reads the first share while n - 1
    workers read the others); None when no pool can be started (then read in-process)."""
    pages: list[Page] = []
    warnings: list[str] = []
    any_text = False
    try:
        pool = ProcessPoolExecutor(max_workers=n - 1)
    except (OSError, RuntimeError, NotImplementedError) as exc:
        LOGGER.info("no page workers (%s): reading %s in one process", exc, path.name)
        return None
    with pool:
        futures = [pool.submit(_read_pages_worker, str(path), list(range(k, npages, n))) for k in range(1, n)]
        parts = [_read_pages(path, list(range(0, npages, n)))]
        for fut in futures:
            kind, payload = fut.result()
            if kind == "statement":
                raise StatementError(str(path), str(payload))
            if kind == "pdfium":
                raise StatementError(str(path), f"corrupt PDF ({payload})")
            parts.append(cast(_Pages, payload))
    for part, text, warns in parts:
        pages += part
        any_text = any_text or text
        warnings += warns
    pages.sort(key=lambda p: p.number)
    warnings.sort(key=_page_of)
    return pages, any_text, warnings
