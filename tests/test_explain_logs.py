"""The committed sample logs (real runs, tests/data/explain), bad logs, and the explain command.

No network: the samples were recorded once (see tests/data/explain/README.md);
tests/test_explain_live.py produces such logs afresh.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conformance.cli import app
from conformance.explain import RULES, explain_logs, read_log
from conformance.explain.model import ContextResult, LogError, LogFormat, Outcome, Side
from conformance.findings import Analysis, Finding, Severity
from conformance.report.render import to_json as report_json
from conformance.site import Inventory
from tests.explain_kit import (
    CT,
    EVBE,
    EVLE,
    IVLE,
    JPEG_LOSSLESS,
    STUDY_FIND,
    STUDY_MOVE,
    VERIFICATION,
    statement,
)

DATA = Path(__file__).parent / "data" / "explain"
WORKLIST = "1.2.840.10008.5.1.4.31"
ASNS = ContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED
OK = ContextResult.ACCEPTANCE

# What happens in the Orthanc samples (orthanc-clients.sh), association by association
ORTHANC_RUN = [
    ("MODALITY", "ORTHANC", Outcome.ESTABLISHED, []),
    ("MODALITY", "WRONGAE", Outcome.REJECTED, ["association-rejected-called-ae"]),
    ("MODALITY", "ORTHANC", Outcome.NO_ACCEPTED_CONTEXT, ["abstract-syntax-not-supported"]),
    ("MODALITY", "ORTHANC", Outcome.ESTABLISHED, []),
    ("MODALITY", "ORTHANC", Outcome.NO_ACCEPTED_CONTEXT, ["abstract-syntax-not-supported"]),
    ("MODALITY", "ORTHANC", Outcome.ESTABLISHED, ["request-failed"]),
    ("VIEWER", "ORTHANC", Outcome.ABORTED, ["association-aborted"]),
]


def _run(paths: list[Path], **kw):
    result = explain_logs(paths, use_cache=False, **kw)
    return result, [(e.association, [f.rule for f in e.findings]) for e in result.explained]


def _contexts(assoc) -> list[tuple]:
    return [
        (cx.id, cx.abstract_syntax, cx.result, cx.proposed_transfer_syntaxes, cx.transfer_syntax)
        for cx in assoc.contexts
    ]


# ---------------------------------------------------------------------- Orthanc samples
def test_orthanc_verbose_log_tells_associations_apart():
    log = read_log(DATA / "orthanc-verbose.log")
    assert log.format is LogFormat.ORTHANC
    _result, explained = _run([DATA / "orthanc-verbose.log"])
    got = [(a.calling_ae, a.called_ae, a.outcome, rules) for a, rules in explained]
    # --verbose shows no contexts, so a refused store/worklist is "no context accepted"
    expected = [
        (c, d, o, ["no-context-accepted"] if o is Outcome.NO_ACCEPTED_CONTEXT else r)
        for c, d, o, r in ORTHANC_RUN
    ]
    assert got == expected
    assoc = [a for a, _ in explained]
    assert all(a.side is Side.ACCEPTOR and a.peer == "127.0.0.1" and a.contexts == [] for a in assoc)
    assert [a.timestamp for a in assoc][:2] == ["1202 10:12:30.552186", "1202 10:12:30.683177"]
    assert [a.start.line for a in assoc] == [53, 60, 62, 67, 75, 80, 91]  # each "Association Received"
    assert [(m.command, m.move_destination) for m in assoc[5].dimse] == [("C-MOVE RQ", "NOWHERE")]
    assert assoc[1].rejection is not None and (assoc[1].rejection.source, assoc[1].rejection.reason) == (1, 7)
    assert "DicomModalities" in " ".join(r.text for r in assoc[6].errors)


def test_orthanc_trace_log_reads_the_negotiation():
    _result, explained = _run([DATA / "orthanc-trace-dicom.log"])
    assert [(a.calling_ae, a.called_ae, a.outcome, rules) for a, rules in explained] == ORTHANC_RUN
    assoc = [a for a, _ in explained]
    assert _contexts(assoc[0]) == [(1, VERIFICATION, OK, [IVLE], IVLE)]
    assert _contexts(assoc[2]) == [(1, CT, ASNS, [EVLE], ""), (3, CT, ASNS, [EVBE, IVLE], "")]
    # storescu -xs: JPEG Lossless accepted, the uncompressed fallback not
    assert _contexts(assoc[3]) == [
        (1, CT, OK, [JPEG_LOSSLESS], JPEG_LOSSLESS),
        (3, CT, ASNS, [EVLE, EVBE, IVLE], ""),
    ]
    assert _contexts(assoc[4]) == [(1, WORKLIST, ASNS, [EVLE, EVBE, IVLE], "")]
    assert [(cx.abstract_syntax, cx.result) for cx in assoc[5].contexts] == [
        (STUDY_FIND, OK),
        (STUDY_MOVE, OK),
    ]
    a = assoc[0]
    assert (
        a.requestor.implementation_version_name == a.acceptor.implementation_version_name == "OFFIS_DCMTK_367"
    )
    assert a.acceptor.max_pdu == 16384
    # one DIMSE message per request although Orthanc logs it twice (dump, then its own line)
    assert [m.command for m in assoc[0].dimse] == ["C-ECHO RQ"]
    assert assoc[5].dimse[0].move_destination == "NOWHERE"


ORTHANC_STATEMENT = statement(
    "Orthanc Test Build",
    "ORTHANC",
    "Accepted",
    [
        ("Verification", VERIFICATION, [IVLE], "SCP"),
        ("CT Image Storage", CT, [IVLE, EVLE, JPEG_LOSSLESS], "SCP"),
        ("Study Root Query/Retrieve Information Model - FIND", STUDY_FIND, [IVLE, EVLE], "SCP"),
        ("Study Root Query/Retrieve Information Model - MOVE", STUDY_MOVE, [IVLE, EVLE], "SCP"),
    ],
)


def test_orthanc_log_against_its_statement(tmp_path):
    path = tmp_path / "orthanc-test.md"
    path.write_text(ORTHANC_STATEMENT, encoding="utf-8")
    result, explained = _run([DATA / "orthanc-trace-dicom.log"], statements=[str(path)])
    rules = [r for _a, r in explained]
    # CT refused although the statement lists it with the proposed syntaxes: contradicted
    assert rules[2] == ["abstract-syntax-not-supported", "statement-contradicted"]
    refused = result.explained[2].findings[0]
    assert "Its statement declares CT Image Storage as SCP" in refused.detail
    contradiction = result.explained[2].findings[1]
    assert contradiction.severity is Severity.DEGRADING
    cited = [e for e in contradiction.evidence if e.statement == "orthanc-test.md"]
    assert cited and cited[0].provenance is not None and cited[0].provenance.line
    # the worklist: the statement lists none either, so no contradiction
    assert rules[4] == ["abstract-syntax-not-supported"]
    assert "does not list Modality Worklist" in result.explained[4].findings[0].detail
    assert result.explained[5].findings[0].fix.startswith("Check that 'NOWHERE' is configured on ORTHANC")


# ---------------------------------------------------------------- DCMTK / pynetdicom samples
def test_dcmtk_and_pynetdicom_samples():
    _r, [(find, find_rules)] = _run([DATA / "dcmtk-findscu-d.log"])
    assert (find.side, find.calling_ae, find.called_ae) == (Side.REQUESTOR, "VIEWER", "STORESCP")
    assert _contexts(find) == [(1, STUDY_FIND, ASNS, [EVLE, EVBE, IVLE], "")]
    assert find_rules == ["abstract-syntax-not-supported"]
    # the server's log starts with a bare TCP connection (the recording's readiness check)
    assert read_log(DATA / "dcmtk-storescp-d.log").bare_connections == 1
    _r, [(served, served_rules)] = _run([DATA / "dcmtk-storescp-d.log"])
    assert served.side is Side.ACCEPTOR and _contexts(served) == _contexts(find)
    assert served_rules == find_rules
    _r, [(store, store_rules)] = _run([DATA / "dcmtk-storescu-v.log"])
    assert store.contexts == [] and store.outcome is Outcome.NO_ACCEPTED_CONTEXT
    assert store_rules == ["no-context-accepted"]
    log = read_log(DATA / "pynetdicom-scu.log")
    assert log.format is LogFormat.PYNETDICOM
    _r, [(py, py_rules)] = _run([DATA / "pynetdicom-scu.log"])
    assert [(cx.abstract_syntax, cx.result) for cx in py.contexts] == [
        (STUDY_FIND, ASNS),
        (CT, OK),
        (VERIFICATION, OK),
    ]
    assert [(m.command, m.status) for m in py.dimse] == [("C-STORE RQ", None), ("C-STORE RSP", 0xA700)]
    assert py_rules == ["abstract-syntax-not-supported", "dimse-failure"]


# ------------------------------------------------------------------------- bad logs
def _cut_inside_a_dump(tmp_path: Path) -> Path:
    lines = (DATA / "orthanc-trace-dicom.log").read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if "BEGIN A-ASSOCIATE-RQ" in line)
    path = tmp_path / "cut.log"
    path.write_text("".join(lines[: start + 10]), encoding="utf-8")
    return path, start + 1


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        (
            "notes.txt",
            "Meeting notes\nThe archive was down on Tuesday.\n",
            "not an association log this tool reads",
        ),
        ("empty.log", "", "empty file"),
        ("image.log", "DICM\x00\x00\x01binary", "not a text log (binary data)"),
    ],
)
def test_unreadable_logs_are_one_line_naming_the_file(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_text(content, encoding="latin-1")
    with pytest.raises(LogError) as err:
        read_log(path)
    assert err.value.message == f"{path}: {problem}" or err.value.message.startswith(f"{path}: {problem}")
    assert "\n" not in err.value.message


def test_truncated_log_names_the_cut_block(tmp_path):
    path, line = _cut_inside_a_dump(tmp_path)
    with pytest.raises(LogError) as err:
        read_log(path)
    assert (
        err.value.message
        == f"{path}: truncated: the A-ASSOCIATE-RQ block that starts at line {line} has no end"
    )


def test_log_without_association_says_so(tmp_path):
    head = (DATA / "orthanc-verbose.log").read_text(encoding="utf-8").splitlines(keepends=True)[:40]
    path = tmp_path / "startup.log"
    path.write_text("".join(head), encoding="utf-8")
    log = read_log(path)
    assert log.format is LogFormat.ORTHANC and log.associations == []
    res = CliRunner().invoke(app, ["explain", str(path), "--out", str(tmp_path / "x.html")])
    assert res.exit_code == 0, res.output
    assert f"{path}: orthanc log with no association in it" in res.output
    report = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    assert report["associations"] == []
    assert report["skipped"] == [{"item": "startup.log", "reason": "orthanc log with no association in it"}]


# ----------------------------------------------------------------------------- CLI
def test_cli_writes_html_and_json_in_the_report_shape(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("nothing to see\n", encoding="utf-8")
    out = tmp_path / "reports" / "explain.html"
    logs = [str(DATA / "dcmtk-findscu-d.log"), str(bad), str(DATA / "pynetdicom-scu.log")]
    res = CliRunner().invoke(app, ["explain", *logs, "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert f"error: {bad}: not an association log this tool reads" in res.output
    assert "2 association(s) in 2 log(s); 3 blocking, 0 degrading, 0 info" in res.output
    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert report["schema"] == "conformance-explain/1"
    assert [a["id"] for a in report["associations"]] == ["A-1", "A-2"]
    cx = report["associations"][0]["contexts"][0]
    assert cx["abstract_syntax"] == STUDY_FIND and cx["result"] == "abstract-syntax-not-supported"
    assert cx["transfer_syntaxes"] == [EVLE, EVBE, IVLE] and cx["accepted_transfer_syntax"] is None
    assert report["associations"][1]["dimse"][1]["status"] == "0xA700"
    # findings[] as the check report writes them, plus the association each explains
    finding = Finding(rule="dimse-warning", severity=Severity.INFO, title="t")
    check = report_json(Analysis(inventory=Inventory(Path("")), statements={}, findings=[finding]))
    check = check["findings"][0]
    assert all(set(f) == set(check) | {"association"} for f in report["findings"])
    assert {f["association"] for f in report["findings"]} == {"A-1", "A-2"}
    find = next(f for f in report["findings"] if f["association"] == "A-1")
    ev = find["evidence"][0]
    assert (
        ev["statement"] == "dcmtk-findscu-d.log"
        and ev["line"] == 18
        and ev["text"].startswith("D:   Context ID:")
    )
    assert report["skipped"][0]["item"] == "notes.txt"
    html = out.read_text(encoding="utf-8")
    assert (
        "Study Root Query/Retrieve Information Model - FIND" in html
        and "abstract-syntax-not-supported" in html
    )
    assert "association log" in html  # the evidence index labels the log files


def test_cli_errors(tmp_path):
    log = DATA / "dcmtk-findscu-d.log"
    runner = CliRunner()
    res = runner.invoke(app, ["explain", str(tmp_path / "missing.log"), "--out", str(tmp_path / "r.html")])
    assert res.exit_code == 1 and res.output.strip() == f"error: {tmp_path / 'missing.log'}: no such file"
    assert not (tmp_path / "r.html").exists()
    res = runner.invoke(app, ["explain", str(log), "-i", "site.yaml", "--statement", "x.md"])
    assert res.exit_code == 1 and "use --inventory or --statement, not both" in res.output
    copy = tmp_path / "findscu.log"
    copy.write_bytes(log.read_bytes())
    res = runner.invoke(app, ["explain", str(copy), "--out", str(tmp_path / "findscu.html")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["explain", str(copy), "--out", str(tmp_path / "findscu.log")])
    assert res.exit_code == 1 and "would overwrite the log" in res.output
    res = runner.invoke(app, ["explain", str(copy), "-i", str(tmp_path / "nope.yaml")])
    assert res.exit_code == 1 and res.output.strip() == f"error: {tmp_path / 'nope.yaml'}: no such file"


def test_cli_strict_exits_2_when_a_log_was_skipped(tmp_path):
    bad = tmp_path / "bad.log"
    bad.write_text("x\n", encoding="utf-8")
    args = ["explain", str(DATA / "dcmtk-findscu-d.log"), str(bad), "--out", str(tmp_path / "r.html")]
    assert CliRunner().invoke(app, args).exit_code == 0
    res = CliRunner().invoke(app, [*args, "--strict"])
    assert res.exit_code == 2 and "warning: skipped bad.log" in res.output


def test_log_text_never_becomes_markup_and_output_is_deterministic(tmp_path):
    text = (DATA / "orthanc-verbose.log").read_text(encoding="utf-8").replace("VIEWER", "<b onclick=x>VIEWER")
    hostile = tmp_path / "hostile.log"
    hostile.write_text(text, encoding="utf-8")
    outs = []
    for n in (1, 2):
        out = tmp_path / f"r{n}" / "explain.html"
        res = CliRunner().invoke(app, ["explain", str(hostile), "--out", str(out)])
        assert res.exit_code == 0, res.output
        outs.append(out)
    html = outs[0].read_text(encoding="utf-8")
    assert "<b onclick" not in html and "&lt;b onclick=x&gt;VIEWER" in html
    assert outs[0].read_bytes() == outs[1].read_bytes()
    assert outs[0].with_suffix(".json").read_bytes() == outs[1].with_suffix(".json").read_bytes()


# ---------------------------------------------------------------------------- docs
def _doc_tables() -> dict[str, list[str]]:
    """Field names per heading of docs/explain.md's JSON section, and the rules table."""
    out: dict[str, list[str]] = {}
    heading = ""
    for line in (Path(__file__).parent.parent / "docs" / "explain.md").read_text("utf-8").splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip().strip("`")
            out[heading] = []
        elif heading and (m := re.match(r"\| `([a-z_-]+)` \|", line)):
            out[heading].append(m.group(1))
    return out


def test_docs_list_every_rule_and_json_field(tmp_path):
    docs = _doc_tables()
    assert docs["Explanation rules"] == list(RULES)
    out = tmp_path / "e.html"
    logs = [str(DATA / n) for n in ("orthanc-trace-dicom.log", "pynetdicom-scu.log")]
    assert CliRunner().invoke(app, ["explain", *logs, "--out", str(out)]).exit_code == 0
    data = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert list(data) == docs["Top level"]
    assert list(data["logs"][0]) == docs["logs[]"]
    assoc = data["associations"][0]
    assert list(assoc) == docs["associations[]"]
    assert list(assoc["requestor"]) == docs["associations[].requestor`, `associations[].acceptor"]
    assert list(assoc["contexts"][0]) == docs["associations[].contexts[]"]
