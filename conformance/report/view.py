"""The report's view of an Analysis: stable ids, groups, matrix and evidence index.

HTML, JSON and CSV are all rendered from one :class:`ReportView`, so that a finding has
the same id ("F-007") everywhere and the three exports never disagree. Everything here
is ordered by rules (severity, inventory order, names), never by dict or set order, so
the same inputs give byte-identical reports.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePath

from markupsafe import Markup

from conformance.findings import Analysis, Evidence, Finding, Severity, count_severities
from conformance.model import Fact, Provenance, Statement
from conformance.rules import RULES, Rule
from conformance.site import AE, Device

LOGGER = logging.getLogger(__name__)

# Above this many devices a device x device grid is unreadable (and huge): the report
# shows the list of connections instead, which carries the same colours and links.
MATRIX_MAX_DEVICES = 40
# The evidence index links each quoted passage back to at most this many findings: one
# archive's storage table can be cited by hundreds of findings on a large site.
CITED_MAX = 25

SEVERITY_LABELS: dict[str, tuple[str, str]] = {
    "blocking": ("Blocking", "Will not work until fixed."),
    "degrading": ("Degrading", "Works, but with reduced quality or only after configuration."),
    "info": ("Note", "Worth knowing; no action needed to connect."),
}
OK_LABEL = ("No problem found", "Both statements agree on everything checked for this connection.")
CHANGE_LABELS = {
    "new": "New with the candidate",
    "changed": "Changed by the candidate",
    "resolved": "Resolved by the candidate",
    "moved": "Not resolved: stops earlier",
}
SYMBOLS = {"blocking": "✕", "degrading": "!", "info": "i", "ok": "✓"}
ProvKey = tuple[str, int, int, str, str]  # a quoted passage: file, page, line, section, text


def _badges() -> dict[str, Markup]:
    """Severity badges as markup, built once from the constant labels above (no input text)."""
    labels = {**{k: v[0] for k, v in SEVERITY_LABELS.items()}, "ok": OK_LABEL[0]}
    return {k: Markup('<span class="badge {}">{}</span>').format(k, v) for k, v in labels.items()}


# An absolute path (POSIX or Windows) inside a message: reports show the file name only, so
# that a report handed to a vendor does not reveal the author's folders.
_ABS_PATH = re.compile(r"""(?<![\w.:/\\])(?:[A-Za-z]:)?(?:[\\/][^\n\\/:"'<>|]+)+[\\/]([^\s\\/:"'<>|]+)""")


def count(n: int, noun: str) -> str:
    """'1 finding', '3 findings': procurement reads this, not 'finding(s)'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def strip_dirs(text: str) -> str:
    """'/home/x/site/ct.pdf: no such file' -> 'ct.pdf: no such file'."""
    return _ABS_PATH.sub(r"\1", text)


def _value(fact: Fact[str] | None) -> str:
    """A Fact's value as text ('' when the statement is silent)."""
    return "" if fact is None or fact.value is None else str(fact.value)


@dataclass
class CorrectionRow:
    """One site correction applied to a device's statement (conformance.corrections)."""

    summary: str
    reason: str
    file: str
    line: int | None
    cite: str
    changed: bool


@dataclass
class DeviceRow:
    index: int  # 1-based, as shown in the matrix headings
    name: str
    role: str
    aes: list[str]
    statement_file: str
    vendor: str
    product: str
    version: str
    analyzed: bool
    note: str  # why it is not analyzed, or unresolved-name count
    statement_anchor: str  # evidence index section of its statement ("" if none)
    corrections: list[CorrectionRow] = field(default_factory=list)


@dataclass
class EvidenceView:
    device: str
    statement: str
    claim: str
    cite: str
    page: int | None
    line: int | None
    section: str
    text: str
    silent: bool  # the statement says nothing that supports the claim
    entry: EvidenceEntry | None = None  # its quote in the evidence index

    @property
    def anchor(self) -> str:
        return self.entry.anchor if self.entry else ""


@dataclass
class FindingView:
    id: str
    anchor: str
    finding: Finding
    evidence: list[EvidenceView]
    group_anchor: str
    chain_anchor: str = ""
    severity: str = ""  # the finding's severity value, read once (the template asks often)
    causes: list[FindingView] = field(default_factory=list)  # its root-cause findings' views

    def __post_init__(self) -> None:
        self.severity = self.finding.severity.value

    @property
    def rule(self) -> Rule:
        """The finding's catalogue entry (its one-line meaning is shown beside the id)."""
        return RULES[self.finding.rule]

    @property
    def change(self) -> str:
        """What-if runs: "new" (appears with the candidate) or "resolved" ("" otherwise)."""
        return self.finding.change


@dataclass
class Group:
    """The findings of one connection (source -> target), one device, or the whole site."""

    anchor: str
    kind: str  # "link" | "device" | "site"
    source: str
    target: str
    services: list[str]
    findings: list[FindingView] = field(default_factory=list)

    @property
    def worst(self) -> str | None:
        return self.findings[0].severity if self.findings else None

    @property
    def heading(self) -> str:
        if self.kind == "link":
            return f"{self.source} → {self.target}"
        if self.kind == "device":
            return self.source
        return "Whole site"

    def counts(self) -> dict[str, int]:
        return count_severities(fv.finding for fv in self.findings)


@dataclass
class Chain:
    name: str
    anchor: str
    findings: list[FindingView]

    @property
    def worst(self) -> str:
        return self.findings[0].severity


@dataclass
class Cell:
    status: str  # severity value, "ok" (linked, no finding), "" (no link)
    anchor: str
    count: int
    title: str


@dataclass
class EvidenceEntry:
    anchor: str
    cite: str
    page: int | None
    line: int | None
    section: str
    text: str
    finding_ids: list[tuple[str, str]]  # (id, anchor)


@dataclass
class StatementSection:
    file: str
    anchor: str
    devices: list[str]
    entries: list[EvidenceEntry]
    unresolved: list[tuple[str, str, str]]  # (kind, text, cite)
    is_inventory: bool = False  # inventory facts cited as evidence (AE titles, ports ...)
    corrects: list[str] = field(default_factory=list)  # a site corrections file: the devices it corrects
    warnings: list[str] = field(
        default_factory=list
    )  # what its reader left out or doubted (facts entries ...)


@dataclass
class ReportView:
    title: str
    site: str
    inventory: str
    generated_at: str
    counts: dict[str, int]
    devices: list[DeviceRow]
    findings: list[FindingView]
    groups: list[Group]
    chains: list[Chain]
    matrix: list[tuple[DeviceRow, list[Cell]]] | None
    skipped: list[tuple[str, str]]
    statements: list[StatementSection]
    silent_count: int
    labels: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(SEVERITY_LABELS))
    ok_label: tuple[str, str] = OK_LABEL
    change_labels: dict[str, str] = field(default_factory=lambda: dict(CHANGE_LABELS))
    badges: dict[str, Markup] = field(default_factory=_badges)
    symbols: dict[str, str] = field(default_factory=lambda: dict(SYMBOLS))
    cited_max: int = CITED_MAX

    @property
    def link_groups(self) -> list[Group]:
        return [g for g in self.groups if g.kind == "link"]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def finding_order(f: Finding) -> tuple[object, ...]:
    """Full sort key: the Finding's own key, then everything else it shows (ties stay stable)."""
    ev = tuple((e.device, e.statement, e.claim, _prov_key(e.provenance)) for e in f.evidence)
    return (*f.sort_key(), f.chain, f.detail, f.fix, ev)


def _prov_key(p: Provenance | None) -> ProvKey:
    if p is None:
        return ("", 0, 0, "", "")
    return (p.file, p.page or 0, p.line or 0, p.section, p.text)


def _statement_file(device: Device, statements: dict[str, Statement]) -> str:
    st = statements.get(device.name)
    if st is not None:
        return st.source
    return PurePath(device.statement).name if device.statement else ""


def _ae_text(ae: AE) -> str:
    title, host, port = ae.title, ae.host, ae.port
    where = f"{host}:{port}" if host and port else (host or (f"port {port}" if port else ""))
    return f"{title} @ {where}" if title and where else (title or where)


def build_view(analysis: Analysis, *, generated_at: str | None = None) -> ReportView:
    """Turn an Analysis into everything the exports show, with stable ids and order."""
    devices_in = list(analysis.devices)
    statements = analysis.statements
    skipped_reason: dict[str, str] = {}
    skipped = [(strip_dirs(s.item), strip_dirs(s.reason)) for s in analysis.skipped]
    for item, reason in skipped:
        skipped_reason.setdefault(item, reason)

    # Device order is the inventory's; names that only findings mention come after, sorted.
    order: dict[str, int] = {}
    for d in devices_in:
        order.setdefault(d.name, len(order))
    extra = sorted(
        {n for f in analysis.findings for n in (f.source, f.target) if n and n not in order}
        | {n for lk in analysis.links for n in (lk.source, lk.target) if n and n not in order}
    )
    for name in extra:
        order[name] = len(order)

    findings = sorted(analysis.findings, key=finding_order)

    # Groups: one per connection (inventory links included even when clean), per device, site.
    groups: dict[tuple[str, str], Group] = {}

    def group(source: str, target: str) -> Group:
        key = (source, target)
        g = groups.get(key)
        if g is None:
            if target:
                kind, anchor = "link", f"link-{order[source] + 1}-{order[target] + 1}"
            elif source:
                kind, anchor = "device", f"device-{order[source] + 1}"
            else:
                kind, anchor = "site", "site"
            g = groups[key] = Group(anchor, kind, source, target, [])
        return g

    for lk in analysis.links:
        if lk.source and lk.target:
            g = group(lk.source, lk.target)
            service = lk.service.value
            if service and service not in g.services:
                g.services.append(service)
    for f in findings:
        g = group(f.source, f.target) if f.source else group("", "")
        g.findings.append(FindingView("", "", f, [], g.anchor))
        for service in f.service.split(", ") if f.service else []:  # a device-pair finding: several
            if service not in g.services:
                g.services.append(service)
    for g in groups.values():
        g.services.sort()

    def group_key(g: Group) -> tuple[int, int, int, int]:
        rank = Severity(g.worst).rank if g.worst else 3
        kind = {"site": 0, "link": 1, "device": 1}[g.kind]
        return (rank, kind, order.get(g.source, -1), order.get(g.target, -1))

    ordered_groups = sorted(groups.values(), key=group_key)

    # Ids follow page order (worst connection first), so F-001, F-002 ... read top-down.
    st_anchor: dict[str, str] = {}
    files = sorted(
        {st.source for st in statements.values()}
        | {e.provenance.file or e.statement for f in findings for e in f.evidence if e.provenance}
    )
    for i, name in enumerate(files, start=1):
        st_anchor[name] = f"st-{i}"
    entries: dict[str, dict[ProvKey, EvidenceEntry]] = defaultdict(dict)
    fviews = [fv for g in ordered_groups for fv in g.findings]
    width = max(3, len(str(len(fviews))))
    for n, fv in enumerate(fviews, start=1):
        fv.id, fv.anchor = f"F-{n:0{width}d}", f"f-{n}"
        fv.evidence = [_evidence_view(e, fv.id, fv.anchor, entries) for e in fv.finding.evidence]
    statement_sections = _statement_sections(devices_in, statements, files, st_anchor, entries)
    corrected: dict[str, list[str]] = defaultdict(list)
    for d in devices_in:
        st = statements.get(d.name)
        for file in dict.fromkeys(c.provenance.file for c in (st.corrections if st else [])):
            corrected[file].append(d.name)
    for section in statement_sections:
        section.is_inventory = section.file == analysis.label and section.file not in {
            st.source for st in statements.values()
        }
        section.corrects = corrected.get(section.file, [])

    by_finding = {id(fv.finding): fv for fv in fviews}
    for fv in fviews:
        fv.causes = [by_finding[id(c)] for c in fv.finding.causes if id(c) in by_finding]
    chains_map: dict[str, list[FindingView]] = defaultdict(list)
    for fv in sorted(fviews, key=lambda fv: finding_order(fv.finding)):
        if fv.finding.chain:
            chains_map[fv.finding.chain].append(fv)
    chains = [
        Chain(name, f"chain-{i}", chains_map[name]) for i, name in enumerate(sorted(chains_map), start=1)
    ]
    for ch in chains:
        for fv in ch.findings:
            fv.chain_anchor = ch.anchor

    rows = _device_rows(devices_in, statements, skipped_reason, st_anchor)
    matrix = _matrix(rows, groups) if len(rows) <= MATRIX_MAX_DEVICES else None

    counts = count_severities(findings)
    silent = sum(1 for fv in fviews if any(e.silent for e in fv.evidence))
    return ReportView(
        title=analysis.title,
        site=analysis.site,
        inventory=analysis.label,
        generated_at=generated_at if generated_at is not None else analysis.generated_at,
        counts=counts,
        devices=rows,
        findings=fviews,
        groups=ordered_groups,
        chains=chains,
        matrix=matrix,
        skipped=skipped,
        statements=statement_sections,
        silent_count=silent,
    )


def _evidence_view(
    e: Evidence, fid: str, f_anchor: str, entries: dict[str, dict[ProvKey, EvidenceEntry]]
) -> EvidenceView:
    p = e.provenance
    if p is None:
        return EvidenceView(
            e.device, e.statement, e.claim, e.statement, None, None, "", "", bool(e.statement)
        )
    file = p.file or e.statement  # a site correction is cited under its own file, not the statement's
    key = _prov_key(p)
    entry = entries[file].get(key)
    if entry is None:
        where = Provenance("", p.page, p.line, p.section).cite() or "whole statement"
        entry = entries[file][key] = EvidenceEntry("", where, p.page, p.line, p.section, p.text, [])
    if not entry.finding_ids or entry.finding_ids[-1][0] != fid:  # findings arrive in id order
        entry.finding_ids.append((fid, f_anchor))
    return EvidenceView(e.device, file, e.claim, p.cite(), p.page, p.line, p.section, p.text, False, entry)


def _statement_sections(
    devices: list[Device],
    statements: dict[str, Statement],
    files: list[str],
    st_anchor: dict[str, str],
    entries: dict[str, dict[ProvKey, EvidenceEntry]],
) -> list[StatementSection]:
    users: dict[str, list[str]] = defaultdict(list)
    for d in devices:
        st = statements.get(d.name)
        if st is not None:
            users[st.source].append(d.name)
    by_file = {st.source: st for st in statements.values()}
    sections = []
    for file in files:
        items = sorted(entries.get(file, {}).items(), key=lambda kv: kv[0][1:])
        for i, (_key, entry) in enumerate(items, start=1):
            entry.anchor = f"{st_anchor[file]}-{i}"
        st = by_file.get(file)
        unresolved = []
        if st is not None:
            for u in st.unresolved:
                unresolved.append((u.kind, u.text, u.provenance.cite() if u.provenance else file))
        section = StatementSection(
            file, st_anchor[file], users.get(file, []), [e for _, e in items], unresolved
        )
        # devices sharing a statement may hold corrected copies: each copy's warnings, once
        section.warnings = list(
            dict.fromkeys(strip_dirs(w) for s in statements.values() if s.source == file for w in s.warnings)
        )
        sections.append(section)
    return sections


def _device_rows(
    devices: list[Device],
    statements: dict[str, Statement],
    skipped_reason: dict[str, str],
    st_anchor: dict[str, str],
) -> list[DeviceRow]:
    rows = []
    for i, d in enumerate(devices, start=1):
        st = statements.get(d.name)
        file = _statement_file(d, statements)
        if st is not None:
            note = f"{count(len(st.unresolved), 'name')} not resolved" if st.unresolved else ""
        else:
            note = skipped_reason.get(d.name, "no statement analyzed")
        rows.append(
            DeviceRow(
                index=i,
                name=d.name,
                role=d.role.value,
                aes=[t for t in (_ae_text(ae) for ae in d.aes) if t],
                statement_file=file,
                vendor=_value(st.vendor) if st else "",
                product=_value(st.product) if st else "",
                version=_value(st.version) if st else "",
                analyzed=st is not None,
                note=note,
                statement_anchor=st_anchor.get(file, "") if st else "",
                corrections=[
                    CorrectionRow(
                        c.summary,
                        c.reason,
                        c.provenance.file,
                        c.provenance.line,
                        c.provenance.cite(),
                        c.changed,
                    )
                    for c in (st.corrections if st else [])
                ],
            )
        )
    return rows


def _matrix(
    rows: list[DeviceRow], groups: dict[tuple[str, str], Group]
) -> list[tuple[DeviceRow, list[Cell]]]:
    out = []
    for r in rows:
        cells = []
        for c in rows:
            g = groups.get((r.name, c.name)) if r.name != c.name else groups.get((r.name, ""))
            if g is None:
                cells.append(Cell("", "", 0, f"{r.name} → {c.name}: no connection in the inventory"))
                continue
            status = g.worst or "ok"
            n = len(g.findings)
            what = "device findings" if g.kind == "device" else f"{r.name} → {c.name}"
            label = SEVERITY_LABELS[status][0] if status in SEVERITY_LABELS else OK_LABEL[0]
            cells.append(Cell(status, g.anchor, n, f"{what}: {label}, {count(n, 'finding')}"))
        out.append((r, cells))
    return out
