"""benchmarks/match_scale.py keeps working as the matcher and report change (smoke run, not timed)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "match_scale.py"


def test_match_scale_runs_on_a_small_generated_site() -> None:
    spec = importlib.util.spec_from_file_location("match_scale", BENCH)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.run_one(30, profile=False)
    assert result["devices"] == 30
    assert result["links"] > 30 and result["findings"] > 0  # the generated gaps are found
    assert result["html_mb"] > 0 and result["json_mb"] > 0 and result["csv_mb"] > 0
    assert result["peak_mb"] > 0 and result["match_s"] >= 0 and result["render_s"] >= 0
