"""What the extraction tests share: a statement's services as exact sets, Markdown tables.

Tests compare the services a statement states, as {(SOP class UID, role): sorted syntaxes},
against what a careful reader extracts; building the Markdown tables of the statements they
write is the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from conformance.facts import to_facts
from conformance.parsers import parse_statement


def services(path: Path) -> dict[tuple[str, str], list[str]]:
    """{(SOP class UID, role): sorted transfer-syntax UIDs} of a statement file, read afresh."""
    facts: dict[str, Any] = to_facts(parse_statement(path, use_cache=False))
    return {(s["sop_class_uid"], s["role"]): sorted(s["transfer_syntaxes"]) for s in facts["services"]}


def md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown pipe table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join([*lines, *("| " + " | ".join(r) + " |" for r in rows)])
