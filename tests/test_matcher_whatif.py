"""End to end on Markdown statements read by the real parser, and the pre-purchase what-if
(`conformance check --candidate ... [--as ROLE] [--replace DEVICE]`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conformance.cli import app
from conformance.errors import ConformanceError
from conformance.findings import Severity
from conformance.inventory import DeviceRole
from conformance.parsers import parse_statement
from conformance.pipeline import guess_role, run_check

CT_MD = """# DICOM Conformance Statement

Product: Nova CT

## Network Services

| SOP Class Name | SOP Class UID | SCU | SCP |
|---|---|---|---|
| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 | Yes | No |
| Enhanced CT Image Storage | 1.2.840.10008.5.1.4.1.1.2.1 | Yes | No |
| Storage Commitment Push Model | 1.2.840.10008.1.20.1 | Yes | No |
| Modality Worklist Information Model - FIND | 1.2.840.10008.5.1.4.31 | Yes | No |
| Modality Performed Procedure Step | 1.2.840.10008.3.1.2.3.3 | Yes | No |

## Proposed Presentation Contexts

| Abstract Syntax | UID | Transfer Syntax | Role |
|---|---|---|---|
| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 | CT_TS | SCU |
| Enhanced CT Image Storage | 1.2.840.10008.5.1.4.1.1.2.1 | 1.2.840.10008.1.2.4.90 | SCU |

## Accepted Presentation Contexts (Storage Commitment replies)

| Abstract Syntax | UID | Transfer Syntax | Role |
|---|---|---|---|
| Storage Commitment Push Model | 1.2.840.10008.1.20.1 | 1.2.840.10008.1.2 | SCU |

Maximum number of associations initiated: 2

Specific Character Set: ISO_IR 100
""".replace("CT_TS", "1.2.840.10008.1.2.4.90; 1.2.840.10008.1.2.1; 1.2.840.10008.1.2")

PACS_MD = """# Conformance Statement

Product: Keep PACS

## Network Services

| SOP Class Name | SOP Class UID | SCU | SCP |
|---|---|---|---|
| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 | Yes | Yes |
| Storage Commitment Push Model | 1.2.840.10008.1.20.1 | No | Yes |
| Study Root Query/Retrieve Information Model - FIND | 1.2.840.10008.5.1.4.1.2.2.1 | No | Yes |
| Study Root Query/Retrieve Information Model - MOVE | 1.2.840.10008.5.1.4.1.2.2.2 | No | Yes |

## Accepted Presentation Contexts

| Abstract Syntax | UID | Transfer Syntax | Role |
|---|---|---|---|
| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 | 1.2.840.10008.1.2; 1.2.840.10008.1.2.1 | SCP |
| Storage Commitment Push Model | 1.2.840.10008.1.20.1 | 1.2.840.10008.1.2 | SCP |

