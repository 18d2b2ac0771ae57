"""Statements that are data: conformance-facts/1 files (JSON, YAML) and the model JSON.

The shipped samples are exported with ``conformance facts`` and used as the example
inventory's statements again: the findings must be the same as from the documents, and
their evidence must cite the facts file and entry. Hand-written files name SOP classes
and transfer syntaxes by UID, name or keyword; a bad entry is one warning naming the file,
the entry and its line, and the rest still loads.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conformance.cli import app
from conformance.errors import StatementError
from conformance.findings import Analysis, Finding
from conformance.model import Direction, Role, Support
from conformance.parsers import parse_statement
from conformance.pipeline import run_check
from conformance.strict import statement_warnings

STATEMENTS = Path(__file__).resolve().parent.parent / "statements"
INVENTORY = STATEMENTS / "inventory.yaml"
CT, ENHANCED_CT, SC = "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.2.1", "1.2.840.10008.5.1.4.1.1.7"
IMPLICIT, EXPLICIT = "1.2.840.10008.1.2", "1.2.840.10008.1.2.1"
J2K_LOSSLESS = "1.2.840.10008.1.2.4.90"
STORAGE_COMMITMENT = "1.2.840.10008.1.20.1"

pytestmark = pytest.mark.skipif(not INVENTORY.is_file(), reason="statements/inventory.yaml missing")


def _key(f: Finding) -> tuple[str, ...]:
    return (f.rule, f.severity.value, f.source, f.target, f.service, f.title)


def _site_with(folder: Path, statement_of: dict[str, str]) -> Path:
    """The example inventory in ``folder``, each statement file renamed by ``statement_of``."""
    data = yaml.safe_load(INVENTORY.read_text(encoding="utf-8"))
    for device in data["devices"]:
        device["statement"] = statement_of.get(device["statement"], device["statement"])
    path = folder / "inventory.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _export(folder: Path, fmt: str) -> dict[str, str]:
    documents = sorted({d["statement"] for d in yaml.safe_load(INVENTORY.read_text())["devices"]})
    res = CliRunner().invoke(
        app, ["facts", *(str(STATEMENTS / d) for d in documents), "--out", str(folder), "--format", fmt]
    )
    assert res.exit_code == 0, res.output
    return {d: f"{Path(d).stem}.{fmt}" for d in documents}


@pytest.fixture(scope="module")
def documents() -> Analysis:
    return run_check(INVENTORY)


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_exported_facts_give_the_findings_of_their_documents(
    documents: Analysis, tmp_path: Path, fmt: str
) -> None:
    names = _export(tmp_path, fmt)
    facts = run_check(_site_with(tmp_path, names))
    assert facts.skipped == []
    assert sorted(map(_key, facts.findings)) == sorted(map(_key, documents.findings))
    assert len(documents.findings) > 10  # the example's gaps, not an empty comparison
    for st in facts.statements.values():
        assert st.source in names.values()
        assert statement_warnings(st) == []  # an export reads back without a single problem
    # evidence cites the facts file and the entry (with its line in YAML), quoting the source page
    gap = next(f for f in facts.findings if f.rule == "no-common-transfer-syntax" and f.source == "CT-A")
    cited = {e.statement: e.provenance for e in gap.evidence if e.provenance}
    assert set(cited) == {"aurora-ct-128." + fmt, "haloarchive-3.6." + fmt}
    for prov in cited.values():
        assert prov.section.startswith("service ")
        assert (prov.line is not None) == (fmt == "yaml")
    assert "(haloarchive-3.6.pdf p. " in cited["haloarchive-3.6." + fmt].text


def test_model_json_of_parse_is_a_statement(documents: Analysis, tmp_path: Path) -> None:
    """``parse --json`` keeps everything, provenance included: same findings, same citations."""
    names = {}
    for name in sorted({st.source for st in documents.statements.values()}):
        res = CliRunner().invoke(app, ["parse", str(STATEMENTS / name), "--json"])
        assert res.exit_code == 0, res.output
        (tmp_path / f"{name}.json").write_text(res.output, encoding="utf-8")
        names[name] = f"{name}.json"
    model = run_check(_site_with(tmp_path, names))
    assert model.skipped == []

    def cited(a: Analysis) -> list[tuple]:
        return sorted((*_key(f), tuple((e.statement, e.provenance) for e in f.evidence)) for f in a.findings)

    assert cited(model) == cited(documents)


def test_yaml_export_comments_sources_and_edits_apply(tmp_path: Path) -> None:
    """Export, edit, use: the archive gains JPEG 2000 for Enhanced CT and the blocking gap goes."""
    names = _export(tmp_path, "yaml")
    text = (tmp_path / names["haloarchive-3.6.pdf"]).read_text(encoding="utf-8")
    assert text.startswith("# conformance-facts/1")
    # each service says where the statement states it
    assert (
        "# Enhanced CT Image Storage as SCP: p. 3 (Table 3-1 Supported SOP Classes), p. 7 (Table 3-4" in text
    )
    assert f"- {IMPLICIT}  # Implicit VR Little Endian" in text  # every UID named
    data = yaml.safe_load(text)
    assert data["schema"] == "conformance-facts/1"
    entry = next(s for s in data["services"] if (s["sop_class_uid"], s["role"]) == (ENHANCED_CT, "SCP"))
    entry["transfer_syntaxes"].append("JPEG 2000 Image Compression (Lossless Only)")  # by name
    (tmp_path / "pacs.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    edited = run_check(_site_with(tmp_path, {"haloarchive-3.6.pdf": "pacs.yaml"}))
    blocking = [f for f in edited.findings if f.rule == "no-common-transfer-syntax"]
    assert not [f for f in blocking if "Enhanced CT" in f.title], [f.title for f in blocking]


HAND_WRITTEN = """\
schema: conformance-facts/1
document: ultrasound notes from the installation, 2026-03
product: {vendor: Example Medical, name: Sonix Scanner, version: 3.10}
implementation_class_uid: 1.2.826.0.1.3680043.9.7433.1
max_associations: {initiated: 2, accepted: unlimited}
max_pdu_receive: 16384
character_sets: [ISO_IR 100]
security: {tls: false}
services:
  - sop_class: CT Image Storage              # a dictionary name
    role: scu
    transfer_syntaxes: [Explicit VR Little Endian, ImplicitVRLittleEndian]
  - sop_class: SecondaryCaptureImageStorage  # a pydicom keyword
    role: SCU
    transfer_syntaxes: [1.2.840.10008.1.2]
  - sop_class_uid: 1.2.840.10008.1.1
    role: SCP
  - sop_class_uid: 1.2.840.10008.5.1.4.1.1.2.1
    role: SCU
    direction: initiate
    option: true
    transfer_syntaxes: [JPEG 2000 Image Compression (Lossless Only)]
