"""Association budget: what the inventory's initiators may open against each acceptor.

Each initiator contributes what it may open towards that acceptor: for storage (and the other
bulk services) the limit of the AEs that carry those links, else its product-wide limit; a
worklist query, an MPPS report or a commitment request is one association at a time, so a
modality's storage concurrency is not charged to its MPPS link. An initiator's limit per
destination caps what it aims at one acceptor. Reverse associations count too (a Storage
Commitment reply is opened by the archive towards the modality).

The load is compared with the acceptor's product-wide limit, with the limit of each acceptor AE
on the links that AE carries (several modalities storing to an archive's storage AE limited to
10 overflow it even when the product accepts 20), and, initiator by initiator, with the
acceptor's limit per peer ("at most 3 associations from a given SCU": never summed).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from conformance import uids
from conformance.findings import Evidence, Finding, Severity
from conformance.matcher.common import Context, fact_evidence, finding
from conformance.matcher.roles import carried_classes
from conformance.model import UNLIMITED, ApplicationEntity, Fact, Role, Statement
from conformance.services import ALTERNATIVES, SINGLE, Service
from conformance.site import Link

LOGGER = logging.getLogger(__name__)

# Services that run one association at a time per link (a query, a report, a request), unless an
# AE of their own states more; their load is never the product's storage concurrency.
ONE_AT_A_TIME = frozenset({Service.WORKLIST, Service.MPPS, Service.COMMITMENT, Service.ECHO})


@dataclass
class Load:
    """What one initiator may open against one acceptor, and the facts that say so."""

    value: int
    cited: list[tuple[str, Fact[int | str]]] = field(default_factory=list)
    unknown: bool = False  # no limit stated (or unlimited): the bulk part was counted as 1
    notes: list[str] = field(default_factory=list)


def _initiators(ctx: Context) -> dict[str, dict[str, list[Link]]]:
    """acceptor -> initiator -> the links it opens associations for."""
    out: dict[str, dict[str, list[Link]]] = {}
    for link in ctx.inventory.links:
        out.setdefault(link.target, {}).setdefault(link.source, []).append(link)
    return out


def _link_classes(ctx: Context, link: Link, st: Statement) -> set[str]:
    if link.service is Service.STORE:  # the link's own `sends`, else what the sender sends; less `exclude`
        return set(carried_classes(ctx, link, st))
    if link.service in SINGLE:
        return {SINGLE[link.service]}
    return set(ALTERNATIVES.get(link.service, ()))


def _carriers(st: Statement, wanted: set[str], role: Role) -> list[tuple[ApplicationEntity, set[str]]]:
    """The statement's AEs that list some of ``wanted`` in ``role``, with those classes."""
    out = []
    for ae in st.aes:
        classes = {c.sop_class_uid for c in ae.capabilities if c.role is role and c.sop_class_uid in wanted}
        if classes:
            out.append((ae, classes))
    return out


def _bulk(
    ctx: Context, links: list[Link], st: Statement
) -> tuple[Fact[int | str] | None, list[tuple[str, Fact[int | str]]], set[int]]:
    """Associations one initiator may open for storage-like links, the facts to cite, the AEs counted.

    When the statement gives per-AE limits, the sum of the limits of the AEs that carry these
    links' SOP classes (capped by the product-wide limit), else the product-wide limit. An AE
    without a limit of its own whose classes a limited AE also carries is a summary (the
    overview table, read as a product-wide AE) and adds nothing; any other AE without a limit
    leaves the product-wide figure as the only honest one.
    """
    product = st.association_limit(accepted=False)
    fallback: tuple[Fact[int | str] | None, list[tuple[str, Fact[int | str]]], set[int]] = (
        product,
        [("maximum initiated associations", product)] if product is not None else [],
        set(),
    )
    wanted: set[str] = set()
    for link in links:
        wanted |= _link_classes(ctx, link, st)
    carriers = [
        (ae, classes, ae.max_associations_initiated) for ae, classes in _carriers(st, wanted, Role.SCU)
    ]
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
    return Fact(total, limited[0][1].provenance), cited, {id(ae) for ae, _ in limited}


