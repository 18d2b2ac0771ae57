"""Site corrections (conformance-corrections/1) on the shipped example inventory.

The example's first gap is that the archive accepts no JPEG 2000 for Enhanced CT; a site
whose vendor enabled it keeps that in a corrections file. The check must then use the
corrected statement, cite the corrections file, entry and reason where a finding rests on a
corrected fact, list every correction per device in the report, report bad entries one by
one, and refuse a file written for another statement.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conformance.cli import app
from conformance.corrections import CorrectionsError, correct, load_corrections
from conformance.findings import Analysis, Finding
from conformance.model import ApplicationEntity, Direction, Fact, Provenance, Role, Statement, Support
from conformance.model import TransferCapability as Cap
from conformance.pipeline import run_check
from conformance.report import write_reports

STATEMENTS = Path(__file__).resolve().parent.parent / "statements"
INVENTORY = STATEMENTS / "inventory.yaml"
CT, ENHANCED_CT = "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.2.1"
IMPLICIT, EXPLICIT, RLE = "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.5"
J2K_LOSSLESS = "1.2.840.10008.1.2.4.90"
COMMITMENT = "1.2.840.10008.1.20.1"

pytestmark = pytest.mark.skipif(not INVENTORY.is_file(), reason="statements/inventory.yaml missing")

J2K_FIX = """\
schema: conformance-corrections/1
statement: haloarchive-3.6.pdf          # the statement these apply to
changes:
  - add: {sop_class: Enhanced CT Image Storage, role: SCP, option: true,
          transfer_syntaxes: [JPEG 2000 Image Compression (Lossless Only)]}
    reason: JPEG 2000 licence enabled by vendor service, ticket 4711
  - remove: {sop_class: 1.2.840.10008.1.20.1, role: SCP}
    reason: storage commitment licence not bought
  - set: {max_associations: {accepted: 2}, max_pdu_receive: 65536}
    reason: site configuration
"""


def _site(tmp_path: Path, corrections: str, *, device: str = "PACS", column: str = "corrections") -> Path:
    """The example inventory copied next to a corrections file that ``device`` names."""
    for f in STATEMENTS.iterdir():
        if f.suffix in {".pdf", ".md", ".rst", ".txt"}:
            shutil.copy(f, tmp_path / f.name)
    (tmp_path / "fixes.yaml").write_text(corrections, encoding="utf-8")
    data = yaml.safe_load(INVENTORY.read_text(encoding="utf-8"))
    for d in data["devices"]:
        if d["name"] == device:
            d[column] = "fixes.yaml"
    path = tmp_path / "inventory.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _j2k_gaps(a: Analysis) -> list[Finding]:
    return [f for f in a.findings if f.rule == "no-common-transfer-syntax" and "Enhanced CT" in f.title]


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    return run_check(_site(tmp_path_factory.mktemp("site"), J2K_FIX))


def test_correction_removes_the_jpeg2000_gap(corrected: Analysis) -> None:
    assert len(_j2k_gaps(run_check(INVENTORY))) == 2  # CT-A and CT-B, before
    assert _j2k_gaps(corrected) == []
    assert corrected.skipped == []
    pacs = corrected.statements["PACS"]
    assert J2K_LOSSLESS in pacs.services()[(ENHANCED_CT, Role.SCP)].transfer_syntaxes
    assert [c.changed for c in pacs.corrections] == [True, True, True]


def test_findings_on_corrected_facts_cite_file_entry_and_reason(corrected: Analysis) -> None:
    def cited(rule: str, source: str) -> Provenance:
        f = next(f for f in corrected.findings if f.rule == rule and source in (f.source, f.target))
        pacs = [e for e in f.evidence if e.device == "PACS" and e.provenance]
        assert pacs and pacs[0].provenance is not None, f.evidence
        return pacs[0].provenance

    added = cited("role-is-option", "CT-A")  # the added syntax came with the licence: an option
    assert (added.file, added.line, added.section) == ("fixes.yaml", 4, "change 1")
    assert "reason: JPEG 2000 licence enabled by vendor service, ticket 4711" in added.text
    removed = cited("acceptor-lacks-scp", "CT-A")  # not silence: the site removed it
    assert (removed.file, removed.line) == ("fixes.yaml", 7)
    assert "storage commitment licence not bought" in removed.text
    limit = cited("association-budget", "PACS")
    assert (limit.file, limit.line) == ("fixes.yaml", 9) and "site configuration" in limit.text


def test_report_lists_every_correction_per_device(corrected: Analysis, tmp_path: Path) -> None:
    written = write_reports(corrected, tmp_path / "report.html")
    html = written[0].read_text(encoding="utf-8")
    assert "Site corrections applied to the statements" in html
    for reason in ("ticket 4711", "storage commitment licence not bought", "site configuration"):
        assert reason in html
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    by_device = {d["name"]: d["corrections"] for d in report["devices"]}
    assert [c["line"] for c in by_device["PACS"]] == [4, 7, 9]
    assert all(c["file"] == "fixes.yaml" and c["changed"] for c in by_device["PACS"])
    assert all(not v for name, v in by_device.items() if name != "PACS")
    evidence = [e for f in report["findings"] for e in f["evidence"] if e["statement"] == "fixes.yaml"]
    assert evidence and all(e["line"] in {4, 7, 9} and "reason: " in e["text"] for e in evidence)


BAD = """\
schema: conformance-corrections/1
statement: haloarchive-3.6.pdf
changes:
  - add: {sop_class: Enhanced Frobnicator Storage, role: SCP}
    reason: unknown name
  - add: {sop_class: CT Image Storage, role: SPC}
    reason: bad role
  - remove: {sop_class: 1.2.840.10008.5.1.4.1.1.02, role: SCP}
    reason: bad UID
  - add: {sop_class: CT Image Storage, role: SCP, transfer_syntax: [RLE Lossless]}
    reason: unknown key
  - add: {sop_class: CT Image Storage, role: SCP, transfer_syntaxes: [Frobnicated Endian]}
    reason: unknown transfer syntax
  - add: {sop_class: Enhanced CT Image Storage, role: SCP, transfer_syntaxes: [1.2.840.10008.1.2.4.90]}
  - add: {sop_class: CT Image Storage, role: SCP}
    remove: {sop_class: CT Image Storage, role: SCP}
    reason: two actions
  - set: {max_pdu_receive: lots}
    reason: not a number
  - add: {sop_class_uid: 1.2.840.10008.5.1.4.1.1.2.1, role: SCP, transfer_syntaxes: [JPEG 2000 Lossless]}
    reason: the good one
