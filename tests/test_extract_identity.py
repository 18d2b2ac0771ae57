"""Product identity (vendor, name, version) in the ways statements state it.

Each statement below is written for this test in one presentation style: labelled front
matter (joined Markdown bold labels, RST field lists with substitution placeholders, list
items), "Field | Value" and "Company | Product | Version" tables, titles, sentences,
languages other than English, PDF title pages and running headers/footers. The expected
identity is what a careful reader writes down; where the statement does not say, or says
it only through a placeholder, the field must stay empty.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from conformance.model import Statement
from conformance.parsers import parse_statement

# a service, so that every statement is a statement (identity is read regardless)
SERVICES = """
## 3 Networking

The STORE-SCP AE accepts associations as an SCP for the following SOP class:

| SOP Class Name | SOP Class UID | Role |
|---|---|---|
| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 | SCP |
"""


def _parse(tmp_path: Path, name: str, text: str) -> Statement:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_statement(path, use_cache=False)


def _identity(st: Statement) -> tuple[str | None, str | None, str | None]:
    return (
        st.vendor.value if st.vendor else None,
        st.product.value if st.product else None,
        st.version.value if st.version else None,
    )


CASES: dict[str, tuple[str, str, tuple[str | None, str | None, str | None]]] = {
    # Markdown bold labels on consecutive lines: the reader joins them into one line
    "md-bold-labels": (
        "statement.md",
        "# DICOM Conformance Statement\n\n"
        "**Manufacturer:** Nordlicht Medizintechnik GmbH\n"
        "**Product Name:** VistaScan Pro\n"
        "**Software Version:** 3.2.1 SP2\n"
        "**Document Revision:** 4\n"
        "**Date:** 2025-01-10\n" + SERVICES,
        ("Nordlicht Medizintechnik GmbH", "VistaScan Pro", "3.2.1 SP2"),
    ),
    # the version line is the document's revision only: no product version
    "md-doc-version-only": (
        "statement.md",
        "# Orbis Gateway – DICOM Conformance Statement\n\n"
        "**Document Version:** 7\n**DICOM Version:** 3.0\n**Standard:** DICOM PS3.2 2024b\n" + SERVICES,
        (None, "Orbis Gateway", None),
    ),
    # RST field list whose values are substitutions: only the vendor is stated
    "rst-substitutions": (
        "statement.rst",
        "DICOM Conformance Statement |product|\n"
        "#####################################\n\n"
        ":Company Name: Helix Labs\n:Product Name: |product|\n:Version: |version|\n:Date: |today|\n\n"
        "Overview\n========\n\n|product| is an archive.\n",
        ("Helix Labs", None, None),
    ),
    # list items with a placeholder version and a remark after the product
    "md-list-items": (
        "statement.md",
        "# DICOM Conformance Statement\n\n## Document Information\n\n"
        "- Product Name: Corvus Router (internal build)\n- Version: TBD\n- Manufacturer: Corvus Health Ltd.\n"
        + SERVICES,
        ("Corvus Health Ltd.", "Corvus Router", None),
    ),
    # a two-column table anywhere near the start, after a revision history table
    "md-field-value-table": (
        "statement.md",
        "# DICOM Conformance Statement — Pallas RIS v2\n\n## 1 Revision History\n\n"
        "| Version | Date | Change |\n|---|---|---|\n| 0.9 | 2024-01-01 | Draft |\n"
        "| 1.0 | 2024-03-01 | Issued |\n\n"
        "## 2 Implementation Information\n\n"
        "| Parameter | Value |\n|---|---|\n| Vendor | Pallas Informatics |\n| Product Name | Pallas RIS |\n"
        "| Product Version | 2.4.0 |\n| License | Proprietary |\n" + SERVICES,
        ("Pallas Informatics", "Pallas RIS", "2.4.0"),
    ),
    # a header table: labels in the first row, values in the second
    "md-header-table": (
        "statement.md",
        "# Conformance Statement\n\n| Company Name | Product Name | Version |\n|---|---|---|\n"
        "| Meridian Diagnostics | Atlas Viewer | 5.0.2 |\n" + SERVICES,
        ("Meridian Diagnostics", "Atlas Viewer", "5.0.2"),
    ),
    # title only, version in the title
    "md-title-version": (
        "statement.md",
        "# Orion PACS v4.1 DICOM Conformance Statement\n\nOrion PACS stores images.\n" + SERVICES,
        (None, "Orion PACS", "4.1"),
    ),
    # a sentence names the product with its acronym; the title says nothing more
    "txt-sentence": (
        "statement.txt",
        "DICOM CONFORMANCE STATEMENT\n\n1 INTRODUCTION\n\n"
        "This document is the DICOM Conformance Statement for the Image Routing Engine (IRE). "
        "IRE forwards images.\n" + SERVICES,
        (None, "Image Routing Engine (IRE)", None),
    ),
    # a sentence that is no name: nothing rather than garbage
    "txt-sentence-garbage": (
        "statement.txt",
        "1 INTRODUCTION\n\nThis is the DICOM Conformance Statement for the software produced by Foo "
        "including the tools,\nand the services it offers.\n" + SERVICES,
        (None, None, None),
    ),
    # German front matter
    "md-german": (
        "statement.md",
        "# DICOM-Konformitätserklärung\n\n**Hersteller:** Bergmann Bildgebung AG\n"
        "**Produktname:** Lumis Befundstation\n**Softwareversion:** 8.1\n**Datum:** 01.02.2025\n" + SERVICES,
        ("Bergmann Bildgebung AG", "Lumis Befundstation", "8.1"),
    ),
    # Portuguese table
    "md-portuguese": (
        "statement.md",
        "# Declaração de Conformidade DICOM\n\n| Campo | Valor |\n|---|---|\n| Fabricante | Radiosul Ltda |\n"
        "| Nome do Produto | Radiosul PACS |\n| Versão | 3.0 |\n| Data | 2025-02-02 |\n" + SERVICES,
        ("Radiosul Ltda", "Radiosul PACS", "3.0"),
    ),
    # Spanish labels, French title
    "md-spanish": (
        "statement.md",
        "# Declaración de Conformidad DICOM\n\n- Fabricante: Imagen Andina S.A.\n"
        "- Nombre del producto: Condor Visor\n- Versión: 1.2\n" + SERVICES,
        ("Imagen Andina S.A.", "Condor Visor", "1.2"),
    ),
    "md-french": (
        "statement.md",
        "# Déclaration de conformité DICOM pour Azur Station\n\nFabricant : Azur Imagerie SAS\n\n"
        "Version du logiciel : 6.3\n" + SERVICES,
        ("Azur Imagerie SAS", "Azur Station", "6.3"),
    ),
    # a bare title heading with the product heading after it and "Vendor / Product" below
    "md-bare-title-pair": (
        "statement.md",
        "# DICOM Conformance Statement\n\n# Lyra Web Viewer\n\nQuillon Software / Lyra Web Viewer\n\n"
        "March 3, 2025\n\n## 1 Introduction\n\nThe viewer shows images.\n" + SERVICES,
        ("Quillon Software", "Lyra Web Viewer", None),
    ),
    # copyright at the end names the vendor
    "md-copyright": (
        "statement.md",
        "# Tessera Archive DICOM Conformance Statement\n\nVersion 2.2\n"
        + SERVICES
        + "\n\n© 2025 Tessera Medical Inc. All rights reserved.\n",
        ("Tessera Medical Inc.", "Tessera Archive", "2.2"),
    ),
}


CASES.update(
    {
        # an old centred text title page: the reader joins it into one paragraph line
        "txt-centred-title": (
            "statement.txt",
            "                 Lumos Corporation\n          DICOM Conformance Statement\n"
            "             Lumos CT Scanner\n               Version 2.3\n\n1. INTRODUCTION\n\n"
            "The scanner sends images.\n" + SERVICES,
            ("Lumos Corporation", "Lumos CT Scanner", "2.3"),
        ),
        "html-title-copyright": (
            "statement.html",
            "<html><head><title>Nimbus PACS</title></head><body>"
            "<h1>Nimbus PACS 7.2 DICOM Conformance Statement</h1>"
            "<p>Copyright &copy; 2023 Nimbus Imaging LLC</p>"
            "<h2>1 Introduction</h2><p>Nimbus PACS stores images.</p></body></html>",
            ("Nimbus Imaging LLC", "Nimbus PACS", "7.2"),
        ),
        # another product's statement cited, a platform labelled "System": neither is this product
        "md-no-identity": (
            "statement.md",
            "# Introduction\n\nFor the archive, see the DICOM Conformance Statement of the Zeta Archive.\n\n"
            "# Networking\n\nSystem: Windows Server 2019\n\nSoftware: Java 17\n" + SERVICES,
            (None, None, None),
        ),
        "md-portuguese-bold": (
            "statement.md",
            "# Declaração de Conformidade DICOM\n\n**Empresa:** Saúde Digital S.A.\n**Produto:** Atlas RIS\n"
            "**Versão:** 2.1\n\n## 1 Introdução\n" + SERVICES,
            ("Saúde Digital S.A.", "Atlas RIS", "2.1"),
        ),
        "md-german-title": (
            "statement.md",
            "# DICOM Konformitätserklärung für MedView Pro 5.2\n\nHersteller: Alpen Medical GmbH\n\n"
            "Dokumentversion: 3\n" + SERVICES,
            ("Alpen Medical GmbH", "MedView Pro", "5.2"),
        ),
        # "the conformance of X to the standard", in a sentence of the introduction only
        "txt-conformance-of": (
            "statement.txt",
            "1 INTRODUCTION\n\nThis document describes the DICOM conformance of the Orion Workstation "
            "to the DICOM standard.\n" + SERVICES,
            (None, "Orion Workstation", None),
        ),
        "md-german-sentence": (
            "statement.md",
            "# Einleitung\n\nDieses Dokument beschreibt die Konformität der MedView Station mit DICOM.\n"
            + SERVICES,
            (None, "MedView Station", None),
        ),
        # one label for name and version; text quoted from the standard carries NEMA's copyright
        "md-name-and-version-label": (
            "statement.md",
            "# DICOM Conformance Statement\n\nProduct name and version: Helios MR R5.6\n\n"
            "Excerpts of PS3.2 are reproduced with permission, © NEMA 2024.\n" + SERVICES,
            (None, "Helios MR", "R5.6"),
        ),
    }
)


# held-out styles: labels the reader does not know, marks and standard names in titles, subtitles,
# fuller names in the first sentence, a byline under a bare title, titles in other languages
CASES.update(
    {
        # Portuguese bold labels with hard line breaks; "Versão de referência" is no listed label
        "md-unknown-label-pt": (
            "statement.md",
            "# Declaração de Conformidade DICOM — Farol Gateway\n\n**Produto:** FAROL GATEWAY CLINICO  \n"
            "**Versão de referência:** 2.3.0 (pré-lançamento)  \n"
            "**Estado:** rascunho técnico; não substitui validação.\n" + SERVICES,
            (None, "FAROL GATEWAY CLINICO", "2.3.0"),
        ),
        # several labels on one line, some unknown and in sentence case: each value ends at the next
        "txt-unknown-labels-one-line": (
            "statement.txt",
            "DICOM CONFORMANCE STATEMENT\n\nProduct: Kite Relay Build identifier: KR-2231 "
            "Software Release: Version 4.0.2 Release notes: see annex\n\n1 INTRODUCTION\n\n"
            "The relay forwards images.\n" + SERVICES,
            (None, "Kite Relay", "4.0.2"),
        ),
        # "Software Name" and "Software Release: Version X" beside a "Document Release Date"
        "md-software-release": (
            "statement.md",
            "# DICOM Conformance Statement\n\n**Document Title:** DICOM Conformance Statement for Tern Labs "
            "Bridge  \n**Software Name:** `tern-bridge`  \n**Software Release:** Version 0.7.1  \n"
            "**Document Release Date:** 2026-01-01  \n**Document Identifier:** TB-DCS-3\n" + SERVICES,
            (None, "tern-bridge", "0.7.1"),
        ),
        # a trademark sign and the standard's part in the title; an adjective before "Conformance
        # Statement" in the subtitle is no product; a release baseline names product and version
        "md-title-trademark-subtitle": (
            "statement.md",
            "# Quillfeather™ Suite DICOM PS 3.2 Conformance Statement\n"
            "## Normative Conformance Statement for Remote Reading Workflows\n\n"
            "**Document Identifier:** QF-DCS-1  \n"
            "**Software Release Baseline:** Quillfeather Suite v2.4.0-beta2 (Submission Baseline 2)  \n"
            "**Conformance Class:** DICOM PS 3.2 Normative Conformance\n\n"
            "## 1. Overview\n\nQuillfeather® Suite plans reading sessions.\n" + SERVICES,
            (None, "Quillfeather Suite", "2.4.0-beta2"),
        ),
        # the title alone: no trademark sign, no "DICOM PS 3.2"; the subtitle's adjective is no name
        "md-title-standard-part": (
            "statement.md",
            "# Wrenfield™ Hub DICOM PS 3.2 Conformance Statement\n"
            "## Normative Conformance Statement for Home Reading\n\nWrenfield Hub shows images.\n" + SERVICES,
            (None, "Wrenfield Hub", None),
        ),
        # the title's short name, the full name in the first sentence; a status after the version
        "md-fuller-name-in-sentence": (
            "statement.md",
            "# ZRX DICOM Conformance Statement\n\n**Document ID**: ZRX-DCS-9  \n"
            "**Version**: 3.1.0 (Released)  \n**Date**: 2026-02-02\n\n## 1. Overview\n\n"
            "This DICOM Conformance Statement describes the DICOM capabilities of the "
            "**ZRX Dose Reporting Engine** (`zrx.so` v3.1.x).\n\nZRX is a library.\n" + SERVICES,
            (None, "ZRX Dose Reporting Engine", "3.1.0"),
        ),
        # a sentence adds a generic word to the name its heading states without it
        "md-generic-word": (
            "statement.md",
            "# DICOM Conformance Statement\n\n## Harbor Archive\n\n**Version**: 2.0.0\n\n"
            "This document describes the DICOM conformance of the Harbor Archive application.\n" + SERVICES,
            (None, "Harbor Archive", "2.0.0"),
        ),
        # ... but a word of the name stays when nothing names the product without it
        "md-product-word-kept": (
            "statement.md",
            "# Introduction\n\nThis document describes the DICOM conformance of the Lumen Application "
            "Server.\n" + SERVICES,
            (None, "Lumen Application Server", None),
        ),
        "md-title-german-dash": (
            "statement.md",
            "# Konformitätserklärung — Falke Befundung\n\nDie Station zeigt Bilder.\n" + SERVICES,
            (None, "Falke Befundung", None),
        ),
        "md-title-spanish-dash": (
            "statement.md",
            "# Declaración de Conformidad DICOM — Puma RIS 2.2\n\nEl sistema guarda imágenes.\n" + SERVICES,
            (None, "Puma RIS", "2.2"),
        ),
        "md-title-french-dash": (
            "statement.md",
            "# Déclaration de conformité DICOM — Héron PACS\n\nLe système archive les images.\n" + SERVICES,
            (None, "Héron PACS", None),
        ),
        # an italic byline under a bare title names product and version
        "md-byline": (
            "statement.md",
            "# DICOM conformance statement\n\n"
            "*Marmot DICOM Viewer 3.4.1 for iOS. Last updated 2 May 2026.*\n\n"
            "This statement describes which objects Marmot reads.\n" + SERVICES,
            (None, "Marmot DICOM Viewer", "3.4.1"),
        ),
        # a reference or a revision under a bare title is no byline
        "md-no-byline": (
            "statement.md",
            "# DICOM Conformance Statement\n\nTable 1.2 lists the services of the archive.\n\n"
            "## 1 Introduction\n\nRevision 2.3 of June 2020.\n" + SERVICES,
            (None, None, None),
        ),
        # a version's own qualifier stays, the next (unknown) label does not run in
        "txt-version-qualifier": (
            "statement.txt",
            "DICOM CONFORMANCE STATEMENT\n\nProduct: Gannet Viewer Build identifier: GV-5 Version: 3.0 Rev B "
            "Date: 2020-01-01\n\n1 INTRODUCTION\n\nThe viewer shows images.\n" + SERVICES,
            (None, "Gannet Viewer", "3.0 Rev B"),
        ),
        # the versions a statement covers, with a remark that has a semicolon in it
        "md-versions-covered": (
            "statement.md",
            "# DICOM Conformance Statement\n\n**Product:** Heron Capture (iPadOS)  \n"
            "**Document version:** 1.0  \n"
            "**Software versions covered:** `2.1.x` (pilot builds; the Implementation Version Name may "
            "still read HC_2_0)  \n**Date:** 2026-03-01\n" + SERVICES,
            (None, "Heron Capture", "2.1.x"),
        ),
        # no title names the product; the first sentence says whose capabilities it describes
        "md-capabilities-of": (
            "statement.md",
            "# DICOM Interface\n\nThe following reference describes the connectivity capabilities of "
            "Osprey Imaging SDK out of the box.\nUsers of the SDK must update their own statement.\n"
            + SERVICES,
            (None, "Osprey Imaging SDK", None),
        ),
        # ... a section about one of its AEs is not the product
        "md-capabilities-of-ae": (
            "statement.md",
            "# Networking\n\nThis section describes the capabilities of the Storage SCP AE.\n" + SERVICES,
            (None, None, None),
        ),
    }
)


@pytest.mark.parametrize("case", sorted(CASES))
def test_identity_in_text_statements(tmp_path: Path, case: str) -> None:
    name, text, expected = CASES[case]
    st = _parse(tmp_path, name, text)
    assert _identity(st) == expected
    for fact in (st.vendor, st.product, st.version):
        if fact is not None:  # every identity fact cites the line it was read from
            assert fact.provenance is not None and fact.provenance.text
            assert fact.provenance.line is not None


def _pdf(path: Path, pages: list[list[str]], header: str, footer: str) -> Path:
    """A PDF with the given body lines per page and a running header and footer on every page."""
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    for number, lines in enumerate(pages, start=1):
        if header:
            c.setFont("Helvetica", 8)
            c.drawString(50, height - 30, header)
        c.setFont("Helvetica", 8)
        if footer:
            c.drawString(50, 25, footer)
        c.drawString(width - 80, 25, f"Page {number}")
        y = height - 80
        for text in lines:
            big = text.startswith("#")
            c.setFont("Helvetica-Bold" if big else "Helvetica", 16 if big else 10)
            c.drawString(50, y, text.lstrip("# "))
            y -= 24 if big else 14
        c.showPage()
    c.save()
    return path


BODY = [
    "# 1 Introduction",
    "The product stores CT images on request of a modality.",
    "# 2 Networking",
    "The STORE-SCP AE accepts CT Image Storage 1.2.840.10008.5.1.4.1.1.2 as an SCP.",
]


def test_pdf_running_header_and_copyright_footer(tmp_path: Path) -> None:
    """The title page is a picture (no text); the running header and footer say who and what."""
    path = _pdf(
        tmp_path / "acme.pdf",
        [["# DICOM Conformance Statement", "Document ACM-DCS-0042 Rev. B"], BODY[:2], BODY[2:], ["Annex"]],
        "ACME CT 2.0 DICOM Conformance Statement",
        "© 2024 Acme Medical Inc. All rights reserved.",
    )
    st = parse_statement(path, use_cache=False)
    assert _identity(st) == ("Acme Medical Inc.", "ACME CT", "2.0")
    assert st.product is not None and st.product.provenance is not None
    assert st.product.provenance.page == 1 and "ACME CT 2.0" in st.product.provenance.text


def test_pdf_title_page_beats_header(tmp_path: Path) -> None:
    """A title page with the product heading, its version line and a 'Vendor - Product' header."""
    path = _pdf(
        tmp_path / "vela.pdf",
        [
            ["# Vela Ultrasound 9", "DICOM Conformance Statement", "Version 9.2.1", "12 May 2024"],
            BODY[:2],
            BODY[2:],
        ],
        "Sirius Sonics - Vela Ultrasound 9 - DICOM Conformance Statement",
        "",
    )
    expected = ("Sirius Sonics", "Vela Ultrasound 9", "9.2.1")
    assert _identity(parse_statement(path, use_cache=False)) == expected


def test_tool_manual_page(tmp_path: Path) -> None:
    """A tool's manual page titled by its command, run as 'python -m pkg command'."""
    text = (
        "=======\nechoscu\n=======\n\n.. code-block:: text\n\n"
        "    $ python -m toolkit echoscu [options] addr port\n\n"
        "Description\n===========\nThe ``echoscu`` application implements a Service Class User (SCU) for the "
        "Verification service class.\n"
    )
    st = _parse(tmp_path, "echoscu.rst", text)
    assert _identity(st) == (None, "toolkit echoscu", None)


