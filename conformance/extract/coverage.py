"""The coverage account: what the reader saw in a statement and did not use.

A reader that misses a table or a sentence says nothing about it; this pass makes the miss
visible. After every other pass it goes over the document once more, notes every SOP class
and transfer syntax the text writes (a UID) or names in full (first place, number of
places), and compares them with the capabilities extracted. It also says, for each table
and section the walk read, what the reader took from it.

What is counted, and what is not (it would bury the misses a user needs to see):

- names in tables of contents, glossaries, revision histories, reference lists, media
  sections, attribute rows and examples (code fences, literal blocks) are *passing mentions*,
  counted only in total; column headers are not read at all;
- names in a row or sentence that says the product does not support them (a "No" mark, a
  "not supported" cell, a negated sentence, a "Not supported" section) are *declined*;
- service classes ("Storage Service Class") and the media-only DICOMDIR class are no services.
"""

from __future__ import annotations

import functools
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from conformance import uids
from conformance.document import Table
from conformance.extract.context import is_toc_line
from conformance.extract.prose import ATTRIBUTE_TAG
from conformance.extract.state import ReadingState, Section, TableSeen
from conformance.model import Coverage, Provenance, SectionUse, Sighting, TableUse

LOGGER = logging.getLogger(__name__)

_SERVICE_KINDS = frozenset({"SOP Class", "Meta SOP Class"})
_MEDIA_ONLY = frozenset({"1.2.840.10008.1.3.10"})  # Media Storage Directory Storage (DICOMDIR)
# The SOP classes a Meta SOP class is made of (PS3.4 H.3.1, H.3.2; neither pydicom nor pynetdicom holds
# this): a statement that negotiates the meta class uses them, and names them when it describes printing.
_FILM_SESSION, _FILM_BOX, _PRINTER = (
    "1.2.840.10008.5.1.1.1",
    "1.2.840.10008.5.1.1.2",
    "1.2.840.10008.5.1.1.16",
)
_META_PARTS = {
    "1.2.840.10008.5.1.1.9": (_FILM_SESSION, _FILM_BOX, "1.2.840.10008.5.1.1.4", _PRINTER),  # grayscale
    "1.2.840.10008.5.1.1.18": (_FILM_SESSION, _FILM_BOX, "1.2.840.10008.5.1.1.4.1", _PRINTER),  # color
}
_ASIDE_KINDS = frozenset({"contents", "glossary", "history", "references", "media"})
_NEGATED = re.compile(
    r"\b(?:not|never|nicht|kein\w*|non|pas|n[ãa]o|ningun[oa]?|ningún)\b|\bno\b(?!\s*(?:limit|maximum))", re.I
)
_SENTENCE = re.compile(r"(?<=[a-z0-9)][.;!?])\s+(?=[A-Z])")
# a cell that marks its row as not (or not yet) supported: "No", "nicht", "planned", "Not implemented. ..."
_DECLINING_CELL = re.compile(
    r"^\W*(?:(?:no|nein|non|n[ãa]o|n/?a|-|–|—|✗|✘)\W*$"
    r"|(?:not (?:supported|implemented|available)|unsupported|nicht\b|non support|no soportad|n[ãa]o suportad"
    r"|planned|geplant|pr[ée]vu|planificad|planejad|future\b))",
    re.I,
)
# a cell that says the row is supported in some way: then a "No" beside it is only one of its roles
_AFFIRMING_CELL = re.compile(
    r"^\W*(?:yes|y|x|ja|oui|s[íi]|sim|supported|optional|option|✓|✔|√|☑|●|scu|scp|both)\b", re.I
)


@dataclass
class _Tally:
    """Sightings per UID, and the UIDs each table and section names (counted places only)."""

    sop: dict[str, Sighting] = field(default_factory=dict)
    ts: dict[str, Sighting] = field(default_factory=dict)
    declined: dict[str, Sighting] = field(default_factory=dict)
    passing: int = 0
    per_table: dict[int, set[str]] = field(default_factory=dict)
    per_section: dict[int, set[str]] = field(default_factory=dict)


def _see(seen: dict[str, Sighting], uid: str, prov: Provenance | None) -> None:
    sighting = seen.get(uid)
    if sighting is None:
        seen[uid] = Sighting(uid, uids.uid_name(uid), 1, prov)
    else:
        sighting.places += 1


