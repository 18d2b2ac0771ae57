"""Render an Analysis as a self-contained HTML report, JSON and CSV."""

from __future__ import annotations

from conformance.report.render import SCHEMA, to_csv, to_html, to_json, write_reports
from conformance.report.view import ReportView, build_view

__all__ = [
    "SCHEMA",
    "ReportView",
    "build_view",
    "to_csv",
    "to_html",
    "to_json",
    "write_reports",
]
