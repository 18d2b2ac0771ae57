"""Parse cache (hit, miss, corrupt, bypass) and parse_many (pool, errors, progress)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from typer.testing import CliRunner

import conformance.parsers as parsers
from conformance import cache
from conformance.cli import app
from conformance.errors import ConformanceError
from conformance.model import Role
from conformance.parsers import batch, parse_many, parse_statement

CT = "1.2.840.10008.5.1.4.1.1.2"
MR = "1.2.840.10008.5.1.4.1.1.4"


def statement_pdf(path: Path, uids: tuple[str, ...] = (CT, MR)) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(60, 780, "4.2.1.3 Association Acceptance Policy")
    y = 750
    for uid in uids:
        c.drawString(60, y, f"The AE accepts {uid} as an SCP.")
        y -= 16
    c.save()
    return path


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/*.json"))


def test_hit_does_not_parse_again(tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = statement_pdf(tmp_path / "a.pdf")
    first = parse_statement(path)
    assert len(entries(cache_dir)) == 1

    def refuse(_path: object) -> None:
        raise AssertionError("parsed although the cache holds this statement")

    monkeypatch.setattr(parsers, "read_document", refuse)
    again = parse_statement(path)
    assert again.to_dict() == first.to_dict()
    assert (CT, Role.SCP) in again.services()


def test_changed_content_is_a_miss(tmp_path: Path, cache_dir: Path) -> None:
    path = statement_pdf(tmp_path / "a.pdf")
    assert (MR, Role.SCP) in parse_statement(path).services()
    statement_pdf(path, uids=(CT,))
    assert (MR, Role.SCP) not in parse_statement(path).services()
    assert len(entries(cache_dir)) == 2  # one per content


def test_truncated_entry_is_reparsed_and_rewritten(tmp_path: Path, cache_dir: Path) -> None:
    path = statement_pdf(tmp_path / "a.pdf")
    parse_statement(path)
    (entry,) = entries(cache_dir)
    entry.write_bytes(entry.read_bytes()[:100])
    assert (CT, Role.SCP) in parse_statement(path).services()
    (entry,) = entries(cache_dir)
    assert json.loads(entry.read_text())["sha256"] == parsers.file_sha256(path)


def test_bypass_neither_reads_nor_writes(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = statement_pdf(tmp_path / "a.pdf")
    parse_statement(path, use_cache=False)
    assert entries(cache_dir) == []
    parse_statement(path)
    monkeypatch.setattr(cache, "load", lambda *a, **k: pytest.fail("cache read despite --no-cache"))
    result = CliRunner().invoke(app, ["parse", "--no-cache", "--json", str(path)])
    assert result.exit_code == 0, result.output
    assert CT in result.output


def test_facts_cli_uses_cache_and_no_cache(tmp_path: Path, cache_dir: Path) -> None:
    a, b = statement_pdf(tmp_path / "a.pdf"), statement_pdf(tmp_path / "b.pdf", uids=(MR,))
    out = tmp_path / "facts"
    result = CliRunner().invoke(app, ["facts", "--no-cache", "--out", str(out), str(a), str(b)])
    assert result.exit_code == 0, result.output
    assert entries(cache_dir) == []
    result = CliRunner().invoke(app, ["facts", "--out", str(out), str(a), str(b)])
    assert result.exit_code == 0, result.output
    assert len(entries(cache_dir)) == 2
    assert "\u2501" not in result.output and "parsing" not in result.output  # no bar without a terminal
    facts = json.loads((out / "b.json").read_text())
    assert [s["sop_class_uid"] for s in facts["services"]] == [MR]


def test_parse_many_pool_matches_sequential_and_keeps_errors(tmp_path: Path, cache_dir: Path) -> None:
    good = [statement_pdf(tmp_path / f"s{i}.pdf", uids=(CT, MR)[: 1 + i % 2]) for i in range(4)]
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    missing = tmp_path / "missing.pdf"
    paths = [good[0], broken, *good[1:], missing, good[0]]
    results = parse_many(paths, use_cache=False, workers=2)
    assert list(results) == [good[0], broken, *good[1:], missing]  # input order, duplicates once
    for p in good:
        assert results[p].to_dict() == parse_statement(p, use_cache=False).to_dict()
    for p in (broken, missing):
        assert isinstance(results[p], ConformanceError)
        assert p.name in results[p].message and "\n" not in results[p].message
    assert entries(cache_dir) == []
    results = parse_many(good, workers=2)  # fills the cache from the workers
    assert len(entries(cache_dir)) == 4
    assert all(not isinstance(r, ConformanceError) for r in parse_many(good, workers=2).values())


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr.isatty", lambda: False, raising=False)
    advance, close = batch._progress(5)
    assert advance.__name__ == "<lambda>"
    close()
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    advance, close = batch._progress(5)
    try:
        assert advance.__name__ == "advance"
        advance("x.pdf")
    finally:
        close()


def test_check_cli_no_cache_on_the_shipped_inventory(tmp_path: Path, cache_dir: Path) -> None:
    inventory = Path(__file__).resolve().parents[1] / "statements" / "inventory.yaml"
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["check", "-i", str(inventory), "--out", str(out), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert out.is_file() and entries(cache_dir) == []
    result = CliRunner().invoke(app, ["check", "-i", str(inventory), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(entries(cache_dir)) >= 4  # one per distinct statement the inventory names


@pytest.mark.parametrize("use_cache", [True, False])
def test_a_statement_file_is_hashed_once_per_run(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, use_cache: bool
) -> None:
    """The cache lookup's hash is the Statement's hash: a miss must not read the file twice more."""
    from conformance import fileio

    real = fileio.file_sha256
    hashed: list[str] = []

    def counting(path: Path) -> str:
        hashed.append(path.name)
        return real(path)

    monkeypatch.setattr(fileio, "file_sha256", counting)
    monkeypatch.setattr(parsers, "file_sha256", counting)
    a, b = statement_pdf(tmp_path / "a.pdf"), statement_pdf(tmp_path / "b.pdf", (CT,))
    results = parse_many([a, b], use_cache=use_cache, workers=1)  # inline: counted in this process
    assert all(r.sha256 for r in results.values() if not isinstance(r, ConformanceError))
    assert sorted(hashed) == ["a.pdf", "b.pdf"]
    hashed.clear()
    parse_statement(tmp_path / "a.pdf", use_cache=use_cache)  # a hit (or a bypass) hashes once too
    assert hashed == ["a.pdf"]
