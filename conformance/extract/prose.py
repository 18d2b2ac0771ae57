"""Lines of prose: labelled records, SOP classes and transfer-syntax lists in text.

Older and text-only statements give capabilities as sentences, bullet lists or
'SOP Class UID: ... / Role: ...' records rather than tables; this reads them into
the same records the table reader makes. :func:`read_line` is what the walk calls for
each line; :func:`flush_record` ends a labelled record when a heading or table follows.
"""

from __future__ import annotations

import functools
import logging
import re

from conformance import uids
from conformance.document import Document, Line, Table
from conformance.extract.context import (
    ctx,
    default_roles,
    direction_in,
    direction_roles,
    mentions_ts,
    role_hint,
    roles_in,
    sole_role,
    strip_ae,
)
from conformance.extract.named_services import subject_owns
from conformance.extract.references import (
    ABOVE_TS,
    ALL_TS,
    TS_REF,
    first_entries,
    ref_targets,
    split_exception,
)
from conformance.extract.state import (
    PendingRecord,
    PrivateLine,
    ReadingState,
    Record,
    ServiceMention,
    TsList,
)
from conformance.model import Direction, Provenance, Role, Support, TransferCapability
from conformance.words import lower_exact

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
    m = re.match(r"^\s*Table\s*:?\s*((?:[A-Z]\.?)?\d+(?:[.\-–]\d+)*)\b", text) if "Table" in text else None
    if m:
        state.table_label = "table " + m.group(1).lower().replace("–", "-")
        state.line_ts = None
    role_hint(state, text)
    found = uids.find_uids(text)
    sops = [u for u in found if uids.is_sop_class(u)]
    ts = [u for u in found if uids.looks_like_transfer_syntax(u)]
    prov = state.prov(line.page, line.line, section.heading, text)
    intro = next((t for t in reversed(state.prev_lines[-2:]) if mentions_ts(t)), "")
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
        for sentence in _sentences(text):
            _prose_refs(state, sentence, prov)
            if not found:
                _inline_ts_list(state, sentence, prov)
    if sops and not ATTRIBUTE_TAG.search(text):
        _sop_sentences(state, text, ts, prov)
    # a private UID and its name; \s and \d are what str.isspace and str.isdecimal say
    private = (
        re.match(r"^\s*((?:\d+\.){4,}\d+)\s+([A-Za-z][\w\- ]{2,80})$", text)
        if text.lstrip()[:1].isdecimal()
        else None
    )
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
_INLINE_TS_VERBS = ("support", "accept", "propose", "use", "negotiate")
_INLINE_TS_ALL = ("all", "any", "every")


def _sentences(text: str) -> list[str]:
    """A line's sentences: split after '.' or ';' that ends a word, before a capital."""
    if "." not in text and ";" not in text:
        return [text]  # the split needs one of them
    return re.split(r"(?<=[a-z0-9)][.;])\s+(?=[A-Z])", text)


def _inline_ts_list(state: ReadingState, sentence: str, prov: Provenance) -> None:
    """'X supports Implicit VR Little Endian, Explicit VR Little Endian and JPEG Lossless for all
    applicable SOP classes': a statement-wide list written inline, when every name is a syntax."""
    low = sentence.lower()
    if lower_exact(sentence) and not (
        "for" in low
        and any(verb in low for verb in _INLINE_TS_VERBS)
        and any(w in low for w in _INLINE_TS_ALL)
    ):
        return  # what the pattern needs: a verb, "for" and "all", "any" or "every" (see words.py)
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


def _sop_sentences(state: ReadingState, text: str, line_ts: list[str], prov: Provenance) -> None:
    """SOP classes a line writes with their UIDs, sentence by sentence: a paragraph's sentence about
    CT Image Storage gives its syntaxes and role to CT only, not to the Verification class of the
    sentence before; a sentence that says "not" states no support, its neighbours still do."""
    ae, _direction, _roles = ctx(state)
    sentences = re.split(r"(?<=[A-Za-z)\]][.;])\s+(?=[A-Z])", text)
    for sentence in sentences:
        sops = [u for u in uids.find_uids(sentence) if uids.is_sop_class(u)]
        if not sops:
            continue
        if re.search(r"\b(?:not|never)\b", sentence):  # "... is not supported", or a miss: coverage shows it
            state.declined.extend((uid, prov) for uid in sops)
            continue
        if len(sentences) == 1:
            ts = line_ts
        else:
            ts = [u for u in uids.find_uids(sentence) if uids.looks_like_transfer_syntax(u)]
            if not ts and re.search(r"\b(?:with|using)\b", sentence):
                ts = _split_ts_clause(state, sentence, prov)[1]
        roles = roles_in(strip_ae(sentence, ae)) or default_roles(state)
        for uid in sops:
            for role in roles:
                state.add(state.section, ae, ctx(state)[1], uid, role, sentence.split("|")[0], ts, prov)


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
        "classes" in low
        and re.search(r"\b(?:sop classes|classes)\b.*\b(?:listed|in|of)\b", low)
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
            roles_given = [(r, Support.YES) for r in roles]
            exception_first = first_entries(exception)
            state.cite_classes(
                sop_text, exception, exception_first, roles_given, syntaxes, ts_ref, ae, direction, prov
            )
            return
    if "transfer syntax" in low or state.section.mentions_ts:
        targets = ref_targets(text)
        if targets and re.search(r"\b(?:same|see|as in|listed|all|refer)\b", low):
            state.ts_lists.append(TsList([], state.section, {"ref:" + t for t in targets}))


