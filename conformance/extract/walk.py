"""The one walk over a Document's blocks, in reading order.

Each block goes to the reader of its kind: a heading opens a section
(:func:`.context.open_section`), a table is read row by row (:func:`.tables.read_table`),
any other line is prose (:func:`.prose.read_line`); every line is also offered to the
scalar reader (:func:`.scalars.scalar_line`). Literal lines (code fences, RST literal
blocks, HTML ``<pre>``) are examples: only the scalar reader sees them. A heading or a
table ends a labelled record being collected. Everything the walk learns goes into the
:class:`ReadingState`; what needs the whole document is left to the passes that run after it.
"""

from __future__ import annotations

import logging
import re

from conformance import uids
from conformance.document import Block, Line, Table
from conformance.extract.context import open_section
from conformance.extract.prose import flush_record, read_line, read_services, ts_abbreviations, uid_like
from conformance.extract.scalars import scalar_line
from conformance.extract.state import ReadingState
from conformance.extract.tables import read_table

LOGGER = logging.getLogger(__name__)


def walk(state: ReadingState) -> None:
    """Read every block once, in order, into the state."""
    state.ts_abbrev = ts_abbreviations(state.doc)  # definitions apply before the line defining them
    blocks = state.doc.blocks
    index = 0  # tables are numbered in reading order, empty ones too (references cite them by index)
    for k, block in enumerate(blocks):
        if isinstance(block, Table):
            if block.rows:
                flush_record(state)
                read_table(state, block, index)
            index += 1
        elif block.literal:
            # a code fence, literal block or <pre>: an example (a debug log naming the CT class, a
            # diagram) states no service; the coverage account counts its names as passing. A default
            # configuration file shown there ("max_pdu: 16382") does state scalars.
            flush_record(state)
            scalar_line(state, block, state.section, state.section.scope_ae())
        elif block.heading and not _looks_like_data(block.text):
            flush_record(state)
            open_section(state, block)
            state.prev_lines.append(block.text)
            scalar_line(state, block, state.section, state.section.scope_ae())
        elif block.heading:  # "Secure Transport Connection Profile: Not supported" flagged as a title
            line = Line(block.text, page=block.page, line=block.line)
            read_line(state, line)
            scalar_line(state, line, state.section, state.section.scope_ae())
        else:
            read_line(state, block)
            nxt = blocks[k + 1] if k + 1 < len(blocks) else None
            joined = _with_next_line(block, nxt)
            read_services(state, joined)
            scalar_line(state, joined, state.section, state.section.scope_ae())
        state.block_sections.append(state.section)
    flush_record(state)


def _with_next_line(line: Line, nxt: Block | None) -> Line:
    """A PDF line that breaks mid-sentence, read together with the line after it."""
    if (
        line.page is None
        or not isinstance(nxt, Line)
        or nxt.heading
        or nxt.page != line.page
        or line.text.rstrip().endswith((".", ":", ";"))
    ):
        return line
    return Line(f"{line.text.rstrip()} {nxt.text.strip()}", page=line.page, line=line.line)


def _looks_like_data(text: str) -> bool:
    """PDF readers sometimes flag a table row ('1.2.840.10008.5.1.4.1.1.7 ...') or a
    'Label: value' line ('Maximum PDU size received: 16384') as a heading."""
    first = text.split()[0] if text.split() else ""
    if uids.find_uids(first) and first.count(".") >= 4 and uid_like(first):
        return True
    return bool(
        re.match(r"^[A-Za-z][^:]{2,80}:\s+\S", text)
        and not re.match(r"^(?:annex|appendix|chapter|section|part|table|figure)\b", text, re.I)
    )
