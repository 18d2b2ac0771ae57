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
