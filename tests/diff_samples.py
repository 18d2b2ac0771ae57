"""One fictional product, Fenwick Medical Software "Tern Archive", in two versions and three layouts.

The statement's content is data (:class:`Spec`); ``markdown``, ``plain_text`` and ``pdf`` write
it the way three different vendors' technical writers would (tables with names and UIDs; prose
and pipe tables; a reportlab PDF with ruled tables and stacked cells). The same Spec in two
layouts must compare equal; version 1.1 differs from 1.0 in the ways listed on ``TERN_11``.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType


def _load_make_samples() -> ModuleType:
    """statements/make_samples.py as a module: the names and UIDs the shipped samples use."""
    path = Path(__file__).resolve().parents[1] / "statements" / "make_samples.py"
    spec = importlib.util.spec_from_file_location("make_samples", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MS = _load_make_samples()
ILE, ELE, JPEG_BASE, JPEG_LL = MS.ILE, MS.ELE, MS.JPEG_BASE, MS.JPEG_LL
CT, ENH_CT, MR, CR, SC, US = MS.CT, MS.ENH_CT, MS.MR, MS.CR, MS.SC, MS.US
VERIFICATION, COMMIT, PR_FIND, SR_FIND, SR_MOVE = (
    MS.VERIFICATION,
    MS.COMMIT,
    MS.PR_FIND,
    MS.SR_FIND,
    MS.SR_MOVE,
)
HTJ2K_LL = ("High-Throughput JPEG 2000 Image Compression (Lossless Only)", "1.2.840.10008.1.2.4.201")

Named = tuple[str, str]
IMAGE_TS = [ILE, ELE, JPEG_BASE, JPEG_LL]
PLAIN_TS = [ILE, ELE]


@dataclass(frozen=True)
class Service:
    sop: Named
    role: str  # "SCP" / "SCU"
    syntaxes: tuple[Named, ...]


@dataclass(frozen=True)
class Spec:
    version: str
    implementation_version_name: str
    max_accepted: int
    max_initiated: int
    max_pdu: int
    character_sets: tuple[str, ...]
    tls: bool
    services: tuple[Service, ...]
    vendor: str = "Fenwick Medical Software"
    product: str = "Tern Archive"
    implementation_class_uid: str = "2.25.301188427163007120.1"
    ae_title: str = "TERN_ARCHIVE"
    port: int = 11112
    ipv6: bool = True
    ae: str = "TERN"  # the statement's name for its one AE

    def accepted(self) -> list[Service]:
        """SCP services with syntaxes (one without is only in the Markdown SOP class table)."""
        return [s for s in self.services if s.role == "SCP" and s.syntaxes]

    def proposed(self) -> list[Service]:
        return [s for s in self.services if s.role == "SCU" and s.syntaxes]


def _svc(sop: Named, role: str, syntaxes: list[Named]) -> Service:
    return Service(sop, role, tuple(syntaxes))


TERN_10 = Spec(
    version="1.0",
    implementation_version_name="TERN_10",
    max_accepted=10,
    max_initiated=4,
    max_pdu=16384,
    character_sets=("ISO_IR 100",),
    tls=False,
    services=(
        _svc(VERIFICATION, "SCP", PLAIN_TS),
        _svc(CT, "SCP", IMAGE_TS),
        _svc(MR, "SCP", IMAGE_TS),
        _svc(CR, "SCP", IMAGE_TS),
        _svc(SC, "SCP", IMAGE_TS),
        _svc(US, "SCP", IMAGE_TS),
        _svc(COMMIT, "SCP", PLAIN_TS),
        _svc(PR_FIND, "SCP", PLAIN_TS),
        _svc(SR_FIND, "SCP", PLAIN_TS),
        _svc(SR_MOVE, "SCP", PLAIN_TS),
        _svc(CT, "SCU", PLAIN_TS),
        _svc(MR, "SCU", PLAIN_TS),
    ),
)

# Version 1.1: adds Enhanced CT (SCP) and HTJ2K lossless on every storage SCP class, drops
# Patient Root FIND and JPEG Baseline for ultrasound, accepts 20 associations instead of 10,
# receives 65536-byte PDUs instead of 16384, adds UTF-8 and TLS.
_V11_IMAGE = [*IMAGE_TS, HTJ2K_LL]
TERN_11 = replace(
    TERN_10,
    version="1.1",
    implementation_version_name="TERN_11",
    max_accepted=20,
    max_pdu=65536,
    character_sets=("ISO_IR 100", "ISO_IR 192"),
    tls=True,
    services=(
        _svc(VERIFICATION, "SCP", PLAIN_TS),
        _svc(CT, "SCP", _V11_IMAGE),
        _svc(ENH_CT, "SCP", [ILE, ELE, JPEG_LL, HTJ2K_LL]),
        _svc(MR, "SCP", _V11_IMAGE),
        _svc(CR, "SCP", _V11_IMAGE),
        _svc(SC, "SCP", _V11_IMAGE),
        _svc(US, "SCP", [ILE, ELE, JPEG_LL, HTJ2K_LL]),
        _svc(COMMIT, "SCP", PLAIN_TS),
        _svc(SR_FIND, "SCP", PLAIN_TS),
        _svc(SR_MOVE, "SCP", PLAIN_TS),
        _svc(CT, "SCU", PLAIN_TS),
        _svc(MR, "SCU", PLAIN_TS),
    ),
)


def _tls_sentence(spec: Spec) -> str:
    if spec.tls:
        return f"The {spec.ae} AE supports the BCP 195 TLS Secure Transport Connection Profile (TLS 1.2)."
    return "TLS is not supported."


def _ip_sentence(spec: Spec) -> str:
    return (
        "IPv4 and IPv6 are both supported." if spec.ipv6 else "Only IPv4 is supported; IPv6 is not supported."
    )


def _identity(spec: Spec) -> list[str]:
    """'Manufacturer: / Product: / Version:' lines (each its own paragraph) and the fiction note."""
    fiction = f"{spec.vendor} is a fictional company; this statement was written for tests."
    return [
        f"Manufacturer: {spec.vendor}",
        "",
        f"Product: {spec.product}",
        "",
        f"Version: {spec.version}",
        "",
        fiction,
    ]


# ----------------------------------------------------------------------------- Markdown
def markdown(spec: Spec) -> str:
    """Tables throughout: SOP classes, parameters, identity, presentation contexts with <br> cells."""
    out = [
        f"# {spec.product} – DICOM Conformance Statement",
        "",
        *_identity(spec),
        "",
        "## 1 Networking",
        "",
        f"### 1.1 {spec.ae} AE Specification",
        "",
        "#### 1.1.1 SOP Classes",
        "",
        "| SOP Class Name | SOP Class UID | SCU | SCP |",
        "|---|---|---|---|",
    ]
    by_sop: dict[Named, set[str]] = {}
    for s in spec.services:
        by_sop.setdefault(s.sop, set()).add(s.role)
    for sop, roles in by_sop.items():
        scu, scp = ("Yes" if role in roles else "No" for role in ("SCU", "SCP"))
        out.append(f"| {sop[0]} | {sop[1]} | {scu} | {scp} |")
    out += [
        "",
        "#### 1.1.2 Association Policies",
        "",
        "| Parameter | Value |",
        "|---|---|",
        f"| Maximum PDU size received | {spec.max_pdu} bytes |",
        f"| Maximum number of simultaneous associations accepted | {spec.max_accepted} |",
        f"| Maximum number of simultaneous associations initiated | {spec.max_initiated} |",
        "",
        "| Implementation Class UID | " + spec.implementation_class_uid + " |",
        "|---|---|",
        f"| Implementation Version Name | {spec.implementation_version_name} |",
        "",
    ]
    for title, services in (
        ("1.1.3 Accepted Presentation Contexts", spec.accepted()),
        ("1.1.4 Proposed Presentation Contexts", spec.proposed()),
    ):
        out += [
            f"#### {title}",
            "",
            "| Abstract Syntax Name | Abstract Syntax UID | Transfer Syntax Name List "
            "| Transfer Syntax UID List | Role | Extended Negotiation |",
            "|---|---|---|---|---|---|",
        ]
        for s in services:
            names = "<br>".join(n for n, _ in s.syntaxes)
            ts = "<br>".join(u for _, u in s.syntaxes)
            out.append(f"| {s.sop[0]} | {s.sop[1]} | {names} | {ts} | {s.role} | None |")
        out.append("")
    out += [
        "## 2 Network Interfaces and Configuration",
        "",
        _ip_sentence(spec),
        "",
        "| Application Entity | Default AE Title | Default TCP/IP Port |",
        "|---|---|---|",
        f"| {spec.ae} | {spec.ae_title} | {spec.port} |",
        "",
        "## 3 Support of Character Sets",
        "",
        "Supported Specific Character Set values: " + " and ".join(spec.character_sets) + ".",
        "",
        "## 4 Security",
        "",
        _tls_sentence(spec),
        "",
    ]
    return "\n".join(out)


# ----------------------------------------------------------------------------- plain text
def _pipe_table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = lambda cells: "  " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    rule = "  " + "-+-".join("-" * w for w in widths)
    return [line(header), rule, *(line(r) for r in rows)]


def plain_text(spec: Spec) -> str:
    """Numbered headings, 'Label: value' lines, prose limits, pipe tables with comma-separated UIDs."""
    out = [
        f"{spec.product.upper()} {spec.version}",
        "DICOM CONFORMANCE STATEMENT",
        "",
        *_identity(spec),
        "",
        "",
        "1 NETWORKING",
        "",
        f"1.1 {spec.ae} AE Specification",
        "",
    ]
    sections = [
        (
            "1.1.1 Association Acceptance Policy",
            f"The {spec.ae} AE accepts at most {spec.max_accepted} simultaneous associations. The maximum "
            f"PDU size received is {spec.max_pdu} bytes.",
            "accepts",
            spec.accepted(),
        ),
        (
            "1.1.2 Association Initiation Policy",
            f"The {spec.ae} AE initiates at most {spec.max_initiated} simultaneous associations, for the "
            "C-STORE sub-operations of a C-MOVE.",
            "proposes",
            spec.proposed(),
        ),
    ]
    for heading, limits, verb, services in sections:
        out += [heading, "", limits, "", f"The {spec.ae} AE {verb} the following presentation contexts:", ""]
        out += _pipe_table(
            ["Abstract Syntax", "UID", "Transfer Syntaxes", "Role"],
            [[s.sop[0], s.sop[1], ", ".join(u for _, u in s.syntaxes), s.role] for s in services],
        )
        out.append("")
    out += [
        "1.2 Implementation Identifying Information",
        "",
        f"Implementation Class UID: {spec.implementation_class_uid}",
        f"Implementation Version Name: {spec.implementation_version_name}",
        "",
        "",
        "2 NETWORK INTERFACES",
        "",
        "Ethernet 1000BASE-T. " + _ip_sentence(spec),
        "",
        "",
        "3 CONFIGURATION",
        "",
    ]
    out += [
        f"The default AE title of the {spec.ae} AE is {spec.ae_title}; it listens on TCP port {spec.port}.",
        "Both are set in the service console.",
        "",
        "",
        "4 CHARACTER SETS",
        "",
        "Supported Specific Character Set values: " + " and ".join(spec.character_sets) + ".",
        "",
        "",
        "5 SECURITY",
        "",
        _tls_sentence(spec),
        "",
    ]
    return "\n".join(out)


# ----------------------------------------------------------------------------- PDF
def pdf(spec: Spec, path: Path) -> Path:
    """Ruled tables, names and UIDs stacked in one cell, a page break inside the networking part."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("FONTSIZE", (0, 0), (-1, -1), 7),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )

    def h(text: str) -> Paragraph:
        return Paragraph(text, styles["Heading2"])

    def p(text: str) -> Paragraph:
        return Paragraph(text, styles["BodyText"])

    def contexts(services: list[Service]) -> Table:
        rows = [["Abstract Syntax", "Transfer Syntax", "Role"]]
        for s in services:
            rows.append([f"{s.sop[0]}\n{s.sop[1]}", "\n".join(u for _, u in s.syntaxes), s.role])
        return Table(rows, style=grid)

    story = [
        *(p(line) for line in _identity(spec) if line),
        h("1 Networking"),
        h("1.1 Association Policies"),
        p(
            f"The {spec.ae} AE accepts at most {spec.max_accepted} simultaneous associations and initiates "
            f"at most {spec.max_initiated}."
        ),
        Table(
            [
                ["Parameter", "Value"],
                ["Maximum PDU size received", f"{spec.max_pdu} bytes"],
                ["Implementation Class UID", spec.implementation_class_uid],
                ["Implementation Version Name", spec.implementation_version_name],
            ],
            style=grid,
        ),
        h("1.2 Accepted Presentation Contexts"),
        contexts(spec.accepted()),
        PageBreak(),
        h("1.3 Proposed Presentation Contexts"),
        contexts(spec.proposed()),
        h("2 Network Interfaces and Configuration"),
        p(_ip_sentence(spec)),
        Table(
            [
                ["Application Entity", "Default AE Title", "Default TCP/IP Port"],
                [spec.ae, spec.ae_title, str(spec.port)],
            ],
            style=grid,
        ),
        h("3 Support of Character Sets"),
        p("Supported Specific Character Set values: " + " and ".join(spec.character_sets) + "."),
        h("4 Security"),
        p(_tls_sentence(spec)),
    ]
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story)
    return path


