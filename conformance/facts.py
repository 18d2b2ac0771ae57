"""Export a Statement as ``conformance-facts/1`` (docs/facts-schema.md)."""

from __future__ import annotations

from typing import Any

from conformance.model import Fact, Role, ServiceClass, Statement

SCHEMA = "conformance-facts/1"


def _v(fact: Fact[Any] | None) -> Any:
    return None if fact is None else fact.value


def to_facts(statement: Statement) -> dict[str, Any]:
    services = []
    for (uid, role), cap in sorted(statement.services().items()):
        pages = sorted({p.page for p in cap.provenance if p.page})
        services.append(
            {
                "sop_class_uid": uid,
                "role": role.value,
                "transfer_syntaxes": sorted(cap.transfer_syntaxes),
                "pages": pages or None,
            }
        )
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
        "max_associations": {
            "initiated": _v(statement.max_associations_initiated),
            "accepted": _v(statement.max_associations_accepted),
        },
        "max_pdu_receive": _v(statement.max_pdu_receive),
        "character_sets": sorted({f.value for f in statement.character_sets}),
        "security": {"tls": _v(statement.tls)},
        "network": {"ipv6": _v(statement.ipv6)},
    }
