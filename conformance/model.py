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
    # limits towards one peer ("at most 3 associations from a given SCU", "10 per IP address"):
    # compared with each initiator's own load, never with the sum over initiators
    max_associations_initiated_per_peer: Fact[int] | None = None
    max_associations_accepted_per_peer: Fact[int] | None = None


@dataclass
class UnresolvedName:
    """A SOP class or transfer-syntax name (or UID) that no dictionary entry matched."""

    text: str
    kind: str  # "sop_class" | "transfer_syntax" | "uid"
    provenance: Provenance | None = None


@dataclass
class Correction:
    """A site's change to what a statement says (``conformance-corrections/1``).

    Kept on the corrected Statement so that the report lists it, and so that a finding about
    a service the site removed still cites the correction (file, entry, reason) instead of
    calling the statement silent.
    """

    action: str  # "add" | "remove" | "set"
    summary: str  # what it changed, in words
    reason: str
    provenance: Provenance  # the corrections file, the entry's line; the text has the reason
    sop_class_uid: str = ""
    role: Role | None = None
    transfer_syntaxes: list[str] = field(default_factory=list)
    changed: bool = True  # False: it changed nothing (a warning says so)


@dataclass
class Sighting:
    """A SOP class or transfer syntax the statement names or writes: where first, and in how many places."""

    uid: str
    name: str = ""  # the dictionary name (the text may spell it otherwise: ``first`` quotes it)
    places: int = 0
    first: Provenance | None = None


@dataclass
class TableUse:
    """One table the reader looked at and what it took from it."""

    index: int  # 0-based, in reading order
    caption: str = ""
    page: int | None = None
    line: int | None = None
    rows: int = 0
    capabilities: int = 0  # capabilities read from its rows
    transfer_syntaxes: int = 0  # syntaxes it lists for SOP classes given elsewhere
    references: int = 0  # rows that cite other SOP classes ("all classes of Table 5")
    scalars: int = 0  # scalar statements read from its rows (PDU size, limits, AE titles ...)
    mentions: int = 0  # SOP classes / transfer syntaxes its body names or writes
    used: bool = False
    note: str = ""  # why it gave nothing although it names some ("transfer-syntax list given to no service")


@dataclass
class SectionUse:
    """One section (heading) the reader looked at and what it took from it."""

    heading: str
    page: int | None = None
    line: int | None = None
    level: int = 0
    kind: str = ""  # "contents" | "glossary" | "history" | "references" | "media" | "" (read as statement)
    lines: int = 0  # lines of text read in it
    capabilities: int = 0
    mentions: int = 0  # SOP classes / transfer syntaxes it names or writes (counted places)


