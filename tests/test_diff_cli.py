"""`conformance diff` end to end: site impact on the example inventory, the CLI, HTML/JSON/CSV."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conformance.cli import app
from conformance.diff import SCHEMA, compare, site_impact, to_csv, to_html, to_json
from conformance.errors import ConformanceError
from conformance.model import ApplicationEntity, Fact, Provenance, Role, Statement, TransferCapability
from conformance.parsers import parse_statement
from tests import diff_samples as ds
from tests.doc_tables import DOCS, doc_tables

SAMPLES = Path(__file__).resolve().parents[1] / "statements"
INVENTORY = SAMPLES / "inventory.yaml"
HALO_36 = SAMPLES / "haloarchive-3.6.pdf"
CHAIN = "worklist (MWL) [RIS] -> MPPS [RIS] -> storage [PACS] -> storage commitment [PACS]"
runner = CliRunner()


@pytest.fixture(scope="module")
def halo_37(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ds.write(ds.halo_37(), "md", tmp_path_factory.mktemp("halo"), "haloarchive-3.7")


@pytest.fixture(scope="module")
def tern(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tern")
    return ds.write(ds.TERN_10, "md", folder), ds.write(ds.TERN_11, "txt", folder)


def _links(impact: object, attr: str) -> dict[str, list[tuple[str, str]]]:
    out = {}
    for lk in impact.links:  # type: ignore[attr-defined]
        findings = getattr(lk, attr)
        if findings:
            out[lk.label] = sorted(
                ((f.severity_before or f.severity).value, f.rule)
                if attr == "resolved"
                else (f.severity.value, f.rule)
                for f in findings
            )
    return out


# ----------------------------------------------------------------------------- site impact
def test_site_impact_on_the_example_inventory(halo_37: Path) -> None:
    """HaloArchive 3.6 -> 3.7 at St. Brigid: JPEG 2000 fixes the CTs' stores, no commitment breaks them."""
    impact = site_impact(INVENTORY, "PACS", HALO_36, halo_37)
    assert impact.device == "PACS" and impact.inventory == "inventory.yaml"
    # 3.7 says nothing about Storage Commitment at all: silence, so degrading and unconfirmed
    commit = [("degrading", "acceptor-lacks-scp")]
    assert _links(impact, "new") == {
        "CT-A → PACS (commitment)": commit,
        "CT-B → PACS (commitment)": commit,
        "US-1 → PACS (commitment)": commit,  # beside US-1's own stated refusal, which stays
    }
    assert all(f.unconfirmed for lk in impact.links for f in lk.new)
    assert _links(impact, "changed") == {}
    fixed = _links(impact, "resolved")
    assert fixed["CT-A → PACS (store)"] == [
        ("blocking", "no-common-transfer-syntax"),  # Enhanced CT is in CT-A's `sends`
        ("degrading", "transfer-syntax-fallback"),
    ]
    assert fixed["CT-B → PACS (store)"] == [
        ("degrading", "no-common-transfer-syntax"),  # no `sends`: its CT images are stored
        ("degrading", "transfer-syntax-fallback"),
    ]
    assert fixed[f"workflow chain CT-A: {CHAIN}"] == [("blocking", "workflow-chain")]
    assert impact.counts() == {"blocking": 0, "degrading": 3, "info": 0, "resolved": 5, "changed": 0}
    # the links the upgrade breaks come first
    assert impact.links[0].worst == "degrading" and impact.links[-1].worst == "fixed"


def test_site_impact_is_measured_from_old_whatever_the_inventory_lists(halo_37: Path) -> None:
    """The inventory runs 3.6 on PACS; a downgrade 3.7 -> 3.6 is the upgrade mirrored."""
    impact = site_impact(INVENTORY, "PACS", halo_37, HALO_36)
    # CT-A's chain breaks again at storage (Enhanced CT, in its `sends`); CT-B's images still go
    assert set(_links(impact, "new")) == {
        "CT-A → PACS (store)",
        "CT-B → PACS (store)",
        f"workflow chain CT-A: {CHAIN}",
    }
    assert {"CT-A → PACS (commitment)", "CT-B → PACS (commitment)"} <= set(_links(impact, "resolved"))


def test_site_impact_unknown_device_is_a_clear_error(halo_37: Path) -> None:
    with pytest.raises(ConformanceError, match=r"no device 'ARCHIVE' \(devices: CT-A, CT-B"):
        site_impact(INVENTORY, "ARCHIVE", HALO_36, halo_37)


