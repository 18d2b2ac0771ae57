"""Presentation contexts given by reference to another table, and exceptions to them (issue 11 items 1, 2).

Statements list their storage classes once ("Table 5.2-1 Storage SOP Classes") and give their
presentation contexts as rows whose Abstract Syntax cell says "See Table 5.2-1" (or "All SOP
Classes of Table 5.2-3", "the Storage SOP Classes listed above"), one row per transfer syntax,
roles "SCP, SCU" in one cell. In PDFs such tables run over pages, syntax names wrap over several
lines beside a UID column, and page footers and review comments sit between the rows. Every SOP
class of the cited table gets those syntaxes in those roles, less stated exceptions ("... except
those listed in Table Y", whose classes "support only the first N entries").
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from pdf_kit import build, heading, para, table
from pydicom.uid import UID_dictionary
from statement_kit import md_table, services

from conformance.uids import keyword_uid

ILE = keyword_uid("ImplicitVRLittleEndian")
ELE = keyword_uid("ExplicitVRLittleEndian")
EBE = keyword_uid("ExplicitVRBigEndian")
JPEG_LL = keyword_uid("JPEGLosslessSV1")
JPEG_BASE = keyword_uid("JPEGBaseline8Bit")
J2K_LL = keyword_uid("JPEG2000Lossless")
RLE = keyword_uid("RLELossless")
VERIFY = keyword_uid("Verification")
STUDY_FIND = keyword_uid("StudyRootQueryRetrieveInformationModelFind")
STUDY_MOVE = keyword_uid("StudyRootQueryRetrieveInformationModelMove")

# (name as written, UID): long official names, so that they wrap in a PDF's narrow cell
SYNTAXES = [
    ("Implicit VR Little Endian: Default Transfer Syntax for DICOM", ILE),
    ("Explicit VR Little Endian", ELE),
    ("JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])", JPEG_LL),
    ("JPEG 2000 Image Compression (Lossless Only)", J2K_LL),
    ("JPEG Baseline (Process 1): Default Transfer Syntax for Lossy JPEG 8 Bit Image Compression", JPEG_BASE),
    ("RLE Lossless", RLE),
    ("Explicit VR Big Endian", EBE),
]
QR_SYNTAXES = SYNTAXES[:2]
# every current storage class of the dictionary, so that the class table runs over pages
STORAGE = sorted(
    (str(name), str(uid))
    for uid, (name, kind, _info, retired, _kw) in UID_dictionary.items()
    if kind == "SOP Class" and str(uid).startswith("1.2.840.10008.5.1.4.1.1.") and not retired
)[:48]
QR = [
    ("Study Root Query/Retrieve Information Model - FIND", STUDY_FIND),
    ("Study Root Query/Retrieve Information Model - MOVE", STUDY_MOVE),
]


def _expected() -> dict[tuple[str, str], list[str]]:
    full = sorted(u for _, u in SYNTAXES)
    out = {(uid, role): full for _, uid in STORAGE for role in ("SCU", "SCP")}
    out |= {(VERIFY, "SCU"): [ILE], (VERIFY, "SCP"): [ILE]}
    out |= {(uid, "SCU"): sorted(u for _, u in QR_SYNTAXES) for _, uid in QR}
    return out


def _context_rows(storage_ref: str, qr_ref: str) -> list[list[str]]:
    rows = [
        ["Abstract Syntax", "Transfer Syntax Name", "Transfer Syntax UID", "Role", "Extended Negotiation"]
    ]
    rows += [[storage_ref if k == 0 else "", n, u, "SCP, SCU", "None"] for k, (n, u) in enumerate(SYNTAXES)]
    rows.append([f"Verification SOP Class {VERIFY}", "Implicit VR Little Endian", ILE, "SCP, SCU", "None"])
    rows += [[qr_ref if k == 0 else "", n, u, "SCU", "None"] for k, (n, u) in enumerate(QR_SYNTAXES)]
    return rows


def _header_and_body(rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    return rows[0], rows[1:]


STORAGE_REFS = [
    "See Table 5.2-1",
    "All SOP Classes of Table 5.2-1",
    "All Storage SOP Classes listed in Table 5.2-1",
]


@pytest.mark.parametrize("storage_ref", STORAGE_REFS)
def test_markdown_context_rows_citing_class_tables(tmp_path: Path, storage_ref: str) -> None:
    text = "\n\n".join(
        [
            "# Acme Archive 4.1 DICOM Conformance Statement",
            "## 5.2 Storage AE",
            "Table 5.2-1 Storage SOP Classes",
            md_table(["SOP Class Name", "SOP Class UID"], STORAGE),
            "Table 5.2-3 Query/Retrieve SOP Classes",
            md_table(["SOP Class Name", "SOP Class UID"], QR),
            "### 5.2.2 Presentation Contexts",
            "Table 5.2-2 Presentation Contexts of the Storage AE",
            md_table(*_header_and_body(_context_rows(storage_ref, "All SOP Classes of Table 5.2-3"))),
        ]
    )
    path = tmp_path / "archive.md"
    path.write_text(text + "\n", encoding="utf-8")
    assert services(path) == _expected()


@pytest.mark.parametrize("ruling", ["grid", "horizontal", "none"])
def test_pdf_context_table_over_pages_with_wrapped_syntax_names(tmp_path: Path, ruling: str) -> None:
    """The class table and the context table each run over pages; the first column of the
    context table spans its syntax rows; footers, a running header and a review comment."""
    rows = _context_rows("See Table 5.2-1", "All SOP Classes of Table 5.2-3")
    storage_span = ((0, 1), (0, len(SYNTAXES)))
    qr_first = len(SYNTAXES) + 2
    qr_span = ((0, qr_first), (0, qr_first + len(QR_SYNTAXES) - 1))
    story = [
        heading("5 AE Specifications"),
        heading("5.2 Storage AE"),
        heading("5.2.1 SOP Classes"),
        para("Table 5.2-1 Storage SOP Classes"),
        table(
            [["SOP Class Name", "SOP Class UID"], *([n, u] for n, u in STORAGE)], [10.0, 6.0], ruling=ruling
        ),
        para("Table 5.2-3 Query/Retrieve SOP Classes"),
        table([["SOP Class Name", "SOP Class UID"], *([n, u] for n, u in QR)], [10.0, 6.0], ruling=ruling),
        heading("5.2.2 Presentation Contexts"),
        para("Table 5.2-2 Presentation Contexts of the Storage AE"),
        table(rows, [3.0, 4.2, 4.4, 1.8, 2.4], ruling=ruling, spans=[storage_span, qr_span]),
    ]
    path = build(
        tmp_path / "archive.pdf",
        story,
        header="Acme Medical Inc.   Document 1234-5678",
        footer="ACME Archive 4.1 DICOM Conformance Statement   Rev. C   Page {page} of 9",
        comments={2: "Commented [AB3]: check with R&D", 3: "Commented [AB4]: RLE?"},
    )
    assert services(path) == _expected()


def test_classes_listed_above(tmp_path: Path) -> None:
    """'the Storage SOP Classes listed above' cites the class table of the same AE before it."""
    text = f"""# Acme Gateway 3 DICOM Conformance Statement

