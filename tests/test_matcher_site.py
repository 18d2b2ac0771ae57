"""Site-wide rules: workflow chains, association budget, communication profile, character
sets, statement silence, determinism."""

from __future__ import annotations

from conformance.findings import Severity
from conformance.model import UNLIMITED
from tests.matcher_kit import (
    CT,
    ECT,
    MPPS,
    archive,
    cap,
    device,
    modality,
    only,
    ris,
    rules,
    run,
    stmt,
)

SITE = [device("CT", "modality"), device("PACS", "archive"), device("RIS", "worklist")]
CHAIN = [
    ("CT", "RIS", "worklist"),
    ("CT", "RIS", "mpps"),
    ("CT", "PACS", "store"),
    ("CT", "PACS", "commitment"),
]


# ------------------------------------------------------------------------- chains
def test_complete_chain_is_not_reported() -> None:
    a = run(SITE, {"CT": modality(), "PACS": archive(), "RIS": ris()}, CHAIN)
    assert not rules(a, "workflow-chain")


def test_a_blocking_step_breaks_the_chain_and_tags_its_findings() -> None:
    ct = modality()
    ct.aes[0].capabilities.append(cap(ECT, "SCU", source="ct.md"))
    sends_ect = [device("CT", "modality", sends=(CT, ECT)), *SITE[1:]]  # the site sends Enhanced CT
    a = run(sends_ect, {"CT": ct, "PACS": archive(), "RIS": ris()}, CHAIN)
    chain = only(a, "workflow-chain")
    assert chain.severity is Severity.BLOCKING and chain.source == "CT"
    assert "storage to PACS" in chain.detail
    gap = only(a, "sop-class-not-accepted")
    assert gap.chain == chain.chain and "worklist (MWL) [RIS]" in chain.chain


def test_missing_steps_make_the_chain_incomplete() -> None:
    a = run(SITE, {"CT": modality(), "PACS": archive(), "RIS": ris()}, CHAIN[:1] + CHAIN[2:])
    f = only(a, "workflow-chain")
    assert f.severity is Severity.INFO and "MPPS missing" in f.detail
    b = run(SITE, {"CT": modality(), "PACS": archive(), "RIS": ris()}, CHAIN[:2])
    assert only(b, "workflow-chain").severity is Severity.DEGRADING  # no storage at all


def test_mpps_forwarding_is_part_of_the_chain() -> None:
    links = [*CHAIN, ("RIS", "PACS", "mpps")]
    # PACS states MPPS only as SCU: it refuses the forwarded N-CREATE (a stated gap, not silence)
    pacs = stmt(
        "pacs.md", *[c for c in archive().aes[0].capabilities if c.sop_class_uid != MPPS], cap(MPPS, "SCU")
    )
    a = run(SITE, {"CT": modality(), "PACS": pacs, "RIS": ris()}, links)
    f = only(a, "workflow-chain")
    assert "MPPS forward" in f.chain and f.severity is Severity.BLOCKING


# ------------------------------------------------------------------------- budget
def test_association_budget_exceeded_is_degrading() -> None:
    devices = [device("CT1", "modality"), device("CT2", "modality"), device("PACS", "archive")]
    sts = {
        "CT1": modality("ct1.md", max_associations_initiated=2),
        "CT2": modality("ct2.md", max_associations_initiated=2),
        "PACS": archive(max_associations_accepted=3),
    }
    links = [("CT1", "PACS", "store"), ("CT2", "PACS", "store")]
    f = only(run(devices, sts, links), "association-budget")
    assert f.severity is Severity.DEGRADING and "Up to 4" in f.title
    assert {e.device for e in f.evidence} == {"CT1", "CT2", "PACS"}
    sts["PACS"] = archive(max_associations_accepted=4)
    assert not rules(run(devices, sts, links), "association-budget")
    sts["PACS"] = archive(max_associations_accepted=UNLIMITED)
    assert not rules(run(devices, sts, links), "association-budget")


