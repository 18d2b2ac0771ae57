"""Statement revisions: what changed between two versions, and what an upgrade changes at a site.

``compare`` is pure (two Statements in, a Diff out); ``site_impact`` runs the matcher's
what-if replacement; ``write_diff`` renders HTML, JSON (``conformance-diff/1``) and CSV.
"""

from __future__ import annotations

from conformance.diff.compare import Change, ChangeClass, ChangeKind, Diff, compare
from conformance.diff.impact import LinkImpact, SiteImpact, site_impact
from conformance.diff.render import SCHEMA, to_csv, to_html, to_json, write_diff

__all__ = [
    "SCHEMA",
    "Change",
    "ChangeClass",
    "ChangeKind",
    "Diff",
    "LinkImpact",
    "SiteImpact",
    "compare",
    "site_impact",
    "to_csv",
    "to_html",
    "to_json",
    "write_diff",
]
