"""A broken workflow chain names its root-cause link findings instead of reading as a new
problem, and is as severe as its worst step."""

from __future__ import annotations

from conformance.findings import Severity
from conformance.model import Fact
from tests.matcher_kit import COMMITMENT, CT, ECT, archive, cap, device, modality, only, ris, rules, run

SITE = [device("CT", "modality"), device("PACS", "archive"), device("RIS", "worklist")]
# CT sends Enhanced CT at this site (inventory `sends`): the archive refusing it breaks storage
SENDS_ECT = [device("CT", "modality", sends=(CT, ECT)), *SITE[1:]]
CHAIN = [
    ("CT", "RIS", "worklist"),
    ("CT", "RIS", "mpps"),
    ("CT", "PACS", "store"),
    ("CT", "PACS", "commitment"),
]


def _ct_with_enhanced_ct():
    ct = modality()
    ct.aes[0].capabilities.append(cap(ECT, "SCU", source="ct.md"))  # the archive does not accept it
    return ct


def test_broken_chain_names_its_root_cause() -> None:
    a = run(SENDS_ECT, {"CT": _ct_with_enhanced_ct(), "PACS": archive(), "RIS": ris()}, CHAIN)
    chain = only(a, "workflow-chain")
    cause = only(a, "sop-class-not-accepted")
    assert chain.severity is Severity.BLOCKING  # a chain broken by a blocking link is blocking
    assert chain.title == "Workflow chain of CT is broken at storage"
    assert "not a separate problem" in chain.detail
    assert cause.rule in chain.detail and cause.title in chain.detail and "CT -> PACS store" in chain.detail
    assert all(any(e is c for c in cause.evidence) for e in chain.evidence)  # no evidence of its own
    assert "link finding(s) named above" in chain.fix


def test_every_blocking_step_is_named() -> None:
    ct = _ct_with_enhanced_ct()
    # CT states Storage Commitment only as SCP: a stated lack of the SCU role, not silence
    ct.aes[0].capabilities = [c for c in ct.aes[0].capabilities if c.sop_class_uid != COMMITMENT]
    ct.aes[0].capabilities.append(cap(COMMITMENT, "SCP", source="ct.md"))
    a = run(SENDS_ECT, {"CT": ct, "PACS": archive(), "RIS": ris()}, CHAIN)
    chain = only(a, "workflow-chain")
    assert chain.title.endswith("broken at storage, storage commitment")
    assert "sop-class-not-accepted" in chain.detail and "initiator-lacks-scu" in chain.detail
    assert "Broken by 2 link finding(s)" in chain.detail


def test_a_refused_optional_class_degrades_the_step_without_breaking_the_chain() -> None:
    # without `sends` the CT may never send Enhanced CT: its CT images are stored, the chain holds
    a = run(SITE, {"CT": _ct_with_enhanced_ct(), "PACS": archive(), "RIS": ris()}, CHAIN)
    assert not rules(a, "workflow-chain")
    step = only(a, "sop-class-not-accepted")
    assert step.severity is Severity.DEGRADING and step.chain.startswith("CT:")


def test_degrading_steps_do_not_break_the_chain() -> None:
    sts = {
        "CT": modality(character_sets=["ISO_IR 100"]),
        "PACS": archive(),
        "RIS": ris(character_sets=["ISO_IR 192"]),
    }
    a = run(SITE, sts, CHAIN)
    assert not rules(a, "workflow-chain")
    steps = rules(a, "character-set-unsupported")  # worklist answers; MPPS and query keys
    assert len(steps) == 2 and all(s.severity is Severity.DEGRADING for s in steps)
    assert all(s.chain.startswith("CT: worklist (MWL) [RIS]") for s in steps)


def test_missing_step_is_the_chain_own_finding() -> None:
    a = run(SITE, {"CT": modality(), "PACS": archive(), "RIS": ris()}, [CHAIN[0], *CHAIN[2:]])
    chain = only(a, "workflow-chain")
    assert chain.severity is Severity.INFO
    assert chain.title == "Workflow chain of CT is incomplete: MPPS missing"
    assert "Broken by" not in chain.detail


def test_pair_findings_are_tagged_with_the_chain() -> None:
    sts = {"CT": _ct_with_enhanced_ct(), "PACS": archive(tls=False), "RIS": ris(tls=True)}
    sts["CT"].tls = Fact(True)
    a = run(SENDS_ECT, sts, CHAIN)
    chain = only(a, "workflow-chain")
    tls = only(a, "tls-one-side")
    assert tls.service == "commitment, store" and tls.chain == chain.chain
    assert "tls-one-side" not in chain.detail  # info findings are not root causes


def test_chain_causes_are_linked_in_the_json_and_html_reports() -> None:
    from conformance.report.render import to_html, to_json

    a = run(SENDS_ECT, {"CT": _ct_with_enhanced_ct(), "PACS": archive(), "RIS": ris()}, CHAIN)
    chain, cause = only(a, "workflow-chain"), only(a, "sop-class-not-accepted")
    assert len(chain.causes) == 1 and chain.causes[0] is cause
    data = to_json(a)
    ids = {f["rule"]: f["id"] for f in data["findings"]}
    by_id = {f["id"]: f for f in data["findings"]}
    assert by_id[ids["workflow-chain"]]["causes"] == [ids["sop-class-not-accepted"]]
    assert by_id[ids["sop-class-not-accepted"]]["causes"] == []
    anchor = "f-" + str(int(ids["sop-class-not-accepted"].split("-")[1]))
    assert f'Root cause: <a href="#{anchor}">{ids["sop-class-not-accepted"]}</a>' in to_html(a)


def test_mpps_must_reach_the_worklist_provider() -> None:
    """CT queries RIS's worklist but reports MPPS only to PACS, which forwards it nowhere."""
    links = [("CT", "RIS", "worklist"), ("CT", "PACS", "mpps"), ("CT", "PACS", "store")]
    a = run(SITE, {"CT": modality(), "PACS": archive(), "RIS": ris()}, links)
    f = only(a, "mpps-not-to-worklist-provider")
    assert (f.severity, f.source, f.target, f.service) == (Severity.DEGRADING, "CT", "RIS", "mpps")
    assert f.chain.startswith("CT:")
    # forwarded by the PACS to the RIS: the worklist provider hears of it
    forwarded = [*links, ("PACS", "RIS", "mpps")]
    assert not rules(run(SITE, {"CT": modality(), "PACS": archive(), "RIS": ris()}, forwarded), f.rule)
    # reported straight to the RIS: fine
    assert not rules(run(SITE, {"CT": modality(), "PACS": archive(), "RIS": ris()}, CHAIN), f.rule)
