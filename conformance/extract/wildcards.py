"""Claims for every Storage SOP Class at once: "will accept any incoming C-STORE request".

Archives and viewers often say this instead of (or beside) a per-class list: a note under an
"Unknown IOD Storage" row, "accepts all Storage SOP Classes", "all storage SOP classes defined
in PS3.4 can be received", an "All Storage SOP Classes" row under a "Storage (SCU)" heading.
Read per role, with the sentence or row quoted, so the matcher can accept any storage class
on that general statement instead of reporting every unlisted one as refused.

What is not such a claim: "supports the following Storage SOP Classes" (a list follows),
"all Storage SOP Classes listed in Table 4" (a reference the table reader expands), a
sentence about another service ("Storage Commitment for instances of any Storage SOP Class"),
a negation, and glossary or definition text about DICOM in general. A claim whose role cannot
be told is left out: the model records only what the statement says.
"""

from __future__ import annotations

import logging
import re

from conformance import uids
from conformance.document import Document, Line, Table
from conformance.extract.context import roles_in
from conformance.model import Provenance, Role, ServiceClass, Statement, Wildcard
from conformance.words import may_contain

LOGGER = logging.getLogger(__name__)

__all__ = ["find_wildcards"]

MAX_PROVENANCE = 6  # quoted places per claim; the rest add nothing a reader needs

# headings of sections that talk about DICOM in general, not about the product
_GENERAL_SECTION = re.compile(
    r"\b(?:glossary|definitions?|abbreviations?|acronyms?|terms|terminology|references?|"
    r"notation|conventions)\b",
    re.I,
)
# a definition ("A Storage SCP accepts ...", "SCP: an application that ...")
_DEFINITION = re.compile(
    r"^\W*(?:(?:an?|the)\s+(?:storage\s+)?(?:scp|scu|service\s+class\s+(?:provider|user))\b|"
    r"(?:scp|scu|service\s+class\s+(?:provider|user))\s*[:=–—-])",
    re.I,
)

_QUALIFIERS = r"(?:(?:standard|defined|registered|dicom|known|other|possible|incoming)\s+)*"
# "all (standard) Storage SOP Classes", "any Storage SOP Class", "every storage class"
_ALL_STORAGE = re.compile(
    rf"\b(?:all|any|every)\s+(?:of\s+the\s+)?{_QUALIFIERS}(?:dicom\s+)?storage\s+(?:sop\s+)?class(?:es)?\b",
    re.I,
)
# "any incoming (DICOM) C-STORE (request)"
_ANY_CSTORE = re.compile(r"\bany\s+(?:incoming\s+|outgoing\s+)?(?:dicom\s+)?c-store\b", re.I)
# "any (stored / defined) IOD": only with C-STORE or storage in the same sentence
_ANY_IOD = re.compile(r"\bany\s+(?:stored\s+|defined\s+)?iod\b", re.I)
_STORAGE_WORD = re.compile(r"\bc-store\b|\bstorage\b", re.I)
# what a claim needs (_ANY_CSTORE "c-store", _ALL_STORAGE "storage", _ANY_IOD one of them besides)
_CLAIM_WORDS = ("storage", "c-store")
# what follows a match that makes it a reference to a list, not a claim for everything
_LISTED = re.compile(
    r"^[\s,]*(?:\(?\s*(?:as\s+)?(?:listed|shown|given|enumerated|specified|described|named)\b|"
    r"(?:in|of|from)\s+(?:the\s+)?(?:table|list|section|following|annex)\b|below\b|above\b|following\b|"
    r"(?:that\s+are\s+|which\s+are\s+)?(?:listed|shown)\b|except\b|other\s+than\b|but\s+not\b|"
    r"excluding\b|(?:defined|supported|included)\s+in\s+(?:the\s+)?(?:table|list|section|annex)\b)",
    re.I,
)
# another service that merely mentions storage classes
_OTHER_SERVICE = re.compile(r"commitment|query|retriev|c-find|c-move|c-get|print|worklist|reference", re.I)
_NEGATION = re.compile(r"\b(?:not|never|cannot|can't|doesn't|don't|no|neither|nor|without)\b", re.I)
_NOT_REJECT = re.compile(r"\b(?:not|never)\s+(?:\w+\s+){0,2}?(?:reject|refuse)", re.I)

_SCP_VERBS = re.compile(r"\b(?:accept\w*|receiv\w*|incoming|reject\w*|refus\w*|provider|listen\w*)\b", re.I)
_SCU_VERBS = re.compile(
    r"\b(?:send\w*|sent|transmit\w*|initiat\w*|outgoing|export\w*|forward\w*|propos\w*)\b", re.I
)

