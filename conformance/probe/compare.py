"""Declared versus observed: turn a probe (and the device's statement) into findings.

The device answered as an acceptor, so what it accepted is what it does as an SCP. The
statement's SCP capabilities are compared per SOP class (declared but refused; accepted but
undeclared) and per transfer syntax, each grouped per service class, so an SCP that accepts
only Implicit VR Little Endian is one finding for its storage classes, not one per syntax or
class; compressed syntaxes count only for storage. A device that could not be probed is one finding that says
why. Contexts that were never answered (their association failed) prove nothing either way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from conformance import uids
from conformance.findings import Evidence, Finding, Severity
from conformance.matcher.common import short_list
from conformance.model import Provenance, Role, Statement, Support, TransferCapability
from conformance.probe.negotiate import CONTEXT_RESULTS, AssociationOutcome, ProbeResult
from conformance.services import PRINT_PREFIX, SERVICE_NAMES, Service

LOGGER = logging.getLogger(__name__)


MAX_EVIDENCE = 12  # declared rows quoted per grouped finding; the rest are counted


def service_of(sop_class_uid: str) -> str:
    """The link service a SOP class belongs to (inventory vocabulary)."""
    if sop_class_uid == uids.VERIFICATION:
        return "echo"
    if sop_class_uid == uids.MODALITY_WORKLIST_FIND:
        return "worklist"
    if sop_class_uid == uids.MPPS:
        return "mpps"
    if sop_class_uid == uids.STORAGE_COMMITMENT_PUSH:
        return "commitment"
    if sop_class_uid.startswith(uids.QR_PREFIX):
        return {"1": "query", "2": "move", "3": "get"}.get(sop_class_uid.rsplit(".", 1)[-1], "query")
    if sop_class_uid.startswith(PRINT_PREFIX):
        return "print"
    if sop_class_uid.startswith(uids.STORAGE_SOP_PREFIX):
        return "store"
    return "other"


def _names(ts_uids: Iterable[str]) -> str:
    return ", ".join(uids.uid_name(ts) for ts in ts_uids)


def declared_scp(declared: Statement, called_ae: str) -> dict[str, TransferCapability]:
    """The statement's SCP capabilities for the probed AE: the AE with that title, else all AEs."""
    aes = [ae for ae in declared.aes if ae.ae_title and ae.ae_title.value.strip() == called_ae.strip()]
    view = Statement(source=declared.source, aes=aes) if aes else declared
    return {sop: cap for (sop, role), cap in sorted(view.services().items()) if role is Role.SCP}


class _Ctx:
    """Shared pieces for building findings about one probed device."""

    def __init__(self, result: ProbeResult, device: str, declared: Statement | None) -> None:
        self.result = result
        self.device = device
        self.declared = declared

    def observed(self, claim: str, section: str = "association negotiation") -> Evidence:
        return Evidence(self.device, self.result.source, claim, self.result.provenance(section))

    def stated(self, claim: str, provenance: Provenance | None) -> Evidence:
        source = self.declared.source if self.declared else ""
        return Evidence(self.device, source, claim, provenance)

    def finding(self, rule: str, severity: Severity, title: str, service: str = "", **kw: Any) -> Finding:
        return Finding(rule=rule, severity=severity, title=title, source=self.device, service=service, **kw)


def _failure_fix(outcome: AssociationOutcome, result: ProbeResult) -> str:
    if outcome.status == "unreachable":
        return (
            f"Check that the device is running and listens on {result.address} "
            "(inventory host/port, firewall, DICOM service enabled)."
        )
    if outcome.reject_source == 1 and outcome.reject_reason == 7:
        return f"Use the device's configured AE title (probed as called AE {result.called_ae!r})."
    if outcome.reject_source == 1 and outcome.reject_reason == 3:
        return f"Register the calling AE title {result.calling_ae!r} (and host) on the device."
    if outcome.reject_result == 2 or outcome.reject_source == 3:
        return "The device is busy or at its association limit; retry later or raise the limit."
    if outcome.status == "timeout":
        return "The device accepts TCP but does not speak DICOM on this port; check the port and TLS."
    if outcome.status in {"aborted", "closed"}:
        return (
            "Check the device's log for why it dropped the request; devices that limit the number of "
            "presentation contexts accept a lower --max-contexts."
        )
    return "Check the device's DICOM configuration for this AE (AE title, allowed peers, port)."


