"""Services stated without a SOP class table, and text that states no service at all.

Small products often state a service only through the DIMSE operation that carries it
("C-ECHO: accepts verification requests", "| Verification SCP | C-ECHO recebido |") or in a
role table ("| ECHO_AE | Verification | C-ECHO SCU + SCP |"); such a statement must not read as
empty. The reverse matters as much: a workflow sentence, a debug log in a literal block or a
code fence, and a service *class* ("Storage Service Class") are no services. Each statement
below is written here in the style described, in the languages statements come in.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_kit import build, heading, para, table
from statement_kit import md_table, services

from conformance.facts import to_facts
from conformance.model import Statement
from conformance.parsers import parse_statement
from conformance.uids import keyword_uid

CT = keyword_uid("CTImageStorage")
MR = keyword_uid("MRImageStorage")
VERIFY = keyword_uid("Verification")
MWL = keyword_uid("ModalityWorklistInformationModelFind")
ELE = keyword_uid("ExplicitVRLittleEndian")
ILE = keyword_uid("ImplicitVRLittleEndian")
STORAGE_SERVICE_CLASS = "1.2.840.10008.4.2"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_service_class_row_is_no_service(tmp_path: Path) -> None:
    """'Storage Service Class' (its UID is a service class, used only in extended negotiation)
    states a family of classes, not one negotiated: the rows beside it are the services."""
    text = "\n\n".join(
        [
            "# Acme Router DICOM Conformance Statement",
            "## Services",
            md_table(
                ["Service", "SOP Class", "Role"],
                [
                    ["Storage", f"Storage Service Class ({STORAGE_SERVICE_CLASS})", "SCP"],
                    ["Storage", "Storage Service Class", "SCU"],
                    ["Verification", f"Verification SOP Class ({VERIFY})", "SCP"],
                    ["Worklist", f"Modality Worklist Information Model - FIND ({MWL})", "SCP"],
                ],
            ),
        ]
    )
    got = services(_write(tmp_path, "router.md", text))
    assert got == {(VERIFY, "SCP"): [], (MWL, "SCP"): []}


# -- examples are not claims --------------------------------------------------------------
_LOG = [
    "I: Association Received",
    "D: ===================== INCOMING DIMSE MESSAGE ====================",
    "D: Message Type                  : C-STORE RQ",
    f"D: Affected SOP Class UID        : {CT}",
    "D: Affected SOP Instance UID     : 1.2.3.4.5.6",
    f'D: pydicom.read_dataset() TransferSyntax="Explicit VR Little Endian" ({ELE})',
    "I: Association Released",
]
_VERIFICATION_ONLY = md_table(
    ["SOP Class Name", "SOP Class UID", "Role"], [["Verification SOP Class", VERIFY, "SCP"]]
)


def _assert_example_unused(path: Path) -> None:
    st = parse_statement(path, use_cache=False)
    assert {(c.sop_class_uid, c.role.value) for c in st.capabilities()} == {(VERIFY, "SCP")}
    # the log's CT class is a passing mention, not a class the reader missed
    assert [s.uid for s in st.coverage.unattached_sop_classes] == []
    assert st.coverage.passing_mentions >= 1


def test_rst_literal_block_debug_log_is_no_claim(tmp_path: Path) -> None:
    log = "\n".join("    " + line for line in _LOG)
    text = (
        "========\nechoscp\n========\n\n"
        "The application receives C-STORE requests; with ``-d`` it logs each message\n"
        "as in this example::\n\n"
        f"{log}\n\n"
        "It can also be run quietly:\n\n::\n\n    user@host: echoscp 11112 -q\n"
        f"{log}\n\n"
        "Conformance\n===========\n\n"
        "The application supports the following SOP classes as an SCP:\n\n"
        "+------------------------+-------------------+\n"
        "| SOP Class              | UID               |\n"
        "+========================+===================+\n"
        f"| Verification SOP Class | {VERIFY:17} |\n"
        "+------------------------+-------------------+\n"
    )
    _assert_example_unused(_write(tmp_path, "echoscp.rst", text))


def test_markdown_code_fence_log_is_no_claim(tmp_path: Path) -> None:
    text = "\n\n".join(
        [
            "# Acme Echo Responder DICOM Conformance Statement",
            "## Logging",
            "A C-STORE request from a peer is logged like this:",
            "```text\n" + "\n".join(_LOG) + "\n```",
            "~~~\nModality --- C-STORE --> Storage SCP\nModality --- C-FIND --> MWL SCP\n~~~",
            "## Supported SOP Classes",
            _VERIFICATION_ONLY,
        ]
    )
    _assert_example_unused(_write(tmp_path, "echo.md", text))


def test_html_pre_log_is_no_claim(tmp_path: Path) -> None:
    text = (
        "<html><body><h1>Acme Echo Responder</h1><h2>Logging</h2>"
        "<p>A request is logged like this:</p><pre>" + "\n".join(_LOG) + "</pre>"
        "<h2>Supported SOP Classes</h2><table><tr><th>SOP Class Name</th><th>SOP Class UID</th>"
        f"<th>Role</th></tr><tr><td>Verification SOP Class</td><td>{VERIFY}</td><td>SCP</td></tr>"
        "</table></body></html>"
    )
    _assert_example_unused(_write(tmp_path, "echo.html", text))


def test_default_configuration_in_a_code_block_still_states_scalars(tmp_path: Path) -> None:
    """A default configuration file shown as it is states the product's defaults; a log states no service."""
    text = "\n\n".join(
        [
            "# Acme Echo Responder DICOM Conformance Statement",
            "## Configuration",
            "The default configuration file is:",
            "```ini\n[DEFAULT]\nae_title: ECHOSCP\n# Our maximum PDU size\nmax_pdu: 32768\n```",
            "## Supported SOP Classes",
            _VERIFICATION_ONLY,
        ]
    )
    facts = to_facts(parse_statement(_write(tmp_path, "echo.md", text), use_cache=False))
    assert facts["max_pdu_receive"] == 32768
    assert [(s["sop_class_uid"], s["role"]) for s in facts["services"]] == [(VERIFY, "SCP")]


