"""What the matcher concludes: findings with both sides' evidence, and what was skipped.

Kept apart from the matcher so that reports, exports and the probe share one shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from conformance.model import Provenance, Statement
from conformance.rules import RULES, Severity
from conformance.site import Device, Inventory, Link

__all__ = ["Analysis", "Evidence", "Finding", "Severity", "Skipped", "count_severities"]


@dataclass(frozen=True)
class Evidence:
    """One side's claim, with where it was read (None: the statement is silent)."""

    device: str
    statement: str  # statement file name, or "" for inventory facts
    claim: str
    provenance: Provenance | None = None


@dataclass(kw_only=True)
class Finding:
    """One problem (or note) about a link, a device or the site, with both sides' evidence.

    Keyword-only: a dozen string fields given by position are too easy to swap. ``rule`` must be
    an id of the catalogue in :mod:`conformance.rules`.
    """

    rule: str  # stable identifier, e.g. "sop-class-not-accepted"
    severity: Severity
    title: str
    detail: str = ""
    fix: str = ""
    source: str = ""  # device that initiates (or the device concerned)
    target: str = ""  # device that accepts ("" for single-device findings)
    service: str = ""  # link service: store, worklist, mpps, commitment, query, retrieve, print ...
    chain: str = ""  # workflow chain name, when reported on a chain
    evidence: list[Evidence] = field(default_factory=list)
    change: str = ""  # what-if runs: "new", "changed", "resolved" or "moved" (see conformance.whatif)
    # what the finding is about, when it concerns several SOP classes or transfer syntaxes (one
    # finding per problem, listing them: "does not accept 20 of the 193 classes CT sends")
    sop_classes: list[str] = field(default_factory=list)
    transfer_syntaxes: list[str] = field(default_factory=list)
    # it rests on a side being silent (nothing stated), not on a stated contradiction
    unconfirmed: bool = False
    # what-if runs: a resolved finding is shown as info, a changed one may be worse or better;
    # this keeps the severity it had before the candidate (a fixed blocker)
    severity_before: Severity | None = None
    # the findings this one follows from (a broken workflow chain: its blocking link findings)
    causes: list[Finding] = field(default_factory=list, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"rule {self.rule!r} is not in the catalogue (conformance/rules.py)")

    def sort_key(self) -> tuple[int, str, str, str, str, str]:
        return (self.severity.rank, self.source, self.target, self.service, self.rule, self.title)


def count_severities(findings: Iterable[Finding]) -> dict[str, int]:
    """Findings per severity value, every severity present (in rank order), for summaries."""
    out = {s.value: 0 for s in Severity}
    for f in findings:
        out[f.severity.value] += 1
    return out


@dataclass(frozen=True)
class Skipped:
    """An input left out of the analysis, and why (shown in the report)."""

    item: str  # file, device or "inventory.csv row 7"
    reason: str
    kind: str = ""  # "inventory" (a row), "statement" (a device's statement), "probe": --strict groups them


@dataclass
class Analysis:
    """Everything a report shows: the site, its statements, findings and what was skipped."""

    inventory: Inventory
    statements: dict[str, Statement]  # device name -> its statement
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    title: str = "DICOM conformance gap report"
    label: str = ""  # what was analyzed, as reports name it; default: the inventory's file name
    generated_at: str = ""  # shown only when the caller passes one: reports stay deterministic

    def __post_init__(self) -> None:
        self.label = self.label or self.inventory.path.name

    @property
    def devices(self) -> list[Device]:
        return self.inventory.devices

    @property
    def links(self) -> list[Link]:
        return self.inventory.links

    @property
    def site(self) -> str:
        """The inventory's site name, shown in the report heading."""
        return self.inventory.site

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=Finding.sort_key)

    def counts(self) -> dict[str, int]:
        return count_severities(self.findings)

    def worst(self, source: str, target: str) -> Severity | None:
        found = [f.severity for f in self.findings if f.source == source and f.target == target]
        return min(found, key=lambda s: s.rank) if found else None
