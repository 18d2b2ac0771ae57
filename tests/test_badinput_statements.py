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
from pathlib import Path

import pytest

from conformance.errors import StatementError
from conformance.parsers import parse_statement, read_document
from tests import badinput as B
from tests.badinput import STATEMENT_CASES, Case

pytestmark = pytest.mark.usefixtures("module_parse_cache")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every battery file, built once for the module."""
    return B.build_statements(tmp_path_factory.mktemp("bad-statements"))


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
    cjk = " ".join(getattr(b, "text", "") for b in read_document(built["cjk.pdf"]).blocks)
    assert "製品名: 東京 CT スキャナ" in cjk
    for name in ("latin-1.md", "cp1252.md", "utf-16.md"):
        st = parse_statement(built[name])
        assert {uid for uid, _ in st.services()} == {B.CT_STORAGE, B.MR_STORAGE, B.VERIFICATION}
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
from conformance.parsers import parse_statement, read_document
st = parse_statement(sys.argv[1])
pages = sorted({p.page for cap in st.capabilities() for p in cap.provenance if p.page})
peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps({"pages": st.pages, "sop_pages": pages, "rss_mb": peak / 1024}))
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
    # The peak is the larger of this process and any page worker process it started.
    assert result["rss_mb"] < 400, f"peak RSS {result['rss_mb']:.0f} MB"
