"""End to end: `conformance check` / `demo` on the shipped sample statements -> HTML, JSON, CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conformance.cli import app
from tests.report_samples import IMG, SCRIPT

REPO = Path(__file__).resolve().parent.parent
STATEMENTS = REPO / "statements"
SAMPLES = {
    "CT Aurora": "aurora-ct-128.pdf",
    "US Lumen": "lumen-us7.rst",
    "PACS Halo": "haloarchive-3.6.pdf",
    "RIS Corvid": "corvid-ris-broker.md",
    "Reading Parallax": "parallax-workstation.txt",
    "Film Kestrel": "kestrel-filmprint.md",
}


def _site(tmp_path: Path) -> Path:
    missing = [f for f in SAMPLES.values() if not (STATEMENTS / f).is_file()]
    if missing:
        pytest.skip(f"sample statements not written yet: {', '.join(missing)}")
    ghost = f"Ghost {SCRIPT}"
    devices = [
        {"name": "CT Aurora", "role": "modality", "ae_title": "AURORA_CT", "host": "10.0.0.11", "port": 104,
         "sends_to": ["PACS Halo"], "commits_to": ["PACS Halo"], "worklist_from": ["RIS Corvid"],
         "mpps_to": ["RIS Corvid"], "prints_to": ["Film Kestrel"]},
        {"name": "US Lumen", "role": "modality", "ae_title": "LUMEN_US", "host": "10.0.0.12", "port": 104,
         "sends_to": ["PACS Halo"], "worklist_from": ["RIS Corvid"], "mpps_to": ["RIS Corvid"]},
        {"name": "PACS Halo", "role": "archive", "ae_title": "HALO", "host": "10.0.0.20", "port": 104,
         "sends_to": ["Reading Parallax"]},
        {"name": "RIS Corvid", "role": "worklist", "ae_title": "CORVID", "host": "10.0.0.30", "port": 4100},
        {"name": "Reading Parallax", "role": "workstation", "ae_title": "PARALLAX", "host": "10.0.0.40",
         "port": 11112, "queries": ["PACS Halo"], "retrieves_from": ["PACS Halo"]},
        {"name": "Film Kestrel", "role": "printer", "ae_title": "KESTREL", "host": "10.0.0.50", "port": 104},
        {"name": ghost, "role": "modality", "ae_title": "GHOST", "host": "10.0.0.60", "port": 104,
         "statement": "no-such-statement.pdf", "sends_to": ["PACS Halo"]},
    ]  # fmt: skip
    for d in devices:
        if d["name"] in SAMPLES:
            d["statement"] = str(STATEMENTS / SAMPLES[d["name"]])
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump({"site": f"Test site {IMG}", "devices": devices}), "utf-8")
    return path


def _check(inventory: Path, out: Path) -> list[Path]:
    result = CliRunner().invoke(app, ["check", "--inventory", str(inventory), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return [out, out.with_suffix(".json"), out.with_suffix(".csv")]


def test_check_writes_consistent_html_json_csv(tmp_path: Path) -> None:
    inv = _site(tmp_path)
    html_path, json_path, csv_path = _check(inv, tmp_path / "out" / "report.html")
    html = html_path.read_text("utf-8")
    data = json.loads(json_path.read_text("utf-8"))
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text("utf-8"), newline="")))

    assert data["schema"] == "conformance-report/1"
    assert data["site"] == f"Test site {IMG}"
    assert [d["name"] for d in data["devices"]][:6] == list(SAMPLES)
    analyzed = {d["name"]: d for d in data["devices"]}
    for name, file in SAMPLES.items():
        assert analyzed[name]["analyzed"], (name, analyzed[name]["note"])
        assert analyzed[name]["statement"] == file  # file name only, no local path
        assert analyzed[name]["product"], name
    # the device whose statement is missing is listed, left out, and said why
    ghost = analyzed[f"Ghost {SCRIPT}"]
    assert not ghost["analyzed"]
    assert any("Ghost" in s["item"] or "no-such-statement" in s["reason"] for s in data["skipped"])
    # the same findings, in the same order, in all three
    ids = [f["id"] for f in data["findings"]]
    assert ids and ids == [r["id"] for r in rows]
    assert sum(data["counts"].values()) == len(ids)
    for f in data["findings"]:
        assert f'id="f-{int(f["id"][2:])}"' in html
    # real evidence with page numbers from the PDFs, quoted text from the statements
    pages = [e for f in data["findings"] for e in f["evidence"] if e["page"]]
    assert pages and all(e["statement"].endswith(".pdf") for e in pages)
    # hostile strings from the inventory stay inert
    assert SCRIPT not in html and IMG not in html
    assert "&lt;script&gt;" in html
    assert str(tmp_path) not in html and str(REPO) not in html
    # inventory facts cited as evidence are filed under the inventory, labelled as such
    if any(e["statement"] == "site.yaml" for f in data["findings"] for e in f["evidence"]):
        assert 'site.yaml</span> <span class="muted">— the site inventory</span>' in html


def test_check_is_deterministic(tmp_path: Path) -> None:
    inv = _site(tmp_path)
    first = _check(inv, tmp_path / "a" / "report.html")
    second = _check(inv, tmp_path / "b" / "report.html")
    for p, q in zip(first, second, strict=True):
        assert p.read_bytes() == q.read_bytes(), p.name


def test_demo_writes_the_example_report(tmp_path: Path) -> None:
    if not (STATEMENTS / "inventory.yaml").is_file():
        pytest.skip("statements/inventory.yaml not written yet")
    out = tmp_path / "demo.html"
    result = CliRunner().invoke(app, ["demo", "--out", str(out), "--no-pdf"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.with_suffix(".json").read_text("utf-8"))
    assert len(data["devices"]) >= 6 and data["findings"]
    html = out.read_text("utf-8")
    assert 'class="matrix"' in html and 'class="finding' in html
    rows = list(csv.DictReader(io.StringIO(out.with_suffix(".csv").read_text("utf-8"), newline="")))
    assert [r["id"] for r in rows] == [f["id"] for f in data["findings"]]
