"""Character sets on worklist and query paths (PS3.5 6.1; not negotiated).

The answering side (worklist broker, archive) emits names in its character sets; the
asking side must support each non-ASCII one, or names arrive garbled, dropped or mislabelled.
"""

from __future__ import annotations

import logging
import re

from conformance.findings import Finding, Severity
from conformance.matcher.common import Context, fact_evidence, pair_finding, services_of
from conformance.model import Statement
from conformance.services import Service
from conformance.site import Link

LOGGER = logging.getLogger(__name__)

ASCII = frozenset({"", "ISO_IR 6", "ISO 2022 IR 6"})
PATHS = frozenset({Service.WORKLIST, Service.QUERY})


def canonical(value: str) -> str:
    """Compare single-byte sets by ISO-IR number ("ISO 2022 IR 100" ~ "ISO_IR 100")."""
    text = " ".join(value.upper().replace("_", " ").split())
    m = re.fullmatch(r"ISO (?:2022 )?IR (\d+)", text)
    return f"IR {m.group(1)}" if m else text


def check_charsets(ctx: Context, links: list[Link], a: Statement, b: Statement) -> list[Finding]:
    """Character sets for one device pair's worklist / query links (one finding for all of them)."""
    links = [lk for lk in links if lk.service in PATHS]
    if not links:
        return []
    source, target = links[0].source, links[0].target
    paths = services_of(links)
    consumer, emitter = (source, a), (target, b)  # the SCP answers the SCU's query
    emitted = [f for f in emitter[1].character_sets if f.value not in ASCII and canonical(f.value) != "IR 6"]
    supported = {canonical(f.value) for f in consumer[1].character_sets}
    if not emitter[1].character_sets or not consumer[1].character_sets:
        silent = [d for d, st in (consumer, emitter) if not st.character_sets]
        return [
            pair_finding(
                "statement-silent-character-sets",
                Severity.INFO,
                f"{' and '.join(silent)} silent on character sets ({paths} path)",
                links,
                evidence=[
                    fact_evidence(
                        d, st, "character sets", st.character_sets[0] if st.character_sets else None
                    )
                    for d, st in (consumer, emitter)
                ],
                detail="A statement that lists no Specific Character Set supports only the default "
                "repertoire (ASCII); non-ASCII names would not survive this path.",
                fix="Confirm the character sets both devices use for patient names.",
            )
        ]
    missing = [f for f in emitted if canonical(f.value) not in supported]
    if not missing:
        return []
    names = ", ".join(f.value for f in missing)
    return [
        pair_finding(
            "character-set-unsupported",
            Severity.DEGRADING,
            f"{target} may answer in {names}, which {source} does not support",
            links,
            evidence=[fact_evidence(target, b, "character set", f) for f in missing]
            + [fact_evidence(source, a, "character set", f) for f in a.character_sets],
            detail="Character sets are not negotiated: names in an unsupported set arrive garbled or "
            "replaced, and may be copied into images with a wrong (0008,0005) label "
            f"({paths} answers from {target}).",
            fix=f"Configure {target} to answer {source} in a set it supports "
            f"(or transliterate to ASCII), or enable {names} on {source}.",
        )
    ]
