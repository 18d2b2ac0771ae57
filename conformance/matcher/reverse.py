"""Reverse and secondary associations: Storage Commitment replies, C-MOVE and C-GET.

- Storage Commitment: N-ACTION goes modality -> archive; the N-EVENT-REPORT comes back on
  the same association or on a new one that the archive opens, proposing the SCP role
  through role selection, which the modality must accept (its acceptance table lists
  Storage Commitment with role SCU) while listening on a port the archive knows.
- C-MOVE: the archive opens a new association to the move destination as Storage SCU; the
  destination must be known to it (an inventory store link) and accept the storage.
- C-GET: the storage sub-operations come back on the same association; the GET SCU must
  propose each storage SOP class with the SCP role (role selection), the archive accept it.
"""

from __future__ import annotations

import logging

from conformance import uids
from conformance.findings import Evidence, Finding, Severity
from conformance.matcher.common import Context, cap_evidence, finding, inventory_evidence, name, short_list
from conformance.matcher.negotiation import negotiate, syntaxes_or_default
from conformance.model import Role, Statement
from conformance.services import MAX_CONTEXTS, QR_GET, Service
from conformance.site import Link

LOGGER = logging.getLogger(__name__)

SC = uids.STORAGE_COMMITMENT_PUSH


def check_commitment(ctx: Context, link: Link, a: Statement, b: Statement) -> list[Finding]:
    """The N-EVENT-REPORT path back from the archive (b) to the modality (a)."""
    out: list[Finding] = []
    scu = ctx.cap(a, SC, Role.SCU)
    scp = ctx.cap(b, SC, Role.SCP)
    if scu is None or scp is None:
        return out  # the roles rule already reports it
    accepting = ctx.accepting_capability(a, SC, Role.SCU)
    archive_ts, _ = syntaxes_or_default(scp.transfer_syntaxes)
    modality_ts, _ = syntaxes_or_default((accepting or scu).transfer_syntaxes)
    # The archive opens the association and proposes the SCP role; the modality accepts it
    # only if its statement says it accepts Storage Commitment as SCU (acceptance table).
    ac_roles = (False, True) if accepting is not None else (None, None)
    outcome = negotiate(SC, archive_ts, modality_ts, (False, True), ac_roles)
    ev = [
        cap_evidence(link.source, a, SC, Role.SCU, accepting or scu),
        cap_evidence(link.target, b, SC, Role.SCP, scp),
    ]
    if outcome.chosen is None:
        out.append(
            finding(
                "commitment-reply-no-transfer-syntax",
                Severity.BLOCKING,
                f"{link.target} cannot return the commitment result to {link.source} on a new association",
                link=link,
                evidence=ev,
                detail="No transfer syntax is shared for the Storage Commitment reply association.",
                fix=f"Enable Implicit VR Little Endian for Storage Commitment on {link.source}.",
            )
        )
    elif not outcome.as_scp:
        out.append(
            finding(
                "commitment-reply-association",
                Severity.DEGRADING,
                f"{link.source}'s statement is silent on accepting the N-EVENT-REPORT on a new association",
                link=link,
                evidence=ev,
                detail=f"{link.source} lists Storage Commitment SCU only for associations it opens. If "
                f"{link.target} replies on a separate association (proposing the SCP role through role "
                f"selection), {link.source} must accept it with the SCU role; otherwise the reply only "
                f"arrives while {link.source} keeps the original association open.",
                fix=f"Confirm that {link.source} accepts Storage Commitment N-EVENT-REPORT associations, or "
                f"configure {link.target} to reply on the same association.",
            )
        )
    else:
        modality = ctx.device(link.source)
        if modality is not None and not any(ae.port for ae in modality.aes):
            out.append(
                finding(
                    "commitment-reply-no-port",
                    Severity.DEGRADING,
                    f"No listening port for {link.source} in the inventory (commitment replies)",
                    link=link,
                    evidence=[
                        inventory_evidence(ctx.inventory, modality, f"{link.source} has no port"),
                        ev[0],
                    ],
                    detail=f"{link.target} must open an association to {link.source} to send the result, "
                    "so it needs its AE title, host and port.",
                    fix=f"Record {link.source}'s listening port and configure it on {link.target}.",
                )
            )
    stores = [lk.target for lk in ctx.links_from(link.source, Service.STORE)]
    if stores and link.target not in stores:
        out.append(
            finding(
                "commitment-not-to-store-target",
                Severity.DEGRADING,
                f"{link.source} asks {link.target} to commit images it stores elsewhere",
                link=link,
                evidence=[
                    inventory_evidence(
                        ctx.inventory, ctx.device(link.source), f"stores to {', '.join(stores)}"
                    )
                ],
                detail="The commitment request must go to the AE that received the images, unless the "
                "archive documents relaying.",
                fix=f"Send commitment requests to {', '.join(stores)}, or store to {link.target}.",
            )
        )
    return out


