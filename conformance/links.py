"""Which devices talk to which when the inventory does not say: every link rule in one place.

An inventory lists links explicitly, or leaves them to the devices' roles (a modality stores to
every archive ...). Print links also need the statement (not every modality prints), and a
what-if candidate gets the links its role implies in both directions. Each function returns new
links and leaves its inputs alone; callers build a new :class:`~conformance.site.Inventory`.
"""

from __future__ import annotations

import logging

from conformance.model import Role, Statement
from conformance.services import ALTERNATIVES, Service
from conformance.site import Device, DeviceRole, Inventory, Link

LOGGER = logging.getLogger(__name__)

# Links implied by role for a device that initiates none: initiator role -> [(acceptor role, services)].
IMPLIED: dict[DeviceRole, list[tuple[DeviceRole, tuple[Service, ...]]]] = {
    DeviceRole.MODALITY: [
        (DeviceRole.ARCHIVE, (Service.STORE, Service.COMMITMENT)),
        (DeviceRole.WORKLIST, (Service.WORKLIST, Service.MPPS)),
    ],
    DeviceRole.WORKSTATION: [(DeviceRole.ARCHIVE, (Service.QUERY, Service.MOVE))],
}


def implied_links(devices: list[Device], explicit: list[Link]) -> list[Link]:
    """Links implied by role, for each device that initiates no explicit link."""
    initiators = {link.source for link in explicit}
    have = {link.key() for link in explicit}
    by_role: dict[DeviceRole, list[Device]] = {}
    for d in devices:
        by_role.setdefault(d.role, []).append(d)
    out: list[Link] = []
    for src in devices:
        if src.name in initiators:
            continue
        for dst_role, services in IMPLIED.get(src.role, []):
            for dst in by_role.get(dst_role, []):
                if dst.name == src.name:
                    continue
                for service in services:
                    link = Link(src.name, dst.name, service, f"implied by role {src.role.value}", True)
                    if link.key() not in have:
                        have.add(link.key())
                        out.append(link)
    return out


def _prints(st: Statement | None) -> bool:
    """Whether a statement lists a print meta SOP class as SCU."""
    return st is not None and any((u, Role.SCU) in st.services() for u in ALTERNATIVES[Service.PRINT])


def print_links(inventory: Inventory, statements: dict[str, Statement]) -> list[Link]:
    """Print links for devices without explicit links whose statement is a Print SCU.

    Not every modality prints, so unlike storage this needs the statement: a device that
    lists a print meta SOP class as SCU prints to every printer of the site.
    """
    explicit = {lk.source for lk in inventory.links if not lk.implied}
    have = {lk.key() for lk in inventory.links}
    printers = sorted((d for d in inventory.devices if d.role is DeviceRole.PRINTER), key=lambda d: d.name)
    out: list[Link] = []
    for device in sorted(inventory.devices, key=lambda d: d.name):
        if device.name in explicit or device.role is DeviceRole.PRINTER:
            continue
        if not _prints(statements.get(device.name)):
            continue
        for printer in printers:
            link = Link(device.name, printer.name, Service.PRINT, "implied by role and Print SCU", True)
            if link.key() not in have:
                have.add(link.key())
                out.append(link)
    return out


def candidate_links(inventory: Inventory, device: Device, statements: dict[str, Statement]) -> list[Link]:
    """Links a what-if candidate (already in ``inventory`` and ``statements``) brings to the site.

    Those its role implies, in both directions and whatever the others' explicit links; then
    print links: a candidate printer serves every Print SCU of the site, a candidate Print SCU
    prints to every printer.
    """
    existing = {lk.key() for lk in inventory.links}
    have = set(existing)
    out: list[Link] = []

    def add(link: Link) -> None:
        if link.key() not in have:
            have.add(link.key())
            out.append(link)

    others = [d for d in sorted(inventory.devices, key=lambda d: d.name) if d.name != device.name]
    for other in others:
        for src, dst in ((device, other), (other, device)):
            for dst_role, services in IMPLIED.get(src.role, []):
                if dst.role is not dst_role:
                    continue
                for service in services:
                    add(
                        Link(src.name, dst.name, service, f"implied by role {src.role.value} (what-if)", True)
                    )
    printing: list[Link] = []
    for other in others:
        if device.role is DeviceRole.PRINTER and _prints(statements.get(other.name)):
            printing.append(Link(other.name, device.name, Service.PRINT, "Print SCU (what-if)", True))
        elif other.role is DeviceRole.PRINTER and _prints(statements.get(device.name)):
            printing.append(Link(device.name, other.name, Service.PRINT, "Print SCU (what-if)", True))
    out.extend(lk for lk in printing if lk.key() not in existing)
    return out
