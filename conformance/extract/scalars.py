"""Scalars: association limits, PDU size, implementation identity, charsets, TLS, IPv6.

They come from labelled table rows and sentences, per AE when an AE section says so;
when a statement states a value several times the strongest statement wins. The walk
calls :func:`scalar_line` for every line (the table reader calls :func:`scalar_pair` for
labelled rows); candidates that need the whole document (PDU sizes, association limits)
are collected in the reading state and settled by the :func:`finish_scalars` pass.
"""

from __future__ import annotations

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
        r"requested by (?:peer|remote|external)|\baccept|\bincoming|\breceiv|as an? scp\b|acceptor"
        r"|akzeptier|angenommen|entrantes?\b",
        text,
        re.I,
    ) and not re.search(r"\binitiat|\bpropos|\boutgoing|initiier|\binitié", text, re.I):
        return Direction.ACCEPT
    if re.search(
        r"\binitiat|\bpropos|\boutgoing|\bopen(?:s|ed)? by\b|as an? scu\b|\bsend"
        r"|initiier|\binitié|sortantes?\b",
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
    elif "pdu" in low and re.search(r"max|maximum|length|size", low):
        _pdu_candidate(state, low + " " + caption.lower(), values, prov)
    elif re.search(r"associat|assoziation", low) and re.search(
        r"max|simultaneous|concurrent|number|anzahl|nombre|gleichzeitig", low
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


def _version_token(text: str) -> str | None:
    m = re.search(r"[\"'`“]([^\"'`”]{1,16})[\"'`”]", text)
    if m:
        return m.group(1).strip()
    m = re.match(r"\s*(?:is\s+|:\s*|=\s*)?([A-Za-z0-9_.\-/]{1,16})\b", text)
    if m and m.group(1).lower() not in {"is", "none", "the", "not", "n/a", "configurable"}:
        return m.group(1)
    return None


def _assoc_value(text: str) -> int | str | None:
    if _UNLIMITED_RE.search(text):
        return UNLIMITED
    m = re.search(r"\b(\d{1,6})\b", text)
    return int(m.group(1)) if m else None


def _pdu_candidate(state: ReadingState, context: str, values: list[str], prov: Provenance) -> None:
    if re.search(r"\bsend\b|\bsent\b|\btransmit", context) and not re.search(r"receiv", context):
        return
    for value in reversed(values):
        if re.search(r"unlimited|no limit", value, re.I) and not re.search(r"\d", value):
            state.pdu.append((1, 0, prov))
            return
        size = _size(value)
        if size is not None and (size == 0 or size >= 1024 or re.search(r"k", value, re.I)):
            rank = 0 if "receiv" in context else 1
            state.pdu.append((rank, size, prov))
            return


_SCALAR_HINT = re.compile(
    r"implementation|pdu|association|iso[_ ]|gb18030|gbk|tls|ssl|secure|ipv|security"
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
    if "pdu" in low and re.search(r"max|maximum|length|size", low):
        # "The maximum PDU size sent is 16 kB. Max PDU Length 64 kB is offered for received PDUs."
        sentences = [x for x in re.split(r"(?<=[A-Za-z0-9)][.;])\s+(?=[A-Z])", text) if "pdu" in x.lower()]
        for sentence in sentences or [text]:
            _pdu_sentence(state, sentence, prov)
    elif max_pdu := re.match(r"^\s*max_pdu\s*[:=]\s*(\d+)", low):
        state.pdu.append((1, int(max_pdu.group(1)), prov))
    if (
        "association" in low
        and re.search(r"max|maximum|simultaneous|concurrent|up to|at a time|\bonly\b|at most", low)
        and not re.search(r"outstanding|asynchronous|per (?:ip|host)|connections per", low)
    ):
        # "... initiated: 4 Maximum number ... accepted: 4" read as one line: one clause per label
        for clause in re.split(r"\s+(?=(?:maximum|max\.?|number)\b[^:.]{0,100}:)", text, flags=re.I):
            kv = re.match(r"^\W*([^:]{5,100}?association[^:]{0,80}):\s*(\S.*)$", clause, re.I)
            if kv:
                scalar_pair(state, kv.group(1), [kv.group(2)], section.heading, section, ae, prov)
            elif "association" in clause.lower():
                _assoc_sentence(state, clause, section, ae, prov)
    if CHARSET_CONTEXT.search(text) or any(CHARSET_CONTEXT.search(n.heading) for n in section.chain()):
        charsets(state, text, prov)  # not from revision histories or examples elsewhere
    if not line.heading:
        tls_ipv6(state, text, prov)
        if (
            st.tls is None
            and any(
                re.match(r"^\W*(?:[\dA-Z](?:\.\d+)*\.?\s+)?security(?: profiles?)?\s*$", n.heading, re.I)
                for n in section.chain()
            )
            and re.search(
                r"^none supported|not support any (?:specific )?security|no security (?:profiles?|measures)"
                r"|^security profiles?(?: supported)?\s*[:|]\s*none\b",
                low,
            )
        ):
            st.tls = Fact(False, prov)
    side = _ae_side(low)
    if side is not None:
        state.sides.setdefault(ae or DEFAULT_AE, side)
    _ae_title_and_port(state, text, ae, prov)


def _pdu_sentence(state: ReadingState, text: str, prov: Provenance) -> None:
    low = text.lower()
    m = re.search(
        r"(?:pdu|max_pdu)[^0-9]{0,80}?" + _INT + r"(\s*(?:k(?:i?b(?:ytes?)?)?\b|bytes?\b))?", text, re.I
    )
    if (m and not re.search(r"\bsend\b|\bsent\b", low[: m.start(1)])) or (m and "receiv" in low):
        size = _size(m.group(1) + (m.group(2) or ""))
        if size == 0 and re.search(r"\b0\s*(?:for|means|=|is)\s*(?:unlimited|no limit)", low):
            size = None  # "0 for unlimited" explains the encoding, it is not the setting
        if size is not None:
            rank = 0 if "receiv" in low else 1
            if size == 0 or size >= 1024 or m.group(2):
                state.pdu.append((rank, size, prov))
    elif re.search(r"pdu[^.]{0,60}\bunlimited\b", low):
        state.pdu.append((1, 0, prov))


def _ae_title_and_port(state: ReadingState, text: str, ae: str | None, prov: Provenance) -> None:
    """'AE Title (Default: `MINIPACS`)', 'The MINIPACS AE waits ... at the TCP/IP port 104'."""
    title = re.search(
        r"\bAE[ -]?(?i:title)\b[^.:]{0,40}?(?i:default(?: is|:)?|:|is)"
        r"\s*[`'\"“]?([A-Z][A-Z0-9_\-]{0,15})\b(?![a-z])",
        text,
    )
    port = re.search(
        r"\b(?:TCP(?:/IP)? )?port(?: number)?\b[^.\d]{0,30}?(?:default:?\s*)?`?(\d{2,5})\b", text, re.I
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


def tls_ipv6(state: ReadingState, text: str, prov: Provenance) -> None:
    st = state.statement
    if re.search(r"abbreviation|acronym|glossary|definition|\bterms\b|revision|history", prov.section, re.I):
        return  # "TLS Transport Layer Security" in a glossary, "added TLS option" in a revision history
    low = text.lower()
    if re.search(r"\btls\b|secure transport connection|\bssl\b|bcp 195", low):
        positive = re.search(
            r"\bsupport|\benabl|\bconfigur|\bprovide|\buse[sd]?\b|profile|\bavailable\b|as an option", low
        )
        # English, and the negations of the languages statements also come in (de, fr, es, it)
        negative = re.search(r"\b(?:not|no|never|unsupported|without|nicht|keine?|pas|aucun|ningún)\b", low)
        value = bool(positive) and not negative
        if negative and st.tls is None:
            st.tls = Fact(False, prov)
        elif value and (st.tls is None or st.tls.value is False):
            st.tls = Fact(True, prov)
    for sentence in re.split(r"(?<=[.;])\s+", low) if re.search(r"\bipv6\b", low) else []:
        if not re.search(r"\bipv6\b", sentence):
            continue
        negative = re.search(
            r"only supports ipv4|ipv4 only|only ipv4"
            r"|\b(?:not|no)\b\s+(?:\w+\s+){0,2}(?:support|availab)[^.]*ipv6"
            r"|ipv6[^.]{0,40}\bnot (?:supported|available)",
            sentence,
        )
        positive = re.search(
            r"\bsupport|ipv4 and ipv6|ipv6 and ipv4|\benabl|\bboth\b|\bdual", sentence
        ) or re.fullmatch(r".*\|\s*(?:yes|ipv4 and ipv6)\s*", sentence)
        if negative and st.ipv6 is None:
            st.ipv6 = Fact(False, prov)
        elif positive and not negative and (st.ipv6 is None or st.ipv6.value is False):
            st.ipv6 = Fact(True, prov)
    if re.search(r"\bipv6\b", low):
        pass
    elif re.search(r"only supports ipv4|supports only ipv4|ipv4 only", low) and st.ipv6 is None:
        st.ipv6 = Fact(False, prov)


def finish_scalars(state: ReadingState) -> None:
    """Pass: the strongest PDU size and association limits become the statement's and AEs' facts."""
    st = state.statement
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
