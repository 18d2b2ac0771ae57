"""Facts of a device pair (TLS, max PDU, character sets, a missing or empty statement) give one
finding per pair naming every service concerned, not one per link."""

from __future__ import annotations

from conformance.findings import Severity
from conformance.report.render import to_json
from tests.matcher_kit import (
    IVLE,
    MWL,
    STUDY_FIND,
    archive,
    cap,
    device,
    modality,
    only,
    rules,
    run,
    stmt,
)

SITE = [device("CT", "modality"), device("PACS", "archive")]
STORE_AND_COMMIT = [("CT", "PACS", "store"), ("CT", "PACS", "commitment")]


def test_tls_on_one_side_is_one_finding_per_pair_citing_its_services() -> None:
    sts = {"CT": modality(tls=True), "PACS": archive(tls=False)}
    f = only(run(SITE, sts, STORE_AND_COMMIT), "tls-one-side")
    assert f.severity is Severity.INFO and (f.source, f.target) == ("CT", "PACS")
    assert f.service == "commitment, store" and "commitment, store" in f.detail
    assert {e.device for e in f.evidence} == {"CT", "PACS"}


def test_tls_on_one_side_is_still_reported_for_each_pair() -> None:
    devices = [device("CT", "modality"), device("MR", "modality"), device("PACS", "archive")]
    sts = {"CT": modality(tls=True), "MR": modality("mr.md", tls=True), "PACS": archive(tls=False)}
    links = [*STORE_AND_COMMIT, ("MR", "PACS", "store"), ("MR", "PACS", "commitment")]
    found = rules(run(devices, sts, links), "tls-one-side")
    assert sorted((f.source, f.service) for f in found) == [
        ("CT", "commitment, store"),
        ("MR", "commitment, store"),
    ]
    sts = {"CT": modality(tls=True), "MR": modality("mr.md", tls=True), "PACS": archive(tls=True)}
    assert not rules(run(devices, sts, links), "tls-one-side")


def test_required_tls_is_one_finding_per_pair() -> None:
    devices = [device("CT", "modality"), device("PACS", "archive", tls=True)]
    f = only(
        run(devices, {"CT": modality(tls=False), "PACS": archive(tls=True)}, STORE_AND_COMMIT),
        "tls-required-unsupported",
    )
    assert f.severity is Severity.BLOCKING and f.service == "commitment, store"
    silent = only(
        run(devices, {"CT": modality(), "PACS": archive(tls=True)}, STORE_AND_COMMIT), "statement-silent-tls"
    )
    assert silent.service == "commitment, store"


def test_small_max_pdu_is_one_finding_per_pair() -> None:
    sts = {"CT": modality(), "PACS": archive(max_pdu_receive=4096)}
    assert only(run(SITE, sts, STORE_AND_COMMIT), "max-pdu-small").service == "commitment, store"


def test_character_sets_are_one_finding_per_direction_names_travel() -> None:
    broker = stmt(
        "broker.md", cap(MWL, "SCP", [IVLE]), cap(STUDY_FIND, "SCP", [IVLE]), character_sets=["ISO_IR 192"]
    )
    ct = modality(character_sets=["ISO_IR 100"])
    ct.aes[0].capabilities.append(cap(STUDY_FIND, "SCU", [IVLE], source="ct.md"))
    devices = [device("CT", "modality"), device("RIS", "worklist")]
    links = [("CT", "RIS", "worklist"), ("CT", "RIS", "query"), ("CT", "RIS", "mpps")]
    found = {
        f.service: f
        for f in rules(run(devices, {"CT": ct, "RIS": broker}, links), "character-set-unsupported")
    }
    assert sorted(found) == ["mpps, query, worklist", "query, worklist"]
    answers, sent = found["query, worklist"], found["mpps, query, worklist"]  # answers; keys and MPPS
    assert answers.severity is sent.severity is Severity.DEGRADING
    assert answers.title.startswith("RIS may answer in ISO_IR 192") and sent.title.startswith("CT may send")
    broker = stmt("broker.md", cap(MWL, "SCP", [IVLE]), cap(STUDY_FIND, "SCP", [IVLE]))
    silent = only(run(devices, {"CT": ct, "RIS": broker}, links), "statement-silent-character-sets")
    assert silent.service == "mpps, query, worklist" and "mpps, query, worklist path" in silent.title


def test_missing_statement_is_one_finding_per_pair() -> None:
    f = only(run(SITE, {"CT": modality()}, STORE_AND_COMMIT), "link-not-checked")
    assert f.service == "commitment, store" and "PACS" in f.title and f.severity is Severity.DEGRADING


def test_empty_statement_is_one_finding_per_pair() -> None:
    a = run(SITE, {"CT": modality(), "PACS": stmt("pacs.md")}, STORE_AND_COMMIT)
    f = only(a, "statement-silent-services")
    assert f.service == "commitment, store" and f.source == "CT" and f.target == "PACS"


def test_pair_findings_tag_the_chain_and_keep_the_report_services_plain() -> None:
    sts = {"CT": modality(tls=True), "PACS": archive(tls=False)}
    a = run(SITE, sts, STORE_AND_COMMIT)
    data = to_json(a)
    (conn,) = [c for c in data["connections"] if (c["source"], c["target"]) == ("CT", "PACS")]
    assert conn["services"] == ["commitment", "store"]
    (tls,) = [f for f in data["findings"] if f["rule"] == "tls-one-side"]
    assert tls["connection"] == conn["id"] and tls["id"] in conn["findings"]


def test_per_link_rules_still_run_per_link() -> None:
    # roles are per link: the commitment link fails on its own, the store link is clean
    ct = modality()
    ct.aes[0].capabilities = [c for c in ct.aes[0].capabilities if c.sop_class_uid != "1.2.840.10008.1.20.1"]
    f = only(run(SITE, {"CT": ct, "PACS": archive()}, STORE_AND_COMMIT), "initiator-lacks-scu")
    assert f.service == "commitment"
