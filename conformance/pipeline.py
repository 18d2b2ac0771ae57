"""The ``check`` job: inventory + statements -> Analysis, losing nothing silently.

Also the pre-purchase what-if: a candidate statement is added to the inventory as a new
device (with the links its role implies, in both directions) or replaces an existing
device's statement; for a replacement the findings are compared with the current state,
so the report says what the replacement breaks and what it fixes.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace as dc_replace
from pathlib import Path

from conformance.corrections import apply_site_corrections
from conformance.errors import ConformanceError, InventoryError, StatementError
from conformance.findings import Analysis, Evidence, Finding, Severity, Skipped
from conformance.inventory import (
    AE,
    IMPLIED,
    Device,
    DeviceRole,
    Inventory,
    Link,
    Service,
    load_inventory,
    parse_role,
)
from conformance.matcher import analyze
from conformance.matcher.common import ALTERNATIVES
from conformance.model import Role, Statement
from conformance.parsers import parse_many, parse_statement
from conformance.uids import MODALITY_WORKLIST_FIND, MPPS, is_storage_sop_class

LOGGER = logging.getLogger(__name__)


def parse_inventory_statements(
    inventory: Inventory, *, use_cache: bool = True
) -> tuple[dict[str, Statement], list[Skipped]]:
    """Parse each distinct statement once (on all cores); a bad one skips its devices, not the run."""
    by_path: dict[Path, Statement | ConformanceError] = parse_many(
        [d.statement for d in inventory.devices if d.statement is not None], use_cache=use_cache
    )
    statements: dict[str, Statement] = {}
    skipped: list[Skipped] = []
    for device in inventory.devices:
        if device.statement is None:
            skipped.append(Skipped(device.name, "no statement file in the inventory"))
            continue
        result = by_path[Path(device.statement)]
        if isinstance(result, ConformanceError):
            skipped.append(Skipped(device.name, result.message))
        elif not result.capabilities():
            # matching a statement that lists nothing would report every service as missing
            skipped.append(
                Skipped(device.name, f"{result.source}: no SOP classes found (not a conformance statement?)")
            )
        else:
            statements[device.name] = result
    return statements, skipped


def run_check(
    inventory_path: str | Path,
    *,
    candidate: str | Path | None = None,
    as_role: str | None = None,
    replace: str | None = None,
    use_cache: bool = True,
) -> Analysis:
    """Check an inventory; with ``candidate``, check it with that statement added or swapped in."""
    if (replace is not None or as_role is not None) and candidate is None:
        option = "--replace" if replace is not None else "--as"
        raise InventoryError(str(inventory_path), f"{option} needs --candidate (the new statement)")
    inventory = load_inventory(inventory_path)
    statements, skipped = parse_inventory_statements(inventory, use_cache=use_cache)
    skipped.extend(apply_site_corrections(inventory, statements))  # each device's own corrections file
    fatal = [Skipped(p.where, p.message) for p in inventory.errors()]
    inventory.links.extend(implied_print_links(inventory, statements))
    if candidate is None:
        analysis = analyze(inventory, statements)
        analysis.skipped = fatal + skipped
        analysis.site = inventory.site
        return analysis
    cand_path = Path(candidate)
    cand = parse_statement(cand_path, use_cache=use_cache)  # a candidate that cannot be read ends the run
    if not cand.capabilities():  # a what-if on a statement that lists nothing would report a clean fit
        raise StatementError(str(cand_path), "no SOP classes found (not a conformance statement?)")
    role = _role(cand_path, as_role, cand)
    if replace is not None:
        analysis = _what_if_replace(inventory, statements, skipped, replace, cand_path, cand, role)
    else:
        analysis = _what_if_add(inventory, statements, cand_path, cand, role)
        analysis.skipped = skipped
    analysis.skipped = fatal + analysis.skipped
    analysis.site = inventory.site
    return analysis


def implied_print_links(inventory: Inventory, statements: dict[str, Statement]) -> list[Link]:
    """Print links for devices without explicit links whose statement is a Print SCU.

    Not every modality prints, so unlike storage this needs the statement: a device that
    lists a print meta SOP class as SCU prints to every printer of the site.
    """
    explicit = {lk.source for lk in inventory.links if not lk.implied}
    have = {lk.key() for lk in inventory.links}
    printers = sorted((d for d in inventory.devices if d.role is DeviceRole.PRINTER), key=lambda d: d.name)
    out: list[Link] = []
    for device in sorted(inventory.devices, key=lambda d: d.name):
        st = statements.get(device.name)
        if device.name in explicit or st is None or device.role is DeviceRole.PRINTER:
            continue
        if not any((uid, Role.SCU) in st.services() for uid in ALTERNATIVES[Service.PRINT]):
            continue
        for printer in printers:
            link = Link(device.name, printer.name, Service.PRINT, "implied by role and Print SCU", True)
            if link.key() not in have:
                have.add(link.key())
                out.append(link)
    return out


# ----------------------------------------------------------------------------- what-if
def _role(path: Path, as_role: str | None, st: Statement) -> DeviceRole | None:
    if as_role is None:
        return None
    role = parse_role(as_role)
    if role is None:
        choices = ", ".join(r.value for r in DeviceRole)
        raise ConformanceError(str(path), f"unknown role {as_role!r} for --as (use one of: {choices})")
    return role


def guess_role(st: Statement) -> DeviceRole:
    """The department role a statement's services suggest (used when --as is not given)."""
    services = st.services()

    def has(uids: tuple[str, ...] | str, role: Role) -> bool:
        items = (uids,) if isinstance(uids, str) else uids
        return any((u, role) in services for u in items)

    storage_scp = any(is_storage_sop_class(u) and r is Role.SCP for u, r in services)
    storage_scu = any(is_storage_sop_class(u) and r is Role.SCU for u, r in services)
    if has(MODALITY_WORKLIST_FIND, Role.SCP):
        return DeviceRole.WORKLIST
    if storage_scp and (
        has(ALTERNATIVES[Service.QUERY], Role.SCP) or has(ALTERNATIVES[Service.MOVE], Role.SCP)
    ):
        return DeviceRole.ARCHIVE
    if has(ALTERNATIVES[Service.PRINT], Role.SCP):
        return DeviceRole.PRINTER
    if storage_scu and (has(MODALITY_WORKLIST_FIND, Role.SCU) or has(MPPS, Role.SCU)):
        return DeviceRole.MODALITY
    if has(ALTERNATIVES[Service.QUERY], Role.SCU) or has(ALTERNATIVES[Service.MOVE], Role.SCU):
        return DeviceRole.WORKSTATION
    if storage_scu:
        return DeviceRole.MODALITY
    return DeviceRole.OTHER


