"""Builders for the bad-input battery (issue 6): every bad file is made here, in the test run.

Statements are built with reportlab (a real, well-formed PDF) and then damaged with plain
byte manipulation, so the battery never depends on files outside the repository.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

CT_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
MR_STORAGE = "1.2.840.10008.5.1.4.1.1.4"
VERIFICATION = "1.2.840.10008.1.1"
ILE = "1.2.840.10008.1.2"
ELE = "1.2.840.10008.1.2.1"

STATEMENT_TEXT = """\
DICOM Conformance Statement
{product}
1 Introduction
This document describes the DICOM conformance of {product} by {vendor}.
2 Networking
2.1 Application Entity Specifications
Maximum number of simultaneous associations: 4
Maximum PDU size received: 16384
Table 2-1 SOP Classes
| SOP Class Name | SOP Class UID | SCU | SCP |
|---|---|---|---|
| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 | Yes | {scp} |
| MR Image Storage | 1.2.840.10008.5.1.4.1.1.4 | Yes | {scp} |
| Verification | 1.2.840.10008.1.1 | Yes | Yes |
Table 2-2 Transfer Syntaxes
| Transfer Syntax Name | Transfer Syntax UID |
|---|---|
| Implicit VR Little Endian | 1.2.840.10008.1.2 |
| Explicit VR Little Endian | 1.2.840.10008.1.2.1 |
"""


def statement_markdown(product: str = "Acme CT 5000", vendor: str = "Acme Medical", scp: str = "No") -> str:
    """A small Markdown statement that the text reader turns into real SOP classes."""
    return STATEMENT_TEXT.format(product=product, vendor=vendor, scp=scp)


def _table(rows: list[list[str]]) -> Table:
    t = Table(rows, repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return t


def statement_pdf(
    path: Path,
    *,
    product: str = "Acme CT 5000",
    vendor: str = "Acme Medical",
    scp: str = "No",
    encrypt: object | None = None,
    extra_rows: list[list[str]] | None = None,
) -> Path:
    """A well-formed one/two-page PDF statement with a SOP class table (reportlab).

    ``extra_rows`` are appended to the SOP class table as written (name, UID, SCU, SCP, syntaxes).
    """
    styles = getSampleStyleSheet()
    story = [
        Paragraph("DICOM Conformance Statement", styles["Title"]),
        Paragraph(_escape(product), styles["Heading2"]),
        Paragraph("1 Introduction", styles["Heading1"]),
        Paragraph(
            _escape(f"This document describes the DICOM conformance of {product} by {vendor}."),
            styles["Normal"],
        ),
        Paragraph(_escape(f"Product Name: {product}"), styles["Normal"]),
        Paragraph(_escape(f"Manufacturer: {vendor}"), styles["Normal"]),
        Paragraph("Software Version: 1.0", styles["Normal"]),
        Paragraph("2 Networking", styles["Heading1"]),
        Paragraph("2.1 Application Entity Specifications", styles["Heading2"]),
        Paragraph("Maximum number of simultaneous associations initiated: 4", styles["Normal"]),
        Paragraph("Maximum number of simultaneous associations accepted: 4", styles["Normal"]),
        Paragraph("Maximum PDU size received: 16384", styles["Normal"]),
        Spacer(1, 6),
        Paragraph("Table 2-1 SOP Classes", styles["Normal"]),
        _table(
            [
                ["SOP Class Name", "SOP Class UID", "SCU", "SCP", "Transfer Syntaxes"],
                ["CT Image Storage", CT_STORAGE, "Yes", scp, f"{ILE}\n{ELE}"],
                ["MR Image Storage", MR_STORAGE, "Yes", scp, f"{ILE}\n{ELE}"],
                ["Verification", VERIFICATION, "Yes", "Yes", ILE],
                *(extra_rows or []),
            ]
        ),
        Spacer(1, 6),
        Paragraph("Table 2-2 Transfer Syntaxes", styles["Normal"]),
        _table(
            [
                ["Transfer Syntax Name", "Transfer Syntax UID"],
                ["Implicit VR Little Endian", ILE],
                ["Explicit VR Little Endian", ELE],
            ]
        ),
    ]
    doc = SimpleDocTemplate(str(path), pagesize=A4, encrypt=encrypt, title="Conformance Statement")
    doc.build(story)
    return path


def _escape(text: str) -> str:
    """reportlab Paragraphs read mini-markup: keep vendor strings literal."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def prose_pdf(path: Path, paragraphs: list[str], *, pages: int = 1) -> Path:
    """A PDF of plain prose lines (no SOP class anywhere), drawn with a canvas (fast)."""
    c = canvas.Canvas(str(path), pagesize=A4)
    for p in range(pages):
        y = 800
        for text in paragraphs:
            c.drawString(50, y, text.format(page=p + 1))
            y -= 14
        c.showPage()
    c.save()
    return path


