"""PDF statements into a Document: text lines and tables in true reading order.

Speed is the design constraint: a 300-page statement must parse in seconds. pdfminer
(under pdfplumber) needs 0.2-0.3 s to interpret one page, so it cannot touch every table
page. Instead PDFium (pypdfium2, C) does all reading:

* every page's text comes from one PDFium call, and only pages that look like they hold
  a SOP-class or presentation-context table (a DICOM UID, "Transfer Syntax", "SCU", ...)
  get a layout pass;
* ruled tables: the page's drawn rules (path objects) become edges, pdfplumber's
  snap/join merges them, and a lattice (grid of rule positions, unruled neighbours
  united) gives the cells, spans included; each cell's text is one PDFium bounded-text
  call, and the text between tables comes from bands above, between and below them, so
  table text never repeats as prose and headings keep their place around tables;
* tables ruled only horizontally or not at all: text runs with positions; the columns
  come from where the rows' runs start, the header words are mapped onto them (a label
  over two columns names the UID one "... UID"), and rows come from the horizontal rules
  or, without rules, from the lines that fill the key (UID) column;
* headings: numbered ones everywhere; on pages laid out from runs, also short lines set
  bold or larger than the body.

Pages are independent, so a long document can be laid out by several processes (opt-in:
each process re-reads fonts and shared resources, which measured no faster on a busy
2-core machine; many statements use the cores through parse_many instead). Then the
document pass: running headers and footers (lines repeated at the top or bottom of many
pages) are dropped, UIDs broken across lines are re-joined, a table continued on the next
page (header repeated or not) is merged into one Table whose rows keep their own page,
and cells that span rows ("same as above") are filled down.
"""

from __future__ import annotations

import bisect
import ctypes
import itertools
import logging
import os
import re
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber import table as plumber_table

from conformance.document import Document, Line, Table
from conformance.errors import StatementError

LOGGER = logging.getLogger(__name__)

_UID = re.compile(r"\b[0-2](?:\.\d+){3,}\b")
_TABLE_HINT = re.compile(
    r"[0-2]\.\d+\.\d+\.\d+\.\d+|Transfer Syntax|Abstract Syntax|SOP Class|\bSCU\b|\bSCP\b", re.I
)
_HEADING = re.compile(
    r"^\s*(?P<num>\d{1,2}(?:\.\d{1,2}){0,6}\.?|[A-Z](?:\.\d{1,2}){1,7}\.?)\s+(?P<title>[A-Z][^|]{2,100})$"
)
_HEADER_WORD = re.compile(
    r"\b(?:sop|class(?:es)?|uid|abstract|transfer|syntax(?:es)?|role|scu|scp|name|negotiation|service|"
    r"user|provider|iod|description|modality|option|supported|profile|files?|fs[cur]|parameter|default|"
    r"value|configurable|status|meaning|code|behaviou?r|attribute|tag|type|port|title|entity|version|date)\b",
    re.I,
)
_CAPTION = re.compile(r"^\s*(?:Table|Tab\.)\s*([A-Z]?[\d]+(?:[.\-–][\d]+)*)\b", re.I)
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–\s]*#(?:\s*(?:of|/)\s*#)?[-–\s]*$", re.I)
_CONTINUED = re.compile(r"^\(?\s*(?:continued|cont(?:\.|inued)?|fortsetzung|suite)\s*\)?\.?$", re.I)

EDGE_SNAP = 3.0  # points: rules closer than this are one rule (pdfplumber default)
MIN_EDGE = 3.0


# --------------------------------------------------------------------------- opening
def _open_pdfium(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise StatementError(str(path), "encrypted PDF (password required)") from exc
        raise StatementError(str(path), f"corrupt or unreadable PDF ({exc})") from exc


def _norm_text(text: str) -> str:
    # PDFium writes a hyphen broken at a line end as \x02
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "-")
    return text.replace("\x00", "").replace("\ufffe", "")


# ---------------------------------------------------------------------- text helpers
def join_split_uids(lines: list[str]) -> list[str]:
    """Re-join a UID broken at a line end ("1.2.840.10008.5.1.4.1.2.1." + "1")."""
    out: list[str] = []
    for line in lines:
        if out and _joins(out[-1], line):
            out[-1] = out[-1] + line
        else:
            out.append(line)
    return out


def _joins(prev: str, line: str) -> bool:
    """Does ``line`` continue a UID that ``prev`` ends with?"""
    return (
        line[:1] in _UID_CONT
        and prev[-1:] in _UID_CONT
        and (
            (prev.endswith(".") and line[0].isdigit() and bool(_UID_END_DOT.search(prev)))
            or (line[0] == "." and line[1:2].isdigit() and bool(_UID_END.search(prev)))
        )
    )


_UID_CONT = frozenset("0123456789.")
_UID_END_DOT = re.compile(r"\b[0-2](?:\.\d+){2,}\.$")
_UID_END = re.compile(r"\b[0-2](?:\.\d+){2,}$")


def _clean_lines(text: str) -> list[str]:
    lines = [" ".join(raw.split()) for raw in _norm_text(text).split("\n")]
    return join_split_uids([ln for ln in lines if ln])


