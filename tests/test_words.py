"""The word tests readers use to skip patterns never say no where the pattern matches."""

from __future__ import annotations

import random
import re

import pytest

from conformance.words import lower_exact, may_contain

# ASCII, the characters IGNORECASE folds onto ASCII letters ("İ", "ı", "ſ", the Kelvin sign), and
# letters whose lower case is not ASCII
ALPHABET = "stoagepcruSTOAGEPCRU -_.İıſKÄäßé"
WORDS = ("storage", "port", "scu", "c-store", "iso", "kelvin")


def _texts(n: int) -> list[str]:
    rng = random.Random(11)
    out = []
    for _ in range(n):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 14)))
        word = rng.choice(WORDS)
        at = rng.randint(0, len(text))
        # the word itself, with its letters in random case or swapped for a character folding onto it
        swaps = {"s": "sSſ", "i": "iIİı", "k": "kKK"}
        written = "".join(rng.choice(swaps.get(c, c + c.upper())) for c in word)
        out.append(text[:at] + written + text[at:] if rng.random() < 0.7 else text)
    return out


@pytest.mark.parametrize("word", WORDS)
def test_may_contain_never_says_no_where_ignorecase_matches(word: str) -> None:
    pattern = re.compile(re.escape(word), re.I)
    texts = _texts(4000)
    matched = [t for t in texts if pattern.search(t)]
    assert len(matched) > 100  # the test sees matches, including folded ones
    for text in matched:
        assert may_contain(text, text.lower(), (word,)), text
    # and it does say no: text without the word in any case
    unmatched = [t for t in texts if not pattern.search(t) and lower_exact(t)]
    assert unmatched and not any(may_contain(t, t.lower(), (word,)) for t in unmatched)


def test_lower_exact() -> None:
    assert lower_exact("CT Image Storage – Größe")
    assert not lower_exact("ſtorage") and not lower_exact("İSO") and not lower_exact("ıso")
    assert may_contain("ſtorage", "ſtorage", ("storage",))  # re.I matches it: no "no"
