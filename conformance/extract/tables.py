"""Tables: column classification and rows to capabilities.

Tables are read from their content (a SOP class UID cell, transfer-syntax cells, a
Role cell, Yes/No marks under SCU/SCP headers) rather than their exact header text,
so repeated, missing or two-level headers read the same way.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from conformance import uids
from conformance.document import Table
from conformance.extract.context import (
    PLANNED_WORDS,
    ae_name,
    ctx,
    default_roles,
    direction_in,
    direction_roles,
    roles_in,
    strip_ae,
)
from conformance.extract.prose import ATTRIBUTE_TAG, read_syntaxes, service_uid
from conformance.extract.references import (
    ABOVE,
    GROUP_REF,
    TABLE_ID,
    TS_REF,
    first_entries,
    ref_targets,
    split_exception,
)
from conformance.extract.scalars import CHARSET_CONTEXT, charsets, scalar_pair, tls_ipv6
from conformance.extract.state import DEFAULT_AE, ReadingState, Record, SopRef, TableSeen, TsList
from conformance.model import (
    ApplicationEntity,
    Direction,
    Fact,
    Provenance,
    Role,
    Support,
    TransferCapability,
)

LOGGER = logging.getLogger(__name__)

_YES = re.compile(
    r"^\s*(?:\*\*)?(?:yes|y|x|✓|✔|√|☑|○|◯|●|◎|supported|true|•|\+|ja|oui|sí|si|sim)(?:\*\*)?\s*[\*¹²³]?\s*(?:\(.*\))?\s*$",
    re.I,
)
_REVIEW_COMMENT = re.compile(
    r"^\s*(?:Commented|Comment|Kommentiert|Commentaire)\s*\[[A-Za-z]{1,5}\d*\]\s*:", re.I
)
_OPTION = re.compile(r"\b(?:option(?:al)?|configurable|licen[cs]ed?)\b", re.I)
_ROLE_CELL = re.compile(  # "SCP (Server)", "SCP (N-CREATE, N-SET)": a remark after the role
    r"^\s*(?:SCU|SCP|both|SCU\s*(?:/|and|&|,|\+)\s*SCP|SCP\s*(?:/|and|&|,|\+)\s*SCU)\s*(?:\([^)]*\))?\s*$",
    re.I,
)
# a status cell that marks a row as not (yet) there: "Planned", "geplant", "Not yet implemented"
_PLANNED = re.compile(rf"^\W*(?:{PLANNED_WORDS})\b", re.I)


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
    r"|syntax|\brolle\b|\br[ôo]le\b|klasse|\bclasse\b"  # de, fr: "Abstrakte Syntax", "Rolle", "Classe SOP"
    # de, pt, es: "Dienst | Rolle | Wann", "Serviço | Papel", "Servicio | Rol | Estado"
    r"|\bdienst\b|\bwann\b|\bservi[çc]o\b|\bservicio\b|\bpapel\b|\bfun[çc][ãa]o\b|\brol\b|\bclase\b"
    r"|sintax[ei]s?|\bnome\b|\bnombre\b|\bstatus\b|\bestado\b|\bzustand\b|\bdescri[pçc]",
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
    # the current PS3.2 overview: one role column per AE ("STORE-SCU | STORE-SCP" headed by AE names)
    ae_roles: dict[int, str] = field(default_factory=dict)


_AE_HEAD = re.compile(r"[A-Z0-9]+(?:[-_][A-Z0-9]+)+|.{1,40}\b(?:AE|Application Entity)")
_DIMSE = re.compile(r"^[CN]-[A-Z]+(?:[-_ ][A-Z]+)*$")
_NO_ROLE = re.compile(r"^\s*(?:[-–—]|n/?a|no|none)?\s*$", re.I)


def _ae_role_columns(headers: list[list[str]], rows: list[list[str]], cols: _Columns) -> None:
    """Columns headed by an AE's name whose cells are roles ("SCU", "SCP", "SCU/SCP", "-"): the
    roles that AE takes for the row's class (current PS3.2 Network Services table)."""
    if not headers or not rows:
        return
    width = max(len(r) for r in rows)
    for i in range(width):
        head = " ".join(h[i] for h in headers if i < len(h) and h[i]).strip("*` ")
        if not head or (i in cols.sop and uids.find_uids(" ".join(r[i] for r in rows if i < len(r)))):
            continue
        if not _AE_HEAD.fullmatch(head) or re.fullmatch(r"(?i)scu|scp|roles?", head):
            continue
        cells = [r[i].strip("*` ") for r in rows if i < len(r)]
        roles = [c for c in cells if _ROLE_CELL.match(c.replace("\n", " "))]
        if roles and all(_ROLE_CELL.match(c.replace("\n", " ")) or _NO_ROLE.match(c) for c in cells):
            cols.ae_roles[i] = ae_name(head) or head
    for i in cols.ae_roles:
        for kind in (cols.sop, cols.ts, cols.other):
            if i in kind:
                kind.remove(i)
        cols.scu = None if cols.scu == i else cols.scu
        cols.scp = None if cols.scp == i else cols.scp
        cols.role = None if cols.role == i else cols.role


