"""Services stated by the name of the service, or of the DIMSE operation that carries it, with a role.

Small products and open-source tools often state a service without any SOP class table:
a bullet "C-ECHO: Accepts incoming DICOM verification requests", a role table row
"| Verification SCP | C-ECHO recebido de modalidade autorizada |", an AE summary row
"| ECHO_AE | Verification | C-ECHO SCU + SCP |", a heading "Storage Commitment SCU". Where
the name stands for exactly one SOP class (C-ECHO carries Verification only; Modality
Worklist, MPPS and Storage Commitment have one class each; a Q/R model named with its
operation is one class), it is a service in the role stated next to it (SCU/SCP), or, in a
labelled bullet or a table row, in the role its verb implies (accepts, receives = SCP;
sends, initiates = SCU). "Storage SCP" names no one class: it gives its role to the
storage classes that a table lists without any role.

What is *not* a claim: a workflow sentence ("the modality sends C-ECHO before storing"),
a peer's role ("pushes images to a remote Storage SCP"), a glossary, history or contents
entry, an example (literal lines), a row or sentence that says no, not yet or planned
("handler will be delivered in the next stage"), and rows and lines the table and prose
readers already read (they name SOP classes themselves).

This runs as a pass after the walk (it needs the sections the walk opened and the records
it made, to add only what no reader took) and before the transfer-syntax lists are applied
(a statement-wide list then reaches the storage classes given a role here).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from conformance import uids
from conformance.document import Line, Table
from conformance.extract.context import PLANNED, is_toc_line, roles_in
from conformance.extract.state import DEFAULT_AE, ReadingState, Section
from conformance.model import Direction, Provenance, Role

LOGGER = logging.getLogger(__name__)

STORAGE = "storage"  # the storage service: a family of classes, never one class

# (target, pattern) in priority order: a span taken by an earlier pattern is not read again
# ("Storage Commitment" is commitment, not storage). English first, then de, fr, es, pt, it.
_SERVICES: tuple[tuple[str, str], ...] = (
    (
        uids.STORAGE_COMMITMENT_PUSH,
        r"storage[ -]?commitment(?:[ -]push(?: model)?)?|\bcommitment\b|speicherbest[äa]tigung"
        r"|engagement de stockage|compromiso de almacenamiento|confirma[çc][ãa]o de armazenamento",
    ),
    (uids.MPPS, r"\bMPPS\b|(?<!unified )(?:modality )?performed procedure step"),
    (
        uids.MODALITY_WORKLIST_FIND,
        r"(?<!unified )(?<!purpose )(?:modality )?worklist\b|\bMWL\b|lista de trabal?j?[oh]o|arbeitsliste",
    ),
    (
        uids.VERIFICATION,
        r"\bC-?ECHO\b|\bverification\b|\bverifica[çc][ãa]o\b|\bverificaci[óo]n\b|\bverifizierung\b"
        r"|\bv[ée]rification\b|\becho\b",
    ),
    (STORAGE, r"\bC-?STORE\b|\bstorage\b|\barmazenamento\b|\balmacenamiento\b|\bspeicherung\b|\bstockage\b"),
)
_SERVICE_RES = tuple((target, re.compile(rx, re.I)) for target, rx in _SERVICES)
# word parts one of which every service name above holds: a substring test passes over the many lines
# that name no service much faster than the patterns can (this pass reads every line)
_CUES = (
    "echo", "verif", "stor", "commit", "worklist", "mwl", "mpps", "procedure step", "root", "armazen",
    "almacen", "speicher", "stockage", "lista de trab", "arbeitsliste", "vérif",
)  # fmt: skip
# "Study Root Q/R Information Model C-FIND", "Patient Root C-MOVE": one class per operation
_QR_MODEL = re.compile(
    r"\b(study|patient)[ -]root\b(?:[\s\-/]*(?:query[ /-]*retrieve|q/r|qr))?(?:\s+information model)?"
    r"[\s\-–(]*C-?(find|move|get)\b",
    re.I,
)
_ROLE = re.compile(
    r"\b(SCU|SCP)\b(?:\s*(?:/|and|&|,|\+|or|e|y|und|et)\s*\b(SCU|SCP)\b)?"
    r"|\bservice class (provider|user)\b",
    re.I,
)
# AE titles hold role words ("STORE-SCP", "ECHO_SCU"): they name an AE, not a role
_AE_TOKEN = re.compile(
    r"\b[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*[-_](?:SCU|SCP)\b|\b(?:SCU|SCP)[-_][A-Za-z0-9_-]+"
)
# between a service and its role: "Verification (C-ECHO) SCP", "Storage Service SCU", "MWL SOP Class SCU"
_GAP = re.compile(
    r"^[\s()\[\]:*`'\"-]*(?:(?:service|services|sop|class(?:es)?|role|dienst|servi[çc]o|servicio"
    r"|[CN]-[A-Z]+(?:-[A-Z]+)?|mwl|mpps)[\s()\[\]:*`'\"-]*){0,3}$",
    re.I,
)
# "SCP for the Verification and Storage service classes"
_FOR = re.compile(
    r"^\s*(?:roles?\s*)?(?:for|of|para|f[üu]r|pour)\s+(?:the|a|an|o|el|la|le|die|den|der)?\s*$", re.I
)
_AND = re.compile(
    r"^\s*(?:sop class(?:es)?|service(?: class(?:es)?)?|services)?\s*(?:,|and|or|&|/|e|y|und|et)\s*"
    r"(?:the\s+)?$",
    re.I,
)
# words before a service that make it the peer's ("to a remote Storage SCP", "from the MWL SCP")
_PEER = re.compile(
    r"\b(?:remote|peer|peers|external|other|another|destination|target|foreign|to|from|with|towards|by|on"
    r"|against|requirements?|expects?|requires?"
    r"|entfernte[nrs]?|remot[oa]s?|extern[oa]s?|distante?s?|zum|zur|vom|para|desde|vers)\b",
    re.I,
)
# an aside about some other system: "The PACS, acting as Storage Commitment SCP, returns ..."
_APPOSITIVE = re.compile(
    r",\s*(?:acting|which acts|that acts|working|functioning|operating|serving)\s+as\b[^,]*$", re.I
)
# prose: the service is the subject's own ("acts as a Verification SCP", "supports the MWL SCU")
_OWN = re.compile(
    r"(?:^[\s\-*+•]*|\b(?:as|is|are|supports?|implements?|provides?|offers?|includes?|als|comme|como|unterst[üu]tzt"
    r"|suporta|soporta|implementa)\s+(?:(?:an?|the|both|o|a|um|uma|un|una|ein|eine|einen|le|la|une)\s+)?)$",
    re.I,
)
_SCP_VERB = (
    r"accepts?|accepted|receives?|received|receiving|responds?|answers?|serves?|provides?|handles incoming"
    r"|incoming|listens?|recebe|recebid[oa]s?|aceita|aceit[oa]s?|recibe|recibid[oa]s?|acepta|aceptad[oa]s?"
    r"|empf[äa]ngt|empfangen|akzeptiert|re[çc]oit|re[çc]us?|accepte"
)
_SCU_VERB = (
    r"sends?|sent|sending|initiates?|initiated|issues?|pushes|transmits?|outgoing|queries (?:the|a|an)"
    r"|retrieves? from|envia|enviad[oa]s?|solicita|env[íi]a|sendet|initiiert|envoie|[ée]met|transmet"
)
_REQUESTS = re.compile(r"^\W*(?:requests|solicita|demande|fordert)\b", re.I)
_VERB = re.compile(rf"\b(?:(?P<scp>{_SCP_VERB})|(?P<scu>{_SCU_VERB}))\b", re.I)
_ROLE_CUE = re.compile(rf"SC[UP]|service class|\b(?:{_SCP_VERB}|{_SCU_VERB})\b", re.I)
# a labelled bullet: "C-ECHO: Accepts ...", "Storage SCP – receives images"
_LABELLED = re.compile(
    r"^\s*(?:[-*+•]|\d+[.)])?\s*(?P<label>[^:–—|]{2,60}?)\s*(?::|–|—|\s-\s)\s*(?P<text>\S.*)$"
)
_NEGATED = re.compile(
    r"\b(?:not|never|no|none|nicht|kein\w*|non|pas|n[ãa]o|ningun[oa]?|ningún|without|sin|sem|ohne)\b|n't\b",
    re.I,
)
_PLANNED = PLANNED  # "planned", "will be delivered in the next stage": the shared vocabulary
_NO_CELL = re.compile(
    r"^\W*(?:no|nein|non|n[ãa]o|n/?a|none|-|–|—|✗|✘|❌)\W*$|^\W*(?:not|nicht|non|n[ãa]o|no)\b", re.I
)
_ROLE_HEADER = re.compile(r"^\W*(?:roles?|papel|rolle|r[ôo]le|rol)\W*$", re.I)
# a label that is only DIMSE operations ("N-ACTION", "N-CREATE / N-SET"): the service is named beside it
_DIMSE_ONLY = re.compile(
    r"^\W*[CN]-?(?:ECHO|STORE|FIND|MOVE|GET|CREATE|SET|ACTION|EVENT[- ]REPORT|DELETE)"
    r"(?:\W+[CN]-?(?:ECHO|STORE|FIND|MOVE|GET|CREATE|SET|ACTION|EVENT[- ]REPORT|DELETE))*\W*$",
    re.I,
)
_ROLE_ONLY = re.compile(r"^\W*(?:SCU|SCP)(?:\s*(?:/|and|&|,|\+|or|e|y|und|et)\s*(?:SCU|SCP))?\W*$", re.I)
_LABEL_WORDS = 6  # a label cell ("Storage Commitment SCP"), not a sentence
# sections that tell a story rather than state support: "Sequencing of Real-World Activities",
# "Typical Clinical Workflow", "Application Data Flow", "Example"
_WORKFLOW = re.compile(
    r"\bsequenc|\bworkflows?\b(?! management)|data ?flow|\bscenarios?\b|\bexamples?\b|use cases?"
    r"|\bablauf|\bfluxo|\bflujo|\bexemple|\bbeispiel|\bejemplo|\bexemplo",
    re.I,
)
_PEER_TABLE = re.compile(r"\b(?:remote|peer|external|destination)\b", re.I)
_SENTENCE = re.compile(r"(?<=[a-z0-9)][.;!?])\s+(?=[A-Z])")
_ASIDE = frozenset({"contents", "glossary", "history", "references", "media", "unsupported"})


@dataclass(frozen=True)
class Claim:
    """One service a line or row states by name: a SOP class UID (or :data:`STORAGE`) in one role."""

    target: str
    role: Role
    name: str  # the name as written ("C-ECHO", "Verification")
    ae: str
    section: Section
    prov: Provenance


def services_by_name(state: ReadingState) -> None:
    """Pass: services stated by name and role that no table or prose reader took (module docstring)."""
    claims = list(_claims(state))
    have = {(rec.cap.sop_class_uid, rec.cap.role) for rec in state.records}
    storage_roles: dict[Role, Claim] = {}
    for claim in claims:
        if claim.target == STORAGE:
            storage_roles.setdefault(claim.role, claim)
        elif (claim.target, claim.role) not in have:
            have.add((claim.target, claim.role))
            LOGGER.debug("%s: %s %s stated by name", state.statement.source, claim.name, claim.role)
            # no presentation context is stated, so no direction: the syntax-list passes treat it as
            # a service of the overview kind
            state.add(
                claim.section,
                claim.ae,
                Direction.UNSPECIFIED,
                claim.target,
                claim.role,
                claim.name,
                [],
                claim.prov,
            )
    if storage_roles:
        _storage_roles(state, storage_roles, have)


def _storage_roles(state: ReadingState, roles: dict[Role, Claim], have: set[tuple[str, Role]]) -> None:
    """'Storage SCP: accepts and stores DICOM objects' and a table of storage classes with no role:
    the classes are the storage service's, in the roles stated for it."""
    taken = {uid for uid, _role in have}
    for rec in state.roleless:
        uid = rec.cap.sop_class_uid
        if uid in taken or not uid.startswith(uids.STORAGE_SOP_PREFIX) or rec.section.scope_kind() in _ASIDE:
            continue
        for role, claim in sorted(roles.items()):
            if (uid, role) in have:
                continue
            have.add((uid, role))
            added = state.add(
                rec.section,
                rec.ae,
                rec.cap.direction,
                uid,
                role,
                rec.cap.name,
                list(rec.cap.transfer_syntaxes),
                rec.cap.provenance[0],
                table=rec.table,
                group=rec.group,
            )
            added.cap.provenance.append(claim.prov)  # where the role is stated


