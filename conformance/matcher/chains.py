"""Workflow chains: worklist -> modality -> MPPS -> RIS/PACS -> storage -> commitment.

Each modality's chain is the sequence of its links in workflow order (plus the MPPS
manager forwarding to PACS, if the inventory says so). A chain is reported when a step
is missing or carries a blocking finding, so a break anywhere shows on the whole chain.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from conformance.findings import Evidence, Finding, Severity
from conformance.matcher.common import Context, inventory_evidence
from conformance.services import Service
from conformance.site import DeviceRole, Link

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
        missing: list[str] = []
        causes: list[tuple[str, Finding]] = []  # (step label, blocking link finding)
        worst: Severity | None = None
        evidence = []
        for step in steps:
            if not step.links:
                missing.append(step.label)
                worst = _worse(worst, step.missing_severity)
                evidence.append(
                    inventory_evidence(ctx.inventory, device, f"no {step.label} link from {device.name}")
                )
                continue
            for link in step.links:
                for f in by_link.get(link.key(), []):
                    f.chain = f.chain or name
                    if f.severity is Severity.BLOCKING and all(f is not c for _, c in causes):
                        causes.append((step.label, f))
                        worst = Severity.BLOCKING
                        evidence.extend(f.evidence[:2])
        out.extend(_mpps_reaches_worklist(ctx, device.name, steps[0].links, steps[1].links, name))
        if worst is None:
            continue
        out.append(_chain_finding(device.name, name, worst, missing, causes, evidence))
    return out


def _mpps_reaches_worklist(
    ctx: Context, modality: str, worklist: list[Link], mpps: list[Link], chain: str
) -> list[Finding]:
    """The worklist provider must learn how the procedure step went (IHE Scheduled Workflow).

    A modality that takes its worklist from W and reports MPPS must report it to W, or to a
    device that forwards MPPS (transitively) to W; otherwise W's worklist entries stay
    "scheduled" and the order is never completed. Only when both steps exist: a missing MPPS
    step is the chain's own finding.
    """
    if not worklist or not mpps:
        return []
    reached: set[str] = set()
    todo = [lk.target for lk in mpps]
    while todo:
        here = todo.pop()
        if here not in reached:
            reached.add(here)
            todo.extend(lk.target for lk in ctx.links_from(here, Service.MPPS))
    out = []
    for provider in sorted({lk.target for lk in worklist} - reached):
        targets = ", ".join(sorted({lk.target for lk in mpps}))
        out.append(
            Finding(
                rule="mpps-not-to-worklist-provider",
                severity=Severity.DEGRADING,
                title=f"MPPS from {modality} does not reach {provider}, its worklist provider",
                detail=f"{modality} queries {provider}'s worklist but reports MPPS only to {targets}, and no "
                f"MPPS link forwards it from there to {provider}: the procedure steps {provider} "
                "scheduled are never reported as in progress, completed or discontinued.",
                fix=f"Report MPPS from {modality} to {provider} as well, or forward it from {targets} to "
                f"{provider} (and add that link to the inventory).",
                source=modality,
                target=provider,
                service="mpps",
                chain=chain,
                evidence=[
                    inventory_evidence(
                        ctx.inventory, ctx.device(modality), f"{modality} reports MPPS to {targets}"
                    ),
                    inventory_evidence(
                        ctx.inventory,
                        ctx.device(provider),
                        f"no MPPS link from {targets} (or beyond) to {provider}",
                    ),
                ],
            )
        )
    return out


def _chain_finding(
    modality: str,
    name: str,
    worst: Severity,
    missing: list[str],
    causes: list[tuple[str, Finding]],
    evidence: list[Evidence],
) -> Finding:
    """The chain's own finding: it names the link findings that break it (its root causes).

    A broken chain is not a new problem: it is as severe as the worst step and points at the
    step findings, which carry the evidence and the fix, so a reader fixes those.
    """
    parts = []
    if causes:
        listed = "; ".join(
            f"{label} to {f.target}: {f.title} ([{f.severity.value}] {f.rule}, reported on "
            f"{f.source} -> {f.target} {f.service})"
            for label, f in causes
        )
        parts.append(f"Broken by {len(causes)} link finding(s), not a separate problem: {listed}.")
    parts.extend(f"{label} missing: no such link from {modality} in the inventory." for label in missing)
    steps = list(dict.fromkeys([label for label, _ in causes] + missing))
    if worst is Severity.BLOCKING:
        title = f"Workflow chain of {modality} is broken at {', '.join(steps)}"
        fix = (
            "Fix the link finding(s) named above: the chain works again when they are resolved "
            "(worklist -> MPPS -> storage -> commitment must all work for the procedure to be "
            "reconciled and the images safely archived)."
        )
    else:
        title = f"Workflow chain of {modality} is incomplete: {', '.join(missing)} missing"
        fix = (
            f"Add the missing link(s) to the inventory if {modality} uses them; every step of "
            "worklist -> MPPS -> storage -> commitment is needed for the procedure to be reconciled "
            "and the images safely archived."
        )
    return Finding(
        rule="workflow-chain",
        severity=worst,
        title=title,
        detail=" ".join(parts),
        fix=fix,
        source=modality,
        service="chain",
        chain=name,
        evidence=evidence[:12],
        causes=[f for _, f in causes],
    )


def _worse(a: Severity | None, b: Severity) -> Severity:
    return b if a is None or b.rank < a.rank else a