# a name cell standing for every storage SOP class ("* Unknown IOD Storage", "All Storage SOP Classes")
_WILD_NAME = re.compile(
    rf"^(?:(?:unknown|any|all|every)\s+{_QUALIFIERS}(?:dicom\s+)?(?:iod\s+|image\s+|object\s+)?storage"
    r"(?:\s+sop)?(?:\s+class(?:es)?)?|unknown\s+iod(?:\s+storage)?(?:\s+sop\s+class)?)$",
    re.I,
)
# a name cell that only says "unknown" or "*": a wildcard row only beside a clear claim (its syntaxes)
_WEAK_NAME = re.compile(r"^(?:\*|unknown|any|all|\*\s*unknown)$", re.I)
_WILD_UID = re.compile(r"^(?:\*.*|any|all|1\.2\.840\.10008\.5\.1\.4\.1\.1\.\*)$", re.I)
_YES = re.compile(r"^\W*(?:yes|y|x|✓|✔|supported|option\w*|licen[cs]ed)\b", re.I)
_TS_WORDS = re.compile(r"endian|jpeg|rle|deflate|mpeg|hevc|jpip|j2k|lossless|lossy", re.I)
_AS_ROLE = re.compile(r"\bas\s+(?:an?\s+|the\s+)?(SCU|SCP)\b", re.I)
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[A-Z*(])")
_LIST_MARK = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def find_wildcards(doc: Document, statement: Statement) -> list[Wildcard]:
    """Every-storage-class claims of ``doc``, one per role, with what they quote.

    ``statement`` is the one read from ``doc`` (its source names the file in provenance).
    Pure: reads the Document, changes nothing.
    """
    found = _Found(statement.source or doc.path)
    heading = ""
    before: list[str] = []  # the lines since the last heading or table (a table's lead-in)
    paragraph: list[Line] = []

    def flush() -> None:
        if paragraph and not _GENERAL_SECTION.search(heading):
            _read_paragraph(found, paragraph, heading)
        paragraph.clear()

    for block in doc.blocks:
        if isinstance(block, Table):
            flush()
            if not _GENERAL_SECTION.search(heading) and not _GENERAL_SECTION.search(block.caption):
                _read_table(found, block, heading, before)
            before = []
            continue
        if block.heading:
            flush()
            heading, before = block.text.strip(), []
            continue
        if block.literal:  # an example (a log, a configuration file): no claim
            flush()
            continue
        before = [*before[-2:], block.text]
        if _LIST_MARK.match(block.text) or (paragraph and _ends_sentence(paragraph[-1].text)):
            flush()
        paragraph.append(block)
    flush()
    return found.wildcards()


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", ":", ";", "!", "?"))


