"""The CLI over the whole bad-input battery (issue 6): one-line errors, honest exit codes, no traceback.

Exit status contract: 0 the output was produced (problems are listed in the report's
skipped section); 1 nothing could be produced (or a statement given to parse/facts is
unreadable); 2 outputs written but ``--strict`` found warnings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conformance.cli import app
from conformance.parsers import batch as _batch
from conformance.pipeline import run_check
from tests import badinput as B
from tests.badinput import STATEMENT_CASES, Case

ERROR_CASES = [c for c in STATEMENT_CASES if c.error is not None]
# statements that parse but cannot be matched: the device must be skipped, with the reason
UNMATCHABLE = [c for c in STATEMENT_CASES if c.error is None and c.services == 0]
GOOD_CASES = [c for c in STATEMENT_CASES if c.error is None and c.services]


pytestmark = pytest.mark.usefixtures("module_parse_cache")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return B.build_statements(tmp_path_factory.mktemp("cli-statements"))


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command line in its own process, as a user or script would."""
    return subprocess.run(
        [sys.executable, "-m", "conformance.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )


def _no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr[-3000:]


def _invoke(*args: str):
    """In-process run (fast); an exception escaping the command would be a traceback on a terminal."""
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("case", STATEMENT_CASES, ids=lambda c: c.name)
def test_parse_command(case: Case, built: dict[str, Path]) -> None:
    result = CliRunner().invoke(app, ["parse", str(built[case.name])])
    if case.error is not None:
        assert result.exit_code == 1, result.output
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("error: ") and case.name in lines[0] and case.error in lines[0]
        assert result.stdout == ""
    else:
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith(f"{case.name}: ")
    strict = CliRunner().invoke(app, ["parse", "--strict", str(built[case.name])])
    expected = 1 if case.error else 2 if case.warning else 0
    assert strict.exit_code == expected, strict.output
    if expected == 2:
        assert case.warning in strict.stderr and "strict: " in strict.stderr


def _battery_inventory(folder: Path, built: dict[str, Path]) -> tuple[Path, dict[str, str]]:
    """An inventory naming every battery statement, plus a good modality/archive pair.

    Returns the inventory path and, per device expected to be skipped, a text its reason must hold.
    """
    good = B.statement_pdf(folder / "archive.pdf", product="Acme PACS", scp="Yes")
    devices = [
        {
            "name": "CT-1",
            "role": "modality",
            "ae_title": "CT1",
            "port": 104,
            "statement": str(built["encrypted-owner-only.pdf"]),
        },
        {"name": "PACS", "role": "archive", "ae_title": "PACS", "port": 11112, "statement": str(good)},
        {"name": "NO-FILE", "role": "modality", "ae_title": "NOFILE", "statement": "missing/nowhere.pdf"},
    ]
    expect = {"NO-FILE": "nowhere.pdf"}
    links = [
        {"from": "CT-1", "to": "PACS", "service": "store"},
        {"from": "NO-FILE", "to": "PACS", "service": "store"},
    ]
    for k, case in enumerate(STATEMENT_CASES, start=1):
        name = f"DEV-{k:02d}"
        devices.append(
            {
                "name": name,
                "role": "modality",
                "ae_title": f"DEV{k:02d}",
                "port": 2000 + k,
                "statement": str(built[case.name]),
            }
        )
        links.append({"from": name, "to": "PACS", "service": "store"})
        if case.error is not None:
            expect[name] = case.name
        elif case.services == 0:
            expect[name] = "no SOP classes found"
    inv = folder / "inventory.yaml"
    inv.write_text(yaml.safe_dump({"site": "Battery", "devices": devices, "links": links}, sort_keys=False))
    return inv, expect


def test_no_device_disappears(tmp_path: Path, built: dict[str, Path]) -> None:
    """In process: every device is analyzed or skipped with a reason that names its file."""
    inv, expect = _battery_inventory(tmp_path, built)
    analysis = run_check(inv, use_cache=False)
    names = {d.name for d in analysis.devices}
    skipped = {s.item: s.reason for s in analysis.skipped}
    assert names == set(analysis.statements) | (names & set(skipped)), "a device vanished"
    for name, text in expect.items():
        assert name in skipped, f"{name} not skipped"
        assert text in skipped[name], skipped[name]
        assert name not in analysis.statements
    analyzed = set(analysis.statements)
    assert {"CT-1", "PACS"} <= analyzed
    assert analyzed.isdisjoint(skipped)


def test_check_command_over_the_battery(tmp_path: Path, built: dict[str, Path]) -> None:
    inv, expect = _battery_inventory(tmp_path, built)
    out = tmp_path / "out" / "report.html"
    proc = _cli("check", "-i", str(inv), "--out", str(out))
    _no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert out.is_file() and out.with_suffix(".json").is_file() and out.with_suffix(".csv").is_file()
    report = json.loads(out.with_suffix(".json").read_text())
    reasons = {s["item"]: s["reason"] for s in report["skipped"]}
    for name, text in expect.items():
        assert text in reasons.get(name, ""), (name, reasons.get(name))
    html = out.read_text()
    for name in expect:
        assert name in html.split('id="skipped"', 1)[-1], f"{name} missing from the HTML skipped section"
    assert f"{len(report['skipped'])} skipped" in proc.stdout

    strict_out = tmp_path / "strict" / "report.html"
    strict = _cli("check", "-i", str(inv), "--out", str(strict_out), "--strict")
    _no_traceback(strict)
    assert strict.returncode == 2, strict.stderr
    assert strict_out.is_file(), "--strict must still write the report"
    assert "strict: " in strict.stderr
    for name in expect:
        assert f"skipped {name}: " in strict.stderr


def test_strict_passes_a_clean_run(tmp_path: Path) -> None:
    a = B.statement_pdf(tmp_path / "ct.pdf")
    b = B.statement_pdf(tmp_path / "pacs.pdf", product="Acme PACS", scp="Yes")
    inv = tmp_path / "inv.yaml"
    inv.write_text(
        yaml.safe_dump(
            {
                "devices": [
                    {"name": "CT", "role": "modality", "ae_title": "CT", "port": 104, "statement": a.name},
                    {"name": "PACS", "role": "archive", "ae_title": "PACS", "port": 104, "statement": b.name},
                ],
                "links": [{"from": "CT", "to": "PACS", "service": "store"}],
            }
        )
    )
    result = CliRunner().invoke(app, ["check", "-i", str(inv), "--out", str(tmp_path / "r.html"), "--strict"])
    assert result.exit_code == 0, result.output


def test_facts_command_over_the_battery(tmp_path: Path, built: dict[str, Path]) -> None:
    out = tmp_path / "facts"
    proc = _cli("facts", "--out", str(out), *(str(built[c.name]) for c in STATEMENT_CASES))
    _no_traceback(proc)
    assert proc.returncode == 1  # some statements could not be read
    errors = proc.stderr.splitlines()
    assert len(errors) == len(ERROR_CASES), proc.stderr
    for case in ERROR_CASES:
        assert any(line.startswith("error: ") and case.name in line for line in errors), case.name
    written = {p.name for p in out.iterdir()}
    for case in GOOD_CASES + UNMATCHABLE:
        assert f"{Path(case.name).stem}.json" in written


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "no such file"),
        ("devices: [unclosed\n  - name: x\n", "invalid YAML"),
        ("just a string\n", "devices"),
        ("\x00\x01\x02binary", "inventory"),
    ],
    ids=["missing", "invalid-yaml", "not-a-mapping", "binary"],
)
def test_unusable_inventory_exits_1_and_keeps_the_old_report(
    tmp_path: Path, content: str | None, problem: str
) -> None:
    """No report can be made: one line, exit 1, and the previous report is left untouched."""
    inv = tmp_path / "site.yaml"
    if content is not None:
        inv.write_text(content)
    out = tmp_path / "report.html"
    out.write_text("previous report")
    result = _invoke("check", "-i", str(inv), "--out", str(out))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "site.yaml" in lines[0], result.stderr
    assert problem in lines[0]
    assert out.read_text() == "previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["report.html"] + (["site.yaml"] if content else [])
    )


