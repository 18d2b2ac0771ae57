"""Probe with a statement in hand, for one AE or for every device of an inventory.

Only hosts the caller names (or the inventory lists) are contacted. Devices without a host,
port or AE title are reported as skipped rather than guessed at.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from conformance.findings import Analysis, Finding, Skipped
from conformance.model import Statement
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
) -> tuple[ProbeResult, list[Finding]]:
    """Probe one AE with the default SOP classes (plus extra ones) and the statement's; compare."""
    sops = list(DEFAULT_SOP_CLASSES) + [s for s in sop_classes or [] if s not in DEFAULT_SOP_CLASSES]
    if declared is not None:
        sops += [s for s in declared_scp(declared, called_ae) if s not in sops]
    result = probe(
        host,
        port,
        called_ae,
        calling_ae=calling_ae,
        sop_classes=sops,
        extra_syntaxes=extra_syntaxes(declared, called_ae),
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


def probe_inventory(
    inventory: Inventory,
    statements: dict[str, Statement],
    *,
    calling_ae: str = DEFAULT_CALLING_AE,
    timeout: float = DEFAULT_TIMEOUT,
    max_contexts: int = MAX_CONTEXTS,
) -> SiteProbe:
    """Probe every inventory AE that has a host and port; findings are per device."""
    site = SiteProbe()
    jobs: list[tuple[str, str, str, int]] = []  # device, AE title, host, port
    for device in inventory.devices:
        targets = [ae for ae in device.aes if ae.host and ae.port]
        if not targets:
            site.skipped.append(Skipped(device.name, "not probed: no host and port in the inventory"))
        for ae in targets:
            if not ae.title:
                site.skipped.append(Skipped(device.name, f"not probed: {ae.host}:{ae.port} has no AE title"))
                continue
            jobs.append((device.name, ae.title, ae.host, int(ae.port)))  # type: ignore[arg-type]
    t0 = time.monotonic()

    def run(job: tuple[str, str, str, int]) -> tuple[ProbeResult, list[Finding]]:
        name, title, host, port = job
        return probe_device(
            host,
            port,
            title,
            declared=statements.get(name),
            device=name,
            calling_ae=calling_ae,
            timeout=timeout,
            max_contexts=max_contexts,
        )

    if jobs:
        with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL, len(jobs))) as pool:
            outcomes = list(pool.map(run, jobs))
        for (name, title, _host, _port), (result, findings) in zip(jobs, outcomes, strict=True):
            site.results.append(result)
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


def add_probe_findings(
    analysis: Analysis,
    *,
    calling_ae: str = DEFAULT_CALLING_AE,
    timeout: float = DEFAULT_TIMEOUT,
) -> SiteProbe:
    """``check --probe``: probe the analysed inventory's AEs and add declared-vs-observed findings."""
    site = probe_inventory(analysis.inventory, analysis.statements, calling_ae=calling_ae, timeout=timeout)
    analysis.findings.extend(site.findings)
    analysis.skipped.extend(site.skipped)
    return site


def quiet_network_log() -> None:
    """pynetdicom logs every refusal as an error; the findings already say it, once."""
    if not logging.getLogger().isEnabledFor(logging.INFO):
        logging.getLogger("pynetdicom").setLevel(logging.CRITICAL)
