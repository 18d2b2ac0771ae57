"""Word tests that let a reader skip patterns a line cannot match.

The walk offers every line to every reader, and most lines state nothing to most of them:
a substring test on the lower-cased line answers "cannot match" far faster than a
case-insensitive alternation does. The test must never say no where the pattern would
match, or a fact is lost; :func:`may_contain` is exact for that because it only ever says
no for ASCII text (under ``re.IGNORECASE`` an ASCII letter also matches a few non-ASCII
ones: "ı" and "İ" match "i", "ſ" matches "s", the Kelvin sign matches "k").
"""

from __future__ import annotations

import logging

LOGGER = logging.getLogger(__name__)


def may_contain(text: str, low: str, words: tuple[str, ...]) -> bool:
    """False only when ``text`` (``low`` is ``text.lower()``) contains none of ``words``
    (lower-case ASCII), so that a case-insensitive pattern needing one of them cannot match."""
    return not text.isascii() or any(word in low for word in words)
