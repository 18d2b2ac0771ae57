"""Direction and roles per link: initiator SCU, acceptor SCP, per SOP class the link carries."""

from __future__ import annotations

from conformance.findings import Severity
from tests.matcher_kit import (
    CT,
    ECT,
    IVLE,
    MR,
    MWL,
    NATIVE,
    PAT_FIND,
    STUDY_FIND,
    archive,
    cap,
    device,
    modality,
    only,
    ris,
    rules,
    run,
    stmt,
    workstation,
)


def test_store_class_the_receiver_lacks_is_one_finding_with_both_sides_evidence() -> None:
    ct = stmt("ct.md", cap(CT, "SCU"), cap(ECT, "SCU"))
    pacs = stmt("pacs.md", cap(CT, "SCP"))
    a = run(
        [device("CT", "modality"), device("PACS", "archive")],
        {"CT": ct, "PACS": pacs},
        [("CT", "PACS", "store")],
    )
    f = only(a, "sop-class-not-accepted")
    # the refused context drops Enhanced CT only: CT images are stored
    assert f.severity is Severity.DEGRADING and not f.unconfirmed
    assert "Enhanced CT Image Storage" in f.title and f.sop_classes == [ECT]
    assert (f.source, f.target, f.service) == ("CT", "PACS", "store")
    sender, receiver = f.evidence
    assert sender.statement == "ct.md" and sender.provenance is not None and sender.provenance.line
    assert receiver.statement == "pacs.md" and receiver.provenance is None  # silent: not listed
    assert "does not list" in receiver.claim
    assert f.fix


def test_store_classes_all_accepted_gives_no_role_finding() -> None:
    ct = stmt("ct.md", cap(CT, "SCU"), cap(MR, "SCU"))
    pacs = stmt("pacs.md", cap(CT, "SCP"), cap(MR, "SCP"))
    a = run(
        [device("CT", "modality"), device("PACS", "archive")],
        {"CT": ct, "PACS": pacs},
        [("CT", "PACS", "store")],
    )
    assert not rules(a, "sop-class-not-accepted")
    assert not [f for f in a.findings if f.severity is Severity.BLOCKING]


def test_scp_listed_only_as_scu_does_not_count() -> None:
    ct = stmt("ct.md", cap(CT, "SCU"))
    pacs = stmt("pacs.md", cap(CT, "SCU"))  # wrong role on the receiver
    a = run(
        [device("CT", "modality"), device("PACS", "archive")],
        {"CT": ct, "PACS": pacs},
        [("CT", "PACS", "store")],
    )
    assert only(a, "sop-class-not-accepted").severity is Severity.BLOCKING


def test_worklist_roles_both_directions() -> None:
    devices = [device("CT", "modality"), device("RIS", "worklist")]
    links = [("CT", "RIS", "worklist")]
    good = run(devices, {"CT": modality(), "RIS": ris()}, links)
    assert not rules(good, "acceptor-lacks-scp") and not rules(good, "initiator-lacks-scu")

    no_scp = run(devices, {"CT": modality(), "RIS": stmt("ris.md", cap(MWL, "SCU"))}, links)
    f = only(no_scp, "acceptor-lacks-scp")
    assert f.severity is Severity.BLOCKING and "Modality Worklist" in f.title

    # CT says nothing about Modality Worklist in any role: silence, not a stated refusal
    no_scu = run(devices, {"CT": stmt("ct.md", cap(CT, "SCU")), "RIS": ris()}, links)
    f = only(no_scu, "initiator-lacks-scu")
    assert f.severity is Severity.DEGRADING and f.unconfirmed and f.source == "CT"
    assert "not confirmed" in f.title
    assert f.evidence[1].provenance is not None  # the RIS side cites its SCP row
    # CT lists the worklist only as SCP: a stated lack of the SCU role is blocking
    wrong_role = run(devices, {"CT": stmt("ct.md", cap(CT, "SCU"), cap(MWL, "SCP")), "RIS": ris()}, links)
    f = only(wrong_role, "initiator-lacks-scu")
    assert f.severity is Severity.BLOCKING and not f.unconfirmed


def test_query_information_models_must_share_one() -> None:
    devices = [device("WS", "workstation"), device("PACS", "archive")]
    links = [("WS", "PACS", "query")]
    ws = stmt("ws.md", cap(PAT_FIND, "SCU", [IVLE]))
    pacs = stmt("pacs.md", cap(STUDY_FIND, "SCP", [IVLE]))
    f = only(run(devices, {"WS": ws, "PACS": pacs}, links), "no-common-sop-class")
    assert f.severity is Severity.BLOCKING
    assert "Patient Root" in f.detail and "Study Root" in f.detail

    ws2 = stmt("ws.md", cap(PAT_FIND, "SCU", [IVLE]), cap(STUDY_FIND, "SCU", [IVLE]))
    a = run(devices, {"WS": ws2, "PACS": pacs}, links)
    assert not rules(a, "no-common-sop-class")
    info = only(a, "sop-class-alternative-missing")
    assert info.severity is Severity.INFO and "Patient Root" in info.title


