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

from conformance.explain.model import Abort, LogFormat, LogRef, Side
from conformance.explain.readers.base import BaseReader, Msg, iso_timestamp

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
_ABORT = re.compile(r"^(?P<who>Association Aborted|Aborting Association)$")
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
        if self.common_event(msg):
            return True
        text = msg.text.strip()
        if _REQUESTING.match(text):
            self.open(msg, Side.REQUESTOR, kind="requesting")
            return True
        current = self.state.current
        if _ACCEPTED.match(text):
            self.require(msg).answered = True
            return True
        if _NO_CONTEXT.match(text):
            assoc = self.require(msg)
            assoc.answered = True
            assoc.none_accepted = assoc.none_accepted or msg.ref
            assoc.errors.append(msg.ref)
            return True
        if _FAILED.match(text):
            assoc = self.require(msg, Side.REQUESTOR)
            assoc.failure = assoc.failure or msg.ref
            assoc.errors.append(msg.ref)
            return True
        if _RELEASE.match(text) and current is not None:
            current.released = True
            return True
        m = _ABORT.match(text)
        if m and current is not None:
            if current.abort is None:
                ours = m.group("who") == "Aborting Association"
                by = self.party(True, current) if ours else ""
                current.abort = Abort(msg.ref, text=f"aborted by the {by}" if by else "association aborted")
            return True
        m = _REQUEST.match(text)
        if m:
            self.summary(msg, f"{_SERVICES[m.group('service').lower()]} RQ", "")
            return True
        return False
