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
"""

from __future__ import annotations

import logging

from conformance.document import Document, Line, Table
from conformance.extract.context import roles_in
from conformance.extract.prose import _looks_like_data, _ProseReader, _ts_abbreviations, _with_next_line
from conformance.extract.references import _ReferenceResolver
from conformance.extract.scalars import _finish_scalars, _product, _scalar_line
from conformance.extract.state import DEFAULT_AE
from conformance.extract.tables import _TableReader
from conformance.extract.wildcards import find_wildcards
from conformance.model import Statement

LOGGER = logging.getLogger(__name__)

__all__ = ["DEFAULT_AE", "extract", "roles_in"]


class _Reader(_TableReader, _ProseReader, _ReferenceResolver):
    """Walks the blocks once, keeping the section stack, then resolves references."""

    def run(self) -> Statement:
        doc, b = self.b.doc, self.b
        b.ts_abbrev = _ts_abbreviations(doc)
        index = 0
        blocks = doc.blocks
        for k, block in enumerate(blocks):
            if isinstance(block, Table):
                if block.rows:
                    self.table(block, index)
                index += 1
            elif block.heading and not _looks_like_data(block.text):
                self.heading(block)
                self.prev_lines.append(block.text)
                _scalar_line(b, block, self.section, self.section.lookup("ae"))
            else:
                if block.heading:  # "Secure Transport Connection Profile: Not supported" flagged as a title
                    block = Line(block.text, page=block.page, line=block.line)
                    self.line(block)
                    _scalar_line(b, block, self.section, self.section.lookup("ae"))
                    continue
                self.line(block)
                _scalar_line(b, _with_next_line(blocks, k), self.section, self.section.lookup("ae"))
        self.flush_record()
        self.resolve()
        # a name a table could not resolve that another table gives with its UID is not unresolved
        named = {rec.cap.name.lower() for rec in b.records if rec.cap.name}
        b.statement.unresolved = [
            u for u in b.statement.unresolved if not (u.kind == "sop_class" and u.text.lower() in named)
        ]
        _finish_scalars(b)
        st = b.statement
        product = b.aes.get(DEFAULT_AE)
        others = [e for name, e in b.aes.items() if name != DEFAULT_AE]
        if product is not None and not product.capabilities and others:
            # product-wide title/port facts belong to the one AE when there is only one
            if len(others) == 1:
                others[0].ae_title = others[0].ae_title or product.ae_title
                others[0].port = others[0].port or product.port
                others[0].max_associations_accepted = (
                    others[0].max_associations_accepted or product.max_associations_accepted
                )
                others[0].max_associations_initiated = (
                    others[0].max_associations_initiated or product.max_associations_initiated
                )
            del b.aes[DEFAULT_AE]
        st.aes = list(b.aes.values())
        _product(b, doc.lines)
        if not st.aes or not st.capabilities():
            st.warnings.append("no SOP classes found: is this a DICOM conformance statement?")
        return st


def extract(doc: Document) -> Statement:
    """Turn a Document into a Statement; never raises on odd content, records warnings."""
    statement = Statement(source=doc.path, sha256=doc.sha256, pages=doc.pages, warnings=list(doc.warnings))
    statement = _Reader(doc, statement).run()
    statement.wildcards = find_wildcards(doc, statement)
    return statement
