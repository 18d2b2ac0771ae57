"""Probe with a statement in hand, for one AE or for every device of an inventory.

Only hosts the caller names (or the inventory lists) are contacted. Devices without a host,
port or AE title are reported as skipped rather than guessed at.

``check --probe`` (:class:`CheckProbe`) goes further than declared versus observed: each
probed device is matched on what it was seen to accept. Its statement for the check keeps what
a probe cannot see (the SCU side, association limits, character sets) and takes the observed
SCP capabilities for every SOP class the probe got an answer for. The probe proposes what the
inventory's links need from that device (the classes its senders send, with their syntaxes),
so each link is checked on an observation rather than on the statement's claim.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from conformance import uids
from conformance.findings import Analysis, Finding, Skipped
from conformance.model import Role, Statement
from conformance.probe.compare import declared_scp, extra_syntaxes, probe_findings
from conformance.probe.negotiate import (
    DEFAULT_CALLING_AE,
    DEFAULT_SOP_CLASSES,
    DEFAULT_TIMEOUT,
    ProbeResult,
    probe,
)
from conformance.services import MAX_CONTEXTS
from conformance.site import AE, Device, DeviceRole, Inventory

if TYPE_CHECKING:
    from conformance.pipeline import Observed

LOGGER = logging.getLogger(__name__)

MAX_PARALLEL = 4  # devices probed at once; each probe is mostly waiting on the network


def probe_device(
    host: str,
    port: int,
    called_ae: str,
    *,
    declared: Statement | None = None,
    device: str = "",
    calling_ae: str = DEFAULT_CALLING_AE,
    timeout: float = DEFAULT_TIMEOUT,
    max_contexts: int = MAX_CONTEXTS,
    sop_classes: list[str] | None = None,
    syntaxes: dict[str, list[str]] | None = None,
) -> tuple[ProbeResult, list[Finding]]:
    """Probe one AE with the default SOP classes (plus extra ones) and the statement's; compare.

    ``syntaxes``: transfer syntaxes to offer per SOP class on top of the usual ones (what a
    sender of the site proposes).
    """
    sops = list(DEFAULT_SOP_CLASSES) + [s for s in sop_classes or [] if s not in DEFAULT_SOP_CLASSES]
    if declared is not None:
        sops += [s for s in declared_scp(declared, called_ae) if s not in sops]
    offered = extra_syntaxes(declared, called_ae)
    for sop, more in (syntaxes or {}).items():
        have = offered.setdefault(sop, [])
        have.extend(ts for ts in more if ts not in have)
    result = probe(
        host,
        port,
        called_ae,
        calling_ae=calling_ae,
        sop_classes=sops,
        extra_syntaxes=offered,
        timeout=timeout,
        max_contexts=max_contexts,
    )
    return result, probe_findings(result, declared, device)


@dataclass
class SiteProbe:
    """What ``check --probe`` adds to an analysis."""

    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    observed: dict[str, Statement] = field(default_factory=dict)  # "device AE" -> observed statement
    results: list[ProbeResult] = field(default_factory=list)
    seconds: float = 0.0
    probed: list[tuple[str, ProbeResult]] = field(default_factory=list)  # (device, result) per AE
    matched: dict[str, Statement] = field(default_factory=dict)  # device -> statement the check used


# device -> (SOP classes to propose, extra transfer syntaxes per SOP class)
Needs = dict[str, tuple[list[str], dict[str, list[str]]]]


def probe_inventory(
    inventory: Inventory,
    statements: dict[str, Statement],
    *,
    calling_ae: str = DEFAULT_CALLING_AE,
    timeout: float = DEFAULT_TIMEOUT,
    max_contexts: int = MAX_CONTEXTS,
    needs: Needs | None = None,
) -> SiteProbe:
    """Probe every inventory AE that has a host and port; findings are per device.

    ``needs``: per device, SOP classes (and syntaxes) to propose besides the defaults and the
    statement's own, so that what the site's links need from it is observed.
    """
    site = SiteProbe()
    needs = needs or {}
    jobs: list[tuple[str, str, str, int]] = []  # device, AE title, host, port
    for device in inventory.devices:
        targets = [ae for ae in device.aes if ae.host and ae.port]
        if not targets:
            site.skipped.append(
                Skipped(device.name, "not probed: no host and port in the inventory", "probe")
            )
        for ae in targets:
            if not ae.title:
                site.skipped.append(
                    Skipped(device.name, f"not probed: {ae.host}:{ae.port} has no AE title", "probe")
                )
                continue
            jobs.append((device.name, ae.title, ae.host, int(ae.port)))  # type: ignore[arg-type]
    t0 = time.monotonic()

    def run(job: tuple[str, str, str, int]) -> tuple[ProbeResult, list[Finding]]:
        name, title, host, port = job
        sops, syntaxes = needs.get(name, ([], {}))
        return probe_device(
            host,
            port,
            title,
            declared=statements.get(name),
            device=name,
            calling_ae=calling_ae,
            timeout=timeout,
            max_contexts=max_contexts,
            sop_classes=sops,
            syntaxes=syntaxes,
        )

    if jobs:
        with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL, len(jobs))) as pool:
            outcomes = list(pool.map(run, jobs))
        for (name, title, _host, _port), (result, findings) in zip(jobs, outcomes, strict=True):
            site.results.append(result)
            site.probed.append((name, result))
            site.findings.extend(findings)
            site.observed[f"{name} {title}"] = result.to_statement()
            if name not in statements:
                LOGGER.info("%s: probed without a statement to compare with", name)
    site.seconds = round(time.monotonic() - t0, 3)
    return site


def probe_analysis(
    result: ProbeResult,
    findings: list[Finding],
    *,
    declared: Statement | None = None,
    device: str = "",
) -> Analysis:
    """An Analysis of one probed AE, so ``write_reports`` renders it like a ``check`` report."""
    name = device or f"{result.called_ae}@{result.address}"
    dev = Device(name, DeviceRole.OTHER, [AE(result.called_ae, result.host, result.port)], None, "probe")
    label = f"probe of {result.called_ae}@{result.address}"
    return Analysis(
        inventory=Inventory(path=Path(label), devices=[dev]),
        label=label,
        statements={name: declared if declared is not None else result.to_statement()},
        findings=list(findings),
        title="DICOM declared-versus-observed report" if declared is not None else "DICOM probe report",
    )


def link_needs(inventory: Inventory, statements: dict[str, Statement]) -> Needs:
    """What the inventory's links need each acceptor to accept, with the syntaxes senders propose.

    Store links: the classes they carry (``sends``, ``exclude``, what an archive forwards);
    C-MOVE: what the archive sends to the destination; other links: their service's SOP classes.
    """
    from conformance.matcher.common import Context
    from conformance.matcher.roles import carried_classes, stored_classes
    from conformance.services import ALTERNATIVES, SINGLE, Service

    ctx = Context(inventory, statements)
    out: Needs = {}

    def need(device: str, uid: str, sender: Statement | None) -> None:
        sops, syntaxes = out.setdefault(device, ([], {}))
        if uid not in sops:
            sops.append(uid)
        cap = ctx.cap(sender, uid, Role.SCU) if sender is not None else None
        if cap is not None and cap.transfer_syntaxes:
            have = syntaxes.setdefault(uid, [])
            have.extend(ts for ts in cap.transfer_syntaxes if ts not in have)

    for link in sorted(inventory.links, key=lambda lk: lk.key()):
        source = statements.get(link.source)
        if link.service is Service.STORE and source is not None:
            for uid in carried_classes(ctx, link, source):
                need(link.target, uid, source)
        elif link.service is Service.MOVE and (archive := statements.get(link.target)) is not None:
            for uid in stored_classes(ctx, link.target, archive):
                need(link.source, uid, archive)
        elif link.service in SINGLE:
            need(link.target, SINGLE[link.service], source)
        else:
            for uid in ALTERNATIVES.get(link.service, ()):
                need(link.target, uid, source)
    return out


def merge_observed(declared: Statement | None, results: list[ProbeResult]) -> Statement:
    """The statement a check matches a probed device on: observed SCP side, declared rest.

    For each SOP class a probe got an answer for, the observed capability (or its absence: all
    contexts refused) replaces what the statement declares as SCP; classes no probe answered
    keep the statement's word. A claim for every storage class that the probe saw refused for
    one is dropped. Observed capabilities cite the observation (probe AE@host:port, when).
    """
    observed = [r.to_statement() for r in results if r.reached]
    if declared is None:
        base = Statement(source=observed[0].source if observed else "probe")
    else:
        base = Statement.from_dict(declared.to_dict())  # a copy: the parsed statement stays as read
    answered: set[str] = set()
    accepted: set[str] = set()
    for r in results:
        answered |= set(r.accepted()) | set(r.refused())
        accepted |= set(r.accepted())
    for ae in base.aes:
        ae.capabilities = [
            c for c in ae.capabilities if not (c.role is Role.SCP and c.sop_class_uid in answered)
        ]
    for st in observed:
        for ae in st.aes:
            ae.name = f"{ae.name} (observed)"
            base.aes.append(ae)
        base.max_pdu_receive = st.max_pdu_receive or base.max_pdu_receive
        base.implementation_class_uid = st.implementation_class_uid or base.implementation_class_uid
    if any(uids.is_storage_sop_class(s) for s in answered - accepted):
        base.wildcards = [w for w in base.wildcards if w.role is not Role.SCP]
    return base


@dataclass
class CheckProbe:
    """``check --probe``: probe the inventory's AEs, then let the check match on what was seen.

    A callable for :func:`conformance.pipeline.run_check` (``observe=``); ``site`` keeps what
    was probed for the caller's summary.
    """

    calling_ae: str = DEFAULT_CALLING_AE
    timeout: float = DEFAULT_TIMEOUT
    max_contexts: int = MAX_CONTEXTS
    site: SiteProbe | None = None

    def __call__(self, inventory: Inventory, statements: dict[str, Statement]) -> Observed:
        from conformance.pipeline import Observed

        site = probe_inventory(
            inventory,
            statements,
            calling_ae=self.calling_ae,
            timeout=self.timeout,
            max_contexts=self.max_contexts,
            needs=link_needs(inventory, statements),
        )
        for device in inventory.devices:
            results = [r for name, r in site.probed if name == device.name and r.reached]
            if results:
                site.matched[device.name] = merge_observed(statements.get(device.name), results)
        self.site = site
        return Observed(
            statements=dict(site.matched), findings=list(site.findings), skipped=list(site.skipped)
        )


def quiet_network_log() -> None:
    """pynetdicom logs every refusal as an error; the findings already say it, once."""
    if not logging.getLogger().isEnabledFor(logging.INFO):
        logging.getLogger("pynetdicom").setLevel(logging.CRITICAL)
