"""Inventory input a person can trust (issue 16 item 6): every error of a row at once, strict
yes/no cells, XLSX sheets, YAML positions, links to a left-out device, `sends`, the console."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from conformance.cli import app
from conformance.errors import InventoryError
from conformance.findings import Severity
from conformance.inventory import load_inventory
from conformance.pipeline import run_check
from tests import badinput as B

CT_UID = "1.2.840.10008.5.1.4.1.1.2"
MR_UID = "1.2.840.10008.5.1.4.1.1.4"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "ct.md").write_text(B.statement_markdown(), encoding="utf-8")
    (tmp_path / "pacs.md").write_text(B.statement_markdown(product="Acme PACS", scp="Yes"), encoding="utf-8")
    return tmp_path


def _yaml(folder: Path, text: str) -> Path:
    path = folder / "site.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_error_of_a_yaml_device_is_reported_at_once(folder: Path) -> None:
    inv = load_inventory(
        _yaml(
            folder,
            """devices:
  - {name: CT, role: modality, ae_title: CT1, statement: ct.md}
  - {name: MR, role: scanner, ae_title: MR1, port: dicom, tls: Ja, statement: ct.md}
""",
        )
    )
    mr = [p for p in inv.errors() if "(MR)" in p.where]
    assert sorted(p.message for p in mr) == [
        "port 'dicom' is not a number",
        "tls 'Ja' is not one of yes/no/true/false/1/0",
        "unknown role 'scanner' for MR",
    ]
    assert [d.name for d in inv.devices] == ["CT"]
    reason = inv.skipped_devices["MR"].message
    assert "unknown role" in reason and "port" in reason and "tls" in reason


def test_every_error_of_a_table_row_is_reported_at_once(folder: Path) -> None:
    path = folder / "site.csv"
    path.write_text(
        "device,role,ae_title,port,tls,statement\nCT,modality,CT1,104,yes,ct.md\n"
        "MR,modality,MR\\1,99999,maybe,ct.md\n",
        encoding="utf-8",
    )
    inv = load_inventory(path)
    row = [p.message for p in inv.errors() if p.where.startswith("site.csv row 3")]
    assert any("outside the default repertoire" in m for m in row)
    assert any("port 99999 is outside" in m for m in row)
    assert any("tls 'maybe'" in m for m in row)


@pytest.mark.parametrize(
    ("cell", "value"), [("yes", True), ("No", False), ("TRUE", True), ("0", False), ("1.0", True), ("", None)]
)
def test_yes_no_cells_are_strict(folder: Path, cell: str, value: bool | None) -> None:
    path = folder / "site.csv"
    path.write_text(f"device,role,ae_title,tls,statement\nCT,modality,CT1,{cell},ct.md\n", encoding="utf-8")
    assert load_inventory(path).devices[0].aes[0].tls is value


def test_yaml_booleans_and_unknown_words(folder: Path) -> None:
    inv = load_inventory(
        _yaml(
            folder,
            """devices:
  - {name: CT, role: modality, ae_title: CT1, tls: true}
  - {name: US, role: modality, ae_title: US1, tls: required}
""",
        )
    )
    assert inv.devices[0].aes[0].tls is True
    assert [d.name for d in inv.devices] == ["CT"]  # 'required' is not a yes/no: an error, never False
    assert "tls 'required'" in inv.skipped_devices["US"].message


def test_yaml_syntax_errors_give_line_and_column(folder: Path) -> None:
    path = _yaml(folder, "devices:\n  - name: CT\n    role: modality\n   ae_title: CT1\n")
    with pytest.raises(InventoryError, match=r"site\.yaml: invalid YAML at line 4, column 4: "):
        load_inventory(path)


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


HEADER = ["device", "role", "ae_title", "host", "port", "statement", "sends_to"]


def test_xlsx_reads_every_sheet_with_the_columns_or_the_one_named(folder: Path) -> None:
    path = _workbook(
        folder / "site.xlsx",
        {
            "Notes": [["Written by the PACS team"], ["Do not edit the ports"]],
            "Modalities": [HEADER, ["CT", "modality", "CT1", "ct", 104, "ct.md", "PACS"]],
            "Archives": [HEADER, ["PACS", "archive", "PACS", "pacs", 104, "pacs.md", ""]],
        },
    )
    inv = load_inventory(path)
    assert [d.name for d in inv.devices] == ["CT", "PACS"]
    assert inv.devices[0].row.startswith("site.xlsx sheet 'Modalities' row 2")
    assert any("sheet 'Notes' ignored" in p.message for p in inv.warnings())
    assert [(lk.source, lk.target) for lk in inv.links if lk.service.value == "store"] == [("CT", "PACS")]
    only = load_inventory(path, sheet="Archives")
    assert [d.name for d in only.devices] == ["PACS"]
    with pytest.raises(InventoryError, match=r"no sheet 'Devices' \(sheets: Notes, Modalities, Archives\)"):
        load_inventory(path, sheet="Devices")
    csv = folder / "site.csv"
    csv.write_text("device,ae_title\nCT,CT1\n", encoding="utf-8")
    with pytest.raises(InventoryError, match="applies to XLSX inventories only"):
        load_inventory(csv, sheet="Archives")


SKIPPED_PACS = """devices:
  - {name: CT, role: modality, ae_title: CT1, statement: ct.md}
  - {name: PACS, role: pacsx, ae_title: PACS, statement: pacs.md}
