"""Scalars: association limits, PDU size, implementation identity, charsets, TLS, IPv6.

They come from labelled table rows and sentences, per AE when an AE section says so;
when a statement states a value several times the strongest statement wins. The walk
calls :func:`scalar_line` for every line (the table reader calls :func:`scalar_pair` for
labelled rows); candidates that need the whole document (PDU sizes, association limits)
are collected in the reading state and settled by the :func:`finish_scalars` pass.
"""

from __future__ import annotations

import functools
import logging
import re

from conformance import uids
from conformance.document import Line
from conformance.extract.context import ae_name
from conformance.extract.state import DEFAULT_AE, Assoc, ReadingState, Section
from conformance.model import (
    UNLIMITED,
    ApplicationEntity,
    Direction,
    Fact,
    Provenance,
    Role,
)
from conformance.words import lower_exact, may_contain

LOGGER = logging.getLogger(__name__)

_INT = r"(\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?!\d)|\d+)"  # "16,384", "28 672" (thousands grouped)
_UNLIMITED_RE = re.compile(
    r"\bunlimited\b|no (?:maximum )?limit|\bno maximum\b|\binfinite\b|without (?:any )?limit", re.I
)


_ASSOC_UNLIMITED = re.compile(
    r"(?:unlimited|no (?:artificial |fixed |upper )?(?:maximum|limit)|without (?:any )?limit)"
    r"[^.]{0,80}associations"
    r"|associations[^.]{0,60}(?:unlimited|no (?:maximum|limit))",
    re.I,
)


_NUMBER_WORDS = {
    "a single": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "sixteen": 16, "twenty": 20, "thirty-two": 32,
}  # fmt: skip
_NUMBER_WORD = re.compile(r"\b(" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")\b")


def _to_int(text: str) -> int:
    return int(re.sub(r"[,\s\u00a0\u202f]", "", text))


def _size(text: str) -> int | None:
    m = re.search(_INT + r"\s*(k(?:i?b(?:ytes?)?)?\b|m(?:i?b(?:ytes?)?)\b|bytes?\b)?", text, re.I)
    if not m:
        return None
    value = _to_int(m.group(1))
    unit = (m.group(2) or "").lower()
    if unit.startswith("k"):
        value *= 1024
    elif unit.startswith("m"):
        value *= 1024 * 1024
    return value


def _assoc_direction(text: str) -> Direction | None:
    if re.search(
        r"requested by (?:peer|remote|external)|\baccept|\bincoming|\breceiv|as (?:an? )?scp\b|acceptor"
        r"|akzeptier|angenommen|entrantes?\b|aceit|acept|recebid|recibid",
        text,
        re.I,
    ) and not re.search(r"\binitiat|\bpropos|\boutgoing|initiier|\binitié", text, re.I):
        return Direction.ACCEPT
    if re.search(
        r"\binitiat|\bpropos|\boutgoing|\bopen(?:s|ed)? by\b|as (?:an? )?scu\b|\bsend"
        r"|initiier|\binitié|sortantes?\b|\binici|salientes?\b|enviad",
        text,
        re.I,
    ):
        return Direction.INITIATE
    return None


def scalar_pair(
    state: ReadingState,
    label: str,
    values: list[str],
    caption: str,
    section: Section,
    ae: str | None,
    prov: Provenance,
) -> None:
    """A 'label | value' row (or 'Label: value' sentence)."""
    st = state.statement
    low = label.lower()
    value = " ".join(values).strip()
    if not value:
        return
    in_identity = bool(re.search(r"implementation identif", f"{caption} {section.heading}", re.I))
    if (
        "implementation class uid" in low
        or low.strip() in {"implementation uid", "implementation class"}
        or (in_identity and re.search(r"\buid\b", low) and "version" not in low and uids.find_uids(value))
    ):
        if st.implementation_class_uid is None:
            token = _uid_token(value)
            if token:
                st.implementation_class_uid = Fact(token, prov)
    elif "implementation version name" in low or low.strip() in {"implementation version", "version name"}:
        if st.implementation_version_name is None:
            token = _version_token(value)
            if token:
                st.implementation_version_name = Fact(token, prov)
    elif "pdu" in low and _PDU_SIZE_WORD.search(low):
        _pdu_candidate(state, low + " " + caption.lower(), values, prov)
    elif _ASSOC_WORD.search(low) and re.search(
        r"max|m[áa]xim|simult|concurrent|number|anzahl|nombre|n[úu]mero|gleichzeitig|h[öo]chst", low
    ):
        if re.search(r"outstanding|asynchronous|per (?:ip|host|remote)", low):
            return
        # "Maximum number of simultaneous associations: 4 initiated, 12 accepted"
        pairs = [
            (_assoc_value(m.group(1)), _assoc_direction(m.group(2)))
            for m in re.finditer(
                r"(\d{1,5}|unlimited)\s*\(?\s*([a-z][\w ]{2,30}?)(?=[,;.)]|\s+and\b|$)", value, re.I
            )
        ]
        if len(pairs) >= 2 and all(d is not None for _n, d in pairs) and len({d for _n, d in pairs}) == 2:
            for number, direction in pairs:
                if number is not None:
                    state.assoc.append(Assoc(ae or section.scope_ae(), direction, number, prov, stated=True))
            return
        number = _assoc_value(value)
        if number is None:
            return
        stated = _assoc_direction(low)
        direction = stated or _assoc_direction(caption)
        state.assoc.append(
            Assoc(ae or section.scope_ae(), direction, number, prov, stated=stated is not None)
        )