def _one_at_a_time(
    ctx: Context, link: Link, st: Statement, counted: set[int]
) -> tuple[int, list[tuple[str, Fact[int | str]]]]:
    """A worklist/MPPS/commitment link: 1, or the limit of an AE of its own (no storage classes)."""
    carriers = _carriers(st, _link_classes(ctx, link, st), Role.SCU)
    if not carriers:
        return 0, []  # not an SCU of it: it opens nothing for this link (the roles rule says so)
    if any(id(ae) in counted for ae, _ in carriers):
        return 0, []  # the AE's own limit, already counted for this acceptor, covers it
    for ae, _ in carriers:
        fact = ae.max_associations_initiated
        storage = any(uids.is_storage_sop_class(c.sop_class_uid) for c in ae.capabilities)
        if fact is not None and isinstance(fact.value, int) and not storage:
            return fact.value, [(f"maximum initiated associations ({ae.name} AE)", fact)]
    return 1, []


def _per_peer(st: Statement, aes: list[ApplicationEntity], accepted: bool) -> Fact[int] | None:
    """The limit per peer of these AEs (the smallest), else the product's."""
    attr = "max_associations_accepted_per_peer" if accepted else "max_associations_initiated_per_peer"
    stated: list[Fact[int]] = [f for ae in aes if (f := getattr(ae, attr)) is not None]
    if stated:
        return min(stated, key=lambda f: f.value)
    fact: Fact[int] | None = getattr(st, attr)
    return fact


def load(ctx: Context, links: list[Link], st: Statement) -> Load:
    """What an initiator (statement ``st``) may open for ``links``, all towards one acceptor."""
    bulk = [lk for lk in links if lk.service not in ONE_AT_A_TIME]
    single = [lk for lk in links if lk.service in ONE_AT_A_TIME]
    out = Load(0)
    counted: set[int] = set()
    if bulk:
        fact, cited, counted = _bulk(ctx, bulk, st)
        if fact is None or not isinstance(fact.value, int):
            out.unknown = True
            out.value += 1  # at least one
        else:
            out.value += fact.value
            out.cited.extend(cited)
    for link in single:
        value, cited = _one_at_a_time(ctx, link, st, counted)
        out.value += value
        out.cited.extend(cited)
    if single:
        out.notes.append(
            f"{', '.join(sorted({lk.service.value for lk in single}))}: one association at a time per link"
        )
    product = st.association_limit(accepted=False)
    if product is not None and isinstance(product.value, int) and 0 < product.value < out.value:
        out.value = product.value
        out.cited.append(("maximum initiated associations", product))
    wanted: set[str] = set()
    for link in links:
        wanted |= _link_classes(ctx, link, st)
    peer = _per_peer(st, [ae for ae, _ in _carriers(st, wanted, Role.SCU)], accepted=False)
    if peer is not None and peer.value < out.value:
        out.value = peer.value
        out.cited.append(("maximum associations initiated to one peer", peer))  # type: ignore[arg-type]
    unique: dict[int, tuple[str, Fact[int | str]]] = {}
    for label, fact in out.cited:
        unique.setdefault(id(fact), (label, fact))
    out.cited = list(unique.values())
    return out


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
        loads = {
            source: load(ctx, links, a)
            for source, links in sorted(sources.items())
            if (a := ctx.statement(source)) is not None
        }
        out.extend(_peer_limits(ctx, target, b, sources, loads))
        out.extend(_ae_limits(ctx, target, b, sources))
        out.extend(_product_limit(ctx, target, b, sources, loads))
    return out


def _product_limit(
    ctx: Context, target: str, b: Statement, sources: dict[str, list[Link]], loads: dict[str, Load]
) -> list[Finding]:
    """The sum over initiators against the acceptor's (product-wide) accepted limit."""
    accepted = b.association_limit(accepted=True)
    replies = [lk for lk in ctx.links_to_source_commitments(target) if lk.target not in sources]
    if accepted is None:
        return [
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
                unconfirmed=True,
            )
        ]
    if accepted.value == UNLIMITED or not isinstance(accepted.value, int):
        return []
    total = 0
    unknown = [s for s in sources if s not in loads or loads[s].unknown]
    evidence: list[Evidence] = [fact_evidence(target, b, "maximum accepted associations", accepted)]
    notes: set[str] = set()
    for source in sorted(sources):
        got = loads.get(source)
        if got is None:
            total += 1
            continue
        total += got.value
        notes.update(got.notes)
        a = ctx.statement(source)
        assert a is not None
        evidence.extend(fact_evidence(source, a, label, f) for label, f in got.cited)
    # Storage Commitment replies may come on associations the archive opens: one per
    # archive in flight at a time is what the budget can assume.
    total += len(replies)
    counted = f" ({'; '.join(sorted(notes))})" if notes else ""
    if total > accepted.value:
        note = f" ({', '.join(unknown)} counted as 1: limit unstated or unlimited)" if unknown else ""
        return [
            finding(
                "association-budget",
                Severity.DEGRADING,
                f"Up to {total} associations against {target}, which accepts {accepted.value}",
                source=target,
                service="associations",
                evidence=evidence,
                detail=f"{len(sources)} initiator(s) may open {total} simultaneous associations{note}"
                f"{counted}; beyond the limit the acceptor rejects with 'local limit exceeded' under load.",
                fix=f"Raise the accepted-association limit on {target}, or lower the initiators' limits.",
            )
        ]
    if unknown:
        return [
            finding(
                "statement-silent-initiated-associations",
                Severity.INFO,
                f"Budget against {target} assumes 1 association from {', '.join(unknown)} (limit unstated)",
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
                unconfirmed=True,
            )
        ]
    return []


