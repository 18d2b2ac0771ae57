"""A small hospital's Analysis built from real model objects, for the report tests.

Built directly (not through the matcher) so that the report tests pin the report's own
behaviour: every severity, a workflow chain, a silent statement, device-level and
site-wide findings, skipped inputs, and hostile strings in vendor names, AE titles and
quoted evidence that must come out inert in HTML and CSV.
"""

from __future__ import annotations

from pathlib import Path

from conformance.findings import Analysis, Evidence, Finding, Severity, Skipped
from conformance.inventory import AE, Device, DeviceRole, Inventory, Link, Service
from conformance.model import (
    ApplicationEntity,
    Direction,
    Fact,
    Provenance,
    Role,
    Statement,
    TransferCapability,
    UnresolvedName,
)
from conformance.uids import uid_name

SCRIPT = "<script>alert('xss')</script>"
IMG = '"><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://evil.example/","click")'

CT_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
ENHANCED_CT = "1.2.840.10008.5.1.4.1.1.2.1"
JPEG2000 = "1.2.840.10008.1.2.4.90"
IMPLICIT = "1.2.840.10008.1.2"
EXPLICIT = "1.2.840.10008.1.2.1"
MWL = "1.2.840.10008.5.1.4.31"
MPPS = "1.2.840.10008.3.1.2.3.3"
COMMIT = "1.2.840.10008.1.20.1"


def _prov(file: str, page: int | None, section: str, text: str, line: int | None = None) -> Provenance:
    return Provenance(file=file, page=page, line=line, section=section, text=text)


def ct_statement() -> Statement:
    f = "helix-ct.pdf"
    caps = [
        TransferCapability(
            CT_STORAGE,
            Role.SCU,
            [JPEG2000],
            Direction.INITIATE,
            name="CT Image Storage",
            provenance=[
                _prov(f, 14, "Table 4.2-3 Proposed Presentation Contexts", "CT Image Storage SCU JPEG 2000")
            ],
        ),
        TransferCapability(
            MWL,
            Role.SCU,
            [IMPLICIT],
            Direction.INITIATE,
            name="Modality Worklist Information Model - FIND",
            provenance=[_prov(f, 17, "4.2.2 Worklist AE", "Modality Worklist Information Model – FIND SCU")],
        ),
    ]
    return Statement(
        source=f,
        pages=42,
        vendor=Fact(IMG, _prov(f, 1, "Cover", f"Manufacturer: {IMG}")),
        product=Fact("Helix CT 9", _prov(f, 1, "Cover", "Helix CT 9 DICOM Conformance Statement")),
        version=Fact(FORMULA, _prov(f, 1, "Cover", f"Software version {FORMULA}")),
        aes=[ApplicationEntity("STORAGE-SCU", Fact("HELIX_CT"), None, caps)],
        max_associations_initiated=Fact(2, _prov(f, 12, "4.2.1.2 Number of Associations", "at most 2")),
        unresolved=[
            UnresolvedName("Vendor Private Raw Storage", "sop_class", _prov(f, 15, "Table 4.2-3", "Raw"))
        ],
    )


def pacs_statement() -> Statement:
    f = "archivio-pacs.pdf"
    caps = [
        TransferCapability(
            CT_STORAGE,
            Role.SCP,
            [IMPLICIT, EXPLICIT],
            Direction.ACCEPT,
            name="CT Image Storage",
            provenance=[_prov(f, 31, "Storage SCP", f"CT Image Storage {SCRIPT} Implicit VR, Explicit VR")],
        ),
        TransferCapability(
            COMMIT,
            Role.SCP,
            [IMPLICIT],
            Direction.ACCEPT,
            name="Storage Commitment Push Model",
            provenance=[_prov(f, 40, "Storage Commitment", "Storage Commitment Push Model SOP Class SCP")],
        ),
    ]
    return Statement(
        source=f,
        pages=88,
        vendor=Fact("Archivio Medical"),
        product=Fact("Archivio PACS"),
        version=Fact("7.1"),
        aes=[ApplicationEntity("ARCHIVE", Fact("ARCHIVIO"), Fact(104), caps)],
        max_associations_accepted=Fact(10, _prov(f, 29, "Association Policies", "up to 10 simultaneous")),
    )


