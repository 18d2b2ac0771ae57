"""Lines of prose: labelled records, SOP classes and transfer-syntax lists in text.

Older and text-only statements give capabilities as sentences, bullet lists or
'SOP Class UID: ... / Role: ...' records rather than tables; this reads them into
the same records the table reader makes. :func:`read_line` is what the walk calls for
each line; :func:`flush_record` ends a labelled record when a heading or table follows.
"""

from __future__ import annotations

import logging
import re

from conformance import uids
from conformance.document import Document, Line, Table
from conformance.extract.context import ctx, default_roles, role_hint, roles_in, sole_role, strip_ae
from conformance.extract.references import (
    ABOVE_TS,
    ALL_TS,
    TS_REF,
    first_entries,
    ref_targets,
    split_exception,
)
from conformance.extract.state import PendingRecord, PrivateLine, ReadingState, Record, SopRef, TsList
from conformance.model import Provenance, Role, Support, TransferCapability

LOGGER = logging.getLogger(__name__)

ATTRIBUTE_TAG = re.compile(r"\(\s*[0-9A-Fa-f]{4}\s*,\s*[0-9A-Fa-f]{4}\s*\)")


def read_syntaxes(state: ReadingState, text: str, prov: Provenance) -> list[str]:
    """Transfer syntaxes a cell or clause gives: its UIDs, else its names (one per line or comma,
    wrapped names joined); names that resolve to nothing are recorded as unresolved."""
    out: list[str] = []
    for uid in uids.find_uids(text):
        if (uids.looks_like_transfer_syntax(uid) or not uids.is_standard(uid)) and uid not in out:
            out.append(uid)
    if out:
        _named_beside_uids(state, text, out)
        return out
    parts = [p.strip(" •*") for p in _ITEM_SPLIT.split(text)]
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
        ts_uid = state.ts_abbrev.get(part.lower()) or uids.resolve_transfer_syntax(part)
        if not ts_uid and "(" in part:  # "Explicit VR Little Endian (preferred)"
            ts_uid = uids.resolve_transfer_syntax(re.sub(r"\s*\([^)]*\)", "", part))
        if ts_uid:
            if ts_uid not in out:
                out.append(ts_uid)
        elif len(part) > 3 and not TS_REF.search(part):
            state.unresolved(part, "transfer_syntax", prov)
    return out


# items of a syntax cell or clause: lines, ';', and commas that do not go on with a name's own words
# ("JPEG Lossless, Non-Hierarchical, First-Order Prediction")
_ITEM_SPLIT = re.compile(r"(?i)\n|;|,(?!\s*(?:non|first|process|selection|hierarchical|lossless|lossy|\d))")


def _named_beside_uids(state: ReadingState, text: str, out: list[str]) -> None:
    """'MPEG-4 AVC/H.264 HP Level 4.1 (1.2.840.10008.1.2.4.102), Explicit VR LE, Implicit VR LE': on a line
    that writes a UID, the items written by name only are syntaxes too. A name on a line of its own
    beside a UID line is that UID's description ("Explicit VR Little Endian" / "1.2.840.10008.1.2.1"),
    and may be loose, so only comma or semicolon items of a UID's own line count, and only names that
    resolve."""
    for line in text.split("\n"):
        if not uids.find_uids(line):
            continue
        for part in _ITEM_SPLIT.split(line):
            item = part.strip(" •*-.")
            if not item or uids.find_uids(item):
                continue
            uid = state.ts_abbrev.get(item.lower()) or uids.resolve_transfer_syntax(item)
            if not uid and "(" in item:
                uid = uids.resolve_transfer_syntax(re.sub(r"\s*\([^)]*\)", "", item))
            if uid and uid not in out:
                out.append(uid)


_ABBREV = re.compile(r"^[A-Za-z][A-Za-z0-9\-]{1,9}$")
_ABBREV_LINE = re.compile(r"^\s*[-*•]?\s*([A-Z][A-Za-z0-9\-]{1,9})\s*(?:[:=–]|\s-)\s*(\S.{4,150})$")


def ts_abbreviations(doc: Document) -> dict[str, str]:
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
        elif not block.literal and ("=" in block.text or ":" in block.text or " - " in block.text):
            m = _ABBREV_LINE.match(block.text)
            if m:
                define(m.group(1), [m.group(2)])
    return out