"""


def test_bad_entries_are_per_entry_errors_and_the_rest_applies(tmp_path: Path) -> None:
    analysis = run_check(_site(tmp_path, BAD))
    skipped = {s.item: s.reason for s in analysis.skipped}
    expected = {
        "fixes.yaml change 1 (line 4)": "add: unknown SOP class 'Enhanced Frobnicator Storage'",
        "fixes.yaml change 2 (line 6)": "add: bad role 'SPC' (use SCU or SCP)",
        "fixes.yaml change 3 (line 8)": "remove: '1.2.840.10008.5.1.4.1.1.02' is not a valid UID",
        "fixes.yaml change 4 (line 10)": "add: unknown key(s) 'transfer_syntax'",
        "fixes.yaml change 5 (line 12)": "add: unknown transfer syntax 'Frobnicated Endian'",
        "fixes.yaml change 6 (line 14)": "needs a reason",
        "fixes.yaml change 7 (line 15)": "needs exactly one of add, remove or set",
        "fixes.yaml change 8 (line 18)": "set: max_pdu_receive: expected a number, got 'lots'",
    }
    assert set(skipped) == set(expected), skipped
    for item, problem in expected.items():
        assert skipped[item].startswith(problem) and skipped[item].endswith("; not applied"), skipped[item]
    assert _j2k_gaps(analysis) == []  # change 9 still applied
    assert [c.section for c in (x.provenance for x in analysis.statements["PACS"].corrections)] == [
        "change 9"
    ]


def test_corrections_for_another_statement_are_refused(tmp_path: Path) -> None:
    wrong = J2K_FIX.replace("statement: haloarchive-3.6.pdf", "statement: haloarchive-4.0.pdf")
    analysis = run_check(_site(tmp_path, wrong))
    ((item, reason),) = [(s.item, s.reason) for s in analysis.skipped]
    assert item == "PACS" and reason.startswith("corrections not applied: ")
    assert reason.endswith(
        "fixes.yaml: statement: 'haloarchive-4.0.pdf' does not match haloarchive-3.6.pdf; no change applied"
    )
    assert len(_j2k_gaps(analysis)) == 2 and analysis.statements["PACS"].corrections == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("changes: []\n", "schema is None, expected conformance-corrections/1"),
        ("schema: conformance-corrections/1\nchanges: []\n", "needs 'statement:'"),
        ("schema: conformance-corrections/1\nstatement: x.pdf\n", "needs 'changes:'"),
        ("schema: conformance-corrections/1\nstatement: [x\n", "invalid YAML"),
    ],
)
def test_unusable_corrections_file_is_one_line_and_the_check_goes_on(
    tmp_path: Path, text: str, problem: str
) -> None:
    analysis = run_check(_site(tmp_path, text))
    (item, reason), *_ = [(s.item, s.reason) for s in analysis.skipped]
    assert item == "PACS" and problem in reason and "\n" not in reason
    assert "PACS" in analysis.statements  # analyzed, uncorrected


def test_a_correction_that_changes_nothing_is_a_warning(tmp_path: Path) -> None:
    noop = """\
schema: conformance-corrections/1
statement: haloarchive-3.6.pdf
changes:
  - remove: {sop_class: Basic Grayscale Print Management Meta, role: SCP}
    reason: never printed