def _ae_limits(ctx: Context, target: str, b: Statement, sources: dict[str, list[Link]]) -> list[Finding]:
    """Each acceptor AE with a limit of its own, against the load of the links it carries.

    Only AEs whose limit is below the product-wide one: otherwise the product check says it.
    """
    product = b.association_limit(accepted=True)
    ceiling = product.value if product is not None and isinstance(product.value, int) else None
    out: list[Finding] = []
    for ae in b.aes:
        fact = ae.max_associations_accepted
        if fact is None or not isinstance(fact.value, int) or (ceiling is not None and fact.value >= ceiling):
            continue
        accepts = {c.sop_class_uid for c in ae.capabilities if c.role is Role.SCP}
        total = 0
        evidence: list[Evidence] = [
            fact_evidence(target, b, f"maximum accepted associations ({ae.name} AE)", fact)
        ]
        carried: list[str] = []
        for source, links in sorted(sources.items()):
            a = ctx.statement(source)
            mine = [lk for lk in links if a is not None and _link_classes(ctx, lk, a) & accepts]
            if a is None or not mine:
                continue
            got = load(ctx, mine, a)
            total += got.value
            carried.append(f"{source} ({', '.join(sorted({lk.service.value for lk in mine}))}: {got.value})")
            evidence.extend(fact_evidence(source, a, label, f) for label, f in got.cited)
        if total > fact.value:
            out.append(
                finding(
                    "association-budget",
                    Severity.DEGRADING,
                    f"Up to {total} associations against {target}'s {ae.name} AE, which accepts {fact.value}",
                    source=target,
                    service="associations",
                    evidence=evidence,
                    detail=f"The {ae.name} AE carries these links: {'; '.join(carried)}. Its own limit is "
                    f"below the product's{f' ({ceiling})' if ceiling is not None else ''}, so it rejects "
                    "with 'local limit exceeded' under load even when the product has room.",
                    fix=f"Raise the {ae.name} AE's accepted-association limit on {target}, or lower the "
                    "initiators' limits.",
                )
            )
    return out


def _peer_limits(
    ctx: Context, target: str, b: Statement, sources: dict[str, list[Link]], loads: dict[str, Load]
) -> list[Finding]:
    """Each initiator on its own against the acceptor's limit per peer (never a sum)."""
    out: list[Finding] = []
    for source, links in sorted(sources.items()):
        a, got = ctx.statement(source), loads.get(source)
        if a is None or got is None or got.unknown:
            continue
        wanted: set[str] = set()
        for link in links:
            wanted |= _link_classes(ctx, link, a)
        peer = _per_peer(b, [ae for ae, _ in _carriers(b, wanted, Role.SCP)], accepted=True)
        if peer is None or got.value <= peer.value:
            continue
        out.append(
            finding(
                "association-peer-limit",
                Severity.DEGRADING,
                f"{source} may open {got.value} associations to {target}, which accepts {peer.value} "
                "from one peer",
                source=source,
                target=target,
                service="associations",
                evidence=[fact_evidence(target, b, "maximum associations accepted from one peer", peer)]
                + [fact_evidence(source, a, label, f) for label, f in got.cited],
                detail=f"{target} limits what a single peer (calling AE or IP address) may open; {source} "
                f"alone may open {got.value} simultaneous associations for "
                f"{', '.join(sorted({lk.service.value for lk in links}))}, so the excess is rejected with "
                "'local limit exceeded' under load. Other initiators have their own allowance.",
                fix=f"Lower the number of simultaneous associations {source} opens to {target} to "
                f"{peer.value}, or raise {target}'s per-peer limit.",
            )
        )
    return out
