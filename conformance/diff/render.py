"""HTML (the report's style, printable), JSON (``conformance-diff/1``) and CSV of a Diff.

All three come from one :class:`DiffView`, so a change has the same id ("D-007") in each.
Output is deterministic: nothing here reads a clock, and every list is in the Diff's order.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance import uids
from conformance.diff.compare import SCALAR_LABELS, Change, ChangeKind, Diff
from conformance.diff.impact import SiteImpact, resolved_title
from conformance.fileio import atomic_write
from conformance.findings import Finding
from conformance.model import Provenance
from conformance.report.render import inert, json_lines, render_template

LOGGER = logging.getLogger(__name__)

SCHEMA = "conformance-diff/1"
# a change's colours in the report's palette
STYLE = {"removal": "blocking", "addition": "ok", "neutral": "info"}
CLASS_LABELS = {
    "removal": ("Removal", "Can break a peer that worked with the old version."),
    "addition": ("Addition", "Something peers can now use."),
    "neutral": ("Neutral", "Identity, defaults, or a fact one version does not state."),
}
# a group of 80 services quotes the same table 80 times; the HTML shows this many passages a side
MAX_PASSAGES = 6
# an added or removed service with more syntaxes than this refers to a list printed once
LONG_SYNTAX_LIST = 6

CSV_COLUMNS = [
    "id",
    "class",
    "kind",
    "title",
    "subject",
    "services",
    "transfer_syntaxes",
    "from",
    "to",
    "note",
    "old_evidence",
    "new_evidence",
]


@dataclass(frozen=True)
class Passage:
    """Where one side states a fact: page/line/section, and the text quoted."""

    cite: str
    text: str
    page: int | None
    line: int | None
    section: str


@dataclass
class ServiceRow:
    name: str
    uid: str
    role: str


@dataclass
class ChangeRow:
    id: str
    change: Change
    services: list[ServiceRow]
    syntaxes: list[tuple[str, str]]  # (name, UID)
    before: str
    after: str
    old: list[Passage]
    new: list[Passage]
    syntax_list: str = ""  # "L1": its syntaxes are printed once under the table (a long, shared list)

    @property
    def anchor(self) -> str:
        return self.id.lower()

    @property
    def style(self) -> str:
        return STYLE[self.change.cls.value]

    @property
    def field_label(self) -> str:
        return SCALAR_LABELS.get(self.change.subject, self.change.subject)


@dataclass
class DiffView:
    diff: Diff
    impact: SiteImpact | None
    rows: list[ChangeRow]
    sections: dict[str, list[ChangeRow]] = field(default_factory=dict)
    # long syntax lists of added/removed services, each printed once: (label, [(name, UID)])
    syntax_lists: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    style: dict[str, str] = field(default_factory=lambda: dict(STYLE))
    labels: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(CLASS_LABELS))
    max_passages: int = MAX_PASSAGES

    @property
    def counts(self) -> dict[str, int]:
        return self.diff.counts()

    @property
    def title(self) -> str:
        return f"What changed: {self.diff.old.label} → {self.diff.new.label}"


def _passage(p: Provenance) -> Passage:
    where = Provenance("", p.page, p.line, p.section).cite() or "whole statement"
    return Passage(where, p.text, p.page, p.line, p.section)


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def build_view(diff: Diff, impact: SiteImpact | None = None) -> DiffView:
    rows = []
    for n, c in enumerate(diff.changes, 1):
        rows.append(
            ChangeRow(
                id=f"D-{n:03d}",
                change=c,
                services=[ServiceRow(diff.name(uid), uid, role.value) for uid, role in c.services],
                syntaxes=[(uids.uid_name(ts), ts) for ts in c.transfer_syntaxes],
                before=_show(c.before),
                after=_show(c.after),
                old=[_passage(p) for p in c.old_evidence],
                new=[_passage(p) for p in c.new_evidence],
            )
        )
    sections: dict[str, list[ChangeRow]] = {
        "services": [],
        "support": [],
        "syntaxes": [],
        "scalars": [],
    }
    section_of = {
        ChangeKind.SERVICE_REMOVED: "services",
        ChangeKind.SERVICE_ADDED: "services",
        ChangeKind.SUPPORT_CHANGED: "support",
        ChangeKind.TS_REMOVED: "syntaxes",
        ChangeKind.TS_ADDED: "syntaxes",
        ChangeKind.TS_UNSTATED: "syntaxes",
        ChangeKind.SCALAR: "scalars",
    }
    for row in rows:
        sections[section_of[row.change.kind]].append(row)
    return DiffView(diff, impact, rows, sections, _shared_syntax_lists(sections["services"]))


def _shared_syntax_lists(rows: list[ChangeRow]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Name each long syntax list once: 178 added classes that all take the same 48 syntaxes
    would otherwise print that list 178 times."""
    labels: dict[tuple[tuple[str, str], ...], str] = {}
    for row in rows:
        if len(row.syntaxes) > LONG_SYNTAX_LIST:
            key = tuple(row.syntaxes)
            row.syntax_list = labels.setdefault(key, f"L{len(labels) + 1}")
    return [(label, list(key)) for key, label in labels.items()]


# -- JSON ---------------------------------------------------------------------------------
def _evidence_json(passages: list[Passage]) -> list[dict[str, Any]]:
    return [
        {"page": p.page, "line": p.line, "section": p.section or None, "text": p.text or None}
        for p in passages
    ]


