"""Product identity: vendor, product name and version.

Identity is stated once, near the start (a title page, a "Product Name: ..." line or
table row, front matter), so this pass reads the first lines of the document after the
walk rather than every line during it.
"""

from __future__ import annotations

import logging
import re

from conformance.extract.state import ReadingState
from conformance.model import Fact

LOGGER = logging.getLogger(__name__)


def product_identity(state: ReadingState) -> None:
    """Pass: vendor, product and version from labelled lines near the start, else the title."""
    st = state.statement
    lines = state.doc.lines
    for ln in lines[:200]:
        m = re.search(r"(?:product(?: name)?|system)\s*[:|]\s*\**\s*(.+?)\s*\**\s*$", ln.text, re.I)
        if m and st.product is None:
            st.product = Fact(m.group(1).strip("* "), state.prov(ln.page, ln.line, "", ln.text))
        m = re.search(r"(?:software )?version\s*[:|]\s*\**\s*([\w.\-]+)", ln.text, re.I)
        if m and st.version is None:
            st.version = Fact(m.group(1), state.prov(ln.page, ln.line, "", ln.text))
        m = re.search(
            r"(?:manufacturer|vendor|company(?: name)?)\s*[:|]\s*\**\s*(.+?)\s*\**\s*$", ln.text, re.I
        )
        if m and st.vendor is None:
            st.vendor = Fact(m.group(1).strip("* ."), state.prov(ln.page, ln.line, "", ln.text))
    if st.product is None:
        for ln in lines[:40]:
            m = re.search(r"conformance statement (?:of|for)\s+(.+)$", ln.text, re.I)
            if m:
                st.product = Fact(m.group(1).strip(" .*"), state.prov(ln.page, ln.line, "", ln.text))
                break