def write(spec: Spec, layout: str, folder: Path, stem: str = "") -> Path:
    """Write ``spec`` in ``layout`` ("md", "txt" or "pdf") and return the file."""
    path = folder / f"{stem or 'tern-' + spec.version}.{layout}"
    folder.mkdir(parents=True, exist_ok=True)
    if layout == "pdf":
        return pdf(spec, path)
    path.write_text(markdown(spec) if layout == "md" else plain_text(spec), encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- HaloArchive 3.7
def halo_37() -> Spec:
    """The shipped HaloArchive 3.6 (statements/haloarchive-3.6.pdf) one release later, in Markdown.

    Changes: JPEG 2000 (lossless and lossy) accepted for every storage class (fixes the CTs'
    Enhanced CT gap at the example site); Storage Commitment dropped (breaks the modalities'
    commitment links); implementation version name HALOARC_370. Everything else as 3.6.
    """
    storage, store_ts, qr_ts = list(MS.HALO_STORAGE), list(MS.HALO_STORE_TS), list(MS.HALO_QR_TS)
    services = [_svc(sop, "SCP", [*store_ts, MS.J2K_LL, MS.J2K]) for sop in storage]
    services += [_svc(sop, "SCU", store_ts) for sop in storage]
    services += [_svc(sop, "SCP", qr_ts) for sop in (PR_FIND, MS.PR_MOVE, SR_FIND, SR_MOVE)]
    services += [_svc(VERIFICATION, "SCP", qr_ts), _svc(VERIFICATION, "SCU", [])]  # 3.6 names no syntax
    return Spec(
        version="3.7",
        implementation_version_name="HALOARC_370",
        max_accepted=20,
        max_initiated=5,
        max_pdu=32768,
        character_sets=("ISO_IR 100",),
        tls=False,
        services=tuple(services),
        vendor="Halcyon Data Systems",
        product="HaloArchive",
        implementation_class_uid="2.25.118042776310928871566012.3.6.0",
        ae_title="HALO_ARCHIVE",
        port=104,
        ipv6=False,
        ae="HALO_ARCHIVE",
    )
