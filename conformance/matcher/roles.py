"""Direction and roles per link: the initiator needs SCU, the acceptor SCP, per SOP class.

A store link carries what the inventory's ``sends`` names, else every storage SOP class the
sender's statement lists as SCU (for an archive: what it forwards, i.e. what the links into it
carry); its ``exclude`` is left out. A receiver that claims every storage class accepts any of
them. Query, retrieve and print links need one shared information model / meta SOP class, not
all of them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import cast

from conformance import uids
from conformance.findings import Evidence, Finding, Severity
from conformance.matcher.common import (
    WILDCARD_NAME,
    Context,
    by_name,
    cap_evidence,
    finding,
    name,
    short_list,
)
from conformance.model import Role, Statement, Support, TransferCapability
from conformance.services import ALTERNATIVES, SERVICE_NAMES, SINGLE, Service
from conformance.site import DeviceRole, Link

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pair:
    """A SOP class both sides support in complementary roles: input to negotiation."""

    uid: str
    sender: TransferCapability  # the initiator's SCU capability
    receiver: TransferCapability  # the acceptor's SCP capability


def sends_of(ctx: Context, link: Link) -> tuple[str, ...]:
    """What the inventory says a store link carries: the link's ``sends``, else its device's (or ())."""
    if link.sends:
        return link.sends
    device = ctx.device(link.source)
    return device.sends if device is not None else ()


def carried_classes(ctx: Context, link: Link, st: Statement) -> list[str]:
    """Storage SOP classes a store link carries: ``sends`` when given, else what the sender
    sends (:func:`stored_classes`), less the link's ``exclude``."""
    given = sends_of(ctx, link)
    classes = list(given) if given else stored_classes(ctx, link.source, st)
    return [uid for uid in classes if uid not in link.exclude]


def stored_classes(ctx: Context, sender: str, st: Statement) -> list[str]:
    """Storage SOP classes ``sender`` sends: on its store links, and as C-MOVE/C-GET sub-operations.

    The device's ``sends`` when the inventory gives it. An archive forwards (and serves) what it
    holds: what the links into it carry (after their ``sends`` and ``exclude``, through other
    archives too), limited to what it accepts and can send (listed or claimed for every storage
    class). Other senders send the storage classes their statement lists as SCU.
    """
    device = ctx.device(sender)
    if device is not None and device.sends:
        return list(device.sends)
    if device is None or device.role is not DeviceRole.ARCHIVE:
        return ctx.storage_classes(st, Role.SCU)
    key = ("archive-sends",)
    if key not in ctx.memo:
        ctx.memo[key] = _archive_sends(ctx)
    forwarded = cast(dict[str, list[str]], ctx.memo[key])
    return list(forwarded[sender]) if sender in forwarded else ctx.storage_classes(st, Role.SCU)


def _archive_sends(ctx: Context) -> dict[str, list[str]]:
    """What each archive with a statement forwards, settled over chains of archives at once.

    Archives may forward to each other (even in loops): each round recomputes every archive's
    holdings from what the links into it carried in the previous round, until nothing changes
    (at most one round per archive; a path-by-path walk is factorial on a mesh).
    """
    archives = {
        d.name: st
        for d in ctx.inventory.devices
        if d.role is DeviceRole.ARCHIVE and not d.sends and (st := ctx.statement(d.name)) is not None
    }
    out: dict[str, list[str]] = {arc: ctx.storage_classes(st, Role.SCU) for arc, st in archives.items()}
    for _round in range(len(archives) + 1):
        settled: dict[str, list[str]] = {}
        for arc, st in archives.items():
            inbound: set[str] = set()
            for link in ctx.links_to(arc, Service.STORE):
                upstream = ctx.statement(link.source)
                if upstream is None:
                    continue
                given = sends_of(ctx, link)
                if given:
                    classes: list[str] = list(given)
                elif link.source in archives:
                    classes = out[link.source]
                else:
                    classes = stored_classes(ctx, link.source, upstream)
                inbound.update(uid for uid in classes if uid not in link.exclude)
            if not inbound:
                settled[arc] = ctx.storage_classes(st, Role.SCU)
                continue
            settled[arc] = sorted(
                uid
                for uid in inbound
                if ctx.cap(st, uid, Role.SCP) is not None and ctx.cap(st, uid, Role.SCU) is not None
            )
        if settled == out:
            break
        out = settled
    return out


def _names(items: list[str] | tuple[str, ...]) -> str:
    return ", ".join(name(u) for u in items)