"""
    inventory = _site(tmp_path, noop)
    analysis = run_check(inventory)
    (c,) = analysis.statements["PACS"].corrections
    assert not c.changed and "does not list it" in c.summary
    res = CliRunner().invoke(
        app, ["check", "-i", str(inventory), "--out", str(tmp_path / "r.html"), "--strict"]
    )
    assert res.exit_code == 2
    assert "fixes.yaml change 1 (line 4): changed nothing: remove Basic Grayscale" in res.output
    assert "(changed nothing)" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_devices_sharing_a_statement_keep_their_own_corrections(tmp_path: Path) -> None:
    fix = """\
schema: conformance-corrections/1
statement: aurora-ct-128.pdf
changes:
  - remove: {sop_class: Enhanced CT Image Storage, role: SCU}
    reason: Enhanced CT export switched off on this scanner
"""
    analysis = run_check(_site(tmp_path, fix, device="CT-A"))
    assert (ENHANCED_CT, Role.SCU) not in analysis.statements["CT-A"].services()
    assert (ENHANCED_CT, Role.SCU) in analysis.statements["CT-B"].services()
    assert [f.source for f in _j2k_gaps(analysis)] == ["CT-B"]


def test_table_inventory_takes_a_corrections_column(tmp_path: Path) -> None:
    _site(tmp_path, J2K_FIX)
    rows = [
        "device,role,ae_title,statement,corrections,sends_to",
        "CT,modality,CT1,aurora-ct-128.pdf,,PACS",
        "PACS,archive,HALO_ARCHIVE,haloarchive-3.6.pdf,fixes.yaml,",
    ]
    (tmp_path / "site.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    analysis = run_check(tmp_path / "site.csv")
    assert len(analysis.statements["PACS"].corrections) == 3
    assert _j2k_gaps(analysis) == []


# ------------------------------------------------------------------------ applying, unit
def _statement() -> Statement:
    prov = Provenance("pacs.pdf", page=7, section="Table 3-4", text="CT Image Storage ...")
    return Statement(
        "pacs.pdf",
        aes=[
            ApplicationEntity(
                "STORE",
                capabilities=[
                    Cap(CT, Role.SCP, [EXPLICIT], Direction.UNSPECIFIED, Support.YES, "CT", [prov]),
                    Cap(CT, Role.SCP, [IMPLICIT, EXPLICIT], Direction.ACCEPT, Support.YES, "CT", [prov]),
                ],
            )
        ],
        character_sets=[Fact("ISO_IR 100", prov)],
    )


def _corrections(tmp_path: Path, changes: str) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(f"schema: conformance-corrections/1\nstatement: pacs.pdf\nchanges:\n{changes}", "utf-8")
    return path


def test_add_merges_syntaxes_into_every_table_of_the_service(tmp_path: Path) -> None:
    st = _statement()
    fixed = correct(st, load_corrections(_corrections(tmp_path, """\
  - add: {sop_class: CTImageStorage, role: SCP, transfer_syntaxes: [RLE Lossless, Explicit VR Little Endian]}
    reason: r
""")), "pacs.pdf")  # fmt: skip
    caps = [c for c in fixed.capabilities() if c.sop_class_uid == CT]
    assert [c.transfer_syntaxes for c in caps] == [[EXPLICIT, RLE], [IMPLICIT, EXPLICIT, RLE]]
    assert all(c.provenance[0].file == "c.yaml" and c.provenance[1].page == 7 for c in caps)
    assert fixed.corrections[0].summary == "added RLE Lossless to CT Image Storage as SCP"
    assert st.capabilities()[0].transfer_syntaxes == [EXPLICIT]  # the parsed statement is untouched


def test_remove_syntaxes_service_and_set_lists(tmp_path: Path) -> None:
    fixed = correct(_statement(), load_corrections(_corrections(tmp_path, """\
  - remove: {sop_class: CT Image Storage, role: SCP, transfer_syntaxes: [Implicit VR Little Endian]}
    reason: r1
  - set: {character_sets: [ISO_IR 100, ISO_IR 192], security: {tls: true}}
    reason: r2
  - add: {sop_class: MR Image Storage, role: SCP}
    reason: r3
  - remove: {sop_class: CT Image Storage, role: SCP}
    reason: r4
""")), "pacs.pdf")  # fmt: skip
    assert [c.changed for c in fixed.corrections] == [True, True, True, True]
    assert set(fixed.services()) == {("1.2.840.10008.5.1.4.1.1.4", Role.SCP)}
    assert [f.value for f in fixed.character_sets] == ["ISO_IR 100", "ISO_IR 192"]
    assert fixed.tls is not None and fixed.tls.value is True
    assert fixed.tls.provenance is not None and fixed.tls.provenance.line == 6
    assert fixed.warnings == []


def test_wrong_statement_raises(tmp_path: Path) -> None:
    corrections = load_corrections(_corrections(tmp_path, "  - set: {max_pdu_receive: 1}\n    reason: r\n"))
    with pytest.raises(CorrectionsError, match=r"does not match other\.pdf"):
        correct(Statement("other.pdf"), corrections, "other.pdf")
