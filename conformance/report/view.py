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
from conformance.model import Provenance, Statement
from conformance.report import decisions, diagram
from conformance.report.decisions import (
    STATE_LABELS,
    STATE_PHRASES,
    STATE_SYMBOLS,
    CandidateVerdict,
    ConnectionState,
    FixItem,
    count,
)
from conformance.report.merge import Merged, ProvKey, items, merge, prov_key, same_problems
from conformance.report.quality import StatementQuality, cite, clean_name, statement_quality
from conformance.rules import RULES, Rule
from conformance.site import AE, Device

LOGGER = logging.getLogger(__name__)

# Above this many devices a device x device grid is unreadable (and huge): the report
# shows the list of connections instead, which carries the same colours and links.
MATRIX_MAX_DEVICES = 40
# The evidence index links each quoted passage back to at most this many findings: one
# archive's storage table can be cited by hundreds of findings on a large site.
CITED_MAX = 25
# Above this many findings the report is compact: evidence as one line each without the quoted
# text (the evidence index quotes each passage once), workflow chains as lists of finding ids,
# the evidence index naming fewer citing findings. A 1,000-device site stays a few megabytes.
COMPACT_FINDINGS = 300
CITED_MAX_COMPACT = 1
# The decisions at the top list this many connections at most (worst first); all of them are
# in the connection table further down.
DECISION_ROWS = 15
# A problem found on many connections names at most this many of the others in full.
REPEATS_MAX = 12

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
ITEM_KINDS = {"sop_class": "SOP class", "transfer_syntax": "transfer syntax", "case": "case"}


def _badges() -> dict[str, Markup]:
    """Severity badges as markup, built once from the constant labels above (no input text)."""
    labels = {**{k: v[0] for k, v in SEVERITY_LABELS.items()}, "ok": OK_LABEL[0]}
    return {k: Markup('<span class="badge {}">{}</span>').format(k, v) for k, v in labels.items()}


# An absolute path (POSIX or Windows) inside a message: reports show the file name only, so
# that a report handed to a vendor does not reveal the author's folders.
_ABS_PATH = re.compile(r"""(?<![\w.:/\\])(?:[A-Za-z]:)?(?:[\\/][^\n\\/:"'<>|]+)+[\\/]([^\s\\/:"'<>|]+)""")


def strip_dirs(text: str) -> str:
    """'/home/x/site/ct.pdf: no such file' -> 'ct.pdf: no such file'."""
    return _ABS_PATH.sub(r"\1", text)


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
    vendor: str  # as parsed, made presentable (quality.clean_name); the JSON has it as read
    product: str
    version: str
    analyzed: bool
    note: str  # why it is not analyzed, or unresolved-name count
    statement_anchor: str  # evidence index section of its statement ("" if none)
    corrections: list[CorrectionRow] = field(default_factory=list)
    quality: StatementQuality | None = None  # how well its statement was read
    product_cite: str = ""  # where the product name was read ("p. 1, Cover")
    raw: tuple[str, str, str] = ("", "", "")  # vendor, product, version exactly as parsed


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

    @property
    def short_cite(self) -> str:
        """File and page or line only ("aurora-ct.pdf, p. 6"): compact lines and item lists."""
        where = f"p. {self.page}" if self.page else (f"line {self.line}" if self.line else "")
        return ", ".join(x for x in (self.statement, where) if x) or self.cite


@dataclass
class ItemView:
    """One SOP class, transfer syntax or merged case a finding lists, with its own evidence."""

    kind: str  # "sop_class" | "transfer_syntax" | "case"
    uid: str
    name: str
    evidence: list[EvidenceView]


