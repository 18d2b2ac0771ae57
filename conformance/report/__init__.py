"""Render an Analysis as a self-contained HTML report, JSON and CSV."""

from __future__ import annotations

from conformance.report.render import write_reports

__all__ = ["write_reports"]
