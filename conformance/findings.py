"""What the matcher concludes: findings with both sides' evidence, and what was skipped.

Kept apart from the matcher so that reports, exports and the probe share one shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from conformance.model import Provenance, Statement


class Severity(StrEnum):
    BLOCKING = "blocking"  # will not work
    DEGRADING = "degrading"  # works partly, or depends on configuration / an option
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"blocking": 0, "degrading": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class Evidence:
    """One side's claim, with where it was read (None: the statement is silent)."""

    device: str
    statement: str  # statement file name, or "" for inventory facts
    claim: str
    provenance: Provenance | None = None


@dataclass
class Finding:
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
    change: str = ""  # what-if runs: "new" (appears with the candidate) or "resolved"
    # what-if runs: a resolved finding is shown as info; this keeps what it was (a fixed blocker)
    severity_before: Severity | None = None
    # the findings this one follows from (a broken workflow chain: its blocking link findings)
    causes: list[Finding] = field(default_factory=list, compare=False, repr=False)

    def sort_key(self) -> tuple:
        return (self.severity.rank, self.source, self.target, self.service, self.rule, self.title)


@dataclass(frozen=True)
class Skipped:
    """An input left out of the analysis, and why (shown in the report)."""

    item: str  # file, device or "inventory.csv row 7"
    reason: str


@dataclass
class Analysis:
    """Everything a report shows: inputs, findings and what could not be analyzed."""

    inventory: str
    devices: list[Any]  # inventory.Device
    links: list[Any]  # inventory.Link
    statements: dict[str, Statement]  # device name -> its statement
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    title: str = "DICOM conformance gap report"
    site: str = ""  # the inventory's site name, shown in the report heading
    generated_at: str = ""  # shown only when the caller passes one: reports stay deterministic

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=Finding.sort_key)

    def counts(self) -> dict[str, int]:
        return {s.value: sum(1 for f in self.findings if f.severity is s) for s in Severity}

    def worst(self, source: str, target: str) -> Severity | None:
        found = [f.severity for f in self.findings if f.source == source and f.target == target]
        return min(found, key=lambda s: s.rank) if found else None