"""


def test_hand_written_facts_resolve_names_and_keywords(tmp_path: Path) -> None:
    path = tmp_path / "sonix.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    st = parse_statement(path)
    assert statement_warnings(st) == []
    services = st.services()
    assert services[(CT, Role.SCU)].transfer_syntaxes == [EXPLICIT, IMPLICIT]  # order kept: preference
    assert services[(SC, Role.SCU)].transfer_syntaxes == [IMPLICIT]
    assert services[("1.2.840.10008.1.1", Role.SCP)].transfer_syntaxes == []
    enhanced = services[(ENHANCED_CT, Role.SCU)]
    assert (enhanced.support, enhanced.direction, enhanced.transfer_syntaxes) == (
        Support.OPTION,
        Direction.INITIATE,
        [J2K_LOSSLESS],
    )
    assert st.version is not None and st.version.value == "3.10"  # as written, not the float 3.1
    assert st.max_associations_accepted is not None and st.max_associations_accepted.value == "unlimited"
    assert st.max_pdu_receive is not None and st.max_pdu_receive.value == 16384
    assert [f.value for f in st.character_sets] == ["ISO_IR 100"]
    assert st.tls is not None and st.tls.value is False and st.ipv6 is None
    prov = services[(SC, Role.SCU)].provenance[0]
    assert (prov.file, prov.line, prov.section) == ("sonix.yaml", 13, "service 2")
    assert st.max_pdu_receive.provenance is not None and st.max_pdu_receive.provenance.line == 6


BAD_ENTRIES = """\
schema: conformance-facts/1
max_pdu_receive: big
colour: blue
services:
  - sop_class: CT Image Storage
    role: SCP
    transfer_syntaxes: [Explicit VR Little Endian, Frobnicated Endian]
  - sop_class: Enhanced Frobnicator Storage
    role: SCP
  - sop_class: MR Image Storage
    role: SPC
  - sop_class_uid: 1.2.840.10008.5.1.4.1.1.04
    role: SCP
  - sop_class_uid: 1.2.840.10008.1.2.1
    role: SCP
  - sop_class: Secondary Capture Image Storage
    role: SCP
    transfer_syntax: [Explicit VR Little Endian]
  - just a string
  - sop_class: Ultrasound Image Storage
    role: SCP
