"""Association budget by the AE that carries each link (per-AE limits), and the per-AE limits
the extractor reads next to a product-wide figure."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.findings import Severity
from conformance.model import ApplicationEntity, Direction, Fact, Provenance, Statement
from conformance.parsers import parse_statement
from tests.matcher_kit import COMMITMENT, CT, GRAY_PRINT, IVLE, archive, cap, device, only, rules, run, stmt

SAMPLES = Path(__file__).resolve().parent.parent / "statements"

STATEMENT = """# Acme Scanner DICOM Conformance Statement

Manufacturer: Acme
Product Name: Acme Scanner

## 4.2 AE Specifications

{overall}

### 4.2.1 STORE AE Specification

| SOP Class Name | SOP Class UID | SCU | SCP |
|---|---|---|---|
| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 | Yes | No |

Table 4.2-2 Number of Associations as an Association Initiator for STORE AE

| Parameter | Value |
|---|---|
| Maximum number of simultaneous associations | 3 |

### 4.2.2 PRINT AE Specification

| SOP Class Name | SOP Class UID | SCU | SCP |
|---|---|---|---|
| Basic Grayscale Print Management Meta | 1.2.840.10008.5.1.1.9 | Yes | No |

Table 4.2-3 Number of Associations as an Association Initiator for PRINT AE

