"""Statement styles the dev corpus does not cover, as real vendors write them.

Each statement below is written in the manner of a vendor family (GE-style old text layout,
Philips-style HTML with rowspans, Siemens-style "Table 4-3 / Table 4-5" references, Agfa/Fuji
overview tables with check marks, German and French statements ...). The expected facts are
what a careful reader extracts under docs/facts-schema.md; the test compares them exactly, so
a misread of any style fails here rather than only on a statement we do not have.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conformance.facts import to_facts
from conformance.model import Role, Support
from conformance.parsers import parse_statement
from conformance.uids import resolve_sop_class, resolve_transfer_syntax

VERIFY = "1.2.840.10008.1.1"
COMMIT = "1.2.840.10008.1.20.1"
MWL = "1.2.840.10008.5.1.4.31"
MPPS = "1.2.840.10008.3.1.2.3.3"
CT = "1.2.840.10008.5.1.4.1.1.2"
MR = "1.2.840.10008.5.1.4.1.1.4"
CR = "1.2.840.10008.5.1.4.1.1.1"
SC = "1.2.840.10008.5.1.4.1.1.7"
DX_PRES = "1.2.840.10008.5.1.4.1.1.1.1"
DX_PROC = "1.2.840.10008.5.1.4.1.1.1.1.1"
MG_PRES = "1.2.840.10008.5.1.4.1.1.1.2"
US = "1.2.840.10008.5.1.4.1.1.6.1"
US_MF = "1.2.840.10008.5.1.4.1.1.3.1"
US_RETIRED = "1.2.840.10008.5.1.4.1.1.6"
NM_RETIRED = "1.2.840.10008.5.1.4.1.1.5"
NM = "1.2.840.10008.5.1.4.1.1.20"
XA = "1.2.840.10008.5.1.4.1.1.12.1"
ENH_MR = "1.2.840.10008.5.1.4.1.1.4.1"
PET = "1.2.840.10008.5.1.4.1.1.128"
GSPS = "1.2.840.10008.5.1.4.1.1.11.1"
KOS = "1.2.840.10008.5.1.4.1.1.88.59"
DOSE_SR = "1.2.840.10008.5.1.4.1.1.88.67"
PRINT_GRAY = "1.2.840.10008.5.1.1.9"
STUDY_FIND = "1.2.840.10008.5.1.4.1.2.2.1"
STUDY_MOVE = "1.2.840.10008.5.1.4.1.2.2.2"
PATIENT_FIND = "1.2.840.10008.5.1.4.1.2.1.1"
PATIENT_MOVE = "1.2.840.10008.5.1.4.1.2.1.2"
ILE = "1.2.840.10008.1.2"
ELE = "1.2.840.10008.1.2.1"
EBE = "1.2.840.10008.1.2.2"
JPEG_BASE = "1.2.840.10008.1.2.4.50"
JPEG_LL = "1.2.840.10008.1.2.4.70"
J2K_LL = "1.2.840.10008.1.2.4.90"
J2K = "1.2.840.10008.1.2.4.91"
RLE = "1.2.840.10008.1.2.5"


def _facts(tmp_path: Path, name: str, text: str) -> dict[str, Any]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return to_facts(parse_statement(path, use_cache=False))


def _services(facts: dict[str, Any]) -> dict[tuple[str, str], list[str]]:
    return {(s["sop_class_uid"], s["role"]): sorted(s["transfer_syntaxes"]) for s in facts["services"]}


def _scalars(facts: dict[str, Any]) -> dict[str, Any]:
    return {
        "impl_uid": facts["implementation_class_uid"],
        "impl_version": facts["implementation_version_name"],
        "initiated": facts["max_associations"]["initiated"],
        "accepted": facts["max_associations"]["accepted"],
        "pdu": facts["max_pdu_receive"],
        "charsets": facts["character_sets"],
        "tls": facts["security"]["tls"],
        "ipv6": facts["network"]["ipv6"],
    }


NO_SCALARS: dict[str, Any] = {
    "impl_uid": None,
    "impl_version": None,
    "initiated": None,
    "accepted": None,
    "pdu": None,
    "charsets": [],
    "tls": None,
    "ipv6": None,
}


# ---------------------------------------------------------------- 1. HTML, rowspan contexts
HTML_ROWSPANS = """<!DOCTYPE html>
<html><head><title>DICOM Conformance Statement</title></head><body>
<h1>DICOM Conformance Statement VistaView Workstation 2.0</h1>
<h2>4 Networking</h2>
<h3>4.2 AE Specifications</h3>
<h4>4.2.1 Storage-SCP AE Specification</h4>
<h5>4.2.1.1 SOP Classes</h5>
<table border="1">
<caption>Table 4.2-1 SOP Classes for Storage-SCP AE</caption>
<tr><th>SOP Class Name</th><th>SOP Class UID</th><th>SCU</th><th>SCP</th></tr>
<tr><td>Verification</td><td>1.2.840.10008.1.1</td><td>No</td><td>Yes</td></tr>
<tr><td>CT Image Storage</td><td>1.2.840.10008.5.1.4.1.1.2</td><td>No</td><td>Yes</td></tr>
<tr><td>MR Image Storage</td><td>1.2.840.10008.5.1.4.1.1.4</td><td>No</td><td>Yes</td></tr>
</table>
<h5>4.2.1.2 Association Policies</h5>
<h6>4.2.1.2.1 General</h6>
<table border="1">
<tr><td>Application Context Name</td><td>1.2.840.10008.3.1.1.1</td></tr>
<tr><td>Maximum PDU size received</td><td>116794 bytes</td></tr>
</table>
<h6>4.2.1.2.2 Number of Associations</h6>
<table border="1">
<tr><td>Maximum number of simultaneous associations accepted</td><td>10</td></tr>
</table>
<h6>4.2.1.2.4 Implementation Identifying Information</h6>
<table border="1">
<tr><td>Implementation Class UID</td><td>1.3.46.670589.11.0.0.51.4.2.1</td></tr>
<tr><td>Implementation Version Name</td><td>VISTA_2_0</td></tr>
</table>
<h5>4.2.1.3 Association Acceptance Policy</h5>
<p>The Storage-SCP AE accepts associations from configured remote AEs only.</p>
<table border="1">
<caption>Table 4.2-5 Accepted Presentation Contexts</caption>
<tr><th colspan="2">Abstract Syntax</th><th colspan="2">Transfer Syntax</th>
<th rowspan="2">Role</th><th rowspan="2">Extended Negotiation</th></tr>
<tr><th>Name</th><th>UID</th><th>Name List</th><th>UID List</th></tr>
<tr><td rowspan="3">CT Image Storage</td><td rowspan="3">1.2.840.10008.5.1.4.1.1.2</td>
<td>Implicit VR Little Endian</td><td>1.2.840.10008.1.2</td><td rowspan="3">SCP</td><td rowspan="3">None</td></tr>
<tr><td>Explicit VR Little Endian</td><td>1.2.840.10008.1.2.1</td></tr>
<tr><td>JPEG Lossless, Non-Hierarchical, First-Order Prediction</td><td>1.2.840.10008.1.2.4.70</td></tr>
<tr><td rowspan="2">MR Image Storage</td><td rowspan="2">1.2.840.10008.5.1.4.1.1.4</td>
<td>Implicit VR Little Endian</td><td>1.2.840.10008.1.2</td><td rowspan="2">SCP</td><td rowspan="2">None</td></tr>
<tr><td>JPEG 2000 Image Compression (Lossless Only)</td><td>1.2.840.10008.1.2.4.90</td></tr>
<tr><td>Verification</td><td>1.2.840.10008.1.1</td><td>Implicit VR Little Endian</td>
<td>1.2.840.10008.1.2</td><td>SCP</td><td>None</td></tr>
</table>
<h3>4.3 Network Interfaces</h3>
<p>IPv6 is not supported.</p>
<h2>7 Support of Character Sets</h2>
<p>The workstation supports the Specific Character Set ISO-IR 100 (Latin alphabet No. 1).</p>
<h2>8 Security</h2>
<h3>8.1 Security Profiles</h3>
<p>No security profiles are supported.</p>
</body></html>
"""  # noqa: E501


def test_html_with_rowspan_presentation_contexts(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "vista.html", HTML_ROWSPANS)
    assert _services(facts) == {
        (VERIFY, "SCP"): [ILE],
        (CT, "SCP"): [ILE, ELE, JPEG_LL],
        (MR, "SCP"): [ILE, J2K_LL],
    }
    assert _scalars(facts) == {
        **NO_SCALARS,
        "impl_uid": "1.3.46.670589.11.0.0.51.4.2.1",
        "impl_version": "VISTA_2_0",
        "accepted": 10,
        "pdu": 116794,
        "charsets": ["ISO_IR 100"],
        "tls": False,
        "ipv6": False,
    }


# ---------------------------------------------------------------- 2. Markdown overview with marks
MARKDOWN_CHECKMARKS = """# DICOM Conformance Statement: Orion DR 5