def candidate_links(inventory: Inventory, device: Device) -> list[Link]:
    """Links the candidate's role implies, in both directions, whatever the others' explicit links."""
    have = {lk.key() for lk in inventory.links}
    out: list[Link] = []

    def add(link: Link) -> None:
        if link.key() not in have:
            have.add(link.key())
            out.append(link)

    for other in sorted(inventory.devices, key=lambda d: d.name):
        if other.name == device.name:
            continue
        for src, dst in ((device, other), (other, device)):
            for dst_role, services in IMPLIED.get(src.role, []):
                if dst.role is not dst_role:
                    continue
                for service in services:
                    add(
                        Link(src.name, dst.name, service, f"implied by role {src.role.value} (what-if)", True)
                    )
    return out


def _candidate_print_links(
    inventory: Inventory, statements: dict[str, Statement], device: Device, have: set[tuple[str, str, str]]
) -> list[Link]:
    """A candidate printer serves every Print SCU of the site; a candidate Print SCU every printer."""

    def prints(name: str) -> bool:
        st = statements.get(name)
        return st is not None and any((u, Role.SCU) in st.services() for u in ALTERNATIVES[Service.PRINT])

    out = []
    for other in sorted(inventory.devices, key=lambda d: d.name):
        if other.name == device.name:
            continue
        if device.role is DeviceRole.PRINTER and prints(other.name):
            out.append(Link(other.name, device.name, Service.PRINT, "Print SCU (what-if)", True))
        elif other.role is DeviceRole.PRINTER and prints(device.name):
            out.append(Link(device.name, other.name, Service.PRINT, "Print SCU (what-if)", True))
    return [lk for lk in out if lk.key() not in have]


