"""What ruled and unruled page tables share: header words, spanned labels, empty cells."""

from __future__ import annotations

import re

from conformance.parsers.pdf.textlines import UID

# words that make a row a column header rather than data
HEADER_WORD = re.compile(
    r"\b(?:sop|class(?:es)?|uid|abstract|transfer|syntax(?:es)?|role|scu|scp|name|negotiation|service|"
    r"user|provider|iod|description|modality|option|supported|profile|files?|fs[cur]|parameter|default|"
    r"value|configurable|status|meaning|code|behaviou?r|attribute|tag|type|port|title|entity|version|date)\b",
    re.I,
)


def name_spanned_columns(rows: list[list[str]]) -> None:
    """One header label over two columns ("Abstract Syntax" over name and UID): say which is the UID.

    Statements often head a name column and a UID column with one spanning label and no
    sub-header; the column whose cells are UIDs gets " UID" so the header reads as written
    in the template ("Abstract Syntax Name | Abstract Syntax UID").
    """
    head = rows[0]
    for i in range(len(head) - 1):
        if head[i] and head[i] == head[i + 1] and "uid" not in head[i].lower():
            share = [sum(1 for r in rows[1:] if i + k < len(r) and UID.search(r[i + k])) for k in (0, 1)]
            if max(share):  # only a column that holds UIDs is the UID column
                j = i + 1 if share[1] >= share[0] else i
                head[j] = f"{head[j]} UID"


def drop_empty(rows: list[list[str]]) -> list[list[str]]:
    """Without blank rows and columns (spacer cells, spans already copied elsewhere)."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return rows
    keep = [c for c in range(len(rows[0])) if any(c < len(r) and r[c].strip() for r in rows)]
    return [[r[c] if c < len(r) else "" for c in keep] for r in rows]
