"""Seeded fuzzing (issue 6): randomly damaged statements and inventories never end in a traceback.

Every mutant is reproducible from its index (``random.Random(f"<kind>-{index}")``); a failure
message names the index, so `mutant(kind, index)` rebuilds the exact bytes. In process, the
only exception allowed out of a reader is ConformanceError; a clean result must still be honest
(every capability cites where it was read).
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from conformance.errors import ConformanceError
from conformance.model import Statement
from conformance.parsers import parse_statement
from tests import badinput as B

PDF_MUTANTS = 250
TEXT_MUTANTS = 200


pytestmark = pytest.mark.usefixtures("cache_dir")


def mutant(seed: bytes, kind: str, index: int) -> bytes:
    """The index-th mutant of ``seed``: one to three stacked random mutations."""
    rng = random.Random(f"{kind}-{index}")
    data = seed
    for _ in range(rng.randint(1, 3)):
        data = B.mutate(data, rng)
    return data


def _honest(st: Statement) -> None:
    for cap in st.capabilities():
        assert cap.sop_class_uid and cap.provenance, f"capability without provenance: {cap}"
        assert all(p.file == st.source for p in cap.provenance)


def _run(path: Path) -> str:
    try:
        st = parse_statement(path, use_cache=False)
    except ConformanceError as exc:
        assert "\n" not in exc.message and path.name in exc.message, exc.message
        return "error"
    _honest(st)
    return "parsed"


def test_fuzz_pdf_statements(tmp_path: Path) -> None:
    seed = B.statement_pdf(tmp_path / "seed.pdf", scp="Yes").read_bytes()
    outcomes = {"error": 0, "parsed": 0}
    for i in range(PDF_MUTANTS):
        path = tmp_path / f"pdf-{i}.pdf"
        path.write_bytes(mutant(seed, "pdf", i))
        try:
            outcomes[_run(path)] += 1
        except AssertionError:
            raise
        except Exception as exc:  # the bug this test exists to catch
            pytest.fail(f"pdf mutant {i}: {type(exc).__name__}: {exc}")
        path.unlink()
    # the battery must exercise both paths, or the mutations are too weak / too strong
    assert outcomes["error"] > 0 and outcomes["parsed"] > 0, outcomes


@pytest.mark.parametrize("suffix", [".md", ".txt", ".rst", ".html"])
def test_fuzz_text_statements(tmp_path: Path, suffix: str) -> None:
    text = B.statement_markdown()
    if suffix == ".html":
        text = (
            "<html><body><h1>DICOM Conformance Statement</h1><table><tr><th>SOP Class Name</th>"
            "<th>SOP Class UID</th><th>SCU</th><th>SCP</th></tr><tr><td>CT Image Storage</td>"
            f"<td>{B.CT_STORAGE}</td><td>Yes</td><td>No</td></tr></table></body></html>"
        )
    seed = text.encode("utf-8")
    outcomes = {"error": 0, "parsed": 0}
    for i in range(TEXT_MUTANTS // 4):
        path = tmp_path / f"text-{i}{suffix}"
        path.write_bytes(mutant(seed, f"text{suffix}", i))
        try:
            outcomes[_run(path)] += 1
        except AssertionError:
            raise
        except Exception as exc:
            pytest.fail(f"text{suffix} mutant {i}: {type(exc).__name__}: {exc}")
    assert outcomes["parsed"] > 0, outcomes


SAMPLES = sorted((Path(__file__).resolve().parent.parent / "statements").glob("*.*"))
SAMPLE_STATEMENTS = [
    p for p in SAMPLES if p.suffix.lower() in {".pdf", ".md", ".rst", ".txt", ".html"} and p.stem != "README"
]


def test_shipped_samples_exist() -> None:
    assert len(SAMPLE_STATEMENTS) >= 2, "the fuzz test below needs the shipped sample statements"


@pytest.mark.parametrize("sample", SAMPLE_STATEMENTS, ids=lambda p: p.name)
def test_fuzz_shipped_samples(tmp_path: Path, sample: Path) -> None:
    """Realistic layouts (multi-page tables, headings) damaged at random: errors or honest parses."""
    seed = sample.read_bytes()
    outcomes = {"error": 0, "parsed": 0}
    for i in range(40):
        path = tmp_path / f"mutant-{i}{sample.suffix}"
        path.write_bytes(mutant(seed, sample.name, i))
        try:
            outcomes[_run(path)] += 1
        except AssertionError:
            raise
        except Exception as exc:
            pytest.fail(f"{sample.name} mutant {i}: {type(exc).__name__}: {exc}")
    assert outcomes["parsed"] > 0, outcomes


INVENTORY_YAML = """\
site: Fuzz General
devices:
  - {name: CT, role: modality, ae_title: CT1, host: ct, port: 104, statement: ct.md}
  - name: PACS
    role: archive
    statement: pacs.md
    aes:
      - {ae_title: PACS_STORE, host: pacs, port: 11112}
      - {ae_title: PACS_QR, host: pacs, port: 11113}
  - {name: VNA, role: archive, ae_title: VNA, host: vna, port: 104, statement: pacs.md}
  - {name: WS, role: workstation, ae_title: WS1, host: ws, port: 4006, statement: ct.md}
