"""Explanations of logs that real runs produce inside the test: DCMTK and pynetdicom on loopback.

Each test starts a server (storescp, dcmqrscp, a pynetdicom SCP, Orthanc), runs a client
with its debug logging into a file, reads both logs and checks the exact presentation
contexts and results read, then the rule of the explanation and what it quotes from the
statements of a small site (``tests/explain_kit.py``). Without DCMTK / Orthanc the tests
skip, except under CI=true where they fail.
"""

from __future__ import annotations

import contextlib
import json
import logging
from pathlib import Path

import pytest
from pynetdicom import AE
from pynetdicom.sop_class import CTImageStorage, StudyRootQueryRetrieveInformationModelFind, Verification
from typer.testing import CliRunner

from conformance.cli import app
from conformance.explain import explain_logs, read_log
from conformance.explain.model import ContextResult, LogFormat, Outcome, Side
from tests.explain_kit import (
    CT,
    EVBE,
    EVLE,
    IVLE,
    JPEG_LOSSLESS,
    LOOPBACK,
    STUDY_FIND,
    STUDY_MOVE,
    STUDY_UID,
    VERIFICATION,
    ct_file,
    jpeg_only_profile,
    run_tool,
    start_dcmqrscp,
    start_pynetdicom_scp,
    start_storescp,
    write_site,
)
from tests.test_probe_live import _need

pytestmark = pytest.mark.network

ASNS = ContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED
TSNS = ContextResult.TRANSFER_SYNTAXES_NOT_SUPPORTED
OK = ContextResult.ACCEPTANCE
DEFLATED = "1.2.840.10008.1.2.1.99"


def contexts(assoc) -> list[tuple]:
    return [(cx.id, cx.abstract_syntax, cx.result, cx.proposed_transfer_syntaxes) for cx in assoc.contexts]


def only(log_path: Path):
    log = read_log(log_path)
    assert len(log.associations) == 1, [a.start for a in log.associations]
    return log, log.associations[0]


def rules_of(result) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in result.findings:
        out.setdefault(f.rule, []).append(f)
    return out


# --------------------------------------------------------------- C-FIND, storage-only SCP
def test_find_against_a_storage_only_scp(tmp_path):
    inventory = write_site(tmp_path)
    server = start_storescp(tmp_path, "STORESCP")
    client_log = tmp_path / "findscu.log"
    try:
        rc = run_tool(
            "findscu",
            ["-d", "-S", "-aet", "VIEWER", "-aec", "STORESCP", "-k", "QueryRetrieveLevel=STUDY",
             "-k", "StudyInstanceUID", LOOPBACK, str(server.port)],
            client_log,
        )  # fmt: skip
    finally:
        server.stop()
    assert rc != 0  # findscu fails: no acceptable presentation context
    expected = [(1, STUDY_FIND, ASNS, [EVLE, EVBE, IVLE])]
    log, client = only(client_log)
    assert log.format is LogFormat.DCMTK and client.side is Side.REQUESTOR
    assert (client.calling_ae, client.called_ae) == ("VIEWER", "STORESCP")
    assert contexts(client) == expected
    assert client.outcome is Outcome.NO_ACCEPTED_CONTEXT
    assert client.requestor.implementation_class_uid.startswith("1.2.276.0.7230010.3.")
    assert client.acceptor.max_pdu == 16384  # storescp's default, from the A-ASSOCIATE-AC
    _server_log, served = only(server.log)
    assert served.side is Side.ACCEPTOR and contexts(served) == expected
    assert served.outcome is Outcome.NO_ACCEPTED_CONTEXT

    result = explain_logs([client_log, server.log], inventory=inventory, use_cache=False)
    rules = rules_of(result)
    assert set(rules) == {"abstract-syntax-not-supported", "implementation-differs"}
    assert len(rules["abstract-syntax-not-supported"]) == 2  # once per log
    # DCMTK answered, not the fictional products the statements describe: a note per party, once
    assert sorted(f.title.split(":")[0] for f in rules["implementation-differs"]) == ["STORE", "VIEWER"]
    assert {f.severity.value for f in rules["implementation-differs"]} == {"info"}
    f = rules["abstract-syntax-not-supported"][0]
    assert (f.source, f.target, f.service) == ("VIEWER", "STORE", "query")
    assert "STORE's statement (quay-store.md) does not list" in f.detail
    assert "Point VIEWER at ARCHIVE (AE ARCHIVE)" in f.fix
    cx = client.contexts[0]
    logged = [e.provenance.line for e in f.evidence if e.statement == "findscu.log"]
    assert logged == [cx.ref.line, cx.result_ref.line]  # the proposal and the answer, quoted
    by_file = {e.statement: e for e in f.evidence}
    assert by_file["quay-store.md"].provenance is None  # the statement lists no Q/R FIND: silent
    archive = by_file["harbor-archive.md"]
    assert archive.provenance.line and "1.2.840.10008.5.1.4.1.2.2.1" in archive.provenance.text


