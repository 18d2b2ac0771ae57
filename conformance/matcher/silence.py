"""'Statement silent on X': facts a check needs but the statement does not give.

Silence is never a pass, and never a confident blocker either. A statement with no SOP
classes stops the link checks for its device (reported once per device pair, so the matrix
shows it); unresolved names, missing max PDU or implementation identity are reported per
device. A finding that rests on a side saying nothing at all about the service class a link
needs (no Storage Commitment SOP class in any role, no storage class at all) is at most
degrading and marked *unconfirmed*, one per link and service: PS3.2 asks a statement to list
what it supports, but a statement that does not mention a service has not said it refuses it.
"""

from __future__ import annotations

import dataclasses
import logging

from conformance import uids
from conformance.findings import Evidence, Finding, Severity
from conformance.matcher.common import Context, fact_evidence, finding, pair_finding, services_of
from conformance.model import Statement
from conformance.services import ALTERNATIVES, PRINT_PREFIX, SERVICE_NAMES, SINGLE, Service
from conformance.site import Link

LOGGER = logging.getLogger(__name__)

# Rules whose finding may rest on one side's silence: which side of the finding
# ("source" / "target") and the service class it needs (None: the link's own service).
SILENT_SIDE: dict[str, tuple[str, Service | None]] = {
    "initiator-lacks-scu": ("source", None),
    "acceptor-lacks-scp": ("target", None),
    "sop-class-not-accepted": ("target", Service.STORE),
    "move-destination-not-storage-scp": ("source", Service.STORE),
    "get-requester-not-storage-scp": ("source", Service.STORE),
    "statement-silent-storage-classes": ("source", Service.STORE),
    "statement-silent-move-storage": ("target", Service.STORE),
}
_QR = frozenset(
    uid for service in (Service.QUERY, Service.MOVE, Service.GET) for uid in ALTERNATIVES[service]
)


def in_service_class(uid: str, service: Service) -> bool:
    """Whether ``uid`` belongs to the service class a ``service`` link uses (Q/R: FIND, MOVE, GET)."""
    if service is Service.STORE:
        return uids.is_storage_sop_class(uid)
    if service in (Service.QUERY, Service.MOVE, Service.GET):
        return uid in _QR
    if service is Service.PRINT:
        return uid.startswith(PRINT_PREFIX)
    return uid == SINGLE.get(service)


def silent_on(ctx: Context, st: Statement, service: Service) -> bool:
    """The statement says nothing about the service class in any role (and claims no wildcard).

    A class it states it does not support ("does not support storage commitment", a "No | No"
    row: the coverage account's declined classes) is said, not silence.
    """
    if service is Service.STORE and st.wildcards:
        return False
    if any(in_service_class(s.uid, service) for s in st.coverage.declined_sop_classes):
        return False
    return not any(in_service_class(uid, service) for uid, _role in ctx.services(st))


def settle_silence(ctx: Context, findings: list[Finding]) -> list[Finding]:
    """Cap findings that rest on silence at degrading, mark them unconfirmed, one per link and service.

    Runs over a device pair's findings after every rule family, so that rules in any module
    get the same treatment: the rule says what it found, this says how sure that can be.
    """
    out: list[Finding] = []
    kept: dict[tuple[str, str, str], Finding] = {}
    for f in findings:
        side = SILENT_SIDE.get(f.rule)
        device = (f.source if side[0] == "source" else f.target) if side else ""
        service = side[1] if side and side[1] is not None else _service(f.service) if side else None
        st = ctx.statement(device) if device else None
        if st is None or service is None or not silent_on(ctx, st, service):
            out.append(f)
            continue
        if not f.unconfirmed:
            f = _unconfirmed(f, device, st, service)
        key = (f.source, f.target, f.service)
        first = kept.get(key)
        if first is None:
            kept[key] = f
            out.append(f)
            continue
        # one per link and service: the others' evidence and titles join the first
        first.detail += f" Also: {f.title}."
        first.evidence.extend(e for e in f.evidence if e not in first.evidence)
        first.sop_classes.extend(u for u in f.sop_classes if u not in first.sop_classes)
    return out


def _service(value: str) -> Service | None:
    try:
        return Service(value)
    except ValueError:
        return None


def _unconfirmed(f: Finding, device: str, st: Statement, service: Service) -> Finding:
    what = SERVICE_NAMES[service]
    severity = Severity.DEGRADING if f.severity is Severity.BLOCKING else f.severity
    title = (
        f.title
        if "not confirmed" in f.title
        else f"{f.title} (not confirmed: {device}'s statement is silent)"
    )
    note = (
        f"Not confirmed: {device}'s statement ({st.source}) says nothing about {what} in any role, so this "
        "rests on silence, not on a stated refusal. Ask the vendor, or probe the device."
    )
    return dataclasses.replace(
        f, severity=severity, title=title, detail=f"{note} {f.detail}".strip(), unconfirmed=True
    )


def check_pair_silence(ctx: Context, links: list[Link], a: Statement, b: Statement) -> list[Finding]:
    """A device pair whose statements list no SOP class at all cannot be checked: say so once."""
    out = []
    for device, st in ((links[0].source, a), (links[0].target, b)):
        if st.empty():
            out.append(
                pair_finding(
                    "statement-silent-services",
                    Severity.DEGRADING,
                    f"{device}'s statement lists no SOP class: {services_of(links)} not checked",
                    links,
                    evidence=[Evidence(device, st.source, "no SOP class found in the statement")],
                    detail="The statement may be scanned, in an unsupported layout, or not a conformance "
                    "statement. Nothing about these links can be confirmed.",
                    fix=f"Check {st.source}, or get a readable statement from the vendor of {device}.",
                )
            )
    return out


def check_device_silence(ctx: Context) -> list[Finding]:
    """Per device with a statement and at least one link: unresolved names and missing scalars."""
    out: list[Finding] = []
    for device, st in ctx.linked_statements():
        if st.unresolved:
            names = sorted({u.text for u in st.unresolved})
            out.append(
                finding(
                    "statement-unresolved-names",
                    Severity.INFO,
                    f"{len(names)} name(s) in {device}'s statement did not resolve to a UID",
                    source=device,
                    service="statement",
                    evidence=[
                        Evidence(device, st.source, f"unresolved {u.kind}: {u.text}", u.provenance)
                        for u in sorted(st.unresolved, key=lambda u: (u.kind, u.text))[:10]
                    ],
                    detail="These rows were kept out of the match; a SOP class or transfer syntax the "
                    "device supports may be missing from the findings.",
                    fix=f"Check these names in {st.source}.",
                )
            )
        if st.max_pdu_receive is None:
            out.append(
                finding(
                    "max-pdu-unstated",
                    Severity.INFO,
                    f"{device}'s statement is silent on the maximum PDU size it receives",
                    source=device,
                    service="statement",
                    evidence=[fact_evidence(device, st, "maximum PDU received", None)],
                    fix=f"Ask the vendor of {device}; max PDU only affects throughput.",
                )
            )
    return out
