"""What ``--strict`` counts as a warning: anything a run produced but could not vouch for.

A normal run reports these and exits 0 (the report lists them); scripts that must not
accept a partial answer pass ``--strict`` and get exit status 2 when this list is not empty.
The warnings come in groups, because they are fixed in different places: inventory errors
(rows left out, cells ignored) in the inventory, statement warnings (unreadable or silent
statements, unresolved names) with the vendor, probe warnings on the network.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conformance.model import Statement
from conformance.rules import RULES, Family

if TYPE_CHECKING:  # only a type here: `parse` and `facts` must not load the site model (pydicom)
    from conformance.findings import Analysis

STRICT_EXIT = 2

# group -> how one of its lines is labelled on the console
GROUPS = {"inventory": "inventory error", "statements": "statement warning", "probe": "probe warning"}


def statement_warnings(st: Statement) -> list[str]:
    """Unresolved names and reader warnings of one statement, one line each."""
    out = []
    for u in st.unresolved:
        where = u.provenance.cite() if u.provenance else st.source
        out.append(f"{where}: unresolved {u.kind.replace('_', ' ')} {u.text!r}")
    out.extend(f"{st.source}: {w}" for w in st.warnings)
    return out


def grouped_warnings(analysis: Analysis) -> dict[str, list[str]]:
    """The run's warnings per group (see :data:`GROUPS`), one line each, every group present."""
    out: dict[str, list[str]] = {group: [] for group in GROUPS}
    for s in analysis.skipped:
        group = "inventory" if s.kind == "inventory" else "probe" if s.kind == "probe" else "statements"
        out[group].append(f"skipped {s.item}: {s.reason}")
    seen: set[int] = set()  # a shared statement once; a device's corrected copy on its own
    for name in sorted(analysis.statements):
        st = analysis.statements[name]
        if id(st) in seen:
            continue
        seen.add(id(st))
        out["statements"].extend(statement_warnings(st))
    for f in analysis.sorted_findings():
        rule = RULES[f.rule]
        if rule.warns:  # facts missing, rows/columns ignored (see conformance.rules)
            out["inventory" if rule.family is Family.INVENTORY else "statements"].append(f.title)
    return out


def analysis_warnings(analysis: Analysis) -> list[str]:
    """Skipped inputs, statement and inventory warnings, facts a statement is silent on; one line each."""
    return [line for lines in grouped_warnings(analysis).values() for line in lines]