def _uid_token(text: str) -> str | None:
    found = uids.find_uids(text)
    if found:
        return found[0]
    m = re.search(r"[\"'`“]?([0-9A-Za-z][\w.…]*\.[\w.…]+)", text)
    if m and re.search(r"\d|x", m.group(1)):
        return m.group(1).rstrip(".") if not m.group(1).endswith("…") else m.group(1)
    return None


_NOT_A_NAME = {"is", "the", "and", "or", "not", "none", "for", "of", "by", "version", "name", "value", "this"}
_NOT_A_NAME |= {"that", "which", "configurable", "see", "n/a", "will", "set", "to"}


def _version_token(text: str) -> str | None:
    """The Implementation Version Name a cell or clause gives: quoted as written; else the clause's
    first up to 16 characters (VR SH), which may hold a space ("ACME 7.01"), else its first token."""
    m = re.search(r"[\"'`“]([^\"'`”]{1,16})[\"'`”]", text)
    if m:
        return m.group(1).strip()
    text = re.sub(r"^\s*(?:is\s+|:\s*|=\s*)?", "", text)
    clause = re.split(
        r"\.(?:\s|$)|[,;(\[|]|\s{2,}|\s+(?:and|or|for|which|that|is|was|will|in|on|see|from|with)\b"
        r"|\s+(?=[A-Z][\w /()-]{1,40}:\s)",
        text,
        maxsplit=1,
    )[0].strip()
    words = clause.split()
    if (
        1 < len(words) <= 3
        and len(clause) <= 16
        and all(re.fullmatch(r"[A-Za-z0-9][\w.\-/]*", w) and w.lower() not in _NOT_A_NAME for w in words)
        and any(re.search(r"\d", w) for w in words[1:])  # "ACME 7.01": a name and its release
    ):
        return clause
    m = re.match(r"([A-Za-z0-9_.\-/]{1,16})\b", text)
    if m and m.group(1).lower() not in _NOT_A_NAME:
        return m.group(1)
    return None


def _assoc_value(text: str) -> int | str | None:
    if _UNLIMITED_RE.search(text):
        return UNLIMITED
    m = re.search(r"\b(\d{1,6})\b", text)
    return int(m.group(1)) if m else None


def _pdu_candidate(state: ReadingState, context: str, values: list[str], prov: Provenance) -> None:
    """A PDU row: its label and caption say receive or send; its (last) value cell gives the size."""
    if re.search(r"\bsend\b|\bsent\b|\btransmit", context) and not re.search(r"receiv", context):
        return
    for value in reversed(values):
        if re.search(r"unlimited|no limit", value, re.I) and not re.search(r"\d", value):
            state.pdu.append((1, 0, prov))
            return
        found = _pdu_size(value, receive="receiv" in context)
        if found is not None:
            state.pdu.append((*found, prov))
            return


_SIZE_AT = re.compile(_INT + r"(\s*(?:k(?:i?b(?:ytes?)?)?\b|m(?:i?b(?:ytes?)?)\b|bytes?\b|octets?\b))?", re.I)
_RANGE = re.compile(
    r"(?:\b(?:from|between)\s+)?"
    + _INT
    + r"\s*(?:k(?:i?b(?:ytes?)?)?\b|bytes?\b)?\s*(?:to|and|-|–|…|\.\.)\s*"
    + _INT
    + r"(?:\s*(?:k(?:i?b(?:ytes?)?)?\b|m(?:i?b(?:ytes?)?)\b|bytes?\b))?",
    re.I,
)
_RECEIVE = re.compile(r"receiv|incoming|\bread\b|\baccept|empfang|reçu|recib|recebid", re.I)
_SEND = re.compile(r"\bsend|\bsent\b|transmit|outgoing|\bwrite\b|\bpropos|gesendet|envoy|enviad", re.I)


