"""Read DICOM meaning out of a :class:`~conformance.document.Document`.

Works the way an expert reads a statement:

- headings nest into sections; what a section says (which AE, accepted or proposed
  contexts, "as an SCP") holds for its subsections until a sibling heading;
- tables are read row by row from their content (a cell holding a SOP class UID, cells
  holding transfer-syntax UIDs, a Role cell, Yes/No columns under SCU/SCP headers), so
  that tables with repeated, missing or two-level headers read the same way;
- a table (or a run of lines) that only lists transfer syntaxes applies to the SOP
  classes its section introduced; "all transfer syntaxes of Table 11", "see X",
  "all Storage SOP classes of Table Y" and "the SOP classes listed in the ... section"
  are expanded once the whole document is read;
- scalars (association limits, PDU size, implementation identity, character sets,
  TLS, IPv6) come from labelled rows and sentences, per AE when an AE section says so.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from conformance import uids
from conformance.document import Document, Line, Table
from conformance.model import (
    UNLIMITED,
    ApplicationEntity,
    Direction,
    Fact,
    Provenance,
    Role,
    Statement,
    Support,
    TransferCapability,
    UnresolvedName,
)

LOGGER = logging.getLogger(__name__)

DEFAULT_AE = "(product)"

_YES = re.compile(
    r"^\s*(?:\*\*)?(?:yes|y|x|✓|✔|√|☑|○|◯|●|◎|supported|true|•|\+|ja|oui|sí|si|sim)(?:\*\*)?\s*[\*¹²³]?\s*(?:\(.*\))?\s*$",
    re.I,
)
_OPTION = re.compile(r"\b(?:option(?:al)?|configurable|licen[cs]ed?)\b", re.I)
_ROLE_WORD = re.compile(r"\b(SCU|SCP)\b")
_BOTH = re.compile(r"\bboth\b|\bSCU\s*(?:/|and|&|,|\+|or)\s*SCP\b|\bSCP\s*(?:/|and|&|,|\+|or)\s*SCU\b", re.I)
_ROLE_CELL = re.compile(
    r"^\s*(?:SCU|SCP|both|SCU\s*(?:/|and|&|,|\+)\s*SCP|SCP\s*(?:/|and|&|,|\+)\s*SCU)\s*$", re.I
)
# English first; a few words of the languages statements also come in (de, fr, es, it, pt, nl)
_ACCEPT = re.compile(
    r"accept(?:ance|ed|or|s)?\b|acceptor|\breceiv|requested by (?:peer|remote|external)|incoming"
    r"|akzeptiert|angenommen|accept[ée]s?\b|aceptad|accettat|aceit|geaccepteerd",
    re.I,
)
_INITIATE = re.compile(
    r"initiat|propos|\brequestor\b|outgoing|originat|vorgeschlagen|initiier|propuest|propost|voorgesteld",
    re.I,
)
_NEGATION = re.compile(r"\b(?:not|no|never|cannot|neither|nor|without|unsupported)\b|n/a", re.I)
_TABLE_ID = re.compile(r"\btable\s*:?\s*((?:[A-Z]\.?)?\d+(?:[.\-–]\d+)*[a-z]?)\b", re.I)
_SECTION_ID = re.compile(r"\b(?:section|chapter|clause|§)\s*([A-Z]?\d+(?:\.\d+)*)", re.I)
_ROLE_HINT = re.compile(r"SCU|SCP|provider|user|role|accept|propos", re.I)
_TAG = re.compile(r"\(\s*[0-9A-Fa-f]{4}\s*,\s*[0-9A-Fa-f]{4}\s*\)")
_HEADING_NUMBER = re.compile(r"^\s*((?:\d+|[A-Z])(?:\.\d+)*)\.?\s+\S")
_AE_WORDS_STOP = {
    "of", "the", "for", "by", "and", "a", "an", "to", "each", "all", "definition", "definitions",
    "functional", "specification", "specifications", "dicom", "remote", "peer", "this", "per", "local",
    "default", "other", "external", "destination", "calling", "called", "aes", "ae", "application",
}  # fmt: skip


# ------------------------------------------------------------------ sections
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


def roles_in(text: str) -> tuple[Role, ...]:
    """Roles a heading, cell or sentence talks about ("as an SCP", "SCU/SCP", "Provider")."""
    if _BOTH.search(text) and re.search(r"SCU|SCP|both", text, re.I):
        return (Role.SCU, Role.SCP)
    found = {Role(m) for m in _ROLE_WORD.findall(text)}
    if not found:
        low = text.lower()
        if re.search(r"\bprovider\b", low):
            found.add(Role.SCP)
        if re.search(r"\buser of (?:the )?service\b|service class user\b", low):
            found.add(Role.SCU)
    return tuple(sorted(found))


def _ae_name(text: str) -> str | None:
    """The AE a heading or caption is about: 'STORAGE-SCU AE', 'Storage Application Entity'."""
    m = re.search(r"^(.*?)\s*\b(?:AE|Application\s+Entity)\b(?!\s+Titles?)", text)
    if not m:
        return None
    # the heading number goes even when nothing follows it ("4.2 AE Specifications")
    words = re.sub(r"^\s*(?:\d+|[A-Z])(?:\.\d+)*\.?(?:\s+|$)", "", m.group(1)).replace("`", "").split()
    picked: list[str] = []
    for word in reversed(words):
        if not picked and word.lower().strip("():,") in {"application", "ae"}:
            continue  # "Query/Retrieve Application Application Entity"
        if word.lower().strip("():,") in _AE_WORDS_STOP or len(picked) >= 3:
            break
        picked.insert(0, word.strip("():,"))
    name = " ".join(picked).strip()
    return name or None


def _strip_ae(text: str, ae: str | None) -> str:
    return text.replace(ae, " ") if ae else text


# ------------------------------------------------------------------ tables
def _cell(row: list[str], idx: int | None) -> str:
    return row[idx].strip() if idx is not None and idx < len(row) and row[idx] else ""


def _mark(text: str) -> Support | None:
    """Yes / option / no for an SCU or SCP column cell."""
    if not text:
        return None
    if _OPTION.search(text) and not re.match(r"^\s*(?:no|not|n/a)\b", text, re.I):
        return Support.OPTION  # "Yes (optional)", "Option", "licensed": never a silent Yes
    if _YES.match(text):
        return Support.YES
    if re.match(r"^\s*yes\b", text, re.I):
        return Support.OPTION if _OPTION.search(text) else Support.YES
    return None


_HEADER_WORDS = re.compile(
    r"sop class|abstract syntax|transfer syntax|\bname\b|\buid\b|\bscu\b|\bscp\b|\brole\b|user of|provider|"
    r"\bservice\b|extended|negotiation|\bclass(?:es)?\b|\biod\b|presentation context|\buser\b|\bsupport"
    r"|syntax|\brolle\b|\br[ôo]le\b|klasse|\bclasse\b",  # de, fr: "Abstrakte Syntax", "Rolle", "Classe SOP"
    re.I,
)


@dataclass
class _Columns:
    sop: list[int] = field(default_factory=list)
    ts: list[int] = field(default_factory=list)
    scu: int | None = None
    scp: int | None = None
    role: int | None = None
    other: list[int] = field(default_factory=list)


def _is_header_row(row: list[str]) -> bool:
    cells = [c for c in row if c.strip()]
    if not cells or any(uids.find_uids(c) for c in cells):
        return False
    if any(_mark(c) for c in cells):
        return False
    distinct = set(cells)
    hits = sum(
        bool(_HEADER_WORDS.search(c))
        and len(c) <= 60
        and not re.search(r"\b(?:see|in|listed|of table)\b", c, re.I)
        and not re.fullmatch(r"[A-Z0-9]+(?:[-_][A-Z0-9]+)+", c)  # an AE name such as QUERY-RETRIEVE-SCP
        for c in distinct
    )
    if hits < max(1, (3 * len(distinct) + 3) // 4 - (1 if len(distinct) >= 4 else 0)):
        return False
    # "Transfer Syntaxes Supported | SMPTE ST 2110-20 ...": a fact, not a header
    return not any(len(c) > 12 and uids.resolve_transfer_syntax(c) for c in cells)


def _columns(headers: list[list[str]], width: int) -> _Columns:
    cols = _Columns()
    for i in range(width):
        text = " ".join(r[i] for r in headers if i < len(r) and r[i]).lower()
        text = " ".join(text.split())
        if not text:
            cols.other.append(i)
        elif "transfer" in text or re.fullmatch(r"ts(?: uid)?s?", text):
            cols.ts.append(i)
        elif re.search(r"\brole\b|\brolle\b|\brôle\b", text):
            cols.role = i
        elif re.search(r"\bscu\b|user of|\buser\b|\bsends?\b|\binitiator\b", text) and not re.search(
            r"\bscp\b|provider", text
        ):
            cols.scu = i
        elif re.search(r"\bscp\b|provider|\breceives?\b|\bacceptor\b", text) and not re.search(
            r"\bscu\b|user of", text
        ):
            cols.scp = i
        elif re.search(
            r"sop|abstra[ck]t|\bname\b|\buid\b|\bservice\b|\bclass|\biod\b|storage|modality|klasse", text
        ):
            cols.sop.append(i)
        else:
            cols.other.append(i)
    return cols


def _table_ids(table: Table, prev_lines: list[str]) -> set[str]:
    ids = {n.strip().lower() for n in table.names if n.strip()}
    texts = [table.caption, *(t for t in prev_lines[-2:] if re.match(r"^\s*table\b", t, re.I))]
    if table.rows:
        first = [c for c in table.rows[0] if c.strip()]
        if len(set(first)) == 1:
            texts.append(first[0])
    for text in texts:
        for m in _TABLE_ID.finditer(text or ""):
            ids.add("table " + m.group(1).lower().replace("–", "-"))
    return ids


def _ref_targets(text: str) -> list[str]:
    """Ids a reference names: 'table 11', 'section 5.1.2', or a bare name like 'SCPImageTS'."""
    out = ["table " + m.group(1).lower().replace("–", "-") for m in _TABLE_ID.finditer(text)]
    out += ["section " + m.group(1).lower() for m in _SECTION_ID.finditer(text)]
    m = re.search(r"\b(?:see|in|of|from)\s+(?:the\s+)?[\"“']?([A-Za-z][\w\-]*[A-Z][\w\-]*)[\"”']?", text)
    if m and not out:
        out.append(m.group(1).lower())
    m = re.search(r"[\"“]([^\"”]{3,80})[\"”]", text)
    if m:
        out.append("heading " + m.group(1).strip().lower())
    m = re.search(r"\b(?:section|table)\s+[\"“]?([A-Z][^\"”.;,()]{3,80})", text)
    if m and not _SECTION_ID.search(text) and not _TABLE_ID.search(text):
        out.append("heading " + m.group(1).strip().lower())
    return out


_TS_REF = re.compile(
    r"\b(?:all|any|see|same|as (?:listed|in)|listed in|of table|refer)\b"
    r".*?(?:transfer syntax|table|section|\bsee\b)"
    r"|\bsee\b|\btable\s+[A-Z]?\d",
    re.I,
)
_GROUP_REF = re.compile(
    r"\bclass(?:es)?\b.*\b(?:in|of|from|listed)\b|\ball\b.*\bclasses\b"
    r"|^\s*(?:see|refer to|as in|listed in)\b.*\b(?:table|section)\b",
    re.I,
)


def _syntaxes(b: _Builder, text: str, prov: Provenance) -> list[str]:
    out: list[str] = []
    for uid in uids.find_uids(text):
        if (uids.looks_like_transfer_syntax(uid) or not uids.is_standard(uid)) and uid not in out:
            out.append(uid)
    if out:
        return out
    parts = [
        p.strip(" •*")
        for p in re.split(
            r"(?i)\n|;|,(?!\s*(?:non|first|process|selection|hierarchical|lossless|lossy|\d))", text
        )
    ]
    parts = [p for p in parts if p]
    k = 0
    while k < len(parts):
        part = parts[k].strip(" -")
        k += 1
        # a name wrapped inside its cell: "... First-" / "Order Prediction", "JPEG 2000" / "(Lossless Only)"
        while k < len(parts) and (
            parts[k - 1].endswith(("-", ",", "/"))
            or parts[k][:1].islower()
            or parts[k].startswith(("(", "["))
            or (not uids.resolve_transfer_syntax(part) and uids.resolve_transfer_syntax(f"{part} {parts[k]}"))
        ):
            joiner = (
                ""
                if parts[k - 1].endswith("-") and parts[k][:1].isalpha() and parts[k][:1].isupper()
                else " "
            )
            part = (
                f"{part}{joiner}{parts[k]}".strip(" -") if joiner else f"{parts[k - 1]}{parts[k]}".strip(" -")
            )
            k += 1
        if not part or part.lower() in {"none", "n/a", "-", "all"}:
            continue
        uid = b.ts_abbrev.get(part.lower()) or uids.resolve_transfer_syntax(part)
        if not uid and "(" in part:  # "Explicit VR Little Endian (preferred)"
            uid = uids.resolve_transfer_syntax(re.sub(r"\s*\([^)]*\)", "", part))
        if uid:
            if uid not in out:
                out.append(uid)
        elif len(part) > 3 and not _TS_REF.search(part):
            b.unresolved(part, "transfer_syntax", prov)
    return out


def _sop_in(row: list[str], cols: _Columns, sop_table: bool) -> tuple[str | None, str, int | None]:
    """(SOP class UID, name as written, index of the UID cell) for one row."""
    candidates = cols.sop or [
        i for i in range(len(row)) if i not in cols.ts and i not in (cols.scu, cols.scp, cols.role)
    ]
    name = ""
    for i in candidates:
        text = _cell(row, i)
        if text and not uids.find_uids(text) and not name:
            name = text
    for i in candidates:
        for uid in uids.find_uids(_cell(row, i)):
            if uids.is_sop_class(uid):
                return uid, name or _cell(row, i), i
            if uids.looks_like_transfer_syntax(uid) or uids.uid_kind(uid):
                continue  # a transfer syntax or another known UID (application context ...)
            resolved = uids.resolve_sop_class(name) if name else None
            if resolved and uids.is_standard(uid) and uids.is_sop_class(resolved):
                return resolved, name, i  # a typo in the UID: the name beside it wins (SCHEMA rule)
            if sop_table and not re.search(r"implementation|application context|instance", name, re.I):
                return uid, name, i
            return None, name, None
    if (name and not cols.ts) or (name and cols.sop):
        clean = re.sub(r"\s*\[[^\]]*\]|\s*\((?:see|note)[^)]*\)", "", name)
        # footnote markers: "CT Image Storage*", "MR Image Storage (1)", "US Image Storage ²"
        clean = re.sub(r"(?:\s*[*†‡¹²³⁴]+|\s*\(\d\))+\s*$", "", clean)
        uid = uids.resolve_sop_class(clean)
        if uid and uids.is_sop_class(uid):
            return uid, name, None
    return None, name, None


def _row_roles(row: list[str], cols: _Columns, sop_idx: int | None) -> list[tuple[Role, Support]] | None:
    """Roles a row states itself; None when the row is silent (context decides)."""
    if cols.scu is not None or cols.scp is not None:
        roles = []
        for role, idx in ((Role.SCU, cols.scu), (Role.SCP, cols.scp)):
            mark = _mark(_cell(row, idx))
            if mark:
                roles.append((role, mark))
        return roles
    if cols.role is not None and _cell(row, cols.role):
        cell = _cell(row, cols.role)
        support = Support.OPTION if _OPTION.search(cell) else Support.YES  # "SCP (optional)"
        return [(r, support) for r in roles_in(cell)] or None
    for i, cell in enumerate(row):
        if i != sop_idx and i not in cols.ts and _ROLE_CELL.match(cell.replace("\n", " ")):
            return [(r, Support.YES) for r in roles_in(cell)]
    return None


def _group_label(row: list[str]) -> str | None:
    cells = {c.strip() for c in row if c.strip()}
    if len(cells) != 1:
        return None
    text = next(iter(cells))
    if uids.find_uids(text) or _mark(text) or len(text) > 100:
        return None
    return text.strip("*: ")


class _Reader:
    """Walks the blocks once, keeping the section stack, then resolves references."""

    def __init__(self, doc: Document, statement: Statement) -> None:
        self.b = _Builder(doc, statement)
        self.root = _Section(0, 0, "")
        self.section = self.root
        self.b.sections.append(self.root)
        self.prev_lines: list[str] = []
        self.line_ts: _TsList | None = None  # a run of lines listing transfer syntaxes
        self.table_label = ""
        self.prose: dict[int, list[str]] = {}  # section id -> its sentences
        self.record: dict[str, list[str]] = {}  # 'SOP Class UID: ...' / 'Role: SCU' lines of one class
        self.record_prov: Provenance | None = None
        self.record_lines: list[Line] = []

    # -- sections ---------------------------------------------------------------------
    def heading(self, line: Line) -> None:
        self.flush_record()
        text = line.text.strip()
        num = _HEADING_NUMBER.match(text)
        level = line.level or (num.group(1).count(".") + 1 if num else 0)
        if not level:
            level = self._depth() + 1
        parent = self.section
        while parent is not self.root and parent.level >= level:
            parent = parent.parent  # type: ignore[assignment]
        sec = _Section(len(self.b.sections), level, text, num.group(1) if num else "", parent=parent)
        ae = _ae_name(text)
        bare = re.fullmatch(r"(?:[\dA-Z](?:\.\d+)*\.?\s+)?([A-Z][A-Z0-9]*(?:[-_][A-Z0-9]+)+)", text)
        if not ae and bare:
            ae = bare.group(1)  # "STORAGE-SCU": a heading that is just an AE's name
        if ae and not re.search(r"\bAEs\b|application entities", text, re.I):
            sec.ae = ae
        body = _strip_ae(text, ae)
        if _ACCEPT.search(body):
            sec.direction = Direction.ACCEPT
        elif _INITIATE.search(body):
            sec.direction = Direction.INITIATE
        roles = roles_in(body)
        if roles:
            sec.roles = roles
        sec.mentions_ts = bool(re.search(r"transfer syntax", text, re.I))
        self.b.sections.append(sec)
        self.section = sec
        self.line_ts = None
        self.table_label = ""

    def _depth(self) -> int:
        return self.section.level

    def ctx(self) -> tuple[str, Direction, tuple[Role, ...]]:
        ae = self.section.lookup("ae") or DEFAULT_AE
        direction = self.section.lookup("direction") or Direction.UNSPECIFIED
        roles = self.section.lookup("roles") or ()
        return ae, direction, roles

    def default_roles(self) -> tuple[Role, ...]:
        _ae, direction, roles = self.ctx()
        if roles:
            return roles
        if direction is Direction.ACCEPT:
            return (Role.SCP,)
        if direction is Direction.INITIATE:
            return (Role.SCU,)
        return ()

    # -- prose -------------------------------------------------------------------------
    def line(self, line: Line) -> None:
        text = line.text
        b = self.b
        field = _RECORD_FIELD.match(text)
        if field:
            self.record_field(
                field.group(1).lower(),
                field.group(2),
                b.prov(line.page, line.line, self.section.heading, text),
            )
            self.record_lines.append(line)
            self.prev_lines.append(text)
            del self.prev_lines[:-3]
            return
        self.flush_record()
        self._plain_line(line)

    def _plain_line(self, line: Line) -> None:
        text = line.text
        b = self.b
        m = re.match(r"^\s*Table\s*:?\s*((?:[A-Z]\.?)?\d+(?:[.\-–]\d+)*)\b", text)
        if m:
            self.table_label = "table " + m.group(1).lower().replace("–", "-")
            self.line_ts = None
        self._role_hint(text)
        found = uids.find_uids(text)
        sops = [u for u in found if uids.is_sop_class(u)]
        ts = [u for u in found if uids.looks_like_transfer_syntax(u)]
        prov = b.prov(line.page, line.line, self.section.heading, text)
        intro = next((t for t in reversed(self.prev_lines[-2:]) if "transfer syntax" in t.lower()), "")
        if not found and len(text) < 160 and (intro or self.line_ts is not None or self.section.mentions_ts):
            ts = _ts_names(b, text)  # "- Explicit VR Little Endian" under "... transfer syntaxes:"
        elif sops and not ts and re.search(r"\b(?:with|using)\b", text):
            ts = _split_ts_clause(b, text, prov)[1]  # "Verification SCP (1.2...) with Implicit VR LE only"
        if ts and not sops:
            if self.line_ts is None:
                ids = {self.table_label} if self.table_label else set()
                explicit = bool(ids) or self.section.mentions_ts or bool(intro)
                self.line_ts = _TsList([], self.section, ids, explicit, hint=intro)
                b.ts_lists.append(self.line_ts)
            for uid in ts:
                if uid not in self.line_ts.syntaxes:
                    self.line_ts.syntaxes.append(uid)
        elif not ts:
            # one reference per sentence: a paragraph may cite several tables for different roles
            for sentence in re.split(r"(?<=[a-z0-9)][.;])\s+(?=[A-Z])", text):
                self._prose_refs(sentence, prov)
        if sops and not re.search(r"\b(?:not|never)\b", text) and not _TAG.search(text):
            ae, direction, _roles = self.ctx()
            roles = roles_in(_strip_ae(text, ae)) or self.default_roles()
            for uid in sops:
                for role in roles:
                    b.add(self.section, ae, direction, uid, role, text.split("|")[0], ts, prov)
        private = re.match(r"^\s*((?:\d+\.){4,}\d+)\s+([A-Za-z][\w\- ]{2,80})$", text)
        if (
            private
            and not uids.is_standard(private.group(1))
            and not uids.uid_kind(private.group(1))
            and _uid_like(private.group(1))
        ):
            context = " ".join([self.section.heading, *self.prev_lines[-3:]]).lower()
            run = (
                bool(b.private_lines)
                and b.private_lines[-1][5].text == " ".join(self.prev_lines[-1:]).strip()
            )
            if run or re.search(r"presentation context|sop class", context):
                ae, direction, _roles = self.ctx()
                b.private_lines.append(
                    (private.group(1), private.group(2), ae, direction, self.section, prov)
                )
        self.prev_lines.append(text)
        del self.prev_lines[:-3]
        self.prose.setdefault(self.section.sid, []).append(text)

    # -- labelled records ----------------------------------------------------------------
    def record_field(self, label: str, value: str, prov: Provenance) -> None:
        """One line of a 'SOP Class Name: / SOP Class UID: / Role: / Transfer Syntaxes:' record."""
        key = (
            "ts"
            if "transfer" in label
            else "role"
            if "role" in label
            else "uid"
            if "uid" in label
            else "name"
        )
        if key in {"name", "uid"} and (self.record.get(key) or (key == "name" and self.record.get("uid"))):
            self.flush_record()  # the next class's record begins
        if not self.record:
            self.record_prov = prov
        self.record.setdefault(key, []).append(value)
        if self.record_prov is not None and prov.text not in self.record_prov.text:
            self.record_prov = Provenance(
                prov.file,
                prov.page,
                self.record_prov.line,
                prov.section,
                f"{self.record_prov.text}; {prov.text}"[:300],
            )

    def flush_record(self) -> None:
        record, prov, lines = self.record, self.record_prov, self.record_lines
        self.record, self.record_prov, self.record_lines = {}, None, []
        if not record or prov is None:
            return
        if ("uid" not in record and "name" not in record) or len(record) < 2:
            # 'Role: SCP' alone, or a glossary's 'Abstract Syntax: the information ...': ordinary prose
            for line in lines:
                self._plain_line(line)
            return
        b = self.b
        name = " ".join(record.get("name", []))
        found = [u for v in record.get("uid", []) for u in uids.find_uids(v)]
        uid = next((u for u in found if uids.is_sop_class(u) or not uids.is_standard(u)), None)
        if uid is None and name:
            resolved = uids.resolve_sop_class(name)
            uid = resolved if resolved and uids.is_sop_class(resolved) else None
        if uid is None:
            if name:
                b.unresolved(name, "sop_class", prov)
            return
        ae, direction, _roles = self.ctx()
        roles = roles_in(" ".join(record.get("role", []))) or self.default_roles()
        syntaxes: list[str] = []
        for value in record.get("ts", []):
            syntaxes.extend(t for t in _syntaxes(b, value, prov) if t not in syntaxes)
        if not roles:
            cap = TransferCapability(uid, Role.SCP, syntaxes, direction, Support.YES, name or uid, [prov])
            b.roleless.append(_Record(cap, ae, self.section, None))
        for role in roles:
            b.add(self.section, ae, direction, uid, role, name or uid, syntaxes, prov)

    def _role_hint(self, text: str) -> None:
        if not _ROLE_HINT.search(text):
            return
        ae = self.section.lookup("ae")
        body = _strip_ae(text, ae)
        if re.search(
            r"\bas (?:an? )?(?:SCU|SCP|service class (?:user|provider))\b|\b(?:SCU|SCP) (?:for|of)\b"
            r"|\bSCU and SCP\b|\bSCU/SCP\b|\brole\s*[:|]|implements an? (?:service class|SCU|SCP)"
            r"|service class (?:user|provider) \((?:SCU|SCP)\)",
            body,
            re.I,
        ) and not re.search(r"\b(?:not|never|neither|nor)\b", body, re.I):
            roles = roles_in(body)
            if roles:
                self.section.roles = roles
        if re.search(r"\bwill accept\b|\baccepts? (?:associations|presentation contexts)", body, re.I):
            self.section.direction = self.section.direction or Direction.ACCEPT
        elif re.search(r"\bwill propose\b|\bproposes? presentation contexts", body, re.I):
            self.section.direction = self.section.direction or Direction.INITIATE

    def _prose_refs(self, text: str, prov: Provenance) -> None:
        """'All the SOP Classes listed in the "Store SCP Conformance" section are available as an SCU'."""
        low = text.lower()
        if (
            re.search(r"\b(?:sop classes|classes)\b.*\b(?:listed|in|of)\b", low)
            and _ref_targets(text)
            and re.search(r"\b(?:all|the)\b", low)
            and re.search(r"\b(?:supported|available|accepted|proposed|supports?|accepts|proposes)\b", low)
        ):
            ae, direction, _roles = self.ctx()
            roles = roles_in(_strip_ae(text, ae)) or self.default_roles()
            if not roles and re.search(r"\baccept", low) and not re.search(r"\bpropos|\binitiat", low):
                roles = (Role.SCP,)
            elif not roles and re.search(r"\bpropos|\binitiat", low) and not re.search(r"\baccept", low):
                roles = (Role.SCU,)
            if roles and not re.search(r"\bnot\b", low):
                sop_text, syntaxes, ts_ref = _split_ts_clause(self.b, text, prov)
                self.b.sop_refs.append(
                    _SopRef(
                        sop_text,
                        [(r, Support.YES) for r in roles],
                        syntaxes,
                        ts_ref,
                        ae,
                        self.section,
                        direction,
                        prov,
                    )
                )
                return
        if "transfer syntax" in low or self.section.mentions_ts:
            targets = _ref_targets(text)
            if targets and re.search(r"\b(?:same|see|as in|listed|all|refer)\b", low):
                self.b.ts_lists.append(_TsList([], self.section, {"ref:" + t for t in targets}))

    # -- tables ------------------------------------------------------------------------
    def table(self, table: Table, index: int) -> None:
        self.flush_record()
        b = self.b
        ids = _table_ids(table, self.prev_lines)
        if self.table_label:
            ids.add(self.table_label)
        b.table_ids[index] = ids
        width = max(len(r) for r in table.rows)
        rows = [list(r) + [""] * (width - len(r)) for r in table.rows]
        headers: list[list[str]] = []
        k = 0
        while k < min(len(rows), 4) and (
            (
                _is_header_row(rows[k]) and (k == 0 or len({c for c in rows[k] if c.strip()}) >= 2)
            )  # not a group label row
            or (_group_label(rows[k]) and k == 0 and k + 1 < len(rows) and _is_header_row(rows[k + 1]))
        ):
            headers.append(rows[k])
            k += 1
        cols = _columns(headers, width)
        if not cols.ts:
            _infer_ts_columns(self.b, rows[k:], cols)  # a headerless table (a continuation, a lost header)
        top_headers = list(headers)
        caption = table.caption or self.section.heading
        ae_cap = _ae_name(caption) if caption != self.section.heading else None
        ae, direction, _roles = self.ctx()
        if ae_cap and not re.search(r"\bAEs\b", caption):
            ae = ae_cap
        cap_body = _strip_ae(caption, ae)
        if caption != self.section.heading:
            if _ACCEPT.search(cap_body):
                direction = Direction.ACCEPT
            elif _INITIATE.search(cap_body):
                direction = Direction.INITIATE
        cap_roles = roles_in(cap_body) if caption != self.section.heading else ()
        sop_table = (
            bool(cols.sop)
            and any(re.search(r"sop|abstract", " ".join(h[i] for h in headers).lower()) for i in cols.sop)
        ) or any(uids.is_sop_class(u) for r in rows for c in r for u in uids.find_uids(c))
        default_roles = cap_roles or self.default_roles()
        if not default_roles and direction is Direction.ACCEPT:
            default_roles = (Role.SCP,)
        elif not default_roles and direction is Direction.INITIATE:
            default_roles = (Role.SCU,)
        last: list[_Record] = []
        last_ref: _SopRef | None = None
        ts_labelled = False
        group = ""
        ts_only: list[str] = []
        found_sop = False
        for r in range(k, len(rows)):
            row = rows[r]
            page, line = table.location(r)
            text = " | ".join(dict.fromkeys(c for c in row if c))
            prov = b.prov(page, line, caption, text)
            if r > 0 and len({c for c in row if c.strip()}) >= 2 and _is_header_row(row):
                headers = [row]
                cols = _columns(headers, width)
                last = []
                continue
            ts_text = "\n".join(_cell(row, i) for i in dict.fromkeys(cols.ts) if _cell(row, i))
            first_text = next((c for c in row if c.strip() and not uids.find_uids(c)), "")
            if _GROUP_REF.search(first_text) and not any(
                uids.is_sop_class(u) for c in row for u in uids.find_uids(c)
            ):
                last_ref = self._row_sop_ref(
                    row, cols, first_text, prov, ae, direction, default_roles, ts_text
                )
                if last_ref:
                    last = []
                    continue
            label = _group_label(row) if width > 1 else None
            if label and not (cols.ts and ts_text):
                group = label
                last, last_ref = [], None
                continue
            if _TAG.search(" ".join(row)):
                continue  # an attribute row ("Referenced SOP Class UID | (0008,1150) | UI ..."): no service
            sop_uid, name, sop_idx = _sop_in(row, cols, sop_table)
            if sop_uid is None:
                if label and not (cols.ts and ts_text):
                    group = label
                    last, last_ref = [], None
                    continue
                row_ts = list(
                    dict.fromkeys(
                        u for c in row for u in uids.find_uids(c) if uids.looks_like_transfer_syntax(u)
                    )
                )
                if not row_ts and ts_text:
                    row_ts = _syntaxes(b, ts_text, prov)
                cells = [c for c in row if c.strip()]
                if (
                    not row_ts
                    and len(cells) >= 2
                    and re.search(r"transfer syntax", cells[0], re.I)
                    and not re.search(r"\b(?:preferred|default)\b", cells[0], re.I)  # a setting, not a list
                ):
                    row_ts = _syntaxes(b, "\n".join(cells[1:]), prov)  # "Transfer Syntaxes | JPEG ..."
                    if row_ts:
                        ts_only.extend(t for t in row_ts if t not in ts_only)
                        ts_labelled = True
                        continue
                only_ts = bool(row_ts) and all(
                    uids.looks_like_transfer_syntax(u) for c in row for u in uids.find_uids(c)
                )
                if last_ref is not None and row_ts and (not name or only_ts or not first_text):
                    last_ref.syntaxes.extend(t for t in row_ts if t not in last_ref.syntaxes)
                    if last_ref.ts_ref and not _TS_REF.search(ts_text):
                        last_ref.ts_ref = ""
                    continue
                if (
                    not name
                    or only_ts
                    or (cols.ts and not _cell(row, cols.sop[0] if cols.sop else None) and last)
                ):
                    for rec in last:  # continuation row: more syntaxes for the row above
                        for ts in row_ts:
                            if ts not in rec.cap.transfer_syntaxes:
                                rec.cap.transfer_syntaxes.append(ts)
                        rec.cap.provenance.append(prov)
                    if not last:
                        ts_only.extend(t for t in row_ts if t not in ts_only)
                    continue
                if row_ts and not last:
                    ts_only.extend(t for t in row_ts if t not in ts_only)
                    continue
                if name and len(name) > 3 and sop_table and not label:
                    b.unresolved(name, "sop_class", prov)
                continue
            found_sop = True
            last_ref = None
            roles = _row_roles(row, cols, sop_idx)
            if roles is None:
                roles = [(role, Support.YES) for role in default_roles]
                if not roles:
                    cap = TransferCapability(sop_uid, Role.SCP, [], direction, Support.YES, name, [prov])
                    b.roleless.append(_Record(cap, ae, self.section, index, group))
            if ts_text and not uids.find_uids(ts_text) and uids.resolve_sop_class(ts_text):
                ts_text = ""  # a SOP class name under a mislabelled "Transfer Syntax" header
            syntaxes = _syntaxes(b, ts_text, prov) if ts_text else []
            if not cols.ts:
                syntaxes = [
                    u
                    for i, c in enumerate(row)
                    if i != sop_idx
                    for u in uids.find_uids(c)
                    if uids.looks_like_transfer_syntax(u)
                ]
            last = []
            # one cell may list several SOP classes that share the row's syntaxes and role
            sop_uids = [sop_uid] + [
                u for u in uids.find_uids(_cell(row, sop_idx)) if u != sop_uid and uids.is_sop_class(u)
            ]
            for uid in dict.fromkeys(sop_uids):
                for role, support in roles:
                    rec = b.add(
                        self.section,
                        ae,
                        direction,
                        uid,
                        role,
                        name,
                        list(syntaxes),
                        prov,
                        support,
                        index,
                        group,
                    )
                    rec.from_marks = cols.scu is not None or cols.scp is not None
                    if ts_text and not syntaxes:
                        rec.ts_pending = True
                        b.ts_refs.append((rec, ts_text))
                    last.append(rec)
        if ts_only and not found_sop:
            explicit = (
                bool(cols.ts)
                or ts_labelled
                or bool(re.search(r"transfer syntax", caption + " " + self.section.heading, re.I))
                # "... are accepted with these transfer syntaxes:" just above a headerless list
                or any("transfer syntax" in t.lower() for t in self.prev_lines[-2:])
            )
            first = rows[0] if rows and not any(uids.find_uids(c) for c in rows[0]) else []
            hint = " ".join(
                [caption if caption != self.section.heading else "", *(c for h in headers for c in h), *first]
            )
            b.ts_lists.append(_TsList(ts_only, self.section, ids, explicit, hint))
        self._scalar_rows(table, rows[k:], caption, ae if ae != DEFAULT_AE else None, k)
        self._ae_titles(table, rows, top_headers, caption)
        self.prev_lines.append("")  # a caption above this table is not the next table's caption

    def _ae_titles(self, table: Table, rows: list[list[str]], headers: list[list[str]], caption: str) -> None:
        """'Application Entity | Default AE Title | Default TCP/IP Port' rows into the AEs they name."""
        head = [
            " ".join(h[i] for h in (headers or rows[:1]) if i < len(h)).lower() for i in range(len(rows[0]))
        ]
        title_col = next((i for i, h in enumerate(head) if re.search(r"\bae[ -]?title|\baet\b", h)), None)
        if title_col is None:
            return
        port_col = next((i for i, h in enumerate(head) if re.search(r"\bport\b", h)), None)
        name_col = next((i for i, h in enumerate(head) if i not in (title_col, port_col)), None)
        st = self.b.statement
        for r, row in enumerate(rows):
            if r < max(len(headers), 1):
                continue
            title = re.sub(r"[`*\"']|\(.*?\)", "", _cell(row, title_col)).strip()
            if not title or len(title) > 16 or " " in title:
                continue
            page, line = table.location(r)
            prov = self.b.prov(page, line, caption, " | ".join(c for c in row if c))
            name = _cell(row, name_col) or title
            key = next((k for k in self.b.aes if k != DEFAULT_AE and _same_ae(k, name)), None) or (
                _ae_name(name) or name
            )
            entity = self.b.aes.setdefault(key, ApplicationEntity(key))
            if entity.ae_title is None:
                entity.ae_title = Fact(title, prov)
            port = re.search(r"\b(\d{2,5})\b", _cell(row, port_col))
            if port and 0 < int(port.group(1)) < 65536:
                if entity.port is None:
                    entity.port = Fact(int(port.group(1)), prov)
                if int(port.group(1)) not in {f.value for f in st.ports}:
                    st.ports.append(Fact(int(port.group(1)), prov))

    def _row_sop_ref(
        self,
        row: list[str],
        cols: _Columns,
        name: str,
        prov: Provenance,
        ae: str,
        direction: Direction,
        default_roles: tuple[Role, ...],
        ts_text: str,
    ) -> _SopRef | None:
        text = name or next((c for c in row if c), "")
        if not text or not _GROUP_REF.search(text) or not _ref_targets(text):
            return None
        roles = _row_roles(row, cols, None) or [(r, Support.YES) for r in default_roles]
        syntaxes = _syntaxes(self.b, ts_text, prov) if ts_text else []
        if not syntaxes:
            syntaxes = list(
                dict.fromkeys(u for c in row for u in uids.find_uids(c) if uids.looks_like_transfer_syntax(u))
            )
        ts_ref = ts_text if ts_text and not syntaxes else ""
        ref = _SopRef(text, roles, syntaxes, ts_ref, ae, self.section, direction, prov)
        self.b.sop_refs.append(ref)
        return ref

    # -- scalars from table rows -------------------------------------------------------------
    def _scalar_rows(
        self, table: Table, rows: list[list[str]], caption: str, ae: str | None, offset: int
    ) -> None:
        # a "Parameter | Configurable | Default" table restates defaults: weaker than the AE sections
        head = [c.strip().lower() for c in table.rows[0]] if table.rows else []
        weak = any(re.fullmatch(r"configurable(?: \(yes/no\))?|default(?: value)?", c) for c in head)
        group_ae = ae
        for r, row in enumerate(rows):
            cells = [c.strip() for c in row if c.strip()]
            if len(set(cells)) == 1:
                named = _ae_name(cells[0])  # "STORAGE-SCU AE Parameters" groups the rows below
                group_ae = named if named else ae
                continue
            if len(cells) < 2:
                continue
            page, line = table.location(r + offset)
            label, values = cells[0], cells[1:]
            prov = self.b.prov(page, line, caption, " | ".join(cells))
            n_assoc = len(self.b.assoc)
            _scalar_pair(self.b, label, values, caption, self.section, _ae_name(label) or group_ae, prov)
            for a in self.b.assoc[n_assoc:]:
                a.weak = weak
            _tls_ipv6(self.b, " | ".join(cells), prov)
            if _CHARSET_CONTEXT.search(f"{caption} {self.section.heading} {' '.join(table.rows[0])}"):
                _charsets(self.b, " | ".join(cells), prov)

    # -- whole document ------------------------------------------------------------------------
    def run(self) -> Statement:
        doc, b = self.b.doc, self.b
        b.ts_abbrev = _ts_abbreviations(doc)
        index = 0
        blocks = doc.blocks
        for k, block in enumerate(blocks):
            if isinstance(block, Table):
                if block.rows:
                    self.table(block, index)
                index += 1
            elif block.heading and not _looks_like_data(block.text):
                self.heading(block)
                self.prev_lines.append(block.text)
                _scalar_line(b, block, self.section, self.section.lookup("ae"))
            else:
                if block.heading:  # "Secure Transport Connection Profile: Not supported" flagged as a title
                    block = Line(block.text, page=block.page, line=block.line)
                    self.line(block)
                    _scalar_line(b, block, self.section, self.section.lookup("ae"))
                    continue
                self.line(block)
                _scalar_line(b, _with_next_line(blocks, k), self.section, self.section.lookup("ae"))
        self.flush_record()
        self.resolve()
        # a name a table could not resolve that another table gives with its UID is not unresolved
        named = {rec.cap.name.lower() for rec in b.records if rec.cap.name}
        b.statement.unresolved = [
            u for u in b.statement.unresolved if not (u.kind == "sop_class" and u.text.lower() in named)
        ]
        _finish_scalars(b)
        st = b.statement
        product = b.aes.get(DEFAULT_AE)
        others = [e for name, e in b.aes.items() if name != DEFAULT_AE]
        if product is not None and not product.capabilities and others:
            # product-wide title/port facts belong to the one AE when there is only one
            if len(others) == 1:
                others[0].ae_title = others[0].ae_title or product.ae_title
                others[0].port = others[0].port or product.port
                others[0].max_associations_accepted = (
                    others[0].max_associations_accepted or product.max_associations_accepted
                )
                others[0].max_associations_initiated = (
                    others[0].max_associations_initiated or product.max_associations_initiated
                )
            del b.aes[DEFAULT_AE]
        st.aes = list(b.aes.values())
        _product(b, doc.lines)
        if not st.aes or not st.capabilities():
            st.warnings.append("no SOP classes found: is this a DICOM conformance statement?")
        return st

    # -- references ----------------------------------------------------------------------------
    def _known_targets(self, text: str) -> list[str]:
        """Reference targets in text, plus any word that is a known table name ("s. SCUImageTS")."""
        known = set().union(*self.b.table_ids.values()) if self.b.table_ids else set()
        known |= {i for tl in self.b.ts_lists for i in tl.ids}
        words = [w.lower() for w in re.findall(r"[\w\-]+", text) if w.lower() in known]
        return list(dict.fromkeys(_ref_targets(text) + words))

    def _ts_for(self, ref: str, group: bool = False) -> list[str] | None:
        targets = self._known_targets(ref)
        for target in targets:
            out: list[str] = []
            for tl in self.b.ts_lists:
                if tl.syntaxes and (target in tl.ids or self._section_matches(tl.section, target)):
                    out.extend(t for t in tl.syntaxes if t not in out)
                    tl.referenced = tl.referenced or target in tl.ids
                    tl.group_cited = tl.group_cited or group
            if out:
                return out
        return None

    @staticmethod
    def _section_matches(section: _Section, target: str) -> bool:
        for node in section.chain():
            if not node.heading:
                continue
            if target.startswith("section ") and node.number and node.number.lower() == target[8:]:
                return True
            if target.startswith("heading ") and target[8:] in node.heading.lower():
                return True
        return False

    def resolve(self) -> None:
        b = self.b
        # transfer syntaxes given by reference in a row ("All Transfer Syntaxes of Table 11")
        for rec, ref in b.ts_refs:
            found = self._ts_for(ref)
            if found:
                rec.cap.transfer_syntaxes.extend(t for t in found if t not in rec.cap.transfer_syntaxes)
            else:
                b.unresolved(ref, "transfer_syntax", rec.cap.provenance[0])
        # prose "same transfer syntaxes as section 5.1.2" become lists of their own
        for tl in b.ts_lists:
            refs = [i[4:] for i in tl.ids if i.startswith("ref:")]
            if refs and not tl.syntaxes:
                found = self._ts_for(" ".join(_ref_text(r) for r in refs))
                if found:
                    tl.syntaxes = found
        # SOP class groups given by reference
        for ref in b.sop_refs:
            self._expand_sop_ref(ref)
        self._private_classes()
        # transfer-syntax lists that follow SOP class lists in the same section
        for tl in b.ts_lists:
            if tl.syntaxes and tl.explicit:
                self._apply_ts_list(tl)

    def _private_classes(self) -> None:
        """A private class listed without a role takes the roles of the standard class it sub-classes.

        Vendors build such UIDs by appending the standard UID's tail to their own root
        ("<root>.5.1.4.1.2.1.2" for Patient Root MOVE); with no such match the name is
        kept as unresolved rather than guessed.
        """
        b = self.b
        for uid, name, ae, direction, section, prov in b.private_lines:
            roles = {
                rec.cap.role
                for rec in b.records
                if uids.is_standard(rec.cap.sop_class_uid)
                and rec.cap.sop_class_uid.count(".") >= 6  # a tail of 3+ parts, not "1.1" (Verification)
                and uid.endswith("." + rec.cap.sop_class_uid.removeprefix("1.2.840.10008."))
            }
            if not roles:
                b.unresolved(f"{uid} {name}", "sop_class", prov)
                continue
            for role in sorted(roles):
                b.add(section, ae, direction, uid, role, name, [], prov)

    def _expand_sop_ref(self, ref: _SopRef) -> None:
        b = self.b
        targets = self._known_targets(ref.text)
        picked: list[_Record] = []
        for target in targets:
            tables = {i for i, ids in b.table_ids.items() if target in ids}
            picked = [
                rec
                for rec in [*b.records, *b.roleless]
                if (rec.table in tables if tables else self._section_matches(rec.section, target))
                and rec.section is not ref.section
            ]
            if picked:
                break
        if not picked:
            # "See Table D.4.2-6" whose number no caption carries: the AE's own SOP class tables
            for owner in ref.section.chain():
                picked = [
                    rec
                    for rec in b.records
                    if rec.table is not None
                    and rec.ae == ref.ae
                    and rec.section.sid < ref.section.sid
                    and owner in rec.section.chain()
                    and rec.cap.direction is Direction.UNSPECIFIED
                ]
                if picked:
                    break
        if not picked:
            b.unresolved(ref.text, "sop_class", ref.prov)
            return
        wanted = _group_words(ref.text)
        if wanted:
            keys = wanted - {"storage"}
            grouped = [rec for rec in picked if rec.group and keys <= _group_keys(rec.group)]
            if grouped:
                picked = grouped
            elif "storage" in wanted:
                picked = [rec for rec in picked if uids.is_storage_sop_class(rec.cap.sop_class_uid)]
        syntaxes = list(ref.syntaxes)
        if ref.ts_ref:
            syntaxes = self._ts_for(ref.ts_ref, group=True) or []
        seen: set[tuple[str, Role]] = set()
        for rec in picked:
            for role, support in ref.roles:
                key = (rec.cap.sop_class_uid, role)
                if key in seen:
                    continue
                seen.add(key)
                new = b.add(
                    ref.section,
                    ref.ae,
                    ref.direction,
                    rec.cap.sop_class_uid,
                    role,
                    rec.cap.name,
                    syntaxes,
                    ref.prov,
                    support,
                )
                new.ts_pending = (
                    not syntaxes
                )  # its syntaxes are whatever the cited table said, not this section's

    def _apply_ts_list(self, tl: _TsList) -> None:
        """A transfer-syntax list applies to the SOP classes its enclosing section listed without any."""
        if tl.group_cited:
            return
        scope = tl.section.parent or tl.section
        while True:
            members = [
                rec
                for rec in self.b.records
                if scope in rec.section.chain() and rec.section.sid <= tl.section.sid
            ]
            if members or scope.parent is None:
                break
            scope = scope.parent
        own_text = " ".join([tl.hint, tl.section.heading, *self.prose.get(tl.section.sid, [])]).lower()
        if scope is not (tl.section.parent or tl.section) and not re.search(
            r"\b(?:all|any|every)\b", own_text
        ):
            return  # a list far from any SOP class list must say it is for all of them
        only: Role | None = None
        for text in (
            tl.hint.lower(),
            " ".join([tl.section.heading, *self.prose.get(tl.section.sid, [])]).lower(),
        ):
            if re.search(r"\baccept", text) and not re.search(r"\bpropos|\binitiat", text):
                only = Role.SCP
            elif re.search(r"\bpropos|\binitiat", text) and not re.search(r"\baccept", text):
                only = Role.SCU
            if only:
                break
        # Yes/No tables get their syntaxes from presentation-context tables when the statement has any
        has_contexts = any(rec.cap.direction is not Direction.UNSPECIFIED for rec in self.b.records)
        # "Table 4-5: Transfer Syntaxes for Storage" is for the storage SOP classes only
        storage_only = bool(re.search(r"\bstorage\b", tl.hint, re.I)) and not re.search(
            r"commitment", tl.hint, re.I
        )
        for rec in members:
            if rec.cap.transfer_syntaxes or rec.ts_pending or (rec.from_marks and has_contexts):
                continue
            if only and rec.cap.role is not only:
                continue
            if storage_only and not uids.is_storage_sop_class(rec.cap.sop_class_uid):
                continue
            rec.cap.transfer_syntaxes.extend(tl.syntaxes)


_ABBREV = re.compile(r"^[A-Za-z][A-Za-z0-9\-]{1,9}$")
_ABBREV_LINE = re.compile(r"^\s*[-*•]?\s*([A-Z][A-Za-z0-9\-]{1,9})\s*(?:[:=–]|\s-)\s*(\S.{4,150})$")


def _ts_abbreviations(doc: Document) -> dict[str, str]:
    """Short names a statement defines for transfer syntaxes: table rows 'JLL | JPEG Lossless ... |
    1.2.840.10008.1.2.4.70' and lines 'J2K = JPEG 2000 Image Compression (Lossless Only)'."""
    out: dict[str, str] = {}

    def define(token: str, rest: list[str]) -> None:
        found = [u for c in rest for u in uids.find_uids(c)]
        ts = [u for u in found if uids.looks_like_transfer_syntax(u)]
        if found and (len(ts) != 1 or len(found) != 1):
            return
        uid = ts[0] if ts else None
        if uid is None:
            names = [c for c in rest if len(c) > len(token) + 4]
            resolved = {uids.resolve_transfer_syntax(c) for c in names}
            if len(resolved) != 1 or None in resolved:
                return
            uid = resolved.pop()
        if uid and token.lower() not in {"name", "uid", "none", "all", "yes", "no"}:
            out.setdefault(token.lower(), uid)

    for block in doc.blocks:
        if isinstance(block, Table):
            for row in block.rows:
                cells = [c.strip() for c in row if c and c.strip()]
                if 2 <= len(cells) <= 4 and _ABBREV.match(cells[0]):
                    define(cells[0], cells[1:])
        elif "=" in block.text or ":" in block.text or " - " in block.text:
            m = _ABBREV_LINE.match(block.text)
            if m:
                define(m.group(1), [m.group(2)])
    return out


