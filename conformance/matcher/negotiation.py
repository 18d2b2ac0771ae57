"""Presentation contexts, negotiated with pynetdicom's own requestor/acceptor functions.

The sender proposes one presentation context per transfer syntax it lists (what storage
SCUs do to learn exactly which syntaxes the acceptor takes), the acceptor answers with
:func:`pynetdicom.presentation.negotiate_as_acceptor`, the requestor reads the answer with
:func:`~pynetdicom.presentation.negotiate_as_requestor` and then uses the accepted context
it prefers. The sender's preference is the order its statement lists them in; nothing is
assumed beyond that: a fallback from a preferred compressed syntax is reported only when the
statement states the preference (proposed-context order or words), only for SOP classes with
pixel data, and never for an archive's C-MOVE/C-GET sub-operations.
"""

from __future__ import annotations

import functools
import logging
import re
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
from conformance.model import Direction, Role, Statement, TransferCapability
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
# Storage SOP classes with pixel data whose names do not say "Image" (see has_pixel_data).
OTHER_PIXEL_DATA = frozenset(
    uids.by_keyword(
        "EnhancedUSVolumeStorage",
        "SegmentationStorage",
        "OphthalmicThicknessMapStorage",
        "CornealTopographyMapStorage",
        "OphthalmicOpticalCoherenceTomographyBscanVolumeAnalysisStorage",
        "RTDoseStorage",
    )
)


@dataclass(frozen=True)
class Outcome:
    """What a real association would do for one abstract syntax."""

    accepted: tuple[str, ...]  # transfer syntaxes of the accepted contexts, sender preference order
    chosen: str | None  # the one the sender uses
    preferred: str  # the sender's first listed syntax
    as_scu: bool = True  # requestor's negotiated roles (reverse associations, C-GET)
    as_scp: bool = False


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
    ordered = sender[:MAX_CONTEXTS]  # context IDs are odd numbers 1-255
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
    ordered = sender[:MAX_CONTEXTS]  # context IDs are odd numbers 1-255
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


def has_pixel_data(uid: str) -> bool:
    """Whether objects of this storage SOP class carry pixel data a compressed syntax could encode.

    Image IODs (every "... Image Storage") and the few pixel-data IODs named otherwise;
    Encapsulated PDF, SR, presentation states, LUTs, waveforms and raw data have nothing to
    compress, so the transfer syntax they travel in says nothing about bandwidth or quality.
    """
    return uid in OTHER_PIXEL_DATA or (uids.is_storage_sop_class(uid) and "Image" in uids.uid_name(uid))


def states_preference(cap: TransferCapability) -> bool:
    """Whether the sender's statement states which syntax it prefers for this SOP class.

    The order of a proposed-presentation-context table is the order the requestor proposes
    (PS3.2 A.4.2: the statement says which syntax it uses when several are accepted), and a
    row that says "preferred" says so in words. An overview table's list states no order.
    """
    if any(re.search(r"\bprefer", p.text, re.I) for p in cap.provenance):
        return True
    return cap.direction is Direction.INITIATE and len(cap.transfer_syntaxes) > 1


def check_contexts(
    ctx: Context,
    link: Link,
    a: Statement,
    b: Statement,
    pairs: list[Pair],
    *,
    sub_operations: bool = False,
) -> list[Finding]:
    """Negotiate each SOP class of the link: one finding per rule (and per confirmed/assumed).

    ``sub_operations``: the sender is an archive sending C-MOVE/C-GET sub-operations; it sends
    what it holds in the syntax it chose when storing, which no statement here describes, so no
    preference of its own is assumed (no ``transfer-syntax-fallback``).
    """
    groups: dict[str, list[tuple[Pair, Outcome]]] = {}
    silent: dict[str, list[Pair]] = {}
    for pair in pairs:
        sender, s_silent = syntaxes_or_default(pair.sender.transfer_syntaxes)
        receiver, r_silent = syntaxes_or_default(pair.receiver.transfer_syntaxes)
        if s_silent:
            silent.setdefault(link.source, []).append(pair)
        if r_silent:
            silent.setdefault(link.target, []).append(pair)
        outcome = negotiate(pair.uid, sender, receiver)
        kind = _classify(outcome, pair, sender, link.service, sub_operations)
        if kind and (s_silent or r_silent):
            # an outcome from an assumed list is a guess: the silence finding says so; only "no
            # context at all" is worth a (degrading, unconfirmed) finding of its own
            kind = "none-assumed" if kind == "none" else ""
        if kind:
            groups.setdefault(kind, []).append((pair, outcome))
    out = [_finding(link, a, b, kind, items, len(pairs)) for kind, items in sorted(groups.items())]
    for device, items in sorted(silent.items()):
        st = a if device == link.source else b
        role = Role.SCU if device == link.source else Role.SCP
        items = sorted(items, key=lambda p: name(p.uid))
        out.append(
            finding(
                "statement-silent-transfer-syntaxes",
                Severity.INFO,
                f"{device}'s statement is silent on transfer syntaxes for "
                f"{_counted([p.uid for p in items], len(pairs))}",
                link=link,
                evidence=[
                    cap_evidence(device, st, p.uid, role, _side(p, role), syntaxes=True) for p in items
                ],
                detail="Negotiated assuming only the mandatory default, Implicit VR Little Endian.",
                fix=f"Check {st.source} for its presentation-context tables.",
                sop_classes=[p.uid for p in items],
                unconfirmed=True,
            )
        )
    out.extend(_missing_default(link, a, b, pairs))
    proposed = _proposed(ctx, link, a, pairs)
    if link.service in PIXEL_SERVICES and len(proposed) > MAX_CONTEXTS:
        out.append(
            finding(
                "presentation-context-limit",
                Severity.DEGRADING,
                f"{link.source} would propose at least {len(proposed)} presentation contexts "
                f"(limit {MAX_CONTEXTS})",
                link=link,
                evidence=[
                    Evidence(
                        link.source,
                        a.source,
                        f"{len(proposed)} storage SOP classes to send on this link "
                        f"({len(pairs)} of them accepted by {link.target})",
                    )
                ],
                detail="An association carries at most 128 presentation contexts (odd IDs 1-255), one "
                "per SOP class at least, whether the receiver accepts them or not: the sender must "
                "split its work over several associations.",
                fix=f"Confirm that {link.source} splits associations, or limit the SOP classes it sends.",
            )
        )
    return out


