"""Read an association log of any supported format: detect the format, then use its reader.

Detection looks for lines that only one tool writes (pynetdicom's ``OUTGOING A-ASSOCIATE-RQ
PDU``, DCMTK's ``BEGIN A-ASSOCIATE-RQ`` and ``(Max Send PDV: ...)``, Orthanc's
``CommandDispatcher.cpp:333]``), so a pynetdicom log that quotes a DCMTK peer's
implementation name is still pynetdicom's. A file no reader recognises, a binary file and a
log cut inside a negotiation dump are :class:`~conformance.explain.model.LogError` (one line
naming the file); a recognised log without any association is returned empty, and the
caller says so.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from conformance.explain.model import LogError, LogFile, LogFormat
from conformance.explain.readers.base import BaseReader
from conformance.explain.readers.dcmtk import DcmtkReader
from conformance.explain.readers.orthanc import OrthancReader
from conformance.explain.readers.pynetdicom import PynetdicomReader

LOGGER = logging.getLogger(__name__)

MAX_LOG_BYTES = 256 * 1024 * 1024  # larger logs: cut out the part around the failure first
SNIFF_LINES = 20_000  # detection looks at the start of the log only

READERS: dict[LogFormat, type[BaseReader]] = {
    LogFormat.DCMTK: DcmtkReader,
    LogFormat.PYNETDICOM: PynetdicomReader,
    LogFormat.ORTHANC: OrthancReader,
}

# Lines only one format writes, tried in ORDER: Orthanc's log holds DCMTK's lines and dumps,
# a pynetdicom log can hold DCMTK-like one-line events, never the other way round.
MARKERS: dict[LogFormat, re.Pattern[str]] = {
    LogFormat.ORTHANC: re.compile(
        r"^[IWEFT]\d{4} \d\d:\d\d:\d\d\.\d+\s+(?:\d+\s+)?"
        r"(?:CommandDispatcher|main|DicomServer|OrthancConfiguration)\.cpp:\d+\]",
        re.M,
    ),
    LogFormat.PYNETDICOM: re.compile(
        r"(?:INCOMING|OUTGOING) (?:A-ASSOCIATE-(?:RQ|AC|RJ)|A-ABORT) PDU"
        r"|Received \w+ Response \(Status: 0x|Sending \w+ Request: MsgID"
        r"|Association request failed: |\bAccepting Association$|\bAssociation Released$",
        re.M,
    ),
    LogFormat.DCMTK: re.compile(
        r"^(?:\S+ \S+ )?[TDIWEF]: (?:=+ BEGIN A-ASSOCIATE-(?:RQ|AC)|\$dcmtk: |Requesting Association$"
        r"|Association (?:Received|Rejected:|Request Failed"
        r"|Accepted \(Max Send PDV|Acknowledged \(Max Send PDV)"
        r"|No Acceptable Presentation Contexts|Refusing Association|Peer Aborted Association)",
        re.M,
    ),
}
ORDER = (LogFormat.ORTHANC, LogFormat.PYNETDICOM, LogFormat.DCMTK)


def detect(text: str) -> LogFormat | None:
    """The log's format from its first lines, or None when no reader recognises it."""
    head = "\n".join(text.splitlines()[:SNIFF_LINES])
    return next((fmt for fmt in ORDER if MARKERS[fmt].search(head)), None)


def read_log(path: str | Path) -> LogFile:
    """Read one log; LogError (one line naming the file) when it cannot be read as one."""
    path = Path(path)
    if not path.is_file():
        raise LogError(str(path), "no such file")
    size = path.stat().st_size
    if size == 0:
        raise LogError(str(path), "empty file")
    if size > MAX_LOG_BYTES:
        raise LogError(str(path), f"too large ({size // 1_048_576} MB); cut out the part around the failure")
    data = path.read_bytes()
    if b"\x00" in data[:65536]:
        raise LogError(str(path), "not a text log (binary data)")
    text = data.decode("utf-8", errors="replace")  # patient names in other charsets must not stop a read
    fmt = detect(text)
    if fmt is None:
        raise LogError(
            str(path),
            "not an association log this tool reads (DCMTK -v/-d, pynetdicom debug log, Orthanc --verbose)",
        )
    reader = READERS[fmt](path.name)
    try:
        associations = reader.read(text.splitlines())
    except LogError as exc:  # the reader names the file by name only; messages name it as given
        raise LogError(str(path), exc.problem) from None
    LOGGER.info("%s: %s log, %d association(s)", path.name, fmt.value, len(associations))
    return LogFile(str(path), path.name, fmt, text.count("\n") + 1, associations, len(reader.bare))


__all__ = ["READERS", "detect", "read_log"]