# ----------------------------------------------------------------------------- CLI
def test_cli_writes_html_json_csv_with_site_impact(tmp_path: Path, halo_37: Path) -> None:
    out = tmp_path / "r" / "diff.html"
    args = ["diff", str(HALO_36), str(halo_37), "--out", str(out), "--json", "--csv"]
    result = runner.invoke(app, [*args, "--inventory", str(INVENTORY), "--device", "PACS"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Compared with HaloArchive 3.6, HaloArchive 3.7 adds 2 transfer syntaxes")
    assert lines[1] == "1 removal(s), 1 addition(s), 2 neutral"
    assert lines[2] == "site: 0 new blocking, 3 new degrading, 5 fixed, 0 changed on 6 link(s)"
    assert lines[3:] == [
        f"wrote {out}",
        f"wrote {out.with_suffix('.json')}",
        f"wrote {out.with_suffix('.csv')}",
    ]

    data = json.loads(out.with_suffix(".json").read_text())
    assert data["schema"] == SCHEMA == "conformance-diff/1"
    assert data["from"]["file"] == "haloarchive-3.6.pdf" and data["to"]["version"] == "3.7"
    assert data["services_removed"] == [["1.2.840.10008.1.20.1", "SCP"]]
    assert data["services_added"] == [] and data["ts_removed"] == []
    assert len(data["ts_added"]) == 44 and data["ts_added"][0][1] == "SCP"
    assert data["scalars_changed"] == {
        "implementation_version_name": {"from": "HALOARC_360", "to": "HALOARC_370"},
        "product.version": {"from": "3.6", "to": "3.7"},
    }
    assert [c["id"] for c in data["changes"]] == ["D-001", "D-002", "D-003", "D-004"]
    removal = data["changes"][0]
    assert removal["class"] == "removal" and removal["evidence"]["from"][0]["page"] == 3
    assert data["site_impact"]["device"] == "PACS"
    assert data["site_impact"]["counts"]["resolved"] == 5

    rows = list(csv.DictReader(io.StringIO(out.with_suffix(".csv").read_text())))
    assert [r["id"] for r in rows[:4]] == ["D-001", "D-002", "D-003", "D-004"]
    assert rows[1]["kind"] == "ts-added" and len(rows[1]["services"].split("; ")) == 22
    assert {r["kind"] for r in rows[4:]} == {"site-breaks", "site-fixes"}

    html = out.read_text()
    assert "Content-Security-Policy" in html and "<script" not in html
    assert "What the upgrade changes at St. Brigid Community Hospital" in html
    assert "@media print" in html and "Storage Commitment Push Model" in html


def test_cli_identical_content_in_two_layouts(tmp_path: Path) -> None:
    old = ds.write(ds.TERN_10, "md", tmp_path)
    new = ds.write(ds.TERN_10, "pdf", tmp_path)
    result = runner.invoke(app, ["diff", str(old), str(new), "--out", str(tmp_path / "d.html"), "--json"])
    assert result.exit_code == 0, result.output
    assert "no change." in result.output.splitlines()[0]
    data = json.loads((tmp_path / "d.json").read_text())
    assert data["changes"] == [] and data["counts"] == {"removal": 0, "addition": 0, "neutral": 0}
    assert data["site_impact"] is None


def test_cli_output_is_deterministic(tmp_path: Path, tern: tuple[Path, Path]) -> None:
    outputs = []
    for name in ("a", "b"):
        out = tmp_path / name / "diff.html"
        result = runner.invoke(app, ["diff", *map(str, tern), "--out", str(out), "--json", "--csv"])
        assert result.exit_code == 0, result.output
        outputs.append(
            [out.read_bytes(), out.with_suffix(".json").read_bytes(), out.with_suffix(".csv").read_bytes()]
        )
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--inventory", str(INVENTORY)], "error: --inventory needs --device"),
        (["--device", "PACS"], "error: --device needs --inventory"),
        (["--inventory", str(INVENTORY), "--device", "NOPE"], "inventory.yaml: no device 'NOPE'"),
    ],
)
def test_cli_site_options_errors_are_one_line(
    tern: tuple[Path, Path], tmp_path: Path, extra: list[str], message: str
) -> None:
    result = runner.invoke(app, ["diff", *map(str, tern), "--out", str(tmp_path / "d.html"), *extra])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert message in result.output
    assert not (tmp_path / "d.html").exists()


def test_cli_bad_statements_are_one_line_errors(tmp_path: Path, tern: tuple[Path, Path]) -> None:
    empty = tmp_path / "notes.txt"
    empty.write_text("Release notes\n\nNothing about DICOM here.\n")
    cases = [
        ([str(tmp_path / "missing.pdf"), str(tern[1])], "missing.pdf: no such file"),
        ([str(tern[0]), str(empty)], "notes.txt: no SOP classes found"),
        ([str(tern[0]), str(tern[1]), "--out", str(tern[0])], "would overwrite the OLD statement"),
    ]
    for args, message in cases:
        result = runner.invoke(
            app, ["diff", *args] + ([] if "--out" in args else ["--out", str(tmp_path / "x.html")])
        )
        assert result.exit_code == 1, args
        assert result.output.count("\n") == 1 and result.output.startswith("error: ")
        assert message in result.output
    assert tern[0].read_text().startswith("# Tern Archive")  # not overwritten


