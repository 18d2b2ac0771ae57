"""The parse cache under abuse (issue 6): it never serves a stale or corrupt entry, never crashes.

Each test fills a private cache with a real parse, damages the cache or the statement, and
checks that the next parse equals a fresh, uncached parse of the file as it is now.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conformance import cache
from conformance.parsers import parse_statement
from tests import badinput as B


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/*.json"))


def _uids(path: Path, **kw: bool) -> set[str]:
    return {uid for uid, _ in parse_statement(path, **kw).services()}


def test_hit_equals_a_fresh_parse(tmp_path: Path, cache_dir: Path) -> None:
    path = B.statement_pdf(tmp_path / "ct.pdf")
    first = parse_statement(path)
    assert len(_entries(cache_dir)) == 1
    hit = parse_statement(path)
    assert hit.to_dict() == first.to_dict() == parse_statement(path, use_cache=False).to_dict()


def test_edited_statement_is_never_served_stale(tmp_path: Path, cache_dir: Path) -> None:
    path = tmp_path / "device.md"
    path.write_text(B.statement_markdown())
    assert B.MR_STORAGE in _uids(path)
    path.write_text(
        B.statement_markdown().replace("| MR Image Storage | 1.2.840.10008.5.1.4.1.1.4 | Yes | No |\n", "")
    )
    assert B.MR_STORAGE not in _uids(path)  # same name, same size class, new content
    assert _uids(path) == _uids(path, use_cache=False)


def test_same_bytes_under_another_name_cite_that_name(tmp_path: Path, cache_dir: Path) -> None:
    a = B.statement_pdf(tmp_path / "a.pdf")
    b = tmp_path / "b.pdf"
    b.write_bytes(a.read_bytes())
    assert parse_statement(a).source == "a.pdf"
    st = parse_statement(b)
    assert st.source == "b.pdf"
    assert all(p.file == "b.pdf" for cap in st.capabilities() for p in cap.provenance)


def _flip_uid(raw: bytes) -> bytes:
    """Bit rot that keeps valid JSON: CT Image Storage becomes another real SOP class."""
    return raw.replace(B.CT_STORAGE.encode() + b'"', b"1.2.840.10008.5.1.4.1.1.3" + b'"', 1)


def _other_statement(raw: bytes) -> bytes:
    data = json.loads(raw)
    data["statement"]["aes"] = []
    return json.dumps(data).encode()


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda raw: b"",
    "truncated": lambda raw: raw[: len(raw) // 2],
    "garbage": lambda raw: bytes(range(256)) * 4,
    "not-a-mapping": lambda raw: b"[1, 2, 3]",
    "wrong-format": lambda raw: re.sub(rb'"format":\s*\d+', b'"format": 999', raw),
    "statement-missing": lambda raw: json.dumps({**json.loads(raw), "statement": {}}).encode(),
    "flipped-uid": _flip_uid,
    "emptied-statement": _other_statement,
    "utf8-broken": lambda raw: raw.replace(b'"', b'\xff"', 3),
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_corrupt_entry_is_a_miss_and_is_repaired(tmp_path: Path, cache_dir: Path, damage: str) -> None:
    path = B.statement_pdf(tmp_path / "ct.pdf")
    fresh = parse_statement(path).to_dict()
    (entry,) = _entries(cache_dir)
    damaged = DAMAGE[damage](entry.read_bytes())
    assert damaged != entry.read_bytes()
    entry.write_bytes(damaged)
    assert parse_statement(path).to_dict() == fresh
    # the bad entry was replaced by a good one: the next run is a real hit again
    (entry,) = _entries(cache_dir)
    assert json.loads(entry.read_bytes())["statement"]["aes"], "corrupt entry was left in place"
    assert parse_statement(path).to_dict() == fresh


def test_entry_of_another_statement_is_refused(tmp_path: Path, cache_dir: Path) -> None:
    """An entry copied under another key (a swapped file, a sync tool) is not served."""
    ct = B.statement_pdf(tmp_path / "ct.pdf")
    pacs = B.statement_pdf(tmp_path / "pacs.pdf", product="Acme PACS", scp="Yes")
    parse_statement(ct)
    (ct_entry,) = _entries(cache_dir)
    parse_statement(pacs)
    (pacs_entry,) = [e for e in _entries(cache_dir) if e != ct_entry]
    pacs_entry.write_bytes(ct_entry.read_bytes())
    assert parse_statement(pacs).to_dict() == parse_statement(pacs, use_cache=False).to_dict()


def test_a_new_parser_never_reads_old_entries(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = B.statement_pdf(tmp_path / "ct.pdf")
    st = parse_statement(path)
    assert cache.load(st.sha256, st.source) is not None
    monkeypatch.setattr(cache, "parser_fingerprint", lambda: "an-upgraded-parser")
    assert cache.load(st.sha256, st.source) is None


def test_entry_replaced_by_a_folder_or_unwritable_cache_still_parses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = B.statement_pdf(tmp_path / "ct.pdf")
    expected = parse_statement(path, use_cache=False).to_dict()
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CONFORMANCE_CACHE_DIR", str(blocker))
    assert parse_statement(path).to_dict() == expected
    folder = tmp_path / "cache"
    monkeypatch.setenv("CONFORMANCE_CACHE_DIR", str(folder))
    parse_statement(path)
    (entry,) = _entries(folder)
    entry.unlink()
    entry.mkdir()  # a directory where the entry file should be
    assert parse_statement(path).to_dict() == expected


def test_errors_are_not_cached(tmp_path: Path, cache_dir: Path) -> None:
    """A file that failed once is read again next time (the user may have fixed it)."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    from conformance.errors import StatementError

    path = B.statement_pdf(tmp_path / "ct.pdf", encrypt=StandardEncryption("secret"))
    with pytest.raises(StatementError, match="encrypted"):
        parse_statement(path)
    assert _entries(cache_dir) == []
