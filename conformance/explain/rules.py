"""Why an association failed: findings from the log, and from the statements when known.

Each failure the log shows (a rejection, an abort, a refused presentation context that was
needed, a DIMSE failure status) becomes one finding with the log lines as evidence. When
the acceptor's or requestor's statement is known (through the inventory or
``--statement``) the finding quotes it too, and its fix uses it: the transfer syntaxes both
statements list, the inventory device whose statement offers a refused SOP class, the AE
title the site gives the device. Where the device refused what its own statement declares,
that is a finding of its own (``statement-contradicted``): either the configuration or the
statement is wrong, and the log alone cannot say which.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from conformance import uids
from conformance.explain.model import (
    Association,
    ContextResult,
    DimseMessage,
    LogRef,
    Outcome,
    PresentationContext,
    Side,
)
from conformance.explain.names import dcmtk_names_for
from conformance.explain.parties import Party, Site
from conformance.findings import Evidence, Finding, Severity
from conformance.matcher.common import cap_evidence, fact_evidence
from conformance.model import Role, TransferCapability
from conformance.probe.compare import service_of
from conformance.rules import CATALOGUE, Family

LOGGER = logging.getLogger(__name__)

# The rules this module reports (their entries are in conformance/rules.py, family "explain").
RULES: dict[str, str] = {r.id: r.meaning for r in CATALOGUE if r.family is Family.EXPLAIN}

MAX_LISTED = 12  # SOP classes named in one finding's detail; the rest are counted
MAX_ERRORS = 4  # tool error lines quoted per finding
_SOP_NOT_SUPPORTED = 0x0122
_SERVICE_OF = {"C-STORE": "store", "C-FIND": "query", "C-MOVE": "move", "C-GET": "get", "C-ECHO": "echo"}


def name(uid: str) -> str:
    return uids.uid_name(uid)


def _names(items: Iterable[str]) -> str:
    listed = list(items)
    shown = ", ".join(name(u) for u in listed[:MAX_LISTED])
    return shown + (f" and {len(listed) - MAX_LISTED} more" if len(listed) > MAX_LISTED else "")


@dataclass
class Explained:
    """The findings of one association (kept apart so the report can list them under it)."""

    association: Association
    requestor: Party
    acceptor: Party
    findings: list[Finding] = field(default_factory=list)


class _Explainer:
    """Shared pieces for one association: parties, log evidence, finding construction."""

    def __init__(
        self, assoc: Association, site: Site, accepted_titles: list[str], noted: set[tuple[object, ...]]
    ) -> None:
        self.a = assoc
        self.noted = noted  # notes already made for an earlier association (same party, same values)
        self.site = site
        self.accepted_titles = accepted_titles  # called AE titles the same server log accepted
        self.req = site.party(assoc.calling_ae)
        self.acc = site.party(assoc.called_ae)
        self.out: list[Finding] = []

    # -- evidence ----------------------------------------------------------------------
    def where(self, what: str) -> str:
        return f"association {self.a.index} ({what})"

    def logged(self, who: Party, claim: str, ref: LogRef | None, what: str) -> Evidence:
        """A line of the log as evidence (the log file stands where a statement would)."""
        prov = ref.provenance(self.where(what)) if ref is not None else None
        return Evidence(who.name, self.a.log, claim, prov)

    def stated(self, who: Party, uid: str, role: Role, cap: TransferCapability | None) -> Evidence | None:
        if who.statement is None:
            return None
        return cap_evidence(who.name, who.statement, uid, role, cap, syntaxes=True)

    def errors(self) -> list[Evidence]:
        """The tool's own error lines (what it said went wrong), first few."""
        who = self.acc if self.a.side is Side.ACCEPTOR else self.req
        return [self.logged(who, "error logged", ref, "error") for ref in self.a.errors[:MAX_ERRORS]]

    def add(
        self,
        rule: str,
        severity: Severity,
        title: str,
        *,
        service: str = "",
        detail: str = "",
        fix: str = "",
        evidence: Iterable[Evidence | None] = (),
    ) -> Finding:
        f = Finding(
            rule=rule,
            severity=severity,
            title=title,
            detail=detail,
            fix=fix,
            source=self.req.name,
            target=self.acc.name,
            service=service,
            evidence=[e for e in evidence if e is not None],
        )
        self.out.append(f)
        return f

    @property
    def pair(self) -> str:
        return f"{self.req.name} → {self.acc.name}"


