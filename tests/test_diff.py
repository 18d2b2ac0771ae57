"""`conformance diff`: what changed between two versions of a statement (conformance/diff/).

The pairs are the fictional Tern Archive (tests/diff_samples.py) written in Markdown, plain
text and PDF, and the shipped HaloArchive 3.6 PDF against a 3.7 written in Markdown.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.diff import ChangeClass, ChangeKind, Diff, compare
from conformance.model import (
    UNLIMITED,
    ApplicationEntity,
    Fact,
    Provenance,
    Role,
    Statement,
    Support,
    TransferCapability,
)
from conformance.parsers import parse_statement
from tests import diff_samples as ds

SCP, SCU = Role.SCP, Role.SCU
HTJ2K_LL = ds.HTJ2K_LL[1]


@pytest.fixture(scope="module")
def tern(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Tern Archive 1.0 and 1.1, each in Markdown, plain text and PDF."""
    folder = tmp_path_factory.mktemp("tern")
    return {
        f"{spec.version}.{layout}": ds.write(spec, layout, folder)
        for spec in (ds.TERN_10, ds.TERN_11)
        for layout in ("md", "txt", "pdf")
    }


def _diff(a: Path, b: Path) -> Diff:
    return compare(parse_statement(a), parse_statement(b))


# ----------------------------------------------------------------------------- layout
@pytest.mark.parametrize(
    ("old", "new"),
    [("1.0.md", "1.0.txt"), ("1.0.md", "1.0.pdf"), ("1.0.txt", "1.0.pdf"), ("1.1.pdf", "1.1.txt")],
)
def test_same_content_in_another_layout_is_no_change(tern: dict[str, Path], old: str, new: str) -> None:
    d = _diff(tern[old], tern[new])
    assert d.is_empty(), [c.title for c in d.changes]
    assert (d.services_added, d.services_removed, d.ts_added, d.ts_removed, d.scalars_changed) == (
        [],
        [],
        [],
        [],
        {},
    )
    assert d.counts() == {"removal": 0, "addition": 0, "neutral": 0}
    assert d.summary.endswith("no change.")
    # the two documents are told apart by file name when they state the same product and version
    assert d.old.label == f"Tern Archive {old[:3]} (tern-{old})"


# ----------------------------------------------------------------------------- a version pair
TERN_SCALARS = {
    "product.version": ("1.0", "1.1"),
    "implementation_version_name": ("TERN_10", "TERN_11"),
    "max_associations.accepted": (10, 20),
    "max_pdu_receive": (16384, 65536),
    "security.tls": (False, True),
    "character_sets": (["ISO_IR 100"], ["ISO_IR 100", "ISO_IR 192"]),
}


@pytest.mark.parametrize(
    ("old", "new"), [("1.0.md", "1.1.txt"), ("1.0.pdf", "1.1.md"), ("1.0.txt", "1.1.pdf")]
)
def test_version_pair_in_different_layouts_gives_exact_changes(
    tern: dict[str, Path], old: str, new: str
) -> None:
    d = _diff(tern[old], tern[new])
    assert d.services_added == [(ds.ENH_CT[1], SCP)]
    assert d.services_removed == [(ds.PR_FIND[1], SCP)]
    storage_scp = sorted(uid for _, uid in (ds.CT, ds.MR, ds.CR, ds.SC, ds.US))
    assert d.ts_added == [(uid, SCP, HTJ2K_LL) for uid in storage_scp]
    assert d.ts_removed == [(ds.US[1], SCP, ds.JPEG_BASE[1])]
    assert d.scalars_changed == TERN_SCALARS

    by_class = {
        c: sorted((ch.kind.value, ch.subject) for ch in d.changes if ch.cls is c) for c in ChangeClass
    }
    assert by_class[ChangeClass.REMOVAL] == [
        ("service-removed", ds.PR_FIND[1]),
        ("ts-removed", ds.JPEG_BASE[1]),
    ]
    assert by_class[ChangeClass.ADDITION] == [
        ("scalar", "character_sets"),
        ("scalar", "max_associations.accepted"),
        ("scalar", "security.tls"),
        ("service-added", ds.ENH_CT[1]),
        ("ts-added", HTJ2K_LL),  # one change for the five classes
    ]
    assert by_class[ChangeClass.NEUTRAL] == [
        ("scalar", "implementation_version_name"),
        ("scalar", "max_pdu_receive"),  # negotiated: no peer breaks
        ("scalar", "product.version"),
    ]
    (htj2k,) = d.of_kind(ChangeKind.TS_ADDED)
    assert sorted(uid for uid, _ in htj2k.services) == storage_scp
    assert d.summary == (
        "Compared with Tern Archive 1.0, Tern Archive 1.1 adds Enhanced CT Image Storage (SCP); "
        "High-Throughput JPEG 2000 Image Compression (Lossless Only) on all 5 storage services (SCP) it "
        "already had; character set ISO_IR 192; removes Patient Root Query/Retrieve Information Model - FIND "
        "(SCP); JPEG Baseline (Process 1) on Ultrasound Image Storage (SCP). It accepts 20 simultaneous "
        "associations instead of 10, now supports TLS and receives PDUs of up to 65536 bytes instead of "
        "16384. Also changed: implementation version name: TERN_11 instead of TERN_10; product version: 1.1 "
        "instead of 1.0."
    )