def _heading(text: str) -> tuple[bool, int]:
    """(is heading, level) for a numbered heading; UIDs and TOC lines are not headings."""
    if len(text) > 110 or re.search(r"\.{4,}|…{2,}", text) or _UID.match(text):
        return False, 0
    m = _HEADING.match(text)
    if not m or text.rstrip().endswith((",", ";")):
        return False, 0
    num = m.group("num").rstrip(".")
    return True, num.count(".") + 1


# ------------------------------------------------------------------------ page model
@dataclass
class _Seg:
    """A run of text on one line with its box (top-down page coordinates)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float = 0.0  # font size of its first character
    bold: bool = False


@dataclass
class _TLine:
    segs: list[_Seg]

    @property
    def top(self) -> float:
        return min(s.top for s in self.segs)

    @property
    def bottom(self) -> float:
        return max(s.bottom for s in self.segs)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segs)


@dataclass
class _PTable:
    """A table found on one page; ``header`` says whether rows[0] is a column header."""

    top: float
    rows: list[list[str]]
    header: bool
    title: str = ""


@dataclass
class _Page:
    number: int
    items: list[Line | _PTable] = field(default_factory=list)
    margin_keys: set[str] = field(default_factory=set)  # lines printed in the top/bottom margin


# ---------------------------------------------------------------------- ruled tables
def _edges(page: pdfium.PdfPage, height: float) -> list[dict]:
    """Drawn rules as pdfplumber edge dicts: thin paths, and the sides of stroked boxes."""
    edges: list[dict] = []
    fill, stroke = ctypes.c_int(), ctypes.c_int()

    def h(x0: float, x1: float, y: float) -> None:
        edges.append(
            {
                "x0": x0,
                "x1": x1,
                "top": y,
                "bottom": y,
                "width": x1 - x0,
                "height": 0.0,
                "orientation": "h",
                "object_type": "line",
            }
        )

    def v(x: float, top: float, bottom: float) -> None:
        edges.append(
            {
                "x0": x,
                "x1": x,
                "top": top,
                "bottom": bottom,
                "width": 0.0,
                "height": bottom - top,
                "orientation": "v",
                "object_type": "line",
            }
        )

    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        w, hgt = right - left, top - bottom
        y0, y1 = height - top, height - bottom
        if hgt <= 2.5 and w >= MIN_EDGE:
            h(left, right, (y0 + y1) / 2)
        elif w <= 2.5 and hgt >= MIN_EDGE:
            v((left + right) / 2, y0, y1)
        elif w > 2.5 and hgt > 2.5:
            ok = pdfium_c.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke))
            if ok and stroke.value:  # a drawn box: its four sides are rules; fills are shading
                h(left, right, y0)
                h(left, right, y1)
                v(left, y0, y1)
                v(right, y0, y1)
    return edges


def _ruled_cells(edges: list[dict]) -> list[list[tuple[float, float, float, float]]]:
    """Rules -> tables of cells (x0, top, x1, bottom); a cell may span grid rows or columns.

    pdfplumber's snap/join merges the rules; then, per group of touching rules, the
    lattice is the grid of all rule positions, and neighbouring grid boxes with no rule
    between them are one (merged) cell. Linear in grid size, unlike a smallest-cell
    search per intersection, which dominated the parse of long ruled tables.
    """
    if not any(e["orientation"] == "v" for e in edges) or not any(e["orientation"] == "h" for e in edges):
        return []
    merged = plumber_table.merge_edges(edges, EDGE_SNAP, EDGE_SNAP, EDGE_SNAP, EDGE_SNAP)
    hs = [e for e in merged if e["orientation"] == "h" and e["width"] >= MIN_EDGE]
    vs = [e for e in merged if e["orientation"] == "v" and e["height"] >= MIN_EDGE]
    tol = EDGE_SNAP
    # group rules that touch each other: one group per table
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if h["x0"] - tol <= v["x0"] <= h["x1"] + tol and v["top"] - tol <= h["top"] <= v["bottom"] + tol:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[dict], list[dict]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    tables = []
    for gh, gv in groups.values():
        if len(gh) >= 2 and len(gv) >= 2:
            cells = _lattice(gh, gv, tol)
            if cells:
                tables.append(cells)
    return tables


def _lattice(hs: list[dict], vs: list[dict], tol: float) -> list[tuple[float, float, float, float]]:
    xs = _coords([v["x0"] for v in vs])
    ys = _coords([h["top"] for h in hs])
    if len(xs) < 2 or len(ys) < 2:
        return []
    v_at: dict[int, list[dict]] = {}
    for v in vs:
        v_at.setdefault(_index(xs, v["x0"]), []).append(v)
    h_at: dict[int, list[dict]] = {}
    for h in hs:
        h_at.setdefault(_index(ys, h["top"]), []).append(h)

    def v_rule(c: int, r: int) -> bool:  # a rule at xs[c] between ys[r] and ys[r + 1]
        return any(v["top"] <= ys[r] + tol and v["bottom"] >= ys[r + 1] - tol for v in v_at.get(c, ()))

    def h_rule(r: int, c: int) -> bool:  # a rule at ys[r] between xs[c] and xs[c + 1]
        return any(h["x0"] <= xs[c] + tol and h["x1"] >= xs[c + 1] - tol for h in h_at.get(r, ()))

    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not v_rule(c + 1, r):
                parent[find(r * nc + c)] = find(r * nc + c + 1)
            if r + 1 < nr and not h_rule(r + 1, c):
                parent[find(r * nc + c)] = find((r + 1) * nc + c)
    boxes: dict[int, list[int]] = {}
    sizes: Counter[int] = Counter()
    for r in range(nr):
        for c in range(nc):
            root = find(r * nc + c)
            sizes[root] += 1
            box = boxes.setdefault(root, [c, r, c, r])
            box[0], box[1] = min(box[0], c), min(box[1], r)
            box[2], box[3] = max(box[2], c), max(box[3], r)
    cells = []
    for root, (c0, r0, c1, r1) in boxes.items():
        closed = (
            all(v_rule(c0, r) and v_rule(c1 + 1, r) for r in range(r0, r1 + 1))
            and all(h_rule(r0, c) and h_rule(r1 + 1, c) for c in range(c0, c1 + 1))
            and sizes[root] == (c1 - c0 + 1) * (r1 - r0 + 1)
        )
        if closed:  # a rectangle ruled all round; open or L-shaped regions are not cells
            cells.append((xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]))
    # a table's cells tile its area; boxes of a diagram leave most of it empty
    area = sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in cells)
    if not cells or area < 0.85 * (xs[-1] - xs[0]) * (ys[-1] - ys[0]):
        return []
    return cells


def _coords(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > 1.0:
            out.append(v)
    return out


def _index(coords: list[float], value: float) -> int:
    """Index of the coordinate nearest to value (coords sorted)."""
    i = bisect.bisect_left(coords, value)
    if i == 0:
        return 0
    if i == len(coords):
        return i - 1
    return i if coords[i] - value < value - coords[i - 1] else i - 1


@dataclass
class _Cell:
    text: str
    kind: str  # "own" (top-left of its cell), "down" (row span: same as above), "right" (column span)
    last_row: int  # the last grid row the cell covers


def _grid_table(
    cells: list[tuple[float, float, float, float]], textpage: pdfium.PdfTextPage, height: float
) -> _PTable | None:
    """Cells (possibly spanning) to a row/column grid; row spans are filled down."""
    xs = _coords([c[0] for c in cells] + [c[2] for c in cells])
    ys = _coords([c[1] for c in cells] + [c[3] for c in cells])
    nrows, ncols = len(ys) - 1, len(xs) - 1
    if nrows < 1 or ncols < 2:
        return None
    grid: list[list[_Cell | None]] = [[None] * ncols for _ in range(nrows)]
    filled = 0
    for x0, top, x1, bottom in cells:
        c0, c1 = _index(xs, x0), _index(xs, x1)
        r0, r1 = _index(ys, top), _index(ys, bottom)
        if c1 <= c0 or r1 <= r0:
            continue
        # inset: descenders of the row above and ascenders below reach into the box
        inset = min(2.0, (bottom - top) / 4)
        raw = textpage.get_text_bounded(x0 + 0.5, height - bottom + inset, x1 - 0.5, height - top - inset)
        text = "\n".join(_clean_lines(raw))
        filled += bool(text)
        for r in range(r0, r1):
            for c in range(c0, c1):
                kind = "own" if (r, c) == (r0, c0) else ("down" if c == c0 else "right")
                grid[r][c] = _Cell(text, kind, r1 - 1)
    if filled < 2:
        return None
    # rows ruled only by columns: several table rows in one grid row, re-read by position
    # (only the key column, the leftmost with UIDs, counts: a cell listing several transfer
    # syntax UIDs for one SOP class is one row)
    restack: dict[int, list[list[str]]] = {}
    segs: list[_Seg] | None = None
    uid_cols = [c for c in range(ncols) if any(row[c] and _UID.search(row[c].text) for row in grid)]
    key = uid_cols[0] if uid_cols else None
    for r, row in enumerate(grid):
        c = row[key] if key is not None else None
        stacked = bool(c and c.kind == "own" and c.last_row == r and _uid_lines(c.text) > 1)
        if stacked and len(_unstack([c.text if c else "" for c in row])) == 1:
            segs = segs if segs is not None else _segments(textpage, height)
            rows = _reread_rows(textpage, height, segs, xs, ys[r], ys[r + 1])
            if rows:
                restack[id(row)] = rows
    return _grid_rows(grid, top=ys[0], restack=restack)


def _uid_lines(text: str) -> int:
    return sum(bool(_UID.match(x)) for x in text.splitlines())


def _reread_rows(
    textpage: pdfium.PdfTextPage, height: float, segs: list[_Seg], xs: list[float], top: float, bottom: float
) -> list[list[str]] | None:
    """The table rows inside one ruled band: runs cut at the column rules, rows by key column."""
    pieces: list[_Seg] = []
    for s in segs:
        if s.top < top - 1 or s.bottom > bottom + 1:
            continue
        cuts = [x for x in xs[1:-1] if s.x0 + 2 < x < s.x1 - 2]
        bounds = [s.x0, *cuts, s.x1]
        for a, b in itertools.pairwise(bounds):
            text = (
                s.text
                if not cuts
                else " ".join(
                    _norm_text(textpage.get_text_bounded(a, height - s.bottom, b, height - s.top)).split()
                )
            )
            if text:
                pieces.append(_Seg(text, a, b, s.top, s.bottom, s.size, s.bold))
    lines = _text_lines(pieces, walls=xs)
    if len(lines) < 2:
        return None
    result = _text_table([], lines, [], cols=xs[:-1])
    if result is None or len(result[0].rows) < 2:
        return None
    width = len(xs) - 1
    return [r + [""] * (width - len(r)) for r in result[0].rows if len(r) <= width]


def _grid_rows(
    grid: list[list[_Cell | None]], top: float, restack: dict[int, list[list[str]]] | None = None
) -> _PTable | None:
    ncols = len(grid[0])
    title = ""
    first = grid[0]
    # a first row that is one cell across the whole table is a title, not a header
    if first[0] and first[0].text and all(c and c.kind == "right" for c in first[1:]):
        title = first[0].text.replace("\n", " ")
        grid = grid[1:]
        for row in grid:
            for cell in row:
                if cell:
                    cell.last_row -= 1
    if not grid:
        return None
    # header rows: those above the first row that states a UID (at most 3)
    uid_rows = [
        r for r, row in enumerate(grid) if any(c and c.kind != "right" and _UID.search(c.text) for c in row)
    ]
    first_texts = [c.text for c in grid[0] if c and c.text]
    header_n = 0
    if any(_HEADER_WORD.search(t) for t in first_texts) and not any(_UID.search(t) for t in first_texts):
        header_n = min(uid_rows[0], 3) if uid_rows else 1
    rows: list[list[str]] = []
    if header_n:
        merged = []
        for c in range(ncols):
            parts: list[str] = []
            for row in grid[:header_n]:
                cell = row[c]
                # a cell reaching below the header block is data (e.g. one TS cell for all rows)
                text = cell.text.replace("\n", " ") if cell and cell.last_row < header_n else ""
                if text and text not in parts:
                    parts.append(text)
            merged.append(" ".join(parts))
        rows.append(merged)
    for row in grid[header_n:]:
        if restack and id(row) in restack:
            rows.extend(restack[id(row)])
        else:
            rows.extend(_unstack([c.text if c and c.kind != "right" else "" for c in row]))
    rows = _drop_empty(rows)
    if not rows or (header_n and len(rows) == 1):
        return None
    if header_n:
        _name_spanned_columns(rows)
    return _PTable(top=top, rows=rows, header=bool(header_n), title=title)


def _unstack(row: list[str]) -> list[list[str]]:
    """Split a grid row that holds several table rows (a rule missing between them).

    Only when every filled cell has the same number n > 1 of lines and some column has a
    UID on each of them: then line k of every cell is row k. A wrapped name or a list of
    transfer syntaxes for one SOP class never looks like that.
    """
    cells = [c.split("\n") if c else [] for c in row]
    counts = {len(c) for c in cells if c}
    if len(counts) != 1:
        return [row]
    n = counts.pop()
    if n < 2 or not any(len(c) == n and all(_UID.fullmatch(x.strip()) for x in c) for c in cells):
        return [row]
    return [[c[k] if c else "" for c in cells] for k in range(n)]


def _name_spanned_columns(rows: list[list[str]]) -> None:
    """One header label over two columns ("Abstract Syntax" over name and UID): say which is the UID.

    Statements often head a name column and a UID column with one spanning label and no
    sub-header; the column whose cells are UIDs gets " UID" so the header reads as written
    in the template ("Abstract Syntax Name | Abstract Syntax UID").
    """
    head = rows[0]
    for i in range(len(head) - 1):
        if head[i] and head[i] == head[i + 1] and "uid" not in head[i].lower():
            share = [sum(1 for r in rows[1:] if i + k < len(r) and _UID.search(r[i + k])) for k in (0, 1)]
            if max(share):  # only a column that holds UIDs is the UID column
                j = i + 1 if share[1] >= share[0] else i
                head[j] = f"{head[j]} UID"


def _drop_empty(rows: list[list[str]]) -> list[list[str]]:
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return rows
    keep = [c for c in range(len(rows[0])) if any(c < len(r) and r[c].strip() for r in rows)]
    return [[r[c] if c < len(r) else "" for c in keep] for r in rows]


# ----------------------------------------------------------- text (unruled) tables
def _segments(textpage: pdfium.PdfTextPage, height: float) -> list[_Seg]:
    """Text runs with their boxes and the font size/weight of their first character."""
    segs = []
    raw = textpage.raw
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = " ".join(_norm_text(textpage.get_text_bounded(left, bottom, right, top)).split())
        if not text:
            continue
        idx = pdfium_c.FPDFText_GetCharIndexAtPos(raw, left + 1.0, (top + bottom) / 2, 2.0, 2.0)
        size = pdfium_c.FPDFText_GetFontSize(raw, idx) if idx >= 0 else 0.0
        bold = idx >= 0 and _is_bold(raw, idx)
        segs.append(_Seg(text, left, right, height - top, height - bottom, size, bold))
    return segs


_FONT_NAME = ctypes.create_string_buffer(128)
_FORCE_BOLD = 1 << 18  # PDF font descriptor flag


def _is_bold(raw: object, idx: int) -> bool:
    """Weight when the font says it, else the font name or flags (standard 14 fonts have no weight)."""
    if pdfium_c.FPDFText_GetFontWeight(raw, idx) >= 600:
        return True
    flags = ctypes.c_int(0)
    n = pdfium_c.FPDFText_GetFontInfo(raw, idx, _FONT_NAME, len(_FONT_NAME), ctypes.byref(flags))
    name = _FONT_NAME.raw[: max(0, min(n, len(_FONT_NAME)) - 1)].decode("latin-1").lower()
    return bool(flags.value & _FORCE_BOLD) or any(w in name for w in ("bold", "black", "heavy", "semibold"))


def _text_lines(segs: list[_Seg], walls: list[float] | None = None) -> list[_TLine]:
    """Runs into lines (vertical overlap), each line's runs left to right, gaps merged.

    Runs are not merged across ``walls`` (column rules).
    """
    lines: list[list[_Seg]] = []
    for s in sorted(segs, key=lambda s: (s.top, s.x0)):
        mid = (s.top + s.bottom) / 2
        for line in reversed(lines[-3:]):
            top = min(x.top for x in line)
            bottom = max(x.bottom for x in line)
            if top - 1 <= mid <= bottom + 1:
                line.append(s)
                break
        else:
            lines.append([s])
    out = []
    for line in lines:
        line.sort(key=lambda s: s.x0)
        merged: list[_Seg] = []
        for s in line:
            size = max(s.bottom - s.top, 4.0)
            walled = bool(merged) and any(merged[-1].x1 - 2 <= w <= s.x0 + 2 for w in walls or ())
            if merged and not walled and s.x0 - merged[-1].x1 < 0.6 * size:  # same phrase, new font
                m = merged[-1]
                merged[-1] = _Seg(
                    f"{m.text} {s.text}",
                    m.x0,
                    max(m.x1, s.x1),
                    min(m.top, s.top),
                    max(m.bottom, s.bottom),
                    max(m.size, s.size),
                    m.bold and s.bold,
                )
            else:
                merged.append(s)
        out.append(_TLine(merged))
    return out


def _is_header_line(line: _TLine) -> bool:
    return (
        len(line.segs) >= 2
        and not _UID.search(line.text)
        and sum(1 for s in line.segs if _HEADER_WORD.search(s.text)) >= 2
    )


def _columns_from(lines: list[_TLine], header: list[_TLine] | None = None) -> list[float]:
    """Column starts: x positions where runs of the table's rows start again and again.

    A run that starts under a header word also starts a column, so that a table of one or
    two rows (too few for the repetition test) keeps its Role and Ext. Neg. columns.
    """
    heads = [s.x0 for ln in header or [] for s in ln.segs]
    starts = sorted(s.x0 for ln in lines for s in ln.segs)
    clusters: list[list[float]] = []
    for x in starts:
        if clusters and x - clusters[-1][-1] <= 4:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    # a headerless remnant of a table (its last rows, on a new page) may be a single row
    need = max(2, len(lines) // 4) if header or len(lines) >= 4 else 1
    cols = [min(c) for c in clusters if len(c) >= need or any(abs(h - min(c)) <= 4 for h in heads)]
    return cols


def _col_of(cols: list[float], x: float) -> int:
    idx = 0
    for i, start in enumerate(cols):
        if x >= start - 4:
            idx = i
    return idx


def _text_table(
    header: list[_TLine], body: list[_TLine], rules: list[float], cols: list[float] | None = None
) -> tuple[_PTable, list[float]] | None:
    cols = cols or _columns_from(body, header)
    if len(cols) < 2:
        return None
    ncols = len(cols)
    # header: each run covers the columns whose start lies under it
    head = [""] * ncols
    for line in header:
        for s in line.segs:
            covered = [i for i, x in enumerate(cols) if s.x0 - 4 <= x <= s.x1 + 4]
            if not covered:
                covered = [_col_of(cols, s.x0)]
            for i in covered:
                head[i] = f"{head[i]} {s.text}".strip()
    # rows: between horizontal rules if there are any, else a new row at each key-column line
    # the key is the leftmost column with UIDs (the abstract syntax, not its list of syntaxes)
    uid_cols = Counter(_col_of(cols, s.x0) for ln in body for s in ln.segs if _UID.search(s.text))
    key = min(uid_cols) if uid_cols else 0
    groups: list[list[_TLine]] = []
    inner = sorted(y for y in rules if body[0].top - 2 < y < body[-1].bottom + 2)
    last_slot = -1
    for ln in body:
        if inner:  # horizontal rules separate the rows
            slot = sum(1 for y in inner if y <= (ln.top + ln.bottom) / 2)
            starts_row = slot != last_slot
            last_slot = slot
        else:  # no rules: a row starts at a line that fills the key column once the row above has
            # its UID there (a name wrapped over lines, then its UID, stay one cell)
            starts_row = any(_col_of(cols, s.x0) == key for s in ln.segs) and (
                not groups
                or any(_UID.search(s.text) for g in groups[-1] for s in g.segs if _col_of(cols, s.x0) == key)
            )
        if starts_row or not groups:
            groups.append([ln])
        else:
            groups[-1].append(ln)
    rows: list[list[str]] = []
    for g in groups:
        cells: list[list[str]] = [[] for _ in range(ncols)]
        for ln in g:
            for s in ln.segs:
                cells[_col_of(cols, s.x0)].append(s.text)
        rows.append(["\n".join(join_split_uids(c)) for c in cells])
    has_header = any(head)
    if has_header:
        rows.insert(0, head)
        _name_spanned_columns(rows)
    table = _PTable(top=(header or body)[0].top, rows=_drop_empty(rows), header=has_header)
    return table, cols


def _find_text_tables(lines: list[_TLine], rules: list[float]) -> list[tuple[int, int, _PTable]]:
    """Unruled tables among a page's lines: (first line, end line, table) spans.

    A table starts at a header line (two or more runs naming columns) followed by a UID
    line, or, at the top of a page, at UID lines in two or more columns: the rest of a
    table from the page before, which the document pass then joins to it.
    """
    found: list[tuple[int, int, _PTable]] = []
    i = 0
    while i < len(lines):
        header: list[_TLine] = []
        start = i
        if _is_header_line(lines[i]):
            header = [lines[i]]
            j = i + 1
            while j < len(lines) and len(header) < 3 and not _UID.search(lines[j].text):
                if len(lines[j].text) > 60 or _heading(lines[j].text)[0]:
                    break
                header.append(lines[j])
                j += 1
            if j >= len(lines) or not _UID.search(lines[j].text):
                i += 1
                continue
        elif i <= 3 and not found and len(lines[i].segs) >= 2 and _UID.search(lines[i].text):
            j = i  # a table continued from the previous page without its header
        else:
            i += 1
            continue
        body_start = j
        width = max(s.x1 for ln in lines[body_start : body_start + 5] for s in ln.segs) - min(
            s.x0 for ln in lines[body_start : body_start + 5] for s in ln.segs
        )
        gaps: list[float] = []
        while j < len(lines):
            ln = lines[j]
            if j > body_start and (_is_header_line(ln) or _heading(ln.text)[0] or _CAPTION.match(ln.text)):
                break
            if not _UID.search(ln.text) and len(ln.segs) == 1 and ln.segs[0].x1 - ln.segs[0].x0 > 0.6 * width:
                break  # a prose line across the table's columns
            if j > body_start:
                # a gap much wider than the table's own row spacing ends it
                gap, height = ln.top - lines[j - 1].bottom, max(ln.bottom - ln.top, 6)
                if gap > (max(3 * height, 1.8 * max(gaps)) if gaps else 6 * height):
                    break
                gaps.append(gap)
            j += 1
        result = _text_table(header, lines[body_start:j], rules)
        if result is None:
            i = start + 1
            continue
        found.append((start, j, result[0]))
        i = max(j, start + 1)
    return found


# ----------------------------------------------------------------------- one page
def _layout_page(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, number: int) -> _Page:
    """A candidate page: tables where they are, text above/between/below them."""
    width, height = page.get_size()
    edges = _edges(page, height)
    out = _Page(number)
    ruled: list[tuple[float, float, _PTable]] = []
    for cells in _ruled_cells(edges):
        table = _grid_table(cells, textpage, height)
        if table is not None:
            ruled.append((min(c[1] for c in cells), max(c[3] for c in cells), table))
    if ruled:
        rules = sorted(e["top"] for e in edges if e["orientation"] == "h" and e["width"] > 0.3 * width)
        segs: list[_Seg] = []
        y = 0.0
        for top, bottom, table in sorted(ruled, key=lambda r: r[0]):
            segs = _text_band(out, textpage, segs, rules, width, height, y, top)
            out.items.append(table)
            y = max(y, bottom)
        _text_band(out, textpage, segs, rules, width, height, y, height)
        return out
    lines = _text_lines(_segments(textpage, height))
    rules = sorted(e["top"] for e in edges if e["orientation"] == "h" and e["width"] > 0.3 * width)
    spans = _find_text_tables(lines, rules)
    body = _body_style(lines)
    i = 0
    for start, end, table in spans:
        _add_styled(out, lines[i:start], body)
        out.items.append(table)
        i = end
    _add_styled(out, lines[i:], body)
    return out


def _body_style(lines: list[_TLine]) -> tuple[float, bool]:
    """(font size, bold) of most of the page's text."""
    sizes: Counter[float] = Counter()
    bold = 0
    total = 0
    for ln in lines:
        for s in ln.segs:
            sizes[round(s.size, 1)] += len(s.text)
            bold += len(s.text) if s.bold else 0
            total += len(s.text)
    size = sizes.most_common(1)[0][0] if sizes else 0.0
    return size, total > 0 and bold > total / 2


