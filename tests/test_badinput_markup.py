"""Hostile strings (issue 6): markup and spreadsheet formulas from statements and inventories stay inert.

Vendor text (product, manufacturer, a SOP class name cell) and inventory text (device names,
site) carry `<script>`, an attribute break-out and `=HYPERLINK(...)`. The HTML report must
show them as text (escaped, not dropped: never lie), the CSV must not start a cell with a
formula character, and the JSON must keep them verbatim.
"""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conformance.cli import app
from tests import badinput as B

SC_STORAGE = "1.2.840.10008.5.1.4.1.1.7"
PRODUCT = "<script>alert('product')</script> CT"
VENDOR = "\"><img src=x onerror=alert('vendor')>"
SOP_CELL = "<img src=x onerror=alert('cell')> Secondary Capture"
MODALITY = "<script>alert('device')</script>"
ARCHIVE = '=HYPERLINK("http://evil.example/","click me")'
SITE = "\"><svg onload=alert('site')>"
HOST = "ct.example'><iframe src=javascript:alert('host')>"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Tags(HTMLParser):
    """Every element and attribute a browser would build from the report."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.script_text: list[str] = []
        self.text: list[str] = []  # what a reader sees, entities decoded
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text.append(data)
        else:
            self.text.append(data)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONFORMANCE_CACHE_DIR", str(folder / "cache"))
        B.statement_pdf(
            folder / "modality.pdf",
            product=PRODUCT,
            vendor=VENDOR,
            extra_rows=[[SOP_CELL, SC_STORAGE, "Yes", "No", B.ILE]],
        )
        B.statement_pdf(folder / "archive.pdf", product="Plain PACS", scp="Yes")
        inv = folder / "inventory.yaml"
        inv.write_text(
            yaml.safe_dump(
                {
                    "site": SITE,
                    "devices": [
                        {
                            "name": MODALITY,
                            "role": "modality",
                            "ae_title": "CT1",
                            "host": HOST,
                            "port": 104,
                            "statement": "modality.pdf",
                        },
                        {
                            "name": ARCHIVE,
                            "role": "archive",
                            "ae_title": "PACS",
                            "port": 104,
                            "statement": "archive.pdf",
                        },
                    ],
                    "links": [{"from": MODALITY, "to": ARCHIVE, "service": "store"}],
                }
            )
        )
        out = folder / "out" / "report.html"
        result = CliRunner().invoke(app, ["check", "-i", str(inv), "--out", str(out)])
        assert result.exit_code == 0, result.output
    return out


def test_html_report_is_inert(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    parsed = _Tags()
    parsed.feed(html)
    assert not any(tag in {"img", "iframe", "object", "embed"} for tag, _ in parsed.tags)
    # the one SVG is the report's own network diagram, not one smuggled in by a name
    assert [dict(attrs).get("class") for tag, attrs in parsed.tags if tag == "svg"] == ["network"]
    for tag, attrs in parsed.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            assert "javascript:" not in (value or "").lower(), (tag, name, value)
            if name in {"href", "src", "action", "formaction", "xlink:href", "style"}:  # live URLs only
                assert "evil.example" not in (value or ""), (tag, name, value)
    assert not any("alert(" in text for text in parsed.script_text), "vendor text inside a <script>"
    # shown as text, not silently dropped
    shown = "".join(parsed.text)
    for raw in (MODALITY, ARCHIVE, SITE, PRODUCT, VENDOR, HOST, "onerror=alert('cell')"):
        assert raw in shown, f"{raw!r} is not shown as text"


def test_csv_export_has_no_formulas(report: Path) -> None:
    rows = list(csv.reader(io.StringIO(report.with_suffix(".csv").read_text(encoding="utf-8"))))
    assert len(rows) > 1, "no findings: the hostile strings never reached the CSV"
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    joined = "\n".join(cells)
    assert "'=HYPERLINK(" in joined, "the device name was dropped instead of neutralized"


def test_json_keeps_hostile_strings_verbatim(report: Path) -> None:
    data = json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))
    text = json.dumps(data, ensure_ascii=False)
    assert json.dumps(MODALITY, ensure_ascii=False)[1:-1] in text
    assert json.dumps(ARCHIVE, ensure_ascii=False)[1:-1] in text
    assert "onerror=alert('cell')" in text


def test_terminal_output_carries_no_control_sequences(tmp_path: Path) -> None:
    """Statement text echoed by `parse` cannot clear the screen, recolour it or ring the bell."""
    path = tmp_path / "esc.md"
    hostile = "Product Name: Evil\x1b[2J\x1b[31m CT\x07\n1 Introduction"
    text = B.statement_markdown().replace("1 Introduction", hostile)
    path.write_text(text.replace("| Verification |", "| Verifi\x1b]0;owned\x07cation |"))
    for args in (["parse", str(path)], ["parse", "--strict", str(path)]):
        result = CliRunner().invoke(app, args)
        out = result.stdout + result.stderr
        assert "\x1b" not in out and "\x07" not in out, repr(out[:300])
    assert "Evil?[2J?[31m CT" in CliRunner().invoke(app, ["parse", str(path)]).stdout  # shown, not hidden