links:
  - {from: CT, to: PACS, service: store}
  - {from: CT, to: PACS, service: commitment}
"""


def test_links_to_a_skipped_device_are_not_checked_and_say_why(folder: Path) -> None:
    a = run_check(_yaml(folder, SKIPPED_PACS), use_cache=False)
    [f] = [f for f in a.findings if f.rule == "link-not-checked"]
    assert f.title == "commitment, store not checked: device PACS was skipped (unknown role 'pacsx' for PACS)"
    assert f.severity is Severity.DEGRADING and (f.source, f.target) == ("CT", "PACS")
    assert f.evidence[0].provenance is not None and "device 2" in f.evidence[0].provenance.section
    everything = " ".join(f.title + " " + f.detail for f in a.findings)
    assert "storage missing" not in everything and "storage commitment missing" not in everything
    assert any(s.item.endswith("(PACS)") and s.kind == "inventory" for s in a.skipped)


def test_the_console_prints_each_skipped_row_and_strict_separates_the_groups(folder: Path) -> None:
    row = "| Verification | 1.2.840.10008.1.1 | Yes | Yes |"
    odd = "\n| Quantum Flux Image Storage | | Yes | No |"  # a name no dictionary resolves
    (folder / "odd.md").write_text(B.statement_markdown().replace(row, row + odd), encoding="utf-8")
    path = _yaml(folder, SKIPPED_PACS.replace("statement: ct.md", "statement: odd.md"))
    out = folder / "r.html"
    result = CliRunner().invoke(app, ["check", "-i", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "  skipped site.yaml device 2 (PACS): unknown role 'pacsx' for PACS" in result.output
    strict = CliRunner().invoke(app, ["check", "-i", str(path), "--out", str(out), "--strict"])
    assert strict.exit_code == 2
    err = strict.stderr
    assert "inventory error: skipped site.yaml device 2 (PACS): unknown role 'pacsx'" in err
    assert "statement warning: odd.md, line" in err and "Quantum Flux Image Storage" in err
    summary = err.strip().splitlines()[-1]
    assert summary.startswith("strict: 1 inventory error(s), ") and "statement warning(s)" in summary


def test_sends_reads_names_keywords_and_uids_and_warns_on_the_rest(folder: Path) -> None:
    inv = load_inventory(
        _yaml(
            folder,
            f"""devices:
  - name: CT
    role: modality
    ae_title: CT1
    statement: ct.md
    sends: [CT Image Storage, MRImageStorage, "{CT_UID}", Modality Worklist, Holo Storage]
  - {{name: PACS, role: archive, ae_title: PACS, statement: pacs.md}}
links:
  - {{from: CT, to: PACS, service: store, sends: [MR Image Storage]}}
  - {{from: CT, to: PACS, service: commitment, sends: [MR Image Storage]}}
""",
        )
    )
    assert inv.devices[0].sends == (CT_UID, MR_UID)
    warnings = [p.message for p in inv.warnings()]
    assert any("Modality Worklist Information Model - FIND in sends is not a storage" in w for w in warnings)
    assert any("unknown SOP class 'Holo Storage' in sends" in w for w in warnings)
    assert any("'sends' applies to store links only" in w for w in warnings)
    store = next(lk for lk in inv.links if lk.service.value == "store")
    assert store.sends == (MR_UID,)


def test_sends_column_in_a_table(folder: Path) -> None:
    path = folder / "site.csv"
    path.write_text(
        "device,role,ae_title,statement,sends,sends_to\n"
        "CT,modality,CT1,ct.md,CT Image Storage,PACS\n"
        "CT,,CT2,,MR Image Storage,\n"
        "PACS,archive,PACS,pacs.md,,\n",
        encoding="utf-8",
    )
    inv = load_inventory(path)
    assert inv.devices[0].sends == (CT_UID, MR_UID)  # further rows of a device add to it
    assert [ae.title for ae in inv.devices[0].aes] == ["CT1", "CT2"]
