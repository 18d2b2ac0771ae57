"""The coverage account: what a statement names that the reader did not use.

Each statement below is written for the test (Markdown and plain text in the PS3.2 manner),
with exactly known mentions: some the reader uses, some it must count as not used, some it
must not count at all (a glossary, a table of contents, a column header, an attribute row),
and some the statement declines ("No | No", "is not supported"). The tests compare the
account exactly, so a pass that starts to count noise, or stops seeing a mention, fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conformance import cache, uids
from conformance.cli import app
from conformance.extract.context import is_toc_line, section_kind
from conformance.model import Statement
from conformance.parsers import parse_statement
from conformance.summary import summarize

VERIFY = "1.2.840.10008.1.1"
CT = "1.2.840.10008.5.1.4.1.1.2"
ENH_CT = "1.2.840.10008.5.1.4.1.1.2.1"
MR = "1.2.840.10008.5.1.4.1.1.4"
US = "1.2.840.10008.5.1.4.1.1.6.1"
SC = "1.2.840.10008.5.1.4.1.1.7"
NM = "1.2.840.10008.5.1.4.1.1.20"
PET = "1.2.840.10008.5.1.4.1.1.128"
MWL = "1.2.840.10008.5.1.4.31"
STUDY_FIND = "1.2.840.10008.5.1.4.1.2.2.1"
PRINT_JOB = "1.2.840.10008.5.1.1.14"
ILE = "1.2.840.10008.1.2"
ELE = "1.2.840.10008.1.2.1"
J2K = "1.2.840.10008.1.2.4.91"
RLE = "1.2.840.10008.1.2.5"

# A small PS3.2-style statement: an overview table (two services, one declined), an
# accepted-contexts table, and text around them that names classes and syntaxes in ways
# that must be told apart.
ANNEX_STYLE = """\
# ACME Viewer 3 DICOM Conformance Statement

## Table of Contents

1 Introduction ........ 3
4.2 MR Image Storage .......... 12

## 1.3 Definitions, Terms and Abbreviations

- SOP Class: e.g. Nuclear Medicine Image Storage, a class of objects
- Transfer Syntax: e.g. RLE Lossless, an encoding

## 2 Network Services

Table: Network Services

| SOP Class Name | SOP Class UID | User of Service (SCU) | Provider of Service (SCP) |
|---|---|---|---|
| Verification | 1.2.840.10008.1.1 | Yes | Yes |
| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 | No | Yes |
| Ultrasound Image Storage | 1.2.840.10008.5.1.4.1.1.6.1 | No | No |

## 4 STORAGE-SCP AE

### 4.1 Accepted Presentation Contexts

| Abstract Syntax Name | Abstract Syntax UID | Transfer Syntax Name | Transfer Syntax UID | Role |
|---|---|---|---|---|
| Verification | 1.2.840.10008.1.1 | Implicit VR Little Endian | 1.2.840.10008.1.2 | SCP |
| CT Image Storage | 1.2.840.10008.5.1.4.1.1.2 | Explicit VR Little Endian | 1.2.840.10008.1.2.1 | SCP |

### 4.2 Image Display

The viewer also displays Enhanced CT Image Storage and PET Image Storage objects read from disk,
and decodes JPEG 2000 Image Compression locally.
Secondary Capture Image Storage (1.2.840.10008.5.1.4.1.1.7) is not supported.

### 4.3 Created Objects

