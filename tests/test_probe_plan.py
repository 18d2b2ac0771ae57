"""Probe planning and argument checks: no network needed."""

from __future__ import annotations

import pytest

from conformance import uids
from conformance.probe import negotiate
from conformance.probe.negotiate import (
    DEFAULT_SOP_CLASSES,
    IMAGE_SYNTAXES,
    MAX_CONTEXTS,
    NATIVE_SYNTAXES,
    ProbeError,
    batches,
    plan,
    probe,
)


def test_default_plan_offers_every_pair_once_with_the_default_syntax():
    proposals = plan()
    pairs = [(p.sop_class_uid, p.transfer_syntax) for p in proposals]
    assert len(pairs) == len(set(pairs))
    assert {p.sop_class_uid for p in proposals} == set(DEFAULT_SOP_CLASSES)
    for sop in DEFAULT_SOP_CLASSES:
        offered = [ts for s, ts in pairs if s == sop]
        assert offered[0] == uids.IMPLICIT_VR_LE  # PS3.5 10.1: the default is always offered
        assert set(offered) == set(IMAGE_SYNTAXES if sop in negotiate.IMAGE_STORAGE else NATIVE_SYNTAXES)
    # The services the brief names are all in the default set.
    for sop in (uids.VERIFICATION, uids.MODALITY_WORKLIST_FIND, uids.MPPS, uids.STORAGE_COMMITMENT_PUSH):
        assert sop in DEFAULT_SOP_CLASSES
    assert "1.2.840.10008.5.1.4.1.1.2" in DEFAULT_SOP_CLASSES  # CT
    assert "1.2.840.10008.5.1.4.1.2.2.1" in DEFAULT_SOP_CLASSES  # Study Root FIND


def test_plan_adds_declared_syntaxes_and_skips_invalid_uids():
    proposals = plan(
        ["1.2.840.10008.5.1.4.1.1.88.11", "not-a-uid"],
        {"1.2.840.10008.5.1.4.1.1.88.11": ["1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2", "01.2"]},
    )
    offered = [p.transfer_syntax for p in proposals]
    assert offered == [*NATIVE_SYNTAXES, "1.2.840.10008.1.2.4.50"]


@pytest.mark.parametrize("limit", [MAX_CONTEXTS, 40, 16, 5])
def test_batches_respect_the_context_limit_and_keep_sop_classes_together(limit):
    proposals = plan()
    groups = batches(proposals, limit)
    assert [p for g in groups for p in g] == proposals  # nothing lost, order kept
    assert all(1 <= len(g) <= limit for g in groups)
    if limit >= len(IMAGE_SYNTAXES):
        for sop in DEFAULT_SOP_CLASSES:  # a SOP class never straddles two associations
            assert sum(any(p.sop_class_uid == sop for p in g) for g in groups) == 1
    assert len(groups) >= -(-len(proposals) // limit)
    if limit == MAX_CONTEXTS:
        assert len(proposals) > MAX_CONTEXTS  # the default set really needs several associations
        assert len(groups) <= -(-len(proposals) // MAX_CONTEXTS) + 1


@pytest.mark.parametrize("limit", [0, 129])
def test_batches_reject_impossible_limits(limit):
    with pytest.raises(ProbeError, match="between 1 and 128"):
        batches(plan(), limit)


@pytest.mark.parametrize(
    ("host", "port", "called", "calling", "message"),
    [
        ("127.0.0.1", 104, "BAD\\AE", "CONFORMANCE", "invalid called AE title"),
        ("127.0.0.1", 104, "PACS", "", "invalid calling AE title"),
        ("127.0.0.1", 104, "AN_AE_TITLE_OF_20_CH", "CONFORMANCE", "invalid called AE title"),
        ("127.0.0.1", 70000, "PACS", "CONFORMANCE", "port must be 1-65535"),
        ("", 104, "PACS", "CONFORMANCE", "invalid host"),
    ],
)
def test_bad_arguments_fail_before_anything_is_sent(host, port, called, calling, message):
    with pytest.raises(ProbeError, match=message) as info:
        probe(host, port, called, calling_ae=calling, timeout=1)
    assert "\n" not in info.value.message


def test_unanswered_contexts_prove_nothing_and_a_failed_association_is_reported(tmp_path):
    """Association 2 of 2 was aborted: its SOP classes are 'not verified', never 'refused'."""
    from datetime import UTC, datetime

    from conformance.parsers import parse_statement
    from conformance.probe import probe_findings
    from conformance.probe.negotiate import AssociationOutcome, ContextOutcome, ProbeResult

    ct, mr = "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.4"
    statement = tmp_path / "st.md"
    statement.write_text(
        "# Test Archive Conformance Statement\n\n## Accepted Presentation Contexts (SCP)\n\n"
        "| Abstract Syntax | SOP Class UID | Transfer Syntaxes | Role |\n|---|---|---|---|\n"
        f"| CT Image Storage | {ct} | {uids.IMPLICIT_VR_LE} | SCP |\n"
        f"| MR Image Storage | {mr} | {uids.IMPLICIT_VR_LE} | SCP |\n",
        encoding="utf-8",
    )
    result = ProbeResult(
        "127.0.0.1", 11112, "ARCHIVE", "CONFORMANCE", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    )
    result.associations = [
        AssociationOutcome(1, 1, "established", "1 of 1 presentation contexts accepted"),
        AssociationOutcome(
            2, 1, "aborted", "association aborted by the device (service user) (reason not specified)"
        ),
    ]
    result.contexts = [
        ContextOutcome(ct, uids.IMPLICIT_VR_LE, 1, 1, 0),
        ContextOutcome(mr, uids.IMPLICIT_VR_LE, 2),
    ]
    findings = probe_findings(result, parse_statement(statement), "ARCHIVE")
    rules = [f.rule for f in findings]
    assert "probe-sop-class-refused" not in rules  # MR was never answered
    partial = [f for f in findings if f.rule == "probe-partial"]
    assert len(partial) == 1 and partial[0].severity.value == "degrading"
    assert "MR Image Storage" in partial[0].detail and "aborted" in partial[0].detail
    assert result.observed_on == "observed on 2026-01-02T03:04:05Z from 127.0.0.1:11112"
    st = result.to_statement()
    assert [c.sop_class_uid for c in st.capabilities()] == [ct]
    assert any("association 2: aborted" in w for w in st.warnings)
