"""Running headers, footers and page numbers: page furniture that is not content.

Content order does not say where a line sits on the page, so the top and bottom
margins are read separately; a line found at a page edge on many pages is dropped.
"""

from __future__ import annotations

import re
from collections import Counter

import pypdfium2 as pdfium

from conformance.document import Line
from conformance.parsers.pdf.model import Page
from conformance.parsers.pdf.runs import bounded_text
from conformance.parsers.pdf.textlines import clean_lines

_DIGITS = re.compile(r"\d+")
PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–\s]*#(?:\s*(?:of|/)\s*#)?[-–\s]*$", re.I)  # on a run_key


def run_key(text: str) -> str:
    """A line's text as it recurs from page to page: lower case, numbers as '#'."""
    return _DIGITS.sub("#", text.lower()).strip()


def margin_keys(textpage: pdfium.PdfTextPage, width: float, height: float) -> set[str]:
    """Lines in the top and bottom 8% of the page (content order does not say where they are)."""
    band = 0.08 * height
    keys = set()
    for bottom, top in ((height - band, height), (0.0, band)):
        for line in clean_lines(bounded_text(textpage, 0, bottom, width, top)):
            keys.add(run_key(line))
    return keys


def drop_running(pages: list[Page]) -> list[Line]:
    """Remove running headers, footers and page numbers from every page.

    Returns the distinct running lines (page numbers aside), each at the first page it was
    dropped from: the product identity pass reads them ("ACME CT 2.0 DICOM Conformance
    Statement ... Acme Medical Inc.").
    """
    running = _running_lines(pages)
    kept: dict[str, Line] = {}
    for page in pages:
        for line in _strip_running(page, running):
            key = run_key(line.text)
            if not PAGE_NUMBER.match(key) and key not in kept:
                kept[key] = Line(line.text, page=page.number)
    return list(kept.values())


def _edge_keys(page: Page) -> set[str]:
    """Keys of the lines a running header or footer can be: first/last lines, page margins."""
    lines = [it for it in page.items if isinstance(it, Line)]
    return {run_key(ln.text) for ln in lines[:3] + lines[-3:]} | page.margin_keys


def _running_lines(pages: list[Page]) -> set[str]:
    """Normalized texts that recur at the top or bottom of many pages (headers, footers)."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for p in pages:
        seen.update(_edge_keys(p))
    need = max(3, int(0.4 * len(pages)))
    return {k for k, n in seen.items() if n >= need}


def _strip_running(page: Page, running: set[str]) -> list[Line]:
    """Drop the page's running lines; return them in page order."""
    lines = [i for i, it in enumerate(page.items) if isinstance(it, Line)]
    edge = set(lines[:3] + lines[-3:])
    drop = set()
    for i in lines:
        key = run_key(page.items[i].text)  # type: ignore[union-attr]
        if i not in edge and key not in page.margin_keys:
            continue
        if key in running or PAGE_NUMBER.match(key):
            drop.add(i)
    dropped = [it for i, it in enumerate(page.items) if i in drop and isinstance(it, Line)]
    page.items = [it for i, it in enumerate(page.items) if i not in drop]
    return dropped