def test_find_at_verbose_level_says_what_it_cannot_see(tmp_path):
    server = start_storescp(tmp_path, "STORESCP")
    client_log = tmp_path / "findscu-v.log"
    try:
        args = ["-v", "-S", "-aec", "STORESCP", "-k", "QueryRetrieveLevel=STUDY", LOOPBACK, str(server.port)]
        run_tool("findscu", args, client_log)
    finally:
        server.stop()
    _log, client = only(client_log)
    assert client.contexts == [] and client.outcome is Outcome.NO_ACCEPTED_CONTEXT
    result = explain_logs([client_log], use_cache=False)
    assert [f.rule for f in result.findings] == ["no-context-accepted"]
    assert "-d" in result.findings[0].fix


# ------------------------------------------------------ C-STORE, only syntax refused
def test_store_whose_only_proposed_syntax_the_scp_refuses(tmp_path):
    write_site(tmp_path)
    server = start_storescp(tmp_path, "TIDE", *jpeg_only_profile(tmp_path))
    client_log = tmp_path / "storescu.log"
    try:
        rc = run_tool(
            "storescu",
            ["-d", "-R", "-xi", "-aet", "MODALITY", "-aec", "TIDE", LOOPBACK, str(server.port),
             str(ct_file(tmp_path))],
            client_log,
        )  # fmt: skip
    finally:
        server.stop()
    assert rc != 0
    expected = [(1, CT, TSNS, [IVLE])]
    _log, client = only(client_log)
    assert contexts(client) == expected and client.outcome is Outcome.NO_ACCEPTED_CONTEXT
    _log, served = only(server.log)
    assert contexts(served) == expected

    statements = [str(tmp_path / "beacon-ct.md"), str(tmp_path / "tide-store.md")]
    result = explain_logs([client_log], statements=statements, use_cache=False)
    assert [f.rule for f in result.findings] == ["transfer-syntaxes-not-supported"]
    f = result.findings[0]
    assert (f.source, f.target, f.service) == ("MODALITY", "TIDE", "store")
    assert "proposed CT Image Storage only with Implicit VR Little Endian" in f.detail
    assert f.fix.startswith("Configure MODALITY to propose JPEG Lossless")  # both statements list it
    assert {e.statement for e in f.evidence} == {"storescu.log", "beacon-ct.md", "tide-store.md"}

    # an outdated statement that still lists Implicit VR LE: the log contradicts it
    old = [str(tmp_path / "beacon-ct.md"), f"TIDE={tmp_path / 'tide-store-old.md'}"]
    result = explain_logs([client_log], statements=old, use_cache=False)
    rules = rules_of(result)
    assert set(rules) == {"transfer-syntaxes-not-supported", "statement-contradicted"}
    contradiction = rules["statement-contradicted"][0]
    assert contradiction.severity.value == "degrading"
    assert "tide-store-old.md declares CT Image Storage as SCP" in contradiction.detail


