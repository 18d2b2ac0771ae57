"""How well a statement was read, as the device table shows it, and its parsed names made presentable.

A report reader must know whether "no problem found" rests on a statement that was read well
or on one whose tables the reader mostly missed: services found, services without transfer
syntaxes, names left unresolved, and from the statement's coverage account the SOP classes and
transfer syntaxes it names that no service carries.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from conformance.model import Fact, Provenance, Statement

LOGGER = logging.getLogger(__name__)

# A parsed product or vendor name longer than this is most likely a sentence the reader took
# for a name; the device table shows its start (the full text stays in the JSON).
NAME_MAX = 60
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]+")


@dataclass(frozen=True)
class StatementQuality:
    """Counts of what was read from one statement (``services``: (SOP class, role) pairs)."""

    services: int
    without_syntaxes: int  # services whose transfer syntaxes the statement does not list (or were not read)
    unresolved: int  # SOP class / transfer syntax names that matched no dictionary entry
    unused_sop_classes: int = 0  # SOP classes the statement names that no service carries (coverage)
    unused_syntaxes: int = 0  # transfer syntaxes the statement names that no service got (coverage)

    @property
    def weak(self) -> bool:
        """Most services lack their syntaxes, names were left unresolved or syntaxes listed went
        unused: checks may be incomplete."""
        return self.unresolved > 0 or self.unused_syntaxes > 0 or 2 * self.without_syntaxes > self.services


def statement_quality(st: Statement) -> StatementQuality:
    services = st.services()
    return StatementQuality(
        services=len(services),
        without_syntaxes=sum(1 for cap in services.values() if not cap.transfer_syntaxes),
        unresolved=len(st.unresolved),
        unused_sop_classes=len(st.coverage.unattached_sop_classes),
        unused_syntaxes=len(st.coverage.unattached_transfer_syntaxes),
    )


def clean_name(fact: Fact[str] | None, limit: int = NAME_MAX) -> str:
    """A parsed name as one short line: control and invisible characters dropped, blanks folded,
    cut at a word near ``limit`` with an ellipsis ("" when the statement is silent)."""
    if fact is None or fact.value is None:
        return ""
    text = " ".join(_CONTROL.sub(" ", str(fact.value)).split())
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = head.rfind(" ")
    return (head[:space] if space > limit // 2 else head).rstrip(" ,;:-") + "…"


def cite(fact: Fact[str] | None) -> str:
    """Where a fact was read, without the file name ("p. 1, Cover"), or ""."""
    if fact is None or fact.provenance is None:
        return ""
    p = fact.provenance
    return Provenance("", p.page, p.line, p.section).cite()