def _option(
    ctx: Context,
    link: Link,
    caps: list[tuple[str, Statement, TransferCapability | None]],
) -> list[Finding]:
    """One role-is-option finding per device of the link, listing its optional classes."""
    by_device: dict[str, list[tuple[Statement, TransferCapability]]] = {}
    for device, st, cap in caps:
        if cap is not None and cap.support is Support.OPTION:
            by_device.setdefault(device, []).append((st, cap))
    out = []
    for device, items in by_device.items():
        st = items[0][0]
        classes = by_name([cap.sop_class_uid for _, cap in items])
        role = items[0][1].role.value
        listed = short_list([name(u) for u in classes], 4)
        title = (
            f"{listed} {role} is an option on {device}"
            if len(classes) == 1
            else f"{len(classes)} SOP classes this link needs are options on {device}: {listed}"
        )
        f = finding(
            "role-is-option",
            Severity.DEGRADING,
            title,
            link=link,
            evidence=[cap_evidence(device, st, cap.sop_class_uid, cap.role, cap) for _, cap in items[:10]],
            detail="The statement marks these as a licensed or configurable option (in at least one of its "
            "tables): they work only where the option is bought and enabled.",
            fix=f"Make sure the option is licensed and enabled on {device}.",
        )
        f.sop_classes = classes
        out.append(f)
    return out


def check_roles(ctx: Context, link: Link, a: Statement, b: Statement) -> tuple[list[Finding], list[Pair]]:
    """Role findings for a link, and the SOP classes that pass on to negotiation."""
    if link.service is Service.STORE:
        return _check_store(ctx, link, a, b)
    if link.service in SINGLE:
        return _check_single(ctx, link, a, b, SINGLE[link.service])
    return _check_alternatives(ctx, link, a, b, ALTERNATIVES[link.service])


def _check_store(ctx: Context, link: Link, a: Statement, b: Statement) -> tuple[list[Finding], list[Pair]]:
    """Which of the link's classes the receiver accepts; refusals as one finding listing them.

    A refused presentation context drops its SOP class only (PS3.8 9.3.2.2): the association
    goes on with the others. The severity of a refusal is settled once negotiation has run
    (:func:`conformance.matcher.store.settle_store_link`): blocking for classes the inventory's
    ``sends`` names, or when none of the sender's image classes can be stored; else degrading.
    """
    out: list[Finding] = []
    pairs: list[Pair] = []
    given = sends_of(ctx, link)
    carried = carried_classes(ctx, link, a)
    if not carried:
        claims = ctx.any_storage(a, Role.SCU) is not None
        out.append(
            finding(
                "statement-silent-storage-classes",
                Severity.DEGRADING,
                f"{link.source}'s statement lists no storage SOP class it sends"
                + (" (it claims any storage class)" if claims else ""),
                link=link,
                evidence=[cap_evidence(link.source, a, uids.SECONDARY_CAPTURE, Role.SCU, None)],
                detail="Nothing to check on this store link: the statement is silent (or unparsed) "
                "on the Storage SCU SOP classes."
                + (
                    " It says it sends any storage class, so only the inventory can say which."
                    if claims
                    else ""
                ),
                fix=f"Add `sends:` to {link.source} in the inventory, or check {a.source} for the "
                "Storage SCU SOP class table.",
            )
        )
        return out, pairs
    refused: list[str] = []
    unstated: list[str] = []
    general: list[str] = []  # accepted on a claim for every storage class
    options: list[tuple[str, Statement, TransferCapability | None]] = []
    for uid in carried:
        sent = ctx.cap(a, uid, Role.SCU)
        got = ctx.cap(b, uid, Role.SCP)
        if sent is None:
            unstated.append(uid)
        if got is None:
            refused.append(uid)
            continue
        if got.name == WILDCARD_NAME:
            general.append(uid)
        options.extend([(link.source, a, sent), (link.target, b, got)])
        if sent is not None:
            pairs.append(Pair(uid, sent, got))
    if refused:
        out.append(_refused(ctx, link, a, b, by_name(refused), len(carried), given))
    if general:
        out.append(_general(ctx, link, b, by_name(general), len(carried)))
    if unstated:
        out.append(_unstated(link, a, by_name(unstated)))
    out.extend(_option(ctx, link, options))
    return out, pairs


def _refused(
    ctx: Context,
    link: Link,
    a: Statement,
    b: Statement,
    refused: list[str],
    total: int,
    given: tuple[str, ...],
) -> Finding:
    named = [u for u in refused if u in given]
    whose = f"{link.source}'s `sends`" if given else f"the storage classes {link.source}'s statement lists"
    listed = short_list([name(u) for u in refused], 6)
    evidence = []
    for uid in refused[:10]:
        evidence.append(cap_evidence(link.source, a, uid, Role.SCU, ctx.cap(a, uid, Role.SCU)))
        evidence.append(cap_evidence(link.target, b, uid, Role.SCP, None))
    more = f" ({len(refused) - 10} more not quoted)" if len(refused) > 10 else ""
    f = finding(
        "sop-class-not-accepted",
        Severity.BLOCKING if named else Severity.DEGRADING,
        f"{link.target} does not accept {name(refused[0])}"
        if len(refused) == 1
        else f"{link.target} does not accept {len(refused)} of the {total} storage classes "
        f"{link.source} sends",
        link=link,
        evidence=evidence,
        detail=f"Of {whose} ({total}), {link.target}'s statement does not list {listed} as SCP{more}. "
        "The association rejects these presentation contexts and goes on with the others: only these "
        "classes are not stored.",
        fix=f"Enable these classes on {link.target}, or configure {link.source} not to send them "
        f"(add `sends:` to the inventory to check only what {link.source} really sends).",
    )
    f.sop_classes = refused
    return f


