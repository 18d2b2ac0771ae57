"""Plain text, Markdown, reStructuredText and HTML statements into a Document."""

from __future__ import annotations

import html
import logging
import re
from html.parser import HTMLParser
from pathlib import Path

from conformance.document import Document, Line, Table
from conformance.errors import StatementError

LOGGER = logging.getLogger(__name__)

MAX_TEXT_BYTES = 20 * 1024 * 1024

_KIND_BY_SUFFIX = {".md": "markdown", ".markdown": "markdown", ".rst": "rst", ".html": "html", ".htm": "html"}
_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+])\1{2,}\s*$")
_RST_GRID_BORDER = re.compile(r"^\s*\+[-=+]+\+\s*$")
_RST_SIMPLE_BORDER = re.compile(r"^\s*=+(\s+=+)+\s*$")
_NUMBERED_HEADING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[A-Z](?:\.\d+)+)\s+[A-Z][^.|]{2,100}$")


def decode(data: bytes, path: str) -> tuple[str, list[str]]:
    """Text of a statement file; refuses binary data, falls back from UTF-8 to cp1252."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise StatementError(path, "binary data, not a text statement")
    for enc in ("utf-8-sig", "utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",):
        try:
            return data.decode(enc), []
        except UnicodeDecodeError:
            continue
    text = data.decode("cp1252", errors="replace")
    return text, ["not valid UTF-8; read as Windows-1252"]


def read_text(path: Path) -> Document:
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise StatementError(str(path), f"text statement too large ({size // 2**20} MB > 20 MB)")
    data = path.read_bytes()
    text, warnings = decode(data, str(path))
    kind = _KIND_BY_SUFFIX.get(path.suffix.lower(), "text")
    if kind == "html":
        doc = _html_document(text, path.name)
    else:
        doc = Document(path=path.name, kind=kind, blocks=_blocks(text.splitlines(), kind))
    doc.warnings.extend(warnings)
    return doc


def _split_pipe_row(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


def _strip_inline(text: str) -> str:
    text = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: m.group(1) or m.group(2), text)
    text = re.sub(r"``(.+?)``|`(.+?)`", lambda m: m.group(1) or m.group(2), text)
    return text


def _blocks(lines: list[str], kind: str) -> list[Line | Table]:
    blocks: list[Line | Table] = []
    i, n = 0, len(lines)
    last_heading = ""
    while i < n:
        raw = lines[i]
        stripped = raw.strip()
        # Markdown / pipe tables
        if stripped.startswith("|") and stripped.count("|") >= 2 and not _RST_GRID_BORDER.match(stripped):
            rows, row_lines = [], []
            while i < n and lines[i].strip().startswith("|"):
                if not _MD_SEPARATOR.match(lines[i]):
                    rows.append([_strip_inline(c) for c in _split_pipe_row(lines[i])])
                    row_lines.append(i + 1)
                i += 1
            if rows and all(r[0].startswith("|") is False for r in rows):
                pass
            blocks.append(Table(rows, line=row_lines[0], row_lines=row_lines, caption=last_heading))
            continue
        # RST grid tables
        if _RST_GRID_BORDER.match(stripped):
            table, i = _grid_table(lines, i)
            table.caption = last_heading
            blocks.append(table)
            continue
        # RST simple tables
        if kind == "rst" and _RST_SIMPLE_BORDER.match(stripped):
            table, i = _simple_table(lines, i)
            if table is not None:
                table.caption = last_heading
                blocks.append(table)
                continue
        heading = False
        text = stripped
        if kind == "markdown" and stripped.startswith("#"):
            heading, text = True, stripped.lstrip("#").strip()
        elif i + 1 < n and _RST_UNDERLINE.match(lines[i + 1].strip()) and stripped and len(stripped) < 160:
            heading = not _RST_UNDERLINE.match(stripped)
        elif _RST_UNDERLINE.match(stripped):
            i += 1
            continue
        elif _NUMBERED_HEADING.match(stripped):
            heading = True
        elif re.fullmatch(r"\*\*[^*]{3,100}\*\*:?", stripped):
            heading, text = True, stripped.strip("*: ")
        if text:
            text = _strip_inline(text)
            blocks.append(Line(text, line=i + 1, heading=heading))
            if heading:
                last_heading = text
        i += 1
    return blocks


def _grid_table(lines: list[str], i: int) -> tuple[Table, int]:
    """RST grid table: rows between '+---+' borders; cell text joined over its lines."""
    border = lines[i].strip()
    cuts = [k for k, ch in enumerate(border) if ch == "+"]
    indent = len(lines[i]) - len(lines[i].lstrip())
    rows: list[list[str]] = []
    row_lines: list[int | None] = []
    current: list[list[str]] | None = None
    start = i
    i += 1
    while i < len(lines):
        s = lines[i][indent:].rstrip()
        if _RST_GRID_BORDER.match(s):
            if current is not None:
                rows.append([" ".join(" ".join(parts).split()) for parts in current])
            current = None
            i += 1
            continue
        if not s.startswith("|"):
            break
        if current is None:
            current = [[] for _ in range(len(cuts) - 1)]
            row_lines.append(i + 1)
        for c in range(len(cuts) - 1):
            current[c].append(s[cuts[c] + 1 : cuts[c + 1]].strip(" |"))
        i += 1
    if current is not None:
        rows.append([" ".join(" ".join(parts).split()) for parts in current])
    return Table(rows, line=start + 1, row_lines=row_lines), i


def _simple_table(lines: list[str], i: int) -> tuple[Table | None, int]:
    """RST simple table: columns from the '=== ===' border; ends at the third border."""
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
            continue
        if not s.strip():
            j += 1
            continue
        cells = []
        for k, (a, _b) in enumerate(spans):
            end = spans[k + 1][0] if k + 1 < len(spans) else len(s)
            cells.append(_strip_inline(s[a:end].strip()))
        if s[: spans[0][0]].strip() == "" and cells[0] == "" and rows:
            rows[-1] = [f"{p} {c}".strip() for p, c in zip(rows[-1], cells, strict=False)]
        else:
            rows.append(cells)
            row_lines.append(j + 1)
        j += 1
    if not rows:
        return None, i + 1
    return Table(rows, line=i + 1, row_lines=row_lines), j


class _HTMLCollector(HTMLParser):
    """Tables as rows of cell text, everything else as lines; headings flagged."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Line | Table] = []
        self._text: list[str] = []
        self._heading = False
        self._tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        elif tag == "table":
            self._flush()
            self._tables.append([])
        elif tag == "tr" and self._tables:
            self._tables[-1].append([])
        elif tag in {"td", "th"} and self._tables:
            self._cell = []
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self._flush()
            self._heading = True
        elif tag in {"p", "br", "li", "div"}:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip = max(0, self._skip - 1)
        elif tag in {"td", "th"} and self._cell is not None and self._tables and self._tables[-1]:
            self._tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table" and self._tables:
            rows = [r for r in self._tables.pop() if r]
            self.blocks.append(Table(rows))
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self._flush()
            self._heading = False
        elif tag in {"p", "li", "div"}:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif not self._tables:
            self._text.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            self.blocks.append(Line(text, heading=self._heading))
        self._text = []


def _html_document(text: str, name: str) -> Document:
    parser = _HTMLCollector()
    parser.feed(text)
    parser.close()
    parser._flush()
    # number lines in document order so provenance can point somewhere
    for k, block in enumerate(parser.blocks, start=1):
        if isinstance(block, Line):
            block.line = k
        else:
            block.line = k
    return (
        Document(path=name, kind="html", blocks=parser.blocks, warnings=[])
        if parser.blocks
        else Document(path=name, kind="html", blocks=[Line(html.unescape(text)[:200], line=1)])
    )
