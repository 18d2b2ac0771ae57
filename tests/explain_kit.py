"""Shared pieces of the explain tests: a small site (statements, inventory) and real tool runs.

The statements are written here in the Markdown layout the parser reads (fictional
products); the logs come from DCMTK and pynetdicom runs on loopback, started by the tests.
Servers are the live probe tests' (``tests/test_probe_live.py``): they skip without the
binaries locally and fail under ``CI=true``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian

from tests.test_probe_live import LOOPBACK, Server, _free_port, _need

IVLE, EVLE, EVBE = "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2"
DEFLATED = "1.2.840.10008.1.2.1.99"
JPEG_LOSSLESS = "1.2.840.10008.1.2.4.70"
VERIFICATION = "1.2.840.10008.1.1"
CT = "1.2.840.10008.5.1.4.1.1.2"
MR = "1.2.840.10008.5.1.4.1.1.4"
STUDY_FIND = "1.2.840.10008.5.1.4.1.2.2.1"
STUDY_MOVE = "1.2.840.10008.5.1.4.1.2.2.2"
STUDY_UID = "1.2.826.0.1.3680043.8.498.4242"  # the study of ct_file()
TIMEOUT = 20  # seconds for one client tool run


def statement(
    product: str,
    ae: str,
    direction: str,
    rows: list[tuple[str, str, list[str], str]],
    *,
    implementation: bool = False,
) -> str:
    """A Markdown statement: one AE with its title and one presentation-context table.

    With ``implementation`` it also gives an implementation class UID and version name of
    its own (the DCMTK tools that play the device in the tests send DCMTK's).
    """
    table = "".join(f"| {name} | {uid} | {', '.join(tss)} | {role} |\n" for name, uid, tss, role in rows)
    model = (
        f"Implementation Class UID: 1.2.826.0.1.3680043.9.9999.{sum(map(ord, product))}\n"
        f"Implementation Version Name: {product.split()[0].upper()}_1\n"
        if implementation
        else "The implementation is described in the product's service manual.\n"
    )
    return f"""# {product} - DICOM Conformance Statement

## 1 Implementation Model

{model}
## 2 {ae} AE Specification

| Application Entity | Default AE Title | Default TCP/IP Port |
|---|---|---|
| {ae} | {ae} | 104 |

### 2.1 {direction} Presentation Contexts

| Abstract Syntax | SOP Class UID | Transfer Syntaxes | Role |
|---|---|---|---|
{table}"""


STATEMENTS = {
    # a storage-only SCP (what storescp is): no Query/Retrieve
    "quay-store.md": statement(
        "Quay Store 1.0",
        "STORESCP",
        "Accepted",
        [
            ("Verification", VERIFICATION, [IVLE], "SCP"),
            ("CT Image Storage", CT, [IVLE, EVLE], "SCP"),
            ("MR Image Storage", MR, [IVLE, EVLE], "SCP"),
        ],
        implementation=True,
    ),
    # the archive that answers queries
    "harbor-archive.md": statement(
        "Harbor Archive 2.0",
        "ARCHIVE",
        "Accepted",
        [
            ("Verification", VERIFICATION, [IVLE], "SCP"),
            ("Study Root Query/Retrieve Information Model - FIND", STUDY_FIND, [IVLE, EVLE], "SCP"),
            ("Study Root Query/Retrieve Information Model - MOVE", STUDY_MOVE, [IVLE, EVLE], "SCP"),
            ("CT Image Storage", CT, [IVLE, EVLE], "SCP"),
        ],
    ),
    "lantern-viewer.md": statement(
        "Lantern Viewer 3.1",
        "VIEWER",
        "Proposed",
        [
            ("Study Root Query/Retrieve Information Model - FIND", STUDY_FIND, [IVLE, EVLE], "SCU"),
            ("Study Root Query/Retrieve Information Model - MOVE", STUDY_MOVE, [IVLE, EVLE], "SCU"),
        ],
        implementation=True,
    ),
    "beacon-ct.md": statement(
        "Beacon CT 5.0", "MODALITY", "Proposed", [("CT Image Storage", CT, [IVLE, JPEG_LOSSLESS], "SCU")]
    ),
    # a storage SCP configured for JPEG Lossless only; its statement says so
    "tide-store.md": statement(
        "Tide Store 4.2", "TIDE", "Accepted", [("CT Image Storage", CT, [JPEG_LOSSLESS], "SCP")]
    ),
    # the same device as its (outdated) statement describes it: Implicit VR LE too
    "tide-store-old.md": statement(
        "Tide Store 4.0", "TIDE", "Accepted", [("CT Image Storage", CT, [IVLE, JPEG_LOSSLESS], "SCP")]
    ),
}

INVENTORY = """site: Explain test site
devices:
  - name: VIEWER
    role: workstation
    statement: lantern-viewer.md
    aes:
      - {ae_title: VIEWER, host: 10.0.0.31}
      - {ae_title: VIEWSTORE, host: 10.0.0.31, port: 11112}
  - {name: STORE, role: archive, ae_title: STORESCP, host: 10.0.0.5, port: 104, statement: quay-store.md}
  - {name: ARCHIVE, role: archive, ae_title: ARCHIVE, host: 10.0.0.6, port: 104, statement: harbor-archive.md}
  - {name: CT-1, role: modality, ae_title: MODALITY, host: 10.0.0.11, statement: beacon-ct.md}
  - {name: TIDE, role: archive, ae_title: TIDE, host: 10.0.0.7, port: 104, statement: tide-store.md}
"""


def write_site(folder: Path) -> Path:
    """The statements and the inventory in ``folder``; returns the inventory's path."""
    for name, text in STATEMENTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    inventory = folder / "site.yaml"
    inventory.write_text(INVENTORY, encoding="utf-8")
    return inventory


def ct_file(folder: Path) -> Path:
    """A small CT instance (no pixel data: negotiation is what the tests look at)."""
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = CTImageStorage
    ds.file_meta.MediaStorageSOPInstanceUID = "1.2.826.0.1.3680043.8.498.4242.1.1"
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = CTImageStorage
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.PatientName, ds.PatientID, ds.Modality = "Test^Explain", "EXPLAIN", "CT"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = (
        "1.2.826.0.1.3680043.8.498.4242",
        "1.2.826.0.1.3680043.8.498.4242.1",
    )
    path = folder / "ct.dcm"
    ds.save_as(path, enforce_file_format=True)
    return path


def run_tool(name: str, args: list[str], log: Path) -> int:
    """Run a DCMTK client tool; everything it prints goes to ``log`` (as a user would capture it)."""
    binary = _need(name, [f"/usr/bin/{name}"], "dcmtk", "dcmtk")
    with log.open("wb") as fh:
        return subprocess.run(
            [binary, *args], stdout=fh, stderr=subprocess.STDOUT, timeout=TIMEOUT, check=False
        ).returncode


def start_storescp(workdir: Path, ae: str, *options: str) -> Server:
    """storescp at -d on a free loopback port (it answers any called AE title)."""
    binary = _need("storescp", ["/usr/bin/storescp"], "dcmtk", "dcmtk")
    port = _free_port()
    (workdir / "in").mkdir(exist_ok=True)
    cmd = [
        binary,
        "-d",
        "--aetitle",
        ae,
        "--acse-timeout",
        "5",
        *options,
        "-od",
        str(workdir / "in"),
        str(port),
    ]
    return Server(cmd, port, workdir, "storescp")


JPEG_ONLY_PROFILE = """[[TransferSyntaxes]]
[Lossless]
TransferSyntax1 = JPEGLossless:Non-hierarchical-1stOrderPrediction

[[PresentationContexts]]
[LosslessCT]
PresentationContext1 = CTImageStorage\\Lossless
PresentationContext2 = VerificationSOPClass\\Lossless

[[Profiles]]
[JpegOnly]
PresentationContexts = LosslessCT
"""


def jpeg_only_profile(workdir: Path) -> list[str]:
    """storescp options for a configuration that accepts CT with JPEG Lossless SV1 only."""
    cfg = workdir / "jpeg-only.cfg"
    cfg.write_text(JPEG_ONLY_PROFILE, encoding="ascii")
    return ["-xf", str(cfg), "JpegOnly"]


def start_dcmqrscp(workdir: Path, ae: str) -> Server:
    """dcmqrscp serving one AE title: it rejects any other called AE title (its configuration)."""
    port = _free_port()
    (workdir / "db").mkdir(exist_ok=True)
    config = workdir / "dcmqrscp.cfg"
    config.write_text(
        f"NetworkTCPPort = {port}\nMaxPDUSize = 16384\nMaxAssociations = 4\n"
        "HostTable BEGIN\nHostTable END\nVendorTable BEGIN\nVendorTable END\n"
        f"AETable BEGIN\n{ae} {workdir / 'db'} RW (10, 16mb) ANY\nAETable END\n",
        encoding="ascii",
    )
    binary = _need("dcmqrscp", ["/usr/bin/dcmqrscp"], "dcmtk", "dcmtk")
    return Server([binary, "-d", "-c", str(config)], port, workdir, "dcmqrscp")


PYNETDICOM_SCP = """
import logging, sys
from pynetdicom import AE, evt
from pynetdicom.sop_class import CTImageStorage, Verification
logging.basicConfig(
    filename=sys.argv[3], level=logging.DEBUG, format="%(asctime)s %(levelname).1s: %(message)s"
)
ae = AE(ae_title=sys.argv[2])
ae.require_called_aet = True
ae.add_supported_context(CTImageStorage)
ae.add_supported_context(Verification)
ae.start_server(("127.0.0.1", int(sys.argv[1])), block=True,
                evt_handlers=[(evt.EVT_C_STORE, lambda event: 0xA700)])
"""


def start_pynetdicom_scp(workdir: Path, ae: str) -> tuple[Server, Path]:
    """A pynetdicom storage SCP (CT, Verification) that checks the called AE title and answers
    every C-STORE with 0xA700 (out of resources); its debug log goes to the returned path."""
    port = _free_port()
    log = workdir / "pynetdicom-scp.log"
    script = workdir / "scp.py"
    script.write_text(PYNETDICOM_SCP, encoding="utf-8")
    server = Server([sys.executable, str(script), str(port), ae, str(log)], port, workdir, "pynetdicom-scp")
    return server, log


__all__ = ["LOOPBACK", "Server"]