def test_tool_manual_page_with_usage_line(tmp_path: Path) -> None:
    """An older manual page: a usage line under the title and a prompt 'user@host:' in the example."""
    text = (
        "=======\nechoscp\n=======\n    ``echoscp [options] port``\n\n"
        "Description\n===========\nThe ``echoscp`` application implements a Service Class Provider (SCP) for "
        "the Verification service class.\n\n::\n\n   user@host: echoscp 11112\n"
    )
    st = _parse(tmp_path, "echoscp.rst", text)
    assert _identity(st) == (None, "echoscp", None)


PDF_CASES: dict[str, tuple[list[list[str]], str, str, tuple[str | None, str | None, str | None]]] = {
    # a brand line on the title page, the product over a bare title; the footer repeats the brand
    "brand-title-page": (
        [
            [
                "GE-Style Healthcare",
                "Technical Publications",
                "Direction 5339405-1EN",
                "# Vivid Q9 v206",
                "# DICOM CONFORMANCE STATEMENT",
                "Copyright 2018 by Generic Electric Co.",
            ],
            BODY[:2],
            BODY[2:],
        ],
        "",
        "GE-Style Healthcare Vivid Q9 DICOM Conformance Statement 5339405-1EN Rev 3",
        ("GE-Style Healthcare", "Vivid Q9", "206"),
    ),
    # a title set over two lines; the vendor only in the copyright lines
    "two-line-title": (
        [
            [
                "# DICOM Conformance",
                "# Statement",
                "# IntelliView Portal 12",
                "Document Number: ICAP-0012345",
            ],
            BODY[:2],
            BODY[2:],
        ],
        "",
        "© Koninklijke Voorbeeld N.V. 2020 All rights are reserved.",
        ("Koninklijke Voorbeeld N.V.", "IntelliView Portal 12", None),
    ),
    # a version code without dots, stated by a label and repeated in the title
    "labelled-version-code": (
        [
            [
                "# syngo.demo VB40A",
                "# DICOM Conformance Statement",
                "Sample Healthcare GmbH",
                "Software Version: VB40A",
            ],
            BODY[:2],
            BODY[2:],
        ],
        "DICOM Conformance Statement syngo.demo VB40A",
        "© Sample Healthcare GmbH, 2019",
        ("Sample Healthcare GmbH", "syngo.demo", "VB40A"),
    ),
    # a pre-2008 title page: company, product, a bare title, the document's revision (no version)
    "old-title-page": (
        [
            [
                "Borealis Corporation",
                "# Borealis MR Scanner",
                "# DICOM 3.0 Conformance Statement",
                "Revision 2.3",
                "June 1999",
            ],
            BODY[:2],
            BODY[2:],
        ],
        "",
        "",
        ("Borealis Corporation", "Borealis MR Scanner", None),
    ),
    # "for" on a line of its own between the title and the product; the company after the product
    "title-for-product": (
        [
            ["# DICOM Conformance Statement", "for", "# Kestrel Workstation", "Kestrel Imaging Ltd."],
            BODY[:2],
            BODY[2:],
        ],
        "",
        "",
        ("Kestrel Imaging Ltd.", "Kestrel Workstation", None),
    ),
    # the company in a footer beside other words, the product in the header
    "footer-company-with-remark": (
        [["# DICOM Conformance Statement", "Document DCS-77"], BODY[:2], BODY[2:]],
        "Tern Archive 6.1 DICOM Conformance Statement",
        "Tern Systems GmbH – Confidential",
        ("Tern Systems GmbH", "Tern Archive", "6.1"),
    ),
    # an empty cover page: the title page is the first page with text
    "blank-cover": (
        [[], ["# Kite Archive 3.1", "# DICOM Conformance Statement"], BODY[:2], BODY[2:]],
        "",
        "",
        (None, "Kite Archive", "3.1"),
    ),
}


@pytest.mark.parametrize("case", sorted(PDF_CASES))
def test_identity_in_pdf_title_pages(tmp_path: Path, case: str) -> None:
    pages, header, footer, expected = PDF_CASES[case]
    st = parse_statement(_pdf(tmp_path / f"{case}.pdf", pages, header, footer), use_cache=False)
    assert _identity(st) == expected
    for fact in (st.vendor, st.product, st.version):
        if fact is not None:
            assert fact.provenance is not None and fact.provenance.page is not None
