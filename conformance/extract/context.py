"""Section and heading context: which AE, direction and roles a passage speaks for.

A statement rarely repeats "as an SCP" or the AE's name on every row: headings and
sentences set them for everything below until a sibling heading, so the walk keeps a
section stack in the reading state and asks it (:func:`ctx`) before it records a capability.
"""

from __future__ import annotations

import logging
import re

from conformance.document import Line
from conformance.extract.state import DEFAULT_AE, ReadingState, Section
from conformance.model import Direction, Role
from conformance.words import may_contain

LOGGER = logging.getLogger(__name__)

# Words that say a service is not (yet) there: a status cell ("Planned", "geplant"), a sentence
# ("will be delivered in the next stage"). One vocabulary for every reader that skips such rows.
PLANNED_WORDS = (
    r"planned|geplant|in planung|pr[ée]vue?s?|planifi[ée]e?s?|planificad[oa]s?|previst[oa]s?|planead[oa]s?"
    r"|planejad[oa]s?|future|zuk[üu]nftig|roadmap|todo|tbd|coming soon|not yet|noch nicht|pas encore"
    r"|todav[íi]a no|ainda n[ãa]o|in development|under development|in entwicklung|en desarrollo"
    r"|em desenvolvimento|to be (?:implemented|delivered|added)"
    r"|will be (?:delivered|implemented|added|available|supported)"
    r"|ser[áa]n? (?:entregue|implementad[oa]|disponibilizad[oa]|suportad[oa]|a[ñn]adid[oa]|entregad[oa])"
    r"|pr[óo]xim[ao] (?:etapa|vers[ãa]o|versi[óo]n|fase|release)|next (?:release|version|stage|phase)"
    r"|not (?:yet )?(?:implemented|supported|available)|nicht (?:implementiert|unterst[üu]tzt)"
    r"|n[ãa]o (?:implementado|suportado)|no (?:implementado|soportado)|non (?:impl[ée]ment[ée]|support[ée])"
)
PLANNED = re.compile(rf"\b(?:{PLANNED_WORDS})\b", re.I)

_ROLE_WORD = re.compile(r"\b(SCU|SCP)\b")
_BOTH = re.compile(r"\bboth\b|\bSCU\s*(?:/|and|&|,|\+|or)\s*SCP\b|\bSCP\s*(?:/|and|&|,|\+|or)\s*SCU\b", re.I)
# English first; a few words of the languages statements also come in (de, fr, es, it, pt, nl)
_ACCEPT = re.compile(
    r"accept(?:ance|ed|or|s)?\b|acceptor|\breceiv|requested by (?:peer|remote|external)|incoming"
    r"|akzeptiert|angenommen|accept[ée]s?\b|aceptad|accettat|aceit|geaccepteerd",
    re.I,
)
_INITIATE = re.compile(
    r"initiat|propos|\brequestor\b|outgoing|originat|vorgeschlagen|initiier|propuest|propost|voorgesteld",
    re.I,
)
# "transfer syntax" in the languages statements come in ("Sintaxes de Transferência", "Transfersyntax")
TS_WORDS = re.compile(  # not "transferSyntax", "TransferSyntaxUID": identifiers in code or config
    r"(?i:transfer syntax|sintax[ei]s? de transfer|syntaxes? de transfert)"
    r"|\bTransfer(?:-[Ss]|s)yntax(?:en)?\b"
)
_ROLE_HINT = re.compile(r"SCU|SCP|provider|user|role|accept|propos", re.I)
_ROLE_HINT_WORDS = ("scu", "scp", "provider", "user", "role", "accept", "propos")
_HEADING_NUMBER = re.compile(r"^\s*((?:\d+|[A-Z])(?:\.\d+)*)\.?\s+\S")
_AE_WORDS_STOP = {
    "of", "the", "for", "by", "and", "a", "an", "to", "each", "all", "definition", "definitions",
    "functional", "specification", "specifications", "dicom", "remote", "peer", "this", "per", "local",
    "default", "other", "external", "destination", "calling", "called", "aes", "ae", "application",
}  # fmt: skip


def mentions_ts(text: str) -> bool:
    """Whether text speaks of transfer syntaxes (:data:`TS_WORDS`; each of its forms has "transfer")."""
    return may_contain(text, text.lower(), ("transfer",)) and bool(TS_WORDS.search(text))


