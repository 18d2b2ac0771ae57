"""Two statements of one product -> what NEW adds, removes and changes (pure, no I/O).

The comparison is made on the normalized facts (the ``conformance-facts/1`` basis: services
per SOP class UID and role with their transfer-syntax UIDs, product-wide scalars), never on
names, tables or pages: a statement re-laid out, or a table renamed, compares equal.
Provenance is carried along only so that a report can quote both documents.

Every change is classed by what it can do to a peer that worked with OLD:

* *removal*: it can break a peer (a service, transfer syntax, character set, TLS or
  association capacity that is gone, a service that became an option);
* *addition*: something a peer can now use that it could not before;
* *neutral*: identity and defaults (product version, implementation UID, AE titles, ports)
  and anything a statement stopped or started stating: silence is reported as silence, never
  as a removal.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from conformance import uids
from conformance.model import UNLIMITED, Fact, Provenance, Role, Statement, Support

LOGGER = logging.getLogger(__name__)

ServiceKey = tuple[str, Role]


class ChangeClass(StrEnum):
    REMOVAL = "removal"  # can break a peer that worked with OLD
    ADDITION = "addition"
    NEUTRAL = "neutral"

    @property
    def rank(self) -> int:
        return {"removal": 0, "addition": 1, "neutral": 2}[self.value]


class ChangeKind(StrEnum):
    SERVICE_REMOVED = "service-removed"
    SERVICE_ADDED = "service-added"
    SUPPORT_CHANGED = "support-changed"  # always supported <-> an option
    TS_REMOVED = "ts-removed"
    TS_ADDED = "ts-added"
    TS_UNSTATED = "ts-unstated"  # one side lists no transfer syntaxes for a service both have
    SCALAR = "scalar"

    @property
    def rank(self) -> int:
        return list(ChangeKind).index(self)


@dataclass(frozen=True)
class Change:
    """One reported change; a transfer-syntax change covers every service it applies to."""

    kind: ChangeKind
    cls: ChangeClass
    title: str
    subject: str  # field path, SOP class UID, or the transfer-syntax UIDs joined by " "
    before: Any = None
    after: Any = None
    services: tuple[ServiceKey, ...] = ()
    transfer_syntaxes: tuple[str, ...] = ()
    note: str = ""
    old_evidence: tuple[Provenance, ...] = ()
    new_evidence: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class Side:
    """Which document a side of the comparison is (shown in every output)."""

    file: str
    sha256: str
    label: str
    vendor: str | None
    product: str | None
    version: str | None
    services: int
    unresolved: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sha256": self.sha256 or None,
            "label": self.label,
            "vendor": self.vendor,
            "product": self.product,
            "version": self.version,
            "services": self.services,
        }


@dataclass
class Diff:
    """What changed from OLD to NEW, on the normalized facts."""

    old: Side
    new: Side
    services_added: list[ServiceKey] = field(default_factory=list)
    services_removed: list[ServiceKey] = field(default_factory=list)
    ts_added: list[tuple[str, Role, str]] = field(default_factory=list)
    ts_removed: list[tuple[str, Role, str]] = field(default_factory=list)
    scalars_changed: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)  # ordered: removals, additions, neutral
    notes: list[str] = field(default_factory=list)  # what may make the comparison incomplete
    summary: str = ""
    # names the statements write for UIDs newer than pydicom's dictionary
    written_names: dict[str, str] = field(default_factory=dict)

    def name(self, uid: str) -> str:
        """The dictionary name of a UID; else the name a statement writes beside it; else the UID."""
        known = uids.uid_name(uid)
        return self.written_names.get(uid, known) if known == uid else known

    def is_storage(self, uid: str) -> bool:
        """A Storage SOP class, including those outside the 1.2.840.10008.5.1.4.1.1 branch
        (Hanging Protocol, Color Palette, Implant Template ... Storage)."""
        name = self.name(uid).removesuffix(" (Retired)").replace("_", "")
        return uids.is_storage_sop_class(uid) or name.endswith("Storage")

    def sort_key(self, change: Change) -> tuple[Any, ...]:
        """Removals first; services by name, syntaxes and scalars by their subject."""
        by_name = change.kind in (
            ChangeKind.SERVICE_ADDED,
            ChangeKind.SERVICE_REMOVED,
            ChangeKind.SUPPORT_CHANGED,
        )
        first = change.services[0] if change.services else ("", "")
        name = self.name(first[0]) if by_name else ""
        return (
            change.cls.rank,
            change.kind.rank,
            name,
            change.subject,
            str(first[1]),
            str(change.before),
            str(change.after),
        )

    def is_empty(self) -> bool:
        return not self.changes

    def counts(self) -> dict[str, int]:
        return {c.value: sum(1 for ch in self.changes if ch.cls is c) for c in ChangeClass}

    def of_kind(self, *kinds: ChangeKind) -> list[Change]:
        return [c for c in self.changes if c.kind in kinds]


# ----------------------------------------------------------------------------- basis
@dataclass(frozen=True)
class _Service:
    transfer_syntaxes: frozenset[str]
    support: Support
    evidence: tuple[Provenance, ...]


@dataclass(frozen=True)
class _Scalar:
    value: Any
    evidence: tuple[Provenance, ...]


def _services(st: Statement) -> dict[ServiceKey, _Service]:
    return {
        key: _Service(frozenset(cap.transfer_syntaxes), cap.support, tuple(cap.provenance))
        for key, cap in st.services().items()
    }


def _fact(f: Fact[Any] | None) -> _Scalar:
    if f is None or f.value is None:
        return _Scalar(None, ())
    return _Scalar(f.value, (f.provenance,) if f.provenance else ())


def _value_set(facts: Iterable[Fact[Any] | None]) -> dict[Any, tuple[Provenance, ...]]:
    """Values of set-valued facts (character sets, AE titles, ports), each with where it is stated."""
    out: dict[Any, list[Provenance]] = defaultdict(list)
    for f in facts:
        if f is None or f.value is None:
            continue
        where = out[f.value]
        if f.provenance and f.provenance not in where:
            where.append(f.provenance)
    return {k: tuple(v) for k, v in out.items()}


# The scalar fields compared, by their conformance-facts/1 path where it has one.
def _scalars(st: Statement) -> dict[str, _Scalar]:
    return {
        "product.vendor": _fact(st.vendor),
        "product.name": _fact(st.product),
        "product.version": _fact(st.version),
        "implementation_class_uid": _fact(st.implementation_class_uid),
        "implementation_version_name": _fact(st.implementation_version_name),
        "max_associations.initiated": _fact(st.max_associations_initiated),
        "max_associations.accepted": _fact(st.max_associations_accepted),
        "max_pdu_receive": _fact(st.max_pdu_receive),
        "security.tls": _fact(st.tls),
        "network.ipv6": _fact(st.ipv6),
    }


def _sets(st: Statement) -> dict[str, dict[Any, tuple[Provenance, ...]]]:
    return {
        "character_sets": _value_set(st.character_sets),
        "ae_titles": _value_set(ae.ae_title for ae in st.aes),
        "ports": _value_set([*(ae.port for ae in st.aes), *st.ports]),
    }


SCALAR_LABELS = {
    "product.vendor": "vendor",
    "product.name": "product name",
    "product.version": "product version",
    "implementation_class_uid": "implementation class UID",
    "implementation_version_name": "implementation version name",
    "max_associations.initiated": "associations initiated at most",
    "max_associations.accepted": "associations accepted at most",
    "max_pdu_receive": "maximum PDU received (bytes)",
    "security.tls": "TLS",
    "network.ipv6": "IPv6",
    "character_sets": "character set",
    "ae_titles": "default AE title",
    "ports": "default port",
}


# ----------------------------------------------------------------------------- classing
def _capacity(value: Any) -> float:
    """An association limit as a number: 'unlimited' is infinite."""
    if value == UNLIMITED:
        return float("inf")
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _class_limit(before: Any, after: Any) -> tuple[ChangeClass, str]:
    b, a = _capacity(before), _capacity(after)
    if a < b:
        return (
            ChangeClass.REMOVAL,
            "fewer simultaneous associations: a site that used the old capacity may be refused",
        )
    if a > b:
        return ChangeClass.ADDITION, ""
    return ChangeClass.NEUTRAL, "not comparable as numbers"


def _class_pdu(before: Any, after: Any) -> tuple[ChangeClass, str]:
    # 0 is "no limit" in DICOM; either way the size is negotiated, so no peer breaks
    return ChangeClass.NEUTRAL, "negotiated per association: peers adapt (a smaller PDU may be slower)"


def _class_flag(before: Any, after: Any) -> tuple[ChangeClass, str]:
    if before is True and after is False:
        return ChangeClass.REMOVAL, "peers that use it must be reconfigured"
    if before is False and after is True:
        return ChangeClass.ADDITION, ""
    return ChangeClass.NEUTRAL, ""


def _class_identity(before: Any, after: Any) -> tuple[ChangeClass, str]:
    return ChangeClass.NEUTRAL, ""


_CLASSIFY: dict[str, Callable[[Any, Any], tuple[ChangeClass, str]]] = {
    "max_associations.initiated": _class_limit,
    "max_associations.accepted": _class_limit,
    "max_pdu_receive": _class_pdu,
    "security.tls": _class_flag,
    "network.ipv6": _class_flag,
}
# set-valued fields: what a removed value does to a peer (an added value is an addition for
# character sets; AE titles and ports are site-configured defaults, so neutral either way)
_SET_REMOVAL = {
    "character_sets": ChangeClass.REMOVAL,
    "ae_titles": ChangeClass.NEUTRAL,
    "ports": ChangeClass.NEUTRAL,
}
_SET_ADDITION = {
    "character_sets": ChangeClass.ADDITION,
    "ae_titles": ChangeClass.NEUTRAL,
    "ports": ChangeClass.NEUTRAL,
}
_SET_NOTE = {
    "character_sets": "",
    "ae_titles": "a default; the site's configured AE title is what peers use",
    "ports": "a default; the site's configured port is what peers use",
}


# ----------------------------------------------------------------------------- compare
def side(st: Statement) -> Side:
    def v(f: Fact[Any] | None) -> str | None:
        return None if f is None or f.value is None else str(f.value)

    return Side(
        file=st.source,
        sha256=st.sha256,
        label=st.label(),
        vendor=v(st.vendor),
        product=v(st.product),
        version=v(st.version),
        services=len(st.services()),
        unresolved=tuple(f"{u.kind.replace('_', ' ')} {u.text!r}" for u in st.unresolved),
    )


def compare(old: Statement, new: Statement) -> Diff:
    """The changes from ``old`` to ``new``, classed, grouped and summarized."""
    diff = Diff(side(old), side(new), written_names=_written_names(old, new))
    if diff.old.label == diff.new.label:  # two versions that do not state their version
        diff.old = _relabel(diff.old)
        diff.new = _relabel(diff.new)
    before, after = _services(old), _services(new)
    _compare_services(diff, before, after)
    _compare_scalars(diff, _scalars(old), _scalars(new))
    _compare_sets(diff, _sets(old), _sets(new))
    diff.changes.sort(key=diff.sort_key)
    diff.notes = _notes(diff, old, new)
    diff.summary = summarize(diff, after)
    LOGGER.info("%s -> %s: %s", diff.old.file, diff.new.file, diff.counts())
    return diff


def _written_names(*statements: Statement) -> dict[str, str]:
    names: dict[str, str] = {}
    for st in statements:
        for cap in st.capabilities():
            if cap.name and uids.uid_name(cap.sop_class_uid) == cap.sop_class_uid:
                names.setdefault(cap.sop_class_uid, cap.name)
    return names


def _relabel(s: Side) -> Side:
    return Side(
        s.file, s.sha256, f"{s.label} ({s.file})", s.vendor, s.product, s.version, s.services, s.unresolved
    )


def _service_sort(key: ServiceKey) -> tuple[str, str]:
    return (key[0], key[1].value)


def _compare_services(
    diff: Diff, before: dict[ServiceKey, _Service], after: dict[ServiceKey, _Service]
) -> None:
    removed = sorted(before.keys() - after.keys(), key=_service_sort)
    added = sorted(after.keys() - before.keys(), key=_service_sort)
    diff.services_removed, diff.services_added = removed, added
    for only_one_side, services, added_ in ((removed, before, False), (added, after, True)):
        for key in only_one_side:
            s = services[key]
            diff.changes.append(
                Change(
                    ChangeKind.SERVICE_ADDED if added_ else ChangeKind.SERVICE_REMOVED,
                    ChangeClass.ADDITION if added_ else ChangeClass.REMOVAL,
                    f"{diff.name(key[0])} ({key[1].value}) {'added' if added_ else 'removed'}",
                    key[0],
                    services=(key,),
                    transfer_syntaxes=tuple(sorted(s.transfer_syntaxes)),
                    note="an option (licence or configuration)" if s.support is Support.OPTION else "",
                    old_evidence=() if added_ else s.evidence,
                    new_evidence=s.evidence if added_ else (),
                )
            )
    ts_added: dict[str, list[ServiceKey]] = defaultdict(list)
    ts_removed: dict[str, list[ServiceKey]] = defaultdict(list)
    unstated: dict[str, list[ServiceKey]] = defaultdict(list)  # "old" / "new": the silent side
    for key in sorted(before.keys() & after.keys(), key=_service_sort):
        b, a = before[key], after[key]
        if b.support is not a.support:
            _support_change(diff, key, b, a)
        if not b.transfer_syntaxes or not a.transfer_syntaxes:
            # a side that lists no syntax is silent on them: not a removal of every syntax
            if b.transfer_syntaxes or a.transfer_syntaxes:
                unstated["old" if not b.transfer_syntaxes else "new"].append(key)
            continue
        for ts in a.transfer_syntaxes - b.transfer_syntaxes:
            ts_added[ts].append(key)
            diff.ts_added.append((key[0], key[1], ts))
        for ts in b.transfer_syntaxes - a.transfer_syntaxes:
            ts_removed[ts].append(key)
            diff.ts_removed.append((key[0], key[1], ts))
    diff.ts_added.sort(key=lambda t: (t[0], t[1].value, t[2]))
    diff.ts_removed.sort(key=lambda t: (t[0], t[1].value, t[2]))
    for added_, groups in ((True, ts_added), (False, ts_removed)):
        for syntaxes, keys in _group_by_services(groups):
            diff.changes.append(_syntax_change(added_, syntaxes, keys, before, after))
    for silent, silent_keys in sorted(unstated.items()):
        diff.changes.append(_unstated_change(silent, silent_keys, before, after))


def _group_by_services(
    by_ts: dict[str, list[ServiceKey]],
) -> list[tuple[tuple[str, ...], tuple[ServiceKey, ...]]]:
    """Syntaxes that changed on exactly the same services read as one change."""
    groups: dict[tuple[ServiceKey, ...], list[str]] = defaultdict(list)
    for ts, keys in by_ts.items():
        groups[tuple(sorted(keys, key=_service_sort))].append(ts)
    return sorted(((tuple(sorted(ts)), keys) for keys, ts in groups.items()), key=lambda g: g[0])


def _evidence(keys: Iterable[ServiceKey], services: dict[ServiceKey, _Service]) -> tuple[Provenance, ...]:
    """Each distinct passage once (one table usually states all the services of a group), in page order."""
    seen: dict[Provenance, None] = {}
    for key in keys:
        s = services.get(key)
        for p in s.evidence if s else ():
            seen.setdefault(p, None)
    return tuple(sorted(seen, key=lambda p: (p.page or 0, p.line or 0, p.section, p.text)))


def _ts_names(syntaxes: Iterable[str], most: int = 0) -> str:
    """'JPEG Baseline (Process 1)', or '3 transfer syntaxes (A, B, C)'; ``most`` shortens the list."""
    names = [uids.uid_name(ts) for ts in syntaxes]
    if len(names) == 1:
        return names[0]
    shown = names if not most or len(names) <= most else [*names[:most], f"{len(names) - most} more"]
    return f"{len(names)} transfer syntaxes ({', '.join(shown)})"


def _syntax_change(
    added: bool,
    syntaxes: tuple[str, ...],
    keys: tuple[ServiceKey, ...],
    before: dict[ServiceKey, _Service],
    after: dict[ServiceKey, _Service],
) -> Change:
    verb = "added to" if added else "removed from"
    return Change(
        ChangeKind.TS_ADDED if added else ChangeKind.TS_REMOVED,
        ChangeClass.ADDITION if added else ChangeClass.REMOVAL,
        f"{_ts_names(syntaxes, most=3)} {verb} {_count(len(keys), 'service')}",
        " ".join(syntaxes),
        services=keys,
        transfer_syntaxes=syntaxes,
        old_evidence=_evidence(keys, before),
        new_evidence=_evidence(keys, after),
    )


def _unstated_change(
    silent: str, keys: list[ServiceKey], before: dict[ServiceKey, _Service], after: dict[ServiceKey, _Service]
) -> Change:
    other = "OLD" if silent == "new" else "NEW"
    return Change(
        ChangeKind.TS_UNSTATED,
        ChangeClass.NEUTRAL,
        f"{silent.upper()} states no transfer syntaxes for {_count(len(keys), 'service')} that {other} lists "
        "syntaxes for",
        f"unstated-in-{silent}",
        services=tuple(keys),
        note="the statement is silent: whether the syntaxes changed cannot be told",
        old_evidence=_evidence(keys, before),
        new_evidence=_evidence(keys, after),
    )


def _support_change(diff: Diff, key: ServiceKey, b: _Service, a: _Service) -> None:
    to_option = a.support is Support.OPTION
    diff.changes.append(
        Change(
            ChangeKind.SUPPORT_CHANGED,
            ChangeClass.REMOVAL if to_option else ChangeClass.ADDITION,
            f"{diff.name(key[0])} ({key[1].value}) "
            + ("is now an option" if to_option else "is now always supported (was an option)"),
            key[0],
            before=b.support.value,
            after=a.support.value,
            services=(key,),
            note="needs a licence or configuration on the upgraded device" if to_option else "",
            old_evidence=b.evidence,
            new_evidence=a.evidence,
        )
    )


def _compare_scalars(diff: Diff, before: dict[str, _Scalar], after: dict[str, _Scalar]) -> None:
    for path, b in before.items():
        a = after[path]
        if b.value == a.value:
            continue
        diff.scalars_changed[path] = (b.value, a.value)
        label = SCALAR_LABELS[path]
        if a.value is None:
            cls, note, title = ChangeClass.NEUTRAL, "silence: NEW does not say", f"{label}: no longer stated"
        elif b.value is None:
            cls, note, title = ChangeClass.NEUTRAL, "OLD did not say", f"{label}: now stated"
        else:
            cls, note = _CLASSIFY.get(path, _class_identity)(b.value, a.value)
            title = f"{label}: {_show(a.value)} instead of {_show(b.value)}"
        diff.changes.append(
            Change(
                ChangeKind.SCALAR,
                cls,
                title,
                path,
                b.value,
                a.value,
                note=note,
                old_evidence=b.evidence,
                new_evidence=a.evidence,
            )
        )


def _compare_sets(
    diff: Diff,
    before: dict[str, dict[Any, tuple[Provenance, ...]]],
    after: dict[str, dict[Any, tuple[Provenance, ...]]],
) -> None:
    for path, b in before.items():
        a = after[path]
        if set(b) == set(a):
            continue
        diff.scalars_changed[path] = (sorted(b, key=str), sorted(a, key=str))
        label = SCALAR_LABELS[path]
        if not a or not b:  # one side states none: silence, not a removal of every value
            gone = not a
            values = sorted(b if gone else a, key=str)
            diff.changes.append(
                Change(
                    ChangeKind.SCALAR,
                    ChangeClass.NEUTRAL,
                    f"{label}s: " + ("no longer stated" if gone else "now stated") + f" ({_show(values)})",
                    path,
                    sorted(b, key=str) or None,
                    sorted(a, key=str) or None,
                    note="silence: NEW does not say" if gone else "OLD did not say",
                    old_evidence=tuple(p for v in values for p in b.get(v, ())),
                    new_evidence=tuple(p for v in values for p in a.get(v, ())),
                )
            )
            continue
        for gone, changed in ((True, b.keys() - a.keys()), (False, a.keys() - b.keys())):
            for value in sorted(changed, key=str):
                diff.changes.append(
                    Change(
                        ChangeKind.SCALAR,
                        (_SET_REMOVAL if gone else _SET_ADDITION)[path],
                        f"{label} {_show(value)} {'removed' if gone else 'added'}",
                        path,
                        before=value if gone else None,
                        after=None if gone else value,
                        note=_SET_NOTE[path],
                        old_evidence=b[value] if gone else (),
                        new_evidence=() if gone else a[value],
                    )
                )


def _notes(diff: Diff, old: Statement, new: Statement) -> list[str]:
    """What the reader must know to trust an empty (or short) list of changes."""
    notes = []
    for name, s in (("OLD", diff.old), ("NEW", diff.new)):
        if s.unresolved:
            shown = "; ".join(s.unresolved[:5]) + (" ..." if len(s.unresolved) > 5 else "")
            notes.append(
                f"{name} ({s.file}) uses {_count(len(s.unresolved), 'name')} that no DICOM dictionary entry "
                f"matched; what they stand for is not compared: {shown}"
            )
    for name, st in (("OLD", old), ("NEW", new)):
        notes.extend(f"{name} ({st.source}): {w}" for w in st.warnings)
    return notes


# ----------------------------------------------------------------------------- summary
def _count(n: int, noun: str, plural: str = "") -> str:
    """'1 service', '80 services', '2 storage SOP classes'."""
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_show(v) for v in value) or "none"
    return str(value)


def _roles(roles: Iterable[Role]) -> str:
    return " and ".join(sorted({r.value for r in roles}, reverse=True))  # SCU and SCP


def _services_phrase(diff: Diff, keys: list[ServiceKey]) -> str:
    """'42 storage SOP classes (SCU and SCP) and Study Root Q/R GET (SCP)'; a few are named."""
    storage: dict[str, set[Role]] = defaultdict(set)
    other: dict[str, set[Role]] = defaultdict(set)
    for uid, role in keys:
        (storage if diff.is_storage(uid) else other)[uid].add(role)
    parts = []
    for group, noun in ((storage, "storage SOP class"), (other, "other SOP class")):
        if len(group) <= 3:
            parts += [f"{diff.name(uid)} ({_roles(r)})" for uid, r in sorted(group.items())]
        else:
            roles = set().union(*group.values())
            parts.append(f"{_count(len(group), noun, noun + 'es')} ({_roles(roles)})")
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)


def _scope(
    diff: Diff, keys: tuple[ServiceKey, ...], common: set[ServiceKey], after: dict[ServiceKey, _Service]
) -> str:
    """Where a syntax changed: 'on all 80 storage services (SCP)' reads better than a list.

    Only services both versions list, with syntaxes on both sides, can gain or lose one.
    """
    group = set(keys)
    storage = {k for k in common if diff.is_storage(k[0])}
    scopes = [({k for k in storage if k[1] is role}, f"storage services ({role.value})") for role in Role]
    scopes += [(storage, "storage services"), (common, "services")]  # the most specific that fits
    for scope, words in scopes:
        stated = {k for k in scope if after[k].transfer_syntaxes}
        if len(group) > 1 and group == stated:
            had = "it already had" if stated == scope else "it already had syntaxes for"
            return f"on all {len(group)} {words} {had}"
    if len(group) <= 3:
        return "on " + " and ".join(f"{diff.name(uid)} ({role.value})" for uid, role in keys)
    return f"on {_count(len(group), 'service')}"


_SUMMARY_SCALARS: dict[str, Callable[[Any, Any], str]] = {
    "max_associations.accepted": lambda b, a: (
        f"accepts {_show(a)} simultaneous associations instead of {_show(b)}"
    ),
    "max_associations.initiated": lambda b, a: (
        f"initiates up to {_show(a)} associations instead of {_show(b)}"
    ),
    "max_pdu_receive": lambda b, a: f"receives PDUs of up to {_show(a)} bytes instead of {_show(b)}",
    "security.tls": lambda b, a: "now supports TLS" if a else "no longer supports TLS",
    "network.ipv6": lambda b, a: "now supports IPv6" if a else "no longer supports IPv6",
}


def summarize(diff: Diff, after: dict[ServiceKey, _Service] | None = None) -> str:
    """The one paragraph a PACS administrator reads first.

    'Compared with A 3.6, A 3.7 adds 42 storage SOP classes (SCP); High-Throughput JPEG 2000
    on all 80 storage services it already had; removes nothing; accepts 200 simultaneous
    associations instead of 100.' Every change is in it, as a phrase or counted.
    """
    new, old = diff.new.label, diff.old.label
    if diff.is_empty():
        return f"{new} states the same services, transfer syntaxes and product facts as {old}: no change."
    after = after or {}
    common = set(after) - set(diff.services_added)
    adds: list[str] = []
    removes: list[str] = []
    limits: list[str] = []
    said: set[int] = set()  # ids of the changes a phrase already covers
    if diff.services_added:
        adds.append(_services_phrase(diff, diff.services_added))
    if diff.services_removed:
        removes.append(_services_phrase(diff, diff.services_removed))
    for c in diff.changes:
        if c.kind in (ChangeKind.SERVICE_ADDED, ChangeKind.SERVICE_REMOVED):
            said.add(id(c))
        elif c.kind in (ChangeKind.TS_ADDED, ChangeKind.TS_REMOVED):
            phrase = f"{_ts_names(c.transfer_syntaxes, most=4)} {_scope(diff, c.services, common, after)}"
            (adds if c.kind is ChangeKind.TS_ADDED else removes).append(phrase)
            said.add(id(c))
        elif (
            c.kind is ChangeKind.SCALAR and c.subject == "character_sets" and c.cls is not ChangeClass.NEUTRAL
        ):
            value = c.before if c.cls is ChangeClass.REMOVAL else c.after
            (removes if c.cls is ChangeClass.REMOVAL else adds).append(f"character set {value}")
            said.add(id(c))
        elif c.subject in _SUMMARY_SCALARS and c.before is not None and c.after is not None:
            limits.append(_SUMMARY_SCALARS[c.subject](c.before, c.after))
            said.add(id(c))
    options = [c for c in diff.of_kind(ChangeKind.SUPPORT_CHANGED) if c.cls is ChangeClass.REMOVAL]
    if options:
        removes.append(f"unconditional support of {_count(len(options), 'service')} (now an option)")
        said.update(id(c) for c in options)
    text = f"Compared with {old}, {new} adds " + ("; ".join(adds) or "nothing")
    text += "; removes " + ("; ".join(removes) or "nothing") + "."
    if limits:
        text += f" It {', '.join(limits[:-1])}{' and ' if len(limits) > 1 else ''}{limits[-1]}."
    for c in diff.of_kind(ChangeKind.TS_UNSTATED):
        text += f" {c.title}."
        said.add(id(c))
    rest = [c for c in diff.changes if id(c) not in said]
    if len(rest) > 4:  # name the facts; the report lists each change
        fields = list(dict.fromkeys(SCALAR_LABELS.get(c.subject, c.subject) for c in rest))
        text += f" Also changed: {_count(len(rest), 'other fact')} ({', '.join(fields)})."
    elif rest:
        text += f" Also changed: {'; '.join(c.title for c in rest)}."
    return text
