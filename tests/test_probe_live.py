"""Declared versus observed against real DICOM servers started on loopback by the tests.

Orthanc (Debian ``orthanc``) and DCMTK's ``storescp`` (Debian ``dcmtk``) are started with a
known configuration on a free port; the probe's accepted/refused sets are checked against
what that configuration allows, and its findings against a Markdown statement parsed by
the real parser. Servers are always killed. Without the binaries the tests skip, except
under CI=true where they fail (CI installs them).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conformance import uids
from conformance.cli import app
from conformance.model import Role, Statement
from conformance.parsers import parse_statement
from conformance.probe import probe, probe_device
from conformance.probe.negotiate import (
    DEFAULT_SOP_CLASSES,
    IMAGE_STORAGE,
    OBJECT_STORAGE,
    WORKFLOW,
    batches,
    plan,
    syntaxes_for,
)

pytestmark = pytest.mark.network

LOOPBACK = "127.0.0.1"
IMPLICIT, EXPLICIT_LE, EXPLICIT_BE = uids.IMPLICIT_VR_LE, uids.EXPLICIT_VR_LE, uids.EXPLICIT_VR_BE
DEFLATED = "1.2.840.10008.1.2.1.99"
JPEG_BASELINE, JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.70"
J2K_LOSSLESS, RLE = "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.5"
UNCOMPRESSED = {IMPLICIT, EXPLICIT_LE, EXPLICIT_BE}
CT, MR, SC = "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.5.1.4.1.1.7"
STUDY_FIND = "1.2.840.10008.5.1.4.1.2.2.1"
ENHANCED_PET = "1.2.840.10008.5.1.4.1.1.130"
DCMTK_ROOT = "1.2.276.0.7230010.3."  # OFFIS implementation class UID root (Orthanc is built on DCMTK)

# The Orthanc configuration under test: an explicit list of storage transfer syntaxes, then
# two group switches applied after it (Orthanc 1.9+): RLE removed again, Deflated added.
ORTHANC_AET = "ORTHPROBE"
ORTHANC_MAX_PDU = 32768
ORTHANC_LIST = [IMPLICIT, EXPLICIT_LE, JPEG_BASELINE, JPEG_LOSSLESS_SV1, RLE]
ORTHANC_STORAGE_TS = {IMPLICIT, EXPLICIT_LE, JPEG_BASELINE, JPEG_LOSSLESS_SV1, DEFLATED}

TIMEOUT = 3.0
CI = os.environ.get("CI") == "true"


# ----------------------------------------------------------------------------- servers
def _need(name: str, candidates: list[str], package: str, marker: str) -> str:
    """Path of a real binary whose --version mentions marker; skip (fail under CI) if none."""
    for path in [*candidates, shutil.which(name) or ""]:
        if not path or not os.access(path, os.X_OK):
            continue
        try:
            version = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if marker.lower() in (version.stdout + version.stderr).lower():
            return path
    message = f"{name} from Debian package '{package}' is not installed (apt-get install {package})"
    if CI:
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


class Server:
    """A server process listening on a loopback port; always stopped by its fixture."""

    def __init__(self, cmd: list[str], port: int, workdir: Path, name: str) -> None:
        self.port = port
        self.log = workdir / f"{name}.log"
        self._log_fh = self.log.open("wb")
        self.proc = subprocess.Popen(cmd, cwd=workdir, stdout=self._log_fh, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            if self.proc.poll() is not None:
                self.stop()
                raise RuntimeError(f"{cmd[0]} exited with {self.proc.returncode}: {self.tail()}")
            try:
                with socket.create_connection((LOOPBACK, port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(
                        f"{cmd[0]} not listening on {port} after 30 s: {self.tail()}"
                    ) from None
                time.sleep(0.05)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-800:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log_fh.close()


def start_orthanc(workdir: Path, **overrides: object) -> Server:
    binary = _need("Orthanc", ["/usr/sbin/Orthanc", "/usr/bin/Orthanc"], "orthanc", "orthanc")
    port = _free_port()
    config = {
        "Name": "conformance-probe-test",
        "StorageDirectory": str(workdir / "db"),
        "IndexDirectory": str(workdir / "db"),
        "Plugins": [],
        "HttpServerEnabled": False,
        "DicomServerEnabled": True,
        "DicomAet": ORTHANC_AET,
        "DicomPort": port,
        "DicomCheckCalledAet": True,
        "MaximumPduLength": ORTHANC_MAX_PDU,
        "AcceptedTransferSyntaxes": ORTHANC_LIST,
        "RleTransferSyntaxAccepted": False,
        "DeflatedTransferSyntaxAccepted": True,
        "UnknownSopClassAccepted": False,
        **overrides,
    }
    (workdir / "orthanc.json").write_text(json.dumps(config, indent=1))
    return Server([binary, str(workdir / "orthanc.json")], port, workdir, "orthanc")


def start_storescp(workdir: Path, *options: str, aet: str = "STOREPROBE") -> Server:
    binary = _need("storescp", ["/usr/bin/storescp"], "dcmtk", "dcmtk")
    port = _free_port()
    (workdir / "in").mkdir(exist_ok=True)
    cmd = [binary, "--aetitle", aet, "--acse-timeout", "5", *options, "-od", str(workdir / "in"), str(port)]
    return Server(cmd, port, workdir, "storescp")


@pytest.fixture(scope="module")
def orthanc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_orthanc(tmp_path_factory.mktemp("orthanc"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def orthanc_result(orthanc: Server):
    return probe(LOOPBACK, orthanc.port, ORTHANC_AET, timeout=TIMEOUT)


@pytest.fixture
def storescp(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Server]:
    server = start_storescp(tmp_path, *request.param)
    yield server
    server.stop()


# ----------------------------------------------------------------------- observations
def _storage(sops) -> list[str]:
    return [s for s in sops if s.startswith(uids.STORAGE_SOP_PREFIX) and s not in WORKFLOW]


def test_orthanc_accepts_exactly_its_configured_storage_syntaxes(orthanc_result):
    result = orthanc_result
    assert result.reached and result.failure is None
    assert len(result.associations) == len(batches(plan()))  # > 1: the 128-context limit is honoured
    assert all(a.status == "established" for a in result.associations)
    assert all(cx.answered for cx in result.contexts)
    accepted, refused = result.accepted(), result.refused()
    storage = _storage(DEFAULT_SOP_CLASSES)
    assert CT in accepted and MR in accepted
    for sop in storage:  # every standard storage class Orthanc knows, with exactly the configured syntaxes
        offered = set(syntaxes_for(sop))
        assert set(accepted.get(sop, [])) == ORTHANC_STORAGE_TS & offered, uids.uid_name(sop)
        assert set(refused.get(sop, {})) == offered - ORTHANC_STORAGE_TS, uids.uid_name(sop)
    assert RLE in refused[CT] and J2K_LOSSLESS in refused[CT] and EXPLICIT_BE in refused[CT]
    # No worklist plugin and no MPPS in Orthanc: refused as abstract syntax not supported.
    for sop in (uids.MODALITY_WORKLIST_FIND, uids.MPPS):
        assert sop not in accepted
        assert set(refused[sop].values()) == {3}
    assert uids.VERIFICATION in accepted and STUDY_FIND in accepted
    assert result.max_pdu == ORTHANC_MAX_PDU
    assert result.implementation_class_uid.startswith(DCMTK_ROOT)
    assert result.echo is not None and result.echo.status == 0


def test_observation_is_a_statement_that_round_trips(orthanc_result):
    result = orthanc_result
    st = result.to_statement()
    again = Statement.from_dict(json.loads(json.dumps(st.to_dict())))
    assert again == st
    services = again.services()
    assert {sop for sop, role in services} == set(result.accepted())
    assert all(role is Role.SCP for _sop, role in services)
    assert set(services[(CT, Role.SCP)].transfer_syntaxes) == ORTHANC_STORAGE_TS & set(syntaxes_for(CT))
    prov = services[(CT, Role.SCP)].provenance[0]
    assert prov.text.startswith("observed on ") and prov.text.endswith(f" from {LOOPBACK}:{result.port}")
    assert again.max_pdu_receive.value == ORTHANC_MAX_PDU
    assert again.implementation_class_uid.value == result.implementation_class_uid
    assert again.aes[0].ae_title.value == ORTHANC_AET
    assert any("Modality Performed Procedure Step" in w for w in again.warnings)


def test_small_batches_learn_the_same_as_full_associations(orthanc, orthanc_result):
    small = probe(LOOPBACK, orthanc.port, ORTHANC_AET, timeout=TIMEOUT, max_contexts=16)
    assert len(small.associations) == len(batches(plan(), 16)) > len(orthanc_result.associations)
    assert all(len(g) <= 16 for g in batches(plan(), 16))
    assert small.accepted() == orthanc_result.accepted()
    assert small.refused() == orthanc_result.refused()


@pytest.mark.parametrize(
    ("storescp", "encapsulated"),
    [(["+xs"], {JPEG_LOSSLESS_SV1}), (["+xr"], {RLE}), (["+xd"], {DEFLATED}), (["+xi"], set())],
    indirect=["storescp"],
    ids=["xs-jpeg-lossless", "xr-rle", "xd-deflated", "xi-implicit-only"],
)
def test_storescp_accepts_what_its_transfer_syntax_option_says(storescp, encapsulated):
    # storescp(1): +xs/+xr/+xd add one syntax to the three uncompressed ones; +xi is implicit only.
    expected = {IMPLICIT} if not encapsulated else UNCOMPRESSED | encapsulated
    result = probe(LOOPBACK, storescp.port, "STOREPROBE", timeout=TIMEOUT)
    accepted, refused = result.accepted(), result.refused()
    for sop in (*IMAGE_STORAGE, *OBJECT_STORAGE):
        offered = set(syntaxes_for(sop))
        assert set(accepted.get(sop, [])) == expected & offered, uids.uid_name(sop)
        assert set(refused.get(sop, {})) == offered - expected
    for sop in WORKFLOW:  # a storage SCP: only Verification besides storage
        if sop == uids.VERIFICATION:
            assert IMPLICIT in accepted[sop]
        else:
            assert sop not in accepted and set(refused[sop].values()) == {3}, uids.uid_name(sop)
    assert result.implementation_class_uid.startswith(DCMTK_ROOT)
    assert result.max_pdu == 16384  # storescp's documented default --max-pdu
    assert result.echo is not None and result.echo.status == 0


# ------------------------------------------------------------------ declared vs observed
PACS_ROWS = [  # (name, SOP class UID, declared transfer syntaxes), all as SCP
    ("Verification", uids.VERIFICATION, [IMPLICIT, EXPLICIT_LE]),
    ("CT Image Storage", CT, [IMPLICIT, EXPLICIT_LE, JPEG_LOSSLESS_SV1, J2K_LOSSLESS]),
    ("MR Image Storage", MR, [IMPLICIT, EXPLICIT_LE, DEFLATED, JPEG_BASELINE, JPEG_LOSSLESS_SV1]),
    ("Secondary Capture Image Storage", SC, [IMPLICIT, EXPLICIT_LE, RLE]),
    ("Study Root Query/Retrieve Information Model - FIND", STUDY_FIND, [IMPLICIT, EXPLICIT_LE, EXPLICIT_BE]),
    ("Modality Worklist Information Model - FIND", uids.MODALITY_WORKLIST_FIND, [IMPLICIT]),
    ("Modality Performed Procedure Step", uids.MPPS, [IMPLICIT]),
]
PACS_STATEMENT = f"""# Probe Test PACS 1.0 - DICOM Conformance Statement