# -- services stated by the DIMSE operation or service name, with a role -------------------
def _statement(tmp_path: Path, name: str, text: str) -> Statement:
    return parse_statement(_write(tmp_path, name, text), use_cache=False)


def test_prose_only_bullets_under_a_role_heading(tmp_path: Path) -> None:
    """A prose-only statement: DIMSE bullets whose verb gives the role; storage for 'any' class."""
    text = "\n\n".join(
        [
            "# DICOM Interface",
            "The following describes the connectivity of the Acme Imaging Gateway.",
            "## DICOM SCP",
            "### DIMSE Services (SCP)",
            "* **C-STORE**: Accepts incoming DICOM objects\n"
            "* **C-ECHO**: Accepts incoming DICOM verification requests",
            "The gateway accepts any proposed transfer syntax and stores instances as they are.",
            "## DICOM SCU",
            "**C-STORE**: Sends processed results to the configured archive",
        ]
    )
    st = _statement(tmp_path, "gateway.md", text)
    assert {(c.sop_class_uid, c.role.value) for c in st.capabilities()} == {(VERIFY, "SCP")}
    assert not any("no SOP classes found" in w for w in st.warnings)


def test_portuguese_role_table_with_a_planned_row(tmp_path: Path) -> None:
    text = "\n\n".join(
        [
            "# Declaração de Conformidade DICOM — Roteador Acme",
            "## Funções",
            md_table(
                ["Papel", "Serviço", "Estado"],
                [
                    ["Verification SCP", "C-ECHO recebido de modalidade autorizada", "Implementado."],
                    ["Storage SCP", "C-STORE de SOP Classes de armazenamento negociadas", "Implementado."],
                    ["Storage SCU", "C-STORE para o PACS configurado", "Implementado."],
                    ["MWL SCP", "Modality Worklist C-FIND", "Será entregue na próxima etapa."],
                ],
            ),
        ]
    )
    got = services(_write(tmp_path, "roteador.md", text))
    assert got == {(VERIFY, "SCP"): []}