"""


def test_bad_entries_are_reported_per_entry_and_the_rest_loads(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_ENTRIES, encoding="utf-8")
    st = parse_statement(path)
    assert set(st.services()) == {(CT, Role.SCP), ("1.2.840.10008.5.1.4.1.1.6.1", Role.SCP)}
    assert st.services()[(CT, Role.SCP)].transfer_syntaxes == [EXPLICIT]  # the unknown one left out
    warnings = statement_warnings(st)
    expected = [
        "bad.yaml, line 7, service 1: unresolved transfer syntax 'Frobnicated Endian'",
        "bad.yaml, line 8, service 2: unresolved sop class 'Enhanced Frobnicator Storage'",
        "bad.yaml: max_pdu_receive (line 2): expected a number, got 'big'; left out",
        "bad.yaml: top level (line 3): unknown key(s) 'colour'",
        "bad.yaml: service 3 (line 10): bad role 'SPC' (use SCU or SCP); left out",
        "bad.yaml: service 4 (line 12): '1.2.840.10008.5.1.4.1.1.04' is not a valid UID; left out",
        "bad.yaml: service 5 (line 14): 1.2.840.10008.1.2.1 is not a SOP class (a Transfer Syntax UID)",
        "bad.yaml: service 6 (line 16): unknown key(s) 'transfer_syntax'",
        "bad.yaml: service 7 (line 19): expected a mapping with sop_class_uid and role, got 'just a string'",
    ]
    for line in expected:
        assert any(w.startswith(line) for w in warnings), (line, warnings)
    assert len(warnings) == len(expected)


def test_json_entries_are_named_by_position(tmp_path: Path) -> None:
    path = tmp_path / "site.json"
    data = {
        "schema": "conformance-facts/1",
        "services": [{"sop_class": "CT Image Storage", "role": "SCU"}, {"sop_class": "CT", "role": "x"}],
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    st = parse_statement(path)
    assert set(st.services()) == {(CT, Role.SCU)}
    assert st.warnings == ["service 2: bad role 'x' (use SCU or SCP); left out"]
    assert st.services()[(CT, Role.SCU)].provenance[0].cite() == "site.json, service 1"


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("a.json", '{"schema": "conformance-facts/1",', "invalid JSON (Expecting property name"),
        ("a.yaml", "schema: [unclosed\n", "invalid YAML ("),
        ("a.yaml", "- just\n- a list\n", "expected a mapping"),
        ("a.yaml", "schema: conformance-facts/9\n", "unsupported schema 'conformance-facts/9'"),
        ("a.json", '{"hello": 1}', "not a statement: neither conformance-facts/1"),
        ("a.yaml", "schema: conformance-corrections/1\n", "a corrections file, not a statement"),
        ("a.yaml", "a: &x [1, *x]\n", "recursive YAML alias"),
        ("a.json", '{"source": "x.pdf", "aes": [{"capabilities": 3}]}', "not a valid statement model"),
        ("a.yaml", "", "empty file"),
    ],
)
def test_unusable_data_files_are_one_line_errors(tmp_path: Path, name: str, text: str, problem: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StatementError) as err:
        parse_statement(path)
    assert problem in err.value.message and err.value.message.startswith(str(path))
    assert "\n" not in err.value.message


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(StatementError, match="alias bomb"):
        parse_statement(path)


def test_cli_parse_and_candidate_take_facts(documents: Analysis, tmp_path: Path) -> None:
    names = _export(tmp_path, "json")
    facts_file = tmp_path / names["aurora-ct-128.pdf"]
    res = CliRunner().invoke(app, ["parse", str(facts_file)])
    assert res.exit_code == 0, res.output
    assert "Aurora CT 128 4.2" in res.output and "Enhanced CT Image Storage" in res.output
    outs = {}
    for label, candidate in (("pdf", STATEMENTS / "aurora-ct-128.pdf"), ("facts", facts_file)):
        out = tmp_path / label / "report.html"
        args = ["check", "-i", str(INVENTORY), "--candidate", str(candidate), "--as", "modality"]
        res = CliRunner().invoke(app, [*args, "--out", str(out)])
        assert res.exit_code == 0, res.output
        report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
        outs[label] = sorted(
            (f["rule"], f["severity"], f["source"], f["target"], f["title"]) for f in report["findings"]
        )
    assert outs["facts"] == outs["pdf"]
    assert any("(candidate)" in f[2] for f in outs["facts"])


def test_facts_export_never_overwrites_its_input(tmp_path: Path) -> None:
    path = tmp_path / "sonix.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    res = CliRunner().invoke(app, ["facts", str(path), "--out", str(tmp_path), "--format", "yaml"])
    assert res.exit_code == 1 and "would overwrite an input" in res.output
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN
    res = CliRunner().invoke(app, ["facts", str(path), "--out", str(tmp_path / "again"), "--format", "yaml"])
    assert res.exit_code == 0, res.output
    again = parse_statement(tmp_path / "again" / "sonix.yaml")
    assert set(again.services()) == set(parse_statement(path).services())


def _probe_model(tmp_path: Path) -> Path:
    """An observation saved the way ``probe --save`` writes it (ProbeResult.to_statement)."""
    from conformance.probe.negotiate import AssociationOutcome, ContextOutcome, ProbeResult

    result = ProbeResult("10.0.0.5", 104, "HALO_ARCHIVE", "CONFORMANCE", datetime(2026, 5, 1, tzinfo=UTC))
    result.associations = [AssociationOutcome(1, 4, "established")]
    result.contexts = [
        ContextOutcome(CT, EXPLICIT, 1, 1, 0),
        ContextOutcome(CT, J2K_LOSSLESS, 1, 3, 4),
        ContextOutcome(ENHANCED_CT, EXPLICIT, 1, 5, 0),
        ContextOutcome(STORAGE_COMMITMENT, IMPLICIT, 1, 7, 0),
    ]
    result.max_pdu = 32768
    path = tmp_path / "observed.json"
    path.write_text(json.dumps(result.to_statement().to_dict(), indent=2, sort_keys=True) + "\n")
    return path


def test_probe_observation_is_a_statement(tmp_path: Path) -> None:
    """Declared versus observed symmetry: check runs on the archive's observed behaviour."""
    observed = _probe_model(tmp_path)
    st = parse_statement(observed)
    assert st.source == "probe HALO_ARCHIVE@10.0.0.5:104"
    assert st.services()[(CT, Role.SCP)].transfer_syntaxes == [EXPLICIT]
    for name in ("aurora-ct-128.pdf", "lumen-us7.rst"):
        shutil.copy(STATEMENTS / name, tmp_path / name)
    site = {
        "devices": [
            {"name": "CT", "role": "modality", "statement": "aurora-ct-128.pdf", "ae_title": "CT1"},
            {"name": "PACS", "role": "archive", "statement": "observed.json", "ae_title": "HALO_ARCHIVE"},
        ],
        "links": [{"from": "CT", "to": "PACS", "service": "store"}],
    }
    (tmp_path / "site.yaml").write_text(yaml.safe_dump(site), encoding="utf-8")
    analysis = run_check(tmp_path / "site.yaml")
    assert analysis.skipped == []
    fallback = next(f for f in analysis.findings if f.rule == "transfer-syntax-fallback")
    observed_side = [e for e in fallback.evidence if e.device == "PACS"]
    assert observed_side and all(e.statement == st.source for e in observed_side)
    assert all(e.provenance and "observed on 2026-05-01" in e.provenance.text for e in observed_side)


