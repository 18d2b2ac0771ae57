"""Pre-2008 statement layouts: presentation contexts named without UIDs, in unruled tables.

Statements written before the 2008 PS3.2 template often give "Proposed Presentation Contexts -
Send Images" as a table with no rules, SOP classes named without UIDs and without the word
"Storage", shortened to fit a narrow column ("Enh. CT Image", "Sec. Capture", "Grayscale
Softcopy Pres. State"), one row per class with its transfer-syntax names stacked, and Role /
Extended Negotiation columns. The same statement is built here as a PDF (several rulings, the
syntaxes stacked in one cell or one per line), as aligned plain text, Markdown and HTML; every
variant must give the same services.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_kit import build, heading, para, table
from statement_kit import services

from conformance.uids import keyword_uid

ILE = keyword_uid("ImplicitVRLittleEndian")
ELE = keyword_uid("ExplicitVRLittleEndian")
JPEG_LL = keyword_uid("JPEGLosslessSV1")
JPEG_BASE = keyword_uid("JPEGBaseline8Bit")

# (name as an old statement writes it, its syntaxes, the UID it stands for)
ROWS: list[tuple[str, list[str], str]] = [
    ("Verification", ["Implicit VR Little Endian"], keyword_uid("Verification")),
    (
        "CT Image",
        [
            "Implicit VR Little Endian",
            "Explicit VR Little Endian",
            "JPEG Lossless, Non-Hierarchical,\nFirst-Order Prediction",
        ],
        keyword_uid("CTImageStorage"),
    ),
    (
        "Enh. CT Image",
        ["Implicit VR Little Endian", "Explicit VR Little Endian"],
        keyword_uid("EnhancedCTImageStorage"),
    ),
    (
        "Sec. Capture",
        ["Implicit VR Little Endian", "JPEG Baseline"],
        keyword_uid("SecondaryCaptureImageStorage"),
    ),
    (
        "Grayscale Softcopy\nPres. State",
        ["Implicit VR Little Endian", "Explicit VR Little Endian"],
        keyword_uid("GrayscaleSoftcopyPresentationStateStorage"),
    ),
    ("Key Object Selection", ["Explicit VR Little Endian"], keyword_uid("KeyObjectSelectionDocumentStorage")),
]
COMMIT = keyword_uid("StorageCommitmentPushModel")

EXPECTED = {
    (keyword_uid("Verification"), "SCU"): [ILE],
    (keyword_uid("CTImageStorage"), "SCU"): sorted([ILE, ELE, JPEG_LL]),
    (keyword_uid("EnhancedCTImageStorage"), "SCU"): sorted([ILE, ELE]),
    (keyword_uid("SecondaryCaptureImageStorage"), "SCU"): sorted([ILE, JPEG_BASE]),
    (keyword_uid("GrayscaleSoftcopyPresentationStateStorage"), "SCU"): sorted([ILE, ELE]),
    (keyword_uid("KeyObjectSelectionDocumentStorage"), "SCU"): [ELE],
    (COMMIT, "SCU"): sorted([ILE, ELE]),
}
HEADER = ["Abstract Syntax", "Transfer Syntax", "Role", "Extended Negotiation"]
INTRO = "The Send Images AE sends images to a remote archive and asks it to commit their storage."


def _pdf_rows(stacked: bool) -> list[list[str]]:
    """One row per class with its syntaxes in one cell, or one line per syntax (role on the first)."""
    rows = [HEADER]
    for name, syntaxes, _uid in ROWS:
        if stacked:
            rows.append([name, "\n".join(syntaxes), "SCU", "None"])
        else:
            rows += [
                [name if k == 0 else "", ts, "SCU" if k == 0 else "", "None" if k == 0 else ""]
                for k, ts in enumerate(syntaxes)
            ]
    return rows


@pytest.mark.parametrize("ruling", ["none", "header"])
@pytest.mark.parametrize("stacked", [True, False], ids=["stacked-cell", "line-per-syntax"])
def test_unruled_pdf_contexts_named_without_uids(tmp_path: Path, ruling: str, stacked: bool) -> None:
    widths = [5.0, 6.5, 1.5, 3.0]
    story = [
        heading("2.3 AE Specifications"),
        heading("2.3.1 Send Images AE"),
        para(INTRO),
        heading("2.3.1.2.1 Proposed Presentation Contexts - Send Images"),
        table(_pdf_rows(stacked), widths, ruling=ruling, wrap=False),
        heading("2.3.1.2.2 Proposed Presentation Contexts - Storage Commitment"),
        table(
            [
                HEADER,
                [
                    "Storage Commitment Push Model",
                    "Implicit VR Little Endian\nExplicit VR Little Endian",
                    "SCU",
                    "None",
                ],
            ],
            widths,
            ruling=ruling,
            wrap=False,
        ),
        heading("2.3.1.3 Association Acceptance Policy"),
        para("The Send Images AE does not accept associations."),
    ]
    path = build(tmp_path / "old.pdf", story, footer="ACME CT 3.1 Conformance Statement   Page {page}")
    assert services(path) == EXPECTED


OLD_TEXT = """\
ACME CT 3.1 DICOM CONFORMANCE STATEMENT