def _general(ctx: Context, link: Link, b: Statement, accepted: list[str], total: int) -> Finding:
    wildcard = ctx.any_storage(b, Role.SCP)
    assert wildcard is not None
    f = finding(
        "storage-wildcard",
        Severity.INFO,
        f"{link.target} accepts {len(accepted)} of the {total} storage classes {link.source} sends on a "
        "general statement (any storage SOP class)",
        link=link,
        evidence=[
            Evidence(link.target, b.source, "accepts any storage SOP class", p) for p in wildcard.provenance
        ],
        detail=f"{link.target}'s statement does not list {short_list([name(u) for u in accepted], 6)} "
        "but says it accepts every storage SOP class; negotiated with the transfer syntaxes it states "
        "for that claim "
        + (
            "(" + ", ".join(name(t) for t in wildcard.transfer_syntaxes) + ")."
            if wildcard.transfer_syntaxes
            else "(none stated: the default Implicit VR Little Endian)."
        ),
        fix=f"Nothing to do unless {link.target} restricts the classes it accepts in its configuration "
        "(check it for these classes).",
    )
    f.sop_classes = accepted
    return f


def _unstated(link: Link, a: Statement, unstated: list[str]) -> Finding:
    f = finding(
        "sends-not-in-statement",
        Severity.INFO,
        f"{link.source} sends {short_list([name(u) for u in unstated], 3)} by the inventory; its statement "
        "does not list " + ("it" if len(unstated) == 1 else "them") + " as Storage SCU",
        link=link,
        evidence=[Evidence(link.source, a.source, f"does not list {name(u)} as SCU") for u in unstated[:10]],
        detail="The inventory's `sends` names classes the sender's statement is silent on: whether the "
        "receiver accepts them was checked, their transfer syntaxes could not be.",
        fix=f"Check the `sends` list of {link.source}, or ask its vendor for the Storage SCU classes.",
    )
    f.sop_classes = unstated
    f.unconfirmed = True
    return f


def _check_single(
    ctx: Context, link: Link, a: Statement, b: Statement, uid: str
) -> tuple[list[Finding], list[Pair]]:
    sent = ctx.cap(a, uid, Role.SCU)
    got = ctx.cap(b, uid, Role.SCP)
    ev = [cap_evidence(link.source, a, uid, Role.SCU, sent), cap_evidence(link.target, b, uid, Role.SCP, got)]
    out: list[Finding] = []
    what = SERVICE_NAMES[link.service]
    if sent is None and link.service is not Service.ECHO:
        out.append(
            finding(
                "initiator-lacks-scu",
                Severity.BLOCKING,
                f"{link.source} is not a {what} SCU",
                link=link,
                evidence=ev,
                detail=f"The {link.service.value} link needs {link.source} to act as SCU for {name(uid)}; "
                "its statement does not list that role.",
                fix=f"Enable {name(uid)} SCU on {link.source} or remove the {link.service.value} link.",
            )
        )
    if got is None:
        severity = Severity.INFO if link.service is Service.ECHO else Severity.BLOCKING
        out.append(
            finding(
                "acceptor-lacks-scp",
                severity,
                f"{link.target} is not a {what} SCP",
                link=link,
                evidence=ev,
                detail=f"The {link.service.value} link needs {link.target} to act as SCP for {name(uid)}; "
                "its statement does not list that role."
                + (
                    " Most acceptors offer Verification as a diagnostic aid; C-ECHO from this peer will fail."
                    if link.service is Service.ECHO
                    else ""
                ),
                fix=f"Enable {name(uid)} SCP on {link.target} or send {link.service.value} "
                "to another device.",
            )
        )
    if sent is None or got is None:
        return out, []
    out.extend(_option(ctx, link, [(link.source, a, sent), (link.target, b, got)]))
    return out, [Pair(uid, sent, got)]


PRINT_OPTIONS = uids.by_keyword("PresentationLUT", "BasicAnnotationBox", "PrintJob")


