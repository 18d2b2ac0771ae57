"""Suite-wide set-up: the parse cache lives in a temporary folder, never the user's."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_parse_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests (and the CLI subprocesses they start) must not read or fill ~/.cache."""
    old = os.environ.get("CONFORMANCE_CACHE_DIR")
    os.environ["CONFORMANCE_CACHE_DIR"] = str(tmp_path_factory.mktemp("parse-cache"))
    yield
    if old is None:
        os.environ.pop("CONFORMANCE_CACHE_DIR", None)
    else:
        os.environ["CONFORMANCE_CACHE_DIR"] = old
