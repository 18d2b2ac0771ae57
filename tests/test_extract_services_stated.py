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