# -- services named in sentences and bullets --------------------------------------------------
# A prose-only statement says "acts as SCP for the Verification and Storage service classes" or
# lists "- Storage SCP: accepts and stores images" under a heading: services by name, no UIDs.
# Only services whose name fixes the SOP class are read as such; "Storage" stands for the storage
# classes the statement lists elsewhere (settled by :func:`apply_storage_mentions`); a bare
# "Query/Retrieve" or "Print" names no class and is left alone. English, German, French, Spanish
# and Portuguese names.
_SERVICES: tuple[tuple[str, str], ...] = (  # (key, pattern): longer names first
    (
        "StorageCommitmentPushModel",
        r"storage[ -]commitment(?:\s+push(?:\s+model)?)?|speicherbest[äa]tigung|engagement de stockage"
        r"|compromiso de almacenamiento|compromisso de armazenamento",
    ),
    ("ModalityPerformedProcedureStep", r"(?:modality\s+)?performed\s+procedure\s+step|\bmpps\b"),
    (
        "ModalityWorklistInformationModelFind",
        r"(?:basic\s+|modality\s+)?work\s?list(?:\s+management)?|\bmwl\b|(?:modalitäts-?)?arbeitsliste"
        r"|liste de travail|lista de trabajo|lista de trabalho",
    ),
    ("InstanceAvailabilityNotification", r"instance availability notification"),
    (
        "Verification",
        r"verification|verifizierung|verifikation|v[ée]rification|verificaci[óo]n|verifica[çc][ãa]o|\bc-echo\b",
    ),
    (
        "storage",
        r"\bstorage\b(?!\s+(?:media|medium|device|capacity|space|director|folder|location|area|backend"
        r"|bucket|path|system|of\b|on\b|in\b))|\bc-store\b|\bspeicherung\b|\bstockage\b|\balmacenamiento\b"
        r"|\barmazenamento\b",
    ),
)
COMMIT_KEY = "StorageCommitmentPushModel"
_SERVICE_RE = re.compile("|".join(f"(?P<{key}>{pat})" for key, pat in _SERVICES), re.I)
_ROLE_WORD_RE = re.compile(
    r"\bSCU\s*(?:/|and|&|\+|und|et|y|e)\s*SCP\b|\bSCP\s*(?:/|and|&|\+|und|et|y|e)\s*SCU\b|\bSCU\b|\bSCP\b"
    r"|\bservice class (?:user|provider)\b(?:\s*\((?:SCU|SCP)\))?"
)
# between a role and the services it is for: "SCP for the Verification, Storage and"
_ROLE_FOR = re.compile(r"^\s*\)?\s*(?:for|of|für|pour|para|per|de)\b[^.;:()]*$", re.I)
_AFTER_ROLE = re.compile(
    r"^\s*(?:\(\s*)?(?:service(?:\s+class)?(?:es)?\s+)?(?:(?:is|are|will be|wird|est|es|é)\s+)?"
    r"(?:supported|provided|implemented|available|unterstützt|supporté|soportado|suportado)?\s*"
    r"(?:(?:as|als|como|comme|en tant que)\s+(?:an?\s+|ein\s+|un\s+|uma?\s+)?)?(?=SCU|SCP|service class)",
    re.I,
)
# the peer's role, not the product's: "accepts images from remote Storage SCUs"
_PEER = re.compile(
    r"\b(?:remote|peer|external|other|foreign|partner|calling|requesting|from|to|by|with|entfernte?n?"
    r"|distante?s?|remotos?|von|vom|zu)\s+(?:\w+\s+){0,2}$",
    re.I,
)
_NOT_STATED = re.compile(
    r"\b(?:not|never|no|nicht|kein\w*|pas|aucun\w*|ningún|ninguna|não|nenhum\w*|planned|geplant|prévu"
    r"|previsto|planeado|planejado|future|zukünftig|roadmap|todo|for example|such as|par exemple"
    r"|por ejemplo|por exemplo|zum beispiel)\b|\b(?:e\.g\.|z\.\s?b\.|p\.\s?ex\.)",
    re.I,
)
# a sentence about what the peers do: "Remote AEs ... if they support the Modality Worklist SOP Class"
_PEER_SUBJECT = re.compile(
    r"^\s*(?:the\s+|a\s+|an\s+)?(?:remote|peer|external|other|partner|foreign|calling|requesting)\b"
    r"|\bif (?:they|the remote|the peer|a remote|the other)\b",
    re.I,
)
# the product's own role: "as an SCP", "als SCU", "SCP for ..."; a bare "an SCP" may be a peer
_OWN_ROLE = re.compile(r"(?:\b(?:as|als|como|comme|en tant que)\s+(?:an?\s+|ein\s+|un\s+|uma?\s+)?)$", re.I)
_EXPLAINS = re.compile(  # sections that explain DICOM rather than state what the product does
    r"glossar|(?<!functional )definition|terms|terminolog|abbreviation|acronym|abkürzung|begriff"
    r"|glossaire|abréviation|glosario|definicion|abreviatura|glossário|definiç|references|literatur|revision|history"
    r"|tutorial|background|primer|introduction to dicom|dicom (?:basics|overview)|about dicom",
    re.I,
)
_SERVICE_HINT = re.compile(  # on lower-cased text: a case-insensitive alternation is five times slower
    r"verif|storage|store|commit|work\s?list|mwl|mpps|procedure step|availability|echo|speicher"
    r"|stockage|almacen|armazen|arbeitsliste|liste de|lista de|image|model|report|presentation|document"
    r"|waveform|print"
)


