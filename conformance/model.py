"""Normalized conformance model, shaped like PS3.15 Annex H plus what statements add.

A :class:`Statement` is one document's claims about one product: its Application
Entities and their transfer capabilities, plus product-wide scalars. Every claim keeps
the :class:`Provenance` it was read from so that a finding can quote both sides.
The model is plain dataclasses so that it round-trips through JSON (parse cache,
``conformance parse --json``) without a schema library.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

T = TypeVar("T")

UNLIMITED = "unlimited"


class Role(StrEnum):
    """The AE's own DIMSE role for a SOP class (not who opens the association)."""

    SCU = "SCU"
    SCP = "SCP"


class Direction(StrEnum):
    """Which kind of table a capability came from."""

    INITIATE = "initiate"  # proposed presentation contexts
    ACCEPT = "accept"  # accepted presentation contexts
    UNSPECIFIED = "unspecified"  # overview tables, prose


class Support(StrEnum):
    """Whether a capability is always there or an option (licence, configuration)."""

    YES = "yes"
    OPTION = "option"


class ServiceClass(StrEnum):
    """A whole DICOM service class a statement can claim at once (PS3.4 annexes)."""

    STORAGE = "storage"  # every Storage SOP Class (PS3.4 B)


@dataclass(frozen=True)
class Provenance:
    """Where a fact was read: file, 1-based page (PDF) or line (text), table/section, text."""

    file: str
    page: int | None = None
    line: int | None = None
    section: str = ""
    text: str = ""

    def cite(self) -> str:
        where = f"p. {self.page}" if self.page else (f"line {self.line}" if self.line else "")
        parts = [self.file, where, self.section]
        return ", ".join(p for p in parts if p)


@dataclass
class Fact(Generic[T]):
    """A scalar claim with its provenance."""

    value: T
    provenance: Provenance | None = None


@dataclass
class TransferCapability:
    """One (SOP class, role) an AE supports, with the transfer syntaxes stated for it."""

    sop_class_uid: str
    role: Role
    transfer_syntaxes: list[str] = field(default_factory=list)
    direction: Direction = Direction.UNSPECIFIED
    support: Support = Support.YES
    name: str = ""  # the SOP class name as written in the statement
    provenance: list[Provenance] = field(default_factory=list)


@dataclass
class Wildcard:
    """A claim for every SOP class of a service class in a role, not for a listed one.

    "Will accept any incoming C-STORE request", "accepts all Storage SOP Classes", an
    "Unknown IOD Storage" row: a statement may say this beside (or instead of) a per-class
    list. The matcher treats a storage SCP wildcard as accepting any storage SOP class, on the
    general statement quoted in ``provenance``; ``transfer_syntaxes`` are those stated for it
    (empty: not stated, the default is assumed).
    """

    service_class: ServiceClass
    role: Role
    transfer_syntaxes: list[str] = field(default_factory=list)
    provenance: list[Provenance] = field(default_factory=list)


@dataclass
class ApplicationEntity:
    """A network AE as the statement describes it (Annex H dicomNetworkAE)."""

    name: str  # the statement's name for the AE, e.g. "STORAGE-SCU"
    ae_title: Fact[str] | None = None
    port: Fact[int] | None = None
    capabilities: list[TransferCapability] = field(default_factory=list)
    max_associations_initiated: Fact[int | str] | None = None
    max_associations_accepted: Fact[int | str] | None = None


@dataclass
class UnresolvedName:
    """A SOP class or transfer-syntax name (or UID) that no dictionary entry matched."""

    text: str
    kind: str  # "sop_class" | "transfer_syntax" | "uid"
    provenance: Provenance | None = None