Maximum number of associations accepted: 10
"""

# A better archive: Enhanced CT and JPEG 2000.
PACS2_MD = (
    PACS_MD.replace("Keep PACS", "Vault PACS")
    .replace(
        "| Storage Commitment Push Model | 1.2.840.10008.1.20.1 | No | Yes |",
        "| Enhanced CT Image Storage | 1.2.840.10008.5.1.4.1.1.2.1 | Yes | Yes |\n"
        "| Storage Commitment Push Model | 1.2.840.10008.1.20.1 | No | Yes |",
    )
    .replace(
        "| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 | 1.2.840.10008.1.2; 1.2.840.10008.1.2.1 | SCP |",
        "| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 | 1.2.840.10008.1.2; 1.2.840.10008.1.2.1; "
        "1.2.840.10008.1.2.4.90 | SCP |\n"
        "| Enhanced CT Image Storage | 1.2.840.10008.5.1.4.1.1.2.1 | 1.2.840.10008.1.2.4.90 | SCP |",
    )
)

# A worse archive: no Storage Commitment at all.
PACS3_MD = (
    PACS_MD.replace("Keep PACS", "Cheap PACS")
    # states it is no Storage Commitment SCP (a "No | No" row): a stated refusal, not silence
    .replace(
        "| Storage Commitment Push Model | 1.2.840.10008.1.20.1 | No | Yes |\n",
        "| Storage Commitment Push Model | 1.2.840.10008.1.20.1 | No | No |\n",
    )
    .replace("| Storage Commitment Push Model | 1.2.840.10008.1.20.1 | 1.2.840.10008.1.2 | SCP |\n", "")
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    for name, text in {
        "ct.md": CT_MD,
        "pacs.md": PACS_MD,
        "pacs2.md": PACS2_MD,
        "pacs3.md": PACS3_MD,
    }.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    inv = tmp_path / "site.yaml"
    inv.write_text(
        yaml.safe_dump(
            {
                "site": "Test site",
                "devices": [
                    {
                        "name": "CT1",
                        "role": "modality",
                        "ae_title": "CT1",
                        "host": "ct1",
                        "port": 104,
                        "statement": "ct.md",
                        "sends": ["CT Image Storage", "Enhanced CT Image Storage"],
                    },
                    {
                        "name": "PACS",
                        "role": "archive",
                        "ae_title": "PACS",
                        "host": "pacs",
                        "port": 104,
                        "statement": "pacs.md",
                    },
                ],
            }
        )
    )
    return inv


def _keys(analysis, severity=None):
    return {
        (f.rule, f.source, f.target) for f in analysis.findings if severity is None or f.severity is severity
    }


def test_parsed_markdown_statements_show_the_gaps(site: Path) -> None:
    a = run_check(site, use_cache=False)
    blocking = [f for f in a.findings if f.severity is Severity.BLOCKING and f.rule != "workflow-chain"]
    assert [(f.rule, f.title) for f in blocking] == [
        ("sop-class-not-accepted", "PACS does not accept Enhanced CT Image Storage")
    ]
    fallback = next(f for f in a.findings if f.rule == "transfer-syntax-fallback")
    assert fallback.severity is Severity.DEGRADING
    ct_ev = fallback.evidence[0]
    assert (
        ct_ev.statement == "ct.md"
        and ct_ev.provenance.line
        and "1.2.840.10008.1.2.4.90" in ct_ev.provenance.text
    )
    assert not any(f.rule.startswith("commitment-reply") for f in a.findings)  # CT1 accepts the reply


def test_guess_role_from_services(site: Path) -> None:
    assert guess_role(parse_statement(site.parent / "ct.md", use_cache=False)) is DeviceRole.MODALITY
    assert guess_role(parse_statement(site.parent / "pacs.md", use_cache=False)) is DeviceRole.ARCHIVE


def test_candidate_archive_fits_the_department(site: Path) -> None:
    a = run_check(site, candidate=site.parent / "pacs2.md", use_cache=False)
    name = "Vault PACS (candidate)"
    assert a.title == f"What-if: adding {name} as archive"
    assert any(d.name == name and d.role is DeviceRole.ARCHIVE for d in a.devices)
    links = {(lk.source, lk.target, lk.service.value) for lk in a.links}
    assert {("CT1", name, "store"), ("CT1", name, "commitment")} <= links
    new = [f for f in a.findings if f.change == "new"]
    assert new and all(name in (f.source, f.target) or name in f.title for f in new)
    # the candidate accepts Enhanced CT and JPEG 2000: no gap on its own store link
    assert not [f for f in new if f.severity is Severity.BLOCKING and f.target == name]
    summary = next(f for f in a.findings if f.rule == "what-if-summary")
    assert "0 blocking" in summary.title


def test_candidate_role_can_be_forced_and_is_validated(site: Path) -> None:
    a = run_check(site, candidate=site.parent / "ct.md", as_role="modality", use_cache=False)
    assert any(d.role is DeviceRole.MODALITY and "candidate" in d.name for d in a.devices)
    with pytest.raises(ConformanceError, match="unknown role 'toaster'"):
        run_check(site, candidate=site.parent / "ct.md", as_role="toaster", use_cache=False)


def test_replacement_reports_what_it_breaks_and_fixes(site: Path) -> None:
    worse = run_check(site, candidate=site.parent / "pacs3.md", replace="PACS", use_cache=False)
    # the candidate states it is no Storage Commitment SCP ("No | No"): a new, confirmed blocker
    new = [f for f in worse.findings if f.change == "new" and f.severity is Severity.BLOCKING]
    gap = [f for f in new if f.rule == "acceptor-lacks-scp" and "Storage Commitment" in f.title]
    assert gap and not any(f.unconfirmed for f in gap)
    quoted = [e for f in gap for e in f.evidence if e.statement == "pacs3.md"]
    assert quoted and all(e.provenance is not None and e.provenance.text.endswith("| No") for e in quoted)
    summary = next(f for f in worse.findings if f.rule == "what-if-summary")
    assert "blocking" in summary.title and summary.source == "PACS"

    better = run_check(site, candidate=site.parent / "pacs2.md", replace="PACS", use_cache=False)
    resolved = [f for f in better.findings if f.change == "resolved"]
    assert any("Enhanced CT Image Storage" in f.title for f in resolved)
    assert all(f.severity is Severity.INFO for f in resolved)
    assert not [f for f in better.findings if f.severity is Severity.BLOCKING and f.rule != "workflow-chain"]


def test_replace_unknown_device_is_a_clear_error(site: Path) -> None:
    with pytest.raises(ConformanceError, match="--replace: no device 'NOPE'"):
        run_check(site, candidate=site.parent / "pacs2.md", replace="NOPE", use_cache=False)
    with pytest.raises(ConformanceError, match="--replace needs --candidate"):
        run_check(site, replace="PACS", use_cache=False)
    with pytest.raises(ConformanceError, match="--as needs --candidate"):
        run_check(site, as_role="archive", use_cache=False)


def test_cli_what_if(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "whatif.html"
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "check",
            "-i",
            str(site),
            "--candidate",
            str(site.parent / "pacs3.md"),
            "--replace",
            "PACS",
            "--out",
            str(out),
            "--no-cache",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "What-if: replacing PACS" in result.output
    data = json.loads(out.with_suffix(".json").read_text())
    assert any(f["rule"] == "what-if-summary" for f in data["findings"])
    bad = runner.invoke(
        app, ["check", "-i", str(site), "--candidate", str(site.parent / "nope.md"), "--out", str(out)]
    )
    assert bad.exit_code == 1
    assert "nope.md" in bad.output and "Traceback" not in bad.output


def test_csv_and_xlsx_inventories_match_like_yaml(site: Path) -> None:
    import pandas as pd

    rows = [
        {
            "device": "CT1",
            "role": "modality",
            "ae_title": "CT1",
            "host": "ct1",
            "port": "104",
            "statement": "ct.md",
            "sends": "CT Image Storage; Enhanced CT Image Storage",
        },
        {
            "device": "PACS",
            "role": "archive",
            "ae_title": "PACS",
            "host": "pacs",
            "port": "104",
            "statement": "pacs.md",
            "sends": "",
        },
    ]
    csv_path = site.parent / "site.csv"
    pd.DataFrame(rows).to_csv(csv_path, index=False)
    xlsx_path = site.parent / "site.xlsx"
    pd.DataFrame(rows).to_excel(xlsx_path, index=False)

    def shape(path: Path):
        a = run_check(path, use_cache=False)
        return [(f.severity, f.rule, f.source, f.target, f.service, f.title) for f in a.findings]

    expected = shape(site)
    assert expected and shape(csv_path) == expected == shape(xlsx_path)


def test_bad_inventory_rows_are_listed_as_skipped_and_the_rest_is_matched(site: Path, tmp_path: Path) -> None:
    csv_path = site.parent / "bad.csv"
    csv_path.write_text(
        "device,role,ae_title,host,port,statement,sends_to\n"
        "CT1,modality,CT1,ct1,104,ct.md,PACS\n"
        "CT2,modality,THIS_TITLE_IS_MUCH_TOO_LONG,ct2,104,ct.md,PACS\n"
        "PACS,archive,PACS,pacs,70000,pacs.md,\n"
        "PACS,archive,PACS,pacs,104,pacs.md,\n",
        encoding="utf-8",
    )
    a = run_check(csv_path, use_cache=False)
    reasons = [f"{s.item}: {s.reason}" for s in a.skipped]
    assert any(r.startswith("bad.csv row 3 (CT2): AE title") and "27 characters long" in r for r in reasons)
    assert "bad.csv row 4 (PACS): port 70000 is outside 1-65535" in reasons
    assert not any("unknown device 'CT2'" in r for r in reasons)  # its row error already says why
    assert {d.name for d in a.devices} == {"CT1", "PACS"}
    assert any(f.rule == "sop-class-not-accepted" and f.source == "CT1" for f in a.findings)
    out = tmp_path / "r" / "bad.html"
    result = CliRunner().invoke(app, ["check", "-i", str(csv_path), "--out", str(out), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert f"{len(a.skipped)} skipped" in result.output
    assert "bad.csv row 3 (CT2)" in out.read_text(encoding="utf-8")


PRINTER_MD = """# Conformance Statement

