"""Parse many statements at once: cache first, then the misses on every core.

A site inventory names dozens of statements; PDF parsing is CPU-bound Python, so the
misses go to a process pool (one worker per core, at most one per file). A progress bar
is drawn only when stderr is a terminal, so logs and CI output stay clean. One bad file
never stops the others: its :class:`~conformance.errors.ConformanceError` is returned in
its slot of the result.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from conformance.errors import ConformanceError, StatementError
from conformance.model import Statement

LOGGER = logging.getLogger(__name__)

Result = Statement | ConformanceError


ENV_MEMORY = "CONFORMANCE_PARSE_MEMORY_MB"  # address-space ceiling of a parser worker; 0: none


def _init_worker() -> None:
    """One process per file already fills the cores: no page-level pool inside a worker.

    Each worker also gets a memory ceiling: a PDF whose few kilobytes inflate to gigabytes
    (a decompression bomb) then kills its own worker, which is retried alone and skipped,
    instead of exhausting the machine and losing every device.
    """
    import faulthandler

    from conformance.parsers.pdf import ENV_WORKERS

    # A worker that hits its ceiling aborts inside PDFium; the parent reports that file as
    # skipped, so an inherited faulthandler (pytest, -X faulthandler) must not dump a stack.
    faulthandler.disable()
    os.environ[ENV_WORKERS] = "1"
    value = os.environ.get(ENV_MEMORY, "").strip()
    _limit_memory(int(value) if value.lstrip("-").isdigit() else 4096)


def _limit_memory(megabytes: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no rlimits
        return
    if megabytes <= 0:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = megabytes * 2**20 if hard == resource.RLIM_INFINITY else min(megabytes * 2**20, hard)
    if soft == resource.RLIM_INFINITY or soft > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _parse_one(path: str, use_cache: bool, sha256: str) -> tuple[str, Any]:
    """Worker body; returns plain data (exceptions with custom __init__ do not pickle well)."""
    from conformance.parsers import parse_statement

    try:
        return "ok", parse_statement(path, use_cache=use_cache, sha256=sha256).to_dict()
    except ConformanceError as exc:
        return "error", (exc.path, exc.problem, exc.where)
    except Exception as exc:  # a parser bug on one file must not lose the others
        LOGGER.info("%s: parser failed", path, exc_info=True)  # -v shows it; the user gets one line
        return "error", (path, f"parser failed ({type(exc).__name__}: {exc})", "")


def _unpack(kind: str, payload: Any) -> Result:
    if kind == "ok":
        return Statement.from_dict(payload)
    path, problem, where = payload
    return StatementError(path, problem, where=where)


def _progress(total: int) -> tuple[Callable[[str], None], Callable[[], None]]:
    """(advance, close) for a rich bar on a terminal, no-ops otherwise."""
    if total < 2 or not sys.stderr.isatty():
        return (lambda _name: None), (lambda: None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("parsing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("", total=total)
    bar.start()

    def advance(name: str) -> None:
        bar.update(task, advance=1, description=name)

    return advance, bar.stop


def _parse_inline(path: Path, use_cache: bool, sha256: str = "") -> Result:
    """Parse in this process; same rule as in the pool: one file, one error."""
    from conformance.parsers import parse_statement

    try:
        return parse_statement(path, use_cache=use_cache, sha256=sha256)
    except ConformanceError as exc:
        return exc
    except Exception as exc:
        LOGGER.info("%s: parser failed", path, exc_info=True)
        return StatementError(str(path), f"parser failed ({type(exc).__name__}: {exc})")


def _parse_in_pool(
    todo: list[Path],
    n: int,
    use_cache: bool,
    hashes: dict[Path, str],
    results: dict[Path, Result],
    advance: Callable[[str], None],
) -> None:
    """Parse ``todo`` in ``n`` worker processes into ``results``.

    The pool machinery (multiprocessing, pickle: ~25 ms) is imported here, not with the
    module: a run whose statements all come from the parse cache never starts a pool.
    """
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    retry: list[Path] = []
    with ProcessPoolExecutor(max_workers=n, initializer=_init_worker) as pool:
        futures = {pool.submit(_parse_one, str(p), use_cache, hashes.get(p, "")): p for p in todo}
        for fut in as_completed(futures):
            path = futures[fut]
            try:
                results[path] = _unpack(*fut.result())
                advance(path.name)
            except Exception:  # a worker died (memory, signal): the pool fails every pending file
                retry.append(path)
    for path in sorted(retry):  # alone, so only the file that kills its process is lost
        with ProcessPoolExecutor(max_workers=1, initializer=_init_worker) as solo:
            try:
                results[path] = _unpack(
                    *solo.submit(_parse_one, str(path), use_cache, hashes.get(path, "")).result()
                )
            except BrokenProcessPool:
                reason = "out of memory or a crash in a native library; oversized or malformed file?"
                results[path] = StatementError(str(path), f"parser process killed ({reason})")
            except Exception as exc:
                reason = type(exc).__name__ if not str(exc) else str(exc).splitlines()[0]
                results[path] = StatementError(str(path), f"parser process died ({reason})")
        advance(path.name)


def parse_many(
    paths: Iterable[str | Path], *, use_cache: bool = True, workers: int | None = None
) -> dict[Path, Result]:
    """Parse every path (duplicates once) into {path: Statement or ConformanceError}.

    Cache hits are served in this process; misses run in a pool of ``workers`` processes
    (default: the number of cores), or inline when only one is needed.
    """
    from conformance import cache
    from conformance.fileio import data_file, file_sha256

    ordered = list(dict.fromkeys(Path(p) for p in paths))
    results: dict[Path, Result] = {}
    todo: list[Path] = []
    hashes: dict[Path, str] = {}  # computed for the cache lookup, passed on: one hash per file
    for path in ordered:
        if data_file(path):  # facts / model JSON: milliseconds, not worth a process
            results[path] = _parse_inline(path, use_cache)
            continue
        if use_cache and path.is_file():
            try:
                hashes[path] = file_sha256(path)
                hit = cache.load(hashes[path], path.name)
            except OSError:
                hit = None
            if hit is not None:
                results[path] = hit
                continue
        todo.append(path)
    advance, close = _progress(len(todo))
    try:
        n = min(len(todo), workers or os.cpu_count() or 1)
        if n <= 1:
            for path in todo:
                results[path] = _parse_inline(path, use_cache, hashes.get(path, ""))
                advance(path.name)
        else:
            _parse_in_pool(todo, n, use_cache, hashes, results, advance)
    finally:
        close()
    return {p: results[p] for p in ordered}