def _styled_heading(line: _TLine, body: tuple[float, bool]) -> bool:
    """An unnumbered heading: a short line set bold or larger than the body text."""
    if not _heading_shape(line.text):  # captions are bold too, but they name a table
        return False
    size, body_bold = body
    larger = size > 0 and min(s.size for s in line.segs) >= 1.15 * size
    bolder = not body_bold and all(s.bold for s in line.segs)
    return larger or bolder


def _add_styled(out: _Page, lines: list[_TLine], body: tuple[float, bool]) -> None:
    """Lines with positions: numbered headings as always, plus bold or large ones."""
    for ln in lines:
        text = " ".join(ln.text.split())
        prev = out.items[-1] if out.items else None
        if isinstance(prev, Line) and _joins(prev.text, text):
            prev.text += text
            continue
        heading, level = _heading(text)
        if not heading and _styled_heading(ln, body):
            heading = True
        out.items.append(Line(text, page=out.number, heading=heading, level=level))


def _text_band(
    out: _Page,
    textpage: pdfium.PdfTextPage,
    segs: list[_Seg],
    rules: list[float],
    width: float,
    height: float,
    y0: float,
    y1: float,
) -> list[_Seg]:
    """Text between ruled tables; a table ruled only horizontally in it stays a table.

    The page's runs (``segs``) are only read when the band holds a UID; they are returned
    so the next band of the page reuses them.
    """
    if y1 - y0 < 2:
        return segs
    text = textpage.get_text_bounded(0, height - y1 + 0.5, width, height - y0 - 0.5)
    if not _UID.search(text):
        _add_lines(out, _clean_lines(text), textpage)
        return segs
    segs = segs or _segments(textpage, height)
    lines = _text_lines([s for s in segs if s.top >= y0 - 1 and s.bottom <= y1 + 1])
    spans = _find_text_tables(lines, rules)
    if not spans:
        _add_lines(out, _clean_lines(text), textpage)
        return segs
    i = 0
    for start, end, table in spans:
        _add_lines(out, [ln.text for ln in lines[i:start]])
        out.items.append(table)
        i = end
    _add_lines(out, [ln.text for ln in lines[i:]])
    return segs


