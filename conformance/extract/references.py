"""References between parts of a statement, expanded once the whole document is read.

"All transfer syntaxes of Table 11", "see SCPImageTS", "all Storage SOP classes of
Table Y" and "the SOP classes listed in the ... section" point at tables or sections
that may come later, so the walk records them in the reading state and the passes here
resolve them once the whole document is read: :func:`resolve_references` (transfer
syntaxes and SOP classes given by reference), then :func:`private_classes`.
"""

from __future__ import annotations

import logging
import re

from conformance import uids
from conformance.extract.state import ReadingState, Record, Section, SopRef
from conformance.model import Direction, Role

LOGGER = logging.getLogger(__name__)

TABLE_ID = re.compile(r"\btable\s*:?\s*((?:[A-Z]\.?)?\d+(?:[.\-–]\d+)*[a-z]?)\b", re.I)
_SECTION_ID = re.compile(r"\b(?:section|chapter|clause|§)\s*([A-Z]?\d+(?:\.\d+)*)", re.I)


def ref_targets(text: str) -> list[str]:
    """Ids a reference names: 'table 11', 'section 5.1.2', or a bare name like 'SCPImageTS'."""
    out = ["table " + m.group(1).lower().replace("–", "-") for m in TABLE_ID.finditer(text)]
    out += ["section " + m.group(1).lower() for m in _SECTION_ID.finditer(text)]
    m = re.search(r"\b(?:see|in|of|from)\s+(?:the\s+)?[\"“']?([A-Za-z][\w\-]*[A-Z][\w\-]*)[\"”']?", text)
    if m and not out:
        out.append(m.group(1).lower())
    m = re.search(r"[\"“]([^\"”]{3,80})[\"”]", text)
    if m:
        out.append("heading " + m.group(1).strip().lower())
    m = re.search(r"\b(?:section|table)\s+[\"“]?([A-Z][^\"”.;,()]{3,80})", text)
    if m and not _SECTION_ID.search(text) and not TABLE_ID.search(text):
        out.append("heading " + m.group(1).strip().lower())
    return out


TS_REF = re.compile(
    r"\b(?:all|any|see|same|as (?:listed|in)|listed in|of table|refer)\b"
    r".*?(?:transfer syntax|table|section|\bsee\b)"
    r"|\bsee\b|\btable\s+[A-Z]?\d",
    re.I,
)
# "the Storage SOP Classes listed above": the class lists read before the citing row or sentence
ABOVE = re.compile(r"\b(?:listed |given |shown )?above\b|\b(?:preceding|previous) (?:table|section)\b", re.I)
ABOVE_TS = re.compile(
    r"\babove(?:-mentioned)? transfer syntax|\btransfer syntax(?:es)? (?:listed |given )?above", re.I
)
_FIRST_N = re.compile(
    r"\bonly the first (\d+|two|three|four|five|six|seven|eight) (?:entries|transfer syntax|syntax|rows)",
    re.I,
)
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}


# "All 6 supported transfer syntaxes", "all the transfer syntaxes listed above": the statement's own list,
# cited by its size or as a whole rather than by a table id
ALL_TS = re.compile(
    r"\ball\s+(?:of\s+)?(?:the\s+)?(?:(?P<n>\d{1,2}|two|three|four|five|six|seven|eight)\s+)?"
    r"(?:(?:supported|listed|standard|above|available|accepted|proposed)\s+)*transfer[ -]syntax(?:es)?\b",
    re.I,
)