## 4.1 Storage SCP AE

The Storage SCP AE accepts the following Storage SOP Classes.

| SOP Class Name | SOP Class UID |
|---|---|
{chr(10).join(f"| {n} | {u} |" for n, u in STORAGE[:5])}

### 4.1.3 Accepted Presentation Contexts

| Abstract Syntax | Transfer Syntax | Transfer Syntax UID | Role |
|---|---|---|---|
| The Storage SOP Classes listed above | Implicit VR Little Endian | {ILE} | SCP |
| | Explicit VR Little Endian | {ELE} | SCP |
| Verification {VERIFY} | Implicit VR Little Endian | {ILE} | SCP |
"""
    path = tmp_path / "gateway.md"
    path.write_text(text, encoding="utf-8")
    expected = {(u, "SCP"): sorted([ILE, ELE]) for _, u in STORAGE[:5]}
    assert services(path) == expected | {(VERIFY, "SCP"): [ILE]}


# ------------------------------------------------------------------ item 2: exceptions
EXC_CLASSES = [
    ("CT Image Storage", keyword_uid("CTImageStorage")),
    ("MR Image Storage", keyword_uid("MRImageStorage")),
    ("Ultrasound Image Storage", keyword_uid("UltrasoundImageStorage")),
    ("Encapsulated PDF Storage", keyword_uid("EncapsulatedPDFStorage")),
    ("Basic Text SR Storage", keyword_uid("BasicTextSRStorage")),
]
EXCEPTED = EXC_CLASSES[3:]
EXC_SYNTAXES = [
    ("Explicit VR Little Endian", ELE),
    ("Implicit VR Little Endian", ILE),
    ("JPEG Lossless, Non-Hierarchical, First-Order Prediction", JPEG_LL),
    ("JPEG 2000 Image Compression (Lossless Only)", J2K_LL),
    ("JPEG Baseline (Process 1)", JPEG_BASE),
]


def _exceptions_md(sentence: str, caption: str) -> str:
    ts_rows = "\n".join(f"| {k} | {n} | {u} |" for k, (n, u) in enumerate(EXC_SYNTAXES, 1))
    classes = "\n".join(f"| {n} | {u} |" for n, u in EXC_CLASSES)
    excepted = "\n".join(f"| {n} | {u} |" for n, u in EXCEPTED)
    return f"""# Acme PACS 9 DICOM Conformance Statement