def _finding_json(f: Finding) -> dict[str, Any]:
    resolved = f.change == "resolved"
    return {
        "rule": f.rule,
        "severity": (f.severity_before or f.severity).value if resolved else f.severity.value,
        "title": resolved_title(f) if resolved else f.title,
        "detail": f.detail,
        "source": f.source,
        "target": f.target or None,
        "service": f.service or None,
        "chain": f.chain or None,
    }


def _impact_json(impact: SiteImpact) -> dict[str, Any]:
    return {
        "inventory": impact.inventory,
        "site": impact.site or None,
        "device": impact.device,
        "counts": impact.counts(),
        "links": [
            {
                "link": lk.label,
                "source": lk.source,
                "target": lk.target or None,
                "service": lk.service or None,
                "chain": lk.chain or None,
                "worst": lk.worst,
                "breaks": [_finding_json(f) for f in lk.new],
                "fixes": [_finding_json(f) for f in lk.resolved],
                "changed": [_finding_json(f) for f in lk.changed],
            }
            for lk in impact.links
        ],
        "skipped": [{"item": s.item, "reason": s.reason} for s in impact.skipped],
    }


def to_json(diff: Diff | DiffView, impact: SiteImpact | None = None) -> dict[str, Any]:
    """The diff as data (docs/diff.md)."""
    v = diff if isinstance(diff, DiffView) else build_view(diff, impact)
    d = v.diff
    return {
        "schema": SCHEMA,
        "from": d.old.to_dict(),
        "to": d.new.to_dict(),
        "summary": d.summary,
        "counts": d.counts(),
        "services_added": [[uid, role.value] for uid, role in d.services_added],
        "services_removed": [[uid, role.value] for uid, role in d.services_removed],
        "ts_added": [[uid, role.value, ts] for uid, role, ts in d.ts_added],
        "ts_removed": [[uid, role.value, ts] for uid, role, ts in d.ts_removed],
        "scalars_changed": {k: {"from": b, "to": a} for k, (b, a) in sorted(d.scalars_changed.items())},
        "changes": [
            {
                "id": r.id,
                "class": r.change.cls.value,
                "kind": r.change.kind.value,
                "title": r.change.title,
                "subject": r.change.subject,
                "from": r.change.before,
                "to": r.change.after,
                "services": [[s.uid, s.role] for s in r.services],
                "transfer_syntaxes": [uid for _, uid in r.syntaxes],
                "note": r.change.note or None,
                "evidence": {"from": _evidence_json(r.old), "to": _evidence_json(r.new)},
            }
            for r in v.rows
        ],
        "notes": d.notes,
        "site_impact": _impact_json(v.impact) if v.impact else None,
    }


def to_json_text(diff: Diff | DiffView, impact: SiteImpact | None = None) -> str:
    """One top-level key per line, one list item per line: two diffs' JSON diff well."""
    return json_lines(to_json(diff, impact))


# -- CSV ----------------------------------------------------------------------------------
def _passages_text(passages: list[Passage]) -> str:
    return " | ".join(f'{p.cite} "{p.text}"' if p.text else p.cite for p in passages)


def to_csv(diff: Diff | DiffView, impact: SiteImpact | None = None) -> str:
    """One row per change (same ids and order as the HTML), then one per site-impact finding."""
    v = diff if isinstance(diff, DiffView) else build_view(diff, impact)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in v.rows:
        c = r.change
        row = [
            r.id,
            c.cls.value,
            c.kind.value,
            c.title,
            c.subject,
            "; ".join(f"{s.uid} {s.role}" for s in r.services),
            "; ".join(uid for _, uid in r.syntaxes),
            r.before,
            r.after,
            c.note,
            _passages_text(r.old),
            _passages_text(r.new),
        ]
        writer.writerow([inert(x) for x in row])
    if v.impact:
        n = 0
        for lk in v.impact.links:
            for kind, findings in (
                ("site-breaks", lk.new),
                ("site-fixes", lk.resolved),
                ("site-changed", lk.changed),
            ):
                for f in findings:
                    n += 1
                    j = _finding_json(f)
                    row = [
                        f"S-{n:03d}",
                        j["severity"],
                        kind,
                        j["title"],
                        lk.label,
                        "",
                        "",
                        "",
                        "",
                        f.detail,
                        "",
                        "",
                    ]
                    writer.writerow([inert(x) for x in row])
    return buf.getvalue()


# -- HTML ---------------------------------------------------------------------------------
def to_html(diff: Diff | DiffView, impact: SiteImpact | None = None) -> str:
    """One self-contained page (inline CSS shared with the gap report, no script)."""
    v = diff if isinstance(diff, DiffView) else build_view(diff, impact)
    return render_template("diff.html.j2", v=v, resolved_title=resolved_title)


def write_diff(
    diff: Diff,
    html_path: Path,
    *,
    impact: SiteImpact | None = None,
    json_out: bool = False,
    csv_out: bool = False,
) -> list[Path]:
    """Render everything first, then write each file atomically."""
    view = build_view(diff, impact)
    outputs = [(Path(html_path), to_html(view))]
    if json_out:
        outputs.append((Path(html_path).with_suffix(".json"), to_json_text(view)))
    if csv_out:
        outputs.append((Path(html_path).with_suffix(".csv"), to_csv(view)))
    for path, text in outputs:
        atomic_write(path, text)
    LOGGER.info("wrote %s", ", ".join(str(p) for p, _ in outputs))
    return [p for p, _ in outputs]


__all__ = ["SCHEMA", "DiffView", "build_view", "to_csv", "to_html", "to_json", "to_json_text", "write_diff"]