def _failure_findings(ctx: _Ctx) -> list[Finding]:
    result = ctx.result
    outcome = result.failure
    if outcome is None:
        return []
    evidence = [ctx.observed(outcome.detail, f"association {outcome.index}")]
    if ctx.declared is not None:
        for ae in ctx.declared.aes:
            if ae.ae_title is not None:
                port = f" on port {ae.port.value}" if ae.port is not None else ""
                evidence.append(ctx.stated(f"AE title {ae.ae_title.value}{port}", ae.ae_title.provenance))
    return [
        ctx.finding(
            "probe-no-association",
            Severity.BLOCKING,
            f"{result.called_ae}@{result.address} could not be probed: {outcome.detail}",
            "echo",
            detail=(
                f"Calling AE {result.calling_ae!r}, called AE {result.called_ae!r}; gave up after "
                f"{outcome.seconds:g} s (timeout {result.timeout:g} s). Nothing was learnt about "
                "the SOP classes and transfer syntaxes it accepts."
            ),
            fix=_failure_fix(outcome, result),
            evidence=evidence,
        )
    ]


def _summary(ctx: _Ctx) -> Finding:
    result = ctx.result
    accepted = result.accepted()
    refused_sops = sorted(set(result.refused()) - set(accepted))
    n_ts = len({ts for tss in accepted.values() for ts in tss})
    parts = [
        f"accepts {len(accepted)} SOP class(es) with {n_ts} transfer syntax(es)",
        f"refuses {len(refused_sops)}",
        "max PDU 0 (no limit)" if result.max_pdu == 0 else f"max PDU {result.max_pdu}",
        f"implementation {result.implementation_class_uid or '-'}"
        f" / {result.implementation_version_name or '-'}",
    ]
    if result.echo is not None:
        parts.append(result.echo.detail)
    lines = [f"{uids.uid_name(sop)}: {_names(tss)}" for sop, tss in sorted(accepted.items())]
    return ctx.finding(
        "probe-observed",
        Severity.INFO,
        f"{result.called_ae}@{result.address} {', '.join(parts)}",
        "echo",
        detail=(
            f"{len(result.associations)} association(s), {len(result.contexts)} presentation contexts "
            f"proposed in {result.seconds:g} s. Accepted: " + ("; ".join(lines) or "nothing")
        ),
        evidence=[ctx.observed(f"{len(accepted)} SOP classes accepted, {len(refused_sops)} refused")],
    )


def _partial(ctx: _Ctx) -> list[Finding]:
    result = ctx.result
    failed = [a for a in result.associations if not a.answered]
    if not failed or not result.reached:
        return []
    missing = sorted(result.unanswered())
    return [
        ctx.finding(
            "probe-partial",
            Severity.DEGRADING,
            f"{len(failed)} of {len(result.associations)} probe associations failed; "
            f"{len(missing)} SOP class(es) not verified",
            detail="; ".join(f"association {a.index}: {a.detail}" for a in failed)
            + ". Not verified: "
            + ", ".join(uids.uid_name(s) for s in missing),
            fix="Re-run the probe; if it persists, lower --max-contexts (some devices allow fewer contexts).",
            evidence=[ctx.observed(a.detail, f"association {a.index}") for a in failed],
        )
    ]


def _echo(ctx: _Ctx) -> list[Finding]:
    echo = ctx.result.echo
    if echo is None or echo.status == 0:
        return []
    return [
        ctx.finding(
            "probe-echo-failed",
            Severity.BLOCKING,
            f"{ctx.result.called_ae}@{ctx.result.address} accepted Verification but {echo.detail}",
            "echo",
            fix="Check the device's DIMSE service; it negotiates but does not answer.",
            evidence=[ctx.observed(echo.detail, "C-ECHO")],
        )
    ]


def _reasons(codes: Iterable[int]) -> str:
    return "; ".join(sorted({CONTEXT_RESULTS.get(c, f"result {c}") for c in codes}))