def test_check_report_shows_bad_facts_entries(tmp_path: Path) -> None:
    """Without --strict too: a left-out facts entry is visible in the report, with its line."""
    from conformance.report import write_reports

    names = _export(tmp_path, "yaml")
    pacs = tmp_path / names["haloarchive-3.6.pdf"]
    text = pacs.read_text(encoding="utf-8").replace("  role: SCP\n", "  role: SPC\n", 1)
    pacs.write_text(text, encoding="utf-8")
    analysis = run_check(_site_with(tmp_path, names))
    written = write_reports(analysis, tmp_path / "out" / "report.html")
    report = json.loads(written[1].read_text(encoding="utf-8"))
    (warning,) = report["warnings"]
    assert warning["statement"] == "haloarchive-3.6.yaml"
    assert warning["text"].startswith("service 1 (line ") and "bad role 'SPC'" in warning["text"]
    assert "bad role &#39;SPC&#39;" in written[0].read_text(encoding="utf-8")


def test_yaml_export_keeps_untrusted_text_inert(tmp_path: Path) -> None:
    """Vendor text with newlines, '#', quotes and YAML syntax stays data, comments stay one line."""
    from conformance.facts import to_facts
    from conformance.facts_yaml import to_facts_yaml
    from conformance.model import ApplicationEntity, Fact, Provenance, Statement
    from conformance.model import TransferCapability as Cap

    evil = "Evil: [1, 2]\n# injected: true\u2028- *alias 'quote\" \x1b[31m"
    prov = Provenance("evil\n.pdf", page=3, section=evil, text=evil)
    st = Statement(
        "evil\n.pdf",
        product=Fact(evil, prov),
        version=Fact("3.10", prov),
        aes=[ApplicationEntity(evil, capabilities=[Cap(CT, Role.SCP, [EXPLICIT], provenance=[prov])])],
    )
    text = to_facts_yaml(st)
    loaded = yaml.safe_load(text)
    assert loaded == json.loads(json.dumps(to_facts(st)))  # nothing injected, every value exact
    path = tmp_path / "evil.yaml"
    path.write_text(text, encoding="utf-8")
    back = parse_statement(path)
    assert back.product is not None and back.product.value == evil.strip()
    assert back.version is not None and back.version.value == "3.10"
    assert set(back.services()) == {(CT, Role.SCP)} and statement_warnings(back) == []
