"""Which lines are headings, and page lines added with headings marked.

Numbered headings are found everywhere. Unnumbered ones are short lines set bold or
larger than the page's body text: from the runs' styles on laid-out pages, from a few
sampled characters and a text search on plain pages (cheap enough for every page).
"""

from __future__ import annotations

import re
from collections import Counter

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from conformance.document import Line
from conformance.parsers.pdf.furniture import PAGE_NUMBER, run_key
from conformance.parsers.pdf.model import Page, TLine
from conformance.parsers.pdf.runs import is_bold
from conformance.parsers.pdf.textlines import UID, join_split_uids, joins, section_number

CAPTION = re.compile(r"^\s*(?:Table|Tab\.)\s*([A-Z]?[\d]+(?:[.\-–][\d]+)*)\b", re.I)
_HEADING = re.compile(
    r"^\s*(?P<num>\d{1,2}(?:\.\d{1,2}){0,6}\.?|[A-Z](?:\.\d{1,2}){1,7}\.?)\s+(?P<title>[A-Z][^|]{2,100})$"
)
_TOC_LEADER = re.compile(r"\.{4,}|…{2,}")  # dot leaders of a table of contents

Style = tuple[float, bool]  # (font size, bold)


def _toc_leader(text: str) -> bool:
    """Dot leaders of a table of contents (:data:`_TOC_LEADER`, tested for its literals first)."""
    return ("...." in text or "……" in text) and bool(_TOC_LEADER.search(text))


def numbered_heading(text: str) -> tuple[bool, int]:
    """(is heading, level) for a numbered heading; UIDs and TOC lines are not headings."""
    m = _HEADING.match(text)  # first: it fails at once on most lines
    if not m:
        return False, 0
    uid = UID.match(text)
    if len(text) > 110 or _toc_leader(text) or (uid and not section_number(uid.group(0))):
        return False, 0  # "2.3.1.2.1 Proposed Presentation Contexts" (old layouts) is a heading
    if text.rstrip().endswith((",", ";")):
        return False, 0
    num = m.group("num").rstrip(".")
    return True, num.count(".") + 1


def heading_shape(text: str) -> bool:
    """Short, capitalised, unpunctuated, no UID, not a caption: could be a heading."""
    if len(text) > 80 or len(text.split()) > 8 or text.endswith((".", ",", ";", ":")) or UID.search(text):
        return False
    if not (text[:1].isupper() or text[:1].isdigit()) or _toc_leader(text):
        return False  # TOC lines have dot leaders
    if PAGE_NUMBER.match(run_key(text)) or re.search(r":\s*\S", text):
        return False  # page numbers; "Label: value" lines with a bold label
    return not (CAPTION.match(text) or re.match(r"Fig(?:ure|\.)\s", text))


def body_style(lines: list[TLine]) -> Style:
    """(font size, bold) of most of the page's text."""
    sizes: Counter[float] = Counter()
    bold = 0
    total = 0
    for ln in lines:
        for s in ln.segs:
            sizes[round(s.size, 1)] += len(s.text)
            bold += len(s.text) if s.bold else 0
            total += len(s.text)
    return _majority(sizes, bold, total)


def add_styled(out: Page, lines: list[TLine], body: Style) -> None:
    """Lines with positions: numbered headings as always, plus bold or large ones."""
    for ln in lines:
        text = " ".join(ln.text.split())
        prev = out.items[-1] if out.items else None
        if isinstance(prev, Line) and joins(prev.text, text):
            prev.text += text
            continue
        heading, level = numbered_heading(text)
        if not heading and _styled_heading(ln, body):
            heading = True
        out.items.append(Line(text, page=out.number, heading=heading, level=level))


def add_lines(out: Page, texts: list[str], textpage: pdfium.PdfTextPage | None = None) -> None:
    """Lines without positions; with the textpage, short lines are checked for heading style."""
    body: Style | None = None
    styled_before, last_len = False, 0
    for text in join_split_uids([" ".join(t.split()) for t in texts if t.strip()]):
        heading, level = numbered_heading(text)
        styled = False
        if textpage is not None and not heading and heading_shape(text):
            body = body or _sampled_body_style(textpage)
            style = _style_of(textpage, text)
            if style is not None:
                size, bold = style
                styled = (body[0] > 0 and size >= 1.15 * body[0]) or (bold and not body[1])
        prev = out.items[-1] if out.items else None
        wrapped = styled_before and last_len >= 45  # only a long line wraps
        if styled and not heading and wrapped and isinstance(prev, Line) and prev.heading:
            prev.text = f"{prev.text} {text}"  # the second line of a wrapped heading
            last_len = 0  # headings wrap once; a third styled line is a heading of its own
            continue
        styled_before, last_len = styled or (heading and textpage is not None), len(text)
        out.items.append(Line(text, page=out.number, heading=heading or styled, level=level))


def _styled_heading(line: TLine, body: Style) -> bool:
    """An unnumbered heading: a short line set bold or larger than the body text."""
    if not heading_shape(line.text):  # captions are bold too, but they name a table
        return False
    size, body_bold = body
    larger = size > 0 and min(s.size for s in line.segs) >= 1.15 * size
    bolder = not body_bold and all(s.bold for s in line.segs)
    return larger or bolder


def _majority(sizes: Counter[float], bold: int, total: int) -> Style:
    """The most common size; bold when more than half of what was counted is bold."""
    return (sizes.most_common(1)[0][0] if sizes else 0.0), total > 0 and bold > total / 2


def _sampled_body_style(textpage: pdfium.PdfTextPage) -> Style:
    """(size, bold) of most of the page's text, from about 32 sampled characters."""
    raw = textpage.raw
    n = textpage.count_chars()
    sizes: Counter[float] = Counter()
    bold = total = 0
    for i in range(0, n, max(1, n // 32)):
        if chr(pdfium_c.FPDFText_GetUnicode(raw, i)).isspace():
            continue
        sizes[round(pdfium_c.FPDFText_GetFontSize(raw, i), 1)] += 1
        bold += is_bold(raw, i)
        total += 1
    return _majority(sizes, bold, total)


def _style_of(textpage: pdfium.PdfTextPage, text: str) -> Style | None:
    """Font size and boldness of the whole of ``text`` where it first occurs on the page.

    Both its first and its last character must have the style: a bold label followed by
    plain text is not a bold line.
    """
    searcher = textpage.search(text, match_case=True)
    try:
        found = searcher.get_next()
    finally:
        searcher.close()
    if not found:
        return None
    raw = textpage.raw
    first, last = found[0], found[0] + max(found[1], 1) - 1
    size = min(pdfium_c.FPDFText_GetFontSize(raw, first), pdfium_c.FPDFText_GetFontSize(raw, last))
    return size, is_bold(raw, first) and is_bold(raw, last)
