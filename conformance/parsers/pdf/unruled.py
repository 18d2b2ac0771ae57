"""Tables from text positions: ruled only horizontally, or not at all.

The columns come from where the rows' runs start, the header words are mapped onto
them, and rows come from the horizontal rules or, without rules, from the lines that
fill the key (UID) column.
"""

from __future__ import annotations

import re
from collections import Counter

from conformance.parsers.pdf.headings import CAPTION, numbered_heading
from conformance.parsers.pdf.model import PTable, Seg, TLine
from conformance.parsers.pdf.tables import HEADER_WORD, drop_empty, name_spanned_columns
from conformance.parsers.pdf.textlines import REVIEW_COMMENT, TS_WORD, UID, join_split_uids


def text_lines(segs: list[Seg], walls: list[float] | None = None) -> list[TLine]:
    """Runs into lines (vertical overlap), each line's runs left to right, gaps merged.

    Runs are not merged across ``walls`` (column rules).
    """
    lines: list[list[Seg]] = []
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
        merged: list[Seg] = []
        for s in line:
            size = max(s.bottom - s.top, 4.0)
            walled = bool(merged) and any(merged[-1].x1 - 2 <= w <= s.x0 + 2 for w in walls or ())
            if merged and not walled and s.x0 - merged[-1].x1 < 0.6 * size:  # same phrase, new font
                m = merged[-1]
                merged[-1] = Seg(
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
        out.append(TLine(merged))
    return out


def find_text_tables(lines: list[TLine], rules: list[float]) -> list[tuple[int, int, PTable]]:
    """Unruled tables among a page's lines: (first line, end line, table) spans.

    A table starts at a header line (two or more runs naming columns) followed by a UID
    line, or, at the top of a page, at UID lines in two or more columns: the rest of a
    table from the page before, which the document pass then joins to it.
    """
    found: list[tuple[int, int, PTable]] = []
    i = 0
    while i < len(lines):
        header: list[TLine] = []
        start = i
        if _is_header_line(lines[i]):
            header = [lines[i]]
            j = i + 1
            parted = False  # the header ended at a change of font or a gap, not at a UID
            while j < len(lines) and len(header) < 3 and not UID.search(lines[j].text):
                if len(lines[j].text) > 60 or numbered_heading(lines[j].text)[0]:
                    break
                if _parted(header[-1], lines[j]):
                    parted = True
                    break
                header.append(lines[j])
                j += 1
            # the first data row follows; its name may wrap before its UID (2 lines at most)
            ahead = lines[j : j + 3] if parted else lines[j : j + 1]
            if (
                not any(UID.search(ln.text) for ln in ahead)
                and not _names_context(header, lines[j : j + 3])
                and not _marks_table(header, lines[j : j + 3])
            ):
                i += 1
                continue
        elif i <= 3 and not found and _continued_rows(lines[i : i + 3]):
            j = i  # a table continued from the previous page without its header
        else:
            i += 1
            continue
        body_start = j
        width = max(s.x1 for ln in lines[body_start : body_start + 5] for s in ln.segs) - min(
            s.x0 for ln in lines[body_start : body_start + 5] for s in ln.segs
        )
        # (a row broken by the page may leave its last syntaxes, right of the first column, on top)
        left = min(
            s.x0 for ln in [*header, *lines[body_start : body_start + (1 if header else 3)]] for s in ln.segs
        )
        gaps: list[float] = []
        while j < len(lines):
            ln = lines[j]
            if REVIEW_COMMENT.match(ln.text):
                j += 1  # a review comment printed between two rows: not the table's end
                continue
            if j > body_start and (
                _is_header_line(ln)
                or numbered_heading(ln.text)[0]
                # "Table 5.2-3" wrapped inside a cell ("All SOP Classes of / Table 5.2-3") is no caption
                or (CAPTION.match(ln.text) and not _wrapped(lines[j - 1], ln))
            ):
                break
            if not UID.search(ln.text) and len(ln.segs) == 1 and ln.segs[0].x1 - ln.segs[0].x0 > 0.6 * width:
                break  # a prose line across the table's columns
            if not UID.search(ln.text) and ln.segs[0].x0 < left - 8:
                break  # a line starting left of the table's first column is text after it
            if j > body_start and not REVIEW_COMMENT.match(lines[j - 1].text):
                # a gap much wider than the table's own row spacing ends it
                gap, height = ln.top - lines[j - 1].bottom, max(ln.bottom - ln.top, 6)
                if gap > (max(3 * height, 1.8 * max(gaps)) if gaps else 6 * height):
                    break
                gaps.append(gap)
            j += 1
        table = text_table(
            header, [ln for ln in lines[body_start:j] if not REVIEW_COMMENT.match(ln.text)], rules
        )
        if table is None:
            i = start + 1
            continue
        found.append((start, j, table))
        i = max(j, start + 1)
    return found


def text_table(
    header: list[TLine], body: list[TLine], rules: list[float], cols: list[float] | None = None
) -> PTable | None:
    """The table of ``body`` lines under ``header`` lines; columns found unless given."""
    # rules that separate body lines (a rule under the header touches the first line only)
    inner = sorted(y for y in rules if body[0].bottom < y < body[-1].top)
    if inner and len(body) > 3 and inner[-1] < body[2].top:
        # one rule under the top lines and none below: the lines above it are the header's second
        # line ("Name | UID | Name List"), the rows below are set apart by their text alone
        cut = next(k for k, ln in enumerate(body) if ln.top > inner[-1])
        header, body, inner = [*header, *body[:cut]], body[cut:], []
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
    uid_cols = Counter(_col_of(cols, s.x0) for ln in body for s in ln.segs if UID.search(s.text))
    # (a long name run together with its UID puts a stray UID in the name column: not the key)
    key = min((c for c, n in uid_cols.items() if 2 * n >= max(uid_cols.values())), default=0)
    # a column filled on a row's first line only (Role, Extended Negotiation), for rows named without UIDs
    first_line = [i for i, h in enumerate(head) if i != key and _FIRST_LINE_HEAD.search(h)]
    # an overview of Yes/No marks names a class (or a service heading) on each line that fills the
    # key column; a name wrapped over two lines is joined again when the table is read
    marks = (
        not uid_cols.get(key)
        and bool(_MARKS_HEAD.search(" ".join(head)))
        and not any("transfer" in h.lower() for h in head)
    )
    groups: list[list[TLine]] = []
    last_slot = -1
    prev_key = False  # the line above had text in the key column
    for ln in body:
        has_key = any(_col_of(cols, s.x0) == key for s in ln.segs)
        if inner:  # horizontal rules separate the rows
            slot = sum(1 for y in inner if y <= (ln.top + ln.bottom) / 2)
            starts_row = slot != last_slot
            last_slot = slot
        else:  # no rules: a row starts at a line that fills the key column once the row above has
            # its UID there (a name wrapped over lines, then its UID, stay one cell), or once the key
            # cell above has ended (lines without key text came between), or, in a table that names
            # its classes without UIDs, at a key line that also fills a first-line column (its Role)
            starts_row = has_key and (
                not groups
                or marks
                or not prev_key
                or any(UID.search(s.text) for g in groups[-1] for s in g.segs if _col_of(cols, s.x0) == key)
                or (
                    not uid_cols.get(key)
                    and bool(first_line)
                    and any(_col_of(cols, s.x0) in first_line for s in ln.segs)
                )
            )
        prev_key = has_key
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
        name_spanned_columns(rows)
    return PTable(top=(header or body)[0].top, rows=drop_empty(rows), header=has_header)


_FIRST_LINE_HEAD = re.compile(r"\brole\b|negotiation|\bscu\b|\bscp\b", re.I)
_CONTEXT_HEAD = re.compile(r"abstract|sop|\bclass", re.I)


def _names_context(header: list[TLine], first: list[TLine]) -> bool:
    """A presentation-context table that names its classes and syntaxes without UIDs (pre-2008
    layouts): an Abstract Syntax and a Transfer Syntax column, and a syntax named right of the
    first column in the first lines (on a page the table runs on to, a row's last syntaxes may
    come first, alone on their lines)."""
    head = " ".join(ln.text for ln in header)
    if not re.search(r"transfer", head, re.I) or not _CONTEXT_HEAD.search(head):
        return False
    left = min(s.x0 for ln in header for s in ln.segs)
    return any(TS_WORD.search(s.text) and s.x0 > left + 20 for ln in first for s in ln.segs)


_MARK = re.compile(r"^(?:yes|no|x|✓|✔|-|—|n/a|option(?:al)?)$", re.I)
_MARKS_HEAD = re.compile(r"\bscu\b|\bscp\b|user of|provider of", re.I)


def _marks_table(header: list[TLine], first: list[TLine]) -> bool:
    """A PS3.2 "Network Services" overview: SOP classes named without UIDs under service headings,
    with Yes/No marks under "User of Service (SCU)" / "Provider of Service (SCP)"."""
    if not _MARKS_HEAD.search(" ".join(ln.text for ln in header)):
        return False
    return any(len(ln.segs) >= 2 and any(_MARK.match(s.text.strip()) for s in ln.segs[1:]) for ln in first)


def _continued_rows(lines: list[TLine]) -> bool:
    """Rows of a table continued from the page before, without its header: UID lines in two or
    more columns, or lines naming syntaxes right of the first column; the last syntaxes of the
    row broken by the page may come first, alone on their lines."""
    for k, ln in enumerate(lines):
        if len(ln.segs) >= 2:
            return bool(UID.search(ln.text)) or any(TS_WORD.search(s.text) for s in ln.segs[1:])
        if k == 0 and UID.search(ln.text):
            return False  # a UID alone at the top of a page is text, as before
        if not TS_WORD.search(ln.text) or (k and ln.segs[0].x0 != lines[0].segs[0].x0):
            return False
    return False


def _wrapped(above: TLine, line: TLine) -> bool:
    """Whether ``line`` sits at the line spacing under ``above`` (the same cell wrapped), not after a gap."""
    return line.top - above.bottom <= 0.9 * max(above.bottom - above.top, 4.0)


def _is_header_line(line: TLine) -> bool:
    return (
        len(line.segs) >= 2
        and not UID.search(line.text)
        and sum(1 for s in line.segs if HEADER_WORD.search(s.text)) >= 2
    )


def _parted(above: TLine, line: TLine) -> bool:
    """Whether ``line`` starts a new band under header line ``above``: bold to regular, or a gap.

    A header wrapped inside its cells is set in one font with line spacing only; the first
    data row below it changes font (bold header, regular data) or sits below the cell
    padding, a gap wider than the spacing between the wrapped lines of one cell.
    """
    if all(s.bold for s in above.segs) and not any(s.bold for s in line.segs):
        return True
    return line.top - above.bottom > 0.9 * max(above.bottom - above.top, 4.0)


def _columns_from(lines: list[TLine], header: list[TLine] | None = None) -> list[float]:
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
    # a headerless remnant of a table (its last rows, on a new page) may be a single row; rows
    # whose syntaxes are stacked one per line fill the other columns on their first line only
    multi = sum(1 for ln in lines if len(ln.segs) >= 2)
    need = max(2, min(len(lines) // 4, multi // 2)) if header or (len(lines) >= 4 and multi >= 4) else 1
    return [min(c) for c in clusters if len(c) >= need or any(abs(h - min(c)) <= 4 for h in heads)]


def _col_of(cols: list[float], x: float) -> int:
    """The column a run starting at ``x`` falls in (a little left of a start still counts)."""
    idx = 0
    for i, start in enumerate(cols):
        if x >= start - 4:
            idx = i
    return idx