## 6 Storage SCP AE

The Storage SCP AE accepts associations from modalities.

### 6.1 Transfer Syntaxes

Table 6-1 Transfer Syntaxes

| # | Transfer Syntax Name | Transfer Syntax UID |
|---|---|---|
{ts_rows}

{sentence}

Table 6-2 Storage SOP Classes

| SOP Class Name | SOP Class UID |
|---|---|
{classes}

{caption}

| SOP Class Name | SOP Class UID |
|---|---|
{excepted}
"""


@pytest.mark.parametrize(
    ("sentence", "caption"),
    [
        (
            "All Storage SOP classes of Table 6-2 support all of the above transfer syntaxes except those "
            "listed in Table 6-3.",
            "Table 6-3 SOP Classes that support only the first 2 entries of Table 6-1",
        ),
        (
            "The SOP classes of Table 6-2 are accepted with all transfer syntaxes of Table 6-1, except the "
            "classes listed in Table 6-3, which support only the first two entries.",
            "Table 6-3 Exceptions",
        ),
    ],
    ids=["caption-says-first-n", "sentence-says-first-n"],
)
def test_exceptions_support_only_the_first_entries(tmp_path: Path, sentence: str, caption: str) -> None:
    path = tmp_path / "pacs.md"
    path.write_text(_exceptions_md(sentence, caption), encoding="utf-8")
    full = sorted(u for _, u in EXC_SYNTAXES)
    first_two = sorted(u for _, u in EXC_SYNTAXES[:2])
    expected = {(u, "SCP"): (first_two if (n, u) in EXCEPTED else full) for n, u in EXC_CLASSES}
    assert services(path) == expected


def test_a_row_citing_two_class_tables(tmp_path: Path) -> None:
    """'See Table 5.2-1 and Table 5.2-4': the classes of both tables get the row's syntaxes."""
    image, sr = STORAGE[:3], [("Basic Text SR Storage", keyword_uid("BasicTextSRStorage"))]
    text = f"""# Acme Archive 4.1 DICOM Conformance Statement

## 5.2 Storage AE

Table 5.2-1 Image Storage SOP Classes

| SOP Class Name | SOP Class UID |
|---|---|
{chr(10).join(f"| {n} | {u} |" for n, u in image)}

Table 5.2-4 Structured Report SOP Classes

| SOP Class Name | SOP Class UID |
|---|---|
{chr(10).join(f"| {n} | {u} |" for n, u in sr)}

Table 5.2-2 Presentation Contexts

| Abstract Syntax | Transfer Syntax Name | Transfer Syntax UID | Role | Extended Negotiation |
|---|---|---|---|---|
| See Table 5.2-1 and Table 5.2-4 | Implicit VR Little Endian | {ILE} | SCP | None |
| | Explicit VR Little Endian | {ELE} | SCP | None |
"""
    path = tmp_path / "archive.md"
    path.write_text(text, encoding="utf-8")
    assert services(path) == {(u, "SCP"): sorted([ILE, ELE]) for _, u in [*image, *sr]}


@pytest.mark.parametrize("ruling", ["grid", "horizontal", "none"])
def test_review_comments_printed_between_context_rows(tmp_path: Path, ruling: str) -> None:
    """Word prints review comments inline ("Commented [AB3]: ..."), here as a row across the
    table between two syntax rows of one reference: the rows after it still belong to it."""
    rows = _context_rows("See Table 5.2-1", "All SOP Classes of Table 5.2-3")
    comment_at = 4
    rows.insert(comment_at, ["Commented [AB3]: confirm JPEG 2000 with R&D before release", "", "", "", ""])
    spans = [((0, comment_at), (4, comment_at))]
    story = [
        heading("5.2 Storage AE"),
        para("Table 5.2-1 Storage SOP Classes"),
        table(
            [["SOP Class Name", "SOP Class UID"], *([n, u] for n, u in STORAGE[:6])],
            [10.0, 6.0],
            ruling=ruling,
        ),
        para("Table 5.2-3 Query/Retrieve SOP Classes"),
        table([["SOP Class Name", "SOP Class UID"], *([n, u] for n, u in QR)], [10.0, 6.0], ruling=ruling),
        heading("5.2.2 Presentation Contexts"),
        para("Table 5.2-2 Presentation Contexts of the Storage AE"),
        table(rows, [3.0, 4.2, 4.4, 1.8, 2.4], ruling=ruling, spans=spans),
    ]
    path = build(tmp_path / "archive.pdf", story, footer="ACME Archive 4.1   Page {page}")
    expected = {key: ts for key, ts in _expected().items() if key[0] not in {u for _, u in STORAGE[6:]}}
    assert services(path) == expected


