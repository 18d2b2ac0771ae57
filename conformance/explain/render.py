"""The explanation as HTML and JSON, in the gap report's shape and style.

Findings go through the report's own view (:func:`conformance.report.view.build_view`), so
they carry the same ids, order, evidence fields and evidence index as in ``check``; the
JSON's ``findings[]`` is the report's, with the association each finding explains added.
Associations and their presentation contexts come on top. Deterministic: no clock, no
folders (files by name only), byte-identical for the same inputs.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from conformance.explain import Explanation
from conformance.explain.model import Association, Endpoint, PresentationContext
from conformance.explain.parties import Party
from conformance.explain.rules import Explained
from conformance.fileio import atomic_write
from conformance.findings import Analysis, Finding
from conformance.inventory import Device
from conformance.model import Statement
from conformance.report.render import json_lines, render_template
from conformance.report.render import to_json as report_json
from conformance.report.view import ReportView, build_view, strip_dirs
from conformance.site import Inventory
from conformance.uids import uid_name

LOGGER = logging.getLogger(__name__)

SCHEMA = "conformance-explain/1"
TITLE = "Association log explanation"


def association_id(index: int) -> str:
    return f"A-{index}"


def analysis(expl: Explanation) -> Analysis:
    """The explanation as the report's Analysis: the parties' devices, statements and findings."""
    devices: list[Device] = []
    statements: dict[str, Statement] = {}
    for e in expl.explained:
        for party in (e.requestor, e.acceptor):
            for device in party.devices:
                if device not in devices:
                    devices.append(device)
            if party.statement is not None:
                statements.setdefault(party.name, party.statement)
    order = {id(d): i for i, d in enumerate(expl.site.inventory.devices)} if expl.site.inventory else {}
    devices.sort(key=lambda d: order.get(id(d), len(order)))
    site = expl.site.inventory
    return Analysis(
        inventory=Inventory(
            path=site.path if site else Path(expl.site.source),
            site=site.site if site else "",
            devices=devices,
        ),
        label=expl.site.source,
        statements=statements,
        findings=expl.findings,
        skipped=list(expl.skipped),
        title=TITLE,
    )


class ExplainView:
    """What the page and the JSON show: the report view plus associations and their findings."""

    def __init__(self, expl: Explanation) -> None:
        self.expl = expl
        self.report: ReportView = build_view(analysis(expl))
        self.ids: dict[int, str] = {}  # id(association) -> "A-n"
        self.finding_views: dict[int, Any] = {id(fv.finding): fv for fv in self.report.findings}
        self.association_of: dict[int, str] = {}  # id(finding) -> "A-n"
        for n, e in enumerate(expl.explained, start=1):
            self.ids[id(e.association)] = association_id(n)
            for f in e.findings:
                self.association_of[id(f)] = association_id(n)

    @property
    def logs(self) -> list[str]:
        return [log.name for log in self.expl.logs]

    def rows(self) -> list[tuple[str, Explained, list[Any]]]:
        """(id, explained association, its finding views in report order) for the page."""
        out = []
        for e in self.expl.explained:
            views = [self.finding_views[id(f)] for f in e.findings if id(f) in self.finding_views]
            views.sort(key=lambda fv: fv.id)
            out.append((self.ids[id(e.association)], e, views))
        return out


# -- JSON -----------------------------------------------------------------------------------
def _endpoint(end: Endpoint, party: Party) -> dict[str, Any]:
    return {
        "ae_title": end.ae_title,
        "device": party.name if party.devices else None,
        "statement": party.statement.source if party.statement is not None else None,
        "implementation_class_uid": end.implementation_class_uid or None,
        "implementation_version_name": end.implementation_version_name or None,
        "max_pdu": end.max_pdu,
    }


def _context(cx: PresentationContext) -> dict[str, Any]:
    return {
        "id": cx.id,
        "abstract_syntax": cx.abstract_syntax,
        "name": uid_name(cx.abstract_syntax) if cx.resolved else None,
        "result": cx.result.value if cx.result is not None else None,
        "transfer_syntaxes": list(cx.proposed_transfer_syntaxes),
        "accepted_transfer_syntax": cx.transfer_syntax or None,
        "proposed_role": cx.proposed_role or None,
        "accepted_role": cx.accepted_role or None,
        "line": cx.ref.line if cx.ref else None,
        "result_line": cx.result_ref.line if cx.result_ref else None,
    }


def _association(aid: str, e: Explained, finding_ids: list[str]) -> dict[str, Any]:
    a: Association = e.association
    rj, ab = a.rejection, a.abort
    rejection = None
    if rj is not None:
        result, source, reason = rj.words
        rejection = {
            "result": result or None,
            "source": source or None,
            "reason": reason or None,
            "codes": [rj.result, rj.source, rj.reason],
            "text": rj.text or None,
            "line": rj.ref.line,
        }
    return {
        "id": aid,
        "log": a.log,
        "format": a.format.value,
        "side": a.side.value if a.side else None,
        "index": a.index,
        "line": a.start.line,
        "timestamp": a.timestamp or None,
        "calling_ae": a.calling_ae,
        "called_ae": a.called_ae,
        "peer": a.peer or None,
        "outcome": a.outcome.value,
        "requestor": _endpoint(a.requestor, e.requestor),
        "acceptor": _endpoint(a.acceptor, e.acceptor),
        "contexts": [_context(cx) for cx in a.contexts],
        "rejection": rejection,
        "abort": {"text": ab.describe(), "line": ab.ref.line} if ab is not None else None,
        "released": a.released,
        "dimse": [
            {
                "command": m.command,
                "status": f"0x{m.status:04X}" if m.status is not None else None,
                "category": m.category or None,
                "meaning": m.meaning or None,
                "sop_class": m.sop_class or None,
                "move_destination": m.move_destination or None,
                "line": m.ref.line,
            }
            for m in a.dimse
        ],
        "errors": [{"line": ref.line, "text": strip_dirs(ref.text.strip())} for ref in a.errors],
        "findings": finding_ids,
    }


def to_json(view: ExplainView) -> dict[str, Any]:
    report = report_json(view.report)
    by_id = {fv.id: fv.finding for fv in view.report.findings}
    findings = []
    for item in report["findings"]:
        finding: Finding = by_id[item["id"]]
        findings.append({**item, "association": view.association_of.get(id(finding))})
    rows = view.rows()
    return {
        "schema": SCHEMA,
        "title": TITLE,
        "inventory": view.expl.site.source or None,
        "generated_at": None,
        "counts": report["counts"],
        "logs": [
            {
                "file": log.name,
                "format": log.format.value,
                "lines": log.lines,
                "associations": len(log.associations),
                "connections_without_request": log.bare_connections,
            }
            for log in view.expl.logs
        ],
        "associations": [_association(aid, e, [fv.id for fv in fvs]) for aid, e, fvs in rows],
        "findings": findings,
        "skipped": report["skipped"],
    }


# -- HTML -----------------------------------------------------------------------------------
def to_html(view: ExplainView) -> str:
    return render_template("explain.html.j2", v=view.report, x=view, name=uid_name)


def write(expl: Explanation, html_path: Path, *, json_out: bool = True) -> list[Path]:
    """Render both, then write: a rendering error leaves no file touched."""
    view = ExplainView(expl)
    outputs = [(Path(html_path), to_html(view))]
    if json_out:
        outputs.append((Path(html_path).with_suffix(".json"), json_lines(to_json(view))))
    for path, text in outputs:
        atomic_write(path, text)
    return [p for p, _ in outputs]