def _side(pair: Pair, role: Role) -> TransferCapability:
    """The sender's (SCU) or the receiver's (SCP) capability of a negotiated pair."""
    return pair.sender if role is Role.SCU else pair.receiver


def _proposed(ctx: Context, link: Link, a: Statement, pairs: list[Pair]) -> list[str]:
    """The SOP classes the sender proposes on this link (accepted by the receiver or not)."""
    if link.service is not Service.STORE:
        return [p.uid for p in pairs]
    from conformance.matcher.roles import stored_classes

    return [uid for uid in stored_classes(ctx, link.source, a) if uid not in link.exclude]


def _counted(classes: list[str], total: int, n: int = 4) -> str:
    """ "CT Image Storage" for a one-class link; "2 of 8 SOP classes (A, B)" otherwise."""
    names = short_list(sorted(name(u) for u in classes), n)
    if total <= 1:
        return names
    return f"{len(classes)} of {total} SOP classes ({names})"


def _classify(
    outcome: Outcome, pair: Pair, sender: tuple[str, ...], service: Service, sub_operations: bool
) -> str:
    if outcome.chosen is None:
        return "none"
    if outcome.accepted and set(outcome.accepted) == {uids.EXPLICIT_VR_BE}:
        return "big-endian"
    if service not in PIXEL_SERVICES or not has_pixel_data(pair.uid):
        return ""
    preferred = sender[0]
    stated = states_preference(pair.sender)
    lossless_data = any(not uids.is_lossy(ts) for ts in sender) and not (stated and uids.is_lossy(preferred))
    if lossless_data and all(uids.is_lossy(ts) and ts not in MAY_BE_LOSSLESS for ts in outcome.accepted):
        return "lossy"
    if sub_operations or not stated:
        return ""  # no stated preference: no syntax is "the one it wanted"
    lossless_compressed = uids.is_compressed(preferred) and not uids.is_lossy(preferred)
    if lossless_compressed and not uids.is_compressed(outcome.chosen):
        return "fallback"
    return ""