# -- reading blocks --------------------------------------------------------------------------
def _claims(state: ReadingState) -> Iterator[Claim]:
    """Every claim of the document's lines and table rows that no other reader took."""
    read = _read_places(state)
    seen = {t.index: t for t in state.tables}
    told: dict[int, bool] = {}  # section id -> it tells a story or is an aside
    index = -1
    for k, block in enumerate(state.doc.blocks):
        section = state.block_sections[k] if k < len(state.block_sections) else state.root
        if section.sid not in told:
            told[section.sid] = section.scope_kind() in _ASIDE or any(
                _WORKFLOW.search(node.heading) for node in section.chain()
            )
        if isinstance(block, Table):
            index += 1
            table = seen.get(index)
            if table is None or told[section.sid]:
                continue
            head = " ".join(c for r in table.header_rows for c in block.rows[r] if c)
            if _PEER_TABLE.search(f"{block.caption} {head}"):
                continue  # the peers' roles ("Remote AE | Role")
            headers = set(table.header_rows)
            role_col = next(
                (i for r in table.header_rows for i, c in enumerate(block.rows[r]) if _ROLE_HEADER.match(c)),
                None,
            )
            for r, row in enumerate(block.rows):
                if r not in headers:
                    yield from _row_claims(state, block, r, row, role_col, section, read)
        elif not block.literal and not told[section.sid]:
            yield from _line_claims(state, block, section)