@dataclass
class FindingView:
    id: str
    anchor: str
    finding: Finding
    evidence: list[EvidenceView]  # shown in the finding's table (evidence not listed per item)
    group_anchor: str
    chain_anchor: str = ""
    severity: str = ""  # the finding's severity value, read once (the template asks often)
    causes: list[FindingView] = field(default_factory=list)  # its root-cause findings' views
    members: list[Finding] = field(default_factory=list)  # the analyzer findings shown as this one
    items: list[ItemView] = field(default_factory=list)  # classes / syntaxes / cases it lists
    all_evidence: list[EvidenceView] = field(default_factory=list)  # every piece, in the finding's order
    number: int = 0  # 1-based page position (F-001 is 1)
    same_as: FindingView | None = None  # the same problem between the same statements, shown in full there
    repeats: list[FindingView] = field(default_factory=list)  # (on the one shown in full) the others
    chain_number: int = 0  # its workflow chain's number in the chains section

    def __post_init__(self) -> None:
        self.severity = self.finding.severity.value
        self.members = self.members or [self.finding]

    @property
    def rule(self) -> Rule:
        """The finding's catalogue entry (its one-line meaning is shown beside the id)."""
        return RULES[self.finding.rule]

    @property
    def change(self) -> str:
        """What-if runs: "new" (appears with the candidate) or "resolved" ("" otherwise)."""
        return self.finding.change

    @property
    def merged(self) -> int:
        """How many analyzer findings this one stands for (1 unless a rule reported per class)."""
        return len(self.members)

    @property
    def count(self) -> int:
        """How many SOP classes it concerns (else transfer syntaxes, else merged cases; at least 1)."""
        f = self.finding
        return len(f.sop_classes) or len(f.transfer_syntaxes) or len(self.members)

    @property
    def item_kind(self) -> str:
        """The noun for its items ("SOP class", "transfer syntax", "case"), from the first one."""
        kinds = {it.kind for it in self.items}
        return ITEM_KINDS[self.items[0].kind] if len(kinds) == 1 else "item"

    @property
    def connection(self) -> str:
        f = self.finding
        return f"{f.source} → {f.target}" if f.target else f.source

    def evidence_by_source(self) -> list[EvidenceSource]:
        """Its own evidence grouped by device and statement, in first-seen order (compact lines)."""
        out: dict[tuple[str, str], EvidenceSource] = {}
        for e in self.evidence:
            src = out.setdefault((e.device, e.statement), EvidenceSource(e.device, e.statement, [], []))
            if e.anchor:
                where = f"p. {e.page}" if e.page else (f"l. {e.line}" if e.line else e.cite)
                src.cited.append((where, e.anchor))
            else:
                src.other.append(e)
        return list(out.values())


@dataclass
class EvidenceSource:
    """The evidence one device's statement gives a finding: cited passages, and silent or inventory claims."""

    device: str
    statement: str
    cited: list[tuple[str, str]]  # (page or line, evidence index anchor)
    other: list[EvidenceView]


@dataclass
class Group:
    """The findings of one connection (source -> target), one device, or the whole site."""

    anchor: str
    kind: str  # "link" | "device" | "site"
    source: str
    target: str
    services: list[str]
    findings: list[FindingView] = field(default_factory=list)
    linked: bool = False  # an inventory link (not only a pair of devices a finding names)
    state: ConnectionState | None = None  # the verdict, for inventory links

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

    @property
    def main(self) -> FindingView | None:
        """The finding behind the verdict: the worst one that is not a consequence of others."""
        roots = [fv for fv in self.findings if not fv.causes] or self.findings
        return roots[0] if roots else None


