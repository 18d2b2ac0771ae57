"""Small hand-built statements and inventories for the matcher tests.

Statements are built directly as model objects (every capability with a provenance line,
as the parser would give) so that each test states exactly the facts its rule needs.
"""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

from conformance.findings import Analysis, Finding
from conformance.inventory import AE, Device, DeviceRole, Inventory, Link, Service, finish
from conformance.matcher import analyze
from conformance.model import (
    ApplicationEntity,
    Direction,
    Fact,
    Provenance,
    Role,
    Statement,
    Support,
    TransferCapability,
)

CT = "1.2.840.10008.5.1.4.1.1.2"
ECT = "1.2.840.10008.5.1.4.1.1.2.1"
MR = "1.2.840.10008.5.1.4.1.1.4"
SC = "1.2.840.10008.5.1.4.1.1.7"  # Secondary Capture (as everywhere in the tests)
US = "1.2.840.10008.5.1.4.1.1.6.1"
COMMITMENT = "1.2.840.10008.1.20.1"  # Storage Commitment Push Model
MWL = "1.2.840.10008.5.1.4.31"
MPPS = "1.2.840.10008.3.1.2.3.3"
ECHO = "1.2.840.10008.1.1"
PAT_FIND = "1.2.840.10008.5.1.4.1.2.1.1"
STUDY_FIND = "1.2.840.10008.5.1.4.1.2.2.1"
STUDY_MOVE = "1.2.840.10008.5.1.4.1.2.2.2"
STUDY_GET = "1.2.840.10008.5.1.4.1.2.2.3"
GRAY_PRINT = "1.2.840.10008.5.1.1.9"
COLOR_PRINT = "1.2.840.10008.5.1.1.18"
IVLE = "1.2.840.10008.1.2"
EVLE = "1.2.840.10008.1.2.1"
EVBE = "1.2.840.10008.1.2.2"
J2K_LOSSLESS = "1.2.840.10008.1.2.4.90"
JPEG_LOSSLESS = "1.2.840.10008.1.2.4.70"
JPEG_BASELINE = "1.2.840.10008.1.2.4.50"
NATIVE = [EVLE, IVLE]

_lines = itertools.count(10)


def cap(
    uid: str,
    role: Role | str,
    ts: list[str] | None = None,
    *,
    direction: Direction = Direction.UNSPECIFIED,
    option: bool = False,
    source: str = "x.md",
) -> TransferCapability:
    role = Role(role)
    line = next(_lines)
    prov = Provenance(source, line=line, section="Presentation contexts", text=f"{uid} | {role.value}")
    support = Support.OPTION if option else Support.YES
    return TransferCapability(
        uid, role, list(ts if ts is not None else NATIVE), direction, support, "", [prov]
    )


def stmt(source: str, *caps: TransferCapability, **scalars: object) -> Statement:
    """A statement named ``source``; scalars are wrapped in Facts (lists for character_sets)."""
    for c in caps:
        c.provenance = [dataclasses.replace(p, file=source) for p in c.provenance]
    st = Statement(source=source, aes=[ApplicationEntity("AE", capabilities=list(caps))])
    for key, value in scalars.items():
        prov = Provenance(source, line=next(_lines), text=f"{key}: {value}")
        if key == "character_sets":
            st.character_sets = [Fact(v, prov) for v in value]  # type: ignore[attr-defined]
        else:
            setattr(st, key, Fact(value, prov))
    return st


def device(
    name: str,
    role: str,
    title: str | None = None,
    host: str = "",
    port: int | None = 104,
    tls=None,
    sends: tuple[str, ...] = (),
):
    """A device with one AE; ``sends``: the storage SOP class UIDs the inventory says it sends."""
    return Device(
        name,
        DeviceRole(role),
        [AE(title or name, host, port, tls, f"site.yaml {name}")],
        None,
        name,
        sends=sends,
    )


def inventory(devices: list[Device], links: list[tuple[str, str, str]] | None = None) -> Inventory:
    inv = Inventory(Path("site.yaml"), devices=devices)
    inv.links = [Link(s, t, Service(v), "site.yaml links") for s, t, v in (links or [])]
    finish(inv)
    return inv


def run(devices: list[Device], statements: dict[str, Statement], links=None) -> Analysis:
    return analyze(inventory(devices, links), statements)


def rules(analysis: Analysis, rule: str | None = None) -> list[Finding]:
    return [f for f in analysis.findings if rule is None or f.rule == rule]


def only(analysis: Analysis, rule: str) -> Finding:
    found = rules(analysis, rule)
    assert len(found) == 1, [(f.rule, f.title) for f in analysis.findings]
    return found[0]


# Typical complete devices ------------------------------------------------------------
def modality(source: str = "ct.md", ts: list[str] | None = None, **scalars: object) -> Statement:
    return stmt(
        source,
        cap(CT, "SCU", ts if ts is not None else [J2K_LOSSLESS, EVLE, IVLE], direction=Direction.INITIATE),
        cap(COMMITMENT, "SCU", [IVLE], direction=Direction.INITIATE),
        cap(COMMITMENT, "SCU", [IVLE], direction=Direction.ACCEPT),
        cap(MWL, "SCU", [IVLE]),
        cap(MPPS, "SCU", [IVLE]),
        cap(ECHO, "SCP", [IVLE]),
        **scalars,
    )


def archive(source: str = "pacs.md", ts: list[str] | None = None, **scalars: object) -> Statement:
    storage_ts = ts if ts is not None else [J2K_LOSSLESS, EVLE, IVLE]
    return stmt(
        source,
        cap(CT, "SCP", storage_ts),
        cap(CT, "SCU", storage_ts),
        cap(COMMITMENT, "SCP", [IVLE]),
        cap(STUDY_FIND, "SCP", [IVLE]),
        cap(STUDY_MOVE, "SCP", [IVLE]),
        cap(MPPS, "SCP", [IVLE]),
        cap(ECHO, "SCP", [IVLE]),
        **scalars,
    )


def ris(source: str = "ris.md", **scalars: object) -> Statement:
    return stmt(
        source, cap(MWL, "SCP", [IVLE, EVLE]), cap(MPPS, "SCP", [IVLE]), cap(MPPS, "SCU", [IVLE]), **scalars
    )


def workstation(source: str = "ws.md", **scalars: object) -> Statement:
    return stmt(
        source,
        cap(CT, "SCP", NATIVE),
        cap(STUDY_FIND, "SCU", [IVLE]),
        cap(STUDY_MOVE, "SCU", [IVLE]),
        **scalars,
    )
