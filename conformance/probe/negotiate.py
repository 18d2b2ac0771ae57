"""Ask a live device what it accepts: batched A-ASSOCIATE requests and a C-ECHO.

The probe proposes one presentation context per (SOP class, transfer syntax) pair, so the
acceptor's answer for each context tells exactly which syntaxes it takes (PS3.8 9.3.2.2:
one abstract syntax, one or more transfer syntaxes per context, one result each). Contexts
are split over several associations because context IDs are odd numbers 1..255, at most
128 per association. Every network step is bounded by a timeout; a device that refuses,
aborts or never answers becomes an :class:`AssociationOutcome` with a one-line reason,
never an exception or a hang.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from conformance import uids
from conformance.errors import ConformanceError
from conformance.model import (
    ApplicationEntity,
    Direction,
    Fact,
    Provenance,
    Role,
    Statement,
    Support,
    TransferCapability,
)
from conformance.services import MAX_CONTEXTS

LOGGER = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0
DEFAULT_CALLING_AE = "CONFORMANCE"

IMPLICIT_VR_LE = uids.IMPLICIT_VR_LE
DEFLATED = uids.keyword_uid("DeflatedExplicitVRLittleEndian")

# Native (uncompressed) syntaxes: what every SOP class is probed with.
NATIVE_SYNTAXES: tuple[str, ...] = (uids.IMPLICIT_VR_LE, uids.EXPLICIT_VR_LE, uids.EXPLICIT_VR_BE, DEFLATED)
# Plus the encapsulated syntaxes that statements commonly list, for SOP classes with pixel data.
IMAGE_SYNTAXES: tuple[str, ...] = (
    *NATIVE_SYNTAXES,
    *uids.by_keyword(
        "JPEGBaseline8Bit",
        "JPEGExtended12Bit",
        "JPEGLossless",
        "JPEGLosslessSV1",
        "JPEGLSLossless",
        "JPEGLSNearLossless",
        "JPEG2000Lossless",
        "JPEG2000",
        "RLELossless",
        "HTJ2KLossless",
        "HTJ2K",
    ),
)

# Storage SOP classes whose instances carry pixel data (probed with IMAGE_SYNTAXES).
IMAGE_STORAGE: tuple[str, ...] = uids.by_keyword(
    "ComputedRadiographyImageStorage",
    "DigitalXRayImageStorageForPresentation",
    "DigitalXRayImageStorageForProcessing",
    "DigitalMammographyXRayImageStorageForPresentation",
    "CTImageStorage",
    "EnhancedCTImageStorage",
    "UltrasoundMultiFrameImageStorage",
    "MRImageStorage",
    "EnhancedMRImageStorage",
    "UltrasoundImageStorage",
    "SecondaryCaptureImageStorage",
    "XRayAngiographicImageStorage",
    "XRayRadiofluoroscopicImageStorage",
    "BreastTomosynthesisImageStorage",
    "NuclearMedicineImageStorage",
    "VLPhotographicImageStorage",
    "PositronEmissionTomographyImageStorage",
    "RTImageStorage",
    "RTDoseStorage",
)

# Storage SOP classes without pixel data (probed with NATIVE_SYNTAXES).
OBJECT_STORAGE: tuple[str, ...] = uids.by_keyword(
    "GrayscaleSoftcopyPresentationStateStorage",
    "BasicTextSRStorage",
    "EnhancedSRStorage",
    "ComprehensiveSRStorage",
    "KeyObjectSelectionDocumentStorage",
    "XRayRadiationDoseSRStorage",
    "EncapsulatedPDFStorage",
    "RTStructureSetStorage",
    "RTPlanStorage",
)

WORKFLOW: tuple[str, ...] = uids.by_keyword(
    "Verification",
    "PatientRootQueryRetrieveInformationModelFind",
    "PatientRootQueryRetrieveInformationModelMove",
    "PatientRootQueryRetrieveInformationModelGet",
    "StudyRootQueryRetrieveInformationModelFind",
    "StudyRootQueryRetrieveInformationModelMove",
    "StudyRootQueryRetrieveInformationModelGet",
    "ModalityWorklistInformationModelFind",
    "ModalityPerformedProcedureStep",
    "StorageCommitmentPushModel",
    "BasicGrayscalePrintManagementMeta",
    "BasicColorPrintManagementMeta",
)

DEFAULT_SOP_CLASSES: tuple[str, ...] = (*WORKFLOW, *IMAGE_STORAGE, *OBJECT_STORAGE)

# PS3.8 9.3.3.2 presentation-context results.
CONTEXT_RESULTS = {
    0: "accepted",
    1: "user rejection",
    2: "no reason (provider rejection)",
    3: "abstract syntax not supported",
    4: "transfer syntaxes not supported",
}

# PS3.8 9.3.4 A-ASSOCIATE-RJ: (source, reason) -> meaning.
REJECT_REASONS = {
    (1, 1): "no reason given",
    (1, 2): "application context name not supported",
    (1, 3): "calling AE title not recognized",
    (1, 7): "called AE title not recognized",
    (2, 1): "no reason given (ACSE)",
    (2, 2): "protocol version not supported",
    (3, 1): "temporary congestion",
    (3, 2): "local limit exceeded (too many associations)",
}
REJECT_RESULTS = {1: "rejected-permanent", 2: "rejected-transient"}
REJECT_SOURCES = {1: "service user", 2: "service provider (ACSE)", 3: "service provider (presentation)"}
ABORT_REASONS = {
    0: "reason not specified",
    1: "unrecognized PDU",
    2: "unexpected PDU",
    4: "unrecognized PDU parameter",
    5: "unexpected PDU parameter",
    6: "invalid PDU parameter value",
}


class ProbeError(ConformanceError):
    """Probe arguments that cannot work (bad AE title, port, host); nothing was sent."""


@dataclass(frozen=True)
class Proposal:
    """One presentation context to offer: a SOP class with exactly one transfer syntax."""

    sop_class_uid: str
    transfer_syntax: str


@dataclass
class ContextOutcome:
    """The acceptor's answer to one proposal; result None means it was never answered."""

    sop_class_uid: str
    transfer_syntax: str
    association: int  # 1-based index of the association that carried it
    context_id: int | None = None
    result: int | None = None

    @property
    def accepted(self) -> bool:
        return self.result == 0

    @property
    def answered(self) -> bool:
        return self.result is not None