# ----------------------------------------------------------------------- association level
def _rejection(x: _Explainer) -> None:
    rj = x.a.rejection
    if rj is None:
        return
    result, source, reason = rj.words
    said = rj.describe()
    evidence: list[Evidence | None] = [x.logged(x.acc, f"A-ASSOCIATE-RJ: {said}", rj.ref, "A-ASSOCIATE-RJ")]
    called, calling = x.a.called_ae, x.a.calling_ae
    if rj.source == 1 and rj.reason == 7:
        shown = f"'{called}'" if called else "(not in this log: log the negotiation to see it)"
        accepted_here = [t for t in x.accepted_titles if t != called]
        near = x.site.near_titles(called)
        hints = []
        if accepted_here:
            hints.append(
                "the same server accepted calls to "
                + ", ".join(f"'{t}'" for t in accepted_here)
                + " in this log"
            )
        if near:
            hints.append("the site knows " + ", ".join(f"'{t}' ({who})" for t, who in near))
        if x.acc.known:
            hints.append(
                f"the site gives {x.acc.name} the AE title '{called}': check the device's own setting"
            )
            evidence.append(x.site.inventory_evidence(x.acc, f"AE title {called}"))
            evidence += _ae_title_evidence(x.acc)
        for title, _who in near:
            other = x.site.party(title)
            evidence.append(x.site.inventory_evidence(other, f"AE title {title}"))
            evidence += _ae_title_evidence(other)
        target = accepted_here[0] if accepted_here else (near[0][0] if near else "")
        x.add(
            "association-rejected-called-ae",
            Severity.BLOCKING,
            f"{x.pair}: association rejected, called AE title {shown} not recognised",
            detail=(
                f"{calling or 'The requestor'} called {shown}; the acceptor answered A-ASSOCIATE-RJ "
                f"({result or 'rejected'}, source {source or 'unknown'}, reason {reason or rj.text}). "
                "AE titles must match exactly, including case and spaces."
                + (" Hints: " + "; ".join(hints) + "." if hints else "")
            ),
            fix=(
                f"Configure {x.req.name} to call '{target}'"
                if target
                else f"Configure {x.req.name} with the acceptor's configured AE title"
            )
            + f" (or add '{called}' to the acceptor's own AE titles).",
            evidence=evidence,
        )
        return
    if rj.source == 1 and rj.reason == 3:
        evidence.append(x.site.inventory_evidence(x.req, f"AE title {calling}"))
        x.add(
            "association-rejected-calling-ae",
            Severity.BLOCKING,
            f"{x.pair}: association rejected, calling AE title '{calling}' not accepted",
            detail=(
                f"The acceptor does not accept associations from '{calling}' ({said}). Servers keep a "
                "list of the AEs (and often the hosts) allowed to call them."
            ),
            fix=f"Register '{calling}' (with its host and port) on {x.acc.name}, or call from an AE it "
            "knows.",
            evidence=evidence,
        )
        return
    if rj.transient or rj.source == 3:
        if x.acc.statement is not None:
            evidence.append(
                fact_evidence(
                    x.acc.name,
                    x.acc.statement,
                    "associations accepted",
                    x.acc.statement.max_associations_accepted,
                )
            )
        x.add(
            "association-rejected-busy",
            Severity.DEGRADING,
            f"{x.pair}: association turned away for now ({reason or said})",
            detail="A transient rejection: the acceptor was congested or at its limit of simultaneous "
            "associations.",
            fix=f"Retry later; if it recurs, raise {x.acc.name}'s association limit or lower the senders' "
            "parallelism.",
            evidence=evidence,
        )
        return
    x.add(
        "association-rejected",
        Severity.BLOCKING,
        f"{x.pair}: association rejected ({said})",
        detail=f"The acceptor answered A-ASSOCIATE-RJ: {result or 'rejected'}, source {source or 'unknown'}, "
        f"reason {reason or rj.text or 'not given'}.",
        fix=f"Check {x.acc.name}'s log at this time for why it refused {x.req.name}; "
        "the rejection itself carries no more detail.",
        evidence=evidence,
    )


