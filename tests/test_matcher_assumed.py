"""A statement silent on transfer syntaxes: the matcher assumes the default for it, and does
not present what follows from that assumption as a confirmed gap."""

from __future__ import annotations

from conformance.findings import Severity
from tests.matcher_kit import EVLE, IVLE, J2K_LOSSLESS, archive, device, modality, only, rules, run

SITE = [device("CT", "modality"), device("PACS", "archive")]
STORE = [("CT", "PACS", "store")]


def test_no_fallback_finding_from_an_assumed_receiver_list() -> None:
    a = run(SITE, {"CT": modality(ts=[J2K_LOSSLESS, EVLE, IVLE]), "PACS": archive(ts=[])}, STORE)
    assert not rules(a, "transfer-syntax-fallback")
    assert only(a, "statement-silent-transfer-syntaxes").severity is Severity.INFO


def test_fallback_is_reported_when_both_sides_state_their_syntaxes() -> None:
    a = run(SITE, {"CT": modality(ts=[J2K_LOSSLESS, EVLE, IVLE]), "PACS": archive(ts=[EVLE, IVLE])}, STORE)
    assert only(a, "transfer-syntax-fallback").severity is Severity.DEGRADING
    assert not rules(a, "statement-silent-transfer-syntaxes")


def test_no_common_syntax_from_an_assumed_list_is_unconfirmed_and_degrading() -> None:
    a = run(SITE, {"CT": modality(ts=[J2K_LOSSLESS]), "PACS": archive(ts=[])}, STORE)
    f = only(a, "no-common-transfer-syntax")
    assert f.severity is Severity.DEGRADING and "confirmed" in f.title and "assumed" in f.detail
    stated = run(SITE, {"CT": modality(ts=[J2K_LOSSLESS]), "PACS": archive(ts=[EVLE, IVLE])}, STORE)
    assert only(stated, "no-common-transfer-syntax").severity is Severity.BLOCKING
