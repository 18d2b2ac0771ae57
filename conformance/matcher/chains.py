"""Workflow chains: worklist -> modality -> MPPS -> RIS/PACS -> storage -> commitment.

Each modality's chain is the sequence of its links in workflow order (plus the MPPS
manager forwarding to PACS, if the inventory says so). A chain is reported when a step
is missing or carries a blocking finding, so a break anywhere shows on the whole chain.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from conformance.findings import Finding, Severity
from conformance.inventory import DeviceRole, Link, Service
from conformance.matcher.common import Context, inventory_evidence

LOGGER = logging.getLogger(__name__)

STEPS: tuple[tuple[Service, str, Severity], ...] = (
    # service, label, severity when the step is missing
    (Service.WORKLIST, "worklist (MWL)", Severity.INFO),
    (Service.MPPS, "MPPS", Severity.INFO),
    (Service.STORE, "storage", Severity.DEGRADING),
    (Service.COMMITMENT, "storage commitment", Severity.INFO),
)


@dataclass
class Step:
    label: str
    links: list[Link]
    missing_severity: Severity


def chain_name(modality: str, steps: list[Step]) -> str:
    parts = []
    for step in steps:
        peers = ", ".join(sorted({lk.target if lk.source == modality else lk.source for lk in step.links}))
        parts.append(f"{step.label} [{peers or 'none'}]")
    return f"{modality}: " + " -> ".join(parts)


def check_chains(ctx: Context, findings: list[Finding]) -> list[Finding]:
    """Tag link findings with their chain and add one finding per broken chain."""
    by_link: dict[tuple[str, str, str], list[Finding]] = {}
    for f in findings:
        for service in f.service.split(", "):  # a device-pair finding names several services
            by_link.setdefault((f.source, f.target, service), []).append(f)
    out: list[Finding] = []
    for device in sorted(ctx.inventory.devices, key=lambda d: d.name):
        if device.role is not DeviceRole.MODALITY:
            continue
        steps = [Step(label, ctx.links_from(device.name, svc), sev) for svc, label, sev in STEPS]
        if not any(step.links for step in steps):
            continue
        # MPPS forwarded by the PPS manager (RIS -> PACS) belongs to the chain too
        forward = [lk for m in steps[1].links for lk in ctx.links_from(m.target, Service.MPPS)]
        if forward:
            steps.insert(2, Step("MPPS forward", forward, Severity.INFO))
        name = chain_name(device.name, steps)
        broken: list[str] = []
        worst: Severity | None = None
        evidence = []
        for step in steps:
            if not step.links:
                broken.append(f"{step.label} missing")
                worst = _worse(worst, step.missing_severity)
                evidence.append(
                    inventory_evidence(ctx.inventory, device, f"no {step.label} link from {device.name}")
                )
                continue
            for link in step.links:
                for f in by_link.get(link.key(), []):
                    f.chain = f.chain or name
                    if f.severity is Severity.BLOCKING:
                        broken.append(f"{step.label} to {link.target}: {f.title}")
                        worst = Severity.BLOCKING
                        evidence.extend(f.evidence[:2])
        if worst is None:
            continue
        out.append(
            Finding(
                "workflow-chain",
                worst,
                f"Workflow chain of {device.name} is broken"
                if worst is Severity.BLOCKING
                else f"Workflow chain of {device.name} is incomplete",
                "; ".join(broken),
                "Fix the steps listed; every step of worklist -> MPPS -> storage -> commitment must work "
                "for the procedure to be reconciled and the images to be safely archived.",
                device.name,
                "",
                "chain",
                name,
                evidence[:12],
            )
        )
    return out


def _worse(a: Severity | None, b: Severity) -> Severity:
    return b if a is None or b.rank < a.rank else a
