"""Presentation contexts, negotiated with pynetdicom's own requestor/acceptor functions.

The sender proposes one presentation context per transfer syntax it lists (what storage
SCUs do to learn exactly which syntaxes the acceptor takes), the acceptor answers with
:func:`pynetdicom.presentation.negotiate_as_acceptor`, the requestor reads the answer with
:func:`~pynetdicom.presentation.negotiate_as_requestor` and then uses the accepted context
it prefers. The sender's preference: lossless compressed syntaxes first (it listed them for
a reason), then the rest in the order the statement lists them.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from pydicom.uid import UID
from pynetdicom.presentation import (
    PresentationContext,
    build_context,
    negotiate_as_acceptor,
    negotiate_as_requestor,
)

from conformance import uids
from conformance.findings import Evidence, Finding, Severity
from conformance.matcher.common import Context, cap_evidence, finding, name, short_list
from conformance.matcher.roles import Pair
from conformance.model import Role, Statement
from conformance.services import MAX_CONTEXTS, Service
from conformance.site import Link

LOGGER = logging.getLogger(__name__)

NATIVE = frozenset(
    {
        uids.IMPLICIT_VR_LE,
        uids.EXPLICIT_VR_LE,
        uids.EXPLICIT_VR_BE,
        uids.keyword_uid("DeflatedExplicitVRLittleEndian"),
    }
)
PIXEL_SERVICES = frozenset({Service.STORE})
# JPEG 2000, JPEG 2000 Part 2 and HTJ2K: the encoder may stay reversible (PS3.5 A.4.4, A.4.13),
# so choosing them for lossless data is not a lossy substitution by itself.
MAY_BE_LOSSLESS = frozenset(uids.by_keyword("JPEG2000", "JPEG2000MC", "HTJ2K"))


@dataclass(frozen=True)
class Outcome:
    """What a real association would do for one abstract syntax."""

    accepted: tuple[str, ...]  # transfer syntaxes of the accepted contexts, sender preference order
    chosen: str | None  # the one the sender uses
    preferred: str  # the sender's first choice
    as_scu: bool = True  # requestor's negotiated roles (reverse associations, C-GET)
    as_scp: bool = False


@functools.lru_cache(maxsize=4096)
def preference(syntaxes: tuple[str, ...]) -> tuple[str, ...]:
    """Sender order: lossless compressed first, then as listed (stable)."""
    return tuple(
        sorted(syntaxes, key=lambda ts: 0 if uids.is_compressed(ts) and not uids.is_lossy(ts) else 1)
    )


def contexts(abstract: str, syntaxes: tuple[str, ...], start: int = 1) -> list[PresentationContext]:
    """One requestor context per transfer syntax, odd IDs from ``start``."""
    out = []
    for i, ts in enumerate(syntaxes):
        cx = build_context(abstract, ts)
        cx.context_id = start + 2 * i
        out.append(cx)
    return out


def negotiate(
    abstract: str,
    sender: tuple[str, ...],
    receiver: tuple[str, ...],
    rq_roles: tuple[bool | None, bool | None] = (None, None),
    ac_roles: tuple[bool | None, bool | None] = (None, None),
) -> Outcome:
    """Run pynetdicom's negotiation for one abstract syntax; cached (pure function of inputs).

    ``rq_roles`` is the requestor's SCP/SCU role selection proposal (scu, scp); ``ac_roles``
    what the acceptor is configured to accept (pynetdicom's ``scu_role`` / ``scp_role``).
    The outcome depends on the abstract syntax only through equality, on the acceptor's list
    only through what it shares with the proposal (in any order), and on the proposal only
    through its first choice and the shared syntaxes in proposal order. So pynetdicom runs on
    that reduced proposal, and the cache keyed by it lets a site's thousands of SOP class and
    statement pairs share a few hundred outcomes (benchmarks/match_scale.py; equivalence
    checked on random lists with duplicates and role selection).
    """
    ordered = preference(sender)[:MAX_CONTEXTS]  # context IDs are odd numbers 1-255
    accepts = set(receiver)
    shared = tuple(ts for ts in ordered if ts in accepts)
    proposal = shared if ordered and ordered[0] in accepts else ordered[:1] + shared
    return _negotiate(proposal, tuple(sorted(set(shared))) or tuple(sorted(accepts)), rq_roles, ac_roles)


@functools.lru_cache(maxsize=65536)
def _negotiate(
    sender: tuple[str, ...],
    receiver: tuple[str, ...],
    rq_roles: tuple[bool | None, bool | None],
    ac_roles: tuple[bool | None, bool | None],
    abstract: str = uids.VERIFICATION,
) -> Outcome:
    ordered = preference(sender)[:MAX_CONTEXTS]  # context IDs are odd numbers 1-255
    rq = contexts(abstract, ordered)
    if rq_roles != (None, None):
        for cx in rq:
            cx.scu_role, cx.scp_role = rq_roles
    ac = [build_context(abstract, list(receiver))] if receiver else []
    if ac and ac_roles != (None, None):
        ac[0].scu_role, ac[0].scp_role = ac_roles
    roles = {UID(abstract): rq_roles} if rq_roles != (None, None) else None
    results, role_items = negotiate_as_acceptor(rq, ac, roles)
    reply = {
        UID(item.sop_class_uid): (item.scu_role, item.scp_role) for item in role_items if item.sop_class_uid
    } or None
    final = negotiate_as_requestor(rq, results, reply)
    accepted = [cx for cx in final if cx.result == 0x00]
    by_id = {cx.context_id: cx for cx in accepted}
    picked = [by_id[cx.context_id] for cx in rq if cx.context_id in by_id]
    syntaxes = tuple(str(cx.transfer_syntax[0]) for cx in picked)
    first = picked[0] if picked else None
    return Outcome(
        accepted=syntaxes,
        chosen=syntaxes[0] if syntaxes else None,
        preferred=ordered[0] if ordered else "",
        as_scu=bool(first.as_scu) if first else False,
        as_scp=bool(first.as_scp) if first else False,
    )


def syntaxes_or_default(ts: list[str]) -> tuple[tuple[str, ...], bool]:
    """The listed syntaxes, or the mandatory default when the statement lists none."""
    return (tuple(ts), False) if ts else ((uids.IMPLICIT_VR_LE,), True)


def check_contexts(ctx: Context, link: Link, a: Statement, b: Statement, pairs: list[Pair]) -> list[Finding]:
    """Negotiate each SOP class of the link; group identical outcomes into one finding."""
    groups: dict[tuple[str, str, str], list[tuple[Pair, Outcome]]] = {}
    silent: dict[str, list[Pair]] = {}
    for pair in pairs:
        sender, s_silent = syntaxes_or_default(pair.sender.transfer_syntaxes)
        receiver, r_silent = syntaxes_or_default(pair.receiver.transfer_syntaxes)
        if s_silent:
            silent.setdefault(link.source, []).append(pair)
        if r_silent:
            silent.setdefault(link.target, []).append(pair)
        outcome = negotiate(pair.uid, sender, receiver)
        kind = _classify(outcome, sender, link.service)
        if kind and (s_silent or r_silent):
            # an outcome from an assumed list is a guess: the silence finding says so; only "no
            # context at all" is worth a (degrading, unconfirmed) finding of its own
            kind = "none-assumed" if kind == "none" else ""
        if kind:
            groups.setdefault((kind, outcome.preferred, outcome.chosen or ""), []).append((pair, outcome))
    out = [_finding(link, a, b, kind, items) for (kind, _p, _c), items in sorted(groups.items())]
    for device, items in sorted(silent.items()):
        st = a if device == link.source else b
        role = Role.SCU if device == link.source else Role.SCP
        classes = [name(p.uid) for p in items]
        out.append(
            finding(
                "statement-silent-transfer-syntaxes",
                Severity.INFO,
                f"{device}'s statement is silent on transfer syntaxes for {short_list(classes, 3)}",
                link=link,
                evidence=[
                    cap_evidence(
                        device, st, p.uid, role, p.sender if role is Role.SCU else p.receiver, syntaxes=True
                    )
                    for p in items[:10]
                ],
                detail="Negotiated assuming only the mandatory default, Implicit VR Little Endian.",
                fix=f"Check {st.source} for its presentation-context tables.",
            )
        )
    out.extend(_missing_default(link, a, b, pairs))
    if link.service in PIXEL_SERVICES and len(pairs) > MAX_CONTEXTS:
        out.append(
            finding(
                "presentation-context-limit",
                Severity.DEGRADING,
                f"{link.source} would propose {len(pairs)} presentation contexts (limit {MAX_CONTEXTS})",
                link=link,
                evidence=[Evidence(link.source, a.source, f"{len(pairs)} storage SOP classes on this link")],
                detail="An association carries at most 128 presentation contexts (odd IDs 1-255); "
                "the sender must split its work over several associations.",
                fix=f"Confirm that {link.source} splits associations, or limit the SOP classes it sends.",
            )
        )
    return out


def _classify(outcome: Outcome, sender: tuple[str, ...], service: Service) -> str:
    if outcome.chosen is None:
        return "none"
    chosen, preferred = outcome.chosen, outcome.preferred
    if chosen == uids.EXPLICIT_VR_BE and len(outcome.accepted) == 1:
        return "big-endian"
    if service not in PIXEL_SERVICES or chosen == preferred:
        return ""
    lossless_data = any(not uids.is_lossy(ts) for ts in sender)
    if uids.is_lossy(chosen) and chosen not in MAY_BE_LOSSLESS and lossless_data:
        return "lossy"
    if uids.is_compressed(preferred) and not uids.is_lossy(preferred) and not uids.is_compressed(chosen):
        return "fallback"
    return ""


def _finding(link: Link, a: Statement, b: Statement, kind: str, items: list[tuple[Pair, Outcome]]) -> Finding:
    pairs = [p for p, _ in items]
    outcome = items[0][1]
    classes = short_list([name(p.uid) for p in pairs], 4)
    evidence = []
    for p in pairs[:10]:
        evidence.append(cap_evidence(link.source, a, p.uid, Role.SCU, p.sender, syntaxes=True))
        evidence.append(cap_evidence(link.target, b, p.uid, Role.SCP, p.receiver, syntaxes=True))
    more = f" ({len(pairs) - 10} more SOP classes not shown)" if len(pairs) > 10 else ""
    if kind == "none-assumed":
        return finding(
            "no-common-transfer-syntax",
            Severity.DEGRADING,
            f"No common transfer syntax confirmed for {classes}",
            link=link,
            evidence=evidence,
            detail=f"A statement is silent on the transfer syntaxes of these SOP classes, so only the "
            f"default Implicit VR Little Endian was assumed for it; with that assumption {link.target} "
            f"would reject every context {link.source} proposes.{more}",
            fix=f"Confirm with the vendors which transfer syntaxes {link.source} proposes and "
            f"{link.target} accepts for these SOP classes.",
        )
    if kind == "none":
        return finding(
            "no-common-transfer-syntax",
            Severity.BLOCKING,
            f"No common transfer syntax for {classes}",
            link=link,
            evidence=evidence,
            detail=f"{link.source} proposes only {', '.join(name(t) for t in preference(tuple(pairs[0].sender.transfer_syntaxes)) or (uids.IMPLICIT_VR_LE,))}; "  # noqa: E501
            f"{link.target} rejects every context (transfer syntaxes not supported).{more}",
            fix=f"Enable {name(outcome.preferred)} on {link.target}, or make {link.source} also offer "
            "Explicit/Implicit VR Little Endian (the default every implementation must accept).",
        )
    if kind == "big-endian":
        return finding(
            "only-retired-big-endian",
            Severity.DEGRADING,
            f"Only Explicit VR Big Endian (retired) is shared for {classes}",
            link=link,
            evidence=evidence,
            detail=f"The association would use a retired transfer syntax.{more}",
            fix="Enable Implicit or Explicit VR Little Endian on both sides.",
        )
    if kind == "lossy":
        return finding(
            "lossy-substitution",
            Severity.DEGRADING,
            f"Lossy {name(outcome.chosen or '')} instead of lossless for {classes}",
            link=link,
            evidence=evidence,
            detail=f"{link.source} prefers {name(outcome.preferred)}; the only syntax {link.target} accepts "
            f"is lossy, so lossless images would be recompressed lossy.{more}",
            fix=f"Enable {name(outcome.preferred)} or an uncompressed syntax on {link.target}.",
        )
    return finding(
        "transfer-syntax-fallback",
        Severity.DEGRADING,
        f"{name(outcome.chosen or '')} instead of {name(outcome.preferred)} for {classes}",
        link=link,
        evidence=evidence,
        detail=f"{link.target} does not accept {link.source}'s preferred {name(outcome.preferred)}; "
        f"the association falls back to {name(outcome.chosen or '')} (more bandwidth and storage, "
        f"and {link.source} must decompress).{more}",
        fix=f"Enable {name(outcome.preferred)} on {link.target} as an SCP transfer syntax.",
    )


def _missing_default(link: Link, a: Statement, b: Statement, pairs: list[Pair]) -> list[Finding]:
    """PS3.5 10.1: every AE supports Implicit VR LE; a table without it makes the statement suspect."""
    out = []
    for device, st, role in ((link.source, a, Role.SCU), (link.target, b, Role.SCP)):
        lacking = [
            p
            for p in pairs
            if (caps := (p.sender if role is Role.SCU else p.receiver).transfer_syntaxes)
            and uids.IMPLICIT_VR_LE not in caps
            and not all(uids.is_lossy(ts) for ts in caps)
        ]
        if lacking and link.service is not Service.STORE:
            continue  # only storage tables are detailed enough to judge
        if lacking:
            out.append(
                finding(
                    "default-transfer-syntax-not-listed",
                    Severity.INFO,
                    f"{device} does not list Implicit VR Little Endian for {short_list([name(p.uid) for p in lacking], 3)}",  # noqa: E501
                    link=link,
                    evidence=[
                        cap_evidence(
                            device,
                            st,
                            p.uid,
                            role,
                            p.sender if role is Role.SCU else p.receiver,
                            syntaxes=True,
                        )
                        for p in lacking[:10]
                    ],
                    detail="Every DICOM implementation must support the default transfer syntax; a table "
                    "without it is incomplete or the device deviates from the standard.",
                    fix=f"Ask the vendor of {device} to confirm Implicit VR Little Endian support.",
                )
            )
    return out
