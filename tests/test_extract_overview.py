"""The PS3.2 "Network Services" overview table (issue 11 items 6 and 8).

The 2008 template opens with SOP classes named under service headings ("Transfer",
"Query/Retrieve", "Workflow Management") with Yes/No under "User of Service (SCU)" and
"Provider of Service (SCP)"; services stated only there (Verification, Modality Worklist, MPPS,
Q/R as SCU) are services even when the detail sections cover storage only. The current template
(Annex N of recent editions) gives UIDs in that table and one role column per AE. Each layout is
built as Markdown, HTML, aligned text and as PDFs ruled three ways.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_kit import build, heading, para, table
from statement_kit import md_table, services

from conformance.parsers import parse_statement
from conformance.uids import keyword_uid

CT = keyword_uid("CTImageStorage")
ENH_CT = keyword_uid("EnhancedCTImageStorage")
MR = keyword_uid("MRImageStorage")
SC = keyword_uid("SecondaryCaptureImageStorage")
VERIFY = keyword_uid("Verification")
STUDY_FIND = keyword_uid("StudyRootQueryRetrieveInformationModelFind")
STUDY_MOVE = keyword_uid("StudyRootQueryRetrieveInformationModelMove")
MWL = keyword_uid("ModalityWorklistInformationModelFind")
MPPS = keyword_uid("ModalityPerformedProcedureStep")
COMMIT = keyword_uid("StorageCommitmentPushModel")
ELE = keyword_uid("ExplicitVRLittleEndian")

OVERVIEW = [
    ["SOP Classes", "User of Service (SCU)", "Provider of Service (SCP)"],
    ["Transfer", "", ""],
    ["CT Image Storage", "Yes", "No"],
    ["Enhanced CT Image Storage", "Yes", "No"],
    ["Secondary Capture Image Storage", "Yes", "No"],
    ["Query/Retrieve", "", ""],
    ["Study Root Information Model FIND", "Yes", "No"],
    ["Study Root Information Model MOVE", "Yes", "No"],
    ["Workflow Management", "", ""],
    ["Modality Worklist Information Model - FIND", "Yes", "No"],
    ["Modality Performed Procedure Step", "Yes", "No"],
    ["Storage Commitment Push Model", "Yes", "No"],
    ["Verification", "", ""],
    ["Verification", "Yes", "Yes"],
]
DETAIL = [
    ["SOP Class Name", "SOP Class UID", "Transfer Syntax", "Role"],
    ["CT Image Storage", CT, ELE, "SCU"],
    ["Enhanced CT Image Storage", ENH_CT, ELE, "SCU"],
    ["Secondary Capture Image Storage", SC, ELE, "SCU"],
]
EXPECTED = {
    (CT, "SCU"): [ELE],
    (ENH_CT, "SCU"): [ELE],
    (SC, "SCU"): [ELE],
    (STUDY_FIND, "SCU"): [],
    (STUDY_MOVE, "SCU"): [],
    (MWL, "SCU"): [],
    (MPPS, "SCU"): [],
    (COMMIT, "SCU"): [],
    (VERIFY, "SCU"): [],
    (VERIFY, "SCP"): [],
}
INTRO = "The Acme Modality 7 sends images, queries worklists and reports procedure steps."


def test_markdown_overview_states_services_the_details_leave_out(tmp_path: Path) -> None:
    rows = [OVERVIEW[0], *([f"**{r[0]}**", "", ""] if not r[1] else r for r in OVERVIEW[1:])]
    text = "\n\n".join(
        [
            "# Acme Modality 7 DICOM Conformance Statement",
            "## 1 Conformance Statement Overview",
            INTRO,
            "Table 1-1 Network Services",
            md_table(rows[0], rows[1:]),
            "## 4 Networking",
            "### 4.2.1 Storage AE",
            "#### 4.2.1.3 Proposed Presentation Contexts",
            md_table(DETAIL[0], DETAIL[1:]),
        ]
    )
    path = tmp_path / "modality.md"
    path.write_text(text + "\n", encoding="utf-8")
    assert services(path) == EXPECTED


def test_html_overview_with_spanned_service_headings(tmp_path: Path) -> None:
    def tr(r: list[str], cell: str = "td") -> str:
        if not r[1]:
            return f'<tr><td colspan="3"><b>{r[0]}</b></td></tr>'
        return "<tr>" + "".join(f"<{cell}>{c}</{cell}>" for c in r) + "</tr>"

    overview = tr(OVERVIEW[0], "th") + "".join(tr(r) for r in OVERVIEW[1:])
    detail = tr(DETAIL[0], "th") + "".join(tr(r) for r in DETAIL[1:])
    html = (
        "<html><body><h1>Acme Modality 7 DICOM Conformance Statement</h1><h2>1 Overview</h2>"
        f"<p>{INTRO}</p><table>{overview}</table><h2>4 Networking</h2><h3>4.2.1 Storage AE</h3>"
        f"<h4>4.2.1.3 Proposed Presentation Contexts</h4><table>{detail}</table></body></html>"
    )
    path = tmp_path / "modality.html"
    path.write_text(html, encoding="utf-8")
    assert services(path) == EXPECTED


def test_aligned_text_overview(tmp_path: Path) -> None:
    def line(r: list[str]) -> str:
        return f"{r[0]:<48}{r[1]:<26}{r[2]}".rstrip()

    detail = "\n".join(f"{r[0]:<36}{r[1]:<32}{r[2]:<24}{r[3]}" for r in DETAIL)
    text = (
        "ACME MODALITY 7 DICOM CONFORMANCE STATEMENT\n\n1 CONFORMANCE STATEMENT OVERVIEW\n\n"
        f"{INTRO}\n\n"
        + "\n".join(line(r) for r in OVERVIEW)
        + f"\n\n4 NETWORKING\n\n4.2.1 Storage AE\n\n4.2.1.3 Proposed Presentation Contexts\n\n{detail}\n"
    )
    path = tmp_path / "modality.txt"
    path.write_text(text, encoding="utf-8")
    assert services(path) == EXPECTED


@pytest.mark.parametrize("ruling", ["grid", "horizontal", "none"])
def test_pdf_overview_without_uids(tmp_path: Path, ruling: str) -> None:
    spans = [((0, i), (2, i)) for i, r in enumerate(OVERVIEW) if i and not r[1]] if ruling == "grid" else []
    story = [
        heading("1 Conformance Statement Overview"),
        para(INTRO),
        para("Table 1-1 Network Services"),
        table(OVERVIEW, [8.0, 4.0, 4.0], ruling=ruling, spans=spans),
        heading("4 Networking"),
        heading("4.2.1 Storage AE"),
        heading("4.2.1.3 Proposed Presentation Contexts"),
        table(DETAIL, [5.0, 5.0, 4.0, 2.0], ruling=ruling),
    ]
    path = build(
        tmp_path / "modality.pdf", story, footer="Acme Modality 7 DICOM Conformance Statement   Page {page}"
    )
    assert services(path) == EXPECTED


# ------------------------------------------------------------ item 8: the current template
ANNEX_N = [
    ["SOP Class Name", "SOP Class UID", "STORE-SCU", "STORE-SCP", "QUERY-SCU"],
    ["Transfer", "", "", "", ""],
    ["CT Image Storage", CT, "SCU", "SCP", "-"],
    ["MR Image Storage", MR, "SCU", "SCP", "-"],
    ["Secondary Capture Image Storage", SC, "SCU", "-", "-"],
    ["Query/Retrieve", "", "", "", ""],
    ["Study Root Query/Retrieve Information Model - FIND", STUDY_FIND, "-", "-", "SCU"],
    ["Study Root Query/Retrieve Information Model - MOVE", STUDY_MOVE, "-", "-", "SCU"],
    ["Verification", "", "", "", ""],
    ["Verification", VERIFY, "SCU", "SCP", "SCU"],
]
ANNEX_N_EXPECTED = {
    (CT, "SCU"): [ELE],
    (CT, "SCP"): [],
    (MR, "SCU"): [ELE],
    (MR, "SCP"): [],
    (SC, "SCU"): [ELE],
    (STUDY_FIND, "SCU"): [],
    (STUDY_MOVE, "SCU"): [],
    (VERIFY, "SCU"): [],
    (VERIFY, "SCP"): [],
}
ANNEX_N_AES = {
    "STORE-SCU": {(CT, "SCU"), (MR, "SCU"), (SC, "SCU"), (VERIFY, "SCU")},
    "STORE-SCP": {(CT, "SCP"), (MR, "SCP"), (VERIFY, "SCP")},
    "QUERY-SCU": {(STUDY_FIND, "SCU"), (STUDY_MOVE, "SCU"), (VERIFY, "SCU")},
}
ANNEX_N_DETAIL = [
    ["Abstract Syntax Name", "Abstract Syntax UID", "Transfer Syntax UID", "Role"],
    ["CT Image Storage", CT, ELE, "SCU"],
    ["MR Image Storage", MR, ELE, "SCU"],
    ["Secondary Capture Image Storage", SC, ELE, "SCU"],
]


def _check_annex_n(path: Path) -> None:
    st = parse_statement(path, use_cache=False)
    assert services(path) == ANNEX_N_EXPECTED
    got = {ae.name: {(c.sop_class_uid, c.role.value) for c in ae.capabilities} for ae in st.aes}
    assert got == ANNEX_N_AES


def test_markdown_current_template_role_column_per_ae(tmp_path: Path) -> None:
    rows = [ANNEX_N[0], *([f"**{r[0]}**", "", "", "", ""] if not r[1] else r for r in ANNEX_N[1:])]
    text = "\n\n".join(
        [
            "# Acme Workstation 12 DICOM Conformance Statement",
            "## 1 Overview",
            "Table 1-1 Network Services",
            md_table(rows[0], rows[1:]),
            "## 4 Networking",
            "### 4.2.1 STORE-SCU AE",
            "#### 4.2.1.3 Proposed Presentation Contexts",
            md_table(ANNEX_N_DETAIL[0], ANNEX_N_DETAIL[1:]),
        ]
    )
    path = tmp_path / "workstation.md"
    path.write_text(text + "\n", encoding="utf-8")
    _check_annex_n(path)


@pytest.mark.parametrize("ruling", ["grid", "horizontal"])
def test_pdf_current_template_role_column_per_ae(tmp_path: Path, ruling: str) -> None:
    story = [
        heading("1 Overview"),
        para("Table 1-1 Network Services"),
        table(ANNEX_N, [5.0, 4.4, 2.4, 2.4, 2.4], ruling=ruling),
        heading("4 Networking"),
        heading("4.2.1 STORE-SCU AE"),
        heading("4.2.1.3 Proposed Presentation Contexts"),
        table(ANNEX_N_DETAIL, [5.0, 5.0, 4.0, 2.0], ruling=ruling),
    ]
    _check_annex_n(build(tmp_path / "workstation.pdf", story, footer="Acme Workstation 12   Page {page}"))


def test_dimse_names_in_data_rows_are_not_ae_column_heads(tmp_path: Path) -> None:
    """'C-STORE | SCP | Accepts all Storage SOP classes' is a data row of a DIMSE services table,
    not a header naming AE columns: the C-ECHO row below it still states Verification SCP."""
    text = "\n\n".join(
        [
            "# Acme Gateway DICOM Conformance Statement",
            "## 3 Storage SCP",
            md_table(["SOP Class UID", "Name"], [(CT, "CT Image Storage")]),
            "### 3.3 DIMSE Services",
            md_table(
                ["Service", "Role", "Notes"],
                [
                    ("C-STORE", "SCP", "Accepts all Storage SOP classes"),
                    ("C-ECHO", "SCP", "Answers verification"),
                ],
            ),
        ]
    )
    path = tmp_path / "gateway.md"
    path.write_text(text + "\n", encoding="utf-8")
    assert services(path) == {(CT, "SCP"): [], (VERIFY, "SCP"): []}
