"""Plain text, Markdown, reStructuredText and HTML statements into a Document.

The readers keep what the extractor needs to read a statement the way a person does:
headings with their depth (so that "as an SCP" said in a section covers its
subsections), tables as rows of cells with their captions and the names other text
cites them by ("see Table 11", RST ``:name:`` / ``.. _label:``), and prose joined into
paragraphs so that a sentence broken over two lines still reads as one.
"""

from __future__ import annotations

import csv
import html
import itertools
import logging
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from conformance.document import Document, Line, Table
from conformance.errors import StatementError
from conformance.fileio import BinaryDataError, decode_text

LOGGER = logging.getLogger(__name__)

MAX_TEXT_BYTES = 20 * 1024 * 1024

_KIND_BY_SUFFIX = {".md": "markdown", ".markdown": "markdown", ".rst": "rst", ".html": "html", ".htm": "html"}
_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_RST_ADORN = re.compile(r"^([=\-~^\"'`#*+_:.])\1{2,}\s*$")
_RST_GRID_BORDER = re.compile(r"^\s*\+[-=+]+\+\s*$")
_RST_SIMPLE_BORDER = re.compile(r"^\s*=+(\s+=+)+\s*$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_NUMBERED_HEADING = re.compile(r"^\s*((?:\d+(?:\.\d+)*\.?|[A-Z](?:\.\d+)+))\s+([A-Z][^|]{2,120})$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_DIRECTIVE = re.compile(r"^(\s*)\.\.\s+([\w:-]+)::\s*(.*)$")
_FILE_MARK = re.compile(r"^\.\.\s+file:\s*(\S+)\s*$")
_LABEL = re.compile(r"^\s*\.\.\s+_([^:]+):\s*$")
_SUBST = re.compile(r"(?<![\w|])\|([A-Za-z][\w -]*?)\|(?![\w|])")
_TABLE_CAPTION = re.compile(r"^\s*Table\s*:\s*(.*)$", re.I)
# "Label: value", also set in bold or italics ("**Label:** value", "**Label**: value")
_FIELD = re.compile(r"^(?:\*\*|__|\*|_)?[A-ZÀ-Þ][\w /()\-]{2,60}(?:\*\*|__|\*|_)?:(?:\*\*|__|\*|_)?\s+\S")
_RUN = re.compile(r"\S+(?: \S+)*")  # text between gaps of two or more spaces
_UID_TOKEN = re.compile(r"(?<!\S)[0-2](?:\.\d+){3,}\.?(?!\S)")


def read_text(path: Path) -> Document:
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise StatementError(str(path), f"text statement too large ({size // 2**20} MB > 20 MB)")
    data = path.read_bytes()
    try:
        text, warnings = decode_text(data)
    except BinaryDataError:
        raise StatementError(str(path), "binary data, not a text statement") from None
    kind = _KIND_BY_SUFFIX.get(path.suffix.lower(), "text")
    if kind == "html":
        doc = _html_document(text, path.name)
    else:
        doc = Document(path=path.name, kind=kind, blocks=_Reader(text.splitlines(), kind).read())
    doc.warnings.extend(warnings)
    return doc


# ------------------------------------------------------------------ inline markup
def _strip_inline(text: str) -> str:
    """Drop Markdown/RST inline markup but keep the words (and the target of a :ref:)."""
    text = re.sub(
        r":(?:ref|doc|numref|term|dcm|gh|mod|class|func)?:`([^`<]*?)\s*(?:<([^>]*)>)?`", _role_text, text
    )
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)  # Markdown cells break lines with <br>
    text = re.sub(r"\[#?[\w-]*\]_", "", text)  # RST footnote references
    text = re.sub(r"`([^`<]+?)\s*<[^>]+>`_+", r"\1", text)  # RST hyperlinks
    text = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: m.group(1) or m.group(2), text)
    text = re.sub(r"``(.+?)``|`(.+?)`", lambda m: m.group(1) or m.group(2), text)
    text = re.sub(r"(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # Markdown links
    if "&" in text and ";" in text:  # entities Word/pandoc exports leave in Markdown ("CT&nbsp;Image")
        text = html.unescape(text).replace("\u00a0", " ").replace("\u2011", "-")
    return text.replace("\\|", "|")


def _role_text(m: re.Match[str]) -> str:
    label, target = m.group(1).strip(), m.group(2)
    return label or (target or "")


def _split_pipe_row(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return [_strip_inline(c.strip()) for c in re.split(r"(?<!\\)\|", s)]


# ------------------------------------------------------------------ the reader
class _Reader:
    """One pass over the lines of a text, Markdown or RST statement."""

    def __init__(self, lines: list[str], kind: str) -> None:
        self.lines = [ln.replace("\t", "    ") for ln in lines]
        if kind == "rst":  # |substitution| references read as their name, not as table cells
            self.lines = [
                ln if ln.lstrip().startswith(("|", "+")) else _SUBST.sub(r"\1", ln) for ln in self.lines
            ]
        self.kind = kind
        self.blocks: list[Line | Table] = []
        self.adornments: list[tuple[str, bool]] = []  # RST heading styles in order of first use
        self.level = 0  # depth of the last heading
        self.pending_names: list[str] = []
        self.pending_caption = ""
        self.last_heading = ""
        self.current_file = ""
        self.files = self._embedded_files() if kind == "rst" else {}
        self.consumed_files: set[str] = set()

    # -- helpers -------------------------------------------------------------------
    def _embedded_files(self) -> dict[str, list[str]]:
        """Files concatenated into one RST text after ``.. file: path`` markers (CSV includes)."""
        files: dict[str, list[str]] = {}
        current = None
        for ln in self.lines:
            m = _FILE_MARK.match(ln)
            if m:
                current = m.group(1)
                files[current] = []
            elif current is not None:
                files[current].append(ln)
        return files

    def _heading(self, text: str, level: int, lineno: int) -> None:
        text = _strip_inline(text.strip()).strip()
        if not text:
            return
        self.level = level
        self.last_heading = text
        self.blocks.append(Line(text, line=lineno, heading=True, level=level))

    def _table(self, rows: list[list[str]], row_lines: list[int | None], caption: str = "") -> None:
        rows = [r for r in rows if any(c.strip() for c in r)]
        if not rows:
            return
        names = self.pending_names
        caption = caption or self.pending_caption or self.last_heading
        self.pending_names, self.pending_caption = [], ""
        self.blocks.append(
            Table(
                rows,
                line=row_lines[0] if row_lines else None,
                row_lines=row_lines,
                caption=caption,
                names=names,
            )
        )

    def _adornment(self, text: str) -> bool:
        """A title's over- or underline. Markdown underlines with '=' or '-' only: a heading
        right above a code fence ('```') is not a title underlined with backticks."""
        return bool(_RST_ADORN.match(text)) and (self.kind != "markdown" or text[0] in "=-")

    def _rst_level(self, char: str, over: bool) -> int:
        style = (char, over)
        if style not in self.adornments:
            self.adornments.append(style)
        return self.adornments.index(style) + 1

    # -- main loop -----------------------------------------------------------------
    def read(self) -> list[Line | Table]:
        lines, n = self.lines, len(self.lines)
        i = 0
        while i < n:
            raw = lines[i]
            s = raw.strip()
            if not s:
                i += 1
                continue
            m = _FILE_MARK.match(raw)
            if m:
                self.current_file = m.group(1)
                i += 1
                if m.group(1) in self.consumed_files:  # CSV already shown where it was included
                    while i < n and not _FILE_MARK.match(lines[i]):
                        i += 1
                continue
            nxt = self._step(i)
            i = max(nxt, i + 1)
        return self.blocks

    def _step(self, i: int) -> int:
        lines, n, kind = self.lines, len(self.lines), self.kind
        raw = lines[i]
        s = raw.strip()
        # fenced code (Markdown): diagrams and examples, not statements
        if s.startswith("```") or s.startswith("~~~"):
            fence = s[:3]
            i += 1
            while i < n and not lines[i].strip().startswith(fence):
                if lines[i].strip():
                    self.blocks.append(Line(lines[i].strip(), line=i + 1, literal=True))
                i += 1
            return i + 1
        if kind == "rst":
            m = _LABEL.match(raw)
            if m:
                self.pending_names.append(m.group(1).strip())
                return i + 1
            m = _DIRECTIVE.match(raw)
            if m:
                return self._directive(i, m)
            if s.startswith(".. "):  # comment
                return self._skip_indented(i + 1, len(raw) - len(raw.lstrip()))
        # RST section titles: overline + title + underline, or title + underline
        if (
            self._adornment(s)
            and i + 2 < n
            and lines[i + 1].strip()
            and _RST_ADORN.match(lines[i + 2].strip())
            and lines[i + 2].strip()[0] == s[0]
            and not _RST_ADORN.match(lines[i + 1].strip())
        ):
            self._heading(lines[i + 1], self._rst_level(s[0], True), i + 2)
            return i + 3
        if (
            i + 1 < n
            and self._adornment(lines[i + 1].strip())
            and not _RST_ADORN.match(s)
            # a Markdown heading is no RST title ("## 2.1 Flow" over "---"); a fence is no underline
            # either (``_adornment``)
            and not (kind in {"markdown", "text"} and _MD_HEADING.match(s))
            and len(s) < 160
            and len(lines[i + 1].strip()) >= min(len(s), 3)
            and "|" not in s
            and not _RST_GRID_BORDER.match(lines[i + 1].strip())
        ):
            self._heading(s, self._rst_level(lines[i + 1].strip()[0], False), i + 1)
            return i + 2
        if _RST_ADORN.match(s) and not _RST_GRID_BORDER.match(s) and not _RST_SIMPLE_BORDER.match(s):
            return i + 1  # a stray rule ("---" in Markdown)
        m = _MD_HEADING.match(s)
        if m and kind in {"markdown", "text"}:
            self._heading(m.group(2), len(m.group(1)), i + 1)
            return i + 1
        m = _TABLE_CAPTION.match(s)
        if m:
            self.pending_caption = m.group(1).strip() or self.last_heading
            return i + 1
        if _RST_GRID_BORDER.match(s):
            return self._grid_table(i)
        if _RST_SIMPLE_BORDER.match(s) and kind in {"rst", "text"}:
            j = self._simple_table(i)
            if j is not None:
                return j
        if "|" in s and self._is_pipe_row(s):
            return self._pipe_table(i)
        if kind == "text":
            j = self._aligned_table(i)
            if j is not None:
                return j
        if kind == "rst" and s.endswith("::") and not s.startswith(".."):
            # a literal block follows: keep the paragraph ("Paragraph::" reads "Paragraph:")
            text = _literal_intro(s)
            if text:
                self.blocks.append(Line(_strip_inline(text), line=i + 1))
            return self._literal_block(i + 1, len(raw) - len(raw.lstrip()))
        return self._paragraph(i)

    def _literal_block(self, i: int, indent: int) -> int:
        """The RST literal block after a '::' paragraph: the lines indented deeper than it, one
        literal line each (a console session, a debug log, a configuration file)."""
        lines, n = self.lines, len(self.lines)
        first = i
        while first < n and not lines[first].strip():
            first += 1
        if first >= n or len(lines[first]) - len(lines[first].lstrip()) <= indent:
            return i  # no indented block: the paragraph only ended in '::'
        end = self._skip_indented(first, indent)
        for k in range(first, end):
            if lines[k].strip():
                self.blocks.append(Line(lines[k].strip(), line=k + 1, literal=True))
        return end

    # -- prose -----------------------------------------------------------------------
    def _paragraph(self, i: int) -> int:
        lines, n = self.lines, len(self.lines)
        start = i
        s = lines[i].strip()
        m = _NUMBERED_HEADING.match(s)
        if m and not s.endswith((".", ",", ";")) and len(s) < 130 and self._alone(i):
            depth = m.group(1).rstrip(".").count(".") + 1
            self._heading(s, depth, i + 1)
            return i + 1
        if re.fullmatch(r"\*\*[^*]{3,100}\*\*:?", s) and self._alone(i):
            self._heading(s.strip("*: "), self.level + 1, i + 1)
            return i + 1
        if self._pseudo_heading(i):
            self._heading(s, self.level + 1, i + 1)
            self.level -= 1  # siblings of one another, children of the real heading
            return i + 1
        parts = [s]
        indent = len(lines[i]) - len(lines[i].lstrip())
        i += 1
        while i < n:
            t = lines[i].strip()
            if not t or ("|" in t and self._is_pipe_row(t)):
                break
            if _RST_GRID_BORDER.match(t) or _RST_ADORN.match(t):
                break
            if _LIST_ITEM.match(lines[i]) or _MD_HEADING.match(t) or t.startswith((".. ", "```", ">")):
                break
            if i + 1 < n and _RST_ADORN.match(lines[i + 1].strip()) and len(lines[i + 1].strip()) >= len(t):
                break
            if _TABLE_CAPTION.match(t):
                break
            this_indent = len(lines[i]) - len(lines[i].lstrip())
            if _LIST_ITEM.match(lines[start]) and this_indent <= indent:
                break
            if _FIELD.match(t) and _FIELD.match(lines[i - 1].strip()):
                break  # "Label: value" lines are records, one each, not a wrapped sentence
            parts.append(t)
            i += 1
        if self.kind == "rst" and parts[-1].endswith("::"):
            parts[-1] = _literal_intro(parts[-1])
            text = _strip_inline(" ".join(parts)).strip()
            if text:
                self.blocks.append(Line(text, line=start + 1))
            return self._literal_block(i, indent)
        text = _strip_inline(" ".join(parts)).lstrip("> ").strip()
        if text:
            self.blocks.append(Line(text, line=start + 1))
        return i

    def _alone(self, i: int) -> bool:
        before = i == 0 or not self.lines[i - 1].strip()
        after = i + 1 >= len(self.lines) or not self.lines[i + 1].strip()
        return before and after

    def _pseudo_heading(self, i: int) -> bool:
        """A short title-like line standing alone ("Number of Associations", "General")."""
        s = self.lines[i].strip()
        if not self._alone(i) or len(s) > 90 or len(s) < 2 or s.endswith((".", ",", ";", ":", "!", "?")):
            return False
        if not s[0].isupper() or "|" in s or _LIST_ITEM.match(s) or len(s.split()) > 12:
            return False
        return self.kind != "rst" or not self.lines[i].startswith(" ")

    def _skip_indented(self, i: int, indent: int) -> int:
        n = len(self.lines)
        while i < n:
            ln = self.lines[i]
            if ln.strip() and len(ln) - len(ln.lstrip()) <= indent:
                break
            i += 1
        return i

    # -- pipe tables (Markdown, "a | b" text tables) ------------------------------------
    @staticmethod
    def _is_pipe_row(s: str) -> bool:
        if s.startswith("|") or _MD_SEPARATOR.match(s):
            return True
        return bool(re.search(r"\S\s*\|\s*\S|\S\s+\|\s*$", s)) and not re.match(r"^\.\.|^:", s)

    def _pipe_table(self, i: int) -> int:
        lines, n = self.lines, len(self.lines)
        rows: list[list[str]] = []
        row_lines: list[int | None] = []
        while i < n:
            s = lines[i].strip()
            if not s or "|" not in s or _RST_GRID_BORDER.match(s):
                break
            if not _MD_SEPARATOR.match(s):
                rows.append(_split_pipe_row(s))
                row_lines.append(i + 1)
            i += 1
        self._table(rows, row_lines)
        return i

    # -- space-aligned columns (text exported from PDF, old GE/Siemens text statements) ---------
    def _aligned_table(self, i: int) -> int | None:
        """Columns set apart by runs of spaces, as text exports of PDF tables come.

        Read as a table only when it is one: two or more lines of several cells with a UID
        among them (or mostly three or more cells). A line indented under the data columns
        continues the row above (more transfer syntaxes for the same SOP class); each cell
        goes to the column whose start is nearest, so two-line headers and ragged cells land
        in the right column.
        """
        lines, n = self.lines, len(self.lines)
        block: list[tuple[int, list[tuple[int, str]]]] = []
        j = i
        while j < n and lines[j].strip():
            raw = lines[j]
            if "|" in raw or _RST_GRID_BORDER.match(raw.strip()) or _MD_HEADING.match(raw.strip()):
                break
            cells = _aligned_cells(raw)
            indent = len(raw) - len(raw.lstrip())
            # a service heading alone on its line between rows ("Query/Retrieve") stays in the table
            label = (
                len(cells) == 1
                and bool(block)
                and len(block[-1][1]) >= 2
                and len(cells[0][1]) <= 60
                and j + 1 < n
                and len(_aligned_cells(lines[j + 1])) >= 2
            )
            if len(cells) < 2 and not (block and indent >= 8) and not label:
                break
            block.append((j, cells))
            j += 1
        multi = [cells for _, cells in block if len(cells) >= 2]
        with_uid = [cells for cells in multi if any(_UID_TOKEN.fullmatch(t) for _, t in cells)]
        if len(block) < 2 or len(multi) < 2:
            return None
        if not with_uid and sum(len(c) >= 3 for c in multi) * 2 < len(multi):
            return None
        if any(len(t.split()) >= 6 and t.endswith(".") for cells in multi for _, t in cells[:-1]):
            return None  # sentences set apart by two spaces ("... storage.  It accepts ..."): prose
        widest = max(with_uid or multi, key=len)
        anchors = [start for start, _ in widest]
        rows: list[list[str]] = []
        row_lines: list[int | None] = []
        for lineno, cells in block:
            row = [""] * len(anchors)
            for start, text in cells:
                col = min(range(len(anchors)), key=lambda k: (abs(anchors[k] - start), k))
                row[col] = f"{row[col]} {text}".strip()
            rows.append(row)
            row_lines.append(lineno + 1)
        self._table(rows, row_lines)
        return j

    # -- RST tables ----------------------------------------------------------------------
    def _grid_table(self, i: int) -> int:
        """RST grid table, spans included: a spanning cell's text fills every column it covers."""
        lines, n = self.lines, len(self.lines)
        indent = len(lines[i]) - len(lines[i].lstrip())
        block: list[tuple[int, str]] = []
        while i < n:
            s = lines[i][indent:].rstrip()
            if not s or s[0] not in "+|":
                break
            block.append((i, s))
            i += 1
        cuts = sorted({k for _, s in block for k, ch in enumerate(s) if ch == "+"})
        ncols = max(len(cuts) - 1, 1)
        rows: list[list[str]] = []
        row_lines: list[int | None] = []
        current: list[list[str]] | None = None
        current_line: int | None = None

        def flush() -> None:
            nonlocal current
            if current is not None and any(current):
                rows.append([" ".join(" ".join(parts).split()) for parts in current])
                row_lines.append(current_line)
            current = None

        for lineno, s in block:
            if _RST_GRID_BORDER.match(s):
                flush()
                continue
            partial = "+-" in s or "-+" in s or "+=" in s
            if partial:
                flush()
                continue
            if current is None:
                current = [[] for _ in range(ncols)]
                current_line = lineno + 1
            bars = [k for k, ch in enumerate(s) if ch == "|" and k in cuts]
            for a, b in itertools.pairwise(bars):
                text = re.sub(r"^\|\s+", "", s[a + 1 : b].strip())  # RST line-block marker inside a cell
                if not text:
                    continue
                first, last = cuts.index(a), cuts.index(b)
                for c in range(first, min(last, ncols)):
                    current[c].append(_strip_inline(text))
        flush()
        self._table(rows, row_lines)
        return i

    def _simple_table(self, i: int) -> int | None:
        """RST simple table: columns from the '=== ===' border; ends at the third border."""
        lines = self.lines
        border = lines[i]
        spans = [(m.start(), m.end()) for m in re.finditer(r"=+", border)]
        rows: list[list[str]] = []
        row_lines: list[int | None] = []
        borders = 1
        j = i + 1
        while j < len(lines) and borders < 3:
            s = lines[j]
            if _RST_SIMPLE_BORDER.match(s.strip()):
                borders += 1
                j += 1
                if borders == 2 and (j >= len(lines) or not lines[j].strip()):
                    break
                continue
            if not s.strip():
                j += 1
                continue
            cells = []
            for k, (a, _b) in enumerate(spans):
                end = spans[k + 1][0] if k + 1 < len(spans) else len(s)
                cells.append(_strip_inline(s[a:end].strip()))
            if cells and cells[0] == "" and rows:
                rows[-1] = [f"{p} {c}".strip() for p, c in zip(rows[-1], cells, strict=False)]
            else:
                rows.append(cells)
                row_lines.append(j + 1)
            j += 1
        if not rows:
            return None
        self._table(rows, row_lines)
        return j

    def _directive(self, i: int, m: re.Match[str]) -> int:
        lines, n = self.lines, len(self.lines)
        indent, name, arg = len(m.group(1)), m.group(2).lower(), m.group(3).strip()
        j = i + 1
        options: dict[str, str] = {}
        while j < n and re.match(r"^\s+:[\w-]+:", lines[j]):
            om = re.match(r"^\s+:([\w-]+):\s*(.*)$", lines[j])
            if om:
                options[om.group(1)] = om.group(2).strip()
            j += 1
        end = self._skip_indented(j, indent)
        body = lines[j:end]
        caption = _strip_inline(arg)
        if "name" in options:
            self.pending_names.append(options["name"])
        if name == "csv-table":
            rows: list[list[str]] = []
            row_lines: list[int | None] = []
            if "header" in options:
                rows.append(_csv_rows([options["header"]])[0])
                row_lines.append(i + 1)
            src = body
            if "file" in options and self.files:
                path = posixpath.normpath(
                    posixpath.join(posixpath.dirname(self.current_file), options["file"])
                )
                if path in self.files:
                    src = self.files[path]
                    self.consumed_files.add(path)
            for k, row in enumerate(_csv_rows(src)):
                rows.append(row)
                row_lines.append(j + k + 1)
            self._table(rows, row_lines, caption)
            return end
        if name == "list-table":
            self._table(*_list_table(body, j), caption)
            return end
        if name == "table":
            self.pending_caption = caption
            sub = _Reader(body, "rst")
            sub.pending_caption, sub.pending_names = caption or self.last_heading, self.pending_names
            sub.last_heading = self.last_heading
            for block in sub.read():
                if isinstance(block, Table):
                    block.row_lines = [ln + j if ln else ln for ln in block.row_lines]
                    block.line = (block.line or 0) + j
                    block.caption = caption or block.caption
                    self.blocks.append(block)
            self.pending_caption, self.pending_names = "", []
            return end
        if name in {"code-block", "code", "sourcecode"}:
            # examples and configuration files: plain lines, one each (no headings, no tables)
            for k, ln in enumerate(body):
                if ln.strip():
                    self.blocks.append(Line(ln.strip(), line=j + k + 1, literal=True))
            return end
        if name in {"figure", "image", "toctree", "glossary", "highlight"}:
            return end
        if name in {"note", "warning", "important", "tip", "attention", "caution", "admonition", "only"}:
            sub = _Reader(
                [ln[indent + 3 :] if len(ln) > indent + 3 else ln.strip() for ln in body], self.kind
            )
            sub.level, sub.last_heading = self.level, self.last_heading
            for block in sub.read():
                if isinstance(block, Line):
                    block.line = (block.line or 0) + j
                    block.heading = False
                self.blocks.append(block)
            if arg:
                self.blocks.append(Line(_strip_inline(arg), line=i + 1))
            return end
        return end


def _literal_intro(text: str) -> str:
    """The paragraph before an RST literal block, as it reads: 'Run it::' -> 'Run it:', 'Run it ::'
    -> 'Run it', a lone '::' -> ''."""
    body = text[:-2]
    if not body.strip():
        return ""
    return body.rstrip() if body.endswith((" ", "\t")) else body + ":"


def _aligned_cells(line: str) -> list[tuple[int, str]]:
    """(start column, text) of each cell of a space-aligned line; a UID is a cell of its own
    even when a single space sets it apart ("Secondary Capture 1.2.840.10008.5.1.4.1.1.7")."""
    cells: list[tuple[int, str]] = []
    for m in _RUN.finditer(line):
        text, base, pos = m.group(0), m.start(), 0
        for u in _UID_TOKEN.finditer(text):
            before = text[pos : u.start()]
            if before.strip():
                cells.append((base + pos + len(before) - len(before.lstrip()), before.strip()))
            cells.append((base + u.start(), u.group(0)))
            pos = u.end()
        rest = text[pos:]
        if rest.strip():
            cells.append((base + pos + len(rest) - len(rest.lstrip()), rest.strip()))
    return cells


def _csv_rows(lines: list[str]) -> list[list[str]]:
    text = [ln.strip() for ln in lines if ln.strip()]
    rows = []
    for row in csv.reader(text, skipinitialspace=True):
        rows.append([_strip_inline(c.strip()) for c in row])
    return rows


def _list_table(body: list[str], offset: int) -> tuple[list[list[str]], list[int | None]]:
    rows: list[list[str]] = []
    row_lines: list[int | None] = []
    for k, ln in enumerate(body):
        s = ln.strip()
        m = re.match(r"^\*\s+-\s*(.*)$", s)
        if m:
            rows.append([m.group(1)])
            row_lines.append(offset + k + 1)
            continue
        m = re.match(r"^-\s*(.*)$", s)
        if m and rows:
            rows[-1].append(m.group(1))
        elif s and rows:
            rows[-1][-1] = f"{rows[-1][-1]} {s}".strip()
    return [[_strip_inline(c) for c in r] for r in rows], row_lines


# ------------------------------------------------------------------ HTML
class _HTMLCollector(HTMLParser):
    """Tables as rows of cell text (col- and rowspans repeated), other text as lines, headings with depth."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Line | Table] = []
        self._text: list[str] = []
        self._heading = 0
        self._tables: list[tuple[list[list[str]], list[str]]] = []
        self._cell: list[str] | None = None
        self._span = 1
        self._rowspan = 1
        self._pending: list[dict[int, list[Any]]] = []  # per open table: column -> [rows left, text]
        self._caption: list[str] | None = None
        self._skip = 0
        self._pre = 0  # inside <pre>: its lines are literal
        self._last_heading = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        elif tag == "pre" and self._cell is None and not self._tables:
            self._flush()
            self._pre += 1
        elif tag == "table":
            self._flush()
            self._tables.append(([], []))
            self._pending.append({})
        elif tag == "caption" and self._tables:
            self._caption = []
        elif tag == "tr" and self._tables:
            self._tables[-1][0].append([])
        elif tag in {"td", "th"} and self._tables:
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if str(span).isdigit() and 0 < int(span) < 50 else 1
            rows = dict(attrs).get("rowspan") or "1"
            self._rowspan = int(rows) if str(rows).isdigit() and 0 < int(rows) < 500 else 1
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self._flush()
            self._heading = int(tag[1])
        elif tag in {"br", "p", "div", "li"} and self._cell is not None:
            self._cell.append("\n")  # paragraphs inside a cell (Word exports) are lines of it
        elif tag in {"p", "br", "li", "div", "tr"} and not self._pre:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip = max(0, self._skip - 1)
        elif tag == "pre" and self._pre:
            self._pre -= 1
            if not self._pre:  # example output as it is shown: one literal line per line
                self.blocks.extend(
                    Line(" ".join(ln.split()), literal=True)
                    for ln in "".join(self._text).splitlines()
                    if ln.strip()
                )
                self._text = []
        elif tag == "caption" and self._caption is not None and self._tables:
            self._tables[-1][1].append(" ".join("".join(self._caption).split()))
            self._caption = None
        elif tag in {"td", "th"} and self._cell is not None and self._tables and self._tables[-1][0]:
            text = "\n".join(" ".join(part.split()) for part in "".join(self._cell).split("\n")).strip()
            row = self._tables[-1][0][-1]
            self._fill_spans(row)
            for _ in range(self._span):
                if self._rowspan > 1:
                    self._pending[-1][len(row)] = [self._rowspan - 1, text]
                row.append(text)
            self._cell = None
        elif tag == "tr" and self._tables and self._tables[-1][0]:
            self._fill_spans(self._tables[-1][0][-1], trailing=True)
        elif tag == "table" and self._tables:
            rows, caption = self._tables.pop()
            if self._pending:
                self._pending.pop()
            rows = [r for r in rows if r]
            if rows:
                self.blocks.append(Table(rows, caption=" ".join(caption) or self._last_heading))
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self._flush()
            self._heading = 0
        elif tag in {"p", "li", "div"} and self._cell is not None:
            self._cell.append("\n")
        elif tag in {"p", "li", "div"} and not self._pre:
            self._flush()

    def _fill_spans(self, row: list[str], trailing: bool = False) -> None:
        """Cells a rowspan from a row above still covers: repeat their text (forward fill)."""
        pending = self._pending[-1] if self._pending else {}
        while (len(row) in pending and pending[len(row)][0] > 0) or (
            trailing and any(col >= len(row) and left > 0 for col, (left, _t) in pending.items())
        ):
            col = len(row)
            if col in pending and pending[col][0] > 0:
                pending[col][0] -= 1
                row.append(pending[col][1])
            else:
                row.append("")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._caption is not None:
            self._caption.append(data)
        elif self._cell is not None:
            self._cell.append(data)
        elif not self._tables:
            self._text.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            self.blocks.append(Line(text, heading=bool(self._heading), level=self._heading))
            if self._heading:
                self._last_heading = text
        self._text = []


def _html_document(text: str, name: str) -> Document:
    parser = _HTMLCollector()
    parser.feed(text)
    parser.close()
    parser._flush()
    # number blocks in document order so provenance can point somewhere
    for k, block in enumerate(parser.blocks, start=1):
        block.line = k
        if isinstance(block, Table):
            block.row_lines = [k] * len(block.rows)
    return (
        Document(path=name, kind="html", blocks=parser.blocks, warnings=[])
        if parser.blocks
        else Document(path=name, kind="html", blocks=[Line(html.unescape(text)[:200], line=1)])
    )
