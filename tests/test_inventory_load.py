"""Inventory: YAML, CSV and XLSX, per-row validation, implied links."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from conformance.errors import InventoryError
from conformance.inventory import DeviceRole, Service, ae_title_problem, load_inventory

HEADER = (
    "device,role,ae_title,host,port,statement,"
    "sends_to,commits_to,worklist_from,mpps_to,queries,retrieves_from\n"
)


def _statements(folder: Path, *names: str) -> None:
    for name in names:
        (folder / name).write_text("# statement\n", encoding="utf-8")


def _csv(tmp_path: Path, rows: str, header: str = HEADER) -> Path:
    _statements(tmp_path, "ct.md", "pacs.md", "ris.md", "ws.md")
    path = tmp_path / "site.csv"
    path.write_text(header + rows, encoding="utf-8")
    return path


def _links(inv) -> set[tuple[str, str, str]]:
    return {(lk.source, lk.target, lk.service.value) for lk in inv.links}


def test_yaml_v1_shape_with_aes_list_and_links(tmp_path: Path) -> None:
    _statements(tmp_path, "ct.md", "pacs.md")
    path = tmp_path / "site.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "site": "General Hospital",
                "devices": [
                    {
                        "name": "CT1",
                        "role": "modality",
                        "ae_title": "CT1",
                        "host": "ct1",
                        "port": 104,
                        "statement": "ct.md",
                    },
                    {
                        "name": "PACS",
                        "role": "PACS",
                        "statement": "pacs.md",
                        "aes": [
                            {"ae_title": "PACS_STORE", "host": "pacs", "port": 104},
                            {"ae_title": "PACS_QR", "host": "pacs", "port": 11112},
                        ],
                    },
                ],
                "links": [{"from": "CT1", "to": "PACS", "service": "store"}],
            }
        )
    )
    inv = load_inventory(path)
    assert inv.site == "General Hospital" and not inv.problems
    pacs = inv.device("PACS")
    assert pacs.role is DeviceRole.ARCHIVE and [ae.title for ae in pacs.aes] == ["PACS_STORE", "PACS_QR"]
    assert pacs.statement == tmp_path / "pacs.md"
    assert _links(inv) == {("CT1", "PACS", "store")}  # explicit: nothing implied for CT1


def test_csv_one_row_per_ae_with_link_columns(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "CT1,modality,CT1,ct1,104,ct.md,PACS,PACS,RIS,RIS;PACS,,\n"
        "PACS,archive,PACS_STORE,pacs,104,pacs.md,,,,,,\n"
        "PACS,,PACS_QR,pacs,11112,,,,,,,\n"
        "RIS,worklist,RIS,ris,104,ris.md,,,,,,\n"
        "WS,workstation,WS1,ws,104,ws.md,,,,,PACS,PACS\n",
    )
    inv = load_inventory(path)
    assert not inv.errors(), inv.problems
    assert [ae.title for ae in inv.device("PACS").aes] == ["PACS_STORE", "PACS_QR"]
    assert {
        ("CT1", "PACS", "store"),
        ("CT1", "PACS", "commitment"),
        ("CT1", "RIS", "worklist"),
        ("CT1", "RIS", "mpps"),
        ("CT1", "PACS", "mpps"),
        ("WS", "PACS", "query"),
        ("WS", "PACS", "move"),
    } == {k for k in _links(inv) if k[0] in {"CT1", "WS"}}


def test_xlsx_is_read_like_csv(tmp_path: Path) -> None:
    _statements(tmp_path, "ct.md", "pacs.md")
    frame = pd.DataFrame(
        [
            {
                "device": "CT1",
                "role": "modality",
                "ae_title": "CT1",
                "host": "ct1",
                "port": 104,
                "statement": "ct.md",
            },
            {
                "device": "PACS",
                "role": "archive",
                "ae_title": "PACS",
                "host": "pacs",
                "port": 104,
                "statement": "pacs.md",
            },
        ]
    )
    path = tmp_path / "site.xlsx"
    frame.to_excel(path, index=False)
    inv = load_inventory(path)
    assert [d.name for d in inv.devices] == ["CT1", "PACS"]
    assert inv.device("CT1").aes[0].port == 104
    # no explicit links: implied by role
    assert {("CT1", "PACS", "store"), ("CT1", "PACS", "commitment")} <= _links(inv)


def test_implied_links_only_for_devices_without_explicit_ones(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "CT1,modality,CT1,h1,104,ct.md,,,,,,\n"
        "CT2,modality,CT2,h2,104,ct.md,PACS,,,,,\n"
        "PACS,archive,PACS,h3,104,pacs.md,,,,,,\n"
        "RIS,worklist,RIS,h4,104,ris.md,,,,,,\n"
        "WS,workstation,WS,h5,104,ws.md,,,,,,\n",
    )
    inv = load_inventory(path)
    links = _links(inv)
    assert {
        ("CT1", "PACS", "store"),
        ("CT1", "PACS", "commitment"),
        ("CT1", "RIS", "worklist"),
        ("CT1", "RIS", "mpps"),
    } <= links
    assert [k for k in links if k[0] == "CT2"] == [("CT2", "PACS", "store")]
    assert {("WS", "PACS", "query"), ("WS", "PACS", "move")} <= links
    assert all(lk.implied for lk in inv.links if lk.source in {"CT1", "WS"})


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("BAD,modality,THIS_TITLE_IS_TOO_LONG,h,104,ct.md", "22 characters long"),
        ("BAD,modality,A\\B,h,104,ct.md", "outside the default repertoire"),
        ("BAD,modality,,h,104,ct.md", "empty AE title"),
        ("BAD,modality,BAD,h,0,ct.md", "port 0 is outside 1-65535"),
        ("BAD,modality,BAD,h,70000,ct.md", "port 70000 is outside 1-65535"),
        ("BAD,modality,BAD,h,abc,ct.md", "port 'abc' is not a number"),
        ("BAD,scanner,BAD,h,104,ct.md", "unknown role 'scanner'"),
        ("PACS,modality,PACS2,h,104,pacs.md", "duplicate device name 'PACS' with a different role"),
        ("PACS,archive,PACS2,h,104,ct.md", "duplicate device name 'PACS' with a different statement"),
    ],
)
def test_bad_row_is_named_and_does_not_hide_the_others(tmp_path: Path, row: str, message: str) -> None:
    path = _csv(
        tmp_path,
        f"CT1,modality,CT1,h1,104,ct.md,,,,,,\nPACS,archive,PACS,h2,104,pacs.md,,,,,,\n{row},,,,,,\n",
    )
    inv = load_inventory(path)
    problems = [str(p) for p in inv.errors()]
    assert any(p.startswith("site.csv row 4") and message in p for p in problems), problems
    assert {"CT1", "PACS"} <= {d.name for d in inv.devices}
    assert "BAD" not in {d.name for d in inv.devices}
    assert [ae.title for ae in inv.device("PACS").aes] == ["PACS"]


def test_control_character_in_ae_title() -> None:
    assert "outside the default repertoire" in (ae_title_problem("CT\x07") or "")
    assert ae_title_problem("  CT1 ") is None and ae_title_problem("X" * 16) is None


def test_missing_statement_file_is_reported_but_the_device_kept(tmp_path: Path) -> None:
    path = _csv(
        tmp_path, "CT1,modality,CT1,h1,104,nowhere.pdf,,,,,,\nPACS,archive,PACS,h2,104,pacs.md,,,,,,\n"
    )
    inv = load_inventory(path)
    warn = [str(p) for p in inv.warnings()]
    assert any("site.csv row 2" in p and "nowhere.pdf not found" in p for p in warn), warn
    assert inv.device("CT1") is not None


def test_link_to_unknown_device_and_self_link(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "CT1,modality,CT1,h1,104,ct.md,PACS;NOPE,,,,,\nPACS,archive,PACS,h2,104,pacs.md,PACS,,,,,\n",
    )
    inv = load_inventory(path)
    problems = [str(p) for p in inv.errors()]
    assert any("row 2" in p and "unknown device 'NOPE'" in p for p in problems), problems
    assert any("row 3" in p and "from PACS to itself" in p for p in problems), problems
    assert ("CT1", "PACS", "store") in _links(inv)


def test_store_loop_between_archives_is_flagged(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "A,archive,A,h1,104,pacs.md,B,,,,,\nB,archive,B,h2,104,pacs.md,C,,,,,\nC,archive,C,h3,104,pacs.md,A,,,,,\n",
    )
    inv = load_inventory(path)
    assert any("forwarding loop" in str(p) and "A -> B -> C -> A" in str(p) for p in inv.warnings())


def test_duplicate_and_case_only_titles_are_kept_as_warnings(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "CT1,modality,SCANNER,h1,104,ct.md,,,,,,\nCT2,modality,SCANNER,h2,104,ct.md,,,,,,\n"
        "CT3,modality,Scanner,h3,104,ct.md,,,,,,\n",
    )
    inv = load_inventory(path)
    kinds = sorted(p.kind for p in inv.warnings())
    assert kinds == ["ae-title-case", "ae-title-duplicate"]
    assert len(inv.devices) == 3


def test_unknown_and_missing_columns(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "CT1,modality,CT1,h1,104,ct.md,x\n",
        header="device,role,ae_title,host,port,statement,colour\n",
    )
    inv = load_inventory(path)
    assert any("unknown column(s) colour" in str(p) for p in inv.warnings())
    bad = _csv(tmp_path, "CT1,modality\n", header="device,role\n")
    with pytest.raises(InventoryError, match=r"site.csv: missing column\(s\) ae_title"):
        load_inventory(bad)


def test_unreadable_inventories_raise_one_line_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("devices: [unclosed\n")
    with pytest.raises(InventoryError, match=r"broken\.yaml: invalid YAML"):
        load_inventory(broken)
    xlsx = tmp_path / "fake.xlsx"
    xlsx.write_bytes(b"not a zip file")
    with pytest.raises(InventoryError, match=r"fake\.xlsx: cannot read table"):
        load_inventory(xlsx)
    only_bad = _csv(tmp_path, "X,modality,,h,104,ct.md,,,,,,\n")
    with pytest.raises(InventoryError, match="no usable device"):
        load_inventory(only_bad)
    with pytest.raises(InventoryError, match="unsupported inventory type"):
        load_inventory(_statements(tmp_path, "site.json") or tmp_path / "site.json")


def test_yaml_bad_device_entries_are_skipped_with_their_index(tmp_path: Path) -> None:
    _statements(tmp_path, "ct.md", "pacs.md")
    path = tmp_path / "site.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "devices": [
                    {"name": "CT1", "role": "modality", "ae_title": "CT1", "statement": "ct.md"},
                    {"role": "archive", "ae_title": "X"},
                    "just a string",
                    {
                        "name": "PACS",
                        "role": "archive",
                        "ae_title": "PACS",
                        "port": 99999,
                        "statement": "pacs.md",
                    },
                    {
                        "name": "PACS2",
                        "role": "archive",
                        "ae_title": "PACS2",
                        "statement": "pacs.md",
                        "sends_to": "CT1",
                    },
                ],
                "links": [{"from": "CT1", "to": "PACS2", "service": "teleport"}, "nope"],
            }
        )
    )
    inv = load_inventory(path)
    problems = [str(p) for p in inv.errors()]
    assert any(p.startswith("site.yaml device 2") and "needs a 'name'" in p for p in problems)
    assert any(p.startswith("site.yaml device 3") for p in problems)
    assert any(p.startswith("site.yaml device 4 (PACS)") and "99999" in p for p in problems)
    assert any(p.startswith("site.yaml link 1") and "teleport" in p for p in problems)
    assert any(p.startswith("site.yaml link 2") for p in problems)
    assert [d.name for d in inv.devices] == ["CT1", "PACS2"]
    assert ("PACS2", "CT1", Service.STORE.value) in _links(inv)


def test_yaml_link_can_exclude_sop_classes(tmp_path: Path) -> None:
    _statements(tmp_path, "ct.md", "pacs.md")
    path = tmp_path / "site.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "devices": [
                    {"name": "CT1", "role": "modality", "ae_title": "CT1", "statement": "ct.md"},
                    {"name": "PACS", "role": "archive", "ae_title": "PACS", "statement": "pacs.md"},
                ],
                "links": [
                    {
                        "from": "CT1",
                        "to": "PACS",
                        "service": "store",
                        "exclude": ["Raw Data Storage", "1.2.840.10008.5.1.4.1.1.104.1", "Frobnicator"],
                    }
                ],
            }
        )
    )
    inv = load_inventory(path)
    assert inv.links[0].exclude == ("1.2.840.10008.5.1.4.1.1.66", "1.2.840.10008.5.1.4.1.1.104.1")
    assert any("unknown SOP class 'Frobnicator'" in str(p) for p in inv.warnings())
