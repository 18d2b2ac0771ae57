"""Suite-wide set-up and the fixtures several test modules share.

The parse cache lives in a temporary folder, never the user's: one for the whole session by
default; ``cache_dir`` gives a test its own empty one, ``module_parse_cache`` a module.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ENV_CACHE = "CONFORMANCE_CACHE_DIR"


@pytest.fixture(autouse=True, scope="session")
def _private_parse_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests (and the CLI subprocesses they start) must not read or fill ~/.cache."""
    old = os.environ.get(ENV_CACHE)
    os.environ[ENV_CACHE] = str(tmp_path_factory.mktemp("parse-cache"))
    yield
    if old is None:
        os.environ.pop(ENV_CACHE, None)
    else:
        os.environ[ENV_CACHE] = old


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A parse cache of this test's own (empty at first), for tests that inspect or damage entries."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(ENV_CACHE, str(folder))
    return folder


@pytest.fixture(scope="module")
def module_parse_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A parse cache shared by one module's tests (modules that parse hostile files on purpose)."""
    folder = tmp_path_factory.mktemp("parse-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ENV_CACHE, str(folder))
        yield folder
