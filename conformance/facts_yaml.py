"""``conformance-facts/1`` as YAML a person edits (``conformance facts --format yaml``).

The same data as :func:`conformance.facts.to_facts`, written for people: each service is
commented with the page or line that states it, each UID with its dictionary name. Its own
module because those names come from pydicom and the layout from PyYAML: the JSON export,
which a cached ``facts`` run does, needs neither.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from conformance import uids
from conformance.facts import SCHEMA, to_facts
from conformance.model import Provenance, Role, Statement

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def _comment(text: str) -> str:
    """Statement text made safe for a YAML comment: one line, no control characters."""
    return " ".join(_UNPRINTABLE.sub(" ", text).split())[:160]


def _scalar(value: Any) -> str:
    """One value in YAML flow syntax, quoted where YAML needs it (PyYAML decides, not us)."""
    dumped = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=1 << 30)
    return dumped.strip()[1:-1]


def _block(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)


def _where(provenance: list[Provenance]) -> str:
    """Where the statement states a service: "p. 7 (Table 3-4), p. 9" or "line 120"."""
    seen: dict[str, str] = {}
    for p in provenance:
        at = f"p. {p.page}" if p.page else (f"line {p.line}" if p.line else "")
        if at and at not in seen:
            seen[at] = _comment(p.section)[:60]
    return ", ".join(f"{at} ({section})" if section else at for at, section in list(seen.items())[:6])


def to_facts_yaml(statement: Statement) -> str:
    """The facts as YAML a person edits: services commented with their source and UID names."""
    data = to_facts(statement)
    services = data.pop("services")
    caps = statement.services()
    lines = [
        f"# {SCHEMA}: what {_comment(statement.source)} states, as read by `conformance facts`.",
        "# Edit it, then name this file as the device's statement in the inventory",
        "# (docs/statements-as-data.md). SOP classes and transfer syntaxes may also be",
        "# written by name, e.g. `sop_class: CT Image Storage`.",
        _block(data).rstrip(),
        "services:" if services else "services: []",
    ]
    for svc in services:
        where = _where(caps[(svc["sop_class_uid"], Role(svc["role"]))].provenance)
        title = f"# {_comment(uids.uid_name(svc['sop_class_uid']))} as {svc['role']}"
        lines.append(title + (f": {where}" if where else ""))
        first = True
        for key, value in svc.items():
            lead = "- " if first else "  "
            first = False
            if key == "transfer_syntaxes" and value:
                lines.append(f"{lead}{key}:")
                for ts in value:
                    lines.append(f"  - {_scalar(ts)}  # {_comment(uids.uid_name(ts))}")
            else:
                lines.append(f"{lead}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"