def image_only_pdf(path: Path) -> Path:
    """A 'scanned' PDF: a page that is only a drawn bitmap-like picture, no text layer."""
    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(2):
        for i in range(0, 40):
            c.setFillGray(0.1 + (i % 7) / 10)
            c.rect(40 + i * 12, 400, 10, 300, stroke=0, fill=1)
        c.showPage()
    c.save()
    return path


def sopless_table_pdf(path: Path) -> Path:
    """A statement-shaped PDF whose tables hold no SOP class at all."""
    styles = getSampleStyleSheet()
    story = [
        Paragraph("DICOM Conformance Statement", styles["Title"]),
        Paragraph("2.1 Application Entity Specifications", styles["Heading2"]),
        Paragraph("Table 2-1 Application Entities", styles["Normal"]),
        _table([["AE Title", "Port", "Role"], ["ACME_CT", "104", "SCU"], ["ACME_WS", "11112", "SCP"]]),
        Spacer(1, 6),
        Paragraph("Table 2-2 Revision History", styles["Normal"]),
        _table([["Revision", "Date", "Change"], ["A", "2020-01-01", "First"], ["B", "2021-01-01", "Typos"]]),
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def odd_encoding_pdf(path: Path) -> Path:
    """A statement whose text uses non-Latin scripts and a symbol font (no ToUnicode for symbols)."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(50, 800, "DICOM Conformance Statement — Ünïcödé ÆØÅ ß € “quotes” ‰ ™")
    c.setFont("Symbol", 10)
    c.drawString(50, 780, "abgdezhqiklmnxoprstufcyw SCU SCP")
    c.setFont("ZapfDingbats", 10)
    c.drawString(50, 760, "3 4 5 6 7 8 SCU SCP Transfer Syntax")
    c.setFont("Helvetica", 10)
    c.drawString(50, 740, "CT Image Storage 1.2.840.10008.5.1.4.1.1.2 SCU")
    c.showPage()
    c.save()
    return path


def cjk_pdf(path: Path) -> Path:
    """A Japanese statement in a CID font (a CMap, not a simple encoding, maps codes to text)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("HeiseiMin-W3", 10)
    c.drawString(50, 800, "DICOM 適合性宣言書 (Conformance Statement)")
    c.drawString(50, 780, "製品名: 東京 CT スキャナ")
    c.drawString(50, 760, f"CT Image Storage {CT_STORAGE} SCU")
    c.showPage()
    c.save()
    return path


def thousand_page_pdf(path: Path, pages: int = 1000) -> Path:
    """A long statement: prose on every page and a SOP-class line every hundredth page."""
    c = canvas.Canvas(str(path), pagesize=A4)
    for p in range(1, pages + 1):
        c.setFont("Helvetica", 9)
        c.drawString(50, 800, f"{p} Section {p} of the Acme Long Conformance Statement")
        for k in range(40):
            c.drawString(50, 780 - k * 12, f"Line {k} of page {p}: the product supports DICOM networking.")
        if p % 100 == 0:
            c.drawString(50, 280, f"CT Image Storage {CT_STORAGE} SCU SCP")
        c.showPage()
    c.save()
    return path


def inflation_bomb_pdf(path: Path, megabytes: int) -> Path:
    """A one-page PDF whose small Flate content stream inflates to ``megabytes`` of text operators."""
    import zlib

    chunk = b"BT /F1 9 Tf 50 700 Td (SCU SCP) Tj ET\n" * 1000
    z = zlib.compressobj(9)
    parts, size = [], 0
    while size < megabytes * 2**20:
        parts.append(z.compress(chunk))
        size += len(chunk)
    parts.append(z.flush())
    stream = b"".join(parts)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Root 1 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))
    return path