def _pdu_size(text: str, receive: bool) -> tuple[int, int] | None:
    """(rank, size) of the receive PDU size a sentence or cell states: a size marked received wins,
    then one marked default, then an unmarked one; sizes marked sent, minimum, or the bounds of a
    configurable range are not it. Rank 0 is a stated receive size."""
    ranged = {pos for m in _RANGE.finditer(text) for pos in (m.start(1), m.start(2))}
    sizes: list[tuple[int, int]] = []  # (preference, size)
    last_end = 0
    matches = list(_SIZE_AT.finditer(text))
    for m in matches:
        size = _size(m.group(0))
        before = text[last_end : m.start()]
        last_end = m.end()
        if size is None or m.start(1) in ranged or not (size == 0 or size >= 1024 or m.group(2)):
            continue
        before = re.split(r"[,;(]", before)[-1]
        after = re.match(r"\s*[(\[]?\s*(?:(?:is|are)\s+)?(?:for\s+|when\s+|on\s+)?(\w+)", text[m.end() :])
        tag = after.group(1) if after else ""
        if _SEND.search(tag) or (
            not _RECEIVE.search(tag) and _SEND.search(before) and not _RECEIVE.search(before)
        ):
            continue
        if re.search(r"\bmin(?:imum)?\b", before, re.I):
            continue
        if _RECEIVE.search(tag) or _RECEIVE.search(before):
            sizes.append((0, size))
        elif re.search(
            r"\bdefault|standard|voreinstellung|par d[ée]faut|por defecto|padr[ãa]o", tag + before, re.I
        ):
            sizes.append((1, size))
        else:
            sizes.append((2, size))
    if not sizes:
        return None
    preference, size = min(sizes)
    if (
        preference == 2
        and len(sizes) == 1
        and re.search(r"\breceiv\w*\s+(?:\w+\s+)?pdus?\b|\bpdus?\s+(?:\w+\s+)?receiv", text, re.I)
        and not _SEND.search(text)
    ):
        preference = 0  # "Max PDU Length 64 kB is offered for received PDUs."
    return (0 if preference == 0 or receive else 1), size


# the words of association limits and PDU sizes in the languages statements come in
_ASSOC_WORD = re.compile(r"associat|assoziation|associa[çc]|asociaci")
_PDU_SIZE_WORD = re.compile(
    r"max|m[áa]xim|length|size|tamanho|tama[ñn]o|gr[öo](?:ß|ss)e|taille|l[äa]nge|longueur|longitud|comprimento"
)
# words that make a line about associations a limit ("max", "máxim", "höchst" ...; "only" as a word)
_LIMIT_WORDS: tuple[str, ...] = ("max", "máxim", "simult", "concurrent", "up to", "at a time", "at most")
_LIMIT_WORDS += ("gleichzeitig", "höchst", "hochst")
# what the port pattern needs, on lower-cased text (see words.py): "port" at the start of a word.
# Written as a literal and a look-behind rather than "\bport": a pattern that starts with a literal
# is searched for that literal (ten times faster than trying the pattern at every position)
_PORT_WORD = re.compile(r"port(?<!\wport)")
# "AE Title (Default: `MINIPACS`)"; "AE(?<!\wAE)" is "\bAE", written to start with its literal
_AE_TITLE = re.compile(
    r"AE(?<!\wAE)[ -]?(?i:title)\b[^.:]{0,40}?(?i:default(?: is|:)?|:|is)"
    r"\s*[`'\"“]?([A-Z][A-Z0-9_\-]{0,15})\b(?![a-z])"
)
_SCALAR_HINT = re.compile(
    r"implementation|pdu|associa|asociaci|assoziation|iso[_ ]|gb18030|gbk|tls|ssl|secure|ipv|security"
    r"|none supported|request the|repertoire|title|port"
)