def _label(service: str) -> str:
    """How a finding names a service class ("storage", "Modality Worklist")."""
    try:
        return "storage" if service == "store" else SERVICE_NAMES[Service(service)]
    except ValueError:
        return service


def _by_service(sops: Iterable[str]) -> dict[str, list[str]]:
    """SOP classes per service class, each list sorted by name (one finding per device and service)."""
    out: dict[str, list[str]] = {}
    for sop in sops:
        out.setdefault(service_of(sop), []).append(sop)
    return {k: sorted(v, key=lambda u: (uids.uid_name(u), u)) for k, v in sorted(out.items())}


def _title(sops: list[str], service: str, one: str, several: str) -> str:
    """'CT Image Storage: <one>' for a single class, '3 storage SOP classes <several>: A, B, C' else."""
    names = [uids.uid_name(s) for s in sops]
    if len(names) == 1:
        return f"{names[0]}: {one}"
    return f"{len(names)} {_label(service)} SOP classes {several}: {short_list(names, 4)}"


def _sop_findings(ctx: _Ctx, declared: dict[str, TransferCapability]) -> list[Finding]:
    result = ctx.result
    accepted, refused, unanswered = result.accepted(), result.refused(), result.unanswered()
    out: list[Finding] = []
    gone = [s for s in declared if s not in accepted and s in refused and s not in unanswered]
    for service, sops in _by_service(gone).items():
        option = all(declared[s].support is Support.OPTION for s in sops)
        title = _title(
            sops,
            service,
            f"declared as SCP{' (option)' if option else ''} but refused by the device",
            "declared as SCP were refused by the device",
        )
        evidence = []
        for s in sops[:MAX_EVIDENCE]:
            cap = declared[s]
            evidence.append(ctx.stated(f"SCP for {cap.name or uids.uid_name(s)}", _first(cap.provenance)))
            evidence.append(
                ctx.observed(
                    f"refused {uids.uid_name(s)}: {_reasons(refused[s].values())}",
                    f"A-ASSOCIATE-AC, association {result.association_of(s)}",
                )
            )
        f = ctx.finding(
            "probe-sop-class-refused",
            Severity.DEGRADING if option else Severity.BLOCKING,
            title,
            service,
            detail="Every presentation context offered was refused for: "
            + "; ".join(f"{uids.uid_name(s)} ({_reasons(refused[s].values())})" for s in sops)
            + ".",
            fix=f"Enable{' or license' if option else ''} these on the device, or correct the statement "
            "(it may describe another software version).",
            evidence=evidence,
        )
        f.sop_classes = sops
        out.append(f)
    for service, sops in _by_service(set(accepted) - set(declared)).items():
        names = [uids.uid_name(s) for s in sops]
        title = _title(
            sops,
            service,
            "accepted by the device but not declared as SCP in the statement",
            "accepted by the device but not declared as SCP",
        )
        f = ctx.finding(
            "probe-sop-class-undeclared",
            Severity.INFO,
            title,
            service,
            detail="Accepted: "
            + "; ".join(f"{uids.uid_name(s)} with {_names(accepted[s])}" for s in sops)
            + ".",
            fix="Update the statement, or disable the service if it should not be offered.",
            evidence=[ctx.stated(f"does not declare {short_list(names, 4)} as SCP", None)]
            + [
                ctx.observed(
                    f"accepted {uids.uid_name(s)} with {_names(accepted[s])}",
                    f"A-ASSOCIATE-AC, association {result.association_of(s)}",
                )
                for s in sops[:MAX_EVIDENCE]
            ],
        )
        f.sop_classes = sops
        out.append(f)
    return out


def _first(provenance: list[Provenance]) -> Provenance | None:
    return provenance[0] if provenance else None


def _matters(service: str, ts: str) -> bool:
    """Whether a syntax counts for a service: compressed syntaxes only where there are pixels."""
    return service == "store" or not uids.is_compressed(ts)


