"""Passes that settle the statement as a whole once every capability is known."""

from __future__ import annotations

import logging

from conformance.extract.state import DEFAULT_AE, ReadingState

LOGGER = logging.getLogger(__name__)


def drop_names_read_elsewhere(state: ReadingState) -> None:
    """Pass: a name a table could not resolve that another table gives with its UID is not unresolved."""
    named = {rec.cap.name.lower() for rec in state.records if rec.cap.name}
    state.statement.unresolved = [
        u for u in state.statement.unresolved if not (u.kind == "sop_class" and u.text.lower() in named)
    ]


def settle_aes(state: ReadingState) -> None:
    """Pass: the statement's AEs; product-wide facts go to the one AE when the product has no own services."""
    product = state.aes.get(DEFAULT_AE)
    others = [e for name, e in state.aes.items() if name != DEFAULT_AE]
    if product is not None and not product.capabilities and others:
        # product-wide title/port facts belong to the one AE when there is only one
        if len(others) == 1:
            only = others[0]
            only.ae_title = only.ae_title or product.ae_title
            only.port = only.port or product.port
            only.max_associations_accepted = (
                only.max_associations_accepted or product.max_associations_accepted
            )
            only.max_associations_initiated = (
                only.max_associations_initiated or product.max_associations_initiated
            )
        del state.aes[DEFAULT_AE]
    state.statement.aes = list(state.aes.values())


def warn_if_empty(state: ReadingState) -> None:
    """Pass: a document that yields no SOP class is probably not a conformance statement: say so."""
    st = state.statement
    if not st.capabilities() and not st.wildcards:
        st.warnings.append("no SOP classes found: is this a DICOM conformance statement?")