def scalar_line(state: ReadingState, line: Line, section: Section, ae: str | None) -> None:
    st = state.statement
    text = line.text
    low = text.lower()
    if not _SCALAR_HINT.search(low):
        return  # most lines state no scalar: one search instead of a dozen
    prov = state.prov(line.page, line.line, section.heading, text)
    impl = re.search(r"implementation (?:class )?uid\b", low) if "implementation" in low else None
    if impl and st.implementation_class_uid is None:
        rest = text[impl.end() :]
        rest = re.sub(r"^\W*(?:\(0002,0012\))?\W*(?:is|of|:|=)?\W*", "", rest, flags=re.I)
        token = _uid_token(rest)
        if token and not re.match(r"^(?:and|or|the|for)\b", rest, re.I):
            st.implementation_class_uid = Fact(token, prov)
    if "implementation version name" in low and st.implementation_version_name is None:
        rest = text[low.index("implementation version name") + len("implementation version name") :]
        # keep an opening quote: a quoted name may hold spaces ("AQUILA 8.2")
        rest = re.sub(r"^[^\w\"'`“]*(?:\(0002,0013\))?\s*(?:is|of|:|=)?\s*", "", rest, flags=re.I)
        if re.match(r"^[\"'`“]|^[A-Z0-9][A-Za-z0-9_.\-/]*\b", rest) and not re.match(
            r"^(?:and|or|the|for|is|will|which|that|value)\b", rest, re.I
        ):
            token = _version_token(rest)
            if token:
                st.implementation_version_name = Fact(token, prov)
    if "pdu" in low and _PDU_SIZE_WORD.search(low):
        # "The maximum PDU size sent is 16 kB. Max PDU Length 64 kB is offered for received PDUs."
        sentences = [x for x in re.split(r"(?<=[A-Za-z0-9)][.;])\s+(?=[A-Z])", text) if "pdu" in x.lower()]
        for sentence in sentences or [text]:
            _pdu_sentence(state, sentence, prov)
    elif "max_pdu" in low and (max_pdu := re.match(r"^\s*max_pdu\s*[:=]\s*(\d+)", low)):
        state.pdu.append((1, int(max_pdu.group(1)), prov))
    if (
        _ASSOC_WORD.search(low)
        and (any(word in low for word in _LIMIT_WORDS) or ("only" in low and re.search(r"\bonly\b", low)))
        and not re.search(r"outstanding|asynchronous|per (?:ip|host)|connections per", low)
    ):
        # "... initiated: 4 Maximum number ... accepted: 4" read as one line: one clause per label
        for clause in re.split(r"\s+(?=(?:maximum|max\.?|number)\b[^:.]{0,100}:)", text, flags=re.I):
            kv = re.match(
                r"^\W*([^:]{5,100}?(?:associat|assoziation|associa[çc]|asociaci)[^:]{0,80}):\s*(\S.*)$",
                clause,
                re.I,
            )
            if kv:
                scalar_pair(state, kv.group(1), [kv.group(2)], section.heading, section, ae, prov)
            elif "association" in clause.lower():
                _assoc_sentence(state, clause, section, ae, prov)
    if _may_name_charsets(text, low) and (
        CHARSET_CONTEXT.search(text) or any(_charset_heading(n.heading) for n in section.chain())
    ):
        charsets(state, text, prov)  # not from revision histories or examples elsewhere
    if not line.heading and not states_nothing(text, section):
        tls_ipv6(state, text, prov)
        if (
            st.tls is None
            and ("security" in low or low.startswith("none supported"))  # what the pattern needs
            and re.search(
                r"^none supported|not support any (?:specific )?security|no security (?:profiles?|measures)"
                r"|^security profiles?(?: supported)?\s*[:|]\s*none\b",
                low,
            )
            and any(_security_heading(n.heading) for n in section.chain())
        ):
            st.tls = Fact(False, prov)
    side = _ae_side(low)
    if side is not None:
        state.sides.setdefault(ae or DEFAULT_AE, side)
    _ae_title_and_port(state, text, ae, prov)


@functools.lru_cache(maxsize=1024)
def _charset_heading(heading: str) -> bool:
    """A heading whose section is about character sets (asked for every line below it)."""
    return bool(CHARSET_CONTEXT.search(heading))


@functools.lru_cache(maxsize=1024)
def _security_heading(heading: str) -> bool:
    return bool(re.match(r"^\W*(?:[\dA-Z](?:\.\d+)*\.?\s+)?security(?: profiles?)?\s*$", heading, re.I))


def _may_name_charsets(text: str, low: str) -> bool:
    """Whether :func:`charsets` can find anything in a line: a defined term ("ISO_IR 100",
    "GB18030") or the template's "In addition to the default character repertoire" sentence."""
    return "ISO" in text or "GB" in text or may_contain(text, low, ("in addition to the default",))


def _pdu_sentence(state: ReadingState, text: str, prov: Provenance) -> None:
    low = text.lower()
    m = re.search(r"(?:pdu|max_pdu)", low)
    if m is None:
        return
    rest = text[m.start() :]
    explains = re.compile(r"\b0\s*(?:for|means|=|is)\s*(?:unlimited|no limit)", re.I)
    if explains.search(low):
        rest = explains.sub(" ", rest)  # "0 for unlimited" explains the encoding, it is not the setting
        low = explains.sub(" ", low)
    # the words before "PDU" say which size it is ("The receive PDU size ...", "sent PDUs are ...")
    found = _pdu_size(text[: m.start()] + rest if _RECEIVE.search(text[: m.start()]) else rest, receive=False)
    if found is not None:
        state.pdu.append((*found, prov))
    elif re.search(r"pdu[^.]{0,60}\bunlimited\b", low):
        state.pdu.append((1, 0, prov))


