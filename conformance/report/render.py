"""HTML (jinja2, autoescaped), JSON and CSV renderings of one Analysis.

All three come from one :class:`~conformance.report.view.ReportView`, so finding ids and
order agree across them. Output is deterministic: no clock is read here; a timestamp
appears only when the caller passes one. Files are replaced atomically.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import logging
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from conformance.fileio import atomic_write, gc_paused
from conformance.findings import Analysis
from conformance.report.decisions import count
from conformance.report.view import ReportView, build_view
from conformance.uids import uid_name

LOGGER = logging.getLogger(__name__)

SCHEMA = "conformance-report/1"

# A cell starting with one of these is a formula to Excel / LibreOffice / Sheets (CSV
# injection, OWASP). Fullwidth forms are included: some spreadsheets fold them.
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

CSV_COLUMNS = [
    "id",
    "severity",
    "rule",
    "source",
    "target",
    "service",
    "chain",
    "change",
    "title",
    "detail",
    "fix",
    "source_evidence",
    "target_evidence",
    "other_evidence",
    "count",
    "sop_classes",
    "transfer_syntaxes",
    "same_as",
]


def css_string(text: str) -> Markup:
    """Text as a quoted CSS string for the print header: every character but ASCII letters and
    digits becomes a ``\\HHHHHH`` escape, so no input can end the string, the rule or the
    ``<style>`` element (whose content HTML escaping does not reach). Each escape ends in a
    space, which CSS takes as the escape's end, so a blank that follows is kept."""
    body = "".join(c if c.isascii() and c.isalnum() else f"\\{ord(c):06X} " for c in text)
    return Markup(f'"{body}"')


@functools.lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    def load(name: str) -> str:
        return resources.files("conformance.report").joinpath("templates", name).read_text("utf-8")

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(load),
        autoescape=True,  # every string in a report is untrusted vendor / inventory text
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["count"] = count
    env.filters["css_string"] = css_string
    env.filters["uid_name"] = uid_name
    return env


def _view(analysis: Analysis | ReportView, generated_at: str | None = None) -> ReportView:
    return analysis if isinstance(analysis, ReportView) else build_view(analysis, generated_at=generated_at)


