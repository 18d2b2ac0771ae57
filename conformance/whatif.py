"""What a what-if changes: the findings of two checks of a site compared like with like.

A finding is the same problem before and after when its rule, devices and service are the
same (``(rule, source, target, service)``); its content (severity, title, detail, classes)
may change: that is a *changed* finding, not one new and one resolved. A finding that
disappears is *resolved* only when the problem is gone from the site: when it was about SOP
classes that no longer reach the device that sent them there (the candidate refuses them
further upstream), the data now stops earlier and the problem has only moved (*moved*).

Per connection (link) the state is what a user asks first: works, works with changes (a
degrading finding) or fails (a blocking one).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from conformance.findings import Analysis, Finding, Severity
from conformance.matcher.common import Context, name, short_list
from conformance.matcher.roles import stored_classes
from conformance.services import Service
from conformance.site import Link

LOGGER = logging.getLogger(__name__)

__all__ = ["Diff", "compare", "connection_state"]

WORKS, WORKS_WITH_CHANGES, FAILS = "works", "works with changes", "fails"

Key = tuple[str, str, str, str]


@dataclass
class Diff:
    """Findings of the second analysis that are new or changed, and those of the first that went."""

    new: list[Finding] = field(default_factory=list)
    changed: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)
    moved: list[tuple[Finding, str]] = field(default_factory=list)  # (finding, where the data stops now)


def key(f: Finding) -> Key:
    return (f.rule, f.source, f.target, f.service)


def content(f: Finding) -> tuple[object, ...]:
    """What a reader would see change (the chain name and evidence order aside)."""
    return (f.severity, f.title, f.detail, tuple(f.sop_classes), tuple(f.transfer_syntaxes), f.unconfirmed)


def _likeness(f: Finding, g: Finding) -> tuple[int, int, int, float]:
    """How alike two findings of one key are: confirmed-ness, severity, opening words, classes.

    Ties go to the first in report order (``max`` keeps the first), so pairing is deterministic.
    """
    a, b = set(f.sop_classes), set(g.sop_classes)
    overlap = len(a & b) / len(a | b) if a | b else 1.0
    opening = f.title.split()[:3] == g.title.split()[:3]
    return (int(f.unconfirmed == g.unconfirmed), int(f.severity is g.severity), int(opening), overlap)


def compare(before: Analysis, after: Analysis) -> Diff:
    """Mark ``after``'s findings ``new`` / ``changed`` and say which of ``before``'s went, and how."""
    old: dict[Key, list[Finding]] = {}
    for f in before.findings:
        old.setdefault(key(f), []).append(f)
    now: dict[Key, list[Finding]] = {}
    for f in after.findings:
        now.setdefault(key(f), []).append(f)
    diff = Diff()
    gone: list[Finding] = []
    for k in sorted(set(old) | set(now)):
        was, are = list(old.get(k, [])), list(now.get(k, []))
        for f in list(are):  # the same content: unchanged
            same = next((g for g in was if content(g) == content(f)), None)
            if same is not None:
                was.remove(same)
                are.remove(f)
        for f in sorted(are, key=Finding.sort_key):  # paired with the most alike that went: changed
            if was:
                g = max(was, key=lambda g: _likeness(f, g))
                was.remove(g)
                f.change, f.severity_before = "changed", g.severity
                diff.changed.append(f)
            else:
                f.change = "new"
                diff.new.append(f)
        gone.extend(sorted(was, key=Finding.sort_key))
    ctx = Context(after.inventory, after.statements)
    for f in gone:
        where = stops_earlier(ctx, f)
        if where:
            diff.moved.append((f, where))
        else:
            diff.resolved.append(f)
    return diff


def _sender(f: Finding) -> str | None:
    """The device that sends the data a finding is about (None: not about stored data)."""
    services = f.service.split(", ")
    if services == [Service.STORE.value]:
        return f.source
    if services in ([Service.MOVE.value], [Service.GET.value]):
        return f.target  # the archive's sub-operations
    return None


def stops_earlier(ctx: Context, f: Finding) -> str:
    """Why a vanished finding about SOP classes is not resolved ("" when it is).

    Its classes no longer leave the device that sent them, but still reach that device's
    upstream: they stop earlier now (at that device or further up), so they still never
    arrive where the finding said they fail.
    """
    sender = _sender(f)
    if sender is None or not f.sop_classes or ctx.statement(sender) is None:
        return ""
    stopped: dict[str, list[str]] = {}
    for uid in f.sop_classes:
        where = _stop(ctx, sender, uid, set())
        if where:
            stopped.setdefault(where, []).append(uid)
    if not stopped:
        return ""
    parts = [
        f"{short_list(sorted(name(u) for u in classes), 4)} no longer reach {sender}: they stop at {where}"
        for where, classes in sorted(stopped.items())
    ]
    return "; ".join(parts) + "."


def _stop(ctx: Context, device: str, uid: str, seen: set[str]) -> str:
    """Where ``uid`` stops on its way out of ``device``: "" when it leaves it or nobody sends it."""
    st = ctx.statement(device)
    if st is None or device in seen:
        return ""
    seen.add(device)
    if uid in stored_classes(ctx, device, st):
        return ""
    inbound = ctx.links_to(device, Service.STORE)
    for link in inbound:
        upstream = ctx.statement(link.source)
        if (
            upstream is not None
            and uid not in link.exclude
            and uid in stored_classes(ctx, link.source, upstream)
        ):
            return device  # offered to it, and it does not pass it on: it stops here
    for link in inbound:
        where = _stop(ctx, link.source, uid, seen)
        if where:
            return where
    return ""


def connection_state(findings: Iterable[Finding], link: Link) -> str:
    """works / works with changes / fails, from the worst finding on this link's service."""
    worst: Severity | None = None
    for f in findings:
        if (f.source, f.target) != (link.source, link.target) or link.service.value not in f.service.split(
            ", "
        ):
            continue
        if worst is None or f.severity.rank < worst.rank:
            worst = f.severity
    if worst is Severity.BLOCKING:
        return FAILS
    if worst is Severity.DEGRADING:
        return WORKS_WITH_CHANGES
    return WORKS
