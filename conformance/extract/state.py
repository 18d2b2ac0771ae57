"""The reading state: everything the reader knows about a document read so far.

One :class:`ReadingState` is made per document. The walk (:mod:`.walk`) fills it block by
block; the passes after it (:data:`conformance.extract.PASSES`) read and complete it. Every
part of the reader is a plain function of this state, so what a rule may use is what is
written here: a newcomer (or a type checker) follows the data rather than calls through
``self``.

Two kinds of fields: the *cursor* of the walk (the section stack, the last lines read, a
labelled record being collected), which only the walk uses, and the *findings* that the
passes complete (capability records, transfer-syntax lists, references to resolve, scalar
candidates), since references can only be expanded once the whole document is known.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from conformance import uids
from conformance.document import Document, Line
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
class Section:
    """One heading's scope: what it says about AE, direction and roles, for its subsections too."""

    sid: int
    level: int
    heading: str
    number: str = ""
    ae: str | None = None
    direction: Direction | None = None
    roles: tuple[Role, ...] | None = None
    parent: Section | None = None
    mentions_ts: bool = False
    # what kind of text the heading opens when it is not the statement proper: "contents", "glossary",
    # "history", "references", "media" (see context.section_kind); "" for the statement itself
    kind: str = ""
    page: int | None = None
    line: int | None = None

    def chain(self) -> list[Section]:
        """This section and its ancestors, innermost first."""
        out: list[Section] = []
        node: Section | None = self
        while node is not None:
            out.append(node)
            node = node.parent
        return out

    # what a heading says holds for its subsections: the innermost section that says it wins
    def scope_ae(self) -> str | None:
        return next((node.ae for node in self.chain() if node.ae), None)

    def scope_direction(self) -> Direction | None:
        return next((node.direction for node in self.chain() if node.direction), None)

    def scope_roles(self) -> tuple[Role, ...] | None:
        return next((node.roles for node in self.chain() if node.roles), None)

    def scope_kind(self) -> str:
        return next((node.kind for node in self.chain() if node.kind), "")


@dataclass
class Record:
    """A capability plus where it came from, so that references can find it again."""

    cap: TransferCapability
    ae: str
    section: Section
    table: int | None  # index of the table it came from
    group: str = ""  # group label row above it ("Image Storage SOP Classes")
    ts_pending: bool = False  # its transfer syntaxes come from a reference resolved later
    from_marks: bool = False  # read from an SCU/SCP Yes/No table (PS3.2 "SOP Classes" table)


@dataclass
class TsList:
    """Transfer syntaxes listed without a SOP class: a table, a run of lines, or a reference."""

    syntaxes: list[str]
    section: Section
    ids: set[str]
    explicit: bool = True  # presented as a transfer-syntax list (not a UID met in passing)
    hint: str = ""  # the list's own caption and column headers ("Proposed transfer syntaxes")
    referenced: bool = False  # cited by name elsewhere ("see ImageTS"): it applies where cited only
    # cited for a group of classes ("all Storage SOP classes ... with the transfer syntaxes of Table 4-5"):
    # it is theirs, not every class of the section's
    group_cited: bool = False
    table: int | None = None  # index of the table it was read from
    used: bool = False  # a pass gave it to some capability (applied, or cited by a reference)
    prov: Provenance | None = None  # where it starts


@dataclass
class SopRef:
    """'Image Storage SOP Classes in SOPClasses', 'all SOP classes listed in Table 4'."""

    text: str
    roles: list[tuple[Role, Support]]
    syntaxes: list[str]
    ts_ref: str
    ae: str
    section: Section
    direction: Direction
    prov: Provenance
    table: int | None = None  # index of the table whose row it is
    resolved: bool = False  # the references pass found the classes it cites
    # how many records and roleless records were read before it: "the SOP classes listed above"
    before: tuple[int, int] = (0, 0)
    # "... except those listed in Table Y": classes of Y get only ``except_first`` syntaxes (None: none)
    except_text: str = ""
    except_first: int | None = None


@dataclass
class ServiceMention:
    """'acts as SCP for the Verification and Storage service classes': services named in prose.

    A summary: it counts where the tables do not state the service already. "Storage" stands for
    the storage SOP classes the statement lists elsewhere without a role (``uid`` is ""), which
    are known only once the whole document is read.
    """

    uid: str
    name: str
    roles: tuple[Role, ...]
    ae: str
    direction: Direction
    section: Section
    prov: Provenance


