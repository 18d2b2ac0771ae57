"""Lines of prose: labelled records, SOP classes and transfer-syntax lists in text.

Older and text-only statements give capabilities as sentences, bullet lists or
'SOP Class UID: ... / Role: ...' records rather than tables; this reads them into
the same records the table reader makes.
"""

from __future__ import annotations

import logging
import re

from conformance import uids
from conformance.document import Document, Line, Table
from conformance.extract.context import _ContextReader, _sole_role, _strip_ae, roles_in
from conformance.extract.references import _TS_REF, _ref_targets
from conformance.extract.state import _Builder, _Record, _SopRef, _TsList
from conformance.model import (
    Provenance,
    Role,
    Support,
    TransferCapability,
)

LOGGER = logging.getLogger(__name__)

_TAG = re.compile(r"\(\s*[0-9A-Fa-f]{4}\s*,\s*[0-9A-Fa-f]{4}\s*\)")


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


class _ProseReader(_ContextReader):
    """Reads lines and labelled records into capabilities and transfer-syntax lists."""

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
            if not roles:
                sole = _sole_role(low)
                roles = (sole,) if sole else ()
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
