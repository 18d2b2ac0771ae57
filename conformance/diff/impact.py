"""What an upgrade from OLD to NEW changes at a site: the matcher's what-if, read per link.

Nothing is matched here. :func:`conformance.pipeline.run_check` replaces the device's
statement (OLD as the baseline, NEW as the candidate) and marks each finding that appears
with NEW as ``new`` and each that disappears as ``resolved``; this module only groups those
by link so the diff report can say which links a removal breaks and which an addition fixes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from conformance.findings import Analysis, Finding, Severity, Skipped
from conformance.pipeline import run_check
from conformance.report.view import strip_dirs

LOGGER = logging.getLogger(__name__)

SUMMARY_RULE = "what-if-summary"  # the pipeline's own one-line account, not a link's finding


@dataclass
class LinkImpact:
    """The findings one link (or chain, or the device on its own) gains and loses with NEW."""

    label: str  # "CT-A → PACS (store)", "workflow chain ...", "PACS (device)"
    source: str
    target: str
    service: str
    chain: str
    new: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)
    # a problem there before and after, whose content changed (a broken chain now broken elsewhere)
    changed: list[Finding] = field(default_factory=list)

    @property
    def worst(self) -> str:
        """'blocking' / 'degrading' / 'info' for the worst new finding, 'fixed' when only fixes,
        'changed' when the link's problems are the same ones, differently."""
        if self.new:
            return min((f.severity for f in self.new), key=lambda s: s.rank).value
        return "fixed" if self.resolved else "changed"

    def sort_key(self) -> tuple[int, str]:
        ranks = {"blocking": 0, "degrading": 1, "info": 2, "changed": 3, "fixed": 4}
        return (ranks[self.worst], self.label)


@dataclass
class SiteImpact:
    inventory: str  # file name only: a report must not reveal local folders
    site: str
    device: str
    links: list[LinkImpact] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        new = [f for lk in self.links for f in lk.new]
        out = {s.value: sum(1 for f in new if f.severity is s) for s in Severity}
        out["resolved"] = sum(len(lk.resolved) for lk in self.links)
        out["changed"] = sum(len(lk.changed) for lk in self.links)
        return out


def resolved_title(f: Finding) -> str:
    """The resolved finding's own title (the pipeline prefixes 'Resolved: ' for its report)."""
    return f.title.removeprefix("Resolved: ")


def _label(f: Finding) -> str:
    if f.chain and not f.target:
        return f"workflow chain {f.chain}"
    if f.target:
        return f"{f.source} → {f.target}" + (f" ({f.service})" if f.service else "")
    return f"{f.source or 'whole site'} (device)"


def impact_of(analysis: Analysis, device: str) -> SiteImpact:
    """Group a replacement what-if's new and resolved findings by link."""
    links: dict[str, LinkImpact] = {}
    for f in analysis.findings:
        if f.rule == SUMMARY_RULE or f.change not in ("new", "resolved", "changed"):
            continue
        label = _label(f)
        link = links.setdefault(label, LinkImpact(label, f.source, f.target, f.service, f.chain))
        worse = f.change == "changed" and f.severity_before and f.severity.rank < f.severity_before.rank
        {"new": link.new, "resolved": link.resolved, "changed": link.changed}[
            "new" if worse else f.change
        ].append(f)
    for link in links.values():
        link.new.sort(key=Finding.sort_key)
        link.changed.sort(key=Finding.sort_key)
        link.resolved.sort(key=lambda f: ((f.severity_before or f.severity).rank, f.rule, f.title))
    return SiteImpact(
        inventory=analysis.label,
        site=analysis.site,
        device=device,
        links=sorted(links.values(), key=LinkImpact.sort_key),
        # file names only, as in the gap report: a report handed to a vendor shows no local folders
        skipped=[Skipped(strip_dirs(s.item), strip_dirs(s.reason)) for s in analysis.skipped],
    )


def site_impact(
    inventory: str | Path, device: str, old: str | Path, new: str | Path, *, use_cache: bool = True
) -> SiteImpact:
    """Replace ``device``'s statement: OLD is what it runs today, NEW what it will run."""
    analysis = run_check(inventory, candidate=new, replace=device, baseline=old, use_cache=use_cache)
    impact = impact_of(analysis, device)
    LOGGER.info("site impact of %s on %s: %s", PurePath(new).name, device, impact.counts())
    return impact
