"""'Statement silent on X': facts a check needs but the statement does not give.

Silence is never a pass: a statement with no SOP classes stops the link checks for its
device (reported once per device pair, so the matrix shows it), and unresolved names, missing
max PDU or implementation identity are reported per device.
"""

from __future__ import annotations

import logging

from conformance.findings import Evidence, Finding, Severity
from conformance.matcher.common import Context, fact_evidence, finding, pair_finding, services_of
from conformance.model import Statement
from conformance.site import Link

LOGGER = logging.getLogger(__name__)


def empty(st: Statement) -> bool:
    return not st.capabilities()


def check_pair_silence(ctx: Context, links: list[Link], a: Statement, b: Statement) -> list[Finding]:
    """A device pair whose statements list no SOP class at all cannot be checked: say so once."""
    out = []
    for device, st in ((links[0].source, a), (links[0].target, b)):
        if empty(st):
            out.append(
                pair_finding(
                    "statement-silent-services",
                    Severity.DEGRADING,
                    f"{device}'s statement lists no SOP class: {services_of(links)} not checked",
                    links,
                    evidence=[Evidence(device, st.source, "no SOP class found in the statement")],
                    detail="The statement may be scanned, in an unsupported layout, or not a conformance "
                    "statement. Nothing about these links can be confirmed.",
                    fix=f"Check {st.source}, or get a readable statement from the vendor of {device}.",
                )
            )
    return out


def check_device_silence(ctx: Context) -> list[Finding]:
    """Per device with a statement and at least one link: unresolved names and missing scalars."""
    linked = {lk.source for lk in ctx.inventory.links} | {lk.target for lk in ctx.inventory.links}
    out: list[Finding] = []
    for device in sorted(linked):
        st = ctx.statement(device)
        if st is None or empty(st):
            continue
        if st.unresolved:
            names = sorted({u.text for u in st.unresolved})
            out.append(
                finding(
                    "statement-unresolved-names",
                    Severity.INFO,
                    f"{len(names)} name(s) in {device}'s statement did not resolve to a UID",
                    source=device,
                    service="statement",
                    evidence=[
                        Evidence(device, st.source, f"unresolved {u.kind}: {u.text}", u.provenance)
                        for u in sorted(st.unresolved, key=lambda u: (u.kind, u.text))[:10]
                    ],
                    detail="These rows were kept out of the match; a SOP class or transfer syntax the "
                    "device supports may be missing from the findings.",
                    fix=f"Check these names in {st.source}.",
                )
            )
        if st.max_pdu_receive is None:
            out.append(
                finding(
                    "max-pdu-unstated",
                    Severity.INFO,
                    f"{device}'s statement is silent on the maximum PDU size it receives",
                    source=device,
                    service="statement",
                    evidence=[fact_evidence(device, st, "maximum PDU received", None)],
                    fix=f"Ask the vendor of {device}; max PDU only affects throughput.",
                )
            )
    return out