def test_a_licensed_option_is_degrading() -> None:
    ct = stmt("ct.md", cap(CT, "SCU"))
    pacs = stmt("pacs.md", cap(CT, "SCP", option=True))
    a = run(
        [device("CT", "modality"), device("PACS", "archive")],
        {"CT": ct, "PACS": pacs},
        [("CT", "PACS", "store")],
    )
    f = only(a, "role-is-option")
    assert f.severity is Severity.DEGRADING and "option" in f.evidence[0].claim


def test_archive_forwards_only_what_it_receives() -> None:
    """A store link from an archive carries the classes its senders store into it."""
    ct = stmt("ct.md", cap(CT, "SCU"))
    pacs = stmt("pacs.md", cap(CT, "SCP"), cap(CT, "SCU"), cap(MR, "SCP"), cap(MR, "SCU"))
    ws = stmt("ws.md", cap(CT, "SCP", NATIVE))  # no MR: nobody sends MR here, so no gap
    devices = [device("CT", "modality"), device("PACS", "archive"), device("WS", "workstation")]
    links = [("CT", "PACS", "store"), ("PACS", "WS", "store")]
    a = run(devices, {"CT": ct, "PACS": pacs, "WS": ws}, links)
    assert not rules(a, "sop-class-not-accepted")
    # without an upstream sender the archive's whole Storage SCU list counts
    a2 = run(devices[1:], {"PACS": pacs, "WS": ws}, [("PACS", "WS", "store")])
    f = only(a2, "sop-class-not-accepted")
    assert "MR Image Storage" in f.title


def test_implied_links_by_role_are_checked() -> None:
    devices = [
        device("CT", "modality"),
        device("PACS", "archive"),
        device("RIS", "worklist"),
        device("WS", "workstation"),
    ]
    a = run(devices, {"CT": modality(), "PACS": archive(), "RIS": ris(), "WS": workstation()})
    links = {(lk.source, lk.target, lk.service.value) for lk in a.links}
    assert {
        ("CT", "PACS", "store"),
        ("CT", "PACS", "commitment"),
        ("CT", "RIS", "worklist"),
        ("CT", "RIS", "mpps"),
        ("WS", "PACS", "query"),
        ("WS", "PACS", "move"),
    } <= links
    assert not [f for f in a.findings if f.severity is Severity.BLOCKING], [f.title for f in a.findings]


def test_print_meta_class_and_optional_classes() -> None:
    from tests.matcher_kit import COLOR_PRINT, GRAY_PRINT

    lut = "1.2.840.10008.5.1.1.23"
    devices = [device("CT", "modality"), device("PRN", "printer")]
    links = [("CT", "PRN", "print")]
    color_only = stmt("ct.md", cap(COLOR_PRINT, "SCU", [IVLE]))
    gray_printer = stmt("prn.md", cap(GRAY_PRINT, "SCP", [IVLE]))
    f = only(run(devices, {"CT": color_only, "PRN": gray_printer}, links), "no-common-sop-class")
    assert f.severity is Severity.BLOCKING and "Print" in f.title

    ct = stmt("ct.md", cap(GRAY_PRINT, "SCU", [IVLE]), cap(lut, "SCU", [IVLE]))
    a = run(devices, {"CT": ct, "PRN": gray_printer}, links)
    assert not rules(a, "no-common-sop-class")
    # negotiated as a context of its own: the printer refuses it, the job prints without it
    f = only(a, "print-option-not-accepted")
    assert f.severity is Severity.INFO and "prints without it" in f.title
    printer = stmt("prn.md", cap(GRAY_PRINT, "SCP", [IVLE]), cap(lut, "SCP", [IVLE]))
    assert not rules(run(devices, {"CT": ct, "PRN": printer}, links), "print-option-not-accepted")


def test_excluded_classes_are_not_carried() -> None:
    from conformance.inventory import Link, Service
    from conformance.matcher import analyze
    from tests.matcher_kit import inventory

    ct = stmt("ct.md", cap(CT, "SCU"), cap(ECT, "SCU"))
    pacs = stmt("pacs.md", cap(CT, "SCP"))
    inv = inventory([device("CT", "modality"), device("PACS", "archive")])
    inv.links = [Link("CT", "PACS", Service.STORE, "site.yaml link 1", exclude=(ECT,))]
    assert not rules(analyze(inv, {"CT": ct, "PACS": pacs}), "sop-class-not-accepted")