def test_budget_with_an_unstated_initiator_limit_says_what_it_assumed() -> None:
    devices = [device("CT1", "modality"), device("CT2", "modality"), device("PACS", "archive")]
    links = [("CT1", "PACS", "store"), ("CT2", "PACS", "store")]
    sts = {
        "CT1": modality("ct1.md", max_associations_initiated=2),
        "CT2": modality("ct2.md"),
        "PACS": archive(max_associations_accepted=5),
    }
    a = run(devices, sts, links)
    assert not rules(a, "association-budget")
    f = only(a, "statement-silent-initiated-associations")
    assert f.severity is Severity.INFO and "CT2" in f.title and "3 of 5" in f.detail
    sts["CT2"] = modality("ct2.md", max_associations_initiated=1)
    assert not rules(run(devices, sts, links), "statement-silent-initiated-associations")


def test_silent_association_limit_is_reported() -> None:
    a = run(SITE[:2], {"CT": modality(), "PACS": archive()}, [("CT", "PACS", "store")])
    f = [f for f in rules(a, "statement-silent-association-limit") if f.source == "PACS"]
    assert len(f) == 1 and f[0].severity is Severity.INFO


# ------------------------------------------------------------------------ profile
def test_duplicate_ae_title_is_blocking_and_case_only_difference_degrading() -> None:
    devices = [
        device("CT", "modality", "SCANNER"),
        device("MR", "modality", "SCANNER"),
        device("PACS", "archive"),
    ]
    sts = {"CT": modality(), "MR": modality("mr.md"), "PACS": archive()}
    f = only(run(devices, sts), "ae-title-duplicate")
    assert f.severity is Severity.BLOCKING and {e.device for e in f.evidence} == {"CT", "MR"}
    devices[1] = device("MR", "modality", "Scanner")
    a = run(devices, sts)
    assert not rules(a, "ae-title-duplicate")
    assert only(a, "ae-title-case").severity is Severity.DEGRADING
    devices[1] = device("MR", "modality", "MR")
    assert not rules(run(devices, sts), "ae-title-case")


def test_invalid_ae_title_is_blocking() -> None:
    devices = [device("CT", "modality", "A" * 17), device("PACS", "archive")]
    f = only(run(devices, {"CT": modality(), "PACS": archive()}), "ae-title-invalid")
    assert f.severity is Severity.BLOCKING and "17 characters" in f.title


def test_port_clash_on_one_host_only() -> None:
    devices = [
        device("CT", "modality", host="10.0.0.5", port=104),
        device("PACS", "archive", host="10.0.0.5"),
    ]
    sts = {"CT": modality(), "PACS": archive()}
    assert only(run(devices, sts), "port-clash").severity is Severity.BLOCKING
    devices[1] = device("PACS", "archive", host="10.0.0.6", port=104)
    assert not rules(run(devices, sts), "port-clash")


def test_tls_on_one_side_only() -> None:
    links = [("CT", "PACS", "store")]
    sts = {"CT": modality(tls=False), "PACS": archive(tls=True)}
    assert only(run(SITE[:2], sts, links), "tls-one-side").severity is Severity.INFO
    assert not rules(
        run(SITE[:2], {"CT": modality(tls=True), "PACS": archive(tls=True)}, links), "tls-one-side"
    )
    required = [device("CT", "modality"), device("PACS", "archive", tls=True)]
    f = only(run(required, sts, links), "tls-required-unsupported")
    assert f.severity is Severity.BLOCKING
    silent = only(run(required, {"CT": modality(), "PACS": archive(tls=True)}, links), "statement-silent-tls")
    assert silent.severity is Severity.DEGRADING and silent.evidence[1].provenance is None


def test_small_max_pdu_is_informational() -> None:
    links = [("CT", "PACS", "store")]
    f = only(run(SITE[:2], {"CT": modality(), "PACS": archive(max_pdu_receive=4096)}, links), "max-pdu-small")
    assert f.severity is Severity.INFO
    assert not rules(
        run(SITE[:2], {"CT": modality(), "PACS": archive(max_pdu_receive=65536)}, links), "max-pdu-small"
    )