def _read_places(state: ReadingState) -> set[tuple[int | None, int | None, str]]:
    """Where the table and prose readers took a class from: those rows and lines are theirs."""
    out: set[tuple[int | None, int | None, str]] = set()
    for rec in [*state.records, *state.roleless]:
        out.update((p.page, p.line, p.text) for p in rec.cap.provenance)
    out.update((p.page, p.line, p.text) for _uid, p in state.declined)
    return out


def _row_claims(
    state: ReadingState,
    table: Table,
    r: int,
    row: list[str],
    role_col: int | None,
    section: Section,
    read: set[tuple[int | None, int | None, str]],
) -> Iterator[Claim]:
    cells = [c.strip() for c in row if c and c.strip()]
    joined = " | ".join(cells)
    if len(cells) < 2 or not _names_a_service(joined) or not _ROLE_CUE.search(joined):
        return
    if any(uids.is_sop_class(u) for c in cells for u in uids.find_uids(c)):
        return
    if any(_NO_CELL.match(c) for c in cells[1:]) or any(_PLANNED.search(c) for c in cells):
        return  # "No", "planned", "will be delivered in the next stage"
    page, line = table.location(r)
    prov = state.prov(page, line, table.caption or section.heading, " | ".join(dict.fromkeys(cells)))
    if (prov.page, prov.line, prov.text) in read:
        return
    # a service with its role in one cell: "Verification SCP", "C-ECHO SCU + SCP"; in a cell that is a
    # sentence, only as its subject's own ("The SCP has completed the worklist query" states nothing)
    pairs = [pair for cell in cells for pair in _adjacent(cell, own=len(cell.split()) > _LABEL_WORDS)]
    if not pairs:
        # a service label cell ("C-ECHO") and the role its row gives: a Role column, else the verb
        # of the cells after it ("Accepts incoming verification requests")
        label = next(
            (
                i
                for i, c in enumerate(cells)
                if len(c.split()) <= _LABEL_WORDS and (_services_in(c) or _DIMSE_ONLY.match(c))
            ),
            None,
        )
        if label is None:
            return
        # a Role column, else a cell that is only a role (the header was not read as one), else a verb
        role_cell = _cell(row, role_col) if role_col is not None else ""
        role_cell = role_cell or next((c for c in cells[label + 1 :] if _ROLE_ONLY.match(c)), "")
        roles = roles_in(_AE_TOKEN.sub(" ", role_cell)) or _verb_role(
            " | ".join(cells[label + 1 :]), cells[label]
        )
        # "| N-ACTION | Requests storage commitment |": the operation's service is named beside it
        named = _services_in(cells[label]) or _services_in(" | ".join(cells[label + 1 :]))
        pairs = [(s, role) for s in named for role in roles]
    yield from _to_claims(state, pairs, section, prov)