def check_move(ctx: Context, link: Link, a: Statement, b: Statement) -> list[Finding]:
    """C-MOVE: the archive (b) must know the destination (a) and the destination accept storage.

    Without an inventory store link archive -> destination the sub-operations are checked
    here: the archive sends what it holds, one failed SOP class fails only its sub-operations.
    """
    out: list[Finding] = []
    dest = ctx.device(link.source)
    listening = [ae for ae in (dest.aes if dest else []) if ae.port]
    if not ctx.storage_classes(a, Role.SCP):
        out.append(
            finding(
                "move-destination-not-storage-scp",
                Severity.BLOCKING,
                f"{link.source} is not a Storage SCP, so C-MOVE has nowhere to deliver",
                link=link,
                evidence=[cap_evidence(link.source, a, uids.SECONDARY_CAPTURE, Role.SCP, None)],
                detail="The destination of a C-MOVE receives the images as Storage SCP.",
                fix=f"Enable Storage SCP on {link.source}, or retrieve with C-GET.",
            )
        )
        return out
    if dest is not None and not listening:
        out.append(
            finding(
                "move-destination-no-port",
                Severity.DEGRADING,
                f"No listening port for {link.source} in the inventory (C-MOVE destination)",
                link=link,
                evidence=[inventory_evidence(ctx.inventory, dest, f"{link.source} has no port")],
                detail="The archive opens a new association to the destination AE: it needs its AE title, "
                "host and port; an unknown destination fails the C-MOVE with status A801.",
                fix=f"Record {link.source}'s Storage SCP port and configure it on {link.target}.",
            )
        )
    if any(lk.target == link.source for lk in ctx.links_from(link.target, Service.STORE)):
        return out  # the store link archive -> destination carries the storage checks
    title = listening[0].title if listening else link.source
    out.append(
        finding(
            "move-destination-unknown",
            Severity.INFO,
            f"{link.target} must know {title} ({link.source}) as a C-MOVE destination",
            link=link,
            evidence=[
                inventory_evidence(
                    ctx.inventory, dest, f"no store link {link.target} -> {link.source} in the inventory"
                )
            ],
            detail="The sub-operations run on a new association the archive opens to the destination AE "
            "title; a destination missing from its remote AE table fails the C-MOVE with status A801.",
            fix=f"Make sure {title} (host, port) is configured on {link.target}.",
        )
    )
    out.extend(_move_sub_operations(ctx, link, a, b))
    return out


def _move_sub_operations(ctx: Context, link: Link, a: Statement, b: Statement) -> list[Finding]:
    """Storage from the archive (SCU) to the destination (SCP) for the C-MOVE sub-operations."""
    from conformance.matcher.negotiation import check_contexts
    from conformance.matcher.roles import Pair, stored_classes

    carried = stored_classes(ctx, link.target, b)
    if not carried:
        return [
            finding(
                "statement-silent-move-storage",
                Severity.DEGRADING,
                f"{link.target}'s statement lists no storage SOP class it sends (C-MOVE sub-operations)",
                link=link,
                evidence=[cap_evidence(link.target, b, uids.SECONDARY_CAPTURE, Role.SCU, None)],
                fix=f"Check {b.source} for its Storage SCU SOP classes.",
            )
        ]
    missing = [uid for uid in carried if ctx.cap(a, uid, Role.SCP) is None]
    out: list[Finding] = []
    if missing:
        severity = Severity.BLOCKING if len(missing) == len(carried) else Severity.DEGRADING
        out.append(
            finding(
                "move-sop-class-not-accepted",
                severity,
                f"C-MOVE from {link.target} cannot deliver {short_list([name(u) for u in missing], 3)} "
                f"to {link.source}",
                link=link,
                evidence=[
                    ev
                    for uid in missing[:10]
                    for ev in (
                        cap_evidence(link.target, b, uid, Role.SCU, ctx.cap(b, uid, Role.SCU)),
                        cap_evidence(link.source, a, uid, Role.SCP, None),
                    )
                ],
                detail=f"{link.target} holds these classes (its senders store them) and sends them as "
                f"Storage SCU; {link.source} does not accept them, so those sub-operations fail and the "
                "C-MOVE "
                "response reports failures (the other classes are delivered).",
                fix=f"Enable these SOP classes on {link.source}, or accept that they are not "
                "retrieved there.",
            )
        )
    pairs = []
    for uid in carried:
        sent, got = ctx.cap(b, uid, Role.SCU), ctx.cap(a, uid, Role.SCP)
        if sent is not None and got is not None:
            pairs.append(Pair(uid, sent, got))
    sub = Link(link.target, link.source, Service.STORE, "C-MOVE sub-operations", True)
    for f in check_contexts(ctx, sub, b, a, pairs):
        f.source, f.target, f.service = link.source, link.target, link.service.value
        if f.severity is Severity.BLOCKING:
            f.severity = Severity.DEGRADING  # one class fails; the retrieve goes on
        f.title = f"C-MOVE sub-operations: {f.title}"
        out.append(f)
    return out