| Attribute | Tag | Value |
|---|---|---|
| SOP Class UID | (0008,0016) | 1.2.840.10008.5.1.4.1.1.4 |
"""


def _statement(tmp_path: Path, name: str, text: str) -> Statement:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_statement(path, use_cache=False)


def _uids(sightings: list) -> list[str]:  # type: ignore[type-arg]
    return [s.uid for s in sightings]


def test_annex_style_account(tmp_path: Path) -> None:
    st = _statement(tmp_path, "acme-viewer.md", ANNEX_STYLE)
    cov = st.coverage
    assert {(uid, role.value) for uid, role in st.services()} == {
        (VERIFY, "SCU"),
        (VERIFY, "SCP"),
        (CT, "SCP"),
    }
    # the display sentence names two classes and a syntax that no service carries, in reading order
    assert _uids(cov.unattached_sop_classes) == [ENH_CT, PET]
    assert _uids(cov.unattached_transfer_syntaxes) == [J2K]
    first = cov.unattached_sop_classes[0].first
    assert first is not None and first.section == "4.2 Image Display" and "Enhanced CT" in first.text
    assert cov.unattached_sop_classes[0].name == "Enhanced CT Image Storage"
    # "No | No" and "is not supported" are the statement's own word: declined, not missed
    assert _uids(cov.declined_sop_classes) == [US, SC]
    # Verification SCU comes from the Yes/No table only, with no syntaxes; the rest have theirs
    assert (cov.services, cov.services_without_transfer_syntaxes) == (3, 1)
    # table of contents (MR), glossary (NM, RLE), column headers and the attribute row (MR): passing
    assert NM not in _uids(cov.unattached_sop_classes) and MR not in _uids(cov.unattached_sop_classes)
    assert RLE not in _uids(cov.unattached_transfer_syntaxes)
    assert cov.passing_mentions == 4


def test_tables_and_sections_say_what_they_gave(tmp_path: Path) -> None:
    cov = _statement(tmp_path, "acme-viewer.md", ANNEX_STYLE).coverage
    by_caption = {t.caption: t for t in cov.tables}
    overview = by_caption["Network Services"]
    assert (overview.rows, overview.capabilities, overview.used, overview.note) == (4, 3, True, "")
    contexts = cov.tables[1]
    assert (contexts.capabilities, contexts.used) == (2, True)
    attributes = cov.tables[2]
    assert (attributes.capabilities, attributes.used, attributes.mentions, attributes.note) == (
        0,
        False,
        0,
        "",
    )
    display = next(s for s in cov.sections if s.heading == "4.2 Image Display")
    assert (display.lines, display.capabilities, display.mentions) == (1, 0, 3)  # one paragraph
    kinds = {s.heading: s.kind for s in cov.sections}
    assert kinds["Table of Contents"] == "contents"
    assert kinds["1.3 Definitions, Terms and Abbreviations"] == "glossary"
    assert kinds["4 STORAGE-SCP AE"] == ""


ROLELESS = """\
STORAGE CONFORMANCE

1 Storage SOP Classes

Table 1-1: Supported Storage SOP Classes

SOP Class Name | SOP Class UID
CT Image Storage | 1.2.840.10008.5.1.4.1.1.2
MR Image Storage | 1.2.840.10008.5.1.4.1.1.4

2 Transfer Syntaxes

The product was tested with Explicit VR Little Endian.
"""


def test_a_list_without_roles_is_seen_not_used_and_the_empty_reading_says_what_it_read(
    tmp_path: Path,
) -> None:
    st = _statement(tmp_path, "roleless.txt", ROLELESS)
    cov = st.coverage
    assert st.services() == {}
    assert _uids(cov.unattached_sop_classes) == [CT, MR]
    assert cov.unattached_sop_classes[0].first is not None
    assert cov.unattached_sop_classes[0].first.line == 8
    assert _uids(cov.unattached_transfer_syntaxes) == [ELE]
    assert [(t.caption, t.rows, t.used, t.note) for t in cov.tables] == [
        ("Table 1-1: Supported Storage SOP Classes", 3, False, "2 SOP class(es) with no role stated")
    ]
    text = summarize(st)
    assert "  not used:" in text
    assert (
        "    SOP classes named, in no service (2): CT Image Storage (line 8); MR Image Storage (line 9)"
        in text
    )
    assert "    tables looked at (1): line 7 'Table 1-1: Supported Storage SOP Classes' (3 rows)" in text
    assert (
        "    sections looked at (4): STORAGE CONFORMANCE; 1 Storage SOP Classes; "
        "Table 1-1: Supported Storage SOP Classes; 2 Transfer Syntaxes"
    ) in text


def test_a_fully_used_statement_has_no_not_used_section(tmp_path: Path) -> None:
    text = """\
# Echo 1.0

## Accepted Presentation Contexts

| Abstract Syntax | UID | Transfer Syntax | Role |
|---|---|---|---|
| Verification | 1.2.840.10008.1.1 | Implicit VR Little Endian 1.2.840.10008.1.2 | SCP |
"""
    st = _statement(tmp_path, "echo.md", text)
    assert (st.coverage.unattached_sop_classes, st.coverage.unattached_transfer_syntaxes) == ([], [])
    assert st.coverage.services_without_transfer_syntaxes == 0
    assert "not used" not in summarize(st)


def test_a_section_that_declines_names_declines_them(tmp_path: Path) -> None:
    text = """\
# Broker 2

## 1 Rollen

| Dienst | Rolle |
|---|---|
| Verification SOP Class | SCP |

## 9 Nicht unterstützt

