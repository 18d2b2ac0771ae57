"""Reverse and secondary associations: Storage Commitment replies, C-MOVE and C-GET.

- Storage Commitment: N-ACTION goes modality -> archive; the N-EVENT-REPORT comes back on
  the same association or on a new one that the archive opens, proposing the SCP role
  through role selection, which the modality must accept (its acceptance table lists
  Storage Commitment with role SCU) while listening on a port the archive knows.
- C-MOVE: the archive opens a new association to the move destination as Storage SCU; the
  destination must be known to it (an inventory store link) and accept the storage.
- C-GET: the storage sub-operations come back on the same association; the GET SCU must
  propose each storage SOP class the archive holds with the SCP role (role selection), and
  the archive (its Storage SCU) uses those contexts.

An archive "holds" what the inventory's senders store into it (:func:`.roles.stored_classes`).
"""

from __future__ import annotations

import logging

from conformance import uids
from conformance.findings import Evidence, Finding, Severity
from conformance.matcher.common import (
    Context,
    by_name,
    cap_evidence,
    finding,
    inventory_evidence,
    name,
    short_list,
)
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
                unconfirmed=True,
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
    if not ctx.storage_classes(a, Role.SCP) and not ctx.any_storage(a, Role.SCP):
        # blocking when its statement states storage but not as SCP; capped at degrading and
        # marked unconfirmed by silence.settle_silence when it says nothing about storage at all
        out.append(
            finding(
                "move-destination-not-storage-scp",
                Severity.BLOCKING,
                f"{link.source} lists no Storage SCP: it cannot receive the C-MOVE sub-operations",
                link=link,
                evidence=[cap_evidence(link.source, a, uids.SECONDARY_CAPTURE, Role.SCP, None)],
                detail="The destination of a C-MOVE receives the images as Storage SCP on an association "
                "the archive opens; its statement lists no storage SOP class in that role.",
                fix=f"Confirm that {link.source} is a Storage SCP, or retrieve with C-GET.",
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


def _silent_sub_operations(link: Link, b: Statement, what: str, *, rule: str) -> Finding:
    """The archive states no Storage SCU: nothing says it sends the sub-operations (PS3.4 C.4.2/C.4.3)."""
    return finding(
        rule,
        Severity.DEGRADING,
        f"{link.target}'s statement lists no storage SOP class it sends ({what} sub-operations)",
        link=link,
        evidence=[cap_evidence(link.target, b, uids.SECONDARY_CAPTURE, Role.SCU, None)],
        detail=f"The {what} SCP sends what it holds as Storage SCU; {link.target}'s statement is silent on "
        "that role, so what it returns cannot be checked.",
        fix=f"Check {b.source} for its Storage SCU SOP classes.",
        unconfirmed=True,
    )


def _class_evidence(
    ctx: Context, link: Link, a: Statement, b: Statement, classes: list[str]
) -> list[Evidence]:
    """Per class: the archive's Storage SCU row and the requester's (or destination's) SCP row."""
    return [
        ev
        for uid in classes
        for ev in (
            cap_evidence(link.target, b, uid, Role.SCU, ctx.cap(b, uid, Role.SCU)),
            cap_evidence(link.source, a, uid, Role.SCP, ctx.cap(a, uid, Role.SCP)),
        )
    ]


def _move_sub_operations(ctx: Context, link: Link, a: Statement, b: Statement) -> list[Finding]:
    """Storage from the archive (SCU) to the destination (SCP) for the C-MOVE sub-operations."""
    from conformance.matcher.negotiation import check_contexts
    from conformance.matcher.roles import Pair, stored_classes

    carried = stored_classes(ctx, link.target, b)
    if not carried:
        return [_silent_sub_operations(link, b, "C-MOVE", rule="statement-silent-move-storage")]
    missing = by_name([uid for uid in carried if ctx.cap(a, uid, Role.SCP) is None])
    out: list[Finding] = []
    if missing:
        severity = Severity.BLOCKING if len(missing) == len(carried) else Severity.DEGRADING
        out.append(
            finding(
                "move-sop-class-not-accepted",
                severity,
                f"C-MOVE from {link.target} cannot deliver {len(missing)} of the {len(carried)} storage "
                f"classes it holds to {link.source} ({short_list([name(u) for u in missing], 3)})",
                link=link,
                evidence=_class_evidence(ctx, link, a, b, missing),
                detail=f"{link.target} holds {short_list([name(u) for u in missing], 20)} (its senders "
                f"store them) and sends them as Storage SCU; {link.source} does not accept them, so those "
                "sub-operations fail and the C-MOVE response reports failures (the other classes are "
                "delivered).",
                fix=f"Enable these SOP classes on {link.source}, or accept that they are not "
                "retrieved there.",
                sop_classes=missing,
            )
        )
    pairs = []
    for uid in carried:
        sent, got = ctx.cap(b, uid, Role.SCU), ctx.cap(a, uid, Role.SCP)
        if sent is not None and got is not None:
            pairs.append(Pair(uid, sent, got))
    sub = Link(link.target, link.source, Service.STORE, "C-MOVE sub-operations", True)
    for f in check_contexts(ctx, sub, b, a, pairs, sub_operations=True):
        f.source, f.target, f.service = link.source, link.target, link.service.value
        if f.severity is Severity.BLOCKING:
            f.severity = Severity.DEGRADING  # one class fails; the retrieve goes on
        f.title = f"C-MOVE sub-operations: {f.title}"
        out.append(f)
    return out


def check_get(ctx: Context, link: Link, a: Statement, b: Statement) -> list[Finding]:
    """C-GET: what the archive holds must come back on the requester's association.

    The C-GET SCP (b) performs the C-STORE sub-operations itself on the same association, with
    the requester (a) in the SCP role for each storage context (SCP/SCU role selection, PS3.4
    C.4.3, PS3.7 D.3.3.4). So every storage SOP class the archive holds (what its senders store
    into it, limited to what it sends as Storage SCU) must be proposed by the requester with the
    SCP role; a class it does not propose is not returned. Classes the requester accepts but
    the archive does not hold are no problem.
    """
    from conformance.matcher.roles import stored_classes

    out: list[Finding] = []
    if not any(ctx.cap(b, uid, Role.SCP) for uid in QR_GET) or not any(
        ctx.cap(a, u, Role.SCU) for u in QR_GET
    ):
        return out  # the roles rule already reports it
    proposed = ctx.storage_classes(a, Role.SCP)
    total = len(proposed) + sum(1 for uid in QR_GET if ctx.cap(a, uid, Role.SCU))
    if total > MAX_CONTEXTS:
        out.append(
            finding(
                "get-context-limit",
                Severity.DEGRADING,
                f"C-GET by {link.source} needs {total} presentation contexts (limit {MAX_CONTEXTS})",
                link=link,
                evidence=[Evidence(link.source, a.source, f"{len(proposed)} storage SOP classes as SCP")],
                detail="The Q/R GET contexts and every storage SOP class to receive must fit in one "
                "association's 128 contexts, so only a subset can be retrieved per association.",
                fix=f"Limit the SOP classes {link.source} proposes for C-GET, or retrieve with C-MOVE.",
            )
        )
    held = stored_classes(ctx, link.target, b)
    if not held:
        out.append(_silent_sub_operations(link, b, "C-GET", rule="statement-silent-get-storage"))
        return out
    if not proposed and not ctx.any_storage(a, Role.SCP):
        # blocking when storage is stated but not as SCP; settle_silence caps it when silent
        out.append(
            finding(
                "get-requester-not-storage-scp",
                Severity.BLOCKING,
                f"{link.source} lists no storage SOP class as SCP: C-GET returns nothing to it",
                link=link,
                evidence=[cap_evidence(link.source, a, uids.SECONDARY_CAPTURE, Role.SCP, None)],
                detail="A C-GET SCU receives the images itself: it must propose each storage SOP class "
                "with the SCP role (SCP/SCU role selection); its statement lists none in that role.",
                fix=f"Confirm Storage SCP (with role selection) on {link.source}, or retrieve with C-MOVE.",
                sop_classes=by_name(held),
            )
        )
        return out
    not_proposed: list[str] = []
    no_syntax: list[str] = []
    for uid in held:
        mine, theirs = ctx.cap(a, uid, Role.SCP), ctx.cap(b, uid, Role.SCU)
        if mine is None:
            not_proposed.append(uid)
            continue
        rq_ts, _ = syntaxes_or_default(mine.transfer_syntaxes)
        ac_ts, _ = syntaxes_or_default(theirs.transfer_syntaxes if theirs is not None else [])
        # the requester proposes the SCP role; the archive, listing Storage SCU, accepts it
        outcome = negotiate(uid, rq_ts, ac_ts, (False, True), (False, True))
        if outcome.chosen is None or not outcome.as_scp:
            no_syntax.append(uid)
    refused = by_name(not_proposed + no_syntax)
    if refused:
        severity = Severity.BLOCKING if len(refused) == len(held) else Severity.DEGRADING
        reasons = []
        if not_proposed:
            reasons.append(
                f"{link.source} does not list {short_list([name(u) for u in by_name(not_proposed)], 20)} "
                "as Storage SCP, so it does not propose them with the SCP role and the archive cannot "
                "send them"
            )
        if no_syntax:
            reasons.append(
                f"no transfer syntax is shared for {short_list([name(u) for u in by_name(no_syntax)], 20)}"
            )
        out.append(
            finding(
                "get-storage-role-selection",
                severity,
                f"C-GET from {link.target} cannot return {len(refused)} of the {len(held)} storage classes "
                f"it holds to {link.source} ({short_list([name(u) for u in refused], 3)})",
                link=link,
                evidence=_class_evidence(ctx, link, a, b, refused),
                detail=f"{link.target} sends what it holds as C-STORE sub-operations on the C-GET "
                f"association, with {link.source} in the SCP role: " + "; ".join(reasons) + ". Those "
                "sub-operations fail; the other classes are returned.",
                fix=f"Enable these classes as Storage SCP (with role selection) on {link.source}, or "
                "retrieve them with C-MOVE.",
                sop_classes=refused,
            )
        )
    return out
