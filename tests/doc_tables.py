"""Field names per '### heading' of a docs/*.md schema, so tests can hold the docs to the exporters."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def doc_tables(name: str) -> dict[str, list[str]]:
    """{heading: [field, ...]} from the '| `field` |' rows under each '### heading' of docs/<name>."""
    out: dict[str, list[str]] = {}
    heading = ""
    for line in (DOCS / name).read_text("utf-8").splitlines():
        if line.startswith("### "):
            heading = line[4:].strip().strip("`")
            out[heading] = []
        elif line.startswith("## "):
            heading = ""
        elif heading and (m := re.match(r"\| `([a-z_0-9]+)` \|", line)):
            out[heading].append(m.group(1))
    return out