def _infer_ts_columns(b: _Builder, rows: list[list[str]], cols: _Columns) -> None:
    """Columns whose cells are transfer-syntax names, line by line, in a table without such a header."""
    found = [u for r in rows for c in r for u in uids.find_uids(c)]
    if any(uids.looks_like_transfer_syntax(u) for u in found) or not any(uids.is_sop_class(u) for u in found):
        # the written UIDs give the syntaxes (a name beside them may be loose: "JPEG 2000 (lossless)"),
        # and a table without SOP class UIDs is no presentation-context table to complete
        return
    width = max((len(r) for r in rows), default=0)
    for i in range(width):
        if i in (cols.scu, cols.scp, cols.role):
            continue
        cells = [r[i].strip() for r in rows if i < len(r) and r[i].strip()]
        if not cells or any(uids.find_uids(c) for c in cells):
            continue
        named = 0
        unresolved, b.statement.unresolved = b.statement.unresolved, []
        prov = Provenance(b.statement.source, None, None, "", "")
        for n, cell in enumerate(cells):
            before = len(b.statement.unresolved)
            if _syntaxes(b, cell, prov) and len(b.statement.unresolved) == before:
                named += 1
            elif n >= 2 and named == 0:
                break  # three cells in, none a transfer-syntax name
        b.statement.unresolved = unresolved  # a probe: names it could not read are not reported from here
        if named * 2 > len(cells):
            cols.ts.append(i)
            if i in cols.sop:
                cols.sop.remove(i)
            if i in cols.other:
                cols.other.remove(i)