def test_ae_summary_rows_name_services_with_roles(tmp_path: Path) -> None:
    """'C-ECHO SCU + SCP' is Verification in both roles; 'Query/Retrieve SCU | C-FIND, C-MOVE' names no
    one class (no information model) and adds nothing; the detail table gives the storage classes."""
    text = "\n\n".join(
        [
            "# Acme Processing Engine DICOM Conformance Statement",
            "## AE Specifications Summary",
            md_table(
                ["AE Title (default)", "Role", "Supported Services"],
                [
                    ["`ACME_STORE`", "Storage SCU", "C-STORE (push to PACS)"],
                    ["`ACME_QR`", "Query/Retrieve SCU", "C-FIND, C-MOVE"],
                    ["`ACME_MWL`", "Worklist", "Modality Worklist C-FIND SCU"],
                    ["`ACME_ECHO`", "Verification", "C-ECHO SCU + SCP"],
                ],
            ),
            "## ACME_STORE - Storage SCU",
            "### SOP Classes (Storage SCU)",
            md_table(
                ["SOP Class Name", "SOP Class UID"], [["CT Image Storage", CT], ["MR Image Storage", MR]]
            ),
        ]
    )
    got = services(_write(tmp_path, "engine.md", text))
    assert got == {
        (VERIFY, "SCU"): [],
        (VERIFY, "SCP"): [],
        (MWL, "SCU"): [],
        (CT, "SCU"): [],
        (MR, "SCU"): [],
    }


def test_service_role_bullets_give_roleless_storage_table_its_role(tmp_path: Path) -> None:
    """'Storage SCP: accepts and stores' names no class, but the storage classes a table lists without a
    role are its classes; the statement-wide syntax list then reaches them (SCHEMA rule)."""
    text = "\n\n".join(
        [
            "# DICOM Conformance Statement",
            "## Acme Mini PACS",
            "### 2. Functional Definitions",
            "- **Storage SCP**: Accepts and stores DICOM objects\n"
            "- **Query/Retrieve SCP**: Provides C-FIND, C-MOVE, C-GET services\n"
            "- **Storage Commitment SCP**: Ensures data persistence",
            "### 3. Networking",
            "#### 3.1 Supported Transfer Syntaxes",
            md_table(
                ["Transfer Syntax", "UID"],
                [["Implicit VR Little Endian", ILE], ["Explicit VR Little Endian", ELE]],
            ),
            "### 4. Annexes",
            "#### 4.1 Supported Storage SOP Classes",
            md_table(
                ["SOP Class Name", "SOP Class UID"], [["CT Image Storage", CT], ["MR Image Storage", MR]]
            ),
        ]
    )
    got = services(_write(tmp_path, "minipacs.md", text))
    commit = keyword_uid("StorageCommitmentPushModel")
    assert got == {(CT, "SCP"): [ILE, ELE], (MR, "SCP"): [ILE, ELE], (commit, "SCP"): []}


def test_spanish_and_german_service_names(tmp_path: Path) -> None:
    text = "\n\n".join(
        [
            "# Declaración de conformidad DICOM — Estación Acme",
            "## Servicios",
            "- **Verificación SCP**: responde a solicitudes C-ECHO de las modalidades\n"
            "- **Almacenamiento SCP**: recibe imágenes de las modalidades",
            "## Clases SOP de almacenamiento",
            md_table(["Clase SOP", "UID"], [["CT Image Storage", CT]]),
            "## Dienste (deutsch)",
            md_table(
                ["Dienst", "Rolle", "Status"],
                [
                    ["Speicherbestätigung (Storage Commitment)", "SCU", "implementiert"],
                    ["Modalitäts-Arbeitsliste (Worklist)", "SCU", "geplant"],
                ],
            ),
        ]
    )
    got = services(_write(tmp_path, "estacion.md", text))
    commit = keyword_uid("StorageCommitmentPushModel")
    assert got == {(VERIFY, "SCP"): [], (CT, "SCP"): [], (commit, "SCU"): []}