@dataclass
class PrivateLine:
    """'<private UID> <Name>' under "presentation contexts have been added": roles come later."""

    uid: str
    name: str
    ae: str
    direction: Direction
    section: Section
    prov: Provenance


@dataclass
class Assoc:
    """One statement of an association limit; the scalars pass picks the strongest."""

    ae: str | None
    direction: Direction | None
    value: int | str
    prov: Provenance
    weak: bool = False  # from a configuration-parameters table (defaults restated)
    stated: bool = False  # the row or sentence itself names the direction (not only its caption)


@dataclass
class TableSeen:
    """A table as the walk read it, for the coverage account."""

    index: int
    caption: str
    page: int | None
    line: int | None
    rows: int
    header_rows: list[int]  # rows read as column headers (the top ones and any repeated mid-table)
    scalars: int = 0  # scalar statements its rows gave


@dataclass
class PendingRecord:
    """'SOP Class UID: ... / Role: SCU / Transfer Syntaxes: ...' lines of one class, being collected."""

    fields: dict[str, list[str]] = field(default_factory=dict)  # "name" | "uid" | "role" | "ts" -> values
    prov: Provenance | None = None
    lines: list[Line] = field(default_factory=list)


@dataclass
class ReadingState:
    """What the reader knows about one document: the walk's cursor and the findings so far."""

    doc: Document
    statement: Statement

    # -- the walk's cursor ------------------------------------------------------------------
    root: Section = field(default_factory=lambda: Section(0, 0, ""))
    section: Section = field(init=False)  # the innermost open heading
    prev_lines: list[str] = field(default_factory=list)  # the last lines read (captions, intros)
    line_ts: TsList | None = None  # a run of lines listing transfer syntaxes
    table_label: str = ""  # "Table 4-2" on a line of its own: the id of the next table
    prose: dict[int, list[str]] = field(default_factory=dict)  # section id -> its sentences
    pending: PendingRecord = field(default_factory=PendingRecord)
    # the line that introduces a bullet list ("It accepts associations for:"), with its section's id
    list_intro: tuple[int, str] = (-1, "")

    # -- findings ---------------------------------------------------------------------------
    aes: dict[str, ApplicationEntity] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    ts_lists: list[TsList] = field(default_factory=list)
    table_ids: dict[int, set[str]] = field(default_factory=dict)  # table index -> ids
    table_titles: dict[int, str] = field(default_factory=dict)  # table index -> caption and "Table N" line
    sop_refs: list[SopRef] = field(default_factory=list)
    ts_refs: list[tuple[Record, str]] = field(default_factory=list)
    # SOP classes a table lists with no role anywhere ("Table 4-3: Storage SOP Classes"): they count
    # only once a sentence gives them one ("all Storage SOP classes listed in Table 4-3 are accepted")
    roleless: list[Record] = field(default_factory=list)
    assoc: list[Assoc] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    pdu: list[tuple[int, int, Provenance]] = field(default_factory=list)  # (rank, value, prov)
    sides: dict[str, Direction] = field(default_factory=dict)  # AEs that only accept / only initiate
    # transfer-syntax abbreviations the statement defines ("J2K | JPEG 2000 (Lossless Only) | 1.2...4.90"):
    # they win over the general alias table, since vendors do not agree on what "J2K" means
    ts_abbrev: dict[str, str] = field(default_factory=dict)
    private_lines: list[PrivateLine] = field(default_factory=list)
    service_mentions: list[ServiceMention] = field(default_factory=list)
    ipv4_stated: Provenance | None = None  # "The Application supports IPv4."
    ipv6_seen: bool = False  # IPv6 named anywhere outside a table of contents

    # -- what was read, for the coverage account ----------------------------------------------
    block_sections: list[Section] = field(default_factory=list)  # the section in force at each block
    tables: list[TableSeen] = field(default_factory=list)  # the tables read, in order
    # SOP classes a row or sentence names as not supported ("CT Image Storage | No | No")
    declined: list[tuple[str, Provenance]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.section = self.root
        self.sections.append(self.root)

    def prov(self, page: int | None, line: int | None, section: str, text: str) -> Provenance:
        return Provenance(self.statement.source, page, line, section[:120], " ".join(text.split())[:300])

    def add(
        self,
        section: Section,
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
    ) -> Record:
        """Record one capability of an AE (created on first use)."""
        entity = self.aes.setdefault(ae, ApplicationEntity(ae))
        cap = TransferCapability(
            sop_uid, role, list(syntaxes), direction, support, name.strip()[:200], [prov]
        )
        entity.capabilities.append(cap)
        record = Record(cap, ae, section, table, group)
        self.records.append(record)
        return record

    def cite_classes(
        self,
        text: str,
        exception: str,
        except_first: int | None,
        roles: list[tuple[Role, Support]],
        syntaxes: list[str],
        ts_ref: str,
        ae: str,
        direction: Direction,
        prov: Provenance,
    ) -> SopRef:
        """Record a reference to SOP classes stated elsewhere ("all SOP classes of Table 4"), resolved
        once the whole document is read; it remembers what was read before it ("listed above")."""
        ref = SopRef(
            text,
            roles,
            syntaxes,
            ts_ref,
            ae,
            self.section,
            direction,
            prov,
            before=(len(self.records), len(self.roleless)),
            except_text=exception,
            except_first=except_first,
        )
        self.sop_refs.append(ref)
        return ref

    def unresolved(self, text: str, kind: str, prov: Provenance) -> None:
        """A name the reader could not resolve, once per (text, kind); text that is no name at all
        (a column header, a sentence, an audit-message field) is not reported as one."""
        if not _could_be_name(text, kind):
            return
        if not any(u.text == text and u.kind == kind for u in self.statement.unresolved):
            self.statement.unresolved.append(UnresolvedName(text, kind, prov))


# words of column headers ("SOP Class Name", "Dienst", "Attribute Name"), never a class's name
_HEADER_WORD = re.compile(
    r"sop|class(?:es)?|name|uid|abstract|syntax|syntaxes|attribute|field|service|services|information"
    r"|model|description|value|role|transfer|type|keyword|tag|iod|module|list|dienst|rolle|klasse|servi[çc]o"
    r"|servicio|papel|nome|nombre|classe|clase|comment|remarks?|notes?|status|usage|wann|when|default",
    re.I,
)
# what transfer-syntax names are made of: a name without any of these is something else
_TS_WORD = re.compile(
    r"endian|jpeg|jpip|jp2|j2k|rle|deflat|mpeg|hevc|h\.?26[45]|lossless|lossy|explicit|implicit|little"
    r"|big|compress|syntax|\bts\b|baseline|\bjls\b|htj2k|zip|\bavc\b|video|ljpeg",
    re.I,
)


def _could_be_name(text: str, kind: str) -> bool:
    """Whether unresolved text looks like a SOP class or transfer-syntax name at all."""
    t = " ".join(text.split())
    words = t.split()
    if not words or len(words) > 12 or t.endswith((".", ":")) or t.startswith(("..", "s. ")):
        return False  # a sentence, an RST target, "s. SCUImageTS"
    if kind == "uid" or uids.find_uids(t):
        return True
    if all(_HEADER_WORD.fullmatch(w.strip("()[]/:-")) for w in words if w.strip("()[]/:-")):
        return False  # a column header
    if kind == "sop_class":
        if len(words) == 1 and not re.search(r"storage|model|sopclass", t, re.I):
            return False  # "ParticipantObjectID", "Accession": a field, not a class
        if re.search(r"-RS\b|\bWADO|\bQIDO|\bSTOW|\bHTTP|\bREST\b", t):
            return False  # DICOMweb services are no SOP classes
        if re.match(r"^(?:all|any|every|alle|todas?|todos|tous|toutes)\b", t, re.I):
            return False  # "All Storage SOP Classes": a group, read as a reference where it can be
    if (
        re.search(r":\s|=", t)
        or len(re.findall(r"\b(?:to|by|the|at|on|after|before|set|supported|is|are|be|if)\b", t)) >= 2
    ):
        return False  # "Restricted to transfer syntaxes supported by the hosting DCM"
    if re.fullmatch(
        r"(?:storage|query/retrieve|query|retrieve|print|worklist)", re.sub(r"\s*\([^)]*\)", "", t), re.I
    ):
        return False  # "Storage (SCP/SCU)": a service, no one class
    return not (kind == "transfer_syntax" and not _TS_WORD.search(t))  # "Keyword (pynetdicom)"