## 1 Conformance Statement Overview

Table 1-1 Network Services

| SOP Classes | User of Service (SCU) | Provider of Service (SCP) |
|---|:-:|:-:|
| **Transfer** | | |
| Digital X-Ray Image Storage – For Presentation | ✓ | – |
| Digital X-Ray Image Storage – For Processing | Option | – |
| Grayscale Softcopy Presentation State Storage | ✓ | – |
| **Query/Retrieve** | | |
| Study Root Query/Retrieve Information Model – FIND | – | – |
| **Workflow Management** | | |
| Modality Worklist Information Model – FIND | ✓ | – |
| Modality Performed Procedure Step | Option | – |
| Storage Commitment Push Model | ✓ | – |
| **Print Management** | | |
| Basic Grayscale Print Management Meta | ✓ | – |
| **Verification** | | |
| Verification | ✓ | ✓ |

Table 1-2 Media Services

| Media Storage Application Profile | Write Files (FSC or FSU) | Read Files (FSR) |
|---|:-:|:-:|
| **Compact Disk - Recordable** | | |
| General Purpose CD-R | ✓ | ✓ |
| **DVD** | | |
| General Purpose DVD with JPEG | ✓ | – |

## 4 Networking

### 4.2.1 DR-STORE AE Specification

#### 4.2.1.2 Association Policies

##### General

The Max PDU Length received is 64 kB.

##### Number of Associations

The DR-STORE AE initiates up to 8 simultaneous associations, one per configured destination.
There is no limit on the number of associations accepted.

## 7 Support of Character Sets

| Character Set Description | Defined Term |
|---|---|
| Default repertoire | ISO-IR 6 |
| Latin alphabet No. 1 | ISO-IR 100 |

## 8 Security

The Orion DR supports the BCP 195 TLS Secure Transport Connection Profile.
"""


def test_markdown_overview_with_check_marks_options_and_media_table(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "orion.md", MARKDOWN_CHECKMARKS)
    assert _services(facts) == {
        (DX_PRES, "SCU"): [],
        (DX_PROC, "SCU"): [],
        (GSPS, "SCU"): [],
        (MWL, "SCU"): [],
        (MPPS, "SCU"): [],
        (COMMIT, "SCU"): [],
        (PRINT_GRAY, "SCU"): [],
        (VERIFY, "SCU"): [],
        (VERIFY, "SCP"): [],
    }
    assert _scalars(facts) == {
        **NO_SCALARS,
        "initiated": 8,
        "accepted": "unlimited",
        "pdu": 65536,
        "charsets": ["ISO_IR 100", "ISO_IR 6"],
        "tls": True,
    }


def test_option_cells_stay_options(tmp_path: Path) -> None:
    path = tmp_path / "orion.md"
    path.write_text(MARKDOWN_CHECKMARKS, encoding="utf-8")
    services = parse_statement(path, use_cache=False).services()
    options = sorted(uid for (uid, _role), cap in services.items() if cap.support is Support.OPTION)
    assert options == sorted([DX_PROC, MPPS])


# ---------------------------------------------------------------- 3. old text layout, aligned columns
OLD_TEXT_ALIGNED = """                     CONFORMANCE STATEMENT
                  LightScan CT Console  Rev 7.2

2. NETWORK CONFORMANCE STATEMENT

2.1 INTRODUCTION

This section of the conformance statement specifies the compliance to DICOM conformance
requirements for the relevant networking features of this product.

2.3 AE SPECIFICATIONS

2.3.1 DICOM Server AE Specification

The DICOM Server Application Entity provides Standard Conformance to the following DICOM
V3.0 SOP Classes as an SCU:

SOP Class Name                          SOP Class UID
CT Image Storage                        1.2.840.10008.5.1.4.1.1.2
Secondary Capture Image Storage         1.2.840.10008.5.1.4.1.1.7
X-Ray Radiation Dose SR Storage         1.2.840.10008.5.1.4.1.1.88.67

The DICOM Server Application Entity provides Standard Conformance to the following DICOM
V3.0 SOP Classes as an SCP:

SOP Class Name                          SOP Class UID
Verification SOP Class                  1.2.840.10008.1.1
CT Image Storage                        1.2.840.10008.5.1.4.1.1.2
Study Root Query/Retrieve Information Model - FIND   1.2.840.10008.5.1.4.1.2.2.1
Study Root Query/Retrieve Information Model - MOVE   1.2.840.10008.5.1.4.1.2.2.2

2.3.1.1 Association Establishment Policies

2.3.1.1.1 General

The DICOM Application Context Name (ACN), which is always proposed, is:

Application Context Name                1.2.840.10008.3.1.1.1

The Maximum Length PDU negotiation is included in all association establishment requests.
The maximum length PDU for an association initiated by the DICOM Server is:

