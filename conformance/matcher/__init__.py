"""Cross-check every inventory link against both devices' statements, with DICOM's rules.

One module per rule family:

- :mod:`.roles`: direction and roles per link (initiator SCU, acceptor SCP per SOP class);
- :mod:`.negotiation`: presentation contexts through pynetdicom's own negotiation;
- :mod:`.reverse`: Storage Commitment replies, C-MOVE destinations, C-GET role selection;
- :mod:`.chains`: worklist -> modality -> MPPS -> storage -> commitment chains;
- :mod:`.budget`: associations opened against each device, AE and per peer versus the limits;
- :mod:`.profile`: AE titles, port clashes, TLS per AE (and on reverse associations), max PDU;
- :mod:`.charsets`: character sets on every service that carries names (worklist, query, MPPS, storage);
- :mod:`.silence`: facts a check needs that a statement does not state; findings that rest
  on silence capped at degrading and marked unconfirmed;
- :mod:`.store`: how bad a store link's refusals are (``sends``, image classes stored);
- :mod:`.coverage`: statements that name transfer syntaxes their reader gave to no service.

Findings are sorted (severity, source, target, service, rule, title) so that the same
inputs always give the same report.
"""

from __future__ import annotations

import logging

from conformance.findings import Analysis, Finding, Severity
from conformance.matcher.budget import check_budget
from conformance.matcher.chains import check_chains
from conformance.matcher.charsets import check_charsets
from conformance.matcher.common import Context, finding, inventory_evidence, pair_finding, services_of
from conformance.matcher.coverage import check_coverage
from conformance.matcher.negotiation import check_contexts
from conformance.matcher.profile import check_ae_titles, check_pair_profile, check_ports, check_tls_inventory
from conformance.matcher.reverse import check_commitment, check_get, check_move
from conformance.matcher.roles import check_roles
from conformance.matcher.silence import check_device_silence, check_pair_silence, settle_silence
from conformance.matcher.store import check_sends, settle_store_link
from conformance.model import Statement
from conformance.services import Service
from conformance.site import Inventory, Link

LOGGER = logging.getLogger(__name__)

# Inventory problems the matcher reports itself, as findings with evidence.
REPORTED_BY_RULES = frozenset({"ae-title-duplicate", "ae-title-case"})

__all__ = ["analyze", "check_link", "check_pair"]


def check_pair(ctx: Context, links: list[Link]) -> list[Finding]:
    """Every rule for one device pair: ``links`` all run source -> target (one per service).

    Per-link rules (roles, presentation contexts, reverse associations) run per link; facts
    of the pair itself (no statement, no SOP class, character sets, TLS, max PDU) give one
    finding per pair that names the services concerned.
    """
    source, target = links[0].source, links[0].target
    a, b = ctx.statement(source), ctx.statement(target)
    if a is None or b is None:
        missing = [n for n, st in ((source, a), (target, b)) if st is None]
        skipped = ctx.inventory.skipped_devices
        why = "; ".join(
            f"device {n} was skipped ({skipped[n].message})"
            if n in skipped
            else f"no usable statement for {n}"
            for n in missing
        )
        evidence = [
            inventory_evidence(ctx.inventory, None, f"{n}: left out ({skipped[n].message})", skipped[n].where)
            if n in skipped
            else inventory_evidence(ctx.inventory, ctx.device(n), f"{n}: no parsed statement")
            for n in missing
        ]
        return [
            pair_finding(
                "link-not-checked",
                Severity.DEGRADING,
                f"{services_of(links)} not checked: {why}",
                links,
                evidence=evidence,
                detail="See the skipped section for why the device or its statement could not be used.",
                fix="Correct the inventory row"
                if any(n in skipped for n in missing)
                else "Provide a readable conformance statement for the device.",
            )
        ]
    out = check_pair_silence(ctx, links, a, b)
    if a.empty() or b.empty():
        return out
    for link in links:
        out.extend(_link_rules(ctx, link, a, b))
    out.extend(check_charsets(ctx, links, a, b))
    out.extend(check_pair_profile(ctx, links, a, b))
    return settle_silence(ctx, out)


def check_link(ctx: Context, link: Link) -> list[Finding]:
    """Every rule that applies to one link (a pair with this one service)."""
    return check_pair(ctx, [link])


def _link_rules(ctx: Context, link: Link, a: Statement, b: Statement) -> list[Finding]:
    role_findings, pairs = check_roles(ctx, link, a, b)
    out = list(role_findings)
    out.extend(check_contexts(ctx, link, a, b, pairs))
    if link.service is Service.STORE:
        settle_store_link(ctx, link, a, b, out, pairs)
    elif link.service is Service.COMMITMENT:
        out.extend(check_commitment(ctx, link, a, b))
    elif link.service is Service.MOVE:
        out.extend(check_move(ctx, link, a, b))
    elif link.service is Service.GET:
        out.extend(check_get(ctx, link, a, b))
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
    analysis = Analysis(inventory=inventory, statements=statements)
    findings: list[Finding] = []
    pairs: dict[tuple[str, str], list[Link]] = {}
    for link in sorted(inventory.links, key=Link.key):
        pairs.setdefault((link.source, link.target), []).append(link)
    for links in pairs.values():
        findings.extend(check_pair(ctx, links))
    findings.extend(check_ae_titles(ctx))
    findings.extend(check_ports(ctx))
    findings.extend(check_tls_inventory(ctx))
    findings.extend(check_budget(ctx))
    findings.extend(check_device_silence(ctx))
    findings.extend(check_coverage(ctx))
    findings.extend(check_sends(ctx))
    findings.extend(_inventory_warnings(ctx))
    findings.extend(check_chains(ctx, findings))
    analysis.findings = sorted(findings, key=Finding.sort_key)
    LOGGER.info("%d links, %d findings", len(inventory.links), len(findings))
    return analysis
