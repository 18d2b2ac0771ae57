"""Bad inventories (issue 6): hand-kept YAML, CSV and XLSX, broken every way a spreadsheet can be.

Each case ends in exactly one of:
- fatal: nothing usable, InventoryError with one line naming the file and the problem (CLI exit 1);
- per-row problems: the problem names the file and row/device/link, every other device is still
  analyzed, and no device disappears: each one named in the file is analyzed or listed as
  skipped (CLI exit 0, the report lists it).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from conformance.cli import app
from conformance.errors import InventoryError
from conformance.inventory import load_inventory
from conformance.pipeline import run_check
from tests import badinput as B

BASE_DEVICES = """\
site: Battery
devices:
  - {name: CT, role: modality, ae_title: CT1, host: ct, port: 104, statement: ct.md}
  - {name: PACS, role: archive, ae_title: PACS, host: pacs, port: 11112, statement: pacs.md}
"""
BASE_LINKS = """\
links:
  - {from: CT, to: PACS, service: store}
"""
CSV_HEADER = "device,role,ae_title,host,port,statement,sends_to\n"
CSV_BASE = "CT,modality,CT1,ct,104,ct.md,PACS\nPACS,archive,PACS,pacs,11112,pacs.md,\n"


@dataclass(frozen=True)
class Inv:
    """One bad inventory and what it must end in."""

    name: str
    content: bytes | Callable[[Path], None]
    fatal: str | None = None  # the one-line error's problem text ("a|b": either)
    problem: str | None = None  # text of a per-row problem (fatal for the row, or a warning)
    where: str | None = None  # the row/device/link the problem must name
    devices: tuple[str, ...] = ()  # every device name written in the file (none may vanish)
    analyzed: tuple[str, ...] = ("CT", "PACS")  # must still be analyzed
    extra: dict = field(default_factory=dict)


def _yaml(devices: str = "", links: str = "") -> bytes:
    return (BASE_DEVICES + devices + BASE_LINKS + links).encode()


def _csv(rows: str = "", header: str = CSV_HEADER, base: str = CSV_BASE, encoding: str = "utf-8") -> bytes:
    return (header + base + rows).encode(encoding)


def _xlsx(rows: list[list[object]], header: list[str] | None = None) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(header or CSV_HEADER.strip().split(","))
        for row in rows:
            ws.append(row)
        wb.save(path)

    return build


XLSX_BASE = [
    ["CT", "modality", "CT1", "ct", 104, "ct.md", "PACS"],
    ["PACS", "archive", "PACS", "pacs", 11112, "pacs.md"],
]


def _mesh(n: int) -> bytes:
    devs = "".join(
        f"  - {{name: A{i}, role: archive, ae_title: A{i}, statement: pacs.md}}\n" for i in range(n)
    )
    links = "".join(
        f"  - {{from: A{i}, to: A{j}, service: store}}\n" for i in range(n) for j in range(n) if i != j
    )
    return _yaml(devs, links)


BOMB = b"""\
a: &a [x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
devices:
  - {name: CT, role: modality, ae_title: CT1, statement: ct.md, sends_to: *h}
  - {name: PACS, role: archive, ae_title: PACS, statement: pacs.md}
"""

D = "  - {name: %s, role: modality, ae_title: %s, statement: ct.md}\n"

INVENTORY_CASES = [
    # ---- YAML: nothing usable -------------------------------------------------------------
    Inv("syntax.yaml", b"devices: [\n  - {name: CT, role: modality\n", fatal="invalid YAML"),
    Inv("tabs.yaml", b"devices:\n\t- name: CT\n\t  ae_title: CT1\n", fatal="invalid YAML"),
    Inv("top-level-list.yaml", b"- name: CT\n- name: PACS\n", fatal="'devices' list"),
    Inv("devices-not-list.yaml", b"devices: CT, PACS\n", fatal="'devices' list"),
    Inv("empty.yaml", b"", fatal="'devices' list"),
    Inv("binary.yaml", bytes(range(256)) * 8, fatal="invalid YAML"),
    Inv(
        "latin-1.yaml",
        _yaml("  - {name: Réception, role: modality, ae_title: RCPT, statement: ct.md}\n")
        .decode()
        .encode("latin-1"),
        problem="read as Windows-1252",
        where="latin-1.yaml",
        analyzed=("CT", "PACS", "Réception"),
    ),
    Inv("nul-byte.yaml", b"devices:\n  - {name: C\x00T, ae_title: CT1}\n", fatal="invalid YAML"),
    Inv("alias-bomb.yaml", BOMB, fatal="alias bomb"),
    # PyYAML >= 6.0.4 refuses the nesting itself ("invalid YAML"); older versions load it
    # and no device is usable. Either way: one fatal line naming the file.
    Inv(
        "deep-nesting.yaml",
        b"devices: " + b"[" * 5000 + b"]" * 5000 + b"\n",
        fatal="invalid YAML|no usable device",
    ),
    Inv(
        "all-rows-bad.yaml",
        b"devices:\n  - {role: modality}\n  - {name: X, ae_title: WAY_TOO_LONG_AE_TITLE}\n",
        fatal="no usable device",
    ),
    Inv("inventory.json", b'{"devices": []}', fatal="unsupported inventory type"),
    # ---- YAML: one bad row, the rest analyzed --------------------------------------------
    Inv(
        "missing-name.yaml",
        _yaml("  - {role: modality, ae_title: NONAME}\n"),
        problem="needs a 'name'",
        where="device 3",
    ),
    Inv(
        "unknown-role.yaml",
        _yaml("  - {name: TOASTER, role: toaster, ae_title: TOAST}\n"),
        problem="unknown role 'toaster'",
        where="device 3",
        devices=("TOASTER",),
    ),
    Inv(
        "unknown-key.yaml",
        _yaml("  - {name: EXTRA, role: modality, ae_title: EXTRA, colour: red, statement: ct.md}\n"),
        problem="unknown key(s) colour ignored",
        where="device 3",
        analyzed=("CT", "PACS", "EXTRA"),
    ),
    Inv(
        "duplicate-name.yaml",
        _yaml(D % ("CT", "CT2")),
        problem="duplicate device name 'CT'",
        where="device 3",
    ),
    Inv(
        "duplicate-ae-title.yaml",
        _yaml(D % ("CT-B", "CT1")),
        problem="duplicate AE title 'CT1'",
        where="device 3",
        analyzed=("CT", "PACS", "CT-B"),
    ),
    Inv(
        "ae-17-chars.yaml",
        _yaml(D % ("LONG", "ABCDEFGHIJKLMNOPQ")),
        problem="17 characters",
        where="device 3",
        devices=("LONG",),
    ),
    Inv(
        "ae-backslash.yaml",
        _yaml(D % ("BS", "'CT\\1'")),
        problem="default repertoire",
        where="device 3",
        devices=("BS",),
    ),
    Inv(
        "ae-control-char.yaml",
        _yaml(D % ("BEL", '"CT\\a"')),
        problem="default repertoire",
        where="device 3",
        devices=("BEL",),
    ),
    Inv(
        "ae-non-ascii.yaml",
        _yaml(D % ("UML", "CTÄ")),
        problem="default repertoire",
        where="device 3",
        devices=("UML",),
    ),
    Inv(
        "ae-empty.yaml",
        _yaml(D % ("EMPTY", "''")),
        problem="empty AE title",
        where="device 3",
        devices=("EMPTY",),
    ),
    Inv(
        "aes-not-a-list.yaml",
        _yaml("  - {name: AES, role: modality, aes: CT9}\n"),
        problem="'aes' must be",
        where="device 3",
        devices=("AES",),
    ),
    *(
        Inv(
            f"port-{label}.yaml",
            _yaml(f"  - {{name: P{k}, role: modality, ae_title: P{k}, port: {port}, statement: ct.md}}\n"),
            problem=text,
            where="device 3",
            devices=(f"P{k}",),
        )
        for k, (label, port, text) in enumerate(
            [
                ("zero", "0", "outside 1-65535"),
                ("65536", "65536", "outside 1-65535"),
                ("negative", "-104", "not a number"),
                ("text", "dicom", "not a number"),
                ("fraction", "104.5", "not a number"),
            ]
        )
    ),
    Inv(
        "statement-missing.yaml",
        _yaml("  - {name: GHOST-CT, role: modality, ae_title: GHOST, statement: nowhere/ct.pdf}\n"),
        problem="not found",
        where="device 3",
        devices=("GHOST-CT",),
    ),
    Inv(
        "statement-is-folder.yaml",
        _yaml("  - {name: DIR-CT, role: modality, ae_title: DIRCT, statement: .}\n"),
        problem="not found",
        where="device 3",
        devices=("DIR-CT",),
    ),
    Inv(
        "link-unknown-device.yaml",
        _yaml(links="  - {from: CT, to: GHOST, service: store}\n"),
        problem="unknown device 'GHOST'",
        where="link 2",
    ),
    Inv(
        "link-unknown-service.yaml",
        _yaml(links="  - {from: CT, to: PACS, service: teleport}\n"),
        problem="unknown service 'teleport'",
        where="link 2",
    ),
    Inv(
        "link-to-itself.yaml",
        _yaml(links="  - {from: PACS, to: PACS, service: store}\n"),
        problem="to itself",
        where="link 2",
    ),
    Inv(
        "link-not-mapping.yaml", _yaml(links="  - CT -> PACS\n"), problem="must be a mapping", where="link 2"
    ),
    Inv(
        "store-cycle.yaml",
        _yaml(
            "  - {name: VNA, role: archive, ae_title: VNA, statement: pacs.md}\n",
            "  - {from: PACS, to: VNA, service: store}\n  - {from: VNA, to: PACS, service: store}\n",
        ),
        problem="forwarding loop between archives: PACS -> VNA -> PACS",
        where="store-cycle.yaml",
        analyzed=("CT", "PACS", "VNA"),
    ),
    Inv(
        "archive-mesh.yaml",
        _mesh(12),
        problem="forwarding loop",
        where="archive-mesh.yaml",
        analyzed=("CT", "PACS", *(f"A{i}" for i in range(12))),
    ),
    # ---- CSV --------------------------------------------------------------------------------
    Inv("empty.csv", b"", fatal="cannot read table"),
    Inv("header-only.csv", CSV_HEADER.encode(), fatal="no usable device"),
    Inv("binary.csv", bytes(range(256)) * 8, fatal="binary data"),
    Inv("unclosed-quote.csv", _csv('"BROKEN,modality,BR,h,104,ct.md,PACS\n'), fatal="cannot read table"),
    Inv(
        "missing-ae-column.csv",
        _csv(header="device,role,host,port,statement\n", base="CT,modality,ct,104,ct.md\n"),
        fatal="missing column(s) ae_title",
    ),
    Inv(
        "unknown-column.csv",
        _csv(
            header=CSV_HEADER.strip() + ",colour\n",
            base="CT,modality,CT1,ct,104,ct.md,PACS,red\nPACS,archive,PACS,pacs,11112,pacs.md,,\n",
        ),
        problem="unknown column(s) colour",
        where="unknown-column.csv",
    ),
    Inv(
        "bad-port-row.csv",
        _csv("MR,modality,MR1,mr,70000,ct.md,PACS\n"),
        problem="outside 1-65535",
        where="row 4",
        devices=("MR",),
    ),
    Inv(
        "long-ae-row.csv",
        _csv("MR,modality,MR_IS_TOO_LONG_AE,mr,104,ct.md,PACS\n"),
        problem="characters long",
        where="row 4",
        devices=("MR",),
    ),
    Inv(
        "duplicate-device-row.csv",
        _csv("CT,archive,CT9,ct,104,pacs.md,\n"),
        problem="duplicate device name 'CT'",
        where="row 4",
    ),
    Inv(
        "no-name-row.csv",
        _csv(",modality,NONAME,x,104,ct.md,PACS\n"),
        problem="no device name",
        where="row 4",
    ),
    Inv(
        "link-unknown.csv",
        _csv("MR,modality,MR1,mr,104,ct.md,GHOST\n"),
        problem="unknown device 'GHOST'",
        where="row 4",
        analyzed=("CT", "PACS", "MR"),
    ),
    Inv("semicolons.csv", _csv(header=CSV_HEADER.replace(",", ";"), base=CSV_BASE.replace(",", ";"))),
    Inv(
        "windows-1252.csv",
        _csv("Réception CT,modality,RCT,r,104,ct.md,PACS\n", encoding="cp1252"),
        problem="read as Windows-1252",
        where="windows-1252.csv",
        analyzed=("CT", "PACS", "Réception CT"),
    ),
    Inv(
        "utf-16-tabs.csv",
        _csv(header=CSV_HEADER.replace(",", "\t"), base=CSV_BASE.replace(",", "\t"), encoding="utf-16"),
    ),
    Inv("utf-8-bom.csv", _csv(encoding="utf-8-sig")),
    Inv(
        "repeated-column.csv",
        _csv(
            header=CSV_HEADER.strip() + ",Port\n",
            base="CT,modality,CT1,ct,104,ct.md,PACS,99999\nPACS,archive,PACS,pacs,11112,pacs.md,,0\n",
        ),
        problem="repeated column(s) port",
        where="repeated-column.csv",
    ),
    Inv(
        "newline-in-header.csv",
        b'device,role,"ae\ntitle\x1b[31m",host\nCT,modality,CT1,ct\n',
        fatal="missing column(s) ae_title",
    ),
    # ---- XLSX -------------------------------------------------------------------------------
    Inv("garbage.xlsx", bytes(range(256)) * 8, fatal="cannot read table"),
    Inv("csv-renamed.xlsx", _csv(), fatal="cannot read table"),
    Inv(
        "truncated.xlsx",
        lambda p: (_xlsx(XLSX_BASE)(p), p.write_bytes(p.read_bytes()[:900])),
        fatal="cannot read",
    ),
    Inv("empty-sheet.xlsx", _xlsx([], header=[]), fatal="no usable device"),
    Inv(
        "missing-column.xlsx", _xlsx([["CT", "modality"]], header=["device", "role"]), fatal="missing column"
    ),
    Inv(
        "bad-rows.xlsx",
        _xlsx(
            [
                *XLSX_BASE,
                ["MR", "modality", "MR1", "mr", "dicom", "ct.md", "PACS"],
                ["US", "modality", "US\\1", "us", 104, "ct.md", "PACS"],
            ]
        ),
        problem="not a number",
        where="row 4",
        devices=("MR", "US"),
    ),
    # a formula without a cached value reads as an empty cell: the row is reported, not dropped
    Inv(
        "formula-cells.xlsx",
        _xlsx([*XLSX_BASE, ["=1+1", "modality", "F1", "f", 104, "ct.md", "PACS"]]),
        problem="no device name",
        where="row 4",
    ),
]


def _write_support(folder: Path) -> None:
    (folder / "ct.md").write_text(B.statement_markdown(), encoding="utf-8")
    (folder / "pacs.md").write_text(B.statement_markdown(product="Acme PACS", scp="Yes"), encoding="utf-8")


def build_inventories(folder: Path) -> dict[str, Path]:
    _write_support(folder)
    out = {}
    for case in INVENTORY_CASES:
        path = folder / case.name
        if callable(case.content):
            case.content(path)
        else:
            path.write_bytes(case.content)
        out[case.name] = path
    return out


pytestmark = pytest.mark.usefixtures("module_parse_cache")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_inventories(tmp_path_factory.mktemp("bad-inventories"))


@pytest.mark.parametrize("case", INVENTORY_CASES, ids=lambda c: c.name)
def test_inventory_battery(case: Inv, built: dict[str, Path]) -> None:
    path = built[case.name]
    start = time.perf_counter()
    if case.fatal is not None:
        with pytest.raises(InventoryError) as info:
            load_inventory(path)
        message = info.value.message
        expected = case.fatal.split("|")
        assert "\n" not in message and case.name in message, message
        assert any(alt in message for alt in expected), message
        assert len(message) < 400, "an error line must stay readable"
        assert time.perf_counter() - start < 10
        return
    analysis = run_check(path)
    assert time.perf_counter() - start < 20, "a bad inventory must not take long"
    inv = load_inventory(path)
    if case.problem is not None:
        hits = [p for p in inv.problems if case.problem in p.message]
        assert hits, [str(p) for p in inv.problems]
        assert any(case.where in p.where for p in hits), [str(p) for p in hits]
        assert all(path.name in p.where for p in hits), "a problem must name the file"
    else:
        assert not inv.errors(), [str(p) for p in inv.errors()]
    analyzed = set(analysis.statements)
    assert set(case.analyzed) <= analyzed, (case.analyzed, analyzed)
    # no device disappears silently: each one is analyzed, or its name is in the skipped list
    skipped_text = " | ".join(f"{s.item}: {s.reason}" for s in analysis.skipped)
    for name in {*case.devices, *(d.name for d in inv.devices)}:
        assert name in analyzed or name in skipped_text, (name, skipped_text)


def test_large_archive_chain_is_linear(tmp_path: Path) -> None:
    """1,500 archives forwarding in a chain (and closing the loop): no recursion limit, seconds."""
    n = 1500
    devs = "".join(f"  - {{name: A{i}, role: archive, ae_title: A{i}}}\n" for i in range(n))
    links = "".join(f"  - {{from: A{i}, to: A{(i + 1) % n}, service: store}}\n" for i in range(n))
    path = tmp_path / "chain.yaml"
    path.write_text(f"devices:\n{devs}links:\n{links}")
    start = time.perf_counter()
    inv = load_inventory(path)
    assert time.perf_counter() - start < 15
    loops = [p for p in inv.warnings() if "forwarding loop" in p.message]
    assert len(loops) == 1 and "A0 -> A1 -> A2" in loops[0].message and f"A{n - 1} -> A0" in loops[0].message


DRIVER = """
import sys
from conformance.cli import run
for line in sys.stdin.read().splitlines():
    argv = line.split("\\t")
    sys.argv = ["conformance", *argv]
    print(f"@@ {argv[2]}", flush=True)
    print(f"@@ {argv[2]}", file=sys.stderr, flush=True)
    try:
        run()
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    print(f"@@rc {code}", flush=True)
"""


def test_cli_over_the_inventory_battery(tmp_path: Path, built: dict[str, Path]) -> None:
    """The real console entry point (one process, real stdout/stderr) over every bad inventory."""
    runs = [
        ["check", "-i", str(built[c.name]), "--out", str(tmp_path / c.name / "r.html")]
        for c in INVENTORY_CASES
    ]
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER],
        input="\n".join("\t".join(r) for r in runs),
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr[-3000:]
    codes = [int(line.split()[1]) for line in proc.stdout.splitlines() if line.startswith("@@rc ")]
    assert len(codes) == len(INVENTORY_CASES), proc.stdout[-2000:]
    errs = proc.stderr.split("@@ ")[1:]
    for case, code, err in zip(INVENTORY_CASES, codes, errs, strict=True):
        lines = err.splitlines()[1:]
        report = tmp_path / case.name / "r.html"
        if case.fatal is not None:
            assert code == 1, (case.name, code, err)
            assert len(lines) == 1 and lines[0].startswith("error: ") and case.name in lines[0], (
                case.name,
                err,
            )
            assert not report.exists()
        else:
            assert code == 0, (case.name, code, err)
            assert report.is_file()
            assert lines == [], (case.name, err)


def test_strict_fails_on_inventory_warnings(built: dict[str, Path], tmp_path: Path) -> None:
    """--strict: a run that skipped a row or ignored a column is not a clean pass for a script."""
    for name in ("bad-port-row.csv", "unknown-column.csv", "store-cycle.yaml"):
        result = CliRunner().invoke(
            app, ["check", "-i", str(built[name]), "--out", str(tmp_path / "r.html"), "--strict"]
        )
        assert result.exit_code == 2, (name, result.output)
    clean = CliRunner().invoke(
        app, ["check", "-i", str(built["utf-8-bom.csv"]), "--out", str(tmp_path / "c.html")]
    )
    assert clean.exit_code == 0, clean.output


def test_formula_in_csv_inventory_is_inert_in_exports(tmp_path: Path) -> None:
    _write_support(tmp_path)
    inv = tmp_path / "site.csv"
    inv.write_bytes(_csv('"=HYPERLINK(""http://evil.example"",""x"")",modality,EVIL,e,104,ct.md,PACS\n'))
    out = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["check", "-i", str(inv), "--out", str(out)])
    assert result.exit_code == 0, result.output
    import csv

    cells = [c for row in csv.reader(io.StringIO(out.with_suffix(".csv").read_text())) for c in row]
    assert any("HYPERLINK" in c for c in cells), "the hostile device never reached the CSV export"
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