def roles_in(text: str) -> tuple[Role, ...]:
    """Roles a heading, cell or sentence talks about ("as an SCP", "SCU/SCP", "Provider")."""
    if _BOTH.search(text) and re.search(r"SCU|SCP|both", text, re.I):
        return (Role.SCU, Role.SCP)
    found = {Role(m) for m in _ROLE_WORD.findall(text)}
    if not found:
        low = text.lower()
        if re.search(r"\bprovider\b", low):
            found.add(Role.SCP)
        if re.search(r"\buser of (?:the )?service\b|service class user\b", low):
            found.add(Role.SCU)
    return tuple(sorted(found))


def ae_name(text: str) -> str | None:
    """The AE a heading or caption is about: 'STORAGE-SCU AE', 'Storage Application Entity'."""
    m = re.search(r"^(.*?)\s*\b(?:AE|Application\s+Entity)\b(?!\s+Titles?)", text)
    if not m:
        return None
    # the heading number goes even when nothing follows it ("4.2 AE Specifications")
    words = re.sub(r"^\s*(?:\d+|[A-Z])(?:\.\d+)*\.?(?:\s+|$)", "", m.group(1)).replace("`", "").split()
    picked: list[str] = []
    for word in reversed(words):
        if not picked and word.lower().strip("():,") in {"application", "ae"}:
            continue  # "Query/Retrieve Application Application Entity"
        if word.lower().strip("():,") in _AE_WORDS_STOP or len(picked) >= 3:
            break
        picked.insert(0, word.strip("():,"))
    name = " ".join(picked).strip()
    return name or None


def strip_ae(text: str, ae: str | None) -> str:
    return text.replace(ae, " ") if ae else text


def direction_in(text: str) -> Direction | None:
    """The direction a heading or caption names ("Accepted Presentation Contexts"), if any."""
    if _ACCEPT.search(text):
        return Direction.ACCEPT
    if _INITIATE.search(text):
        return Direction.INITIATE
    return None


def direction_roles(direction: Direction) -> tuple[Role, ...]:
    """Roles a direction implies when nothing states them: accepting serves (SCP), initiating uses (SCU)."""
    if direction is Direction.ACCEPT:
        return (Role.SCP,)
    if direction is Direction.INITIATE:
        return (Role.SCU,)
    return ()


def sole_role(low: str) -> Role | None:
    """The one role lowercase text implies by speaking only of accepting or only of proposing."""
    accepts = re.search(r"\baccept", low)
    proposes = re.search(r"\bpropos|\binitiat", low)
    if accepts and not proposes:
        return Role.SCP
    if proposes and not accepts:
        return Role.SCU
    return None


_NUMBERED = r"^\W*(?:(?:\d+|[A-Z])(?:\.\d+)*\.?\s+)?"
# Headings that open text which is not the statement's own claims: a name met there is not a service.
# English first, and the languages statements also come in (de, fr, es, it, pt, nl).
_SECTION_KINDS = (
    (
        "contents",
        r"(?:table of )?contents|list of (?:tables|figures)|inhalt(?:sverzeichnis)?|sommaire"
        r"|table des mati[eè]res|[íi]ndice|sum[áa]rio|tabla de contenidos?|inhoud(?:sopgave)?",
    ),
    (
        "glossary",
        r"(?:glossary|definitions?|terms(?: and definitions)?|abbreviations?|acronyms?|terminology"
        r"|begriffe|abk[üu]rzungen|glossaire|d[ée]finitions?|abr[ée]viations|glosario|definiciones"
        r"|abreviaturas|gloss[áa]rio|defini[çc][õo]es|siglas|afkortingen|woordenlijst)\b.*",
    ),
    (
        "history",
        r"(?:revision|document|change|version|release)s? (?:history|record|log)|history of changes"
        r"|[äa]nderungs(?:historie|verzeichnis)|historique.*|historial.*|hist[óo]rico.*",
    ),
    ("references", r"(?:normative |informative )?references|bibliography|literatur|r[ée]f[ée]rences"),
    # what the product states it does not do: names there are declined, not missed
    (
        "unsupported",
        r".*\b(?:not supported|unsupported|not implemented|nicht (?:unterst[üu]tzt|implementiert)"
        r"|non (?:support[ée]e?s?|pris en charge)|no (?:soportad|compatible)[oa]?s?"
        r"|n[ãa]o suportad[oa]s?)\b.*",
    ),
    (
        "media",
        r".*\b(?:media (?:interchange|storage application|services)|file[- ]set|dicomdir"
        r"|removable media|offline media|media application profiles?)\b.*",
    ),
)
_SECTION_KIND_RES = tuple(
    (kind, re.compile(_NUMBERED + f"(?:{rx})" + r"\W*$", re.I)) for kind, rx in _SECTION_KINDS
)
# "4.3 IPv4 and IPv6 Support ........ 76", "Introduction … 5", a Markdown contents link "[Intro](#intro)"
_TOC_LINE = re.compile(r"(?:\.\s?){4,}\s*\d{1,4}\s*$|…+\s*\d{1,4}\s*$|\]\(#[^)]*\)\s*$")