Maximum Length PDU                      50 Kbytes

2.3.1.1.2 Number of Associations

The DICOM Server will initiate a maximum of 3 simultaneous associations to remote nodes.
The DICOM Server can accept a maximum of 6 simultaneous associations from remote nodes.

2.3.1.1.3 Asynchronous Nature

Asynchronous mode is not supported. All operations will be performed synchronously.

2.3.1.1.4 Implementation Identifying Information

The Implementation UID for this DICOM Implementation is:

LightScan Implementation UID            1.2.840.113619.6.94

2.3.1.2 Association Initiation Policy

2.3.1.2.1 Real-World Activity A: Push Images

2.3.1.2.1.1 Proposed Presentation Contexts

Abstract Syntax                                      Transfer Syntax                           Role   Extended
Name                   UID                           Name List              UID List                  Negotiation
CT Image Storage       1.2.840.10008.5.1.4.1.1.2     Implicit VR Little Endian  1.2.840.10008.1.2      SCU    None
                                                     Explicit VR Little Endian  1.2.840.10008.1.2.1
Secondary Capture      1.2.840.10008.5.1.4.1.1.7     Implicit VR Little Endian  1.2.840.10008.1.2      SCU    None
X-Ray Radiation Dose SR 1.2.840.10008.5.1.4.1.1.88.67 Explicit VR Little Endian 1.2.840.10008.1.2.1   SCU    None

2.3.1.3 Association Acceptance Policy

2.3.1.3.1 Real-World Activity B: Verification, Query and Retrieve

2.3.1.3.1.1 Accepted Presentation Contexts

Abstract Syntax                                      Transfer Syntax                           Role   Extended
Name                   UID                           Name List              UID List                  Negotiation
Verification           1.2.840.10008.1.1             Implicit VR Little Endian  1.2.840.10008.1.2      SCP    None
CT Image Storage       1.2.840.10008.5.1.4.1.1.2     Implicit VR Little Endian  1.2.840.10008.1.2      SCP    None
                                                     Explicit VR Little Endian  1.2.840.10008.1.2.1
                                                     JPEG Lossless SV1          1.2.840.10008.1.2.4.70
Study Root FIND        1.2.840.10008.5.1.4.1.2.2.1   Implicit VR Little Endian  1.2.840.10008.1.2      SCP    None
Study Root MOVE        1.2.840.10008.5.1.4.1.2.2.2   Implicit VR Little Endian  1.2.840.10008.1.2      SCP    None

3. COMMUNICATION PROFILES

3.1 TCP/IP Stack

The TCP/IP stack is inherited from the operating system. Only IPv4 is supported; IPv6 is not supported.

6. SUPPORT OF EXTENDED CHARACTER SETS

The DICOM Server supports ISO_IR 100 (ISO 8859-1 Latin 1).
"""  # noqa: E501


def test_old_text_layout_with_space_aligned_columns(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "lightscan.txt", OLD_TEXT_ALIGNED)
    assert _services(facts) == {
        (CT, "SCU"): [ILE, ELE],
        (SC, "SCU"): [ILE],
        (DOSE_SR, "SCU"): [ELE],
        (VERIFY, "SCP"): [ILE],
        (CT, "SCP"): [ILE, ELE, JPEG_LL],
        (STUDY_FIND, "SCP"): [ILE],
        (STUDY_MOVE, "SCP"): [ILE],
    }
    assert _scalars(facts) == {
        **NO_SCALARS,
        "impl_uid": "1.2.840.113619.6.94",
        "initiated": 3,
        "accepted": 6,
        "pdu": 51200,
        "charsets": ["ISO_IR 100"],
        "ipv6": False,
    }


# ---------------------------------------------------------------- 4. abbreviations defined by the statement
ABBREVIATED_SYNTAXES = """# Helix PACS 4 DICOM Conformance Statement

## 4.2.1 ARCHIVE AE Specification

### Transfer Syntaxes

The following abbreviations are used for the transfer syntaxes in the tables of this section.

| Abbreviation | Transfer Syntax Name | Transfer Syntax UID |
|---|---|---|
| ILE | Implicit VR Little Endian | 1.2.840.10008.1.2 |
| ELE | Explicit VR Little Endian | 1.2.840.10008.1.2.1 |
| EBE | Explicit VR Big Endian (Retired) | 1.2.840.10008.1.2.2 |
| JLL | JPEG Lossless, Non-Hierarchical, First-Order Prediction | 1.2.840.10008.1.2.4.70 |
| J2K | JPEG 2000 Image Compression (Lossless Only) | 1.2.840.10008.1.2.4.90 |
| J2KI | JPEG 2000 Image Compression | 1.2.840.10008.1.2.4.91 |

### Accepted Presentation Contexts

| Abstract Syntax Name | Abstract Syntax UID | Transfer Syntaxes | Role | Ext. Neg. |
|---|---|---|---|---|
| Verification | 1.2.840.10008.1.1 | ILE, ELE | SCP | None |
| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 | ILE, ELE, EBE, JLL, J2K, J2KI | SCP | None |
| Ultrasound Image Storage | 1.2.840.10008.5.1.4.1.1.6.1 | ILE, ELE, JPEG Lossless SV1, RLE | SCP | None |
| Study Root Q/R FIND | 1.2.840.10008.5.1.4.1.2.2.1 | ILE, ELE | SCP | None |

### Proposed Presentation Contexts

| Abstract Syntax Name | Abstract Syntax UID | Transfer Syntaxes | Role | Ext. Neg. |
|---|---|---|---|---|
| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 | J2K, ELE, ILE | SCU | None |
| Storage Commitment Push Model | 1.2.840.10008.1.20.1 | ILE | SCP | None |
"""


def test_transfer_syntax_abbreviations_defined_in_the_statement(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "helix.md", ABBREVIATED_SYNTAXES)
    assert {k: sorted(v) for k, v in _services(facts).items()} == {
        (VERIFY, "SCP"): sorted([ILE, ELE]),
        (CT, "SCP"): sorted([ILE, ELE, EBE, JPEG_LL, J2K_LL, J2K]),
        (US, "SCP"): sorted([ILE, ELE, JPEG_LL, RLE]),
        (STUDY_FIND, "SCP"): sorted([ILE, ELE]),
        (CT, "SCU"): sorted([J2K_LL, ELE, ILE]),  # the statement's own J2K, not the lossy alias
        (COMMIT, "SCP"): [ILE],
    }


# ---------------------------------------------------------------- 5. "all Storage SOP classes of Table 4-3"
TABLE_REFERENCES = """DICOM Conformance Statement
Magnara Archive VB20

4.2.2 Storage SCP AE

Table 4-2: Verification SOP Class

| SOP Class Name | SOP Class UID | SCU | SCP |
| Verification | 1.2.840.10008.1.1 | Yes | Yes |

Table 4-3: Storage SOP Classes

