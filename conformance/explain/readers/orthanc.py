"""Orthanc's log (``--verbose``; with ``--trace-dicom`` it also dumps the negotiation).

Orthanc logs in Google-log layout, ``I1202 09:55:37.376917 CommandDispatcher.cpp:333] msg``
(level, month and day, time, source line). At ``--verbose`` an association is a handful of
lines naming the calling AET and IP: "Association Received from AET X on IP Y", "Incoming
connection from AET X on IP Y, calling AET Z" (Orthanc's words for the *called* AET),
"Association Acknowledged (Max Send PDV: N) ... (but no valid presentation contexts)",
"Rejected association, because of a bad called AET in the request (Z)", "Association
Aborted with AET X", "DIMSE failure (aborting association ...)". ``--trace-dicom`` adds
DCMTK's own lines (``D: ...``) and the A-ASSOCIATE-RQ/AC dumps as unprefixed lines, which
:mod:`.base` reads. Orthanc serves several associations at once, so events that name the
AET and IP go to the association they name.
"""

from __future__ import annotations

import logging
import re

from conformance.explain.model import Abort, Association, LogFormat, LogRef, Rejection, Side
from conformance.explain.readers.base import BaseReader, Msg
from conformance.explain.readers.dcmtk import dcmtk_event

LOGGER = logging.getLogger(__name__)

GLOG = re.compile(
    r"^(?P<level>[IWEFT])(?P<ts>\d{4} \d\d:\d\d:\d\d(?:\.\d+)?)\s+(?:\d+\s+)?[\w.-]+:\d+\]\s?(?P<text>.*)$"
)
_DCMTK = re.compile(r"^(?P<level>[TDIWEF]): ?(?P<text>.*)$")
_CATEGORY = re.compile(r"^\((?:dicom|generic|jobs|http|sqlite|lua|plugins)\)\s*")
_PEER = r"AET (?P<aet>.+?) on IP (?P<ip>[^\s,;:()]+)"

_RECEIVED = re.compile(rf"^Association Received from {_PEER}$")
_INCOMING = re.compile(rf"^Incoming connection from {_PEER}, calling AET (?P<called>.+)$")
_ACK = re.compile(
    rf"^Association Acknowledged \(Max Send PDV: \d+\)(?: to {_PEER})?"
    r"(?P<none>\s*\(but no valid presentation contexts\))?$"
)
_BAD_CALLED = re.compile(
    r"^Rejected association, because of a bad called AET in the request \((?P<called>[^)]*)\)"
)
_BAD_CALLING = re.compile(rf"^Rejected association for remote {_PEER}$")
_REJECTED = re.compile(r"^Association Rejected: (?P<why>.+)$")
_FINISHING = re.compile(rf"^Finishing association with {_PEER}: (?P<why>.+)$")
_RELEASED = re.compile(rf"^Association Release with {_PEER}$")
_ABORTED = re.compile(rf"^Association Aborted with {_PEER}$")
_DIMSE_FAILURE = re.compile(rf"^DIMSE failure \(aborting association with {_PEER}\): (?P<why>.+)$")
_REQUEST = re.compile(
    rf"^Incoming (?P<what>Echo|Store|Find|Move|Get|N-ACTION|N-EVENT-REPORT) request from {_PEER}"
)
_MOVE_TO = re.compile(r'^Move-SCU request received for AET "(?P<dest>[^"]*)"')
_SERVICES = {
    "echo": "C-ECHO",
    "store": "C-STORE",
    "find": "C-FIND",
    "move": "C-MOVE",
    "get": "C-GET",
    "n-action": "N-ACTION",
    "n-event-report": "N-EVENT-REPORT",
}