def _ae_title_evidence(party: Party) -> list[Evidence | None]:
    st = party.statement
    if st is None:
        return []
    facts = [ae.ae_title for ae in st.aes if ae.ae_title is not None]
    return [fact_evidence(party.name, st, "AE title", f) for f in facts[:2]]


def _abort(x: _Explainer) -> None:
    ab = x.a.abort
    if ab is None or x.a.outcome is not Outcome.ABORTED:
        return
    last = next((m for m in reversed(x.a.dimse) if m.command.endswith("RQ")), None)
    after = ""
    if last is not None:
        after = f" after a {last.command}" + (f" for {name(last.sop_class)}" if last.sop_class else "")
    errors = x.errors()
    x.add(
        "association-aborted",
        Severity.BLOCKING,
        f"{x.pair}: association aborted{after}",
        service=service_of(last.sop_class) if last is not None and last.sop_class else "",
        detail=f"{ab.describe()}."
        + (
            " The log says: " + " | ".join(e.provenance.text for e in errors if e.provenance)
            if errors
            else ""
        ),
        fix=(
            "Read the aborting side's log at this time: an abort right after a request usually means it "
            "could not process it (storage full, data set refused, an access rule such as a list of allowed "
            "peers)."
        ),
        evidence=[
            x.logged(x.acc if "acceptor" in ab.text else x.req, ab.describe(), ab.ref, "A-ABORT"),
            *errors,
        ],
    )


def _failure(x: _Explainer) -> None:
    if x.a.outcome is not Outcome.FAILED or x.a.failure is None:
        return
    ae = x.acc.ae()
    where = f" (the inventory gives {ae.host}:{ae.port})" if ae is not None and ae.host else ""
    x.add(
        "association-failed",
        Severity.BLOCKING,
        f"{x.pair}: association request got no answer",
        detail="The request failed before any A-ASSOCIATE answer: " + x.a.failure.text.strip(),
        fix=f"Check that {x.acc.name} is running and listens on the host and port {x.req.name} uses{where}; "
        "check firewalls and whether the port expects TLS.",
        evidence=[x.logged(x.req, "association request failed", x.a.failure, "request"), *x.errors()[1:]],
    )


# ------------------------------------------------------------------------- contexts
def _acceptor_role(cx: PresentationContext) -> Role:
    """The acceptor's DIMSE role for the context: SCP unless the requestor proposed to be the SCP only."""
    return Role.SCU if cx.proposed_role == "scp" else Role.SCP


def _needed(x: _Explainer, sop: str) -> bool:
    """The requestor needed this SOP class: nothing else went through, or an error line names it."""
    if x.a.outcome is Outcome.NO_ACCEPTED_CONTEXT:
        return True
    spellings = {sop, name(sop), *dcmtk_names_for(sop)}
    return any(s and s in ref.text for ref in x.a.errors for s in spellings)


def _contexts(x: _Explainer) -> None:
    if not x.a.answered:
        return
    if x.a.outcome is Outcome.NO_ACCEPTED_CONTEXT and not any(cx.result for cx in x.a.contexts):
        _no_context(x)
        return
    accepted = x.a.accepted_sop_classes()
    refused: dict[str, list[PresentationContext]] = {}
    for cx in x.a.contexts:
        if cx.result is not None and not cx.accepted and cx.abstract_syntax not in accepted:
            refused.setdefault(cx.abstract_syntax, []).append(cx)
    unused: list[str] = []
    for sop, cxs in refused.items():
        if not _needed(x, sop):
            unused.append(sop)
            continue
        results = {cx.result for cx in cxs}
        if ContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED in results:
            _abstract_syntax(x, sop, cxs)
        elif ContextResult.TRANSFER_SYNTAXES_NOT_SUPPORTED in results:
            _transfer_syntaxes(x, sop, cxs)
        else:
            _context_rejected(x, sop, cxs)
    if unused:
        x.add(
            "contexts-refused-unused",
            Severity.INFO,
            f"{x.pair}: {len(unused)} proposed SOP class(es) refused but not used",
            detail=f"Refused and never needed in this log: {_names(unused)}. "
            "Requestors often propose more than they send; this only matters if they are sent later.",
            evidence=[
                x.logged(x.acc, f"refused {name(s)}", refused[s][0].result_ref, "A-ASSOCIATE-AC")
                for s in unused[:3]
            ],
        )
    _roles(x)