@dataclass
class Chain:
    name: str
    anchor: str
    findings: list[FindingView]
    number: int = 0

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
    connections: list[Group] = field(default_factory=list)  # inventory links, worst verdict first
    fix_first: list[FixItem] = field(default_factory=list)
    candidate: CandidateVerdict | None = None
    diagram: diagram.Diagram | None = None
    rules: list[Rule] = field(default_factory=list)  # the rules of the findings shown, by id
    compact: bool = False  # a large report (COMPACT_FINDINGS): evidence in one line each
    labels: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(SEVERITY_LABELS))
    ok_label: tuple[str, str] = OK_LABEL
    change_labels: dict[str, str] = field(default_factory=lambda: dict(CHANGE_LABELS))
    badges: dict[str, Markup] = field(default_factory=_badges)
    symbols: dict[str, str] = field(default_factory=lambda: dict(SYMBOLS))
    state_labels: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(STATE_LABELS))
    state_symbols: dict[str, str] = field(default_factory=lambda: dict(STATE_SYMBOLS))
    state_phrases: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(STATE_PHRASES))
    cited_max: int = CITED_MAX
    decision_rows: int = DECISION_ROWS
    repeats_max: int = REPEATS_MAX

    @property
    def link_groups(self) -> list[Group]:
        return [g for g in self.groups if g.kind == "link"]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def states(self) -> dict[str, int]:
        """Connections per verdict, every verdict present (worst first)."""
        out = {s.value: 0 for s in ConnectionState}
        for g in self.connections:
            if g.state is not None:
                out[g.state.value] += 1
        return out

    @property
    def unsound(self) -> list[Group]:
        """The connections that need something (every verdict but "works"), worst first."""
        return [g for g in self.connections if g.state is not ConnectionState.WORKS]


def finding_order(f: Finding) -> tuple[object, ...]:
    """Full sort key: the Finding's own key, then everything else it shows (ties stay stable)."""
    ev = tuple((e.device, e.statement, e.claim, prov_key(e.provenance)) for e in f.evidence)
    return (*f.sort_key(), f.chain, f.detail, f.fix, ev)


def _statement_file(device: Device, statements: dict[str, Statement]) -> str:
    st = statements.get(device.name)
    if st is not None:
        return st.source
    return PurePath(device.statement).name if device.statement else ""


def _ae_text(ae: AE) -> str:
    title, host, port = ae.title, ae.host, ae.port
    where = f"{host}:{port}" if host and port else (host or (f"port {port}" if port else ""))
    return f"{title} @ {where}" if title and where else (title or where)


