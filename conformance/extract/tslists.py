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
from conformance.extract.context import sole_role
from conformance.extract.state import ReadingState, TsList
from conformance.model import Direction, Role

LOGGER = logging.getLogger(__name__)


def apply_ts_lists(state: ReadingState) -> None:
    """Pass: transfer-syntax lists that follow SOP class lists in the same section."""
    for tl in state.ts_lists:
        if tl.syntaxes and tl.explicit:
            _apply_ts_list(state, tl)


def _apply_ts_list(state: ReadingState, tl: TsList) -> None:
    """A transfer-syntax list applies to the SOP classes its enclosing section listed without any."""
    if tl.group_cited:
        return
    scope = tl.section.parent or tl.section
    while True:
        members = [
            rec for rec in state.records if scope in rec.section.chain() and rec.section.sid <= tl.section.sid
        ]
        if members or scope.parent is None:
            break
        scope = scope.parent
    own_text = " ".join([tl.hint, tl.section.heading, *state.prose.get(tl.section.sid, [])]).lower()
    if scope is not (tl.section.parent or tl.section) and not re.search(r"\b(?:all|any|every)\b", own_text):
        return  # a list far from any SOP class list must say it is for all of them
    only: Role | None = None
    for text in (
        tl.hint.lower(),
        " ".join([tl.section.heading, *state.prose.get(tl.section.sid, [])]).lower(),
    ):
        only = sole_role(text)
        if only:
            break
    # Yes/No tables get their syntaxes from presentation-context tables when the statement has any
    has_contexts = any(rec.cap.direction is not Direction.UNSPECIFIED for rec in state.records)
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
        tl.used = True
