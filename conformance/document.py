"""Format-neutral view of a statement: text lines and tables in reading order.

Format readers (``conformance.parsers``) only turn bytes into a :class:`Document`;
``conformance.extract`` turns a Document into a :class:`~conformance.model.Statement`.
That split keeps the DICOM reading logic in one place for PDF, text, Markdown, RST
and HTML alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Line:
    """One line of running text; ``page`` for PDFs, ``line`` (1-based) for text files."""

    text: str
    page: int | None = None
    line: int | None = None
    heading: bool = False  # a section heading (Markdown #, RST underline, numbered, bold)
    level: int = 0  # heading depth when the reader knows it (1 = top); 0 = unknown
    # a line of a code fence, an RST literal block or an HTML <pre>: example output, a diagram or a
    # configuration file shown as it is, never a claim of the statement (a debug log names SOP classes)
    literal: bool = False


@dataclass
class Table:
    """A table as rows of cell strings ("" for an empty or merged cell).

    ``row_pages`` / ``row_lines`` give each row's own location so that a table spanning
    several pages cites the page of the row that states a fact.
    """

    rows: list[list[str]]
    page: int | None = None
    line: int | None = None
    row_pages: list[int | None] = field(default_factory=list)
    row_lines: list[int | None] = field(default_factory=list)
    caption: str = ""  # "Table 4.2-1 ..." or the nearest heading
    names: list[str] = field(default_factory=list)  # ids other text uses to cite it (RST :name:, labels)

    def location(self, row: int) -> tuple[int | None, int | None]:
        page = self.row_pages[row] if row < len(self.row_pages) else self.page
        line = self.row_lines[row] if row < len(self.row_lines) else self.line
        return page, line


Block = Line | Table


@dataclass
class Document:
    """A statement's blocks in reading order, plus what the reader learnt about the file."""

    path: str  # file name as given to the reader
    kind: str  # "pdf" | "text" | "markdown" | "rst" | "html"
    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None
    sha256: str = ""
    warnings: list[str] = field(default_factory=list)
    # running headers and footers (one Line per distinct text, at its first page): not content, but
    # often the most reliable statement of product, version and vendor on a vendor PDF
    furniture: list[Line] = field(default_factory=list)

    @property
    def lines(self) -> list[Line]:
        return [b for b in self.blocks if isinstance(b, Line)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def text(self) -> str:
        return "\n".join(b.text for b in self.lines)
