"""Tables from drawn rules: path objects become edges, a lattice of them the cells.

pdfplumber's snap/join merges the page's rules; per group of touching rules, a lattice
(grid of rule positions, unruled neighbours united) gives the cells, spans included.
Each cell's text is one PDFium bounded-text call, which is what makes long ruled
tables cheap compared with pdfminer's per-character layout.
"""

from __future__ import annotations

import bisect
import ctypes
import itertools
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber import table as plumber_table

from conformance.parsers.pdf.model import PTable, Seg
from conformance.parsers.pdf.runs import bounded_text, segments
from conformance.parsers.pdf.tables import HEADER_WORD, drop_empty, name_spanned_columns
from conformance.parsers.pdf.textlines import UID, clean_lines, norm_text
from conformance.parsers.pdf.unruled import text_lines, text_table

EDGE_SNAP = 3.0  # points: rules closer than this are one rule (pdfplumber default)
MIN_EDGE = 3.0

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
Edge = dict[str, Any]  # a pdfplumber edge: x0, x1, top, bottom, width, height, orientation


def edges(page: pdfium.PdfPage, height: float) -> list[Edge]:
    """Drawn rules as pdfplumber edge dicts: thin paths, and the sides of stroked boxes."""
    found: list[Edge] = []
    fill, stroke = ctypes.c_int(), ctypes.c_int()

    def h(x0: float, x1: float, y: float) -> None:
        found.append(
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
        found.append(
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
    return found


def ruled_cells(rules: list[Edge]) -> list[list[Box]]:
    """Rules -> tables of cells (x0, top, x1, bottom); a cell may span grid rows or columns.

    pdfplumber's snap/join merges the rules; then, per group of touching rules, the
    lattice is the grid of all rule positions, and neighbouring grid boxes with no rule
    between them are one (merged) cell. Linear in grid size, unlike a smallest-cell
    search per intersection, which dominated the parse of long ruled tables.
    """
    if not any(e["orientation"] == "v" for e in rules) or not any(e["orientation"] == "h" for e in rules):
        return []
    merged = plumber_table.merge_edges(rules, EDGE_SNAP, EDGE_SNAP, EDGE_SNAP, EDGE_SNAP)
    hs = [e for e in merged if e["orientation"] == "h" and e["width"] >= MIN_EDGE]
    vs = [e for e in merged if e["orientation"] == "v" and e["height"] >= MIN_EDGE]
    tol = EDGE_SNAP
    # group rules that touch each other: one group per table
    parent = list(range(len(hs) + len(vs)))
    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if h["x0"] - tol <= v["x0"] <= h["x1"] + tol and v["top"] - tol <= h["top"] <= v["bottom"] + tol:
                parent[_find(parent, i)] = _find(parent, len(hs) + j)
    groups: dict[int, tuple[list[Edge], list[Edge]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(_find(parent, i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(_find(parent, len(hs) + j), ([], []))[1].append(v)
    tables = []
    for gh, gv in groups.values():
        if len(gh) >= 2 and len(gv) >= 2:
            cells = _lattice(gh, gv, tol)
            if cells:
                tables.append(cells)
    return tables


def grid_table(cells: list[Box], textpage: pdfium.PdfTextPage, height: float) -> PTable | None:
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
        raw = bounded_text(textpage, x0 + 0.5, height - bottom + inset, x1 - 0.5, height - top - inset)
        text = "\n".join(clean_lines(raw))
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
    segs: list[Seg] | None = None
    uid_cols = [c for c in range(ncols) if any((x := row[c]) and UID.search(x.text) for row in grid)]
    key = uid_cols[0] if uid_cols else None
    for r, row in enumerate(grid):
        cell = row[key] if key is not None else None
        stacked = bool(cell and cell.kind == "own" and cell.last_row == r and _uid_lines(cell.text) > 1)
        if stacked and len(_unstack([x.text if x else "" for x in row])) == 1:
            segs = segs if segs is not None else segments(textpage, height)
            rows = _reread_rows(textpage, height, segs, xs, ys[r], ys[r + 1])
            if rows:
                restack[id(row)] = rows
    return _grid_rows(grid, top=ys[0], restack=restack)


@dataclass
class _Cell:
    text: str
    kind: str  # "own" (top-left of its cell), "down" (row span: same as above), "right" (column span)
    last_row: int  # the last grid row the cell covers


def _find(parent: list[int], i: int) -> int:
    """Union-find root of ``i`` (with path halving)."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _lattice(hs: list[Edge], vs: list[Edge], tol: float) -> list[Box]:
    """The closed cells of one group of rules, or [] when they do not tile a table."""
    xs = _coords([v["x0"] for v in vs])
    ys = _coords([h["top"] for h in hs])
    if len(xs) < 2 or len(ys) < 2:
        return []
    v_at: dict[int, list[Edge]] = {}
    for v in vs:
        v_at.setdefault(_index(xs, v["x0"]), []).append(v)
    h_at: dict[int, list[Edge]] = {}
    for h in hs:
        h_at.setdefault(_index(ys, h["top"]), []).append(h)

    def v_rule(c: int, r: int) -> bool:  # a rule at xs[c] between ys[r] and ys[r + 1]
        return any(v["top"] <= ys[r] + tol and v["bottom"] >= ys[r + 1] - tol for v in v_at.get(c, ()))

    def h_rule(r: int, c: int) -> bool:  # a rule at ys[r] between xs[c] and xs[c + 1]
        return any(h["x0"] <= xs[c] + tol and h["x1"] >= xs[c + 1] - tol for h in h_at.get(r, ()))

    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))
    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not v_rule(c + 1, r):
                parent[_find(parent, r * nc + c)] = _find(parent, r * nc + c + 1)
            if r + 1 < nr and not h_rule(r + 1, c):
                parent[_find(parent, r * nc + c)] = _find(parent, (r + 1) * nc + c)
    boxes: dict[int, list[int]] = {}
    sizes: Counter[int] = Counter()
    for r in range(nr):
        for c in range(nc):
            root = _find(parent, r * nc + c)
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
    """Sorted positions, those within a point of the previous one dropped."""
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


def _uid_lines(text: str) -> int:
    return sum(bool(UID.match(x)) for x in text.splitlines())


def _reread_rows(
    textpage: pdfium.PdfTextPage, height: float, segs: list[Seg], xs: list[float], top: float, bottom: float
) -> list[list[str]] | None:
    """The table rows inside one ruled band: runs cut at the column rules, rows by key column."""
    pieces: list[Seg] = []
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
                    norm_text(bounded_text(textpage, a, height - s.bottom, b, height - s.top)).split()
                )
            )
            if text:
                pieces.append(Seg(text, a, b, s.top, s.bottom, s.size, s.bold))
    lines = text_lines(pieces, walls=xs)
    if len(lines) < 2:
        return None
    table = text_table([], lines, [], cols=xs[:-1])
    if table is None or len(table.rows) < 2:
        return None
    width = len(xs) - 1
    return [r + [""] * (width - len(r)) for r in table.rows if len(r) <= width]


def _grid_rows(
    grid: list[list[_Cell | None]], top: float, restack: dict[int, list[list[str]]]
) -> PTable | None:
    """Grid cells to rows: a spanning title split off, header rows merged, stacked rows split."""
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
        r for r, row in enumerate(grid) if any(c and c.kind != "right" and UID.search(c.text) for c in row)
    ]
    first_texts = [c.text for c in grid[0] if c and c.text]
    header_n = 0
    if any(HEADER_WORD.search(t) for t in first_texts) and not any(UID.search(t) for t in first_texts):
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
        if id(row) in restack:
            rows.extend(restack[id(row)])
        else:
            rows.extend(_unstack([c.text if c and c.kind != "right" else "" for c in row]))
    rows = drop_empty(rows)
    if not rows or (header_n and len(rows) == 1):
        return None
    if header_n:
        name_spanned_columns(rows)
    return PTable(top=top, rows=rows, header=bool(header_n), title=title)


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
    if n < 2 or not any(len(c) == n and all(UID.fullmatch(x.strip()) for x in c) for c in cells):
        return [row]
    return [[c[k] if c else "" for c in cells] for k in range(n)]
