"""Character sets on every service that carries patient data (PS3.5 6.1; not negotiated).

Names travel in the character sets of the side that writes them: a worklist or query answer
in the answering side's (worklist broker, archive), the query keys, an MPPS N-CREATE/N-SET and
a C-STORE in the sending side's (modality, workstation). The reading side must support each
non-ASCII set the writing side may use, or names arrive garbled, dropped or mislabelled.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from conformance.findings import Finding, Severity
from conformance.matcher.common import Context, fact_evidence, pair_finding, services_of
from conformance.model import Fact, Statement
from conformance.services import Service
from conformance.site import Link

LOGGER = logging.getLogger(__name__)

ASCII = frozenset({"", "ISO_IR 6", "ISO 2022 IR 6"})
# the SCP writes the answers (worklist items, query matches) ...
ANSWERED = frozenset({Service.WORKLIST, Service.QUERY})
# ... and the SCU writes the query keys, the MPPS N-CREATE/N-SET and the stored objects
SENT = frozenset({Service.WORKLIST, Service.QUERY, Service.MPPS, Service.STORE})
PATHS = ANSWERED | SENT
WRITTEN = {
    Service.WORKLIST: "worklist query keys",
    Service.QUERY: "query keys",
    Service.MPPS: "MPPS N-CREATE/N-SET",
    Service.STORE: "stored objects",
}


def canonical(value: str) -> str:
    """Compare single-byte sets by ISO-IR number ("ISO 2022 IR 100" ~ "ISO_IR 100")."""
    text = " ".join(value.upper().replace("_", " ").split())
    m = re.fullmatch(r"ISO (?:2022 )?IR (\d+)", text)
    return f"IR {m.group(1)}" if m else text


@dataclass(frozen=True)
class _Flow:
    """Names written by ``writer`` (in its sets) and read by ``reader`` on ``links``."""

    writer: str
    writer_st: Statement
    reader: str
    reader_st: Statement
    links: list[Link]
    what: str  # "answers" or "sends"


def _non_ascii(st: Statement) -> list[Fact[str]]:
    return [f for f in st.character_sets if f.value not in ASCII and canonical(f.value) != "IR 6"]


def check_charsets(ctx: Context, links: list[Link], a: Statement, b: Statement) -> list[Finding]:
    """Character sets for one device pair: one finding per direction names travel in."""
    links = [lk for lk in links if lk.service in PATHS]
    if not links:
        return []
    source, target = links[0].source, links[0].target
    if not a.character_sets or not b.character_sets:
        if not any(lk.service in ANSWERED for lk in links):
            # storage and MPPS alone: the sets travel in (0008,0005) and storage products rarely
            # list them; silence is reported where names are searched and copied (worklist, query)
            return []
        silent = [d for d, st in ((source, a), (target, b)) if not st.character_sets]
        return [
            pair_finding(
                "statement-silent-character-sets",
                Severity.INFO,
                f"{' and '.join(silent)} silent on character sets ({services_of(links)} path)",
                links,
                evidence=[
                    fact_evidence(
                        d, st, "character sets", st.character_sets[0] if st.character_sets else None
                    )
                    for d, st in ((source, a), (target, b))
                ],
                detail="A statement that lists no Specific Character Set supports only the default "
                "repertoire (ASCII); non-ASCII names would not survive this path.",
                fix="Confirm the character sets both devices use for patient names.",
                unconfirmed=True,
            )
        ]
    flows = [
        _Flow(target, b, source, a, [lk for lk in links if lk.service in ANSWERED], "answers"),
        _Flow(source, a, target, b, [lk for lk in links if lk.service in SENT], "sends"),
    ]
    return [f for flow in flows if flow.links and (f := _check_flow(flow)) is not None]


def _check_flow(flow: _Flow) -> Finding | None:
    written = _non_ascii(flow.writer_st)
    readable = {canonical(f.value) for f in flow.reader_st.character_sets}
    missing = [f for f in written if canonical(f.value) not in readable]
    if not missing:
        return None
    shared = [f for f in written if canonical(f.value) in readable]
    names = ", ".join(f.value for f in missing)
    services = services_of(flow.links)
    if flow.what == "answers":
        title = f"{flow.writer} may answer in {names}, which {flow.reader} does not support"
        carried = f"{services} answers from {flow.writer}"
    else:
        kinds = ", ".join(WRITTEN[lk.service] for lk in sorted(flow.links, key=Link.key))
        title = f"{flow.writer} may send names in {names} ({kinds}), which {flow.reader} does not support"
        carried = f"{kinds} from {flow.writer}"
    if shared:
        # the writer also supports a set the reader reads: a configuration choice, not a gap
        severity = Severity.INFO
        also = f" Both support {', '.join(f.value for f in shared)}: configure {flow.writer} to use it."
    else:
        severity, also = Severity.DEGRADING, ""
    return pair_finding(
        "character-set-unsupported",
        severity,
        title,
        flow.links,
        evidence=[fact_evidence(flow.writer, flow.writer_st, "character set", f) for f in missing]
        + [
            fact_evidence(flow.reader, flow.reader_st, "character set", f)
            for f in flow.reader_st.character_sets
        ],
        detail="Character sets are not negotiated: names in an unsupported set arrive garbled or "
        f"replaced, and may be copied into images with a wrong (0008,0005) label ({carried}).{also}",
        fix=f"Configure {flow.writer} to write in a set {flow.reader} supports (or transliterate to ASCII), "
        f"or enable {names} on {flow.reader}.",
    )