def _ts_findings(ctx: _Ctx, declared: dict[str, TransferCapability]) -> list[Finding]:
    """Declared-but-refused and accepted-but-undeclared syntaxes: one finding each per service class.

    An SCP that accepts only Implicit VR Little Endian refuses every other declared syntax for
    every storage class: that is one fact ("accepts only Implicit VR Little Endian for 29
    storage classes"), not one finding per syntax. Compressed syntaxes are left out for services
    without pixel data (Verification, Q/R, worklist, MPPS ...): no one sends them there.
    """
    result = ctx.result
    accepted, refused = result.accepted(), result.refused()
    missing: dict[str, list[str]] = {}  # SOP class -> declared syntaxes it refused
    extra: dict[str, list[str]] = {}  # SOP class -> syntaxes it accepts without declaring them
    for sop, cap in declared.items():
        if sop not in accepted or not cap.transfer_syntaxes:
            continue  # SOP class refused (own finding) or no syntaxes stated: nothing to compare
        service = service_of(sop)
        lost = [ts for ts in cap.transfer_syntaxes if ts in refused.get(sop, {}) and _matters(service, ts)]
        more = [ts for ts in accepted[sop] if ts not in cap.transfer_syntaxes and _matters(service, ts)]
        if lost:
            missing[sop] = lost
        if more:
            extra[sop] = more
    out: list[Finding] = []
    for service, sops in _by_service(missing).items():
        out.append(_refused_syntaxes(ctx, service, sops, missing, declared))
    for service, sops in _by_service(extra).items():
        syntaxes = sorted({ts for s in sops for ts in extra[s]}, key=uids.uid_name)
        f = ctx.finding(
            "probe-transfer-syntax-undeclared",
            Severity.INFO,
            f"{_names(syntaxes)}: accepted for {len(sops)} {_label(service)} SOP class(es) although the "
            "statement does not list " + ("it" if len(syntaxes) == 1 else "them"),
            service,
            detail="Accepted without being declared: "
            + "; ".join(f"{uids.uid_name(s)}: {_names(extra[s])}" for s in sops)
            + ".",
            fix="Update the statement's presentation-context tables.",
            evidence=[
                ctx.stated(f"does not list {_names(syntaxes)} for these SOP classes", None),
                ctx.observed(f"accepted {_names(syntaxes)} for {len(sops)} SOP class(es)"),
            ],
        )
        f.sop_classes, f.transfer_syntaxes = sops, syntaxes
        out.append(f)
    return out


def _refused_syntaxes(
    ctx: _Ctx,
    service: str,
    sops: list[str],
    missing: dict[str, list[str]],
    declared: dict[str, TransferCapability],
) -> Finding:
    result = ctx.result
    accepted, refused = result.accepted(), result.refused()
    syntaxes = sorted({ts for s in sops for ts in missing[s]}, key=uids.uid_name)
    kept = {frozenset(accepted[s]) for s in sops}
    label = _label(service)
    classes = f"{len(sops)} {label} SOP class(es)"
    if len(kept) == 1:  # the same answer for every class: say what it accepts
        only = _names(sorted(next(iter(kept)), key=uids.uid_name))
        title = f"{ctx.device} accepts only {only} for {classes}"
    else:
        title = f"{ctx.device} refuses {len(syntaxes)} declared transfer syntax(es) for {classes}"
    codes = [refused[s][ts] for s in sops for ts in missing[s]]
    evidence = [
        ctx.stated(
            f"{declared[s].name or uids.uid_name(s)} as SCP with {_names(missing[s])}",
            _first(declared[s].provenance),
        )
        for s in sops[:MAX_EVIDENCE]
    ]
    if len(sops) > MAX_EVIDENCE:
        evidence.append(ctx.stated(f"... and {len(sops) - MAX_EVIDENCE} more SOP classes", None))
    evidence.append(
        ctx.observed(f"refused {_names(syntaxes)} for {len(sops)} SOP class(es): {_reasons(codes)}")
    )
    f = ctx.finding(
        "probe-transfer-syntax-refused",
        Severity.DEGRADING,
        f"{title}; the statement also declares {_names(syntaxes)}",
        service,
        detail="Declared but refused: "
        + "; ".join(f"{uids.uid_name(s)}: {_names(missing[s])}" for s in sops)
        + ". Senders that only offer a refused syntax fail for that class; others fall back to one it "
        "accepts.",
        fix=f"Enable {_names(syntaxes)} on the device (codec, licence, configuration) or correct the "
        "statement.",
        evidence=evidence,
    )
    f.sop_classes, f.transfer_syntaxes = sops, syntaxes
    return f


