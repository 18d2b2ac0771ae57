"""``conformance explain``: why an association failed, from its log and the statements.

The job: read each log (:mod:`.readers` detects DCMTK, pynetdicom or Orthanc), find who
the AE titles are (:mod:`.parties`: inventory devices and their statements, or statements
given directly), explain every association (:mod:`.rules`) and hand the result to the
report (:mod:`.render`). A log that cannot be read is one line naming it and is listed as
skipped; the other logs are still explained.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from conformance.explain.model import Association, LogError, LogFile, Side
from conformance.explain.parties import Site, load_site
from conformance.explain.readers import read_log
from conformance.explain.rules import RULES, Explained, explain_association
from conformance.findings import Finding, Skipped

LOGGER = logging.getLogger(__name__)

__all__ = ["RULES", "Explanation", "explain_logs", "read_log"]


@dataclass
class Explanation:
    """Every log read, every association explained, and what was left out."""

    logs: list[LogFile]
    explained: list[Explained]
    site: Site
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[LogError] = field(default_factory=list)  # logs that could not be read

    @property
    def associations(self) -> list[Association]:
        return [e.association for e in self.explained]

    @property
    def findings(self) -> list[Finding]:
        return [f for e in self.explained for f in e.findings]


def _accepted_titles(log: LogFile) -> list[str]:
    """The called AE titles a server's log accepted (what it answers to), in log order."""
    titles = [
        a.called_ae
        for a in log.associations
        if a.side is Side.ACCEPTOR and a.answered and a.rejection is None and a.called_ae
    ]
    return list(dict.fromkeys(titles))


def explain_logs(
    logs: list[Path],
    *,
    inventory: Path | None = None,
    statements: list[str] | None = None,
    use_cache: bool = True,
) -> Explanation:
    """Read and explain ``logs``; an unreadable inventory raises, unreadable logs are skipped."""
    read: list[LogFile] = []
    errors: list[LogError] = []
    skipped: list[Skipped] = []
    for path in logs:
        try:
            log = read_log(path)
        except LogError as exc:
            errors.append(exc)
            skipped.append(Skipped(Path(exc.path).name, exc.problem))
            continue
        read.append(log)
        if not log.associations:
            skipped.append(Skipped(log.name, f"{log.format.value} log with no association in it"))
    titles = {t for log in read for a in log.associations for t in (a.calling_ae, a.called_ae) if t}
    site = load_site(inventory, list(statements or []), titles=titles, use_cache=use_cache)
    explained = []
    noted: set[tuple[object, ...]] = set()
    for log in read:
        accepted = _accepted_titles(log)
        explained += [explain_association(a, site, accepted, noted) for a in log.associations]
    return Explanation(read, explained, site, skipped + site.skipped, errors)