def build_view(
    analysis: Analysis, *, generated_at: str | None = None, candidate: str | None = None
) -> ReportView:
    """Turn an Analysis into everything the exports show, with stable ids and order.

    ``candidate``: the device a what-if run is about (default: the one its summary names).
    """
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

    # One finding per problem: a rule still reporting per class is shown merged (merge.py).
    shown = merge(sorted(analysis.findings, key=finding_order))

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
            g.linked = True
            service = lk.service.value
            if service and service not in g.services:
                g.services.append(service)
    for m in shown:
        f = m.finding
        g = group(f.source, f.target) if f.source else group("", "")
        g.findings.append(FindingView("", "", f, [], g.anchor, members=m.members))
        for service in f.service.split(", ") if f.service else []:  # a device-pair finding: several
            if service not in g.services:
                g.services.append(service)
    for g in groups.values():
        g.services.sort()
        if g.linked:
            g.state = decisions.connection_state(fv.finding for fv in g.findings)

    def group_key(g: Group) -> tuple[int, int, int, int]:
        rank = Severity(g.worst).rank if g.worst else 3
        kind = {"site": 0, "link": 1, "device": 1}[g.kind]
        return (rank, kind, order.get(g.source, -1), order.get(g.target, -1))

    ordered_groups = sorted(groups.values(), key=group_key)

    # Ids follow page order (worst connection first), so F-001, F-002 ... read top-down.
    st_anchor: dict[str, str] = {}
    files = sorted(
        {st.source for st in statements.values()}
        | {e.provenance.file or e.statement for f in analysis.findings for e in f.evidence if e.provenance}
    )
    for i, name in enumerate(files, start=1):
        st_anchor[name] = f"st-{i}"
    entries: dict[str, dict[ProvKey, EvidenceEntry]] = defaultdict(dict)
    fviews = [fv for g in ordered_groups for fv in g.findings]
    width = max(3, len(str(len(fviews))))
    for n, fv in enumerate(fviews, start=1):
        fv.id, fv.anchor, fv.number = f"F-{n:0{width}d}", f"f-{n}", n
        _evidence_views(fv, entries)
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

    by_member = {id(member): fv for fv in fviews for member in fv.members}
    for fv in fviews:
        causes = [by_member[id(c)] for c in fv.finding.causes if id(c) in by_member]
        fv.causes = list({id(c): c for c in causes}.values())
    chains_map: dict[str, list[FindingView]] = defaultdict(list)
    for fv in sorted(fviews, key=lambda fv: finding_order(fv.finding)):
        if fv.finding.chain:
            chains_map[fv.finding.chain].append(fv)
    chains = [
        Chain(name, f"chain-{i}", chains_map[name], i) for i, name in enumerate(sorted(chains_map), start=1)
    ]
    for ch in chains:
        for fv in ch.findings:
            fv.chain_anchor, fv.chain_number = ch.anchor, ch.number
    for fv in fviews:  # a consequence shows its causes, not their evidence again
        if fv.causes:
            theirs = {id(e) for c in fv.causes for m in c.members for e in m.evidence}
            keep = {
                id(v)
                for e, v in zip(fv.finding.evidence, fv.all_evidence, strict=True)
                if id(e) not in theirs
            }
            fv.evidence = [v for v in fv.evidence if id(v) in keep]

    # The same problem between the same two statements on several connections: shown in full
    # once, referred to elsewhere, and one thing to fix.
    statement_of = {name: st.source for name, st in statements.items()}
    problems = [
        [fviews[i] for i in idx] for idx in same_problems([fv.finding for fv in fviews], statement_of)
    ]
    for problem in problems:
        problem[0].repeats = problem[1:]
        for fv in problem[1:]:
            fv.same_as = problem[0]
    fixes = decisions.fix_items(problems, ordered_groups)

    rows = _device_rows(devices_in, statements, skipped_reason, st_anchor)
    matrix = _matrix(rows, groups) if len(rows) <= MATRIX_MAX_DEVICES else None
    connections = sorted(
        (g for g in ordered_groups if g.linked),
        key=lambda g: g.state.rank if g.state is not None else len(ConnectionState),
    )

    counts = count_severities(fv.finding for fv in fviews)
    silent = sum(1 for fv in fviews if any(e.silent for e in fv.all_evidence))
    compact = len(fviews) > COMPACT_FINDINGS
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
        connections=connections,
        fix_first=fixes[: decisions.FIX_FIRST],
        candidate=_candidate(candidate, fviews, problems, ordered_groups),
        diagram=_diagram(rows, groups, connections) if rows else None,
        rules=[RULES[r] for r in sorted({fv.finding.rule for fv in fviews})],
        compact=compact,
        cited_max=CITED_MAX_COMPACT if compact else CITED_MAX,
    )


def _candidate(
    device: str | None,
    fviews: list[FindingView],
    problems: list[list[FindingView]],
    groups: list[Group],
) -> CandidateVerdict | None:
    """The verdict on a what-if's device, from the new findings about it."""
    device = device or decisions.candidate_device(fviews)
    if not device:
        return None
    mine = [p for p in problems if decisions.involves(p[0], device)]
    resolved = sum(fv.merged for fv in fviews if fv.change == "resolved")
    return decisions.candidate_verdict(device, decisions.fix_items(mine, groups), resolved=resolved)


