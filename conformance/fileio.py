"""Files in and out: text as vendors and spreadsheets write it, content hashes, atomic writes.

Statements, inventories, reports, exports and the parse cache all read or write files; each
of these jobs is done here once, so that an encoding fallback or a safe write behaves the same
for all of them.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

LOGGER = logging.getLogger(__name__)

JSON_SUFFIXES = frozenset({".json"})
YAML_SUFFIXES = frozenset({".yaml", ".yml"})
DATA_SUFFIXES = JSON_SUFFIXES | YAML_SUFFIXES


class BinaryDataError(ValueError):
    """The bytes are not text in any encoding a statement or inventory is written in."""


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Text and notes on how it was read: UTF-8 (BOM or not), UTF-16 (BOM or not), else cp1252.

    Word and Excel write UTF-16 ('Unicode text') with or without a byte-order mark; Notepad's
    "ANSI" is Windows-1252. A note says when the text was not plain UTF-8, so a report can show
    that characters may be wrong. Raises :class:`BinaryDataError` for data that is no text.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
        return text, [] if "\ufffd" not in text else ["damaged UTF-16 text; unreadable characters replaced"]
    if b"\x00" in data[:8192]:
        enc = _bomless_utf16(data[:8192])
        if enc is None:
            raise BinaryDataError("binary data")
        return data.decode(enc, errors="replace"), [f"no byte-order mark; read as {enc.upper()}"]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    return data.decode("cp1252", errors="replace"), ["not valid UTF-8; read as Windows-1252"]


def _bomless_utf16(head: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the NULs sit on one side of mostly-ASCII pairs (Windows exports)."""
    even, odd = head[0::2], head[1::2]
    if len(odd) < 8:
        return None
    for enc, zeros, chars in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) >= 0.9 * len(zeros) and chars.count(0) <= 0.01 * len(chars):
            return enc
    return None


def data_file(path: str | Path) -> bool:
    """Whether a file is data (JSON or YAML: facts, model, inventory, corrections), not a document.

    Here rather than in :mod:`conformance.datafile` (which reads such files and resolves their
    UIDs with pydicom): the parsers ask it of every statement, cache hits included.
    """
    return Path(path).suffix.lower() in DATA_SUFFIXES


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's content, read in 1 MiB chunks (a 400-page PDF never sits in memory twice)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _umask() -> int:
    """The process umask (only readable by setting it; set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path, text: str | bytes, *, shared: bool = True) -> None:
    """Write via a temporary file and rename, so a failed run never leaves half a file.

    ``text`` is written as UTF-8; bytes (a PDF, a PNG) as they are. ``shared`` files (reports,
    exports) get the umask's usual permissions; otherwise they keep mkstemp's owner-only mode
    (the parse cache).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as fb:
                fb.write(text)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        if shared:
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a report is for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building or decoding many small objects at once.

    Rendering a report or decoding a cached statement allocates hundreds of thousands of
    short-lived objects next to a large live model; each full collection rescans all of it.
    Pausing cut render CPU by about a third on a 1,000-device site (benchmarks/match_scale.py).
    Such work makes few cycles; they are collected once the collector runs again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
