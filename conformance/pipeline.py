"""The ``check`` job: inventory + statements -> Analysis, losing nothing silently.

Also the pre-purchase what-if: a candidate statement is added to the inventory as a new
device (with the links its role implies, in both directions) or replaces an existing
device's statement; for a replacement the findings are compared with the current state,
so the report says what the replacement breaks and what it fixes.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from conformance.corrections import apply_site_corrections
from conformance.errors import ConformanceError, InventoryError, StatementError
from conformance.findings import Analysis, Evidence, Finding, Severity, Skipped, count_severities
from conformance.inventory import load_inventory
from conformance.links import candidate_links, print_links
from conformance.matcher import analyze
from conformance.model import Role, Statement
from conformance.parsers import parse_many, parse_statement
from conformance.services import ALTERNATIVES, Service
from conformance.site import AE, Device, DeviceRole, Inventory, parse_role
from conformance.uids import MODALITY_WORKLIST_FIND, MPPS, is_storage_sop_class
from conformance.whatif import Diff, compare, connection_state

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
            skipped.append(Skipped(device.name, "no statement file in the inventory", "statement"))
            continue
        result = by_path[Path(device.statement)]
        if isinstance(result, ConformanceError):
            skipped.append(Skipped(device.name, result.message, "statement"))
        elif result.empty():
            # matching a statement that lists nothing would report every service as missing
            skipped.append(
                Skipped(
                    device.name,
                    f"{result.source}: no SOP classes found (not a conformance statement?)",
                    "statement",
                )
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
    baseline: str | Path | None = None,
    use_cache: bool = True,
    sheet: str | None = None,
    observe: Observer | None = None,
) -> Analysis:
    """Check an inventory; with ``candidate``, check it with that statement added or swapped in.

    ``baseline`` (with ``replace``) is the statement the replaced device runs today when it is
    not the one the inventory names: ``conformance diff OLD NEW --device PACS`` measures the
    site impact of OLD -> NEW, whatever file the inventory lists for PACS.
    ``sheet``: the XLSX sheet to read. ``observe``: live observation (``check --probe``) whose
    statements replace the parsed ones for the devices it saw, so that links are matched on
    what the devices do; its own findings (declared versus observed) are added.
    """
    if (replace is not None or as_role is not None) and candidate is None:
        option = "--replace" if replace is not None else "--as"
        raise InventoryError(str(inventory_path), f"{option} needs --candidate (the new statement)")
    if baseline is not None and replace is None:
        raise InventoryError(str(inventory_path), "a baseline statement needs the device it replaces")
    loaded = load_inventory(inventory_path, sheet=sheet)
    statements, skipped = parse_inventory_statements(loaded, use_cache=use_cache)
    if baseline is not None and replace is not None:
        loaded, statements, skipped = _use_baseline(
            loaded, statements, skipped, replace, Path(baseline), use_cache
        )
    skipped.extend(apply_site_corrections(loaded, statements))  # each device's own corrections file
    fatal = [Skipped(p.where, p.message, "inventory") for p in loaded.errors()]
    inventory = dataclasses.replace(loaded, links=[*loaded.links, *print_links(loaded, statements)])
    seen = observe(inventory, statements) if observe is not None else None
    if seen is not None:
        statements = {**statements, **seen.statements}
        skipped = [s for s in skipped if s.item not in seen.statements] + seen.skipped
    if candidate is None:
        analysis = analyze(inventory, statements)
        analysis.skipped = fatal + skipped
        if seen is not None:
            analysis.findings = sorted([*analysis.findings, *seen.findings], key=Finding.sort_key)
        return analysis
    cand_path = Path(candidate)
    cand = parse_statement(cand_path, use_cache=use_cache)  # a candidate that cannot be read ends the run
    if cand.empty():  # a what-if on a statement that lists nothing would report a clean fit
        raise StatementError(str(cand_path), "no SOP classes found (not a conformance statement?)")
    role = _role(cand_path, as_role, cand)
    if replace is not None:
        analysis = _what_if_replace(inventory, statements, skipped, replace, cand_path, cand, role)
    else:
        analysis = _what_if_add(inventory, statements, cand_path, cand, role)
        analysis.skipped = skipped
    analysis.skipped = fatal + analysis.skipped
    if seen is not None:
        analysis.findings = sorted([*analysis.findings, *seen.findings], key=Finding.sort_key)
    return analysis


def _use_baseline(
    inventory: Inventory,
    statements: dict[str, Statement],
    skipped: list[Skipped],
    replace: str,
    path: Path,
    use_cache: bool,
) -> tuple[Inventory, dict[str, Statement], list[Skipped]]:
    """The site with ``replace`` given the baseline statement, before anything is matched."""
    device = inventory.device(replace)
    if device is None:
        names = ", ".join(sorted(d.name for d in inventory.devices))
        raise InventoryError(str(inventory.path), f"no device {replace!r} (devices: {names})")
    st = parse_statement(path, use_cache=use_cache)
    if st.empty():
        raise StatementError(str(path), "no SOP classes found (not a conformance statement?)")
    swapped = dataclasses.replace(device, statement=path)
    site = dataclasses.replace(inventory, devices=[swapped if d is device else d for d in inventory.devices])
    return site, {**statements, replace: st}, [s for s in skipped if s.item != replace]


@dataclass
class Observed:
    """What live observation adds to a check (``check --probe``).

    ``statements``: per device, the statement to match on (observed behaviour where the probe
    saw it, the parsed statement for the rest); ``findings``: declared versus observed.
    """

    statements: dict[str, Statement] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


Observer = Callable[[Inventory, dict[str, Statement]], Observed]


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


def _ae_title(st: Statement, fallback: str) -> str:
    for ae in st.aes:
        if ae.ae_title and ae.ae_title.value:
            return str(ae.ae_title.value)[:16]
    return (re.sub(r"[^A-Z0-9_]", "_", fallback.upper()).strip("_") or "CANDIDATE")[:16]


def _what_if_add(
    inventory: Inventory, statements: dict[str, Statement], path: Path, st: Statement, role: DeviceRole | None
) -> Analysis:
    """The site with the candidate as a new device and the links it brings (a new inventory)."""
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
    with_device = dataclasses.replace(inventory, devices=[*inventory.devices, device])
    everything = {**statements, name: st}
    links = candidate_links(with_device, device, everything)
    site = dataclasses.replace(with_device, links=[*inventory.links, *links])
    before = analyze(inventory, statements)
    analysis = analyze(site, everything)
    analysis.title = f"What-if: adding {name} as {role.value}"
    diff = compare(before, analysis)
    counts = count_severities([*diff.new, *diff.changed])
    connections = "; ".join(
        f"{lk.source} -> {lk.target} ({lk.service.value}): {connection_state(analysis.findings, lk)}"
        for lk in links
    )
    analysis.findings.append(
        Finding(
            rule="what-if-summary",
            severity=Severity.INFO,
            title=f"Adding {name} as {role.value}: {len(links)} link(s); {counts['blocking']} blocking, "
            f"{counts['degrading']} degrading, {counts['info']} info finding(s) involve it "
            f"({len(diff.new)} new, {len(diff.changed)} changed)",
            detail=f"Links: {connections or 'none'}."
            + (f" Resolved: {'; '.join(f.title for f in diff.resolved)}." if diff.resolved else ""),
            fix="Resolve the blocking findings with the vendor before purchase.",
            source=name,
            service="what-if",
            evidence=[Evidence(name, st.source, f"candidate statement {st.label()}")],
            change="new",
        )
    )
    _add_gone(analysis, diff)
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
    """The site with one device's statement (and role, with --as) swapped, compared with today's."""
    device = inventory.device(replace)
    if device is None:
        names = ", ".join(sorted(d.name for d in inventory.devices))
        raise InventoryError(str(inventory.path), f"--replace: no device {replace!r} (devices: {names})")
    before = analyze(inventory, statements)
    old = statements.get(replace)
    swapped = dataclasses.replace(device, statement=path, role=role or device.role)
    site = dataclasses.replace(inventory, devices=[swapped if d is device else d for d in inventory.devices])
    after = analyze(site, {**statements, replace: st})
    after.skipped = [s for s in skipped if s.item != replace]
    after.title = f"What-if: replacing {replace}'s statement with {st.source}"
    diff = compare(before, after)
    worse = sum(1 for f in diff.new if f.severity is Severity.BLOCKING)
    states = []
    for lk in sorted(site.links, key=lambda lk: lk.key()):
        was, now = connection_state(before.findings, lk), connection_state(after.findings, lk)
        if replace in (lk.source, lk.target) or was != now:
            states.append(f"{lk.source} -> {lk.target} ({lk.service.value}): {was} -> {now}")
    after.findings.append(
        Finding(
            rule="what-if-summary",
            severity=Severity.INFO,
            title=f"Replacing {replace}'s statement: {len(diff.new)} new finding(s) ({worse} blocking), "
            f"{len(diff.changed)} changed, {len(diff.resolved)} resolved"
            + (f", {len(diff.moved)} not resolved (the data now stops earlier)" if diff.moved else ""),
            detail="Connections before -> after: "
            + ("; ".join(states) or "none")
            + ". Resolved: "
            + ("; ".join(f"[{f.severity.value}] {f.title}" for f in diff.resolved) or "none")
            + ".",
            fix="Review the new blocking findings before the replacement." if worse else "",
            source=replace,
            service="what-if",
            evidence=[
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
    _add_gone(after, diff)
    after.findings.sort(key=Finding.sort_key)
    return after


def _add_gone(after: Analysis, diff: Diff) -> None:
    """List what disappeared: resolved problems, and problems whose data now stops earlier."""
    for f in diff.resolved:
        after.findings.append(
            dataclasses.replace(
                f,
                change="resolved",
                severity=Severity.INFO,
                severity_before=f.severity,
                title=f"Resolved: {f.title}",
            )
        )
    for f, where in diff.moved:
        after.findings.append(
            dataclasses.replace(
                f,
                change="moved",
                severity=Severity.INFO,
                title=f"Not resolved, the data now stops earlier: {f.title}",
                detail=f"{where} {f.detail}",
            )
        )