| SOP Class Name | SOP Class UID |
| Computed Radiography Image Storage | 1.2.840.10008.5.1.4.1.1.1 |
| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 |
| MR Image Storage | 1.2.840.10008.5.1.4.1.1.4 |
| Nuclear Medicine Image Storage | 1.2.840.10008.5.1.4.1.1.20 |
| Positron Emission Tomography Image Storage | 1.2.840.10008.5.1.4.1.1.128 |

Table 4-4: Query/Retrieve SOP Classes

| SOP Class Name | SOP Class UID |
| Patient Root Query/Retrieve Information Model - FIND | 1.2.840.10008.5.1.4.1.2.1.1 |
| Patient Root Query/Retrieve Information Model - MOVE | 1.2.840.10008.5.1.4.1.2.1.2 |

Table 4-5: Transfer Syntaxes for Storage

| Transfer Syntax Name | Transfer Syntax UID |
| Implicit VR Little Endian | 1.2.840.10008.1.2 |
| Explicit VR Little Endian | 1.2.840.10008.1.2.1 |
| JPEG Lossless, Non-Hierarchical, First-Order Prediction | 1.2.840.10008.1.2.4.70 |

4.2.2.3 Association Acceptance Policy

All Storage SOP classes listed in Table 4-3 are accepted as SCP with the transfer syntaxes of Table 4-5.
The Query/Retrieve SOP classes listed in Table 4-4 are supported as SCP with Implicit VR Little Endian only.

4.2.2.4 Number of Associations

The Storage SCP AE accepts up to 20 simultaneous associations.
"""


def test_storage_classes_of_one_table_with_syntaxes_of_another(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "magnara.txt", TABLE_REFERENCES)
    storage = [ILE, ELE, JPEG_LL]
    assert {k: sorted(v) for k, v in _services(facts).items()} == {
        (VERIFY, "SCU"): [],
        (VERIFY, "SCP"): [],
        (CR, "SCP"): storage,
        (CT, "SCP"): storage,
        (MR, "SCP"): storage,
        (NM, "SCP"): storage,
        (PET, "SCP"): storage,
        (PATIENT_FIND, "SCP"): [ILE],
        (PATIENT_MOVE, "SCP"): [ILE],
    }
    assert _scalars(facts) == {**NO_SCALARS, "accepted": 20}


# ---------------------------------------------------------------- 6. names only: retired, typos, no "Storage"
NAMES_ONLY = """# Kestrel Review Station 3 – DICOM Conformance Statement

## 2 Supported SOP Classes

The Review Station supports the following SOP classes. UIDs are listed in PS3.6.

| SOP Class | SCU | SCP |
|---|---|---|
| Ultrasound Image Storage (Retired) | No | Yes |
| RETIRED – Nuclear Medicine Image Storage | No | Yes |
| Ultrasound Multi-frame Image Storgae | No | Yes |
| Digital Mammography X-Ray Image – For Presentation | No | Yes |
| Enhanced MR | No | Yes |
| X-Ray Angiographic Image | No | Yes |
| Positron Emission Tomography Image Storage | Yes | Yes |
| Key Object Selection Document | Yes | Yes |
| Study Root Q/R – MOVE | Yes | No |
| Patient Root Query/Retrieve Info. Model – FIND | Yes | No |
| Storage Commitment Push | Yes | No |
| Verification SOP Class | Yes | Yes |

## 3 Association Policies

Maximum number of simultaneous associations: 4 initiated, 12 accepted.

The maximum PDU size received is 32768 bytes.
"""


def test_names_without_uids_retired_typos_and_missing_storage(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "kestrel.md", NAMES_ONLY)
    assert set(_services(facts)) == {
        (US_RETIRED, "SCP"),
        (NM_RETIRED, "SCP"),
        (US_MF, "SCP"),
        (MG_PRES, "SCP"),
        (ENH_MR, "SCP"),
        (XA, "SCP"),
        (PET, "SCU"),
        (PET, "SCP"),
        (KOS, "SCU"),
        (KOS, "SCP"),
        (STUDY_MOVE, "SCU"),
        (PATIENT_FIND, "SCU"),
        (COMMIT, "SCU"),
        (VERIFY, "SCU"),
        (VERIFY, "SCP"),
    }
    assert _scalars(facts) == {**NO_SCALARS, "initiated": 4, "accepted": 12, "pdu": 32768}


# ---------------------------------------------------------------- 7. German statement
GERMAN = """# DICOM-Konformitätserklärung Heliograph MR 11

## 4 Netzwerk

### 4.2.1 Anwendungseinheit STORAGE-SCU

#### 4.2.1.1 SOP-Klassen

| Name der SOP-Klasse | UID der SOP-Klasse | SCU | SCP |
|---|---|---|---|
| Verifizierung | 1.2.840.10008.1.1 | Ja | Ja |
| MR-Bildspeicherung | 1.2.840.10008.5.1.4.1.1.4 | Ja | Nein |
| Erweiterte MR-Bildspeicherung | 1.2.840.10008.5.1.4.1.1.4.1 | Ja | Nein |
| Speicherbestätigung (Push-Modell) | 1.2.840.10008.1.20.1 | Ja | Nein |

#### 4.2.1.2 Assoziationsrichtlinien

| Maximale Anzahl gleichzeitig initiierter Assoziationen | 2 |
|---|---|
| Maximale Anzahl gleichzeitig akzeptierter Assoziationen | 5 |
| Maximale PDU-Größe (empfangen) | 65536 Byte |
| Implementation Class UID | 1.3.12.2.1107.5.2.55 |
| Implementation Version Name | HELIO_MR_11 |

#### 4.2.1.3 Vorgeschlagene Präsentationskontexte

| Abstrakte Syntax | UID | Transfersyntax | Transfersyntax-UID | Rolle |
|---|---|---|---|---|
| MR-Bildspeicherung | 1.2.840.10008.5.1.4.1.1.4 | Explicit VR Little Endian<br>Implicit VR Little Endian | 1.2.840.10008.1.2.1<br>1.2.840.10008.1.2 | SCU |
| Erweiterte MR-Bildspeicherung | 1.2.840.10008.5.1.4.1.1.4.1 | JPEG 2000 (verlustfrei) | 1.2.840.10008.1.2.4.90 | SCU |
| Speicherbestätigung (Push-Modell) | 1.2.840.10008.1.20.1 | Implicit VR Little Endian | 1.2.840.10008.1.2 | SCU |
| Verifizierung | 1.2.840.10008.1.1 | Implicit VR Little Endian | 1.2.840.10008.1.2 | SCU |

#### 4.2.1.4 Akzeptierte Präsentationskontexte

| Abstrakte Syntax | UID | Transfersyntax | Transfersyntax-UID | Rolle |
|---|---|---|---|---|
| Verifizierung | 1.2.840.10008.1.1 | Implicit VR Little Endian | 1.2.840.10008.1.2 | SCP |
| Speicherbestätigung (Push-Modell) | 1.2.840.10008.1.20.1 | Implicit VR Little Endian | 1.2.840.10008.1.2 | SCU |

