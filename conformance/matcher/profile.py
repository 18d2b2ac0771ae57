"""Communication profile: AE titles, ports, TLS and max PDU (PS3.5 AE VR, PS3.8, PS3.15 B).

AE titles are compared byte for byte (the standard defines no case folding), so titles
that differ only in case are a trap: it works only if every peer typed it the same way.
"""

from __future__ import annotations

import logging

from conformance.findings import Finding, Severity
from conformance.inventory import ae_title_problem
from conformance.matcher.common import (
    Context,
    fact_evidence,
    finding,
    inventory_evidence,
    pair_finding,
    services_of,
)
from conformance.model import Statement
from conformance.services import Service
from conformance.site import AE, Device, Link

LOGGER = logging.getLogger(__name__)

SMALL_PDU = 16384


def check_ae_titles(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    inv = ctx.inventory
    by_title: dict[str, list[tuple[Device, AE]]] = {}
    by_folded: dict[str, list[tuple[Device, AE]]] = {}
    for device in inv.devices:
        for ae in device.aes:
            problem = ae_title_problem(ae.title)
            if problem:
                out.append(
                    finding(
                        "ae-title-invalid",
                        Severity.BLOCKING,
                        f"{device.name}: {problem}",
                        source=device.name,
                        service="network",
                        evidence=[inventory_evidence(inv, device, f"AE title {ae.title!r}", ae.row)],
                        fix="Use 1-16 printable ASCII characters without backslash (uppercase, no spaces).",
                    )
                )
            by_title.setdefault(ae.title, []).append((device, ae))
            by_folded.setdefault(ae.title.upper(), []).append((device, ae))
    for title, users in sorted(by_title.items()):
        devices = sorted({d.name for d, _ in users})
        if len(devices) > 1:
            out.append(
                finding(
                    "ae-title-duplicate",
                    Severity.BLOCKING,
                    f"AE title {title!r} is used by {', '.join(devices)}",
                    source=devices[0],
                    target=devices[1],
                    service="network",
                    evidence=[
                        inventory_evidence(inv, d, f"AE title {ae.title!r}", ae.row) for d, ae in users
                    ],
                    detail="Peers find each other by AE title: storage commitment replies, C-MOVE "
                    "destinations and worklist scheduling (Scheduled Station AE Title) go to the "
                    "wrong device.",
                    fix=f"Give each device a site-unique AE title (rename it on {devices[1]}).",
                )
            )
    for _folded, users in sorted(by_folded.items()):
        titles = sorted({ae.title for _, ae in users})
        if len(titles) > 1:
            devices = sorted({d.name for d, _ in users})
            out.append(
                finding(
                    "ae-title-case",
                    Severity.DEGRADING,
                    f"AE titles {', '.join(repr(t) for t in titles)} differ only in case",
                    source=devices[0],
                    target=devices[-1] if len(devices) > 1 else "",
                    service="network",
                    evidence=[
                        inventory_evidence(inv, d, f"AE title {ae.title!r}", ae.row) for d, ae in users
                    ],
                    detail="Most toolkits compare AE titles byte for byte: this works only if every peer "
                    "typed each title exactly the same way.",
                    fix="Use uppercase AE titles that differ in more than case.",
                )
            )
    return out


def check_ports(ctx: Context) -> list[Finding]:
    inv = ctx.inventory
    by_addr: dict[tuple[str, int], list[tuple[Device, AE]]] = {}
    for device in inv.devices:
        for ae in device.aes:
            if ae.host and ae.port:
                by_addr.setdefault((ae.host.lower(), ae.port), []).append((device, ae))
    out = []
    for (host, port), users in sorted(by_addr.items()):
        devices = sorted({d.name for d, _ in users})
        if len(devices) > 1:
            out.append(
                finding(
                    "port-clash",
                    Severity.BLOCKING,
                    f"{', '.join(devices)} listen on the same port {host}:{port}",
                    source=devices[0],
                    target=devices[1],
                    service="network",
                    evidence=[
                        inventory_evidence(inv, d, f"{ae.title} at {ae.host}:{ae.port}", ae.row)
                        for d, ae in users
                    ],
                    detail="Only one process can listen on a TCP port of one host.",
                    fix=f"Move one of them to another port on {host} (11112 is the registered "
                    "alternative to 104).",
                )
            )
    return out


def check_pair_profile(ctx: Context, links: list[Link], a: Statement, b: Statement) -> list[Finding]:
    """TLS agreement and max PDU for one device pair (``links`` all run source -> target).

    Both are facts of the two statements and the acceptor's inventory entry, the same for
    every service between the pair: one finding per pair names the services concerned. TLS is
    checked per AE (an acceptor with a plain AE besides its TLS AE serves initiators without
    TLS there) and on the associations the target opens back (C-MOVE sub-operations, Storage
    Commitment replies), where the source is the acceptor.
    """
    out: list[Finding] = []
    source, target = links[0].source, links[0].target
    carried = f"Concerns the {services_of(links)} link(s) from {source} to {target}."
    tls = _tls_gate(ctx, links, source, a, target, ctx.device(target), reverse=False)
    out.extend(tls)
    back = [lk for lk in links if lk.service in REVERSE_SERVICES]
    if back:
        out.extend(_tls_gate(ctx, back, target, b, source, ctx.device(source), reverse=True))
    if not tls and a.tls is not None and b.tls is not None and a.tls.value != b.tls.value:
        yes, no = (source, target) if a.tls.value else (target, source)
        out.append(
            pair_finding(
                "tls-one-side",
                Severity.INFO,
                f"TLS on one side only ({yes} supports it, {no} does not)",
                links,
                evidence=[
                    fact_evidence(source, a, "TLS", a.tls),
                    fact_evidence(target, b, "TLS", b.tls),
                ],
                detail="Both ends must agree on plain TCP or TLS per connection: these links can only run "
                "unencrypted (and fail if the TLS side is configured to accept TLS only; mark such an AE "
                f"'tls: yes' in the inventory to check it). {carried}",
                fix=f"Enable TLS on {no}, or accept plain TCP from it on {yes} (e.g. on a separate port).",
            )
        )
    pdu = b.max_pdu_receive
    if pdu is not None and isinstance(pdu.value, int) and 0 < pdu.value < SMALL_PDU:
        out.append(
            pair_finding(
                "max-pdu-small",
                Severity.INFO,
                f"{target} receives PDUs of at most {pdu.value} bytes",
                links,
                evidence=[fact_evidence(target, b, "maximum PDU received", pdu)],
                detail=f"Max PDU is never blocking; a small value only costs throughput. {carried}",
                fix=f"Raise the maximum PDU length on {target} if transfers are slow.",
            )
        )
    return out


# Associations the link's acceptor opens back to its initiator: C-MOVE sub-operations to the move
# destination, the Storage Commitment N-EVENT-REPORT on a new association.
REVERSE_SERVICES = frozenset({Service.MOVE, Service.COMMITMENT})


def _tls_gate(
    ctx: Context,
    links: list[Link],
    opener: str,
    st: Statement,
    listener: str,
    device: Device | None,
    *,
    reverse: bool,
) -> list[Finding]:
    """Whether ``opener`` (its statement ``st``) can reach an AE of ``listener`` that the inventory
    marks as TLS-only; per AE: a plain AE of the listener serves an opener without TLS.

    ``reverse``: the links run listener -> opener and the opener connects back (C-MOVE
    destination, commitment listener), so only the listener's listening AEs (with a port) count.
    """
    aes = device.aes if device is not None else []
    if reverse:
        aes = [ae for ae in aes if ae.port] or aes
    required = [ae for ae in aes if ae.tls]
    if not required or (st.tls is not None and st.tls.value is True):
        return []
    plain = [ae for ae in aes if not ae.tls]
    services = services_of(links)
    what = f"the {services} association(s) {opener} opens to {listener}" if reverse else f"{services}"
    ev_required = inventory_evidence(
        ctx.inventory, device, f"{required[0].title}: TLS required", required[0].row
    )
    if plain:
        if st.tls is None:
            return []  # the plain AE serves it whatever its TLS support
        titles = ", ".join(ae.title for ae in plain)
        return [
            pair_finding(
                "tls-plain-ae-only",
                Severity.INFO,
                f"{opener} does not support TLS: only {listener}'s plain AE {titles} is usable ({what})",
                links,
                evidence=[ev_required, fact_evidence(opener, st, "TLS", st.tls)],
                detail=f"{listener} requires TLS on {', '.join(ae.title for ae in required)} but also "
                f"listens without TLS on {titles}; {opener} must be configured with the plain one.",
                fix=f"Configure {titles} as {listener}'s AE on {opener}, or enable TLS on {opener}.",
            )
        ]
    if st.tls is None:
        return [
            pair_finding(
                "statement-silent-tls",
                Severity.DEGRADING,
                f"{listener} requires TLS ({what}); {opener}'s statement is silent on TLS",
                links,
                evidence=[ev_required, fact_evidence(opener, st, "TLS", None)],
                detail=f"Every AE of {listener} that {opener} could reach is marked tls: yes in the "
                f"inventory; whether {opener} can open TLS connections is not stated.",
                fix=f"Ask the vendor of {opener} whether it supports DICOM over TLS.",
                unconfirmed=True,
            )
        ]
    return [
        pair_finding(
            "tls-required-unsupported",
            Severity.BLOCKING,
            f"{listener} requires TLS but {opener} does not support it ({what})",
            links,
            evidence=[ev_required, fact_evidence(opener, st, "TLS", st.tls)],
            detail=f"Every AE of {listener} that {opener} could reach is marked tls: yes in the inventory; "
            f"{opener}'s statement says it does not support TLS.",
            fix=f"Enable TLS on {opener}, or give {listener} a plain TCP AE for it.",
        )
    ]


def check_tls_inventory(ctx: Context) -> list[Finding]:
    """An AE the inventory marks ``tls: yes`` whose own statement says the product has no TLS."""
    out: list[Finding] = []
    for device in sorted(ctx.inventory.devices, key=lambda d: d.name):
        st = ctx.statement(device.name)
        marked = [ae for ae in device.aes if ae.tls]
        if st is None or st.tls is None or st.tls.value is not False or not marked:
            continue
        titles = ", ".join(ae.title for ae in marked)
        out.append(
            finding(
                "tls-inventory-contradicts-statement",
                Severity.DEGRADING,
                f"{device.name}: {titles} is marked tls: yes, but its statement says TLS is not supported",
                source=device.name,
                service="network",
                evidence=[
                    *(
                        inventory_evidence(ctx.inventory, device, f"{ae.title}: TLS required", ae.row)
                        for ae in marked
                    ),
                    fact_evidence(device.name, st, "TLS", st.tls),
                ],
                detail="Either the inventory is wrong (the AE does not use TLS) or the statement is out of "
                "date (another software version, a TLS gateway in front of it); every TLS check on this "
                "device rests on the inventory's word.",
                fix=f"Check how {titles} is configured and correct the inventory or the statement.",
            )
        )
    return out