def ris_statement() -> Statement:
    f = "ordo-ris.md"
    caps = [
        TransferCapability(
            MWL,
            Role.SCP,
            [IMPLICIT],
            Direction.ACCEPT,
            name="Modality Worklist",
            provenance=[
                _prov(f, None, "## Worklist SCP", "| Modality Worklist Information Model - FIND | SCP |", 57)
            ],
        ),
    ]
    return Statement(
        source=f,
        vendor=Fact("Ordo Health"),
        product=Fact("Ordo RIS"),
        version=Fact("3.4"),
        aes=[ApplicationEntity("WORKLIST", Fact("ORDO_MWL"), Fact(4100), caps)],
        character_sets=[Fact("ISO_IR 192", _prov(f, None, "## Character Sets", "ISO_IR 192 (UTF-8)", 88))],
    )


def sample_analysis(*, extra_devices: int = 0) -> Analysis:
    """Four analyzed devices, one hostile-named device, one skipped, findings of every kind."""
    ct_st, pacs_st, ris_st = ct_statement(), pacs_statement(), ris_statement()
    devices = [
        Device("CT-1", DeviceRole.MODALITY, [AE("HELIX_CT", "10.0.0.11", 104)], Path("/site/helix-ct.pdf")),
        Device(
            "PACS", DeviceRole.ARCHIVE, [AE("ARCHIVIO", "10.0.0.20", 104)], Path("/site/archivio-pacs.pdf")
        ),
        Device("RIS", DeviceRole.WORKLIST, [AE("ORDO_MWL", "10.0.0.30", 4100)], Path("/site/ordo-ris.md")),
        Device(
            f"Viewer {SCRIPT}", DeviceRole.WORKSTATION, [AE(IMG, "10.0.0.40", 11112)], Path("/s/ordo-ris.md")
        ),
        Device("US-2", DeviceRole.MODALITY, [AE("US_2", "10.0.0.12", 104)], Path("/site/missing.pdf")),
    ]
    for i in range(extra_devices):
        devices.append(Device(f"CT-extra-{i}", DeviceRole.MODALITY, [AE(f"CTX{i}", "10.1.0.1", 104)], None))
    links = [
        Link("CT-1", "PACS", Service.STORE),
        Link("CT-1", "PACS", Service.COMMITMENT),
        Link("CT-1", "RIS", Service.WORKLIST),
        Link("CT-1", "RIS", Service.MPPS),
        Link(f"Viewer {SCRIPT}", "PACS", Service.QUERY),
        Link("US-2", "PACS", Service.STORE),
    ]
    statements = {"CT-1": ct_st, "PACS": pacs_st, "RIS": ris_st, f"Viewer {SCRIPT}": ris_st}
    ct_cap, pacs_cap = ct_st.aes[0].capabilities[0], pacs_st.aes[0].capabilities[0]
    findings = [
        Finding(
            rule="no-common-transfer-syntax",
            severity=Severity.BLOCKING,
            title="No common transfer syntax for CT Image Storage",
            detail="CT-1 proposes only JPEG 2000; PACS accepts Implicit and Explicit VR Little Endian.",
            fix="Enable an uncompressed transfer syntax on CT-1, or JPEG 2000 on PACS.",
            source="CT-1",
            target="PACS",
            service="store",
            chain="CT-1 scheduled CT exam",
            evidence=[
                Evidence(
                    "CT-1", ct_st.source, "CT Image Storage as SCU: JPEG 2000 only", ct_cap.provenance[0]
                ),
                Evidence("PACS", pacs_st.source, f"CT Image Storage as SCP {SCRIPT}", pacs_cap.provenance[0]),
            ],
        ),
        Finding(
            rule="initiator-lacks-scu",
            severity=Severity.DEGRADING,
            title="CT-1 cannot request Storage Commitment",
            detail="PACS offers Storage Commitment as SCP but the CT statement is silent on it.",
            fix="Ask the CT vendor whether Storage Commitment SCU is licensable.",
            source="CT-1",
            target="PACS",
            service="commitment",
            chain="CT-1 scheduled CT exam",
            evidence=[
                Evidence("CT-1", ct_st.source, "does not list Storage Commitment Push Model as SCU"),
                Evidence(
                    "PACS",
                    pacs_st.source,
                    "Storage Commitment as SCP",
                    pacs_st.aes[0].capabilities[1].provenance[0],
                ),
            ],
        ),
        Finding(
            rule="statement-silent-services",
            severity=Severity.DEGRADING,
            title="Statement silent on MPPS",
            detail="The CT statement says nothing about Modality Performed Procedure Step.",
            fix="Ask the vendor for MPPS support.",
            source="CT-1",
            target="RIS",
            service="mpps",
            chain="CT-1 scheduled CT exam",
            evidence=[Evidence("CT-1", ct_st.source, "no MPPS capability found")],
        ),
        Finding(
            rule="character-set-unsupported",
            severity=Severity.INFO,
            title="RIS answers worklist queries in UTF-8",
            detail=f"Vendor note: {FORMULA}",
            fix="-check the modality displays UTF-8 patient names",
            source="CT-1",
            target="RIS",
            service="worklist",
            evidence=[
                Evidence("RIS", ris_st.source, "ISO_IR 192", ris_st.character_sets[0].provenance),
            ],
        ),
        Finding(
            rule="ae-title-invalid",
            severity=Severity.BLOCKING,
            title=f"AE title {IMG} is not valid",
            detail="AE titles are at most 16 characters from the default character repertoire.",
            fix="@SUM(1+1) Give the viewer a valid AE title.",
            source=f"Viewer {SCRIPT}",
            evidence=[Evidence(f"Viewer {SCRIPT}", "", f"inventory AE title {IMG}")],
        ),
        Finding(
            rule="ae-title-duplicate",
            severity=Severity.INFO,
            title="Port 104 used by two devices on one host group",
            source="",
            target="",
        ),
    ]
    skipped = [
        Skipped("US-2", "/site/missing.pdf: no such file"),
        Skipped("inventory.yaml device 7", f"device needs a 'name' {SCRIPT}"),
    ]
    return Analysis(
        inventory=Inventory(
            Path("inventory.yaml"), site=f"St. Example Hospital {SCRIPT}", devices=devices, links=links
        ),
        statements=statements,
        findings=findings,
        skipped=skipped,
    )


