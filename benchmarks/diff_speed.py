"""Diff speed on two 1,000-service statements, after parsing.

    python benchmarks/diff_speed.py [--classes 500] [--keep DIR]

Writes two Markdown statements of one fictional archive (presentation-context tables with
names, UIDs and transfer syntaxes; every SOP class of pydicom's dictionary and private ones
to reach ``--classes``, each as SCP and SCU: 1,000 services by default). Version 2 drops 25
classes, adds 25, adds HTJ2K lossless to every storage SCP service, drops JPEG Baseline
from 40 services and changes the association limits. Both are parsed (time printed, not
part of the target), then ``compare`` and the HTML/JSON/CSV rendering are timed (best of
5). Target: compare + render < 1 s on 2 cores.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 1.0

ILE, ELE, JPEG_BASE, JPEG_LL, HTJ2K_LL = (
    "1.2.840.10008.1.2",
    "1.2.840.10008.1.2.1",
    "1.2.840.10008.1.2.4.50",
    "1.2.840.10008.1.2.4.70",
    "1.2.840.10008.1.2.4.201",
)


def sop_classes(n: int) -> list[tuple[str, str]]:
    """``n`` (name, UID): the dictionary's SOP classes, then private ones (a vendor's own objects)."""
    from pydicom.uid import UID_dictionary

    from conformance.uids import is_sop_class

    known = sorted((v[0], uid) for uid, v in UID_dictionary.items() if is_sop_class(uid))[:n]
    private = [(f"Osprey Private Object {i} Storage", f"1.2.826.0.1.3680043.9.7733.1.{i}") for i in range(n)]
    return (known + private)[:n]


def statement(
    version: str, classes: list[tuple[str, str]], syntaxes: Callable[[str, str], list[str]], accepts: int
) -> str:
    from conformance.uids import is_storage_sop_class

    lines = [
        "# Osprey Archive – DICOM Conformance Statement",
        "",
        "Manufacturer: Osprey Systems (fictional)",
        "",
        "Product: Osprey Archive",
        "",
        f"Version: {version}",
        "",
        "## 1 Association Policies",
        "",
        "| Parameter | Value |",
        "|---|---|",
        "| Maximum PDU size received | 65536 bytes |",
        f"| Maximum number of simultaneous associations accepted | {accepts} |",
        "",
    ]
    for title, role in (
        ("2 Accepted Presentation Contexts", "SCP"),
        ("3 Proposed Presentation Contexts", "SCU"),
    ):
        lines += [
            f"## {title}",
            "",
            "| Abstract Syntax Name | Abstract Syntax UID | Transfer Syntax UID List | Role |",
            "|---|---|---|---|",
        ]
        for name, uid in classes:
            ts = syntaxes(uid, role) if is_storage_sop_class(uid) or name.endswith("Storage") else [ILE, ELE]
            lines.append(f"| {name} | {uid} | {'<br>'.join(ts)} | {role} |")
        lines.append("")
    return "\n".join(lines)


def best_of(n: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--classes", type=int, default=500, help="SOP classes per version (x2 roles = services)")
    ap.add_argument("--keep", type=Path, help="Write the two statements here instead of a temp dir.")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from conformance.diff import ChangeKind, compare, to_csv, to_html, to_json
    from conformance.parsers import parse_statement

    classes = sop_classes(args.classes + 25)
    old_classes, new_classes = classes[: args.classes], classes[25:]
    dropped = {uid for _, uid in old_classes[:40]}

    def v1(uid: str, role: str) -> list[str]:
        return [ILE, ELE, JPEG_BASE, JPEG_LL]

    def v2(uid: str, role: str) -> list[str]:
        base = [ILE, ELE, JPEG_LL] if uid in dropped else [ILE, ELE, JPEG_BASE, JPEG_LL]
        return [*base, HTJ2K_LL] if role == "SCP" else base

    folder = args.keep or Path(tempfile.mkdtemp(prefix="diff-speed-"))
    folder.mkdir(parents=True, exist_ok=True)
    old_path, new_path = folder / "osprey-1.md", folder / "osprey-2.md"
    old_path.write_text(statement("1", old_classes, v1, 100), encoding="utf-8")
    new_path.write_text(statement("2", new_classes, v2, 200), encoding="utf-8")

    start = time.perf_counter()
    old, new = parse_statement(old_path, use_cache=False), parse_statement(new_path, use_cache=False)
    parse_s = time.perf_counter() - start
    diff = compare(old, new)
    compare_s = best_of(5, lambda: compare(old, new))
    render_s = best_of(5, lambda: (to_html(diff), to_json(diff), to_csv(diff)))
    total = compare_s + render_s
    print(f"services: OLD {len(old.services())}, NEW {len(new.services())}  (files in {folder})")
    print(f"parse both (not timed against the target): {parse_s:.2f} s")
    print(
        f"changes: {diff.counts()}; {len(diff.ts_added)} syntax additions "
        f"in {len(diff.of_kind(ChangeKind.TS_ADDED))} change(s)"
    )
    print(f"compare: {compare_s * 1000:.0f} ms   render HTML+JSON+CSV: {render_s * 1000:.0f} ms")
    print(
        f"diff after parsing: {total:.3f} s (target < {TARGET_S:.0f} s): "
        + ("OK" if total < TARGET_S else "SLOW")
    )
    print(diff.summary)
    return 0 if total < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