def _ae_title_and_port(state: ReadingState, text: str, ae: str | None, prov: Provenance) -> None:
    """'AE Title (Default: `MINIPACS`)', 'The MINIPACS AE waits ... at the TCP/IP port 104'."""
    # the title pattern needs "AE" as written, the port pattern the word "port" in any case
    maybe_port = not lower_exact(text) or bool(_PORT_WORD.search(text.lower()))
    if "AE" not in text and not maybe_port:
        return
    title = _AE_TITLE.search(text) if "AE" in text else None
    port = (
        re.search(
            r"\b(?:TCP(?:/IP)? )?port(?: number)?\b[^.\d]{0,30}?(?:default:?\s*)?`?(\d{2,5})\b", text, re.I
        )
        if maybe_port
        else None
    )
    if not title and not port:
        return
    named = ae_name(text)
    if title and title.group(1) in state.aes:
        ae = title.group(1)  # the default title is the AE's own name
    elif named and (named in state.aes or re.fullmatch(r"[A-Z][A-Z0-9_\-]{1,15}", named)):
        ae = named  # "The MINIPACS AE waits ... at port 104"
    entity = state.aes.setdefault(ae or DEFAULT_AE, ApplicationEntity(ae or DEFAULT_AE))
    if title and entity.ae_title is None and title.group(1) not in {"AE", "DICOM", "SCU", "SCP"}:
        entity.ae_title = Fact(title.group(1), prov)
    if port and 0 < int(port.group(1)) < 65536 and entity.port is None:
        entity.port = Fact(int(port.group(1)), prov)
        if entity.port.value not in {f.value for f in state.statement.ports}:
            state.statement.ports.append(entity.port)


# "ISO_IR 100" as the standard spells it, "ISO-IR 100", "ISO-2022-IR 87"; not "ISO IR100" (a registration)
_CHARSET = re.compile(r"(?<![A-Za-z_])(?:ISO[_ \-]IR[ _\-]\d+|ISO[ _\-]2022[ _\-]IR[ _\-]\d+|GB18030|GBK)\b")


CHARSET_CONTEXT = re.compile(
    r"character ?set|charset|repertoire|zeichens[aä]tz|jeux? de caract[eè]res|juegos? de caracteres", re.I
)


def charsets(state: ReadingState, text: str, prov: Provenance) -> None:
    """Specific Character Set defined terms ('ISO_IR 100', 'ISO 2022 IR 87', 'GB18030')."""
    st = state.statement
    # the PS3.2 template sentence "In addition to the default character repertoire, the Defined Terms
    # ... are supported" lists the default repertoire (ISO_IR 6) as a supported set
    if re.match(
        r"\W*in addition to the default (?:character )?repertoire, the", text, re.I
    ) and "ISO_IR 6" not in {f.value for f in st.character_sets}:
        st.character_sets.append(Fact("ISO_IR 6", prov))  # the default repertoire (PS3.5 6.1.2.2)
    for cs in _CHARSET.findall(text):
        if cs.upper().startswith("GB"):
            value = cs.upper()
        elif "2022" in cs:
            value = "ISO 2022 IR " + re.findall(r"\d+", cs)[-1]
        else:
            value = "ISO_IR " + re.findall(r"\d+", cs)[-1]
        if value not in {f.value for f in st.character_sets}:
            st.character_sets.append(Fact(value, prov))