_RECORD_FIELD = re.compile(
    r"^\s*((?:SOP Class|Abstract Syntax)(?: Name| UID)?|Roles?"
    r"|Transfer Syntax(?:es)?(?: (?:Name|UID))?(?: List)?)\s*:\s*(\S.*)$",
    re.I,
)


def _ts_names(state: ReadingState, text: str) -> list[str]:
    """Transfer syntaxes a line names and nothing else ('- JPEG 2000 Image Compression (Lossless
    Only)', 'ILE, ELE'); [] when any part of it is not a transfer-syntax name (prose)."""
    item = re.sub(r"^\s*(?:[-*•+]|\d+[.)])\s+", "", text).strip(" .;:")
    if not item:
        return []
    whole = state.ts_abbrev.get(item.lower()) or uids.resolve_transfer_syntax(item)
    if whole:
        return [whole]
    parts = [p.strip() for p in re.split(r";|,\s*(?=[A-Z])|\s+and\s+|\s+or\s+", item) if p.strip()]
    found = [state.ts_abbrev.get(p.lower()) or uids.resolve_transfer_syntax(p) for p in parts]
    return list(dict.fromkeys(u for u in found if u)) if len(parts) > 1 and all(found) else []


def _split_ts_clause(state: ReadingState, text: str, prov: Provenance) -> tuple[str, list[str], str]:
    """'All Storage SOP classes of Table 4-3 are accepted with the transfer syntaxes of Table 4-5':
    (the SOP class part, syntaxes named in the clause, a transfer-syntax reference to resolve)."""
    m = re.search(r"\b(?:with|using)\b(?=[^.]*?(?:transfer syntax|endian|jpeg|rle|deflate))", text, re.I)
    if not m:
        return text, [], ""
    head, clause = text[: m.start()], text[m.end() :]
    if ref_targets(clause) and re.search(r"transfer syntax", clause, re.I):
        return head, [], clause
    names = re.sub(
        r"(?i)\b(?:the|following|transfer syntax(?:es)?|only|supported|accepted|proposed|as)\b|[.:]",
        " ",
        clause,
    )
    parts = [p.strip() for p in re.split(r",|;|\band\b|\bor\b", names) if p.strip()]
    found = [state.ts_abbrev.get(p.lower()) or uids.resolve_transfer_syntax(p) for p in parts]
    if parts and all(found):
        return head, list(dict.fromkeys(u for u in found if u)), ""
    return text, [], ""


def uid_like(token: str) -> bool:
    """A UID rather than a deep section number ('2.3.1.2.1.1 Proposed ...' in old GE-style layouts):
    real UIDs have an organisation root with a component of three or more digits, or many parts."""
    parts = token.rstrip(".").split(".")
    return any(len(p) >= 3 for p in parts) or len(parts) >= 8


def read_line(state: ReadingState, line: Line) -> None:
    """One line of running text: a field of a labelled record, or prose."""
    text = line.text
    field = _RECORD_FIELD.match(text)
    if field:
        _record_field(
            state,
            field.group(1).lower(),
            field.group(2),
            state.prov(line.page, line.line, state.section.heading, text),
        )
        state.pending.lines.append(line)
        state.prev_lines.append(text)
        del state.prev_lines[:-3]
        return
    flush_record(state)
    _plain_line(state, line)


