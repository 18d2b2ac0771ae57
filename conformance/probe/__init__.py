"""Declared versus observed: probe live DICOM devices and compare them with their statements.

- :mod:`conformance.probe.negotiate` talks to one AE (batched associations, C-ECHO).
- :mod:`conformance.probe.compare` turns an observation (and a statement) into findings.
- :mod:`conformance.probe.site` probes every inventory device that has a host and port.
"""

from __future__ import annotations

from conformance.probe.compare import extra_syntaxes, probe_findings
from conformance.probe.negotiate import (
    DEFAULT_CALLING_AE,
    DEFAULT_SOP_CLASSES,
    DEFAULT_TIMEOUT,
    ProbeError,
    ProbeResult,
    probe,
)
from conformance.probe.site import (
    CheckProbe,
    SiteProbe,
    link_needs,
    merge_observed,
    probe_analysis,
    probe_device,
    probe_inventory,
)
from conformance.services import MAX_CONTEXTS

__all__ = [
    "DEFAULT_CALLING_AE",
    "DEFAULT_SOP_CLASSES",
    "DEFAULT_TIMEOUT",
    "MAX_CONTEXTS",
    "CheckProbe",
    "ProbeError",
    "ProbeResult",
    "SiteProbe",
    "extra_syntaxes",
    "link_needs",
    "merge_observed",
    "probe",
    "probe_analysis",
    "probe_device",
    "probe_findings",
    "probe_inventory",
]
