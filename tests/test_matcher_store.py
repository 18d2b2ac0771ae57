"""Store links as they behave on the wire (issue 16): wildcards, `sends`, refusals, silence.

A refused presentation context drops its SOP class only; a finding that rests on a statement
saying nothing is at most degrading and unconfirmed; a receiver that accepts "any incoming
C-STORE" accepts every storage class on that general statement.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from conformance.findings import Severity
from conformance.model import Role, Support
from conformance.parsers import parse_statement
from tests.matcher_kit import (
    COMMITMENT,
    CT,
    ECT,
    EVLE,
    IVLE,
    J2K_LOSSLESS,
    MPPS,
    MR,
    MWL,
    STUDY_MOVE,
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
from tests.wildcard_statements import MICROPACS_MD

GSPS = "1.2.840.10008.5.1.4.1.1.11.1"  # Grayscale Softcopy Presentation State Storage
DOSE_SR = "1.2.840.10008.5.1.4.1.1.88.67"
RAW = "1.2.840.10008.5.1.4.1.1.66"
CHAIN = [
    ("CT", "RIS", "worklist"),
    ("CT", "RIS", "mpps"),
    ("CT", "PACS", "store"),
    ("CT", "PACS", "commitment"),
]


def _ct(*extra: str):
    ct = modality()
    ct.aes[0].capabilities.extend(cap(uid, "SCU", [EVLE, IVLE], source="ct.md") for uid in extra)
    return ct


def test_a_wildcard_archive_accepts_every_class_with_one_info_finding(tmp_path: Path) -> None:
    (tmp_path / "minipacs.md").write_text(MICROPACS_MD, encoding="utf-8")
    pacs = parse_statement(tmp_path / "minipacs.md", use_cache=False)
    ct = _ct(ECT, DOSE_SR, GSPS, RAW)
    a = run(
        [device("CT", "modality"), device("PACS", "archive")],
        {"CT": ct, "PACS": pacs},
        [("CT", "PACS", "store")],
    )
    assert not rules(a, "sop-class-not-accepted")
    f = only(a, "storage-wildcard")
    assert f.severity is Severity.INFO and (f.source, f.target, f.service) == ("CT", "PACS", "store")
    assert sorted(f.sop_classes) == sorted([CT, ECT, DOSE_SR, GSPS, RAW])
    assert "5 of the 5 storage classes" in f.title
    assert any("accept any incoming C-STORE" in e.provenance.text for e in f.evidence if e.provenance)
    # negotiated on the syntaxes the wildcard states: the CT's preferred JPEG 2000 falls back
    fallback = only(a, "transfer-syntax-fallback")
    assert "JPEG 2000" in fallback.title
    assert any("general statement" in e.claim for e in fallback.evidence)


def test_a_wildcard_destination_takes_every_class_of_a_c_move() -> None:
    from conformance.model import ServiceClass, Wildcard

    # the viewer lists CT and says it accepts any storage class: the archive's MR reaches it too
    ws = stmt("ws.md", cap(STUDY_MOVE, "SCU", [IVLE]), cap(CT, "SCP"))
    pacs = archive()
    pacs.aes[0].capabilities.extend([cap(MR, "SCP"), cap(MR, "SCU")])
    devices = [device("CT", "modality"), device("PACS", "archive"), device("WS", "workstation")]
    links = [("CT", "PACS", "store"), ("WS", "PACS", "move")]
    listed_only = run(devices, {"CT": _ct(MR), "PACS": pacs, "WS": ws}, links)
    assert "MR Image Storage" in only(listed_only, "move-sop-class-not-accepted").title
    ws.wildcards = [Wildcard(ServiceClass.STORAGE, Role.SCP, [IVLE, EVLE], [])]
    a = run(devices, {"CT": _ct(MR), "PACS": pacs, "WS": ws}, links)
    assert not rules(a, "move-sop-class-not-accepted")
    assert not [f for f in a.findings if f.severity is Severity.BLOCKING]


def test_an_optional_class_the_archive_refuses_degrades_without_breaking_the_chain() -> None:
    sts = {"CT": _ct(GSPS), "PACS": archive(), "RIS": ris()}
    site = [device("CT", "modality"), device("PACS", "archive"), device("RIS", "worklist")]
    a = run(site, sts, CHAIN)
    f = only(a, "sop-class-not-accepted")
    assert f.severity is Severity.DEGRADING and f.target == "PACS" and f.sop_classes == [GSPS]
    assert not rules(a, "workflow-chain")
    # the same class named in the inventory's `sends`: the site needs it, so it blocks
    site[0] = device("CT", "modality", sends=(CT, GSPS))
    a = run(site, sts, CHAIN)
    f = only(a, "sop-class-not-accepted")
    assert f.severity is Severity.BLOCKING and f.target == "PACS" and "sends" in f.detail
    assert only(a, "workflow-chain").severity is Severity.BLOCKING


def test_refusals_are_one_finding_per_link_and_block_when_no_image_is_stored() -> None:
    ct = stmt("ct.md", cap(CT, "SCU"), cap(ECT, "SCU"), cap(GSPS, "SCU"), cap(DOSE_SR, "SCU"))
    pacs = stmt("pacs.md", cap(DOSE_SR, "SCP"), cap(GSPS, "SCP"))  # no image class
    a = run(
        [device("CT", "modality"), device("PACS", "archive")],
        {"CT": ct, "PACS": pacs},
        [("CT", "PACS", "store")],
    )
    f = only(a, "sop-class-not-accepted")
    assert f.severity is Severity.BLOCKING and f.sop_classes == [CT, ECT]
    assert "2 of the 4 storage classes" in f.title and "none of the 2 image classes" in f.detail


def test_no_common_syntax_for_one_class_degrades_unless_it_is_sent() -> None:
    ct = _ct()
    ct.aes[0].capabilities.append(cap(ECT, "SCU", [J2K_LOSSLESS], source="ct.md"))
    pacs = archive(ts=[EVLE, IVLE])
    pacs.aes[0].capabilities.append(cap(ECT, "SCP", [EVLE, IVLE]))
    devices = [device("CT", "modality"), device("PACS", "archive")]
    f = only(run(devices, {"CT": ct, "PACS": pacs}, [("CT", "PACS", "store")]), "no-common-transfer-syntax")
    assert f.severity is Severity.DEGRADING
    devices[0] = device("CT", "modality", sends=(CT, ECT))
    f = only(run(devices, {"CT": ct, "PACS": pacs}, [("CT", "PACS", "store")]), "no-common-transfer-syntax")
    assert f.severity is Severity.BLOCKING


def test_sends_narrows_the_store_link_and_the_archive_c_move() -> None:
    ct = _ct(ECT, RAW)
    pacs = archive()
    pacs.aes[0].capabilities.extend([cap(ECT, "SCP"), cap(ECT, "SCU"), cap(RAW, "SCP"), cap(RAW, "SCU")])
    ws = stmt("ws.md", cap(CT, "SCP"), cap(STUDY_MOVE, "SCU", [IVLE]))  # takes CT images only
    links = [("CT", "PACS", "store"), ("WS", "PACS", "move")]
    devices = [device("CT", "modality"), device("PACS", "archive"), device("WS", "workstation")]
    wide = run(devices, {"CT": ct, "PACS": pacs, "WS": ws}, links)
    move = only(wide, "move-sop-class-not-accepted")
    assert "Enhanced CT Image Storage" in move.title and "Raw Data Storage" in move.title
    assert only(wide, "sends-not-given").source == "CT"
    devices[0] = device("CT", "modality", sends=(CT,))
    narrow = run(devices, {"CT": ct, "PACS": pacs, "WS": ws}, links)
    assert not rules(narrow, "move-sop-class-not-accepted")  # the archive holds only CT images
    assert not rules(narrow, "sends-not-given")


def test_exclude_on_the_link_reaches_what_the_archive_forwards() -> None:
    from conformance.matcher import analyze
    from tests.matcher_kit import inventory

    ct = _ct(RAW)
    pacs = archive()
    pacs.aes[0].capabilities.extend([cap(RAW, "SCP"), cap(RAW, "SCU")])
    ws = stmt("ws.md", cap(CT, "SCP"), cap(STUDY_MOVE, "SCU", [IVLE]))
    inv = inventory(
        [device("CT", "modality"), device("PACS", "archive"), device("WS", "workstation")],
        [("CT", "PACS", "store"), ("WS", "PACS", "move")],
    )
    store = next(lk for lk in inv.links if lk.service.value == "store")
    store.exclude = (RAW,)
    a = analyze(inv, {"CT": ct, "PACS": pacs, "WS": ws})
    assert not rules(a, "move-sop-class-not-accepted")


def test_a_receiver_silent_on_storage_gives_one_degrading_unconfirmed_finding() -> None:
    ct = _ct(ECT, GSPS)
    pacs = stmt("pacs.md", cap(COMMITMENT, "SCP", [IVLE]), cap(MPPS, "SCP", [IVLE]))  # nothing on storage
    a = run(
        [device("CT", "modality"), device("PACS", "archive")],
        {"CT": ct, "PACS": pacs},
        [("CT", "PACS", "store")],
    )
    f = only(a, "sop-class-not-accepted")
    assert f.severity is Severity.DEGRADING and f.unconfirmed and f.target == "PACS"
    assert "not confirmed" in f.title and len(f.sop_classes) == 3
    assert "Blocking" not in f.detail  # no image stored, but nothing stated either


def test_silence_on_a_service_class_is_one_unconfirmed_finding_per_link() -> None:
    ct = stmt("ct.md", cap(CT, "SCU"))  # silent on the worklist
    ris_silent = stmt("ris.md", cap(MPPS, "SCP", [IVLE]))  # silent on the worklist too
    a = run(
        [device("CT", "modality"), device("RIS", "worklist")],
        {"CT": ct, "RIS": ris_silent},
        [("CT", "RIS", "worklist")],
    )
    found = [f for f in a.findings if f.service == "worklist" and f.severity is not Severity.INFO]
    assert len(found) == 1 and found[0].unconfirmed and found[0].severity is Severity.DEGRADING
    assert "Also:" in found[0].detail  # the other side's silence joins it


def test_classes_in_sends_that_the_statement_omits_are_checked_for_acceptance() -> None:
    devices = [device("CT", "modality", sends=(CT, MR)), device("PACS", "archive")]
    a = run(devices, {"CT": _ct(), "PACS": archive()}, [("CT", "PACS", "store")])
    note = only(a, "sends-not-in-statement")
    assert note.severity is Severity.INFO and note.sop_classes == [MR] and note.unconfirmed
    f = only(a, "sop-class-not-accepted")
    assert f.severity is Severity.BLOCKING and f.sop_classes == [MR]


def test_an_option_in_any_table_stays_an_option() -> None:
    overview = cap(MWL, "SCU", [IVLE])  # "Yes" in the overview
    detail = dataclasses.replace(
        cap(MWL, "SCU", [IVLE]), support=Support.OPTION
    )  # "Option" in a detail table
    ct = stmt("ct.md", cap(CT, "SCU"), overview, detail)
    assert ct.supports(MWL, Role.SCU).support is Support.OPTION
    a = run(
        [device("CT", "modality"), device("RIS", "worklist")],
        {"CT": ct, "RIS": ris()},
        [("CT", "RIS", "worklist")],
    )
    f = only(a, "role-is-option")
    assert (
        f.severity is Severity.DEGRADING and f.source == "CT" and f.target == "RIS" and f.sop_classes == [MWL]
    )