_RECORD_FIELD = re.compile(
    r"^\s*((?:SOP Class|Abstract Syntax)(?: Name| UID)?|Roles?"
    r"|Transfer Syntax(?:es)?(?: (?:Name|UID))?(?: List)?)\s*:\s*(\S.*)$",
    re.I,
)


def _ts_names(b: _Builder, text: str) -> list[str]:
    """Transfer syntaxes a line names and nothing else ('- JPEG 2000 Image Compression (Lossless
    Only)', 'ILE, ELE'); [] when any part of it is not a transfer-syntax name (prose)."""
    item = re.sub(r"^\s*(?:[-*•+]|\d+[.)])\s+", "", text).strip(" .;:")
    if not item:
        return []
    whole = b.ts_abbrev.get(item.lower()) or uids.resolve_transfer_syntax(item)
    if whole:
        return [whole]
    parts = [p.strip() for p in re.split(r";|,\s*(?=[A-Z])|\s+and\s+|\s+or\s+", item) if p.strip()]
    found = [b.ts_abbrev.get(p.lower()) or uids.resolve_transfer_syntax(p) for p in parts]
    return list(dict.fromkeys(u for u in found if u)) if len(parts) > 1 and all(found) else []


def _split_ts_clause(b: _Builder, text: str, prov: Provenance) -> tuple[str, list[str], str]:
    """'All Storage SOP classes of Table 4-3 are accepted with the transfer syntaxes of Table 4-5':
    (the SOP class part, syntaxes named in the clause, a transfer-syntax reference to resolve)."""
    m = re.search(r"\b(?:with|using)\b(?=[^.]*?(?:transfer syntax|endian|jpeg|rle|deflate))", text, re.I)
    if not m:
        return text, [], ""
    head, clause = text[: m.start()], text[m.end() :]
    if _ref_targets(clause) and re.search(r"transfer syntax", clause, re.I):
        return head, [], clause
    names = re.sub(
        r"(?i)\b(?:the|following|transfer syntax(?:es)?|only|supported|accepted|proposed|as)\b|[.:]",
        " ",
        clause,
    )
    parts = [p.strip() for p in re.split(r",|;|\band\b|\bor\b", names) if p.strip()]
    found = [b.ts_abbrev.get(p.lower()) or uids.resolve_transfer_syntax(p) for p in parts]
    if parts and all(found):
        return head, list(dict.fromkeys(u for u in found if u)), ""
    return text, [], ""