def _plain_line(state: ReadingState, line: Line) -> None:
    text = line.text
    section = state.section
    m = re.match(r"^\s*Table\s*:?\s*((?:[A-Z]\.?)?\d+(?:[.\-–]\d+)*)\b", text)
    if m:
        state.table_label = "table " + m.group(1).lower().replace("–", "-")
        state.line_ts = None
    role_hint(state, text)
    found = uids.find_uids(text)
    sops = [u for u in found if uids.is_sop_class(u)]
    ts = [u for u in found if uids.looks_like_transfer_syntax(u)]
    prov = state.prov(line.page, line.line, section.heading, text)
    intro = next((t for t in reversed(state.prev_lines[-2:]) if "transfer syntax" in t.lower()), "")
    if not found and len(text) < 160 and (intro or state.line_ts is not None or section.mentions_ts):
        ts = _ts_names(state, text)  # "- Explicit VR Little Endian" under "... transfer syntaxes:"
    elif sops and not ts and re.search(r"\b(?:with|using)\b", text):
        ts = _split_ts_clause(state, text, prov)[1]  # "Verification SCP (1.2...) with Implicit VR LE only"
    if ts and not sops:
        if state.line_ts is None:
            ids = {state.table_label} if state.table_label else set()
            explicit = bool(ids) or section.mentions_ts or bool(intro)
            state.line_ts = TsList([], section, ids, explicit, hint=intro, prov=prov)
            state.ts_lists.append(state.line_ts)
        for uid in ts:
            if uid not in state.line_ts.syntaxes:
                state.line_ts.syntaxes.append(uid)
    elif not ts and not found and _all_syntaxes_of_above(state, text):
        pass  # "Transfer Syntaxes: All 6 supported transfer syntaxes" under the line naming the class
    elif not ts:
        # one reference per sentence: a paragraph may cite several tables for different roles
        for sentence in re.split(r"(?<=[a-z0-9)][.;])\s+(?=[A-Z])", text):
            _prose_refs(state, sentence, prov)
            if not found:
                _inline_ts_list(state, sentence, prov)
    negated = bool(re.search(r"\b(?:not|never)\b", text))
    if sops and not negated and not ATTRIBUTE_TAG.search(text):
        ae, direction, _roles = ctx(state)
        roles = roles_in(strip_ae(text, ae)) or default_roles(state)
        for uid in sops:
            for role in roles:
                state.add(section, ae, direction, uid, role, text.split("|")[0], ts, prov)
    elif sops and negated:
        state.declined.extend(
            (uid, prov) for uid in sops
        )  # "... is not supported", or a miss: coverage shows it
    private = re.match(r"^\s*((?:\d+\.){4,}\d+)\s+([A-Za-z][\w\- ]{2,80})$", text)
    if (
        private
        and not uids.is_standard(private.group(1))
        and not uids.uid_kind(private.group(1))
        and uid_like(private.group(1))
    ):
        context = " ".join([section.heading, *state.prev_lines[-3:]]).lower()
        run = (
            bool(state.private_lines)
            and state.private_lines[-1].prov.text == " ".join(state.prev_lines[-1:]).strip()
        )
        if run or re.search(r"presentation context|sop class", context):
            ae, direction, _roles = ctx(state)
            state.private_lines.append(
                PrivateLine(private.group(1), private.group(2), ae, direction, section, prov)
            )
    state.prev_lines.append(text)
    del state.prev_lines[:-3]
    state.prose.setdefault(section.sid, []).append(text)


def _all_syntaxes_of_above(state: ReadingState, text: str) -> bool:
    """'Transfer Syntaxes: All 6 supported transfer syntaxes' right under 'Abstract Syntax: Verification
    SOP Class (1.2.840.10008.1.1)': the classes of that line get the statement's list of six (resolved
    with the references, once every list is known)."""
    if not ALL_TS.search(text) or ref_targets(text):
        return False
    recent = {" ".join(t.split())[:300] for t in state.prev_lines[-2:]}
    above = [
        rec
        for rec in state.records[-20:]
        if rec.section is state.section
        and not rec.cap.transfer_syntaxes
        and rec.cap.provenance[0].text in recent
    ]
    for rec in above:
        rec.ts_pending = True
        state.ts_refs.append((rec, text))
    return bool(above)


_INLINE_TS = re.compile(
    r"\b(?:supports?|accepts?|proposes?|uses?|negotiates?)\s+(?:the\s+)?(?:transfer syntax(?:es)?\s+)?"
    r"(?P<names>.+?)\s+(?:transfer syntax(?:es)?\s+)?for\s+(?:all|any|every)\b",
    re.I,
)


def _inline_ts_list(state: ReadingState, sentence: str, prov: Provenance) -> None:
    """'X supports Implicit VR Little Endian, Explicit VR Little Endian and JPEG Lossless for all
    applicable SOP classes': a statement-wide list written inline, when every name is a syntax."""
    m = _INLINE_TS.search(sentence)
    if not m or not re.search(r"endian|jpeg|rle|deflate|mpeg", m.group("names"), re.I):
        return
    names = re.sub(r"\s+(?:and|or)\s+", ", ", m.group("names"))
    unresolved, state.statement.unresolved = state.statement.unresolved, []
    syntaxes = read_syntaxes(state, names, prov)
    complete = not state.statement.unresolved  # every part a syntax name, not a sentence about one
    state.statement.unresolved = unresolved
    if syntaxes and complete:
        state.ts_lists.append(TsList(syntaxes, state.section, set(), True, hint=sentence))


