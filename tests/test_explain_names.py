"""Names in logs -> UIDs: DCMTK's symbolic names checked against DCMTK's own output.

The DCMTK test writes one file holding every negotiation UID pydicom knows, lets
``dcmdump`` print it twice (with DCMTK's names and with ``-Un``, numbers only) and checks
that every name DCMTK prints maps back to its UID. Without dcmdump it skips (fails under
CI=true, where DCMTK is installed).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pydicom._uid_dict import UID_dictionary
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian

from conformance.explain.names import NEGOTIATION_KINDS, dcmtk_uid, log_uid
from tests.test_probe_live import _need

_LINE = re.compile(r"^\s*\(0008,1150\) UI (?P<value>\S+)")


def _dump(path: Path, *options: str) -> list[str]:
    binary = _need("dcmdump", ["/usr/bin/dcmdump"], "dcmtk", "dcmtk")
    out = subprocess.run(
        [binary, *options, str(path)], capture_output=True, text=True, check=True, timeout=60
    )
    return [m.group("value") for line in out.stdout.splitlines() if (m := _LINE.match(line))]


@pytest.mark.network  # needs DCMTK, like the live tests
def test_every_name_dcmtk_prints_maps_to_its_uid(tmp_path: Path) -> None:
    negotiation = sorted(uid for uid, entry in UID_dictionary.items() if entry[1] in NEGOTIATION_KINDS)
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    ds.file_meta.MediaStorageSOPInstanceUID = "1.2.826.0.1.3680043.8.498.77"
    items = []
    for uid in negotiation:
        item = Dataset()
        item.ReferencedSOPClassUID = uid
        items.append(item)
    ds.ReferencedImageSequence = Sequence(items)
    path = tmp_path / "uids.dcm"
    ds.save_as(path, enforce_file_format=True)

    named, numbers = _dump(path), _dump(path, "-Un")
    assert [n.strip("[]") for n in numbers] == negotiation
    pairs = [(name[1:], uid) for name, uid in zip(named, negotiation, strict=True) if name.startswith("=")]
    assert len(pairs) > 300  # DCMTK 3.6.7 names 340 of them
    wrong = {name: (uid, dcmtk_uid(name)) for name, uid in pairs if dcmtk_uid(name) != uid}
    assert wrong == {}
    # every name a log can print resolves, with or without the leading "="
    assert all(log_uid("=" + name) == uid for name, uid in pairs)


@pytest.mark.parametrize(
    ("text", "uid"),
    [
        ("=FINDStudyRootQueryRetrieveInformationModel", "1.2.840.10008.5.1.4.1.2.2.1"),
        ("=LittleEndianExplicit", "1.2.840.10008.1.2.1"),
        ("=LittleEndianImplicit", "1.2.840.10008.1.2"),
        ("=JPEGLossless:Non-hierarchical-1stOrderPrediction", "1.2.840.10008.1.2.4.70"),
        ("=CTImageStorage", "1.2.840.10008.5.1.4.1.1.2"),
        ("=VerificationSOPClass", "1.2.840.10008.1.1"),
        ("=RETIRED_UltrasoundImageStorage", "1.2.840.10008.5.1.4.1.1.6"),  # the retired one, not 6.1
        ("=UltrasoundImageStorage", "1.2.840.10008.5.1.4.1.1.6.1"),
        ("=MOVECompositeInstanceRootRetrieve", "1.2.840.10008.5.1.4.1.2.4.2"),
        # pynetdicom prints pydicom's names
        ("=Study Root Query/Retrieve Information Model - FIND", "1.2.840.10008.5.1.4.1.2.2.1"),
        ("=Implicit VR Little Endian", "1.2.840.10008.1.2"),
        ("=Verification SOP Class", "1.2.840.10008.1.1"),
        # both print the bare UID of what they cannot name
        ("1.2.840.113619.4.26", "1.2.840.113619.4.26"),
        ("=1.2.826.0.1.3680043.9.1", "1.2.826.0.1.3680043.9.1"),
    ],
)
def test_log_names(text: str, uid: str) -> None:
    assert log_uid(text) == uid


def test_unknown_name_stays_unknown() -> None:
    assert log_uid("=FrobnicatorStorage") is None
    assert dcmtk_uid("CTImageStorageSOPClassThing") is None