@dataclass
class AssociationOutcome:
    """What happened to one A-ASSOCIATE request."""

    index: int  # 1-based
    contexts: int  # how many contexts it proposed
    status: (
        str  # established | no-context-accepted | rejected | aborted | timeout | closed | unreachable | error
    )
    detail: str = ""
    seconds: float = 0.0
    reject_result: int | None = None
    reject_source: int | None = None
    reject_reason: int | None = None

    @property
    def answered(self) -> bool:
        """True when the device returned an A-ASSOCIATE-AC (context results are known)."""
        return self.status in {"established", "no-context-accepted"}


@dataclass
class EchoOutcome:
    status: int | None  # DIMSE status; None: no response
    detail: str
    seconds: float


@dataclass
class ProbeResult:
    """Everything one probe observed, kept raw so findings can cite it exactly."""

    host: str
    port: int
    called_ae: str
    calling_ae: str
    started: datetime
    seconds: float = 0.0
    timeout: float = DEFAULT_TIMEOUT
    associations: list[AssociationOutcome] = field(default_factory=list)
    contexts: list[ContextOutcome] = field(default_factory=list)
    max_pdu: int | None = None
    implementation_class_uid: str = ""
    implementation_version_name: str = ""
    echo: EchoOutcome | None = None

    # -- views -------------------------------------------------------------------------
    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def observed_on(self) -> str:
        """The provenance text every observed fact carries."""
        return f"observed on {self.started.strftime('%Y-%m-%dT%H:%M:%SZ')} from {self.address}"

    @property
    def reached(self) -> bool:
        """At least one association was answered with an A-ASSOCIATE-AC."""
        return any(a.answered for a in self.associations)

    @property
    def failure(self) -> AssociationOutcome | None:
        """The first failed association when none was answered (why nothing was learnt)."""
        if self.reached:
            return None
        return next((a for a in self.associations if not a.answered), None)

    def accepted(self) -> dict[str, list[str]]:
        """SOP class UID -> accepted transfer syntaxes, in the order they were offered."""
        out: dict[str, list[str]] = {}
        for cx in self.contexts:
            if cx.accepted:
                out.setdefault(cx.sop_class_uid, []).append(cx.transfer_syntax)
        return out

    def refused(self) -> dict[str, dict[str, int]]:
        """SOP class UID -> {transfer syntax: result code} for answered, non-accepted contexts."""
        out: dict[str, dict[str, int]] = {}
        for cx in self.contexts:
            if cx.answered and not cx.accepted:
                out.setdefault(cx.sop_class_uid, {})[cx.transfer_syntax] = cx.result  # type: ignore[assignment]
        return out

    def offered(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for cx in self.contexts:
            out.setdefault(cx.sop_class_uid, []).append(cx.transfer_syntax)
        return out

    def unanswered(self) -> set[str]:
        """SOP classes with at least one context that got no answer (its association failed)."""
        return {cx.sop_class_uid for cx in self.contexts if not cx.answered}

    def association_of(self, sop_class_uid: str) -> int | None:
        return next((cx.association for cx in self.contexts if cx.sop_class_uid == sop_class_uid), None)

    # -- statement-shaped view ---------------------------------------------------------
    @property
    def source(self) -> str:
        return f"probe {self.called_ae}@{self.address}"

    def provenance(self, section: str = "association negotiation") -> Provenance:
        return Provenance(file=self.source, section=section, text=self.observed_on)

    def to_statement(self) -> Statement:
        """The observation as a Statement (device side = SCP), to match and diff like parsed ones."""
        prov = self.provenance()
        caps = [
            TransferCapability(
                sop_class_uid=sop,
                role=Role.SCP,
                transfer_syntaxes=list(syntaxes),
                direction=Direction.ACCEPT,
                support=Support.YES,
                name=uids.uid_name(sop),
                provenance=[self.provenance(f"A-ASSOCIATE-AC, association {self.association_of(sop)}")],
            )
            for sop, syntaxes in sorted(self.accepted().items())
        ]
        ae = ApplicationEntity(
            name=self.called_ae,
            ae_title=Fact(self.called_ae, prov),
            port=Fact(self.port, prov),
            capabilities=caps,
        )
        warnings = [
            f"association {a.index}: {a.status}: {a.detail}" for a in self.associations if not a.answered
        ]
        for sop, refused in sorted(self.refused().items()):
            reasons = sorted({CONTEXT_RESULTS.get(r, str(r)) for r in refused.values()})
            names = ", ".join(uids.uid_name(ts) for ts in refused)
            warnings.append(f"refused {uids.uid_name(sop)} ({sop}) with {names}: {'; '.join(reasons)}")
        if self.echo is not None and self.echo.status != 0:
            warnings.append(f"C-ECHO: {self.echo.detail}")
        return Statement(
            source=self.source,
            aes=[ae],
            implementation_class_uid=Fact(self.implementation_class_uid, prov)
            if self.implementation_class_uid
            else None,
            implementation_version_name=Fact(self.implementation_version_name, prov)
            if self.implementation_version_name
            else None,
            max_pdu_receive=Fact(self.max_pdu, prov) if self.max_pdu is not None else None,
            ports=[Fact(self.port, prov)],
            warnings=warnings,
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["started"] = self.started.isoformat()
        return data


# ------------------------------------------------------------------------------ planning
def syntaxes_for(sop_class_uid: str) -> tuple[str, ...]:
    """Which transfer syntaxes are worth offering for a SOP class."""
    if sop_class_uid in IMAGE_STORAGE:
        return IMAGE_SYNTAXES
    if sop_class_uid in OBJECT_STORAGE or not uids.is_storage_sop_class(sop_class_uid):
        return NATIVE_SYNTAXES
    return IMAGE_SYNTAXES  # an unlisted storage class may well carry pixel data


def plan(
    sop_classes: Iterable[str] = DEFAULT_SOP_CLASSES,
    extra_syntaxes: Mapping[str, Iterable[str]] | None = None,
) -> list[Proposal]:
    """One proposal per (SOP class, transfer syntax); Implicit VR LE first (PS3.5 10.1 default)."""
    extra_syntaxes = extra_syntaxes or {}
    proposals: list[Proposal] = []
    seen: set[tuple[str, str]] = set()
    for sop in dict.fromkeys(sop_classes):
        if not uids.is_valid_uid(sop):
            LOGGER.warning("not probing %r: not a valid UID", sop)
            continue
        for ts in (*syntaxes_for(sop), *extra_syntaxes.get(sop, ())):
            if (sop, ts) in seen or not uids.is_valid_uid(ts):
                continue
            seen.add((sop, ts))
            proposals.append(Proposal(sop, ts))
    return proposals


def batches(proposals: list[Proposal], max_contexts: int = MAX_CONTEXTS) -> list[list[Proposal]]:
    """Split proposals into associations of at most max_contexts, keeping a SOP class together."""
    if not 1 <= max_contexts <= MAX_CONTEXTS:
        raise ProbeError("--max-contexts", f"must be between 1 and {MAX_CONTEXTS}, not {max_contexts}")
    groups: dict[str, list[Proposal]] = {}
    for p in proposals:
        groups.setdefault(p.sop_class_uid, []).append(p)
    out: list[list[Proposal]] = []
    current: list[Proposal] = []
    for group in groups.values():
        if current and len(current) + len(group) > max_contexts:
            out.append(current)
            current = []
        for p in group:  # a group larger than one association is split (rare: many extra syntaxes)
            if len(current) == max_contexts:
                out.append(current)
                current = []
            current.append(p)
    if current:
        out.append(current)
    return out


# ------------------------------------------------------------------------------- network
def _validate(host: str, port: int, called_ae: str, calling_ae: str, timeout: float) -> None:
    from pynetdicom.utils import set_ae

    where = f"{host}:{port}"
    if not host or any(c.isspace() for c in host):
        raise ProbeError(where, f"invalid host {host!r}")
    if not 1 <= int(port) <= 65535:
        raise ProbeError(where, f"port must be 1-65535, not {port}")
    if timeout <= 0:
        raise ProbeError(where, f"timeout must be positive, not {timeout}")
    for label, title in (("called AE title", called_ae), ("calling AE title", calling_ae)):
        try:
            set_ae(title, label, allow_empty=False, allow_none=False)
        except (TypeError, ValueError) as exc:
            raise ProbeError(where, f"invalid {label} {title!r} ({exc})") from None


def _tcp_check(host: str, port: int, timeout: float) -> str:
    """'' if a TCP connection opens, else why not (refused, timeout, DNS)."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return ""
    except ConnectionRefusedError:
        return f"connection refused: nothing listens on {host}:{port}"
    except TimeoutError:
        return f"no answer to the TCP connection request within {timeout:g} s"
    except socket.gaierror as exc:
        return f"cannot resolve host {host!r} ({exc.strerror})"
    except OSError as exc:
        return f"cannot connect to {host}:{port} ({exc.strerror or exc})"


def _reject_detail(result: int, source: int, reason: int) -> str:
    meaning = REJECT_REASONS.get((source, reason), f"reason {reason}")
    return (
        f"association rejected: {meaning} ({REJECT_RESULTS.get(result, f'result {result}')}, "
        f"source {REJECT_SOURCES.get(source, source)}, reason {reason})"
    )


class _Watch:
    """Event handlers that remember what the DUL saw (connection, abort PDU)."""

    def __init__(self) -> None:
        self.connected = threading.Event()
        self.abort: tuple[int | None, int | None] | None = None

    def on_open(self, event: Any) -> None:  # pynetdicom Event (its PDU union is checked by type name)
        self.connected.set()

    def on_pdu(self, event: Any) -> None:
        pdu = event.pdu
        if type(pdu).__name__ == "A_ABORT_RQ":
            self.abort = (pdu.source, pdu.reason_diagnostic)


def _associate_once(
    ae: Any,  # pynetdicom AE; its primitives have optional fields this code checks at run time
    result: ProbeResult,
    index: int,
    batch: list[Proposal],
    max_pdu: int,
) -> None:
    from pynetdicom import build_context, evt

    contexts = [build_context(p.sop_class_uid, [p.transfer_syntax]) for p in batch]
    outcomes = [ContextOutcome(p.sop_class_uid, p.transfer_syntax, index) for p in batch]
    result.contexts.extend(outcomes)
    watch = _Watch()
    handlers = [(evt.EVT_CONN_OPEN, watch.on_open), (evt.EVT_PDU_RECV, watch.on_pdu)]
    t0 = time.monotonic()
    outcome = AssociationOutcome(index, len(batch), "established")
    result.associations.append(outcome)
    try:
        assoc = ae.associate(
            result.host,
            result.port,
            contexts=contexts,
            ae_title=result.called_ae,
            max_pdu=max_pdu,
            evt_handlers=handlers,
        )
    except (OSError, RuntimeError, ValueError) as exc:  # pynetdicom refuses before sending
        outcome.status = "error"
        outcome.detail = f"association request not sent ({type(exc).__name__}: {exc})"
        outcome.seconds = round(time.monotonic() - t0, 3)
        return
    try:
        rsp = assoc.acceptor.primitive
        if rsp is not None and rsp.result == 0:
            by_id = {cx.context_id: cx for cx in assoc.requestor.requested_contexts}
            answers = {cx.context_id: 0 for cx in assoc.accepted_contexts}
            answers.update({cx.context_id: cx.result for cx in assoc.rejected_contexts})
            lookup = {(o.sop_class_uid, o.transfer_syntax): o for o in outcomes}
            for cid, code in answers.items():
                req = by_id.get(cid)
                if req is None:
                    continue
                o = lookup.get((str(req.abstract_syntax), str(req.transfer_syntax[0])))
                if o is not None:
                    o.context_id, o.result = cid, int(code) if code is not None else 2
            if result.max_pdu is None:
                result.max_pdu = assoc.acceptor.maximum_length
                result.implementation_class_uid = str(assoc.acceptor.implementation_class_uid or "")
                result.implementation_version_name = str(assoc.acceptor.implementation_version_name or "")
            n_ok = sum(o.accepted for o in outcomes)
            outcome.detail = f"{n_ok} of {len(batch)} presentation contexts accepted"
            if not assoc.is_established:
                outcome.status = "no-context-accepted"
            elif result.echo is None and any(
                o.accepted and o.sop_class_uid == uids.VERIFICATION for o in outcomes
            ):
                result.echo = _echo(assoc, result.timeout)
        elif rsp is not None and rsp.result in (1, 2):
            outcome.status = "rejected"
            outcome.reject_result, outcome.reject_source = int(rsp.result), int(rsp.result_source)
            outcome.reject_reason = int(rsp.diagnostic)
            outcome.detail = _reject_detail(int(rsp.result), int(rsp.result_source), int(rsp.diagnostic))
        elif watch.abort is not None:
            source, reason = watch.abort
            who = "the device (service user)" if source == 0 else "the device's service provider"
            outcome.status = "aborted"
            outcome.detail = (
                f"association aborted by {who} ({ABORT_REASONS.get(reason or 0, f'reason {reason}')})"
            )
        elif not watch.connected.is_set():
            outcome.status = "unreachable"
            outcome.detail = f"could not open a TCP connection to {result.address}"
        elif time.monotonic() - t0 >= 0.9 * result.timeout:
            outcome.status = "timeout"
            outcome.detail = f"no answer to the A-ASSOCIATE request within {result.timeout:g} s"
        else:
            outcome.status = "closed"
            outcome.detail = "the device closed the connection without answering the A-ASSOCIATE request"
    finally:
        if assoc.is_established:
            assoc.release()
            if assoc.is_established:  # no A-RELEASE-RP in time
                assoc.abort()
        outcome.seconds = round(time.monotonic() - t0, 3)


def _echo(assoc: Any, timeout: float) -> EchoOutcome:  # a pynetdicom Association
    t0 = time.monotonic()
    try:
        rsp = assoc.send_c_echo()
    except (RuntimeError, ValueError) as exc:
        return EchoOutcome(None, f"C-ECHO could not be sent ({exc})", round(time.monotonic() - t0, 3))
    seconds = round(time.monotonic() - t0, 3)
    status = getattr(rsp, "Status", None)
    if status is None:
        return EchoOutcome(None, f"no C-ECHO response within {timeout:g} s", seconds)
    if status == 0:
        return EchoOutcome(0, f"C-ECHO succeeded in {seconds * 1000:.0f} ms", seconds)
    return EchoOutcome(int(status), f"C-ECHO failed with status 0x{int(status):04X}", seconds)


def probe(
    host: str,
    port: int,
    called_ae: str,
    *,
    calling_ae: str = DEFAULT_CALLING_AE,
    sop_classes: Iterable[str] = DEFAULT_SOP_CLASSES,
    extra_syntaxes: Mapping[str, Iterable[str]] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_contexts: int = MAX_CONTEXTS,
    max_pdu: int = 16382,
    now: datetime | None = None,
) -> ProbeResult:
    """Probe one AE: what it accepts and refuses, its max PDU and implementation, C-ECHO.

    Only ``host`` is contacted. Every wait is bounded by ``timeout`` (TCP connect, ACSE,
    DIMSE, idle network); the whole probe takes at most about (associations + 1) x timeout.
    """
    _validate(host, port, called_ae, calling_ae, timeout)
    from pynetdicom import AE

    groups = batches(plan(sop_classes, extra_syntaxes), max_contexts)
    result = ProbeResult(host, int(port), called_ae, calling_ae, now or datetime.now(UTC), timeout=timeout)
    t0 = time.monotonic()
    why = _tcp_check(host, port, timeout)
    if why:
        result.associations.append(
            AssociationOutcome(1, 0, "unreachable", why, round(time.monotonic() - t0, 3))
        )
        for i, batch in enumerate(groups, start=1):
            result.contexts.extend(ContextOutcome(p.sop_class_uid, p.transfer_syntax, i) for p in batch)
        result.seconds = round(time.monotonic() - t0, 3)
        return result
    ae = AE(ae_title=calling_ae)
    ae.connection_timeout = timeout
    ae.acse_timeout = timeout
    ae.dimse_timeout = timeout
    ae.network_timeout = timeout
    try:
        for index, batch in enumerate(groups, start=1):
            if index > 1 and not result.reached:
                # The device refused or ignored us before looking at any context: asking again
                # with other contexts only multiplies the wait. Leave the rest unanswered.
                result.contexts.extend(
                    ContextOutcome(p.sop_class_uid, p.transfer_syntax, index) for p in batch
                )
                continue
            _associate_once(ae, result, index, batch, max_pdu)
            LOGGER.info("%s association %d: %s", result.address, index, result.associations[-1].detail)
    finally:
        ae.shutdown()
    result.seconds = round(time.monotonic() - t0, 3)
    return result