def _cell(row: list[str], i: int) -> str:
    return row[i] if i < len(row) and row[i] else ""


def _line_claims(state: ReadingState, line: Line, section: Section) -> Iterator[Claim]:
    text = line.text
    if not _names_a_service(text) or not (_says_role(text.lower()) or _marked(text)):
        return
    if is_toc_line(text) or any(uids.is_sop_class(u) for u in uids.find_uids(text)):
        return
    for sentence in [text] if line.heading else _SENTENCE.split(text):
        low = sentence.lower()
        if not _names_a_service(low):
            continue
        labelled = _LABELLED.match(sentence) if _marked(sentence) and not line.heading else None
        if (
            labelled
            and not _names_a_service(labelled.group("label"))
            and not _DIMSE_ONLY.match(labelled.group("label"))
        ):
            labelled = None  # "Description: ... the storage SCP" is prose
        if not labelled and not _says_role(low):
            continue  # prose and headings state a role only in so many words
        if _NEGATED.search(sentence) or _PLANNED.search(sentence):
            continue
        prov = state.prov(line.page, line.line, section.heading, sentence)
        if labelled:
            label, said = labelled.group("label"), labelled.group("text")
            pairs = _adjacent(label)
            if not pairs:
                # "N-ACTION: Requests storage commitment ...": the operation's service is in the text
                named = _services_in(label) or (_services_in(said) if _DIMSE_ONLY.match(label) else [])
                pairs = [(s, r) for s in named for r in _verb_role(said, label)]
        elif line.heading:  # the document's own structure ("4.2.3 Verification SCP")
            pairs = _adjacent(sentence)
        else:
            pairs = _adjacent(sentence, own=True)
        yield from _to_claims(state, pairs, section, prov)


