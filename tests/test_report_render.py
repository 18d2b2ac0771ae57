"""The gap report's HTML, JSON and CSV: content, escaping, determinism, atomic output."""

from __future__ import annotations

import copy
import csv
import io
import json
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conformance import fileio
from conformance.findings import Analysis, Evidence, Finding, Severity, Skipped
from conformance.inventory import Inventory
from conformance.report import render
from conformance.report.render import CSV_COLUMNS, SCHEMA, inert, to_csv, to_html, to_json, write_reports
from conformance.report.view import MATRIX_MAX_DEVICES, build_view
from tests.doc_tables import doc_tables
from tests.report_samples import FORMULA, IMG, SCRIPT, sample_analysis

REPO = Path(__file__).resolve().parent.parent


class Page(HTMLParser):
    """Every element with its attributes, ids, hrefs and the visible text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.tags if a.get("id")}

    def hrefs(self) -> list[str]:
        return [a["href"] or "" for t, a in self.tags if t == "a" and "href" in a]

    def with_class(self, tag: str, cls: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and cls in (a.get("class") or "").split()]


def _article(html: str, anchor: str) -> str:
    m = re.search(rf'<article class="finding [a-z -]+" id="{anchor}">(.*?)</article>', html, re.S)
    assert m, anchor
    return m.group(1)


# -- HTML content ---------------------------------------------------------------------------
def test_html_has_summary_devices_matrix_findings_skipped() -> None:
    a = sample_analysis()
    html = to_html(a)
    page = Page(html)
    text = "".join(page.text)
    # summary counts by severity
    assert re.search(r'id="count-blocking"><b>2</b>', html)
    assert re.search(r'id="count-degrading"><b>2</b>', html)
    assert re.search(r'id="count-info"><b>2</b>', html)
    # devices with their statements: product, version, file
    assert "Helix CT 9" in text and "Archivio PACS" in text and "version 7.1" in text
    assert "archivio-pacs.pdf" in text and "ordo-ris.md" in text and "missing.pdf" in text
    # matrix: 5 x 5 cells, coloured by worst finding, legend present
    cells = [a for t, a in page.tags if t == "td" and "title" in a and "→" in (a["title"] or "")]
    assert len(cells) == 25 - 1  # the viewer's own diagonal cell carries device findings
    assert len(page.with_class("td", "blocking")) == 2
    assert len(page.with_class("td", "degrading")) == 1
    assert len(page.with_class("td", "ok")) == 2
    assert len(page.with_class("ul", "legend")) == 2  # the matrix's and the network diagram's
    # every in-page link lands on an element
    ids = page.ids()
    internal = [h[1:] for h in page.hrefs() if h.startswith("#")]
    assert internal and all(h in ids for h in internal)
    assert all(h.startswith("#") for h in page.hrefs())
    # the skipped section lists every skipped item with its reason
    skipped = "".join(Page(html.split('id="skipped"', 1)[1].split('id="evidence"', 1)[0]).text)
    for s in a.skipped:
        assert f"{s.item}: {s.reason}".replace("/site/", "") in skipped
    assert "/site/" not in html, "reports show file names, never the author's folders"
    assert "Vendor Private Raw Storage" in skipped  # unresolved names are reported, not dropped


def test_matrix_cells_link_to_their_connection_findings() -> None:
    html = to_html(sample_analysis())
    page = Page(html)
    # CT-1 is device 1, PACS device 2: the cell links to link-1-2, which holds F-001 and F-002
    assert "#link-1-2" in page.hrefs()
    group = html.split('id="link-1-2"', 1)[1].split('<div class="group', 1)[0]
    assert 'id="f-1"' in group and 'id="f-2"' in group
    assert "No common transfer syntax" in group and "Storage Commitment" in group


def test_finding_shows_badge_detail_fix_and_both_sides_evidence() -> None:
    html = to_html(sample_analysis())
    art = _article(html, "f-1")
    assert 'class="badge blocking"' in art
    assert "No common transfer syntax for CT Image Storage" in art
    assert "CT-1 proposes only JPEG 2000" in art
    assert "Suggested fix:" in art and "Enable an uncompressed transfer syntax" in art
    # both sides: device, file, page, section, quoted text, linked to the evidence index
    assert "helix-ct.pdf, p. 14, Table 4.2-3 Proposed Presentation Contexts" in art
    assert "archivio-pacs.pdf, p. 31, Storage SCP" in art
    assert "<q>CT Image Storage SCU JPEG 2000</q>" in art
    assert re.search(r'href="#st-\d+-\d+"', art)
    # the evidence index quotes the passage and links back to the finding
    index = html.split('id="evidence"', 1)[1]
    assert "CT Image Storage SCU JPEG 2000</blockquote>" in index
    assert 'href="#f-1">F-001</a>' in index


def test_statement_silent_is_visible() -> None:
    html = to_html(sample_analysis())
    silent = [m for m in re.finditer(r"The statement is silent on this\.", html)]
    assert len(silent) == 2
    art = _article(html, "f-4")
    assert "Statement silent on MPPS" in art and "The statement is silent on this." in art
    assert "2 of them rest on a statement that is" in html


def test_workflow_chain_section_lists_its_findings() -> None:
    html = to_html(sample_analysis())
    chains = html.split('id="chains"', 1)[1].split('id="findings"', 1)[0]
    assert "CT-1 scheduled CT exam" in chains
    assert [m for m in re.findall(r'href="#(f-\d+)"', chains)] == ["f-1", "f-2", "f-4"]
    assert 'workflow chain: <a href="#chain-1">CT-1 scheduled CT exam</a>' in _article(html, "f-1")


def test_no_chain_section_without_chains_and_empty_analysis_renders() -> None:
    a = Analysis(inventory=Inventory(Path("empty.yaml")), statements={})
    html = to_html(a)
    assert 'id="chains"' not in html
    assert "No problem found on any analyzed connection." in html
    assert "Nothing: every device, statement and inventory row was analyzed." in html
    assert to_json(a)["findings"] == [] and to_csv(a).splitlines() == [",".join(CSV_COLUMNS)]


def test_what_if_change_badge() -> None:
    a = sample_analysis()
    a.findings[0].change = "new"  # type: ignore[attr-defined]
    html = to_html(a)
    assert "New with the candidate" in _article(html, "f-1")
    assert to_json(a)["findings"][0]["change"] == "new"


def test_large_site_lists_connections_instead_of_matrix() -> None:
    a = sample_analysis(extra_devices=MATRIX_MAX_DEVICES)
    html = to_html(a)
    assert 'class="matrix"' not in html
    assert "every connection is listed instead" in html
    assert 'href="#link-1-2"' in html
    assert build_view(a).matrix is None and build_view(sample_analysis()).matrix is not None


# -- untrusted text -------------------------------------------------------------------------
SAFE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "nav", "ol", "ul", "li", "a", "section",
    "h1", "h2", "h3", "h4", "p", "div", "span", "strong", "b", "br", "table", "thead", "tbody", "tr",
    "th", "td", "article", "q", "blockquote", "details", "summary", "dl", "dt", "dd", "figure",
    # the network diagram: inline SVG, shapes and text only
    "svg", "desc", "text", "path", "polygon", "circle", "rect",
}  # fmt: skip


def test_hostile_strings_stay_text_in_html() -> None:
    a = sample_analysis()
    html = to_html(a)
    page = Page(html)
    assert {t for t, _ in page.tags} <= SAFE_TAGS
    assert not any(k.startswith("on") for _, attrs in page.tags for k in attrs)
    assert "<script" not in html.lower().replace("&lt;script", "")
    assert "<img" not in html.lower()
    text = "".join(page.text)
    assert SCRIPT in text and IMG in text and FORMULA in text
    # attribute values cannot be broken out of: the quote in IMG is escaped there too
    titles = [attrs["title"] for t, attrs in page.tags if t == "th" and attrs.get("title")]
    assert f"Viewer {SCRIPT}" in titles
    # a CSP that forbids scripts and remote loads backs the escaping up
    csp = [attrs for t, attrs in page.tags if t == "meta" and attrs.get("http-equiv")]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")


def test_html_is_self_contained() -> None:
    html = to_html(sample_analysis())
    page = Page(html)
    for tag, attrs in page.tags:
        for key in ("src", "href", "action", "srcset", "data"):
            value = attrs.get(key)
            assert value is None or value.startswith("#"), (tag, key, value)
    assert "@import" not in html and "url(" not in html
    assert "<link" not in html.lower()


FORMULAS = [FORMULA, "+1+1", "-2+3", "@SUM(A1:A2)", "\t=cmd|' /C calc'!A0", "\r=1", " =1+1", "＝1+1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_inert_neutralizes_formulas(value: str) -> None:
    assert inert(value) == "'" + value


@pytest.mark.parametrize("value", ["CT-1", "Helix CT 9", "1.2.840.10008.1.2", "a=b", "", "x-ray"])
def test_inert_leaves_plain_text(value: str) -> None:
    assert inert(value) == value


def _hostile_analysis() -> Analysis:
    a = sample_analysis()
    for value in FORMULAS:
        a.findings.append(
            Finding(
                rule="inventory-warning",
                severity=Severity.INFO,
                title=value,
                detail=value,
                fix=value,
                source=value,
                target="PACS",
                service="store",
                chain=value,
                evidence=[Evidence(value, value, value)],
            )
        )
    return a


def test_csv_cells_never_start_a_formula() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(_hostile_analysis()))))
    assert rows[0] == CSV_COLUMNS
    assert len(rows) == 1 + 6 + len(FORMULAS)
    for row in rows[1:]:
        for cell in row:
            assert not cell.lstrip(" ").startswith(render.CSV_FORMULA_PREFIXES), cell
    titles = {r[CSV_COLUMNS.index("title")] for r in rows}
    for value in FORMULAS:
        assert "'" + value in titles


def test_csv_matches_json_findings_and_evidence() -> None:
    a = sample_analysis()
    data = to_json(a)
    rows = list(csv.DictReader(io.StringIO(to_csv(a))))
    assert [r["id"] for r in rows] == [f["id"] for f in data["findings"]]
    assert [r["severity"] for r in rows] == [f["severity"] for f in data["findings"]]
    first = rows[0]
    assert first["source"] == "CT-1" and first["target"] == "PACS"
    assert (
        "helix-ct.pdf, p. 14" in first["source_evidence"]
        and '"CT Image Storage SCU JPEG 2000"' in first["source_evidence"]
    )
    assert "archivio-pacs.pdf, p. 31" in first["target_evidence"]
    silent = next(r for r in rows if r["rule"] == "statement-silent-services")
    assert "statement silent" in silent["source_evidence"]


# -- JSON -----------------------------------------------------------------------------------
def _doc_tables() -> dict[str, list[str]]:
    """Field names per heading from docs/report-schema.md."""
    return doc_tables("report-schema.md")


def test_json_fields_are_exactly_the_documented_ones() -> None:
    docs = _doc_tables()
    data = json.loads(render.to_json_text(sample_analysis()))
    assert data["schema"] == SCHEMA == "conformance-report/1"
    assert list(data) == docs["Top level"]
    for key, heading in [
        ("devices", "devices[]"),
        ("connections", "connections[]"),
        ("chains", "chains[]"),
        ("findings", "findings[]"),
        ("skipped", "skipped[]"),
        ("unresolved", "unresolved[]"),
    ]:
        assert data[key], key
        for item in data[key]:
            assert list(item) == docs[heading], heading
    for f in data["findings"]:
        for e in f["evidence"]:
            assert list(e) == docs["findings[].evidence[]"]


def test_json_content() -> None:
    data = to_json(sample_analysis())
    assert data["counts"] == {"blocking": 2, "degrading": 2, "info": 2}
    assert data["generated_at"] is None
    assert data["site"] == f"St. Example Hospital {SCRIPT}"
    assert [f["id"] for f in data["findings"]] == [f"F-00{i}" for i in range(1, 7)]
    first = data["findings"][0]
    assert first["rule"] == "no-common-transfer-syntax" and first["connection"] == "link-1-2"
    assert first["evidence"][0] == {
        "device": "CT-1",
        "statement": "helix-ct.pdf",
        "claim": "CT Image Storage as SCU: JPEG 2000 only",
        "silent": False,
        "page": 14,
        "line": None,
        "section": "Table 4.2-3 Proposed Presentation Contexts",
        "text": "CT Image Storage SCU JPEG 2000",
    }
    devices = {d["name"]: d for d in data["devices"]}
    assert devices["US-2"]["analyzed"] is False and "no such file" in devices["US-2"]["note"]
    assert devices["CT-1"]["statement"] == "helix-ct.pdf" and devices["CT-1"]["version"] == FORMULA
    conn = {c["id"]: c for c in data["connections"]}
    assert conn["link-1-2"]["services"] == ["commitment", "store"] and conn["link-1-2"]["worst"] == "blocking"
    assert conn["link-4-2"]["worst"] is None  # linked, nothing found
    assert data["chains"] == [
        {"name": "CT-1 scheduled CT exam", "worst": "blocking", "findings": ["F-001", "F-002", "F-004"]}
    ]
    assert {s["item"] for s in data["skipped"]} == {"US-2", "inventory.yaml device 7"}


# -- determinism ----------------------------------------------------------------------------
def test_output_is_deterministic_and_independent_of_finding_order(tmp_path: Path) -> None:
    first = write_reports(sample_analysis(), tmp_path / "a" / "report.html")
    shuffled = sample_analysis()
    random.Random(7).shuffle(shuffled.findings)
    shuffled.statements = dict(reversed(list(shuffled.statements.items())))
    second = write_reports(shuffled, tmp_path / "b" / "report.html")
    assert [p.name for p in first] == ["report.html", "report.json", "report.csv"]
    for p, q in zip(first, second, strict=True):
        assert p.read_bytes() == q.read_bytes(), p.name


def test_no_timestamp_unless_passed() -> None:
    a = sample_analysis()
    html = to_html(a)
    assert not re.search(r"20\d\d-\d\d-\d\d", html) and "Generated" not in html
    stamped = to_html(a, generated_at="2026-01-02 03:04 UTC")
    assert "Generated 2026-01-02 03:04 UTC" in stamped
    assert to_json(a, generated_at="2026-01-02")["generated_at"] == "2026-01-02"
    a.generated_at = "from the analysis"
    assert "Generated from the analysis" in to_html(a)


# -- atomic output --------------------------------------------------------------------------
def test_failed_render_leaves_previous_report_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.html"
    write_reports(sample_analysis(), out)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def broken(*_a: object, **_k: object) -> str:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(render, "to_csv", broken)
    changed = copy.deepcopy(sample_analysis())
    changed.findings = []
    with pytest.raises(RuntimeError):
        write_reports(changed, out)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_reports_get_normal_file_permissions(tmp_path: Path) -> None:
    import os

    mask = os.umask(0o027)
    try:
        written = write_reports(sample_analysis(), tmp_path / "report.html")
    finally:
        os.umask(mask)
    assert {p.stat().st_mode & 0o777 for p in written} == {0o640}


def test_atomic_write_cleans_up_on_error(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "report.html"
    fileio.atomic_write(target, "old")
    with pytest.raises(TypeError):
        fileio.atomic_write(target, 42)  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_skipped_devices_never_disappear() -> None:
    a = sample_analysis()
    a.skipped.append(Skipped("ghost.pdf", "encrypted PDF"))
    view = build_view(a)
    assert [d.name for d in view.devices] == [d.name for d in a.devices]
    assert ("ghost.pdf", "encrypted PDF") in view.skipped
    assert "ghost.pdf" in to_html(a) and "encrypted PDF" in to_csv(a) + json.dumps(to_json(a))


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("/home/ana/site plans/ct.pdf: no such file", "ct.pdf: no such file"),
        ("C:\\Users\\ana\\My Site\\ct.pdf: encrypted", "ct.pdf: encrypted"),
        ("Ghost: /srv/x/ghost.pdf: scanned, no text", "Ghost: ghost.pdf: scanned, no text"),
        ("SCU/SCP and/or http://vendor.example/dcs", "SCU/SCP and/or http://vendor.example/dcs"),
        ("inventory.yaml device 7: device needs a 'name'", "inventory.yaml device 7: device needs a 'name'"),
    ],
)
def test_skipped_reasons_show_file_names_not_folders(text: str, shown: str) -> None:
    from conformance.report.view import strip_dirs

    assert strip_dirs(text) == shown


@pytest.mark.parametrize(
    ("keep", "n", "verdict"),
    [
        ("degrading", 1, "No blocking problem, but 1 issue reduces quality or needs configuration."),
        ("degrading", 2, "No blocking problem, but 2 issues reduce quality or need configuration."),
        ("info", 1, "No blocking or degrading problem; 1 note to read."),
        ("blocking", 2, "2 blocking findings will stop devices from working together until fixed."),
        ("none", 0, "No problem found on any analyzed connection."),
    ],
)
def test_summary_verdict_in_plain_words(keep: str, n: int, verdict: str) -> None:
    a = sample_analysis()
    a.findings = [f for f in a.findings if f.severity.value == keep][:n]
    a.skipped = a.skipped[:1]
    html = to_html(a)
    summary = html.split('<section id="summary">', 1)[1]
    assert re.search(r'<p class="verdict">\s*(.*?)\s*</p>', summary, re.S).group(1) == verdict  # type: ignore[union-attr]
    assert "1 item was left out of the analysis" in html
    assert "(s)" not in html