# -- damaging a good PDF ----------------------------------------------------------------


def truncate(data: bytes, fraction: float = 0.5) -> bytes:
    return data[: max(8, int(len(data) * fraction))]


def corrupt_xref(data: bytes) -> bytes:
    """Point every xref entry and startxref at garbage offsets."""
    out = re.sub(rb"(\d{10}) (\d{5}) n", lambda m: b"9%09d 00000 n" % (int(m.group(1)) % 10**9), data)
    out = re.sub(rb"startxref\s+\d+", b"startxref\n999999999", out)
    out = out.replace(b"/Root", b"/Rooo")  # no catalog: recovery cannot rescue it either
    return out


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One random mutation: flip bytes, cut, splice, duplicate or zero a run."""
    buf = bytearray(data)
    kind = rng.randrange(6)
    n = len(buf)
    if n < 2:
        return bytes(buf) + bytes([rng.randrange(256)])
    if kind == 0:  # flip some bytes
        for _ in range(rng.randint(1, 40)):
            buf[rng.randrange(n)] = rng.randrange(256)
    elif kind == 1:  # truncate anywhere
        del buf[rng.randrange(1, n) :]
    elif kind == 2:  # delete a run
        a = rng.randrange(n)
        del buf[a : a + rng.randint(1, 2000)]
    elif kind == 3:  # duplicate a run somewhere else
        a = rng.randrange(n)
        chunk = buf[a : a + rng.randint(1, 2000)]
        b = rng.randrange(n)
        buf[b:b] = chunk
    elif kind == 4:  # zero a run
        a = rng.randrange(n)
        m = min(n - a, rng.randint(1, 500))
        buf[a : a + m] = bytes(m)
    else:  # mangle numbers (offsets, lengths, object numbers)
        text = bytes(buf)
        nums = list(re.finditer(rb"\d+", text))
        for m in rng.sample(nums, min(len(nums), rng.randint(1, 20))):
            buf[m.start() : m.end()] = (
                str(rng.randrange(10 ** rng.randint(1, 9)))
                .encode()
                .rjust(m.end() - m.start(), b"0")[: m.end() - m.start()]
            )
    return bytes(buf)


def mutate_text(text: str, rng: random.Random) -> str:
    """A random edit of a text file (inventory): delete, duplicate, swap or inject characters."""
    chars = list(text)
    for _ in range(rng.randint(1, 6)):
        n = len(chars)
        if n == 0:
            chars = list("x")
            n = 1
        kind = rng.randrange(5)
        i = rng.randrange(n)
        if kind == 0:
            del chars[i : i + rng.randint(1, 30)]
        elif kind == 1:
            chars[i:i] = chars[i : i + rng.randint(1, 40)]
        elif kind == 2:
            chars[i] = rng.choice(":-[]{}#&*!|>'\"%@`,\t\n ?=<")
        elif kind == 3:
            chars[i:i] = list(rng.choice(["\x00", "\xff", "é", "\n  - ", ": ", "[", "{", "99999999", "-1"]))
        else:
            j = rng.randrange(n)
            chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


# -- the statement battery ---------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One bad input: how to build it and what it must end in."""

    name: str
    build: Callable[[Path], None]
    error: str | None = None  # substring of the error's problem; None: must parse
    services: int | None = None  # services a clean parse must find (None: don't care)
    warning: str | None = None  # substring one of the statement's warnings must hold


