"""What the reader accumulates while it walks a document.

Sections, capability records, transfer-syntax lists and unresolved references live
here so that tables, prose and reference resolution share one model of the
document read so far; references can only be expanded once the whole of it is known.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from conformance.document import Document
from conformance.model import (
    ApplicationEntity,
    Direction,
    Provenance,
    Role,
    Statement,
    Support,
    TransferCapability,
    UnresolvedName,
)

LOGGER = logging.getLogger(__name__)

DEFAULT_AE = "(product)"


@dataclass(eq=False)  # sections compare by identity: two "General" headings are different scopes
class _Section:
    """One heading's scope: what it says about AE, direction and roles."""

    sid: int
    level: int
    heading: str
    number: str = ""
    ae: str | None = None
    direction: Direction | None = None
    roles: tuple[Role, ...] | None = None
    parent: _Section | None = None
    mentions_ts: bool = False

    def chain(self) -> list[_Section]:
        out, node = [], self
        while node is not None:
            out.append(node)
            node = node.parent
        return out

    def lookup(self, attr: str):
        for node in self.chain():
            value = getattr(node, attr)
            if value:
                return value
        return None


@dataclass
class _Record:
    """A capability plus where it came from, so that references can find it again."""

    cap: TransferCapability
    ae: str
    section: _Section
    table: int | None  # index of the table it came from
    group: str = ""  # group label row above it ("Image Storage SOP Classes")
    ts_pending: bool = False  # its transfer syntaxes come from a reference resolved later
    from_marks: bool = False  # read from an SCU/SCP Yes/No table (PS3.2 "SOP Classes" table)


@dataclass
class _TsList:
    syntaxes: list[str]
    section: _Section
    ids: set[str]
    explicit: bool = True  # presented as a transfer-syntax list (not a UID met in passing)
    hint: str = ""  # the list's own caption and column headers ("Proposed transfer syntaxes")
    referenced: bool = False  # cited by name elsewhere ("see ImageTS"): it applies where cited only
    # cited for a group of classes ("all Storage SOP classes ... with the transfer syntaxes of Table 4-5"):
    # it is theirs, not every class of the section's
    group_cited: bool = False


@dataclass
class _SopRef:
    """'Image Storage SOP Classes in SOPClasses', 'all SOP classes listed in Table 4'."""

    text: str
    roles: list[tuple[Role, Support]]
    syntaxes: list[str]
    ts_ref: str
    ae: str
    section: _Section
    direction: Direction
    prov: Provenance


@dataclass
class _Assoc:
    ae: str | None
    direction: Direction | None
    value: int | str
    prov: Provenance
    weak: bool = False  # from a configuration-parameters table (defaults restated)
    stated: bool = False  # the row or sentence itself names the direction (not only its caption)


@dataclass
class _Builder:
    doc: Document
    statement: Statement
    aes: dict[str, ApplicationEntity] = field(default_factory=dict)
    records: list[_Record] = field(default_factory=list)
    ts_lists: list[_TsList] = field(default_factory=list)
    table_ids: dict[int, set[str]] = field(default_factory=dict)  # table index -> ids
    sop_refs: list[_SopRef] = field(default_factory=list)
    ts_refs: list[tuple[_Record, str]] = field(default_factory=list)
    # SOP classes a table lists with no role anywhere ("Table 4-3: Storage SOP Classes"): they count
    # only once a sentence gives them one ("all Storage SOP classes listed in Table 4-3 are accepted")
    roleless: list[_Record] = field(default_factory=list)
    assoc: list[_Assoc] = field(default_factory=list)
    sections: list[_Section] = field(default_factory=list)
    pdu: list[tuple[int, int, Provenance]] = field(default_factory=list)  # (rank, value, prov)
    sides: dict[str, Direction] = field(default_factory=dict)  # AEs that only accept / only initiate
    # transfer-syntax abbreviations the statement defines ("J2K | JPEG 2000 (Lossless Only) | 1.2...4.90"):
    # they win over the general alias table, since vendors do not agree on what "J2K" means
    ts_abbrev: dict[str, str] = field(default_factory=dict)
    # "<private UID> <Name>" lines under "presentation contexts have been added": roles come later
    private_lines: list[tuple[str, str, str, Direction, _Section, Provenance]] = field(default_factory=list)

    def prov(self, page: int | None, line: int | None, section: str, text: str) -> Provenance:
        return Provenance(self.statement.source, page, line, section[:120], " ".join(text.split())[:300])

    def add(
        self,
        section: _Section,
        ae: str,
        direction: Direction,
        sop_uid: str,
        role: Role,
        name: str,
        syntaxes: list[str],
        prov: Provenance,
        support: Support = Support.YES,
        table: int | None = None,
        group: str = "",
    ) -> _Record:
        entity = self.aes.setdefault(ae, ApplicationEntity(ae))
        cap = TransferCapability(
            sop_uid, role, list(syntaxes), direction, support, name.strip()[:200], [prov]
        )
        entity.capabilities.append(cap)
        record = _Record(cap, ae, section, table, group)
        self.records.append(record)
        return record

    def unresolved(self, text: str, kind: str, prov: Provenance) -> None:
        if not any(u.text == text and u.kind == kind for u in self.statement.unresolved):
            self.statement.unresolved.append(UnresolvedName(text, kind, prov))