## 7 Zeichensätze

Unterstützt werden ISO_IR 100 und ISO_IR 192.

## 8 Sicherheit

TLS wird nicht unterstützt.
"""  # noqa: E501


def test_german_statement_with_standard_uids(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "heliograph.md", GERMAN)
    assert _services(facts) == {
        (VERIFY, "SCU"): [ILE],
        (VERIFY, "SCP"): [ILE],
        (MR, "SCU"): [ILE, ELE],
        (ENH_MR, "SCU"): [J2K_LL],
        (COMMIT, "SCU"): [ILE],
    }
    assert _scalars(facts) == {
        **NO_SCALARS,
        "impl_uid": "1.3.12.2.1107.5.2.55",
        "impl_version": "HELIO_MR_11",
        "initiated": 2,
        "accepted": 5,
        "pdu": 65536,
        "charsets": ["ISO_IR 100", "ISO_IR 192"],
        "tls": False,
    }


# ---------------------------------------------------------------- 8. French statement
FRENCH = """# Déclaration de conformité DICOM – Lumina Échographe 4

## 1 Vue d'ensemble

| Classe SOP | UID | Utilisateur (SCU) | Fournisseur (SCP) |
|---|---|---|---|
| Vérification | 1.2.840.10008.1.1 | Oui | Oui |
| Stockage d'images échographiques | 1.2.840.10008.5.1.4.1.1.6.1 | Oui | Non |
| Stockage d'images échographiques multi-trames | 1.2.840.10008.5.1.4.1.1.3.1 | Oui | Non |
| Liste de travail de modalité – FIND | 1.2.840.10008.5.1.4.31 | Oui | Non |
| Étape de procédure effectuée (MPPS) | 1.2.840.10008.3.1.2.3.3 | Option | Non |

## 4 Contextes de présentation proposés

| Syntaxe abstraite | UID | Syntaxes de transfert | Rôle |
|---|---|---|---|
| Stockage d'images échographiques | 1.2.840.10008.5.1.4.1.1.6.1 | 1.2.840.10008.1.2.4.50, 1.2.840.10008.1.2.5, 1.2.840.10008.1.2.1 | SCU |
| Stockage d'images échographiques multi-trames | 1.2.840.10008.5.1.4.1.1.3.1 | 1.2.840.10008.1.2.4.50, 1.2.840.10008.1.2.1 | SCU |
| Liste de travail de modalité – FIND | 1.2.840.10008.5.1.4.31 | 1.2.840.10008.1.2, 1.2.840.10008.1.2.1 | SCU |
"""  # noqa: E501


def test_french_statement_with_standard_uids(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "lumina.md", FRENCH)
    assert _services(facts) == {
        (VERIFY, "SCU"): [],
        (VERIFY, "SCP"): [],
        (US, "SCU"): sorted([JPEG_BASE, RLE, ELE]),
        (US_MF, "SCU"): sorted([JPEG_BASE, ELE]),
        (MWL, "SCU"): [ILE, ELE],
        (MPPS, "SCU"): [],
    }


# ---------------------------------------------------------------- 9. media section beside the network one
MEDIA_SECTION = """# Corvid CR 2 DICOM Conformance Statement

## 4 Networking

### 4.2.1 CR-STORE AE Specification

The CR-STORE AE sends images as an SCU.

| SOP Class Name | SOP Class UID | SCU | SCP |
|---|---|---|---|
| Computed Radiography Image Storage | 1.2.840.10008.5.1.4.1.1.1 | Yes | No |
| Verification | 1.2.840.10008.1.1 | Yes | Yes |

### 4.2.1.3 Proposed Presentation Contexts

| Abstract Syntax Name | Abstract Syntax UID | Transfer Syntax Name | Transfer Syntax UID | Role |
|---|---|---|---|---|
| Computed Radiography Image Storage | 1.2.840.10008.5.1.4.1.1.1 | Explicit VR Little Endian | 1.2.840.10008.1.2.1 | SCU |
| Computed Radiography Image Storage | 1.2.840.10008.5.1.4.1.1.1 | Implicit VR Little Endian | 1.2.840.10008.1.2 | SCU |
| Verification | 1.2.840.10008.1.1 | Implicit VR Little Endian | 1.2.840.10008.1.2 | SCU |

### 4.2.1.4 Accepted Presentation Contexts

| Abstract Syntax Name | Abstract Syntax UID | Transfer Syntax Name | Transfer Syntax UID | Role |
|---|---|---|---|---|
| Verification | 1.2.840.10008.1.1 | Implicit VR Little Endian | 1.2.840.10008.1.2 | SCP |

## 5 Media Interchange

### 5.1 Implementation Model

The Offline-Media Application Entity exports images to CD-R as a File-set Creator (FSC)
and reads media as a File-set Reader (FSR).

### 5.2 AE Specifications

#### 5.2.1 Offline-Media AE Specification

| Application Profile | Real-World Activity | Role |
|---|---|---|
| STD-GEN-CD | Export to CD-R | FSC |
| STD-GEN-CD | Import from CD-R | FSR |

#### 5.2.2 SOP Classes and Transfer Syntaxes

| SOP Class Name | SOP Class UID | Transfer Syntax | Transfer Syntax UID | FSC | FSR |
|---|---|---|---|---|---|
| Media Storage Directory Storage | 1.2.840.10008.1.3.10 | Explicit VR Little Endian | 1.2.840.10008.1.2.1 | Yes | Yes |
| Computed Radiography Image Storage | 1.2.840.10008.5.1.4.1.1.1 | Explicit VR Little Endian | 1.2.840.10008.1.2.1 | Yes | Yes |
| Digital X-Ray Image Storage – For Presentation | 1.2.840.10008.5.1.4.1.1.1.1 | Explicit VR Little Endian | 1.2.840.10008.1.2.1 | No | Yes |

The DICOMDIR (Media Storage Directory Storage, 1.2.840.10008.1.3.10) is written as FSC.
"""  # noqa: E501


def test_media_only_classes_are_not_network_services(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "corvid.md", MEDIA_SECTION)
    assert _services(facts) == {
        (CR, "SCU"): [ILE, ELE],
        (VERIFY, "SCU"): [ILE],
        (VERIFY, "SCP"): [ILE],
    }


# ---------------------------------------------------------------- 10. one Role column with "Both", marks
ROLE_COLUMN_MARKS = """DICOM CONFORMANCE STATEMENT
Aquila Ultrasound Platform, software version 8.2

1 OVERVIEW

Table 1-1 Network Services