def _to_claims(
    state: ReadingState, pairs: list[tuple[tuple[int, str, str], Role]], section: Section, prov: Provenance
) -> Iterator[Claim]:
    ae = section.scope_ae() or DEFAULT_AE
    for (_start, target, name), role in pairs:
        yield Claim(target, role, name, ae, section, prov)


# -- what a text says -------------------------------------------------------------------------
def _says_role(low: str) -> bool:
    return "scu" in low or "scp" in low or "service class" in low


def _marked(text: str) -> bool:
    """A label mark: 'C-ECHO: Accepts ...', 'Storage SCP – receives ...'."""
    return ":" in text or "–" in text or "—" in text or " - " in text


def _names_a_service(text: str) -> bool:
    low = text.lower()
    return any(cue in low for cue in _CUES)


def _services_in(text: str) -> list[tuple[int, str, str]]:
    """(start, target, name as written) of each service named, in order; overlapping names once."""
    found: list[tuple[int, int, str, str]] = []
    for m in _QR_MODEL.finditer(text):
        model, op = m.group(1).capitalize(), m.group(2).capitalize()
        found.append(
            (
                m.start(),
                m.end(),
                uids.keyword_uid(f"{model}RootQueryRetrieveInformationModel{op}"),
                m.group(0),
            )
        )
    for target, pattern in _SERVICE_RES:
        for m in pattern.finditer(text):
            if not any(m.start() < end and start < m.end() for start, end, _t, _n in found):
                found.append((m.start(), m.end(), target, m.group(0)))
    return [(start, target, name) for start, _end, target, name in sorted(found)]