@functools.lru_cache(maxsize=1024)
def _explains(heading: str) -> bool:
    return bool(_EXPLAINS.search(heading))


# where a list item's name ends: "- Storage SCP: accepts ...", "- Verification (C-ECHO)", "- X – remark";
# not at "Study Root Query/Retrieve Information Model – FIND"
_ITEM_END = re.compile(r"\s*(?:[:(]|\s[-–—]\s(?!(?:c-)?(?:find|move|get)\b))", re.I)
_ARTICLE_FIRST = re.compile(r"^(?:the|a|an|der|die|das|le|la|les|el|los|o|os|um|uma)\s", re.I)
_BULLET = re.compile(r"^\s*(?:[-*•+▪◦–]|\d+[.)])\s+")
# what a SOP class named in a bullet looks like ("- CT Image Storage", "- Study Root C-FIND")
_SOP_WORDS = re.compile(
    r"storage|image|information model|query|retrieve|worklist|verification|commitment|procedure step"
    r"|presentation state|report|\bsr\b|waveform|document|notification|print|film",
    re.I,
)


def service_uid(text: str) -> str | None:
    """The SOP class a cell names by its service alone, in any of the languages read
    ("Verificação (C-ECHO)", "Arbeitsliste", "Storage Commitment"); None for storage (no one class)."""
    name = re.sub(r"\s*\([^)]*\)", "", text).strip(" *:.")
    m = _SERVICE_RE.fullmatch(name)
    if m is None or m.lastgroup in (None, "storage"):
        return None
    return uids.keyword_uid(m.lastgroup)