def _no_context(x: _Explainer) -> None:
    """Nothing accepted, and the log (a server at --verbose, a tool at -v) does not say what was asked."""
    st = x.acc.statement
    evidence: list[Evidence | None] = [
        x.logged(x.acc, "no presentation context accepted", x.a.none_accepted, "A-ASSOCIATE-AC")
    ]
    offers = ""
    if st is not None:
        scp = sorted({uid for (uid, role) in st.services() if role is Role.SCP})
        offers = (
            f" {x.acc.name}'s statement ({st.source}) lists {len(scp)} SOP class(es) as SCP: {_names(scp)}."
        )
    x.add(
        "no-context-accepted",
        Severity.BLOCKING,
        f"{x.pair}: no presentation context accepted",
        detail="The acceptor answered the request but accepted none of the proposed presentation contexts: "
        "it supports none of the SOP classes asked for, or none with the proposed transfer syntaxes. "
        "This log does not show the proposal." + offers,
        fix="Log the negotiation (DCMTK tools: -d; pynetdicom: debug logging; Orthanc: --trace-dicom) to see "
        f"which SOP class and transfer syntaxes {x.req.name} proposes, then compare them with what "
        f"{x.acc.name} accepts.",
        evidence=evidence,
    )


def _proposed(cxs: list[PresentationContext]) -> list[str]:
    return list(dict.fromkeys(ts for cx in cxs for ts in cx.proposed_transfer_syntaxes))


def _context_evidence(x: _Explainer, sop: str, cxs: list[PresentationContext]) -> list[Evidence | None]:
    first = cxs[0]
    proposed = _proposed(cxs)
    ids = ", ".join(str(cx.id) for cx in cxs)
    result = first.result.value if first.result is not None else "refused"
    return [
        x.logged(
            x.req,
            f"proposed {name(sop)} in context {ids} with {_names(proposed) or 'no transfer syntax shown'}",
            first.ref,
            "A-ASSOCIATE-RQ",
        ),
        x.logged(x.acc, f"answered {result} for context {first.id}", first.result_ref, "A-ASSOCIATE-AC"),
    ]


def _nothing_else(x: _Explainer) -> str:
    return (
        " Nothing was accepted, so the association carried nothing."
        if x.a.outcome is Outcome.NO_ACCEPTED_CONTEXT
        else ""
    )


def _abstract_syntax(x: _Explainer, sop: str, cxs: list[PresentationContext]) -> None:
    role = _acceptor_role(cxs[0])
    service = service_of(sop)
    st = x.acc.statement
    cap = st.supports(sop, role) if st is not None else None
    offering = x.site.offering(sop, role, {d.name for d in (*x.acc.devices, *x.req.devices)})
    evidence = _context_evidence(x, sop, cxs)
    evidence.append(x.stated(x.acc, sop, role, cap))
    for device, other in offering[:2]:
        evidence.append(cap_evidence(device.name, other, sop, role, other.supports(sop, role)))
    said = f"{x.acc.name} answered abstract syntax not supported."
    if st is None:
        why = " No statement for the acceptor was given, so the log is the only evidence."
    elif cap is None:
        why = (
            f" {x.acc.name}'s statement ({st.source}) does not list {name(sop)} as {role.value} either: "
            "the device does not offer it."
        )
    else:
        overlap = set(cap.transfer_syntaxes) & set(_proposed(cxs))
        why = f" Its statement declares {name(sop)} as {role.value} (see the statement-contradicted finding)."
        if cap.transfer_syntaxes and not overlap:
            why += (
                " None of the proposed transfer syntaxes is among the ones it lists; acceptors built on "
                "DCMTK (Orthanc, storescp with a configuration file) answer 'abstract syntax not supported' "
                "in that case too."
            )
    if offering:
        device, other = offering[0]
        titles = ", ".join(ae.title for ae in device.aes)
        fix = (
            f"Point {x.req.name} at {device.name} (AE {titles}), whose statement ({other.source}) offers "
            f"{name(sop)} as {role.value}; or enable {name(sop)} on {x.acc.name}."
        )
    elif cap is None:
        fix = (
            f"Use an AE that offers {name(sop)} as {role.value}, or have it enabled (configured, licensed) "
            f"on {x.acc.name}."
        )
    else:
        fix = (
            f"Enable {name(sop)} on {x.acc.name} for AE '{x.a.called_ae}' (licence, configuration), "
            "or correct its statement."
        )
    x.add(
        "abstract-syntax-not-supported",
        Severity.BLOCKING,
        f"{name(sop)} refused by {x.acc.name} (abstract syntax not supported)",
        service=service,
        detail=f"{x.req.name} proposed {name(sop)} ({sop}); {said}{why}{_nothing_else(x)}",
        fix=fix,
        evidence=evidence,
    )
    if cap is not None:
        _contradicted(x, sop, role, cap, cxs, "abstract syntax not supported")


