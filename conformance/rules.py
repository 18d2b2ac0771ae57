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
    EXPLAIN = "explain"


@dataclass(frozen=True)
class Rule:
    """One rule: its id, owner, severities (the default first) and one-line meaning.

    ``silence``: the finding can rest on a statement being silent (nothing stated), not on a
    stated contradiction; the report marks such evidence. ``warns``: ``--strict`` counts the
    finding as a warning (the run could not vouch for something it needed). ``clause``: the
    part of the standard (PS3.x section) the check follows, so that a reader can verify it;
    the docs table prints it.
    """

    id: str
    family: Family
    severities: tuple[Severity, ...]
    meaning: str
    silence: bool = False
    warns: bool = False
    clause: str = ""

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
        clause="PS3.4 B (Storage SCP); PS3.8 9.3.3.2 (context rejected: abstract syntax not supported)",
    ),
    Rule(
        "storage-wildcard",
        Family.ROLES,
        (INF,),
        "the receiver accepts classes it does not list on a general statement (any storage SOP class)",
        clause="PS3.2 A.4.2 (SOP classes of the AE); PS3.4 B (Storage SCP)",
    ),
    Rule(
        "sends-not-given",
        Family.ROLES,
        (INF,),
        "a sender without `sends` in the inventory: every storage class its statement lists was checked",
        clause="PS3.2 A.4.2 (SOP classes of the AE: what it may send)",
    ),
    Rule(
        "sends-not-in-statement",
        Family.ROLES,
        (INF,),
        "classes the inventory's `sends` names that the sender's statement does not list as Storage SCU",
        silence=True,
        clause="PS3.4 B (Storage SCU)",
    ),
    Rule(
        "initiator-lacks-scu",
        Family.ROLES,
        (BLK, DEG),
        "the link's SOP class (worklist, MPPS, commitment, Q/R, print) is not listed as SCU by the initiator",
        silence=True,
        clause="PS3.4 (the service class annex: SCU role); PS3.2 A.1 (Network Services table)",
    ),
    Rule(
        "acceptor-lacks-scp",
        Family.ROLES,
        (BLK, DEG, INF),
        "the link's SOP class is not listed as SCP by the acceptor (Verification: info)",
        silence=True,
        clause="PS3.4 (the service class annex: SCP role); PS3.4 A (Verification SCP)",
    ),
    Rule(
        "no-common-sop-class",
        Family.ROLES,
        (BLK,),
        "Q/R information models or print meta SOP classes of the two sides do not overlap",
        clause="PS3.4 C.6 (Q/R information models); PS3.4 H (print meta SOP classes)",
    ),
    Rule(
        "sop-class-alternative-missing",
        Family.ROLES,
        (INF,),
        "the SCU also uses an information model the SCP lacks; another one is shared",
        clause="PS3.4 C.6 (Q/R information models)",
    ),
    Rule(
        "role-is-option",
        Family.ROLES,
        (DEG,),
        "a needed role is a licensed or configurable option",
        clause="PS3.2 A.1 (Network Services table: Option)",
    ),
    Rule(
        "print-option-not-accepted",
        Family.ROLES,
        (INF,),
        "an optional print SOP class the SCU negotiates separately (Presentation LUT, Annotation Box, Print "
        "Job) is not accepted by the printer: it prints without it",
        clause="PS3.4 H (optional print SOP classes)",
    ),
    Rule(
        "statement-silent-storage-classes",
        Family.ROLES,
        (DEG,),
        "a store link's sender lists no storage SOP class as SCU: nothing to check",
        silence=True,
        warns=True,
        clause="PS3.2 A.4.2 (SOP classes of the AE)",
    ),
    # -- negotiation: presentation contexts -----------------------------------------------
    Rule(
        "no-common-transfer-syntax",
        Family.NEGOTIATION,
        (BLK, DEG),
        "pynetdicom's negotiation accepts no presentation context for a SOP class (degrading and "
        "unconfirmed when a side's syntaxes were assumed)",
        silence=True,
        clause="PS3.8 9.3.3.2 (result 4: transfer syntaxes not supported); PS3.5 10.1",
    ),
    Rule(
        "transfer-syntax-fallback",
        Family.NEGOTIATION,
        (DEG,),
        "the sender's statement prefers a lossless compressed syntax (proposal order or words) for a "
        "class with pixel data; the receiver refuses it and uncompressed is used",
        clause="PS3.2 A.4.2 (Proposed Presentation Contexts: which syntax is used); PS3.5 8.2",
    ),
    Rule(
        "lossy-substitution",
        Family.NEGOTIATION,
        (DEG,),
        "every syntax the receiver accepts for a class with lossless pixel data is lossy",
        clause="PS3.5 8.2 (lossy compression); PS3.3 C.7.6.1.1.5 (Lossy Image Compression)",
    ),
    Rule(
        "only-retired-big-endian",
        Family.NEGOTIATION,
        (DEG,),
        "Explicit VR Big Endian (retired) is the only shared transfer syntax",
        clause="PS3.5 A.3 (Explicit VR Big Endian, retired)",
    ),
    Rule(
        "default-transfer-syntax-not-listed",
        Family.NEGOTIATION,
        (INF,),
        "a storage table without Implicit VR Little Endian, the default every AE must accept",
        clause="PS3.5 10.1 (the default transfer syntax)",
    ),
    Rule(
        "presentation-context-limit",
        Family.NEGOTIATION,
        (DEG,),
        "a sender proposes more than 128 SOP classes on one link (counted as proposed, accepted or not)",
        clause="PS3.8 9.3.2.2 (context IDs: odd integers 1-255)",
    ),
    Rule(
        "statement-silent-transfer-syntaxes",
        Family.NEGOTIATION,
        (INF,),
        "a side states no transfer syntax for a SOP class: the default was assumed for it",
        silence=True,
        warns=True,
        clause="PS3.2 A.4.2 (presentation-context tables); PS3.5 10.1",
    ),
    # -- reverse associations: commitment replies, C-MOVE / C-GET sub-operations ------------
    Rule(
        "commitment-reply-association",
        Family.REVERSE,
        (DEG,),
        "the modality lists no Storage Commitment SCU in an acceptance table: a reply on a new "
        "association would be refused",
        silence=True,
        clause="PS3.4 J.3 (N-EVENT-REPORT); PS3.7 D.3.3.4 (SCP/SCU role selection)",
    ),
    Rule(
        "commitment-reply-no-port",
        Family.REVERSE,
        (DEG,),
        "the modality has no listening port in the inventory for commitment replies",
        clause="PS3.4 J.3 (reply on a new association); PS3.8 9.1 (TCP addressing)",
    ),
    Rule(
        "commitment-reply-no-transfer-syntax",
        Family.REVERSE,
        (BLK,),
        "no common transfer syntax for the commitment reply on a new association",
        clause="PS3.4 J.3; PS3.8 9.3.3.2",
    ),
    Rule(
        "commitment-not-to-store-target",
        Family.REVERSE,
        (DEG,),
        "commitment requested from a device the modality does not store to",
        clause="PS3.4 J.3 (N-ACTION to the SCP that holds the instances)",
    ),
    Rule(
        "move-destination-unknown",
        Family.REVERSE,
        (INF,),
        "no store link from the archive to the C-MOVE destination: it must be in the archive's "
        "remote AE table",
        clause="PS3.4 C.4.2 (C-MOVE: Move Destination, status A801)",
    ),
    Rule(
        "move-destination-no-port",
        Family.REVERSE,
        (DEG,),
        "the C-MOVE destination has no listening port in the inventory",
        clause="PS3.4 C.4.2 (sub-operations on a new association); PS3.8 9.1",
    ),
    Rule(
        "move-destination-not-storage-scp",
        Family.REVERSE,
        (BLK, DEG),
        "the C-MOVE destination cannot receive images (no Storage SCP)",
        silence=True,
        clause="PS3.4 C.4.2 (destination receives as Storage SCP)",
    ),
    Rule(
        "move-sop-class-not-accepted",
        Family.REVERSE,
        (DEG, BLK),
        "C-MOVE sub-operations for classes the archive holds that the destination does not accept "
        "(blocking when none is accepted)",
        clause="PS3.4 C.4.2 (C-STORE sub-operations, failed count); PS3.4 B",
    ),
    Rule(
        "statement-silent-move-storage",
        Family.REVERSE,
        (DEG,),
        "the archive lists no Storage SCU: it cannot be confirmed that it sends C-MOVE sub-operations",
        silence=True,
        warns=True,
        clause="PS3.4 C.4.2 (the Q/R SCP is Storage SCU of the sub-operations)",
    ),
    Rule(
        "statement-silent-get-storage",
        Family.REVERSE,
        (DEG,),
        "the archive lists no Storage SCU: it cannot be confirmed that it returns C-GET sub-operations",
        silence=True,
        warns=True,
        clause="PS3.4 C.4.3 (the Q/R SCP is Storage SCU of the sub-operations)",
    ),
    Rule(
        "get-storage-role-selection",
        Family.REVERSE,
        (DEG, BLK),
        "storage classes the archive holds (what its senders store) that the C-GET requester does not "
        "propose with the SCP role or shares no syntax for (blocking when none can be returned)",
        clause="PS3.4 C.4.3 (sub-operations on the same association); PS3.7 D.3.3.4",
    ),
    Rule(
        "get-requester-not-storage-scp",
        Family.REVERSE,
        (BLK, DEG),
        "a C-GET SCU that lists no storage SOP class as SCP receives nothing",
        silence=True,
        clause="PS3.4 C.4.3; PS3.7 D.3.3.4 (requester in the SCP role)",
    ),
    Rule(
        "get-context-limit",
        Family.REVERSE,
        (DEG,),
        "a C-GET association needs more than 128 presentation contexts",
        clause="PS3.8 9.3.2.2 (at most 128 presentation contexts)",
    ),
    # -- chains ---------------------------------------------------------------------------
    Rule(
        "workflow-chain",
        Family.CHAINS,
        (BLK, DEG, INF),
        "a modality's worklist -> MPPS -> storage -> commitment chain has a missing or broken step",
        clause="IHE RAD TF Scheduled Workflow; PS3.4 K.6, F.7, B, J",
    ),
    Rule(
        "mpps-not-to-worklist-provider",
        Family.CHAINS,
        (DEG,),
        "a modality reports MPPS to devices none of which is (or forwards to) its worklist provider",
        clause="PS3.4 F.7 (MPPS SCP); IHE RAD TF-2 RAD-6/7 (MPPS to the DSS/Order Filler, forwarded)",
    ),
    # -- budget ---------------------------------------------------------------------------
    Rule(
        "association-budget",
        Family.BUDGET,
        (DEG,),
        "the initiators may open more simultaneous associations than the acceptor, or the acceptor AE "
        "that carries their links, accepts",
        clause="PS3.2 A.4.2 (Number of Associations); PS3.8 9.3.4 (A-ASSOCIATE-RJ local-limit-exceeded)",
    ),
    Rule(
        "association-peer-limit",
        Family.BUDGET,
        (DEG,),
        "one initiator may open more associations than the acceptor accepts from a single peer",
        clause="PS3.2 A.4.2 (Number of Associations); PS3.8 9.3.4 (local-limit-exceeded)",
    ),
    Rule(
        "statement-silent-association-limit",
        Family.BUDGET,
        (INF,),
        "the acceptor states no limit on accepted associations",
        silence=True,
        warns=True,
        clause="PS3.2 A.4.2 (Number of Associations)",
    ),
    Rule(
        "statement-silent-initiated-associations",
        Family.BUDGET,
        (INF,),
        "an initiator states no limit on the associations it opens",
        silence=True,
        warns=True,
        clause="PS3.2 A.4.2 (Number of Associations)",
    ),
    # -- profile: AE titles, ports, TLS, PDU ------------------------------------------------
    Rule(
        "ae-title-invalid",
        Family.PROFILE,
        (BLK,),
        "an inventory AE title that PS3.5 does not allow",
        clause="PS3.5 6.2 (AE value representation)",
    ),
    Rule(
        "ae-title-duplicate",
        Family.PROFILE,
        (BLK,),
        "one AE title used by several devices",
        clause="PS3.8 7.1.1 (Called/Calling AE Title); PS3.4 J.3 and C.4.2 (replies by AE title)",
    ),
    Rule(
        "ae-title-case",
        Family.PROFILE,
        (DEG,),
        "AE titles that differ only in case",
        clause="PS3.5 6.2 (AE value representation: no case folding)",
    ),
    Rule(
        "port-clash",
        Family.PROFILE,
        (BLK,),
        "two devices listen on the same host and port",
        clause="PS3.8 9.1 (TCP port per listening AE)",
    ),
    Rule(
        "tls-required-unsupported",
        Family.PROFILE,
        (BLK,),
        "every AE the initiator could use requires TLS (inventory: C-MOVE destinations and commitment "
        "listeners too) and the initiator's statement says no TLS",
        clause="PS3.15 B.1, B.9 (Secure Transport Connection Profiles)",
    ),
    Rule(
        "tls-plain-ae-only",
        Family.PROFILE,
        (INF,),
        "the acceptor has TLS and plain AEs; an initiator without TLS can use only the plain ones",
        clause="PS3.15 B.1, B.9 (TLS per connection)",
    ),
    Rule(
        "tls-inventory-contradicts-statement",
        Family.PROFILE,
        (DEG,),
        "an inventory AE marked tls: yes whose own statement says TLS is not supported",
        clause="PS3.15 B.1, B.9; PS3.2 A.8 (Security section of the statement)",
    ),
    Rule(
        "tls-one-side",
        Family.PROFILE,
        (INF,),
        "one statement supports TLS, the other does not: the link runs unencrypted",
        clause="PS3.15 B.1, B.9",
    ),
    Rule(
        "statement-silent-tls",
        Family.PROFILE,
        (DEG,),
        "every AE the initiator could use requires TLS (inventory); the initiator's statement is silent "
        "on TLS",
        silence=True,
        warns=True,
        clause="PS3.2 A.8 (Security); PS3.15 B",
    ),
    Rule(
        "max-pdu-small",
        Family.PROFILE,
        (INF,),
        "the acceptor receives PDUs under 16 KiB",
        clause="PS3.7 D.3.3.1 (Maximum Length)",
    ),
    # -- character sets ---------------------------------------------------------------------
    Rule(
        "character-set-unsupported",
        Family.CHARSETS,
        (DEG,),
        "a side sends names (worklist/query answers; MPPS, C-STORE and query keys) in a character set the "
        "other side does not support",
        clause="PS3.5 6.1 (character repertoires); PS3.3 C.12.1.1.2 (Specific Character Set)",
    ),
    Rule(
        "statement-silent-character-sets",
        Family.CHARSETS,
        (INF,),
        "a side states no character set beyond the default repertoire",
        silence=True,
        warns=True,
        clause="PS3.2 A.7 (Support of Character Sets); PS3.5 6.1",
    ),
    # -- silence: what the run could not use -------------------------------------------------
    Rule(
        "statement-silent-services",
        Family.SILENCE,
        (DEG,),
        "a statement lists no SOP class: the device pair's links are not checked",
        silence=True,
        warns=True,
        clause="PS3.2 A.1 (Network Services table)",
    ),
    Rule(
        "statement-unresolved-names",
        Family.SILENCE,
        (INF,),
        "names in a statement did not resolve to a UID and were left out of the match",
        clause="PS3.6 Annex A (registry of UIDs)",
    ),
    Rule(
        "statement-unused-transfer-syntaxes",
        Family.SILENCE,
        (INF,),
        "a statement names transfer syntaxes that no service was read with: its syntax findings may be "
        "incomplete",
        warns=True,
        clause="PS3.2 A.4.2 (presentation contexts: abstract and transfer syntaxes)",
    ),
    Rule(
        "max-pdu-unstated",
        Family.SILENCE,
        (INF,),
        "the statement is silent on the maximum PDU size it receives",
        silence=True,
        clause="PS3.7 D.3.3.1 (Maximum Length)",
    ),
    Rule(
        "link-not-checked",
        Family.SILENCE,
        (DEG,),
        "a link whose device has no usable statement is not checked",
        silence=True,
        clause="PS3.2 (a conformance statement per product)",
    ),
    # -- inventory ---------------------------------------------------------------------------
    Rule(
        "inventory-warning",
        Family.INVENTORY,
        (INF,),
        "an inventory problem that did not stop its row (unknown key, missing file, loop)",
        warns=True,
        clause="none (site inventory)",
    ),
    # -- what-if -----------------------------------------------------------------------------
    Rule(
        "what-if-summary",
        Family.WHAT_IF,
        (INF,),
        "what adding or replacing the candidate changes: links, new and resolved findings",
        clause="none (comparison of two checks)",
    ),
    # -- probe: declared versus observed -------------------------------------------------------
    Rule(
        "probe-no-association",
        Family.PROBE,
        (BLK,),
        "the probe could not associate with the device",
        clause="PS3.8 9.3.4 (A-ASSOCIATE-RJ), 9.3.8 (A-ABORT)",
    ),
    Rule(
        "probe-observed",
        Family.PROBE,
        (INF,),
        "what the probe observed (contexts, PDU, implementation)",
        clause="PS3.8 9.3.3 (A-ASSOCIATE-AC)",
    ),
    Rule(
        "probe-partial", Family.PROBE, (DEG,), "some of the probe's associations failed", clause="PS3.8 9.3.4"
    ),
    Rule(
        "probe-echo-failed",
        Family.PROBE,
        (BLK,),
        "C-ECHO failed on an established association",
        clause="PS3.4 A (Verification); PS3.7 9.1.5 (C-ECHO)",
    ),
    Rule(
        "probe-sop-class-refused",
        Family.PROBE,
        (BLK, DEG),
        "SOP classes the statement declares as SCP were refused, one finding per service class "
        "(degrading when options)",
        clause="PS3.8 9.3.3.2 (result 3: abstract syntax not supported)",
    ),
    Rule(
        "probe-sop-class-undeclared",
        Family.PROBE,
        (INF,),
        "SOP classes were accepted that the statement does not declare, one finding per service class",
        clause="PS3.8 9.3.3.2",
    ),
    Rule(
        "probe-transfer-syntax-refused",
        Family.PROBE,
        (DEG,),
        "transfer syntaxes the statement declares were refused, one finding per service class (compressed "
        "ones count for storage only)",
        clause="PS3.8 9.3.3.2 (result 4: transfer syntaxes not supported)",
    ),
    Rule(
        "probe-transfer-syntax-undeclared",
        Family.PROBE,
        (INF,),
        "transfer syntaxes were accepted that the statement does not declare, one finding per service class",
        clause="PS3.8 9.3.3.2",
    ),
    Rule(
        "probe-implementation-class-differs",
        Family.PROBE,
        (DEG,),
        "the observed implementation class UID differs from the statement's",
        clause="PS3.7 D.3.3.2 (Implementation Class UID)",
    ),
    Rule(
        "probe-implementation-version-differs",
        Family.PROBE,
        (INF,),
        "the observed implementation version name differs from the statement's",
        clause="PS3.7 D.3.3.2 (Implementation Version Name)",
    ),
    Rule(
        "probe-max-pdu-differs",
        Family.PROBE,
        (INF,),
        "the observed max PDU differs from the statement's",
        clause="PS3.7 D.3.3.1 (Maximum Length)",
    ),
    Rule(
        "probe-scu-not-observable",
        Family.PROBE,
        (INF,),
        "SCU roles the statement declares cannot be observed by a probe",
        clause="PS3.7 D.3.3.4 (the acceptor cannot be asked for an SCU role)",
    ),
    # -- explain: association logs read against the statements -----------------------------
    Rule(
        "association-rejected-called-ae",
        Family.EXPLAIN,
        (BLK,),
        "the acceptor rejected the association: it does not know the called AE title",
        clause="PS3.8 9.3.4 (A-ASSOCIATE-RJ: result, source, reason)",
    ),
    Rule(
        "association-rejected-calling-ae",
        Family.EXPLAIN,
        (BLK,),
        "the acceptor rejected the association: it does not accept the calling AE title",
        clause="PS3.8 9.3.4 (A-ASSOCIATE-RJ: result, source, reason)",
    ),
    Rule(
        "association-rejected-busy",
        Family.EXPLAIN,
        (DEG,),
        "the acceptor turned the association away for now (congestion or its association limit)",
        clause="PS3.8 9.3.4 (A-ASSOCIATE-RJ: transient, local limit exceeded)",
    ),
    Rule(
        "association-rejected",
        Family.EXPLAIN,
        (BLK,),
        "the acceptor rejected the association for another reason (no reason given, application "
        "context, protocol version)",
        clause="PS3.8 9.3.4 (A-ASSOCIATE-RJ: result, source, reason)",
    ),
    Rule(
        "association-aborted",
        Family.EXPLAIN,
        (BLK,),
        "an established association was aborted (A-ABORT or A-P-ABORT) before it was released",
        clause="PS3.8 9.3.8 (A-ABORT); PS3.8 7.3, 7.4",
    ),
    Rule(
        "association-failed",
        Family.EXPLAIN,
        (BLK,),
        "the association request got no answer (no connection, timeout, connection closed)",
        clause="PS3.8 9.1 and 9.3.2 (association request; ARTIM timer)",
    ),
    Rule(
        "abstract-syntax-not-supported",
        Family.EXPLAIN,
        (BLK,),
        "a SOP class the requestor needed was refused: the acceptor does not support it",
        clause="PS3.8 9.3.3.2 (presentation context result 3)",
    ),
    Rule(
        "transfer-syntaxes-not-supported",
        Family.EXPLAIN,
        (BLK,),
        "a SOP class the requestor needed was refused: the acceptor takes none of the proposed "
        "transfer syntaxes",
        clause="PS3.8 9.3.3.2 (presentation context result 4)",
    ),
    Rule(
        "context-rejected",
        Family.EXPLAIN,
        (BLK,),
        "a SOP class the requestor needed was refused by user or provider rejection",
        clause="PS3.8 9.3.3.2 (presentation context results 1, 2)",
    ),
    Rule(
        "no-context-accepted",
        Family.EXPLAIN,
        (BLK,),
        "the acceptor accepted no presentation context; the log does not show which were proposed",
        clause="PS3.8 9.3.3.2 (presentation context results)",
    ),
    Rule(
        "contexts-refused-unused",
        Family.EXPLAIN,
        (INF,),
        "SOP classes the acceptor refused that nothing in the log tried to use",
        clause="PS3.8 9.3.3.2 (presentation context results)",
    ),
    Rule(
        "role-not-accepted",
        Family.EXPLAIN,
        (DEG,),
        "the requestor asked for the SCP role for a SOP class (C-GET storage, commitment replies)"
        " and the acceptor did not grant it",
        clause="PS3.7 D.3.3.4 (SCP/SCU role selection)",
    ),
    Rule(
        "dimse-failure",
        Family.EXPLAIN,
        (BLK,),
        "a DIMSE operation was answered with a failure status",
        clause="PS3.7 C (status encoding); PS3.4 status tables of the service class",
    ),
    Rule(
        "request-failed",
        Family.EXPLAIN,
        (BLK,),
        "the acceptor's log shows an error while it handled a request (the status it answered is "
        "not in the log)",
        clause="PS3.7 C (status encoding)",
    ),
    Rule(
        "dimse-warning",
        Family.EXPLAIN,
        (DEG,),
        "a DIMSE operation was answered with a warning status",
        clause="PS3.7 C (status encoding); PS3.4 status tables of the service class",
    ),
    Rule(
        "move-destination-refused",
        Family.EXPLAIN,
        (BLK,),
        "a C-MOVE failed with 0xA801: the archive does not know the move destination AE",
        clause="PS3.4 C.4.2.1.5 (C-MOVE status A801: move destination unknown)",
    ),
    Rule(
        "statement-contradicted",
        Family.EXPLAIN,
        (DEG,),
        "the device refused something its conformance statement declares",
        clause="PS3.2 A (what the statement declares)",
    ),
    Rule(
        "implementation-differs",
        Family.EXPLAIN,
        (INF,),
        "the implementation class UID or version name in the log is not the one the statement gives",
        clause="PS3.7 D.3.3.2 (implementation class UID, version name)",
    ),
)

CATALOGUE: tuple[Rule, ...] = _CATALOGUE
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
        "| rule | family | severity | under silence | --strict warning | meaning | follows |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in _CATALOGUE:
        severities = " / ".join(s.value for s in r.severities)
        capped = under_silence(r)
        silence = f"{capped.value}, unconfirmed" if capped is not None else ""
        warns = "yes" if r.warns else ""
        lines.append(
            f"| `{r.id}` | {r.family.value} | {severities} | {silence} | {warns} | {r.meaning} | {r.clause} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m conformance.rules > table.md (to refresh the docs)
    print(markdown_table(), end="")