class OrthancReader(BaseReader):
    format = LogFormat.ORTHANC

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._finishing: dict[int, str] = {}  # association -> why Orthanc finished it

    def split(self, ref: LogRef) -> Msg:
        m = GLOG.match(ref.text)
        if m:
            level = m.group("level")
            return Msg(ref, "E" if level == "W" else level, m.group("ts"), _CATEGORY.sub("", m.group("text")))
        m = _DCMTK.match(ref.text)
        if m:
            return Msg(ref, m.group("level"), "", m.group("text"))
        return Msg(ref, "", "", ref.text)

    def _route(self, aet: str, ip: str) -> Association | None:
        """The latest association from (AET, IP) that has not ended."""
        for assoc in reversed(self.associations):
            ours = assoc.requestor.ae_title in {aet, ""} and assoc.peer in {ip, ""}
            if ours and not (assoc.released or assoc.abort or assoc.rejection):
                return assoc
        return None

    def event(self, msg: Msg) -> bool:
        text = msg.text.strip()
        m = _RECEIVED.match(text)
        if m:
            current = self._route(m.group("aet"), m.group("ip"))
            if current is None or not self._pending(current):
                current = self.open(msg, Side.ACCEPTOR, kind="received", peer=m.group("ip"))
            current.peer = current.peer or m.group("ip")
            current.requestor.ae_title = current.requestor.ae_title or m.group("aet")
            current.timestamp = current.timestamp or msg.timestamp
            self.state.current = current
            return True
        m = _INCOMING.match(text)
        if m:
            assoc = self._route(m.group("aet"), m.group("ip")) or self.require(msg, Side.ACCEPTOR)
            assoc.acceptor.ae_title = assoc.acceptor.ae_title or m.group("called").strip()
            return True
        m = _ACK.match(text)
        if m:
            routed = self._route(m.group("aet"), m.group("ip")) if m.group("aet") else None
            assoc = routed or self.require(msg)
            assoc.answered = True
            if m.group("none"):
                assoc.none_accepted = assoc.none_accepted or msg.ref
            return True
        m = _BAD_CALLED.match(text)
        if m:
            assoc = self.require(msg, Side.ACCEPTOR)
            assoc.acceptor.ae_title = assoc.acceptor.ae_title or m.group("called")
            assoc.rejection = Rejection(1, 1, 7, msg.ref, text="bad called AET")
            return True
        m = _BAD_CALLING.match(text)
        if m:
            assoc = self._route(m.group("aet"), m.group("ip")) or self.require(msg, Side.ACCEPTOR)
            assoc.rejection = Rejection(1, 1, 3, msg.ref, text="remote AET not allowed")
            return True
        m = _REJECTED.match(text)
        if m:
            why = m.group("why")
            reason = 2 if "context" in why.lower() else 1
            self.require(msg, Side.ACCEPTOR).rejection = Rejection(1, 1, reason, msg.ref, text=why)
            return True
        m = _MOVE_TO.match(text)
        if m:
            current = self.state.current
            moves = [d for d in current.dimse if d.command == "C-MOVE RQ"] if current is not None else []
            if moves:
                moves[-1].move_destination = m.group("dest")
            return True
        m = (
            _FINISHING.match(text)
            or _RELEASED.match(text)
            or _ABORTED.match(text)
            or _DIMSE_FAILURE.match(text)
        )
        m = m or _REQUEST.match(text)
        if m:
            found = self._route(m.group("aet"), m.group("ip"))
            if found is not None:
                self._ended(found, m, msg)
            return True
        return dcmtk_event(self, msg)

    def _ended(self, assoc: Association, m: re.Match[str], msg: Msg) -> None:
        """Orthanc's lines about an association it serves: finishing, released, aborted, a request."""
        if m.re is _FINISHING:
            self._finishing[id(assoc)] = m.group("why")
        elif m.re is _RELEASED:
            assoc.released = True
        elif m.re is _ABORTED and assoc.abort is None:
            why = self._finishing.get(id(assoc), "")
            by = "requestor" if why.lower().startswith("peer aborted") else ""
            assoc.abort = Abort(msg.ref, text=f"aborted by the {by}: {why}" if by else why)
        elif m.re is _DIMSE_FAILURE:
            why = m.group("why")
            assoc.abort = Abort(msg.ref, text=f"aborted by the acceptor after a DIMSE failure: {why}")
        elif m.re is _REQUEST:
            self.state.current = assoc
            self.summary(msg, f"{_SERVICES[m.group('what').lower()]} RQ", "")