def read_services(state: ReadingState, line: Line) -> None:
    """Services a sentence or bullet names with the product's role ("acts as SCP for the Verification
    and Storage service classes", "- Storage Commitment SCP: ...", "- Verification" under a heading
    or an "accepts associations for:" line); lines with SOP class UIDs are read by :func:`read_line`."""
    text = line.text
    bullet = bool(_BULLET.match(text))
    if not bullet:
        state.list_intro = (state.section.sid, text)
    low = text.lower()
    with_role = "scu" in low or "scp" in low or "service class" in low
    if not bullet and not with_role and "," not in text:
        return  # a sentence gives a service only with a role, and names a list of classes with commas
    if (
        len(text) > 600
        or not _SERVICE_HINT.search(low)  # most lines name no service: one search, not many
        or _RECORD_FIELD.match(text)
        or any(uids.is_sop_class(u) for u in uids.find_uids(text))
        or any(_explains(node.heading) for node in state.section.chain() if node.heading)
    ):
        return
    item = _BULLET.sub("", text).strip() if bullet else text.strip()
    # a list item names a class or service ("- Verification (C-ECHO)"); a long one is a sentence (a
    # step); an item of up to six words ("short") may take its list's role
    head = _item_name(item) if bullet else item
    bullet = (
        bullet and len(head.split()) <= 10 and not re.search(r"\b(?:is|are|was|were|will|shall|must)\b", head)
    )
    short = bullet and len(head.split()) <= 6 and not _ARTICLE_FIRST.match(head)
    with_role = with_role or bullet
    if not with_role and "," not in item:
        return  # no list of classes, and a sentence gives a service only with a role
    prov = state.prov(line.page, line.line, state.section.heading, text)
    if not bullet and "," in item and _sop_name_list(state, item, prov):
        return
    if not with_role:
        return  # a sentence gives a service only with a role
    for sentence in [item] if bullet else re.split(r"(?<=[.;!?])\s+", item):
        if not _NOT_STATED.search(sentence) and not _PEER_SUBJECT.search(sentence):
            _service_sentence(state, sentence, bullet, short, prov)


def _service_sentence(state: ReadingState, text: str, bullet: bool, short: bool, prov: Provenance) -> None:
    """One sentence or list item: a SOP class an item names, else services with their roles."""
    low = text.lower()
    if not _SERVICE_HINT.search(low) or not (
        bullet or "scu" in low or "scp" in low or "service class" in low
    ):
        return  # a sentence gives a service only with a role; a list item may take its list's
    ae, direction, _roles = ctx(state)
    body = strip_ae(text, ae)
    roles_found = list(_ROLE_WORD_RE.finditer(body))
    if bullet and _bullet_sop_class(state, body, prov):
        return
    services = list(_SERVICE_RE.finditer(body))
    if not services:
        return
    # "Verification and Storage are supported as SCP": one role the sentence gives the product
    own = {
        roles_in(r.group(0))
        for r in roles_found
        if _OWN_ROLE.search(body[: r.start()]) or _ROLE_FOR.match(body[r.end() :])
    }
    for m in services:
        key = m.lastgroup or ""
        roles = _roles_for(body, m, roles_found, sentence=not bullet)
        if roles is None:
            continue  # the peer's role
        if not roles and len(own) == 1 and len({roles_in(r.group(0)) for r in roles_found}) == 1:
            roles = next(iter(own))
        if not roles and short:
            roles = _list_roles(state, key)
        if not roles:
            continue
        uid = "" if key == "storage" else uids.keyword_uid(key)
        state.service_mentions.append(
            ServiceMention(uid, m.group(0), roles, ae, direction, state.section, prov)
        )


def _list_roles(state: ReadingState, key: str) -> tuple[Role, ...]:
    """Roles of a list item that states none: its intro's ("As SCP:", "It accepts associations for:")
    or its heading's ("Storage SCP"). A direction says nothing of storage commitment (its SCP
    also opens associations, to report the result)."""
    sid, intro = state.list_intro
    texts = [intro] if sid == state.section.sid and intro else []
    texts.append(state.section.heading)
    for text in texts:
        roles = roles_in(text)
        if roles:
            return roles
        direction = direction_in(text) or (
            Direction.ACCEPT if re.search(r"\baccepts? associations\b", text, re.I) else None
        )
        if direction is not None and key != COMMIT_KEY:
            return direction_roles(direction)
    return ()


def _roles_for(
    text: str, service: re.Match[str], roles: list[re.Match[str]], *, sentence: bool = False
) -> tuple[Role, ...] | None:
    """The role a service is named with: right after it ("Storage SCP", "Verification (SCU)",
    "Verification is supported as SCP"), or before it ("SCP for the Verification and Storage ...");
    () when neither; None when the role is a peer's ("from remote Storage SCUs") or, in a sentence,
    not the subject's own ("queries the Worklist SCP of the RIS", "if the MPPS SCP rejects")."""
    after = _AFTER_ROLE.match(text[service.end() :])
    if after:
        role = _ROLE_WORD_RE.match(text, service.end() + after.end())
        if role and role.start() - service.end() <= 40:
            if _PEER.search(text[: service.start()]):
                return None
            if sentence and not subject_owns(text, service.start()):
                return None
            return roles_in(role.group(0))
    before = [
        r for r in roles if r.end() <= service.start() and _ROLE_FOR.match(text[r.end() : service.start()])
    ]
    if before:
        return roles_in(before[-1].group(0))
    return ()