| SOP Class                                   | UID                            | Role    |
| Verification                                | 1.2.840.10008.1.1              | Both    |
| Ultrasound Image Storage                    | 1.2.840.10008.5.1.4.1.1.6.1    | SCU     |
| Ultrasound Multi-frame Image Storage        | 1.2.840.10008.5.1.4.1.1.3.1    | SCU     |
| Comprehensive SR Storage                    | 1.2.840.10008.5.1.4.1.1.88.33  | SCU     |
| Storage Commitment Push Model               | 1.2.840.10008.1.20.1           | SCU     |
| Study Root Query/Retrieve Information Model - FIND | 1.2.840.10008.5.1.4.1.2.2.1 | SCU/SCP |

2 NETWORKING

2.1 Association Policies

Maximum PDU size received: 116794 bytes
Maximum PDU size sent: 65536 bytes

The number of simultaneous associations is unlimited.

2.2 Implementation Identifying Information

Implementation Class UID: 1.2.840.113663.1500.1.8.2
Implementation Version Name: "AQUILA 8.2"

3 SECURITY

The Aquila supports the Basic TLS Secure Transport Connection Profile and the BCP 195 TLS Secure
Transport Connection Profile. Both IPv4 and IPv6 are supported.
"""


def test_role_column_with_both_and_prose_scalars(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "aquila.txt", ROLE_COLUMN_MARKS)
    assert set(_services(facts)) == {
        (VERIFY, "SCU"),
        (VERIFY, "SCP"),
        (US, "SCU"),
        (US_MF, "SCU"),
        ("1.2.840.10008.5.1.4.1.1.88.33", "SCU"),
        (COMMIT, "SCU"),
        (STUDY_FIND, "SCU"),
        (STUDY_FIND, "SCP"),
    }
    assert _scalars(facts) == {
        **NO_SCALARS,
        "impl_uid": "1.2.840.113663.1500.1.8.2",
        "impl_version": "AQUILA 8.2",
        "initiated": "unlimited",
        "accepted": "unlimited",
        "pdu": 116794,
        "tls": True,
        "ipv6": True,
    }


# ---------------------------------------------------------------- 11. syntaxes as a bulleted list of names
BULLETED_SYNTAXES = """# Sentinel Mini-PACS 6 — DICOM Conformance Statement

## 3 Storage Service

### 3.1 Storage SCP

Sentinel accepts the following Storage SOP Classes as an SCP:

- CT Image Storage (1.2.840.10008.5.1.4.1.1.2)
- MR Image Storage (1.2.840.10008.5.1.4.1.1.4)
- Secondary Capture Image Storage (1.2.840.10008.5.1.4.1.1.7)

The following transfer syntaxes are accepted for all Storage SOP Classes:

- Implicit VR Little Endian
- Explicit VR Little Endian
- JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])
- JPEG 2000 Image Compression (Lossless Only)

### 3.2 Verification

Sentinel is a Verification SCP (1.2.840.10008.1.1) with Implicit VR Little Endian only.

## 4 Association Policies

The maximum number of associations that can be accepted simultaneously is 10.
Sentinel never initiates associations.
The maximum PDU length is 28 672 bytes.
"""


def test_bulleted_transfer_syntax_names_for_all_storage_classes(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "sentinel.md", BULLETED_SYNTAXES)
    storage = sorted([ILE, ELE, JPEG_LL, J2K_LL])
    assert _services(facts) == {
        (CT, "SCP"): storage,
        (MR, "SCP"): storage,
        (SC, "SCP"): storage,
        (VERIFY, "SCP"): [ILE],
    }
    assert _scalars(facts) == {**NO_SCALARS, "accepted": 10, "initiated": 0, "pdu": 28672}


# ---------------------------------------------------------------- 12. configuration parameters table
CONFIG_PARAMETERS = """# Tern RIS Broker 2.4 DICOM Conformance Statement

## 4.2.1 WORKLIST-SCP AE Specification

| SOP Class Name | SOP Class UID | SCU | SCP |
|---|---|---|---|
| Verification | 1.2.840.10008.1.1 | No | Yes |
| Modality Worklist Information Model – FIND | 1.2.840.10008.5.1.4.31 | No | Yes |
| Modality Performed Procedure Step | 1.2.840.10008.3.1.2.3.3 | No | Yes |

### 4.2.1.3 Association Acceptance Policy

The WORKLIST-SCP AE can handle up to 8 simultaneous associations.

| Presentation Context Table | | | |
|---|---|---|---|
| Abstract Syntax | Transfer Syntax | Role | Ext. Neg. |
| Verification | Implicit VR Little Endian, Explicit VR Little Endian | SCP | None |
| Modality Worklist Information Model – FIND | Implicit VR Little Endian, Explicit VR Little Endian | SCP | None |
| Modality Performed Procedure Step | Implicit VR Little Endian | SCP | None |

## 4.4 Configuration

### 4.4.2 Parameters

| Parameter | Configurable (Yes/No) | Default Value |
|---|---|---|
| Maximum PDU size the AE can receive | Yes | 32768 |
| Maximum PDU size the AE can send | Yes | 16384 |
| Maximum number of simultaneous associations | Yes | 8 |
| Association timeout (s) | Yes | 30 |

## 7 Support of Character Sets

The WORKLIST-SCP AE supports ISO_IR 100 and ISO_IR 192. Other Specific Character Set values are
rejected.

## 8 Security