## 1 Implementation Model

Implementation Class UID: 1.2.826.0.1.3680043.9.9999.1
Implementation Version Name: PROBETEST_10
Maximum PDU size received: {ORTHANC_MAX_PDU}

## 2 STORE-SCP AE Specification

The STORE-SCP AE uses AE Title {ORTHANC_AET}.

### 2.1 Accepted Presentation Contexts (SCP)

| Abstract Syntax | SOP Class UID | Transfer Syntaxes | Role |
|---|---|---|---|
""" + "".join(f"| {name} | {uid} | {', '.join(tss)} | SCP |\n" for name, uid, tss in PACS_ROWS)


@pytest.fixture(scope="module")
def pacs_statement(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("statement") / "probe-test-pacs.md"
    path.write_text(PACS_STATEMENT, encoding="utf-8")
    return path


def _service(sop: str) -> str:
    from conformance.probe.compare import service_of

    return service_of(sop)


def _declared_scp(st: Statement) -> dict[str, set[str]]:
    return {sop: set(cap.transfer_syntaxes) for (sop, role), cap in st.services().items() if role is Role.SCP}


def test_declared_versus_observed_findings_on_orthanc(orthanc, pacs_statement):
    declared = parse_statement(pacs_statement)
    scp = _declared_scp(declared)
    assert scp == {uid: set(tss) for _name, uid, tss in PACS_ROWS}  # the parser read the table

    result, findings = probe_device(LOOPBACK, orthanc.port, ORTHANC_AET, declared=declared, device="PACS")
    by_rule: dict[str, list] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    accepted = result.accepted()

    # Declared as SCP but refused: Orthanc has neither MWL (no plugin) nor MPPS.
    refused = by_rule["probe-sop-class-refused"]
    assert {f.severity.value for f in refused} == {"blocking"}
    assert {f.service for f in refused} == {"worklist", "mpps"}
    assert {f.title.split(":")[0] for f in refused} == {
        uids.uid_name(uids.MODALITY_WORKLIST_FIND),
        uids.uid_name(uids.MPPS),
    }

    # Declared transfer syntaxes refused: one finding for the storage classes, listing them.
    expected_missing: dict[str, set[str]] = {}
    for sop, tss in scp.items():
        if sop in accepted:
            for ts in tss - set(accepted[sop]):
                expected_missing.setdefault(ts, set()).add(sop)
    assert expected_missing == {J2K_LOSSLESS: {CT}, RLE: {SC}}  # J2K not listed; RLE switched off
    [ts_refused] = by_rule["probe-transfer-syntax-refused"]
    assert ts_refused.severity.value == "degrading" and ts_refused.service == "store"
    assert set(ts_refused.transfer_syntaxes) == {J2K_LOSSLESS, RLE}
    assert set(ts_refused.sop_classes) == {CT, SC}
    declared_ev = [e for e in ts_refused.evidence if e.statement == declared.source]
    observed_ev = [e for e in ts_refused.evidence if e.statement == result.source]
    assert declared_ev and declared_ev[0].provenance.line  # cites the statement row
    assert observed_ev[0].provenance.text == result.observed_on

    # Accepted but undeclared syntaxes, per service class over the declared SOP classes; the
    # compressed ones count for storage only.
    expected_extra: dict[str, set[str]] = {}
    for sop, tss in scp.items():
        for ts in set(accepted.get(sop, [])) - tss:
            if sop.startswith(uids.STORAGE_SOP_PREFIX) or not uids.is_compressed(ts):
                expected_extra.setdefault(ts, set()).add(sop)
    assert expected_extra[EXPLICIT_BE] == {uids.VERIFICATION}  # FIND declares BE; storage refuses it
    assert expected_extra[JPEG_BASELINE] == {CT, SC}
    extra = by_rule["probe-transfer-syntax-undeclared"]
    by_service: dict[str, set[str]] = {}
    for ts, sops in expected_extra.items():
        for sop in sops:
            by_service.setdefault(_service(sop), set()).add(ts)
    assert {f.service: set(f.transfer_syntaxes) for f in extra} == by_service

    # Accepted but undeclared SOP classes: one finding per service class, listing them.
    undeclared = {s for f in by_rule["probe-sop-class-undeclared"] for s in f.sop_classes}
    assert undeclared == set(accepted) - set(scp)
    services = [f.service for f in by_rule["probe-sop-class-undeclared"]]
    assert len(services) == len(set(services))
    assert uids.STORAGE_COMMITMENT_PUSH in undeclared and CT not in undeclared

    # Identity: the class UID differs (Orthanc reports DCMTK's); max PDU matches the statement.
    assert [f.severity.value for f in by_rule["probe-implementation-class-differs"]] == ["degrading"]
    assert "probe-max-pdu-differs" not in by_rule
    if declared.implementation_version_name is not None:
        assert "probe-implementation-version-differs" in by_rule
    assert len(by_rule["probe-observed"]) == 1
    assert all(f.source == "PACS" for f in findings)


def test_declared_versus_observed_on_storescp(tmp_path, pacs_statement):
    # The same statement against a plain storage SCP: Q/R FIND is now refused too, and CT's
    # JPEG Lossless is accepted (+xs) while JPEG 2000 is not.
    server = start_storescp(tmp_path, "+xs", aet=ORTHANC_AET)
    try:
        _result, findings = probe_device(
            LOOPBACK, server.port, ORTHANC_AET, declared=parse_statement(pacs_statement), device="STORE"
        )
    finally:
        server.stop()
    refused = {f.title.split(":")[0] for f in findings if f.rule == "probe-sop-class-refused"}
    assert refused == {uids.uid_name(s) for s in (STUDY_FIND, uids.MODALITY_WORKLIST_FIND, uids.MPPS)}
    [ts_refused] = [f for f in findings if f.rule == "probe-transfer-syntax-refused"]
    assert set(ts_refused.transfer_syntaxes) == {J2K_LOSSLESS, RLE, DEFLATED, JPEG_BASELINE}
    assert "MR Image Storage" in ts_refused.detail
    assert "probe-max-pdu-differs" in {f.rule for f in findings}  # 16384 observed, 32768 declared


# ------------------------------------------------------------------ refusal and silence
def _no_association(findings) -> object:
    assert [f.rule for f in findings] == ["probe-no-association"]
    assert findings[0].severity.value == "blocking"
    return findings[0]


def test_wrong_called_ae_title_is_a_clear_finding(orthanc):
    t0 = time.monotonic()
    result, findings = probe_device(LOOPBACK, orthanc.port, "NOT-ORTHANC", timeout=TIMEOUT)
    elapsed = time.monotonic() - t0
    f = _no_association(findings)
    assert "called AE title not recognized" in f.title
    assert result.failure.reject_source == 1 and result.failure.reject_reason == 7
    assert len(result.associations) == 1  # no point asking again with other contexts
    assert not any(cx.answered for cx in result.contexts)
    assert "AE title" in f.fix
    assert elapsed < TIMEOUT


@pytest.mark.parametrize("storescp", [["--refuse"]], indirect=True, ids=["refuse"])
def test_refusing_server_is_a_clear_finding(storescp):
    t0 = time.monotonic()
    result, findings = probe_device(LOOPBACK, storescp.port, "STOREPROBE", timeout=TIMEOUT)
    f = _no_association(findings)
    assert "association rejected: no reason given" in f.title
    assert result.failure.status == "rejected"
    assert time.monotonic() - t0 < TIMEOUT


def test_port_where_nothing_listens_is_a_clear_finding():
    port = _free_port()
    t0 = time.monotonic()
    result, findings = probe_device(LOOPBACK, port, "NOBODY", timeout=TIMEOUT)
    f = _no_association(findings)
    assert f"connection refused: nothing listens on {LOOPBACK}:{port}" in f.title
    assert result.failure.status == "unreachable"
    assert time.monotonic() - t0 < TIMEOUT


def test_listener_that_never_answers_times_out_as_a_finding():
    """A TCP listener that accepts but never speaks DICOM: bounded by the ACSE timeout."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind((LOOPBACK, 0))
    server.listen(4)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                held.append(conn)  # keep it open, say nothing
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    timeout = 1.5
    try:
        t0 = time.monotonic()
        result, findings = probe_device(LOOPBACK, server.getsockname()[1], "SILENT", timeout=timeout)
        elapsed = time.monotonic() - t0
    finally:
        stop.set()
        thread.join(5)
        for conn in held:
            conn.close()
        server.close()
    f = _no_association(findings)
    assert f"no answer to the A-ASSOCIATE request within {timeout:g} s" in f.title
    assert result.failure.status == "timeout"
    assert timeout <= elapsed < 2 * timeout + 1


