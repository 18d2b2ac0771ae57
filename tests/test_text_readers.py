"""Text, Markdown, RST and HTML statements into Documents: headings with depth, tables, captions."""

from __future__ import annotations

from pathlib import Path

from conformance.document import Line, Table
from conformance.parsers.text import read_text


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _tables(path: Path) -> list[Table]:
    return [b for b in read_text(path).blocks if isinstance(b, Table)]


def _headings(path: Path) -> list[tuple[str, int]]:
    return [(b.text, b.level) for b in read_text(path).blocks if isinstance(b, Line) and b.heading]


def test_markdown_heading_levels_tables_and_code_fences(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "s.md",
        "# Statement\n\n## 1. Networking\n\n### 1.1 SOP Classes\n\n"
        "| SOP Class | UID |\n|---|---|\n| CT Image Storage | `1.2.840.10008.5.1.4.1.1.2` |\n\n"
        "```\nModality | C-STORE | PACS\n```\n",
    )
    assert _headings(path) == [("Statement", 1), ("1. Networking", 2), ("1.1 SOP Classes", 3)]
    tables = _tables(path)
    assert len(tables) == 1  # the fenced diagram is not a table
    assert tables[0].rows == [["SOP Class", "UID"], ["CT Image Storage", "1.2.840.10008.5.1.4.1.1.2"]]
    assert tables[0].caption == "1.1 SOP Classes"


def test_text_pipe_rows_without_outer_bars_and_table_captions(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "s.txt",
        "# Networking\n\nTable: Number of Associations as a SCU for STORE AE\n"
        "Maximum number of simultaneous Associations | 10 (Configurable)\n\n"
        "Orthanc supports the following SOP Classes as an SCP for C-Echo:\n\n"
        "  VerificationSOPClass      | 1.2.840.10008.1.1\n",
    )
    first, second = _tables(path)
    assert first.caption == "Number of Associations as a SCU for STORE AE"
    assert first.rows == [["Maximum number of simultaneous Associations", "10 (Configurable)"]]
    assert second.rows == [["VerificationSOPClass", "1.2.840.10008.1.1"]]


def test_prose_joined_into_paragraphs_and_pseudo_headings(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "s.txt",
        "# AE Specifications\n\nNumber of Associations\n\n"
        "The AE supports the Storage service\nclass as an SCP.\n",
    )
    blocks = read_text(path).blocks
    assert [(b.text, b.heading, b.level) for b in blocks] == [
        ("AE Specifications", True, 1),
        ("Number of Associations", True, 2),
        ("The AE supports the Storage service class as an SCP.", False, 0),
    ]


def test_rst_grid_table_with_spans_and_line_blocks(tmp_path: Path) -> None:
    text = """Title
=====

.. table:: Accepted Presentation Contexts

   +------------------------------------+--------------------------------------+------+
   | Abstract Syntax                    | Transfer Syntax                      | Role |
   +----------------+-------------------+----------------+---------------------+      |
   | Name           | UID               | Name           | UID                 |      |
   +================+===================+================+=====================+======+
   | | Verification | 1.2.840.10008.1.1 | Implicit VR LE | 1.2.840.10008.1.2   | SCP  |
   +----------------+-------------------+----------------+---------------------+------+
   | SR Storage in :ref:`Classes`       | Implicit VR LE | 1.2.840.10008.1.2   | SCP  |
   |                                    +----------------+---------------------+      |
   |                                    | Explicit LE    | 1.2.840.10008.1.2.1 |      |
   +------------------------------------+----------------+---------------------+------+
"""
    path = _write(tmp_path, "s.rst", text)
    (table,) = _tables(path)
    assert table.caption == "Accepted Presentation Contexts"
    assert table.rows[0] == [
        "Abstract Syntax",
        "Abstract Syntax",
        "Transfer Syntax",
        "Transfer Syntax",
        "Role",
    ]
    assert table.rows[1][:4] == ["Name", "UID", "Name", "UID"]
    assert table.rows[2] == [
        "Verification",
        "1.2.840.10008.1.1",
        "Implicit VR LE",
        "1.2.840.10008.1.2",
        "SCP",
    ]
    sr = table.rows[3]
    assert sr[0] == sr[1] == "SR Storage in Classes"  # spanning cell fills both columns, :ref: unwrapped
    assert sr[3:] == ["1.2.840.10008.1.2", "SCP"]
    assert table.rows[4][:2] == ["", ""] and table.rows[4][3] == "1.2.840.10008.1.2.1"  # continuation row


