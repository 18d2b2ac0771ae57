"""Reverse and secondary associations: commitment replies, C-MOVE destinations, C-GET roles."""

from __future__ import annotations

from conformance.findings import Severity
from conformance.model import Direction
from tests.matcher_kit import (
    COMMITMENT,
    CT,
    IVLE,
    MR,
    NATIVE,
    SC,
    STUDY_FIND,
    STUDY_GET,
    STUDY_MOVE,
    US,
    archive,
    cap,
    device,
    modality,
    only,
    rules,
    run,
    stmt,
    workstation,
)
from tests.matcher_kit import (
    J2K_LOSSLESS as J2K,
)

MOD = [device("CT", "modality"), device("PACS", "archive")]
COMMIT = [("CT", "PACS", "store"), ("CT", "PACS", "commitment")]


def test_commitment_roles_missing_on_the_archive_is_blocking() -> None:
    pacs = stmt("pacs.md", cap(CT, "SCP"), cap(COMMITMENT, "SCU"))  # states commitment, not as SCP
    f = only(run(MOD, {"CT": modality(), "PACS": pacs}, COMMIT), "acceptor-lacks-scp")
    assert f.severity is Severity.BLOCKING and "Storage Commitment" in f.title and f.service == "commitment"
    # an archive silent on Storage Commitment: not confirmed, at most degrading
    silent = stmt("pacs.md", cap(CT, "SCP"))
    f = only(run(MOD, {"CT": modality(), "PACS": silent}, COMMIT), "acceptor-lacks-scp")
    assert f.severity is Severity.DEGRADING and f.unconfirmed


def test_commitment_reply_accepted_on_a_new_association_passes() -> None:
    a = run(MOD, {"CT": modality(), "PACS": archive()}, COMMIT)
    assert not [f for f in a.findings if f.rule.startswith("commitment")]


def test_modality_silent_on_accepting_the_reply_is_degrading() -> None:
    ct = stmt("ct.md", cap(CT, "SCU"), cap(COMMITMENT, "SCU", [IVLE], direction=Direction.INITIATE))
    f = only(run(MOD, {"CT": ct, "PACS": archive()}, COMMIT), "commitment-reply-association")
    assert f.severity is Severity.DEGRADING and f.unconfirmed
    assert "role selection" in f.detail and f.evidence[0].provenance is not None


def test_commitment_reply_needs_the_modality_port() -> None:
    devices = [device("CT", "modality", port=None), device("PACS", "archive")]
    f = only(run(devices, {"CT": modality(), "PACS": archive()}, COMMIT), "commitment-reply-no-port")
    assert f.severity is Severity.DEGRADING and f.evidence[0].statement == ""  # inventory evidence


def test_commitment_must_go_to_the_store_target() -> None:
    devices = [*MOD, device("VNA", "archive")]
    links = [("CT", "PACS", "store"), ("CT", "VNA", "commitment")]
    f = only(
        run(devices, {"CT": modality(), "PACS": archive(), "VNA": archive("vna.md")}, links),
        "commitment-not-to-store-target",
    )
    assert f.target == "VNA" and f.severity is Severity.DEGRADING


WS = [device("WS", "workstation"), device("PACS", "archive")]


def test_move_destination_must_be_configured_on_the_archive() -> None:
    a = run(WS, {"WS": workstation(), "PACS": archive()}, [("WS", "PACS", "move")])
    f = only(a, "move-destination-unknown")
    assert f.severity is Severity.INFO and "A801" in f.detail
    ok = run(WS, {"WS": workstation(), "PACS": archive()}, [("WS", "PACS", "move"), ("PACS", "WS", "store")])
    assert not rules(ok, "move-destination-unknown")
    no_port = [device("WS", "workstation", port=None), device("PACS", "archive")]
    f = only(
        run(no_port, {"WS": workstation(), "PACS": archive()}, [("WS", "PACS", "move")]),
        "move-destination-no-port",
    )
    assert f.severity is Severity.DEGRADING


