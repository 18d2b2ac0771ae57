"""One finding per problem: how the report groups findings, and the items a finding lists.

The matcher reports one finding per (rule, link, direction) and names the SOP classes or
transfer syntaxes concerned (``Finding.sop_classes`` / ``transfer_syntaxes``, with evidence per
class). A rule that still reports one finding per class (a rule not grouped yet, the live
probe) would bury the reader in copies ("352 problems" that are two), so :func:`merge` shows
findings of one rule on one connection and direction as one finding too. The originals are
kept as its *cases*, each with its own title and evidence, and the JSON says how many were
merged: nothing is lost, and once every rule groups its findings this step changes nothing.

:func:`problem_key` goes one step further for the reader's decisions: the same finding between
the same two statements on several connections (two scanners of one model sending to one
archive) is one problem to fix, shown in full once and referred to elsewhere.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from conformance.findings import Evidence, Finding
from conformance.model import Provenance
from conformance.uids import uid_name

LOGGER = logging.getLogger(__name__)

MergeKey = tuple[str, str, str, str, str, str, str, bool]


def merge_key(f: Finding) -> MergeKey:
    """Findings equal in this key are one problem: same rule, connection, direction, service,
    severity, what-if change and chain, and equally confirmed (silence is never mixed with a
    stated contradiction)."""
    return (f.rule, f.source, f.target, f.service, f.severity.value, f.change, f.chain, f.unconfirmed)


@dataclass
class Merged:
    """What the report shows as one finding, and the analyzer findings it stands for."""

    finding: Finding
    members: list[Finding]  # [finding] itself unless several were merged


def merge(findings: Iterable[Finding]) -> list[Merged]:
    """Findings in the order given; those sharing a :func:`merge_key` become one, at the first's place."""
    by_key: dict[MergeKey, list[Finding]] = {}
    for f in findings:
        by_key.setdefault(merge_key(f), []).append(f)
    return [Merged(_combine(members), members) for members in by_key.values()]


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _combine(members: list[Finding]) -> Finding:
    first = members[0]
    if len(members) == 1:
        return first
    n = len(members)
    titles = {m.title for m in members}
    details = {m.detail for m in members}
    fixes = {m.fix for m in members}
    causes: dict[int, Finding] = {}
    for m in members:
        for c in m.causes:
            causes.setdefault(id(c), c)
    return Finding(
        rule=first.rule,
        severity=first.severity,
        title=first.title if len(titles) == 1 else f"{first.title}, and {n - 1} more like it",
        detail=first.detail if len(details) == 1 else "",
        fix=first.fix if len(fixes) == 1 else f"{first.fix} (Likewise for the other {n - 1} cases.)",
        source=first.source,
        target=first.target,
        service=first.service,
        chain=first.chain,
        evidence=[e for m in members for e in m.evidence],
        change=first.change,
        sop_classes=_unique(u for m in members for u in m.sop_classes),
        transfer_syntaxes=_unique(u for m in members for u in m.transfer_syntaxes),
        unconfirmed=first.unconfirmed,
        causes=list(causes.values()),
    )


# -- the items a finding lists ---------------------------------------------------------------
@dataclass
class Item:
    """One SOP class or transfer syntax a finding concerns, or one merged case, with its evidence."""

    kind: str  # "sop_class" | "transfer_syntax" | "case"
    uid: str  # the UID ("" for a case that names none)
    name: str  # dictionary name, or the case's title
    evidence: list[Evidence]


def items(m: Merged) -> tuple[list[Item], list[Evidence]]:
    """The items to list in a finding's collapsible block, and the evidence shown outside it.

    Merged findings list their cases. A finding naming several classes or syntaxes lists them,
    each with the evidence that names it (the matcher writes one claim per class and side, with
    the class's dictionary name or UID in it); evidence naming none stays with the finding. A
    finding about one class or none lists nothing: its evidence table says it all.
    """
    if len(m.members) > 1:
        cases = [
            Item("case", " ".join(f.sop_classes or f.transfer_syntaxes), f.title, list(f.evidence))
            for f in m.members
        ]
        return cases, []
    f = m.finding
    entries = [Item("sop_class", u, uid_name(u), []) for u in _unique(f.sop_classes)]
    entries += [Item("transfer_syntax", u, uid_name(u), []) for u in _unique(f.transfer_syntaxes)]
    if len(entries) < 2:
        return [], list(f.evidence)
    # longest name first: "Enhanced CT Image Storage" must not be taken for "CT Image Storage";
    # a claim about a class also lists its syntaxes, so classes are tried before syntaxes
    order = sorted(entries, key=lambda it: (it.kind != "sop_class", -len(it.name)))
    rest: list[Evidence] = []
    for e in f.evidence:
        owner = next((it for it in order if it.uid in e.claim or it.name in e.claim), None)
        (owner.evidence if owner is not None else rest).append(e)
    return entries, rest


# -- the same problem on several connections ---------------------------------------------------
def problem_key(f: Finding, statement_of: Mapping[str, str]) -> tuple[object, ...]:
    """Equal for the same finding between the same two statements, whichever devices run them.

    The two device names are replaced by placeholders in every text; a device without a
    statement keeps its name (nothing says another device has the same problem). The workflow
    chain a link finding is on is left out: it names other devices, not the problem.
    """
    names = sorted({n for n in (f.source, f.target) if n}, key=len, reverse=True)
    marks = {f.source: "\x00source\x00", f.target: "\x00target\x00"}

    def norm(text: str) -> str:
        for n in names:
            text = text.replace(n, marks[n])
        return text

    def side(name: str) -> str:
        if not name:
            return ""
        return statement_of.get(name) or f"\x00device {name}"

    evidence = tuple(
        (marks.get(e.device, e.device), e.statement, norm(e.claim), prov_key(e.provenance))
        for e in f.evidence
    )
    return (
        f.rule,
        f.service,
        f.severity.value,
        f.change,
        f.unconfirmed,
        side(f.source),
        side(f.target),
        *(norm(x) for x in (f.title, f.detail, f.fix)),
        tuple(f.sop_classes),
        tuple(f.transfer_syntaxes),
        evidence,
    )


ProvKey = tuple[str, int, int, str, str]  # a quoted passage: file, page, line, section, text


def prov_key(p: Provenance | None) -> ProvKey:
    if p is None:
        return ("", 0, 0, "", "")
    return (p.file, p.page or 0, p.line or 0, p.section, p.text)


def same_problems(findings: Sequence[Finding], statement_of: Mapping[str, str]) -> list[list[int]]:
    """Indexes of ``findings`` grouped by :func:`problem_key`, groups and members in input order."""
    groups: dict[tuple[object, ...], list[int]] = {}
    for i, f in enumerate(findings):
        groups.setdefault(problem_key(f, statement_of), []).append(i)
    return list(groups.values())
