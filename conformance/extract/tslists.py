"""Transfer-syntax lists given apart from their SOP classes, applied once the document is read.

A statement often lists its SOP classes in one table and the transfer syntaxes they are
accepted or proposed with in another (or in a run of lines under "... transfer syntaxes:").
The walk records such lists (:class:`~conformance.extract.state.TsList`) with the section
they stand in; :func:`apply_ts_lists` gives each list to the capabilities of its section
that have no syntaxes of their own. A list cited by a reference has already been given
where it was cited (:mod:`.references`).
"""

from __future__ import annotations

import logging
import re

from conformance import uids
from conformance.extract.context import roles_in, sole_role
from conformance.extract.state import DEFAULT_AE, ReadingState, Record, TsList
from conformance.model import Direction, Role

LOGGER = logging.getLogger(__name__)


def apply_ts_lists(state: ReadingState) -> None:
    """Pass: transfer-syntax lists that follow SOP class lists in the same section, then the
    statement-wide lists (no SOP class list in their own section to follow).

    An overview's Yes/No rows come last: where a presentation context gives a class its syntaxes
    (in a table of its own or from a list applied here), the overview row is the same service and
    gets nothing more; the lists reach the overview rows no context covers.
    """
    # what had no syntaxes before any list was applied: two lists (uncompressed, compressed) both count
    bare = [rec for rec in state.records if not rec.cap.transfer_syntaxes]
    lists = [tl for tl in state.ts_lists if tl.syntaxes and tl.explicit and not tl.group_cited]
    members = {id(tl): _section_members(state, tl, bare) for tl in lists}
    for tl in lists:
        found = members[id(tl)]
        if found is not None:
            _apply_ts_list(state, tl, [rec for rec in found if not rec.from_marks])
    for tl in lists:
        if members[id(tl)] is None:
            _apply_wide(state, tl, [rec for rec in bare if not rec.from_marks])
    given = {(rec.cap.sop_class_uid, rec.cap.role) for rec in state.records if rec.cap.transfer_syntaxes}
    for tl in lists:
        found = members[id(tl)]
        overview = [
            rec
            for rec in (bare if found is None else found)
            if rec.from_marks and (rec.cap.sop_class_uid, rec.cap.role) not in given
        ]
        if found is None:
            _apply_wide(state, tl, overview)
        else:
            _apply_ts_list(state, tl, overview)


def _section_members(state: ReadingState, tl: TsList, bare: list[Record]) -> list[Record] | None:
    """The records of the SOP classes the list's enclosing section listed before it without syntaxes;
    None when there are none: then it is a statement-wide list."""
    scope = tl.section.parent or tl.section
    members = [rec for rec in bare if scope in rec.section.chain() and rec.section.sid <= tl.section.sid]
    if not members or (
        all(scope in rec.section.chain() for rec in state.records)
        and re.search(r"\bapplicable\b", _own_text(state, tl), re.I)
    ):
        # "... for all applicable SOP classes" in a top-level section (under the root or the
        # document's title heading) speaks for the whole statement, not for the classes above it
        return None
    return members


def _apply_ts_list(state: ReadingState, tl: TsList, members: list[Record]) -> None:
    """A transfer-syntax list applies to the SOP classes its enclosing section listed without any.

    Beside presentation contexts, a list next to an overview's Yes/No rows is the statement's own
    list: it is for the storage classes (SCHEMA rule), the contexts give the others theirs.
    """
    only = _sole_role(state, tl)
    has_contexts = any(rec.cap.direction is not Direction.UNSPECIFIED for rec in state.records)
    storage_only = _storage_only(tl)
    every_class = bool(_ALL_CLASSES.search(_own_text(state, tl)))
    for rec in members:
        if rec.ts_pending:
            continue
        if only and rec.cap.role is not only:
            continue
        overview_list = rec.from_marks and has_contexts and not every_class
        if (storage_only or overview_list) and not uids.is_storage_sop_class(rec.cap.sop_class_uid):
            continue
        rec.cap.transfer_syntaxes.extend(t for t in tl.syntaxes if t not in rec.cap.transfer_syntaxes)
        tl.used = True


def _apply_wide(state: ReadingState, tl: TsList, bare: list[Record]) -> None:
    """A statement-wide list ("Supported Transfer Syntaxes", "X supports the following transfer
    syntaxes for all applicable SOP classes"): it has no per-class mapping, so it applies to every
    storage SOP class the product states, in each role it states (SCU to forward and for C-MOVE or
    C-GET sub-operations, SCP to receive), or in the one role or AE the list is stated for; a list
    "for all SOP classes" applies to every class, not only the storage ones (SCHEMA rule).
    """
    own_text = _own_text(state, tl)
    headings = " ".join(node.heading for node in tl.section.chain())
    if _MEDIA.search(f"{headings} {tl.hint}"):
        return  # the syntaxes of files on media (DICOMDIR, CD-R profiles), not of network services
    every_class = bool(_ALL_CLASSES.search(own_text)) and not _storage_only(tl)
    only = _sole_role(state, tl)
    ae = tl.section.scope_ae()
    for rec in bare:
        if only and rec.cap.role is not only:
            continue
        if ae and rec.ae != ae and rec.ae != DEFAULT_AE:
            continue
        if not every_class and not uids.is_storage_sop_class(rec.cap.sop_class_uid):
            continue
        rec.cap.transfer_syntaxes.extend(t for t in tl.syntaxes if t not in rec.cap.transfer_syntaxes)
        tl.used = True


_MEDIA = re.compile(r"\bmedia\b|dicomdir|application profile|\bcd-?r\b|\bdvd\b|\busb\b|\bfile[- ]set\b", re.I)
_ALL_CLASSES = re.compile(r"\b(?:all|any|every) (?:the )?(?:supported |listed )?sop[ -]?class(?:es)?\b", re.I)


def _own_text(state: ReadingState, tl: TsList) -> str:
    return " ".join([tl.hint, tl.section.heading, *state.prose.get(tl.section.sid, [])])


def _sole_role(state: ReadingState, tl: TsList) -> Role | None:
    """The one role a list is stated for: its caption, introducing line or heading names one role
    ("Transfer Syntaxes (SCU)", "Offered (SCP):"), or speaks only of accepting or proposing, or its
    section is for one role (a "Storage SCP" section)."""
    for text in (tl.hint, tl.section.heading):
        named = roles_in(text)
        if len(named) == 1:
            return named[0]
    for text in (tl.hint, " ".join([tl.section.heading, *state.prose.get(tl.section.sid, [])])):
        only = sole_role(text.lower())
        if only:
            return only
    roles = tl.section.scope_roles() or ()
    return roles[0] if len(roles) == 1 else None


def _storage_only(tl: TsList) -> bool:
    """'Table 4-5: Transfer Syntaxes for Storage' is for the storage SOP classes only."""
    return bool(re.search(r"\bstorage\b", tl.hint, re.I)) and not re.search(r"commitment", tl.hint, re.I)