def test_move_sub_operations_deliver_what_the_archive_holds() -> None:
    """Without a store link back, the archive -> destination storage is checked on the move link."""
    devices = [device("CT", "modality"), *WS]
    ct = stmt("ct.md", cap(CT, "SCU"), cap(MR, "SCU"))
    pacs = stmt(
        "pacs.md",
        cap(CT, "SCP"),
        cap(CT, "SCU"),
        cap(MR, "SCP"),
        cap(MR, "SCU"),
        cap(STUDY_MOVE, "SCP", [IVLE]),
    )
    ws = stmt("ws.md", cap(CT, "SCP"), cap(STUDY_MOVE, "SCU", [IVLE]))
    links = [("CT", "PACS", "store"), ("WS", "PACS", "move")]
    f = only(run(devices, {"CT": ct, "PACS": pacs, "WS": ws}, links), "move-sop-class-not-accepted")
    assert (
        f.severity is Severity.DEGRADING
        and "MR Image Storage" in f.title
        and (f.source, f.target) == ("WS", "PACS")
    )
    assert f.evidence[0].device == "PACS" and f.evidence[0].provenance is not None
    ws_none = stmt("ws.md", cap(SC, "SCP"), cap(STUDY_MOVE, "SCU", [IVLE]))
    f = only(run(devices, {"CT": ct, "PACS": pacs, "WS": ws_none}, links), "move-sop-class-not-accepted")
    assert f.severity is Severity.BLOCKING
    # transfer syntaxes of the sub-operations: a failure costs one class, not the retrieve
    ws_j2k = stmt("ws.md", cap(CT, "SCP", [J2K]), cap(MR, "SCP"), cap(STUDY_MOVE, "SCU", [IVLE]))
    a = run(devices, {"CT": ct, "PACS": pacs, "WS": ws_j2k}, links)
    f = only(a, "no-common-transfer-syntax")
    assert f.severity is Severity.DEGRADING and f.title.startswith("C-MOVE sub-operations")


def test_move_destination_silent_on_storage_scp_is_unconfirmed() -> None:
    """A destination whose statement says nothing about Storage SCP: degrading, not a blocker."""
    ws = stmt("ws.md", cap(STUDY_FIND, "SCU", [IVLE]), cap(STUDY_MOVE, "SCU", [IVLE]))
    a = run(WS, {"WS": ws, "PACS": archive()}, [("WS", "PACS", "move"), ("PACS", "WS", "store")])
    f = only(a, "move-destination-not-storage-scp")
    assert f.severity is Severity.DEGRADING and f.unconfirmed  # WS says nothing about storage
    ws_scu = stmt("ws.md", cap(STUDY_MOVE, "SCU", [IVLE]), cap(CT, "SCU"))  # storage stated, not as SCP
    a = run(WS, {"WS": ws_scu, "PACS": archive()}, [("WS", "PACS", "move"), ("PACS", "WS", "store")])
    assert only(a, "move-destination-not-storage-scp").severity is Severity.BLOCKING


# C-GET: CT stores CT and MR images into PACS; WS retrieves with C-GET (issue 17, item 1)
GET_SITE = [device("CT", "modality"), *WS]
GET_LINKS = [("CT", "PACS", "store"), ("WS", "PACS", "get")]


def _get_pacs(*storage_scu: str):
    """An archive that accepts CT and MR, serves C-GET and sends ``storage_scu`` back."""
    return stmt(
        "pacs.md",
        cap(STUDY_GET, "SCP", [IVLE]),
        cap(CT, "SCP", NATIVE),
        cap(MR, "SCP", NATIVE),
        *[cap(u, "SCU", NATIVE) for u in storage_scu],
    )


def _get_ws(*storage_scp: str):
    return stmt("ws.md", cap(STUDY_GET, "SCU", [IVLE]), *[cap(u, "SCP", NATIVE) for u in storage_scp])


def _get(ws, pacs):
    ct = stmt("ct.md", cap(CT, "SCU"), cap(MR, "SCU"))
    return run(GET_SITE, {"CT": ct, "PACS": pacs, "WS": ws}, GET_LINKS)


def test_get_returns_what_the_archive_holds_when_the_requester_proposes_it() -> None:
    # the requester also accepts US images, which the archive does not hold: no problem
    assert not rules(_get(_get_ws(CT, MR, US), _get_pacs(CT, MR)), "get-storage-role-selection")


def test_get_held_class_the_requester_does_not_propose_as_scp_is_degrading() -> None:
    f = only(_get(_get_ws(CT), _get_pacs(CT, MR)), "get-storage-role-selection")
    assert (f.severity, f.source, f.target, f.service) == (Severity.DEGRADING, "WS", "PACS", "get")
    assert f.sop_classes == [MR] and "1 of the 2" in f.title and "MR Image Storage" in f.title
    assert {e.device for e in f.evidence} == {"PACS", "WS"}


def test_get_none_of_the_held_classes_proposed_is_blocking() -> None:
    f = only(_get(_get_ws(US), _get_pacs(CT, MR)), "get-storage-role-selection")
    assert (f.severity, f.target) == (Severity.BLOCKING, "PACS") and f.sop_classes == [CT, MR]


def test_get_archive_silent_on_storage_scu_is_unconfirmed_not_blocking() -> None:
    a = _get(_get_ws(CT, MR), _get_pacs())
    f = only(a, "statement-silent-get-storage")
    assert (f.severity, f.target, f.unconfirmed) == (Severity.DEGRADING, "PACS", True)
    assert not rules(a, "get-storage-role-selection")


def test_get_requester_silent_on_storage_scp_is_unconfirmed() -> None:
    f = only(_get(_get_ws(), _get_pacs(CT, MR)), "get-requester-not-storage-scp")
    assert (f.severity, f.source, f.target, f.unconfirmed) == (Severity.DEGRADING, "WS", "PACS", True)


