"""Bad statements (issue 6): every broken, hostile or odd file ends in a clear error or a clean parse.

Each entry of the battery is built here (reportlab + byte surgery) and must end in exactly one
of: a StatementError whose one-line message names the file and the problem, or a Statement
that tells the truth (its warnings say what was odd; no invented SOP classes).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from reportlab.lib.pdfencrypt import StandardEncryption

from conformance.errors import StatementError
from conformance.parsers import parse_statement
from tests import badinput as B


@dataclass(frozen=True)
class Case:
    """One bad input: how to build it and what it must end in."""

    name: str
    build: Callable[[Path], None]
    error: str | None = None  # substring of the error's problem; None: must parse
    services: int | None = None  # services a clean parse must find (None: don't care)
    warning: str | None = None  # substring one of the statement's warnings must hold


def _good_pdf_bytes(tmp: Path) -> bytes:
    return B.statement_pdf(tmp.parent / f".{tmp.name}.good.pdf").read_bytes()


def _write(data: bytes) -> Callable[[Path], None]:
    return lambda p: p.write_bytes(data)


def _damaged(damage: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    return lambda p: p.write_bytes(damage(_good_pdf_bytes(p)))


def _encrypted(user: str) -> Callable[[Path], None]:
    def build(p: Path) -> None:
        B.statement_pdf(p, encrypt=StandardEncryption(user, ownerPassword="owner-secret", canPrint=0))

    return build


def _no_pages_pdf() -> bytes:
    """A structurally valid PDF (correct xref) whose page tree is empty."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Root 1 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


