"""Read DICOM meaning out of a :class:`~conformance.document.Document`.

Works the way an expert reads a statement:

- headings nest into sections; what a section says (which AE, accepted or proposed
  contexts, "as an SCP") holds for its subsections until a sibling heading;
- tables are read row by row from their content (a cell holding a SOP class UID, cells
  holding transfer-syntax UIDs, a Role cell, Yes/No columns under SCU/SCP headers), so
  that tables with repeated, missing or two-level headers read the same way;
- a table (or a run of lines) that only lists transfer syntaxes applies to the SOP
  classes its section introduced; "all transfer syntaxes of Table 11", "see X",
  "all Storage SOP classes of Table Y" and "the SOP classes listed in the ... section"
  are expanded once the whole document is read;
- scalars (association limits, PDU size, implementation identity, character sets,
  TLS, IPv6) come from labelled rows and sentences, per AE when an AE section says so.

How the code is laid out: one :class:`~.state.ReadingState` per document; one walk over
the blocks (:func:`.walk.walk`) fills it; then the named :data:`PASSES` run in order, each
a plain function of the state. A new reading rule belongs either to the reader of one
kind of block (``context``, ``tables``, ``prose``, ``scalars``) when a block says all it
needs, or to a pass when it needs the whole document.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import NamedTuple

from conformance.document import Document
from conformance.extract import (
    coverage,
    finish,
    identity,
    named_services,
    prose,
    references,
    scalars,
    tslists,
)
from conformance.extract.context import roles_in
from conformance.extract.peer_limits import find_peer_limits
from conformance.extract.state import DEFAULT_AE, ReadingState
from conformance.extract.walk import walk
from conformance.extract.wildcards import find_wildcards
from conformance.model import Statement

LOGGER = logging.getLogger(__name__)

__all__ = ["DEFAULT_AE", "PASSES", "Pass", "extract", "roles_in"]


class Pass(NamedTuple):
    """One step after the walk: a name (for logs and readers of this list) and what it does."""

    name: str
    run: Callable[[ReadingState], None]


def wildcards(state: ReadingState) -> None:
    """Pass: claims for every SOP class of a service class ("accepts any incoming C-STORE")."""
    state.statement.wildcards = find_wildcards(state.doc, state.statement)


def per_peer_limits(state: ReadingState) -> None:
    """Pass: limits stated per peer ("3 associations per calling AE"), kept apart from totals."""
    state.statement = find_peer_limits(state.doc, state.statement)


# In order: each pass may rely on what the ones before it settled.
PASSES: tuple[Pass, ...] = (
    Pass("references resolved", references.resolve_references),
    Pass("private classes", references.private_classes),
    Pass("services named in prose", prose.apply_service_mentions),
    Pass("services stated by name", named_services.services_by_name),
    Pass("transfer-syntax lists applied", tslists.apply_ts_lists),
    Pass("names read elsewhere", finish.drop_names_read_elsewhere),
    Pass("scalars finished", scalars.finish_scalars),
    Pass("application entities", finish.settle_aes),
    Pass("product identity", identity.product_identity),
    Pass("wildcards", wildcards),
    Pass("empty statement", finish.warn_if_empty),
    Pass("per-peer association limits", per_peer_limits),
    Pass("coverage", coverage.account),
)


def extract(doc: Document) -> Statement:
    """Turn a Document into a Statement; never raises on odd content, records warnings."""
    statement = Statement(source=doc.path, sha256=doc.sha256, pages=doc.pages, warnings=list(doc.warnings))
    state = ReadingState(doc, statement)
    walk(state)
    for step in PASSES:
        LOGGER.debug("%s: %s", doc.path, step.name)
        step.run(state)
    return state.statement
