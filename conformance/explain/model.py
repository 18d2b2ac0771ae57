"""What a log says about its associations, kept close to PS3.8 and to the log's own lines.

Every fact read from a log keeps the :class:`LogRef` it came from (file, 1-based line, the
line's text) so that a finding can quote it. Values the log does not show stay empty; they
are never filled in from defaults. Meanings of result, reason and status codes come from
pynetdicom (its PDU and status tables), not from a copy here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pynetdicom import status as dimse_status
from pynetdicom.pdu import A_ABORT_RQ, A_ASSOCIATE_RJ

from conformance import uids
from conformance.errors import ConformanceError
from conformance.model import Provenance


class LogError(ConformanceError):
    """A log that cannot be read as an association log (unknown format, truncated, binary)."""


class LogFormat(StrEnum):
    DCMTK = "dcmtk"  # DCMTK command-line tools at -d / -v (storescu, findscu, storescp ...)
    PYNETDICOM = "pynetdicom"  # pynetdicom's standard debug logging
    ORTHANC = "orthanc"  # Orthanc's --verbose log (with --trace-dicom: also the negotiation)


class Side(StrEnum):
    """Whose log it is: the association requestor (SCU tool) or the acceptor (server)."""

    REQUESTOR = "requestor"
    ACCEPTOR = "acceptor"


class ContextResult(StrEnum):
    """PS3.8 9.3.3.2 presentation-context result/reason, in the standard's words."""

    ACCEPTANCE = "acceptance"
    USER_REJECTION = "user-rejection"
    NO_REASON = "no-reason"  # provider rejection
    ABSTRACT_SYNTAX_NOT_SUPPORTED = "abstract-syntax-not-supported"
    TRANSFER_SYNTAXES_NOT_SUPPORTED = "transfer-syntaxes-not-supported"

    @classmethod
    def from_code(cls, code: int) -> ContextResult | None:
        return _RESULT_CODES.get(code)

    @property
    def code(self) -> int:
        return {v: k for k, v in _RESULT_CODES.items()}[self]


_RESULT_CODES = {
    0: ContextResult.ACCEPTANCE,
    1: ContextResult.USER_REJECTION,
    2: ContextResult.NO_REASON,
    3: ContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED,
    4: ContextResult.TRANSFER_SYNTAXES_NOT_SUPPORTED,
}


class Outcome(StrEnum):
    """How an association ended, as far as the log shows."""

    ESTABLISHED = "established"  # accepted with at least one context (released or still open)
    NO_ACCEPTED_CONTEXT = "no-accepted-context"  # A-ASSOCIATE-AC, but every context refused
    REJECTED = "rejected"  # A-ASSOCIATE-RJ
    ABORTED = "aborted"  # A-ABORT / A-P-ABORT after acceptance
    FAILED = "failed"  # requested, never answered (connection refused, timeout, dropped)
    UNKNOWN = "unknown"  # the log ends before the answer


@dataclass(frozen=True)
class LogRef:
    """One line of a log: the file name (no folder), its 1-based number and its text."""

    file: str
    line: int
    text: str

    def provenance(self, section: str = "") -> Provenance:
        return Provenance(self.file, line=self.line, section=section, text=self.text.strip())


@dataclass
class PresentationContext:
    """One presentation context as proposed and answered (PS3.8 9.3.2.2 / 9.3.3.2)."""

    id: int
    abstract_syntax: str  # UID; the text as written when the log's name is unknown
    proposed_transfer_syntaxes: list[str] = field(default_factory=list)
    transfer_syntax: str = ""  # the accepted one ("" when refused or not answered)
    proposed_role: str = ""  # "default", "scu", "scp", "scu/scp" ("" when the log does not show it)
    accepted_role: str = ""
    result: ContextResult | None = None  # None: the answer is not in the log
    ref: LogRef | None = None  # the proposal's "Context ID" line
    result_ref: LogRef | None = None  # the answer's "Context ID" line
    resolved: bool = True  # False: the log names the abstract syntax in a way no dictionary knows

    @property
    def accepted(self) -> bool:
        return self.result is ContextResult.ACCEPTANCE


