"""What every rule family shares: the match context, evidence builders, SOP class groups.

The context caches per-statement views (merged services) so that matching 1,000 devices
that share 100 statements costs one merge per statement, not one per link.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from conformance import uids
from conformance.findings import Evidence, Finding, Severity
from conformance.model import (
    Direction,
    Fact,
    Provenance,
    Role,
    ServiceClass,
    Statement,
    Support,
    TransferCapability,
    Wildcard,
)
from conformance.services import Service
from conformance.site import Device, Inventory, Link

LOGGER = logging.getLogger(__name__)


# the name a capability read from a claim for every storage class carries (not a listed class)
WILDCARD_NAME = "(any storage SOP class)"


def name(uid: str) -> str:
    return uids.uid_name(uid)


def by_name(classes: Iterable[str]) -> list[str]:
    """SOP class UIDs sorted by name (then UID), as findings list them."""
    return sorted(classes, key=lambda u: (name(u), u))


@dataclass
class Context:
    """One matching run: the inventory, parsed statements and per-statement caches."""

    inventory: Inventory
    statements: dict[str, Statement]
    _services: dict[int, dict[tuple[str, Role], TransferCapability]] = field(default_factory=dict)
    _links_by_source: dict[str, list[Link]] = field(default_factory=dict)
    _links_by_target: dict[str, list[Link]] = field(default_factory=dict)
    _devices: dict[str, Device] = field(default_factory=dict)
    memo: dict[tuple[object, ...], object] = field(default_factory=dict)  # per-run caches of rule families

    def __post_init__(self) -> None:
        for link in self.inventory.links:
            self._links_by_source.setdefault(link.source, []).append(link)
            self._links_by_target.setdefault(link.target, []).append(link)
        for device in self.inventory.devices:
            self._devices.setdefault(device.name, device)

    def device(self, name: str) -> Device | None:
        return self._devices.get(name)

    def statement(self, device: str) -> Statement | None:
        return self.statements.get(device)

    def services(self, st: Statement) -> dict[tuple[str, Role], TransferCapability]:
        """Capabilities merged per (SOP class, role), cached per statement.

        Transfer syntaxes come from the presentation-context tables (proposed / accepted)
        when the statement has them for that SOP class: an overview table that also lists
        syntaxes is less precise, and merging both would invent proposals.
        """
        key = id(st)
        if key not in self._services:
            merged = st.services()
            exact: dict[tuple[str, Role], list[str]] = {}
            for c in st.capabilities():
                if c.direction is not Direction.UNSPECIFIED and c.transfer_syntaxes:
                    have = exact.setdefault((c.sop_class_uid, c.role), [])
                    have.extend(ts for ts in c.transfer_syntaxes if ts not in have)
            for k, syntaxes in exact.items():
                merged[k].transfer_syntaxes = syntaxes
            self._services[key] = merged
        return self._services[key]

    def cap(self, st: Statement, uid: str, role: Role) -> TransferCapability | None:
        """The statement's capability for (SOP class, role): listed, else from a storage wildcard.

        A statement that "accepts any incoming C-STORE" supports every storage class in that
        role; the capability then carries the wildcard's syntaxes and quotes its general
        statement (its name is :data:`WILDCARD_NAME`, so rules can say it rests on one).
        """
        found = self.services(st).get((uid, role))
        if found is None and st.wildcards and uids.is_storage_sop_class(uid):
            w = self.any_storage(st, role)
            if w is not None:
                return TransferCapability(
                    uid,
                    role,
                    list(w.transfer_syntaxes),
                    Direction.UNSPECIFIED,
                    Support.YES,
                    WILDCARD_NAME,
                    list(w.provenance),
                )
        return found

    def any_storage(self, st: Statement, role: Role) -> Wildcard | None:
        """The statement's claim for every storage SOP class in ``role`` (None: it lists them)."""
        return st.wildcard(ServiceClass.STORAGE, role)

    def sop_classes(self, st: Statement, role: Role) -> list[str]:
        return sorted(uid for (uid, r) in self.services(st) if r is role)

    def storage_classes(self, st: Statement, role: Role) -> list[str]:
        return [uid for uid in self.sop_classes(st, role) if uids.is_storage_sop_class(uid)]

    def linked_statements(self) -> list[tuple[str, Statement]]:
        """Devices on some link whose statement states something, by name: per-device checks."""
        linked = {lk.source for lk in self.inventory.links} | {lk.target for lk in self.inventory.links}
        out = []
        for device in sorted(linked):
            st = self.statement(device)
            if st is not None and not st.empty():
                out.append((device, st))
        return out

    def links_from(self, source: str, service: Service | None = None) -> list[Link]:
        return [
            lk for lk in self._links_by_source.get(source, []) if service is None or lk.service is service
        ]

    def links_to(self, target: str, service: Service | None = None) -> list[Link]:
        return [
            lk for lk in self._links_by_target.get(target, []) if service is None or lk.service is service
        ]

    def links_to_source_commitments(self, device: str) -> list[Link]:
        """Commitment links ``device`` requests: their replies may come back on new associations."""
        return self.links_from(device, Service.COMMITMENT)

    def accepting_capability(self, st: Statement, uid: str, role: Role) -> TransferCapability | None:
        """The capability if the statement lists it in an acceptance table (reverse associations)."""
        for ae in st.aes:
            for cap in ae.capabilities:
                if cap.sop_class_uid == uid and cap.role is role and cap.direction is Direction.ACCEPT:
                    return cap
        return None


