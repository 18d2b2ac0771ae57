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
    every service between the pair: one finding per pair names the services concerned.
    """
    out: list[Finding] = []
    source, target = links[0].source, links[0].target
    carried = f"Concerns the {services_of(links)} link(s) from {source} to {target}."
    dst = ctx.device(target)
    required = [ae for ae in (dst.aes if dst else []) if ae.tls]
    if required and a.tls is not None and a.tls.value is False:
        out.append(
            pair_finding(
                "tls-required-unsupported",
                Severity.BLOCKING,
                f"{target} requires TLS but {source} does not support it",
                links,
                evidence=[
                    inventory_evidence(
                        ctx.inventory, dst, f"{required[0].title}: TLS required", required[0].row
                    ),
                    fact_evidence(source, a, "TLS", a.tls),
                ],
                detail=carried,
                fix=f"Enable TLS on {source}, or give {target} a plain TCP port for it.",
            )
        )
    elif required and a.tls is None:
        out.append(
            pair_finding(
                "statement-silent-tls",
                Severity.DEGRADING,
                f"{target} requires TLS; {source}'s statement is silent on TLS",
                links,
                evidence=[
                    inventory_evidence(
                        ctx.inventory, dst, f"{required[0].title}: TLS required", required[0].row
                    ),
                    fact_evidence(source, a, "TLS", None),
                ],
                detail=carried,
                fix=f"Ask the vendor of {source} whether it supports DICOM over TLS.",
            )
        )
    elif a.tls is not None and b.tls is not None and a.tls.value != b.tls.value:
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
