"""Association limits towards one peer: "at most 3 associations from a given SCU", "10 per IP".

A statement may limit what one peer can open (an acceptor's limit per calling AE, per IP
address or per host) or what it opens towards one peer (an initiator's limit per
destination), besides its total. The two are different facts: a per-peer limit is compared
with each initiator's own load, never with the sum over initiators, so it must not end up as
the total. This reader runs after the main extraction: it reads sentences and table rows,
keeps each per-peer limit on the AE whose section (or sentence) names it, else on the
product, and drops a total that the main reader took from the very same text.

A pure function of its inputs: it returns a new :class:`Statement` and changes neither.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from conformance.document import Document, Line, Table
from conformance.model import ApplicationEntity, Direction, Fact, Provenance, Statement
from conformance.words import may_contain

LOGGER = logging.getLogger(__name__)

__all__ = ["find_peer_limits"]

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "ten": 10}
_NUMBER = r"(\d{1,4}|one|two|three|four|five|six|eight|ten)"
# who the limit is per: a calling or called peer, its address
_PEER = (
    r"(scu|scp|calling ae(?: title)?|called ae(?: title)?|remote (?:ae|application entity|node|host|system)"
    r"|ae(?: title)?|application entity|ip(?: address)?|ip-address|host(?:name)?|peer(?: ae)?|client"
    r"|node|device|destination(?: ae)?|source|station|modality|requestor|requester|initiator|caller)"
)
# "per IP address", "per each peer"; otherwise a word that singles one peer out: "from a given SCU",
# "to any one destination" ("from remote AEs", "from a remote AE" are totals over all peers)
_ONE = (
    r"(?:each|any|every|one|the same|a single|any one|any single|a given|a particular|an individual"
    r"|a specific)"
)
_QUAL = (
    r"(?:(?:given|single|remote|calling|called|requesting|peer|individual|particular|external|c-move)\s+)*"
)
_TOWARDS = rf"(?:(per)\s+(?:{_ONE}\s+)?|(from|to|for|with|towards)\s+{_ONE}\s+)"
_ASSOC = r"(?:dicom\s+)?(?:associations?|connections?)"
# "at most 3 simultaneous associations from a given SCU", "3 concurrent connections per IP address"
_BEFORE = re.compile(
    rf"(?:(?:max(?:imum)?(?:\s+of)?|at most|up to|limit(?:ed)?\s+(?:of|to)|no more than)\s+)?"
    rf"\b{_NUMBER}\s+(simultaneous\s+|concurrent\s+|parallel\s+|open\s+)?{_ASSOC}\s+"
    rf"(?:(?:are|is|can be|may be)\s+(?:accepted|allowed|permitted|opened|initiated)\s+)?"
    rf"{_TOWARDS}{_QUAL}{_PEER}\b",
    re.I,
)
# "Max connections per IP | 10", "maximum number of associations from a given SCU: 3"
_AFTER = re.compile(
    rf"\b(?:max(?:imum)?|limit)\b[\w\s]{{0,30}}?{_ASSOC}\b[\w\s]{{0,20}}?"
    rf"\b{_TOWARDS}{_QUAL}{_PEER}\b[^0-9\n]{{0,40}}?\b{_NUMBER}\b",
    re.I,
)
# what a limit needs: the word of _ASSOC, and a number in digits or words (_NUMBER)
_ASSOC_WORDS = ("association", "connection")
_DIGIT = re.compile(r"\d")
_NUMBER_WORDS = tuple(_WORDS)
_ACCEPT_PEERS = re.compile(r"scu|calling|client|source|requestor|requester|initiator|caller|modality", re.I)
_INITIATE_PEERS = re.compile(r"scp|called|destination", re.I)
_ACCEPT_WORDS = re.compile(r"\baccept|\bincoming|\breceiv|\bfrom\b|\bserver\b|\blisten", re.I)
_INITIATE_WORDS = re.compile(r"\binitiat|\boutgoing|\bopens?\b|\brequests?\b|\bsend", re.I)


class _Sentence(NamedTuple):  # one per sentence of the document: a tuple is cheaper to make
    text: str
    page: int | None
    line: int | None
    section: str  # the heading (or table caption) above it, for the provenance
    ae: ApplicationEntity | None  # the AE whose section it is in


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _WORDS[text.lower()]


def _direction(sentence: str, preposition: str, peer: str) -> Direction:
    """Accepted from a peer, or initiated towards one: the peer's kind, then the sentence's verbs."""
    if _ACCEPT_PEERS.search(peer):
        return Direction.ACCEPT
    if _INITIATE_PEERS.search(peer):
        return Direction.INITIATE
    accepts, initiates = bool(_ACCEPT_WORDS.search(sentence)), bool(_INITIATE_WORDS.search(sentence))
    if initiates and not accepts:
        return Direction.INITIATE
    if preposition.lower() in ("to", "towards") and not accepts:
        return Direction.INITIATE
    return Direction.ACCEPT  # a limit per IP address or host is an acceptor's protection


def _limits(text: str) -> Iterator[tuple[Direction, int]]:
    """Each per-peer limit a sentence (or a table row read as one) states."""
    flat = text.replace("_", " ")
    low = flat.lower()
    if not may_contain(flat, low, _ASSOC_WORDS) or not (
        _DIGIT.search(flat) or may_contain(flat, low, _NUMBER_WORDS)
    ):
        return
    seen: set[tuple[int, int]] = set()
    for pattern in (_BEFORE, _AFTER):
        for m in pattern.finditer(flat):
            if pattern is _BEFORE:
                number, qualifier = m.group(1), m.group(2)
                preposition, peer = m.group(3) or m.group(4), m.group(5)
                if not qualifier and not re.match(r"(?:max|at most|up to|limit|no more)", m.group(0), re.I):
                    continue  # "3 associations to each SCP" without a limit word is not a limit
            else:
                preposition, peer, number = m.group(1) or m.group(2), m.group(3), m.group(4)
            if any(a < m.end() and m.start() < b for a, b in seen):
                continue
            seen.add((m.start(), m.end()))
            value = _number(number)
            if value > 0:
                yield _direction(flat, preposition, peer), value


def _ae_named(text: str, aes: list[ApplicationEntity]) -> ApplicationEntity | None:
    """The AE a heading or sentence names (by its name in the statement or its AE title)."""
    for ae in aes:
        names = {ae.name}
        if ae.ae_title is not None and isinstance(ae.ae_title.value, str):
            names.add(ae.ae_title.value)
        if any(n and re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text, re.I) for n in names):
            return ae
    return None


def _depth(heading: Line) -> int | None:
    """A heading's depth: the reader's level, else its numbering ("4.2.1" is 3), else unknown."""
    if heading.level:
        return heading.level
    m = re.match(r"\s*(\d+(?:\.\d+)*)\.?\s", heading.text)
    return m.group(1).count(".") + 1 if m else None


def _sentences(doc: Document, aes: list[ApplicationEntity]) -> Iterator[_Sentence]:
    """Each sentence and each table row (its cells joined), in reading order, with its section.

    The AE a section is about holds for its subsections ("4.2.1 STORE-SCP AE" ->
    "4.2.1.2 Number of Associations") until a heading as deep or shallower names none.
    """
    heading = ""
    scope: tuple[ApplicationEntity, int | None] | None = None
    for block in doc.blocks:
        if isinstance(block, Table):
            for i, row in enumerate(block.rows):
                page, line = block.location(i)
                section = block.caption or heading
                yield _Sentence(" ".join(c for c in row if c), page, line, section, scope and scope[0])
            continue
        if block.heading:
            heading = block.text
            named, depth = _ae_named(block.text, aes), _depth(block)
            if named is not None:
                scope = (named, depth)
            elif scope is not None and (depth is None or scope[1] is None or depth <= scope[1]):
                scope = None
            continue
        if block.literal:  # an example (a log, a configuration file): no claim
            continue
        text = block.text
        for sentence in re.split(r"(?<=[.;])\s+", text) if "." in text or ";" in text else [text]:
            yield _Sentence(sentence, block.page, block.line, heading, scope and scope[0])


def find_peer_limits(doc: Document, statement: Statement) -> Statement:
    """``statement`` with the per-peer association limits ``doc`` states (a new Statement)."""
    found: list[tuple[ApplicationEntity | None, Direction, Fact[int]]] = []
    for s in _sentences(doc, statement.aes):
        limits = list(_limits(s.text))
        if not limits:
            continue
        ae = _ae_named(s.text, statement.aes) or s.ae
        prov = Provenance(doc.path, s.page, s.line, s.section, s.text.strip()[:300])
        found.extend((ae, direction, Fact(value, prov)) for direction, value in limits)
    return _apply(statement, found) if found else statement


def _plain(text: str) -> str:
    """Text without markup or cell separators, to tell whether two facts quote the same words."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _apply(
    statement: Statement, found: list[tuple[ApplicationEntity | None, Direction, Fact[int]]]
) -> Statement:
    """A copy of ``statement`` with the limits set (first statement of each wins) and misread totals gone."""
    attr = {
        Direction.ACCEPT: ("max_associations_accepted_per_peer", "max_associations_accepted"),
        Direction.INITIATE: ("max_associations_initiated_per_peer", "max_associations_initiated"),
    }
    ae_changes: dict[int, dict[str, Any]] = {}
    st_changes: dict[str, Any] = {}
    stated = [(f.value, _plain(f.provenance.text)) for _, _, f in found if f.provenance is not None]

    def misread(total: Fact[int | str] | None) -> bool:
        """The main reader took one of these per-peer figures for a total (same value, same text)."""
        if total is None or total.provenance is None:
            return False
        text = _plain(total.provenance.text)
        return any(value == total.value and sentence in text for value, sentence in stated)

    for ae, direction, fact in found:
        peer_attr = attr[direction][0]
        if ae is None:
            st_changes.setdefault(peer_attr, fact)
        else:
            ae_changes.setdefault(id(ae), {}).setdefault(peer_attr, fact)
    for _peer, total_attr in attr.values():
        if misread(getattr(statement, total_attr)):
            st_changes[total_attr] = None
            LOGGER.debug("%s: %s was a per-peer limit", statement.source, total_attr)
        for ae in statement.aes:
            if misread(getattr(ae, total_attr)):
                ae_changes.setdefault(id(ae), {})[total_attr] = None
    aes = [
        dataclasses.replace(ae, **ae_changes[id(ae)]) if id(ae) in ae_changes else ae for ae in statement.aes
    ]
    return dataclasses.replace(statement, aes=aes, **st_changes)