def _transfer_syntaxes(x: _Explainer, sop: str, cxs: list[PresentationContext]) -> None:
    role = _acceptor_role(cxs[0])
    proposed = _proposed(cxs)
    st_acc, st_req = x.acc.statement, x.req.statement
    acc_cap = st_acc.supports(sop, role) if st_acc is not None else None
    req_role = Role.SCP if role is Role.SCU else Role.SCU
    req_cap = st_req.supports(sop, req_role) if st_req is not None else None
    evidence = _context_evidence(x, sop, cxs)
    evidence += [x.stated(x.acc, sop, role, acc_cap), x.stated(x.req, sop, req_role, req_cap)]
    detail = (
        f"{x.req.name} proposed {name(sop)} only with {_names(proposed)}; {x.acc.name} accepts none of them."
    )
    accepts = acc_cap.transfer_syntaxes if acc_cap is not None else []
    if accepts:
        detail += f" Its statement lists {_names(accepts)}."
    common = [ts for ts in (req_cap.transfer_syntaxes if req_cap else []) if ts in accepts]
    if common:
        fix = (
            f"Configure {x.req.name} to propose {_names(common)} for {name(sop)}: both statements list "
            f"{'it' if len(common) == 1 else 'them'}."
        )
    elif accepts:
        fix = (
            f"Have {x.req.name} propose one of {_names(accepts)} (or convert before sending), "
            f"or enable {_names(proposed)} on {x.acc.name}."
        )
    elif uids.IMPLICIT_VR_LE in proposed:
        fix = (
            f"{x.acc.name} refuses even Implicit VR Little Endian, the default transfer syntax, so it is "
            f"set up for other syntaxes only: have {x.req.name} propose one it accepts (its statement or "
            f"`conformance probe` tells), or enable Implicit VR Little Endian on {x.acc.name}."
        )
    else:
        fix = (
            f"Have {x.req.name} also propose Implicit VR Little Endian (the default transfer syntax), "
            f"or enable {_names(proposed)} on {x.acc.name}."
        )
    x.add(
        "transfer-syntaxes-not-supported",
        Severity.BLOCKING,
        f"{name(sop)} refused by {x.acc.name}: none of the proposed transfer syntaxes accepted",
        service=service_of(sop),
        detail=detail + _nothing_else(x),
        fix=fix,
        evidence=evidence,
    )
    if acc_cap is not None and set(acc_cap.transfer_syntaxes) & set(proposed):
        _contradicted(x, sop, role, acc_cap, cxs, "transfer syntaxes not supported")


def _context_rejected(x: _Explainer, sop: str, cxs: list[PresentationContext]) -> None:
    result = cxs[0].result.value if cxs[0].result is not None else "refused"
    x.add(
        "context-rejected",
        Severity.BLOCKING,
        f"{name(sop)} refused by {x.acc.name} ({result})",
        service=service_of(sop),
        detail=f"{x.req.name} proposed {name(sop)} ({sop}); the acceptor answered {result}, which gives "
        "no reason." + _nothing_else(x),
        fix=f"Check {x.acc.name}'s configuration for {name(sop)} (per-peer rules, licences) and its log "
        "at this time.",
        evidence=_context_evidence(x, sop, cxs),
    )


