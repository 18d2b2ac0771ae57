"""DICOM conformance-statement compatibility analyzer.

Reads conformance statements (PS3.2) into one normalized model with provenance
(:mod:`conformance.parsers`, :mod:`conformance.extract`, :mod:`conformance.model`), checks the
links of a site inventory with DICOM's negotiation rules (:mod:`conformance.inventory`,
:mod:`conformance.matcher`) and writes reports (:mod:`conformance.report`); the ``conformance``
command (:mod:`conformance.cli`) drives it. Importing the package loads nothing else: each
command imports what it needs, so that a cached run does not pay for the PDF libraries.
"""

__version__ = "0.2.0"

__all__ = ["__version__"]