def test_workflows_peers_glossaries_and_refusals_state_no_service(tmp_path: Path) -> None:
    """Only the detail table states services: the rest names services in passing."""
    text = "\n\n".join(
        [
            "# Acme Modality DICOM Conformance Statement",
            "## Revision History",
            md_table(["Version", "Description"], [["1.1", "Added C-ECHO SCP and MWL SCU"]]),
            "## Abbreviations",
            "- **MWL**: Modality Worklist\n- **SCP**: Service Class Provider",
            "## Sequencing of Real-World Activities",
            "1. **Verification:** The system sends C-ECHO to the PACS\n"
            "2. **Storage Commitment:** System sends N-ACTION, receives N-EVENT-REPORT",
            "## Implementation Model",
            "The modality pushes images to a remote Storage SCP and queries the Worklist SCP of the RIS.",
            "C-ECHO Verification shall succeed before any storage operation.",
            "This document describes the Storage SCU of the modality. "
            "Connection to a Storage Commitment SCP is configured in the service tool. "
            "If the MPPS SCP rejects the N-CREATE, the error is logged. "
            "The PACS, acting as Storage Commitment SCP, returns the result.",
            "### Requirements on the MPPS SCP",
            "The RIS must accept N-CREATE.",
            "### Interaction with the Verification SCP",
            "The archive answers echo requests.",
            md_table(
                ["Interface", "Supported"], [["Traditional DICOM networking (C-ECHO, C-FIND, C-STORE)", "No"]]
            ),
            "## Status Codes",
            md_table(
                ["Status", "Code", "Meaning"],
                [["Success", "0000", "The SCP has completed the matches. Worklist items are available."]],
            ),
            "## Storage SCU",
            md_table(["SOP Class Name", "SOP Class UID", "Role"], [["CT Image Storage", CT, "SCU"]]),
        ]
    )
    got = services(_write(tmp_path, "modality.md", text))
    assert got == {(CT, "SCU"): []}


def test_sop_class_prose_for_service_classes_and_headings(tmp_path: Path) -> None:
    """'acts as SCP for the Verification and Modality Worklist services', a heading 'MPPS SCU'."""
    text = "\n\n".join(
        [
            "# Acme Broker DICOM Conformance Statement",
            "## Overview",
            "The Acme Broker acts as SCP for the Verification and Modality Worklist services.",
            "### 4.2.3 MPPS SCU",
            "The broker reports the start and end of each procedure step to the RIS.",
        ]
    )
    got = services(_write(tmp_path, "broker.md", text))
    mpps = keyword_uid("ModalityPerformedProcedureStep")
    assert got == {(VERIFY, "SCP"): [], (MWL, "SCP"): [], (mpps, "SCU"): []}


def test_markdown_heading_right_above_a_code_fence(tmp_path: Path) -> None:
    """A heading directly above '```' is a heading, not a title underlined with backticks: the fence
    ends where it ends, and the table after it is read."""
    text = (
        "# Acme Archive DICOM Conformance Statement\n\n"
        "## Networking\n\n"
        "### Application Data Flow\n"
        "```\nRemote AE -> Association Request -> ARCHIVE\n         <- Association Accept <-\n```\n\n"
        "### Supported SOP Classes\n"
        + md_table(["SOP Class Name", "SOP Class UID", "Role"], [["CT Image Storage", CT, "SCP"]])
        + "\n"
    )
    assert services(_write(tmp_path, "archive.md", text)) == {(CT, "SCP"): []}


# -- statement-wide transfer-syntax lists beside presentation-context bullets ---------------
J2K_LL = keyword_uid("JPEG2000Lossless")
RLE = keyword_uid("RLELossless")
STUDY_FIND = keyword_uid("StudyRootQueryRetrieveInformationModelFind")


def _overview_statement(contexts: str) -> str:
    return "\n\n".join(
        [
            "# Acme Mock Server DICOM Conformance Statement",
            "## 1. Conformance Statement Overview",
            "### 1.1 Network Services Supported",
            md_table(
                ["SOP Class Name", "SOP Class UID", "User of Service (SCU)", "Provider of Service (SCP)"],
                [
                    ["**Verification**", "", "", ""],
                    ["Verification SOP Class", f"`{VERIFY}`", "No", "**Yes**"],
                    ["**Query/Retrieve**", "", "", ""],
                    ["Study Root Q/R Information Model - FIND", f"`{STUDY_FIND}`", "No", "**Yes**"],
                    ["Modality Worklist Information Model - FIND", f"`{MWL}`", "No", "**Yes**"],
                    ["**Storage**", "", "", ""],
                    ["CT Image Storage", f"`{CT}`", "**Yes**", "**Yes**"],
                    ["MR Image Storage", f"`{MR}`", "**Yes**", "**Yes**"],
                ],
            ),
            "### 1.2 Supported Transfer Syntaxes",
            "The server negotiates the following 3 standard Transfer Syntaxes:",
            md_table(
                ["Transfer Syntax Name", "Transfer Syntax UID", "Supported Roles"],
                [
                    ["**JPEG 2000 Lossless**", f"`{J2K_LL}`", "SCP / SCU"],
                    ["**Explicit VR Little Endian**", f"`{ELE}`", "SCP / SCU"],
                    ["**Implicit VR Little Endian** (Default)", f"`{ILE}`", "SCP / SCU"],
                ],
            ),
            "## 4. Networking",
            "### 4.2 Association Acceptance Policy",
            contexts,
        ]
    )