# -- JSON ---------------------------------------------------------------------------------
def to_json(analysis: Analysis | ReportView, *, generated_at: str | None = None) -> dict[str, Any]:
    """The report as data (docs/report-schema.md, ``conformance-report/1``)."""
    v = _view(analysis, generated_at)
    return {
        "schema": SCHEMA,
        "title": v.title,
        "site": v.site,
        "inventory": v.inventory,
        "generated_at": v.generated_at or None,
        "counts": dict(v.counts),
        "verdicts": v.states,
        "fix_first": [
            {
                "rank": rank,
                "findings": [fv.id for fv in it.findings],
                "severity": it.severity,
                "title": it.lead.finding.title,
                "fix": it.lead.finding.fix,
                "connections": [g.anchor for g in it.connections],
                "unblocks": [g.anchor for g in it.unblocks],
                "unblocks_chains": [fv.id for fv in it.unblocks_chains],
            }
            for rank, it in enumerate(v.fix_first, start=1)
        ],
        "candidate": None
        if v.candidate is None
        else {
            "device": v.candidate.device,
            "verdict": v.candidate.fit.value,
            "headline": v.candidate.headline,
            "blocking": [it.lead.id for it in v.candidate.blocking],
            "changes": [it.lead.id for it in v.candidate.changes],
            "reasons": [it.lead.id for it in v.candidate.reasons],
            "resolved": v.candidate.resolved,
        },
        "devices": [
            {
                "index": d.index,
                "name": d.name,
                "role": d.role,
                "aes": d.aes,
                "statement": d.statement_file or None,
                "vendor": d.raw[0] or None,
                "product": d.raw[1] or None,
                "version": d.raw[2] or None,
                "analyzed": d.analyzed,
                "note": d.note,
                "corrections": [
                    {
                        "summary": c.summary,
                        "reason": c.reason,
                        "file": c.file,
                        "line": c.line,
                        "changed": c.changed,
                    }
                    for c in d.corrections
                ],
                "statement_read": None
                if d.quality is None
                else {
                    "services": d.quality.services,
                    "services_without_transfer_syntaxes": d.quality.without_syntaxes,
                    "unresolved_names": d.quality.unresolved,
                    "unused_sop_classes": d.quality.unused_sop_classes,
                    "unused_transfer_syntaxes": d.quality.unused_syntaxes,
                },
            }
            for d in v.devices
        ],
        "connections": [
            {
                "id": g.anchor,
                "kind": g.kind,
                "source": g.source,
                "target": g.target,
                "services": g.services,
                "linked": g.linked,
                "verdict": g.state.value if g.state is not None else None,
                "worst": g.worst,
                "findings": [fv.id for fv in g.findings],
            }
            for g in v.groups
        ],
        "chains": [
            {"name": ch.name, "worst": ch.worst, "findings": [fv.id for fv in ch.findings]} for ch in v.chains
        ],
        "findings": [
            {
                "id": fv.id,
                "rule": fv.finding.rule,
                "severity": fv.severity,
                "title": fv.finding.title,
                "detail": fv.finding.detail,
                "fix": fv.finding.fix,
                "source": fv.finding.source,
                "target": fv.finding.target,
                "service": fv.finding.service,
                "chain": fv.finding.chain,
                "causes": [c.id for c in fv.causes],
                "change": fv.change or None,
                "connection": fv.group_anchor,
                "sop_classes": fv.finding.sop_classes,
                "transfer_syntaxes": fv.finding.transfer_syntaxes,
                "count": fv.count,
                "unconfirmed": fv.finding.unconfirmed,
                "merged": fv.merged,
                "cases": [
                    {"title": m.title, "detail": m.detail, "fix": m.fix, "sop_classes": m.sop_classes}
                    for m in fv.members
                ]
                if fv.merged > 1
                else [],
                "same_as": fv.same_as.id if fv.same_as else None,
                "evidence": [
                    {
                        "device": e.device,
                        "statement": e.statement,
                        "claim": e.claim,
                        "silent": e.silent,
                        "page": e.page,
                        "line": e.line,
                        "section": e.section or None,
                        "text": e.text or None,
                    }
                    for e in fv.all_evidence
                ],
            }
            for fv in v.findings
        ],
        "skipped": [{"item": item, "reason": reason} for item, reason in v.skipped],
        "unresolved": [
            {"statement": s.file, "kind": kind, "text": text, "where": cite}
            for s in v.statements
            for kind, text, cite in s.unresolved
        ],
        "warnings": [{"statement": s.file, "text": text} for s in v.statements for text in s.warnings],
    }


def to_json_text(analysis: Analysis | ReportView, *, generated_at: str | None = None) -> str:
    """The report's JSON text (see :func:`json_lines`)."""
    return json_lines(to_json(analysis, generated_at=generated_at))


def json_lines(data: dict[str, Any]) -> str:
    """JSON text with one top-level key per line and one list item (finding, device ...) per line.

    Diffs between two runs stay readable, and unlike ``indent=`` this keeps json's C encoder
    (a 1,000-device report in a fraction of the time).
    """
    parts = []
    for key, value in data.items():
        head = f"  {json.dumps(key)}: "
        if isinstance(value, list) and value:
            items = ",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in value)
            parts.append(f"{head}[\n{items}\n  ]")
        else:
            parts.append(head + json.dumps(value, ensure_ascii=False))
    return "{\n" + ",\n".join(parts) + "\n}\n"