Product: Inkwell Printer

## Network Services

| SOP Class Name | SOP Class UID | SCU | SCP |
|---|---|---|---|
| Basic Grayscale Print Management Meta SOP Class | 1.2.840.10008.5.1.1.9 | No | Yes |
| Verification | 1.2.840.10008.1.1 | No | Yes |
"""


def test_print_links_implied_for_print_scus_only(site: Path) -> None:
    folder = site.parent
    (folder / "prn.md").write_text(PRINTER_MD, encoding="utf-8")
    ct_print = CT_MD.replace(
        "| Modality Performed Procedure Step |",
        "| Basic Grayscale Print Management Meta SOP Class | 1.2.840.10008.5.1.1.9 | Yes | No |\n"
        "| Modality Performed Procedure Step |",
    )
    (folder / "ct_print.md").write_text(ct_print, encoding="utf-8")
    inv = folder / "print.yaml"
    devices = [
        {"name": "CT1", "role": "modality", "ae_title": "CT1", "port": 104, "statement": "ct.md"},
        {"name": "CT2", "role": "modality", "ae_title": "CT2", "port": 104, "statement": "ct_print.md"},
        {"name": "PACS", "role": "archive", "ae_title": "PACS", "port": 104, "statement": "pacs.md"},
        {"name": "PRN", "role": "printer", "ae_title": "PRN", "port": 104, "statement": "prn.md"},
    ]
    inv.write_text(yaml.safe_dump({"devices": devices}), encoding="utf-8")
    a = run_check(inv, use_cache=False)
    prints = {(lk.source, lk.target) for lk in a.links if lk.service.value == "print"}
    assert prints == {("CT2", "PRN")}
    assert not [f for f in a.findings if f.service == "print" and f.severity is not Severity.INFO]

    # what-if: a candidate printer is linked to the site's Print SCUs
    inv.write_text(yaml.safe_dump({"devices": devices[:3]}), encoding="utf-8")
    w = run_check(inv, candidate=folder / "prn.md", use_cache=False)
    assert {(lk.source, lk.target) for lk in w.links if lk.service.value == "print"} == {
        ("CT2", "Inkwell Printer (candidate)")
    }


def test_table_inventory_evidence_cites_the_row(site: Path) -> None:
    csv_path = site.parent / "dup.csv"
    csv_path.write_text(
        "device,role,ae_title,host,port,statement\n"
        "CT1,modality,SCANNER,ct1,104,ct.md\n"
        "CT2,modality,SCANNER,ct2,104,ct.md\n"
        "PACS,archive,PACS,pacs,104,pacs.md\n",
        encoding="utf-8",
    )
    a = run_check(csv_path, use_cache=False)
    f = next(f for f in a.findings if f.rule == "ae-title-duplicate")
    assert [(e.provenance.file, e.provenance.line) for e in f.evidence] == [("dup.csv", 2), ("dup.csv", 3)]