def _roles(x: _Explainer) -> None:
    for cx in x.a.contexts:
        if not cx.accepted or "scp" not in cx.proposed_role or not cx.accepted_role:
            continue
        if "scp" in cx.accepted_role:
            continue
        x.add(
            "role-not-accepted",
            Severity.DEGRADING,
            f"{name(cx.abstract_syntax)}: {x.acc.name} did not grant {x.req.name} the SCP role",
            service=service_of(cx.abstract_syntax),
            detail=f"Context {cx.id} proposed role {cx.proposed_role.upper()}, accepted role "
            f"{cx.accepted_role}. "
            f"{x.acc.name} cannot send {name(cx.abstract_syntax)} back on this association "
            "(C-GET sub-operations, storage commitment replies).",
            fix="Use C-MOVE (sub-operations on a new association) instead, or enable SCP/SCU role "
            "selection on the acceptor.",
            evidence=[x.logged(x.acc, f"accepted role {cx.accepted_role}", cx.result_ref, "A-ASSOCIATE-AC")],
        )


def _contradicted(
    x: _Explainer,
    sop: str,
    role: Role,
    cap: TransferCapability,
    cxs: list[PresentationContext] | None,
    refused: str,
) -> None:
    st = x.acc.statement
    assert st is not None
    ref = cxs[0].result_ref if cxs else None
    x.add(
        "statement-contradicted",
        Severity.DEGRADING,
        f"{x.acc.name} refused {name(sop)} although its statement declares it as {role.value}",
        service=service_of(sop),
        detail=(
            f"The log shows {refused}; {st.source} declares {name(sop)} as {role.value}"
            + (f" with {_names(cap.transfer_syntaxes)}" if cap.transfer_syntaxes else "")
            + ". Either the device is configured otherwise (AE, licence, option) or the statement describes "
            "another version."
        ),
        fix=f"Enable {name(sop)} on {x.acc.name} as its statement says, or get the statement for the "
        "installed version.",
        evidence=[
            cap_evidence(x.acc.name, st, sop, role, cap, syntaxes=True),
            x.logged(x.acc, refused, ref, "refusal"),
        ],
    )


# ----------------------------------------------------------------------------- DIMSE
def _dimse(x: _Explainer) -> None:
    requests = {m.message_id: m for m in x.a.dimse if m.command.endswith("RQ") and m.message_id is not None}
    for msg in x.a.dimse:
        if not msg.command.endswith("RSP") or not (msg.failed or msg.warning):
            continue
        request = requests.get(msg.message_id) if msg.message_id is not None else None
        sop = msg.sop_class or (request.sop_class if request else "")
        if msg.failed and msg.status == 0xA801:
            _move_destination(x, msg, request, sop)
        elif msg.failed:
            _dimse_failure(x, msg, sop)
        else:
            x.add(
                "dimse-warning",
                Severity.DEGRADING,
                f"{msg.command.split()[0]} answered with a warning: {msg.meaning}",
                service=service_of(sop) if sop else "",
                detail=_status_detail(msg, sop),
                fix=_status_fix(msg, x),
                evidence=[_status_evidence(x, msg)],
            )