def split_exception(text: str) -> tuple[str, str]:
    """('All SOP classes of Table 6-2 ...', 'those listed in Table 6-3 ...') of a rule with an exception."""
    parts = re.split(r"(?i),?\s*\bexcept(?:ing)?\b", text, maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def first_entries(text: str) -> int | None:
    """N of 'support only the first N entries (of the transfer-syntax table)', if the text says it."""
    m = _FIRST_N.search(text)
    if not m:
        return None
    word = m.group(1).lower()
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


GROUP_REF = re.compile(
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


def _known_targets(state: ReadingState, text: str) -> list[str]:
    """Reference targets in text, plus any word that is a known table name ("s. SCUImageTS")."""
    known = set().union(*state.table_ids.values()) if state.table_ids else set()
    known |= {i for tl in state.ts_lists for i in tl.ids}
    words = [w.lower() for w in re.findall(r"[\w\-]+", text) if w.lower() in known]
    return list(dict.fromkeys(ref_targets(text) + words))


def _ts_for(state: ReadingState, ref: str, group: bool = False) -> list[str] | None:
    """The syntaxes of the transfer-syntax lists a reference cites (the first target that has any)."""
    targets = _known_targets(state, ref)
    for target in targets:
        out: list[str] = []
        for tl in state.ts_lists:
            if tl.syntaxes and (target in tl.ids or _section_matches(tl.section, target)):
                out.extend(t for t in tl.syntaxes if t not in out)
                tl.used = True
                tl.referenced = tl.referenced or target in tl.ids
                tl.group_cited = tl.group_cited or group
        if out:
            return out
    return None


def _counted_list(state: ReadingState, ref: str) -> list[str] | None:
    """'All 6 supported transfer syntaxes': the statement's list of that many syntaxes (the one such
    list, or the same syntaxes in each); 'all supported transfer syntaxes': all its lists together.
    Lists of media sections (DICOMDIR, CD-R profiles) are not the network's."""
    m = ALL_TS.search(ref)
    if m is None or ref_targets(ref):
        return None
    word = (m.group("n") or "").lower()
    count = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
    lists = [
        tl
        for tl in state.ts_lists
        if tl.syntaxes
        and tl.explicit
        and tl.section.scope_kind() != "media"
        and (count is None or len(tl.syntaxes) == count)
    ]
    if not lists or (count is not None and len({frozenset(tl.syntaxes) for tl in lists}) != 1):
        return None  # no list of that size, or several that differ: silence rather than a guess
    out: list[str] = []
    for tl in lists:
        out.extend(t for t in tl.syntaxes if t not in out)
        tl.used = True
    return out


def _section_matches(section: Section, target: str) -> bool:
    """Whether a section (or one of its ancestors) is the 'section 5.1.2' or '"heading"' a target names."""
    for node in section.chain():
        if not node.heading:
            continue
        if target.startswith("section ") and node.number and node.number.lower() == target[8:]:
            return True
        if target.startswith("heading ") and target[8:] in node.heading.lower():
            return True
    return False


def resolve_references(state: ReadingState) -> None:
    """Pass: transfer syntaxes and SOP classes that the walk found given by reference."""
    # transfer syntaxes given by reference in a row ("All Transfer Syntaxes of Table 11")
    for rec, ref in state.ts_refs:
        found = _ts_for(state, ref) or _counted_list(state, ref)
        if found:
            rec.cap.transfer_syntaxes.extend(t for t in found if t not in rec.cap.transfer_syntaxes)
        else:
            state.unresolved(ref, "transfer_syntax", rec.cap.provenance[0])
    # prose "same transfer syntaxes as section 5.1.2" become lists of their own
    for tl in state.ts_lists:
        refs = [i[4:] for i in tl.ids if i.startswith("ref:")]
        if refs and not tl.syntaxes:
            found = _ts_for(state, " ".join(_ref_text(r) for r in refs))
            if found:
                tl.syntaxes = found
    # SOP class groups given by reference
    for sop_ref in state.sop_refs:
        _expand_sop_ref(state, sop_ref)


def private_classes(state: ReadingState) -> None:
    """Pass: a private class listed without a role takes the roles of the standard class it sub-classes.

    Vendors build such UIDs by appending the standard UID's tail to their own root
    ("<root>.5.1.4.1.2.1.2" for Patient Root MOVE); with no such match the name is
    kept as unresolved rather than guessed.
    """
    for line in state.private_lines:
        roles = {
            rec.cap.role
            for rec in state.records
            if uids.is_standard(rec.cap.sop_class_uid)
            and rec.cap.sop_class_uid.count(".") >= 6  # a tail of 3+ parts, not "1.1" (Verification)
            and line.uid.endswith("." + rec.cap.sop_class_uid.removeprefix("1.2.840.10008."))
        }
        if not roles:
            state.unresolved(f"{line.uid} {line.name}", "sop_class", line.prov)
            continue
        for role in sorted(roles):
            state.add(line.section, line.ae, line.direction, line.uid, role, line.name, [], line.prov)


def _expand_sop_ref(state: ReadingState, ref: SopRef) -> None:
    targets = _known_targets(state, ref.text)
    picked: list[Record] = []
    # "See Table 5.2-1 and Table 5.2-4": the classes of every table cited with numbers; of names
    # and headings ("section 8", '"Store SCP"'), the first that holds classes
    numbered = [t for t in targets if t.startswith("table ")]
    for target in targets:
        tables = {i for i, ids in state.table_ids.items() if target in ids}
        found = [
            rec
            for rec in [*state.records, *state.roleless]
            # a cited table may stand in the citing row's own section; a cited section is another one
            if (
                rec.table in tables
                if tables
                else _section_matches(rec.section, target) and rec.section is not ref.section
            )
        ]
        have = {id(rec) for rec in picked}
        picked += [rec for rec in found if id(rec) not in have]
        if picked and (len(numbered) < 2 or target not in numbered):
            break
    if not picked:
        # "See Table D.4.2-6" whose number no caption carries, "the SOP classes listed above":
        # the AE's own SOP class tables read before the reference
        n_records, n_roleless = ref.before
        earlier = [*state.records[:n_records], *state.roleless[:n_roleless]]
        for owner in ref.section.chain():
            picked = [
                rec
                for rec in earlier
                if rec.table is not None
                and rec.ae == ref.ae
                and (
                    rec.section.sid < ref.section.sid
                    or (ABOVE.search(ref.text) and rec.section is ref.section)
                )
                and owner in rec.section.chain()
                and rec.cap.direction is Direction.UNSPECIFIED
            ]
            if picked:
                break
    if not picked:
        state.unresolved(ref.text, "sop_class", ref.prov)
        return
    ref.resolved = True
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
        syntaxes = _ts_for(state, ref.ts_ref, group=True) or []
    excepted, first = _exceptions(state, ref)
    picked += [rec for rec in excepted if rec.cap.sop_class_uid not in {p.cap.sop_class_uid for p in picked}]
    excepted_uids = {rec.cap.sop_class_uid for rec in excepted}
    seen: set[tuple[str, Role]] = set()
    for rec in picked:
        own = syntaxes
        if rec.cap.sop_class_uid in excepted_uids:
            own = syntaxes[:first] if first else []  # "support only the first N entries"; else not stated
        for role, support in ref.roles:
            key = (rec.cap.sop_class_uid, role)
            if key in seen:
                continue
            seen.add(key)
            new = state.add(
                ref.section,
                ref.ae,
                ref.direction,
                rec.cap.sop_class_uid,
                role,
                rec.cap.name,
                own,
                ref.prov,
                support,
            )
            # its syntaxes are whatever the cited table said, not this section's
            new.ts_pending = not own


def _exceptions(state: ReadingState, ref: SopRef) -> tuple[list[Record], int | None]:
    """The classes a reference excepts ("... except those listed in Table 6-3") and how many of
    the cited syntaxes they keep ("which support only the first 2 entries", said in the sentence
    or in the caption of the excepted table); (no classes, None) when it states no exception."""
    if not ref.except_text:
        return [], None
    first = ref.except_first
    for target in _known_targets(state, ref.except_text):
        tables = {i for i, ids in state.table_ids.items() if target in ids}
        found = [rec for rec in [*state.records, *state.roleless] if rec.table in tables]
        if found:
            for i in sorted(tables):
                first = first or first_entries(state.table_titles.get(i, ""))
            return found, first
    return [], first
