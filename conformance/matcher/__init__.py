"""Cross-check every inventory link against both devices' statements, with DICOM's rules.

One module per rule family:

- :mod:`.roles`: direction and roles per link (initiator SCU, acceptor SCP per SOP class);
- :mod:`.negotiation`: presentation contexts through pynetdicom's own negotiation;
- :mod:`.reverse`: Storage Commitment replies, C-MOVE destinations, C-GET role selection;
- :mod:`.chains`: worklist -> modality -> MPPS -> storage -> commitment chains;
- :mod:`.budget`: associations opened against each device versus its accepted limit;
- :mod:`.profile`: AE titles, port clashes, TLS, max PDU;
- :mod:`.charsets`: character sets on worklist and query paths;
- :mod:`.silence`: facts a check needs that a statement does not state.

Findings are sorted (severity, source, target, service, rule, title) so that the same
inputs always give the same report.
"""

from __future__ import annotations

import logging

from conformance.findings import Analysis, Finding, Severity
from conformance.inventory import Inventory, Link, Service
from conformance.matcher.budget import check_budget
from conformance.matcher.chains import check_chains
from conformance.matcher.charsets import check_charsets
from conformance.matcher.common import Context, finding, inventory_evidence
from conformance.matcher.negotiation import check_contexts
from conformance.matcher.profile import check_ae_titles, check_link_profile, check_ports
from conformance.matcher.reverse import check_commitment, check_get, check_move
from conformance.matcher.roles import check_roles
from conformance.matcher.silence import check_device_silence, check_link_silence, empty
from conformance.model import Statement

LOGGER = logging.getLogger(__name__)

# Inventory problems the matcher reports itself, as findings with evidence.
REPORTED_BY_RULES = frozenset({"duplicate-ae-title", "ae-title-case"})

__all__ = ["analyze", "check_link"]


def check_link(ctx: Context, link: Link) -> list[Finding]:
    """Every rule that applies to one link."""
    a, b = ctx.statement(link.source), ctx.statement(link.target)
    if a is None or b is None:
        missing = [n for n, st in ((link.source, a), (link.target, b)) if st is None]
        return [
            finding(
                "link-not-checked",
                Severity.DEGRADING,
                f"{link.service.value} link not checked: no usable statement for {', '.join(missing)}",
                link=link,
                evidence=[
                    inventory_evidence(ctx.inventory, ctx.device(n), f"{n}: no parsed statement")
                    for n in missing
                ],
                detail="See the skipped section for why the statement could not be used.",
                fix="Provide a readable conformance statement for the device.",
            )
        ]
    out = check_link_silence(ctx, link, a, b)
    if empty(a) or empty(b):
        return out
    role_findings, pairs = check_roles(ctx, link, a, b)
    out.extend(role_findings)
    out.extend(check_contexts(ctx, link, a, b, pairs))
    if link.service is Service.COMMITMENT:
        out.extend(check_commitment(ctx, link, a, b))
    elif link.service is Service.MOVE:
        out.extend(check_move(ctx, link, a, b))
    elif link.service is Service.GET:
        out.extend(check_get(ctx, link, a, b))
    out.extend(check_charsets(ctx, link, a, b))
    out.extend(check_link_profile(ctx, link, a, b))
    return out


def _inventory_warnings(ctx: Context) -> list[Finding]:
    out = []
    for problem in ctx.inventory.warnings():
        if problem.kind in REPORTED_BY_RULES:
            continue
        out.append(
            finding(
                "inventory-warning",
                Severity.INFO,
                f"{problem.where}: {problem.message}",
                service="inventory",
                evidence=[inventory_evidence(ctx.inventory, None, problem.message, problem.where)],
                fix=f"Correct {ctx.inventory.path.name}.",
            )
        )
    return out


def analyze(inventory: Inventory, statements: dict[str, Statement]) -> Analysis:
    """Run every rule family over the inventory; deterministic for the same inputs."""
    ctx = Context(inventory, statements)
    analysis = Analysis(str(inventory.path.name), inventory.devices, inventory.links, statements)
    findings: list[Finding] = []
    for link in sorted(inventory.links, key=Link.key):
        findings.extend(check_link(ctx, link))
    findings.extend(check_ae_titles(ctx))
    findings.extend(check_ports(ctx))
    findings.extend(check_budget(ctx))
    findings.extend(check_device_silence(ctx))
    findings.extend(_inventory_warnings(ctx))
    findings.extend(check_chains(ctx, findings))
    analysis.findings = sorted(findings, key=Finding.sort_key)
    LOGGER.info("%d links, %d findings", len(inventory.links), len(findings))
    return analysis
