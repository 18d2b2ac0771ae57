"""Word tests that let a reader skip patterns a text cannot match.

The readers offer every line (and the PDF reader every page) to patterns most of them cannot
match: a substring test on the lower-cased text answers "cannot match" far faster than a
case-insensitive alternation, which the regex engine tries at every position. The test must
never say no where the pattern would match, or a fact is lost. Under ``re.IGNORECASE`` an
ASCII letter matches exactly the characters whose ``str.lower()`` is that letter, except for
three: "İ" and "ı" also match "i", "ſ" also matches "s" (and "İ" is the one character whose
lower case is two characters). So for text without those three, a pattern that needs a word
can only match where the lower-cased text contains the word; :func:`lower_exact` tells.
"""

from __future__ import annotations

import logging

LOGGER = logging.getLogger(__name__)


def lower_exact(text: str) -> bool:
    """Whether substring tests on ``text.lower()`` decide for case-insensitive ASCII words."""
    return text.isascii() or not ("ı" in text or "İ" in text or "ſ" in text)


def may_contain(text: str, low: str, words: tuple[str, ...]) -> bool:
    """False only when ``text`` (``low`` is ``text.lower()``) contains none of ``words``
    (lower-case ASCII) in any case, so that a case-insensitive pattern needing one cannot match."""
    if not lower_exact(text):
        return True
    for word in words:  # noqa: SIM110 (any() over a generator costs twice as much, on every line)
        if word in low:
            return True
    return False