def test_rst_csv_table_from_embedded_file_and_list_table(tmp_path: Path) -> None:
    text = """.. file: docs/specs/storage.rst
SOP Classes
-----------

.. csv-table:: SOP Classes for Storage AE
   :name: SOPClasses
   :header: "SOP Class Name", "SOP Class UID", "SCU", "SCP"
   :file: sop-classes.csv

.. list-table:: Transfer Syntaxes
   :header-rows: 1

   * - Name
     - UID
   * - Implicit VR Little Endian
     - 1.2.840.10008.1.2
.. file: docs/specs/sop-classes.csv
"**Image Storage SOP Classes:**"
"CT Image Storage", "1.2.840.10008.5.1.4.1.1.2", "No", "Yes"
"""
    path = _write(tmp_path, "s.rst", text)
    csv_table, list_table = _tables(path)  # the CSV shows where it is included, not twice
    assert csv_table.names == ["SOPClasses"]
    assert csv_table.rows == [
        ["SOP Class Name", "SOP Class UID", "SCU", "SCP"],
        ["Image Storage SOP Classes:"],
        ["CT Image Storage", "1.2.840.10008.5.1.4.1.1.2", "No", "Yes"],
    ]
    assert list_table.caption == "Transfer Syntaxes"
    assert list_table.rows == [["Name", "UID"], ["Implicit VR Little Endian", "1.2.840.10008.1.2"]]


def test_rst_heading_levels_follow_adornment_order(tmp_path: Path) -> None:
    text = "=====\nTitle\n=====\n\nPart\n====\n\nSection\n-------\n\nOther part\n==========\n"
    assert _headings(_write(tmp_path, "s.rst", text)) == [
        ("Title", 1),
        ("Part", 2),
        ("Section", 3),
        ("Other part", 2),
    ]


def test_html_headings_captions_and_colspans(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "s.html",
        "<h1>Statement</h1><h3>Storage</h3><table><caption>Table 2 SOP Classes</caption>"
        "<tr><th colspan=2>SOP Class</th><th>SCP</th></tr>"
        "<tr><td>CT</td><td>1.2.840.10008.5.1.4.1.1.2</td><td>&#10003;</td></tr></table>"
        "<script>alert(1)</script><p>Done.</p>",
    )
    blocks = read_text(path).blocks
    assert [(b.text, b.level) for b in blocks if isinstance(b, Line) and b.heading] == [
        ("Statement", 1),
        ("Storage", 3),
    ]
    (table,) = [b for b in blocks if isinstance(b, Table)]
    assert table.caption == "Table 2 SOP Classes"
    assert table.rows == [["SOP Class", "SOP Class", "SCP"], ["CT", "1.2.840.10008.5.1.4.1.1.2", "✓"]]
    assert not any("alert" in getattr(b, "text", "") for b in blocks)


def test_html_rowspans_fill_down(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "rs.html",
        "<table><tr><th>Abstract Syntax</th><th>Transfer Syntax UID</th><th>Role</th></tr>"
        "<tr><td rowspan=2>CT Image Storage</td><td>1.2.840.10008.1.2</td><td rowspan=2>SCP</td></tr>"
        "<tr><td>1.2.840.10008.1.2.1</td></tr></table>",
    )
    (table,) = _tables(path)
    assert table.rows[1:] == [
        ["CT Image Storage", "1.2.840.10008.1.2", "SCP"],
        ["CT Image Storage", "1.2.840.10008.1.2.1", "SCP"],
    ]


def test_a_markdown_heading_over_a_code_fence_is_no_rst_title(tmp_path: Path) -> None:
    """'##### 11.1.1 Flow' directly over '```' once read as an RST title with a backtick underline:
    the fenced diagram became headings and every later section was lost."""
    path = tmp_path / "flow.md"
    path.write_text(
        "# Statement\n\n##### 11.1.1 Application Data Flow\n```\nRemote AE -> Association Request -> X\n"
        "```\n\n##### 11.1.2 AE Specifications\n- Maximum PDU: 16384\n",
        encoding="utf-8",
    )
    doc = read_text(path)
    headings = [b.text for b in doc.blocks if isinstance(b, Line) and b.heading]
    assert headings == ["Statement", "11.1.1 Application Data Flow", "11.1.2 AE Specifications"]
