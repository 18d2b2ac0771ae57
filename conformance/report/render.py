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

from conformance.fileio import atomic_write, gc_paused
from conformance.findings import Analysis
from conformance.report.view import ReportView, build_view, count

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
]


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
        "devices": [
            {
                "index": d.index,
                "name": d.name,
                "role": d.role,
                "aes": d.aes,
                "statement": d.statement_file or None,
                "vendor": d.vendor or None,
                "product": d.product or None,
                "version": d.version or None,
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
                    for e in fv.evidence
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
        src = [e for e in fv.evidence if e.device == f.source]
        dst = [e for e in fv.evidence if f.target and e.device == f.target]
        taken = {id(e) for e in src} | {id(e) for e in dst}
        other = [e for e in fv.evidence if id(e) not in taken]
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
        ]
        writer.writerow([inert(c) for c in row])
    return buf.getvalue()


# -- HTML ---------------------------------------------------------------------------------
def to_html(analysis: Analysis | ReportView, *, generated_at: str | None = None) -> str:
    """One self-contained HTML page (inline CSS, no script, no external asset)."""
    with gc_paused():
        return _env().get_template("report.html.j2").render(v=_view(analysis, generated_at))


def render_template(template: str, **context: Any) -> str:
    """Another page in the report's style (its stylesheet and finding cards are includes)."""
    with gc_paused():
        return _env().get_template(template).render(**context)


# -- files --------------------------------------------------------------------------------
def write_reports(
    analysis: Analysis,
    html_path: Path,
    *,
    json_out: bool = True,
    csv_out: bool = True,
    generated_at: str | None = None,
) -> list[Path]:
    """Render everything first, then write: a rendering error leaves no file touched."""
    html_path = Path(html_path)
    with gc_paused():
        view = build_view(analysis, generated_at=generated_at)
        outputs: list[tuple[Path, str]] = [(html_path, to_html(view))]
        if json_out:
            outputs.append((html_path.with_suffix(".json"), to_json_text(view)))
        if csv_out:
            outputs.append((html_path.with_suffix(".csv"), to_csv(view)))
    for path, text in outputs:
        atomic_write(path, text)
    LOGGER.info("wrote %s", ", ".join(str(p) for p, _ in outputs))
    return [p for p, _ in outputs]
