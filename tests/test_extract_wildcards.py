"""Claims for every storage SOP class ("accepts any incoming C-STORE"): read, kept, exported."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.document import Document, Line, Table
from conformance.extract.wildcards import find_wildcards
from conformance.facts import to_facts
from conformance.model import Role, ServiceClass, Statement
from conformance.parsers import parse_statement
from tests.wildcard_statements import MICROPACS_MD, NOT_WILDCARDS_MD, RECEIVER_TXT

IVLE = "1.2.840.10008.1.2"
EVLE = "1.2.840.10008.1.2.1"


def _parse(tmp_path: Path, name: str, text: str) -> Statement:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_statement(path, use_cache=False)


def test_unknown_iod_rows_with_notes_are_wildcards_in_both_roles(tmp_path: Path) -> None:
    st = _parse(tmp_path, "minipacs.md", MICROPACS_MD)
    scp = st.wildcard(ServiceClass.STORAGE, Role.SCP)
    scu = st.wildcard(ServiceClass.STORAGE, Role.SCU)
    assert scp is not None and scu is not None
    # the "*Unknown" context rows give the syntaxes of their role only
    assert scp.transfer_syntaxes == [IVLE, EVLE]
    assert scu.transfer_syntaxes == [IVLE]
    quoted = " ".join(p.text for p in scp.provenance)
    assert "Unknown IOD Storage" in quoted and "accept any incoming C-STORE" in quoted
    assert all(p.file == "minipacs.md" and p.line for p in scp.provenance)
    # the listed classes are still read as usual
    assert ("1.2.840.10008.5.1.4.1.2.2.2", Role.SCP) in st.services()


def test_prose_accepting_all_standard_storage_classes_is_an_scp_wildcard(tmp_path: Path) -> None:
    st = _parse(tmp_path, "receiver.txt", RECEIVER_TXT)
    assert [(w.service_class, w.role) for w in st.wildcards] == [(ServiceClass.STORAGE, Role.SCP)]
    assert st.wildcards[0].transfer_syntaxes == []  # not stated: the default is assumed later
    assert "accepts all standard DICOM Storage SOP Classes" in st.wildcards[0].provenance[0].text


def test_lists_references_negations_other_services_and_glossaries_are_not_wildcards(tmp_path: Path) -> None:
    st = _parse(tmp_path, "viewer.md", NOT_WILDCARDS_MD)
    assert st.wildcards == []
    assert ("1.2.840.10008.5.1.4.1.1.2", Role.SCP) in st.services()


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        ("All storage SOP Classes defined in PS3.4 can be received and transmitted.", [Role.SCP, Role.SCU]),
        ("The archive never rejects any Storage SOP Class.", [Role.SCP]),
        ("The gateway forwards any incoming C-STORE request to the archive.", [Role.SCP, Role.SCU]),
        ("This MiniPACS will accept any incoming C-STORE request sent in the SCP role.", [Role.SCP]),
        ("The server accepts all Storage SOP Classes described in Section 4.", []),
        ("The server accepts all Storage SOP Classes except Raw Data Storage.", []),
        ("A Storage SCP accepts any Storage SOP Class.", []),
        ("Query/Retrieve is supported for instances of any Storage SOP Class.", []),
    ],
)
def test_sentences(text: str, roles: list[Role]) -> None:
    doc = Document("s.txt", "text", [Line("3 Networking", line=1, heading=True), Line(text, line=2)])
    found = find_wildcards(doc, Statement(source="s.txt"))
    assert [w.role for w in found] == roles


def test_a_wildcard_row_takes_its_role_from_the_heading_not_from_the_remote_peer() -> None:
    doc = Document(
        "w.md",
        "markdown",
        [
            Line("2.1.2 SOP Classes for Storage (SCU)", line=1, heading=True),
            Line("The viewer can send objects with C-STORE to a remote Storage SCP.", line=2),
            Table(
                [["SOP Class Name", "SOP Class UID"], ["All Storage SOP Classes", "See Section 8"]], line=4
            ),
        ],
    )
    assert [w.role for w in find_wildcards(doc, Statement(source="w.md"))] == [Role.SCU]


def test_a_wildcard_row_without_a_role_is_left_out() -> None:
    doc = Document(
        "w.md",
        "markdown",
        [
            Line("Objects", line=1, heading=True),
            Table([["Name", "UID"], ["All Storage SOP Classes", "-"]], line=2),
        ],
    )
    assert find_wildcards(doc, Statement(source="w.md")) == []


def test_wildcards_round_trip_and_are_exported_as_any_storage(tmp_path: Path) -> None:
    st = _parse(tmp_path, "minipacs.md", MICROPACS_MD)
    again = Statement.from_dict(st.to_dict())
    assert again.wildcards == st.wildcards
    assert to_facts(st)["any_storage"] == {"SCP": True, "SCU": True}
    receiver = _parse(tmp_path, "receiver.txt", RECEIVER_TXT)
    assert to_facts(receiver)["any_storage"] == {"SCP": True, "SCU": False}
    assert to_facts(Statement(source="x.md"))["any_storage"] == {"SCP": False, "SCU": False}