def _assoc_sentence(
    state: ReadingState, text: str, section: Section, ae: str | None, prov: Provenance
) -> None:
    # "accepts at most 20 associations. It initiates at most 5 ..." / "initiates 6 ... and accepts 3":
    # one limit per clause when the clauses name different directions
    sentences = re.split(r"(?<=[a-z0-9)][.;])\s+(?=[A-Z])", text)
    if len(sentences) > 1:  # a paragraph: each sentence about associations on its own
        about = False
        for sentence in sentences:
            follows = about and re.search(r"\d", sentence) and _assoc_direction(sentence)  # "It initiates 5."
            about = bool(re.search(r"associat", sentence, re.I))
            if about or follows:
                _assoc_sentence(state, sentence, section, ae, prov)
        return
    parts = re.split(r"(?<=[.;])\s+|,?\s+\band\b\s+(?=(?:it\s+|they\s+)?(?:accept|initiat))", text)
    directed = [(p, _assoc_direction(p)) for p in parts if re.search(r"\d", p) or _ASSOC_UNLIMITED.search(p)]
    if len({d for _, d in directed if d}) > 1:
        for part, direction in directed:
            if direction:
                _assoc_sentence(state, part, section, ae, prov)
        return
    low = _NUMBER_WORD.sub(lambda w: str(_NUMBER_WORDS[w.group(1)]), text.lower())  # "only one", "two"
    value: int | str | None = None
    m = re.search(
        r"(?:up to|maximum(?: number)?(?: of)?|max\.?|limited to(?: a maximum of)?|at most"
        r"|default (?:maximum )?(?:is|of))\s*(\d{1,5})\b"
        r"|(\d{1,5})\s+(?:simultaneous|concurrent|parallel)"
        r"|associations\b[^.\d]{0,40}?\b(?:is|are|of|:)\s*(\d{1,5})\b"
        r"|\b(?:only|just)\s+(\d{1,5})\s+(?:\w+\s+)?associations?\b"
        r"|\b(\d{1,5})\s+(?:\w+\s+)?associations?\s+at a time",
        low,
    )
    unlimited = _ASSOC_UNLIMITED.search(low)
    if unlimited and (not m or unlimited.start() < m.start()):
        value = UNLIMITED
    elif m:
        value = int(next(g for g in m.groups() if g))
    if value is None:
        return
    stated = _assoc_direction(low)
    direction = stated or _assoc_direction(section.heading) or None
    state.assoc.append(Assoc(ae, direction, value, prov, stated=stated is not None))


def _ae_side(low: str) -> Direction | None:
    """'X initiates but never accepts associations' / 'will never initiate Associations'."""
    if "accept" not in low and "initiat" not in low and "request the opening" not in low:
        return None  # every phrase below has one of these
    if re.search(
        r"initiates but never accepts|never accepts associations|does not accept associations"
        r"|cannot accept requests"
        r"|can only request the opening",
        low,
    ):
        return Direction.INITIATE
    if re.search(
        r"accepts but never initiates|never initiates? associations|does not initiate associations"
        r"|only accepts association(?:s| requests)?(?! (?:from|with) (?:known|configured|specific|certain))",
        low,
    ):
        return Direction.ACCEPT
    return None


# -- TLS and IPv6 ------------------------------------------------------------------------------
# Read clause by clause, so that a value never contradicts the words it quotes: "TLS 1.0 is not
# supported; TLS is supported with TLS 1.2" states TLS; "DICOMweb can use HTTPS (TLS)" says
# nothing of DICOM's own transport; "No raw DICOM over TLS" says no.
_TLS = re.compile(r"\btls\b|secure transport connection|\bssl\b|bcp\s?195|\bsecure dicom\b", re.I)
_NOT_DICOM_TLS = re.compile(  # TLS of the web, audit or database connections, not of DICOM associations
    r"https|dicom\s?web|\bweb\b|wado|qido|stow|\brest\b|\bhttp\b|ldap|syslog|atna|audit|database|smtp"
    r"|e-?mail|vpn|browser|portal|sftp|ftps|\bapi\b",
    re.I,
)
_DICOM_WORD = re.compile(
    r"\bdicom\b(?!\s?web)|\bdimse\b|association|\bport\s*2762\b|\bAEs?\b|storage|c-store"
)
_CLAUSE = re.compile(
    r"(?<=[.;])\s+|\s+(?:but|however|whereas|aber|jedoch|mais|pero|mas|sin embargo)\s+", re.I
)
_TLS_NEG = re.compile(
    r"\b(?:does|do|is|are|will|can|has|have|was|were)\s*(?:not|n't)\s+(?:be\s+)?"
    r"(?:support|provid|implement|offer|availab|possible)"
    r"|\bnot\s+(?:\w+ly\s+)?(?:be\s+)?(?:supported|available|implemented|provided|offered|possible)"
    r"|\bunsupported\b|\bno\s+(?:\w+\s+){0,2}(?:tls|ssl|secure transport|security|support|encryption)\b"
    r"|\bwithout\s+(?:\w+\s+)?(?:tls|ssl|encryption)|\|\s*(?:no|none|not supported|n/a)\s*$"
    r"|:\s*(?:no|none|not supported)\s*\.?$"
    r"|\bnicht\s+(?:\w+\s+)?(?:unterst[üu]tzt|verf[üu]gbar|implementiert)"
    r"|\bkeine?\s+(?:\w+\s+){0,2}(?:tls|ssl|unterst[üu]tzung|verschl[üu]sselung)"
    r"|n'est pas (?:support|pris en charge|disponible)|\bpas de (?:tls|ssl)|\bnon (?:support|pris en charge)"
    r"|\bno (?:es |est[áa] )?(?:soportad|compatible|admit|disponible)|\bn[ãa]o (?:[ée] |s[ãa]o )?"
    r"(?:suportad|dispon[íi]vel|implementad)|\bsem (?:tls|ssl)|\bningun[oa]? (?:tls|ssl)",
    re.I,
)
_TLS_POS = re.compile(
    r"\bsupport|\benabl|\bconfigur|\bprovide|\boption|\bavailable|\buse[sd]?\b|\bcan be\b|profile"
    r"|\bimplement|\bunterst[üu]tzt|\baktivier|pris en charge|\bsupport[ée]|\bsoportad|\bcompatible"
    r"|\bsuportad|\bdispon[íi]vel|\bdisponible|\|\s*(?:yes|ja|oui|sim|s[íi])\b|\btls\s*v?1\.[0-3]",
    re.I,
)
_OLD_PROTOCOL = re.compile(r"\btls\s*v?1\.[01]\b|\bssl\s*v?\d|\bssl\b", re.I)
_IPV4 = re.compile(r"\bipv4\b|\btcp/ip\s*v4\b|\bip\s*v4\b|\bip version 4\b", re.I)
_IPV6_NEG = re.compile(
    r"only supports ipv4|supports only ipv4|ipv4 only|only ipv4|\b(?:not|no)\b\s+(?:\w+\s+){0,2}"
    r"(?:support|availab)[^.]*ipv6|ipv6[^.]{0,40}\bnot\b(?:\s+\w+){0,2}\s+(?:supported|available)|\bno ipv6\b"
    r"|ipv6\s*[:|]\s*(?:no|none|not supported)\b|ipv6\s*[:|]\s*[✗✘❌]",
    re.I,
)
_IPV6_POS = re.compile(
    r"\bsupport|ipv4 and ipv6|ipv6 and ipv4|ipv4/ipv6|ipv6/ipv4|\benabl|\bboth\b|\bdual|\bunterst[üu]tzt"
    r"|\bsupport[ée]|\bsoportad|\bsuportad|ipv6\s*[:|]\s*(?:yes|ja|oui|sim|s[íi]|ipv4 and ipv6)\b"
    r"|ipv6\s*[:|]\s*[✓✔✅☑]",  # a check mark in a 'Feature | Supported' row
    re.I,
)


