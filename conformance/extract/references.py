"""References between parts of a statement, expanded once the whole document is read.

"All transfer syntaxes of Table 11", "see SCPImageTS", "all Storage SOP classes of
Table Y" and "the SOP classes listed in the ... section" point at tables or sections
that may come later, so they are recorded while reading and resolved at the end.
"""

from __future__ import annotations

import logging
import re

from conformance import uids
from conformance.extract.context import _ContextReader, _sole_role
from conformance.extract.state import _Record, _Section, _SopRef, _TsList
from conformance.model import (
    Direction,
    Role,
)

LOGGER = logging.getLogger(__name__)

_TABLE_ID = re.compile(r"\btable\s*:?\s*((?:[A-Z]\.?)?\d+(?:[.\-–]\d+)*[a-z]?)\b", re.I)
_SECTION_ID = re.compile(r"\b(?:section|chapter|clause|§)\s*([A-Z]?\d+(?:\.\d+)*)", re.I)


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


class _ReferenceResolver(_ContextReader):
    """Expands the references recorded while reading, once the whole document is known."""

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
            only = _sole_role(text)
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