def _server_errors(x: _Explainer) -> None:
    """A server's log: a request followed by error lines and no response status (Orthanc at --verbose)."""
    if x.a.side is not Side.ACCEPTOR or x.a.outcome is not Outcome.ESTABLISHED:
        return
    requests = [m for m in x.a.dimse if m.command.endswith("RQ")]
    answered = {m.message_id for m in x.a.dimse if m.command.endswith("RSP") and m.status is not None}
    for i, rq in enumerate(requests):
        if rq.message_id is not None and rq.message_id in answered:
            continue
        end = requests[i + 1].ref.line if i + 1 < len(requests) else None
        errors = [r for r in x.a.errors if r.line > rq.ref.line and (end is None or r.line < end)]
        if not errors:
            continue
        dest = rq.move_destination
        evidence: list[Evidence | None] = [
            x.logged(x.req, f"{rq.command}" + (f" to '{dest}'" if dest else ""), rq.ref, rq.command)
        ]
        evidence += [x.logged(x.acc, "error logged", r, "error") for r in errors[:MAX_ERRORS]]
        fix = f"{x.acc.name}'s error line says why; fix that on {x.acc.name} and retry."
        if dest:
            party = x.site.party(dest)
            evidence.append(x.site.inventory_evidence(party, f"AE title {dest}"))
            fix = (
                f"Check that '{dest}' is configured on {x.acc.name} as a remote AE (AE title, host, port), "
                f"then read {x.acc.name}'s error line for anything else."
            )
        x.add(
            "request-failed",
            Severity.BLOCKING,
            f"{rq.command.split()[0]} from {x.req.name} failed on {x.acc.name}",
            service=service_of(rq.sop_class)
            if rq.sop_class
            else {"C-MOVE": "move", "C-GET": "get"}.get(rq.service, ""),
            detail=f"{x.acc.name} logged an error while handling the {rq.command}"
            + (f" (move destination '{dest}')" if dest else "")
            + ": "
            + " | ".join(r.text.strip() for r in errors[:MAX_ERRORS]),
            fix=fix,
            evidence=evidence,
        )


def _status_evidence(x: _Explainer, msg: DimseMessage) -> Evidence:
    """The response line with its status, as the acceptor's answer."""
    return x.logged(x.acc, f"{msg.command} status {_hex(msg)} {msg.meaning}", msg.ref, msg.command)


def _hex(msg: DimseMessage) -> str:
    return f"0x{msg.status:04X}" if msg.status is not None else "(no code)"


def _status_detail(msg: DimseMessage, sop: str) -> str:
    what = f" for {name(sop)}" if sop else ""
    said = (
        f" (the log says: {msg.status_text})"
        if msg.status_text and msg.status_text not in msg.meaning
        else ""
    )
    return f"{msg.command}{what}: status {_hex(msg)}, {msg.meaning or msg.status_text}{said}."


def _status_fix(msg: DimseMessage, x: _Explainer) -> str:
    code = msg.status
    words = msg.meaning.lower()
    if (code is not None and 0xA700 <= code <= 0xA7FF) or "resources" in words:
        return f"{x.acc.name} is out of resources (disk, database, licence count): free space, raise limits."
    if (code is not None and (0xA900 <= code <= 0xA9FF or 0xC000 <= code <= 0xCFFF)) or "understand" in words:
        return f"{x.acc.name} could not process the data set; its log names the element or value it rejected."
    if code == 0x0211:
        service = msg.command.split()[0]
        return f"{x.acc.name} does not implement {service} here; use the service its statement lists."
    if code == 0x0124:
        return f"{x.acc.name} refuses this operation for {x.req.name}: grant it access on the acceptor."
    if code == 0xB000 and msg.service in {"C-MOVE", "C-GET"}:
        return (
            "Some sub-operations failed: check that the destination accepts every SOP class being retrieved."
        )
    return f"Check {x.acc.name}'s log at this time for the cause of the {msg.category.lower()} status."


def _dimse_failure(x: _Explainer, msg: DimseMessage, sop: str) -> None:
    evidence: list[Evidence | None] = [_status_evidence(x, msg)]
    cap = None
    if msg.status == _SOP_NOT_SUPPORTED and sop and x.acc.statement is not None:
        cap = x.acc.statement.supports(sop, Role.SCP)
        evidence.append(x.stated(x.acc, sop, Role.SCP, cap))
    x.add(
        "dimse-failure",
        Severity.BLOCKING,
        f"{msg.command.split()[0]}{' of ' + name(sop) if sop else ''} failed: {_hex(msg)} {msg.meaning}",
        service=service_of(sop) if sop else "",
        detail=_status_detail(msg, sop),
        fix=_status_fix(msg, x)
        if msg.status != _SOP_NOT_SUPPORTED
        else f"{x.acc.name} does not support {name(sop)}: send it to an AE that does, or have it enabled.",
        evidence=evidence,
    )
    if cap is not None:
        _contradicted(
            x, sop, Role.SCP, cap, None, f"{msg.command} status {_hex(msg)} (SOP class not supported)"
        )


