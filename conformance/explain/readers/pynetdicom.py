"""pynetdicom's standard logging (``debug_logger()`` or any ``logging`` layout at DEBUG/INFO).

pynetdicom logs through the ``pynetdicom`` logger, so the line layout is the application's:
``D: message`` from ``debug_logger()``, or a timestamp, logger name and level word before
the message. The layout is recognised per line; the messages are pynetdicom's own:
"Requesting Association", the A-ASSOCIATE-RQ/AC/RJ and A-ABORT PDU dumps (see :mod:`.base`),
"Association Accepted", "No accepted presentation contexts", "Association Rejected" with
Result/Source and Reason lines, "Received Store Response (Status: 0xA700 - Failure)" ...
"""

from __future__ import annotations

import logging
import re

from conformance.explain.model import LogFormat, LogRef
from conformance.explain.readers.base import BaseReader, Handler, Msg, iso_timestamp

LOGGER = logging.getLogger(__name__)

_LEVEL_WORDS = {"DEBUG": "D", "INFO": "I", "WARNING": "W", "ERROR": "E", "CRITICAL": "F"}
# "[logger] LEVEL: message", "LEVEL - logger - message", "L: message"
_PREFIX = re.compile(
    r"^(?:(?P<logger1>pynetdicom[\w.]*)\s*[-:|]?\s*)?"
    r"(?P<level>[DIWEC]|DEBUG|INFO|WARNING|ERROR|CRITICAL)\b\s*(?:[-:|]\s?|\s)"
    r"(?:(?P<logger2>pynetdicom[\w.]*)\s*[-:|]\s?)?"
)

_REQUESTING = re.compile(r"^Requesting Association$")
_ACCEPTED = re.compile(r"^Association Accepted$")
_NO_CONTEXT = re.compile(r"^No accepted presentation contexts$", re.I)
_FAILED = re.compile(r"^Association request failed", re.I)
_RELEASE = re.compile(r"^(?:Releasing Association|Association Released)$")
_ABORTING = re.compile(r"^Aborting Association$")
_ABORTED = re.compile(r"^Association Aborted$")
_REQUEST = re.compile(r"^Received (?P<service>Echo|Store|Find|Move|Get) Request\b")
_SERVICES = {"echo": "C-ECHO", "store": "C-STORE", "find": "C-FIND", "move": "C-MOVE", "get": "C-GET"}


class PynetdicomReader(BaseReader):
    format = LogFormat.PYNETDICOM

    def split(self, ref: LogRef) -> Msg:
        timestamp, rest = iso_timestamp(ref.text)
        m = _PREFIX.match(rest)
        if not m:
            return Msg(ref, "", timestamp, rest)
        level = m.group("level")
        return Msg(ref, _LEVEL_WORDS.get(level, level[0]), timestamp, rest[m.end() :])

    def event(self, msg: Msg) -> bool:
        return self.common_event(msg) or self.lifecycle(msg, EVENTS)


def _request(reader: BaseReader, msg: Msg, m: re.Match[str]) -> None:
    """The SCP's "Received Store Request" (its dump may follow)."""
    reader.summary(msg, f"{_SERVICES[m.group('service').lower()]} RQ", "")


EVENTS: tuple[tuple[re.Pattern[str], Handler], ...] = (
    (_REQUESTING, BaseReader.requesting),
    (_ACCEPTED, BaseReader.accepted),
    (_NO_CONTEXT, BaseReader.nothing_accepted),
    (_FAILED, BaseReader.failed),
    (_RELEASE, BaseReader.released),
    (_ABORTING, BaseReader.aborted_by_us),
    (_ABORTED, BaseReader.aborted),
    (_REQUEST, _request),
)
