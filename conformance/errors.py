"""The one domain error type; the CLI turns it into a one-line message and exit 1."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


class ConformanceError(Exception):
    """A problem with an input that a user can fix: names the file (and row/page) and the problem."""

    def __init__(self, path: str, problem: str, *, where: str = "") -> None:
        self.path = str(path)
        self.problem = problem
        self.where = where
        super().__init__(self.message)

    @property
    def message(self) -> str:
        loc = f"{self.path}:{self.where}" if self.where else self.path
        # one line, whatever the input put in a name or cell (newlines, escape sequences)
        return _CONTROL.sub(" ", f"{loc}: {self.problem}")


class StatementError(ConformanceError):
    """A statement that cannot be read (corrupt, encrypted, scanned, not a statement)."""


class InventoryError(ConformanceError):
    """An inventory that cannot be read at all (per-row problems are collected, not raised)."""