def _with_next_line(blocks: list, k: int) -> Line:
    """A PDF line that breaks mid-sentence, read together with the line after it."""
    line = blocks[k]
    nxt = blocks[k + 1] if k + 1 < len(blocks) else None
    if (
        line.page is None
        or not isinstance(nxt, Line)
        or nxt.heading
        or nxt.page != line.page
        or line.text.rstrip().endswith((".", ":", ";"))
    ):
        return line
    return Line(f"{line.text.rstrip()} {nxt.text.strip()}", page=line.page, line=line.line)


def _same_ae(a: str, b: str) -> bool:
    def norm(x: str) -> str:
        return re.sub(
            r"(?:application ?entity|ae)$", "", re.sub(r"[^a-z0-9 ]", "", x.lower()).strip()
        ).replace(" ", "")

    return norm(a) == norm(b)


def _ref_text(target: str) -> str:
    if target.startswith("heading "):
        return f'"{target[8:]}"'
    return target


def _group_words(text: str) -> set[str]:
    low = text.lower()
    low = (
        re.sub(r"\b(?:in|of|from|listed|the|all|sop|classes|class|table|section)\b.*$", "", low)
        if re.search(r"\b(?:in|of|from|listed)\b", low)
        else low
    )
    words = set(re.findall(r"[a-z]+", low)) - {"sop", "classes", "class", "all", "the", "supported", "any"}
    return words


