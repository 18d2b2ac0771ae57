"""The ``check`` job: inventory + statements -> Analysis, losing nothing silently."""

from __future__ import annotations

import logging
from pathlib import Path

from conformance.errors import ConformanceError
from conformance.findings import Analysis, Skipped
from conformance.inventory import Inventory, load_inventory
from conformance.matcher import analyze
from conformance.model import Statement
from conformance.parsers import parse_many

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


def run_check(inventory_path: str | Path, *, use_cache: bool = True) -> Analysis:
    inventory = load_inventory(inventory_path)
    statements, skipped = parse_inventory_statements(inventory, use_cache=use_cache)
    analysis = analyze(inventory, statements)
    analysis.skipped = [Skipped(p.where, p.message) for p in inventory.problems] + skipped
    return analysis
