"""Association budget: what the inventory's initiators may open against each acceptor.

Each initiator contributes its own maximum of initiated associations (it may aim them
all at one peer); reverse associations count too (a Storage Commitment reply is opened
by the archive towards the modality). Compared with the acceptor's maximum accepted.
"""

from __future__ import annotations

import logging

from conformance.findings import Evidence, Finding, Severity
from conformance.inventory import Link, Service
from conformance.matcher.common import ALTERNATIVES, SINGLE, Context, fact_evidence, finding, limit
from conformance.matcher.roles import stored_classes
from conformance.model import UNLIMITED, Fact, Role, Statement

LOGGER = logging.getLogger(__name__)


def _initiators(ctx: Context) -> dict[str, dict[str, list[Link]]]:
    """acceptor -> initiator -> the links it opens associations for."""
    out: dict[str, dict[str, list[Link]]] = {}
    for link in ctx.inventory.links:
        out.setdefault(link.target, {}).setdefault(link.source, []).append(link)
    return out


def _link_classes(ctx: Context, link: Link, st: Statement) -> set[str]:
    if link.service is Service.STORE:
        return set(stored_classes(ctx, link.source, st))
    if link.service in SINGLE:
        return {SINGLE[link.service]}
    return set(ALTERNATIVES.get(link.service, ()))


def _contribution(ctx: Context, links: list[Link], st: Statement) -> Fact | None:
    """Associations one initiator may open against one acceptor.

    The limits of the AEs that carry these links' SOP classes, when the statement gives them
    per AE (capped by the product-wide limit), else the product-wide limit.
    """
    product = limit(st, accepted=False)
    wanted: set[str] = set()
    for link in links:
        wanted |= _link_classes(ctx, link, st)
    aes = [
        ae for ae in st.aes if any(c.role is Role.SCU and c.sop_class_uid in wanted for c in ae.capabilities)
    ]
    per_ae = [ae.max_associations_initiated for ae in aes]
    if aes and all(f is not None and isinstance(f.value, int) for f in per_ae):
        total = sum(int(f.value) for f in per_ae if f is not None)
        if product is not None and isinstance(product.value, int) and product.value < total:
            return product
        first = next(f for f in per_ae if f is not None)
        return Fact(total, first.provenance)
    return product


def check_budget(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    initiators = _initiators(ctx)
    for link in ctx.inventory.links:  # reverse-only acceptors (a modality receiving commitment replies)
        if link.service is Service.COMMITMENT:
            initiators.setdefault(link.source, {})
    for target, sources in sorted(initiators.items()):
        b = ctx.statement(target)
        if b is None:
            continue
        accepted = limit(b, accepted=True)
        replies = [lk for lk in ctx.links_to_source_commitments(target) if lk.target not in sources]
        if accepted is None:
            out.append(
                finding(
                    "statement-silent-association-limit",
                    Severity.INFO,
                    f"{target}'s statement is silent on the maximum number of accepted associations",
                    source=target,
                    service="associations",
                    evidence=[fact_evidence(target, b, "maximum accepted associations", None)],
                    detail=f"{len(sources) + len(replies)} device(s) open associations to {target}; "
                    "the budget cannot be checked.",
                    fix=f"Ask the vendor of {target} for its association limit.",
                )
            )
            continue
        if accepted.value == UNLIMITED or not isinstance(accepted.value, int):
            continue
        total = 0
        unknown: list[str] = []
        evidence: list[Evidence] = [fact_evidence(target, b, "maximum accepted associations", accepted)]
        for source, links in sorted(sources.items()):
            a = ctx.statement(source)
            fact = _contribution(ctx, links, a) if a is not None else None
            if fact is None or not isinstance(fact.value, int):
                unknown.append(source)
                total += 1  # at least one
                continue
            total += fact.value
            evidence.append(fact_evidence(source, a, "maximum initiated associations", fact))  # type: ignore[arg-type]
        # Storage Commitment replies may come on associations the archive opens: one per
        # archive in flight at a time is what the budget can assume.
        total += len(replies)
        if total > accepted.value:
            note = f" ({', '.join(unknown)} counted as 1: limit unstated or unlimited)" if unknown else ""
            out.append(
                finding(
                    "association-budget",
                    Severity.DEGRADING,
                    f"Up to {total} associations against {target}, which accepts {accepted.value}",
                    source=target,
                    service="associations",
                    evidence=evidence,
                    detail=f"{len(sources)} initiator(s) may open {total} simultaneous associations{note}; "
                    "beyond the limit the acceptor rejects with 'local limit exceeded' under load.",
                    fix=f"Raise the accepted-association limit on {target}, or lower the initiators' limits.",
                )
            )
        elif unknown:
            out.append(
                finding(
                    "statement-silent-initiated-associations",
                    Severity.INFO,
                    f"Budget against {target} assumes 1 association from {', '.join(unknown)} "
                    "(limit unstated)",
                    source=target,
                    service="associations",
                    evidence=evidence
                    + [
                        fact_evidence(u, st, "maximum initiated associations", None)
                        for u in unknown
                        if (st := ctx.statement(u)) is not None
                    ],
                    detail=f"{total} of {accepted.value} accepted associations counted; the statements of "
                    f"{', '.join(unknown)} do not state how many associations they open (or say unlimited).",
                    fix=f"Confirm the maximum number of associations {', '.join(unknown)} open.",
                )
            )
    return out