def check_get(ctx: Context, link: Link, a: Statement, b: Statement) -> list[Finding]:
    """C-GET: role selection for the storage sub-operations on the same association."""
    out: list[Finding] = []
    if not any(ctx.cap(b, uid, Role.SCP) for uid in QR_GET) or not any(
        ctx.cap(a, u, Role.SCU) for u in QR_GET
    ):
        return out  # the roles rule already reports it
    wanted = ctx.storage_classes(a, Role.SCP)
    if not wanted:
        out.append(
            finding(
                "get-requester-not-storage-scp",
                Severity.BLOCKING,
                f"{link.source} lists no storage SOP class as SCP, so C-GET returns nothing",
                link=link,
                evidence=[cap_evidence(link.source, a, uids.SECONDARY_CAPTURE, Role.SCP, None)],
                detail="A C-GET SCU receives the images itself: it must propose each storage SOP class "
                "with the SCP role (SCP/SCU role selection).",
                fix=f"Enable Storage SCP (with role selection) on {link.source}, or retrieve with C-MOVE.",
            )
        )
        return out
    refused: list[str] = []
    for uid in wanted:
        mine = ctx.cap(a, uid, Role.SCP)
        theirs = ctx.cap(b, uid, Role.SCU)
        assert mine is not None
        rq_ts, _ = syntaxes_or_default(mine.transfer_syntaxes)
        if theirs is None:
            refused.append(uid)
            continue
        ac_ts, _ = syntaxes_or_default(theirs.transfer_syntaxes)
        # requestor (GET SCU) proposes SCP role; the archive, listing Storage SCU, accepts it
        outcome = negotiate(uid, rq_ts, ac_ts, (False, True), (False, True))
        if outcome.chosen is None or not outcome.as_scp:
            refused.append(uid)
    if refused:
        severity = Severity.BLOCKING if len(refused) == len(wanted) else Severity.DEGRADING
        out.append(
            finding(
                "get-storage-role-selection",
                severity,
                f"C-GET from {link.target} cannot return {short_list([name(u) for u in refused], 3)}",
                link=link,
                evidence=[
                    cap_evidence(link.target, b, u, Role.SCU, ctx.cap(b, u, Role.SCU)) for u in refused[:10]
                ]
                + [cap_evidence(link.source, a, u, Role.SCP, ctx.cap(a, u, Role.SCP)) for u in refused[:10]],
                detail=f"{link.target} must send these as Storage SCU on the C-GET association after "
                f"accepting "
                f"{link.source}'s SCP role selection; its statement does not list them as Storage SCU (or no "
                "transfer syntax is shared).",
                fix=f"Enable the storage sub-operations for these classes on {link.target}, or use C-MOVE.",
            )
        )
    total = len(wanted) + sum(1 for uid in QR_GET if ctx.cap(a, uid, Role.SCU))
    if total > MAX_CONTEXTS:
        out.append(
            finding(
                "get-context-limit",
                Severity.DEGRADING,
                f"C-GET by {link.source} needs {total} presentation contexts (limit {MAX_CONTEXTS})",
                link=link,
                evidence=[Evidence(link.source, a.source, f"{len(wanted)} storage SOP classes as SCP")],
                detail="The Q/R GET contexts and every storage SOP class to receive must fit in one "
                "association's 128 contexts, so only a subset can be retrieved per association.",
                fix=f"Limit the SOP classes {link.source} proposes for C-GET, or retrieve with C-MOVE.",
            )
        )
    return out
