"""The ``check`` job: inventory + statements -> Analysis, losing nothing silently."""

from __future__ import annotations

import logging
from pathlib import Path

from conformance.errors import ConformanceError
from conformance.findings import Analysis, Skipped
from conformance.inventory import Inventory, load_inventory
from conformance.matcher import analyze
from conformance.model import Statement
from conformance.parsers import parse_statement

LOGGER = logging.getLogger(__name__)


def parse_inventory_statements(inventory: Inventory) -> tuple[dict[str, Statement], list[Skipped]]:
    """Parse each distinct statement once; a bad statement skips its devices, not the run."""
    by_path: dict[Path, Statement | ConformanceError] = {}
    statements: dict[str, Statement] = {}
    skipped: list[Skipped] = []
    for device in inventory.devices:
        if device.statement is None:
            skipped.append(Skipped(device.name, "no statement file in the inventory"))
            continue
        if device.statement not in by_path:
            try:
                by_path[device.statement] = parse_statement(device.statement)
            except ConformanceError as exc:
                by_path[device.statement] = exc
        result = by_path[device.statement]
        if isinstance(result, ConformanceError):
            skipped.append(Skipped(device.name, result.message))
        else:
            statements[device.name] = result
    return statements, skipped


def run_check(inventory_path: str | Path) -> Analysis:
    inventory = load_inventory(inventory_path)
    statements, skipped = parse_inventory_statements(inventory)
    analysis = analyze(inventory, statements)
    analysis.skipped = [Skipped(p.where, p.message) for p in inventory.problems] + skipped
    return analysis