| Parameter | Value |
|---|---|
| Maximum number of simultaneous associations | 1 |
"""
OVERALL = "In total the Acme Scanner initiates at most 5 simultaneous associations and accepts at most 2."


def _limits(st: Statement) -> dict[str, object]:
    return {ae.name: ae.max_associations_initiated.value for ae in st.aes if ae.max_associations_initiated}


# ------------------------------------------------------------------------ extraction
def test_per_ae_limits_are_kept_next_to_a_product_wide_figure(tmp_path: Path) -> None:
    path = tmp_path / "acme.md"
    path.write_text(STATEMENT.format(overall=OVERALL), encoding="utf-8")
    st = parse_statement(path, use_cache=False)
    assert st.max_associations_initiated is not None and st.max_associations_initiated.value == 5
    assert _limits(st) == {"STORE": 3, "PRINT": 1}
    assert (
        "PRINT AE"
        in st.aes[[a.name for a in st.aes].index("PRINT")].max_associations_initiated.provenance.section
    )  # type: ignore[union-attr]


def test_without_a_product_wide_figure_the_statement_sums_its_aes(tmp_path: Path) -> None:
    path = tmp_path / "acme.md"
    path.write_text(STATEMENT.format(overall="Each AE is described below."), encoding="utf-8")
    st = parse_statement(path, use_cache=False)
    assert st.max_associations_initiated is not None and st.max_associations_initiated.value == 4
    assert _limits(st) == {"STORE": 3, "PRINT": 1}


def test_only_a_product_wide_figure_gives_no_per_ae_limit(tmp_path: Path) -> None:
    text = STATEMENT.format(overall=OVERALL)
    text = text.replace(
        "| Maximum number of simultaneous associations | 3 |", "| Asynchronous operations | 1 |"
    )
    text = text.replace(
        "| Maximum number of simultaneous associations | 1 |", "| Asynchronous operations | 1 |"
    )
    path = tmp_path / "acme.md"
    path.write_text(text, encoding="utf-8")
    st = parse_statement(path, use_cache=False)
    assert st.max_associations_initiated is not None and st.max_associations_initiated.value == 5
    assert _limits(st) == {}


@pytest.mark.skipif(not (SAMPLES / "aurora-ct-128.pdf").is_file(), reason="sample PDF not generated")
def test_aurora_ct_print_ae_opens_one_association() -> None:
    st = parse_statement(SAMPLES / "aurora-ct-128.pdf", use_cache=False)
    assert st.max_associations_initiated.value == 6  # type: ignore[union-attr]  # p. 4, product-wide
    limits = _limits(st)
    assert limits["PRINT"] == 1 and limits["STORAGE-SCU"] == 2
    prov = next(ae for ae in st.aes if ae.name == "PRINT").max_associations_initiated.provenance  # type: ignore[union-attr]
    assert prov.page == 11 and "Table 4.2-23" in prov.section


# ------------------------------------------------------------------------ budget
def _scanner(print_limit: int | None, *, product: int = 6, overview: bool = True) -> Statement:
    """A modality with a STORE AE (limit 4) and a PRINT AE, plus (optionally) an overview
    table read as a product-wide AE without a limit of its own."""
    prov = Provenance("scanner.md", line=1, text="limit")
    store = ApplicationEntity(
        "STORE",
        capabilities=[cap(CT, "SCU", direction=Direction.INITIATE), cap(COMMITMENT, "SCU", [IVLE])],
        max_associations_initiated=Fact(4, prov),
    )
    printer = ApplicationEntity(
        "PRINT",
        capabilities=[cap(GRAY_PRINT, "SCU", [IVLE])],
        max_associations_initiated=Fact(print_limit, Provenance("scanner.md", page=11, text="PRINT AE: 1"))
        if print_limit is not None
        else None,
    )
    st = stmt("scanner.md", cap(CT, "SCU"), cap(GRAY_PRINT, "SCU"), cap(COMMITMENT, "SCU"))
    st.aes = ([st.aes[0]] if overview else []) + [store, printer]
    st.max_associations_initiated = Fact(product, prov)
    return st


def _printer(accepts: int = 2) -> Statement:
    return stmt("printer.md", cap(GRAY_PRINT, "SCP", [IVLE]), max_associations_accepted=accepts)


SITE = [device("CT", "modality"), device("PRINTER", "printer")]
PRINT = [("CT", "PRINTER", "print")]


def test_print_link_budget_uses_the_print_ae_limit() -> None:
    a = run(SITE, {"CT": _scanner(1), "PRINTER": _printer(2)}, PRINT)
    assert not rules(a, "association-budget")


def test_print_ae_limit_above_the_printer_limit_is_reported_citing_that_ae() -> None:
    f = only(run(SITE, {"CT": _scanner(3), "PRINTER": _printer(2)}, PRINT), "association-budget")
    assert f.severity is Severity.DEGRADING and "Up to 3 associations" in f.title
    ct = [e for e in f.evidence if e.device == "CT"]
    assert len(ct) == 1 and "PRINT AE" in ct[0].claim and ct[0].provenance.page == 11  # type: ignore[union-attr]


def test_without_a_limit_on_the_carrying_ae_the_product_figure_counts() -> None:
    f = only(run(SITE, {"CT": _scanner(None), "PRINTER": _printer(2)}, PRINT), "association-budget")
    assert "Up to 6 associations" in f.title


def test_product_wide_cap_still_applies_to_per_ae_sums() -> None:
    st = _scanner(3, product=2)
    assert not rules(run(SITE, {"CT": st, "PRINTER": _printer(2)}, PRINT), "association-budget")


def test_store_and_commitment_to_one_archive_count_the_store_ae_once() -> None:
    devices = [device("CT", "modality"), device("PACS", "archive")]
    links = [("CT", "PACS", "store"), ("CT", "PACS", "commitment")]
    sts = {"CT": _scanner(1), "PACS": archive(max_associations_accepted=4)}
    assert not rules(run(devices, sts, links), "association-budget")
    sts["PACS"] = archive(max_associations_accepted=3)
    assert "Up to 4" in only(run(devices, sts, links), "association-budget").title


# ------------------------------------------------------------- per AE, per peer (issue 17, item 3)
STUDY_FIND = "1.2.840.10008.5.1.4.1.2.2.1"
MPPS, MWL = "1.2.840.10008.3.1.2.3.3", "1.2.840.10008.5.1.4.31"


def _two_ae_archive(store_limit: int = 10, product: int = 20, per_peer: int | None = None) -> Statement:
    """An archive whose STORE-SCP AE accepts ``store_limit`` and whose QR-SCP AE accepts 10."""
    prov = Provenance("pacs.md", line=5, text="Number of associations")
    st = stmt("pacs.md", cap(CT, "SCP"), cap(STUDY_FIND, "SCP", [IVLE]), max_associations_accepted=product)
    st.aes = [
        ApplicationEntity(
            "STORE-SCP",
            capabilities=[cap(CT, "SCP")],
            max_associations_accepted=Fact(store_limit, prov),
            max_associations_accepted_per_peer=Fact(per_peer, prov) if per_peer else None,
        ),
        ApplicationEntity(
            "QR-SCP", capabilities=[cap(STUDY_FIND, "SCP", [IVLE])], max_associations_accepted=Fact(10, prov)
        ),
    ]
    return st


def _ct(source: str, initiated: int) -> Statement:
    return stmt(
        source,
        cap(CT, "SCU"),
        cap(MPPS, "SCU", [IVLE]),
        cap(MWL, "SCU", [IVLE]),
        max_associations_initiated=initiated,
    )


def _site(n: int) -> list:
    return [*(device(f"CT{i}", "modality") for i in range(1, n + 1)), device("PACS", "archive")]


def test_load_goes_to_the_ae_that_carries_the_links() -> None:
    """Three modalities storing 4 each overflow a storage AE of 10 though the product accepts 20."""
    sts = {f"CT{i}": _ct(f"ct{i}.md", 4) for i in (1, 2, 3)} | {"PACS": _two_ae_archive()}
    links = [(f"CT{i}", "PACS", "store") for i in (1, 2, 3)]
    f = only(run(_site(3), sts, links), "association-budget")
    assert (f.severity, f.source, f.service) == (Severity.DEGRADING, "PACS", "associations")
    assert "STORE-SCP AE" in f.title and "Up to 12" in f.title and "accepts 10" in f.title
    sts["PACS"] = _two_ae_archive(store_limit=12)
    assert not rules(run(_site(3), sts, links), "association-budget")


def test_per_peer_limit_is_compared_per_initiator_never_summed() -> None:
    links = [(f"CT{i}", "PACS", "store") for i in (1, 2, 3)]
    sts = {f"CT{i}": _ct(f"ct{i}.md", 3) for i in (1, 2, 3)} | {"PACS": _two_ae_archive(per_peer=3)}
    assert not rules(run(_site(3), sts, links), "association-peer-limit")  # 9 in all, 3 each
    sts["CT2"] = _ct("ct2.md", 5)
    f = only(run(_site(3), sts, links), "association-peer-limit")
    assert (f.severity, f.source, f.target) == (Severity.DEGRADING, "CT2", "PACS")
    assert "5 associations" in f.title and "accepts 3 from one peer" in f.title


def test_storage_concurrency_is_not_charged_to_the_mpps_link() -> None:
    """A modality that opens 6 storage associations reports MPPS and queries the worklist one at a time."""
    devices = [device("CT1", "modality"), device("CT2", "modality"), device("RIS", "worklist")]
    ris = stmt("ris.md", cap(MWL, "SCP", [IVLE]), cap(MPPS, "SCP", [IVLE]), max_associations_accepted=4)
    sts = {"CT1": _ct("ct1.md", 6), "CT2": _ct("ct2.md", 6), "RIS": ris}
    links = [(c, "RIS", s) for c in ("CT1", "CT2") for s in ("worklist", "mpps")]
    assert not rules(run(devices, sts, links), "association-budget")  # 2 x (1 + 1), not 2 x 6
    sts["RIS"] = stmt(
        "ris.md", cap(MWL, "SCP", [IVLE]), cap(MPPS, "SCP", [IVLE]), max_associations_accepted=3
    )
    assert "Up to 4" in only(run(devices, sts, links), "association-budget").title


def test_an_initiators_limit_per_destination_caps_its_load() -> None:
    ct = _ct("ct1.md", 6)
    ct.max_associations_initiated_per_peer = Fact(
        2, Provenance("ct1.md", line=3, text="at most 2 per destination")
    )
    pacs = archive(max_associations_accepted=3)
    a = run(_site(1), {"CT1": ct, "PACS": pacs}, [("CT1", "PACS", "store")])
    assert not rules(a, "association-budget")


# ------------------------------------------------------------------- per-peer limits, extraction
PEER_STATEMENT = """# Acme PACS DICOM Conformance Statement

