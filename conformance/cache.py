"""Parse cache: a statement's Statement, keyed by what produced it.

Parsing a 300-page PDF takes seconds; reading the JSON of its Statement takes
milliseconds. An entry is keyed by the file's content hash, its name (the Statement
cites it), and a fingerprint of the parser itself (the source of the modules that turn
bytes into a Statement, plus pydicom's UID dictionary and pynetdicom's additions to it),
so an edited file or an upgraded parser never gets a stale answer. Entries are validated
on load (key and a checksum of the statement); anything odd is treated as a miss and
overwritten. Writes are atomic (temp file + rename), so a crash or a parallel writer
never leaves half an entry behind.

``CONFORMANCE_CACHE_DIR`` overrides the directory (tests use temporary folders).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

from conformance.fileio import atomic_write, gc_paused
from conformance.model import Statement

LOGGER = logging.getLogger(__name__)

ENV_DIR = "CONFORMANCE_CACHE_DIR"
FORMAT = 2  # bump when the entry layout changes (2: digest of the statement payload)
# modules whose code decides what a Statement contains (relative to the package)
_PARSER_SOURCES = (
    "document.py",
    "fileio.py",
    "extract",
    "model.py",
    "uids.py",
    "parsers",
)


def cache_dir() -> Path:
    """The cache folder: $CONFORMANCE_CACHE_DIR, else the user cache dir for "conformance"."""
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("conformance"))


# Files of the UID libraries whose content decides what a SOP class or transfer syntax is called
# and which kind it is: pydicom's dictionary and UID class, pynetdicom's additions to the dictionary.
_UID_SOURCES = {"pydicom": ("_uid_dict.py", "uid.py"), "pynetdicom": ("__init__.py",)}


@functools.cache
def parser_fingerprint() -> str:
    """Hash of the parser's own source and of the UID dictionaries: changes invalidate entries.

    A cache hit must not pay for importing pydicom (half a second), nor for importlib.metadata
    (~30 ms, a tenth of a cached run): the dictionaries' source files are found without
    importing their packages and hashed like the parser's own, which also catches a dictionary
    edited in a development install. An install that does not have these files is
    fingerprinted by its version instead.
    """
    root = Path(__file__).resolve().parent
    h = hashlib.sha256(f"format={FORMAT}".encode())
    for package, names in _UID_SOURCES.items():
        _hash_package_files(h, package, names)
    for name in _PARSER_SOURCES:
        target = root / name
        files = sorted(target.rglob("*.py")) if target.is_dir() else [target]
        for f in files:
            h.update(str(f.relative_to(root)).encode())
            with contextlib.suppress(OSError):
                h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _hash_package_files(h: hashlib._Hash, package: str, names: tuple[str, ...]) -> None:
    """Add the content of ``package``'s files ``names`` to ``h``, else its installed version."""
    from importlib.util import find_spec  # a top-level package's spec: found, not imported

    spec = find_spec(package)
    folders = list(spec.submodule_search_locations or []) if spec else []
    try:
        for name in names:
            data = (Path(folders[0]) / name).read_bytes()
            h.update(f"{package}/{name}:{len(data)}:".encode())
            h.update(data)
    except (IndexError, OSError):
        from importlib.metadata import version

        h.update(f"{package}={version(package)}".encode())


def entry_key(sha256: str, name: str) -> str:
    return hashlib.sha256(f"{sha256}\0{name}\0{parser_fingerprint()}".encode()).hexdigest()


def _digest(statement: dict[str, Any]) -> str:
    """Checksum of the stored statement: bit rot or an edit that keeps valid JSON is still a miss."""
    canonical = json.dumps(statement, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _entry_path(key: str, root: Path | None = None) -> Path:
    return (root or cache_dir()) / key[:2] / f"{key}.json"


def load(sha256: str, name: str, *, root: Path | None = None) -> Statement | None:
    """The cached Statement for this content and name, or None (miss, stale or corrupt)."""
    key = entry_key(sha256, name)
    path = _entry_path(key, root)
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    with gc_paused():  # decoding builds many small objects at once
        return _decode(raw, key, sha256, name, path)


def _decode(raw: bytes, key: str, sha256: str, name: str, path: Path) -> Statement | None:
    try:
        data = json.loads(raw)
        if data.get("format") != FORMAT or data.get("key") != key or data.get("sha256") != sha256:
            raise ValueError("entry does not match its key")
        if data.get("digest") != _digest(data["statement"]):
            raise ValueError("statement does not match its digest")
        statement = Statement.from_dict(data["statement"])
        if statement.sha256 != sha256 or statement.source != name:
            raise ValueError("statement does not match its key")
    except Exception as exc:  # any damage at all means: parse again and overwrite
        LOGGER.warning("ignoring corrupt cache entry %s (%s)", path, exc)
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    LOGGER.debug("cache hit %s for %s", key[:12], name)
    return statement


def store(statement: Statement, *, root: Path | None = None) -> Path | None:
    """Write the entry atomically; a cache that cannot be written is only a warning."""
    if not statement.sha256:
        return None
    key = entry_key(statement.sha256, statement.source)
    path = _entry_path(key, root)
    body = json.loads(json.dumps(statement.to_dict()))  # the digest covers exactly what load() reads
    payload = {
        "format": FORMAT,
        "key": key,
        "sha256": statement.sha256,
        "digest": _digest(body),
        "statement": body,
    }
    try:
        atomic_write(path, json.dumps(payload, separators=(",", ":")), shared=False)
    except OSError as exc:
        LOGGER.warning("cannot write parse cache %s (%s)", path, exc)
        return None
    return path


def clear(*, root: Path | None = None) -> int:
    """Delete every entry; returns how many were removed."""
    base = root or cache_dir()
    removed = 0
    for f in base.glob("*/*.json"):
        with contextlib.suppress(OSError):
            f.unlink()
            removed += 1
    return removed
