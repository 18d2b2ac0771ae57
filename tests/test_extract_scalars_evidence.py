"""Scalars that agree with the words they quote; version names with a space; the receive PDU size.

Statements written for this test: each states TLS, IPv6, the Implementation Version Name or the
maximum PDU size in a way vendors do (clauses that refuse old TLS versions, HTTPS-only TLS,
tables of contents, a send size beside the receive size, a configurable range), and each
asserts the value and that its quote says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.model import Statement
from conformance.parsers import parse_statement

HEAD = (
    "# Sample DICOM Conformance Statement\n\n## 1 Services\n\n"
    "| SOP Class | UID | SCU | SCP |\n|---|---|---|---|\n| Verification | 1.2.840.10008.1.1 | Yes | Yes |\n\n"
)


def _parse(tmp_path: Path, body: str, name: str = "s.md") -> Statement:
    path = tmp_path / name
    path.write_text(HEAD + body, encoding="utf-8")
    return parse_statement(path, use_cache=False)


@pytest.mark.parametrize(
    ("body", "tls", "quoted"),
    [
        (
            "## 7 Security\n\nTLS 1.0 and 1.1 are not supported; TLS is supported with TLS 1.2.\n",
            True,
            "TLS 1.2",
        ),
        (
            "## 7 Security\n\nDICOMweb connections use HTTPS (TLS).\n\n"
            "No DICOM TLS profile is implemented.\n",
            False,
            "No DICOM TLS",
        ),
        (
            "## 7 Limitations\n\n| Topic | Note |\n|---|---|\n"
            "| TLS on DIMSE port | Not natively supported. |\n",
            False,
            "TLS",
        ),
        (
            "## 7 Security\n\nTLS is not enabled by default but can be configured (port 2762).\n",
            True,
            "configured",
        ),
        ("## 7 Sicherheit\n\nTLS wird nicht unterstützt.\n", False, "nicht"),
        ("## 7 Sicherheit\n\nTransport: TCP/IP. TLS optional, getrennt je Richtung.\n", True, "TLS optional"),
        ("## 7 Audit\n\nAudit messages are sent to the syslog server over TLS.\n", None, ""),
    ],
)
def test_tls_agrees_with_its_quote(tmp_path: Path, body: str, tls: bool | None, quoted: str) -> None:
    st = _parse(tmp_path, body)
    assert (st.tls.value if st.tls else None) is tls
    if st.tls is not None:
        assert st.tls.provenance is not None and quoted in st.tls.provenance.text


CONTENTS = "## Contents\n\n4.2 Security Profiles .......... 70\n\n4.3 IPv4 and IPv6 Support .......... 76\n\n"


@pytest.mark.parametrize(
    ("body", "ipv6", "quoted"),
    [
        (CONTENTS + "## 4.3 Network\n\nThe Application supports IPv4.\n", False, "supports IPv4"),
        (CONTENTS + "## 4.3 Network\n\nIPv4 and IPv6 are both supported.\n", True, "IPv6"),
        (CONTENTS + "## 4.3 Network\n\nThe network stack is configured by the operating system.\n", None, ""),
        ("## 4 Network\n\nTransport: TCP/IP v4.\n", False, "TCP/IP v4"),
        (
            "## 4 Network\n\nThe product supports IPv4. IPv6 is not supported.\n",
            False,
            "IPv6 is not supported",
        ),
        # a feature table with check marks
        ("## 4 Network\n\n| Feature | Supported |\n|---|---|\n| IPv4 | ✅ |\n| IPv6 | ✅ |\n", True, "IPv6"),
        ("## 4 Network\n\n| Feature | Supported |\n|---|---|\n| IPv4 | ✅ |\n| IPv6 | ❌ |\n", False, "IPv6"),
    ],
)
def test_ipv6_agrees_with_its_quote(tmp_path: Path, body: str, ipv6: bool | None, quoted: str) -> None:
    st = _parse(tmp_path, body)
    assert (st.ipv6.value if st.ipv6 else None) is ipv6
    if st.ipv6 is not None:
        assert st.ipv6.provenance is not None and quoted in st.ipv6.provenance.text
        assert "...." not in st.ipv6.provenance.text  # never a table-of-contents line


@pytest.mark.parametrize(
    "body",
    [
        "## 5 Identification\n\nThe Implementation Version Name is ACME 7.01.\n",
        "## 5 Identification\n\n| Parameter | Value |\n|---|---|\n"
        "| Implementation Version Name | ACME 7.01 |\n",
        "## 5 Identification\n\n**Implementation Version Name:** ACME 7.01\n"
        "**Implementation Class UID:** 1.2.826.0.1.3680043.9.9999.7\n",
        '## 5 Identification\n\nImplementation Version Name: "ACME 7.01" (sent in the A-ASSOCIATE-RQ)\n',
    ],
)
def test_implementation_version_name_with_a_space(tmp_path: Path, body: str) -> None:
    st = _parse(tmp_path, body)
    assert st.implementation_version_name is not None and st.implementation_version_name.value == "ACME 7.01"


@pytest.mark.parametrize(
    ("body", "pdu"),
    [
        ("## 6 Policies\n\nMaximum PDU size: 16384 bytes (send), 32768 bytes (receive).\n", 32768),
        (
            "## 6 Policies\n\n"
            "The maximum PDU size is configurable from 4096 to 131072 bytes (default 16384).\n",
            16384,
        ),
        (
            "## 6 Policies\n\n"
            "The maximum PDU size sent is 16 kB. Max PDU Length 64 kB is offered for received PDUs.\n",
            65536,
        ),
        ("## 6 Policies\n\nMax PDU receive size 64 KB; max PDU send size 16 KB.\n", 65536),
        (
            "## 6 Policies\n\n| Parameter | Value |\n|---|---|\n"
            "| Maximum PDU size received | 28 672 (configurable from 4 KB to 1 MB) |\n",
            28672,
        ),
        (
            "## 6 Policies\n\n| Parameter | Value |\n|---|---|\n"
            "| Maximum PDU size | Send: 16384, Receive: 65536 |\n",
            65536,
        ),
        ("## 6 Policies\n\n| Parameter | Value |\n|---|---|\n| Maximum PDU size sent | 16384 |\n", None),
    ],
)
def test_receive_pdu_size(tmp_path: Path, body: str, pdu: int | None) -> None:
    st = _parse(tmp_path, body)
    assert (st.max_pdu_receive.value if st.max_pdu_receive else None) == pdu


def test_association_limits_as_scu_and_scp(tmp_path: Path) -> None:
    st = _parse(
        tmp_path,
        "## 6 Number of Associations\n\n- Maximum concurrent associations as SCP: 50\n"
        "- Maximum concurrent associations as SCU: 10\n",
    )
    assert st.max_associations_initiated is not None and st.max_associations_initiated.value == 10
    assert st.max_associations_accepted is not None and st.max_associations_accepted.value == 50


def test_headers_glossary_and_audit_fields_are_not_unresolved_names(tmp_path: Path) -> None:
    body = (
        "## 2 SOP Classes\n\n| SOP Class Name | SOP Class UID | SCU | SCP |\n|---|---|---|---|\n"
        "| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 | Yes | No |\n"
        "| SOP Class Name | SOP Class UID | SCU | SCP |\n"
        "| MR Image Storage | 1.2.840.10008.5.1.4.1.1.4 | Yes | No |\n\n"
        "## 3 Glossary\n\nAbstract Syntax: the information agreed to be exchanged between applications.\n\n"
        "## 4 Audit Messages\n\n| Field Name | Value | SOP Class |\n|---|---|---|\n"
        "| ParticipantObjectID | Study Instance UID | |\n| ParticipantObjectTypeCode | 2 | |\n"
        "| Accession | Accession Number | |\n\n"
        "## 5 DICOMweb\n\n| Service | SOP Class |\n|---|---|\n| QIDO-RS - Search for Studies | |\n"
        "| WADO-RS - Retrieve Study | |\n\n"
        "## 6 Transfer Syntaxes\n\n| Transfer Syntax | Keyword (toolkit) |\n|---|---|\n"
        "| Explicit VR Little Endian | ExplicitVRLittleEndian |\n"
    )
    st = _parse(tmp_path, body)
    assert st.unresolved == []
    # a name that is a name but resolves to nothing is still reported
    st = _parse(
        tmp_path,
        "## 2 More\n\n| SOP Class Name | SOP Class UID | SCU |\n|---|---|---|\n"
        "| Quantum Flux Image Storage | | Yes |\n",
    )
    assert [u.text for u in st.unresolved] == ["Quantum Flux Image Storage"]


@pytest.mark.parametrize(
    ("body", "accepted", "pdu"),
    [
        (
            "## 4 Red\n\n- Número máximo de asociaciones simultáneas: 8\n"
            "- Tamaño máximo de PDU: 32768 bytes\n",
            8,
            32768,
        ),
        (
            "## 4 Netzwerk\n\n- Maximale Anzahl gleichzeitiger Assoziationen: 5\n"
            "- Maximale PDU-Größe: 65536 Bytes\n",
            5,
            65536,
        ),
        (
            "## 4 Rede\n\n- Número máximo de associações simultâneas: 12\n"
            "- Tamanho máximo de PDU: 16384 bytes\n",
            12,
            16384,
        ),
    ],
)
def test_limits_in_other_languages(tmp_path: Path, body: str, accepted: int, pdu: int) -> None:
    st = _parse(tmp_path, body)
    assert st.max_associations_accepted is not None and st.max_associations_accepted.value == accepted
    assert st.max_pdu_receive is not None and st.max_pdu_receive.value == pdu
