"""Association budget: what the inventory's initiators may open against each acceptor.

Each initiator contributes its own maximum of initiated associations (it may aim them
all at one peer); reverse associations count too (a Storage Commitment reply is opened
by the archive towards the modality). Compared with the acceptor's maximum accepted.
"""

from __future__ import annotations

import logging

from conformance.findings import Evidence, Finding, Severity
from conformance.matcher.common import Context, fact_evidence, finding
from conformance.matcher.roles import stored_classes
from conformance.model import UNLIMITED, Fact, Role, Statement
from conformance.services import ALTERNATIVES, SINGLE, Service
from conformance.site import Link

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


def _contribution(
    ctx: Context, links: list[Link], st: Statement
) -> tuple[Fact[int | str] | None, list[tuple[str, Fact[int | str]]]]:
    """Associations one initiator may open against one acceptor, and the facts to cite.

    When the statement gives per-AE limits, the sum of the limits of the AEs that carry these
    links' SOP classes (capped by the product-wide limit), else the product-wide limit. An AE
    without a limit of its own whose classes a limited AE also carries is a summary (the
    overview table, read as a product-wide AE) and adds nothing; any other AE without a limit
    leaves the product-wide figure as the only honest one.
    """
    product = st.association_limit(accepted=False)
    fallback = (product, [("maximum initiated associations", product)] if product is not None else [])
    wanted: set[str] = set()
    for link in links:
        wanted |= _link_classes(ctx, link, st)
    carriers = []
    for ae in st.aes:
        classes = {
            c.sop_class_uid for c in ae.capabilities if c.role is Role.SCU and c.sop_class_uid in wanted
        }
        if classes:
            carriers.append((ae, classes, ae.max_associations_initiated))
    limited = [(ae, fact) for ae, _, fact in carriers if fact is not None]
    if not limited or any(not isinstance(fact.value, int) for _, fact in limited):
        return fallback
    covered = set().union(*(classes for _, classes, fact in carriers if fact is not None))
    if any(not classes <= covered for _, classes, fact in carriers if fact is None):
        return fallback
    total = sum(int(fact.value) for _, fact in limited)
    if product is not None and isinstance(product.value, int) and product.value < total:
        return fallback
    cited = [(f"maximum initiated associations ({ae.name} AE)", fact) for ae, fact in limited]
    return Fact(total, limited[0][1].provenance), cited


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
        accepted = b.association_limit(accepted=True)
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
            fact, cited = _contribution(ctx, links, a) if a is not None else (None, [])
            if fact is None or not isinstance(fact.value, int):
                unknown.append(source)
                total += 1  # at least one
                continue
            total += fact.value
            evidence.extend(fact_evidence(source, a, label, f) for label, f in cited)  # type: ignore[arg-type]
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