# ----------------------------------------------------------------------------- rendering
def _hostile_pair() -> tuple[Statement, Statement]:
    ct = "1.2.840.10008.5.1.4.1.1.2"

    def st(name: str, product: str) -> Statement:
        prov = Provenance(name, line=4, text='<img src=x onerror="alert(1)"> "quoted"')
        cap = TransferCapability(ct, Role.SCP, ["1.2.840.10008.1.2"], provenance=[prov])
        return Statement(name, product=Fact(product, prov), aes=[ApplicationEntity("AE", capabilities=[cap])])

    return st("a.md", "<script>alert(1)</script>"), st("b.md", '=HYPERLINK("http://x")')


def test_untrusted_text_never_becomes_markup_or_a_formula() -> None:
    d = compare(*_hostile_pair())
    html = to_html(d)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x" in html
    rows = list(csv.reader(io.StringIO(to_csv(d))))
    header, (row,) = rows[0], rows[1:]
    assert row[header.index("to")] == '\'=HYPERLINK("http://x")'
    assert to_json(d)["scalars_changed"] == {
        "product.name": {"from": "<script>alert(1)</script>", "to": '=HYPERLINK("http://x")'}
    }


def _halo_site_json(halo_37: Path, inventory: Path, out: Path) -> None:
    """diff HaloArchive 3.6 -> 3.7 with the site impact on PACS, HTML and JSON to ``out``."""
    args = ["diff", str(HALO_36), str(halo_37), "--out", str(out), "--json", "-i", str(inventory)]
    result = runner.invoke(app, [*args, "--device", "PACS"])
    assert result.exit_code == 0, result.output


def test_json_fields_are_exactly_the_documented_ones(tmp_path: Path, halo_37: Path) -> None:
    docs = doc_tables("diff.md")
    out = tmp_path / "diff.html"
    _halo_site_json(halo_37, INVENTORY, out)
    data = json.loads(out.with_suffix(".json").read_text())
    assert list(data) == docs["Top level"]
    assert list(data["from"]) == list(data["to"]) == docs["from`, `to"]
    assert data["changes"]
    for change in data["changes"]:
        assert list(change) == docs["changes[]"]
        for side in ("from", "to"):
            for passage in change["evidence"][side]:
                assert list(passage) == docs["changes[].evidence.from[]`, `changes[].evidence.to[]"]
    impact = data["site_impact"]
    assert list(impact) == docs["site_impact"]
    assert impact["links"]
    for link in impact["links"]:
        assert list(link) == docs["site_impact.links[]"]
        heading = (
            "site_impact.links[].breaks[]`, `site_impact.links[].fixes[]`, `site_impact.links[].changed[]"
        )
        for f in link["breaks"] + link["fixes"] + link["changed"]:
            assert list(f) == docs[heading]
    rows = list(csv.reader(io.StringIO(to_csv(compare(parse_statement(HALO_36), parse_statement(halo_37))))))
    documented_csv = re.findall(
        r"^\| `([a-z_]+)` \|", (DOCS / "diff.md").read_text().split("## CSV")[1], re.M
    )
    assert rows[0] == documented_csv


def test_a_long_syntax_list_shared_by_many_services_is_printed_once() -> None:
    many = [f"1.2.840.10008.1.2.4.{n}" for n in (50, 51, 57, 70, 80, 81, 90, 91)]
    classes = ["1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.5.1.4.1.1.7"]
    verification = TransferCapability("1.2.840.10008.1.1", Role.SCP, ["1.2.840.10008.1.2"])

    def st(name: str, uids: list[str]) -> Statement:
        caps = [verification, *(TransferCapability(u, Role.SCP, list(many)) for u in uids)]
        return Statement(name, aes=[ApplicationEntity("AE", capabilities=caps)])

    html = to_html(compare(st("a.md", []), st("b.md", classes)))
    assert html.count('8 syntaxes: <a href="#syntaxes-L1">list L1</a>') == 3
    assert html.count('id="syntaxes-L1"') == 1 and html.count("JPEG-LS Lossless Image Compression") == 1


def test_site_impact_lists_what_it_left_out_without_local_folders(tmp_path: Path, halo_37: Path) -> None:
    inventory, ghost = tmp_path / "site.yaml", tmp_path / "gone" / "ghost.pdf"
    inventory.write_text(
        "devices:\n"
        f"  - {{name: PACS, role: archive, statement: {HALO_36}, ae_title: HALO_ARCHIVE}}\n"
        f"  - {{name: CT-A, role: modality, statement: {SAMPLES / 'aurora-ct-128.pdf'}, ae_title: CTA}}\n"
        f"  - {{name: GHOST, role: modality, statement: {ghost}, ae_title: GHOST}}\n"
        "links:\n  - {from: CT-A, to: PACS, service: store}\n"
    )
    out = tmp_path / "d.html"
    _halo_site_json(halo_37, inventory, out)
    impact = json.loads(out.with_suffix(".json").read_text())["site_impact"]
    assert impact["skipped"] == [{"item": "GHOST", "reason": "ghost.pdf: no such file"}]
    assert "CT-A → PACS (store)" in [lk["link"] for lk in impact["links"]]
    assert str(tmp_path) not in out.read_text()
