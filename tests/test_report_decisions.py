"""Gap reports at site scale: one finding per problem, decisions first, statement quality.

On hand-built findings (the report's own behaviour, whatever the matcher does), on the example
inventory and on a generated site where one archive lacks most of the classes a CT sends.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conformance.cli import app
from conformance.findings import Evidence, Finding, Severity
from conformance.model import Fact
from conformance.pipeline import run_check
from conformance.report import build_view, to_html, to_json
from conformance.report.decisions import ConnectionState, Fit, connection_state
from conformance.report.quality import clean_name, statement_quality
from conformance.report.render import css_string, to_csv
from conformance.uids import is_storage_sop_class, uid_name
from tests.matcher_kit import J2K_LOSSLESS, NATIVE, cap, device, run, stmt
from tests.report_samples import NOT_ACCEPTED, SCRIPT, grouped_analysis, sample_analysis
from tests.test_matcher_whatif import (
    PACS2_MD,
    site,  # noqa: F401  (a fixture: the what-if tests' site)
)
from tests.test_report_render import _article, _doc_tables

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "statements" / "inventory.yaml"


def _finding(data: dict, rule: str, source: str = "", target: str = "") -> dict:
    found = [
        f
        for f in data["findings"]
        if f["rule"] == rule
        and (not source or f["source"] == source)
        and (not target or f["target"] == target)
    ]
    assert len(found) == 1, [(f["rule"], f["source"], f["target"]) for f in data["findings"]]
    return found[0]


# -- one finding per problem ------------------------------------------------------------------
def test_grouped_finding_lists_its_classes_with_their_evidence() -> None:
    a = grouped_analysis()
    data = to_json(a)
    f = _finding(data, "sop-class-not-accepted")
    assert f["sop_classes"] == NOT_ACCEPTED and f["count"] == 4 and f["transfer_syntaxes"] == []
    assert f["merged"] == 1 and f["cases"] == [] and len(f["evidence"]) == 9
    html = to_html(a)
    art = _article(html, f"f-{int(f['id'][2:])}")
    block = art.split('<details class="items">', 1)[1].split("</details>", 1)[0]
    assert "<summary>4 SOP classes concerned" in block
    rows = re.findall(r"<tr><td>(.*?)</td><td class=\"mono\">(.*?)</td><td>(.*?)</td></tr>", block)
    assert [(name, uid) for name, uid, _ in rows] == [(uid_name(u), u) for u in NOT_ACCEPTED]
    for (name, uid, cell), n in zip(rows, range(4), strict=True):
        # each class carries its own two pieces of evidence: CT-1's quoted row, PACS's silence
        anchor = re.search(r'href="#(st-\d+-\d+)"', cell).group(1)  # type: ignore[union-attr]
        quote = html.split(f'id="{anchor}"', 1)[1].split("</div>", 1)[0]
        assert f"{name} SCU {uid}" in quote, (name, quote)
        assert f"p. {20 + n}" in cell and f"does not list {name} as SCP" in cell
    # "Enhanced CT Image Storage" is not taken for "CT Image Storage" (longest name first)
    assert "Enhanced" not in rows[1][2]
    # the evidence about no class in particular stays in the finding's own table
    table = art.split('<table class="evidence">', 1)[1]
    assert "Storage SCP table" in table and "does not list" not in table
    # the CSV names the classes too
    row = next(r for r in to_csv(a).splitlines() if ",sop-class-not-accepted," in r)
    assert " ".join(NOT_ACCEPTED) in row


def test_findings_a_rule_still_reports_per_class_are_shown_as_one() -> None:
    a = grouped_analysis()
    data = to_json(a)
    f = _finding(data, "probe-sop-class-refused")
    assert f["merged"] == 3 and f["count"] == 3
    # cases in the report's order (by title), each with its own detail and fix
    titles = sorted(f"PACS refused {uid_name(u)}" for u in NOT_ACCEPTED[1:])
    assert [c["title"] for c in f["cases"]] == titles
    assert [c["fix"] for c in f["cases"]] == [
        t.replace("PACS refused", "Enable") + " on PACS." for t in titles
    ]
    assert sorted(f["sop_classes"]) == sorted(NOT_ACCEPTED[1:])
    assert len(f["evidence"]) == 3 and f["title"] == f"{titles[0]}, and 2 more like it"
    html = to_html(a)
    art = _article(html, f"f-{int(f['id'][2:])}")
    assert "reported this as 3 separate findings" in art
    block = art.split('<details class="items">', 1)[1].split("</details>", 1)[0]
    assert "<summary>3 cases concerned" in block and block.count("<td>PACS refused") == 3
    # counts are of findings as listed: 6 sample findings + the grouped one + the merged one
    assert sum(data["counts"].values()) == len(data["findings"]) == 8
    assert data["counts"] == {"blocking": 3, "degrading": 3, "info": 2}


def test_a_workflow_chain_caused_by_merged_findings_points_at_the_merged_one() -> None:
    a = sample_analysis()
    parts = [
        Finding(
            rule="sop-class-not-accepted",
            severity=Severity.BLOCKING,
            title=f"PACS does not accept {uid_name(u)}",
            source="US-2",
            target="PACS",
            service="store",
        )
        for u in NOT_ACCEPTED
    ]
    chain = Finding(
        rule="workflow-chain",
        severity=Severity.BLOCKING,
        title="Workflow chain of US-2 is broken at storage",
        source="US-2",
        service="chain",
        causes=parts,
    )
    a.findings += [*parts, chain]
    data = to_json(a)
    merged = _finding(data, "sop-class-not-accepted", "US-2")
    assert merged["merged"] == 4
    assert _finding(data, "workflow-chain")["causes"] == [merged["id"]]


# -- decisions -----------------------------------------------------------------------------------
def test_connection_verdicts() -> None:
    def f(severity: Severity, rule: str = "tls-one-side", unconfirmed: bool = False) -> Finding:
        return Finding(rule=rule, severity=severity, title="t", unconfirmed=unconfirmed)

    assert connection_state([]) is ConnectionState.WORKS
    assert connection_state([f(Severity.INFO)]) is ConnectionState.WORKS
    assert connection_state([f(Severity.DEGRADING), f(Severity.INFO)]) is ConnectionState.CHANGES
    assert connection_state([f(Severity.DEGRADING, "link-not-checked")]) is ConnectionState.UNCHECKED
    assert connection_state([f(Severity.BLOCKING, unconfirmed=True)]) is ConnectionState.UNCONFIRMED
    mixed = [f(Severity.BLOCKING, unconfirmed=True), f(Severity.BLOCKING)]
    assert connection_state(mixed) is ConnectionState.FAILS


def test_decisions_come_first_in_the_sample_report() -> None:
    a = sample_analysis()
    view = build_view(a)
    assert view.states == {"fails": 1, "unconfirmed": 0, "unchecked": 0, "changes": 1, "works": 2}
    html = to_html(a)
    decisions = html.split('<section id="decisions"', 1)[1].split("</section>", 1)[0]
    assert html.index('id="decisions"') < html.index('id="network"') < html.index('id="summary"')
    assert "4 connections: 1 does not work, 1 works with changes, 2 work." in decisions
    assert decisions.index("Does each connection work?") < decisions.index("Fix these first")
    # fix first: the blocking problem on a connection, then the viewer's own, then degrading ones
    fixes = re.findall(r'<li><span class="badge (\w+)">\w+</span> <a href="#f-\d+">(F-\d+)</a>', decisions)
    assert fixes == [
        ("blocking", "F-001"),
        ("blocking", "F-003"),
        ("degrading", "F-002"),
        ("degrading", "F-004"),
    ]
    assert "Unblocks 1 connection." in decisions  # no workflow-chain finding in the sample
    assert "Blocking; about the devices themselves rather than one connection." in decisions
    assert "Blocks nothing; fixing it gives full quality or removes a workaround." in decisions


def test_fix_first_on_the_example_inventory(tmp_path: Path) -> None:
    a = run_check(EXAMPLE)
    view = build_view(a)
    first, second, third = view.fix_first[:3]
    # 1. Enhanced CT in JPEG 2000 only: CT-A sends it (`sends:`), so its store link and chain fail;
    #    CT-B has no `sends`: its images are stored, its Enhanced CT problem only degrades the link
    assert first.lead.finding.rule == "no-common-transfer-syntax"
    assert [fv.connection for fv in first.findings] == ["CT-A → PACS"]
    assert [g.heading for g in first.unblocks] == ["CT-A → PACS"]
    assert [fv.finding.source for fv in first.unblocks_chains] == ["CT-A"]
    # 2. US-1 states it does not support Storage Commitment: one connection, one chain
    assert second.lead.finding.rule == "initiator-lacks-scu" and second.lead.connection == "US-1 → PACS"
    assert (len(second.unblocks), len(second.unblocks_chains)) == (1, 1)
    # 3. the shared AE title: blocking, but about two devices rather than a connection
    assert third.lead.finding.rule == "ae-title-duplicate" and third.score == 0
    assert [it.severity for it in view.fix_first[3:]] == ["degrading", "degrading"]
    assert len(view.fix_first) == 5
    data = to_json(view)
    assert [x["rank"] for x in data["fix_first"]] == [1, 2, 3, 4, 5]
    assert data["fix_first"][0]["unblocks"] == [g.anchor for g in first.unblocks]
    assert data["verdicts"] == {"fails": 2, "unconfirmed": 0, "unchecked": 0, "changes": 5, "works": 1}
    # the same problem on a second connection (one product pair) is shown once and referred to
    fourth = view.fix_first[3]
    assert [fv.connection for fv in fourth.findings] == ["CT-A → RIS", "CT-B → RIS"]
    ct_b = next(f for f in data["findings"] if f["id"] == fourth.findings[1].id)
    assert ct_b["same_as"] == fourth.lead.id


def _generated_site() -> tuple[list, dict, list, list[str]]:
    """CT1 and CT2 (one product) send 40 storage classes to ARCH, which accepts 5 of them (the
    inventory says they send all 40: refusals of classes named in `sends` block the link);
    US1 sends ultrasound in JPEG 2000 only to ARCH2, which takes native syntaxes only."""
    from pydicom.uid import UID_dictionary

    storage = sorted(
        u for u, e in UID_dictionary.items() if is_storage_sop_class(u) and e[1] == "SOP Class" and not e[3]
    )[:40]
    ct = stmt("ct.md", *(cap(u, "SCU") for u in storage))
    arch = stmt("arch.md", *(cap(u, "SCP") for u in storage[:5]))
    us_classes = storage[5:8]
    us = stmt("us.md", *(cap(u, "SCU", [J2K_LOSSLESS]) for u in us_classes))
    arch2 = stmt("arch2.md", *(cap(u, "SCP", NATIVE) for u in storage))
    devices = [
        device("CT1", "modality", sends=tuple(storage)),
        device("CT2", "modality", sends=tuple(storage)),
        device("US1", "modality"),
        device("ARCH", "archive"),
        device("ARCH2", "archive"),
    ]
    statements = {"CT1": ct, "CT2": ct, "US1": us, "ARCH": arch, "ARCH2": arch2}
    links = [("CT1", "ARCH", "store"), ("CT2", "ARCH", "store"), ("US1", "ARCH2", "store")]
    return devices, statements, links, storage


def test_generated_site_one_finding_per_link_and_rule() -> None:
    devices, statements, links, storage = _generated_site()
    a = run(devices, statements, links)
    data = to_json(a)
    keys = [(f["rule"], f["source"], f["target"], f["service"]) for f in data["findings"]]
    assert len(keys) == len(set(keys)), "one finding per (rule, link, direction)"
    missing = storage[5:]
    for source in ("CT1", "CT2"):
        f = _finding(data, "sop-class-not-accepted", source, "ARCH")
        assert f["count"] == len(missing) == 35
        if f["sop_classes"]:  # the matcher names the classes itself
            assert sorted(f["sop_classes"]) == sorted(missing) and f["merged"] == 1
        else:  # a matcher still reporting per class: the report merges them, each a case
            assert f["merged"] == 35 and len(f["cases"]) == 35
            assert sorted(c["title"] for c in f["cases"]) == sorted(
                f"ARCH does not accept {uid_name(u)}" for u in missing
            )
    # the summary counts findings, never classes
    assert sum(data["counts"].values()) == len(data["findings"]) < 20
    html = to_html(a)
    lead = _finding(data, "sop-class-not-accepted", "CT1", "ARCH")
    block = _article(html, f"f-{int(lead['id'][2:])}").split('<details class="items">', 1)[1]
    assert block.split("</details>", 1)[0].count("<tr><td>") == 35
    # fix first: the archive's missing classes (two connections, two chains), then the US syntaxes
    view = build_view(a)
    ranked = [
        (it.lead.finding.rule, [fv.connection for fv in it.findings], it.score) for it in view.fix_first
    ]
    assert ranked[0] == ("sop-class-not-accepted", ["CT1 → ARCH", "CT2 → ARCH"], 4)
    assert ranked[1] == ("no-common-transfer-syntax", ["US1 → ARCH2"], 2)
    ct2 = _finding(data, "sop-class-not-accepted", "CT2", "ARCH")
    assert ct2["same_as"] == lead["id"]


# -- the candidate -------------------------------------------------------------------------------
@pytest.fixture
def whatif_site(site: Path) -> Path:  # noqa: F811  (the imported fixture, requested by name)
    """CT1 and PACS, with the candidate statements pacs2.md (better) and pacs3.md (worse) beside them."""
    return site


def test_candidate_that_fits(whatif_site: Path) -> None:
    a = run_check(whatif_site, candidate=whatif_site.parent / "pacs2.md", use_cache=False)
    view = build_view(a)
    verdict = view.candidate
    assert verdict is not None and verdict.device == "Vault PACS (candidate)"
    assert verdict.fit is Fit.FITS and verdict.blocking == [] and verdict.changes == []
    assert verdict.headline == "Fits: nothing found that needs a change."
    html = to_html(view)
    section = html.split('id="candidate"', 1)[1].split("</section>", 1)[0]
    assert "Does Vault PACS (candidate) fit?" in section and verdict.headline in section
    data = to_json(view)
    assert data["candidate"]["verdict"] == "fits" and data["candidate"]["reasons"] == []


def test_candidate_that_fits_after_a_change(whatif_site: Path) -> None:
    # the archive takes Enhanced CT, but CT Image Storage only uncompressed: CT-1 falls back
    no_j2k = PACS2_MD.replace(
        "1.2.840.10008.1.2; 1.2.840.10008.1.2.1; 1.2.840.10008.1.2.4.90 | SCP |",
        "1.2.840.10008.1.2; 1.2.840.10008.1.2.1 | SCP |",
    )
    (whatif_site.parent / "pacs4.md").write_text(no_j2k, encoding="utf-8")
    view = build_view(run_check(whatif_site, candidate=whatif_site.parent / "pacs4.md", use_cache=False))
    verdict = view.candidate
    assert verdict is not None and verdict.fit is Fit.FITS_AFTER_CHANGES
    assert [it.lead.finding.rule for it in verdict.changes] == ["transfer-syntax-fallback"]
    assert verdict.headline == "Fits after 1 change." and verdict.reasons == verdict.changes
    assert "The changes it needs:" in to_html(view)


def test_candidate_that_does_not_fit(whatif_site: Path) -> None:
    added = build_view(run_check(whatif_site, candidate=whatif_site.parent / "pacs3.md", use_cache=False))
    verdict = added.candidate
    assert verdict is not None and verdict.fit is Fit.DOES_NOT_FIT
    assert verdict.headline == "Does not fit: 2 problems block it."
    assert [it.lead.finding.title for it in verdict.reasons] == [
        "Cheap PACS (candidate) is not a Storage Commitment SCP",
        "Cheap PACS (candidate) does not accept Enhanced CT Image Storage",
    ]
    assert [it.lead.finding.rule for it in verdict.changes] == ["transfer-syntax-fallback"]
    html = to_html(added)
    section = html.split('id="candidate"', 1)[1].split("</section>", 1)[0]
    assert "The main reasons:" in section and "Besides, it needs 1 change." in section
    data = to_json(added)
    assert data["candidate"]["verdict"] == "does-not-fit"
    assert data["candidate"]["reasons"] == [it.lead.id for it in verdict.reasons]

    replaced = build_view(
        run_check(whatif_site, candidate=whatif_site.parent / "pacs3.md", replace="PACS", use_cache=False)
    )
    verdict = replaced.candidate
    assert verdict is not None and verdict.device == "PACS" and verdict.fit is Fit.DOES_NOT_FIT
    assert [it.lead.finding.title for it in verdict.reasons] == ["PACS is not a Storage Commitment SCP"]
    # the workflow chain stays broken (now also at commitment): changed, not resolved
    assert verdict.resolved == 0 and "It resolves" not in to_html(replaced)


def test_no_candidate_verdict_without_a_what_if() -> None:
    assert build_view(sample_analysis()).candidate is None
    assert to_json(sample_analysis())["candidate"] is None


# -- statement quality -----------------------------------------------------------------------------
def test_device_rows_say_how_well_each_statement_was_read() -> None:
    a = sample_analysis()
    data = to_json(a)
    devices = {d["name"]: d for d in data["devices"]}
    ct = statement_quality(a.statements["CT-1"])
    assert devices["CT-1"]["statement_read"] == {
        "services": ct.services,
        "services_without_transfer_syntaxes": ct.without_syntaxes,
        "unresolved_names": 1,
        "unused_sop_classes": 0,
        "unused_transfer_syntaxes": 0,
    }
    assert ct.services == 2 and ct.weak  # a name left unresolved
    assert devices["US-2"]["statement_read"] is None
    html = to_html(a)
    row = html.split('id="dev-1"', 1)[1].split("</tr>", 1)[0]
    assert "2 services" in row and "1 name not resolved" in row and "(p. 1, Cover)" in row
    anchor = re.search(r'href="#(unresolved-st-\d+)"', row).group(1)  # type: ignore[union-attr]
    assert f'id="{anchor}"' in html


def test_parsed_names_are_shown_without_garbage() -> None:
    assert clean_name(Fact("  Helix\tCT\n 9\x00 ")) == "Helix CT 9"
    long = "This document describes the conformance of the product to the DICOM standard in detail"
    shown = clean_name(Fact(long))
    assert shown.endswith("…") and len(shown) <= 61 and " " not in shown[-2:]
    assert clean_name(None) == ""
    a = sample_analysis()
    a.statements["PACS"].product = Fact(long + "\u202e")
    data = to_json(a)
    assert (
        next(d for d in data["devices"] if d["name"] == "PACS")["product"] == long + "\u202e"
    )  # JSON: as read
    assert long not in to_html(a) and "\u202e" not in to_html(a)


# -- print header text -----------------------------------------------------------------------------
def test_site_name_in_the_print_header_cannot_leave_its_css_string() -> None:
    text = css_string(f'St. "X" \\ {SCRIPT}')
    assert text.startswith('"') and text.endswith('"') and text.count('"') == 2
    assert "<" not in text and "\\" + "00003C " in text and "\\" + "000020 " in text
    html = to_html(sample_analysis())
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "<" not in style and "St" in style


def test_cli_pdf_without_chromium_is_one_line_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONFORMANCE_CHROMIUM", str(tmp_path / "no-such-chromium"))
    out = tmp_path / "out" / "report.html"
    result = CliRunner().invoke(app, ["check", "-i", str(EXAMPLE), "--out", str(out), "--pdf"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: {out.with_suffix('.pdf')}: cannot write the PDF: Chromium not found "
        "(install chromium, or set CONFORMANCE_CHROMIUM to its path)"
    ]
    assert not out.parent.exists()
    demo = CliRunner().invoke(app, ["demo", "--out", str(out)])
    assert demo.exit_code == 0 and "note: no PDF: Chromium not found" in demo.output
    assert out.is_file() and not out.with_suffix(".pdf").exists()
    summary = json.loads(out.with_suffix(".json").read_text("utf-8"))["verdicts"]
    assert f"{sum(summary.values())} connections: " in demo.output


def test_new_json_objects_have_exactly_the_documented_fields(whatif_site: Path) -> None:
    docs = _doc_tables()
    data = to_json(run_check(whatif_site, candidate=whatif_site.parent / "pacs3.md", use_cache=False))
    assert data["fix_first"] and all(list(x) == docs["fix_first[]"] for x in data["fix_first"])
    assert list(data["candidate"]) == docs["candidate"]
    merged = _finding(to_json(grouped_analysis()), "probe-sop-class-refused")
    assert all(list(c) == ["title", "detail", "fix", "sop_classes"] for c in merged["cases"])


# -- the network diagram -----------------------------------------------------------------------------
def _svg(html: str) -> str:
    return html.split('<svg class="network"', 1)[1].split("</svg>", 1)[0]


def test_diagram_draws_every_device_and_connection_with_words_not_only_colour() -> None:
    a = sample_analysis()
    view = build_view(a)
    d = view.diagram
    assert d is not None and not d.grouped
    assert [n.title.split(" (")[0] for n in d.nodes] == [dev.name for dev in a.devices]
    assert len(d.edges) == len(view.connections) == 4
    assert {e.label for e in d.edges} == {"✕", "!", "✓"}
    svg = _svg(to_html(a))
    assert 'aria-labelledby="network-title network-desc"' in svg
    assert '<desc id="network-desc">Devices 5; connections 4: 1 does not work' in svg
    assert svg.count('<a class="edge e-') == 4 and svg.count('<a class="node s-') == 5
    # each arrow says what it is in words and links to the connection's findings
    fails = re.search(r'<a class="edge e-fails" href="#(link-\d+-\d+)"><title>(.*?)</title>', svg)
    assert fails and fails.group(2).startswith("CT-1 → PACS (commitment, store): Does not work; ")
    assert f'id="{fails.group(1)}"' in to_html(a)
    # hostile names are text in the SVG too; long ones are shortened, the full name is the title
    assert "&lt;script&gt;" in svg and "<script" not in svg
    viewer = next(n for n in d.nodes if n.title.startswith("Viewer"))
    assert viewer.label.endswith("…") and len(viewer.label) <= 24 and SCRIPT in viewer.title
    # the skipped device is drawn dashed, the viewer (own blocking finding) filled
    status = {n.label: n.status for n in d.nodes}
    assert status["US-2"] == "skipped" and viewer.status == "blocking" and status["RIS"] == "none"
    assert build_view(a).diagram == d  # deterministic


def test_large_site_diagram_groups_devices_by_role() -> None:
    from conformance.report.diagram import DIAGRAM_MAX_DEVICES

    a = sample_analysis(extra_devices=DIAGRAM_MAX_DEVICES)
    d = build_view(a).diagram
    assert d is not None and d.grouped
    roles = [n.label for n in d.nodes]
    assert sorted(roles) == sorted(["Modalities", "Archives", "Worklist / RIS", "Workstations"])
    modalities = next(n for n in d.nodes if n.label == "Modalities")
    assert modalities.sub == f"{2 + DIAGRAM_MAX_DEVICES} devices, {1 + DIAGRAM_MAX_DEVICES} not analyzed"
    edge = next(e for e in d.edges if e.title.startswith("Modalities → Archives"))
    assert edge.title == "Modalities → Archives: 2 connections (1 does not work, 1 works)"
    assert edge.label == "2: 1✕ 1✓" and edge.state == "fails"
    assert d.width < 1200 and d.height < 400


def test_large_report_is_compact_and_keeps_every_finding_and_quote_reachable() -> None:
    from conformance.report.view import COMPACT_FINDINGS

    a = sample_analysis(extra_devices=COMPACT_FINDINGS)
    base = a.findings[0]  # CT-1 -> PACS: no common transfer syntax, both sides quoted
    for i in range(COMPACT_FINDINGS):
        name = f"CT-extra-{i}"
        a.statements[name] = a.statements["CT-1"]  # the same product: the same problem as CT-1's
        evidence = [
            Evidence(name, e.statement, e.claim, e.provenance) if e.device == "CT-1" else e
            for e in base.evidence
        ]
        a.findings.append(
            Finding(
                rule=base.rule,
                severity=base.severity,
                title=base.title,
                detail=base.detail.replace("CT-1", name),
                fix=base.fix.replace("CT-1", name),
                source=name,
                target="PACS",
                service="store",
                evidence=evidence,
            )
        )
    view = build_view(a)
    assert view.compact and len(view.findings) == COMPACT_FINDINGS + 6
    html = to_html(view)
    ids = set(re.findall(r' id="([^"]+)"', html))
    assert {fv.anchor for fv in view.findings} <= ids
    assert all(h in ids for h in re.findall(r'href="#([^"]+)"', html)), "no dangling link"
    assert '<table class="evidence">' not in html  # quotes live once, in the evidence index
    lead = next(fv for fv in view.findings if fv.finding is base)
    assert len(lead.repeats) == COMPACT_FINDINGS
    assert html.count(f'Same problem as <a href="#{lead.anchor}">{lead.id}</a>') == COMPACT_FINDINGS
    quote = "CT Image Storage SCU JPEG 2000"
    assert html.count(f"<blockquote>{quote}</blockquote>") == 1
    assert len(html) < 2_000 * len(view.findings) + 60_000, "a few hundred bytes per repeated problem"
    data = to_json(view)  # the JSON stays complete
    assert all(len(f["evidence"]) == 2 for f in data["findings"] if f["rule"] == base.rule)


def test_a_replacement_that_fixes_the_site_says_what_it_resolves(whatif_site: Path) -> None:
    """pacs2.md accepts Enhanced CT and JPEG 2000: the refused class and the fallback are gone."""
    replaced = build_view(
        run_check(whatif_site, candidate=whatif_site.parent / "pacs2.md", replace="PACS", use_cache=False)
    )
    verdict = replaced.candidate
    assert verdict is not None and verdict.device == "PACS"
    assert verdict.resolved == 2
    assert "It resolves 2 findings of the site as it is today." in to_html(replaced)