# ------------------------------------------------------------------------- evidence
_TS_WORDS = re.compile(r"endian|jpeg|j2k|rle|deflate|transfer|mpeg|hevc", re.I)


def _ts_provenance(cap: TransferCapability) -> Provenance | None:
    """The row that states the transfer syntaxes (a presentation-context table), else the first."""
    for prov in cap.provenance:
        if any(ts in prov.text for ts in cap.transfer_syntaxes) or _TS_WORDS.search(prov.text):
            return prov
    return cap.provenance[0] if cap.provenance else None


def cap_evidence(
    device: str,
    st: Statement,
    uid: str,
    role: Role,
    cap: TransferCapability | None,
    *,
    syntaxes: bool = False,
) -> Evidence:
    """One side's claim about (SOP class, role); no provenance means the statement is silent.

    With ``syntaxes`` the cited row is the one that lists the transfer syntaxes.
    """
    if cap is None:
        removed = _removed_by(st, uid, role)
        if removed is not None:  # the site took it out: cite that, not the statement's silence
            return Evidence(
                device, st.source, f"{name(uid)} as {role.value} removed by a site correction", removed
            )
        declined = next((s for s in st.coverage.declined_sop_classes if s.uid == uid), None)
        if declined is not None:  # "does not support storage commitment": a stated refusal
            return Evidence(device, st.source, f"states it does not support {name(uid)}", declined.first)
        return Evidence(device, st.source, f"does not list {name(uid)} as {role.value}")
    prov = _ts_provenance(cap) if syntaxes else (cap.provenance[0] if cap.provenance else None)
    option = " (option)" if cap.support is Support.OPTION else ""
    listed = ", ".join(name(ts) for ts in cap.transfer_syntaxes)
    what = f"{name(uid)} as {role.value}{option}"
    if cap.name == WILDCARD_NAME:
        what = f"any storage SOP class as {role.value} (a general statement; covers {name(uid)})"
    claim = what + (f"; transfer syntaxes: {listed}" if listed else "")
    return Evidence(device, st.source, claim, prov)


def _removed_by(st: Statement, uid: str, role: Role) -> Provenance | None:
    """The correction (conformance.corrections) that removed this service, if one did."""
    for c in reversed(st.corrections):
        if c.changed and c.sop_class_uid == uid and c.role is role:
            return c.provenance if c.action == "remove" and not c.transfer_syntaxes else None
    return None


def fact_evidence(device: str, st: Statement, label: str, fact: Fact[Any] | None) -> Evidence:
    if fact is None:
        return Evidence(device, st.source, f"statement silent on {label}")
    return Evidence(device, st.source, f"{label}: {fact.value}", fact.provenance)


def inventory_evidence(inv: Inventory, device: Device | None, claim: str, where: str = "") -> Evidence:
    where = where or (device.row if device else "")
    row = re.search(r"\brow (\d+)\b", where)  # a table inventory: the row is the file's line
    prov = Provenance(inv.path.name, line=int(row.group(1)) if row else None, section=where, text=claim)
    return Evidence(device.name if device else "", "", claim, prov)


def finding(
    rule: str,
    severity: Severity,
    title: str,
    *,
    link: Link | None = None,
    source: str = "",
    target: str = "",
    service: str = "",
    evidence: Iterable[Evidence] = (),
    fix: str = "",
    detail: str = "",
    sop_classes: Iterable[str] = (),
    transfer_syntaxes: Iterable[str] = (),
    unconfirmed: bool = False,
) -> Finding:
    if link is not None:
        source, target, service = link.source, link.target, service or link.service.value
    return Finding(
        rule=rule,
        severity=severity,
        title=title,
        detail=detail,
        fix=fix,
        source=source,
        target=target,
        service=service,
        evidence=list(evidence),
        sop_classes=list(sop_classes),
        transfer_syntaxes=list(transfer_syntaxes),
        unconfirmed=unconfirmed,
    )


def services_of(links: Iterable[Link]) -> str:
    """The services of one device pair's links, as a finding's ``service`` ("commitment, store").

    Facts that hold per device pair (TLS, max PDU, character sets, a missing statement) are
    reported once per pair, naming every service concerned, not once per link.
    """
    return ", ".join(sorted({lk.service.value for lk in links}))


def pair_finding(rule: str, severity: Severity, title: str, links: list[Link], **kwargs: object) -> Finding:
    """A finding about one device pair (``links`` all run source -> target), citing their services."""
    return finding(
        rule,
        severity,
        title,
        source=links[0].source,
        target=links[0].target,
        service=services_of(links),
        **kwargs,  # type: ignore[arg-type]
    )


def short_list(items: list[str], n: int = 6) -> str:
    return ", ".join(items[:n]) + (f" and {len(items) - n} more" if len(items) > n else "")