# ------------------------------------------------------------------------------ CLI
def test_cli_probe_writes_report_and_observed_statement(orthanc, pacs_statement, tmp_path):
    out, save = tmp_path / "probe.html", tmp_path / "observed.json"
    res = CliRunner().invoke(
        app,
        [
            "probe", "--host", LOOPBACK, "--port", str(orthanc.port), "--ae-title", ORTHANC_AET,
            "--calling-ae", "PROBETEST", "--statement", str(pacs_statement), "--out", str(out),
            "--save", str(save), "--timeout", str(TIMEOUT), "--sop-class", "Enhanced PET Image Storage",
        ],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "2 blocking" in res.output
    assert "Modality Performed Procedure Step" in res.output
    html = out.read_text(encoding="utf-8")
    assert "Modality Performed Procedure Step" in html and "JPEG 2000" in html
    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    rules = {f["rule"] for f in report["findings"]}
    assert {"probe-sop-class-refused", "probe-transfer-syntax-refused", "probe-observed"} <= rules
    observed = Statement.from_dict(json.loads(save.read_text(encoding="utf-8")))
    assert (CT, Role.SCP) in observed.services()
    assert set(observed.services()[(CT, Role.SCP)].transfer_syntaxes) == ORTHANC_STORAGE_TS
    assert observed.source == f"probe {ORTHANC_AET}@{LOOPBACK}:{orthanc.port}"
    assert (ENHANCED_PET, Role.SCP) in observed.services()  # --sop-class adds to the default set


def test_cli_probe_rejects_an_unknown_sop_class(tmp_path):
    res = CliRunner().invoke(
        app, ["probe", "--host", LOOPBACK, "--port", "104", "--ae-title", "X", "--sop-class", "Frobnicator"]
    )
    assert res.exit_code == 1
    assert "unknown SOP class 'Frobnicator'" in res.output


def test_cli_probe_unreachable_and_bad_arguments(tmp_path):
    port = _free_port()
    res = CliRunner().invoke(
        app,
        [
            "probe",
            "--host",
            LOOPBACK,
            "--port",
            str(port),
            "--ae-title",
            "X",
            "--out",
            str(tmp_path / "r.html"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "1 blocking" in res.output and "connection refused" in res.output
    res = CliRunner().invoke(app, ["probe", "--host", LOOPBACK, "--port", str(port), "--ae-title", "BAD\\AE"])
    assert res.exit_code == 1
    assert "invalid called AE title" in res.output and len(res.output.strip().splitlines()) == 1


def test_check_probe_adds_declared_versus_observed_for_inventory_devices(orthanc, pacs_statement, tmp_path):
    dead_port = _free_port()
    (tmp_path / "pacs.md").write_text(PACS_STATEMENT, encoding="utf-8")
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(
        f"""site: Probe test site
devices:
  - name: PACS
    role: archive
    ae_title: {ORTHANC_AET}
    host: {LOOPBACK}
    port: {orthanc.port}
    statement: pacs.md
  - name: OLDPACS
    role: archive
    ae_title: OLDPACS
    host: {LOOPBACK}
    port: {dead_port}
    statement: pacs.md
  - name: VIEWER
    role: workstation
    ae_title: VIEWER
    statement: pacs.md
""",
        encoding="utf-8",
    )
    out = tmp_path / "report.html"
    res = CliRunner().invoke(
        app, ["check", "-i", str(inventory), "--out", str(out), "--probe", "--timeout", str(TIMEOUT)]
    )
    assert res.exit_code == 0, res.output
    assert "probed 2 AE(s)" in res.output
    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    probe_findings = [f for f in report["findings"] if f["rule"].startswith("probe-")]
    pacs = {f["rule"] for f in probe_findings if f["source"] == "PACS"}
    assert {"probe-sop-class-refused", "probe-transfer-syntax-refused", "probe-observed"} <= pacs
    old = [f for f in probe_findings if f["source"] == "OLDPACS"]
    assert [f["rule"] for f in old] == ["probe-no-association"]
    assert "connection refused" in old[0]["title"]
    assert not [f for f in probe_findings if f["source"] == "VIEWER"]
    skipped = json.dumps(report.get("skipped", []))
    assert "VIEWER" in skipped and "not probed" in skipped


MODALITY_STATEMENT = f"""# Probe Test CT 2.0 - DICOM Conformance Statement

## 2 STORAGE-SCU AE Specification

### 2.1 Proposed Presentation Contexts (SCU)

| Abstract Syntax | SOP Class UID | Transfer Syntaxes | Role |
|---|---|---|---|
| CT Image Storage | {CT} | {J2K_LOSSLESS}, {IMPLICIT} | SCU |
| Secondary Capture Image Storage | {SC} | {IMPLICIT} | SCU |
"""


def test_observed_statement_is_matched_like_a_parsed_one(orthanc_result, tmp_path):
    """The matcher takes the observation as the archive's statement: a modality that prefers
    JPEG 2000 (which this Orthanc refuses) gets a finding citing what was observed."""
    from conformance.inventory import AE, Device, DeviceRole, Inventory, Link, Service
    from conformance.matcher import analyze

    path = tmp_path / "ct.md"
    path.write_text(MODALITY_STATEMENT, encoding="utf-8")
    observed = orthanc_result.to_statement()
    inventory = Inventory(
        path=tmp_path / "inventory.yaml",
        devices=[
            Device("CT", DeviceRole.MODALITY, [AE("CT1")]),
            Device("PACS", DeviceRole.ARCHIVE, [AE(ORTHANC_AET, LOOPBACK, orthanc_result.port)]),
        ],
        links=[Link("CT", "PACS", Service.STORE)],
    )
    analysis = analyze(inventory, {"CT": parse_statement(path), "PACS": observed})
    link = [f for f in analysis.findings if (f.source, f.target) == ("CT", "PACS")]
    cites_observation = [
        f
        for f in link
        if any(e.provenance and e.provenance.text == orthanc_result.observed_on for e in f.evidence)
    ]
    assert cites_observation, [f.title for f in link]
    j2k = uids.uid_name(J2K_LOSSLESS)
    assert any(
        j2k in " ".join([f.title, f.detail, *(e.claim for e in f.evidence)]) for f in cites_observation
    )
    assert not [f for f in link if f.severity.value == "blocking"]  # CT and SC are accepted


@pytest.mark.parametrize("storescp", [["+xs"]], indirect=True, ids=["xs"])
def test_scu_only_statement_is_reported_as_not_observable(storescp, tmp_path):
    path = tmp_path / "ct.md"
    path.write_text(MODALITY_STATEMENT, encoding="utf-8")
    _result, findings = probe_device(
        LOOPBACK, storescp.port, "STOREPROBE", declared=parse_statement(path), device="CT", timeout=TIMEOUT
    )
    scu = [f for f in findings if f.rule == "probe-scu-not-observable"]
    assert len(scu) == 1 and scu[0].severity.value == "info"
    assert uids.uid_name(CT) in scu[0].detail and uids.uid_name(SC) in scu[0].detail
    assert not [f for f in findings if f.rule == "probe-sop-class-refused"]  # nothing declared as SCP


def test_saved_observation_is_a_statement_for_probe_and_check(orthanc, tmp_path):
    """Declared versus observed symmetry: what ``probe --save`` wrote is a statement."""
    save, observed_as = tmp_path / "observed.json", f"probe {ORTHANC_AET}@{LOOPBACK}:{orthanc.port}"
    base = ["probe", "--host", LOOPBACK, "--port", str(orthanc.port), "--ae-title", ORTHANC_AET]
    base += ["--calling-ae", "PROBETEST", "--timeout", str(TIMEOUT)]
    res = CliRunner().invoke(app, [*base, "--save", str(save), "--out", str(tmp_path / "first.html")])
    assert res.exit_code == 0, res.output
    # probed again with the observation as its statement: nothing declared is refused or undeclared
    res = CliRunner().invoke(app, [*base, "--statement", str(save), "--out", str(tmp_path / "again.html")])
    assert res.exit_code == 0, res.output
    again = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
    rules = {f["rule"] for f in again["findings"]}
    assert "probe-observed" in rules
    assert not rules & {
        "probe-sop-class-refused",
        "probe-transfer-syntax-refused",
        "probe-sop-class-undeclared",
        "probe-transfer-syntax-undeclared",
    }, rules
    # check runs on observed behaviour alone: the archive's side is the observation
    (tmp_path / "ct.md").write_text(MODALITY_STATEMENT, encoding="utf-8")
    (tmp_path / "site.yaml").write_text(
        "devices:\n"
        "  - {name: CT, role: modality, statement: ct.md, ae_title: CT1}\n"
        f"  - {{name: PACS, role: archive, statement: observed.json, ae_title: {ORTHANC_AET}}}\n"
        "links:\n  - {from: CT, to: PACS, service: store}\n",
        encoding="utf-8",
    )
    out = tmp_path / "check.html"
    res = CliRunner().invoke(app, ["check", "-i", str(tmp_path / "site.yaml"), "--out", str(out)])
    assert res.exit_code == 0, res.output
    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert report["skipped"] == []
    assert {d["statement"] for d in report["devices"]} == {"ct.md", observed_as}
    link = [f for f in report["findings"] if (f["source"], f["target"]) == ("CT", "PACS")]
    cites = [e for f in link for e in f["evidence"] if e["device"] == "PACS"]
    assert cites and all(e["statement"] == observed_as and "observed on" in e["text"] for e in cites)
    assert not [f for f in link if f["severity"] == "blocking"]  # CT and SC are accepted


# ------------------------------------------------------------- grouped, and matched on
def _pacs_md(rows: list[tuple[str, str, list[str]]], aet: str) -> str:
    return f"""# Grouping Test PACS 1.0 - DICOM Conformance Statement

## 2 STORE-SCP AE Specification

The STORE-SCP AE uses AE Title {aet}.

### 2.1 Accepted Presentation Contexts (SCP)

| Abstract Syntax | SOP Class UID | Transfer Syntaxes | Role |
|---|---|---|---|
""" + "".join(f"| {name} | {uid} | {', '.join(tss)} | SCP |\n" for name, uid, tss in rows)


def test_an_implicit_only_storescp_is_one_grouped_finding(tmp_path):
    """storescp +xi takes Implicit VR LE only: one finding for its storage classes, none for the
    compressed syntaxes a statement declares for Verification."""
    rows = [
        (uids.uid_name(s), s, [IMPLICIT, EXPLICIT_LE, JPEG_BASELINE, J2K_LOSSLESS]) for s in IMAGE_STORAGE
    ]
    rows += [(uids.uid_name(s), s, [IMPLICIT, EXPLICIT_LE]) for s in OBJECT_STORAGE]
    rows.append(("Verification", uids.VERIFICATION, [IMPLICIT, JPEG_BASELINE]))
    path = tmp_path / "grouping-pacs.md"
    path.write_text(_pacs_md(rows, "STOREPROBE"), encoding="utf-8")
    declared = parse_statement(path)
    server = start_storescp(tmp_path, "+xi")
    try:
        _result, findings = probe_device(
            LOOPBACK, server.port, "STOREPROBE", declared=declared, device="STORE", timeout=TIMEOUT
        )
    finally:
        server.stop()
    ts = [f for f in findings if f.rule.startswith("probe-transfer-syntax")]
    assert len(ts) == 1, [f.title for f in ts]
    n = len(IMAGE_STORAGE) + len(OBJECT_STORAGE)
    assert ts[0].title.startswith(
        f"STORE accepts only Implicit VR Little Endian for {n} storage SOP class(es)"
    )
    assert ts[0].service == "store" and len(ts[0].sop_classes) == n
    assert set(ts[0].transfer_syntaxes) == {EXPLICIT_LE, JPEG_BASELINE, J2K_LOSSLESS}
    assert not [f for f in findings if f.rule == "probe-sop-class-refused"]


J2K = "1.2.840.10008.1.2.4.91"  # JPEG 2000 (lossy allowed)


def test_check_probe_matches_the_link_on_what_was_observed(tmp_path):
    """The archive's statement promises JPEG 2000; the real server takes Implicit VR LE only. A
    modality proposing only JPEG 2000 passes on the statements and is blocked on the observation."""
    aet = "IMPLONLY"
    (tmp_path / "pacs.md").write_text(
        _pacs_md(
            [
                ("CT Image Storage", CT, [IMPLICIT, EXPLICIT_LE, J2K]),
                ("Verification", uids.VERIFICATION, [IMPLICIT]),
            ],
            aet,
        ),
        encoding="utf-8",
    )
    (tmp_path / "ct.md").write_text(
        MODALITY_STATEMENT.replace(f"{J2K_LOSSLESS}, {IMPLICIT}", J2K).replace(
            f"| Secondary Capture Image Storage | {SC} | {IMPLICIT} | SCU |\n", ""
        ),
        encoding="utf-8",
    )
    server = start_storescp(tmp_path, "+xi", aet=aet)
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(
        f"""devices:
  - {{name: CT, role: modality, ae_title: CT1, statement: ct.md}}
  - {{name: PACS, role: archive, ae_title: {aet}, host: {LOOPBACK}, port: {server.port}, statement: pacs.md}}
links:
  - {{from: CT, to: PACS, service: store}}
""",
        encoding="utf-8",
    )
    from conformance.pipeline import run_check
    from conformance.probe import CheckProbe

    try:
        declared = run_check(inventory, use_cache=False)
        observer = CheckProbe(timeout=TIMEOUT)
        observed = run_check(inventory, use_cache=False, observe=observer)
        res = CliRunner().invoke(
            app,
            [
                "check",
                "-i",
                str(inventory),
                "--out",
                str(tmp_path / "r.html"),
                "--probe",
                "--timeout",
                str(TIMEOUT),
            ],
        )
    finally:
        server.stop()
    assert not [f for f in declared.findings if f.rule == "no-common-transfer-syntax"]
    f = next(f for f in observed.findings if f.rule == "no-common-transfer-syntax")
    assert f.severity.value == "blocking" and (f.source, f.target, f.service) == ("CT", "PACS", "store")
    observation = observer.site.probed[0][1]
    pacs_side = [e for e in f.evidence if e.device == "PACS"]
    assert pacs_side and all(e.provenance.text == observation.observed_on for e in pacs_side)
    assert "Implicit VR Little Endian" in " ".join(e.claim for e in pacs_side)
    # declared versus observed alongside: the statement's JPEG 2000 is refused
    diff = next(f for f in observed.findings if f.rule == "probe-transfer-syntax-refused")
    assert diff.source == "PACS" and J2K in diff.transfer_syntaxes
    assert observed.statements["PACS"].source == "pacs.md"  # the statement still names the device
    assert res.exit_code == 0 and "links matched on what 1 device(s) were observed" in res.output