def _identity_findings(ctx: _Ctx) -> list[Finding]:
    result, declared = ctx.result, ctx.declared
    if declared is None:
        return []
    out: list[Finding] = []
    checks = (
        (
            "probe-implementation-class-differs",
            Severity.DEGRADING,
            "Implementation Class UID",
            declared.implementation_class_uid,
            result.implementation_class_uid,
            "The statement may describe another software release; get the statement for the installed one.",
        ),
        (
            "probe-implementation-version-differs",
            Severity.INFO,
            "Implementation Version Name",
            declared.implementation_version_name,
            result.implementation_version_name,
            "Check that the statement matches the installed software version.",
        ),
    )
    for rule, severity, label, fact, seen, fix in checks:
        if fact is None or not seen or str(fact.value).strip() == seen.strip():
            continue
        out.append(
            ctx.finding(
                rule,
                severity,
                f"{label}: statement says {fact.value}, device sends {seen}",
                detail="Reported in A-ASSOCIATE-AC; it identifies the software that answered.",
                fix=fix,
                evidence=[
                    ctx.stated(f"{label} {fact.value}", fact.provenance),
                    ctx.observed(f"{label} {seen}"),
                ],
            )
        )
    pdu = declared.max_pdu_receive
    if (
        pdu is not None
        and isinstance(pdu.value, int)
        and result.max_pdu is not None
        and pdu.value != result.max_pdu
    ):
        out.append(
            ctx.finding(
                "probe-max-pdu-differs",
                Severity.INFO,
                f"Maximum PDU received: statement says {pdu.value}, device negotiates {result.max_pdu}",
                detail="A different max PDU never blocks traffic; it only changes fragmentation.",
                fix="Informational; update the statement if the configuration is intended.",
                evidence=[
                    ctx.stated(f"max PDU {pdu.value}", pdu.provenance),
                    ctx.observed(f"max PDU {result.max_pdu}"),
                ],
            )
        )
    return out


def _scu_only(ctx: _Ctx, declared: Statement, scp: dict[str, TransferCapability]) -> list[Finding]:
    """SOP classes the statement gives the device only as SCU: a probe cannot observe those."""
    scu = {
        sop: cap
        for (sop, role), cap in sorted(declared.services().items())
        if role is Role.SCU and sop not in scp
    }
    if not scu:
        return []
    first = next(iter(scu.values()))
    return [
        ctx.finding(
            "probe-scu-not-observable",
            Severity.INFO,
            f"{len(scu)} SOP class(es) declared only as SCU were not verified by the probe",
            detail="The device initiates these itself; a probe only sees what it accepts. Not verified: "
            + ", ".join(uids.uid_name(s) for s in scu)
            + ".",
            fix="Verify them from the receiving side (e.g. the archive's log) or with a test association.",
            evidence=[
                ctx.stated(
                    f"SCU for {first.name or uids.uid_name(first.sop_class_uid)}",
                    first.provenance[0] if first.provenance else None,
                )
            ],
        )
    ]


def probe_findings(result: ProbeResult, declared: Statement | None = None, device: str = "") -> list[Finding]:
    """Findings for one probed AE; with a statement, declared versus observed."""
    ctx = _Ctx(result, device or f"{result.called_ae}@{result.address}", declared)
    if not result.reached:
        return _failure_findings(ctx)
    findings = [_summary(ctx), *_partial(ctx), *_echo(ctx)]
    if declared is not None:
        scp = declared_scp(declared, result.called_ae)
        if not scp:
            LOGGER.warning("%s declares no SCP capabilities: nothing to compare", declared.source)
        findings += _sop_findings(ctx, scp)
        findings += _ts_findings(ctx, scp)
        findings += _identity_findings(ctx)
        findings += _scu_only(ctx, declared, scp)
    return findings


def extra_syntaxes(declared: Statement | None, called_ae: str) -> dict[str, list[str]]:
    """Transfer syntaxes the statement declares per SCP SOP class (offered on top of the defaults)."""
    if declared is None:
        return {}
    return {sop: list(cap.transfer_syntaxes) for sop, cap in declared_scp(declared, called_ae).items()}
