"""Human-readable summary of one Statement, for `conformance parse`."""

from __future__ import annotations

from typing import Any

from conformance import uids
from conformance.model import Coverage, Fact, Sighting, Statement

_SHOWN = 6  # items per "not used" line: enough to act on, short enough to read


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
    lines += _not_used(st.coverage)
    return "\n".join(lines)


def _at(page: int | None, line: int | None) -> str:
    return f"p. {page}" if page else (f"line {line}" if line else "")


def _listed(items: list[str], total: int) -> str:
    more = f", and {total - len(items)} more" if total > len(items) else ""
    return "; ".join(items) + more


def _sightings(found: list[Sighting]) -> str:
    shown = []
    for s in found[:_SHOWN]:
        where = _at(s.first.page, s.first.line) if s.first else ""
        places = f"{s.places} places" if s.places > 1 else ""
        detail = ", ".join(x for x in (where, places) if x)
        shown.append(f"{s.name or s.uid} ({detail})" if detail else s.name or s.uid)
    return _listed(shown, len(found))


def _not_used(cov: Coverage) -> list[str]:
    """What the statement names that the reader did not use: the place to look for a miss."""
    out: list[str] = []
    sop, ts = cov.unattached_sop_classes, cov.unattached_transfer_syntaxes
    if sop:
        out.append(f"    SOP classes named, in no service ({len(sop)}): {_sightings(sop)}")
    if ts:
        out.append(f"    transfer syntaxes named, given to no service ({len(ts)}): {_sightings(ts)}")
    if cov.services_without_transfer_syntaxes:
        count = cov.services_without_transfer_syntaxes
        out.append(f"    services without transfer syntaxes: {count} of {cov.services}")
    noted = [t for t in cov.tables if t.note]
    if noted:
        shown = [f"{_at(t.page, t.line)} {t.caption[:60]!r}: {t.note}" for t in noted[:_SHOWN]]
        out.append(f"    tables that gave less than they name ({len(noted)}): {_listed(shown, len(noted))}")
    if cov.declined_sop_classes:
        out.append(f"    SOP classes stated as not supported: {len(cov.declined_sop_classes)}")
    if not cov.services and (cov.tables or cov.sections):
        # an empty reading must say what it read, or "no SOP classes" cannot be told from "not read"
        tables = [f"{_at(t.page, t.line)} {t.caption[:40]!r} ({t.rows} rows)" for t in cov.tables]
        out.append(f"    tables looked at ({len(tables)}): {_listed(tables[:_SHOWN], len(tables)) or 'none'}")
        top = [s for s in cov.sections if s.level <= 2]
        heads = [s.heading[:50] for s in (top or cov.sections)]
        label = "top level: " if top and len(top) < len(cov.sections) else ""
        listed = _listed(heads[: 2 * _SHOWN], len(heads)) or "none"
        out.append(f"    sections looked at ({len(cov.sections)}): {label}{listed}")
    return ["  not used:", *out] if out else []