links:
  - {from: CT, to: PACS, service: store}
  - {from: CT, to: PACS, service: commitment}
  - {from: PACS, to: VNA, service: store}
  - {from: WS, to: PACS, service: query}
  - {from: WS, to: PACS, service: move}
"""
INVENTORY_CSV = """\
device,role,ae_title,host,port,statement,sends_to,commits_to,queries,retrieves_from
CT,modality,CT1,ct,104,ct.md,PACS,PACS,,
PACS,archive,PACS_STORE,pacs,11112,pacs.md,VNA,,,
PACS,archive,PACS_QR,pacs,11113,,,,,
VNA,archive,VNA,vna,104,pacs.md,,,,
WS,workstation,WS1,ws,4006,ct.md,,,PACS,PACS
"""
INVENTORY_MUTANTS = int(os.environ.get("FUZZ_INVENTORY_MUTANTS", "150"))  # per format: 300 in all


@pytest.mark.parametrize(
    ("suffix", "seed_text"), [(".yaml", INVENTORY_YAML), (".csv", INVENTORY_CSV)], ids=["yaml", "csv"]
)
def test_fuzz_inventories(tmp_path: Path, suffix: str, seed_text: str) -> None:
    """Damaged inventories through the whole check: an InventoryError, or every device accounted for."""

    (tmp_path / "ct.md").write_text(B.statement_markdown(), encoding="utf-8")
    (tmp_path / "pacs.md").write_text(B.statement_markdown(product="Acme PACS", scp="Yes"), encoding="utf-8")
    outcomes = {"error": 0, "checked": 0}
    for i in range(INVENTORY_MUTANTS):
        rng = random.Random(f"inventory{suffix}-{i}")
        path = tmp_path / f"site-{i}{suffix}"
        if rng.random() < 0.8:
            path.write_text(B.mutate_text(seed_text, rng), encoding="utf-8", errors="surrogateescape")
        else:
            path.write_bytes(B.mutate(seed_text.encode(), rng))
        outcomes[_check_inventory_mutant(path, f"inventory{suffix} mutant {i}")] += 1
    assert outcomes["error"] > 0 and outcomes["checked"] > 0, outcomes


def _check_inventory_mutant(path: Path, label: str) -> str:
    """Run one damaged inventory through `check`: "error" (one clean line) or "checked".

    Checked runs must account for every device the inventory still names: analyzed or skipped.
    """
    from conformance.inventory import load_inventory
    from conformance.pipeline import run_check

    try:
        analysis = run_check(path)
    except ConformanceError as exc:
        assert "\n" not in exc.message and path.name in exc.message, (label, exc.message)
        return "error"
    except Exception as exc:
        pytest.fail(f"{label}: {type(exc).__name__}: {exc}")
    skipped = " | ".join(f"{s.item}: {s.reason}" for s in analysis.skipped)
    for device in load_inventory(path).devices:
        assert device.name in analysis.statements or device.name in skipped, (label, device.name)
    return "checked"


def test_fuzz_xlsx_inventories(tmp_path: Path) -> None:
    """Damaged workbooks: the zip itself, or one XML part inside an intact zip."""
    import io
    import warnings
    import zipfile

    import openpyxl

    from conformance.inventory import load_inventory

    wb = openpyxl.Workbook()
    for row in INVENTORY_CSV.splitlines():
        wb.active.append(row.split(","))
    buf = io.BytesIO()
    wb.save(buf)
    seed = buf.getvalue()
    with zipfile.ZipFile(io.BytesIO(seed)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    outcomes = {"error": 0, "loaded": 0}
    for i in range(200):
        rng = random.Random(f"xlsx-{i}")
        if rng.random() < 0.3:
            data = B.mutate(seed, rng)
        else:
            target = rng.choice(sorted(parts))
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as z:
                for name, body in parts.items():
                    z.writestr(name, B.mutate(body, rng) if name == target else body)
            data = out.getvalue()
        path = tmp_path / f"site-{i}.xlsx"
        path.write_bytes(data)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a library warning would reach the terminal
            try:
                load_inventory(path)
                outcomes["loaded"] += 1
            except ConformanceError as exc:
                assert "\n" not in exc.message and path.name in exc.message
                outcomes["error"] += 1
            except Exception as exc:
                pytest.fail(f"xlsx mutant {i}: {type(exc).__name__}: {exc}")
    assert outcomes["error"] > 0 and outcomes["loaded"] > 0, outcomes


def test_fuzz_shipped_example_inventory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped example site (real sample statements), its inventory damaged 150 ways."""
    import shutil

    source = Path(__file__).resolve().parent.parent / "statements"
    site = tmp_path / "site"
    shutil.copytree(source, site, ignore=shutil.ignore_patterns("*.py", "inventory.yaml"))
    seed_text = (source / "inventory.yaml").read_text(encoding="utf-8")
    outcomes = {"error": 0, "checked": 0}
    for i in range(int(os.environ.get("FUZZ_EXAMPLE_MUTANTS", "150"))):
        rng = random.Random(f"example-inventory-{i}")
        path = site / f"inventory-{i}.yaml"
        path.write_text(B.mutate_text(seed_text, rng), encoding="utf-8")
        outcomes[_check_inventory_mutant(path, f"example inventory mutant {i}")] += 1
    assert outcomes["error"] > 0 and outcomes["checked"] > 0, outcomes
