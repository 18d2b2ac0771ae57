"""What ``--strict`` counts as a warning: anything a run produced but could not vouch for.

A normal run reports these and exits 0 (the report lists them); scripts that must not
accept a partial answer pass ``--strict`` and get exit status 2 when this list is not empty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conformance.model import Statement
from conformance.rules import RULES

if TYPE_CHECKING:  # only a type here: `parse` and `facts` must not load the site model (pydicom)
    from conformance.findings import Analysis

STRICT_EXIT = 2


def statement_warnings(st: Statement) -> list[str]:
    """Unresolved names and reader warnings of one statement, one line each."""
    out = []
    for u in st.unresolved:
        where = u.provenance.cite() if u.provenance else st.source
        out.append(f"{where}: unresolved {u.kind.replace('_', ' ')} {u.text!r}")
    out.extend(f"{st.source}: {w}" for w in st.warnings)
    return out


def analysis_warnings(analysis: Analysis) -> list[str]:
    """Skipped inputs, statement and inventory warnings, facts a statement is silent on; one line each."""
    out = [f"skipped {s.item}: {s.reason}" for s in analysis.skipped]
    seen: set[int] = set()  # a shared statement once; a device's corrected copy on its own
    for name in sorted(analysis.statements):
        st = analysis.statements[name]
        if id(st) in seen:
            continue
        seen.add(id(st))
        out.extend(statement_warnings(st))
    for f in analysis.sorted_findings():
        if RULES[f.rule].warns:  # facts missing, rows/columns ignored (see conformance.rules)
            out.append(f.title)
    return out
