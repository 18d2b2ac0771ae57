"""Regenerate the sample PDF conformance statements shipped in ``statements/``.

    python statements/make_samples.py [--out statements]

Two fictional products, written the way real vendors write them:

* ``aurora-ct-128.pdf``: Meridian Imaging Systems "Aurora CT 128" 4.2, a CT scanner in the
  PS3.2 (2008+) template layout: cover, Conformance Statement Overview with the Network
  Services table, Networking (implementation model, one AE specification per AE,
  presentation-context tables that span pages with a repeated header), network
  interfaces, configuration, character sets, security and annexes.
* ``haloarchive-3.6.pdf``: Halcyon Data Systems "HaloArchive" 3.6, a PACS archive in the
  older (pre-2008) layout: Introduction numbered 1, "AE Specifications" with
  "Association Establishment Policies" / "Association Initiation Policy" /
  "Association Acceptance Policy", presentation-context tables with
  Abstract Syntax | Transfer Syntax | Role | Ext. Neg. columns, some ruled only
  horizontally.

The deliberate gaps between these and the text samples are listed in README.md. The
output is byte-for-byte reproducible (reportlab ``invariant=1``: fixed dates and IDs), so
re-running the script on an unchanged file leaves git clean.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

LOGGER = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent

# ----------------------------------------------------------------------------- UIDs
# Transfer syntaxes: (name as printed, UID)
ILE = ("Implicit VR Little Endian", "1.2.840.10008.1.2")
ELE = ("Explicit VR Little Endian", "1.2.840.10008.1.2.1")
EBE = ("Explicit VR Big Endian", "1.2.840.10008.1.2.2")
JPEG_BASE = ("JPEG Baseline (Process 1)", "1.2.840.10008.1.2.4.50")
JPEG_EXT = ("JPEG Extended (Process 2 & 4)", "1.2.840.10008.1.2.4.51")
JPEG_LL = (
    "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 SV1)",
    "1.2.840.10008.1.2.4.70",
)
J2K_LL = ("JPEG 2000 Image Compression (Lossless Only)", "1.2.840.10008.1.2.4.90")
J2K = ("JPEG 2000 Image Compression", "1.2.840.10008.1.2.4.91")
RLE = ("RLE Lossless", "1.2.840.10008.1.2.5")

# SOP classes: (name as printed, UID)
VERIFICATION = ("Verification", "1.2.840.10008.1.1")
CT = ("CT Image Storage", "1.2.840.10008.5.1.4.1.1.2")
ENH_CT = ("Enhanced CT Image Storage", "1.2.840.10008.5.1.4.1.1.2.1")
DOSE_SR = ("X-Ray Radiation Dose SR Storage", "1.2.840.10008.5.1.4.1.1.88.67")
SC = ("Secondary Capture Image Storage", "1.2.840.10008.5.1.4.1.1.7")
GSPS = ("Grayscale Softcopy Presentation State Storage", "1.2.840.10008.5.1.4.1.1.11.1")
KOS = ("Key Object Selection Document Storage", "1.2.840.10008.5.1.4.1.1.88.59")
PDF = ("Encapsulated PDF Storage", "1.2.840.10008.5.1.4.1.1.104.1")
RAW = ("Raw Data Storage", "1.2.840.10008.5.1.4.1.1.66")
COMMIT = ("Storage Commitment Push Model", "1.2.840.10008.1.20.1")
MWL = ("Modality Worklist Information Model – FIND", "1.2.840.10008.5.1.4.31")
MPPS = ("Modality Performed Procedure Step", "1.2.840.10008.3.1.2.3.3")
SR_FIND = ("Study Root Query/Retrieve Information Model – FIND", "1.2.840.10008.5.1.4.1.2.2.1")
SR_MOVE = ("Study Root Query/Retrieve Information Model – MOVE", "1.2.840.10008.5.1.4.1.2.2.2")
PR_FIND = ("Patient Root Query/Retrieve Information Model – FIND", "1.2.840.10008.5.1.4.1.2.1.1")
PR_MOVE = ("Patient Root Query/Retrieve Information Model – MOVE", "1.2.840.10008.5.1.4.1.2.1.2")
PRINT_META = ("Basic Grayscale Print Management Meta", "1.2.840.10008.5.1.1.9")
FILM_SESSION = ("Basic Film Session", "1.2.840.10008.5.1.1.1")
FILM_BOX = ("Basic Film Box", "1.2.840.10008.5.1.1.2")
GRAY_BOX = ("Basic Grayscale Image Box", "1.2.840.10008.5.1.1.4")
PRINTER = ("Printer", "1.2.840.10008.5.1.1.16")
CR = ("Computed Radiography Image Storage", "1.2.840.10008.5.1.4.1.1.1")
DX = ("Digital X-Ray Image Storage – For Presentation", "1.2.840.10008.5.1.4.1.1.1.1")
MG = ("Digital Mammography X-Ray Image Storage – For Presentation", "1.2.840.10008.5.1.4.1.1.1.2")
MR = ("MR Image Storage", "1.2.840.10008.5.1.4.1.1.4")
ENH_MR = ("Enhanced MR Image Storage", "1.2.840.10008.5.1.4.1.1.4.1")
US = ("Ultrasound Image Storage", "1.2.840.10008.5.1.4.1.1.6.1")
US_MF = ("Ultrasound Multi-frame Image Storage", "1.2.840.10008.5.1.4.1.1.3.1")
XA = ("X-Ray Angiographic Image Storage", "1.2.840.10008.5.1.4.1.1.12.1")
RF = ("X-Ray Radiofluoroscopic Image Storage", "1.2.840.10008.5.1.4.1.1.12.2")
NM = ("Nuclear Medicine Image Storage", "1.2.840.10008.5.1.4.1.1.20")
PET = ("Positron Emission Tomography Image Storage", "1.2.840.10008.5.1.4.1.1.128")
BASIC_SR = ("Basic Text SR Storage", "1.2.840.10008.5.1.4.1.1.88.11")
ENH_SR = ("Enhanced SR Storage", "1.2.840.10008.5.1.4.1.1.88.22")
COMP_SR = ("Comprehensive SR Storage", "1.2.840.10008.5.1.4.1.1.88.33")

CT_IMPL_UID = "2.25.238801542379126638016551702513.4.2"
CT_IMPL_VERSION = "AURORA_CT_4.2"
HALO_IMPL_UID = "2.25.118042776310928871566012.3.6.0"
HALO_IMPL_VERSION = "HALOARC_360"

# ---------------------------------------------------------------------------- styles
_BASE = getSampleStyleSheet()
BODY = ParagraphStyle(
    "body", parent=_BASE["Normal"], fontName="Helvetica", fontSize=9.5, leading=12.5, spaceAfter=5
)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=8, leading=10, spaceAfter=0)
CELL_HEAD = ParagraphStyle("cellhead", parent=CELL, fontName="Helvetica-Bold")
CAPTION = ParagraphStyle(
    "caption", parent=BODY, fontName="Helvetica-Bold", fontSize=8.5, spaceBefore=4, spaceAfter=3
)
H = {
    1: ParagraphStyle(
        "h1", parent=BODY, fontName="Helvetica-Bold", fontSize=14, leading=18, spaceBefore=10, spaceAfter=6
    ),
    2: ParagraphStyle(
        "h2", parent=BODY, fontName="Helvetica-Bold", fontSize=12, leading=15, spaceBefore=8, spaceAfter=4
    ),
    3: ParagraphStyle(
        "h3", parent=BODY, fontName="Helvetica-Bold", fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=3
    ),
    4: ParagraphStyle(
        "h4",
        parent=BODY,
        fontName="Helvetica-BoldOblique",
        fontSize=9.5,
        leading=12,
        spaceBefore=5,
        spaceAfter=2,
    ),
}
for _style in H.values():
    _style.keepWithNext = 1  # never leave a heading alone at the foot of a page
TITLE = ParagraphStyle(
    "title",
    parent=BODY,
    fontName="Helvetica-Bold",
    fontSize=24,
    leading=30,
    alignment=TA_CENTER,
    spaceAfter=14,
)
SUBTITLE = ParagraphStyle("subtitle", parent=BODY, fontSize=14, leading=18, alignment=TA_CENTER, spaceAfter=8)


def heading(text: str) -> Paragraph:
    """A numbered heading; its level is the number of dotted components."""
    number = text.split(" ", 1)[0]
    level = min(4, number.rstrip(".").count(".") + 1) if number[:1].isdigit() else 1
    return Paragraph(escape(text), H[level])


def para(text: str) -> Paragraph:
    return Paragraph(escape(text), BODY)


def bullets(items: Sequence[str]) -> list[Paragraph]:
    return [Paragraph("• " + escape(item), BODY) for item in items]


def caption(text: str) -> Paragraph:
    return Paragraph(escape(text), CAPTION)


def _cell(value: object, style: ParagraphStyle) -> Paragraph:
    text = str(value)
    return Paragraph("<br/>".join(escape(part) for part in text.split("\n")), style)


def table(
    header: Sequence[Sequence[str]],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    *,
    ruling: str = "grid",
    spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
) -> Table:
    """A table with ``len(header)`` header rows repeated on every page it spans.

    ``ruling="grid"`` draws every cell border (PS3.2 style); ``"horizontal"`` draws only
    horizontal rules, as many older vendor documents do.
    """
    data = [[_cell(c, CELL_HEAD) for c in row] for row in header]
    data += [[_cell(c, CELL) for c in row] for row in rows]
    t = Table(data, colWidths=[w * cm for w in widths], repeatRows=len(header))
    style: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("BACKGROUND", (0, 0), (-1, len(header) - 1), colors.Color(0.88, 0.9, 0.94)),
    ]
    if ruling == "grid":
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    else:
        style += [
            ("LINEABOVE", (0, 0), (-1, 0), 1.0, colors.black),
            ("LINEBELOW", (0, len(header) - 1), (-1, len(header) - 1), 0.8, colors.black),
            ("LINEBELOW", (0, len(header)), (-1, -1), 0.3, colors.grey),
            ("LINEBELOW", (0, -1), (-1, -1), 1.0, colors.black),
        ]
    style += [("SPAN", a, b) for a, b in spans]
    t.setStyle(TableStyle(style))
    t.spaceAfter = 6
    return t


def ts_cells(syntaxes: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """Transfer-syntax name list and UID list cells, one syntax per line."""
    return "\n".join(n for n, _ in syntaxes), "\n".join(u for _, u in syntaxes)


def context_rows(
    entries: Sequence[tuple[tuple[str, str], Sequence[tuple[str, str]], str, str]],
) -> list[list[str]]:
    """PS3.2 presentation-context rows: name, UID, TS names, TS UIDs, role, ext. neg."""
    rows = []
    for (name, uid), syntaxes, role, ext in entries:
        names, ts_uids = ts_cells(syntaxes)
        rows.append([name, uid, names, ts_uids, role, ext])
    return rows


PC_HEADER = [
    ["Presentation Context Table", "", "", "", "", ""],
    ["Abstract Syntax", "", "Transfer Syntax", "", "Role", "Extended Negotiation"],
    ["Name", "UID", "Name List", "UID List", "", ""],
]
PC_WIDTHS = [3.1, 4.1, 3.6, 3.2, 1.0, 2.0]
PC_SPANS = [((0, 0), (5, 0)), ((0, 1), (1, 1)), ((2, 1), (3, 1)), ((4, 1), (4, 2)), ((5, 1), (5, 2))]


def pc_table(
    entries: Sequence[tuple[tuple[str, str], Sequence[tuple[str, str]], str, str]],
    *,
    spans_pages: bool = False,
) -> Table:
    t = table(PC_HEADER, context_rows(entries), PC_WIDTHS, spans=PC_SPANS)
    t.spans_pages = spans_pages  # the caption may stay behind when the table starts on a new page
    return t


def sop_table(rows: Sequence[tuple[tuple[str, str], str, str]]) -> Table:
    return table(
        [["SOP Class Name", "SOP Class UID", "SCU", "SCP"]],
        [[n, u, scu, scp] for (n, u), scu, scp in rows],
        [7.6, 5.6, 1.5, 1.5],
    )


def assoc_table(label: str, value: str) -> Table:
    return table([["Parameter", "Value"]], [[label, value]], [11.0, 5.0])


# ---------------------------------------------------------------------- page frames
class _Frame:
    """Running header and footer drawn on every page but the cover."""

    def __init__(self, header: str, footer: str) -> None:
        self.header = header
        self.footer = footer

    def cover(self, canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawCentredString(A4[0] / 2, 1.2 * cm, self.footer)
        canvas.restoreState()

    def page(self, canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2 * cm, A4[1] - 1.2 * cm, self.header)
        canvas.line(2 * cm, A4[1] - 1.35 * cm, A4[0] - 2 * cm, A4[1] - 1.35 * cm)
        canvas.drawString(2 * cm, 1.2 * cm, self.footer)
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"Page {doc.page}")
        canvas.restoreState()


def _keep_captions(story: list) -> list:
    """Keep each caption on the page of its table, except for tables meant to span pages."""
    out: list = []
    i = 0
    while i < len(story):
        item = story[i]
        nxt = story[i + 1] if i + 1 < len(story) else None
        is_caption = isinstance(item, Paragraph) and item.style is CAPTION
        small = isinstance(nxt, Table) and len(nxt._cellvalues) <= 12
        if is_caption and small and not getattr(nxt, "spans_pages", False):
            out.append(KeepTogether([item, nxt]))
            i += 2
            continue
        out.append(item)
        i += 1
    return out


def build(path: Path, story: list, *, title: str, author: str, frame: _Frame) -> None:
    story = _keep_captions(story)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=title,
        author=author,
        creator="statements/make_samples.py",
        invariant=1,
    )
    doc.build(story, onFirstPage=frame.cover, onLaterPages=frame.page)
    LOGGER.info("wrote %s", path)


def flow_diagram(boxes: Sequence[tuple[str, str, str]]) -> Drawing:
    """Application data flow: local activity -> AE box -> remote activity, one row each."""
    height = 1.3 * cm * len(boxes) + 0.4 * cm
    d = Drawing(17 * cm, height)
    for i, (local, ae, remote) in enumerate(boxes):
        y = height - (i + 1) * 1.3 * cm
        d.add(String(0.2 * cm, y + 0.45 * cm, local, fontName="Helvetica", fontSize=8))
        d.add(Line(4.6 * cm, y + 0.5 * cm, 5.8 * cm, y + 0.5 * cm))
        d.add(Rect(5.8 * cm, y, 4.4 * cm, 1.0 * cm, fillColor=colors.Color(0.93, 0.95, 1.0)))
        d.add(String(6.0 * cm, y + 0.4 * cm, ae, fontName="Helvetica-Bold", fontSize=8))
        d.add(Line(10.2 * cm, y + 0.5 * cm, 11.4 * cm, y + 0.5 * cm, strokeDashArray=[3, 2]))
        d.add(String(11.6 * cm, y + 0.45 * cm, remote, fontName="Helvetica", fontSize=8))
    return d


# ================================================================= Aurora CT (PS3.2)
CT_STORAGE_TS = [J2K_LL, ELE, ILE]  # preferred first: lossless JPEG 2000
CT_ENHANCED_TS = [J2K_LL, J2K]  # multi-frame objects are only sent compressed
CT_PLAIN_TS = [ELE, ILE]


def aurora_ct() -> list:
    s: list = []
    # -- cover ----------------------------------------------------------------------
    s += [
        Spacer(1, 4 * cm),
        Paragraph("DICOM Conformance Statement", TITLE),
        Paragraph("Aurora CT 128", SUBTITLE),
        Paragraph("Software Version 4.2", SUBTITLE),
        Spacer(1, 2 * cm),
        para("Manufacturer: Meridian Imaging Systems"),
        para("Product Name: Aurora CT 128"),
        para("Software Version: 4.2"),
        para("Document Number: MIS-DCS-2210, Revision C"),
        para("Date: 2026-03-16"),
        Spacer(1, 1 * cm),
        para(
            "Meridian Imaging Systems is a fictional company. This document is a sample written for the "
            "conformance project; any resemblance to a real product is coincidental."
        ),
        PageBreak(),
    ]
    # -- 1 overview -----------------------------------------------------------------
    s += [
        heading("1 Conformance Statement Overview"),
        para(
            "The Aurora CT 128 is a multi-slice computed tomography scanner. It acquires CT images, "
            "Enhanced CT multi-frame images and X-Ray Radiation Dose Structured Reports, and sends them "
            "to a storage destination such as a PACS. It queries a Modality Worklist provider for "
            "scheduled procedures, reports the performed procedure step, requests storage commitment "
            "for the images it has sent, prints films on a DICOM printer and, with the Query/Retrieve "
            "option, retrieves prior studies for comparison."
        ),
        para(
            "By default the Aurora CT 128 compresses images with lossless JPEG 2000 before sending. "
            "Enhanced CT multi-frame images are only ever sent JPEG 2000 compressed (lossless or lossy, "
            "see 4.2.1.3.1): a storage destination must accept JPEG 2000 to receive them."
        ),
        caption("Table 1-1 Network Services"),
        table(
            [["SOP Classes", "User of Service (SCU)", "Provider of Service (SCP)"]],
            [
                ["Transfer", "", ""],
                [CT[0], "Yes", "Option"],
                [ENH_CT[0], "Yes", "Option"],
                [DOSE_SR[0], "Yes", "No"],
                [SC[0], "Yes", "Option"],
                [GSPS[0], "Yes", "No"],
                [KOS[0], "Yes", "No"],
                [PDF[0], "Yes", "No"],
                [RAW[0], "Yes", "No"],
                ["Query/Retrieve", "", ""],
                [SR_FIND[0], "Option", "No"],
                [SR_MOVE[0], "Option", "No"],
                ["Workflow Management", "", ""],
                [MWL[0], "Yes", "No"],
                [MPPS[0], "Yes", "No"],
                [COMMIT[0], "Yes", "No"],
                ["Print Management", "", ""],
                [PRINT_META[0], "Yes", "No"],
                ["Verification", "", ""],
                [VERIFICATION[0], "Yes", "Yes"],
            ],
            [9.5, 3.3, 3.3],
        ),
        Spacer(1, 6),
        para(
            "Option: the Query/Retrieve option (licence MIS-QR-01) adds the QUERY-RETRIEVE AE, which "
            "queries and retrieves prior studies and accepts the retrieved CT, Enhanced CT and "
            "Secondary Capture images as a Storage SCP."
        ),
        caption("Table 1-2 Media Services"),
        table(
            [["Media Storage Application Profile", "Write Files (FSC or FSU)", "Read Files (FSR)"]],
            [
                ["Compact Disk - Recordable", "", ""],
                ["General Purpose CD-R", "Yes", "No"],
                ["DVD", "", ""],
                ["General Purpose DVD with Compression (JPEG 2000)", "Yes", "No"],
                ["USB and Flash Memory", "", ""],
                ["General Purpose USB Media", "Option", "No"],
            ],
            [9.5, 3.3, 3.3],
        ),
        PageBreak(),
    ]
    # -- 2 contents / 3 introduction -------------------------------------------------
    s += [
        heading("2 Table of Contents"),
        para(
            "1 Conformance Statement Overview; 2 Table of Contents; 3 Introduction; 4 Networking; "
            "5 Media Interchange; 6 Support of Character Sets; 7 Security; 8 Annexes."
        ),
        heading("3 Introduction"),
        heading("3.1 Revision History"),
        table(
            [["Document Version", "Date of Issue", "Author", "Description"]],
            [
                ["A", "2025-05-02", "Meridian Imaging Systems", "Initial release for software 4.0"],
                ["B", "2025-11-20", "Meridian Imaging Systems", "Software 4.1: Enhanced CT, Dose SR"],
                ["C", "2026-03-16", "Meridian Imaging Systems", "Software 4.2: IPv6, TLS option"],
            ],
            [3.0, 2.8, 4.4, 5.9],
        ),
        heading("3.2 Audience"),
        para(
            "This document is written for the people who integrate medical devices: hospital IT staff, "
            "PACS administrators and integration engineers. It assumes a working knowledge of DICOM."
        ),
        heading("3.3 Remarks"),
        para(
            "This statement, together with the statements of other equipment, is a first step in "
            "assessing interoperability. It does not guarantee that two devices interoperate: the "
            "user should test the connection in the target network before clinical use."
        ),
        heading("3.4 Terms and Definitions"),
        para(
            "Abstract Syntax: the information agreed to be exchanged between applications, generally "
            "equivalent to a Service/Object Pair (SOP) Class. Application Entity (AE): an end point of a "
            "DICOM information exchange. Association: a network communication channel set up between "
            "Application Entities. Presentation Context: the set of DICOM network services used over an "
            "association, as negotiated between Application Entities; includes Abstract Syntaxes and "
            "Transfer Syntaxes. Transfer Syntax: the encoding used for exchange of DICOM information "
            "objects and messages."
        ),
        heading("3.5 Abbreviations"),
        para(
            "AE Application Entity; CT Computed Tomography; DHCP Dynamic Host Configuration Protocol; "
            "IOD Information Object Definition; MPPS Modality Performed Procedure Step; MWL Modality "
            "Worklist; PDU Protocol Data Unit; SCP Service Class Provider; SCU Service Class User; "
            "SOP Service-Object Pair; SR Structured Report; TLS Transport Layer Security."
        ),
        heading("3.6 References"),
        para("NEMA PS3 Digital Imaging and Communications in Medicine (DICOM) Standard, current edition."),
        PageBreak(),
    ]
    # -- 4 networking ----------------------------------------------------------------
    s += [
        heading("4 Networking"),
        heading("4.1 Implementation Model"),
        heading("4.1.1 Application Data Flow"),
        para(
            "The Aurora CT 128 software hosts five Application Entities. The diagram shows each local "
            "real-world activity, the AE that performs it and the remote activity it talks to."
        ),
        flow_diagram(
            [
                ("Send images / reports", "STORAGE-SCU AE", "Remote Storage SCP"),
                ("Storage commitment", "STORAGE-SCU AE", "Remote Commitment SCP"),
                ("Update worklist", "WORKLIST AE", "Remote Worklist SCP"),
                ("Acquisition start / end", "MPPS AE", "Remote MPPS SCP"),
                ("Query / retrieve priors", "QUERY-RETRIEVE AE", "Remote Q/R SCP"),
                ("Film printing", "PRINT AE", "Remote Print SCP"),
            ]
        ),
        caption("Figure 4.1-1 Application Data Flow Diagram"),
        heading("4.1.2 Functional Definition of AEs"),
        heading("4.1.2.1 Functional Definition of STORAGE-SCU Application Entity"),
        para(
            "The STORAGE-SCU AE sends the images and reports of a completed series to the configured "
            "archive and, when enabled, requests storage commitment for them. It also answers "
            "Verification requests and receives the storage commitment result when the archive sends "
            "it on a separate association."
        ),
        heading("4.1.2.2 Functional Definition of WORKLIST Application Entity"),
        para(
            "The WORKLIST AE queries the worklist provider when the user opens the patient list or "
            "every 5 minutes in the background (configurable)."
        ),
        heading("4.1.2.3 Functional Definition of MPPS Application Entity"),
        para(
            "The MPPS AE creates a Modality Performed Procedure Step when the first scan starts and "
            "completes or discontinues it when the user closes the examination."
        ),
        heading("4.1.2.4 Functional Definition of QUERY-RETRIEVE Application Entity"),
        para(
            "Option. The QUERY-RETRIEVE AE queries a remote archive at study level and retrieves "
            "selected prior studies to the scanner with C-MOVE, naming itself as move destination."
        ),
        heading("4.1.2.5 Functional Definition of PRINT Application Entity"),
        para("The PRINT AE prints film sheets composed in the filming application on a grayscale printer."),
        heading("4.1.3 Sequencing of Real-World Activities"),
        para(
            "The MPPS N-CREATE is sent when the first scan starts. Images are sent while the "
            "examination is in progress (auto-send after each reconstruction) and the MPPS N-SET "
            "COMPLETED is sent when the user closes the examination. Storage commitment is requested "
            "5 minutes after the last image of the examination was sent successfully."
        ),
        heading("4.2 AE Specifications"),
        para(
            "In total the Aurora CT 128 initiates at most 6 simultaneous associations and accepts at "
            "most 3 simultaneous associations, over all of its Application Entities."
        ),
        heading("4.2.1 STORAGE-SCU AE Specification"),
        heading("4.2.1.1 SOP Classes"),
        para("The STORAGE-SCU AE provides Standard Conformance to the following SOP Classes:"),
        caption("Table 4.2-1 SOP Classes for STORAGE-SCU AE"),
        sop_table(
            [
                (CT, "Yes", "No"),
                (ENH_CT, "Yes", "No"),
                (DOSE_SR, "Yes", "No"),
                (SC, "Yes", "No"),
                (GSPS, "Yes", "No"),
                (KOS, "Yes", "No"),
                (PDF, "Yes", "No"),
                (RAW, "Yes", "No"),
                (COMMIT, "Yes", "No"),
                (VERIFICATION, "Yes", "Yes"),
            ]
        ),
        PageBreak(),
        heading("4.2.1.2 Association Policies"),
        heading("4.2.1.2.1 General"),
        para("The DICOM standard Application Context Name for DICOM 3.0 is always proposed:"),
        table([["Application Context Name", "1.2.840.10008.3.1.1.1"]], [], [8.0, 8.0]),
        para("The maximum PDU size the STORAGE-SCU AE can receive is 65536 bytes (configurable)."),
        heading("4.2.1.2.2 Number of Associations"),
        caption("Table 4.2-2 Number of Associations as an Association Initiator for STORAGE-SCU AE"),
        assoc_table("Maximum number of simultaneous associations", "2"),
        caption("Table 4.2-3 Number of Associations as an Association Acceptor for STORAGE-SCU AE"),
        assoc_table("Maximum number of simultaneous associations", "1"),
        para(
            "One association is opened per storage destination; the second one is used for storage "
            "commitment requests."
        ),
        heading("4.2.1.2.3 Asynchronous Nature"),
        para(
            "The STORAGE-SCU AE does not support asynchronous operations (maximum number of outstanding "
            "operations: 1)."
        ),
        heading("4.2.1.2.4 Implementation Identifying Information"),
        caption("Table 4.2-4 DICOM Implementation Class and Version for all AEs"),
        table(
            [["Implementation Class UID", CT_IMPL_UID], ["Implementation Version Name", CT_IMPL_VERSION]],
            [],
            [8.0, 8.0],
        ),
        heading("4.2.1.3 Association Initiation Policy"),
        heading("4.2.1.3.1 Activity – Send Images and Reports"),
        heading("4.2.1.3.1.1 Description and Sequencing of Activities"),
        para(
            "After each reconstruction the series is queued for every configured storage destination "
            "(auto-send), or the user selects series in the browser and chooses Send. One association "
            "is opened per destination and all queued instances are sent on it. If an instance fails, "
            "the job is retried 3 times with 60 s between retries (configurable), then marked failed "
            "in the job queue, where the user can restart it."
        ),
        caption("Table 4.2-5 Proposed Presentation Contexts for Activity Send Images and Reports"),
        pc_table(
            [
                (CT, CT_STORAGE_TS, "SCU", "None"),
                (ENH_CT, CT_ENHANCED_TS, "SCU", "None"),
                (DOSE_SR, CT_PLAIN_TS, "SCU", "None"),
                (SC, CT_STORAGE_TS, "SCU", "None"),
                (GSPS, CT_PLAIN_TS, "SCU", "None"),
                (KOS, CT_PLAIN_TS, "SCU", "None"),
                (PDF, CT_PLAIN_TS, "SCU", "None"),
                (RAW, [ELE, ILE], "SCU", "None"),
                (VERIFICATION, [ILE], "SCU", "None"),
            ],
            spans_pages=True,
        ),
        para(
            "The AE proposes one presentation context per SOP class with the transfer syntaxes listed "
            "in Table 4.2-5, in order of preference. When the acceptor accepts several, the AE sends "
            "with the first accepted syntax of the list: images are sent lossless JPEG 2000 compressed "
            "whenever the destination accepts it. Enhanced CT Image Storage is proposed with JPEG 2000 only; "
            "an archive that does not accept JPEG 2000 cannot receive Enhanced CT images from the "
            "Aurora CT 128, which then falls back to no transfer and reports the series as failed."
        ),
        para(
            "Raw Data objects hold projection data for service use and are only sent to destinations "
            "of type Service Archive. X-Ray Radiation Dose SR and Encapsulated PDF dose reports are "
            "sent at the end of the examination."
        ),
        heading("4.2.1.3.1.2 SOP Specific Conformance for Storage SOP Classes"),
        para("The behaviour of the STORAGE-SCU AE on the status codes of a C-STORE response:"),
        caption("Table 4.2-6 STORAGE-SCU AE C-STORE Response Status Handling Behavior"),
        table(
            [["Service Status", "Further Meaning", "Error Code", "Behavior"]],
            [
                ["Success", "Success", "0000", "The instance is marked sent."],
                ["Refused", "Out of Resources", "A700-A7FF", "The job is retried, then marked failed."],
                ["Error", "Data Set does not match SOP Class", "A900-A9FF", "Marked failed; logged."],
                ["Error", "Cannot understand", "C000-CFFF", "Marked failed; logged."],
                ["Warning", "Coercion of Data Elements", "B000", "Marked sent; warning logged."],
                ["Warning", "Elements Discarded", "B006", "Marked sent; warning logged."],
                ["*", "Any other status code", "*", "Marked failed; logged."],
            ],
            [2.4, 5.0, 2.4, 6.3],
        ),
        heading("4.2.1.3.2 Activity – Request Storage Commitment"),
        heading("4.2.1.3.2.1 Description and Sequencing of Activities"),
        para(
            "When storage commitment is enabled for a destination, the AE sends an N-ACTION request "
            "listing the instances of the examination 5 minutes after they were all sent. The "
            "association is released after the N-ACTION response; the commitment result is expected "
            "on a separate association opened by the archive (see 4.2.1.4.1). Results that do not "
            "arrive within 24 hours (configurable) are reported to the user."
        ),
        caption("Table 4.2-7 Proposed Presentation Contexts for Activity Request Storage Commitment"),
        pc_table([(COMMIT, CT_PLAIN_TS, "SCU", "None")]),
        heading("4.2.1.4 Association Acceptance Policy"),
        heading("4.2.1.4.1 Activity – Receive Storage Commitment Response"),
        para(
            "The STORAGE-SCU AE accepts associations from the configured storage commitment providers "
            "to receive N-EVENT-REPORT messages. The requesting archive proposes the SCP role for the "
            "Storage Commitment Push Model SOP class through SCP/SCU Role Selection Negotiation; the "
            "STORAGE-SCU AE accepts it and keeps its own SCU role."
        ),
        caption(
            "Table 4.2-8 Accepted Presentation Contexts for Activity Receive Storage Commitment Response"
        ),
        pc_table([(COMMIT, CT_PLAIN_TS, "SCU", "Role Selection")]),
        heading("4.2.1.4.2 Activity – Verification"),
        caption("Table 4.2-9 Accepted Presentation Contexts for Activity Verification"),
        pc_table([(VERIFICATION, [ILE, ELE], "SCP", "None")]),
        PageBreak(),
        # -- WORKLIST AE --
        heading("4.2.2 WORKLIST AE Specification"),
        heading("4.2.2.1 SOP Classes"),
        caption("Table 4.2-10 SOP Classes for WORKLIST AE"),
        sop_table([(MWL, "Yes", "No")]),
        heading("4.2.2.2 Association Policies"),
        para("The maximum PDU size the WORKLIST AE can receive is 65536 bytes."),
        caption("Table 4.2-11 Number of Associations as an Association Initiator for WORKLIST AE"),
        assoc_table("Maximum number of simultaneous associations", "1"),
        para("The WORKLIST AE does not accept associations."),
        heading("4.2.2.3 Association Initiation Policy"),
        heading("4.2.2.3.1 Activity – Worklist Update"),
        para(
            "A C-FIND request for the Modality Worklist is sent with the matching keys of Table 4.2-13. "
            "The Specific Character Set (0008,0005) of the request is ISO_IR 100. Worklist responses in "
            "another character set are displayed as far as the Latin-1 repertoire allows; characters "
            "outside it are replaced by '?'."
        ),
        caption("Table 4.2-12 Proposed Presentation Contexts for Activity Worklist Update"),
        pc_table([(MWL, CT_PLAIN_TS, "SCU", "None")]),
        caption("Table 4.2-13 Worklist Matching Keys"),
        table(
            [["Module", "Attribute Name", "Tag", "Matching"]],
            [
                ["Scheduled Procedure Step", "Scheduled Station AE Title", "(0040,0001)", "Single value"],
                ["Scheduled Procedure Step", "Scheduled Procedure Step Start Date", "(0040,0002)", "Range"],
                ["Scheduled Procedure Step", "Modality", "(0008,0060)", "Single value (CT)"],
                ["Patient Identification", "Patient's Name", "(0010,0010)", "Wild card"],
                ["Patient Identification", "Patient ID", "(0010,0020)", "Single value"],
                ["Imaging Service Request", "Accession Number", "(0008,0050)", "Single value"],
            ],
            [4.6, 5.6, 2.4, 3.5],
        ),
        # -- MPPS AE --
        heading("4.2.3 MPPS AE Specification"),
        heading("4.2.3.1 SOP Classes"),
        caption("Table 4.2-14 SOP Classes for MPPS AE"),
        sop_table([(MPPS, "Yes", "No")]),
        heading("4.2.3.2 Association Policies"),
        caption("Table 4.2-15 Number of Associations as an Association Initiator for MPPS AE"),
        assoc_table("Maximum number of simultaneous associations", "1"),
        heading("4.2.3.3 Association Initiation Policy"),
        heading("4.2.3.3.1 Activity – Acquisition Start and End"),
        para(
            "An N-CREATE with status IN PROGRESS is sent when the first scan starts; an N-SET with "
            "status COMPLETED or DISCONTINUED is sent when the examination is closed."
        ),
        caption("Table 4.2-16 Proposed Presentation Contexts for Activity Acquisition Start and End"),
        pc_table([(MPPS, CT_PLAIN_TS, "SCU", "None")]),
        # -- QUERY-RETRIEVE AE --
        heading("4.2.4 QUERY-RETRIEVE AE Specification"),
        para("The QUERY-RETRIEVE AE is only present with the Query/Retrieve option."),
        heading("4.2.4.1 SOP Classes"),
        caption("Table 4.2-17 SOP Classes for QUERY-RETRIEVE AE"),
        sop_table(
            [
                (SR_FIND, "Option", "No"),
                (SR_MOVE, "Option", "No"),
                (CT, "No", "Option"),
                (ENH_CT, "No", "Option"),
                (SC, "No", "Option"),
            ]
        ),
        heading("4.2.4.2 Association Policies"),
        caption("Table 4.2-18 Number of Associations as an Association Initiator for QUERY-RETRIEVE AE"),
        assoc_table("Maximum number of simultaneous associations", "1"),
        caption("Table 4.2-19 Number of Associations as an Association Acceptor for QUERY-RETRIEVE AE"),
        assoc_table("Maximum number of simultaneous associations", "2"),
        heading("4.2.4.3 Association Initiation Policy"),
        heading("4.2.4.3.1 Activity – Query and Retrieve Prior Studies"),
        caption("Table 4.2-20 Proposed Presentation Contexts for Activity Query and Retrieve Prior Studies"),
        pc_table([(SR_FIND, CT_PLAIN_TS, "SCU", "None"), (SR_MOVE, CT_PLAIN_TS, "SCU", "None")]),
        heading("4.2.4.4 Association Acceptance Policy"),
        heading("4.2.4.4.1 Activity – Receive Retrieved Images"),
        para(
            "The AE accepts the C-STORE sub-operations of its own C-MOVE requests from the configured "
            "Q/R providers only."
        ),
        caption("Table 4.2-21 Accepted Presentation Contexts for Activity Receive Retrieved Images"),
        pc_table(
            [
                (CT, CT_STORAGE_TS, "SCP", "None"),
                (ENH_CT, [J2K_LL, J2K, ELE, ILE], "SCP", "None"),
                (SC, CT_STORAGE_TS, "SCP", "None"),
            ]
        ),
        # -- PRINT AE --
        heading("4.2.5 PRINT AE Specification"),
        heading("4.2.5.1 SOP Classes"),
        caption("Table 4.2-22 SOP Classes for PRINT AE"),
        sop_table(
            [
                (PRINT_META, "Yes", "No"),
                (FILM_SESSION, "Yes", "No"),
                (FILM_BOX, "Yes", "No"),
                (GRAY_BOX, "Yes", "No"),
                (PRINTER, "Yes", "No"),
            ]
        ),
        heading("4.2.5.2 Association Policies"),
        caption("Table 4.2-23 Number of Associations as an Association Initiator for PRINT AE"),
        assoc_table("Maximum number of simultaneous associations", "1"),
        heading("4.2.5.3 Association Initiation Policy"),
        heading("4.2.5.3.1 Activity – Film Printing"),
        caption("Table 4.2-24 Proposed Presentation Contexts for Activity Film Printing"),
        pc_table([(PRINT_META, [ILE], "SCU", "None")]),
        para("Film Session, Film Box, Grayscale Image Box and Printer are used through the meta SOP class."),
        heading("4.3 Network Interfaces"),
        heading("4.3.1 Physical Network Interface"),
        para("The Aurora CT 128 supports a single network interface: Ethernet 100/1000BASE-T (RJ45)."),
        heading("4.3.2 Additional Protocols"),
        table(
            [["Protocol", "Use", "Configurable"]],
            [
                ["DHCP", "Network address", "Yes (off by default)"],
                ["DNS", "Host names", "Yes"],
                ["NTP", "Time synchronization", "Yes"],
            ],
            [4.0, 7.0, 5.1],
        ),
        heading("4.3.3 IPv4 and IPv6 Support"),
        para(
            "This product supports both IPv4 and IPv6. IPv6 addresses are entered in the network "
            "configuration dialog; DHCPv6 is not used."
        ),
        heading("4.4 Configuration"),
        heading("4.4.1 AE Title/Presentation Address Mapping"),
        heading("4.4.1.1 Local AE Titles"),
        caption("Table 4.4-1 AE Title Configuration Table"),
        table(
            [["Application Entity", "Default AE Title", "Default TCP/IP Port"]],
            [
                ["STORAGE-SCU", "AURORA_CT", "104"],
                ["WORKLIST", "AURORA_CT", "-"],
                ["MPPS", "AURORA_CT", "-"],
                ["QUERY-RETRIEVE", "AURORA_QR", "4006"],
                ["PRINT", "AURORA_CT", "-"],
            ],
            [5.4, 5.4, 5.3],
        ),
        para("All local AE titles and the listening ports are configurable by the service engineer."),
        heading("4.4.1.2 Remote AE Title/Presentation Address Mapping"),
        para(
            "Storage destinations, the storage commitment provider, the worklist provider, the MPPS "
            "provider, Q/R providers and printers are configured with AE title, host name or IP "
            "address and port. Up to 8 storage destinations can be configured."
        ),
        heading("4.4.2 Parameters"),
        caption("Table 4.4-2 Configuration Parameters Table"),
        table(
            [["Parameter", "Configurable (Yes/No)", "Default Value"]],
            [
                ["General Parameters", "", ""],
                ["Time-out waiting for acceptance or rejection response (ARTIM)", "Yes", "30 s"],
                ["DIMSE response time-out", "Yes", "60 s"],
                ["Maximum PDU size the AEs can receive", "Yes", "65536 bytes"],
                ["Maximum PDU size the AEs can send", "No", "limited by the acceptor"],
                ["Storage Parameters", "", ""],
                ["Preferred transfer syntax", "Yes", "JPEG 2000 Lossless"],
                ["Number of retries", "Yes", "3"],
                ["Storage commitment delay", "Yes", "5 min"],
                ["Modality Worklist Parameters", "", ""],
                ["Background worklist query interval", "Yes", "5 min"],
            ],
            [9.0, 3.5, 3.6],
        ),
        heading("5 Media Interchange"),
        para("Media interchange is described in the separate Aurora CT 128 media statement MIS-DCS-2211."),
        heading("6 Support of Character Sets"),
        para(
            "The Aurora CT 128 supports the default character repertoire and Latin alphabet No. 1. "
            "Objects it creates carry the Specific Character Set of the worklist item they come from "
            "when it is one of these; other values are replaced by ISO_IR 100."
        ),
        caption("Table 6-1 Supported Specific Character Set Defined Terms"),
        table(
            [["Character Set Description", "Defined Term"]],
            [["Default repertoire", "none"], ["Latin alphabet No. 1", "ISO_IR 100"]],
            [9.0, 7.1],
        ),
        heading("7 Security"),
        heading("7.1 Security Profiles"),
        para(
            "As an option the Aurora CT 128 supports the BCP 195 TLS Secure Transport Connection "
            "Profile (TLS 1.2 and TLS 1.3) for all of its Application Entities. Certificates are "
            "installed by the service engineer; the default port for TLS connections is 2762."
        ),
        heading("7.2 Association Level Security"),
        para(
            "The STORAGE-SCU and QUERY-RETRIEVE AEs accept associations only from the remote AE titles "
            "that are configured (see 4.4.1.2)."
        ),
        heading("7.3 Application Level Security"),
        para("User log-in and role-based access are described in the product's security manual."),
        heading("8 Annexes"),
        heading("8.1 IOD Contents"),
        heading("8.1.1 Created SOP Instances"),
        caption("Table 8.1-1 IOD of Created CT Image SOP Instances"),
        table(
            [["IE", "Module", "Reference", "Presence of Module"]],
            [
                ["Patient", "Patient", "Table 8.1-3", "ALWAYS"],
                ["", "Clinical Trial Subject", "-", "NEVER"],
                ["Study", "General Study", "Table 8.1-4", "ALWAYS"],
                ["", "Patient Study", "-", "ALWAYS"],
                ["Series", "General Series", "Table 8.1-5", "ALWAYS"],
                ["Frame of Reference", "Frame of Reference", "-", "ALWAYS"],
                ["Equipment", "General Equipment", "Table 8.1-6", "ALWAYS"],
                ["Image", "General Image", "-", "ALWAYS"],
                ["", "Image Plane", "-", "ALWAYS"],
                ["", "Image Pixel", "-", "ALWAYS"],
                ["", "Contrast/Bolus", "-", "Only if contrast is used"],
                ["", "CT Image", "-", "ALWAYS"],
                ["", "VOI LUT", "-", "ALWAYS"],
                ["", "SOP Common", "-", "ALWAYS"],
            ],
            [3.4, 5.2, 3.4, 4.1],
        ),
        caption("Table 8.1-2 Attribute Mapping between Modality Worklist and Created Instances"),
        table(
            [["Modality Worklist", "Image IOD", "MPPS IOD"]],
            [
                ["Accession Number (0008,0050)", "Accession Number", "Accession Number"],
                ["Patient's Name (0010,0010)", "Patient's Name", "Patient's Name"],
                ["Patient ID (0010,0020)", "Patient ID", "Patient ID"],
                ["Study Instance UID (0020,000D)", "Study Instance UID", "Study Instance UID"],
                ["Requested Procedure ID (0040,1001)", "Requested Procedure ID", "Requested Procedure ID"],
                [
                    "Scheduled Procedure Step ID (0040,0009)",
                    "Scheduled Procedure Step ID",
                    "Scheduled Procedure Step ID",
                ],
                ["Specific Character Set (0008,0005)", "Specific Character Set", "Specific Character Set"],
            ],
            [6.2, 5.0, 4.9],
        ),
        heading("8.1.2 Usage of Attributes from Received IODs"),
        para(
            "Retrieved prior images are only displayed; none of their attributes are copied into "
            "created instances."
        ),
        heading("8.2 Data Dictionary of Private Attributes"),
        caption("Table 8.2-1 Private Attributes (creator MERIDIAN_CT_4)"),
        table(
            [["Tag", "Attribute Name", "VR", "VM"]],
            [
                ["(7005,0010)", "Private Creator Data Element", "LO", "1"],
                ["(7005,1001)", "Reconstruction Kernel Family", "SH", "1"],
                ["(7005,1002)", "Dose Modulation Curve Reference", "UI", "1"],
                ["(7005,1003)", "Detector Row Configuration", "US", "2"],
            ],
            [3.0, 8.1, 2.5, 2.5],
        ),
        heading("8.3 Coded Terminology and Templates"),
        para(
            "The X-Ray Radiation Dose SR follows TID 10011 CT Radiation Dose. Anatomic regions use "
            "CID 4030; no private coding schemes are used."
        ),
        heading("8.4 Grayscale Image Consistency"),
        para("The monitors of the console are calibrated to the Grayscale Standard Display Function."),
        heading("8.5 Standard Extended, Specialized and Private SOP Classes"),
        para("None."),
        heading("8.6 Private Transfer Syntaxes"),
        para("None."),
    ]
    return s


# ======================================================= HaloArchive (older layout)
HALO_STORE_TS = [ILE, ELE, JPEG_BASE, JPEG_EXT, JPEG_LL, RLE]
HALO_QR_TS = [ILE, ELE]
HALO_STORAGE = [
    CR,
    CT,
    ENH_CT,
    MR,
    ENH_MR,
    US,
    US_MF,
    SC,
    DX,
    MG,
    XA,
    RF,
    NM,
    PET,
    GSPS,
    KOS,
    BASIC_SR,
    ENH_SR,
    COMP_SR,
    DOSE_SR,
    PDF,
    RAW,
]


def _old_rows(classes: Sequence[tuple[str, str]], syntaxes: Sequence[tuple[str, str]], role: str) -> list:
    ts = "\n".join(f"{n} {u}" for n, u in syntaxes)
    return [[f"{name}\n{uid}", ts, role, "None"] for name, uid in classes]


OLD_HEADER = [["Abstract Syntax", "Transfer Syntax", "Role", "Ext. Neg."]]
OLD_WIDTHS = [5.6, 7.8, 1.3, 1.4]


def haloarchive() -> list:
    s: list = []
    s += [
        Spacer(1, 4 * cm),
        Paragraph("HaloArchive 3.6", TITLE),
        Paragraph("DICOM 3.0 Conformance Statement", SUBTITLE),
        Spacer(1, 1.5 * cm),
        para("Company: Halcyon Data Systems"),
        para("Product: HaloArchive"),
        para("Version: 3.6"),
        para("Document: HDS-DCS-0361, issue 2, June 2007"),
        Spacer(1, 1 * cm),
        para(
            "Halcyon Data Systems is a fictional company; this statement is a sample for the conformance "
            "project."
        ),
        PageBreak(),
        heading("1 Introduction"),
        heading("1.1 Scope"),
        para(
            "This document states the conformance of HaloArchive 3.6, a picture archiving and "
            "communication system (PACS) archive, to the DICOM 3.0 standard. HaloArchive stores "
            "images and reports received from modalities and workstations, commits their storage, "
            "and answers queries and retrieve requests."
        ),
        heading("1.2 Definitions and Abbreviations"),
        para(
            "AE Application Entity; DIMSE DICOM Message Service Element; PDU Protocol Data Unit; "
            "Q/R Query/Retrieve; SCP Service Class Provider; SCU Service Class User; SOP Service Object "
            "Pair; TCP/IP Transmission Control Protocol / Internet Protocol."
        ),
        heading("1.3 References"),
        para(
            "ACR-NEMA Digital Imaging and Communications in Medicine (DICOM) V3.0, NEMA PS3.1-PS3.18, 2007."
        ),
        heading("2 Implementation Model"),
        para(
            "HaloArchive consists of one DICOM server process that hosts a single Application Entity, "
            "HALO_ARCHIVE, for all DICOM services."
        ),
        heading("2.1 Application Data Flow Diagram"),
        flow_diagram(
            [
                ("Remote Storage SCU", "HALO_ARCHIVE AE", "Image database"),
                ("Remote Commitment SCU", "HALO_ARCHIVE AE", "Commitment results"),
                ("Remote Q/R SCU", "HALO_ARCHIVE AE", "Query / retrieve"),
                ("Remote Verification SCU", "HALO_ARCHIVE AE", "Echo"),
            ]
        ),
        caption("Figure 2-1 HaloArchive Application Data Flow"),
        heading("2.2 Functional Definitions of AEs"),
        para(
            "HALO_ARCHIVE waits for associations on port 104. It stores the instances it receives, "
            "commits their storage on request, answers C-FIND queries at patient, study, series and "
            "image level and performs C-MOVE retrieves by sending the instances to the move "
            "destination as a Storage SCU."
        ),
        heading("2.3 Sequencing of Real-World Activities"),
        para("Storage commitment is only confirmed for instances already written to long-term storage."),
        PageBreak(),
        heading("3 AE Specifications"),
        heading("3.1 HALO_ARCHIVE AE Specification"),
        para(
            "HALO_ARCHIVE provides Standard Conformance to the following DICOM V3.0 SOP Classes as an "
            "SCP and, for the retrieve sub-operations, as an SCU of the storage SOP classes:"
        ),
        caption("Table 3-1 Supported SOP Classes"),
        table(
            [["SOP Class Name", "SOP Class UID", "Role"]],
            [[VERIFICATION[0], VERIFICATION[1], "SCU/SCP"]]
            + [[n, u, "SCU/SCP"] for n, u in HALO_STORAGE]
            + [
                [COMMIT[0], COMMIT[1], "SCP"],
                [PR_FIND[0], PR_FIND[1], "SCP"],
                [PR_MOVE[0], PR_MOVE[1], "SCP"],
                [SR_FIND[0], SR_FIND[1], "SCP"],
                [SR_MOVE[0], SR_MOVE[1], "SCP"],
            ],
            [8.6, 5.6, 1.9],
        ),
        heading("3.1.1 Association Establishment Policies"),
        heading("3.1.1.1 General"),
        para(
            "The DICOM Application Context Name (1.2.840.10008.3.1.1.1) is the only one proposed and "
            "accepted. The maximum PDU size received by HaloArchive is 32768 bytes."
        ),
        heading("3.1.1.2 Number of Associations"),
        para(
            "HaloArchive accepts a maximum of 20 simultaneous associations. It initiates a maximum of "
            "5 simultaneous associations for retrieve sub-operations and storage commitment results."
        ),
        heading("3.1.1.3 Asynchronous Nature"),
        para("Asynchronous operations are not supported; one operation is outstanding at a time."),
        heading("3.1.1.4 Implementation Identifying Information"),
        para(f"The Implementation Class UID is {HALO_IMPL_UID}."),
        para(f"The Implementation Version Name is {HALO_IMPL_VERSION}."),
        heading("3.1.2 Association Initiation Policy"),
        heading("3.1.2.1 Real-World Activity: Storage Commitment Notification"),
        heading("3.1.2.1.1 Associated Real-World Activity"),
        para(
            "HaloArchive always sends the N-EVENT-REPORT with the commitment result on a new "
            "association that it initiates to the requesting AE, proposing the SCP role for the "
            "Storage Commitment Push Model through role selection. It never uses the association of "
            "the N-ACTION request. The requesting AE must therefore accept associations and the "
            "SCU role."
        ),
        heading("3.1.2.1.2 Proposed Presentation Contexts"),
        caption("Table 3-2 Proposed Presentation Contexts, Storage Commitment Notification"),
        table(OLD_HEADER, _old_rows([COMMIT], HALO_QR_TS, "SCP"), OLD_WIDTHS, ruling="horizontal"),
        heading("3.1.2.2 Real-World Activity: Retrieve Sub-Operations"),
        heading("3.1.2.2.1 Associated Real-World Activity"),
        para(
            "For each C-MOVE request HaloArchive opens a new association to the move destination, "
            "which must be configured (AE title, host, port), and sends the selected instances with "
            "C-STORE. One presentation context is proposed for each SOP class to be sent."
        ),
        heading("3.1.2.2.2 Proposed Presentation Contexts"),
        caption("Table 3-3 Proposed Presentation Contexts, Retrieve Sub-Operations"),
        table(OLD_HEADER, _old_rows(HALO_STORAGE, HALO_STORE_TS, "SCU"), OLD_WIDTHS),
        para(
            "Instances are sent in the transfer syntax in which they were received when the "
            "destination accepts it, otherwise in Explicit VR Little Endian or Implicit VR Little Endian."
        ),
        heading("3.1.3 Association Acceptance Policy"),
        para(
            "HaloArchive accepts associations from any calling AE title unless the AE title check is "
            "enabled (see 6.2). It rejects an association when 20 associations are already open."
        ),
        heading("3.1.3.1 Real-World Activity: Storage"),
        heading("3.1.3.1.1 Associated Real-World Activity"),
        para("Received instances are written to the cache and queued for long-term storage."),
        heading("3.1.3.1.2 Presentation Context Table"),
        caption("Table 3-4 Accepted Presentation Contexts, Storage"),
        table(OLD_HEADER, _old_rows(HALO_STORAGE, HALO_STORE_TS, "SCP"), OLD_WIDTHS),
        heading("3.1.3.1.3 Presentation Context Acceptance Criterion"),
        para(
            "HaloArchive accepts every presentation context whose abstract syntax is listed above "
            "with at least one of the listed transfer syntaxes. JPEG 2000 is not supported; "
            "presentation contexts offering only JPEG 2000 transfer syntaxes are rejected."
        ),
        heading("3.1.3.1.4 Transfer Syntax Selection Policies"),
        para(
            "When several transfer syntaxes are offered, the first one of the offer that HaloArchive "
            "supports is accepted, except that a lossy JPEG syntax is only chosen when nothing else is "
            "offered."
        ),
        heading("3.1.3.2 Real-World Activity: Storage Commitment"),
        heading("3.1.3.2.1 Presentation Context Table"),
        caption("Table 3-5 Accepted Presentation Contexts, Storage Commitment"),
        table(OLD_HEADER, _old_rows([COMMIT], HALO_QR_TS, "SCP"), OLD_WIDTHS, ruling="horizontal"),
        heading("3.1.3.3 Real-World Activity: Query/Retrieve"),
        heading("3.1.3.3.1 Presentation Context Table"),
        caption("Table 3-6 Accepted Presentation Contexts, Query/Retrieve"),
        table(
            OLD_HEADER,
            _old_rows([PR_FIND, PR_MOVE, SR_FIND, SR_MOVE], HALO_QR_TS, "SCP"),
            OLD_WIDTHS,
            ruling="horizontal",
        ),
        heading("3.1.3.3.2 SOP Specific Conformance"),
        para(
            "C-FIND is supported at PATIENT, STUDY, SERIES and IMAGE level; relational queries are "
            "not supported. C-MOVE destinations must be configured in HaloArchive; an unknown move "
            "destination is answered with status A801."
        ),
        heading("3.1.3.4 Real-World Activity: Verification"),
        caption("Table 3-7 Accepted Presentation Contexts, Verification"),
        table(OLD_HEADER, _old_rows([VERIFICATION], HALO_QR_TS, "SCP"), OLD_WIDTHS, ruling="horizontal"),
        heading("4 Communication Profiles"),
        heading("4.1 Supported Communication Stacks"),
        para("HaloArchive provides DICOM V3.0 TCP/IP network communication support as defined in PS 3.8."),
        heading("4.2 TCP/IP Stack"),
        para(
            "HaloArchive uses the TCP/IP stack of the host operating system. Only IPv4 is supported; "
            "IPv6 is not supported."
        ),
        heading("4.2.1 Physical Media Support"),
        para("Any network interface supported by the host operating system (typically 1000BASE-T)."),
        heading("5 Extensions / Specializations / Privatizations"),
        para("None."),
        heading("6 Configuration"),
        heading("6.1 AE Title/Presentation Address Mapping"),
        para(
            "The local AE title (default HALO_ARCHIVE) and port (default 104) are set in the server "
            "configuration file. Every remote AE that receives retrieve sub-operations or storage "
            "commitment results must be entered with its AE title, host and port."
        ),
        heading("6.2 Configurable Parameters"),
        caption("Table 6-1 Configurable Parameters"),
        table(
            [["Parameter", "Default"]],
            [
                ["Local AE title", "HALO_ARCHIVE"],
                ["Listening port", "104"],
                ["Maximum PDU size received", "32768"],
                ["Association idle timeout", "120 s"],
                ["Check calling AE title", "off"],
            ],
            [10.0, 6.1],
            ruling="horizontal",
        ),
        heading("7 Support of Extended Character Sets"),
        para(
            "HaloArchive supports ISO_IR 100 (Latin alphabet No. 1) in addition to the default "
            "repertoire. Instances with other Specific Character Set values are stored unchanged, "
            "but their names may not match queries."
        ),
        heading("8 Security Profiles"),
        para("HaloArchive does not support any security profile; TLS is not supported."),
    ]
    return s


def generate(out: Path) -> list[Path]:
    """Write every sample PDF into ``out`` and return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    ct = out / "aurora-ct-128.pdf"
    build(
        ct,
        aurora_ct(),
        title="Aurora CT 128 DICOM Conformance Statement",
        author="Meridian Imaging Systems (fictional)",
        frame=_Frame(
            "Meridian Imaging Systems - Aurora CT 128 - DICOM Conformance Statement",
            "MIS-DCS-2210 Rev. C",
        ),
    )
    halo = out / "haloarchive-3.6.pdf"
    build(
        halo,
        haloarchive(),
        title="HaloArchive 3.6 DICOM Conformance Statement",
        author="Halcyon Data Systems (fictional)",
        frame=_Frame("HaloArchive 3.6 DICOM Conformance Statement", "Halcyon Data Systems HDS-DCS-0361"),
    )
    return [ct, halo]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE)
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for path in generate(args.out):
        print(path)


if __name__ == "__main__":
    main()
