"""Association budget: what the inventory's initiators may open against each acceptor.

Each initiator contributes its own maximum of initiated associations (it may aim them
all at one peer); reverse associations count too (a Storage Commitment reply is opened
by the archive towards the modality). Compared with the acceptor's maximum accepted.
"""

from __future__ import annotations

import logging

from conformance.findings import Evidence, Finding, Severity
from conformance.inventory import Service
from conformance.matcher.common import Context, fact_evidence, finding, limit
from conformance.model import UNLIMITED

LOGGER = logging.getLogger(__name__)


def _initiators(ctx: Context) -> dict[str, set[str]]:
    """acceptor -> devices that open associations to it."""
    out: dict[str, set[str]] = {}
    for link in ctx.inventory.links:
        out.setdefault(link.target, set()).add(link.source)
        if link.service is Service.COMMITMENT:  # the reply may come on a new association
            out.setdefault(link.source, set()).add(link.target)
    return out


def check_budget(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for target, sources in sorted(_initiators(ctx).items()):
        b = ctx.statement(target)
        if b is None:
            continue
        accepted = limit(b, accepted=True)
        if accepted is None:
            out.append(
                finding(
                    "statement-silent-association-limit",
                    Severity.INFO,
                    f"{target}'s statement is silent on the maximum number of accepted associations",
                    source=target,
                    service="associations",
                    evidence=[fact_evidence(target, b, "maximum accepted associations", None)],
                    detail=f"{len(sources)} device(s) open associations to {target}; "
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
        for source in sorted(sources):
            a = ctx.statement(source)
            fact = limit(a, accepted=False) if a is not None else None
            if fact is None or not isinstance(fact.value, int):
                unknown.append(source)
                total += 1  # at least one
                continue
            total += fact.value
            evidence.append(fact_evidence(source, a, "maximum initiated associations", fact))  # type: ignore[arg-type]
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
    return out