# ------------------------------------------------------- wrong called AE, SCP that checks
def test_wrong_called_ae_against_an_scp_that_checks_it(tmp_path):
    # storescp 3.6.7 answers any called AE title; dcmqrscp refuses titles not in its configuration
    inventory = write_site(tmp_path)
    server = start_dcmqrscp(tmp_path, "ARCHIVE")
    debug_log, verbose_log = tmp_path / "echoscu-d.log", tmp_path / "echoscu-v.log"
    try:
        args = ["-aet", "VIEWER", "-aec", "ARCHIV", LOOPBACK, str(server.port)]
        assert run_tool("echoscu", ["-d", *args], debug_log) != 0
        assert run_tool("echoscu", ["-v", *args], verbose_log) != 0
    finally:
        server.stop()
    for path in (debug_log, verbose_log):
        _log, client = only(path)
        assert client.outcome is Outcome.REJECTED
        rj = client.rejection
        assert (rj.result, rj.source, rj.reason) == (1, 1, 7)
        # at -v DCMTK prints no AE titles
        assert (client.calling_ae, client.called_ae) == (
            ("VIEWER", "ARCHIV") if path == debug_log else ("", "")
        )
    _log, client = only(debug_log)
    assert contexts(client) == [(1, VERIFICATION, None, [IVLE])]  # refused before any context answer
    # the server's log: the test's readiness check (a bare TCP connect) comes first, then the two calls
    served = [a for a in read_log(server.log).associations if a.calling_ae]
    assert [(a.calling_ae, a.called_ae, a.outcome) for a in served] == [
        ("VIEWER", "ARCHIV", Outcome.REJECTED)
    ] * 2
    assert all((a.rejection.source, a.rejection.reason) == (1, 7) for a in served)

    result = explain_logs([debug_log, verbose_log], inventory=inventory, use_cache=False)
    rejected = [
        f for f in result.findings if f.rule != "implementation-differs"
    ]  # VIEWER's statement: see above
    assert [f.rule for f in rejected] == ["association-rejected-called-ae"] * 2
    assert "called AE title (not in this log" in rejected[1].title
    f = rejected[0]
    assert "called AE title 'ARCHIV' not recognised" in f.title
    assert f.fix.startswith("Configure VIEWER to call 'ARCHIVE'")  # the site's nearest AE title
    assert "site.yaml" in {e.statement for e in f.evidence}


def test_move_to_a_destination_the_archive_does_not_know(tmp_path):
    inventory = write_site(tmp_path)
    server = start_dcmqrscp(tmp_path, "ARCHIVE")
    move_log = tmp_path / "movescu.log"
    try:
        ct = ct_file(tmp_path)
        assert (
            run_tool(
                "storescu",
                ["-aet", "CT1", "-aec", "ARCHIVE", LOOPBACK, str(server.port), str(ct)],
                tmp_path / "s.log",
            )
            == 0
        )
        run_tool(
            "movescu",
            ["-d", "-S", "-aet", "VIEWER", "-aec", "ARCHIVE", "-aem", "VIEWSTORE",
             "-k", "QueryRetrieveLevel=STUDY", "-k", f"StudyInstanceUID={STUDY_UID}",
             LOOPBACK, str(server.port)],
            move_log,
        )  # fmt: skip
    finally:
        server.stop()
    _log, move = only(move_log)
    assert [(cx.abstract_syntax, cx.result) for cx in move.contexts] == [(STUDY_FIND, OK), (STUDY_MOVE, OK)]
    assert [(m.command, m.status, m.move_destination) for m in move.dimse] == [
        ("C-MOVE RQ", None, "VIEWSTORE"),
        ("C-MOVE RSP", 0xA801, ""),
    ]
    result = explain_logs([move_log], inventory=inventory, use_cache=False)
    [f] = [f for f in result.findings if f.rule != "implementation-differs"]
    assert f.rule == "move-destination-refused" and f.severity.value == "blocking"
    assert (f.source, f.target, f.service) == ("VIEWER", "ARCHIVE", "move")
    assert f.fix == (
        "Add 'VIEWSTORE' (10.0.0.31:11112) to ARCHIVE's list of remote AEs "
        "(destination AE title, host and port)."
    )
    assert [e.statement for e in f.evidence] == ["movescu.log", "movescu.log", "site.yaml"]


