"""The shipped example inventory: each deliberate gap found with the right severity, and
no blocking finding beyond them (statements/inventory.yaml lists the gaps)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.findings import Analysis, Finding, Severity
from conformance.pipeline import run_check

INVENTORY = Path(__file__).resolve().parent.parent / "statements" / "inventory.yaml"

pytestmark = pytest.mark.skipif(not INVENTORY.is_file(), reason="statements/inventory.yaml not written yet")


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return run_check(INVENTORY, use_cache=False)


def _find(a: Analysis, rule: str, source: str, target: str, service: str) -> Finding:
    found = [
        f for f in a.findings if (f.rule, f.source, f.target, f.service) == (rule, source, target, service)
    ]
    assert len(found) == 1, [(f.rule, f.source, f.target, f.service, f.title) for f in a.findings]
    return found[0]


def _cites_both(f: Finding, left: str, right: str) -> None:
    statements = {e.statement for e in f.evidence if e.provenance is not None}
    assert {left, right} <= statements, f.evidence


def test_nothing_skipped(analysis: Analysis) -> None:
    assert analysis.skipped == []
    assert {d.name for d in analysis.devices} == {"CT-A", "CT-B", "US-1", "PACS", "RIS", "WS-1", "PRINTER"}


@pytest.mark.parametrize(
    ("ct", "severity"),
    [
        ("CT-A", Severity.BLOCKING),  # its `sends` names Enhanced CT: those series never arrive
        ("CT-B", Severity.DEGRADING),  # no `sends`: its CT images are stored, Enhanced CT is lost
    ],
)
def test_gap1_jpeg2000_only_enhanced_ct(analysis: Analysis, ct: str, severity: Severity) -> None:
    f = _find(analysis, "no-common-transfer-syntax", ct, "PACS", "store")
    assert f.severity is severity and "Enhanced CT Image Storage" in f.title
    _cites_both(f, "aurora-ct-128.pdf", "haloarchive-3.6.pdf")
    assert all(e.provenance.page for e in f.evidence if e.provenance)  # PDF evidence cites pages


@pytest.mark.parametrize("ct", ["CT-A", "CT-B"])
def test_gap2_uncompressed_instead_of_jpeg2000_is_degrading(analysis: Analysis, ct: str) -> None:
    f = _find(analysis, "transfer-syntax-fallback", ct, "PACS", "store")
    assert f.severity is Severity.DEGRADING
    assert "CT Image Storage" in f.title and "JPEG 2000" in f.title


def test_gap3_duplicate_ae_title_is_blocking(analysis: Analysis) -> None:
    f = _find(analysis, "ae-title-duplicate", "CT-A", "CT-B", "network")
    assert f.severity is Severity.BLOCKING and "AURORA_CT1" in f.title
    assert {e.device for e in f.evidence} == {"CT-A", "CT-B"}


def test_gap4_missing_storage_commitment_role_is_a_stated_refusal(analysis: Analysis) -> None:
    # the ultrasound's tables list no Storage Commitment, but its overview says "does not support
    # storage commitment": a stated refusal (the coverage account's declined class), quoted, so
    # blocking and confirmed, not silence
    f = _find(analysis, "initiator-lacks-scu", "US-1", "PACS", "commitment")
    assert f.severity is Severity.BLOCKING and not f.unconfirmed and "Storage Commitment" in f.title
    _cites_both(f, "lumen-us7.rst", "haloarchive-3.6.pdf")
    us = next(e for e in f.evidence if e.statement == "lumen-us7.rst")
    assert us.provenance is not None and "does not support storage commitment" in us.provenance.text


@pytest.mark.parametrize("modality", ["CT-A", "CT-B", "US-1"])
def test_gap5_worklist_character_set_is_degrading(analysis: Analysis, modality: str) -> None:
    f = _find(analysis, "character-set-unsupported", modality, "RIS", "worklist")
    assert f.severity is Severity.DEGRADING and "ISO_IR 192" in f.title
    assert any(
        e.statement == "corvid-ris-broker.md" and e.provenance and e.provenance.line for e in f.evidence
    )


@pytest.mark.parametrize("modality", ["CT-A", "CT-B", "US-1"])
def test_gap5_names_the_modalities_write_are_latin1_for_a_utf8_broker(
    analysis: Analysis, modality: str
) -> None:
    """The other direction of gap 5: MPPS N-CREATE/N-SET and worklist query keys are written in the
    modality's ISO_IR 100; Corvid reads only the default repertoire or ISO_IR 192 (section 5)."""
    f = _find(analysis, "character-set-unsupported", modality, "RIS", "mpps, worklist")
    assert f.severity is Severity.DEGRADING and "ISO_IR 100" in f.title and "MPPS" in f.title


