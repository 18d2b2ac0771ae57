"""The decisions at the top of a report: does each connection work, what to fix first, does a candidate fit.

Pure functions over the report's view of the findings (no rendering here), so that each
answer is tested on its own and a richer what-if result (per-connection before/after states)
can feed :func:`candidate_verdict` the same way the view does today.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from conformance.findings import Finding, Severity

if TYPE_CHECKING:  # the view's types; the view imports this module
    from conformance.report.view import FindingView, Group

LOGGER = logging.getLogger(__name__)

FIX_FIRST = 5  # "the five things to fix first"
CANDIDATE_REASONS = 3
NOT_CHECKED_RULE = "link-not-checked"  # the matcher's word for a link it could not check
WHAT_IF_RULE = "what-if-summary"
BLOCKING = Severity.BLOCKING.value


class ConnectionState(StrEnum):
    """A connection's verdict, worst first (the order is the rank)."""

    FAILS = "fails"
    UNCONFIRMED = "unconfirmed"
    UNCHECKED = "unchecked"
    CHANGES = "changes"
    WORKS = "works"

    @property
    def rank(self) -> int:
        return _STATE_RANK[self]


_STATE_RANK = {s: i for i, s in enumerate(ConnectionState)}

STATE_LABELS: dict[str, tuple[str, str]] = {
    "fails": ("Does not work", "A blocking problem stops it until it is fixed."),
    "unconfirmed": (
        "May not work",
        "Blocked only by what a statement does not say: ask the vendor before relying on it.",
    ),
    "unchecked": ("Not checked", "A device on it has no usable statement."),
    "changes": ("Works with changes", "Works after configuration, or with reduced quality."),
    "works": ("Works", "Nothing found that needs a change."),
}
STATE_SYMBOLS = {"fails": "✕", "unconfirmed": "?", "unchecked": "–", "changes": "!", "works": "✓"}
STATE_PHRASES: dict[str, tuple[str, str]] = {  # after a number: one, several
    "fails": ("does not work", "do not work"),
    "unconfirmed": ("may not work", "may not work"),
    "unchecked": ("was not checked", "were not checked"),
    "changes": ("works with changes", "work with changes"),
    "works": ("works", "work"),
}


def count(n: int, noun: str) -> str:
    """'1 finding', '3 findings', '2 SOP classes': procurement reads this, not 'finding(s)'."""
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {noun}es" if noun.endswith(("s", "x", "ch", "sh")) else f"{n} {noun}s"


def connection_state(findings: Iterable[Finding]) -> ConnectionState:
    """The verdict on one connection from its findings (a silent statement never fails it outright)."""
    blocking: list[Finding] = []
    unchecked = degrading = False
    for f in findings:
        if f.severity is Severity.BLOCKING:
            blocking.append(f)
        elif f.rule == NOT_CHECKED_RULE:
            unchecked = True
        elif f.severity is Severity.DEGRADING:
            degrading = True
    if blocking:
        return ConnectionState.UNCONFIRMED if all(f.unconfirmed for f in blocking) else ConnectionState.FAILS
    if unchecked:
        return ConnectionState.UNCHECKED
    return ConnectionState.CHANGES if degrading else ConnectionState.WORKS


# -- fix first --------------------------------------------------------------------------------
@dataclass
class FixItem:
    """One problem to fix: the same finding on every connection it occurs on (same statements)."""

    findings: list[FindingView]  # page order; the first is shown in full in the report
    connections: list[Group]  # the inventory connections it is on
    unblocks: list[Group] = field(default_factory=list)  # connections no longer blocked once fixed
    unblocks_chains: list[FindingView] = field(default_factory=list)  # broken workflow chains it mends

    @property
    def lead(self) -> FindingView:
        return self.findings[0]

    @property
    def severity(self) -> str:
        return self.lead.severity

    @property
    def score(self) -> int:
        return len(self.unblocks) + len(self.unblocks_chains)

    @property
    def effect(self) -> str:
        """What fixing it achieves, in words (the ranking's reason)."""
        if self.score:
            parts = [count(len(self.unblocks), "connection")] if self.unblocks else []
            if self.unblocks_chains:
                parts.append(count(len(self.unblocks_chains), "workflow chain"))
            return "Unblocks " + " and ".join(parts) + "."
        if self.severity != Severity.BLOCKING.value:
            return "Blocks nothing; fixing it gives full quality or removes a workaround."
        if self.connections:
            return "Blocking; other problems on the same connections need fixing too."
        return "Blocking; about the devices themselves rather than one connection."


