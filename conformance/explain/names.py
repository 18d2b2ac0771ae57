"""UIDs for the names association logs print instead of them.

Logs rarely print UIDs. DCMTK prints its own symbolic names from dcuid.h
(``=FINDStudyRootQueryRetrieveInformationModel``, ``=LittleEndianExplicit``); pynetdicom
prints pydicom's UID names (``=Study Root Query/Retrieve Information Model - FIND``); both
print the bare UID when they have no name for it.

DCMTK's names mostly follow pydicom's keywords with a few regular twists (``SOPClass`` and
``ServiceClass`` suffixes, a ``FIND``/``MOVE``/``GET`` prefix where pydicom has a suffix,
``RETIRED_``/``DRAFT_`` where pydicom appends ``Retired``/``Trial``, ``Multiframe``); those
are derived from pydicom's dictionary so that a class both libraries add later still
resolves. What does not follow a rule (every transfer syntax, a few SOP classes) is in
:data:`DCMTK_NAMES`, read from DCMTK 3.6.7's own output: ``dcmdump`` of a file holding every
UID pydicom knows, once with names and once with ``-Un``. ``tests/test_explain_names.py``
repeats that run and checks every negotiation UID against this module.
"""

from __future__ import annotations

import functools
import logging
import re

from pydicom.uid import UID_dictionary

from conformance import uids

LOGGER = logging.getLogger(__name__)

# The UID kinds that appear in association negotiation (abstract and transfer syntaxes,
# the application context); the only ones a log needs.
NEGOTIATION_KINDS = frozenset(
    {"SOP Class", "Meta SOP Class", "Service Class", "Transfer Syntax", "Application Context Name"}
)

# DCMTK 3.6.7 names that no rule below derives from a pydicom keyword (dcmdump output).
DCMTK_NAMES: dict[str, str] = {
    "LittleEndianImplicit": "1.2.840.10008.1.2",
    "LittleEndianExplicit": "1.2.840.10008.1.2.1",
    "DeflatedLittleEndianExplicit": "1.2.840.10008.1.2.1.99",
    "BigEndianExplicit": "1.2.840.10008.1.2.2",
    "MPEG2MainProfile@MainLevel": "1.2.840.10008.1.2.4.100",
    "MPEG2MainProfile@HighLevel": "1.2.840.10008.1.2.4.101",
    "MPEG4HighProfile/Level4.1": "1.2.840.10008.1.2.4.102",
    "MPEG4BDcompatibleHighProfile/Level4.1": "1.2.840.10008.1.2.4.103",
    "MPEG4HighProfile/Level4.2For2DVideo": "1.2.840.10008.1.2.4.104",
    "MPEG4HighProfile/Level4.2For3DVideo": "1.2.840.10008.1.2.4.105",
    "MPEG4StereoHighProfile/Level4.2": "1.2.840.10008.1.2.4.106",
    "HEVCMainProfile/Level5.1": "1.2.840.10008.1.2.4.107",
    "HEVCMain10Profile/Level5.1": "1.2.840.10008.1.2.4.108",
    "JPEGBaseline": "1.2.840.10008.1.2.4.50",
    "JPEGExtended:Process2+4": "1.2.840.10008.1.2.4.51",
    "JPEGExtended:Process3+5": "1.2.840.10008.1.2.4.52",
    "JPEGSpectralSelection:Non-hierarchical:Process6+8": "1.2.840.10008.1.2.4.53",
    "JPEGSpectralSelection:Non-hierarchical:Process7+9": "1.2.840.10008.1.2.4.54",
    "JPEGFullProgression:Non-hierarchical:Process10+12": "1.2.840.10008.1.2.4.55",
    "JPEGFullProgression:Non-hierarchical:Process11+13": "1.2.840.10008.1.2.4.56",
    "JPEGLossless:Non-hierarchical:Process14": "1.2.840.10008.1.2.4.57",
    "JPEGLossless:Non-hierarchical:Process15": "1.2.840.10008.1.2.4.58",
    "JPEGExtended:Hierarchical:Process16+18": "1.2.840.10008.1.2.4.59",
    "JPEGExtended:Hierarchical:Process17+19": "1.2.840.10008.1.2.4.60",
    "JPEGSpectralSelection:Hierarchical:Process20+22": "1.2.840.10008.1.2.4.61",
    "JPEGSpectralSelection:Hierarchical:Process21+23": "1.2.840.10008.1.2.4.62",
    "JPEGFullProgression:Hierarchical:Process24+26": "1.2.840.10008.1.2.4.63",
    "JPEGFullProgression:Hierarchical:Process25+27": "1.2.840.10008.1.2.4.64",
    "JPEGLossless:Hierarchical:Process28": "1.2.840.10008.1.2.4.65",
    "JPEGLossless:Hierarchical:Process29": "1.2.840.10008.1.2.4.66",
    "JPEGLossless:Non-hierarchical-1stOrderPrediction": "1.2.840.10008.1.2.4.70",
    "JPEGLSLossy": "1.2.840.10008.1.2.4.81",
    "JPEG2000LosslessOnly": "1.2.840.10008.1.2.4.90",
    "JPEG2000MulticomponentLosslessOnly": "1.2.840.10008.1.2.4.92",
    "JPEG2000Multicomponent": "1.2.840.10008.1.2.4.93",
    "SMPTEST2110-20:UncompressedProgressiveActiveVideo": "1.2.840.10008.1.2.7.1",
    "SMPTEST2110-20:UncompressedInterlacedActiveVideo": "1.2.840.10008.1.2.7.2",
    "SMPTEST2110-30:PCMDigitalAudio": "1.2.840.10008.1.2.7.3",
    "StandardApplicationContext": "1.2.840.10008.3.1.1.1",
    "DRAFT_SRTextStorage": "1.2.840.10008.5.1.4.1.1.88.1",
    "DRAFT_SRAudioStorage": "1.2.840.10008.5.1.4.1.1.88.2",
    "DRAFT_SRDetailStorage": "1.2.840.10008.5.1.4.1.1.88.3",
    "DRAFT_SRComprehensiveStorage": "1.2.840.10008.5.1.4.1.1.88.4",
    "ImplantationPlanSRDocumentStorage": "1.2.840.10008.5.1.4.1.1.88.70",
    "FINDColorPaletteInformationModel": "1.2.840.10008.5.1.4.39.2",
    "MOVEColorPaletteInformationModel": "1.2.840.10008.5.1.4.39.3",
    "GETColorPaletteInformationModel": "1.2.840.10008.5.1.4.39.4",
}