def _is_header_row(row: list[str]) -> bool:
    cells = [c for c in row if c.strip()]
    if not cells or any(uids.find_uids(c) for c in cells):
        return False
    if any(_mark(c) for c in cells):
        return False
    distinct = set(cells)
    # AE names heading role columns, one per AE (not DIMSE names such as C-STORE in a data row)
    named = {c for c in distinct if _AE_HEAD.fullmatch(c.strip("*` ")) and not _DIMSE.match(c.strip("*` "))}
    if len(distinct - named) >= 2 and (
        len(named) >= 2 or any(re.search(r"\bAE\b|Application Entity", c) for c in named)
    ):
        distinct -= named
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
        elif re.search(r"\brole\b|\brolle\b|\brôle\b|\bpapel\b|\bfun[çc][ãa]o\b|\brol\b", text):
            cols.role = i
        elif re.search(
            r"\bscu\b|user of|\buser\b|\bsends?\b|\binitiator\b|\busu[áa]rio\b|\bbenutzer\b|\butilisateur\b",
            text,
        ) and not re.search(r"\bscp\b|provider", text):
            cols.scu = i
        elif re.search(
            r"\bscp\b|provider|\breceives?\b|\bacceptor\b|\bprovedor\b|\bproveedor\b|\banbieter\b|\bfournisseur\b",
            text,
        ) and not re.search(r"\bscu\b|user of", text):
            cols.scp = i
        elif re.search(
            r"sop|abstra[ck]t|\bname\b|\buid\b|\bservice\b|\bclass|\biod\b|storage|modality|klasse|\bdienst\b"
            r"|servi[çc]o|servicio|\bnome\b|\bnombre\b|\bclase\b",
            text,
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
        for m in TABLE_ID.finditer(text or ""):
            ids.add("table " + m.group(1).lower().replace("–", "-"))
    return ids


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
        by_name = uids.resolve_sop_class(clean) or service_uid(clean)  # "Verificación", "Arbeitsliste"
        if by_name and uids.is_sop_class(by_name):
            return by_name, name, None
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


def _infer_ts_columns(state: ReadingState, rows: list[list[str]], cols: _Columns) -> None:
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
        unresolved, state.statement.unresolved = state.statement.unresolved, []
        prov = Provenance(state.statement.source, None, None, "", "")
        for n, cell in enumerate(cells):
            before = len(state.statement.unresolved)
            if read_syntaxes(state, cell, prov) and len(state.statement.unresolved) == before:
                named += 1
            elif n >= 2 and named == 0:
                break  # three cells in, none a transfer-syntax name
        state.statement.unresolved = unresolved  # a probe: names it could not read are not reported from here
        if named * 2 > len(cells):
            cols.ts.append(i)
            if i in cols.sop:
                cols.sop.remove(i)
            if i in cols.other:
                cols.other.remove(i)


def _join_wrapped_cells(rows: list[list[str]], body: int, cols: _Columns) -> None:
    """Cells that text tables (aligned plain text, PDF text without rules) split over two rows.

    "Grayscale Softcopy" / "Pres. State" in the Abstract Syntax column is one name when neither
    part names a class and together they do, and the second row states no role of its own; a
    syntax name ending in a comma or hyphen ("JPEG Lossless, Non-Hierarchical,") goes on in
    the next row's syntax cell.
    """
    sop = cols.sop[0] if len(cols.sop) == 1 else None
    firsts = [i for i in (cols.role, cols.scu, cols.scp) if i is not None]
    for r in range(body, len(rows) - 1):
        row, nxt = rows[r], rows[r + 1]
        if sop is not None and not any(nxt[i].strip() for i in firsts):
            name, more = row[sop].strip(), nxt[sop].strip()
            if (
                name
                and more
                and not uids.find_uids(name + more)
                and not uids.resolve_sop_class(name)
                and not uids.resolve_sop_class(more)
                and uids.resolve_sop_class(f"{name} {more}")
            ):
                row[sop], nxt[sop] = f"{name} {more}", ""
        for i in cols.ts:
            above, below = row[i].rstrip(), nxt[i].strip()
            if above.endswith((",", "-")) and below and not uids.find_uids(below) and not _cell(nxt, sop):
                first, _, rest = below.partition("\n")
                row[i], nxt[i] = f"{above}\n{first}", rest


def _same_ae(a: str, b: str) -> bool:
    def norm(x: str) -> str:
        return re.sub(
            r"(?:application ?entity|ae)$", "", re.sub(r"[^a-z0-9 ]", "", x.lower()).strip()
        ).replace(" ", "")

    return norm(a) == norm(b)


@dataclass
class _TableRead:
    """One table being read: its layout, the scope its caption sets, and what its rows gave so far."""

    table: Table
    index: int  # the table's number in reading order
    ids: set[str]  # what other text may cite it by ("table 4-2", an RST name)
    rows: list[list[str]]  # padded to the same width
    body: int  # first row after the header rows
    headers: list[list[str]]  # header rows in force (a header repeated mid-table replaces them)
    cols: _Columns
    caption: str
    ae: str
    direction: Direction
    fallback_roles: tuple[Role, ...]  # roles of a row that states none: caption, section, direction
    sop_table: bool  # its columns or cells are SOP classes
    seen: TableSeen  # what the coverage account learns of it
    last: list[Record] = field(default_factory=list)  # the row above's records (continuation rows)
    last_ref: SopRef | None = None  # the row above cited other SOP classes ("all classes of Table X")
    group: str = ""  # the group label row above ("Image Storage SOP Classes")
    ts_only: list[str] = field(default_factory=list)  # syntaxes of rows without a SOP class
    ts_labelled: bool = False  # a "Transfer Syntaxes | ..." row
    found_sop: bool = False


def read_table(state: ReadingState, table: Table, index: int) -> None:
    """One table: capabilities from its rows, else a transfer-syntax list; scalar rows; AE titles."""
    t = _open_table(state, table, index)
    state.tables.append(t.seen)
    top_headers = list(t.headers)
    for r in range(t.body, len(t.rows)):
        _read_row(state, t, r)
    if t.ts_only and not t.found_sop:
        _syntax_list(state, t)
    before = _scalar_count(state)
    _scalar_rows(state, table, t.rows[t.body :], t.caption, t.ae if t.ae != DEFAULT_AE else None, t.body)
    _ae_titles(state, table, t.rows, top_headers, t.caption)
    t.seen.scalars = _scalar_count(state) - before
    state.prev_lines.append("")  # a caption above this table is not the next table's caption


def _scalar_count(state: ReadingState) -> int:
    """How many scalar statements the state holds (to count what one table's rows gave)."""
    st = state.statement
    facts = (st.implementation_class_uid, st.implementation_version_name, st.tls, st.ipv6)
    return (
        len(state.assoc)
        + len(state.pdu)
        + len(st.character_sets)
        + len(st.ports)
        + sum(f is not None for f in facts)
        + sum((e.ae_title is not None) + (e.port is not None) for e in state.aes.values())
    )


def _open_table(state: ReadingState, table: Table, index: int) -> _TableRead:
    """The table's ids, header rows and column kinds, and the AE/direction/roles its caption sets."""
    ids = _table_ids(table, state.prev_lines)
    if state.table_label:
        ids.add(state.table_label)
    state.table_ids[index] = ids
    state.table_titles[index] = " ".join(
        [table.caption, *(t for t in state.prev_lines[-2:] if re.match(r"^\s*table\b", t, re.I))]
    )
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
        _infer_ts_columns(state, rows[k:], cols)  # a headerless table (a continuation, a lost header)
    _ae_role_columns(headers, rows[k:], cols)
    _join_wrapped_cells(rows, k, cols)
    caption = table.caption or state.section.heading
    ae_cap = ae_name(caption) if caption != state.section.heading else None
    ae, direction, _roles = ctx(state)
    if ae_cap and not re.search(r"\bAEs\b", caption):
        ae = ae_cap
    cap_body = strip_ae(caption, ae)
    if caption != state.section.heading:
        direction = direction_in(cap_body) or direction
    cap_roles = roles_in(cap_body) if caption != state.section.heading else ()
    sop_table = (
        bool(cols.sop)
        and any(re.search(r"sop|abstract", " ".join(h[i] for h in headers).lower()) for i in cols.sop)
    ) or any(uids.is_sop_class(u) for r in rows for c in r for u in uids.find_uids(c))
    fallback_roles = cap_roles or default_roles(state) or direction_roles(direction)
    page, line = table.location(0)
    seen = TableSeen(index, table.caption, page, line, len(rows), list(range(k)))
    return _TableRead(
        table, index, ids, rows, k, headers, cols, caption, ae, direction, fallback_roles, sop_table, seen
    )


def _read_row(state: ReadingState, t: _TableRead, r: int) -> None:
    """One body row: a repeated header, a reference to other classes, a group label, or a SOP class row."""
    row = t.rows[r]
    page, line = t.table.location(r)
    text = " | ".join(dict.fromkeys(c for c in row if c))
    prov = state.prov(page, line, t.caption, text)
    if _REVIEW_COMMENT.match(next((c for c in row if c.strip()), "")):
        return  # a Word review comment printed between two rows: the rows around it go on
    if r > 0 and len({c for c in row if c.strip()}) >= 2 and _is_header_row(row):
        t.seen.header_rows.append(r)
        t.headers = [row]
        t.cols = _columns(t.headers, len(row))
        t.last = []
        return
    cols = t.cols
    ts_text = "\n".join(_cell(row, i) for i in dict.fromkeys(cols.ts) if _cell(row, i))
    first_text = next((c for c in row if c.strip() and not uids.find_uids(c)), "")
    if GROUP_REF.search(first_text) and not any(uids.is_sop_class(u) for c in row for u in uids.find_uids(c)):
        t.last_ref = _row_sop_ref(
            state, row, cols, first_text, prov, t.ae, t.direction, t.fallback_roles, ts_text
        )
        if t.last_ref:
            t.last_ref.table = t.index
            t.last = []
            return
    label = _group_label(row) if len(row) > 1 else None
    if label and not (cols.ts and ts_text):
        t.group = label
        t.last, t.last_ref = [], None
        return
    if ATTRIBUTE_TAG.search(" ".join(row)):
        return  # an attribute row ("Referenced SOP Class UID | (0008,1150) | UI ..."): no service
    sop_uid, name, sop_idx = _sop_in(row, cols, t.sop_table)
    if sop_uid is None:
        _row_without_sop(state, t, row, prov, name, ts_text, first_text, label)
    else:
        _sop_row(state, t, row, prov, sop_uid, name, sop_idx, ts_text)


def _row_without_sop(
    state: ReadingState,
    t: _TableRead,
    row: list[str],
    prov: Provenance,
    name: str,
    ts_text: str,
    first_text: str,
    label: str | None,
) -> None:
    """A row with no SOP class: more syntaxes for the row (or reference) above, a transfer-syntax
    list's entry, or a name that resolves to no SOP class."""
    cols = t.cols
    if label and not (cols.ts and ts_text):
        t.group = label
        t.last, t.last_ref = [], None
        return
    row_ts = list(
        dict.fromkeys(u for c in row for u in uids.find_uids(c) if uids.looks_like_transfer_syntax(u))
    )
    if not row_ts and ts_text:
        row_ts = read_syntaxes(state, ts_text, prov)
    cells = [c for c in row if c.strip()]
    if (
        not row_ts
        and len(cells) >= 2
        and re.search(r"transfer syntax", cells[0], re.I)
        and not re.search(r"\b(?:preferred|default)\b", cells[0], re.I)  # a setting, not a list
    ):
        # "Transfer Syntaxes | JPEG ..."
        row_ts = read_syntaxes(state, "\n".join(cells[1:]), prov)
        if row_ts:
            t.ts_only.extend(ts for ts in row_ts if ts not in t.ts_only)
            t.ts_labelled = True
            return
    row_uids = [u for c in row for u in uids.find_uids(c)]
    only_ts = bool(row_ts) and (
        all(uids.looks_like_transfer_syntax(u) for u in row_uids)
        if row_uids
        # no UID at all: a name in the Abstract Syntax column that is no syntax name is a class
        # the reader could not name ("Enh. XY Image"), not more syntaxes for the row above
        else not (cols.sop and name and not uids.resolve_transfer_syntax(name))
    )
    if t.last_ref is not None and row_ts and (not name or only_ts or not first_text):
        t.last_ref.syntaxes.extend(ts for ts in row_ts if ts not in t.last_ref.syntaxes)
        if t.last_ref.ts_ref and not TS_REF.search(ts_text):
            t.last_ref.ts_ref = ""
        return
    if not name or only_ts or (cols.ts and not _cell(row, cols.sop[0] if cols.sop else None) and t.last):
        for rec in t.last:  # continuation row: more syntaxes for the row above
            for ts in row_ts:
                if ts not in rec.cap.transfer_syntaxes:
                    rec.cap.transfer_syntaxes.append(ts)
            rec.cap.provenance.append(prov)
        if not t.last:
            t.ts_only.extend(ts for ts in row_ts if ts not in t.ts_only)
        return
    if row_ts and not t.last:
        t.ts_only.extend(ts for ts in row_ts if ts not in t.ts_only)
        return
    if name and len(name) > 3 and t.sop_table and not label:
        state.unresolved(name, "sop_class", prov)


def _sop_row(
    state: ReadingState,
    t: _TableRead,
    row: list[str],
    prov: Provenance,
    sop_uid: str,
    name: str,
    sop_idx: int | None,
    ts_text: str,
) -> None:
    """A row naming a SOP class: one capability per (class, role) with the row's syntaxes."""
    cols = t.cols
    if any(
        _PLANNED.match(c) and len(c.split()) <= 5  # not "Planned Imaging Agent Administration SR Storage"
        for i, c in enumerate(row)
        if i != sop_idx and i not in cols.ts and c.strip() and c.strip() != name.strip()
    ):
        return  # a status column says the row is planned, not implemented
    t.found_sop = True
    t.last_ref = None
    roles = _row_roles(row, cols, sop_idx)
    if roles == [] and any(_cell(row, i) for i in (cols.scu, cols.scp)):
        state.declined.append((sop_uid, prov))  # "No | No" under SCU/SCP: stated as not supported
    if roles is None:
        roles = [(role, Support.YES) for role in t.fallback_roles]
        if not roles:
            cap = TransferCapability(sop_uid, Role.SCP, [], t.direction, Support.YES, name, [prov])
            state.roleless.append(Record(cap, t.ae, state.section, t.index, t.group))
    if ts_text and not uids.find_uids(ts_text) and uids.resolve_sop_class(ts_text):
        ts_text = ""  # a SOP class name under a mislabelled "Transfer Syntax" header
    syntaxes = read_syntaxes(state, ts_text, prov) if ts_text else []
    if not cols.ts:
        syntaxes = [
            u
            for i, c in enumerate(row)
            if i != sop_idx
            for u in uids.find_uids(c)
            if uids.looks_like_transfer_syntax(u)
        ]
    t.last = []
    # one cell may list several SOP classes that share the row's syntaxes and role
    sop_uids = [sop_uid] + [
        u for u in uids.find_uids(_cell(row, sop_idx)) if u != sop_uid and uids.is_sop_class(u)
    ]
    per_ae = [
        (ae, role) for i, ae in cols.ae_roles.items() for role in roles_in(_cell(row, i).replace("\n", " "))
    ]
    if per_ae:
        for uid in dict.fromkeys(sop_uids):
            for ae, role in per_ae:
                rec = state.add(
                    state.section, ae, t.direction, uid, role, name, list(syntaxes), prov, table=t.index
                )
                rec.from_marks = True  # an overview: the AE's contexts, if listed, give the syntaxes
                t.last.append(rec)
        return
    for uid in dict.fromkeys(sop_uids):
        for role, support in roles:
            rec = state.add(
                state.section,
                t.ae,
                t.direction,
                uid,
                role,
                name,
                list(syntaxes),
                prov,
                support,
                t.index,
                t.group,
            )
            rec.from_marks = cols.scu is not None or cols.scp is not None
            if ts_text and not syntaxes:
                rec.ts_pending = True
                state.ts_refs.append((rec, ts_text))
            t.last.append(rec)


def _syntax_list(state: ReadingState, t: _TableRead) -> None:
    """A table of transfer syntaxes and no SOP class: a list the passes give to classes listed elsewhere."""
    # "... are accepted with these transfer syntaxes:" just above a headerless list ("Transfer-Syntaxen")
    intro = [line for line in state.prev_lines[-2:] if re.search(r"transfer[ -]syntax", line, re.I)]
    rows = t.rows
    first = rows[0] if rows and not any(uids.find_uids(c) for c in rows[0]) else []
    hint = " ".join(
        [
            t.caption if t.caption != state.section.heading else "",
            *intro,
            *(c for h in t.headers for c in h),
            *first,
        ]
    )
    explicit = (
        bool(t.cols.ts)
        or t.ts_labelled
        or bool(re.search(r"transfer[ -]syntax", f"{t.caption} {state.section.heading} {hint}", re.I))
    )
    page, line = t.table.location(t.body)
    prov = state.prov(
        page, line, t.caption, " | ".join(c for c in rows[t.body] if c) if t.body < len(rows) else ""
    )
    state.ts_lists.append(TsList(t.ts_only, state.section, t.ids, explicit, hint, table=t.index, prov=prov))


def _ae_titles(
    state: ReadingState, table: Table, rows: list[list[str]], headers: list[list[str]], caption: str
) -> None:
    """'Application Entity | Default AE Title | Default TCP/IP Port' rows into the AEs they name."""
    head = [" ".join(h[i] for h in (headers or rows[:1]) if i < len(h)).lower() for i in range(len(rows[0]))]
    title_col = next((i for i, h in enumerate(head) if re.search(r"\bae[ -]?title|\baet\b", h)), None)
    if title_col is None:
        return
    port_col = next((i for i, h in enumerate(head) if re.search(r"\bport\b", h)), None)
    name_col = next((i for i, h in enumerate(head) if i not in (title_col, port_col)), None)
    st = state.statement
    for r, row in enumerate(rows):
        if r < max(len(headers), 1):
            continue
        title = re.sub(r"[`*\"']|\(.*?\)", "", _cell(row, title_col)).strip()
        if not title or len(title) > 16 or " " in title:
            continue
        page, line = table.location(r)
        prov = state.prov(page, line, caption, " | ".join(c for c in row if c))
        name = _cell(row, name_col) or title
        key = next((k for k in state.aes if k != DEFAULT_AE and _same_ae(k, name)), None) or (
            ae_name(name) or name
        )
        entity = state.aes.setdefault(key, ApplicationEntity(key))
        if entity.ae_title is None:
            entity.ae_title = Fact(title, prov)
        port = re.search(r"\b(\d{2,5})\b", _cell(row, port_col))
        if port and 0 < int(port.group(1)) < 65536:
            if entity.port is None:
                entity.port = Fact(int(port.group(1)), prov)
            if int(port.group(1)) not in {f.value for f in st.ports}:
                st.ports.append(Fact(int(port.group(1)), prov))


def _row_sop_ref(
    state: ReadingState,
    row: list[str],
    cols: _Columns,
    name: str,
    prov: Provenance,
    ae: str,
    direction: Direction,
    fallback_roles: tuple[Role, ...],
    ts_text: str,
) -> SopRef | None:
    text = name or next((c for c in row if c), "")
    if text and GROUP_REF.search(text) and not ref_targets(text):
        # "All Storage SOP Classes | See Section 8": the target in the UID column beside the name
        others = [
            _cell(row, i)
            for i in range(len(row))
            if i not in cols.ts and i not in (cols.role, cols.scu, cols.scp)
        ]
        text = " ".join(dict.fromkeys(c for c in others if c))
    if not text or not GROUP_REF.search(text) or not (ref_targets(text) or ABOVE.search(text)):
        return None
    roles = _row_roles(row, cols, None) or [(r, Support.YES) for r in fallback_roles]
    syntaxes = read_syntaxes(state, ts_text, prov) if ts_text else []
    if not syntaxes:
        syntaxes = list(
            dict.fromkeys(u for c in row for u in uids.find_uids(c) if uids.looks_like_transfer_syntax(u))
        )
    ts_ref = ts_text if ts_text and not syntaxes else ""
    rule, exception = split_exception(text)  # "All SOP Classes of Table 4 except those of Table 5"
    return state.cite_classes(
        rule, exception, first_entries(exception), roles, syntaxes, ts_ref, ae, direction, prov
    )


# -- scalars from table rows -------------------------------------------------------------
def _scalar_rows(
    state: ReadingState, table: Table, rows: list[list[str]], caption: str, ae: str | None, offset: int
) -> None:
    # a "Parameter | Configurable | Default" table restates defaults: weaker than the AE sections
    head = [c.strip().lower() for c in table.rows[0]] if table.rows else []
    weak = any(re.fullmatch(r"configurable(?: \(yes/no\))?|default(?: value)?", c) for c in head)
    group_ae = ae
    for r, row in enumerate(rows):
        cells = [c.strip() for c in row if c.strip()]
        if len(set(cells)) == 1:
            named = ae_name(cells[0])  # "STORAGE-SCU AE Parameters" groups the rows below
            group_ae = named if named else ae
            continue
        if len(cells) < 2:
            continue
        page, line = table.location(r + offset)
        label, values = cells[0], cells[1:]
        prov = state.prov(page, line, caption, " | ".join(cells))
        n_assoc = len(state.assoc)
        scalar_pair(state, label, values, caption, state.section, ae_name(label) or group_ae, prov)
        for a in state.assoc[n_assoc:]:
            a.weak = weak
        tls_ipv6(state, " | ".join(cells), prov)
        if CHARSET_CONTEXT.search(f"{caption} {state.section.heading} {' '.join(table.rows[0])}"):
            charsets(state, " | ".join(cells), prov)