def _group_keys(text: str) -> set[str]:
    """Words of a group label plus its initials ("Structured Report Storage" -> "sr")."""
    words = [
        w
        for w in re.findall(r"[a-z]+", text.lower())
        if w not in {"sop", "classes", "class", "storage", "the"}
    ]
    return set(words) | ({"".join(w[0] for w in words)} if len(words) > 1 else set())


def _uid_like(token: str) -> bool:
    """A UID rather than a deep section number ('2.3.1.2.1.1 Proposed ...' in old GE-style layouts):
    real UIDs have an organisation root with a component of three or more digits, or many parts."""
    parts = token.rstrip(".").split(".")
    return any(len(p) >= 3 for p in parts) or len(parts) >= 8


def _looks_like_data(text: str) -> bool:
    """PDF readers sometimes flag a table row ('1.2.840.10008.5.1.4.1.1.7 ...') or a
    'Label: value' line ('Maximum PDU size received: 16384') as a heading."""
    first = text.split()[0] if text.split() else ""
    if uids.find_uids(first) and first.count(".") >= 4 and _uid_like(first):
        return True
    return bool(
        re.match(r"^[A-Za-z][^:]{2,80}:\s+\S", text)
        and not re.match(r"^(?:annex|appendix|chapter|section|part|table|figure)\b", text, re.I)
    )