def states_nothing(text: str, section: Section | None = None) -> bool:
    """A table-of-contents entry ("4.3 IPv4 and IPv6 Support .... 76") names a topic, states nothing."""
    if ("..." in text or "…" in text) and re.search(r"\.{4,}\s*\d+\s*$|…+\s*\d+\s*$", text):
        return True
    return section is not None and any(_contents(node.heading) for node in section.chain() if node.heading)


@functools.lru_cache(maxsize=1024)
def _contents(heading: str) -> bool:
    return bool(
        re.search(r"\b(?:table of )?contents?\b|inhaltsverzeichnis|sommaire|[íi]ndice", heading, re.I)
    )


def tls_ipv6(state: ReadingState, text: str, prov: Provenance) -> None:
    """TLS and IPv6 as a sentence, clause or 'label | value' row states them."""
    st = state.statement
    low = text.lower()
    if not (
        "tls" in low
        or "ssl" in low
        or "secure" in low
        or "bcp" in low
        or "ipv" in low
        or "ip v" in low
        or "tcp/ip" in low
        or "ip version" in low
    ):
        return  # most lines state neither: substring tests before any pattern
    if re.search(r"abbreviation|acronym|glossary|definition|\bterms\b|revision|history", prov.section, re.I):
        return  # "TLS Transport Layer Security" in a glossary, "added TLS option" in a revision history
    if states_nothing(text):
        return
    for clause in _CLAUSE.split(text) if _TLS.search(text) else []:
        verdict = _tls_clause(clause)
        if verdict is False and st.tls is None:
            st.tls = Fact(False, prov)
        elif verdict is True and (st.tls is None or st.tls.value is False):
            st.tls = Fact(True, prov)
    if "ipv6" in low and re.search(r"\bipv6\b", low):
        state.ipv6_seen = True
        for clause in re.split(r"(?<=[.;])\s+", text):
            if not re.search(r"\bipv6\b", clause, re.I):
                continue
            if _IPV6_NEG.search(clause):
                if st.ipv6 is None:
                    st.ipv6 = Fact(False, prov)
            elif _IPV6_POS.search(clause) and (st.ipv6 is None or st.ipv6.value is False):
                st.ipv6 = Fact(True, prov)
    elif _IPV4.search(text):
        if _IPV6_NEG.search(text) and st.ipv6 is None:
            st.ipv6 = Fact(False, prov)
        elif state.ipv4_stated is None and re.search(
            r"\bsupport|\buse[sd]?\b|\bunterst[üu]tzt|\btransport\b|\bnetwork\b|\bnetzwerk|\bprotocol|[:|]",
            text,
            re.I,
        ):
            state.ipv4_stated = prov  # "The Application supports IPv4.": IPv6 not claimed, if nowhere named


