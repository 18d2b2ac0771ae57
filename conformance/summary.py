"""Human-readable summary of one Statement, for `conformance parse`."""

from __future__ import annotations

from typing import Any

from conformance import uids
from conformance.model import Fact, Statement


def _v(fact: Fact[Any] | None) -> str:
    return "-" if fact is None else str(fact.value)


def summarize(st: Statement) -> str:
    lines = [
        f"{st.source}: {st.label()}",
        f"  vendor: {_v(st.vendor)}   version: {_v(st.version)}   pages: {st.pages or '-'}",
        f"  implementation: {_v(st.implementation_class_uid)} / {_v(st.implementation_version_name)}",
        f"  associations: initiated {_v(st.max_associations_initiated)}, "
        f"accepted {_v(st.max_associations_accepted)}   max PDU: {_v(st.max_pdu_receive)}",
        f"  TLS: {_v(st.tls)}   IPv6: {_v(st.ipv6)}   character sets: "
        + (", ".join(f.value for f in st.character_sets) or "-"),
    ]
    aes = [
        f"{ae.name}"
        + (f" ({ae.ae_title.value})" if ae.ae_title else "")
        + (f" port {ae.port.value}" if ae.port else "")
        for ae in st.aes
    ]
    lines.append("  AEs: " + (", ".join(aes) or "-"))
    services = st.services()
    lines.append(f"  services ({len(services)}):")
    width = max((len(uids.uid_name(uid)) for uid, _ in services), default=10)
    for (uid, role), cap in sorted(services.items(), key=lambda kv: (uids.uid_name(kv[0][0]), kv[0][1])):
        ts = ", ".join(uids.uid_name(t) if uids.is_standard(t) else t for t in cap.transfer_syntaxes) or "-"
        page = next((p.page for p in cap.provenance if p.page), None)
        where = f" p.{page}" if page else ""
        opt = " (option)" if cap.support.value == "option" else ""
        lines.append(f"    {uids.uid_name(uid):<{width}}  {role.value}{opt}{where}  [{ts}]")
    for u in st.unresolved:
        lines.append(f"  unresolved {u.kind}: {u.text!r}")
    for w in st.warnings:
        lines.append(f"  warning: {w}")
    return "\n".join(lines)