def test_gap6_move_to_workstation_lacking_classes_is_degrading(analysis: Analysis) -> None:
    f = _find(analysis, "move-sop-class-not-accepted", "WS-1", "PACS", "move")
    assert f.severity is Severity.DEGRADING
    claims = " ".join(e.claim for e in f.evidence)
    assert "Enhanced CT Image Storage" in claims and "X-Ray Radiation Dose SR Storage" in claims
    # one finding listing the classes (by name), each with both sides' evidence
    assert len(f.sop_classes) == 4 and "4 of the" in f.title
    assert {e.device for e in f.evidence} == {"PACS", "WS-1"} and len(f.evidence) == 8


def test_no_false_blocking_finding(analysis: Analysis) -> None:
    expected = {
        ("no-common-transfer-syntax", "CT-A", "PACS"),
        ("ae-title-duplicate", "CT-A", "CT-B"),
        ("initiator-lacks-scu", "US-1", "PACS"),
    }
    blocking = {(f.rule, f.source, f.target) for f in analysis.findings if f.severity is Severity.BLOCKING}
    chains = {b for b in blocking if b[0] == "workflow-chain"}
    assert blocking - chains == expected
    # a chain is reported broken only by a blocking step: CT-A's Enhanced CT series, US-1's commitment
    assert {c[1] for c in chains} == {"CT-A", "US-1"}


def test_sends_narrows_the_store_link_and_is_asked_for_where_missing(analysis: Analysis) -> None:
    ct_a = [f for f in analysis.findings if (f.source, f.target, f.service) == ("CT-A", "PACS", "store")]
    named = " ".join(f.title + " " + " ".join(e.claim for e in f.evidence) for f in ct_a)
    assert "Raw Data Storage" not in named and "Encapsulated PDF" not in named  # not in CT-A's sends
    asked = {f.source for f in analysis.findings if f.rule == "sends-not-given"}
    assert asked == {"CT-B", "US-1"}  # the senders without `sends`; CT-A has one, archives forward
    note = next(f for f in analysis.findings if f.rule == "sends-not-given" and f.source == "CT-B")
    assert "all 8 storage classes" in note.title


@pytest.mark.parametrize(
    ("source", "target", "service"),
    [("CT-A", "PRINTER", "print"), ("WS-1", "PACS", "query"), ("WS-1", "PACS", "move")],
)
def test_working_links_are_clean(analysis: Analysis, source: str, target: str, service: str) -> None:
    bad = [
        f.title
        for f in analysis.findings
        if (f.source, f.target) == (source, target)
        and service in f.service.split(", ")
        and f.severity is not Severity.INFO
        and f.rule != "move-sop-class-not-accepted"  # gap 6
    ]
    assert bad == []


@pytest.mark.parametrize("modality", ["CT-A", "CT-B", "US-1"])
def test_mpps_to_the_broker_negotiates_and_reaches_the_worklist_provider(
    analysis: Analysis, modality: str
) -> None:
    """MPPS roles and presentation contexts are fine; only the character sets (gap 5) are not."""
    found = [
        f.rule
        for f in analysis.findings
        if (f.source, f.target) == (modality, "RIS")
        and "mpps" in f.service.split(", ")
        and f.severity is not Severity.INFO
    ]
    assert found == ["character-set-unsupported"]
    assert not [f for f in analysis.findings if f.rule == "mpps-not-to-worklist-provider"]


def test_archive_association_budget_is_not_exceeded(analysis: Analysis) -> None:
    assert not [f for f in analysis.findings if f.rule == "association-budget" and f.source == "PACS"]


def test_print_budget_counts_the_print_ae_only(analysis: Analysis) -> None:
    # aurora-ct-128.pdf p. 11, Table 4.2-23: the PRINT AE opens 1 association; PRINTER accepts 2
    assert not [f for f in analysis.findings if f.rule == "association-budget"]


def test_example_findings_are_deterministic(analysis: Analysis) -> None:
    again = run_check(INVENTORY, use_cache=False)

    def shape(a: Analysis) -> list[tuple]:
        return [
            (f.severity, f.rule, f.source, f.target, f.service, f.title, f.chain, tuple(f.evidence))
            for f in a.findings
        ]

    assert shape(again) == shape(analysis)


def test_no_finding_is_repeated_per_service(analysis: Analysis) -> None:
    # a per-pair fact (TLS on one side: store and commitment to PACS) is one finding per pair
    seen = [(f.rule, f.source, f.target, f.title) for f in analysis.findings]
    assert len(seen) == len(set(seen)), sorted(s for s in seen if seen.count(s) > 1)
    tls = [
        f for f in analysis.findings if f.rule == "tls-one-side" and (f.source, f.target) == ("CT-A", "PACS")
    ]
    assert [f.service for f in tls] == ["commitment, store"]