def _diagram(
    rows: list[DeviceRow], groups: dict[tuple[str, str], Group], connections: list[Group]
) -> diagram.Diagram:
    # A box is coloured by the findings about its device: its own (a broken workflow chain is
    # left out, its causes are drawn on the arrows) and those about a pair of devices that no
    # inventory link joins (a shared AE title), which no arrow shows.
    own: dict[str, int] = {}
    for g in groups.values():
        if g.kind == "link" and g.linked:
            continue
        for fv in g.findings:
            if fv.causes:
                continue
            for name in (g.source, g.target):
                rank = Severity(fv.severity).rank
                own[name] = min(own.get(name, rank), rank)
    ranked = list(Severity)
    spots = [
        diagram.Spot(
            r.name,
            r.role,
            r.analyzed,
            ranked[own[r.name]].value if r.name in own else "",
            f"#dev-{r.index}",
        )
        for r in rows
    ]
    lines = []
    for g in connections:
        assert g.state is not None  # every inventory link has a verdict
        c = g.counts()
        found = ", ".join(
            count(c[sev], noun)
            for sev, noun in (
                ("blocking", "blocking finding"),
                ("degrading", "degrading finding"),
                ("info", "note"),
            )
            if c[sev]
        )
        title = f"{g.heading} ({', '.join(g.services)}): {STATE_LABELS[g.state.value][0]}" + (
            f"; {found}" if found else ""
        )
        lines.append(diagram.Line(g.source, g.target, g.state, title, f"#{g.anchor}"))
    return diagram.build(spots, lines)


def _evidence_views(fv: FindingView, entries: dict[str, dict[ProvKey, EvidenceEntry]]) -> None:
    """Every piece of evidence of a finding as a view (in the evidence index), split between the
    items it lists and the finding's own table."""
    f = fv.finding
    views = [_evidence_view(e, fv.id, fv.anchor, entries) for e in f.evidence]
    by_id = {id(e): v for e, v in zip(f.evidence, views, strict=True)}
    listed, rest = items(Merged(f, fv.members))
    fv.all_evidence = views
    fv.evidence = [by_id[id(e)] for e in rest]
    fv.items = [ItemView(it.kind, it.uid, it.name, [by_id[id(e)] for e in it.evidence]) for it in listed]


def _evidence_view(
    e: Evidence, fid: str, f_anchor: str, entries: dict[str, dict[ProvKey, EvidenceEntry]]
) -> EvidenceView:
    p = e.provenance
    if p is None:
        return EvidenceView(
            e.device, e.statement, e.claim, e.statement, None, None, "", "", bool(e.statement)
        )
    file = p.file or e.statement  # a site correction is cited under its own file, not the statement's
    key = prov_key(p)
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
        items_ = sorted(entries.get(file, {}).items(), key=lambda kv: kv[0][1:])
        for i, (_key, entry) in enumerate(items_, start=1):
            entry.anchor = f"{st_anchor[file]}-{i}"
        st = by_file.get(file)
        unresolved = []
        if st is not None:
            for u in st.unresolved:
                unresolved.append((u.kind, u.text, u.provenance.cite() if u.provenance else file))
        section = StatementSection(
            file, st_anchor[file], users.get(file, []), [e for _, e in items_], unresolved
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
    quality: dict[int, StatementQuality] = {}  # per statement object: 1,000 devices share ~100
    for i, d in enumerate(devices, start=1):
        st = statements.get(d.name)
        file = _statement_file(d, statements)
        row = DeviceRow(
            index=i,
            name=d.name,
            role=d.role.value,
            aes=[t for t in (_ae_text(ae) for ae in d.aes) if t],
            statement_file=file,
            vendor="",
            product="",
            version="",
            analyzed=st is not None,
            note=skipped_reason.get(d.name, "no statement analyzed"),
            statement_anchor="",
        )
        if st is not None:
            if id(st) not in quality:
                quality[id(st)] = statement_quality(st)
            row.quality = quality[id(st)]
            row.note = f"{count(len(st.unresolved), 'name')} not resolved" if st.unresolved else ""
            row.vendor, row.product, row.version = (
                clean_name(x) for x in (st.vendor, st.product, st.version)
            )
            vendor, product, version = (
                "" if x is None else str(x.value) for x in (st.vendor, st.product, st.version)
            )
            row.raw = (vendor, product, version)
            row.product_cite = cite(st.product)
            row.statement_anchor = st_anchor.get(file, "")
            row.corrections = [
                CorrectionRow(
                    c.summary, c.reason, c.provenance.file, c.provenance.line, c.provenance.cite(), c.changed
                )
                for c in st.corrections
            ]
        rows.append(row)
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
