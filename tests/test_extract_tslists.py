"""Statement-wide transfer-syntax lists (issue 11 item 3, SCHEMA rule).

Many statements give one "Supported Transfer Syntaxes" section (often split into uncompressed
and compressed tables), or say "X supports the following N transfer syntaxes for all applicable
SOP classes", and map no syntax to any class. Such a list applies to every storage SOP class the
product states, in each role it states it (SCU to forward and for C-MOVE sub-operations, SCP to
receive), or only in the one role or AE the list is stated for; "for all SOP classes" reaches
the non-storage classes too. Each statement is written here in Markdown, HTML and plain text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from statement_kit import md_table, services

from conformance.uids import keyword_uid

ILE = keyword_uid("ImplicitVRLittleEndian")
ELE = keyword_uid("ExplicitVRLittleEndian")
EBE = keyword_uid("ExplicitVRBigEndian")
JPEG_LL = keyword_uid("JPEGLosslessSV1")
J2K_LL = keyword_uid("JPEG2000Lossless")
RLE = keyword_uid("RLELossless")
CT = keyword_uid("CTImageStorage")
MR = keyword_uid("MRImageStorage")
SC = keyword_uid("SecondaryCaptureImageStorage")
VERIFY = keyword_uid("Verification")
STUDY_FIND = keyword_uid("StudyRootQueryRetrieveInformationModelFind")
STUDY_MOVE = keyword_uid("StudyRootQueryRetrieveInformationModelMove")

UNCOMPRESSED = [
    ("Implicit VR Little Endian", ILE),
    ("Explicit VR Little Endian", ELE),
    ("Explicit VR Big Endian", EBE),
]
COMPRESSED = [
    ("JPEG Lossless, Non-Hierarchical, First-Order Prediction", JPEG_LL),
    ("JPEG 2000 Image Compression (Lossless Only)", J2K_LL),
    ("RLE Lossless", RLE),
]
ALL_TS = sorted(u for _, u in UNCOMPRESSED + COMPRESSED)
CLASSES = [("CT Image Storage", CT), ("MR Image Storage", MR), ("Secondary Capture Image Storage", SC)]
# SOP class, SCU, SCP: storage both ways (receive, and forward), verification both ways, Q/R as SCU
OVERVIEW = [
    *[(n, u, "Yes", "Yes") for n, u in CLASSES],
    ("Verification SOP Class", VERIFY, "Yes", "Yes"),
    ("Study Root Query/Retrieve Information Model - FIND", STUDY_FIND, "Yes", "No"),
    ("Study Root Query/Retrieve Information Model - MOVE", STUDY_MOVE, "Yes", "No"),
]


def _expected(
    storage_ts: list[str], roles: tuple[str, ...] = ("SCU", "SCP")
) -> dict[tuple[str, str], list[str]]:
    out = {(u, r): (storage_ts if r in roles else []) for _, u in CLASSES for r in ("SCU", "SCP")}
    out |= {(VERIFY, "SCU"): [], (VERIFY, "SCP"): [], (STUDY_FIND, "SCU"): [], (STUDY_MOVE, "SCU"): []}
    return out


def _markdown_split(tmp_path: Path) -> Path:
    """A 'Supported Transfer Syntaxes' section before the SOP classes, in two tables."""
    text = "\n\n".join(
        [
            "# Acme Router 2.4 DICOM Conformance Statement",
            "## 1 Introduction",
            "Acme Router receives images from modalities and forwards them to the archive.",
            "## 2 Supported Transfer Syntaxes",
            "### 2.1 Uncompressed",
            md_table(["Transfer Syntax", "UID"], UNCOMPRESSED),
            "### 2.2 Compressed",
            md_table(["Transfer Syntax", "UID"], COMPRESSED),
            "## 3 Supported SOP Classes",
            md_table(["SOP Class", "UID", "SCU", "SCP"], OVERVIEW),
        ]
    )
    path = tmp_path / "router.md"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _html_split(tmp_path: Path) -> Path:
    def table(header: list[str], rows: list[tuple[str, ...]]) -> str:
        head = "".join(f"<th>{h}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
        return f"<table><tr>{head}</tr>{body}</table>"

    html = (
        "<html><body><h1>Acme Router 2.4 DICOM Conformance Statement</h1>"
        "<h2>1 Supported SOP Classes</h2>"
        + table(["SOP Class", "UID", "SCU", "SCP"], OVERVIEW)
        + "<h2>2 Supported Transfer Syntaxes</h2><p>The router supports the transfer syntaxes below "
        "for all applicable SOP classes.</p><p>Uncompressed transfer syntaxes:</p>"
        + table(["Transfer Syntax Name", "Transfer Syntax UID"], UNCOMPRESSED)
        + "<p>Compressed transfer syntaxes:</p>"
        + table(["Transfer Syntax Name", "Transfer Syntax UID"], COMPRESSED)
        + "</body></html>"
    )
    path = tmp_path / "router.html"
    path.write_text(html, encoding="utf-8")
    return path


def _text_sentence(tmp_path: Path) -> Path:
    """Plain text: 'supports the following 6 transfer syntaxes for all applicable SOP classes'."""
    rows = "\n".join(f"{n:<52}{u:<30}{scu:<6}{scp}" for n, u, scu, scp in OVERVIEW)
    names = "\n".join(f"  - {n}" for n, _ in UNCOMPRESSED + COMPRESSED)
    text = f"""ACME ROUTER 2.4 DICOM CONFORMANCE STATEMENT

