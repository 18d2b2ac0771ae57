"""Presentation contexts: pynetdicom's own negotiation decides the transfer syntax."""

from __future__ import annotations

import pytest
from pynetdicom import AE, build_context

from conformance.findings import Severity
from conformance.matcher.negotiation import has_pixel_data, negotiate
from conformance.model import Direction, Provenance
from tests.matcher_kit import (
    CT,
    EVBE,
    EVLE,
    IVLE,
    J2K_LOSSLESS,
    JPEG_BASELINE,
    JPEG_LOSSLESS,
    US,
    cap,
    device,
    only,
    rules,
    run,
    stmt,
)

DEVICES = [device("CT", "modality"), device("PACS", "archive")]
STORE = [("CT", "PACS", "store")]


def _store(
    sender_ts: list[str], receiver_ts: list[str], uid: str = CT, direction: Direction = Direction.INITIATE
):
    """CT proposes ``uid`` (from a proposed-contexts table by default: its order is stated)."""
    ct = stmt("ct.md", cap(uid, "SCU", sender_ts, direction=direction))
    pacs = stmt("pacs.md", cap(uid, "SCP", receiver_ts))
    return run(DEVICES, {"CT": ct, "PACS": pacs}, STORE)


def test_jpeg2000_only_sender_against_archive_without_it_is_blocking() -> None:
    f = only(_store([J2K_LOSSLESS], [IVLE, EVLE]), "no-common-transfer-syntax")
    assert f.severity is Severity.BLOCKING
    assert "JPEG 2000" in f.detail
    assert f.evidence[0].provenance is not None and f.evidence[1].provenance is not None


def test_fallback_to_uncompressed_is_degrading() -> None:
    a = _store([J2K_LOSSLESS, EVLE, IVLE], [IVLE, EVLE])
    f = only(a, "transfer-syntax-fallback")
    assert f.severity is Severity.DEGRADING
    # the sender's next choice (Explicit VR LE) wins, not the acceptor's first listed syntax
    assert f.title.startswith("Explicit VR Little Endian instead of JPEG 2000")
    assert not rules(a, "no-common-transfer-syntax")


PDF = "1.2.840.10008.5.1.4.1.1.104.1"  # Encapsulated PDF Storage
DOSE_SR = "1.2.840.10008.5.1.4.1.1.88.67"  # X-Ray Radiation Dose SR Storage


def test_no_fallback_without_a_stated_preference() -> None:
    """An overview table's list of syntaxes states no order: no syntax is 'the preferred one'."""
    a = _store([J2K_LOSSLESS, EVLE, IVLE], [IVLE, EVLE], direction=Direction.UNSPECIFIED)
    assert not rules(a, "transfer-syntax-fallback")
    # a proposed-context table listing the compressed syntax last prefers it no more
    assert not rules(_store([EVLE, IVLE, J2K_LOSSLESS], [IVLE, EVLE]), "transfer-syntax-fallback")


def test_a_preference_stated_in_words_counts() -> None:
    ct = stmt("ct.md", cap(CT, "SCU", [J2K_LOSSLESS, EVLE, IVLE]))  # an overview row, no order
    row = "CT Image Storage | JPEG 2000 Lossless (preferred), Explicit VR LE, Implicit VR LE"
    ct.aes[0].capabilities[0].provenance = [Provenance("ct.md", line=40, text=row)]
    pacs = stmt("pacs.md", cap(CT, "SCP", [IVLE, EVLE]))
    f = only(run(DEVICES, {"CT": ct, "PACS": pacs}, STORE), "transfer-syntax-fallback")
    assert f.severity is Severity.DEGRADING and f.target == "PACS"


@pytest.mark.parametrize("uid", [PDF, DOSE_SR])
def test_objects_without_pixel_data_never_fall_back(uid: str) -> None:
    """Encapsulated PDF or an SR proposed 'JPEG 2000 first' has nothing a codec would compress."""
    assert not has_pixel_data(uid) and has_pixel_data(CT) and has_pixel_data(US)
    a = _store([J2K_LOSSLESS, EVLE, IVLE], [IVLE, EVLE], uid=uid)
    assert not rules(a, "transfer-syntax-fallback")


def test_shared_preferred_syntax_gives_no_finding() -> None:
    a = _store([J2K_LOSSLESS, EVLE, IVLE], [IVLE, EVLE, J2K_LOSSLESS])
    assert not [f for f in a.findings if f.service == "store" and f.severity is not Severity.INFO]


