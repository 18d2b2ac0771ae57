"""The site model: devices, their AEs and statements, the links between them, and row problems.

Plain dataclasses with no I/O: :mod:`conformance.inventory` reads them from YAML/CSV/XLSX,
:mod:`conformance.links` adds the links an inventory implies, the matcher and the report read
them. A what-if builds a new :class:`Inventory` (``dataclasses.replace``) instead of changing
the loaded one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from conformance.services import Service

LOGGER = logging.getLogger(__name__)


class DeviceRole(StrEnum):
    MODALITY = "modality"
    ARCHIVE = "archive"  # PACS / image manager
    WORKLIST = "worklist"  # RIS / worklist broker / order filler
    WORKSTATION = "workstation"  # viewer, reading station, Q/R client
    PRINTER = "printer"
    OTHER = "other"


ROLE_ALIASES: dict[str, DeviceRole] = {
    "pacs": DeviceRole.ARCHIVE,
    "image manager": DeviceRole.ARCHIVE,
    "vna": DeviceRole.ARCHIVE,
    "ris": DeviceRole.WORKLIST,
    "broker": DeviceRole.WORKLIST,
    "worklist broker": DeviceRole.WORKLIST,
    "mwl": DeviceRole.WORKLIST,
    "viewer": DeviceRole.WORKSTATION,
    "reading station": DeviceRole.WORKSTATION,
    "film printer": DeviceRole.PRINTER,
}


def parse_role(value: Any) -> DeviceRole | None:
    text = " ".join(str(value or "other").strip().lower().replace("_", " ").split())
    try:
        return DeviceRole(text)
    except ValueError:
        return ROLE_ALIASES.get(text)


@dataclass
class AE:
    title: str
    host: str = ""
    port: int | None = None
    tls: bool | None = None  # the inventory's own word on TLS for this AE, if any
    row: str = ""


@dataclass
class Device:
    name: str
    role: DeviceRole
    aes: list[AE] = field(default_factory=list)
    statement: Path | None = None  # resolved against the inventory's folder
    row: str = ""  # where it was defined, for messages ("inventory.yaml device 3")
    # keyword-only, so that a positional argument never lands in the wrong one of these
    corrections: Path | None = field(
        default=None, kw_only=True
    )  # the site's corrections (conformance.corrections)
    # storage SOP class UIDs the device really sends on its store links (YAML ``sends:``, CSV
    # column ``sends``); empty: not given, the statement's Storage SCU classes are checked
    sends: tuple[str, ...] = field(default=(), kw_only=True)

    @property
    def ae_title(self) -> str:
        return self.aes[0].title if self.aes else ""


@dataclass
class Link:
    source: str  # initiating device
    target: str  # accepting device
    service: Service
    row: str = ""
    implied: bool = False  # implied by role, not written in the inventory
    exclude: tuple[str, ...] = ()  # SOP class UIDs this link never carries (YAML ``exclude:``)
    sends: tuple[str, ...] = ()  # what this store link carries, when the link says (YAML ``sends:``)

    def key(self) -> tuple[str, str, str]:
        return (self.source, self.target, self.service.value)


@dataclass
class Problem:
    where: str  # "inventory.csv row 7"
    message: str
    fatal_for_row: bool = True
    kind: str = ""  # for non-fatal problems the matcher reports itself ("ae-title-duplicate" ...)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Inventory:
    path: Path
    site: str = ""
    devices: list[Device] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dropped: set[str] = field(default_factory=set)  # devices left out for a row error
    # device left out -> where and why (all the row's errors): its links stay in ``links`` so
    # that they are reported as not checked, never as missing
    skipped_devices: dict[str, Problem] = field(default_factory=dict)
    # name -> device (the first of that name), extended on appends and rebuilt on other changes
    # of ``devices`` (its identity, length and last item tell): loading a 1,000-device site looks
    # every new name up, which a scan of the list made quadratic
    _index: dict[str, Device] = field(default_factory=dict, init=False, repr=False, compare=False)
    _indexed: tuple[int, int, int] = field(default=(-1, 0, 0), init=False, repr=False, compare=False)

    def device(self, name: str) -> Device | None:
        devices = self.devices
        list_id, size, last = self._indexed
        if (list_id, size) != (id(devices), len(devices)) or (size and id(devices[size - 1]) != last):
            # appended items only (same list, the old last item in place): index just those
            grown = list_id == id(devices) and 0 < size < len(devices) and id(devices[size - 1]) == last
            if not grown:
                self._index, size = {}, 0
            for d in devices[size:]:
                self._index.setdefault(d.name, d)
            self._indexed = (id(devices), len(devices), id(devices[-1]) if devices else 0)
        return self._index.get(name)

    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.fatal_for_row]

    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.fatal_for_row]
