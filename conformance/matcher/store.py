"""How bad a store link's refusals are, once every rule has said what it refuses.

On the wire a refused presentation context drops its SOP class only: the association goes on
with the classes that were accepted (PS3.8 9.3.2.2, PS3.4 B.2.2). So a class the receiver does
not list, or for which no transfer syntax is shared, is lost while the rest is stored. It is
blocking when the site says the device really sends it (the inventory's ``sends``), or when
none of the sender's image classes can be stored (the C-MOVE and C-GET sub-operation rules
follow the same logic); otherwise one degrading finding lists the classes. Without ``sends``
the sender is assumed to send every storage class its statement lists, which the report says
once per device.
"""

from __future__ import annotations

import logging

from conformance.findings import Evidence, Finding, Severity
from conformance.matcher.common import Context, finding, inventory_evidence, name
from conformance.matcher.negotiation import negotiate
from conformance.matcher.roles import Pair, carried_classes, sends_of
from conformance.matcher.silence import silent_on
from conformance.model import Role, Statement
from conformance.services import Service
from conformance.site import DeviceRole, Link

LOGGER = logging.getLogger(__name__)

# storage classes with pixel data whose names do not say "Image"
_PIXEL_WORDS = ("image", "video", "volume", "segmentation", "parametric map", "tomography")

__all__ = ["check_sends", "is_image_storage", "settle_store_link"]


def is_image_storage(uid: str) -> bool:
    """Whether a storage SOP class carries images (what a modality is there to store)."""
    text = name(uid).lower()
    return any(word in text for word in _PIXEL_WORDS)


def _unnegotiable(pairs: list[Pair]) -> list[str]:
    """Classes both sides state syntaxes for but share none (assumed syntaxes prove nothing)."""
    out = []
    for p in pairs:
        sender, receiver = p.sender.transfer_syntaxes, p.receiver.transfer_syntaxes
        if sender and receiver and negotiate(p.uid, tuple(sender), tuple(receiver)).chosen is None:
            out.append(p.uid)
    return out


def settle_store_link(
    ctx: Context, link: Link, a: Statement, b: Statement, findings: list[Finding], pairs: list[Pair]
) -> None:
    """Set the severity of the link's refusals (not accepted, no common transfer syntax) in place.

    A receiver silent on storage altogether is left to :func:`~.silence.settle_silence`: its
    "refusals" are not confirmed, whatever the sender sends.
    """
    silent = silent_on(ctx, b, Service.STORE)
    refusals = [
        f for f in findings if f.rule == "sop-class-not-accepted" and not f.unconfirmed and not silent
    ]
    no_syntax = [
        f for f in findings if f.rule == "no-common-transfer-syntax" and f.severity is Severity.BLOCKING
    ]
    if not refusals and not no_syntax:
        return
    given = set(sends_of(ctx, link))
    carried = carried_classes(ctx, link, a)
    unnegotiable = _unnegotiable(pairs)
    lost = {u for f in refusals for u in f.sop_classes} | set(unnegotiable)
    images = [u for u in carried if is_image_storage(u)] or carried
    stored = [u for u in images if u not in lost]
    for f in refusals:
        _settle(f, f.sop_classes, given, stored, images, link)
    for f in no_syntax:
        _settle(f, f.sop_classes or unnegotiable, given, stored, images, link)


def _settle(
    f: Finding, classes: list[str], given: set[str], stored: list[str], images: list[str], link: Link
) -> None:
    named = [u for u in classes if u in given]
    if named:
        f.severity = Severity.BLOCKING
        sent = ", ".join(name(u) for u in named)
        note = (
            f"Blocking: {link.source} sends {sent} at this site (the inventory's `sends`), and these "
            f"objects never reach {link.target}."
        )
    elif not stored:
        f.severity = Severity.BLOCKING
        what = "image" if any(u in images for u in classes) else "storage"
        note = (
            f"Blocking: none of the {len(images)} {what} classes {link.source} sends can be stored on "
            f"{link.target}."
        )
    else:
        f.severity = Severity.DEGRADING
        note = (
            f"Degrading: the association goes on with the other classes ({len(stored)} of {len(images)} "
            f"image classes are stored); add `sends:` to {link.source} if it really sends these."
        )
    f.detail = f"{f.detail} {note}".strip()


def check_sends(ctx: Context) -> list[Finding]:
    """Once per sending device without ``sends``: which classes were assumed, and how to narrow them."""
    out: list[Finding] = []
    for device in sorted(ctx.inventory.devices, key=lambda d: d.name):
        if device.sends or device.role is DeviceRole.ARCHIVE:  # an archive forwards what it receives
            continue
        links = [lk for lk in ctx.links_from(device.name, Service.STORE) if not lk.sends]
        st = ctx.statement(device.name)
        if not links or st is None:
            continue
        classes = ctx.storage_classes(st, Role.SCU)
        if len(classes) < 2:
            continue
        first = ctx.cap(st, classes[0], Role.SCU)
        prov = first.provenance[0] if first is not None and first.provenance else None
        targets = ", ".join(sorted({lk.target for lk in links}))
        out.append(
            finding(
                "sends-not-given",
                Severity.INFO,
                f"{device.name}: checked all {len(classes)} storage classes its statement lists as SCU; add "
                "`sends:` to check what this site uses",
                source=device.name,
                service="store",
                evidence=[
                    inventory_evidence(
                        ctx.inventory, device, f"{device.name} has no `sends` in the inventory"
                    ),
                    Evidence(device.name, st.source, f"{len(classes)} storage SOP classes as SCU", prov),
                ],
                detail=f"The store links to {targets} were checked for every storage class {st.source} lists "
                "as SCU, which is what the device can send, not what it is configured to send here. Refusals "
                "of classes it may never send are reported as degrading.",
                fix=f"List the classes {device.name} really sends (`sends: [CT Image Storage, ...]` in YAML, "
                "column `sends` in a table).",
            )
        )
    return out