def test_each_change_quotes_both_statements(tern: dict[str, Path]) -> None:
    d = _diff(tern["1.0.pdf"], tern["1.1.txt"])
    (removed,) = d.of_kind(ChangeKind.TS_REMOVED)
    assert {p.file for p in removed.old_evidence} == {"tern-1.0.pdf"}
    assert all(p.page for p in removed.old_evidence)  # PDF: pages
    assert {p.file for p in removed.new_evidence} == {"tern-1.1.txt"}
    assert all(p.line for p in removed.new_evidence)  # text: lines
    assert any(ds.US[1] in p.text for p in removed.new_evidence)
    (accepted,) = [c for c in d.changes if c.subject == "max_associations.accepted"]
    assert "10" in accepted.old_evidence[0].text and "20" in accepted.new_evidence[0].text
    (added,) = d.of_kind(ChangeKind.SERVICE_ADDED)
    assert added.old_evidence == () and ds.ENH_CT[1] in added.new_evidence[0].text


def test_swapping_old_and_new_swaps_additions_and_removals(tern: dict[str, Path]) -> None:
    forward, back = _diff(tern["1.0.md"], tern["1.1.md"]), _diff(tern["1.1.md"], tern["1.0.md"])
    assert back.services_added == forward.services_removed
    assert back.ts_removed == forward.ts_added
    assert back.scalars_changed == {k: (b, a) for k, (a, b) in forward.scalars_changed.items()}
    tls = next(c for c in back.changes if c.subject == "security.tls")
    assert tls.cls is ChangeClass.REMOVAL  # TLS gone can break a peer


# ----------------------------------------------------------------------------- model-level rules
def _prov(line: int, text: str) -> Provenance:
    return Provenance("x.md", line=line, text=text)


def _statement(
    source: str,
    caps: list[TransferCapability],
    **scalars: object,
) -> Statement:
    st = Statement(source=source, aes=[ApplicationEntity("AE", capabilities=caps)])
    for key, value in scalars.items():
        setattr(st, key, Fact(value, _prov(1, f"{key} {value}")))
    return st


def _storage_classes(n: int) -> list[str]:
    from pydicom.uid import UID_dictionary

    from conformance.uids import is_storage_sop_class

    found = sorted(u for u in UID_dictionary if is_storage_sop_class(u))
    assert len(found) >= n
    return found[:n]


def test_one_syntax_added_to_80_classes_is_one_change() -> None:
    classes = _storage_classes(80)
    base = [ds.ILE[1], ds.ELE[1]]
    old = _statement(
        "v1.md",
        [TransferCapability(u, SCP, list(base), provenance=[_prov(i, u)]) for i, u in enumerate(classes)],
    )
    new_caps = [
        TransferCapability(u, SCP, [*base, HTJ2K_LL], provenance=[_prov(i, u)]) for i, u in enumerate(classes)
    ]
    new_caps[0].transfer_syntaxes.append(ds.JPEG_BASE[1])  # a second syntax on one class only
    new = _statement("v2.md", new_caps)
    d = compare(old, new)
    assert len(d.ts_added) == 81
    groups = d.of_kind(ChangeKind.TS_ADDED)
    assert sorted((c.transfer_syntaxes, len(c.services)) for c in groups) == [
        ((HTJ2K_LL,), 80),
        ((ds.JPEG_BASE[1],), 1),
    ]
    htj2k = "High-Throughput JPEG 2000 Image Compression (Lossless Only)"
    assert f"{htj2k} on all 80 storage services (SCP) it already had" in d.summary


