"""The association dump that DCMTK, pynetdicom and Orthanc share, and the state machine over it.

DCMTK's ``ASC_dumpParameters`` (printed by its tools at ``-d`` and by Orthanc at
``--trace-dicom``) and pynetdicom's debug handlers write the same block syntax: an
A-ASSOCIATE-RQ/AC block with ``Context ID: 1 (Proposed)``, ``Abstract Syntax: =Name``,
``Proposed Transfer Syntax(es):`` and one ``=Name`` per line, DIMSE message blocks with
``Message Type : C-STORE RSP`` and a status. Each format's reader only says how to split a
line into level, timestamp and message (:meth:`BaseReader.split`) and which one-line events
its tool prints (:meth:`BaseReader.event`); everything else is here, once.

Several associations in one log are told apart by their starts: a request block, or the
tool's "Requesting Association" / "Association Received" line. An event belongs to the
association opened last (the tools handle one association at a time per log).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from conformance.explain.model import (
    Abort,
    Association,
    ContextResult,
    DimseMessage,
    LogError,
    LogFormat,
    LogRef,
    PresentationContext,
    Rejection,
    Side,
)
from conformance.explain.names import log_uid

LOGGER = logging.getLogger(__name__)


Handler = Callable[["BaseReader", "Msg", "re.Match[str]"], None]


@dataclass(frozen=True)
class Msg:
    """One log line split into the parts the readers need."""

    ref: LogRef
    level: str  # one letter: T D I W E F ("" when the line has none)
    timestamp: str
    text: str  # the message, with its own indentation

    @property
    def error(self) -> bool:
        return self.level in {"E", "F"}


# -- block grammar ---------------------------------------------------------------------
_BLOCK_START = re.compile(
    r"^\s*=*\s*(?:(?P<begin>BEGIN)|(?P<dir>INCOMING|OUTGOING))\s+"
    r"(?P<kind>A-ASSOCIATE-RQ|A-ASSOCIATE-AC|A-ASSOCIATE-RJ|A-ABORT|DIMSE MESSAGE)\b"
)
_BLOCK_END = re.compile(
    r"^\s*=*\s*END\s+(?P<kind>A-ASSOCIATE-RQ|A-ASSOCIATE-AC|A-ASSOCIATE-RJ|A-ABORT|DIMSE)\b"
)
_FIELD = re.compile(r"^\s*(?P<key>[A-Za-z][A-Za-z .'/()-]*?)\s*:\s?(?P<value>.*?)\s*$")
_CONTEXT = re.compile(r"^\s*Context ID:\s*(?P<id>\d+)\s*\((?P<state>[^)]*)\)")
_TS_LIST = re.compile(r"^\s*Proposed Transfer Syntax(?:\(es\)|es)?:\s*$")
_TS_ITEM = re.compile(r"^\s+(?P<item>=\S.*?|[0-2](?:\.\d+)+)\s*$")
_HEX = re.compile(r"^\s*(?:0x)?(?P<hex>[0-9A-Fa-f]{4})\b\s*[:-]?\s*(?P<words>.*)$")

# Result words as DCMTK ("Abstract Syntax Not Supported") and pynetdicom ("Rejected -
# Abstract Syntax Not Supported", "Provider Rejection") print them.
_RESULT_WORDS: tuple[tuple[str, ContextResult], ...] = (
    ("abstract syntax", ContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED),
    ("transfer syntax", ContextResult.TRANSFER_SYNTAXES_NOT_SUPPORTED),
    ("user", ContextResult.USER_REJECTION),
    ("provider", ContextResult.NO_REASON),
    ("no reason", ContextResult.NO_REASON),
    ("accept", ContextResult.ACCEPTANCE),
)


def context_result(state: str) -> ContextResult | None:
    """'Abstract Syntax Not Supported' -> ABSTRACT_SYNTAX_NOT_SUPPORTED; 'Proposed' -> None."""
    words = state.lower()
    return next((result for key, result in _RESULT_WORDS if key in words), None)


def role(text: str) -> str:
    """'Default', 'SCU', 'SCP', 'SCP/SCU' as the logs print them -> 'default', 'scu', 'scp', 'scu/scp'."""
    parts = {p.strip().lower() for p in text.split("/") if p.strip()}
    if parts and parts <= {"scu", "scp"}:
        return "/".join(p for p in ("scu", "scp") if p in parts)
    return text.strip().lower()


# A-ASSOCIATE-RJ in words (DCMTK "Rejected Permanent, Source: Service User", pynetdicom's
# "DUL service-user"), for the codes PS3.8 9.3.4 gives them.
def reject_codes(result: str, source: str, reason: str) -> tuple[int | None, int | None, int | None]:
    res = 2 if "transient" in result.lower() else 1 if "permanent" in result.lower() else None
    src_words = source.lower().replace("-", " ")
    src = (
        3
        if "presentation" in src_words
        else 2
        if "acse" in src_words or "provider" in src_words
        else 1
        if "user" in src_words
        else None
    )
    why = reason.lower()
    rsn: int | None = None
    if "called ae" in why:
        rsn, src = 7, src or 1
    elif "calling ae" in why:
        rsn, src = 3, src or 1
    elif "context" in why or "protocol version" in why:
        rsn = 2
    elif "congestion" in why:
        rsn = 1
    elif "limit" in why:
        rsn = 2
    elif "no reason" in why or "no-reason" in why:
        rsn = 1
    return res, src, rsn


@dataclass
class Block:
    """The lines of one dump block, from its start line to its end line."""

    kind: str  # A-ASSOCIATE-RQ, A-ASSOCIATE-AC, A-ASSOCIATE-RJ, A-ABORT, DIMSE MESSAGE
    direction: str  # "incoming", "outgoing", "" (DCMTK's BEGIN blocks)
    start: Msg
    lines: list[Msg] = field(default_factory=list)


@dataclass
class _State:
    """The association being read, and which of its start lines the log has shown."""

    current: Association | None = None
    starts: set[str] = field(default_factory=set)  # how the log told the current one's start
    header: str = ""  # the text just before a block ("Request Parameters:", "Parameters:" ...)


class BaseReader:
    """Turns a log's lines into associations; subclasses give the format's line shapes."""

    format: LogFormat = LogFormat.DCMTK

    def __init__(self, name: str) -> None:
        self.name = name
        self.associations: list[Association] = []
        self.state = _State()
        self._summaries: set[int] = set()  # DIMSE messages read from a one-line summary
        self._told: set[int] = set()  # dumped DIMSE messages whose one-line summary came after them
        self._reject_words: dict[str, str] | None = None  # the rejection lines read so far
        self._empty_requests: set[int] = set()  # associations whose request names no application context
        self.bare: list[Association] = []  # connections without an association request (see _bare)

    # -- hooks -------------------------------------------------------------------------
    def split(self, ref: LogRef) -> Msg:
        """Level, timestamp and message of one line."""
        raise NotImplementedError

    def event(self, msg: Msg) -> bool:
        """A format-specific one-line event (accepted, rejected, released ...); True if handled."""
        return False

    # -- reading -----------------------------------------------------------------------
    def read(self, lines: list[str]) -> list[Association]:
        msgs = [self.split(LogRef(self.name, n, text.rstrip("\r\n"))) for n, text in enumerate(lines, 1)]
        it = iter(msgs)
        for msg in it:
            start = _BLOCK_START.match(msg.text)
            if start:
                block = Block(start.group("kind"), (start.group("dir") or "").lower(), msg)
                self._collect(block, it)
                self.block(block)
                continue
            if not self.event(msg) and msg.text.strip():
                self.state.header = msg.text.strip()
                current = self.state.current
                if current is not None and msg.error and not self.ended(current):
                    current.errors.append(msg.ref)
            current = self.state.current
            if current is not None and msg.text.strip() and not self.ended(current):
                current.end = msg.ref
        self.bare = [a for a in self.associations if self._bare(a)]
        self.associations = [a for a in self.associations if not self._bare(a)]
        for i, assoc in enumerate(self.associations, start=1):
            assoc.index = i
        return self.associations

    def _bare(self, a: Association) -> bool:
        """A connection that carried no association request (a port check, a load balancer's probe).

        Servers log it as a received association with an empty request (no AE titles, no
        application context, no presentation context); DCMTK's servers then refuse it.
        """
        if a.side is not Side.ACCEPTOR or a.calling_ae or a.called_ae or a.contexts or a.answered or a.dimse:
            return False
        empty_context = id(a) in self._empty_requests
        return empty_context or a.rejection is None or (a.rejection.source, a.rejection.reason) == (1, 2)

    def _collect(self, block: Block, it: Iterator[Msg]) -> None:
        for msg in it:
            end = _BLOCK_END.match(msg.text)
            if end and block.kind.startswith(end.group("kind")):
                return
            block.lines.append(msg)
        raise LogError(
            self.name,
            f"truncated: the {block.kind} block that starts at line {block.start.ref.line} has no end",
        )

    # -- associations ------------------------------------------------------------------
    def open(self, msg: Msg, side: Side | None, *, kind: str, peer: str = "") -> Association:
        """A new association starts here, unless this line tells the start of the open one again.

        ``kind`` is how the log tells a start: "requesting" (the SCU's "Requesting
        Association"), "received" (the SCP's "Association Received", which DCMTK's servers
        print twice) or "request" (the A-ASSOCIATE-RQ dump). One association has at most one
        request dump and one "Requesting Association"; anything after its answer starts anew.
        """
        current = self.state.current
        if current is not None and self._pending(current):
            seen = self.state.starts
            again = kind in seen if kind != "received" else "request" in seen
            if not again:
                seen.add(kind)
                if side is not None and current.side is None:
                    current.side = side
                current.peer = current.peer or peer
                return current
        assoc = Association(self.name, self.format, side, msg.ref, timestamp=msg.timestamp, peer=peer)
        self.associations.append(assoc)
        self.state.current = assoc
        self.state.starts = {kind}
        return assoc

    @staticmethod
    def _pending(a: Association) -> bool:
        """Nothing has happened yet beyond the request (the same attempt, told twice)."""
        return not (
            a.answered or a.rejection or a.abort or a.failure or a.released or a.dimse or a.none_accepted
        )

    @staticmethod
    def ended(a: Association) -> bool:
        return bool(a.released or a.abort or a.rejection or a.failure)

    def require(self, msg: Msg, side: Side | None = None) -> Association:
        """The open association, or one opened here for an event whose start the log lacks."""
        if self.state.current is None:
            return self.open(msg, side, kind="event")
        return self.state.current

    def close(self) -> None:
        self.state.current = None

    # -- blocks ------------------------------------------------------------------------
    def block(self, block: Block) -> None:
        handlers: dict[str, Callable[[Block], None]] = {
            "A-ASSOCIATE-RQ": self._request,
            "A-ASSOCIATE-AC": self._accept,
            "A-ASSOCIATE-RJ": self._reject_block,
            "A-ABORT": self._abort_block,
            "DIMSE MESSAGE": self._dimse_block,
        }
        handlers[block.kind](block)

    def _block_side(self, block: Block) -> Side | None:
        """Whose log: pynetdicom says OUTGOING/INCOMING; DCMTK's header line says it."""
        if block.kind == "A-ASSOCIATE-RQ":
            if block.direction:
                return Side.REQUESTOR if block.direction == "outgoing" else Side.ACCEPTOR
            header = self.state.header.lower()
            if header.startswith("request parameters"):
                return Side.REQUESTOR
            if header.endswith("parameters:"):  # storescp "Parameters:", Orthanc "Received Association ..."
                return Side.ACCEPTOR
        if block.kind == "A-ASSOCIATE-AC" and block.direction:
            return Side.ACCEPTOR if block.direction == "outgoing" else Side.REQUESTOR
        return None

    def _request(self, block: Block) -> None:
        assoc = self.open(block.start, self._block_side(block), kind="request")
        assoc.timestamp = assoc.timestamp or block.start.timestamp
        self._identity(assoc, block)
        assoc.contexts.extend(self._contexts(block))
        if not any(k == "application context name" and v for k, v, _ in self._fields(block)):
            self._empty_requests.add(id(assoc))

    def _accept(self, block: Block) -> None:
        assoc = self.require(block.start, self._block_side(block))
        side = self._block_side(block)
        assoc.side = assoc.side or side
        assoc.answered = True
        self._identity(assoc, block)
        for cx in self._contexts(block):
            have = assoc.context(cx.id)
            if have is None:
                assoc.contexts.append(cx)
                continue
            have.result, have.result_ref = cx.result, cx.result_ref
            have.transfer_syntax = cx.transfer_syntax or have.transfer_syntax
            have.accepted_role = cx.accepted_role or have.accepted_role
            have.proposed_role = have.proposed_role or cx.proposed_role
            if not have.resolved and cx.resolved:
                have.abstract_syntax, have.resolved = cx.abstract_syntax, True

    def _identity(self, assoc: Association, block: Block) -> None:
        """AE titles, implementation and max PDU; "Our"/"Their" depend on whose log it is."""
        found = self._fields(block)
        fields = {k: v for k, v, _ in found}
        lines = {k: m.ref for k, v, m in found if v}
        if fields.get("calling application name"):
            assoc.requestor.ae_title = fields["calling application name"]
        if fields.get("called application name"):
            assoc.acceptor.ae_title = fields["called application name"]
        ours, theirs = (
            (assoc.acceptor, assoc.requestor)
            if assoc.side is Side.ACCEPTOR
            else (assoc.requestor, assoc.acceptor)
        )
        request = block.kind == "A-ASSOCIATE-RQ"
        for who, end in (("our", ours), ("their", theirs)):
            if request and who == "their" and assoc.side is not Side.ACCEPTOR:
                continue  # a requestor's RQ dump prints the peer's values as empty / 0
            uid = fields.get(f"{who} implementation class uid", "")
            version = fields.get(f"{who} implementation version name", "")
            pdu = fields.get(f"{who} max pdu receive size", "")
            if uid:
                end.ref = lines[f"{who} implementation class uid"]
            end.implementation_class_uid = uid or end.implementation_class_uid
            end.implementation_version_name = version or end.implementation_version_name
            if pdu.isdigit():
                end.max_pdu = int(pdu)

    @staticmethod
    def _fields(block: Block) -> list[tuple[str, str, Msg]]:
        out = []
        for msg in block.lines:
            m = _FIELD.match(msg.text)
            if m:
                out.append((m.group("key").strip().lower(), m.group("value").strip(), msg))
        return out

    def _contexts(self, block: Block) -> list[PresentationContext]:
        out: list[PresentationContext] = []
        cx: PresentationContext | None = None
        in_list = False
        for msg in block.lines:
            text = msg.text
            if in_list:
                item = _TS_ITEM.match(text)
                if item and cx is not None:
                    cx.proposed_transfer_syntaxes.append(_uid(item.group("item")))
                    continue
                in_list = False
            m = _CONTEXT.match(text)
            if m:
                cx = PresentationContext(int(m.group("id")), "")
                result = context_result(m.group("state"))
                if result is None:
                    cx.ref = msg.ref
                else:
                    cx.result, cx.result_ref = result, msg.ref
                out.append(cx)
                continue
            if cx is None:
                continue
            if _TS_LIST.match(text):
                in_list = True
                continue
            f = _FIELD.match(text)
            if not f:
                continue
            key, value = f.group("key").strip().lower(), f.group("value").strip()
            if key == "abstract syntax":
                uid = log_uid(value)
                cx.abstract_syntax, cx.resolved = (uid, True) if uid else (value.lstrip("="), False)
            elif key == "proposed scp/scu role":
                cx.proposed_role = role(value)
            elif key == "accepted scp/scu role":
                cx.accepted_role = role(value)
            elif key == "accepted transfer syntax":
                cx.transfer_syntax = _uid(value)
            elif key in {"proposed transfer syntax", "proposed transfer syntaxes"} and value:
                cx.proposed_transfer_syntaxes.append(_uid(value))
        return out

    def _reject_block(self, block: Block) -> None:
        """pynetdicom's A-ASSOCIATE-RJ block: Result / Source / Reason in words."""
        assoc = self.require(block.start)
        fields = {k: v for k, v, _ in self._fields(block)}
        codes = reject_codes(fields.get("result", ""), fields.get("source", ""), fields.get("reason", ""))
        ref = next((m.ref for k, _, m in self._fields(block) if k == "reason"), block.start.ref)
        assoc.rejection = Rejection(*codes, ref=ref, text=fields.get("reason", ""))

    def _abort_block(self, block: Block) -> None:
        assoc = self.require(block.start)
        fields = {k: v for k, v, _ in self._fields(block)}
        source_words = fields.get("abort source", "").lower().replace("-", " ")
        source = 0 if "user" in source_words else 2 if "provider" in source_words else None
        reason_text = fields.get("abort reason", "")
        by = self.party(block.direction == "outgoing", assoc) if block.direction else ""
        text = f"aborted by the {by}" if by else ""
        if reason_text and "no value" not in reason_text:
            text = f"{text}: {reason_text}" if text else reason_text
        assoc.abort = Abort(block.start.ref, source, None, text)

    @staticmethod
    def party(ours: bool, assoc: Association) -> str:
        """'requestor' or 'acceptor': this log's side (ours) or its peer ("" when the side is unknown)."""
        if assoc.side is None:
            return ""
        mine, theirs = (
            ("requestor", "acceptor") if assoc.side is Side.REQUESTOR else ("acceptor", "requestor")
        )
        return mine if ours else theirs

    def _dimse_block(self, block: Block) -> None:
        assoc = self.require(block.start)
        msg = DimseMessage("", block.start.ref)
        for key, value, line in self._fields(block):
            if key == "message type":
                msg.command = value.upper()
            elif key == "presentation context id" and value.isdigit():
                msg.context_id = int(value)
            elif key in {"message id", "message id being responded to"} and value.isdigit():
                msg.message_id = int(value)
            elif key == "affected sop class uid":
                msg.sop_class = log_uid(value) or log_uid("=" + value) or value
            elif key == "move destination":
                msg.move_destination = value
            elif key in {"dimse status", "status"}:
                hexed = _HEX.match(value)
                if hexed:
                    msg.status = int(hexed.group("hex"), 16)
                    msg.status_text = hexed.group("words").strip(" -:")
                else:
                    msg.status_text = value
                msg.ref = line.ref
        if not msg.command:
            return
        # a one-line summary may come just before its own dump: keep the dump, which says more
        last = assoc.dimse[-1] if assoc.dimse else None
        if last is not None and id(last) in self._summaries and last.command == msg.command:
            if msg.status is None and last.status is not None:
                msg.status, msg.status_text = last.status, last.status_text
            msg.status_text = msg.status_text or last.status_text
            assoc.dimse[-1] = msg
            return
        assoc.dimse.append(msg)

    # -- association lifecycle, as each format's table of lines names it ----------------------
    def lifecycle(self, msg: Msg, table: Sequence[tuple[re.Pattern[str], Handler]]) -> bool:
        """Apply the first event of ``table`` (a format's line pattern -> what it means) that matches."""
        text = msg.text.strip()
        for pattern, handler in table:
            m = pattern.match(text)
            if m:
                handler(self, msg, m)
                return True
        return False

    def requesting(self, msg: Msg, m: re.Match[str]) -> None:
        self.open(msg, Side.REQUESTOR, kind="requesting")

    def accepted(self, msg: Msg, m: re.Match[str]) -> None:
        self.require(msg).answered = True

    def nothing_accepted(self, msg: Msg, m: re.Match[str]) -> None:
        assoc = self.require(msg)
        assoc.answered = True
        assoc.none_accepted = assoc.none_accepted or msg.ref
        if msg.error:
            assoc.errors.append(msg.ref)

    def failed(self, msg: Msg, m: re.Match[str]) -> None:
        """The request got no answer (connection refused, timeout)."""
        assoc = self.require(msg, Side.REQUESTOR)
        assoc.failure = assoc.failure or msg.ref
        assoc.errors.append(msg.ref)

    def released(self, msg: Msg, m: re.Match[str]) -> None:
        if self.state.current is not None:
            self.state.current.released = True

    def aborted(self, msg: Msg, m: re.Match[str], ours: bool | None = None) -> None:
        """An abort; ``ours``: this log's side sent it (True), its peer (False), not said (None)."""
        current = self.state.current
        if current is None or current.abort is not None:
            return
        by = self.party(ours, current) if ours is not None else ""
        current.abort = Abort(msg.ref, text=f"aborted by the {by}" if by else "association aborted")

    def aborted_by_us(self, msg: Msg, m: re.Match[str]) -> None:
        self.aborted(msg, m, ours=True)

    def aborted_by_peer(self, msg: Msg, m: re.Match[str]) -> None:
        self.aborted(msg, m, ours=False)

    # -- events shared by DCMTK and pynetdicom -----------------------------------------------
    def common_event(self, msg: Msg) -> bool:
        """The SCU's rejection summary (three lines in both tools) and one-line DIMSE responses."""
        text = msg.text.strip()
        if _REJECTED.match(text):
            assoc = self.require(msg, Side.REQUESTOR)
            if assoc.rejection is None:
                assoc.rejection = Rejection(None, None, None, msg.ref)
            self._reject_words = {}
            return True
        current = self.state.current
        words = self._reject_words if current is not None and current.rejection is not None else None
        m = _REJECT_RESULT.match(text)
        if m and words is not None:
            words.update(result=m.group("result"), source=m.group("source"))
            self._reject_update(msg)
            return True
        m = _REJECT_REASON.match(text)
        if m and words is not None:
            words["reason"] = m.group("reason")
            self._reject_update(msg)
            self._reject_words = None
            return True
        m = _RESPONSE.match(text) or _ERROR_RESPONSE.match(text)
        if m:
            service = _SERVICES.get(m.group("service").lower())
            if service:
                self.summary(msg, f"{service} RSP", m.group("status") or "")
                return True
        return False

    def _reject_update(self, msg: Msg) -> None:
        assoc = self.state.current
        assert assoc is not None and assoc.rejection is not None and self._reject_words is not None
        words = self._reject_words
        have = assoc.rejection
        result, source, reason = reject_codes(
            words.get("result", ""), words.get("source", ""), words.get("reason", "")
        )
        have.result = have.result if result is None else result
        have.source = have.source if source is None else source
        have.reason = have.reason if reason is None else reason
        if "reason" in words:
            have.text = words["reason"].strip()
            have.ref = msg.ref

    def summary(self, msg: Msg, command: str, status: str) -> DimseMessage:
        """A DIMSE message told in one line ("Received Store Response (Refused: OutOfResources)")."""
        assoc = self.require(msg)
        last = assoc.dimse[-1] if assoc.dimse else None
        if last is not None and last.command == command and id(last) not in self._summaries | self._told:
            self._told.add(id(last))  # the dump came first (Orthanc --trace-dicom): one message, not two
            return last
        code, words = None, status.strip()
        hexed = _HEX.match(status.replace("Status:", "").strip())
        if hexed:
            code, words = int(hexed.group("hex"), 16), hexed.group("words").strip(" -:")
        if last is not None and last.command == command and id(last) in self._summaries:
            # one response told in two lines (movescu: "Move response with error status (...)",
            # then "Received Final Move Response"): keep what each says
            if code is not None:
                last.status, last.status_text = code, words
            else:
                last.status_text = last.status_text or words
            return last
        dimse = DimseMessage(command, msg.ref, status=code, status_text=words)
        assoc.dimse.append(dimse)
        self._summaries.add(id(dimse))
        return dimse


_REJECTED = re.compile(r"^Association Rejected:?$", re.I)
_REJECT_RESULT = re.compile(r"^Result:\s*(?P<result>[^,]+),\s*Source:\s*(?P<source>.+)$")
_REJECT_REASON = re.compile(r"^Reason:\s*(?P<reason>.+)$")
_RESPONSE = re.compile(
    r"^Received (?:Final )?(?P<service>Echo|Store|Find|Move|Get) Response(?:\s*\((?P<status>.*)\))?"
)
# DCMTK's movescu/getscu at -v: "Move response with error status (Failed: UnableToProcess)"
_ERROR_RESPONSE = re.compile(
    r"^(?P<service>Echo|Store|Find|Move|Get) response with (?:error|warning) status \((?P<status>.*)\)$"
)
_SERVICES = {"echo": "C-ECHO", "store": "C-STORE", "find": "C-FIND", "move": "C-MOVE", "get": "C-GET"}


def _uid(text: str) -> str:
    """UID for a transfer-syntax item; the text as written when no dictionary knows it."""
    return log_uid(text) or text.strip().lstrip("=")


_TIMESTAMP = re.compile(r"\[?(?P<ts>\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?)\]?")


def iso_timestamp(text: str) -> tuple[str, str]:
    """A leading ISO-8601 timestamp and the rest of the line (("", text) when there is none)."""
    m = _TIMESTAMP.match(text)
    if not m:
        return "", text
    return m.group("ts"), text[m.end() :].lstrip(" -|")