def test_get_requester_must_be_storage_scp() -> None:
    ws = stmt("ws.md", cap(STUDY_GET, "SCU", [IVLE]), cap(CT, "SCU"))
    f = only(
        run(WS, {"WS": ws, "PACS": _get_pacs(CT)}, [("WS", "PACS", "get")]), "get-requester-not-storage-scp"
    )
    assert f.severity is Severity.BLOCKING
    silent = stmt("ws.md", cap(STUDY_GET, "SCU", [IVLE]))
    a = run(WS, {"WS": silent, "PACS": _get_pacs(CT)}, [("WS", "PACS", "get")])
    f = only(a, "get-requester-not-storage-scp")
    assert f.severity is Severity.DEGRADING and f.unconfirmed


def test_get_without_get_scp_is_a_role_gap() -> None:
    ws = stmt("ws.md", cap(STUDY_GET, "SCU", [IVLE]), cap(CT, "SCP"))
    f = only(run(WS, {"WS": ws, "PACS": archive()}, [("WS", "PACS", "get")]), "acceptor-lacks-scp")
    assert "C-GET" in f.title


def test_get_context_limit() -> None:
    from pydicom.uid import UID_dictionary

    from conformance import uids as uidmod

    storage = sorted(u for u in UID_dictionary if uidmod.is_storage_sop_class(u))
    for count, flagged in ((127, False), (128, True)):  # + 1 Q/R GET context
        classes = storage[:count]
        ws = stmt("ws.md", cap(STUDY_GET, "SCU", [IVLE]), *[cap(u, "SCP", [IVLE]) for u in classes])
        pacs = stmt("pacs.md", cap(STUDY_GET, "SCP", [IVLE]), *[cap(u, "SCU", [IVLE]) for u in classes])
        a = run(WS, {"WS": ws, "PACS": pacs}, [("WS", "PACS", "get")])
        assert bool(rules(a, "get-context-limit")) is flagged


def test_commitment_reply_without_shared_syntax_is_blocking() -> None:
    ct = stmt(
        "ct.md",
        cap(CT, "SCU"),
        cap(COMMITMENT, "SCU", [IVLE], direction=Direction.INITIATE),
        cap(COMMITMENT, "SCU", ["1.2.840.10008.1.2.1"], direction=Direction.ACCEPT),
    )
    pacs = stmt("pacs.md", cap(CT, "SCP"), cap(COMMITMENT, "SCP", [IVLE]))
    f = only(run(MOD, {"CT": ct, "PACS": pacs}, COMMIT), "commitment-reply-no-transfer-syntax")
    assert f.severity is Severity.BLOCKING


def test_silent_storage_classes_on_store_and_move_links() -> None:
    ct = stmt("ct.md", cap(COMMITMENT, "SCU", [IVLE]))  # no storage SCU listed at all
    f = only(
        run(MOD, {"CT": ct, "PACS": archive()}, [("CT", "PACS", "store")]), "statement-silent-storage-classes"
    )
    assert f.severity is Severity.DEGRADING and "silent" in f.rule
    pacs = stmt("pacs.md", cap(CT, "SCP"), cap(STUDY_MOVE, "SCP", [IVLE]))  # holds CT, never sends it
    f = only(
        run(WS, {"WS": workstation(), "PACS": pacs}, [("WS", "PACS", "move")]),
        "statement-silent-move-storage",
    )
    assert f.severity is Severity.DEGRADING


def test_move_sub_operations_assume_no_preference_of_the_archive() -> None:
    """The archive sends what it holds in the syntax it stored; its proposed-context order for
    forwarding says nothing about that, so no fallback is reported for the sub-operations."""
    devices = [device("CT", "modality"), *WS]
    ct = stmt("ct.md", cap(CT, "SCU"))
    pacs = stmt(
        "pacs.md",
        cap(CT, "SCP", [J2K, *NATIVE]),
        cap(CT, "SCU", [J2K, *NATIVE], direction=Direction.INITIATE),
        cap(STUDY_MOVE, "SCP", [IVLE]),
    )
    ws = stmt("ws.md", cap(CT, "SCP", NATIVE), cap(STUDY_MOVE, "SCU", [IVLE]))
    a = run(devices, {"CT": ct, "PACS": pacs, "WS": ws}, [("CT", "PACS", "store"), ("WS", "PACS", "move")])
    assert not rules(a, "transfer-syntax-fallback")
    # the same archive storing to the workstation on its own (a store link) states a preference
    b = run(devices, {"CT": ct, "PACS": pacs, "WS": ws}, [("CT", "PACS", "store"), ("PACS", "WS", "store")])
    f = only(b, "transfer-syntax-fallback")
    assert (f.severity, f.source, f.target) == (Severity.DEGRADING, "PACS", "WS")