def _print_options(ctx: Context, link: Link, a: Statement, b: Statement) -> list[Finding]:
    """Optional print SOP classes the SCU uses that the printer does not accept: info.

    Each is negotiated as a presentation context of its own (PS3.4 H.4): the printer rejects
    that context, the Basic Print Management Meta SOP Class still prints. The SCU does
    without it (the printer's own grayscale curve instead of the Presentation LUT, no
    annotation text, no Print Job status).
    """
    out = []
    for uid in PRINT_OPTIONS:
        used = ctx.cap(a, uid, Role.SCU)
        if used is None or ctx.cap(b, uid, Role.SCP) is not None:
            continue
        out.append(
            finding(
                "print-option-not-accepted",
                Severity.INFO,
                f"{link.target} does not accept {name(uid)}; {link.source} prints without it",
                link=link,
                evidence=[
                    cap_evidence(link.source, a, uid, Role.SCU, used),
                    cap_evidence(link.target, b, uid, Role.SCP, None),
                ],
                detail=f"{link.source} proposes {name(uid)} as a presentation context of its own; the "
                "printer rejects that context and the print job goes on with the Print Management Meta "
                f"SOP Class, without what {name(uid)} adds.",
                fix=f"Enable {name(uid)} on {link.target}, or switch it off on {link.source}.",
            )
        )
    return out


def _check_alternatives(
    ctx: Context, link: Link, a: Statement, b: Statement, choices: tuple[str, ...]
) -> tuple[list[Finding], list[Pair]]:
    what = SERVICE_NAMES[link.service]
    wanted = [uid for uid in choices if ctx.cap(a, uid, Role.SCU)]
    offered = [uid for uid in choices if ctx.cap(b, uid, Role.SCP)]
    out: list[Finding] = []
    if not wanted:
        out.append(
            finding(
                "initiator-lacks-scu",
                Severity.BLOCKING,
                f"{link.source} is not a {what} SCU",
                link=link,
                evidence=[cap_evidence(link.source, a, choices[0], Role.SCU, None)]
                + [cap_evidence(link.target, b, uid, Role.SCP, ctx.cap(b, uid, Role.SCP)) for uid in offered],
                detail=f"{link.source}'s statement lists none of: {_names(choices)} as SCU.",
                fix=f"Enable {what} SCU on {link.source} or remove the {link.service.value} link.",
            )
        )
    if not offered:
        out.append(
            finding(
                "acceptor-lacks-scp",
                Severity.BLOCKING,
                f"{link.target} is not a {what} SCP",
                link=link,
                evidence=[
                    cap_evidence(link.source, a, uid, Role.SCU, ctx.cap(a, uid, Role.SCU)) for uid in wanted
                ]
                + [cap_evidence(link.target, b, choices[0], Role.SCP, None)],
                detail=f"{link.target}'s statement lists none of: {_names(choices)} as SCP.",
                fix=f"Enable {what} SCP on {link.target} or point the {link.service.value} link elsewhere.",
            )
        )
    if not wanted or not offered:
        return out, []
    common = [uid for uid in wanted if uid in offered]
    if not common:
        out.append(
            finding(
                "no-common-sop-class",
                Severity.BLOCKING,
                f"No common {what} SOP class between {link.source} and {link.target}",
                link=link,
                evidence=[cap_evidence(link.source, a, u, Role.SCU, ctx.cap(a, u, Role.SCU)) for u in wanted]
                + [cap_evidence(link.target, b, u, Role.SCP, ctx.cap(b, u, Role.SCP)) for u in offered],
                detail=f"{link.source} uses {', '.join(name(u) for u in wanted)}; {link.target} offers "
                f"{', '.join(name(u) for u in offered)}. Different information models (or print meta SOP "
                "classes) are different SOP classes: the association rejects them.",
                fix=f"Enable one of {_names(offered)} on {link.source}, or the other way round.",
            )
        )
        return out, []
    pairs = []
    options: list[tuple[str, Statement, TransferCapability | None]] = []
    for uid in common:
        sent, got = ctx.cap(a, uid, Role.SCU), ctx.cap(b, uid, Role.SCP)
        assert sent is not None and got is not None
        options.extend([(link.source, a, sent), (link.target, b, got)])
        pairs.append(Pair(uid, sent, got))
    out.extend(_option(ctx, link, options))
    if link.service is Service.PRINT:
        out.extend(_print_options(ctx, link, a, b))
    missing = [uid for uid in wanted if uid not in offered and not uids.is_retired(uid)]
    for uid in missing:
        out.append(
            finding(
                "sop-class-alternative-missing",
                Severity.INFO,
                f"{link.target} does not offer {name(uid)} (another {what} class is shared)",
                link=link,
                evidence=[
                    cap_evidence(link.source, a, uid, Role.SCU, ctx.cap(a, uid, Role.SCU)),
                    cap_evidence(link.target, b, uid, Role.SCP, None),
                ],
                fix=f"Configure {link.source} to use {', '.join(name(u) for u in common)}.",
            )
        )
    return out, pairs
