"""Outputs are written atomically (issue 6): a run that fails leaves the previous report whole.

The failure is injected where it really happens: while rendering one of the three outputs,
or while the operating system replaces the file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from conformance.pipeline import run_check
from conformance.report import render
from tests import badinput as B


@pytest.fixture
def analysis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CONFORMANCE_CACHE_DIR", str(tmp_path / "cache"))
    B.statement_pdf(tmp_path / "ct.pdf")
    B.statement_pdf(tmp_path / "pacs.pdf", product="Acme PACS", scp="Yes")
    inv = tmp_path / "inv.yaml"
    inv.write_text(
        yaml.safe_dump(
            {
                "devices": [
                    {"name": "CT", "role": "modality", "ae_title": "CT", "port": 104, "statement": "ct.pdf"},
                    {
                        "name": "PACS",
                        "role": "archive",
                        "ae_title": "PACS",
                        "port": 104,
                        "statement": "pacs.pdf",
                    },
                ],
                "links": [{"from": "CT", "to": "PACS", "service": "store"}],
            }
        )
    )
    return run_check(inv)


def _old_reports(folder: Path) -> dict[Path, str]:
    folder.mkdir(parents=True, exist_ok=True)
    old = {folder / f"report.{ext}": f"previous {ext}" for ext in ("html", "json", "csv")}
    for path, text in old.items():
        path.write_text(text)
    return old


def _unchanged(folder: Path, old: dict[Path, str]) -> None:
    assert {p: p.read_text() for p in old} == old
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in old), "temp files left"


def test_render_failure_touches_no_file(tmp_path: Path, analysis, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    old = _old_reports(out)

    def broken(*_a, **_k):
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(render, "to_csv", broken)  # the last output fails after the others rendered
    with pytest.raises(RuntimeError):
        render.write_reports(analysis, out / "report.html")
    _unchanged(out, old)


def test_failed_replace_leaves_old_file_and_no_temp(
    tmp_path: Path, analysis, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    old = _old_reports(out)

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        render.write_reports(analysis, out / "report.html")
    _unchanged(out, old)


def test_successful_write_replaces_all_three(tmp_path: Path, analysis) -> None:
    out = tmp_path / "out"
    old = _old_reports(out)
    written = render.write_reports(analysis, out / "report.html")
    assert sorted(written) == sorted(old)
    assert all(p.read_text() != old[p] for p in old)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in old)