def test_silence_is_neutral_never_a_removal() -> None:
    ct = "1.2.840.10008.5.1.4.1.1.2"
    old = _statement(
        "v1.md",
        [TransferCapability(ct, SCP, [ds.ILE[1], ds.ELE[1]])],
        max_pdu_receive=16384,
        tls=True,
    )
    new = _statement("v2.md", [TransferCapability(ct, SCP, [])])  # says nothing about syntaxes, PDU, TLS
    d = compare(old, new)
    assert d.ts_removed == [] and d.services_removed == []
    assert d.counts() == {"removal": 0, "addition": 0, "neutral": 3}
    assert d.scalars_changed == {"max_pdu_receive": (16384, None), "security.tls": (True, None)}
    (unstated,) = d.of_kind(ChangeKind.TS_UNSTATED)
    assert unstated.services == ((ct, SCP),) and "silent" in unstated.note
    assert "no longer stated" in d.summary


def test_support_and_association_limits_are_classed_by_what_they_do_to_a_peer() -> None:
    mwl = "1.2.840.10008.5.1.4.31"
    cap = TransferCapability(mwl, SCP, [ds.ILE[1]])
    opt = TransferCapability(mwl, SCP, [ds.ILE[1]], support=Support.OPTION)
    d = compare(
        _statement("v1.md", [cap], max_associations_accepted=10, max_associations_initiated=UNLIMITED),
        _statement("v2.md", [opt], max_associations_accepted=UNLIMITED, max_associations_initiated=2),
    )
    classes = {c.subject: c.cls for c in d.changes}
    assert classes == {
        mwl: ChangeClass.REMOVAL,  # now needs a licence
        "max_associations.accepted": ChangeClass.ADDITION,  # 10 -> unlimited
        "max_associations.initiated": ChangeClass.REMOVAL,  # unlimited -> 2
    }
    assert d.of_kind(ChangeKind.SUPPORT_CHANGED)[0].before == "yes"


def test_ae_titles_and_ports_compare_as_sets_whatever_the_ae_is_called() -> None:
    cap = TransferCapability("1.2.840.10008.1.1", SCP, [ds.ILE[1]])
    old = Statement(
        "v1.md", aes=[ApplicationEntity("STORE-SCP", Fact("ARCH", _prov(3, "ARCH")), Fact(104), [cap])]
    )
    same = Statement("v2.md", aes=[ApplicationEntity("(product)", Fact("ARCH"), Fact(104), [cap])])
    moved = Statement("v3.md", aes=[ApplicationEntity("STORE-SCP", Fact("ARCH"), Fact(11112), [cap])])
    assert compare(old, same).is_empty()
    d = compare(old, moved)
    assert d.scalars_changed == {"ports": ([104], [11112])}
    assert {(c.title, c.cls) for c in d.changes} == {
        ("default port 104 removed", ChangeClass.NEUTRAL),
        ("default port 11112 added", ChangeClass.NEUTRAL),
    }


def test_unknown_uids_are_named_as_the_statement_writes_them() -> None:
    new_class = "1.2.840.10008.5.1.4.1.1.999.1"  # not (yet) in the dictionary
    cap = TransferCapability("1.2.840.10008.1.1", SCP, [ds.ILE[1]])
    extra = TransferCapability(new_class, SCP, [ds.ILE[1]], name="FutureScanImageStorage")
    d = compare(_statement("v1.md", [cap]), _statement("v2.md", [cap, extra]))
    assert d.name(new_class) == "FutureScanImageStorage"
    assert d.is_storage(new_class)
    assert "FutureScanImageStorage (SCP)" in d.summary


# ----------------------------------------------------------------------------- HaloArchive
@pytest.fixture(scope="module")
def halo_37(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ds.write(ds.halo_37(), "md", tmp_path_factory.mktemp("halo"), "haloarchive-3.7")


SAMPLES = Path(__file__).resolve().parents[1] / "statements"


def test_shipped_pdf_against_its_next_version_in_markdown(halo_37: Path) -> None:
    d = _diff(SAMPLES / "haloarchive-3.6.pdf", halo_37)
    assert d.services_removed == [("1.2.840.10008.1.20.1", SCP)]
    assert d.services_added == []
    (j2k,) = d.of_kind(ChangeKind.TS_ADDED)
    assert j2k.transfer_syntaxes == ("1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91")
    assert len(j2k.services) == 22 and {role for _, role in j2k.services} == {SCP}
    assert len(d.ts_added) == 44 and d.ts_removed == []
    assert d.scalars_changed == {
        "product.version": ("3.6", "3.7"),
        "implementation_version_name": ("HALOARC_360", "HALOARC_370"),
    }
    assert "on all 22 storage services (SCP) it already had" in d.summary
