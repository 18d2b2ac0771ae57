"""HTML (jinja2, autoescaped), JSON and CSV renderings of one Analysis."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from conformance.findings import Analysis, Severity

CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _env() -> jinja2.Environment:
    loader = jinja2.FunctionLoader(
        lambda name: resources.files("conformance.report").joinpath("templates", name).read_text("utf-8")
    )
    return jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True)


def to_json(analysis: Analysis) -> dict[str, Any]:
    return {
        "schema": "conformance-report/1",
        "inventory": analysis.inventory,
        "counts": analysis.counts(),
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity.value,
                "title": f.title,
                "detail": f.detail,
                "fix": f.fix,
                "source": f.source,
                "target": f.target,
                "service": f.service,
                "chain": f.chain,
                "evidence": [
                    {
                        "device": e.device,
                        "statement": e.statement,
                        "claim": e.claim,
                        "page": e.provenance.page if e.provenance else None,
                        "line": e.provenance.line if e.provenance else None,
                        "text": e.provenance.text if e.provenance else None,
                    }
                    for e in f.evidence
                ],
            }
            for f in analysis.sorted_findings()
        ],
        "skipped": [{"item": s.item, "reason": s.reason} for s in analysis.skipped],
    }


def _inert(value: Any) -> str:
    """Neutralize spreadsheet formulas in untrusted text (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_FORMULA_PREFIXES) else text


def to_csv(analysis: Analysis) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["severity", "rule", "source", "target", "service", "title", "fix", "evidence"])
    for f in analysis.sorted_findings():
        ev = " | ".join(
            f"{e.device}: {e.claim}" + (f" ({e.provenance.cite()})" if e.provenance else "")
            for e in f.evidence
        )
        writer.writerow(
            [_inert(v) for v in (f.severity.value, f.rule, f.source, f.target, f.service, f.title, f.fix, ev)]
        )
    return buf.getvalue()


def to_html(analysis: Analysis) -> str:
    names = [d.name for d in analysis.devices]
    template = _env().get_template("report.html.j2")
    return template.render(a=analysis, names=names, findings=analysis.sorted_findings(), Severity=Severity)


def atomic_write(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a failed run never leaves half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_reports(
    analysis: Analysis, html_path: Path, *, json_out: bool = True, csv_out: bool = True
) -> list[Path]:
    written = [html_path]
    atomic_write(html_path, to_html(analysis))
    if json_out:
        p = html_path.with_suffix(".json")
        atomic_write(p, json.dumps(to_json(analysis), indent=2, sort_keys=True) + "\n")
        written.append(p)
    if csv_out:
        p = html_path.with_suffix(".csv")
        atomic_write(p, to_csv(analysis))
        written.append(p)
    return written