| Dienst | Status |
|---|---|
| Study Root Query/Retrieve Information Model - FIND | geplant |
| Modality Worklist Information Model - FIND | nicht |
"""
    cov = _statement(tmp_path, "broker.md", text).coverage
    assert cov.unattached_sop_classes == []
    assert _uids(cov.declined_sop_classes) == [STUDY_FIND, MWL]


def test_coverage_round_trips_through_json_and_the_parse_cache(tmp_path: Path) -> None:
    st = _statement(tmp_path, "acme-viewer.md", ANNEX_STYLE)
    assert st.coverage.tables and st.coverage.unattached_sop_classes
    again = Statement.from_dict(json.loads(json.dumps(st.to_dict())))
    assert again == st
    assert (
        Statement.from_dict({"source": "old.md"}).coverage == type(st.coverage)()
    )  # entries before coverage
    root = tmp_path / "cache"
    assert cache.store(st, root=root) is not None
    loaded = cache.load(st.sha256, st.source, root=root)
    assert loaded is not None and loaded.coverage == st.coverage


def test_parse_json_and_summary_show_coverage(tmp_path: Path) -> None:
    path = tmp_path / "acme-viewer.md"
    path.write_text(ANNEX_STYLE, encoding="utf-8")
    result = CliRunner().invoke(app, ["parse", "--no-cache", "--json", str(path)])
    assert result.exit_code == 0, result.output
    coverage = json.loads(result.stdout)["coverage"]
    assert [s["uid"] for s in coverage["unattached_sop_classes"]] == [ENH_CT, PET]
    assert [s["uid"] for s in coverage["unattached_transfer_syntaxes"]] == [J2K]
    assert coverage["services_without_transfer_syntaxes"] == 1
    readable = CliRunner().invoke(app, ["parse", "--no-cache", str(path)])
    assert readable.exit_code == 0, readable.output
    assert (
        "    SOP classes named, in no service (2): Enhanced CT Image Storage (line 34); "
        "Positron Emission Tomography Image Storage (line 34)" in readable.stdout
    )
    assert "    transfer syntaxes named, given to no service (1): JPEG 2000 Image Compression (line 34)" in (
        readable.stdout
    )
    assert "    services without transfer syntaxes: 1 of 3" in readable.stdout
    assert "    SOP classes stated as not supported: 2" in readable.stdout


@pytest.mark.parametrize(
    ("text", "sop", "ts"),
    [
        ("Enhanced CT Image Storage and CT Image Storage", [ENH_CT, CT], []),  # leftmost, longest
        ("uses CTImageStorage with ExplicitVRLittleEndian", [CT], [ELE]),  # keywords
        ("Verification SOP Class as SCP", [VERIFY], []),  # one-word name, only with "SOP Class"
        ("a verification step runs at night", [], []),  # one-word name in prose: a word, not a class
        ("creates a print job in the queue", [], []),  # two common words: need "SOP Class"
        ("Print Job SOP Class", [PRINT_JOB], []),
        ("Study Root Query/Retrieve Information Model – FIND", [STUDY_FIND], []),
        ("JPEG 2000 Image Compression (Lossless Only), RLE Lossless", [], ["1.2.840.10008.1.2.4.90", RLE]),
        ("the image is encoded in RLE", [], []),  # one-word alias: common word
        ("Implicit VR Little Endian: Default Transfer Syntax for DICOM", [], [ILE]),
    ],
)
def test_names_in_text(text: str, sop: list[str], ts: list[str]) -> None:
    assert uids.names_in_text(text) == (tuple(sop), tuple(ts))


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Table of Contents", "contents"),
        ("Inhaltsverzeichnis", "contents"),
        ("1.4 Definitions, Terms and Abbreviations", "glossary"),
        ("Abreviaturas", "glossary"),
        ("Revision History", "history"),
        ("2 Normative References", "references"),
        ("8 Media Interchange", "media"),
        ("9. Nicht unterstützt (bewusste Grenzen)", "unsupported"),
        ("4.2.1 Storage SCP AE Specification", ""),
        ("Contents of the Storage Commitment request", ""),
        ("8.1 Transfer Syntaxes", ""),
    ],
)
def test_section_kind(heading: str, kind: str) -> None:
    assert section_kind(heading) == kind


@pytest.mark.parametrize(
    ("line", "toc"),
    [
        ("4.3 IPv4 and IPv6 Support ........ 76", True),
        ("Introduction . . . . . 5", True),
        ("- [Verification](#verification)", True),
        ("The SCP accepts up to 10 associations.", False),
        ("Maximum PDU size: 16384", False),
    ],
)
def test_is_toc_line(line: str, toc: bool) -> None:
    assert is_toc_line(line) is toc


def test_the_classes_a_meta_sop_class_is_made_of_are_used_with_it(tmp_path: Path) -> None:
    text = """\
# Filmer 1

## Proposed Presentation Contexts

| Abstract Syntax | UID | Transfer Syntax | Role |
|---|---|---|---|
| Basic Grayscale Print Management Meta SOP Class | 1.2.840.10008.5.1.1.9 | 1.2.840.10008.1.2 | SCU |

## Printing

N-GET on the Printer SOP Class gives the printer status. A Basic Film Box SOP Class is created per sheet.
Print Job SOP Class is used to follow each job.
"""
    cov = _statement(tmp_path, "filmer.md", text).coverage
    assert _uids(cov.unattached_sop_classes) == [PRINT_JOB]  # not a part of the meta class: its own
