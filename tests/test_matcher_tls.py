"""TLS per AE (issue 17, item 2): a plain AE beside a TLS AE serves initiators without TLS; TLS
is also checked on the associations an archive opens back (C-MOVE destination, commitment
listener) and against the acceptor's own statement."""

from __future__ import annotations

from conformance.findings import Severity
from conformance.site import AE, Device, DeviceRole
from tests.matcher_kit import archive, device, modality, only, rules, run, workstation


def _pacs(*aes: tuple[str, bool | None]) -> Device:
    return Device(
        "PACS",
        DeviceRole.ARCHIVE,
        [AE(title, "pacs", 104 + i, tls, f"site.yaml PACS AE {i}") for i, (title, tls) in enumerate(aes)],
        None,
        "PACS",
    )


STORE = [("CT", "PACS", "store")]


def test_plain_ae_beside_a_tls_ae_serves_an_initiator_without_tls() -> None:
    devices = [device("CT", "modality"), _pacs(("PACS_TLS", True), ("PACS", None))]
    a = run(devices, {"CT": modality(tls=False), "PACS": archive(tls=True)}, STORE)
    assert not rules(a, "tls-required-unsupported")
    f = only(a, "tls-plain-ae-only")
    assert (f.severity, f.source, f.target) == (Severity.INFO, "CT", "PACS")
    assert "PACS" in f.title and "PACS_TLS" in f.detail


def test_every_ae_tls_only_blocks_an_initiator_without_tls() -> None:
    devices = [device("CT", "modality"), _pacs(("PACS_TLS", True), ("PACS_TLS2", True))]
    f = only(
        run(devices, {"CT": modality(tls=False), "PACS": archive(tls=True)}, STORE),
        "tls-required-unsupported",
    )
    assert (f.severity, f.source, f.target, f.service) == (Severity.BLOCKING, "CT", "PACS", "store")


def test_initiator_silent_on_tls_is_degrading_and_unconfirmed() -> None:
    devices = [device("CT", "modality"), _pacs(("PACS_TLS", True))]
    f = only(run(devices, {"CT": modality(), "PACS": archive(tls=True)}, STORE), "statement-silent-tls")
    assert (f.severity, f.target, f.unconfirmed) == (Severity.DEGRADING, "PACS", True)
    # with a plain AE beside it, silence costs nothing
    devices = [device("CT", "modality"), _pacs(("PACS_TLS", True), ("PACS", False))]
    a = run(devices, {"CT": modality(), "PACS": archive(tls=True)}, STORE)
    assert not rules(a, "statement-silent-tls") and not rules(a, "tls-plain-ae-only")


def test_move_destination_requiring_tls_is_checked_against_the_archive() -> None:
    """PACS opens the C-MOVE sub-operation association to WS's TLS-only storage AE."""
    devices = [device("WS", "workstation", tls=True), device("PACS", "archive")]
    sts = {"WS": workstation(tls=True), "PACS": archive(tls=False)}
    f = only(run(devices, sts, [("WS", "PACS", "move")]), "tls-required-unsupported")
    assert (f.severity, f.source, f.target, f.service) == (Severity.BLOCKING, "WS", "PACS", "move")
    assert "PACS does not support" in f.title and "opens to WS" in f.title


def test_commitment_listener_requiring_tls_is_checked_against_the_archive() -> None:
    devices = [device("CT", "modality", tls=True), device("PACS", "archive")]
    sts = {"CT": modality(tls=True), "PACS": archive(tls=False)}
    links = [("CT", "PACS", "store"), ("CT", "PACS", "commitment")]
    f = only(run(devices, sts, links), "tls-required-unsupported")
    assert (f.severity, f.source, f.target, f.service) == (Severity.BLOCKING, "CT", "PACS", "commitment")


def test_tls_ae_whose_statement_says_no_tls_is_a_contradiction() -> None:
    devices = [device("CT", "modality"), _pacs(("PACS_TLS", True), ("PACS", None))]
    a = run(devices, {"CT": modality(tls=True), "PACS": archive(tls=False)}, STORE)
    f = only(a, "tls-inventory-contradicts-statement")
    assert (f.severity, f.source, f.service) == (Severity.DEGRADING, "PACS", "network")
    assert {e.statement for e in f.evidence} == {"", "pacs.md"}  # the inventory row and the statement