# ------------------------------------------------------------------ scalars
_INT = r"(\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?!\d)|\d+)"  # "16,384", "28 672" (thousands grouped)
_UNLIMITED_RE = re.compile(
    r"\bunlimited\b|no (?:maximum )?limit|\bno maximum\b|\binfinite\b|without (?:any )?limit", re.I
)


_ASSOC_UNLIMITED = re.compile(
    r"(?:unlimited|no (?:artificial |fixed |upper )?(?:maximum|limit)|without (?:any )?limit)"
    r"[^.]{0,80}associations"
    r"|associations[^.]{0,60}(?:unlimited|no (?:maximum|limit))",
    re.I,
)


_NUMBER_WORDS = {
    "a single": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "sixteen": 16, "twenty": 20, "thirty-two": 32,
}  # fmt: skip
_NUMBER_WORD = re.compile(r"\b(" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")\b")


def _to_int(text: str) -> int:
    return int(re.sub(r"[,\s\u00a0\u202f]", "", text))


def _size(text: str) -> int | None:
    m = re.search(_INT + r"\s*(k(?:i?b(?:ytes?)?)?\b|m(?:i?b(?:ytes?)?)\b|bytes?\b)?", text, re.I)
    if not m:
        return None
    value = _to_int(m.group(1))
    unit = (m.group(2) or "").lower()
    if unit.startswith("k"):
        value *= 1024
    elif unit.startswith("m"):
        value *= 1024 * 1024
    return value


def _assoc_direction(text: str) -> Direction | None:
    if re.search(
        r"requested by (?:peer|remote|external)|\baccept|\bincoming|\breceiv|as an? scp\b|acceptor"
        r"|akzeptier|angenommen|entrantes?\b",
        text,
        re.I,
    ) and not re.search(r"\binitiat|\bpropos|\boutgoing|initiier|\binitié", text, re.I):
        return Direction.ACCEPT
    if re.search(
        r"\binitiat|\bpropos|\boutgoing|\bopen(?:s|ed)? by\b|as an? scu\b|\bsend"
        r"|initiier|\binitié|sortantes?\b",
        text,
        re.I,
    ):
        return Direction.INITIATE
    return None


def _scalar_pair(
    b: _Builder,
    label: str,
    values: list[str],
    caption: str,
    section: _Section,
    ae: str | None,
    prov: Provenance,
) -> None:
    """A 'label | value' row (or 'Label: value' sentence)."""
    st = b.statement
    low = label.lower()
    value = " ".join(values).strip()
    if not value:
        return
    in_identity = bool(re.search(r"implementation identif", f"{caption} {section.heading}", re.I))
    if (
        "implementation class uid" in low
        or low.strip() in {"implementation uid", "implementation class"}
        or (in_identity and re.search(r"\buid\b", low) and "version" not in low and uids.find_uids(value))
    ):
        if st.implementation_class_uid is None:
            token = _uid_token(value)
            if token:
                st.implementation_class_uid = Fact(token, prov)
    elif "implementation version name" in low or low.strip() in {"implementation version", "version name"}:
        if st.implementation_version_name is None:
            token = _version_token(value)
            if token:
                st.implementation_version_name = Fact(token, prov)
    elif "pdu" in low and re.search(r"max|maximum|length|size", low):
        _pdu_candidate(b, low + " " + caption.lower(), values, prov)
    elif re.search(r"associat|assoziation", low) and re.search(
        r"max|simultaneous|concurrent|number|anzahl|nombre|gleichzeitig", low
    ):
        if re.search(r"outstanding|asynchronous|per (?:ip|host|remote)", low):
            return
        # "Maximum number of simultaneous associations: 4 initiated, 12 accepted"
        pairs = [
            (_assoc_value(m.group(1)), _assoc_direction(m.group(2)))
            for m in re.finditer(
                r"(\d{1,5}|unlimited)\s*\(?\s*([a-z][\w ]{2,30}?)(?=[,;.)]|\s+and\b|$)", value, re.I
            )
        ]
        if len(pairs) >= 2 and all(d is not None for _n, d in pairs) and len({d for _n, d in pairs}) == 2:
            for number, direction in pairs:
                if number is not None:
                    b.assoc.append(_Assoc(ae or section.lookup("ae"), direction, number, prov, stated=True))
            return
        number = _assoc_value(value)
        if number is None:
            return
        stated = _assoc_direction(low)
        direction = stated or _assoc_direction(caption)
        b.assoc.append(_Assoc(ae or section.lookup("ae"), direction, number, prov, stated=stated is not None))