@dataclass
class Rejection:
    """A-ASSOCIATE-RJ (PS3.8 9.3.4): result, source and reason as codes and words."""

    result: int | None
    source: int | None
    reason: int | None
    ref: LogRef
    text: str = ""  # the log's own words when it gives no codes (a server's message)

    @property
    def words(self) -> tuple[str, str, str]:
        """(result, source, reason) in pynetdicom's words."""
        pdu = A_ASSOCIATE_RJ()
        pdu.result, pdu.source, pdu.reason_diagnostic = self.result or 0, self.source or 0, self.reason or 0
        result = pdu.result_str if self.result in (1, 2) else ""
        source = pdu.source_str if self.source in (1, 2, 3) else ""
        try:
            reason = pdu.reason_str if self.source and self.reason is not None else ""
        except ValueError:
            reason = f"reason {self.reason}"
        return result, source, reason

    @property
    def transient(self) -> bool:
        return self.result == 2

    def describe(self) -> str:
        result, source, reason = self.words
        parts = [p for p in (reason or self.text, result and f"{result.lower()}", source) if p]
        return "; ".join(parts) or "association rejected"


@dataclass
class Abort:
    """A-ABORT (or the provider's A-P-ABORT): who aborted and why, when the log says."""

    ref: LogRef
    source: int | None = None
    reason: int | None = None
    text: str = ""  # the log's own words

    def describe(self) -> str:
        words = []
        if self.source is not None:
            pdu = A_ABORT_RQ()
            pdu.source = self.source
            pdu.reason_diagnostic = self.reason or 0
            words.append(f"source: {pdu.source_str}")
            if self.source == 2 and self.reason is not None:
                words.append(f"reason: {pdu.reason_str}")
        return "; ".join([*([self.text] if self.text else []), *words]) or "association aborted"


@dataclass
class DimseMessage:
    """A DIMSE message the log shows (request or response), with its status when it has one."""

    command: str  # "C-STORE RSP", "C-FIND RQ" ...
    ref: LogRef
    sop_class: str = ""  # Affected SOP Class UID ("" when not shown)
    context_id: int | None = None
    message_id: int | None = None
    status: int | None = None  # responses only
    status_text: str = ""  # the log's own words for the status
    move_destination: str = ""

    @property
    def service(self) -> str:
        return self.command.split()[0] if self.command else ""

    @property
    def category(self) -> str:
        """pynetdicom's status category: Success, Warning, Failure, Cancel, Pending, Unknown.

        A one-line summary gives words only ("Refused: OutOfResources"); their first word says it.
        """
        if self.status is not None:
            return dimse_status.code_to_category(self.status)
        first = self.status_text.strip().split(":")[0].split()[0].lower() if self.status_text.strip() else ""
        return _CATEGORY_WORDS.get(first, "")

    @property
    def meaning(self) -> str:
        """The status in PS3.7/PS3.4 words for this service (pynetdicom's tables)."""
        return status_meaning(self.service, self.status) or self.status_text

    @property
    def failed(self) -> bool:
        return self.category == dimse_status.STATUS_FAILURE

    @property
    def warning(self) -> bool:
        return self.category == dimse_status.STATUS_WARNING


_CATEGORY_WORDS = {
    "success": dimse_status.STATUS_SUCCESS,
    "warning": dimse_status.STATUS_WARNING,
    "refused": dimse_status.STATUS_FAILURE,
    "error": dimse_status.STATUS_FAILURE,
    "failed": dimse_status.STATUS_FAILURE,
    "failure": dimse_status.STATUS_FAILURE,
    "pending": dimse_status.STATUS_PENDING,
    "cancel": dimse_status.STATUS_CANCEL,
}

