"""Statements that claim every storage SOP class at once, written for the tests.

In the manner of free PACS and research receivers (fictional products): an AE table with an
"Unknown IOD Storage" row and a note that any incoming C-STORE is accepted, a proposed/accepted
context table with "*Unknown" rows, prose that accepts "all standard Storage SOP Classes".
"""

from __future__ import annotations

# A small free PACS: SCU and SCP wildcards, each with a note under the AE table, and the
# transfer syntaxes in "*Unknown" rows of the presentation-context tables.
MICROPACS_MD = """\
# OpenHarbor MiniPACS 2.0 DICOM Conformance Statement

Manufacturer: OpenHarbor Project (fictional)

## A.2 Application Entity Specifications

### A.2.1 HARBOR AE

This Application Entity provides Standard Conformance to the following SOP Classes as an SCU:

| SOP Class Name | SOP Class UID |
|---|---|
| Verification | 1.2.840.10008.1.1 |
| * Unknown IOD Storage | * (see note) |

NOTE: the server sends outgoing C-STORE requests for any stored IOD, using the SOP Class
the object was received with.

This Application Entity provides Standard Conformance to the following SOP Classes as an SCP:

| SOP Class Name | SOP Class UID |
|---|---|
| Verification | 1.2.840.10008.1.1 |
| Study Root Query/Retrieve Information Model - FIND | 1.2.840.10008.5.1.4.1.2.2.1 |
| Study Root Query/Retrieve Information Model - MOVE | 1.2.840.10008.5.1.4.1.2.2.2 |
| * Unknown IOD Storage | * (see note) |

NOTE: the server will accept any incoming C-STORE request; a local filter file may be
used to restrict this.

### A.2.2 Presentation contexts

| Abstract Syntax | Transfer Syntax | Transfer Syntax UID | Role |
|---|---|---|---|
| *Unknown | Implicit VR Little Endian | 1.2.840.10008.1.2 | SCP |
| *Unknown | Explicit VR Little Endian | 1.2.840.10008.1.2.1 | SCP |
| *Unknown | Implicit VR Little Endian | 1.2.840.10008.1.2 | SCU |
| Verification | Implicit VR Little Endian | 1.2.840.10008.1.2 | SCP |
| Study Root Query/Retrieve Information Model - FIND | Implicit VR Little Endian | 1.2.840.10008.1.2 | SCP |
| Study Root Query/Retrieve Information Model - MOVE | Implicit VR Little Endian | 1.2.840.10008.1.2 | SCP |
"""

# A research receiver: prose only, accepts every standard storage class (a list "including")
RECEIVER_TXT = """\
Lighthouse Research Receiver 1.1 - DICOM Conformance Statement

1 Overview

The Lighthouse receiver stores incoming images for research pipelines.

2 Networking

2.1 Storage

The receiver accepts all standard DICOM Storage SOP Classes, including:

  CT Image Storage                1.2.840.10008.5.1.4.1.1.2
  MR Image Storage                1.2.840.10008.5.1.4.1.1.4

It accepts the Verification SOP Class (1.2.840.10008.1.1) as SCP.
"""

# Look-alikes that are not wildcards: a list introduced by "the following", a reference to a
# table, a negation, another service mentioning storage classes, a glossary entry.
NOT_WILDCARDS_MD = """\
# Quillon Viewer 3 DICOM Conformance Statement

## 1 Glossary

Storage SCP
: A Storage SCP accepts any Storage SOP Class sent to it.

## 2 Networking

The viewer supports the following Storage SOP Classes as SCP:

| SOP Class Name | SOP Class UID | SCU | SCP |
|---|---|---|---|
| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 | No | Yes |
| MR Image Storage | 1.2.840.10008.5.1.4.1.1.4 | No | Yes |

The viewer accepts all Storage SOP Classes listed in Table 2-1.

It does not accept all Storage SOP Classes of the standard: unlisted ones are refused.

Storage Commitment is supported for SOP Instances of any Storage SOP Class.
"""
