"""Export a Statement as ``conformance-facts/1`` (docs/facts-schema.md), as JSON data or editable YAML.

Besides the scored fields, the export keeps what the matcher needs to give the same findings
when it is used as a statement again (docs/statements-as-data.md): transfer syntaxes in the
stated order (a proposer's preference), whether a service is an option, whether it comes
from tables of proposed or accepted presentation contexts (a reverse association needs an
accepting one), which AEs carry it, and each AE's own title, port and association limits.
The YAML form is for people: it quotes each service's source page or line and names every
UID in a comment.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from conformance import uids
from conformance.model import Direction, Fact, Provenance, Role, Statement, Support, TransferCapability

SCHEMA = "conformance-facts/1"


def _v(fact: Fact[Any] | None) -> Any:
    return None if fact is None else fact.value


def _service(statement: Statement, cap: TransferCapability, several_aes: bool) -> dict[str, Any]:
    key = (cap.sop_class_uid, cap.role)
    mine = [(ae.name, c) for ae in statement.aes for c in ae.capabilities if (c.sop_class_uid, c.role) == key]
    pages = sorted({p.page for p in cap.provenance if p.page})
    entry: dict[str, Any] = {
        "sop_class_uid": cap.sop_class_uid,
        "role": cap.role.value,
        "transfer_syntaxes": list(cap.transfer_syntaxes),  # as stated: a proposer's order is its preference
        "pages": pages or None,
    }
    if cap.support is Support.OPTION:
        entry["option"] = True
    directions = [
        d.value for d in (Direction.INITIATE, Direction.ACCEPT) if any(c.direction is d for _, c in mine)
    ]
    if directions:
        entry["direction"] = directions[0] if len(directions) == 1 else directions
    if several_aes:
        entry["aes"] = list(dict.fromkeys(name for name, _ in mine))
    return entry


def to_facts(statement: Statement) -> dict[str, Any]:
    from conformance.matcher.common import limit  # the matcher's rule: product-wide, else the AEs' sum

    several = len(statement.aes) > 1
    services = [_service(statement, cap, several) for _key, cap in sorted(statement.services().items())]
    return {
        "schema": SCHEMA,
        "document": statement.source,
        "product": {
            "vendor": _v(statement.vendor),
            "name": _v(statement.product),
            "version": _v(statement.version),
        },
        "implementation_class_uid": _v(statement.implementation_class_uid),
        "implementation_version_name": _v(statement.implementation_version_name),
        "services": services,
        "max_associations": {
            "initiated": _v(limit(statement, accepted=False)),
            "accepted": _v(limit(statement, accepted=True)),
        },
        "max_pdu_receive": _v(statement.max_pdu_receive),
        "character_sets": sorted({f.value for f in statement.character_sets}),
        "security": {"tls": _v(statement.tls)},
        "network": {"ipv6": _v(statement.ipv6)},
        "aes": [
            {
                "name": ae.name,
                "ae_title": _v(ae.ae_title),
                "port": _v(ae.port),
                "max_associations": {
                    "initiated": _v(ae.max_associations_initiated),
                    "accepted": _v(ae.max_associations_accepted),
                },
            }
            for ae in statement.aes
        ],
    }


# ----------------------------------------------------------------------------- YAML
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