def fix_items(problems: Sequence[Sequence[FindingView]], groups: Sequence[Group]) -> list[FixItem]:
    """Every blocking or degrading problem a change can fix, ranked (see :func:`rank`).

    A finding that follows from others (a broken workflow chain: its causes) is not a thing to
    fix, nor is a resolved what-if finding. Fixing a problem unblocks the inventory connections
    whose blocking findings all belong to it, and the broken workflow chains whose causes do.
    """
    group_of = {g.anchor: g for g in groups}
    problem_of = {id(fv): n for n, problem in enumerate(problems) for fv in problem}

    def sole(fvs: Iterable[FindingView]) -> int | None:
        """The one problem all these findings belong to, if there is one."""
        found = {problem_of.get(id(fv), -1) for fv in fvs}
        return found.pop() if len(found) == 1 and -1 not in found else None

    unblocks: dict[int, list[Group]] = defaultdict(list)
    chains: dict[int, list[FindingView]] = defaultdict(list)
    for g in groups:
        n = sole(fv for fv in g.findings if fv.severity == BLOCKING) if g.linked else None
        if n is not None:
            unblocks[n].append(g)
        for fv in g.findings:
            if fv.causes and fv.severity == BLOCKING and (n := sole(fv.causes)) is not None:
                chains[n].append(fv)
    out: list[FixItem] = []
    for n, problem in enumerate(problems):
        lead = problem[0]
        if lead.severity == Severity.INFO.value or lead.causes or lead.change == "resolved":
            continue
        touched = {fv.group_anchor: group_of[fv.group_anchor] for fv in problem}
        connections = [g for g in touched.values() if g.linked]
        out.append(FixItem(list(problem), connections, unblocks.get(n, []), chains.get(n, [])))
    return rank(out)


def rank(items: Iterable[FixItem]) -> list[FixItem]:
    """Most connections and chains unblocked first; then blocking before degrading, the problem
    on more connections, and page order (the lead finding's id) so that ties stay stable."""
    return sorted(
        items,
        key=lambda it: (
            -it.score,
            Severity(it.severity).rank,
            -len(it.connections),
            it.lead.number,
        ),
    )


# -- the candidate ---------------------------------------------------------------------------
class Fit(StrEnum):
    FITS = "fits"
    FITS_AFTER_CHANGES = "fits-after-changes"
    DOES_NOT_FIT = "does-not-fit"


@dataclass
class CandidateVerdict:
    """Does the device of a what-if fit the site: its blocking problems and the changes it needs."""

    device: str
    fit: Fit
    blocking: list[FixItem]  # ranked
    changes: list[FixItem]  # ranked: degrading problems, each a change to make
    resolved: int = 0  # findings of the site it resolves (a replacement)

    @property
    def reasons(self) -> list[FixItem]:
        """The main reasons behind the verdict: what blocks it, else the changes it needs."""
        return (self.blocking or self.changes)[:CANDIDATE_REASONS]

    @property
    def headline(self) -> str:
        if self.fit is Fit.DOES_NOT_FIT:
            n = len(self.blocking)
            return f"Does not fit: {n} {'problem blocks' if n == 1 else 'problems block'} it."
        if self.fit is Fit.FITS_AFTER_CHANGES:
            n = len(self.changes)
            return f"Fits after {n} {'change' if n == 1 else 'changes'}."
        return "Fits: nothing found that needs a change."


def candidate_device(findings: Iterable[FindingView]) -> str | None:
    """The device a what-if run is about: the one its summary finding names.

    Until the what-if result says so itself (the pipeline is being reworked), the summary the
    pipeline adds is the only typed record of it.
    """
    for fv in findings:
        if fv.finding.rule == WHAT_IF_RULE and fv.change == "new":
            return fv.finding.source
    return None


def candidate_verdict(device: str, fixes: Iterable[FixItem], *, resolved: int = 0) -> CandidateVerdict:
    """The verdict from the problems the candidate brings (fix items of its new findings).

    Blocking problems make it not fit as stated; degrading ones are the changes it needs.
    """
    items = list(fixes)
    blocking = [it for it in items if it.severity == Severity.BLOCKING.value]
    changes = [it for it in items if it.severity == Severity.DEGRADING.value]
    fit = Fit.DOES_NOT_FIT if blocking else Fit.FITS_AFTER_CHANGES if changes else Fit.FITS
    return CandidateVerdict(device, fit, blocking, changes, resolved)


def involves(fv: FindingView, device: str) -> bool:
    """A new finding of a what-if run that is about ``device`` (not the run's own summary)."""
    f = fv.finding
    return fv.change == "new" and f.rule != WHAT_IF_RULE and device in (f.source, f.target)