def test_statement_wide_list_beside_context_bullets_without_syntaxes(tmp_path: Path) -> None:
    """The list goes to the storage classes in both roles (SCHEMA); the context bullets name the other
    classes without syntaxes, and 'All 3 supported transfer syntaxes' is that list, for Verification."""
    contexts = (
        "#### Activity - Verification (C-ECHO)\n\n"
        "- **Accepted Presentation Context**:\n"
        f"  - Abstract Syntax: Verification SOP Class (`{VERIFY}`).\n"
        "  - Transfer Syntaxes: All 3 supported transfer syntaxes (prefers Explicit VR Little Endian).\n\n"
        "#### Activity - Query (C-FIND)\n\n"
        "- **Accepted Presentation Contexts**:\n"
        f"  - Modality Worklist Information Model - FIND (`{MWL}`)\n"
        f"  - Study Root Q/R Information Model - FIND (`{STUDY_FIND}`)\n"
    )
    got = services(_write(tmp_path, "mock.md", _overview_statement(contexts)))
    wide = sorted([J2K_LL, ELE, ILE])
    assert got == {
        (VERIFY, "SCP"): wide,
        (STUDY_FIND, "SCP"): [],
        (MWL, "SCP"): [],
        (CT, "SCU"): wide,
        (CT, "SCP"): wide,
        (MR, "SCU"): wide,
        (MR, "SCP"): wide,
    }


def test_a_class_with_its_own_context_keeps_its_own_syntaxes(tmp_path: Path) -> None:
    """CT is accepted with Explicit VR only in its context table: that is its SCP service; the list
    reaches the overview rows no context covers."""
    contexts = md_table(
        ["Abstract Syntax", "SOP Class UID", "Transfer Syntax", "Role"],
        [["CT Image Storage", CT, f"Explicit VR Little Endian ({ELE})", "SCP"]],
    )
    got = services(
        _write(tmp_path, "mock.md", _overview_statement("Accepted presentation contexts:\n\n" + contexts))
    )
    wide = sorted([J2K_LL, ELE, ILE])
    assert got == {
        (VERIFY, "SCP"): [],
        (STUDY_FIND, "SCP"): [],
        (MWL, "SCP"): [],
        (CT, "SCU"): wide,
        (CT, "SCP"): [ELE],
        (MR, "SCU"): wide,
        (MR, "SCP"): wide,
    }


def test_all_supported_syntaxes_reference_needs_a_list_of_that_size(tmp_path: Path) -> None:
    """'All 4 supported transfer syntaxes' where the statement lists 3: silence, not a guess."""
    contexts = (
        "#### Activity - Verification (C-ECHO)\n\n"
        f"- Abstract Syntax: Verification SOP Class (`{VERIFY}`).\n"
        "- Transfer Syntaxes: All 4 supported transfer syntaxes.\n"
    )
    got = services(_write(tmp_path, "mock.md", _overview_statement(contexts)))
    assert got[(VERIFY, "SCP")] == []


def test_statement_wide_list_reaches_a_storage_class_newer_than_the_dictionary(tmp_path: Path) -> None:
    newer = "1.2.840.10008.5.1.4.1.1.999.1"  # a storage class the installed dictionary does not know yet
    text = "\n\n".join(
        [
            "# Acme PACS DICOM Conformance Statement",
            "## 2. Supported Transfer Syntaxes",
            md_table(["Transfer Syntax", "UID"], [["Explicit VR Little Endian", ELE], ["RLE Lossless", RLE]]),
            "## 3. Supported SOP Classes",
            md_table(
                ["SOP Class", "UID", "SCU", "SCP"],
                [
                    ["Verification", VERIFY, "Yes", "Yes"],
                    ["CT Image Storage", CT, "Yes", "Yes"],
                    ["Future Segmentation Storage", newer, "Yes", "Yes"],
                ],
            ),
        ]
    )
    got = services(_write(tmp_path, "pacs.md", text))
    wide = sorted([ELE, RLE])
    assert got == {
        (VERIFY, "SCU"): [],
        (VERIFY, "SCP"): [],
        (CT, "SCU"): wide,
        (CT, "SCP"): wide,
        (newer, "SCU"): wide,
        (newer, "SCP"): wide,
    }