# -- CSV ----------------------------------------------------------------------------------
def inert(value: Any) -> str:
    """Neutralize spreadsheet formulas in untrusted text (CSV injection).

    A leading apostrophe makes the spreadsheet show the text as typed. Leading blanks are
    looked through, since some spreadsheets strip them before deciding.
    """
    text = "" if value is None else str(value)
    return "'" + text if text.lstrip(" ").startswith(CSV_FORMULA_PREFIXES) else text


def _evidence_text(e: Any) -> str:
    if e.silent:
        return f"{e.device}: {e.claim} ({e.statement}: statement silent)"
    where = e.cite or "inventory"
    quote = f' "{e.text}"' if e.text else ""
    return f"{e.device}: {e.claim} ({where}){quote}"


def to_csv(analysis: Analysis | ReportView, *, generated_at: str | None = None) -> str:
    """One row per finding, same ids and order as the HTML and JSON."""
    v = _view(analysis, generated_at)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")  # RFC 4180; CR and LF in a cell get quoted
    writer.writerow(CSV_COLUMNS)
    for fv in v.findings:
        f = fv.finding
        src = [e for e in fv.all_evidence if e.device == f.source]
        dst = [e for e in fv.all_evidence if f.target and e.device == f.target]
        taken = {id(e) for e in src} | {id(e) for e in dst}
        other = [e for e in fv.all_evidence if id(e) not in taken]
        row = [
            fv.id,
            fv.severity,
            f.rule,
            f.source,
            f.target,
            f.service,
            f.chain,
            fv.change,
            f.title,
            f.detail,
            f.fix,
            " | ".join(_evidence_text(e) for e in src),
            " | ".join(_evidence_text(e) for e in dst),
            " | ".join(_evidence_text(e) for e in other),
            fv.count,
            " ".join(f.sop_classes),
            " ".join(f.transfer_syntaxes),
            fv.same_as.id if fv.same_as else "",
        ]
        writer.writerow([inert(c) for c in row])
    return buf.getvalue()


# -- HTML ---------------------------------------------------------------------------------
def to_html(
    analysis: Analysis | ReportView, *, generated_at: str | None = None, for_print: bool = False
) -> str:
    """One self-contained HTML page (inline CSS, no script, no external asset).

    ``for_print``: the page the PDF is printed from, with every collapsible list open.
    """
    with gc_paused():
        view = _view(analysis, generated_at)
        return _env().get_template("report.html.j2").render(v=view, for_print=for_print)


def render_template(template: str, **context: Any) -> str:
    """Another page in the report's style (its stylesheet and finding cards are includes)."""
    with gc_paused():
        return _env().get_template(template).render(**context)


# -- files --------------------------------------------------------------------------------
def write_reports(
    analysis: Analysis | ReportView,
    html_path: Path,
    *,
    json_out: bool = True,
    csv_out: bool = True,
    generated_at: str | None = None,
) -> list[Path]:
    """Render everything first, then write: a rendering error leaves no file touched."""
    html_path = Path(html_path)
    with gc_paused():
        view = _view(analysis, generated_at)
        outputs: list[tuple[Path, str]] = [(html_path, to_html(view))]
        if json_out:
            outputs.append((html_path.with_suffix(".json"), to_json_text(view)))
        if csv_out:
            outputs.append((html_path.with_suffix(".csv"), to_csv(view)))
    for path, text in outputs:
        atomic_write(path, text)
    LOGGER.info("wrote %s", ", ".join(str(p) for p, _ in outputs))
    return [p for p, _ in outputs]


def write_pdf(analysis: Analysis | ReportView, pdf_path: Path, *, generated_at: str | None = None) -> Path:
    """The report as a PDF (headless Chromium, see :mod:`conformance.report.chromium`); atomic."""
    from conformance.report.chromium import print_pdf

    print_pdf(to_html(analysis, generated_at=generated_at, for_print=True), Path(pdf_path))
    LOGGER.info("wrote %s", pdf_path)
    return Path(pdf_path)
