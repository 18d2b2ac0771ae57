"""SOP class and transfer-syntax names and UIDs, from pydicom's UID dictionary.

Everything is keyed by UID. Names are only a fallback for statements that omit UIDs:
they are normalized, looked up exactly, then through a small alias table of vendor
spellings, then fuzzily with rapidfuzz so that typos still resolve.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import NamedTuple

import pynetdicom  # noqa: F401  # its import adds UIDs newer than pydicom's dictionary (JPEG XL ...)
from pydicom.uid import UID, UID_dictionary  # re-exported by pydicom.uid from pydicom._uid_dict
from rapidfuzz import fuzz, process

LOGGER = logging.getLogger(__name__)

# pynetdicom registers the transfer syntaxes it knows but pydicom's dictionary does not yet
# (JPEG XL ...) when it is imported. Importing it here means names resolve the same whether or
# not the matcher (which needs pynetdicom) ran before a statement was parsed.


@functools.cache
def _keyword_index() -> dict[str, str]:
    return {str(entry[4]): str(uid) for uid, entry in UID_dictionary.items() if entry[4]}


def keyword_uid(keyword: str) -> str:
    """The UID pydicom's dictionary names ``keyword`` ("CTImageStorage"), as a plain str.

    Code names UIDs by keyword rather than writing them out; an unknown keyword is a bug
    (KeyError at import), never a silently wrong UID.
    """
    try:
        return _keyword_index()[keyword]
    except KeyError:
        raise KeyError(f"no UID with keyword {keyword!r} in pydicom's dictionary") from None


def by_keyword(*keywords: str) -> tuple[str, ...]:
    """UIDs of several keywords, in order (SOP class groups such as the Q/R FIND models)."""
    return tuple(keyword_uid(k) for k in keywords)


IMPLICIT_VR_LE = keyword_uid("ImplicitVRLittleEndian")
EXPLICIT_VR_LE = keyword_uid("ExplicitVRLittleEndian")
EXPLICIT_VR_BE = keyword_uid("ExplicitVRBigEndian")
VERIFICATION = keyword_uid("Verification")
STORAGE_COMMITMENT_PUSH = keyword_uid("StorageCommitmentPushModel")
MODALITY_WORKLIST_FIND = keyword_uid("ModalityWorklistInformationModelFind")
MPPS = keyword_uid("ModalityPerformedProcedureStep")
SECONDARY_CAPTURE = keyword_uid("SecondaryCaptureImageStorage")
STORAGE_SOP_PREFIX = "1.2.840.10008.5.1.4.1.1."
STORAGE_SERVICE_CLASS = keyword_uid("Storage")  # the Storage Service Class
QR_PREFIX = "1.2.840.10008.5.1.4.1.2."

# What a presentation context negotiates. A "Service Class" UID (Storage Service Class 1.2.840.10008.4.2,
# the UPS Service Class) only names a service class in SOP Class Common Extended Negotiation: a statement
# that writes "Storage Service Class" states a family of SOP classes, not one to negotiate.
SOP_KINDS = frozenset({"SOP Class", "Meta SOP Class"})
TS_KIND = "Transfer Syntax"

# Lossy is not a pydicom property (PS3.5 section 8); "may be lossy" counts as lossy here.
LOSSY_TRANSFER_SYNTAXES = frozenset(
    {
        keyword_uid("JPEGBaseline8Bit"),
        keyword_uid("JPEGExtended12Bit"),
        keyword_uid("JPEGExtended35"),
        keyword_uid("JPEGSpectralSelectionNonHierarchical68"),
        keyword_uid("JPEGSpectralSelectionNonHierarchical79"),
        keyword_uid("JPEGFullProgressionNonHierarchical1012"),
        keyword_uid("JPEGFullProgressionNonHierarchical1113"),
        keyword_uid("JPEGExtendedHierarchical1618"),
        keyword_uid("JPEGExtendedHierarchical1719"),
        keyword_uid("JPEGSpectralSelectionHierarchical2022"),
        keyword_uid("JPEGSpectralSelectionHierarchical2123"),
        keyword_uid("JPEGFullProgressionHierarchical2426"),
        keyword_uid("JPEGFullProgressionHierarchical2527"),
        keyword_uid("JPEGLSNearLossless"),
        keyword_uid("JPEG2000"),
        keyword_uid("JPEG2000MC"),
        keyword_uid("HTJ2K"),
        *(f"1.2.840.10008.1.2.4.{n}" for n in range(100, 109)),
        *(f"1.2.840.10008.1.2.4.{n}.1" for n in range(100, 107)),
    }
)

# Vendor spellings that neither the dictionary nor fuzzy matching can reach.
# Keys are normalized (see ``normalize_name``).
TS_ALIASES: dict[str, str] = {
    "ile": IMPLICIT_VR_LE,
    "ivle": IMPLICIT_VR_LE,
    "ivrle": IMPLICIT_VR_LE,
    "implicit little endian": IMPLICIT_VR_LE,
    "implicit vr le": IMPLICIT_VR_LE,
    "little endian implicit": IMPLICIT_VR_LE,
    "implicit vr little endian default": IMPLICIT_VR_LE,
    "dicom implicit vr little endian": IMPLICIT_VR_LE,
    "implicit": IMPLICIT_VR_LE,
    "ele": EXPLICIT_VR_LE,
    "evle": EXPLICIT_VR_LE,
    "evrle": EXPLICIT_VR_LE,
    "explicit little endian": EXPLICIT_VR_LE,
    "explicit vr le": EXPLICIT_VR_LE,
    "little endian explicit": EXPLICIT_VR_LE,
    "dicom explicit vr little endian": EXPLICIT_VR_LE,
    "ebe": EXPLICIT_VR_BE,
    "evbe": EXPLICIT_VR_BE,
    "explicit big endian": EXPLICIT_VR_BE,
    "explicit vr be": EXPLICIT_VR_BE,
    "big endian explicit": EXPLICIT_VR_BE,
    "deflated explicit little endian": keyword_uid("DeflatedExplicitVRLittleEndian"),
    "deflate": keyword_uid("DeflatedExplicitVRLittleEndian"),
    "jpeg baseline": keyword_uid("JPEGBaseline8Bit"),
    "jpeg baseline 8 bit": keyword_uid("JPEGBaseline8Bit"),
    "jpeg lossy baseline": keyword_uid("JPEGBaseline8Bit"),
    "jpeg extended": keyword_uid("JPEGExtended12Bit"),
    "jpeg lossless": keyword_uid("JPEGLosslessSV1"),
    "jpeg lossless sv1": keyword_uid("JPEGLosslessSV1"),
    "jpeg lossless first order prediction": keyword_uid("JPEGLosslessSV1"),
    "jpeg lossless non hierarchical first order prediction": keyword_uid("JPEGLosslessSV1"),
    "jpeg lossless process 14 sv1": keyword_uid("JPEGLosslessSV1"),
    "jpeg lossless process 14": keyword_uid("JPEGLossless"),
    "jpeg lossless non hierarchical": keyword_uid("JPEGLossless"),
    "jpeg ls lossless": keyword_uid("JPEGLSLossless"),
    "jls": keyword_uid("JPEGLSLossless"),
    "jpeg ls lossy": keyword_uid("JPEGLSNearLossless"),
    "jpeg ls near lossless": keyword_uid("JPEGLSNearLossless"),
    "jpeg 2000 lossless": keyword_uid("JPEG2000Lossless"),
    "jpeg2000 lossless": keyword_uid("JPEG2000Lossless"),
    "j2k lossless": keyword_uid("JPEG2000Lossless"),
    "jpeg 2000 lossless only": keyword_uid("JPEG2000Lossless"),
    "j2k": keyword_uid("JPEG2000"),
    "jpeg 2000": keyword_uid("JPEG2000"),
    "jpeg2000": keyword_uid("JPEG2000"),
    "jpeg 2000 lossy": keyword_uid("JPEG2000"),
    "rle": keyword_uid("RLELossless"),
    "rle lossless": keyword_uid("RLELossless"),
    "run length encoding": keyword_uid("RLELossless"),
    "jpeg lossless process 14 selection value 1": keyword_uid("JPEGLosslessSV1"),
    "jpeg lossless p14 sv1": keyword_uid("JPEGLosslessSV1"),
    "jpeg lossy": keyword_uid("JPEGBaseline8Bit"),
    "jpeg lossy 8 bit": keyword_uid("JPEGBaseline8Bit"),
    "jpeg lossy baseline process 1": keyword_uid("JPEGBaseline8Bit"),
    "jpeg 2000 part 1 lossless": keyword_uid("JPEG2000Lossless"),
    "jpeg 2000 part 1": keyword_uid("JPEG2000"),
    "j2k lossy": keyword_uid("JPEG2000"),
    "mpeg 4 avc h 264 high profile": keyword_uid("MPEG4HP41"),
}

SOP_ALIASES: dict[str, str] = {
    "verification": VERIFICATION,
    "echo": VERIFICATION,
    "c echo": VERIFICATION,
    "storage commitment": STORAGE_COMMITMENT_PUSH,
    "storage commitment push": STORAGE_COMMITMENT_PUSH,
    "modality worklist": MODALITY_WORKLIST_FIND,
    "modality worklist find": MODALITY_WORKLIST_FIND,
    "worklist": MODALITY_WORKLIST_FIND,
    "mwl": MODALITY_WORKLIST_FIND,
    "basic worklist management": MODALITY_WORKLIST_FIND,
    "mpps": MPPS,
    "performed procedure step": MPPS,
    "secondary capture": keyword_uid("SecondaryCaptureImageStorage"),
    "sc image storage": keyword_uid("SecondaryCaptureImageStorage"),
    "gsps": keyword_uid("GrayscaleSoftcopyPresentationStateStorage"),
    "grayscale presentation state": keyword_uid("GrayscaleSoftcopyPresentationStateStorage"),
    "kos": keyword_uid("KeyObjectSelectionDocumentStorage"),
    "key object selection": keyword_uid("KeyObjectSelectionDocumentStorage"),
    "encapsulated pdf": keyword_uid("EncapsulatedPDFStorage"),
    "basic grayscale print management": keyword_uid("BasicGrayscalePrintManagementMeta"),
    "basic color print management": keyword_uid("BasicColorPrintManagementMeta"),
    "mwl find": MODALITY_WORKLIST_FIND,
    "radiation dose sr": keyword_uid("XRayRadiationDoseSRStorage"),
    "dose sr": keyword_uid("XRayRadiationDoseSRStorage"),
    "mammography image storage for presentation": keyword_uid(
        "DigitalMammographyXRayImageStorageForPresentation"
    ),
    "mammography image storage for processing": keyword_uid(
        "DigitalMammographyXRayImageStorageForProcessing"
    ),
}

_UID_RE = re.compile(r"(?<![\d.])[0-2](?:\.(?:0|[1-9]\d*)){3,}(?![\d])")
_SPLIT_UID_RE = re.compile(r"(\d\.)\s*\n\s*(\d)|(\d)\s*\n\s*(\.\d)")


def is_valid_uid(text: str) -> bool:
    """PS3.5 9.1: digits and dots, no leading zeros in a component, at most 64 chars."""
    if not text or len(text) > 64:
        return False
    return all(part.isdigit() and (part == "0" or not part.startswith("0")) for part in text.split("."))


def find_uids(text: str) -> list[str]:
    """Every UID-looking token in text, in order; UIDs broken after a dot are re-joined."""
    if "." not in text:
        return []
    return list(_find_uids(text))


@functools.lru_cache(maxsize=1 << 16)
def _find_uids(text: str) -> tuple[str, ...]:
    if "\n" in text:
        text = _SPLIT_UID_RE.sub(lambda m: "".join(g for g in m.groups() if g), text)
    out = []
    for m in _UID_RE.finditer(text):
        uid = m.group(0).rstrip(".")
        if is_valid_uid(uid):
            out.append(uid)
    return tuple(out)


def uid_kind(uid: str) -> str | None:
    entry = UID_dictionary.get(uid)
    return entry[1] if entry else None


def is_sop_class(uid: str) -> bool:
    return uid_kind(uid) in SOP_KINDS


def is_transfer_syntax(uid: str) -> bool:
    return uid_kind(uid) == TS_KIND


def is_retired(uid: str) -> bool:
    entry = UID_dictionary.get(uid)
    return bool(entry and entry[3])


def looks_like_transfer_syntax(uid: str) -> bool:
    """A known transfer syntax, or an unknown UID in the standard's transfer-syntax branch.

    Newer editions add syntaxes (JPEG XL, deflated frames ...) that an older pydicom does
    not know yet; they are still transfer syntaxes, never SOP classes.
    """
    return is_transfer_syntax(uid) or (uid.startswith(IMPLICIT_VR_LE + ".") and uid_kind(uid) is None)


def uid_name(uid: str) -> str:
    """Dictionary name, or the UID itself for private/unknown UIDs."""
    entry = UID_dictionary.get(uid)
    return entry[0] if entry else uid


def is_standard(uid: str) -> bool:
    return uid.startswith("1.2.840.10008.")


def is_lossy(ts_uid: str) -> bool:
    return ts_uid in LOSSY_TRANSFER_SYNTAXES


@functools.lru_cache(maxsize=4096)  # the matcher asks per SOP class and link; UID() validates each time
def is_compressed(ts_uid: str) -> bool:
    try:
        return UID(ts_uid).is_compressed
    except ValueError:
        return False


def is_storage_sop_class(uid: str) -> bool:
    """A storage SOP class: a known one, or an unknown UID in the standard's storage branch.

    Newer editions add storage classes (Heightmap and Label Map Segmentation ...) that an older
    pydicom does not know yet; a statement that writes them states storage classes all the same.
    """
    return uid.startswith(STORAGE_SOP_PREFIX) and (is_sop_class(uid) or uid_kind(uid) is None)


_NOISE = re.compile(r"\b(?:retired|sop class(?:es)?|sop|class|the|iod)\b")
_PUNCT = re.compile(r"[^a-z0-9]+")


# each substitution of normalize_name runs only when its text has the words it needs (they are
# tried on every name of the dictionary when the name index is built, and on table cells)
_US = re.compile(r"\bus\b")
_UPS = re.compile(r"\bups\b")
_QR = re.compile(r"\bq r\b")
_DIMSE_C = re.compile(r"\bc (?=(?:find|move|get|store)\b)")
_DIMSE_N = re.compile(r"\bn (?:create|set|get|action|delete|event report)\b")
_ROOT = re.compile(r"\broot (?!query)(?=(?:find|move|get)\b)")
_FILLER = re.compile(r"\b(?:trial|info|model)\b")
_XRAY = re.compile(r"\bx ray\b")


def normalize_name(text: str) -> str:
    """Lower-case, drop punctuation and filler words that vendors add or leave out."""
    text = text.lower().replace("q/r", "query retrieve").replace("query/retrieve", "query retrieve")
    text = text.replace("information model", "").replace("transfer syntax", "")
    text = _PUNCT.sub(" ", text)
    text = _NOISE.sub(" ", text)
    if "us" in text:
        text = _US.sub("ultrasound", text)  # "US Image Storage"
    if "ups" in text:
        text = _UPS.sub("unified procedure step", text)
    if "q r" in text:
        text = _QR.sub("query retrieve", text)
    # DIMSE names beside a class name: "Study Root C-MOVE", "MPPS N-CREATE/N-SET"
    if "c " in text:
        text = _DIMSE_C.sub("", text)
    if "n " in text:
        text = _DIMSE_N.sub(" ", text)
    # "Study Root Information Model FIND": the query/retrieve words left out
    if "root " in text:
        text = _ROOT.sub("root query retrieve ", text)
    if "trial" in text or "info" in text or "model" in text:
        text = _FILLER.sub(" ", text)
    if "x ray" in text:
        text = _XRAY.sub("xray", text)
    text = text.replace("multi frame", "multiframe")
    text = _ABBREVIATION.sub(lambda m: _ABBREVIATIONS[m.group(1)], text)
    text = _ACRONYM.sub(lambda m: _ACRONYMS[m.group(1)], text)
    return " ".join(text.split())


# Modality acronyms vendors use in SOP class names ("CR Image Storage", "NM Image Storage"), written out
# the way the dictionary names them, and the long forms the dictionary abbreviates ("Computed Tomography").
_ACRONYMS = {
    "cr": "computed radiography",
    "dx": "digital xray",
    "nm": "nuclear medicine",
    "pet": "positron emission tomography",
    "xa": "xray angiographic",
    "xrf": "xray radiofluoroscopic",
    "computed tomography": "ct",
    "magnetic resonance": "mr",
}
_ACRONYM = re.compile(r"\b(" + "|".join(sorted(_ACRONYMS, key=len, reverse=True)) + r")\b")

# Shortened words of older statements' narrow Abstract Syntax columns ("Enh. CT Image", "Sec. Capture",
# "Grayscale Softcopy Pres. State", "RT Struct", "MF Grayscale Byte SC Image").
_ABBREVIATIONS = {
    "enh": "enhanced",
    "sec": "secondary",
    "pres": "presentation",
    "comp": "comprehensive",
    "img": "image",
    "mf": "multiframe",
    "gray": "grayscale",
    "grey": "grayscale",
    "angio": "angiographic",
    "mammo": "mammography",
    "mg": "digital mammography xray",
    "struct": "structure set",
    "sc": "secondary capture",
    "doc": "document",
}
_ABBREVIATION = re.compile(r"\b(" + "|".join(_ABBREVIATIONS) + r")\b")


def _clash(key: str, match: str) -> bool:
    """A fuzzy match that swaps a short word ("cr image storage" ~ "ct image storage") is a different
    class, not a typo; typos change longer words ("imgae", "storgae")."""
    a, b = set(key.split()), set(match.split())
    return any(len(word) <= 3 for word in a ^ b)


@functools.cache
def _name_index(kind: str) -> dict[str, str]:
    """normalized dictionary name -> UID, for "sop" or "ts"; current UIDs win over retired."""
    wanted = SOP_KINDS if kind == "sop" else {TS_KIND}
    index: dict[str, str] = {}
    for uid, (name, uid_type, _info, retired, keyword) in sorted(
        UID_dictionary.items(), key=lambda kv: bool(kv[1][3])
    ):
        if uid_type not in wanted:
            continue
        for variant in (name, keyword, re.sub(r"([a-z])([A-Z])", r"\1 \2", keyword)):
            key = normalize_name(variant)
            if key:
                index.setdefault(key, uid)
        if retired:
            index.setdefault(normalize_name(name.replace("(Retired)", "")), uid)
    aliases = SOP_ALIASES if kind == "sop" else TS_ALIASES
    for key, uid in aliases.items():
        index.setdefault(normalize_name(key), uid)
    return index


@functools.cache
def _retired_index() -> dict[str, str]:
    """normalized name -> retired SOP class UID, for names a statement marks as retired."""
    return {
        normalize_name(name): uid
        for uid, (name, uid_type, _info, retired, _kw) in UID_dictionary.items()
        if retired and uid_type in SOP_KINDS
    }


def _resolve(text: str, kind: str, cutoff: float) -> str | None:
    key = normalize_name(text)
    if not key:
        return None
    if kind == "sop" and "retired" in text.lower():
        retired = _retired_index()
        if key in retired:
            return retired[key]
        match = process.extractOne(key, retired.keys(), scorer=fuzz.ratio, score_cutoff=cutoff)
        if match is not None and not _clash(key, match[0]):
            return retired[match[0]]
    index = _name_index(kind)
    if key in index:
        return index[key]
    if kind == "sop" and not key.endswith("storage"):
        # tables headed "Storage SOP Class" often drop the word: "CT Image", "Mammography CAD SR",
        # "DX Image - For Presentation"
        head, _, tail = key.partition(" for ")
        tail = f" for {tail}" if tail else ""
        for suffix in (" storage", " image storage"):
            if head + suffix + tail in index:
                return index[head + suffix + tail]
    match = process.extractOne(key, index.keys(), scorer=fuzz.ratio, score_cutoff=cutoff)
    if match is None or _clash(key, match[0]):
        # "Modality Worklist (MWL)", "Implicit VR Little Endian: Default Transfer Syntax for DICOM"
        trimmed = re.sub(r"\s*\([^)]*\)\s*|:.*$", " ", text).strip()
        if trimmed and trimmed != text.strip():
            return _resolve(trimmed, kind, cutoff)
        return None
    LOGGER.debug("fuzzy %s match %r -> %r (%.0f)", kind, text, match[0], match[1])
    return index[match[0]]


@functools.lru_cache(maxsize=8192)
def resolve_sop_class(text: str) -> str | None:
    """UID for a SOP class written as a UID or a (possibly sloppy) name; None if unknown."""
    for uid in find_uids(text):
        if is_sop_class(uid) or not is_standard(uid):
            return uid
    found = _resolve(text, "sop", 90)
    # "Storage (C-STORE)" in a list of services names the storage SOP classes, not the Storage
    # Service Class UID (which is never an abstract syntax): no single class
    return None if found == STORAGE_SERVICE_CLASS else found


@functools.lru_cache(maxsize=8192)
def resolve_transfer_syntax(text: str) -> str | None:
    """UID for a transfer syntax written as a UID or a (possibly sloppy) name; None if unknown."""
    for uid in find_uids(text):
        if is_transfer_syntax(uid) or not is_standard(uid):
            return uid
    return _resolve(text, "ts", 90)


# -- names in running text (the coverage account: what a statement names but the reader did not use) ---
# words one of which every name (or keyword) of the kind contains: a cheap test (one regex, a set) before
# the costly normalization, since this runs on every line and table cell of a document
_NAME_CUES = {
    "sop": frozenset({
        "storage", "sop", "verification", "worklist", "procedure", "commitment", "query", "retrieve",
        "print", "printer", "film", "presentation", "key", "secondary", "information", "management",
        "notification", "sr", "dose", "box", "voi", "inventory", "communication", "echo", "pdf", "mwl",
    }),
    "ts": frozenset({
        "endian", "jpeg", "rle", "run", "deflate", "deflated", "mpeg", "hevc", "264", "265", "j2k", "jpip",
        "lossless", "smpte", "encapsulated", "papyrus", "xml", "mime", "vr",
    }),
}  # fmt: skip
_CUE_WORD = re.compile(r"[a-z0-9]+")
_KEYWORD_TOKEN = re.compile(r"\b[A-Z][A-Za-z0-9]*[a-z][A-Z][A-Za-z0-9]*\b")  # CamelCase: "CTImageStorage"
_KEYWORD_PARTS = re.compile(r"[A-Z][a-z]+|[A-Z]+(?![a-z])|\d+")


class _Phrases(NamedTuple):
    names: dict[str, str]  # normalized name of two words or more -> UID
    lengths: dict[str, tuple[int, ...]]  # first word -> word counts of the names it starts, longest first
    weak: frozenset[str]  # two-word names that are also common words ("print job"): need "SOP Class"
    keywords: dict[str, str]  # "CTImageStorage" -> UID
    single: re.Pattern[str]  # "Verification SOP Class": names that normalize to one word


_SERVICE_WORDS = ("storage", "find", "move", "get")


@functools.cache
def _phrase_index(kind: str) -> _Phrases:
    wanted = SOP_KINDS if kind == "sop" else {TS_KIND}
    phrases = {key: uid for key, uid in _name_index(kind).items() if " " in key}
    aliases = {normalize_name(a) for a in (SOP_ALIASES if kind == "sop" else TS_ALIASES)}
    weak = frozenset(
        key
        for key in phrases
        if kind == "sop" and len(key.split()) == 2 and key not in aliases and not key.endswith(_SERVICE_WORDS)
    )
    lengths: dict[str, set[int]] = {}
    for key in phrases:
        words = key.split()
        lengths.setdefault(words[0], set()).add(len(words))
    keywords: dict[str, str] = {}
    single: list[str] = []
    for uid, (name, uid_type, _info, _retired, keyword) in UID_dictionary.items():
        if uid_type not in wanted:
            continue
        if keyword:
            keywords.setdefault(keyword, uid)
        words = name.removesuffix(" SOP Class").split()
        if len(words) == 1:
            single.append(re.escape(words[0]))  # "Verification SOP Class", "Printer SOP Class"
    pattern = re.compile(
        r"\b(" + "|".join(sorted(set(single))) + r")\s+SOP\s+Class" if single else r"(?!x)x", re.I
    )
    return _Phrases(
        phrases, {w: tuple(sorted(n, reverse=True)) for w, n in lengths.items()}, weak, keywords, pattern
    )


def _phrases_in(words: list[str], index: _Phrases, says_sop_class: bool) -> list[str]:
    """Leftmost, longest names in normalized words: "enhanced ct image storage" before "ct image storage"."""
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in index.lengths.get(words[i], ()):
            key = " ".join(words[i : i + n])
            uid = index.names.get(key)
            if uid and (says_sop_class or key not in index.weak):
                out.append(uid)
                i += n
                break
        else:
            i += 1
    return out


@functools.lru_cache(maxsize=1 << 14)  # table cells repeat ("SCU", "Yes", a syntax name on every row)
def names_in_text(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(SOP class UIDs, transfer-syntax UIDs) that running text names in full: a dictionary or
    alias name of two words or more, a keyword ("CTImageStorage"), or "Verification SOP Class".

    Exact names only, no fuzzy matching: this reads whole documents, and a near miss in prose is
    more often another word than a typo. One-word aliases ("echo", "RLE", "implicit") are left
    out, they are common words, and so are two-word names such as "Print Job" unless the text
    says "SOP Class"."""
    low = text.lower()
    tokens = set(_CUE_WORD.findall(low))
    for keyword in _KEYWORD_TOKEN.findall(text):  # "CTImageStorage" holds its cue word inside
        tokens.update(part.lower() for part in _KEYWORD_PARTS.findall(keyword))
    kinds = [kind for kind in ("sop", "ts") if not tokens.isdisjoint(_NAME_CUES[kind])]
    if not kinds:
        return (), ()
    words = normalize_name(text).split()
    says_sop_class = "sop class" in low
    found: dict[str, list[str]] = {"sop": [], "ts": []}
    for kind in kinds:
        index = _phrase_index(kind)
        out = _phrases_in(words, index, says_sop_class)
        out += [index.keywords[t] for t in _KEYWORD_TOKEN.findall(text) if t in index.keywords]
        if kind == "sop":
            out += [_name_index("sop")[normalize_name(m.group(0))] for m in index.single.finditer(text)]
        found[kind] = out
    return tuple(dict.fromkeys(found["sop"])), tuple(dict.fromkeys(found["ts"]))