STATEMENT_CASES = [
    Case("zero-bytes.pdf", _write(b""), error="empty file"),
    Case("truncated.pdf", _damaged(B.truncate), error="corrupt"),
    Case("truncated-tail.pdf", _damaged(lambda d: d[:-200]), error="corrupt"),  # trailer and xref lost
    Case("header-only.pdf", _write(b"%PDF-1.7\n"), error="corrupt"),
    Case("corrupt-xref.pdf", _damaged(B.corrupt_xref), error="corrupt"),
    Case("no-pages.pdf", _write(_no_pages_pdf()), error="unreadable"),  # pdfium refuses empty page trees
    Case("encrypted-user-password.pdf", _encrypted("secret"), error="encrypted"),
    Case("encrypted-owner-only.pdf", _encrypted(""), services=4),  # empty user password: readable
    Case("scanned.pdf", B.image_only_pdf, error="no text layer"),
    Case(
        "novel.pdf",
        lambda p: B.prose_pdf(p, ["Chapter {page}", "It was a dark and stormy night.", "The end."], pages=3),
        services=0,
        warning="no SOP classes found",
    ),
    Case("sopless-tables.pdf", B.sopless_table_pdf, services=0, warning="no SOP classes found"),
    Case("odd-encodings.pdf", B.odd_encoding_pdf, services=1),
    Case("html-named.pdf", _write(b"<html><body>404 Not Found</body></html>"), error="not a PDF"),
    Case("statement.docx", _write(b"PK\x03\x04" + bytes(100)), error="unsupported file type"),
    Case("garbage.txt", _write(bytes(range(256)) * 64), error="binary data"),
    Case("garbage-no-suffix", _write(b"\x7fELF" + bytes(range(256)) * 8), error="binary data"),
    Case(
        "latin-1.md",
        _write(B.statement_markdown(product="Ünïcödé Çàfé CT").encode("latin-1")),
        services=4,
        warning="not valid UTF-8",
    ),
    Case(
        "cp1252.md",
        _write(B.statement_markdown(product="“Smart” CT – 5000™").encode("cp1252")),
        services=4,
        warning="not valid UTF-8",
    ),
    Case("utf-16.md", _write(B.statement_markdown(product="Ωmega CT").encode("utf-16")), services=4),
    Case("utf-8-bom.md", _write(B.statement_markdown().encode("utf-8-sig")), services=4),
    Case("empty-text.txt", _write(b""), error="empty file"),
    Case("whitespace.txt", _write(b"\n \n\t\n" * 100), services=0, warning="no SOP classes found"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every battery file, built once for the module."""
    folder = tmp_path_factory.mktemp("bad-statements")
    out = {}
    for case in STATEMENT_CASES:
        path = folder / case.name
        case.build(path)
        out[case.name] = path
    return out


@pytest.mark.parametrize("case", STATEMENT_CASES, ids=lambda c: c.name)
def test_statement_battery(case: Case, built: dict[str, Path]) -> None:
    path = built[case.name]
    if case.error is not None:
        with pytest.raises(StatementError) as info:
            parse_statement(path)
        message = info.value.message
        assert "\n" not in message
        assert case.name in message, message
        assert case.error in message, message
        return
    st = parse_statement(path)
    assert st.source == case.name
    if case.services is not None:
        assert len(st.services()) == case.services, st.services().keys()
    if case.warning is not None:
        assert any(case.warning in w for w in st.warnings), st.warnings


def test_missing_statement_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(StatementError, match=r"nowhere\.pdf: no such file"):
        parse_statement(tmp_path / "nowhere.pdf")
    with pytest.raises(StatementError, match="no such file"):
        parse_statement(tmp_path)  # a folder is not a statement


def test_odd_encodings_keep_the_text(built: dict[str, Path]) -> None:
    """Re-decoded statements must not lose or garble what they say (never lie)."""
    st = parse_statement(built["odd-encodings.pdf"])
    assert B.CT_STORAGE in {uid for uid, _ in st.services()}
    for name in ("latin-1.md", "cp1252.md", "utf-16.md"):
        st = parse_statement(built[name])
        assert {uid for uid, _ in st.services()} == {B.CT_STORAGE, B.MR_STORAGE, B.VERIFICATION}
    from conformance.parsers import read_document

    latin = " ".join(getattr(b, "text", "") for b in read_document(built["latin-1.md"]).blocks)
    assert "Ünïcödé Çàfé CT" in latin
    smart = " ".join(getattr(b, "text", "") for b in read_document(built["cp1252.md"]).blocks)
    assert "“Smart” CT – 5000™" in smart


def test_fifty_megabyte_text_statement_fails_fast(tmp_path: Path) -> None:
    """A 50 MB text file is refused with a clear message instead of being slurped and scanned."""
    path = tmp_path / "huge.txt"
    chunk = B.statement_markdown().encode() * 64
    with path.open("wb") as fh:
        while fh.tell() < 50 * 2**20:
            fh.write(chunk)
    start = time.perf_counter()
    with pytest.raises(StatementError) as info:
        parse_statement(path)
    elapsed = time.perf_counter() - start
    assert "huge.txt" in info.value.message and "too large" in info.value.message
    assert elapsed < 5, f"refusing a 50 MB file took {elapsed:.1f} s"


RSS_PROBE = """
import json, resource, sys
from conformance.parsers import parse_statement
st = parse_statement(sys.argv[1])
pages = sorted({p.page for cap in st.capabilities() for p in cap.provenance if p.page})
print(json.dumps({"pages": st.pages, "sop_pages": pages,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def test_thousand_page_pdf_streams_in_bounded_memory(tmp_path: Path) -> None:
    """A 1,000-page statement is read to the last page with a bounded peak RSS (own process)."""
    path = B.thousand_page_pdf(tmp_path / "long.pdf", pages=1000)
    proc = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, str(path)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["pages"] == 1000
    assert result["sop_pages"][-1] == 1000, "the last page was not read"
    # Python + pdfium + pdfplumber imports take ~90 MB; holding 1,000 parsed pages would not fit.
    assert result["rss_mb"] < 400, f"peak RSS {result['rss_mb']:.0f} MB"