def _move_destination(x: _Explainer, msg: DimseMessage, request: DimseMessage | None, sop: str) -> None:
    dest = request.move_destination if request is not None else ""
    party = x.site.party(dest) if dest else None
    evidence: list[Evidence | None] = [_status_evidence(x, msg)]
    if request is not None:
        evidence.insert(0, x.logged(x.req, f"C-MOVE to '{dest}'", request.ref, request.command))
    where = ""
    if party is not None and party.known:
        ae = party.ae()
        if ae is not None and ae.host:
            where = f" ({ae.host}:{ae.port})" if ae.port else f" ({ae.host})"
        evidence.append(x.site.inventory_evidence(party, f"AE title {dest}{where}"))
    x.add(
        "move-destination-refused",
        Severity.BLOCKING,
        f"C-MOVE from {x.acc.name} failed: move destination '{dest or '?'}' unknown",
        service="move",
        detail=f"{x.acc.name} answered 0xA801 (move destination unknown): it has no host and port for AE "
        f"'{dest}'. "
        "A C-MOVE destination must be configured on the archive, by AE title."
        + (f" The site gives '{dest}' as {party.name}{where}." if party is not None and party.known else ""),
        fix=f"Add '{dest}'{where} to {x.acc.name}'s list of remote AEs (destination AE title, host and port)."
        if dest
        else f"Configure the move destination on {x.acc.name}.",
        evidence=evidence,
    )


# ---------------------------------------------------------------------- identity
def _identity(x: _Explainer) -> None:
    """One note per side whose implementation (class UID, version name) is not its statement's."""
    for party, end in ((x.req, x.a.requestor), (x.acc, x.a.acceptor)):
        st = party.statement
        if st is None:
            continue
        differ = [
            (label, fact, seen)
            for label, fact, seen in (
                ("Implementation Class UID", st.implementation_class_uid, end.implementation_class_uid),
                (
                    "Implementation Version Name",
                    st.implementation_version_name,
                    end.implementation_version_name,
                ),
            )
            if fact is not None and seen and str(fact.value).strip() != seen.strip()
        ]
        key = (party.name, tuple((label, seen) for label, _, seen in differ))
        if not differ or key in x.noted:
            continue  # said once per party and version, not for every association of a busy log
        x.noted.add(key)
        evidence: list[Evidence | None] = [
            fact_evidence(party.name, st, label, fact) for label, fact, _ in differ
        ]
        evidence.append(
            x.logged(party, ", ".join(f"{label} {seen}" for label, _, seen in differ), end.ref, "A-ASSOCIATE")
        )
        x.add(
            "implementation-differs",
            Severity.INFO,
            f"{party.name}: the log shows {differ[0][2]}, its statement {differ[0][1].value}"
            + (" (and another version name)" if len(differ) > 1 else ""),
            detail="; ".join(
                f"{label}: {seen} in the log, {fact.value} in {st.source}" for label, fact, seen in differ
            )
            + ". The statement may describe another software version than the one in the log.",
            fix=f"Check that {st.source} matches the installed version of {party.name}.",
            evidence=evidence,
        )


# ------------------------------------------------------------------------------ driver
def explain_association(
    assoc: Association,
    site: Site,
    accepted_titles: Sequence[str] = (),
    noted: set[tuple[object, ...]] | None = None,
) -> Explained:
    """Every finding for one association.

    ``accepted_titles``: for a server's log, the called AE titles it accepted in other
    associations (what it answers to), quoted when it rejects a called AE title.
    ``noted``: shared between the associations of a run, so that a note that holds for
    every association (an implementation that differs from the statement) is made once.
    """
    x = _Explainer(assoc, site, list(accepted_titles), noted if noted is not None else set())
    _rejection(x)
    _failure(x)
    _contexts(x)
    _dimse(x)
    _server_errors(x)
    _abort(x)
    _identity(x)
    return Explained(assoc, x.req, x.acc, x.out)