_DIMSE_PREFIX = re.compile(r"^(FIND|MOVE|GET)(.+)$")
_STATUS_PREFIX = re.compile(r"^(RETIRED|DRAFT)_(.+)$")
_GROUP_PREFIX = re.compile(r"^(DICOS|DICONDE)_(.+)$")


@functools.cache
def _keywords() -> dict[str, str]:
    """pydicom keyword -> UID, for negotiation UIDs only."""
    return {
        entry[4]: uid for uid, entry in UID_dictionary.items() if entry[1] in NEGOTIATION_KINDS and entry[4]
    }


@functools.cache
def _pydicom_names() -> dict[str, str]:
    """pydicom UID name -> UID (what pynetdicom prints); current UIDs win over retired ones."""
    out: dict[str, str] = {}
    for uid, entry in sorted(UID_dictionary.items(), key=lambda kv: bool(kv[1][3])):
        if entry[1] in NEGOTIATION_KINDS:
            out.setdefault(entry[0], uid)
    return out


def _candidates(name: str) -> tuple[list[str], bool | None]:
    """Keywords a DCMTK name may stand for, and whether the UID must be retired (None: either)."""
    retired: bool | None = None
    stems = [name]
    if m := _STATUS_PREFIX.match(name):
        retired = True
        stems = [m.group(2)]
    elif m := _GROUP_PREFIX.match(name):
        stems = [m.group(1) + m.group(2), m.group(2)]
    out: list[str] = []
    for stem in stems:
        forms = [stem, re.sub(r"(SOP|Service)Class$", "", stem)]
        if m := _DIMSE_PREFIX.match(stem):
            forms.append(m.group(2) + m.group(1).title())
        for form in forms:
            for variant in (form, form.replace("Multiframe", "MultiFrame")):
                out += [variant + "Retired", variant + "Trial", variant] if retired else [variant]
    return list(dict.fromkeys(out)), retired


@functools.lru_cache(maxsize=4096)
def dcmtk_uid(name: str) -> str | None:
    """The UID for one of DCMTK's symbolic names (without the leading ``=``), or None."""
    if name in DCMTK_NAMES:
        return DCMTK_NAMES[name]
    keywords = _keywords()
    candidates, retired = _candidates(name)
    found = [keywords[c] for c in candidates if c in keywords]
    if retired is not None:
        found = [uid for uid in found if uids.is_retired(uid) == retired] or found
    return found[0] if found else None


@functools.lru_cache(maxsize=4096)
def log_uid(text: str) -> str | None:
    """The UID a log means by ``text``: a bare UID, ``=DCMTKName``, ``=pydicom name`` or a keyword.

    None when nothing matches: the caller keeps the text as written and says so.
    """
    text = text.strip()
    name = text[1:].strip() if text.startswith("=") else text
    if uids.is_valid_uid(name):
        return name
    return dcmtk_uid(name) or _pydicom_names().get(name) or _keywords().get(name)


@functools.cache
def dcmtk_names_for(uid: str) -> tuple[str, ...]:
    """DCMTK's likely names for a UID (to find it in a tool's error message); may be empty."""
    names = [n for n, u in DCMTK_NAMES.items() if u == uid]
    entry = UID_dictionary.get(uid)
    if entry and entry[4]:
        names += [entry[4], entry[4] + "SOPClass"]
    return tuple(names)
