"""Write every output a refactor must keep identical, to compare two checkouts byte for byte.

    python benchmarks/snapshot.py OUT_DIR [--corpus ../shared/corpus]
    diff -r OLD_OUT NEW_OUT

Writes, with the parse cache off: ``facts/<stem>.json`` for every shared-corpus statement (when
the corpus is there), ``parse/<file>.json`` (``parse --json``) and ``facts`` of every shipped
sample, and ``report/`` (HTML, JSON, CSV) of the example inventory (``check``) and of two what-if
runs. A refactor that says "no behaviour change" shows an empty ``diff -r``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("CONFORMANCE_CACHE_DIR", tempfile.mkdtemp(prefix="snapshot-cache-"))
    from conformance.facts import to_facts
    from conformance.parsers import parse_statement
    from conformance.pipeline import run_check
    from conformance.report import write_reports

    out: Path = args.out
    for sub in ("facts", "parse", "report"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    corpus = args.corpus / "statements"
    files = sorted(corpus.iterdir()) if corpus.is_dir() else []
    for path in files:
        st = parse_statement(path, use_cache=False)
        (out / "facts" / f"{path.stem}.json").write_text(json.dumps(to_facts(st), indent=1, sort_keys=True))
    samples = ROOT / "statements"
    for path in sorted(samples.iterdir()):
        if path.suffix not in {".pdf", ".md", ".rst", ".txt", ".html"} or path.name == "README.md":
            continue
        st = parse_statement(path, use_cache=False)
        (out / "parse" / f"{path.name}.json").write_text(json.dumps(st.to_dict(), indent=2, sort_keys=True))
        (out / "facts" / f"sample-{path.stem}.json").write_text(
            json.dumps(to_facts(st), indent=1, sort_keys=True)
        )
    inventory = samples / "inventory.yaml"
    runs = {
        "check": {},
        "add-candidate": {"candidate": samples / "aurora-ct-128.pdf", "as_role": "modality"},
        "replace-archive": {"candidate": samples / "parallax-workstation.txt", "replace": "PACS"},
    }
    for name, kwargs in runs.items():
        try:
            analysis = run_check(inventory, use_cache=False, **kwargs)  # type: ignore[arg-type]
        except Exception as exc:  # a what-if the inventory cannot take is an output too
            (out / "report" / f"{name}.error").write_text(f"{type(exc).__name__}: {exc}\n")
            continue
        write_reports(analysis, out / "report" / f"{name}.html")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