def _add_lines(out: _Page, texts: list[str], textpage: pdfium.PdfTextPage | None = None) -> None:
    """Lines without positions; with the textpage, short lines are checked for heading style."""
    body: tuple[float, bool] | None = None
    styled_before, last_len = False, 0
    for text in join_split_uids([" ".join(t.split()) for t in texts if t.strip()]):
        heading, level = _heading(text)
        styled = False
        if textpage is not None and not heading and _heading_shape(text):
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


def _heading_shape(text: str) -> bool:
    """Short, capitalised, unpunctuated, no UID, not a caption: could be a heading."""
    if len(text) > 80 or len(text.split()) > 8 or text.endswith((".", ",", ";", ":")) or _UID.search(text):
        return False
    if not (text[:1].isupper() or text[:1].isdigit()) or re.search(r"\.{4,}|…{2,}", text):
        return False  # TOC lines have dot leaders
    if _PAGE_NUMBER.match(_run_key(text)) or re.search(r":\s*\S", text):
        return False  # page numbers; "Label: value" lines with a bold label
    return not (_CAPTION.match(text) or re.match(r"Fig(?:ure|\.)\s", text))


def _sampled_body_style(textpage: pdfium.PdfTextPage) -> tuple[float, bool]:
    """(size, bold) of most of the page's text, from about 32 sampled characters."""
    raw = textpage.raw
    n = textpage.count_chars()
    sizes: Counter[float] = Counter()
    bold = total = 0
    for i in range(0, n, max(1, n // 32)):
        if chr(pdfium_c.FPDFText_GetUnicode(raw, i)).isspace():
            continue
        sizes[round(pdfium_c.FPDFText_GetFontSize(raw, i), 1)] += 1
        bold += _is_bold(raw, i)
        total += 1
    return (sizes.most_common(1)[0][0] if sizes else 0.0), total > 0 and bold > total / 2


def _style_of(textpage: pdfium.PdfTextPage, text: str) -> tuple[float, bool] | None:
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
    return size, _is_bold(raw, first) and _is_bold(raw, last)


# ---------------------------------------------------------------------- document
def _edge_keys(page: _Page) -> set[str]:
    """Keys of the lines a running header or footer can be: first/last lines, page margins."""
    lines = [it for it in page.items if isinstance(it, Line)]
    return {_run_key(ln.text) for ln in lines[:3] + lines[-3:]} | page.margin_keys


def _running_lines(pages: list[_Page]) -> set[str]:
    """Normalized texts that recur at the top or bottom of many pages (headers, footers)."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for p in pages:
        seen.update(_edge_keys(p))
    need = max(3, int(0.4 * len(pages)))
    return {k for k, n in seen.items() if n >= need}


def _margin_keys(textpage: pdfium.PdfTextPage, width: float, height: float) -> set[str]:
    """Lines in the top and bottom 8% of the page (content order does not say where they are)."""
    band = 0.08 * height
    keys = set()
    for bottom, top in ((height - band, height), (0.0, band)):
        for line in _clean_lines(textpage.get_text_bounded(0, bottom, width, top)):
            keys.add(_run_key(line))
    return keys


def _run_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def _strip_running(page: _Page, running: set[str]) -> None:
    lines = [i for i, it in enumerate(page.items) if isinstance(it, Line)]
    edge = set(lines[:3] + lines[-3:])
    drop = set()
    for i in lines:
        key = _run_key(page.items[i].text)  # type: ignore[union-attr]
        if i not in edge and key not in page.margin_keys:
            continue
        if key in running or _PAGE_NUMBER.match(key):
            drop.add(i)
    page.items = [it for i, it in enumerate(page.items) if i not in drop]


def _caption_names(caption: str) -> list[str]:
    m = _CAPTION.match(caption)
    return [f"Table {m.group(1)}"] if m else []


def _assemble(doc: Document, pages: list[_Page]) -> None:
    """Page items into blocks; a table continued at the top of the next page joins its start."""
    last_table: Table | None = None
    last_header = False
    open_at_page_end = False
    since_table: list[Line] = []
    for page in pages:
        first_on_page = True
        for item in page.items:
            if isinstance(item, Line):
                if (
                    last_table is not None
                    and open_at_page_end
                    and first_on_page
                    and (_CONTINUED.match(item.text) or _same_caption(item.text, last_table.caption))
                ):
                    continue  # "Table 2 ... (continued)" above a continuation: not new content
                doc.blocks.append(item)
                since_table.append(item)
                first_on_page = False
                continue
            if (
                last_table is not None
                and open_at_page_end
                and first_on_page
                and _continues(last_table, last_header, item)
            ):
                rows = item.rows[1:] if item.header else item.rows
                last_table.rows.extend(rows)
                last_table.row_pages.extend([page.number] * len(rows))
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
        tables_at = [k for k, it in enumerate(page.items) if isinstance(it, _PTable)]
        after = page.items[tables_at[-1] + 1 :] if tables_at else []
        open_at_page_end = (
            bool(tables_at)
            and len(after) <= 2
            and not any(isinstance(it, Line) and it.heading for it in after)
        )


def _same_caption(text: str, caption: str) -> bool:
    if not caption:
        return False
    a = re.sub(r"\W+", " ", text.lower()).replace("continued", "").strip()
    b = re.sub(r"\W+", " ", caption.lower()).strip()
    return bool(a) and (a == b or a.startswith(b))


def _nearest_caption(lines: list[Line]) -> str:
    for ln in reversed(lines[-4:]):
        if _CAPTION.match(ln.text):
            return ln.text
    for ln in reversed(lines[-8:]):
        if ln.heading:
            return ln.text
    return ""


def _header_key(row: list[str]) -> str:
    return re.sub(r"\W+", " ", " | ".join(row).lower()).strip()


def _continues(prev: Table, prev_header: bool, new: _PTable) -> bool:
    """Is a table at the top of a page the rest of the table at the end of the last one?"""
    width = len(prev.rows[0]) if prev.rows else 0
    if not new.rows or len(new.rows[0]) != width:
        return False
    if new.header:
        return prev_header and _header_key(new.rows[0]) == _header_key(prev.rows[0])
    return True


ENV_WORKERS = "CONFORMANCE_PDF_WORKERS"  # page processes per PDF; batch workers force 1
PARALLEL_MIN_PAGES = 48  # below this, starting a second process costs more than it saves


def _read_pages(path: Path, numbers: list[int]) -> tuple[list[_Page], bool, list[str]]:
    """Triage and lay out the given 0-based pages; pages are independent of each other."""
    pdf = _open_pdfium(path)
    pages: list[_Page] = []
    warnings: list[str] = []
    any_text = False
    try:
        for i in numbers:
            page = pdf[i]
            textpage = page.get_textpage()
            try:
                text = _norm_text(textpage.get_text_range())
                any_text = any_text or bool(text.strip())
                result = _Page(i + 1)
                if _TABLE_HINT.search(text):
                    try:
                        result = _layout_page(page, textpage, i + 1)
                    except Exception as exc:  # a broken page must not lose the document
                        LOGGER.warning("%s page %d: layout failed (%s)", path.name, i + 1, exc)
                        warnings.append(f"page {i + 1}: tables unreadable ({type(exc).__name__})")
                        result = _Page(i + 1)
                        _add_lines(result, _clean_lines(text))
                else:
                    _add_lines(result, _clean_lines(text), textpage)
                result.margin_keys = _margin_keys(textpage, *page.get_size())
                pages.append(result)
            finally:
                textpage.close()
                page.close()
    finally:
        pdf.close()
    return pages, any_text, warnings


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


def _read_parallel(path: Path, npages: int, n: int) -> tuple[list[_Page], bool, list[str]] | None:
    """Every n-th page per process; None when no pool can be started (then read in-process)."""
    pages: list[_Page] = []
    warnings: list[str] = []
    any_text = False
    try:
        pool = ProcessPoolExecutor(max_workers=n)
    except (OSError, RuntimeError, NotImplementedError) as exc:
        LOGGER.info("no page workers (%s): reading %s in one process", exc, path.name)
        return None
    with pool:
        futures = [pool.submit(_read_pages_worker, str(path), list(range(k, npages, n))) for k in range(n)]
        for fut in futures:
            kind, payload = fut.result()
            if kind == "statement":
                raise StatementError(str(path), str(payload))
            if kind == "pdfium":
                raise StatementError(str(path), f"corrupt PDF ({payload})")
            part, text, warns = payload  # type: ignore[misc]
            pages += part
            any_text = any_text or text
            warnings += warns
    pages.sort(key=lambda p: p.number)
    warnings.sort(key=_page_of)
    return pages, any_text, warnings


def read_pdf(path: Path, *, workers: int | None = None) -> Document:
    """Read a PDF into a Document; StatementError for encrypted, scanned or broken files.

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
    doc = Document(path=path.name, kind="pdf", pages=npages)
    n = _workers(npages, workers)
    parts = _read_parallel(path, npages, n) if n > 1 else None
    if parts is None:
        pages, any_text, warnings = _read_pages(path, list(range(npages)))
    else:
        pages, any_text, warnings = parts
    if not any_text:
        raise StatementError(str(path), "no text layer (scanned PDF?); OCR it first")
    doc.warnings.extend(warnings)
    running = _running_lines(pages)
    for p in pages:
        _strip_running(p, running)
    _assemble(doc, pages)
    return doc