def _tls_clause(clause: str) -> bool | None:
    """True / False when a clause states DICOM TLS support / its absence; None when it says neither
    (another protocol's TLS, an old TLS version refused, no TLS word)."""
    if not _TLS.search(clause):
        return None
    if _NOT_DICOM_TLS.search(clause) and not _DICOM_WORD.search(clause):
        return None
    if _TLS_NEG.search(clause):
        # "TLS 1.0 and SSL are not supported" refuses old versions, not TLS
        return (
            None
            if _OLD_PROTOCOL.search(clause) and not re.search(r"\btls\b(?!\s*v?1\.)", clause, re.I)
            else False
        )
    if re.search(r"\bnot\b[^.]{0,30}\b(?:by default|required|mandatory)\b", clause, re.I) or _TLS_POS.search(
        clause
    ):
        return True  # "TLS is not enabled by default" is configurable TLS
    return None


def finish_scalars(state: ReadingState) -> None:
    """Pass: the strongest PDU size and association limits become the statement's and AEs' facts."""
    st = state.statement
    if st.ipv6 is None and state.ipv4_stated is not None and not state.ipv6_seen:
        st.ipv6 = Fact(False, state.ipv4_stated)  # IPv4 stated and IPv6 never named: not claimed
    if state.pdu:
        _rank, value, prov = min(state.pdu, key=lambda c: c[0])
        st.max_pdu_receive = Fact(value, prov)
    strong = [a for a in state.assoc if not a.weak]
    directed: list[Assoc] = []
    for a in strong or state.assoc:
        side = state.sides.get(a.ae or DEFAULT_AE)
        if side is not None and not a.stated:
            # an AE that only accepts (or only initiates) says which limit this is, over a caption's hint
            directed.append(Assoc(a.ae, side, a.value, a.prov))
        elif a.direction is not None:
            directed.append(a)
        elif a.value == UNLIMITED and a.ae in (None, DEFAULT_AE):
            # "no maximum on the number of simultaneous associations": both ways
            directed += [
                Assoc(a.ae, Direction.INITIATE, a.value, a.prov),
                Assoc(a.ae, Direction.ACCEPT, a.value, a.prov),
            ]
        else:
            directed.append(Assoc(a.ae, _unstated_direction(state, a.ae), a.value, a.prov))
    for direction, attr in (
        (Direction.INITIATE, "max_associations_initiated"),
        (Direction.ACCEPT, "max_associations_accepted"),
    ):
        cands = [a for a in directed if a.direction is direction]
        if not cands:
            sides = set(state.sides.values())
            if sides and direction not in sides and {a.ae or DEFAULT_AE for a in strong} <= set(state.sides):
                # every AE that states a limit also says it never works this way round
                first_prov = next(iter(state.assoc)).prov if state.assoc else None
                if first_prov is not None:
                    setattr(st, attr, Fact(0, first_prov))
            continue
        product = [a for a in cands if a.ae in (None, DEFAULT_AE)]
        if product:
            setattr(st, attr, Fact(product[0].value, product[0].prov))
            # the product-wide figure wins for the statement, but the AEs keep their own limits
            # (the matcher budgets a link by the AE that carries it); no AE is invented here
            for a in cands:
                entity = state.aes.get(a.ae or DEFAULT_AE)
                if a.ae not in (None, DEFAULT_AE) and entity is not None and getattr(entity, attr) is None:
                    setattr(entity, attr, Fact(a.value, a.prov))
            continue
        per_ae: dict[str, Assoc] = {}
        for a in cands:
            per_ae.setdefault(a.ae or DEFAULT_AE, a)
        for name, a in per_ae.items():
            entity = state.aes.setdefault(name, ApplicationEntity(name))
            setattr(entity, attr, Fact(a.value, a.prov))
        values = [a.value for a in per_ae.values()]
        total: int | str = UNLIMITED if UNLIMITED in values else sum(int(v) for v in values)
        first = next(iter(per_ae.values()))
        setattr(st, attr, Fact(total, first.prov))


def _unstated_direction(state: ReadingState, ae: str | None) -> Direction:
    """A limit that does not say its direction: the AE's (or product's) only side, else acceptance."""
    caps = [rec.cap for rec in state.records if ae in (None, DEFAULT_AE) or rec.ae == ae]
    roles = {c.role for c in caps if c.sop_class_uid != uids.VERIFICATION}
    if ae and re.search(r"\bSCU\b|-SCU\b", ae) and "SCP" not in ae:
        return Direction.INITIATE
    if roles == {Role.SCU}:
        return Direction.INITIATE
    return Direction.ACCEPT
