"""Name -> UID resolution through pydicom's dictionary, aliases and fuzzy matching."""

import pytest

from conformance import uids


@pytest.mark.parametrize(
    ("text", "uid"),
    [
        ("CT Image Storage", "1.2.840.10008.5.1.4.1.1.2"),
        ("CT Imgae Storage", "1.2.840.10008.5.1.4.1.1.2"),  # typo
        ("Study Root Q/R Information Model - FIND", "1.2.840.10008.5.1.4.1.2.2.1"),
        ("Study Root Query/Retrieve Information Model – MOVE", "1.2.840.10008.5.1.4.1.2.2.2"),
        ("RETIRED Nuclear Medicine Image Storage", "1.2.840.10008.5.1.4.1.1.5"),  # retired UID kept
        ("Nuclear Medicine Image Storage", "1.2.840.10008.5.1.4.1.1.20"),
        ("Storage Commitment Push Model SOP Class", "1.2.840.10008.1.20.1"),
        ("Modality Worklist Information Model – FIND", "1.2.840.10008.5.1.4.31"),
        ("Enhanced CT Image Storage", "1.2.840.10008.5.1.4.1.1.2.1"),
    ],
)
def test_sop_class_names(text: str, uid: str) -> None:
    assert uids.resolve_sop_class(text) == uid


@pytest.mark.parametrize(
    ("text", "uid"),
    [
        ("Implicit VR Little Endian", "1.2.840.10008.1.2"),
        ("ILE", "1.2.840.10008.1.2"),
        ("EVLE", "1.2.840.10008.1.2.1"),
        ("Explicit VR Big Endian", "1.2.840.10008.1.2.2"),
        ("JPEG 2000 Image Compression (Lossless Only)", "1.2.840.10008.1.2.4.90"),
        ("JPEG Lossless, Non-Hierarchical, First-Order Prediction", "1.2.840.10008.1.2.4.70"),
        ("RLE Lossless", "1.2.840.10008.1.2.5"),
    ],
)
def test_transfer_syntax_names(text: str, uid: str) -> None:
    assert uids.resolve_transfer_syntax(text) == uid


def test_unknown_name_is_none() -> None:
    assert uids.resolve_sop_class("Coffee Machine Storage Facility") is None


def test_split_uid_rejoined_and_invalid_rejected() -> None:
    assert uids.find_uids("1.2.840.10008.5.1.4.1.\n1.2 and 1.2.03.4") == ["1.2.840.10008.5.1.4.1.1.2"]
    assert not uids.is_valid_uid("1.2.840.010008")


def test_retired_flag_and_lossy_table() -> None:
    assert uids.is_retired("1.2.840.10008.1.20.2")
    assert uids.is_lossy("1.2.840.10008.1.2.4.91") and not uids.is_lossy("1.2.840.10008.1.2.4.90")


def test_uid_split_before_a_dot_rejoined() -> None:
    assert uids.find_uids("1.2.840.10008.5.1.4.1.1\n.4") == ["1.2.840.10008.5.1.4.1.1.4"]


def test_newer_transfer_syntax_recognised_by_its_branch() -> None:
    assert uids.looks_like_transfer_syntax("1.2.840.10008.1.2.4.110")  # JPEG XL, newer than the dictionary
    assert not uids.looks_like_transfer_syntax("1.2.840.10008.5.1.4.1.1.2")
    assert not uids.looks_like_transfer_syntax("1.2.840.10008.1.20.1")


def test_names_without_storage_word() -> None:
    assert uids.resolve_sop_class("Mammography CAD SR") == "1.2.840.10008.5.1.4.1.1.88.50"
    assert uids.resolve_sop_class("CT Image") == "1.2.840.10008.5.1.4.1.1.2"


@pytest.mark.parametrize(
    ("text", "uid"),
    [
        ("US Multi-frame Storage (Retired)", "1.2.840.10008.5.1.4.1.1.3"),  # abbreviation + retired
        ("US Image Storage", "1.2.840.10008.5.1.4.1.1.6.1"),
        ("Study Root Information Model FIND", "1.2.840.10008.5.1.4.1.2.2.1"),  # Q/R words left out
        ("Patient Root Query/Retrieve Info. Model -FIND", "1.2.840.10008.5.1.4.1.2.1.1"),
        ("UPS Pull Information Model - FIND", "1.2.840.10008.5.1.4.34.6.3"),
    ],
)
def test_vendor_spellings(text: str, uid: str) -> None:
    assert uids.resolve_sop_class(text) == uid


def test_service_class_is_no_sop_class() -> None:
    """A service class UID is named in extended negotiation, never negotiated as an abstract syntax."""
    assert not uids.is_sop_class("1.2.840.10008.4.2")  # Storage Service Class
    assert uids.resolve_sop_class("Storage Service Class") is None
    assert uids.is_sop_class("1.2.840.10008.5.1.1.9")  # a Meta SOP class is negotiated


def test_unknown_uid_in_the_storage_branch_is_a_storage_class() -> None:
    """A storage class newer than the installed dictionary is still a storage class; a known
    non-storage class is not."""
    assert uids.is_storage_sop_class("1.2.840.10008.5.1.4.1.1.2")
    assert uids.is_storage_sop_class("1.2.840.10008.5.1.4.1.1.999.42")  # not (yet) in the dictionary
    assert not uids.is_storage_sop_class("1.2.840.10008.5.1.4.1.2.2.1")  # Study Root FIND
