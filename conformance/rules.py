"""The catalogue of finding rules: every rule id the analyzer can emit, in one place.

Rule modules emit findings by id; :class:`~conformance.findings.Finding` refuses an id that is
not here, ``--strict`` asks the catalogue which rules are warnings, the report shows a rule's
meaning next to its id, and docs/matcher-rules.md carries the table :func:`markdown_table`
prints (a test keeps the two equal). Adding a rule means adding one :class:`Rule` below.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

LOGGER = logging.getLogger(__name__)


class Severity(StrEnum):
    BLOCKING = "blocking"  # will not work
    DEGRADING = "degrading"  # works partly, or depends on configuration / an option
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"blocking": 0, "degrading": 1, "info": 2}[self.value]


class Family(StrEnum):
    """Which part of the analyzer owns a rule (one matcher module per family, probe, what-if)."""

    ROLES = "roles"
    NEGOTIATION = "negotiation"
    REVERSE = "reverse"
    CHAINS = "chains"
    BUDGET = "budget"
    PROFILE = "profile"
    CHARSETS = "charsets"
    SILENCE = "silence"
    INVENTORY = "inventory"
    WHAT_IF = "what-if"
    PROBE = "probe"


@dataclass(frozen=True)
class Rule:
    """One rule: its id, owner, severities (the default first) and one-line meaning.

    ``silence``: the finding can rest on a statement being silent (nothing stated), not on a
    stated contradiction; the report marks such evidence. ``warns``: ``--strict`` counts the
    finding as a warning (the run could not vouch for something it needed).
    """

    id: str
    family: Family
    severities: tuple[Severity, ...]
    meaning: str
    silence: bool = False
    warns: bool = False

    @property
    def severity(self) -> Severity:
        """The default severity (the one the rule gives when nothing lowers or raises it)."""
        return self.severities[0]


BLK, DEG, INF = Severity.BLOCKING, Severity.DEGRADING, Severity.INFO

_CATALOGUE: tuple[Rule, ...] = (
    # -- roles: SOP classes and roles per link --------------------------------------------
    Rule(
        "sop-class-not-accepted",
        Family.ROLES,
        (DEG, BLK),
        "storage classes a store link carries that the receiver does not list as SCP, one finding per link "
        "(blocking when named in the sender's `sends` or when none of its image classes is stored)",
        silence=True,
    ),
    Rule(
        "storage-wildcard",
        Family.ROLES,
        (INF,),
        "the receiver accepts classes it does not list on a general statement (any storage SOP class)",
    ),
    Rule(
        "sends-not-given",
        Family.ROLES,
        (INF,),
        "a sender without `sends` in the inventory: every storage class its statement lists was checked",
    ),
    Rule(
        "sends-not-in-statement",
        Family.ROLES,
        (INF,),
        "classes the inventory's `sends` names that the sender's statement does not list as Storage SCU",
        silence=True,
    ),
    Rule(
        "initiator-lacks-scu",
        Family.ROLES,
        (BLK, DEG),
        "the link's SOP class (worklist, MPPS, commitment, Q/R, print) is not listed as SCU by the initiator",
        silence=True,
    ),
    Rule(
        "acceptor-lacks-scp",
        Family.ROLES,
        (BLK, DEG, INF),
        "the link's SOP class is not listed as SCP by the acceptor (Verification: info)",
        silence=True,
    ),
    Rule(
        "no-common-sop-class",
        Family.ROLES,
        (BLK,),
        "Q/R information models or print meta SOP classes of the two sides do not overlap",
    ),
    Rule(
        "sop-class-alternative-missing",
        Family.ROLES,
        (INF,),
        "the SCU also uses an information model the SCP lacks; another one is shared",
    ),
    Rule("role-is-option", Family.ROLES, (DEG,), "a needed role is a licensed or configurable option"),
    Rule(
        "print-option-not-accepted",
        Family.ROLES,
        (INF,),
        "an optional print SOP class the SCU negotiates separately (Presentation LUT, Annotation Box, Print "
        "Job) is not accepted by the printer: it prints without it",
    ),
    Rule(
        "statement-silent-storage-classes",
        Family.ROLES,
        (DEG,),
        "a store link's sender lists no storage SOP class as SCU: nothing to check",
        silence=True,
        warns=True,
    ),
    # -- negotiation: presentation contexts -----------------------------------------------
    Rule(
        "no-common-transfer-syntax",
        Family.NEGOTIATION,
        (BLK, DEG),
        "pynetdicom's negotiation accepts no presentation context for a SOP class (degrading and "
        "unconfirmed when a side's syntaxes were assumed)",
        silence=True,
    ),
    Rule(
        "transfer-syntax-fallback",
        Family.NEGOTIATION,
        (DEG,),
        "the sender's preferred lossless compressed syntax is refused; uncompressed is used",
    ),
    Rule(
        "lossy-substitution", Family.NEGOTIATION, (DEG,), "only a lossy syntax is accepted for lossless data"
    ),
    Rule(
        "only-retired-big-endian",
        Family.NEGOTIATION,
        (DEG,),
        "Explicit VR Big Endian (retired) is the only shared transfer syntax",
    ),
    Rule(
        "default-transfer-syntax-not-listed",
        Family.NEGOTIATION,
        (INF,),
        "a storage table without Implicit VR Little Endian, the default every AE must accept",
    ),
    Rule(
        "presentation-context-limit",
        Family.NEGOTIATION,
        (DEG,),
        "more than 128 presentation contexts needed on one association",
    ),
    Rule(
        "statement-silent-transfer-syntaxes",
        Family.NEGOTIATION,
        (INF,),
        "a side states no transfer syntax for a SOP class: the default was assumed for it",
        silence=True,
        warns=True,
    ),
    # -- reverse associations: commitment replies, C-MOVE / C-GET sub-operations ------------
    Rule(
        "commitment-reply-association",
        Family.REVERSE,
        (DEG,),
        "the modality lists no Storage Commitment SCU in an acceptance table: a reply on a new "
        "association would be refused",
    ),
    Rule(
        "commitment-reply-no-port",
        Family.REVERSE,
        (DEG,),
        "the modality has no listening port in the inventory for commitment replies",
    ),
    Rule(
        "commitment-reply-no-transfer-syntax",
        Family.REVERSE,
        (BLK,),
        "no common transfer syntax for the commitment reply on a new association",
    ),
    Rule(
        "commitment-not-to-store-target",
        Family.REVERSE,
        (DEG,),
        "commitment requested from a device the modality does not store to",
    ),
    Rule(
        "move-destination-unknown",
        Family.REVERSE,
        (INF,),
        "no store link from the archive to the C-MOVE destination: it must be in the archive's "
        "remote AE table",
    ),
    Rule(
        "move-destination-no-port",
        Family.REVERSE,
        (DEG,),
        "the C-MOVE destination has no listening port in the inventory",
    ),
    Rule(
        "move-destination-not-storage-scp",
        Family.REVERSE,
        (BLK, DEG),
        "the C-MOVE destination cannot receive images (no Storage SCP)",
        silence=True,
    ),
    Rule(
        "move-sop-class-not-accepted",
        Family.REVERSE,
        (DEG, BLK),
        "C-MOVE sub-operations for classes the archive holds that the destination does not accept "
        "(blocking when none is accepted)",
    ),
    Rule(
        "statement-silent-move-storage",
        Family.REVERSE,
        (DEG,),
        "the archive lists no Storage SCU: it cannot be confirmed that it sends C-MOVE sub-operations",
        silence=True,
        warns=True,
    ),
    Rule(
        "get-storage-role-selection",
        Family.REVERSE,
        (DEG, BLK),
        "C-GET sub-operations the archive cannot send with the requester in the SCP role",
    ),
    Rule(
        "get-requester-not-storage-scp",
        Family.REVERSE,
        (BLK, DEG),
        "a C-GET SCU that lists no storage SOP class as SCP receives nothing",
        silence=True,
    ),
    Rule(
        "get-context-limit",
        Family.REVERSE,
        (DEG,),
        "a C-GET association needs more than 128 presentation contexts",
    ),
    # -- chains ---------------------------------------------------------------------------
    Rule(
        "workflow-chain",
        Family.CHAINS,
        (BLK, DEG, INF),
        "a modality's worklist -> MPPS -> storage -> commitment chain has a missing or broken step",
    ),
    # -- budget ---------------------------------------------------------------------------
    Rule(
        "association-budget",
        Family.BUDGET,
        (DEG,),
        "the initiators may open more simultaneous associations than the acceptor accepts",
    ),
    Rule(
        "statement-silent-association-limit",
        Family.BUDGET,
        (INF,),
        "the acceptor states no limit on accepted associations",
        silence=True,
        warns=True,
    ),
    Rule(
        "statement-silent-initiated-associations",
        Family.BUDGET,
        (INF,),
        "an initiator states no limit on the associations it opens",
        silence=True,
        warns=True,
    ),
    # -- profile: AE titles, ports, TLS, PDU ------------------------------------------------
    Rule("ae-title-invalid", Family.PROFILE, (BLK,), "an inventory AE title that PS3.5 does not allow"),
    Rule("ae-title-duplicate", Family.PROFILE, (BLK,), "one AE title used by several devices"),
    Rule("ae-title-case", Family.PROFILE, (DEG,), "AE titles that differ only in case"),
    Rule("port-clash", Family.PROFILE, (BLK,), "two devices listen on the same host and port"),
    Rule(
        "tls-required-unsupported",
        Family.PROFILE,
        (BLK,),
        "the inventory requires TLS on the acceptor; the initiator's statement says no TLS",
    ),
    Rule(
        "tls-one-side",
        Family.PROFILE,
        (INF,),
        "one statement supports TLS, the other does not: the link runs unencrypted",
    ),
    Rule(
        "statement-silent-tls",
        Family.PROFILE,
        (DEG,),
        "the inventory requires TLS on the acceptor; the initiator's statement is silent on TLS",
        silence=True,
        warns=True,
    ),
    Rule("max-pdu-small", Family.PROFILE, (INF,), "the acceptor receives PDUs under 16 KiB"),
    # -- character sets ---------------------------------------------------------------------
    Rule(
        "character-set-unsupported",
        Family.CHARSETS,
        (DEG,),
        "answers may come in a character set the asking side does not support",
    ),
    Rule(
        "statement-silent-character-sets",
        Family.CHARSETS,
        (INF,),
        "a side states no character set beyond the default repertoire",
        silence=True,
        warns=True,
    ),
    # -- silence: what the run could not use -------------------------------------------------
    Rule(
        "statement-silent-services",
        Family.SILENCE,
        (DEG,),
        "a statement lists no SOP class: the device pair's links are not checked",
        silence=True,
        warns=True,
    ),
    Rule(
        "statement-unresolved-names",
        Family.SILENCE,
        (INF,),
        "names in a statement did not resolve to a UID and were left out of the match",
    ),
    Rule(
        "max-pdu-unstated",
        Family.SILENCE,
        (INF,),
        "the statement is silent on the maximum PDU size it receives",
        silence=True,
    ),
    Rule(
        "link-not-checked",
        Family.SILENCE,
        (DEG,),
        "a link whose device has no usable statement is not checked",
        silence=True,
    ),
    # -- inventory ---------------------------------------------------------------------------
    Rule(
        "inventory-warning",
        Family.INVENTORY,
        (INF,),
        "an inventory problem that did not stop its row (unknown key, missing file, loop)",
        warns=True,
    ),
    # -- what-if -----------------------------------------------------------------------------
    Rule(
        "what-if-summary",
        Family.WHAT_IF,
        (INF,),
        "what adding or replacing the candidate changes: links, new and resolved findings",
    ),
    # -- probe: declared versus observed -------------------------------------------------------
    Rule("probe-no-association", Family.PROBE, (BLK,), "the probe could not associate with the device"),
    Rule("probe-observed", Family.PROBE, (INF,), "what the probe observed (contexts, PDU, implementation)"),
    Rule("probe-partial", Family.PROBE, (DEG,), "some of the probe's associations failed"),
    Rule("probe-echo-failed", Family.PROBE, (BLK,), "C-ECHO failed on an established association"),
    Rule(
        "probe-sop-class-refused",
        Family.PROBE,
        (BLK, DEG),
        "SOP classes the statement declares as SCP were refused, one finding per service class "
        "(degrading when options)",
    ),
    Rule(
        "probe-sop-class-undeclared",
        Family.PROBE,
        (INF,),
        "SOP classes were accepted that the statement does not declare, one finding per service class",
    ),
    Rule(
        "probe-transfer-syntax-refused",
        Family.PROBE,
        (DEG,),
        "transfer syntaxes the statement declares were refused, one finding per service class (compressed "
        "ones count for storage only)",
    ),
    Rule(
        "probe-transfer-syntax-undeclared",
        Family.PROBE,
        (INF,),
        "transfer syntaxes were accepted that the statement does not declare, one finding per service class",
    ),
    Rule(
        "probe-implementation-class-differs",
        Family.PROBE,
        (DEG,),
        "the observed implementation class UID differs from the statement's",
    ),
    Rule(
        "probe-implementation-version-differs",
        Family.PROBE,
        (INF,),
        "the observed implementation version name differs from the statement's",
    ),
    Rule("probe-max-pdu-differs", Family.PROBE, (INF,), "the observed max PDU differs from the statement's"),
    Rule(
        "probe-scu-not-observable",
        Family.PROBE,
        (INF,),
        "SCU roles the statement declares cannot be observed by a probe",
    ),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _CATALOGUE}


def rule(rule_id: str) -> Rule:
    """The catalogue entry of ``rule_id``; a KeyError names the id (a rule emitted but not catalogued)."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise KeyError(f"rule {rule_id!r} is not in the catalogue (conformance/rules.py)") from None


def under_silence(r: Rule) -> Severity | None:
    """The most a finding of ``r`` can be when it rests on a side being silent (None: it never does).

    Silence is not a blocker: such a finding is at most degrading and marked unconfirmed.
    """
    if not r.silence:
        return None
    return DEG if r.severity is BLK else r.severity


def markdown_table() -> str:
    """The catalogue as the Markdown table docs/matcher-rules.md carries (kept equal by a test)."""
    lines = [
        "| rule | family | severity | under silence | --strict warning | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for r in _CATALOGUE:
        severities = " / ".join(s.value for s in r.severities)
        capped = under_silence(r)
        silence = f"{capped.value}, unconfirmed" if capped is not None else ""
        warns = "yes" if r.warns else ""
        lines.append(f"| `{r.id}` | {r.family.value} | {severities} | {silence} | {warns} | {r.meaning} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m conformance.rules > table.md (to refresh the docs)
    print(markdown_table(), end="")