Product Name: Acme PACS

## 4.2 AE Specifications

### 4.2.1 STORE-SCP AE Specification

| SOP Class Name | SOP Class UID | SCU | SCP |
|---|---|---|---|
| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 | No | Yes |

#### 4.2.1.1 Number of Associations

{sentence}

### 4.2.2 QR-SCP AE Specification

| SOP Class Name | SOP Class UID | SCU | SCP |
|---|---|---|---|
| Study Root Query/Retrieve Information Model - FIND | 1.2.840.10008.5.1.4.1.2.2.1 | No | Yes |

## 7 Security

| Parameter | Value |
|---|---|
| Max connections per IP address | 10 |
"""


def _parse_peer(tmp_path: Path, sentence: str) -> Statement:
    path = tmp_path / "acme.md"
    path.write_text(PEER_STATEMENT.format(sentence=sentence), encoding="utf-8")
    return parse_statement(path, use_cache=False)


def test_per_peer_limits_are_read_apart_from_the_total(tmp_path: Path) -> None:
    st = _parse_peer(
        tmp_path,
        "The AE accepts up to 20 simultaneous associations in total, and at most 3 simultaneous "
        "associations from a given SCU.",
    )
    store = next(ae for ae in st.aes if ae.name == "STORE-SCP")
    assert store.max_associations_accepted is not None and store.max_associations_accepted.value == 20
    peer = store.max_associations_accepted_per_peer
    assert peer is not None and peer.value == 3 and "4.2.1.1" in peer.provenance.section  # type: ignore[union-attr]
    qr = next(ae for ae in st.aes if ae.name == "QR-SCP")
    assert qr.max_associations_accepted_per_peer is None
    # the table row in the security section is the product's own limit per IP address
    assert (
        st.max_associations_accepted_per_peer is not None
        and st.max_associations_accepted_per_peer.value == 10
    )


def test_a_per_peer_figure_is_not_kept_as_the_total(tmp_path: Path) -> None:
    st = _parse_peer(
        tmp_path, "The STORE-SCP AE accepts at most 3 simultaneous associations from a given SCU."
    )
    store = next(ae for ae in st.aes if ae.name == "STORE-SCP")
    assert store.max_associations_accepted is None and store.max_associations_accepted_per_peer.value == 3  # type: ignore[union-attr]
    assert st.max_associations_accepted is None


def test_an_initiators_limit_per_destination(tmp_path: Path) -> None:
    st = _parse_peer(tmp_path, "The AE opens no more than 2 associations to any one destination AE.")
    store = next(ae for ae in st.aes if ae.name == "STORE-SCP")
    assert store.max_associations_initiated_per_peer is not None
    assert store.max_associations_initiated_per_peer.value == 2
    assert store.max_associations_accepted_per_peer is None


def test_per_peer_limits_round_trip_through_json(tmp_path: Path) -> None:
    st = _parse_peer(tmp_path, "At most 3 simultaneous associations are accepted from a given calling AE.")
    again = Statement.from_dict(st.to_dict())
    assert again == st


@pytest.mark.parametrize(
    ("sentence", "accepted", "initiated"),
    [
        ("At most 3 simultaneous associations are accepted from a given SCU.", 3, None),
        ("Maximum number of associations per IP address: 10", 10, None),
        ("The AE initiates no more than 2 associations to any one destination.", None, 2),
        ("up to four concurrent connections per calling AE title", 4, None),
        # totals over all peers are not per-peer limits
        ("The AE accepts up to 10 simultaneous associations from remote AEs.", None, None),
        ("Maximum number of simultaneous associations accepted from all SCUs: 10", None, None),
        (
            "It can initiate associations to a given C-MOVE destination up to the maximum configured.",
            None,
            None,
        ),
    ],
)
def test_per_peer_phrasings(sentence: str, accepted: int | None, initiated: int | None) -> None:
    from conformance.document import Document, Line
    from conformance.extract.peer_limits import find_peer_limits

    doc = Document("x.txt", "text", blocks=[Line(sentence, line=7)])
    st = Statement(source="x.txt")
    got = find_peer_limits(doc, st)
    assert st.max_associations_accepted_per_peer is None  # the input is left alone
    for fact, want in (
        (got.max_associations_accepted_per_peer, accepted),
        (got.max_associations_initiated_per_peer, initiated),
    ):
        assert (fact.value if fact else None) == want
        assert fact is None or (fact.provenance is not None and fact.provenance.line == 7)