@dataclass
class Coverage:
    """What the reader saw and did not use: the signal that shows a miss without a hand-checked label.

    A SOP class or transfer syntax counts as *seen* where the text writes its UID or its full name,
    except in tables of contents, glossaries, revision histories, reference lists, media sections,
    column headers and attribute rows (``passing_mentions`` counts those); it is *unattached* when
    no capability carries it. ``declined_sop_classes`` are the ones a row or sentence states as not
    supported ("No | No").
    """

    unattached_sop_classes: list[Sighting] = field(default_factory=list)
    unattached_transfer_syntaxes: list[Sighting] = field(default_factory=list)
    declined_sop_classes: list[Sighting] = field(default_factory=list)
    services: int = 0
    services_without_transfer_syntaxes: int = 0
    passing_mentions: int = 0
    tables: list[TableUse] = field(default_factory=list)
    sections: list[SectionUse] = field(default_factory=list)


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
    max_associations_initiated_per_peer: Fact[int] | None = None  # see ApplicationEntity
    max_associations_accepted_per_peer: Fact[int] | None = None
    max_pdu_receive: Fact[int] | None = None
    character_sets: list[Fact[str]] = field(default_factory=list)
    tls: Fact[bool] | None = None
    ipv6: Fact[bool] | None = None
    ports: list[Fact[int]] = field(default_factory=list)
    special_requirements: list[Fact[str]] = field(default_factory=list)
    unresolved: list[UnresolvedName] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)  # applied by the site, in file order
    coverage: Coverage = field(default_factory=Coverage)  # what was seen and not used (extract fills it)
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

    def association_limit(self, accepted: bool) -> Fact[int | str] | None:
        """Product-wide association limit, else the sum over AEs ("unlimited" wins).

        One rule for the matcher's association budget and the facts export, kept on the
        model so that exporting facts needs no matcher (and none of its imports).
        """
        fact = self.max_associations_accepted if accepted else self.max_associations_initiated
        if fact is not None:
            return fact
        per_ae = [
            f
            for ae in self.aes
            if (f := ae.max_associations_accepted if accepted else ae.max_associations_initiated) is not None
        ]
        if not per_ae:
            return None
        for f in per_ae:
            if not isinstance(f.value, int):
                return f
        return Fact(sum(int(f.value) for f in per_ae), per_ae[0].provenance)

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
        data = dataclasses.asdict(self)
        if not self.corrections:  # a parsed statement's model JSON stays as it was
            del data["corrections"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Statement:
        return _statement_from_dict(data)


def _prov(d: dict[str, Any] | None) -> Provenance | None:
    return Provenance(**d) if d else None


def _fact(d: dict[str, Any] | None) -> Fact[Any] | None:
    return Fact(d["value"], _prov(d.get("provenance"))) if d else None


def _facts(items: list[dict[str, Any]]) -> list[Fact[Any]]:
    return [Fact(d["value"], _prov(d.get("provenance"))) for d in items]


def _sighting(d: dict[str, Any]) -> Sighting:
    return Sighting(d["uid"], d.get("name", ""), d.get("places", 0), _prov(d.get("first")))


def _coverage(d: dict[str, Any] | None) -> Coverage:
    if not d:
        return Coverage()
    return Coverage(
        unattached_sop_classes=[_sighting(x) for x in d.get("unattached_sop_classes", [])],
        unattached_transfer_syntaxes=[_sighting(x) for x in d.get("unattached_transfer_syntaxes", [])],
        declined_sop_classes=[_sighting(x) for x in d.get("declined_sop_classes", [])],
        services=d.get("services", 0),
        services_without_transfer_syntaxes=d.get("services_without_transfer_syntaxes", 0),
        passing_mentions=d.get("passing_mentions", 0),
        tables=[TableUse(**t) for t in d.get("tables", [])],
        sections=[SectionUse(**x) for x in d.get("sections", [])],
    )


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


def _correction(d: dict[str, Any]) -> Correction:
    return Correction(
        action=d["action"],
        summary=d["summary"],
        reason=d["reason"],
        provenance=Provenance(**d["provenance"]),
        sop_class_uid=d.get("sop_class_uid", ""),
        role=Role(d["role"]) if d.get("role") else None,
        transfer_syntaxes=list(d.get("transfer_syntaxes", [])),
        changed=bool(d.get("changed", True)),
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
            "max_associations_initiated_per_peer",
            "max_associations_accepted_per_peer",
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
            max_associations_initiated_per_peer=_fact(a.get("max_associations_initiated_per_peer")),
            max_associations_accepted_per_peer=_fact(a.get("max_associations_accepted_per_peer")),
        )
        for a in d.get("aes", [])
    ]
    return Statement(
        source=d["source"],
        sha256=d.get("sha256", ""),
        pages=d.get("pages"),
        aes=aes,
        character_sets=_facts(d.get("character_sets", [])),
        ports=_facts(d.get("ports", [])),
        special_requirements=_facts(d.get("special_requirements", [])),
        unresolved=[
            UnresolvedName(u["text"], u["kind"], _prov(u.get("provenance"))) for u in d.get("unresolved", [])
        ],
        warnings=list(d.get("warnings", [])),
        corrections=[_correction(c) for c in d.get("corrections", [])],
        coverage=_coverage(d.get("coverage")),
        wildcards=[_wildcard(w) for w in d.get("wildcards", [])],
        **scalar,
    )