# ---------------------------------------------------------------------- pynetdicom
def _pynetdicom_scu(port: int, called: str, log: Path) -> None:
    """pynetdicom SCU with its debug logging into ``log``: FIND, C-STORE and C-ECHO contexts."""
    logger = logging.getLogger("pynetdicom")
    handler = logging.FileHandler(log, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname).1s: %(message)s"))
    old = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        ae = AE(ae_title="PYSCU")
        ae.acse_timeout = ae.dimse_timeout = ae.network_timeout = 10
        for sop in (StudyRootQueryRetrieveInformationModelFind, CTImageStorage, Verification):
            ae.add_requested_context(sop)
        assoc = ae.associate(LOOPBACK, port, ae_title=called)
        if assoc.is_established:
            from pydicom import dcmread
            from pydicom.dataset import Dataset

            query = Dataset()
            query.QueryRetrieveLevel, query.StudyInstanceUID = "STUDY", ""
            with contextlib.suppress(ValueError):  # no accepted context: pynetdicom logs why and raises
                list(assoc.send_c_find(query, StudyRootQueryRetrieveInformationModelFind))
            assoc.send_c_store(dcmread(log.parent / "ct.dcm"))
            assoc.release()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)
        handler.close()


def test_pynetdicom_scu_and_scp_debug_logs(tmp_path):
    ct_file(tmp_path)
    server, scp_log = start_pynetdicom_scp(tmp_path, "PYSCP")
    scu_log, wrong_log, storescu_log = (
        tmp_path / "scu.log",
        tmp_path / "scu-wrong.log",
        tmp_path / "storescu.log",
    )
    try:
        _pynetdicom_scu(server.port, "PYSCP", scu_log)
        _pynetdicom_scu(server.port, "NOTPYSCP", wrong_log)
        run_tool(
            "storescu",
            ["-d", "-R", "-aec", "PYSCP", LOOPBACK, str(server.port), str(tmp_path / "ct.dcm")],
            storescu_log,
        )
    finally:
        server.stop()
    pynetdicom_ts = [IVLE, EVLE, DEFLATED, EVBE]  # pynetdicom's default proposal
    expected = [
        (1, STUDY_FIND, ASNS, pynetdicom_ts),
        (3, CT, OK, pynetdicom_ts),
        (5, VERIFICATION, OK, pynetdicom_ts),
    ]
    log, client = only(scu_log)
    assert log.format is LogFormat.PYNETDICOM and client.side is Side.REQUESTOR
    assert contexts(client) == expected
    assert [cx.transfer_syntax for cx in client.contexts] == ["", IVLE, IVLE]
    stores = [(m.command, m.status) for m in client.dimse if m.service == "C-STORE"]
    assert stores == [("C-STORE RQ", None), ("C-STORE RSP", 0xA700)]
    result = explain_logs([scu_log], use_cache=False)
    rules = rules_of(result)
    # the FIND refusal counts: pynetdicom's error line names the SOP class it could not use
    assert set(rules) == {"abstract-syntax-not-supported", "dimse-failure"}
    failure = rules["dimse-failure"][0]
    assert "0xA700" in failure.title and "Out of Resources" in failure.title
    assert failure.service == "store"

    scp = read_log(scp_log)
    assert scp.format is LogFormat.PYNETDICOM
    accepted, rejected = (
        [a for a in scp.associations if a.rejection is None],
        [a for a in scp.associations if a.rejection is not None],
    )
    assert [contexts(a) for a in accepted] == [expected, [(1, CT, OK, [EVLE]), (3, CT, OK, [EVBE, IVLE])]]
    assert all(a.side is Side.ACCEPTOR for a in scp.associations)
    assert [(a.calling_ae, a.called_ae) for a in rejected] == [("PYSCU", "NOTPYSCP")]
    result = explain_logs([scp_log], use_cache=False)
    rules = rules_of(result)
    # the server's log shows the refusal but not that anything needed it: a note, not a blocker
    assert set(rules) == {"contexts-refused-unused", "association-rejected-called-ae"}
    assert (
        "the same server accepted calls to 'PYSCP' in this log"
        in rules["association-rejected-called-ae"][0].detail
    )

    _log, wrong = only(wrong_log)
    assert wrong.outcome is Outcome.REJECTED and (wrong.rejection.source, wrong.rejection.reason) == (1, 7)
    assert [f.rule for f in explain_logs([wrong_log], use_cache=False).findings] == [
        "association-rejected-called-ae"
    ]

    # DCMTK's storescu against the same SCP: the DIMSE status read from DCMTK's dump
    log, store = only(storescu_log)
    assert log.format is LogFormat.DCMTK
    assert [(m.command, m.status) for m in store.dimse] == [("C-STORE RQ", None), ("C-STORE RSP", 0xA700)]
    assert store.acceptor.implementation_version_name.startswith("PYNETDICOM")
    assert [f.rule for f in explain_logs([storescu_log], use_cache=False).findings] == ["dimse-failure"]