def _html_rowspan(tmp_path: Path) -> Path:
    """HTML: the reference cell spans its syntax rows (rowspan), both tables in one section."""
    classes = "".join(f"<tr><td>{n}</td><td>{u}</td></tr>" for n, u in STORAGE[:4])
    n = len(SYNTAXES)
    contexts = "".join(
        "<tr>"
        + (f'<td rowspan="{n}">See <a href="#t1">Table 5.2-1</a></td>' if k == 0 else "")
        + f"<td>{name}</td><td>{uid}</td>"
        + (f'<td rowspan="{n}">SCP, SCU</td><td rowspan="{n}">None</td>' if k == 0 else "")
        + "</tr>"
        for k, (name, uid) in enumerate(SYNTAXES)
    )
    html = (
        "<html><body><h1>Acme Archive 4.1 DICOM Conformance Statement</h1><h2>5.2 Storage AE</h2>"
        '<table id="t1"><caption>Table 5.2-1 Storage SOP Classes</caption>'
        f"<tr><th>SOP Class Name</th><th>SOP Class UID</th></tr>{classes}</table>"
        "<table><caption>Table 5.2-2 Presentation Contexts</caption><tr><th>Abstract Syntax</th>"
        "<th>Transfer Syntax Name</th><th>Transfer Syntax UID</th><th>Role</th>"
        "<th>Extended Negotiation</th></tr>"
        f"{contexts}</table></body></html>"
    )
    path = tmp_path / "archive.html"
    path.write_text(html, encoding="utf-8")
    return path


def _aligned_text(tmp_path: Path) -> Path:
    """Plain text: aligned columns, a syntax name wrapped onto the next line."""
    classes = "\n".join(f"{n:<60}{u}" for n, u in STORAGE[:4])
    contexts = [
        f"{'Abstract Syntax':<20}{'Transfer Syntax Name':<40}{'Transfer Syntax UID':<26}{'Role':<12}Ext. Neg."
    ]
    for k, (name, uid) in enumerate(SYNTAXES):
        first, *rest = textwrap.wrap(name, 38)  # a name wrapped in its column, as text exports come
        contexts.append(f"{'See Table 5.2-1' if k == 0 else '':<20}{first:<40}{uid:<26}{'SCP, SCU':<12}None")
        contexts += [f"{'':<20}{more}" for more in rest]
    text = (
        "ACME ARCHIVE 4.1 DICOM CONFORMANCE STATEMENT\n\n5.2 STORAGE AE\n\n"
        "Table 5.2-1 Storage SOP Classes\n\n"
        f"{'SOP Class Name':<60}SOP Class UID\n{classes}\n\nTable 5.2-2 Presentation Contexts\n\n"
        + "\n".join(contexts)
        + "\n"
    )
    path = tmp_path / "archive.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("make", [_html_rowspan, _aligned_text], ids=["html-rowspan", "aligned-text"])
def test_reference_rows_in_html_and_plain_text(tmp_path: Path, make: Any) -> None:
    full = sorted(u for _, u in SYNTAXES)
    assert services(make(tmp_path)) == {(u, r): full for _, u in STORAGE[:4] for r in ("SCU", "SCP")}


def test_an_exception_in_the_abstract_syntax_cell(tmp_path: Path) -> None:
    """'All SOP Classes of Table 6-2 except those of Table 6-3' in a context row, and rows of their
    own for the excepted classes."""
    classes = md_table(["SOP Class Name", "SOP Class UID"], EXC_CLASSES)
    excepted = md_table(["SOP Class Name", "SOP Class UID"], EXCEPTED)
    contexts = md_table(
        ["Abstract Syntax", "Transfer Syntax", "Transfer Syntax UID", "Role"],
        [
            (
                "All SOP Classes of Table 6-2 except those of Table 6-3",
                "Explicit VR Little Endian",
                ELE,
                "SCP",
            ),
            ("", "JPEG 2000 Image Compression (Lossless Only)", J2K_LL, "SCP"),
            ("See Table 6-3", "Explicit VR Little Endian", ELE, "SCP"),
        ],
    )
    text = "\n\n".join(
        [
            "# Acme PACS 9 DICOM Conformance Statement",
            "## 6 Storage SCP AE",
            "Table 6-2 Storage SOP Classes",
            classes,
            "Table 6-3 Encapsulated and SR SOP Classes",
            excepted,
            "### 6.3 Accepted Presentation Contexts",
            contexts,
        ]
    )
    path = tmp_path / "pacs.md"
    path.write_text(text, encoding="utf-8")
    expected = {(u, "SCP"): ([ELE] if (n, u) in EXCEPTED else sorted([ELE, J2K_LL])) for n, u in EXC_CLASSES}
    assert services(path) == expected