@dataclass
class Statement:
    """Everything one conformance statement claims about one product."""

    source: str  # file name (no directory: reports must not leak local paths)
    sha256: str = ""
    pages: int | None = None
    vendor: Fact[str] | None = None
    product: Fact[str] | None = None
    version: Fact[str] | None = None
    aes: list[ApplicationEntity] = field(default_factory=list)
    implementation_class_uid: Fact[str] | None = None
    implementation_version_name: Fact[str] | None = None
    max_associations_initiated: Fact[int | str] | None = None
    max_associations_accepted: Fact[int | str] | None = None
    max_pdu_receive: Fact[int] | None = None
    character_sets: list[Fact[str]] = field(default_factory=list)
    tls: Fact[bool] | None = None
    ipv6: Fact[bool] | None = None
    ports: list[Fact[int]] = field(default_factory=list)
    special_requirements: list[Fact[str]] = field(default_factory=list)
    unresolved: list[UnresolvedName] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    wildcards: list[Wildcard] = field(default_factory=list)  # "accepts any storage SOP class"

    # -- views -------------------------------------------------------------------------
    def capabilities(self) -> list[TransferCapability]:
        return [cap for ae in self.aes for cap in ae.capabilities]

    def services(self) -> dict[tuple[str, Role], TransferCapability]:
        """Capabilities merged per (SOP class UID, role) across AEs and tables."""
        merged: dict[tuple[str, Role], TransferCapability] = {}
        for cap in self.capabilities():
            key = (cap.sop_class_uid, cap.role)
            have = merged.get(key)
            if have is None:
                merged[key] = TransferCapability(
                    cap.sop_class_uid,
                    cap.role,
                    list(cap.transfer_syntaxes),
                    cap.direction,
                    cap.support,
                    cap.name,
                    list(cap.provenance),
                )
                continue
            for ts in cap.transfer_syntaxes:
                if ts not in have.transfer_syntaxes:
                    have.transfer_syntaxes.append(ts)
            if cap.support is Support.OPTION:
                # a licence or configuration option stated anywhere stays an option: an overview
                # "Yes" beside a detail table's "Option" does not make it free
                have.support = Support.OPTION
            if have.direction is Direction.UNSPECIFIED:
                have.direction = cap.direction
            have.provenance.extend(p for p in cap.provenance if p not in have.provenance)
        return merged

    def supports(self, sop_class_uid: str, role: Role) -> TransferCapability | None:
        return self.services().get((sop_class_uid, role))

    def wildcard(self, service_class: ServiceClass, role: Role) -> Wildcard | None:
        """The statement's claim for every SOP class of ``service_class`` in ``role``, if any."""
        for w in self.wildcards:
            if w.service_class is service_class and w.role is role:
                return w
        return None

    def empty(self) -> bool:
        """Nothing to match: no SOP class and no claim for a whole service class."""
        return not self.capabilities() and not self.wildcards

    def label(self) -> str:
        name = self.product.value if self.product else self.source
        return f"{name} {self.version.value}" if self.version else name

    # -- serialization -----------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Statement:
        return _statement_from_dict(data)


def _prov(d: dict[str, Any] | None) -> Provenance | None:
    return Provenance(**d) if d else None


def _fact(d: dict[str, Any] | None) -> Fact[Any] | None:
    return Fact(d["value"], _prov(d.get("provenance"))) if d else None


def _cap(d: dict[str, Any]) -> TransferCapability:
    return TransferCapability(
        sop_class_uid=d["sop_class_uid"],
        role=Role(d["role"]),
        transfer_syntaxes=list(d["transfer_syntaxes"]),
        direction=Direction(d["direction"]),
        support=Support(d["support"]),
        name=d.get("name", ""),
        provenance=[Provenance(**p) for p in d.get("provenance", [])],
    )


def _wildcard(d: dict[str, Any]) -> Wildcard:
    return Wildcard(
        service_class=ServiceClass(d["service_class"]),
        role=Role(d["role"]),
        transfer_syntaxes=list(d.get("transfer_syntaxes", [])),
        provenance=[Provenance(**p) for p in d.get("provenance", [])],
    )


def _statement_from_dict(d: dict[str, Any]) -> Statement:
    scalar = {
        k: _fact(d.get(k))
        for k in (
            "vendor",
            "product",
            "version",
            "implementation_class_uid",
            "implementation_version_name",
            "max_associations_initiated",
            "max_associations_accepted",
            "max_pdu_receive",
            "tls",
            "ipv6",
        )
    }
    aes = [
        ApplicationEntity(
            name=a["name"],
            ae_title=_fact(a.get("ae_title")),
            port=_fact(a.get("port")),
            capabilities=[_cap(c) for c in a.get("capabilities", [])],
            max_associations_initiated=_fact(a.get("max_associations_initiated")),
            max_associations_accepted=_fact(a.get("max_associations_accepted")),
        )
        for a in d.get("aes", [])
    ]
    return Statement(
        source=d["source"],
        sha256=d.get("sha256", ""),
        pages=d.get("pages"),
        aes=aes,
        character_sets=[_fact(f) for f in d.get("character_sets", [])],  # type: ignore[misc]
        ports=[_fact(f) for f in d.get("ports", [])],  # type: ignore[misc]
        special_requirements=[_fact(f) for f in d.get("special_requirements", [])],  # type: ignore[misc]
        unresolved=[
            UnresolvedName(u["text"], u["kind"], _prov(u.get("provenance"))) for u in d.get("unresolved", [])
        ],
        warnings=list(d.get("warnings", [])),
        wildcards=[_wildcard(w) for w in d.get("wildcards", [])],
        **scalar,
    )
