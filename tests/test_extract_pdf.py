"""Extraction from PDFs the test builds: references across pages, page citations, prose policies."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

from conformance.facts import to_facts
from conformance.parsers import parse_statement

STYLES = getSampleStyleSheet()
GRID = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")])
ILE, ELE, BE = "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2"
CT, MR, VERIFY = "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.1.1"


def _h(text: str) -> Paragraph:
    return Paragraph(text, STYLES["Heading2"])


def _p(text: str) -> Paragraph:
    return Paragraph(text, STYLES["BodyText"])


def _build(path: Path) -> Path:
    story = [
        _h("1 Introduction"),
        _p("This document is the DICOM conformance statement of the Acme Tester 2.0."),
        _h("2 AE Specification"),
        _h("2.1 Association Establishment Policies"),
        _h("2.1.1 Number of Associations"),
        _p("The Tester initiates at most 2 associations and accepts up to 8 associations."),
        _h("2.1.2 Implementation Identifying Information"),
        _p(
            "The Implementation Class UID is 1.2.826.0.1.3680043.9.1234.2 and the Implementation Version "
            "Name is ACME_TEST_20."
        ),
        _h("2.1.3 Transfer Syntaxes"),
        _p("Table 3 Transfer Syntaxes"),
        Table(
            [
                ["Name", "UID"],
                ["Implicit VR Little Endian", ILE],
                ["Explicit VR Little Endian", ELE],
                ["Explicit VR Big Endian", BE],
            ],
            style=GRID,
        ),
        PageBreak(),
        _h("2.2 Association Initiation and Acceptance Policy"),
        _p("Table 4 Presentation Contexts"),
        Table(
            [
                ["Abstract Syntax Name", "Abstract Syntax UID", "Transfer Syntax", "Role"],
                ["Verification SOP Class", VERIFY, "All Transfer Syntaxes of Table 3", "SCU & SCP"],
                ["CT Image Storage", CT, "All Transfer Syntaxes of Table 3", "SCP"],
            ],
            style=GRID,
        ),
        PageBreak(),
        _p("Table 5 More Presentation Contexts"),
        Table(
            [
                ["Abstract Syntax Name", "Abstract Syntax UID", "Transfer Syntax", "Role"],
                ["MR Image Storage", MR, "Implicit VR Little Endian", "SCU"],
            ],
            style=GRID,
        ),
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def test_pdf_table_reference_roles_pages_and_prose_scalars(tmp_path: Path) -> None:
    st = parse_statement(_build(tmp_path / "tester.pdf"), use_cache=False)
    facts = to_facts(st)
    services = {(s["sop_class_uid"], s["role"]): s for s in facts["services"]}
    all_ts = sorted([ILE, ELE, BE])
    assert set(services) == {(VERIFY, "SCU"), (VERIFY, "SCP"), (CT, "SCP"), (MR, "SCU")}
    assert services[(VERIFY, "SCU")]["transfer_syntaxes"] == all_ts  # "All Transfer Syntaxes of Table 3"
    assert services[(CT, "SCP")]["transfer_syntaxes"] == all_ts
    assert services[(MR, "SCU")]["transfer_syntaxes"] == [ILE]
    # each service cites the page of the row that states it
    assert services[(CT, "SCP")]["pages"] == [2]
    assert services[(MR, "SCU")]["pages"] == [3]
    assert facts["max_associations"] == {"initiated": 2, "accepted": 8}
    assert facts["implementation_class_uid"] == "1.2.826.0.1.3680043.9.1234.2"
    assert facts["implementation_version_name"] == "ACME_TEST_20"