No security profiles are supported. IPv6 is supported.
"""  # noqa: E501


def test_configuration_parameters_and_names_only_context_table(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "tern.md", CONFIG_PARAMETERS)
    assert _services(facts) == {
        (VERIFY, "SCP"): [ILE, ELE],
        (MWL, "SCP"): [ILE, ELE],
        (MPPS, "SCP"): [ILE],
    }
    assert _scalars(facts) == {
        **NO_SCALARS,
        "accepted": 8,
        "pdu": 32768,
        "charsets": ["ISO_IR 100", "ISO_IR 192"],
        "tls": False,
        "ipv6": True,
    }


# ---------------------------------------------------------------- 13. Word-exported HTML, paragraphs in cells
WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office">
<head><meta http-equiv=Content-Type content="text/html; charset=utf-8">
<style>p.MsoNormal {margin:0cm;}</style></head>
<body lang=EN-US>
<div class=WordSection1>
<h1><span>DICOM Conformance Statement – Hoshi&nbsp;DR&nbsp;Console V3</span></h1>
<h2>1 Conformance Statement Overview</h2>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0>
<thead>
<tr><td><p class=MsoNormal><b>SOP Classes</b></p></td>
<td><p class=MsoNormal><b>User of Service (SCU)</b></p></td>
<td><p class=MsoNormal><b>Provider of Service (SCP)</b></p></td></tr>
</thead>
<tr><td><p class=MsoNormal>Digital&nbsp;X-Ray Image Storage – For Presentation</p></td>
<td><p class=MsoNormal align=center>○</p></td><td><p class=MsoNormal align=center>×</p></td></tr>
<tr><td><p class=MsoNormal>Modality Worklist Information Model – FIND</p></td>
<td><p class=MsoNormal align=center>○</p></td><td><p class=MsoNormal align=center>×</p></td></tr>
<tr><td><p class=MsoNormal>Verification</p></td>
<td><p class=MsoNormal align=center>○</p></td><td><p class=MsoNormal align=center>○</p></td></tr>
</table>
<h2>4.2.1.3 Proposed Presentation Contexts</h2>
<table class=MsoTableGrid border=1>
<tr><td><p class=MsoNormal><b>Abstract Syntax Name</b></p></td><td><p class=MsoNormal><b>Abstract Syntax UID</b></p></td>
<td><p class=MsoNormal><b>Transfer Syntax Name List</b></p></td><td><p class=MsoNormal><b>Transfer Syntax UID List</b></p></td>
<td><p class=MsoNormal><b>Role</b></p></td></tr>
<tr><td><p class=MsoNormal>Digital X-Ray Image Storage – For Presentation</p></td>
<td><p class=MsoNormal>1.2.840.10008.5.1.4.1.1.1.1</p></td>
<td><p class=MsoNormal>JPEG Lossless SV1</p><p class=MsoNormal>Explicit VR Little Endian</p>
<p class=MsoNormal>Implicit VR Little Endian</p></td>
<td><p class=MsoNormal>1.2.840.10008.1.2.4.70</p><p class=MsoNormal>1.2.840.10008.1.2.1</p>
<p class=MsoNormal>1.2.840.10008.1.2</p></td>
<td><p class=MsoNormal>SCU</p></td></tr>
<tr><td><p class=MsoNormal>Modality Worklist Information Model – FIND</p></td>
<td><p class=MsoNormal>1.2.840.10008.5.1.4.31</p></td>
<td><p class=MsoNormal>Implicit VR Little Endian</p><p class=MsoNormal>Explicit VR Little Endian</p></td>
<td><p class=MsoNormal>1.2.840.10008.1.2</p><p class=MsoNormal>1.2.840.10008.1.2.1</p></td>
<td><p class=MsoNormal>SCU</p></td></tr>
<tr><td><p class=MsoNormal>Verification</p></td><td><p class=MsoNormal>1.2.840.10008.1.1</p></td>
<td><p class=MsoNormal>Implicit VR Little Endian</p></td><td><p class=MsoNormal>1.2.840.10008.1.2</p></td>
<td><p class=MsoNormal>SCU</p></td></tr>
</table>
<h2>4.2.1.4 Accepted Presentation Contexts</h2>
<table class=MsoTableGrid border=1>
<tr><td><p class=MsoNormal><b>Abstract Syntax Name</b></p></td><td><p class=MsoNormal><b>Abstract Syntax UID</b></p></td>
<td><p class=MsoNormal><b>Transfer Syntax Name List</b></p></td><td><p class=MsoNormal><b>Transfer Syntax UID List</b></p></td>
<td><p class=MsoNormal><b>Role</b></p></td></tr>
<tr><td><p class=MsoNormal>Verification</p></td><td><p class=MsoNormal>1.2.840.10008.1.1</p></td>
<td><p class=MsoNormal>Implicit VR Little Endian</p><p class=MsoNormal>Explicit VR Little Endian</p></td>
<td><p class=MsoNormal>1.2.840.10008.1.2</p><p class=MsoNormal>1.2.840.10008.1.2.1</p></td>
<td><p class=MsoNormal>SCP</p></td></tr>
</table>
<p class=MsoNormal>Maximum&nbsp;PDU&nbsp;size&nbsp;received:&nbsp;16384&nbsp;bytes</p>
</div></body></html>
"""  # noqa: E501

DX_LL = [ILE, ELE, JPEG_LL]


def test_word_exported_html_with_paragraphs_in_cells_and_circle_marks(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "hoshi.htm", WORD_HTML)
    assert {k: sorted(v) for k, v in _services(facts).items()} == {
        (DX_PRES, "SCU"): sorted(DX_LL),
        (MWL, "SCU"): sorted([ILE, ELE]),
        (VERIFY, "SCU"): [ILE],
        (VERIFY, "SCP"): sorted([ILE, ELE]),
    }
    assert _scalars(facts) == {**NO_SCALARS, "pdu": 16384}


# ---------------------------------------------------------------- 14. a labelled record per SOP class
LABELLED_RECORDS = """DICOM CONFORMANCE STATEMENT
Osprey Cardiology Review 2.1

2.2.1 Real-World Activity: Send Images

Associated Real-World Activity: the operator sends a study to the archive.

SOP Class Name: X-Ray Angiographic Image Storage
SOP Class UID: 1.2.840.10008.5.1.4.1.1.12.1
Role: SCU
Transfer Syntaxes: JPEG Lossless SV1, Explicit VR Little Endian, Implicit VR Little Endian

SOP Class Name: Secondary Capture Image Storage
SOP Class UID: 1.2.840.10008.5.1.4.1.1.7
Role: SCU
Transfer Syntaxes: Implicit VR Little Endian

2.2.2 Real-World Activity: Verification

SOP Class Name: Verification SOP Class
SOP Class UID: 1.2.840.10008.1.1
Role: SCU and SCP
Transfer Syntax: Implicit VR Little Endian

2.3 Association Policies

Maximum PDU Length: 64 kB
Maximum Number of Associations: 2
"""


def test_one_labelled_record_per_sop_class(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "osprey.txt", LABELLED_RECORDS)
    assert {k: sorted(v) for k, v in _services(facts).items()} == {
        (XA, "SCU"): sorted([JPEG_LL, ELE, ILE]),
        (SC, "SCU"): [ILE],
        (VERIFY, "SCU"): [ILE],
        (VERIFY, "SCP"): [ILE],
    }
    # one limit, no direction, on a product whose only non-Verification role is SCU: initiated
    assert _scalars(facts) == {**NO_SCALARS, "pdu": 65536, "initiated": 2}


# ---------------------------------------------------------------- 15. association policies in words
WORDED_POLICIES = """# Wren Dental Imaging 5 – DICOM Conformance Statement

## 4.2.1 WREN AE Specification

| SOP Class | SOP&nbsp;Class&nbsp;UID | SCU | SCP |
|---|---|---|---|
| Digital Intra&#8209;Oral X&#8209;Ray Image&nbsp;Storage &ndash; For Presentation | | Yes | No |
| Verification | 1.2.840.10008.1.1 | Yes | Yes |

### 4.2.1.2 Association Policies

The WREN AE initiates only one association at a time. It accepts a maximum of two simultaneous
associations for Verification.

The maximum PDU size sent is 16 kB. Max PDU Length 64 kB is offered for received PDUs.
"""


