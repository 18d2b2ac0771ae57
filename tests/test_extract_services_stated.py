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

from statement_kit import md_table, services

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
    from conformance.parsers import parse_statement

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
    from conformance.facts import to_facts
    from conformance.parsers import parse_statement

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