def _good_pdf_bytes(tmp: Path) -> bytes:
    return statement_pdf(tmp.parent / f".{tmp.name}.good.pdf").read_bytes()


def _write(data: bytes) -> Callable[[Path], None]:
    return lambda p: p.write_bytes(data)


def _damaged(damage: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    return lambda p: p.write_bytes(damage(_good_pdf_bytes(p)))


def _encrypted(user: str) -> Callable[[Path], None]:
    def build(p: Path) -> None:
        statement_pdf(p, encrypt=StandardEncryption(user, ownerPassword="owner-secret", canPrint=0))

    return build


def _no_pages_pdf() -> bytes:
    """A structurally valid PDF (correct xref) whose page tree is empty."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Root 1 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


STATEMENT_CASES = [
    Case("zero-bytes.pdf", _write(b""), error="empty file"),
    Case("truncated.pdf", _damaged(truncate), error="corrupt"),
    Case("truncated-tail.pdf", _damaged(lambda d: d[:-200]), error="corrupt"),  # trailer and xref lost
    Case("leading-junk.pdf", _damaged(lambda d: b"\xef\xbb\xbf\r\n  " + d), services=4),  # BOM before %PDF
    Case("header-only.pdf", _write(b"%PDF-1.7\n"), error="corrupt"),
    Case("corrupt-xref.pdf", _damaged(corrupt_xref), error="corrupt"),
    Case("no-pages.pdf", _write(_no_pages_pdf()), error="unreadable"),  # pdfium refuses empty page trees
    Case("encrypted-user-password.pdf", _encrypted("secret"), error="encrypted"),
    Case("encrypted-owner-only.pdf", _encrypted(""), services=4),  # empty user password: readable
    Case("scanned.pdf", image_only_pdf, error="no text layer"),
    Case(
        "novel.pdf",
        lambda p: prose_pdf(p, ["Chapter {page}", "It was a dark and stormy night.", "The end."], pages=3),
        services=0,
        warning="no SOP classes found",
    ),
    Case("sopless-tables.pdf", sopless_table_pdf, services=0, warning="no SOP classes found"),
    Case("odd-encodings.pdf", odd_encoding_pdf, services=1),
    Case("cjk.pdf", cjk_pdf, services=1),
    Case("html-named.pdf", _write(b"<html><body>404 Not Found</body></html>"), error="not a PDF"),
    Case("statement.docx", _write(b"PK\x03\x04" + bytes(100)), error="unsupported file type"),
    Case("garbage.txt", _write(bytes(range(256)) * 64), error="binary data"),
    Case("garbage-no-suffix", _write(b"\x7fELF" + bytes(range(256)) * 8), error="binary data"),
    Case(
        "latin-1.md",
        _write(statement_markdown(product="Ünïcödé Çàfé CT").encode("latin-1")),
        services=4,
        warning="not valid UTF-8",
    ),
    Case(
        "cp1252.md",
        _write(statement_markdown(product="“Smart” CT – 5000™").encode("cp1252")),
        services=4,
        warning="not valid UTF-8",
    ),
    Case("utf-16.md", _write(statement_markdown(product="Ωmega CT").encode("utf-16")), services=4),
    Case(
        "utf-16le-no-bom.md",
        _write(statement_markdown(product="Ωmega CT").encode("utf-16-le")),
        services=4,
        warning="no byte-order mark",
    ),
    Case(
        "utf-16-cut-short.md",
        _write(statement_markdown().encode("utf-16")[:-1]),
        services=4,
        warning="damaged UTF-16",
    ),
    Case("utf-8-bom.md", _write(statement_markdown().encode("utf-8-sig")), services=4),
    Case("empty-text.txt", _write(b""), error="empty file"),
    Case("whitespace.txt", _write(b"\n \n\t\n" * 100), services=0, warning="no SOP classes found"),
]


def build_statements(folder: Path) -> dict[str, Path]:
    """Write every battery statement into ``folder``; name -> path."""
    out = {}
    for case in STATEMENT_CASES:
        path = folder / case.name
        case.build(path)
        out[case.name] = path
    return out