def _role_spans(text: str) -> list[tuple[int, int, tuple[Role, ...]]]:
    masked = _AE_TOKEN.sub(lambda m: " " * len(m.group(0)), text)
    out = []
    for m in _ROLE.finditer(masked):
        if m.group(3):
            roles: tuple[Role, ...] = (Role.SCP,) if m.group(3).lower() == "provider" else (Role.SCU,)
        else:
            roles = tuple(sorted({Role(g.upper()) for g in m.groups()[:2] if g}))
        out.append((m.start(), m.end(), roles))
    return out


def _adjacent(text: str, own: bool = False) -> list[tuple[tuple[int, str, str], Role]]:
    """Services with the role written next to them: 'Verification SCP', 'C-ECHO SCU + SCP',
    'Modality Worklist (MWL) SCU', 'SCP for the Verification and Storage service classes'.

    With ``own`` (a sentence rather than a label) only where the phrase is the subject's own:
    at the start of its clause or after 'acts as', 'supports', 'is a' ..."""
    services = _services_in(text)
    if not services:
        return []
    out: list[tuple[tuple[int, str, str], Role]] = []
    for start, end, roles in _role_spans(text):
        before = [s for s in services if s[0] < start]
        after = [s for s in services if s[0] >= end]
        if before:
            last = before[-1]
            gap = text[_service_end(text, last) : start]
            lead = _clause_before(text, last[0])
            if _GAP.match(gap) and not _PEER.search(lead[-40:]) and (not own or _own(lead)):
                out.extend((last, role) for role in roles)
                continue
        lead = _clause_before(text, start)
        if (
            after
            and _FOR.match(text[end : after[0][0]])
            and not _PEER.search(lead[-40:])
            and (not own or _own(lead))
        ):
            chain = [after[0]]
            for nxt in after[1:]:
                if not _AND.match(text[_service_end(text, chain[-1]) : nxt[0]]):
                    break
                chain.append(nxt)
            out.extend((s, role) for s in chain for role in roles)
    return out


def _service_end(text: str, service: tuple[int, str, str]) -> int:
    start, _target, name = service
    return start + len(name)


def subject_owns(text: str, start: int) -> bool:
    """Whether the service named at ``start`` of a sentence is the subject's own, not a peer's or
    an aside's: "acts as a Verification SCP" yes; "queries the Worklist SCP of the RIS", "if the
    MPPS SCP rejects", "The PACS, acting as Storage Commitment SCP," no. Shared by the prose reader."""
    lead = _clause_before(text, start)
    # the words just before it ("as a remote"): an earlier "from" in the clause is another phrase's
    return _own(lead) and not _PEER.search(" ".join(lead.split()[-3:]))


def _own(lead: str) -> bool:
    """The words before a service in a sentence make it the subject's own (see ``_OWN``)."""
    return bool(_OWN.search(lead)) and not _APPOSITIVE.search(lead)


def _clause_before(text: str, start: int) -> str:
    """The words before a position, back to the start of its clause or cell."""
    head = text[:start]
    cut = max(head.rfind(c) for c in ".;:|(")
    return head[cut + 1 :]


def _verb_role(text: str, label: str = "") -> tuple[Role, ...]:
    """The role the first verb implies: 'Accepts incoming ... requests' = SCP, 'Sends ...' = SCU.

    The provider sends an N-EVENT-REPORT ("N-EVENT-REPORT: receives the commitment result" is the
    user's), so under a label that is only that operation the verb means the other role."""
    if _REQUESTS.match(text):
        role = Role.SCU  # "Requests storage commitment" (elsewhere 'requests' is mostly a noun)
    else:
        m = _VERB.search(text)
        if m is None:
            return ()
        role = Role.SCP if m.group("scp") else Role.SCU
    if _DIMSE_ONLY.match(label) and re.fullmatch(r"\W*N-?EVENT[- ]REPORT\W*", label, re.I):
        role = Role.SCU if role is Role.SCP else Role.SCP
    return (role,)
