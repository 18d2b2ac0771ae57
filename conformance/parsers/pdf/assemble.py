"""The document pass: page items into blocks, tables continued across pages joined.

A table at the top of a page whose columns (and header, if repeated) match the table
left open at the end of the page before is its continuation: its rows join that Table
and keep their own page, and a "(continued)" caption above it is not new content.
"""

from __future__ import annotations

import re

from conformance.document import Document, Line, Table
from conformance.parsers.pdf.headings import CAPTION
from conformance.parsers.pdf.model import Page, PTable

_CONTINUED = re.compile(r"^\(?\s*(?:continued|cont(?:\.|inued)?|fortsetzung|suite)\s*\)?\.?$", re.I)


def assemble(doc: Document, pages: list[Page]) -> None:
    """Page items into blocks; a table continued at the top of the next page joins its start."""
    last_table: Table | None = None
    last_header = False
    open_at_page_end = False
    since_table: list[Line] = []
    for page in pages:
        first_on_page = True
        for item in page.items:
            # the table a page's first item may continue
            open_table = last_table if open_at_page_end and first_on_page else None
            if isinstance(item, Line):
                if open_table is not None and (
                    _CONTINUED.match(item.text) or _same_caption(item.text, open_table.caption)
                ):
                    continue  # "Table 2 ... (continued)" above a continuation: not new content
                doc.blocks.append(item)
                since_table.append(item)
                first_on_page = False
                continue
            if open_table is not None and _continues(open_table, last_header, item):
                rows = item.rows[1:] if item.header else item.rows
                open_table.rows.extend(rows)
                open_table.row_pages.extend([page.number] * len(rows))
            else:
                caption = item.title or _nearest_caption(since_table)
                last_table = Table(
                    [list(r) for r in item.rows],
                    page=page.number,
                    row_pages=[page.number] * len(item.rows),
                    caption=caption,
                    names=_caption_names(caption),
                )
                last_header = item.header
                doc.blocks.append(last_table)
            since_table = []
            first_on_page = False
        # a table stays open across the page break when only a footnote or two follows it
        tables_at = [k for k, it in enumerate(page.items) if isinstance(it, PTable)]
        after = page.items[tables_at[-1] + 1 :] if tables_at else []
        open_at_page_end = (
            bool(tables_at)
            and len(after) <= 2
            and not any(isinstance(it, Line) and it.heading for it in after)
        )


def _caption_names(caption: str) -> list[str]:
    m = CAPTION.match(caption)
    return [f"Table {m.group(1)}"] if m else []


def _same_caption(text: str, caption: str) -> bool:
    if not caption:
        return False
    a = re.sub(r"\W+", " ", text.lower()).replace("continued", "").strip()
    b = re.sub(r"\W+", " ", caption.lower()).strip()
    return bool(a) and (a == b or a.startswith(b))


def _nearest_caption(lines: list[Line]) -> str:
    """The caption just above a table, else the nearest heading above it."""
    for ln in reversed(lines[-4:]):
        if CAPTION.match(ln.text):
            return ln.text
    for ln in reversed(lines[-8:]):
        if ln.heading:
            return ln.text
    return ""


def _header_key(row: list[str]) -> str:
    return re.sub(r"\W+", " ", " | ".join(row).lower()).strip()


def _continues(prev: Table, prev_header: bool, new: PTable) -> bool:
    """Is a table at the top of a page the rest of the table at the end of the last one?"""
    width = len(prev.rows[0]) if prev.rows else 0
    if not new.rows or len(new.rows[0]) != width:
        return False
    if new.header:
        return prev_header and _header_key(new.rows[0]) == _header_key(prev.rows[0])
    return True