def section_kind(heading: str) -> str:
    """What kind of text a heading opens when it is not the statement's own claims (see Section.kind)."""
    for kind, pattern in _SECTION_KIND_RES:
        if pattern.match(heading.strip()):
            return kind
    return ""


def is_toc_line(text: str) -> bool:
    """A table-of-contents entry: it names a section, it states nothing."""
    return bool(_TOC_LINE.search(text))


def open_section(state: ReadingState, line: Line) -> None:
    """A heading closes the sections at its level or deeper and opens its own scope."""
    text = line.text.strip()
    num = _HEADING_NUMBER.match(text)
    level = line.level or (num.group(1).count(".") + 1 if num else 0)
    if not level:
        level = state.section.level + 1
    parent = state.section
    while parent.parent is not None and parent.level >= level:  # the root (level 0) has no parent
        parent = parent.parent
    sec = Section(len(state.sections), level, text, num.group(1) if num else "", parent=parent)
    ae = ae_name(text)
    bare = re.fullmatch(r"(?:[\dA-Z](?:\.\d+)*\.?\s+)?([A-Z][A-Z0-9]*(?:[-_][A-Z0-9]+)+)", text)
    if not ae and bare:
        ae = bare.group(1)  # "STORAGE-SCU": a heading that is just an AE's name
    if ae and not re.search(r"\bAEs\b|application entities", text, re.I):
        sec.ae = ae
    body = strip_ae(text, ae)
    sec.direction = direction_in(body)
    roles = roles_in(body)
    if roles:
        sec.roles = roles
    sec.mentions_ts = mentions_ts(text)
    sec.kind = section_kind(text)
    sec.page, sec.line = line.page, line.line
    state.sections.append(sec)
    state.section = sec
    state.line_ts = None
    state.table_label = ""


def ctx(state: ReadingState) -> tuple[str, Direction, tuple[Role, ...]]:
    """(AE, direction, roles) the current section speaks for."""
    section = state.section
    ae = section.scope_ae() or DEFAULT_AE
    direction = section.scope_direction() or Direction.UNSPECIFIED
    roles = section.scope_roles() or ()
    return ae, direction, roles


def default_roles(state: ReadingState) -> tuple[Role, ...]:
    """Roles a capability gets when its row or sentence states none: the section's, else its direction's."""
    _ae, direction, roles = ctx(state)
    return roles or direction_roles(direction)


def role_hint(state: ReadingState, text: str) -> None:
    """A sentence that sets the section's roles or direction ("... acts as an SCP", "will accept")."""
    if not may_contain(text, text.lower(), _ROLE_HINT_WORDS) or not _ROLE_HINT.search(text):
        return
    ae = state.section.scope_ae()
    body = strip_ae(text, ae)
    if re.search(
        r"\bas (?:an? )?(?:SCU|SCP|service class (?:user|provider))\b|\b(?:SCU|SCP) (?:for|of)\b"
        r"|\bSCU and SCP\b|\bSCU/SCP\b|\brole\s*[:|]|implements an? (?:service class|SCU|SCP)"
        r"|service class (?:user|provider) \((?:SCU|SCP)\)",
        body,
        re.I,
    ) and not re.search(r"\b(?:not|never|neither|nor)\b", body, re.I):
        roles = roles_in(body)
        if roles:
            state.section.roles = roles
    if re.search(r"\bwill accept\b|\baccepts? (?:associations|presentation contexts)", body, re.I):
        state.section.direction = state.section.direction or Direction.ACCEPT
    elif re.search(r"\bwill propose\b|\bproposes? presentation contexts", body, re.I):
        state.section.direction = state.section.direction or Direction.INITIATE
