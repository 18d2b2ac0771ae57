"""Statements in each layout the extractor must read, written here, with exact expected facts."""

from __future__ import annotations

from pathlib import Path

from conformance.facts import to_facts
from conformance.model import UNLIMITED, Role, Support
from conformance.parsers import parse_statement

CT = "1.2.840.10008.5.1.4.1.1.2"
MR = "1.2.840.10008.5.1.4.1.1.4"
SR = "1.2.840.10008.5.1.4.1.1.88.11"
VERIFY = "1.2.840.10008.1.1"
COMMIT = "1.2.840.10008.1.20.1"
MWL = "1.2.840.10008.5.1.4.31"
MPPS = "1.2.840.10008.3.1.2.3.3"
STUDY_FIND = "1.2.840.10008.5.1.4.1.2.2.1"
STUDY_MOVE = "1.2.840.10008.5.1.4.1.2.2.2"
ILE, ELE, J2K, JPEG_LL = (
    "1.2.840.10008.1.2",
    "1.2.840.10008.1.2.1",
    "1.2.840.10008.1.2.4.90",
    "1.2.840.10008.1.2.4.70",
)
DEFLATE = "1.2.840.10008.1.2.1.99"


def _parse(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_statement(path, use_cache=False)


def _services(statement) -> dict[tuple[str, str], list[str]]:
    return {
        (s["sop_class_uid"], s["role"]): sorted(s["transfer_syntaxes"])
        for s in to_facts(statement)["services"]
    }


PS32_MARKDOWN = """# DICOM Conformance Statement — Acme Modality 3.1

## 1. Conformance Statement Overview

| SOP Classes | User of Service (SCU) | Provider of Service (SCP) |
|---|---|---|
| **Transfer** | | |
| CT Image Storage | Yes | No |
| Enhanced SR Storage | Option | No |
| **Workflow Management** | | |
| Modality Worklist Information Model – FIND | Yes | No |
| Modality Performed Procedure Step | Yes | No |
| Storage Commitment Push Model | Yes | No |

## 4. Networking

### 4.2 AE Specifications

#### 4.2.1 STORE-SCU AE Specification

##### 4.2.1.1 SOP Classes

| SOP Class Name | SOP Class UID | SCU | SCP |
|---|---|---|---|
| Verification | 1.2.840.10008.1.1 | Yes | Yes |
| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 | Yes | No |
| Storage Commitment Push Model | 1.2.840.10008.1.20.1 | Yes | No |

##### 4.2.1.2 Association Policies

Number of Associations

| Maximum number of simultaneous associations initiated | 2 |
|---|---|

Implementation Identifying Information

| Implementation Class UID | 1.2.826.0.1.3680043.9.9999.1 |
|---|---|
| Implementation Version Name | ACME_31 |

##### 4.2.1.3 Association Initiation Policy

Proposed Presentation Contexts

| Abstract Syntax Name | Abstract Syntax UID | Transfer Syntax Name | Transfer Syntax UID | Role | Ext. Neg. |
|---|---|---|---|---|---|
| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 | JPEG 2000 Lossless | 1.2.840.10008.1.2.4.90 | SCU | None |
| | | Explicit VR Little Endian | 1.2.840.10008.1.2.1 | | |
| Storage Commitment Push Model | 1.2.840.10008.1.20.1 | Implicit VR Little Endian | 1.2.840.10008.1.2 | SCU | None |

##### 4.2.1.4 Association Acceptance Policy

Accepted Presentation Contexts

| Abstract Syntax Name | Abstract Syntax UID | Transfer Syntax Name | Transfer Syntax UID | Role | Ext. Neg. |
|---|---|---|---|---|---|
| Verification | 1.2.840.10008.1.1 | Implicit VR Little Endian | 1.2.840.10008.1.2 | SCP | None |
| Storage Commitment Push Model | 1.2.840.10008.1.20.1 | Implicit VR Little Endian | 1.2.840.10008.1.2 | SCU | None |

#### 4.2.2 WORKLIST-SCU AE Specification

##### 4.2.2.1 Association Policies

| Maximum number of simultaneous associations initiated | 1 |
|---|---|

Proposed Presentation Contexts

| Abstract Syntax | UID | Transfer Syntax | Role |
|---|---|---|---|
| Modality Worklist Information Model – FIND | 1.2.840.10008.5.1.4.31 | ILE, EVLE | SCU |
| Modality Performed Procedure Step | 1.2.840.10008.3.1.2.3.3 | Implicit VR Little Endian | SCU |

### 4.3 Network Interfaces

The product supports IPv4 and IPv6.

### 4.4 Configuration

| Application Entity | Default AE Title | Default TCP/IP Port |
|---|---|---|
| STORE-SCU | ACME_CT | 104 |
| WORKLIST-SCU | ACME_MWL | 4006 |

| Parameter | Configurable | Default Value |
|---|---|---|
| Maximum PDU size received | Yes | 64 KB |
| Maximum PDU size sent | Yes | 16 KB |

## 7. Support of Character Sets

The product supports ISO_IR 100 and ISO_IR 192.

## 8. Security

The product supports the Basic TLS Secure Transport Connection Profile.
"""  # noqa: E501


def test_ps32_layout_services_roles_syntaxes_and_scalars(tmp_path: Path) -> None:
    st = _parse(tmp_path, "modality.md", PS32_MARKDOWN)
    services = _services(st)
    assert set(services) == {
        (CT, "SCU"),
        ("1.2.840.10008.5.1.4.1.1.88.22", "SCU"),
        (MWL, "SCU"),
        (MPPS, "SCU"),
        (COMMIT, "SCU"),
        (VERIFY, "SCU"),
        (VERIFY, "SCP"),
    }
    assert services[(CT, "SCU")] == sorted([J2K, ELE])  # continuation row joins the row above
    assert services[(COMMIT, "SCU")] == [ILE]  # accepted context with role SCU (N-EVENT-REPORT)
    assert services[(MWL, "SCU")] == sorted([ILE, ELE])  # abbreviations resolved
    assert services[(VERIFY, "SCP")] == [ILE]
    # "Option" is kept as an option, never silently read as Yes
    assert st.supports("1.2.840.10008.5.1.4.1.1.88.22", Role.SCU).support is Support.OPTION
    assert st.supports(CT, Role.SCU).support is Support.YES
    facts = to_facts(st)
    assert facts["implementation_class_uid"] == "1.2.826.0.1.3680043.9.9999.1"
    assert facts["implementation_version_name"] == "ACME_31"
    assert facts["max_associations"] == {"initiated": 3, "accepted": None}  # summed over the AEs
    assert facts["max_pdu_receive"] == 65536  # the received size, not the sent one
    assert facts["character_sets"] == ["ISO_IR 100", "ISO_IR 192"]
    assert facts["security"] == {"tls": True}
    assert facts["network"] == {"ipv6": True}
    aes = {ae.name: ae for ae in st.aes}
    assert aes["STORE-SCU"].ae_title.value == "ACME_CT" and aes["STORE-SCU"].port.value == 104
    assert aes["WORKLIST-SCU"].max_associations_initiated.value == 1
    assert aes["STORE-SCU"].max_associations_initiated.value == 2


OLD_LAYOUT_TEXT = """=============================
Conformance Statement of Foo
=============================

--------------------
Store SCP Conformance
--------------------

Foo supports the following SOP Classes as an SCP for C-Store:

  CTImageStorage        | 1.2.840.10008.5.1.4.1.1.2
  MRImageStorage        | 1.2.840.10008.5.1.4.1.1.4

--------------------
Find SCP Conformance
--------------------

Foo supports the following SOP Classes as an SCP for C-Find:

  FINDStudyRootQueryRetrieveInformationModel | 1.2.840.10008.5.1.4.1.2.2.1

--------------------
Store SCU Conformance
--------------------

All the SOP Classes that are listed in the "Store SCP Conformance"
(see above) section are available as an SCU for C-Store.

-----------------
Transfer Syntaxes
-----------------

Foo will accept presentation contexts for all of the abovementioned
SOP Classes using any of the following transfer syntaxes:

  LittleEndianImplicit      | 1.2.840.10008.1.2
  LittleEndianExplicit      | 1.2.840.10008.1.2.1

Association Establishment Policies

There is no limit on the number of simultaneous associations.
"""


def test_older_layout_sections_by_service_and_references(tmp_path: Path) -> None:
    st = _parse(tmp_path, "foo.txt", OLD_LAYOUT_TEXT)
    assert _services(st) == {
        (CT, "SCP"): [ILE, ELE],
        (MR, "SCP"): [ILE, ELE],
        (STUDY_FIND, "SCP"): [ILE, ELE],
        (CT, "SCU"): [],  # the "will accept" list is for the SCP side only
        (MR, "SCU"): [],
    }
    facts = to_facts(st)
    assert facts["max_associations"] == {"initiated": UNLIMITED, "accepted": UNLIMITED}
    assert facts["implementation_class_uid"] is None and facts["network"]["ipv6"] is None  # nothing guessed


PYNETDICOM_STYLE_RST = """========
storescp
========

DICOM Conformance
=================
The ``storescp`` application supports the Verification and Storage
service classes as an SCP. The following SOP classes are supported:

Verification Service
--------------------

SOP Classes
...........

+----------------------------------+------------------------------------------+
| UID                              | SOP Class                                |
+==================================+==========================================+
|1.2.840.10008.1.1                 | Verification SOP Class                   |
+----------------------------------+------------------------------------------+

Transfer Syntaxes
.................

+------------------------+----------------------------------------------------+
| UID                    | Transfer Syntax                                    |
+========================+====================================================+
| 1.2.840.10008.1.2      | Implicit VR Little Endian                          |
+------------------------+----------------------------------------------------+

Storage Service
---------------

SOP Classes
...........

+----------------------------------+------------------------------------------+
| UID                              | SOP Class                                |
+==================================+==========================================+
| 1.2.840.10008.5.1.4.1.1.2        | CT Image Storage                         |
+----------------------------------+------------------------------------------+
| 1.2.840.10008.5.1.4.1.1.88.111   | Basic Text SR Storage                    |
+----------------------------------+------------------------------------------+

Transfer Syntaxes
.................

+------------------------+----------------------------------------------------+
| UID                    | Transfer Syntax                                    |
+========================+====================================================+
| 1.2.840.10008.1.2      | Implicit VR Little Endian                          |
+------------------------+----------------------------------------------------+
| 1.2.840.10008.1.2.4.90 | JPEG 2000 Image Compression (Lossless Only)        |
+------------------------+----------------------------------------------------+
| 1.2.840.10008.1.2.4.110| JPEG XL Lossless                                   |
+------------------------+----------------------------------------------------+

Options
=======
``-pdu --max-pdu [n]umber of bytes (int)``
            set maximum receive PDU bytes to n bytes (default: ``16382``)
"""


def test_rst_lists_per_service_with_their_own_transfer_syntaxes(tmp_path: Path) -> None:
    st = _parse(tmp_path, "storescp.rst", PYNETDICOM_STYLE_RST)
    newer_ts = "1.2.840.10008.1.2.4.110"  # JPEG XL: newer than the dictionary, still a transfer syntax
    assert _services(st) == {
        (VERIFY, "SCP"): [ILE],
        (CT, "SCP"): sorted([ILE, J2K, newer_ts]),
        # a UID no dictionary knows, with a name that resolves: the name wins (typo rule)
        (SR, "SCP"): sorted([ILE, J2K, newer_ts]),
    }
    assert to_facts(st)["max_pdu_receive"] == 16382


DCM4CHEE_STYLE_RST = """.. file: docs/storage.rst
Storage AE
==========

SOP Classes
-----------

.. csv-table:: SOP Classes for Storage Application Entity
   :name: SOPClasses
   :header: "SOP Class Name", "SOP Class UID", "SCU", "SCP"
   :file: sop-classes.csv

Accepted Presentation Contexts
------------------------------

.. table:: Accepted Presentation Contexts of Storage Application Entity

   +------------------------------------------------+----------------------------+------------------------+------+
   | Abstract Syntax                                | Transfer Syntax            | UID                    | Role |
   +================================================+============================+========================+======+
   | Image Storage SOP Classes in :ref:`SOPClasses` | see :ref:`ImageTS`                                  | SCP  |
   +------------------------------------------------+----------------------------+------------------------+------+
   | SR Storage SOP Classes in :ref:`SOPClasses`    | Implicit VR Little Endian  | 1.2.840.10008.1.2      | SCP  |
   |                                                +----------------------------+------------------------+      |
   |                                                | Deflated Explicit VR LE    | 1.2.840.10008.1.2.1.99 |      |
   +------------------------------------------------+----------------------------+------------------------+------+

.. csv-table:: Transfer Syntaxes for Image Storage SOP Classes
   :name: ImageTS
   :header: "Transfer Syntax Name", "UID"

   "Implicit VR Little Endian", "1.2.840.10008.1.2"
   "JPEG Lossless, Non-Hierarchical, First-Order Prediction", "1.2.840.10008.1.2.4.70"
.. file: docs/sop-classes.csv
"**Image Storage SOP Classes:**"
"CT Image Storage", "1.2.840.10008.5.1.4.1.1.2", "No", "Yes"
"MR Image Storage", "1.2.840.10008.5.1.4.1.1.4", "No", "Yes"
"**Structured Report Storage SOP Classes:**"
"Basic Text SR Storage", "1.2.840.10008.5.1.4.1.1.88.11", "No", "Yes"
"Private Acme Volume Storage", "1.3.6.1.4.1.99999.1.1", "No", "Yes"
"""  # noqa: E501


def test_group_references_expand_per_group_with_their_syntaxes(tmp_path: Path) -> None:
    st = _parse(tmp_path, "archive.rst", DCM4CHEE_STYLE_RST)
    assert _services(st) == {
        (CT, "SCP"): sorted([ILE, JPEG_LL]),
        (MR, "SCP"): sorted([ILE, JPEG_LL]),
        # "SR" matches the "Structured Report" group by its initials
        (SR, "SCP"): sorted([ILE, DEFLATE]),
        ("1.3.6.1.4.1.99999.1.1", "SCP"): sorted([ILE, DEFLATE]),  # private class kept with its UID
    }


PDF_LIKE_TABLE_REFERENCE = """# 3 AE Specification

## 3.1.5 Transfer Syntaxes

Table 11 Transfer Syntaxes

| Name | UID |
|---|---|
| Implicit VR Little Endian | 1.2.840.10008.1.2 |
| Explicit VR Big Endian | 1.2.840.10008.1.2.2 |

## 3.2 Association Initiation & Acceptance Policy

| Abstract Syntax | UID | Transfer Syntax | Role | Extended Negotiation |
|---|---|---|---|---|
| Verification SOP Class | 1.2.840.10008.1.1 | All Transfer Syntaxes of Table 11 | SCU & SCP | None |
| Modality Worklist Information Model - FIND | 1.2.840.10008.5.1.4.31 | All Transfer Syntaxes of Table 11 | SCU/SCP | None |
"""  # noqa: E501


def test_all_transfer_syntaxes_of_table_n_and_both_roles(tmp_path: Path) -> None:
    st = _parse(tmp_path, "tool.md", PDF_LIKE_TABLE_REFERENCE)
    both = sorted([ILE, "1.2.840.10008.1.2.2"])
    assert _services(st) == {
        (VERIFY, "SCU"): both,
        (VERIFY, "SCP"): both,
        (MWL, "SCU"): both,
        (MWL, "SCP"): both,
    }


HTML_STATEMENT = """<html><body>
<h1>Acme Viewer Conformance Statement</h1>
<h2>Network Services</h2>
<table>
<tr><th>SOP Class</th><th>SCU</th><th>SCP</th></tr>
<tr><td>Study Root Query/Retrieve Information Model - FIND</td><td>&#10003;</td><td></td></tr>
<tr><td>Study Root Query/Retrieve Information Model - MOVE</td><td>✓</td><td></td></tr>
<tr><td>Storage Commitment Push Model SOP Class</td><td>No</td><td>No</td></tr>
</table>
<h2>Storage</h2>
<table>
<tr><th>Abstract Syntax</th><th>UID</th><th>Role</th></tr>
<tr><td>CT Image Storage</td><td>1.2.840.10008.5.1.4.1.1.2</td><td>SCU/SCP</td></tr>
</table>
<p>Maximum PDU size received: 32 KB. IPv6 is not supported.</p>
</body></html>"""


def test_html_check_marks_and_scu_scp_cells(tmp_path: Path) -> None:
    st = _parse(tmp_path, "viewer.html", HTML_STATEMENT)
    assert set(_services(st)) == {(STUDY_FIND, "SCU"), (STUDY_MOVE, "SCU"), (CT, "SCU"), (CT, "SCP")}
    facts = to_facts(st)
    assert facts["max_pdu_receive"] == 32768
    assert facts["network"] == {"ipv6": False}


NAMES_WITHOUT_UIDS = """# Network Services

| SOP Class | SCU | SCP |
|---|---|---|
| RETIRED Nuclear Medicine Image Storage | No | Yes |
| CT Imgae Storage | No | Yes |
| Study Root Q/R Information Model - FIND | No | Yes |
| MWL | Yes | No |
| Coffee Machine Storage Facility | No | Yes |
"""


def test_names_retired_typos_abbreviations_and_unresolved_kept(tmp_path: Path) -> None:
    st = _parse(tmp_path, "names.md", NAMES_WITHOUT_UIDS)
    assert set(_services(st)) == {
        ("1.2.840.10008.5.1.4.1.1.5", "SCP"),  # retired UID kept for a RETIRED name
        (CT, "SCP"),  # typo
        (STUDY_FIND, "SCP"),
        (MWL, "SCU"),  # abbreviation
    }
    assert [u.text for u in st.unresolved if u.kind == "sop_class"] == ["Coffee Machine Storage Facility"]


GERMAN_STATEMENT = """# DICOM-Konformitätserklärung

## 4.2 Spezifikation der AE

| SOP-Klasse | SOP Class UID | SCU | SCP |
|---|---|---|---|
| CT-Bildspeicherung | 1.2.840.10008.5.1.4.1.1.2 | Ja | Nein |
| Verifizierung | 1.2.840.10008.1.1 | Ja | Ja |

## Akzeptierte Präsentationskontexte

| Abstract Syntax | UID | Transfer Syntax UID | Role |
|---|---|---|---|
| Verifizierung | 1.2.840.10008.1.1 | 1.2.840.10008.1.2 | SCP |

## Vorgeschlagene Präsentationskontexte

| Abstract Syntax | UID | Transfer Syntax UID |
|---|---|---|
| CT-Bildspeicherung | 1.2.840.10008.5.1.4.1.1.2 | 1.2.840.10008.1.2.1 |
"""


def test_other_languages_with_standard_uids(tmp_path: Path) -> None:
    st = _parse(tmp_path, "de.md", GERMAN_STATEMENT)
    # the proposed-contexts table has no Role column: its (German) heading says SCU
    assert _services(st) == {(CT, "SCU"): [ELE], (VERIFY, "SCU"): [], (VERIFY, "SCP"): [ILE]}


ASSOCIATION_POLICIES = """# Networking

## STORE-SCP AE Specification

The STORE-SCP AE will never initiate Associations; it only accepts Association Requests.

| Maximum number of simultaneous Associations | 10 (Configurable) |
|---|---|

## ARCHIVE-SCP AE Specification

ARCHIVE-SCP accepts but never initiates associations.

| Maximum number of simultaneous Associations requested by peer AEs | 6 |
|---|---|

## Parameters

| Parameter | Configurable | Default Value |
|---|---|---|
| Maximum number of simultaneous Associations | Yes | 99 |
"""


def test_per_ae_limits_summed_and_sides_from_prose(tmp_path: Path) -> None:
    st = _parse(tmp_path, "assoc.md", ASSOCIATION_POLICIES)
    facts = to_facts(st)
    # both AEs only accept: 10 + 6 accepted, and they say they never initiate (0)
    assert facts["max_associations"] == {"initiated": 0, "accepted": 16}
    aes = {ae.name: ae for ae in st.aes}
    assert aes["STORE-SCP"].max_associations_accepted.value == 10
    assert aes["ARCHIVE-SCP"].max_associations_accepted.value == 6


WRAPPED_CELLS_MARKDOWN = """# Accepted Presentation Contexts

| Abstract Syntax | UID | Transfer Syntax | Role |
|---|---|---|---|
| MR Image Storage | 1.2.840.10008.5.1.4.1.1.4 | JPEG Lossless, Non-Hierarchical, First-<br>Order Prediction<br>JPEG 2000 Image Compression<br>(Lossless Only) | SCP |
"""  # noqa: E501


def test_transfer_syntax_names_wrapped_inside_a_cell(tmp_path: Path) -> None:
    st = _parse(tmp_path, "wrapped.md", WRAPPED_CELLS_MARKDOWN)
    assert _services(st) == {(MR, "SCP"): sorted([JPEG_LL, J2K])}
    assert not [u for u in st.unresolved if u.kind == "transfer_syntax"]


PER_SOP_CLASS_PROSE = """1 Introduction

This document describes Acme Gateway.

2 AE Specifications

2.1 Verification

The Gateway provides Standard Conformance to the Verification SOP Class (1.2.840.10008.1.1) as an SCP.

2.2 Worklist

The Gateway queries the worklist as an SCU of the Modality Worklist Information Model - FIND SOP
Class (1.2.840.10008.5.1.4.31).

2.3 Storage Commitment

Storage Commitment Push Model (1.2.840.10008.1.20.1) is not supported.

2.4 Association Establishment Policies

The Gateway initiates up to 4 associations and accepts at most 8 associations.
The maximum PDU size the Gateway can receive is 32 KB.
"""


def test_older_layout_per_sop_class_prose(tmp_path: Path) -> None:
    st = _parse(tmp_path, "gateway.txt", PER_SOP_CLASS_PROSE)
    assert set(_services(st)) == {(VERIFY, "SCP"), (MWL, "SCU")}  # "is not supported" adds nothing
    facts = to_facts(st)
    assert facts["max_associations"] == {"initiated": 4, "accepted": 8}
    assert facts["max_pdu_receive"] == 32768


SHARED_CELLS = """# Proposed Presentation Contexts

| Abstract Syntax | UID | Transfer Syntax UID | Role |
|---|---|---|---|
| CT Image Storage<br>MR Image Storage | 1.2.840.10008.5.1.4.1.1.2<br>1.2.840.10008.5.1.4.1.1.4 | 1.2.840.10008.1.2.4.90<br>1.2.840.10008.1.2.1 | SCU |
"""  # noqa: E501


def test_one_row_listing_several_sop_classes(tmp_path: Path) -> None:
    st = _parse(tmp_path, "shared.md", SHARED_CELLS)
    assert _services(st) == {(CT, "SCU"): sorted([J2K, ELE]), (MR, "SCU"): sorted([J2K, ELE])}


CHARSETS = """# Revision History

| Version | Change |
|---|---|
| 2.1 | Added conversion from ISO_IR 100 to UTF-8 |

# Support of Character Sets

In addition to the default character repertoire, the Defined Terms for Specific Character Set below are supported:

| Character Set Description | Defined Term | ISO registration |
|---|---|---|
| Latin alphabet No. 1 | ISO_IR 100 | ISO IR100 |
| Japanese | ISO 2022 IR 87 | ISO IR87 |
"""  # noqa: E501


def test_character_sets_from_their_section_with_the_default_repertoire(tmp_path: Path) -> None:
    st = _parse(tmp_path, "cs.md", CHARSETS)
    # the revision history's "ISO_IR 100" is not a claim; registration numbers are not defined terms
    assert to_facts(st)["character_sets"] == ["ISO 2022 IR 87", "ISO_IR 100", "ISO_IR 6"]
    assert next(f for f in st.character_sets if f.value == "ISO_IR 100").provenance.line == 13


FOOTNOTES = """# Network Services

| SOP Class | SCU | SCP |
|---|---|---|
| CT Image Storage* | Yes | No |
| MR Image Storage (1) | No | Yes |

# Accepted Presentation Contexts

| Abstract Syntax | UID | Transfer Syntax | Role |
|---|---|---|---|
| MR Image Storage | 1.2.840.10008.5.1.4.1.1.4 | Explicit VR Little Endian (preferred)<br>Implicit VR Little Endian | SCP |
"""  # noqa: E501


def test_footnote_markers_and_remarks_in_names(tmp_path: Path) -> None:
    st = _parse(tmp_path, "notes.md", FOOTNOTES)
    assert _services(st) == {(CT, "SCU"): [], (MR, "SCP"): sorted([ILE, ELE])}


AE_PROSE = """# 2 Implementation Model

The MINIPACS AE waits for association requests at the TCP/IP port 104 (configurable).

# 3 MINIPACS AE Specification

| SOP Class Name | SOP Class UID | SCU | SCP |
|---|---|---|---|
| Verification | 1.2.840.10008.1.1 | No | Yes |

# 6 Configuration

- AE Title (Default: `MINIPACS`)
"""


def test_ae_title_and_port_from_prose(tmp_path: Path) -> None:
    st = _parse(tmp_path, "ae.md", AE_PROSE)
    (ae,) = st.aes
    assert (ae.name, ae.ae_title.value, ae.port.value) == ("MINIPACS", "MINIPACS", 104)
    assert [p.value for p in st.ports] == [104]