def _finding(
    link: Link,
    a: Statement,
    b: Statement,
    kind: str,
    items: list[tuple[Pair, Outcome]],
    total: int,
) -> Finding:
    items = sorted(items, key=lambda item: name(item[0].uid))
    pairs = [p for p, _ in items]
    classes = _counted([p.uid for p in pairs], total)
    evidence = []
    for p in pairs:
        evidence.append(cap_evidence(link.source, a, p.uid, Role.SCU, p.sender, syntaxes=True))
        evidence.append(cap_evidence(link.target, b, p.uid, Role.SCP, p.receiver, syntaxes=True))
    common = {"link": link, "evidence": evidence, "sop_classes": [p.uid for p in pairs]}
    if kind == "none-assumed":
        return finding(
            "no-common-transfer-syntax",
            Severity.DEGRADING,
            f"No common transfer syntax confirmed for {classes}",
            detail=f"A statement is silent on the transfer syntaxes of these SOP classes, so only the "
            f"default Implicit VR Little Endian was assumed for it; with that assumption {link.target} "
            f"would reject every context {link.source} proposes for them.",
            fix=f"Confirm with the vendors which transfer syntaxes {link.source} proposes and "
            f"{link.target} accepts for these SOP classes.",
            unconfirmed=True,
            **common,  # type: ignore[arg-type]
        )
    if kind == "none":
        offers = "; ".join(
            f"{name(p.uid)}: {', '.join(name(t) for t in syntaxes_or_default(p.sender.transfer_syntaxes)[0])}"
            for p in pairs[:6]
        )
        return finding(
            "no-common-transfer-syntax",
            Severity.BLOCKING,
            f"No common transfer syntax for {classes}",
            detail=f"{link.source} proposes only {offers}; {link.target} rejects every context of these "
            "SOP classes (transfer syntaxes not supported), so they are not sent; the other classes are.",
            fix=f"Enable {link.source}'s syntaxes for these classes on {link.target}, or make "
            f"{link.source} also offer Explicit/Implicit VR Little Endian (the default every "
            "implementation must accept).",
            transfer_syntaxes=sorted({ts for p in pairs for ts in p.sender.transfer_syntaxes}),
            **common,  # type: ignore[arg-type]
        )
    if kind == "big-endian":
        return finding(
            "only-retired-big-endian",
            Severity.DEGRADING,
            f"Only Explicit VR Big Endian (retired) is shared for {classes}",
            detail="The association would use a retired transfer syntax.",
            fix="Enable Implicit or Explicit VR Little Endian on both sides.",
            transfer_syntaxes=[uids.EXPLICIT_VR_BE],
            **common,  # type: ignore[arg-type]
        )
    outcomes = {(syntaxes_or_default(p.sender.transfer_syntaxes)[0][0], o.chosen or "") for p, o in items}
    if kind == "lossy":
        chosen = sorted({c for _, c in outcomes})
        return finding(
            "lossy-substitution",
            Severity.DEGRADING,
            f"Lossy {', '.join(name(c) for c in chosen)} instead of lossless for {classes}",
            detail=f"{link.source} lists lossless syntaxes for these classes; every syntax {link.target} "
            "accepts for them is lossy, so lossless images would be recompressed lossy.",
            fix=f"Enable a lossless or uncompressed syntax for these classes on {link.target}.",
            transfer_syntaxes=chosen,
            **common,  # type: ignore[arg-type]
        )
    if len(outcomes) == 1:
        preferred, chosen_ts = next(iter(outcomes))
        what = f"{name(chosen_ts)} instead of {name(preferred)}"
    else:
        what = "Uncompressed instead of the preferred compressed syntax"
    listed = "; ".join(f"{name(p)} -> {name(c)}" for p, c in sorted(outcomes))
    return finding(
        "transfer-syntax-fallback",
        Severity.DEGRADING,
        f"{what} for {classes}",
        detail=f"{link.source}'s statement proposes a lossless compressed syntax first for these "
        f"classes; {link.target} does not accept it, so the association falls back to an "
        f"uncompressed one ({listed}): more bandwidth and storage, and {link.source} must decompress.",
        fix=f"Enable the preferred syntax on {link.target} as an SCP transfer syntax.",
        transfer_syntaxes=sorted({t for pair in outcomes for t in pair}),
        **common,  # type: ignore[arg-type]
    )


def _missing_default(link: Link, a: Statement, b: Statement, pairs: list[Pair]) -> list[Finding]:
    """PS3.5 10.1: every AE supports Implicit VR LE; a table without it makes the statement suspect."""
    if link.service is not Service.STORE:
        return []  # only storage tables are detailed enough to judge
    out = []
    for device, st, role in ((link.source, a, Role.SCU), (link.target, b, Role.SCP)):
        lacking = sorted(
            (
                p
                for p in pairs
                if (caps := _side(p, role).transfer_syntaxes)
                and uids.IMPLICIT_VR_LE not in caps
                and not all(uids.is_lossy(ts) for ts in caps)
            ),
            key=lambda p: name(p.uid),
        )
        if lacking:
            out.append(
                finding(
                    "default-transfer-syntax-not-listed",
                    Severity.INFO,
                    f"{device} does not list Implicit VR Little Endian for "
                    f"{_counted([p.uid for p in lacking], len(pairs), 3)}",
                    link=link,
                    evidence=[
                        cap_evidence(device, st, p.uid, role, _side(p, role), syntaxes=True) for p in lacking
                    ],
                    detail="Every DICOM implementation must support the default transfer syntax; a table "
                    "without it is incomplete or the device deviates from the standard.",
                    fix=f"Ask the vendor of {device} to confirm Implicit VR Little Endian support.",
                    sop_classes=[p.uid for p in lacking],
                    transfer_syntaxes=[uids.IMPLICIT_VR_LE],
                )
            )
    return out
