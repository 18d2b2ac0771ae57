"""The page model every layout step shares: text runs, lines, page tables, pages.

Coordinates are top-down page points (PDFium's are bottom-up), as in pdfplumber.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from conformance.document import Line


@dataclass
class Seg:
    """A run of text on one line with its box (top-down page coordinates)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float = 0.0  # font size of its first character
    bold: bool = False


@dataclass
class TLine:
    """The runs of one printed line, left to right."""

    segs: list[Seg]

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
class PTable:
    """A table found on one page; ``header`` says whether rows[0] is a column header."""

    top: float
    rows: list[list[str]]
    header: bool
    title: str = ""


@dataclass
class Page:
    """One page's lines and tables in reading order, before the document pass."""

    number: int
    items: list[Line | PTable] = field(default_factory=list)
    margin_keys: set[str] = field(default_factory=set)  # lines printed in the top/bottom margin