def test_lossy_where_lossless_is_needed_is_degrading() -> None:
    f = only(_store([JPEG_LOSSLESS, JPEG_BASELINE], [JPEG_BASELINE]), "lossy-substitution")
    assert f.severity is Severity.DEGRADING and "Lossy" in f.title


def test_jpeg2000_that_may_be_lossless_is_not_a_lossy_substitution() -> None:
    j2k_any = "1.2.840.10008.1.2.4.91"
    a = _store([J2K_LOSSLESS, j2k_any], [j2k_any])
    assert not rules(a, "lossy-substitution") and not rules(a, "no-common-transfer-syntax")


def test_lossy_only_data_needs_that_exact_lossy_syntax() -> None:
    assert only(_store([JPEG_BASELINE], [IVLE, EVLE], uid=US), "no-common-transfer-syntax")
    a = _store([JPEG_BASELINE], [IVLE, JPEG_BASELINE], uid=US)
    assert not rules(a, "no-common-transfer-syntax") and not rules(a, "lossy-substitution")


def test_only_retired_big_endian_shared_is_flagged() -> None:
    f = only(_store([EVBE, J2K_LOSSLESS], [EVBE]), "only-retired-big-endian")
    assert f.severity is Severity.DEGRADING


def test_silent_transfer_syntaxes_assume_the_default_and_say_so() -> None:
    a = _store([], [IVLE])
    f = only(a, "statement-silent-transfer-syntaxes")
    assert f.severity is Severity.INFO and f.evidence[0].device == "CT"
    assert not rules(a, "no-common-transfer-syntax")


def test_table_without_the_default_syntax_is_reported() -> None:
    found = rules(_store([J2K_LOSSLESS, EVLE], [EVLE, J2K_LOSSLESS]), "default-transfer-syntax-not-listed")
    assert sorted(f.evidence[0].device for f in found) == ["CT", "PACS"]
    assert all(f.severity is Severity.INFO for f in found)
    assert not rules(_store([J2K_LOSSLESS, IVLE], [IVLE]), "default-transfer-syntax-not-listed")


@pytest.mark.parametrize(("count", "flagged"), [(128, False), (129, True)])
def test_more_than_128_presentation_contexts_is_flagged(count: int, flagged: bool) -> None:
    from pydicom.uid import UID_dictionary

    from conformance import uids as uidmod

    storage = sorted(u for u in UID_dictionary if uidmod.is_storage_sop_class(u))[:count]
    assert len(storage) == count
    ct = stmt("ct.md", *[cap(u, "SCU", [IVLE]) for u in storage])
    pacs = stmt("pacs.md", *[cap(u, "SCP", [IVLE]) for u in storage])
    a = run(DEVICES, {"CT": ct, "PACS": pacs}, STORE)
    assert bool(rules(a, "presentation-context-limit")) is flagged
    if flagged:
        assert only(a, "presentation-context-limit").severity is Severity.DEGRADING
    # the limit counts what the sender proposes, not what the receiver accepts
    few = stmt("pacs.md", *[cap(u, "SCP", [IVLE]) for u in storage[:10]])
    a = run(DEVICES, {"CT": ct, "PACS": few}, STORE)
    assert bool(rules(a, "presentation-context-limit")) is flagged


def test_negotiate_matches_a_real_pynetdicom_association() -> None:
    """The predicted accepted syntaxes are what a live pynetdicom acceptor returns."""
    sender = (J2K_LOSSLESS, EVLE, IVLE)
    receiver = (IVLE, EVLE)
    predicted = negotiate(CT, sender, receiver)

    scp = AE(ae_title="PACS")
    scp.add_supported_context(CT, list(receiver))
    server = scp.start_server(("127.0.0.1", 0), block=False)
    try:
        port = server.server_address[1]
        scu = AE(ae_title="CT")
        scu.acse_timeout = scu.network_timeout = 5
        contexts = []
        for ts in sender:
            cx = build_context(CT, ts)
            contexts.append(cx)
        assoc = scu.associate("127.0.0.1", port, contexts=contexts, ae_title="PACS")
        assert assoc.is_established
        live = {str(cx.transfer_syntax[0]) for cx in assoc.accepted_contexts}
        assoc.release()
    finally:
        server.shutdown()
    assert set(predicted.accepted) == live == {IVLE, EVLE}
    assert predicted.chosen == EVLE and predicted.preferred == J2K_LOSSLESS