1 NETWORK SERVICES

SOP Class                                           UID                           SCU   SCP
{rows}

2 TRANSFER SYNTAXES

Acme Router supports the following 6 transfer syntaxes for all applicable SOP classes:

{names}
"""
    path = tmp_path / "router.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "make", [_markdown_split, _html_split, _text_sentence], ids=["md-split", "html", "text"]
)
def test_statement_wide_list_applies_to_storage_classes_in_both_roles(tmp_path: Path, make: Any) -> None:
    assert services(make(tmp_path)) == _expected(ALL_TS)


def test_a_list_stated_for_one_role_applies_in_that_role_only(tmp_path: Path) -> None:
    text = "\n\n".join(
        [
            "# Acme Viewer 5 DICOM Conformance Statement",
            "## 1 SOP Classes",
            md_table(["SOP Class", "UID", "SCU", "SCP"], OVERVIEW),
            "## 2 Transfer Options",
            "### 2.1 Transfer Syntaxes (SCU)",
            "Acme Viewer can propose all the following transfer syntaxes in association negotiation:",
            md_table(["Transfer Syntax", "UID"], COMPRESSED),
        ]
    )
    path = tmp_path / "viewer.md"
    path.write_text(text + "\n", encoding="utf-8")
    assert services(path) == _expected(sorted(u for _, u in COMPRESSED), roles=("SCU",))


def test_a_list_for_all_sop_classes_of_an_ae_reaches_verification(tmp_path: Path) -> None:
    text = "\n\n".join(
        [
            "# Acme Archive 7 DICOM Conformance Statement",
            "## 3 Storage SCP",
            "### 3.1 Transfer Syntaxes",
            "The archive accepts the following transfer syntaxes for all SOP classes:",
            md_table(["UID", "Name"], [(u, n) for n, u in UNCOMPRESSED]),
            "### 3.2 SOP Classes",
            md_table(["SOP Class UID", "Name"], [(u, n) for n, u in [*CLASSES, ("Verification", VERIFY)]]),
            "## 4 Query SCU",
            md_table(
                ["SOP Class", "UID", "Role"],
                [("Study Root Query/Retrieve Information Model - FIND", STUDY_FIND, "SCU")],
            ),
        ]
    )
    path = tmp_path / "archive.md"
    path.write_text(text + "\n", encoding="utf-8")
    ts = sorted(u for _, u in UNCOMPRESSED)
    assert services(path) == {
        **{(u, "SCP"): ts for _, u in CLASSES},
        (VERIFY, "SCP"): ts,
        (STUDY_FIND, "SCU"): [],
    }


def test_a_list_after_the_classes_for_all_of_them_reaches_every_class(tmp_path: Path) -> None:
    """'... for all of the abovementioned SOP Classes using any of the following transfer syntaxes'
    right after the SOP class list: every class above gets them, Verification and Q/R too."""
    text = "\n\n".join(
        [
            "# Acme Router 2.4 DICOM Conformance Statement",
            "## 1 Supported SOP Classes",
            md_table(["SOP Class", "UID", "SCU", "SCP"], OVERVIEW),
            "## 2 Transfer Syntaxes",
            "The router negotiates all of the above SOP classes with any of the following transfer syntaxes:",
            md_table(["Transfer Syntax", "UID"], UNCOMPRESSED),
        ]
    )
    path = tmp_path / "router.md"
    path.write_text(text + "\n", encoding="utf-8")
    ts = sorted(u for _, u in UNCOMPRESSED)
    assert services(path) == {key: ts for key in _expected(ts)}


def test_roles_with_notes_and_a_list_introduced_for_one_role(tmp_path: Path) -> None:
    """'SCP (server)' in a Role column is the SCP role; a list whose own header is not recognised is
    still a transfer-syntax list when the line introducing it says so, and that line's '(SCP)' is
    the one role it is for."""
    text = "\n\n".join(
        [
            "# Acme Worklist Broker DICOM Conformance Statement",
            "## 1 Roles",
            md_table(
                ["Service", "Role", "When"],
                [
                    ("Modality Worklist C-FIND", "SCP (server)", "always"),
                    ("Verification (C-ECHO)", "SCP", "always"),
                    ("Modality Worklist C-FIND", "SCU (client)", "for each upstream source"),
                ],
            ),
            "## 3 Presentation Contexts",
            "Offered (SCP) are the transfer-syntaxes the toolkit proposes:",
            md_table(["Transfer Syntax", "UID", "Keyword (toolkit)"], [(n, u, "-") for n, u in UNCOMPRESSED]),
        ]
    )
    path = tmp_path / "broker.md"
    path.write_text(text + "\n", encoding="utf-8")
    ts = sorted(u for _, u in UNCOMPRESSED)
    mwl = keyword_uid("ModalityWorklistInformationModelFind")
    assert services(path) == {(mwl, "SCP"): ts, (VERIFY, "SCP"): ts, (mwl, "SCU"): []}


@pytest.mark.parametrize("ruling", ["grid", "horizontal", "none"])
def test_pdf_supported_transfer_syntaxes_section_split_in_two(tmp_path: Path, ruling: str) -> None:
    from pdf_kit import build, heading, para, table

    overview = [["SOP Class Name", "SOP Class UID", "SCU", "SCP"], *([n, u, s, p] for n, u, s, p in OVERVIEW)]
    story = [
        heading("1 Introduction"),
        para("Acme Router 2.4 receives images from modalities and forwards them to the archive."),
        heading("2 Network Services"),
        para("Table 2-1 Supported SOP Classes"),
        table(overview, [7.0, 5.0, 2.0, 2.0], ruling=ruling),
        heading("3 Supported Transfer Syntaxes"),
        para("Acme Router supports the following 6 transfer syntaxes for all applicable SOP classes."),
        heading("3.1 Uncompressed Transfer Syntaxes"),
        table(
            [["Transfer Syntax Name", "Transfer Syntax UID"], *([n, u] for n, u in UNCOMPRESSED)],
            [9.0, 7.0],
            ruling=ruling,
        ),
        heading("3.2 Compressed Transfer Syntaxes"),
        table(
            [["Transfer Syntax Name", "Transfer Syntax UID"], *([n, u] for n, u in COMPRESSED)],
            [9.0, 7.0],
            ruling=ruling,
        ),
    ]
    path = build(
        tmp_path / "router.pdf", story, header="Acme Imaging Ltd.", footer="Acme Router 2.4   Page {page}"
    )
    assert services(path) == _expected(ALL_TS)


@pytest.mark.parametrize(
    "sentence",
    [
        "Acme Router supports Implicit VR Little Endian, Explicit VR Little Endian and Explicit VR "
        "Big Endian for all applicable SOP classes.",
        "The router accepts the transfer syntaxes Implicit VR Little Endian, Explicit VR Little Endian or "
        "Explicit VR Big Endian for any storage SOP class.",
    ],
)
def test_a_statement_wide_list_written_in_one_sentence(tmp_path: Path, sentence: str) -> None:
    text = "\n\n".join(
        [
            "# Acme Router 2.4 DICOM Conformance Statement",
            "## 1 Supported SOP Classes",
            md_table(["SOP Class", "UID", "SCU", "SCP"], OVERVIEW),
            "## 2 Transfer Syntaxes",
            sentence,
            "The Explicit VR Little Endian transfer syntax is preferred for all associations.",
        ]
    )
    path = tmp_path / "router.md"
    path.write_text(text + "\n", encoding="utf-8")
    ts = sorted(u for _, u in UNCOMPRESSED)
    roles = ("SCP",) if "accepts" in sentence else ("SCU", "SCP")
    assert services(path) == _expected(ts, roles=roles)


def test_a_media_profile_list_is_no_network_list(tmp_path: Path) -> None:
    """The transfer syntax of files written to CD-R (a media application profile) says nothing of
    the syntaxes the product negotiates on the network."""
    text = "\n\n".join(
        [
            "# Acme Viewer 5 DICOM Conformance Statement",
            "## 1 SOP Classes",
            md_table(["SOP Class", "UID", "SCU", "SCP"], OVERVIEW),
            "## 7 Media Storage",
            "### 7.1 Supported Application Profiles",
            "Files on CD-R (STD-GEN-CD) are written with this transfer syntax:",
            md_table(["Transfer Syntax", "UID"], UNCOMPRESSED[1:2]),
        ]
    )
    path = tmp_path / "viewer.md"
    path.write_text(text + "\n", encoding="utf-8")
    assert services(path) == _expected([])
