"""What a link carries: the DICOM services of a site, the SOP classes that carry each, PS3.8 limits.

Shared by the inventory (a link names a service), the link rules (print links need a Print SCU)
and the matcher (which SOP classes to check for a link), so it sits below all three.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

from conformance import uids

LOGGER = logging.getLogger(__name__)

# The Print Management SOP classes (PS3.4 H) share this UID root.
PRINT_PREFIX = "1.2.840.10008.5.1.1."

# Presentation-context IDs are odd integers 1..255 (PS3.8 9.3.2.2): at most 128 per association.
MAX_CONTEXTS = 128


class Service(StrEnum):
    """What a link carries, from the initiator's point of view."""

    STORE = "store"
    COMMITMENT = "commitment"
    WORKLIST = "worklist"
    MPPS = "mpps"
    QUERY = "query"
    MOVE = "move"
    GET = "get"
    PRINT = "print"
    ECHO = "echo"


SERVICE_ALIASES: dict[str, Service] = {
    "storage": Service.STORE,
    "c-store": Service.STORE,
    "storage commitment": Service.COMMITMENT,
    "commit": Service.COMMITMENT,
    "mwl": Service.WORKLIST,
    "find": Service.QUERY,
    "c-find": Service.QUERY,
    "c-move": Service.MOVE,
    "retrieve": Service.MOVE,
    "c-get": Service.GET,
    "verification": Service.ECHO,
}

SERVICE_NAMES: dict[Service, str] = {
    Service.STORE: "Storage",
    Service.COMMITMENT: "Storage Commitment",
    Service.WORKLIST: "Modality Worklist",
    Service.MPPS: "MPPS",
    Service.QUERY: "Query (C-FIND)",
    Service.MOVE: "Retrieve (C-MOVE)",
    Service.GET: "Retrieve (C-GET)",
    Service.PRINT: "Print",
    Service.ECHO: "Verification",
}

# Q/R information models: Patient Root, Study Root, Patient/Study Only (retired), then the
# C-MOVE/C-GET-only Composite Instance Root and (C-GET) Composite Instance Retrieve Without Bulk Data.
QR_FIND = uids.by_keyword(
    "PatientRootQueryRetrieveInformationModelFind",
    "StudyRootQueryRetrieveInformationModelFind",
    "PatientStudyOnlyQueryRetrieveInformationModelFind",
)
QR_MOVE = uids.by_keyword(
    "PatientRootQueryRetrieveInformationModelMove",
    "StudyRootQueryRetrieveInformationModelMove",
    "PatientStudyOnlyQueryRetrieveInformationModelMove",
    "CompositeInstanceRootRetrieveMove",
)
QR_GET = uids.by_keyword(
    "PatientRootQueryRetrieveInformationModelGet",
    "StudyRootQueryRetrieveInformationModelGet",
    "PatientStudyOnlyQueryRetrieveInformationModelGet",
    "CompositeInstanceRootRetrieveGet",
    "CompositeInstanceRetrieveWithoutBulkDataGet",
)
PRINT_META = uids.by_keyword("BasicGrayscalePrintManagementMeta", "BasicColorPrintManagementMeta")

# Services that need one of several alternative SOP classes (information models, print metas).
ALTERNATIVES: dict[Service, tuple[str, ...]] = {
    Service.QUERY: QR_FIND,
    Service.MOVE: QR_MOVE,
    Service.GET: QR_GET,
    Service.PRINT: PRINT_META,
}
# Services carried by exactly one SOP class.
SINGLE: dict[Service, str] = {
    Service.COMMITMENT: uids.STORAGE_COMMITMENT_PUSH,
    Service.WORKLIST: uids.MODALITY_WORKLIST_FIND,
    Service.MPPS: uids.MPPS,
    Service.ECHO: uids.VERIFICATION,
}


def parse_service(value: Any) -> Service | None:
    """A service from an inventory cell ('store', 'C-FIND', 'storage commitment' ...), or None."""
    text = str(value or "").strip().lower()
    try:
        return Service(text)
    except ValueError:
        return SERVICE_ALIASES.get(text)
