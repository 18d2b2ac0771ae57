"""PDFium text into clean lines, with DICOM UIDs broken at a line end joined again.

Every step reads page text through here, so PDFium's control characters and a UID
wrapped over two lines never reach table or heading detection.
"""

from __future__ import annotations

import re

UID = re.compile(r"\b[0-2](?:\.\d+){3,}\b")
# transfer-syntax names, for presentation-context tables that give no UID at all (pre-2008 layouts)
# a Word review comment printed with the document ("Commented [AB3]: check with R&D")
REVIEW_COMMENT = re.compile(
    r"^\s*(?:Commented|Comment|Kommentiert|Commentaire)\s*\[[A-Za-z]{1,5}\d*\]\s*:", re.I
)
TS_WORD = re.compile(r"\b(?:endian|jpeg|jpeg-ls|rle|deflated?|mpeg-?[24]?|j2k|jpip|hevc)\b", re.I)

_UID_CONT = frozenset("0123456789.")
_UID_END_DOT = re.compile(r"\b[0-2](?:\.\d+){2,}\.$")
_UID_END = re.compile(r"\b[0-2](?:\.\d+){2,}$")


def norm_text(text: str) -> str:
    """One newline convention, no NULs; PDFium writes a hyphen broken at a line end as \\x02."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "-")
    return text.replace("\x00", "").replace("\ufffe", "")


def section_number(token: str) -> bool:
    """A deep section number ("2.3.1.2.1") rather than a UID: a UID has an organisation root with a
    component of three or more digits ("840"), or many components."""
    parts = token.rstrip(".").split(".")
    return all(len(p) <= 2 for p in parts) and len(parts) < 8


def join_split_uids(lines: list[str]) -> list[str]:
    """Re-join a UID broken at a line end ("1.2.840.10008.5.1.4.1.2.1." + "1")."""
    out: list[str] = []
    for line in lines:
        if out and joins(out[-1], line):
            out[-1] = out[-1] + line
        else:
            out.append(line)
    return out


def joins(prev: str, line: str) -> bool:
    """Does ``line`` continue a UID that ``prev`` ends with?"""
    return (
        line[:1] in _UID_CONT
        and prev[-1:] in _UID_CONT
        and (
            (prev.endswith(".") and line[0].isdigit() and bool(_UID_END_DOT.search(prev)))
            or (line[0] == "." and line[1:2].isdigit() and bool(_UID_END.search(prev)))
        )
    )


def clean_lines(text: str) -> list[str]:
    """Non-empty lines, inner whitespace collapsed, split UIDs joined."""
    lines = [" ".join(raw.split()) for raw in norm_text(text).split("\n")]
    return join_split_uids([ln for ln in lines if ln])