def test_unwritable_output_is_one_line(tmp_path: Path) -> None:
    a = B.statement_pdf(tmp_path / "ct.pdf")
    inv = tmp_path / "inv.yaml"
    inv.write_text(
        yaml.safe_dump(
            {"devices": [{"name": "CT", "role": "modality", "ae_title": "CT", "statement": a.name}]}
        )
    )
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the report folder should be")
    result = _invoke("check", "-i", str(inv), "--out", str(blocker / "report.html"))
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1 and "cannot write" in result.stderr, result.stderr
    facts = _invoke("facts", "--out", str(blocker), str(a))
    assert facts.exit_code == 1 and "cannot write" in facts.stderr, facts.stderr


def test_usage_errors_are_not_tracebacks(tmp_path: Path) -> None:
    proc = _cli("check")
    _no_traceback(proc)
    assert proc.returncode == 2  # click's usage error
    for args in (["parse"], ["nonsense"], ["check", "-i"], ["facts"]):
        assert _invoke(*args).exit_code == 2, args


def test_parser_bug_on_one_statement_loses_only_that_device(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth: an unexpected exception while reading one file skips that device only."""
    import conformance.extract as extractor  # parse_statement imports extract() on a cache miss

    real = extractor.extract

    def buggy(doc):
        if doc.path == "bug.pdf":
            raise IndexError("list index out of range")
        return real(doc)

    monkeypatch.setattr(extractor, "extract", buggy)
    B.statement_pdf(tmp_path / "ct.pdf")
    B.statement_pdf(tmp_path / "bug.pdf")
    B.statement_pdf(tmp_path / "pacs.pdf", product="Acme PACS", scp="Yes")
    devices = [
        {"name": n, "role": r, "ae_title": n, "statement": f"{n.lower()}.pdf"}
        for n, r in (("CT", "modality"), ("BUG", "modality"), ("PACS", "archive"))
    ]
    links = [
        {"from": "CT", "to": "PACS", "service": "store"},
        {"from": "BUG", "to": "PACS", "service": "store"},
    ]
    inv = tmp_path / "inv.yaml"
    inv.write_text(yaml.safe_dump({"devices": devices, "links": links}))
    result = _invoke("check", "-i", str(inv), "--out", str(tmp_path / "r.html"), "--no-cache")
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "r.json").read_text())
    reasons = {s["item"]: s["reason"] for s in report["skipped"]}
    assert "BUG" in reasons and "bug.pdf" in reasons["BUG"] and "IndexError" in reasons["BUG"]
    assert "CT" not in reasons and "PACS" not in reasons


@pytest.mark.parametrize(
    ("out", "extra", "problem"),
    [
        ("site.html", [], "overwrite the inventory"),  # site.csv export == the inventory
        ("ct.html", ["--no-csv", "--no-json"], None),  # next to a statement: fine
        ("report.json", [], "would be the same file"),
        ("pacs.csv", ["--no-json", "--no-csv"], None),
    ],
)
def test_report_never_overwrites_an_input(
    tmp_path: Path, out: str, extra: list[str], problem: str | None
) -> None:
    """`check -i site.csv --out site.html` used to replace the inventory with the CSV export."""
    (tmp_path / "ct.md").write_text(B.statement_markdown())
    (tmp_path / "pacs.md").write_text(B.statement_markdown(product="Acme PACS", scp="Yes"))
    inv = tmp_path / "site.csv"
    original = (
        "device,role,ae_title,statement,sends_to\nCT,modality,CT1,ct.md,PACS\nPACS,archive,PACS,pacs.md,\n"
    )
    inv.write_text(original)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result = _invoke("check", "-i", str(inv), "--out", str(tmp_path / out), *extra)
    assert inv.read_text() == original
    if problem is None:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1 and problem in result.stderr, result.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before, "nothing may be written"


def test_report_never_overwrites_a_statement(tmp_path: Path) -> None:
    (tmp_path / "ct.md").write_text(B.statement_markdown())
    (tmp_path / "pacs.md").write_text(B.statement_markdown(product="Acme PACS", scp="Yes"))
    inv = tmp_path / "site.yaml"
    inv.write_text(
        yaml.safe_dump(
            {
                "devices": [
                    {"name": "CT", "role": "modality", "ae_title": "CT", "statement": "ct.md"},
                    {"name": "PACS", "role": "archive", "ae_title": "PACS", "statement": "pacs.md"},
                ]
            }
        )
    )
    result = _invoke("check", "-i", str(inv), "--out", str(tmp_path / "pacs.md"), "--no-json", "--no-csv")
    assert result.exit_code == 1 and "overwrite the statement of PACS" in result.stderr, result.output
    assert "Acme PACS" in (tmp_path / "pacs.md").read_text()


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("encrypted-user-password.pdf", "encrypted"),
        ("scanned.pdf", "no text layer"),
        ("novel.pdf", "no SOP classes found"),
        ("zero-bytes.pdf", "empty file"),
    ],
)
def test_unreadable_what_if_candidate_ends_the_run(
    tmp_path: Path, built: dict[str, Path], name: str, problem: str
) -> None:
    """The candidate is the point of a what-if run: if it cannot be read, no report pretends it fits."""
    inv, _ = _battery_inventory(tmp_path, built)
    out = tmp_path / "whatif.html"
    result = _invoke(
        "check", "-i", str(inv), "--out", str(out), "--candidate", str(built[name]), "--as", "modality"
    )
    assert result.exit_code == 1, result.output
    assert len(result.stderr.splitlines()) == 1 and name in result.stderr and problem in result.stderr
    assert not out.exists()


def test_facts_never_overwrite_each_other(tmp_path: Path) -> None:
    """Two statements with the same stem in different folders: the second is refused, not silently lost."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = B.statement_pdf(tmp_path / "a" / "device.pdf")
    second = tmp_path / "b" / "device.md"
    second.write_text(B.statement_markdown(product="Other"))
    result = _invoke("facts", "--out", str(tmp_path / "facts"), str(first), str(second))
    assert result.exit_code == 1
    assert "device.json would overwrite the facts of" in result.stderr and str(second) in result.stderr
    data = json.loads((tmp_path / "facts" / "device.json").read_text())
    assert "device.pdf" in json.dumps(data)


def test_internal_error_is_one_line_and_v_shows_the_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The console entry point's last line of defence: a bug is reported, not dumped."""
    import conformance.cli as cli
    import conformance.parsers as parsers

    def boom(*_a, **_k):
        raise KeyError("unexpected\nmulti-line")

    monkeypatch.setattr(parsers, "parse_statement", boom)
    statement = B.statement_pdf(tmp_path / "ct.pdf")
    monkeypatch.setattr(sys, "argv", ["conformance", "parse", str(statement)])
    with pytest.raises(SystemExit) as info:
        cli.run()
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error (KeyError" in err and "Traceback" not in err, err
    monkeypatch.setattr(sys, "argv", ["conformance", "-v", "parse", str(statement)])
    monkeypatch.setattr(cli, "_VERBOSE", [False])
    with pytest.raises(SystemExit):
        cli.run()
    assert "Traceback" in capsys.readouterr().err


def test_strict_fails_on_an_unresolved_sop_class_name(tmp_path: Path) -> None:
    """A SOP class the dictionary cannot name is a warning: the report is written, --strict exits 2."""
    row = "| Verification | 1.2.840.10008.1.1 | Yes | Yes |"
    path = tmp_path / "odd.md"
    odd = "\n| Quantum Flux Image Storage | | Yes | No |"
    path.write_text(B.statement_markdown().replace(row, row + odd))
    assert _invoke("parse", str(path)).exit_code == 0
    result = _invoke("parse", "--strict", str(path))
    assert result.exit_code == 2
    assert "odd.md, line" in result.stderr
    assert "unresolved sop class 'Quantum Flux Image Storage'" in result.stderr


_REAL_PARSE_ONE = _batch._parse_one


def _crash_on_killer(path: str, use_cache: bool, sha256: str):
    """Worker body that dies like an out-of-memory kill on one file (module level: it is pickled)."""
    if path.endswith("killer.md"):
        os._exit(137)
    return _REAL_PARSE_ONE(path, use_cache, sha256)


def test_a_statement_that_kills_its_parser_process_loses_only_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed mid-parse (out of memory, a crash in native code) breaks the whole pool;
    every other statement must still be parsed, and only the culprit skipped with a reason."""
    import multiprocessing

    import conformance.parsers.batch as batch

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the injected crash reaches workers through fork")
    monkeypatch.setattr(batch, "_parse_one", _crash_on_killer)
    paths = []
    for name in ("a.md", "b.md", "killer.md", "c.md", "d.md"):
        path = tmp_path / name
        path.write_text(B.statement_markdown(product=name))
        paths.append(path)
    results = batch.parse_many(paths, use_cache=False, workers=2)
    from conformance.errors import StatementError

    assert isinstance(results[tmp_path / "killer.md"], StatementError)
    assert "parser process killed" in results[tmp_path / "killer.md"].message
    for path in paths:
        if path.name != "killer.md":
            assert not isinstance(results[path], Exception), (path.name, results[path])
            assert len(results[path].services()) == 4


def test_decompression_bomb_is_contained_to_its_own_device(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """600 KB of PDF that inflates to 200 MB of page content (gigabytes once parsed): its worker
    hits the memory ceiling and dies; the other statements are parsed and the bomb is skipped."""
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the lowered ceiling reaches workers through the environment at fork")
    monkeypatch.setenv(_batch.ENV_MEMORY, "600")  # the default (4 GB) takes ~40 s to reach
    bomb = B.inflation_bomb_pdf(tmp_path / "bomb.pdf", 200)
    paths = [bomb]
    for name in ("a.md", "b.md", "c.md"):
        path = tmp_path / name
        path.write_text(B.statement_markdown(product=name))
        paths.append(path)
    results = _batch.parse_many(paths, use_cache=False, workers=2)
    assert "out of memory" in results[bomb].message
    assert all(len(results[p].services()) == 4 for p in paths[1:])