def test_association_limits_written_as_words(tmp_path: Path) -> None:
    # also: HTML entities left in a Markdown export, in a name given without its UID
    facts = _facts(tmp_path, "wren.md", WORDED_POLICIES)
    assert set(_services(facts)) == {
        ("1.2.840.10008.5.1.4.1.1.1.3", "SCU"),
        (VERIFY, "SCU"),
        (VERIFY, "SCP"),
    }
    assert _scalars(facts) == {**NO_SCALARS, "initiated": 1, "accepted": 2, "pdu": 65536}


# ---------------------------------------------------------------- vendor spellings of names
@pytest.mark.parametrize(
    ("name", "uid"),
    [
        ("CR Image Storage", CR),  # was read as CT: a short word swapped is another class, not a typo
        ("NM Image Storage", NM),  # was read as MR
        ("PET Image Storage", PET),  # was read as CT
        ("XRF Image Storage", "1.2.840.10008.5.1.4.1.1.12.2"),  # was read as MR
        ("XA Image Storage", XA),
        ("DX Image Storage - For Processing", DX_PROC),
        ("Computed Tomography Image Storage", CT),
        ("Magnetic Resonance Image Storage", MR),
        ("Study Root C-MOVE", STUDY_MOVE),
        ("Modality Worklist (MWL)", MWL),
        ("MPPS N-CREATE/N-SET", MPPS),
        ("Radiation Dose SR", DOSE_SR),
        ("Ultrasound Multi-Frame Image Storage (Retired)", "1.2.840.10008.5.1.4.1.1.3"),
        ("Ultrasound Multi-frame Image Storgae", US_MF),
    ],
)
def test_sop_class_vendor_spellings(name: str, uid: str) -> None:
    assert resolve_sop_class(name) == uid


@pytest.mark.parametrize(
    ("name", "uid"),
    [
        ("JPEG Lossless (Process 14, Selection Value 1)", JPEG_LL),
        ("JPEG Lossless P14 SV1", JPEG_LL),
        ("JPEG Lossy 8-bit", JPEG_BASE),
        ("JPEG 2000 Part 1 Lossless", J2K_LL),
        ("J2K Lossy", J2K),
        ("Run Length Encoding", RLE),
        ("Implicit VR Little Endian: Default Transfer Syntax for DICOM", ILE),
    ],
)
def test_transfer_syntax_vendor_spellings(name: str, uid: str) -> None:
    assert resolve_transfer_syntax(name) == uid


# ---------------------------------------------------------------- 16. a table continued without its header
HEADERLESS_CONTINUATION = """<html><body>
<h3>4.2.1.3 Proposed Presentation Contexts</h3>
<p>The STORE AE proposes the following presentation contexts.</p>
<table border="1">
<tr><th>Abstract Syntax</th><th>UID</th><th>Transfer Syntax</th><th>Role</th></tr>
<tr><td>CT Image Storage</td><td>1.2.840.10008.5.1.4.1.1.2</td>
<td>Implicit VR Little Endian<br>Explicit VR Little Endian</td><td>SCU</td></tr>
</table>
<p>Digital Healthcare Inc. – Confidential – Page 23 of 80</p>
<table border="1">
<tr><td>MR Image Storage</td><td>1.2.840.10008.5.1.4.1.1.4</td>
<td>JPEG Lossless, Non-Hierarchical, First-Order<br>Prediction (Process 14 [Selection Value 1])<br>Explicit VR Little Endian</td>
<td>SCU</td></tr>
<tr><td>Secondary Capture Image Storage</td><td>1.2.840.10008.5.1.4.1.1.7</td><td>Implicit VR Little Endian</td>
<td>SCU</td></tr>
</table>
</body></html>
"""  # noqa: E501


def test_table_continued_without_its_header(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "continued.html", HEADERLESS_CONTINUATION)
    assert {k: sorted(v) for k, v in _services(facts).items()} == {
        (CT, "SCU"): [ILE, ELE],
        (MR, "SCU"): sorted([JPEG_LL, ELE]),
        (SC, "SCU"): [ILE],
    }


def test_german_and_french_headers_are_headers_not_unresolved_names(tmp_path: Path) -> None:
    for name, text in (("de.md", GERMAN), ("fr.md", FRENCH)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert parse_statement(path, use_cache=False).unresolved == []


# ---------------------------------------------------------------- security sentences
@pytest.mark.parametrize(
    ("sentence", "tls"),
    [
        ("The product does not support TLS.", False),
        ("TLS 1.2 can be configured for all associations.", True),
        ("Secure Transport Connection Profile: Not supported", False),  # a 'Label: value' line alone
        ("Security Profiles: None", False),
        ("No security profiles are supported.", False),
        ("The Basic TLS Secure Transport Connection Profile is supported.", True),
        ("DICOM TLS (port 2762) is available as an option.", True),
    ],
)
def test_tls_as_vendors_state_it(tmp_path: Path, sentence: str, tls: bool) -> None:
    text = (
        "# S\n\n| SOP Class | UID | SCU | SCP |\n|---|---|---|---|\n"
        "| Verification | 1.2.840.10008.1.1 | Yes | Yes |\n\n## 8 Security\n\n" + sentence + "\n"
    )
    assert _facts(tmp_path, "s.md", text)["security"]["tls"] is tls


# ---------------------------------------------------------------- 17. forward references, optional role
FORWARD_REFERENCES = """# Falcon Archive 7

## 4.2.1 ARCHIVE AE

### 4.2.1.1 Association Acceptance Policy

The ARCHIVE AE accepts all Storage SOP Classes listed in Section 4.2.1.5 with the transfer syntaxes listed in Section 4.2.1.6.
Query/Retrieve is described in Table 4-9.

| SOP Class | UID | Role |
|---|---|---|
| Study Root Query/Retrieve Information Model - FIND | 1.2.840.10008.5.1.4.1.2.2.1 | SCP (optional) |

### 4.2.1.5 Supported Storage SOP Classes

| SOP Class Name | SOP Class UID |
|---|---|
| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 |
| Enhanced CT Image Storage | 1.2.840.10008.5.1.4.1.1.2.1 |

### 4.2.1.6 Supported Transfer Syntaxes

| Transfer Syntax Name | Transfer Syntax UID |
|---|---|
| Implicit VR Little Endian | 1.2.840.10008.1.2 |
| JPEG 2000 Image Compression | 1.2.840.10008.1.2.4.91 |
"""  # noqa: E501


def test_forward_section_references_and_an_optional_role(tmp_path: Path) -> None:
    path = tmp_path / "falcon.md"
    path.write_text(FORWARD_REFERENCES, encoding="utf-8")
    statement = parse_statement(path, use_cache=False)
    assert _services(to_facts(statement)) == {
        (CT, "SCP"): [ILE, J2K],
        ("1.2.840.10008.5.1.4.1.1.2.1", "SCP"): [ILE, J2K],
        (STUDY_FIND, "SCP"): [],  # the list cited for the storage classes is theirs only
    }
    assert statement.services()[(STUDY_FIND, Role.SCP)].support is Support.OPTION
