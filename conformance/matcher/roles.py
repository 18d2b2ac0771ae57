"""Direction and roles per link: the initiator needs SCU, the acceptor SCP, per SOP class.

A store link carries every storage SOP class the sender produces (for an archive: what it
forwards, i.e. what the inventory's senders store into it). Query, retrieve and print links
need one shared information model / meta SOP class, not all of them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import cast

from conformance import uids
from conformance.findings import Finding, Severity
from conformance.matcher.common import Context, cap_evidence, finding, name
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


def stored_classes(ctx: Context, sender: str, st: Statement) -> list[str]:
    """Storage SOP classes a store link from ``sender`` carries.

    An archive forwards what it holds: the classes the inventory's senders store into it
    (and that it accepts), limited to what it can send. Other senders send what they produce.
    """
    key = ("stored", sender, id(st))
    if key not in ctx.memo:
        ctx.memo[key] = _stored_classes(ctx, sender, st)
    return list(cast(list[str], ctx.memo[key]))


def _stored_classes(ctx: Context, sender: str, st: Statement) -> list[str]:
    produced = ctx.storage_classes(st, Role.SCU)
    device = ctx.device(sender)
    if device is None or device.role is not DeviceRole.ARCHIVE:
        return produced
    inbound: set[str] = set()
    for link in ctx.links_to(sender, Service.STORE):
        upstream = ctx.statement(link.source)
        if upstream is not None:
            inbound.update(ctx.storage_classes(upstream, Role.SCU))
    if not inbound:
        return produced
    held = set(ctx.storage_classes(st, Role.SCP))
    return [uid for uid in produced if uid in inbound and uid in held]


def _names(items: list[str] | tuple[str, ...]) -> str:
    return ", ".join(name(u) for u in items)


def _option(
    ctx: Context,
    link: Link,
    a: Statement,
    b: Statement,
    uid: str,
    caps: list[tuple[str, Statement, TransferCapability | None]],
) -> list[Finding]:
    out = []
    for device, st, cap in caps:
        if cap is not None and cap.support is Support.OPTION:
            out.append(
                finding(
                    "role-is-option",
                    Severity.DEGRADING,
                    f"{name(uid)} {cap.role.value} is an option on {device}",
                    link=link,
                    evidence=[cap_evidence(device, st, uid, cap.role, cap)],
                    fix=f"Make sure the {name(uid)} option is licensed and enabled on {device}.",
                )
            )
    return out


def check_roles(ctx: Context, link: Link, a: Statement, b: Statement) -> tuple[list[Finding], list[Pair]]:
    """Role findings for a link, and the SOP classes that pass on to negotiation."""
    if link.service is Service.STORE:
        return _check_store(ctx, link, a, b)
    if link.service in SINGLE:
        return _check_single(ctx, link, a, b, SINGLE[link.service])
    return _check_alternatives(ctx, link, a, b, ALTERNATIVES[link.service])


def _check_store(ctx: Context, link: Link, a: Statement, b: Statement) -> tuple[list[Finding], list[Pair]]:
    out: list[Finding] = []
    pairs: list[Pair] = []
    carried = [uid for uid in stored_classes(ctx, link.source, a) if uid not in link.exclude]
    if not carried:
        out.append(
            finding(
                "statement-silent-storage-classes",
                Severity.DEGRADING,
                f"{link.source}'s statement lists no storage SOP class it sends",
                link=link,
                evidence=[cap_evidence(link.source, a, uids.SECONDARY_CAPTURE, Role.SCU, None)],
                detail="Nothing to check on this store link: the statement is silent (or unparsed) "
                "on the Storage SCU SOP classes.",
                fix=f"Check {a.source} for the Storage SCU SOP class table.",
            )
        )
        return out, pairs
    for uid in carried:
        sent = ctx.cap(a, uid, Role.SCU)
        got = ctx.cap(b, uid, Role.SCP)
        assert sent is not None
        if got is None:
            ev = [  # built only for a finding: a 1,000-device site has ~100k accepted pairs
                cap_evidence(link.source, a, uid, Role.SCU, sent),
                cap_evidence(link.target, b, uid, Role.SCP, got),
            ]
            out.append(
                finding(
                    "sop-class-not-accepted",
                    Severity.BLOCKING,
                    f"{link.target} does not accept {name(uid)}",
                    link=link,
                    evidence=ev,
                    detail=f"{link.source} sends {name(uid)} ({uid}) as Storage SCU; "
                    f"{link.target}'s statement "
                    "does not list it as SCP, so the association rejects that presentation context.",
                    fix=f"Enable {name(uid)} on {link.target}, or configure {link.source} not to send it "
                    "(or to send a class the receiver accepts).",
                )
            )
            continue
        out.extend(_option(ctx, link, a, b, uid, [(link.source, a, sent), (link.target, b, got)]))
        pairs.append(Pair(uid, sent, got))
    return out, pairs


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
    out.extend(_option(ctx, link, a, b, uid, [(link.source, a, sent), (link.target, b, got)]))
    return out, [Pair(uid, sent, got)]


PRINT_OPTIONS = uids.by_keyword("PresentationLUT", "BasicAnnotationBox", "PrintJob")


def _print_options(ctx: Context, link: Link, a: Statement, b: Statement) -> list[Finding]:
    """Optional print SOP classes the SCU uses must be accepted, or printing degrades or fails."""
    out = []
    for uid in PRINT_OPTIONS:
        used = ctx.cap(a, uid, Role.SCU)
        if used is None or ctx.cap(b, uid, Role.SCP) is not None:
            continue
        out.append(
            finding(
                "print-option-not-accepted",
                Severity.DEGRADING,
                f"{link.target} does not accept {name(uid)}",
                link=link,
                evidence=[
                    cap_evidence(link.source, a, uid, Role.SCU, used),
                    cap_evidence(link.target, b, uid, Role.SCP, None),
                ],
                detail=f"{link.source} uses {name(uid)}; the printer rejects it, so {link.source} must do "
                "without it (or the print job fails).",
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
    for uid in common:
        sent, got = ctx.cap(a, uid, Role.SCU), ctx.cap(b, uid, Role.SCP)
        assert sent is not None and got is not None
        out.extend(_option(ctx, link, a, b, uid, [(link.source, a, sent), (link.target, b, got)]))
        pairs.append(Pair(uid, sent, got))
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