# -- a syntax cell mixing a UID with names --------------------------------------------------
def test_syntax_cell_mixing_a_uid_and_names_keeps_the_names(tmp_path: Path) -> None:
    """'MPEG-4 ... (uid), Explicit VR LE, Implicit VR LE' lists three syntaxes; a name on its own line
    above its UID describes that UID ('JPEG 2000' loosely written above the lossless UID adds nothing)."""
    video = keyword_uid("VideoPhotographicImageStorage")
    mpeg = keyword_uid("MPEG4HP41")
    jpeg_ll = keyword_uid("JPEGLosslessSV1")
    text = "\n\n".join(
        [
            "# Acme Camera DICOM Conformance Statement",
            "## Proposed Presentation Contexts",
            md_table(
                ["SOP Class", "Transfer Syntaxes", "Role"],
                [
                    [
                        "Video Photographic Image Storage",
                        f"MPEG-4 AVC/H.264 HP Level 4.1 (`{mpeg}`), Explicit VR LE, Implicit VR LE",
                        "SCU",
                    ],
                    [
                        "CT Image Storage",
                        f"JPEG Lossless, Non-Hierarchical, First-Order Prediction ({jpeg_ll}); "
                        "Explicit VR Little Endian",
                        "SCU",
                    ],
                ],
            ),
        ]
    )
    got = services(_write(tmp_path, "camera.md", text))
    assert got == {(video, "SCU"): sorted([mpeg, ELE, ILE]), (CT, "SCU"): sorted([jpeg_ll, ELE])}
    html = (
        "<html><body><h2>Accepted Presentation Contexts</h2><table>"
        "<tr><th>SOP Class</th><th>SOP Class UID</th><th>Transfer Syntax</th><th>Role</th></tr>"
        f"<tr><td>MR Image Storage</td><td>{MR}</td><td>JPEG 2000<br>{J2K_LL}</td><td>SCP</td></tr>"
        "</table></body></html>"
    )
    assert services(_write(tmp_path, "camera.html", html)) == {(MR, "SCP"): [J2K_LL]}


def test_dimse_operation_labels_name_their_service_beside_them(tmp_path: Path) -> None:
    """'N-ACTION: Requests storage commitment', '| C-FIND | Answers modality worklist queries |'; the
    user of Storage Commitment receives the N-EVENT-REPORT."""
    text = "\n\n".join(
        [
            "# Acme Modality DICOM Conformance Statement",
            "## DIMSE Services",
            "- **N-ACTION**: Requests storage commitment for the images sent",
            "## Worklist Server",
            md_table(
                ["Operation", "Description"],
                [["C-FIND", "Answers modality worklist queries from the scanners"]],
            ),
            "## Commitment results",
            md_table(
                ["Operation", "Description"],
                [["N-EVENT-REPORT", "Receives the storage commitment result from the archive"]],
            ),
        ]
    )
    commit = keyword_uid("StorageCommitmentPushModel")
    got = services(_write(tmp_path, "modality.md", text))
    assert got == {(commit, "SCU"): [], (MWL, "SCP"): []}


_ROLE_ROWS = [
    ["Role", "Service", "Status"],
    ["Verification SCP", "C-ECHO received from authorised modalities", "Implemented"],
    ["Storage SCP", "C-STORE of negotiated storage SOP classes", "Implemented"],
    ["Storage Commitment SCU", "N-ACTION to the configured archive", "Implemented"],
    ["MWL SCU", "Modality Worklist C-FIND", "Planned for the next release"],
]


@pytest.mark.parametrize("ruling", ["grid", "horizontal", "none"])
def test_pdf_role_table_and_bullets(tmp_path: Path, ruling: str) -> None:
    """The same role table as a PDF, ruled three ways, with a DIMSE bullet under it."""
    story = [
        heading("1 Acme Router DICOM Conformance Statement"),
        heading("2 Functions"),
        table(_ROLE_ROWS, [4.0, 7.0, 5.0], ruling=ruling),
        heading("3 DIMSE Services"),
        para("\u2022 C-ECHO: Accepts incoming DICOM verification requests from the scanners."),
    ]
    path = build(tmp_path / "router.pdf", story, footer="Acme Router   Page {page}")
    commit = keyword_uid("StorageCommitmentPushModel")
    assert services(path) == {(VERIFY, "SCP"): [], (commit, "SCU"): []}