_STATUS_TABLES = {
    "C-ECHO": dimse_status.VERIFICATION_SERVICE_CLASS_STATUS,
    "C-STORE": dimse_status.STORAGE_SERVICE_CLASS_STATUS,
    "C-FIND": dimse_status.QR_FIND_SERVICE_CLASS_STATUS,
    "C-MOVE": dimse_status.QR_MOVE_SERVICE_CLASS_STATUS,
    "C-GET": dimse_status.QR_GET_SERVICE_CLASS_STATUS,
    "N-ACTION": dimse_status.GENERAL_STATUS,
    "N-EVENT-REPORT": dimse_status.GENERAL_STATUS,
    "N-CREATE": dimse_status.GENERAL_STATUS,
    "N-SET": dimse_status.GENERAL_STATUS,
    "N-GET": dimse_status.GENERAL_STATUS,
    "N-DELETE": dimse_status.GENERAL_STATUS,
}


def status_meaning(service: str, code: int | None) -> str:
    """'Refused: Out of Resources' for (C-STORE, 0xA700); category only when no table has the code."""
    if code is None:
        return ""
    table = _STATUS_TABLES.get(service, dimse_status.GENERAL_STATUS)
    category, text = table.get(code, dimse_status.GENERAL_STATUS.get(code, ("", "")))
    category = category or dimse_status.code_to_category(code)
    return f"{category}: {text}" if text else category


@dataclass
class Endpoint:
    """One side's identity as the negotiation shows it."""

    ae_title: str = ""
    implementation_class_uid: str = ""
    implementation_version_name: str = ""
    max_pdu: int | None = None  # maximum length it receives (0: unlimited)
    ref: LogRef | None = None  # the line its implementation class UID was read from


@dataclass
class Association:
    """One association attempt as one log shows it."""

    log: str  # log file name
    format: LogFormat
    side: Side | None  # whose log; None when the log does not tell
    start: LogRef
    index: int = 0  # 1-based within its log
    timestamp: str = ""  # as the log writes it ("" when it has none)
    peer: str = ""  # the other side's host or IP, when the log names it
    requestor: Endpoint = field(default_factory=Endpoint)
    acceptor: Endpoint = field(default_factory=Endpoint)
    contexts: list[PresentationContext] = field(default_factory=list)
    answered: bool = False  # an A-ASSOCIATE-AC was seen
    none_accepted: LogRef | None = None  # the log says no context was accepted (no dump needed)
    rejection: Rejection | None = None
    abort: Abort | None = None
    failure: LogRef | None = None  # the request failed without an answer (connection refused ...)
    released: bool = False
    dimse: list[DimseMessage] = field(default_factory=list)
    errors: list[LogRef] = field(default_factory=list)  # the tool's own error lines, in order
    end: LogRef | None = None  # last line that belongs to it

    @property
    def calling_ae(self) -> str:
        return self.requestor.ae_title

    @property
    def called_ae(self) -> str:
        return self.acceptor.ae_title

    @property
    def outcome(self) -> Outcome:
        if self.rejection is not None:
            return Outcome.REJECTED
        refused_all = self.answered and bool(self.contexts) and not any(cx.accepted for cx in self.contexts)
        if self.none_accepted is not None or refused_all:
            return Outcome.NO_ACCEPTED_CONTEXT
        if self.failure is not None and not self.answered:
            return Outcome.FAILED
        if self.abort is not None:
            return Outcome.ABORTED
        if self.answered:
            return Outcome.ESTABLISHED
        return Outcome.UNKNOWN

    def context(self, context_id: int) -> PresentationContext | None:
        return next((cx for cx in self.contexts if cx.id == context_id), None)

    def accepted_sop_classes(self) -> set[str]:
        return {cx.abstract_syntax for cx in self.contexts if cx.accepted}


@dataclass
class LogFile:
    """One log, read: its format and the associations in it, in the order they appear."""

    path: str  # as given (for messages)
    name: str  # file name only (reports carry no folders)
    format: LogFormat
    lines: int
    associations: list[Association] = field(default_factory=list)
    bare_connections: int = 0  # connections that sent no association request (port checks)


def syntax_name(uid: str) -> str:
    """A UID's dictionary name, or the text itself (private UIDs, names no dictionary knows)."""
    return uids.uid_name(uid)