# -------------------------------------------------------------------------- Orthanc
def test_orthanc_trace_log_of_a_live_run(tmp_path):
    from tests.test_probe_live import Server, _free_port

    binary = _need("Orthanc", ["/usr/sbin/Orthanc", "/usr/bin/Orthanc"], "orthanc", "orthanc")
    port = _free_port()
    config = {
        "Name": "explain-test", "StorageDirectory": str(tmp_path / "db"),
        "IndexDirectory": str(tmp_path / "db"),
        "Plugins": [], "HttpServerEnabled": False, "DicomServerEnabled": True, "DicomAet": "ORTHANC",
        "DicomPort": port, "DicomCheckCalledAet": True, "AcceptedTransferSyntaxes": [JPEG_LOSSLESS],
    }  # fmt: skip
    (tmp_path / "orthanc.json").write_text(json.dumps(config), encoding="utf-8")
    server = Server(
        [binary, "--verbose", "--trace-dicom", str(tmp_path / "orthanc.json")], port, tmp_path, "orthanc"
    )
    try:
        run_tool("echoscu", ["-aet", "MODALITY", "-aec", "ORTHANX", LOOPBACK, str(port)], tmp_path / "c1.log")
        worklist_query = ["-W", "-aet", "MODALITY", "-aec", "ORTHANC", "-k", "PatientID", LOOPBACK, str(port)]
        run_tool("findscu", worklist_query, tmp_path / "c2.log")
        run_tool("echoscu", ["-aet", "MODALITY", "-aec", "ORTHANC", LOOPBACK, str(port)], tmp_path / "c3.log")
    finally:
        server.stop()
    log = read_log(server.log)
    assert log.format is LogFormat.ORTHANC
    outcomes = [(a.calling_ae, a.called_ae, a.outcome) for a in log.associations]
    assert outcomes == [
        ("MODALITY", "ORTHANX", Outcome.REJECTED),
        ("MODALITY", "ORTHANC", Outcome.NO_ACCEPTED_CONTEXT),
        ("MODALITY", "ORTHANC", Outcome.ESTABLISHED),
    ]
    worklist = "1.2.840.10008.5.1.4.31"
    assert contexts(log.associations[1]) == [(1, worklist, ASNS, [EVLE, EVBE, IVLE])]
    assert all(a.peer == LOOPBACK and a.timestamp for a in log.associations)
    res = CliRunner().invoke(app, ["explain", str(server.log), "--out", str(tmp_path / "explain.html")])
    assert res.exit_code == 0, res.output
    report = json.loads((tmp_path / "explain.json").read_text(encoding="utf-8"))
    assert [f["rule"] for f in report["findings"]] == [
        "abstract-syntax-not-supported",
        "association-rejected-called-ae",
    ]
    rejected = next(f for f in report["findings"] if f["rule"] == "association-rejected-called-ae")
    assert "Configure MODALITY to call 'ORTHANC'" in rejected["fix"]  # the title the same log accepted
