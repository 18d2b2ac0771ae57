"""Read DICOM meaning out of a :class:`~conformance.document.Document`.

Works the way an expert reads a statement: headings set the context (which AE, accepted
or proposed contexts, SCU or SCP), tables are read by their column headers, and prose
lines that name a SOP class UID count too. Scalars (limits, PDU, implementation
identity, character sets, TLS, IPv6) come from labelled lines.
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

_YES = re.compile(r"^\s*(?:\*\*)?(?:yes|y|x|✓|✔|√|supported|true|•|\+)(?:\*\*)?\s*(?:\(.*\))?\s*$", re.I)
_OPTION = re.compile(r"\b(?:option(?:al)?|configurable|licen[cs]e)\b", re.I)
_ROLE_WORD = re.compile(r"\b(SCU|SCP)\b")
_BOTH = re.compile(r"\b(?:both|SCU\s*(?:/|and|&|,)\s*SCP|SCP\s*(?:/|and|&|,)\s*SCU)\b", re.I)
_ACCEPT = re.compile(r"accept(?:ance|ed|or)|acceptor|\breceiv", re.I)
_INITIATE = re.compile(r"initiat|propos|request(?:or|ed)\b", re.I)


@dataclass
class _Context:
    heading: str = ""
    direction: Direction = Direction.UNSPECIFIED
    roles: tuple[Role, ...] = ()
    ae: str = DEFAULT_AE


@dataclass
class _Builder:
    doc: Document
    statement: Statement
    aes: dict[str, ApplicationEntity] = field(default_factory=dict)
    ts_tables: dict[str, list[str]] = field(default_factory=dict)  # caption id -> TS UIDs

    def prov(self, page: int | None, line: int | None, section: str, text: str) -> Provenance:
        return Provenance(self.statement.source, page, line, section[:120], " ".join(text.split())[:300])

    def add(
        self,
        ctx: _Context,
        sop_uid: str,
        role: Role,
        name: str,
        syntaxes: list[str],
        prov: Provenance,
        support: Support = Support.YES,
    ) -> None:
        ae = self.aes.setdefault(ctx.ae, ApplicationEntity(ctx.ae))
        ae.capabilities.append(
            TransferCapability(sop_uid, role, syntaxes, ctx.direction, support, name.strip(), [prov])
        )

    def unresolved(self, text: str, kind: str, prov: Provenance) -> None:
        if not any(u.text == text and u.kind == kind for u in self.statement.unresolved):
            self.statement.unresolved.append(UnresolvedName(text, kind, prov))


def roles_in(text: str) -> tuple[Role, ...]:
    """Roles a heading or sentence talks about ("as an SCP", "SCU/SCP", "Provider")."""
    if _BOTH.search(text):
        return (Role.SCU, Role.SCP)
    found = {Role(m) for m in _ROLE_WORD.findall(text)}
    if not found:
        low = text.lower()
        if "provider" in low:
            found.add(Role.SCP)
        if re.search(r"\buser of service\b", low):
            found.add(Role.SCU)
    return tuple(sorted(found))


def _update_context(ctx: _Context, text: str, *, heading: bool) -> _Context:
    if heading:
        ctx = _Context(heading=text.strip(), ae=ctx.ae)
        if _ACCEPT.search(text):
            ctx.direction = Direction.ACCEPT
        elif _INITIATE.search(text):
            ctx.direction = Direction.INITIATE
        ctx.roles = roles_in(text)
        m = re.search(r"\b([A-Z][A-Z0-9_\-]{2,})\s+(?:AE|Application Entity)\b", text)
        if m and m.group(1) not in {"DICOM", "SCU", "SCP"}:
            ctx.ae = m.group(1)
        return ctx
    # prose inside a section refines the role hint ("supports ... as an SCP for C-Store")
    if re.search(r"\bas (?:an? )?(?:SCU|SCP)\b|\b(?:SCU|SCP) for\b|\bSCU and SCP\b|\bSCU/SCP\b", text):
        ctx.roles = roles_in(text)
    return ctx


# ---------------------------------------------------------------------------- tables
@dataclass
class _Columns:
    name: int | None = None
    uid: int | None = None
    scu: int | None = None
    scp: int | None = None
    role: int | None = None
    ts: int | None = None
    ts_uid: int | None = None


def _classify_header(row: list[str]) -> _Columns | None:
    cols = _Columns()
    for i, cell in enumerate(row):
        c = " ".join(cell.lower().split())
        if not c:
            continue
        if "transfer syntax" in c or c in {"ts", "transfer syntaxes"}:
            if "uid" in c and cols.ts is not None:
                cols.ts_uid = i
            elif cols.ts is None:
                cols.ts = i
            continue
        if re.search(r"\bscu\b|user of service", c) and "scp" not in c:
            cols.scu = i
        elif re.search(r"\bscp\b|provider of service", c) and "scu" not in c:
            cols.scp = i
        elif c.startswith("role") or c == "role":
            cols.role = i
        elif "uid" in c and cols.uid is None:
            cols.uid = i
        elif cols.name is None and re.search(r"sop class|abstract syntax|name|service|iod|class", c):
            cols.name = i
    if cols.name is None and cols.uid is None:
        return None
    if cols.scu is None and cols.scp is None and cols.role is None and cols.ts is None and cols.uid is None:
        return None
    return cols


def _cell(row: list[str], idx: int | None) -> str:
    return row[idx].strip() if idx is not None and idx < len(row) and row[idx] else ""


def _mark(text: str) -> Support | None:
    """Yes / option / no for an SCU or SCP column cell."""
    if not text:
        return None
    if _YES.match(text):
        return Support.YES
    if _OPTION.search(text):
        return Support.OPTION
    return None


def _syntaxes(b: _Builder, text: str, prov: Provenance) -> list[str]:
    out: list[str] = []
    for uid in uids.find_uids(text):
        if uids.is_transfer_syntax(uid) or not uids.is_standard(uid):
            out.append(uid)
    if out:
        return out
    for part in re.split(r"\n|;|,(?!\s*(?:non|first|process|selection|hierarchical))", text):
        part = part.strip(" -•*")
        if not part:
            continue
        uid = uids.resolve_transfer_syntax(part)
        if uid:
            if uid not in out:
                out.append(uid)
        elif len(part) > 3:
            b.unresolved(part, "transfer_syntax", prov)
    return out


def _sop_from(row: list[str], cols: _Columns) -> tuple[str | None, str]:
    name = _cell(row, cols.name)
    uid_text = _cell(row, cols.uid)
    for uid in uids.find_uids(uid_text):
        if uids.is_sop_class(uid):
            return uid, name
        resolved = uids.resolve_sop_class(name) if name else None
        if resolved and uids.is_standard(uid):
            return resolved, name  # a typo in the UID: the name wins (SCHEMA rule)
        return uid, name
    if name:
        return uids.resolve_sop_class(name), name
    return None, name


def _read_table(b: _Builder, table: Table, ctx: _Context) -> None:
    cols: _Columns | None = None
    last: TransferCapability | None = None
    for r, row in enumerate(table.rows):
        header = _classify_header(row)
        if header is not None and not any(uids.find_uids(c) for c in row):
            cols, last = header, None
            continue
        if cols is None:
            continue
        page, line = table.location(r)
        text = " | ".join(c for c in row if c)
        prov = b.prov(page, line, table.caption or ctx.heading, text)
        sop_uid, name = _sop_from(row, cols)
        ts_text = "\n".join(filter(None, (_cell(row, cols.ts), _cell(row, cols.ts_uid))))
        if sop_uid is None:
            if not name and last is not None and ts_text:
                # continuation row: one more transfer syntax for the row above
                for ts in _syntaxes(b, ts_text, prov):
                    if ts not in last.transfer_syntaxes:
                        last.transfer_syntaxes.append(ts)
                last.provenance.append(prov)
            elif name and len(name) > 3 and not _looks_like_group(name):
                b.unresolved(name, "sop_class", prov)
            continue
        roles: list[tuple[Role, Support]] = []
        if cols.scu is not None or cols.scp is not None:
            for role, idx in ((Role.SCU, cols.scu), (Role.SCP, cols.scp)):
                mark = _mark(_cell(row, idx))
                if mark:
                    roles.append((role, mark))
        elif cols.role is not None:
            roles = [(role, Support.YES) for role in roles_in(_cell(row, cols.role))]
        if not roles and cols.scu is None and cols.scp is None:
            roles = [(role, Support.YES) for role in _default_roles(ctx)]
        syntaxes = _syntaxes(b, ts_text, prov) if ts_text else []
        last = None
        for role, support in roles:
            b.add(ctx, sop_uid, role, name, list(syntaxes), prov, support)
            last = b.aes[ctx.ae].capabilities[-1]


def _looks_like_group(text: str) -> bool:
    low = text.lower()
    return (
        bool(re.match(r"^(?:transfer|query|workflow|print|storage|other|network|media)\b", low))
        and len(low.split()) <= 3
    )


def _default_roles(ctx: _Context) -> tuple[Role, ...]:
    if ctx.roles:
        return ctx.roles
    if ctx.direction is Direction.ACCEPT:
        return (Role.SCP,)
    if ctx.direction is Direction.INITIATE:
        return (Role.SCU,)
    return ()


# ----------------------------------------------------------------------------- lines
def _read_line(b: _Builder, line: Line, ctx: _Context) -> None:
    found = [u for u in uids.find_uids(line.text) if uids.is_sop_class(u)]
    if not found:
        return
    roles = roles_in(line.text) or _default_roles(ctx)
    prov = b.prov(line.page, line.line, ctx.heading, line.text)
    for uid in found:
        for role in roles:
            b.add(ctx, uid, role, line.text.split("|")[0], [], prov)


# --------------------------------------------------------------------------- scalars
_INT = r"(\d{1,3}(?:[,.\s]\d{3})+|\d+)"


def _to_int(text: str) -> int:
    return int(re.sub(r"[,.\s]", "", text))


def _scalars(b: _Builder, lines: list[Line]) -> None:
    st = b.statement
    texts = [ln.text for ln in lines]
    for i, ln in enumerate(lines):
        text = ln.text
        window = " ".join(texts[i : i + 3])
        low = text.lower()

        def prov(ln: Line = ln) -> Provenance:
            return b.prov(ln.page, ln.line, "", ln.text)

        if st.implementation_class_uid is None and "implementation class uid" in low:
            found = uids.find_uids(window[low.index("implementation class uid") :])
            if found:
                st.implementation_class_uid = Fact(found[0], prov())
        if st.implementation_version_name is None and "implementation version name" in low:
            m = re.search(
                r"implementation version name\W*(?:is\W*|:\W*)?[\"'`“]?([A-Za-z0-9_.\-/ ]{1,16}?)[\"'`”]?\s*(?:[|)]|$|\.\s)",
                window,
                re.I,
            )
            if m and m.group(1).strip() and m.group(1).strip().lower() not in {"is", "none", "the"}:
                st.implementation_version_name = Fact(m.group(1).strip(), prov())
        if st.max_pdu_receive is None and "pdu" in low and re.search(r"max|maximum", low):
            m = re.search(r"pdu[^0-9]{0,80}?" + _INT + r"\s*(k(?:b|byte)?\b)?", window, re.I)
            if m:
                value = _to_int(m.group(1)) * (1024 if m.group(2) else 1)
                st.max_pdu_receive = Fact(value, prov())
        if "associations" in low and re.search(r"max|maximum|simultaneous|concurrent", low):
            _assoc(b, window, prov())
        for cs in re.findall(r"ISO[_ ]IR[ _]?\d+|ISO 2022 IR \d+|GB18030|GBK", text):
            value = re.sub(r"ISO[_ ]IR[ _]?(\d+)", r"ISO_IR \1", cs) if "2022" not in cs else cs
            if value not in {f.value for f in st.character_sets}:
                st.character_sets.append(Fact(value, prov()))
        if re.search(r"\bTLS\b", text) and st.tls is None:
            st.tls = Fact(not re.search(r"\bnot\b|\bno\b|n/a|unsupported", low), prov())
        if re.search(r"\bIPv6\b", text, re.I) and st.ipv6 is None:
            st.ipv6 = Fact(not re.search(r"\bnot\b|\bno\b|n/a|unsupported", low), prov())


def _assoc(b: _Builder, window: str, prov: Provenance) -> None:
    st = b.statement
    low = window.lower()
    value: int | str | None = None
    if re.search(r"\bunlimited\b|no (?:fixed )?limit", low):
        value = UNLIMITED
    else:
        m = re.search(r"associations[^0-9]{0,60}?(\d+)", window, re.I) or re.search(
            r"(\d+)\s+(?:simultaneous|concurrent)", window, re.I
        )
        if m:
            value = int(m.group(1))
    if value is None:
        return
    if _INITIATE.search(low) and st.max_associations_initiated is None:
        st.max_associations_initiated = Fact(value, prov)
    elif _ACCEPT.search(low) and st.max_associations_accepted is None:
        st.max_associations_accepted = Fact(value, prov)


def _product(b: _Builder, lines: list[Line]) -> None:
    st = b.statement
    for ln in lines[:200]:
        m = re.search(r"(?:product(?: name)?|system)\s*[:|]\s*\**\s*(.+?)\s*\**\s*$", ln.text, re.I)
        if m and st.product is None:
            st.product = Fact(m.group(1).strip("* "), b.prov(ln.page, ln.line, "", ln.text))
        m = re.search(r"(?:software )?version\s*[:|]\s*\**\s*([\w.\-]+)", ln.text, re.I)
        if m and st.version is None:
            st.version = Fact(m.group(1), b.prov(ln.page, ln.line, "", ln.text))
        m = re.search(r"(?:manufacturer|vendor|company)\s*[:|]\s*\**\s*(.+?)\s*\**\s*$", ln.text, re.I)
        if m and st.vendor is None:
            st.vendor = Fact(m.group(1).strip("* "), b.prov(ln.page, ln.line, "", ln.text))
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
    b = _Builder(doc, statement)
    ctx = _Context()
    for block in doc.blocks:
        if isinstance(block, Table):
            _read_table(b, block, ctx)
        else:
            if block.heading:
                ctx = _update_context(ctx, block.text, heading=True)
            else:
                ctx = _update_context(ctx, block.text, heading=False)
                _read_line(b, block, ctx)
    statement.aes = list(b.aes.values())
    lines = doc.lines
    _scalars(b, lines)
    _product(b, lines)
    if not statement.aes:
        statement.warnings.append("no SOP classes found: is this a DICOM conformance statement?")
    return statement