# -- one finding per problem ----------------------------------------------------------------
MR_STORAGE = "1.2.840.10008.5.1.4.1.1.4"
SC_STORAGE = "1.2.840.10008.5.1.4.1.1.7"
NOT_ACCEPTED = [ENHANCED_CT, CT_STORAGE, MR_STORAGE, SC_STORAGE]  # Enhanced CT first: longest-name test


def grouped_analysis() -> Analysis:
    """The sample site with CT-1 -> PACS carrying the kinds of grouped findings the report must show.

    * one ``sop-class-not-accepted`` finding naming four SOP classes (as the matcher reports a
      problem), with one evidence entry per class and side, quoted from per-class table rows,
      plus one piece of evidence about no class in particular;
    * three ``probe-sop-class-refused`` findings of one class each on the same link (a rule
      that still reports per class): the report must show them as one finding.
    """
    a = sample_analysis()
    ct_file, pacs_file = "helix-ct.pdf", "archivio-pacs.pdf"
    evidence = []
    for n, uid in enumerate(NOT_ACCEPTED):
        name = uid_name(uid)
        evidence.append(
            Evidence(
                "CT-1", ct_file, f"{name} as SCU", _prov(ct_file, 20 + n, "Table 4.2-3", f"{name} SCU {uid}")
            )
        )
        evidence.append(Evidence("PACS", pacs_file, f"does not list {name} as SCP"))
    evidence.append(
        Evidence("PACS", pacs_file, "Storage SCP table", _prov(pacs_file, 31, "Storage SCP", "table"))
    )
    a.findings.append(
        Finding(
            rule="sop-class-not-accepted",
            severity=Severity.BLOCKING,
            title="PACS does not accept 4 of the 5 storage classes CT-1 sends",
            detail="CT-1 sends them as Storage SCU; PACS's statement does not list them as SCP.",
            fix="Enable them on PACS, or configure CT-1 not to send them.",
            source="CT-1",
            target="PACS",
            service="store",
            evidence=evidence,
            sop_classes=list(NOT_ACCEPTED),
        )
    )
    for n, uid in enumerate([CT_STORAGE, MR_STORAGE, SC_STORAGE]):
        a.findings.append(
            Finding(
                rule="probe-sop-class-refused",
                severity=Severity.DEGRADING,
                title=f"PACS refused {uid_name(uid)}",
                detail=f"The statement lists {uid_name(uid)}; the live association refused it.",
                fix=f"Enable {uid_name(uid)} on PACS.",
                source="CT-1",
                target="PACS",
                service="store",
                evidence=[
                    Evidence(
                        "PACS", pacs_file, f"{uid_name(uid)} refused", _prov(pacs_file, 40 + n, "probe", uid)
                    )
                ],
                sop_classes=[uid],
            )
        )
    return a