def _uid_token(text: str) -> str | None:
    found = uids.find_uids(text)
    if found:
        return found[0]
    m = re.search(r"[\"'`“]?([0-9A-Za-z][\w.…]*\.[\w.…]+)", text)
    if m and re.search(r"\d|x", m.group(1)):
        return m.group(1).rstrip(".") if not m.group(1).endswith("…") else m.group(1)
    return None


def _version_token(text: str) -> str | None:
    m = re.search(r"[\"'`“]([^\"'`”]{1,16})[\"'`”]", text)
    if m:
        return m.group(1).strip()
    m = re.match(r"\s*(?:is\s+|:\s*|=\s*)?([A-Za-z0-9_.\-/]{1,16})\b", text)
    if m and m.group(1).lower() not in {"is", "none", "the", "not", "n/a", "configurable"}:
        return m.group(1)
    return None


def _assoc_value(text: str) -> int | str | None:
    if _UNLIMITED_RE.search(text):
        return UNLIMITED
    m = re.search(r"\b(\d{1,6})\b", text)
    return int(m.group(1)) if m else None


def _pdu_candidate(b: _Builder, context: str, values: list[str], prov: Provenance) -> None:
    if re.search(r"\bsend\b|\bsent\b|\btransmit", context) and not re.search(r"receiv", context):
        return
    for value in reversed(values):
        if re.search(r"unlimited|no limit", value, re.I) and not re.search(r"\d", value):
            b.pdu.append((1, 0, prov))
            return
        size = _size(value)
        if size is not None and (size == 0 or size >= 1024 or re.search(r"k", value, re.I)):
            rank = 0 if "receiv" in context else 1
            b.pdu.append((rank, size, prov))
            return


_SCALAR_HINT = re.compile(
    r"implementation|pdu|association|iso[_ ]|gb18030|gbk|tls|ssl|secure|ipv|security"
    r"|none supported|request the|repertoire|title|port"
)


def _scalar_line(b: _Builder, line: Line, section: _Section, ae: str | None) -> None:
    st = b.statement
    text = line.text
    low = text.lower()
    if not _SCALAR_HINT.search(low):
        return  # most lines state no scalar: one search instead of a dozen
    prov = b.prov(line.page, line.line, section.heading, text)
    m: re.Match[str] | None = None  # (a label:value search here cost 70% of extract time, unused)
    impl = re.search(r"implementation (?:class )?uid\b", low) if "implementation" in low else None
    if impl and st.implementation_class_uid is None:
        rest = text[impl.end() :]
        rest = re.sub(r"^\W*(?:\(0002,0012\))?\W*(?:is|of|:|=)?\W*", "", rest, flags=re.I)
        token = _uid_token(rest)
        if token and not re.match(r"^(?:and|or|the|for)\b", rest, re.I):
            st.implementation_class_uid = Fact(token, prov)
    if "implementation version name" in low and st.implementation_version_name is None:
        rest = text[low.index("implementation version name") + len("implementation version name") :]
        # keep an opening quote: a quoted name may hold spaces ("AQUILA 8.2")
        rest = re.sub(r"^[^\w\"'`“]*(?:\(0002,0013\))?\s*(?:is|of|:|=)?\s*", "", rest, flags=re.I)
        if re.match(r"^[\"'`“]|^[A-Z0-9][A-Za-z0-9_.\-/]*\b", rest) and not re.match(
            r"^(?:and|or|the|for|is|will|which|that|value)\b", rest, re.I
        ):
            token = _version_token(rest)
            if token:
                st.implementation_version_name = Fact(token, prov)
    if "pdu" in low and re.search(r"max|maximum|length|size", low):
        # "The maximum PDU size sent is 16 kB. Max PDU Length 64 kB is offered for received PDUs."
        sentences = [x for x in re.split(r"(?<=[A-Za-z0-9)][.;])\s+(?=[A-Z])", text) if "pdu" in x.lower()]
        for sentence in sentences or [text]:
            _pdu_sentence(b, sentence, prov)
    elif re.match(r"^\s*max_pdu\s*[:=]\s*(\d+)", low):
        b.pdu.append((1, int(re.match(r"^\s*max_pdu\s*[:=]\s*(\d+)", low).group(1)), prov))  # type: ignore[union-attr]
    if (
        "association" in low
        and re.search(r"max|maximum|simultaneous|concurrent|up to|at a time|\bonly\b|at most", low)
        and not re.search(r"outstanding|asynchronous|per (?:ip|host)|connections per", low)
    ):
        # "... initiated: 4 Maximum number ... accepted: 4" read as one line: one clause per label
        for clause in re.split(r"\s+(?=(?:maximum|max\.?|number)\b[^:.]{0,100}:)", text, flags=re.I):
            kv = re.match(r"^\W*([^:]{5,100}?association[^:]{0,80}):\s*(\S.*)$", clause, re.I)
            if kv:
                _scalar_pair(b, kv.group(1), [kv.group(2)], section.heading, section, ae, prov)
            elif "association" in clause.lower():
                _assoc_sentence(b, clause, section, ae, prov)
    if _CHARSET_CONTEXT.search(text) or any(_CHARSET_CONTEXT.search(n.heading) for n in section.chain()):
        _charsets(b, text, prov)  # not from revision histories or examples elsewhere
    if not line.heading:
        _tls_ipv6(b, text, prov)
        if (
            st.tls is None
            and any(
                re.match(r"^\W*(?:[\dA-Z](?:\.\d+)*\.?\s+)?security(?: profiles?)?\s*$", n.heading, re.I)
                for n in section.chain()
            )
            and re.search(
                r"^none supported|not support any (?:specific )?security|no security (?:profiles?|measures)"
                r"|^security profiles?(?: supported)?\s*[:|]\s*none\b",
                low,
            )
        ):
            st.tls = Fact(False, prov)
    side = _ae_side(low)
    if side is not None:
        b.sides.setdefault(ae or DEFAULT_AE, side)
    _ae_title_and_port(b, text, ae, prov)
    del m


def _pdu_sentence(b: _Builder, text: str, prov: Provenance) -> None:
    low = text.lower()
    m = re.search(
        r"(?:pdu|max_pdu)[^0-9]{0,80}?" + _INT + r"(\s*(?:k(?:i?b(?:ytes?)?)?\b|bytes?\b))?", text, re.I
    )
    if (m and not re.search(r"\bsend\b|\bsent\b", low[: m.start(1)])) or (m and "receiv" in low):
        size = _size(m.group(1) + (m.group(2) or ""))
        if size == 0 and re.search(r"\b0\s*(?:for|means|=|is)\s*(?:unlimited|no limit)", low):
            size = None  # "0 for unlimited" explains the encoding, it is not the setting
        if size is not None:
            rank = 0 if "receiv" in low else 1
            if size == 0 or size >= 1024 or m.group(2):
                b.pdu.append((rank, size, prov))
    elif re.search(r"pdu[^.]{0,60}\bunlimited\b", low):
        b.pdu.append((1, 0, prov))


def _ae_title_and_port(b: _Builder, text: str, ae: str | None, prov: Provenance) -> None:
    """'AE Title (Default: `MINIPACS`)', 'The MINIPACS AE waits ... at the TCP/IP port 104'."""
    title = re.search(
        r"\bAE[ -]?(?i:title)\b[^.:]{0,40}?(?i:default(?: is|:)?|:|is)"
        r"\s*[`'\"“]?([A-Z][A-Z0-9_\-]{0,15})\b(?![a-z])",
        text,
    )
    port = re.search(
        r"\b(?:TCP(?:/IP)? )?port(?: number)?\b[^.\d]{0,30}?(?:default:?\s*)?`?(\d{2,5})\b", text, re.I
    )
    if not title and not port:
        return
    named = _ae_name(text)
    if title and title.group(1) in b.aes:
        ae = title.group(1)  # the default title is the AE's own name
    elif named and (named in b.aes or re.fullmatch(r"[A-Z][A-Z0-9_\-]{1,15}", named)):
        ae = named  # "The MINIPACS AE waits ... at port 104"
    entity = b.aes.setdefault(ae or DEFAULT_AE, ApplicationEntity(ae or DEFAULT_AE))
    if title and entity.ae_title is None and title.group(1) not in {"AE", "DICOM", "SCU", "SCP"}:
        entity.ae_title = Fact(title.group(1), prov)
    if port and 0 < int(port.group(1)) < 65536 and entity.port is None:
        entity.port = Fact(int(port.group(1)), prov)
        if entity.port.value not in {f.value for f in b.statement.ports}:
            b.statement.ports.append(entity.port)


# "ISO_IR 100" as the standard spells it, "ISO-IR 100", "ISO-2022-IR 87"; not "ISO IR100" (a registration)
_CHARSET = re.compile(r"(?<![A-Za-z_])(?:ISO[_ \-]IR[ _\-]\d+|ISO[ _\-]2022[ _\-]IR[ _\-]\d+|GB18030|GBK)\b")


_CHARSET_CONTEXT = re.compile(
    r"character ?set|charset|repertoire|zeichens[aä]tz|jeux? de caract[eè]res|juegos? de caracteres", re.I
)


def _charsets(b: _Builder, text: str, prov: Provenance) -> None:
    """Specific Character Set defined terms ('ISO_IR 100', 'ISO 2022 IR 87', 'GB18030')."""
    st = b.statement
    # the PS3.2 template sentence "In addition to the default character repertoire, the Defined Terms
    # ... are supported" lists the default repertoire (ISO_IR 6) as a supported set
    if re.match(
        r"\W*in addition to the default (?:character )?repertoire, the", text, re.I
    ) and "ISO_IR 6" not in {f.value for f in st.character_sets}:
        st.character_sets.append(Fact("ISO_IR 6", prov))  # the default repertoire (PS3.5 6.1.2.2)
    for cs in _CHARSET.findall(text):
        if cs.upper().startswith("GB"):
            value = cs.upper()
        elif "2022" in cs:
            value = "ISO 2022 IR " + re.findall(r"\d+", cs)[-1]
        else:
            value = "ISO_IR " + re.findall(r"\d+", cs)[-1]
        if value not in {f.value for f in st.character_sets}:
            st.character_sets.append(Fact(value, prov))


