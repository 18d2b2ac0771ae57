"""Score `conformance facts` on the shared dev corpus.

    python benchmarks/corpus_accuracy.py [--corpus ../shared/corpus] [--out DIR]

Runs the facts export over every statement, then ../shared/bench/score.py, and prints
its table (plus per-document misses with --details).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--details", action="store_true", help="print missing/extra services per document")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from conformance.facts import to_facts
    from conformance.parsers import parse_statement

    out = args.out or Path(tempfile.mkdtemp(prefix="facts-"))
    out.mkdir(parents=True, exist_ok=True)
    statements = sorted((args.corpus / "statements").iterdir())
    t0 = time.perf_counter()
    for path in statements:
        try:
            facts = to_facts(parse_statement(path))
        except Exception as exc:  # report and go on: one bad file must not hide the others
            print(f"{path.name}: {exc}", file=sys.stderr)
            continue
        (out / f"{path.stem}.json").write_text(json.dumps(facts, indent=1))
    print(f"parsed {len(statements)} statements in {time.perf_counter() - t0:.1f} s -> {out}")
    score = args.corpus.parent / "bench" / "score.py"
    cmd = [
        sys.executable,
        str(score),
        str(args.corpus / "labels"),
        str(out),
        "--json",
        str(out / "score.json"),
    ]
    rc = subprocess.call(cmd)
    if args.details:
        details = json.loads((out / "score.json").read_text())["documents"]
        for doc, res in details.items():
            if res["missing_services"] or res["extra_services"] or res["scalars"]["misses"]:
                print(f"\n== {doc}")
                print("  missing:", res["missing_services"][:15])
                print("  extra:  ", res["extra_services"][:15])
                print("  scalars:", res["scalars"]["misses"])
    return rc


if __name__ == "__main__":
    sys.exit(main())