def _sop_by_name(text: str) -> str | None:
    """The one SOP class a list item or list part names in full ("CT Image Storage", "Study Root
    Query/Retrieve Information Model – FIND"); None for a service ("Storage"), a group ("Image
    Storage") or anything else."""
    name = text.strip(" *.")
    if not name or len(name.split()) > 10 or not _SOP_WORDS.search(name) or _SERVICE_RE.fullmatch(name):
        return None
    uid = uids.resolve_sop_class(name)
    if uid is None or not uids.is_sop_class(uid):
        return None
    first = uids.normalize_name(name).split()[:1]
    if not first or not uids.normalize_name(uids.uid_name(uid)).startswith(first[0]):
        return None  # "Image Storage" is a group, not CT Image Storage
    return uid


def _named_classes(
    state: ReadingState, names: list[tuple[str, str]], roles: tuple[Role, ...], prov: Provenance
) -> None:
    """SOP classes named without UIDs, in the roles given, or kept without a role until a sentence
    gives them one (a "Storage SCP" elsewhere)."""
    ae, direction, _roles = ctx(state)
    for uid, name in names:
        if not roles:
            cap = TransferCapability(uid, Role.SCP, [], direction, Support.YES, name, [prov])
            state.roleless.append(Record(cap, ae, state.section, None))
        for role in roles:
            state.add(state.section, ae, direction, uid, role, name, [], prov)


def _item_name(item: str) -> str:
    """A list item up to where its name ends (:data:`_ITEM_END`, which needs ':', '(' or a dash)."""
    if ":" not in item and "(" not in item and "-" not in item and "–" not in item and "—" not in item:
        return item
    return re.split(_ITEM_END, item, maxsplit=1)[0]


def _bullet_sop_class(state: ReadingState, item: str, prov: Provenance) -> bool:
    """'- CT Image Storage' under a heading or intro that states the role (or none yet: roleless)."""
    name = _item_name(item).strip(" *.")
    uid = _sop_by_name(name)
    if uid is None:
        return False
    _named_classes(state, [(uid, name)], _list_roles(state, uid), prov)
    return True


def _sop_name_list(state: ReadingState, text: str, prov: Provenance) -> bool:
    """'CT Image Storage, MR Image Storage and Secondary Capture Image Storage.' (after a label or
    not): a line that only names SOP classes, two or more."""
    head, _sep, tail = text.rpartition(":") if ":" in text else ("", "", text)
    if len(head.split()) > 8 or not _SOP_WORDS.search(tail):
        return False
    parts = [p for p in re.split(r"\s*(?:[,;]|\band\b|\bund\b|\bet\b|\by\b|\be\b)\s*", tail.strip(" .")) if p]
    if len(parts) < 2:
        return False
    found = [(_sop_by_name(p), p) for p in parts]
    if not all(uid for uid, _p in found):
        return False
    roles = roles_in(head) if head else ()
    _named_classes(state, [(uid, p) for uid, p in found if uid], roles or _list_roles(state, ""), prov)
    return True


def apply_service_mentions(state: ReadingState) -> None:
    """Pass: services named in prose, where the tables do not state them already (the detail wins
    over the summary). "Storage SCP" gives that role to the storage classes the statement lists
    without one; classes listed for one role are not extended to the other by a summary."""
    if not state.service_mentions:
        return
    stated = {(rec.cap.sop_class_uid, rec.cap.role) for rec in state.records}
    with_role = {uid for uid, _role in stated}  # a table or sentence gave them one already
    listed = [
        rec
        for rec in state.roleless
        if uids.is_storage_sop_class(rec.cap.sop_class_uid) and rec.cap.sop_class_uid not in with_role
    ]
    storage_roles = {role for uid, role in stated if uids.is_storage_sop_class(uid)}
    for mention in state.service_mentions:
        for role in mention.roles:
            if not mention.uid and role in storage_roles:
                continue
            # cited: the sentence that gives the role, and the line that names the class
            named: list[tuple[str, str, list[Provenance]]] = (
                [(mention.uid, mention.name, [])]
                if mention.uid
                else [(r.cap.sop_class_uid, r.cap.name, r.cap.provenance) for r in listed]
            )
            for uid, name, where in named:
                if (uid, role) not in stated:
                    stated.add((uid, role))
                    rec = state.add(
                        mention.section, mention.ae, mention.direction, uid, role, name, [], mention.prov
                    )
                    rec.cap.provenance.extend(p for p in where if p not in rec.cap.provenance)