def _assoc_sentence(b: _Builder, text: str, section: _Section, ae: str | None, prov: Provenance) -> None:
    # "accepts at most 20 associations. It initiates at most 5 ..." / "initiates 6 ... and accepts 3":
    # one limit per clause when the clauses name different directions
    sentences = re.split(r"(?<=[a-z0-9)][.;])\s+(?=[A-Z])", text)
    if len(sentences) > 1:  # a paragraph: each sentence about associations on its own
        about = False
        for sentence in sentences:
            follows = about and re.search(r"\d", sentence) and _assoc_direction(sentence)  # "It initiates 5."
            about = bool(re.search(r"associat", sentence, re.I))
            if about or follows:
                _assoc_sentence(b, sentence, section, ae, prov)
        return
    parts = re.split(r"(?<=[.;])\s+|,?\s+\band\b\s+(?=(?:it\s+|they\s+)?(?:accept|initiat))", text)
    directed = [(p, _assoc_direction(p)) for p in parts if re.search(r"\d", p) or _ASSOC_UNLIMITED.search(p)]
    if len({d for _, d in directed if d}) > 1:
        for part, direction in directed:
            if direction:
                _assoc_sentence(b, part, section, ae, prov)
        return
    low = _NUMBER_WORD.sub(lambda w: str(_NUMBER_WORDS[w.group(1)]), text.lower())  # "only one", "two"
    value: int | str | None = None
    m = re.search(
        r"(?:up to|maximum(?: number)?(?: of)?|max\.?|limited to(?: a maximum of)?|at most"
        r"|default (?:maximum )?(?:is|of))\s*(\d{1,5})\b"
        r"|(\d{1,5})\s+(?:simultaneous|concurrent|parallel)"
        r"|associations\b[^.\d]{0,40}?\b(?:is|are|of|:)\s*(\d{1,5})\b"
        r"|\b(?:only|just)\s+(\d{1,5})\s+(?:\w+\s+)?associations?\b"
        r"|\b(\d{1,5})\s+(?:\w+\s+)?associations?\s+at a time",
        low,
    )
    unlimited = _ASSOC_UNLIMITED.search(low)
    if unlimited and (not m or unlimited.start() < m.start()):
        value = UNLIMITED
    elif m:
        value = int(next(g for g in m.groups() if g))
    if value is None:
        return
    stated = _assoc_direction(low)
    direction = stated or _assoc_direction(section.heading) or None
    b.assoc.append(_Assoc(ae, direction, value, prov, stated=stated is not None))


def _ae_side(low: str) -> Direction | None:
    """'X initiates but never accepts associations' / 'will never initiate Associations'."""
    if re.search(
        r"initiates but never accepts|never accepts associations|does not accept associations"
        r"|cannot accept requests"
        r"|can only request the opening",
        low,
    ):
        return Direction.INITIATE
    if re.search(
        r"accepts but never initiates|never initiates? associations|does not initiate associations"
        r"|only accepts association(?:s| requests)?(?! (?:from|with) (?:known|configured|specific|certain))",
        low,
    ):
        return Direction.ACCEPT
    return None


def _tls_ipv6(b: _Builder, text: str, prov: Provenance) -> None:
    st = b.statement
    if re.search(r"abbreviation|acronym|glossary|definition|\bterms\b|revision|history", prov.section, re.I):
        return  # "TLS Transport Layer Security" in a glossary, "added TLS option" in a revision history
    low = text.lower()
    if re.search(r"\btls\b|secure transport connection|\bssl\b|bcp 195", low):
        positive = re.search(
            r"\bsupport|\benabl|\bconfigur|\bprovide|\buse[sd]?\b|profile|\bavailable\b|as an option", low
        )
        # English, and the negations of the languages statements also come in (de, fr, es, it)
        negative = re.search(r"\b(?:not|no|never|unsupported|without|nicht|keine?|pas|aucun|ningún)\b", low)
        value = bool(positive) and not negative
        if negative and st.tls is None:
            st.tls = Fact(False, prov)
        elif value and (st.tls is None or st.tls.value is False):
            st.tls = Fact(True, prov)
    for sentence in re.split(r"(?<=[.;])\s+", low) if re.search(r"\bipv6\b", low) else []:
        if not re.search(r"\bipv6\b", sentence):
            continue
        negative = re.search(
            r"only supports ipv4|ipv4 only|only ipv4"
            r"|\b(?:not|no)\b\s+(?:\w+\s+){0,2}(?:support|availab)[^.]*ipv6"
            r"|ipv6[^.]{0,40}\bnot (?:supported|available)",
            sentence,
        )
        positive = re.search(
            r"\bsupport|ipv4 and ipv6|ipv6 and ipv4|\benabl|\bboth\b|\bdual", sentence
        ) or re.fullmatch(r".*\|\s*(?:yes|ipv4 and ipv6)\s*", sentence)
        if negative and st.ipv6 is None:
            st.ipv6 = Fact(False, prov)
        elif positive and not negative and (st.ipv6 is None or st.ipv6.value is False):
            st.ipv6 = Fact(True, prov)
    if re.search(r"\bipv6\b", low):
        pass
    elif re.search(r"only supports ipv4|supports only ipv4|ipv4 only", low) and st.ipv6 is None:
        st.ipv6 = Fact(False, prov)


def _finish_scalars(b: _Builder) -> None:
    st = b.statement
    if b.pdu:
        _rank, value, prov = min(b.pdu, key=lambda c: c[0])
        st.max_pdu_receive = Fact(value, prov)
    strong = [a for a in b.assoc if not a.weak]
    directed: list[_Assoc] = []
    for a in strong or b.assoc:
        side = b.sides.get(a.ae or DEFAULT_AE)
        if side is not None and not a.stated:
            # an AE that only accepts (or only initiates) says which limit this is, over a caption's hint
            directed.append(_Assoc(a.ae, side, a.value, a.prov))
        elif a.direction is not None:
            directed.append(a)
        elif a.value == UNLIMITED and a.ae in (None, DEFAULT_AE):
            # "no maximum on the number of simultaneous associations": both ways
            directed += [
                _Assoc(a.ae, Direction.INITIATE, a.value, a.prov),
                _Assoc(a.ae, Direction.ACCEPT, a.value, a.prov),
            ]
        else:
            directed.append(_Assoc(a.ae, _unstated_direction(b, a.ae), a.value, a.prov))
    for direction, attr in (
        (Direction.INITIATE, "max_associations_initiated"),
        (Direction.ACCEPT, "max_associations_accepted"),
    ):
        cands = [a for a in directed if a.direction is direction]
        if not cands:
            sides = set(b.sides.values())
            if sides and direction not in sides and {a.ae or DEFAULT_AE for a in strong} <= set(b.sides):
                # every AE that states a limit also says it never works this way round
                prov = next(iter(b.assoc)).prov if b.assoc else None
                if prov is not None:
                    setattr(st, attr, Fact(0, prov))
            continue
        product = [a for a in cands if a.ae in (None, DEFAULT_AE)]
        if product:
            setattr(st, attr, Fact(product[0].value, product[0].prov))
            # the product-wide figure wins for the statement, but the AEs keep their own limits
            # (the matcher budgets a link by the AE that carries it); no AE is invented here
            for a in cands:
                entity = b.aes.get(a.ae or DEFAULT_AE)
                if a.ae not in (None, DEFAULT_AE) and entity is not None and getattr(entity, attr) is None:
                    setattr(entity, attr, Fact(a.value, a.prov))
            continue
        per_ae: dict[str, _Assoc] = {}
        for a in cands:
            per_ae.setdefault(a.ae or DEFAULT_AE, a)
        for name, a in per_ae.items():
            entity = b.aes.setdefault(name, ApplicationEntity(name))
            setattr(entity, attr, Fact(a.value, a.prov))
        values = [a.value for a in per_ae.values()]
        total: int | str = UNLIMITED if UNLIMITED in values else sum(int(v) for v in values)
        first = next(iter(per_ae.values()))
        setattr(st, attr, Fact(total, first.prov))


def _unstated_direction(b: _Builder, ae: str | None) -> Direction:
    """A limit that does not say its direction: the AE's (or product's) only side, else acceptance."""
    caps = [rec.cap for rec in b.records if ae in (None, DEFAULT_AE) or rec.ae == ae]
    roles = {c.role for c in caps if c.sop_class_uid != uids.VERIFICATION}
    if ae and re.search(r"\bSCU\b|-SCU\b", ae) and "SCP" not in ae:
        return Direction.INITIATE
    if roles == {Role.SCU}:
        return Direction.INITIATE
    return Direction.ACCEPT


def _product(b: _Builder, lines: list[Line]) -> None:
    st = b.statement
    for ln in lines[:200]:
        m = re.search(r"(?:product(?: name)?|system)\s*[:|]\s*\**\s*(.+?)\s*\**\s*$", ln.text, re.I)
        if m and st.product is None:
            st.product = Fact(m.group(1).strip("* "), b.prov(ln.page, ln.line, "", ln.text))
        m = re.search(r"(?:software )?version\s*[:|]\s*\**\s*([\w.\-]+)", ln.text, re.I)
        if m and st.version is None:
            st.version = Fact(m.group(1), b.prov(ln.page, ln.line, "", ln.text))
        m = re.search(
            r"(?:manufacturer|vendor|company(?: name)?)\s*[:|]\s*\**\s*(.+?)\s*\**\s*$", ln.text, re.I
        )
        if m and st.vendor is None:
            st.vendor = Fact(m.group(1).strip("* ."), b.prov(ln.page, ln.line, "", ln.text))
    if st.product is None:
        for ln in lines[:40]:
            m = re.search(r"conformance statement (?:of|for)\s+(.+)$", ln.text, re.I)
            if m:
                st.product = Fact(m.group(1).strip(" .*"), b.prov(ln.page, ln.line, "", ln.text))
                break


# ------------------------------------------------------------------------------ main
def extract(doc: Document) -> Statement:
    """Turn a Document into a Statement; never raises on odd content, records warnings."""
    statement = Statement(source=doc.path, sha256=doc.sha256, pages=doc.pages, warnings=list(doc.warnings))
    return _Reader(doc, statement).run()
