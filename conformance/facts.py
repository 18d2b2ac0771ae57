"""Export a Statement as ``conformance-facts/1`` (docs/facts-schema.md) data.

Besides the scored fields, the export keeps what the matcher needs to give the same findings
when it is used as a statement again (docs/statements-as-data.md): transfer syntaxes in the
stated order (a proposer's preference), whether a service is an option, whether it comes
from tables of proposed or accepted presentation contexts (a reverse association needs an
accepting one), which AEs carry it, and each AE's own title, port and association limits.
The editable YAML form is :mod:`conformance.facts_yaml`: it needs PyYAML and pydicom's UID
names, which this export (the default, and a cached run's only work) does without.
"""

from __future__ import annotations

from typing import Any

from conformance.model import Direction, Fact, Role, ServiceClass, Statement, Support, TransferCapability

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
        # every storage SOP class claimed at once ("accepts any incoming C-STORE"), per role
        "any_storage": {
            role.value: statement.wildcard(ServiceClass.STORAGE, role) is not None
            for role in (Role.SCP, Role.SCU)
        },
        # SOP classes the statement states it does not support ("does not support storage
        # commitment"): a stated refusal, not silence, when the file is used as a statement again
        "not_supported": [
            {"sop_class_uid": s.uid, "text": s.first.text if s.first else ""}
            for s in statement.coverage.declined_sop_classes
        ],
        "max_associations": {
            "initiated": _v(statement.association_limit(accepted=False)),
            "accepted": _v(statement.association_limit(accepted=True)),
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
