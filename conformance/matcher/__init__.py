"""Cross-check every inventory link against both devices' statements."""

from __future__ import annotations

import logging

from conformance import uids
from conformance.findings import Analysis, Evidence, Finding, Severity
from conformance.inventory import Device, Inventory, Link, Service
from conformance.model import Role, Statement

LOGGER = logging.getLogger(__name__)


def _evidence(device: Device, st: Statement, uid: str, role: Role) -> Evidence:
    cap = st.supports(uid, role)
    if cap is None:
        return Evidence(device.name, st.source, f"does not list {uids.uid_name(uid)} as {role.value}")
    prov = cap.provenance[0] if cap.provenance else None
    return Evidence(device.name, st.source, f"{uids.uid_name(uid)} as {role.value}", prov)


def check_store(link: Link, src: Device, dst: Device, a: Statement, b: Statement) -> list[Finding]:
    """Storage: every SOP class the sender produces must be accepted, with a shared syntax."""
    out: list[Finding] = []
    for (uid, role), cap in sorted(a.services().items()):
        if role is not Role.SCU or not uids.is_storage_sop_class(uid):
            continue
        peer = b.supports(uid, Role.SCP)
        ev = [_evidence(src, a, uid, Role.SCU), _evidence(dst, b, uid, Role.SCP)]
        if peer is None:
            out.append(
                Finding(
                    "sop-class-not-accepted",
                    Severity.BLOCKING,
                    f"{dst.name} does not accept {uids.uid_name(uid)}",
                    fix=f"Enable {uids.uid_name(uid)} on {dst.name} or stop sending it from {src.name}.",
                    source=src.name,
                    target=dst.name,
                    service=link.service.value,
                    evidence=ev,
                )
            )
            continue
        if cap.transfer_syntaxes and peer.transfer_syntaxes:
            common = [ts for ts in cap.transfer_syntaxes if ts in peer.transfer_syntaxes]
            if not common:
                out.append(
                    Finding(
                        "no-common-transfer-syntax",
                        Severity.BLOCKING,
                        f"No common transfer syntax for {uids.uid_name(uid)}",
                        fix="Configure a shared transfer syntax (Implicit VR Little Endian is mandatory).",
                        source=src.name,
                        target=dst.name,
                        service=link.service.value,
                        evidence=ev,
                    )
                )
    return out


def analyze(inventory: Inventory, statements: dict[str, Statement]) -> Analysis:
    analysis = Analysis(str(inventory.path.name), inventory.devices, inventory.links, statements)
    for link in inventory.links:
        src, dst = inventory.device(link.source), inventory.device(link.target)
        if src is None or dst is None:
            continue
        a, b = statements.get(src.name), statements.get(dst.name)
        if a is None or b is None:
            continue
        if link.service is Service.STORE:
            analysis.findings.extend(check_store(link, src, dst, a, b))
    return analysis