2.3 AE SPECIFICATIONS

2.3.1 Send Images AE

{intro}

2.3.1.2.1 Proposed Presentation Contexts - Send Images

Abstract Syntax          Transfer Syntax                      Role    Extended Negotiation
Verification             Implicit VR Little Endian            SCU     None
CT Image                 Implicit VR Little Endian            SCU     None
                         Explicit VR Little Endian
                         JPEG Lossless, Non-Hierarchical,
                           First-Order Prediction
Enh. CT Image            Implicit VR Little Endian            SCU     None
                         Explicit VR Little Endian
Sec. Capture             Implicit VR Little Endian            SCU     None
                         JPEG Baseline
Grayscale Softcopy       Implicit VR Little Endian            SCU     None
  Pres. State            Explicit VR Little Endian
Key Object Selection     Explicit VR Little Endian            SCU     None

2.3.1.2.2 Proposed Presentation Contexts - Storage Commitment

Abstract Syntax                 Transfer Syntax               Role    Extended Negotiation
Storage Commitment Push Model   Implicit VR Little Endian     SCU     None
                                Explicit VR Little Endian

2.3.1.3 Association Acceptance Policy

The Send Images AE does not accept associations.
"""


def test_aligned_text_contexts_with_names_wrapped_over_lines(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_text(OLD_TEXT.format(intro=INTRO), encoding="utf-8")
    assert services(path) == EXPECTED


def _markup_rows() -> list[list[str]]:
    rows = [
        [name.replace("\n", " "), "<br>".join(s.replace("\n", " ") for s in syntaxes), "SCU", "None"]
        for name, syntaxes, _uid in ROWS
    ]
    commit = ["Storage Commitment Push Model", "Implicit VR Little Endian<br>Explicit VR Little Endian"]
    return [*rows, [*commit, "SCU", "None"]]


def test_markdown_contexts_with_stacked_syntax_names(tmp_path: Path) -> None:
    lines = [
        "# ACME CT 3.1 DICOM Conformance Statement",
        "",
        "## 2.3.1 Send Images AE",
        "",
        INTRO,
        "",
        "### Proposed Presentation Contexts - Send Images",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in _markup_rows()]
    path = tmp_path / "old.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert services(path) == EXPECTED


def test_html_contexts_with_stacked_syntax_names(tmp_path: Path) -> None:
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in _markup_rows())
    html = (
        "<html><body><h1>ACME CT 3.1 DICOM Conformance Statement</h1><h2>2.3.1 Send Images AE</h2>"
        f"<p>{INTRO}</p><h3>Proposed Presentation Contexts - Send Images</h3><table>"
        "<tr>" + "".join(f"<th>{h}</th>" for h in HEADER) + f"</tr>{body}</table></body></html>"
    )
    path = tmp_path / "old.html"
    path.write_text(html, encoding="utf-8")
    assert services(path) == EXPECTED


@pytest.mark.parametrize(
    ("name", "keyword"),
    [
        ("Enh. CT Image", "EnhancedCTImageStorage"),
        ("Enh. MR Image", "EnhancedMRImageStorage"),
        ("Sec. Capture", "SecondaryCaptureImageStorage"),
        ("GSPS", "GrayscaleSoftcopyPresentationStateStorage"),
        ("Grayscale Softcopy Pres. State", "GrayscaleSoftcopyPresentationStateStorage"),
        ("Color Softcopy Pres. State", "ColorSoftcopyPresentationStateStorage"),
        ("DX Image - For Presentation", "DigitalXRayImageStorageForPresentation"),
        ("MG Image - For Processing", "DigitalMammographyXRayImageStorageForProcessing"),
        ("RT Struct", "RTStructureSetStorage"),
        ("Comp. SR", "ComprehensiveSRStorage"),
        ("MF Grayscale Byte SC Image", "MultiFrameGrayscaleByteSecondaryCaptureImageStorage"),
        ("X-Ray Angio", "XRayAngiographicImageStorage"),
    ],
)
def test_shortened_class_names_of_old_statements(name: str, keyword: str) -> None:
    from conformance.uids import resolve_sop_class

    assert resolve_sop_class(name) == keyword_uid(keyword)


LONG_NAMES = [
    ("CT Image", "CTImageStorage"),
    ("Enh. CT Image", "EnhancedCTImageStorage"),
    ("MR Image", "MRImageStorage"),
    ("Enh. MR Image", "EnhancedMRImageStorage"),
    ("Sec. Capture", "SecondaryCaptureImageStorage"),
    ("GSPS", "GrayscaleSoftcopyPresentationStateStorage"),
    ("CR Image", "ComputedRadiographyImageStorage"),
    ("DX Image - For Presentation", "DigitalXRayImageStorageForPresentation"),
    ("XA Image", "XRayAngiographicImageStorage"),
    ("NM Image", "NuclearMedicineImageStorage"),
    ("US Image", "UltrasoundImageStorage"),
    ("US Multi-frame Image", "UltrasoundMultiFrameImageStorage"),
    ("PET Image", "PositronEmissionTomographyImageStorage"),
    ("RT Image", "RTImageStorage"),
    ("RT Dose", "RTDoseStorage"),
    ("RT Struct", "RTStructureSetStorage"),
    ("RT Plan", "RTPlanStorage"),
    ("Basic Text SR", "BasicTextSRStorage"),
    ("Enh. SR", "EnhancedSRStorage"),
    ("Comp. SR", "ComprehensiveSRStorage"),
    ("Key Object Selection", "KeyObjectSelectionDocumentStorage"),
    ("Color Softcopy Pres. State", "ColorSoftcopyPresentationStateStorage"),
    ("MG Image - For Presentation", "DigitalMammographyXRayImageStorageForPresentation"),
    ("Raw Data", "RawDataStorage"),
]
LONG_TS = [
    "Implicit VR Little Endian",
    "Explicit VR Little Endian",
    "JPEG Lossless, Non-Hierarchical,\nFirst-Order Prediction",
    "RLE Lossless",
]


@pytest.mark.parametrize("repeat", [True, False], ids=["header-repeated", "header-once"])
@pytest.mark.parametrize("stacked", [True, False], ids=["stacked-cell", "line-per-syntax"])
def test_unruled_names_table_over_pages_with_footers_and_comments(
    tmp_path: Path, stacked: bool, repeat: bool
) -> None:
    """Four pages of one unruled table: rows broken by the page, a running header and footer,
    a review comment in the margin; the header repeated on each page or printed once."""
    rows = [HEADER]
    for name, _kw in LONG_NAMES:
        if stacked:
            rows.append([name, "\n".join(LONG_TS), "SCU", "None"])
        else:
            rows += [
                [name if k == 0 else "", ts, "SCU" if k == 0 else "", "None" if k == 0 else ""]
                for k, ts in enumerate(LONG_TS)
            ]
    story = [
        heading("2 AE Specifications"),
        heading("2.1 Send Images AE"),
        para("The Send Images AE proposes the presentation contexts below."),
        heading("2.1.2.1 Proposed Presentation Contexts - Send Images"),
        table(rows, [5.0, 6.5, 1.5, 3.0], ruling="none", wrap=False, repeat=repeat),
        heading("2.1.3 Association Acceptance Policy"),
        para("The Send Images AE does not accept associations."),
    ]
    path = build(
        tmp_path / "old-long.pdf",
        story,
        header="ACME Medical Systems",
        footer="ACME CT 3.1 Conformance Statement   Rev. 2   Page {page} of 45",
        comments={2: "Commented [AB3]: confirm RLE"},
    )
    syntaxes = sorted([ILE, ELE, JPEG_LL, keyword_uid("RLELossless")])
    assert services(path) == {(keyword_uid(kw), "SCU"): syntaxes for _name, kw in LONG_NAMES}


@pytest.mark.parametrize("ruling", ["grid", "horizontal", "header", "none"])
def test_accepted_contexts_with_a_two_line_header_and_empty_uid_column(tmp_path: Path, ruling: str) -> None:
    """'Acceptable Presentation Contexts - Receive Images' under a two-line header (Abstract Syntax
    Name / UID, Transfer Syntax Name List, Extended / Negotiation), the UID column left empty, a
    name wrapped in its cell, and one rule under the header only (``header``)."""
    rows = [
        ["Abstract Syntax", "", "Transfer Syntax", "Role", "Extended"],
        ["Name", "UID", "Name List", "", "Negotiation"],
        [
            "Digital X-Ray Image Storage - For Presentation",
            "",
            "Implicit VR Little Endian\nExplicit VR Little Endian\nJPEG Baseline (Process 1)",
            "SCP",
            "None",
        ],
        ["Grayscale Softcopy Pres. State", "", "Implicit VR Little Endian", "SCP", "None"],
        ["Verification", "", "Implicit VR Little Endian", "SCP", "None"],
    ]
    story = [
        heading("2.3.2 Receive Images AE"),
        para("The Receive Images AE accepts images from modalities."),
        heading("2.3.2.3.1 Acceptable Presentation Contexts - Receive Images"),
        table(rows, [5.2, 1.4, 5.0, 1.2, 2.2], ruling=ruling, header_rows=2),
    ]
    path = build(tmp_path / "receive.pdf", story, footer="Acme DR 2   Page {page}")
    assert services(path) == {
        (keyword_uid("DigitalXRayImageStorageForPresentation"), "SCP"): sorted([ILE, ELE, JPEG_BASE]),
        (keyword_uid("GrayscaleSoftcopyPresentationStateStorage"), "SCP"): [ILE],
        (keyword_uid("Verification"), "SCP"): [ILE],
    }