# --------------------------------------------------------------------- charsets
def test_worklist_character_set_the_modality_lacks() -> None:
    links = [("CT", "RIS", "worklist")]
    devices = [SITE[0], SITE[2]]
    sts = {"CT": modality(character_sets=["ISO_IR 100"]), "RIS": ris(character_sets=["ISO_IR 192"])}
    answers = [
        f for f in rules(run(devices, sts, links), "character-set-unsupported") if f.title.startswith("RIS")
    ]
    assert (
        len(answers) == 1 and answers[0].severity is Severity.DEGRADING and "ISO_IR 192" in answers[0].title
    )
    sts = {
        "CT": modality(character_sets=["ISO_IR 100"]),
        "RIS": ris(character_sets=["ISO 2022 IR 100", "ISO_IR 6"]),
    }
    assert not rules(run(devices, sts, links), "character-set-unsupported")
    sts = {"CT": modality(), "RIS": ris(character_sets=["ISO_IR 100"])}
    assert only(run(devices, sts, links), "statement-silent-character-sets").severity is Severity.INFO


# ----------------------------------------------------------------------- silence
def test_missing_statement_never_passes_silently() -> None:
    f = only(run(SITE[:2], {"CT": modality()}, [("CT", "PACS", "store")]), "link-not-checked")
    assert f.severity is Severity.DEGRADING and "PACS" in f.title


def test_empty_statement_is_reported_per_link() -> None:
    a = run(SITE[:2], {"CT": modality(), "PACS": stmt("pacs.md")}, [("CT", "PACS", "store")])
    f = only(a, "statement-silent-services")
    assert f.severity is Severity.DEGRADING and not rules(a, "sop-class-not-accepted")


def test_unresolved_names_are_reported() -> None:
    from conformance.model import Provenance, UnresolvedName

    ct = modality()
    ct.unresolved.append(
        UnresolvedName("Frobnicated Image Storage", "sop_class", Provenance("ct.md", line=7))
    )
    f = only(
        run(SITE[:2], {"CT": ct, "PACS": archive()}, [("CT", "PACS", "store")]), "statement-unresolved-names"
    )
    assert f.evidence[0].provenance.line == 7


# ------------------------------------------------------------------- determinism
def test_same_inputs_give_identical_findings() -> None:
    def once():
        ct = modality(character_sets=["ISO_IR 100"])
        ct.aes[0].capabilities.append(cap(ECT, "SCU", source="ct.md"))
        sts = {"CT": ct, "PACS": archive(), "RIS": ris(character_sets=["ISO_IR 192"])}
        a = run(SITE, sts, list(reversed(CHAIN)))
        return [
            (f.severity, f.rule, f.source, f.target, f.title, f.chain, tuple(f.evidence)) for f in a.findings
        ]

    first, second = once(), once()
    assert [x[:6] for x in first] == [x[:6] for x in second]
    ranks = [x[0].rank for x in first]
    assert ranks == sorted(ranks)


def test_inventory_warnings_become_info_findings() -> None:
    from conformance.inventory import Problem
    from conformance.matcher import analyze
    from tests.matcher_kit import inventory

    inv = inventory([device("CT", "modality"), device("PACS", "archive")], [("CT", "PACS", "store")])
    inv.problems.append(Problem("site.csv row 3", "statement file x.pdf not found", False))
    inv.problems.append(Problem("site.csv row 4", "duplicate AE title 'X'", False, "ae-title-duplicate"))
    inv.problems.append(
        Problem("site.csv row 5", "port 0 is outside 1-65535")
    )  # fatal: skipped, not a finding
    a = analyze(inv, {"CT": modality(), "PACS": archive()})
    f = only(a, "inventory-warning")
    assert f.severity is Severity.INFO and f.title == "site.csv row 3: statement file x.pdf not found"
    assert f.evidence[0].provenance.file == "site.yaml"
