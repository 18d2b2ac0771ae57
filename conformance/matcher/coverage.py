"""What a statement names but its reader did not use: a warning that a check may be incomplete.

The parser keeps a coverage account (:class:`~conformance.model.Coverage`): SOP classes and
transfer syntaxes the statement names or writes that no extracted service carries. A statement
that lists transfer syntaxes no service got most likely has a presentation-context table or a
statement-wide list the reader missed, so "no common transfer syntax" (or its absence) for that
device rests on less than the statement says. Said once per device, with where the unused names
were first seen.
"""

from __future__ import annotations

import logging

from conformance.findings import Evidence, Finding, Severity
from conformance.matcher.common import Context, finding, short_list

LOGGER = logging.getLogger(__name__)

CITED_MAX = 6  # first sightings quoted as evidence; the detail names them all


def check_coverage(ctx: Context) -> list[Finding]:
    """Per linked device whose statement lists transfer syntaxes that no service got: one warning."""
    out: list[Finding] = []
    for device, st in ctx.linked_statements():
        unused = st.coverage.unattached_transfer_syntaxes
        if not unused:
            continue
        names = [s.name or s.uid for s in unused]
        out.append(
            finding(
                "statement-unused-transfer-syntaxes",
                Severity.INFO,
                f"{device}'s statement lists {len(unused)} transfer syntax(es) that no service was read with",
                source=device,
                service="statement",
                evidence=[
                    Evidence(device, st.source, f"names {s.name or s.uid} ({s.places} place(s))", s.first)
                    for s in unused[:CITED_MAX]
                ],
                detail=f"Not attached to any SOP class: {short_list(names)}. A presentation-context table or "
                "a statement-wide syntax list was probably not read, so transfer-syntax findings for "
                f"{device} may be incomplete or wrong.",
                fix=f"Check the cited pages of {st.source}; add what it supports with a corrections file "
                "(docs/statements-as-data.md).",
            )
        )
    return out
