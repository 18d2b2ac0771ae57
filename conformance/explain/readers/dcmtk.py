"""DCMTK's command-line tools at ``-v`` / ``-d`` (storescu, findscu, movescu, echoscu, storescp, dcmqrscp).

Lines are ``L: message`` with L one of T D I W E F (DCMTK's default log layout; a leading
ISO timestamp, as some wrappers add, is kept). At ``-d`` the tools dump the negotiation
(see :mod:`.base`); at ``-v`` only one-line events remain: "Requesting Association",
"Association Accepted (Max Send PDV: 16372)", "No Acceptable Presentation Contexts",
"Association Rejected:" with its Result/Source and Reason lines, "Peer Aborted
Association", "Received Store Response (Refused: OutOfResources)" ... On the server side:
"Association Received", "Association Acknowledged", "Refusing Association (BadAEService)".
"""

from __future__ import annotations

import logging
import re

from conformance.explain.model import LogFormat, LogRef, Rejection, Side
from conformance.explain.readers.base import BaseReader, Handler, Msg, iso_timestamp

LOGGER = logging.getLogger(__name__)

_LEVEL = re.compile(r"^(?P<level>[TDIWEF]): ?(?P<text>.*)$")

_REQUESTING = re.compile(r"^Requesting Association$")
_RECEIVED = re.compile(
    r"^Association Received(?::\s*(?P<host>\S+)"
    r"|\s*\((?P<peer>[^:)]*):(?P<calling>[^)]*?)\s*->\s*(?P<called>[^)]*)\))?\s*$"
)
_ACCEPTED = re.compile(r"^Association (?:Accepted|Acknowledged)\b")
_NO_CONTEXT = re.compile(r"^(?:No Acceptable Presentation Contexts|\(but no valid presentation contexts\))$")
_REFUSING = re.compile(r"^Refusing Association\s*\((?P<why>[^)]*)\)")
_REQUEST_FAILED = re.compile(r"^Association Request Failed:?\s*(?P<why>.*)$", re.I)
_RELEASE = re.compile(r"^(?:Releasing Association|Association Release(?:d)?)$")
_PEER_ABORTED = re.compile(r"^Peer Aborted Association$")
_ABORTING = re.compile(r"^(?:Aborting Association|ABORT initiated.*)$")
_ABORTED = re.compile(r"^Association Aborted$")

# storescp / dcmqrscp refusal reasons (their own words) -> A-ASSOCIATE-RJ codes they send
_REFUSALS: dict[str, tuple[int, int, int]] = {
    "badaeservice": (1, 1, 7),  # called AE title not recognised
    "badaepeer": (1, 1, 3),  # calling AE title not recognised
    "badappcontext": (1, 1, 2),
    "toomanyassociations": (2, 3, 2),
    "cannotfork": (2, 3, 1),
    "noreason": (1, 1, 1),
    "forcedviacommandline": (1, 1, 1),
}


class DcmtkReader(BaseReader):
    format = LogFormat.DCMTK

    def split(self, ref: LogRef) -> Msg:
        timestamp, rest = iso_timestamp(ref.text)
        m = _LEVEL.match(rest)
        if not m:
            return Msg(ref, "", timestamp, rest)
        return Msg(ref, m.group("level"), timestamp, m.group("text"))

    def event(self, msg: Msg) -> bool:
        return dcmtk_event(self, msg)


def _received(reader: BaseReader, msg: Msg, m: re.Match[str]) -> None:
    assoc = reader.open(msg, Side.ACCEPTOR, kind="received", peer=m.group("host") or m.group("peer") or "")
    if m.group("calling"):
        assoc.requestor.ae_title = assoc.requestor.ae_title or m.group("calling").strip()
        assoc.acceptor.ae_title = assoc.acceptor.ae_title or m.group("called").strip()


def _refusing(reader: BaseReader, msg: Msg, m: re.Match[str]) -> None:
    """storescp/dcmqrscp refusing: its words for the reason, and the codes it sends for them."""
    assoc = reader.require(msg, Side.ACCEPTOR)
    key = re.sub(r"[^a-z]", "", m.group("why").lower())
    result, source, reason = _REFUSALS.get(key) or (None, None, None)
    assoc.rejection = Rejection(result, source, reason, msg.ref, text=m.group("why"))


EVENTS: tuple[tuple[re.Pattern[str], Handler], ...] = (
    (_REQUESTING, BaseReader.requesting),
    (_RECEIVED, _received),
    (_ACCEPTED, BaseReader.accepted),
    (_NO_CONTEXT, BaseReader.nothing_accepted),
    (_REFUSING, _refusing),
    (_REQUEST_FAILED, BaseReader.failed),
    (_RELEASE, BaseReader.released),
    (_PEER_ABORTED, BaseReader.aborted_by_peer),
    (_ABORTING, BaseReader.aborted_by_us),
    (_ABORTED, BaseReader.aborted),
)


def dcmtk_event(reader: BaseReader, msg: Msg) -> bool:
    """DCMTK's one-line association events (also printed inside Orthanc's log)."""
    return reader.common_event(msg) or reader.lifecycle(msg, EVENTS)
