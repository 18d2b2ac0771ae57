"""The site inventory: devices, their AEs and statements, and who talks to whom.

Read from YAML (devices + links) or a table (CSV / XLSX, one row per AE). Problems are
collected per row: a broken row is reported and skipped, the other rows still load.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from conformance.errors import InventoryError

LOGGER = logging.getLogger(__name__)


class DeviceRole(StrEnum):
    MODALITY = "modality"
    ARCHIVE = "archive"  # PACS / image manager
    WORKLIST = "worklist"  # RIS / worklist broker / order filler
    WORKSTATION = "workstation"  # viewer, reading station, Q/R client
    PRINTER = "printer"
    OTHER = "other"


class Service(StrEnum):
    """What a link carries, from the initiator's point of view."""

    STORE = "store"
    COMMITMENT = "commitment"
    WORKLIST = "worklist"
    MPPS = "mpps"
    QUERY = "query"
    MOVE = "move"
    GET = "get"
    PRINT = "print"
    ECHO = "echo"


@dataclass
class AE:
    title: str
    host: str = ""
    port: int | None = None


@dataclass
class Device:
    name: str
    role: DeviceRole
    aes: list[AE] = field(default_factory=list)
    statement: Path | None = None  # resolved against the inventory's folder
    row: str = ""  # where it was defined, for messages ("inventory.yaml device 3")


@dataclass
class Link:
    source: str  # initiating device
    target: str  # accepting device
    service: Service
    row: str = ""


@dataclass
class Problem:
    where: str  # "inventory.csv row 7"
    message: str
    fatal_for_row: bool = True

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Inventory:
    path: Path
    site: str = ""
    devices: list[Device] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def device(self, name: str) -> Device | None:
        return next((d for d in self.devices if d.name == name), None)


def load_inventory(path: str | Path) -> Inventory:
    """Read and validate an inventory. Raises InventoryError only when nothing is usable."""
    path = Path(path)
    if not path.is_file():
        raise InventoryError(str(path), "no such file")
    suffix = path.suffix.lower()
    if suffix in {".yaml", ".yml"}:
        return _load_yaml(path)
    raise InventoryError(str(path), f"unsupported inventory type {suffix!r} (use .yaml, .csv or .xlsx)")


def _load_yaml(path: Path) -> Inventory:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InventoryError(str(path), f"invalid YAML ({str(exc).splitlines()[0]})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("devices"), list):
        raise InventoryError(str(path), "expected a mapping with a 'devices' list")
    inv = Inventory(path=path, site=str(data.get("site", "")))
    for i, raw in enumerate(data["devices"], start=1):
        where = f"{path.name} device {i}"
        device = _device(raw, where, path.parent, inv)
        if device is not None:
            inv.devices.append(device)
    for i, raw in enumerate(data.get("links") or [], start=1):
        where = f"{path.name} link {i}"
        link = _link(raw, where, inv)
        if link is not None:
            inv.links.append(link)
    return inv


def _device(raw: Any, where: str, base: Path, inv: Inventory) -> Device | None:
    if not isinstance(raw, dict) or not raw.get("name"):
        inv.problems.append(Problem(where, "device needs a 'name'"))
        return None
    name = str(raw["name"])
    try:
        role = DeviceRole(str(raw.get("role", "other")).lower())
    except ValueError:
        inv.problems.append(Problem(where, f"unknown role {raw.get('role')!r} for {name}"))
        return None
    entries = raw.get("aes") or [{k: raw.get(k) for k in ("ae_title", "host", "port")}]
    aes = []
    for entry in entries:
        title = str(entry.get("ae_title") or "").strip()
        port = entry.get("port")
        aes.append(AE(title, str(entry.get("host") or ""), int(port) if port not in (None, "") else None))
    statement = raw.get("statement")
    return Device(name, role, aes, (base / str(statement)) if statement else None, where)


def _link(raw: Any, where: str, inv: Inventory) -> Link | None:
    if not isinstance(raw, dict):
        inv.problems.append(Problem(where, "link must be a mapping with from/to/service"))
        return None
    try:
        service = Service(str(raw.get("service", "")).lower())
    except ValueError:
        inv.problems.append(Problem(where, f"unknown service {raw.get('service')!r}"))
        return None
    return Link(str(raw.get("from", "")), str(raw.get("to", "")), service, where)