def _ae_title(st: Statement, fallback: str) -> str:
    for ae in st.aes:
        if ae.ae_title and ae.ae_title.value:
            return str(ae.ae_title.value)[:16]
    return (re.sub(r"[^A-Z0-9_]", "_", fallback.upper()).strip("_") or "CANDIDATE")[:16]


def _what_if_add(
    inventory: Inventory, statements: dict[str, Statement], path: Path, st: Statement, role: DeviceRole | None
) -> Analysis:
    role = role or guess_role(st)
    if role is DeviceRole.OTHER:
        raise ConformanceError(
            str(path), "cannot tell the candidate's role from its services; pass --as ROLE"
        )
    base = f"{st.product.value if st.product else path.stem} (candidate)"
    name, n = base, 2
    while inventory.device(name) is not None:
        name, n = f"{base} {n}", n + 1
    device = Device(name, role, [AE(_ae_title(st, path.stem))], path, "candidate (--candidate)")
    inventory.devices.append(device)
    links = candidate_links(inventory, device)
    statements[name] = st
    links.extend(_candidate_print_links(inventory, statements, device, {lk.key() for lk in inventory.links}))
    inventory.links.extend(links)
    analysis = analyze(inventory, statements)
    analysis.title = f"What-if: adding {name} as {role.value}"
    mine = [f for f in analysis.findings if name in (f.source, f.target) or name in f.title]
    for f in mine:
        f.change = "new"
    counts = {s: sum(1 for f in mine if f.severity is s) for s in Severity}
    analysis.findings.append(
        Finding(
            "what-if-summary",
            Severity.INFO,
            f"Adding {name} as {role.value}: {len(links)} link(s); {counts[Severity.BLOCKING]} blocking, "
            f"{counts[Severity.DEGRADING]} degrading, {counts[Severity.INFO]} info finding(s) involve it",
            "Links: " + "; ".join(f"{lk.source} -> {lk.target} ({lk.service.value})" for lk in links),
            "Resolve the blocking findings with the vendor before purchase.",
            name,
            "",
            "what-if",
            "",
            [Evidence(name, st.source, f"candidate statement {st.label()}")],
            change="new",
        )
    )
    analysis.findings.sort(key=Finding.sort_key)
    return analysis


def _what_if_replace(
    inventory: Inventory,
    statements: dict[str, Statement],
    skipped: list[Skipped],
    replace: str,
    path: Path,
    st: Statement,
    role: DeviceRole | None,
) -> Analysis:
    device = inventory.device(replace)
    if device is None:
        names = ", ".join(sorted(d.name for d in inventory.devices))
        raise InventoryError(str(inventory.path), f"--replace: no device {replace!r} (devices: {names})")
    before = analyze(inventory, dict(statements))
    old = statements.get(replace)
    device.statement = path
    if role is not None:
        device.role = role
    statements[replace] = st
    after = analyze(inventory, statements)
    after.skipped = [s for s in skipped if s.item != replace]
    after.title = f"What-if: replacing {replace}'s statement with {st.source}"

    def key(f: Finding) -> tuple[str, ...]:
        return (f.rule, f.source, f.target, f.service, f.title)

    old_keys = {key(f) for f in before.findings}
    new_keys = {key(f) for f in after.findings}
    new = [f for f in after.findings if key(f) not in old_keys]
    for f in new:
        f.change = "new"
    resolved = [f for f in before.findings if key(f) not in new_keys]
    worse = sum(1 for f in new if f.severity is Severity.BLOCKING)
    after.findings.append(
        Finding(
            "what-if-summary",
            Severity.INFO,
            f"Replacing {replace}'s statement: {len(new)} new finding(s) ({worse} blocking), "
            f"{len(resolved)} resolved",
            "Resolved: " + ("; ".join(f"[{f.severity.value}] {f.title}" for f in resolved) or "none"),
            "Review the new blocking findings before the replacement." if worse else "",
            replace,
            "",
            "what-if",
            "",
            [
                Evidence(
                    replace,
                    old.source if old else "",
                    f"current statement {old.label() if old else '(none)'}",
                ),
                Evidence(replace, st.source, f"candidate statement {st.label()}"),
            ],
            change="new",
        )
    )
    for f in resolved:
        after.findings.append(
            dc_replace(f, change="resolved", severity=Severity.INFO, title=f"Resolved: {f.title}")
        )
    after.findings.sort(key=Finding.sort_key)
    return after