# -- labelled records ----------------------------------------------------------------------
def _record_field(state: ReadingState, label: str, value: str, prov: Provenance) -> None:
    """One line of a 'SOP Class Name: / SOP Class UID: / Role: / Transfer Syntaxes:' record."""
    key = "ts" if "transfer" in label else "role" if "role" in label else "uid" if "uid" in label else "name"
    fields = state.pending.fields
    if key in {"name", "uid"} and (fields.get(key) or (key == "name" and fields.get("uid"))):
        flush_record(state)  # the next class's record begins
    pending = state.pending
    if not pending.fields:
        pending.prov = prov
    pending.fields.setdefault(key, []).append(value)
    if pending.prov is not None and prov.text not in pending.prov.text:
        pending.prov = Provenance(
            prov.file,
            prov.page,
            pending.prov.line,
            prov.section,
            f"{pending.prov.text}; {prov.text}"[:300],
        )


def flush_record(state: ReadingState) -> None:
    """The labelled record being collected is complete (a heading, table or other line follows)."""
    pending = state.pending
    state.pending = PendingRecord()
    record, prov = pending.fields, pending.prov
    if not record or prov is None:
        return
    if ("uid" not in record and "name" not in record) or len(record) < 2:
        # 'Role: SCP' alone, or a glossary's 'Abstract Syntax: the information ...': ordinary prose
        for line in pending.lines:
            _plain_line(state, line)
        return
    name = " ".join(record.get("name", []))
    found = [u for v in record.get("uid", []) for u in uids.find_uids(v)]
    uid = next((u for u in found if uids.is_sop_class(u) or not uids.is_standard(u)), None)
    if uid is None and name:
        resolved = uids.resolve_sop_class(name)
        uid = resolved if resolved and uids.is_sop_class(resolved) else None
    if uid is None:
        if name:
            state.unresolved(name, "sop_class", prov)
        return
    ae, direction, _roles = ctx(state)
    roles = roles_in(" ".join(record.get("role", []))) or default_roles(state)
    syntaxes: list[str] = []
    for value in record.get("ts", []):
        syntaxes.extend(t for t in read_syntaxes(state, value, prov) if t not in syntaxes)
    if not roles:
        cap = TransferCapability(uid, Role.SCP, syntaxes, direction, Support.YES, name or uid, [prov])
        state.roleless.append(Record(cap, ae, state.section, None))
    for role in roles:
        state.add(state.section, ae, direction, uid, role, name or uid, syntaxes, prov)


def _prose_refs(state: ReadingState, text: str, prov: Provenance) -> None:
    """'All the SOP Classes listed in the "Store SCP Conformance" section are available as an SCU'."""
    low = text.lower()
    if (
        re.search(r"\b(?:sop classes|classes)\b.*\b(?:listed|in|of)\b", low)
        and ref_targets(text)
        and re.search(r"\b(?:all|the)\b", low)
        and re.search(r"\b(?:supported|available|accepted|proposed|supports?|accepts|proposes)\b", low)
    ):
        ae, direction, _roles = ctx(state)
        roles = roles_in(strip_ae(text, ae)) or default_roles(state)
        if not roles:
            sole = sole_role(low)
            roles = (sole,) if sole else ()
        if roles and not re.search(r"\bnot\b", low):
            # "... except those listed in Table Y[, which support only the first N entries]"
            rule, exception = split_exception(text)
            sop_text, syntaxes, ts_ref = _split_ts_clause(state, rule, prov)
            if not syntaxes and not ts_ref and ABOVE_TS.search(rule):
                # "support all of the above transfer syntaxes": the last list read before this sentence
                above = next((tl for tl in reversed(state.ts_lists) if tl.syntaxes), None)
                if above is not None:
                    syntaxes, above.group_cited = list(above.syntaxes), True
            state.sop_refs.append(
                SopRef(
                    sop_text,
                    [(r, Support.YES) for r in roles],
                    syntaxes,
                    ts_ref,
                    ae,
                    state.section,
                    direction,
                    prov,
                    before=(len(state.records), len(state.roleless)),
                    except_text=exception,
                    except_first=first_entries(exception),
                )
            )
            return
    if "transfer syntax" in low or state.section.mentions_ts:
        targets = ref_targets(text)
        if targets and re.search(r"\b(?:same|see|as in|listed|all|refer)\b", low):
            state.ts_lists.append(TsList([], state.section, {"ref:" + t for t in targets}))
