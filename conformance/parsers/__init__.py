"""Statement readers: any supported file into a Document, then into a Statement.

Statements that are already data (conformance-facts/1 JSON or YAML, the model JSON of
``parse --json`` / ``probe --save``) are read by :mod:`conformance.parsers.facts` instead.

Importing this module loads no reader: a parse-cache hit needs only the hash and the cache,
so the PDF libraries, pydicom and the extractor are imported by the functions that read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from conformance.document import Document
from conformance.errors import ConformanceError, StatementError
from conformance.fileio import data_file, file_sha256
from conformance.model import Statement

LOGGER = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".rst", ".html", ".htm"})
PDF_SUFFIXES = frozenset({".pdf"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES


def read_document(path: str | Path, *, sha256: str = "") -> Document:
    """Read a statement file into a Document; StatementError names the file and problem.

    ``sha256``: the file's content hash when the caller has it already (hashed once per run).
    """
    from conformance.parsers.pdf import read_pdf
    from conformance.parsers.text import read_text

    path = Path(path)
    if not path.is_file():
        raise StatementError(str(path), "no such file")
    if path.stat().st_size == 0:
        raise StatementError(str(path), "empty file")
    with path.open("rb") as fh:
        head = fh.read(1024)  # readers accept a %PDF header anywhere in the first 1 KB
    suffix = path.suffix.lower()
    is_pdf = head.startswith(b"%PDF") or (suffix in PDF_SUFFIXES and b"%PDF-" in head)
    if is_pdf or suffix in PDF_SUFFIXES:
        if not is_pdf:
            raise StatementError(str(path), "not a PDF (no %PDF header)")
        doc = _read_pdf_or_fail(path, read_pdf)
    elif suffix in TEXT_SUFFIXES or not suffix:
        doc = read_text(path)
    else:
        raise StatementError(str(path), f"unsupported file type {suffix!r}")
    doc.sha256 = sha256 or file_sha256(path)
    return doc


def _read_pdf_or_fail(path: Path, read_pdf: Callable[[Path], Document]) -> Document:
    """pdfium can refuse a single page of a damaged file: that is a corrupt PDF, not a crash."""
    import pypdfium2

    try:
        return read_pdf(path)
    except pypdfium2.PdfiumError as exc:
        raise StatementError(str(path), f"corrupt PDF ({exc})") from exc


def parse_statement(path: str | Path, *, use_cache: bool = True, sha256: str = "") -> Statement:
    """Parse one statement file into the normalized model.

    With ``use_cache`` a file whose content (and the parser) did not change is read back
    from the parse cache (``conformance.cache``) in milliseconds instead of re-parsed.
    ``sha256``: the file's content hash when the caller computed it already (a batch looks the
    cache up first): a file is hashed once per run.
    """
    from conformance import cache

    path = Path(path)
    if data_file(path):  # facts or model JSON: cheap to read, never cached
        from conformance.parsers.facts import read_data_statement

        return read_data_statement(path)
    sha = sha256 or (file_sha256(path) if path.is_file() else "")
    if use_cache and sha:
        hit = cache.load(sha, path.name)
        if hit is not None:
            LOGGER.info("%s: from parse cache", path)
            return hit
    from conformance.extract import extract  # a miss only: it imports pydicom and rapidfuzz

    doc = read_document(path, sha256=sha)
    statement = extract(doc)
    LOGGER.info("%s: %d services", path, len(statement.services()))
    if use_cache and statement.sha256 == sha:
        cache.store(statement)
    return statement


def parse_many(
    paths: Iterable[str | Path], *, use_cache: bool = True, workers: int | None = None
) -> dict[Path, Statement | ConformanceError]:
    """Parse several statements on all cores; see :func:`conformance.parsers.batch.parse_many`."""
    from conformance.parsers.batch import parse_many as _parse_many

    return _parse_many(paths, use_cache=use_cache, workers=workers)