def _mentions(texts: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(SOP class UIDs, transfer-syntax UIDs) a line or a table row writes or names.

    Where the text writes UIDs of a kind, its names of that kind are not looked up: they name the
    same classes (and the lookup is the costly part of this pass)."""
    sop: list[str] = []
    ts: list[str] = []
    for text in texts:
        for uid in uids.find_uids(text):
            if uids.uid_kind(uid) in _SERVICE_KINDS:
                sop.append(uid)
            elif uids.looks_like_transfer_syntax(uid):
                ts.append(uid)
    if not sop or not ts:
        named = [uids.names_in_text(t) for t in texts]
        sop = sop or [u for n in named for u in n[0] if uids.uid_kind(u) in _SERVICE_KINDS]
        ts = ts or [u for n in named for u in n[1]]
    return tuple(u for u in dict.fromkeys(sop) if u not in _MEDIA_ONLY), tuple(dict.fromkeys(ts))


@functools.lru_cache(maxsize=1 << 12)  # running headers and footers repeat on every page
def _line_mentions(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return _mentions([text])


def _scan(state: ReadingState, tally: _Tally) -> None:
    """Every line and table row once: what it writes or names, counted, declined or passing."""
    tables = {t.index: t for t in state.tables}
    kinds: dict[int, str] = {}
    index = -1
    for k, block in enumerate(state.doc.blocks):
        section = state.block_sections[k] if k < len(state.block_sections) else state.root
        kind = kinds.get(section.sid)
        if kind is None:
            kind = kinds[section.sid] = section.scope_kind()
        if isinstance(block, Table):
            index += 1
            seen = tables.get(index)
            if seen is not None:
                _scan_table(state, tally, block, seen, section, kind)
            continue
        sop, ts = _line_mentions(block.text)
        if not sop and not ts:
            continue
        if (
            kind in _ASIDE_KINDS
            or block.literal  # a debug log or configuration example
            or is_toc_line(block.text)
            or ATTRIBUTE_TAG.search(block.text)
        ):
            tally.passing += len(sop) + len(ts)
            continue
        # a paragraph read as one line: each sentence is a place, and says "not" for itself only
        sentences = _SENTENCE.split(block.text)
        for sentence in sentences:
            if len(sentences) > 1:
                sop, ts = _mentions([sentence])
                if not sop and not ts:
                    continue
            prov = state.prov(block.page, block.line, section.heading, sentence)
            declined = kind == "unsupported" or bool(_NEGATED.search(sentence))
            _see_all(tally, sop, ts, prov, section, None, declined)


def _scan_table(
    state: ReadingState, tally: _Tally, table: Table, seen: TableSeen, section: Section, kind: str
) -> None:
    headers = set(seen.header_rows)
    caption = table.caption or section.heading
    for r, row in enumerate(table.rows):
        if r in headers:
            continue  # column headers name kinds of things ("SOP Class Name"), not services
        cells = [c for c in row if c and c.strip()]
        sop, ts = _mentions(cells)
        if not sop and not ts:
            continue
        if kind in _ASIDE_KINDS or ATTRIBUTE_TAG.search(" ".join(cells)):
            tally.passing += len(sop) + len(ts)
            continue
        page, line = table.location(r)
        prov = state.prov(page, line, caption, " | ".join(dict.fromkeys(cells)))
        declined = kind == "unsupported" or (
            any(_DECLINING_CELL.match(c) for c in cells[1:])
            and not any(_AFFIRMING_CELL.match(c) for c in cells[1:])
        )
        _see_all(tally, sop, ts, prov, section, seen.index, declined)


def _see_all(
    tally: _Tally,
    sop: tuple[str, ...],
    ts: tuple[str, ...],
    prov: Provenance,
    section: Section,
    table: int | None,
    declined: bool,
) -> None:
    for uid in sop:
        _see(tally.declined if declined else tally.sop, uid, prov)
    if declined:  # "JPEG 2000 is not supported": named, but not a syntax the reader missed
        sop, ts = (), ()
    for uid in ts:
        _see(tally.ts, uid, prov)
    tally.per_section.setdefault(section.sid, set()).update(sop, ts)
    if table is not None:
        tally.per_table.setdefault(table, set()).update(sop, ts)


def _from_reading(state: ReadingState, tally: _Tally) -> None:
    """What the reader itself resolved and did not attach (fuzzy names the exact scan cannot see)."""
    for rec in state.roleless:
        uid = rec.cap.sop_class_uid
        kind = rec.section.scope_kind()
        if (
            uid in tally.sop
            or uid in tally.declined
            or uids.uid_kind(uid) not in _SERVICE_KINDS
            or uid in _MEDIA_ONLY
            or kind in _ASIDE_KINDS
        ):
            continue
        _see(tally.declined if kind == "unsupported" else tally.sop, uid, rec.cap.provenance[0])
    for tl in state.ts_lists:
        if tl.section.scope_kind() in _ASIDE_KINDS:
            continue
        for uid in tl.syntaxes:
            if uid not in tally.ts:
                _see(tally.ts, uid, tl.prov)
    for uid, prov in state.declined:
        if uid not in tally.declined:
            _see(tally.declined, uid, prov)


def _ordered(sightings: list[Sighting]) -> list[Sighting]:
    """In the order a reader meets them (page, then line; stable, so a line's own order stays)."""

    def key(s: Sighting) -> tuple[bool, int, int]:
        first = s.first
        return (first is None, (first.page or 0) if first else 0, (first.line or 0) if first else 0)

    return sorted(sightings, key=key)


def _table_uses(state: ReadingState, tally: _Tally, attached: set[str]) -> list[TableUse]:
    caps = Counter(rec.table for rec in state.records if rec.table is not None)
    roleless = Counter(
        rec.table
        for rec in state.roleless
        if rec.table is not None
        and rec.cap.sop_class_uid not in attached
        and uids.uid_kind(rec.cap.sop_class_uid) in _SERVICE_KINDS
        and rec.cap.sop_class_uid not in _MEDIA_ONLY
    )
    out: list[TableUse] = []
    for seen in state.tables:
        lists = [tl for tl in state.ts_lists if tl.table == seen.index]
        refs = [ref for ref in state.sop_refs if ref.table == seen.index]
        missed = len(tally.per_table.get(seen.index, set()) - attached)
        used = bool(
            caps[seen.index] or any(tl.used for tl in lists) or any(r.resolved for r in refs) or seen.scalars
        )
        note = ""
        if lists and not any(tl.used for tl in lists):
            note = "transfer-syntax list given to no service"
        elif roleless[seen.index]:
            note = f"{roleless[seen.index]} SOP class(es) with no role stated"
        elif refs and not any(r.resolved for r in refs):
            note = "cites SOP classes the reader could not find"
        elif missed:
            note = f"names {missed} SOP class(es) or transfer syntax(es) no service carries"
        out.append(
            TableUse(
                seen.index,
                seen.caption,
                seen.page,
                seen.line,
                seen.rows,
                caps[seen.index],
                sum(len(tl.syntaxes) for tl in lists),
                len(refs),
                seen.scalars,
                missed,
                used,
                note,
            )
        )
    return out


def _section_uses(state: ReadingState, tally: _Tally, attached: set[str]) -> list[SectionUse]:
    caps = Counter(rec.section.sid for rec in state.records)
    return [
        SectionUse(
            sec.heading,
            sec.page,
            sec.line,
            sec.level,
            sec.scope_kind(),
            len(state.prose.get(sec.sid, [])),
            caps[sec.sid],
            len(tally.per_section.get(sec.sid, set()) - attached),
        )
        for sec in state.sections
        if sec is not state.root
    ]


def account(state: ReadingState) -> None:
    """Pass: the statement's coverage account (see the module docstring)."""
    st = state.statement
    tally = _Tally()
    _scan(state, tally)
    _from_reading(state, tally)
    caps = st.capabilities()
    attached_sop = {c.sop_class_uid for c in caps}
    attached_sop |= {part for meta in attached_sop & _META_PARTS.keys() for part in _META_PARTS[meta]}
    attached_ts = {t for c in caps for t in c.transfer_syntaxes}
    attached = attached_sop | attached_ts
    # (SOP class, role) -> whether any of its capabilities states syntaxes: Statement.services() without
    # merging provenance, which is quadratic on a statement with hundreds of classes
    services: dict[tuple[str, str], bool] = {}
    for cap in caps:
        key = (cap.sop_class_uid, cap.role.value)
        services[key] = services.get(key, False) or bool(cap.transfer_syntaxes)
    st.coverage = Coverage(
        unattached_sop_classes=_ordered(
            [s for uid, s in tally.sop.items() if uid not in attached_sop and uid not in tally.declined]
        ),
        unattached_transfer_syntaxes=_ordered([s for uid, s in tally.ts.items() if uid not in attached_ts]),
        declined_sop_classes=_ordered([s for uid, s in tally.declined.items() if uid not in attached_sop]),
        services=len(services),
        services_without_transfer_syntaxes=sum(not has for has in services.values()),
        passing_mentions=tally.passing,
        tables=_table_uses(state, tally, attached),
        sections=_section_uses(state, tally, attached),
    )
    LOGGER.debug(
        "%s: coverage: %d SOP classes and %d transfer syntaxes seen and not used",
        st.source,
        len(st.coverage.unattached_sop_classes),
        len(st.coverage.unattached_transfer_syntaxes),
    )