class _Found:
    """Claims gathered per role: strong ones (a sentence, a named row) and rows that only add syntaxes."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.strong: dict[Role, list[Provenance]] = {}
        self.syntaxes: dict[Role, list[str]] = {}
        self.weak: dict[Role, list[tuple[Provenance, list[str]]]] = {}

    def claim(self, role: Role, prov: Provenance, syntaxes: list[str]) -> None:
        provs = self.strong.setdefault(role, [])
        if prov not in provs:
            provs.append(prov)
        have = self.syntaxes.setdefault(role, [])
        have.extend(ts for ts in syntaxes if ts not in have)

    def maybe(self, role: Role, prov: Provenance, syntaxes: list[str]) -> None:
        self.weak.setdefault(role, []).append((prov, syntaxes))

    def wildcards(self) -> list[Wildcard]:
        out = []
        for role in (Role.SCP, Role.SCU):
            provs = self.strong.get(role)
            if not provs:
                continue
            syntaxes = list(self.syntaxes.get(role, []))
            provs = list(provs)
            for prov, tss in self.weak.get(role, []):
                new = [ts for ts in tss if ts not in syntaxes]
                if new:
                    syntaxes.extend(new)
                    if prov not in provs:
                        provs.append(prov)
            out.append(Wildcard(ServiceClass.STORAGE, role, syntaxes, provs[:MAX_PROVENANCE]))
        return out


# ------------------------------------------------------------------------------ sentences
def _read_paragraph(found: _Found, lines: list[Line], heading: str) -> None:
    text = " ".join(" ".join(line.text.split()) for line in lines)
    if not may_contain(text, text.lower(), _CLAIM_WORDS):
        return  # no sentence of it can claim anything (see _claim)
    first = lines[0]
    for sentence in _SENTENCE.split(text):
        roles = _sentence_roles(sentence, heading)
        if not roles:
            continue
        prov = Provenance(found.source, first.page, first.line, heading[:200], sentence[:300])
        for role in roles:
            found.claim(role, prov, [])


def _sentence_roles(sentence: str, context: str) -> tuple[Role, ...]:
    """The roles a sentence claims every storage class in; () when it claims none."""
    if not may_contain(sentence, sentence.lower(), _CLAIM_WORDS):
        return ()  # no claim possible (see _claim)
    if _DEFINITION.search(sentence) or _OTHER_SERVICE.search(sentence):
        return ()
    match = _claim(sentence)
    if match is None:
        return ()
    start, end = match
    if _LISTED.search(sentence[end:]) or re.search(r"\bfollowing\s*$", sentence[:start], re.I):
        return ()
    if _NEGATION.search(sentence[:start]) and not _NOT_REJECT.search(sentence):
        return ()
    # the verb that governs the claim ("will accept any ...", "... can be received and
    # transmitted"), before the words of the rest ("a request sent using the SCP role")
    for part in (sentence[:end], sentence[end:]):
        roles = _verb_roles(part)
        if roles:
            return roles
    roles = roles_in(sentence) or roles_in(context)
    return roles if len(roles) == 1 else ()


def _claim(sentence: str) -> tuple[int, int] | None:
    for pattern in (_ANY_CSTORE, _ALL_STORAGE):
        m = pattern.search(sentence)
        if m:
            return m.start(), m.end()
    m = _ANY_IOD.search(sentence)
    if m and _STORAGE_WORD.search(sentence):
        return m.start(), m.end()
    return None


def _verb_roles(text: str) -> tuple[Role, ...]:
    found = set()
    if _SCP_VERBS.search(text):
        found.add(Role.SCP)
    if _SCU_VERBS.search(text):
        found.add(Role.SCU)
    return tuple(sorted(found))


# --------------------------------------------------------------------------------- tables
def _read_table(found: _Found, table: Table, heading: str, before: list[str]) -> None:
    if not table.rows:
        return
    header = table.rows[0]
    role_columns = {i: r[0] for i, cell in enumerate(header) if len(r := roles_in(cell)) == 1}
    context = " ".join([table.caption, *before[-2:]])
    for k, row in enumerate(table.rows[1:], start=1):
        cells = [" ".join(c.split()) for c in row]
        if not any(cells):
            continue
        raw = cells[0].strip(" \"'`“”")
        name = raw.strip(" *")
        uid_cell = cells[1].strip() if len(cells) > 1 else ""
        joined = " | ".join(c for c in cells if c)
        strong = bool(_WILD_NAME.match(name)) or bool(_WILD_UID.match(uid_cell) and "1.1.*" in uid_cell)
        weak = not strong and (
            bool(_WEAK_NAME.match(raw)) or (raw.startswith("*") and "unknown" in raw.lower())
        )
        said = () if strong or weak else _sentence_roles(joined, "")
        if not (strong or weak or said):
            continue
        roles = said or _row_roles(cells, role_columns) or _context_roles(context, heading)
        if not roles:
            LOGGER.debug("%s: wildcard row without a role: %s", found.source, joined)
            continue
        page, line = table.location(k)
        prov = Provenance(found.source, page, line, (table.caption or heading)[:200], joined[:300])
        syntaxes = _row_syntaxes(cells[1:])
        for role in roles:
            if weak:
                found.maybe(role, prov, syntaxes)
            else:
                found.claim(role, prov, syntaxes)


def _row_roles(cells: list[str], role_columns: dict[int, Role]) -> tuple[Role, ...]:
    found: set[Role] = set()
    for i, cell in enumerate(cells[1:], start=1):
        if i in role_columns:
            if _YES.match(cell):
                found.add(role_columns[i])
        elif re.fullmatch(r"\W*(?:SCU|SCP|SCU\s*/\s*SCP|SCP\s*/\s*SCU|both)\W*", cell, re.I):
            found.update(roles_in(cell) or (Role.SCU, Role.SCP))
    return tuple(sorted(found))


def _context_roles(context: str, heading: str) -> tuple[Role, ...]:
    """The role a wildcard row's table is about.

    The lead-in's "as an SCU", else the heading's one role ("Storage (SCU)"), else the
    lead-in's verb ("can send ... to a remote Storage SCP": the remote's role is not ours).
    """
    explicit = {Role(m.upper()) for m in _AS_ROLE.findall(context)}
    if len(explicit) == 1:
        return tuple(explicit)
    roles = roles_in(heading)
    if len(roles) == 1:
        return roles
    verbs = _verb_roles(context)
    return verbs if len(verbs) == 1 else ()


def _row_syntaxes(cells: list[str]) -> list[str]:
    out: list[str] = []
    for cell in cells:
        uids_here = [u for u in uids.find_uids(cell) if uids.is_transfer_syntax(u)]
        if not uids_here and _TS_WORDS.search(cell):
            resolved = uids.resolve_transfer_syntax(cell.strip(" *"))
            uids_here = [resolved] if resolved else []
        out.extend(u for u in uids_here if u not in out)
    return out
