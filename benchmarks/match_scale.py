"""Match + render time and peak memory for a generated site of 10 / 100 / 1,000 devices.

A fictional department is generated (seeded, reproducible): ~100 conformance statements
(modalities, archives, worklist brokers, workstations, printers) with realistic service
counts (archives and viewers accept ~100 storage SOP classes, modalities send 3-25, each with 2-7
transfer syntaxes and provenance on every capability), and an inventory YAML whose links
are explicit (modality -> archive store + commitment, modality -> broker worklist + MPPS,
workstation -> archive query + move, archive -> workstation store, modality -> printer).
Some statements carry deliberate gaps (JPEG 2000 only senders, archives and viewers missing
a few classes, no MPPS, TLS on one side)
so that the report has findings to show.

Each size runs in a fresh child process, so the printed peak RSS is that size's own. The
statements are built as model objects (parsing speed is benchmarks/parse_speed.py's job);
they are also written as small Markdown files so that the inventory is valid. Timed:
inventory load, match (conformance.matcher.analyze), render (HTML + JSON + CSV, written). Printed:
the analyzer's findings and the report's (one per problem), and the HTML's size. Targets:
1,000 devices in <= 5 s (match + render), <= 300 MB peak RSS and an HTML report <= 5 MB.

    python benchmarks/match_scale.py                 # 10, 100, 1000 devices
    python benchmarks/match_scale.py --sizes 1000 --profile   # where the time goes
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = 20261126
TARGET_SECONDS = 5.0
TARGET_MB = 300.0
TARGET_HTML_MB = 5.0

TS = {
    "implicit": "1.2.840.10008.1.2",
    "explicit": "1.2.840.10008.1.2.1",
    "big": "1.2.840.10008.1.2.2",
    "deflate": "1.2.840.10008.1.2.1.99",
    "jpeg-baseline": "1.2.840.10008.1.2.4.50",
    "jpeg-lossless": "1.2.840.10008.1.2.4.70",
    "jpegls": "1.2.840.10008.1.2.4.80",
    "j2k-lossless": "1.2.840.10008.1.2.4.90",
    "j2k": "1.2.840.10008.1.2.4.91",
    "rle": "1.2.840.10008.1.2.5",
}
VERIFICATION = "1.2.840.10008.1.1"
COMMITMENT = "1.2.840.10008.1.20.1"
MWL = "1.2.840.10008.5.1.4.31"
MPPS = "1.2.840.10008.3.1.2.3.3"
QR = "1.2.840.10008.5.1.4.1.2."
QR_SCP = [f"{QR}1.1", f"{QR}1.2", f"{QR}2.1", f"{QR}2.2", f"{QR}2.3"]
QR_SCU = [f"{QR}2.1", f"{QR}2.2"]
PRINT = ["1.2.840.10008.5.1.1.9", "1.2.840.10008.5.1.1.18"]

# Statement mix (~100) and device mix (per 1,000) by department role.
STATEMENTS = {"modality": 60, "archive": 10, "worklist": 8, "workstation": 15, "printer": 7}
DEVICE_SHARE = {"modality": 0.70, "archive": 0.02, "worklist": 0.01, "workstation": 0.25, "printer": 0.02}


# ----------------------------------------------------------------------------- generation
def storage_classes() -> list[str]:
    """Non-retired storage SOP classes from pydicom's dictionary, in UID order."""
    from pydicom.uid import UID_dictionary

    from conformance import uids

    return sorted(
        uid
        for uid, entry in UID_dictionary.items()
        if uids.is_storage_sop_class(uid) and entry[1] == "SOP Class" and not entry[3]
    )


def make_statement(kind: str, n: int, rng: random.Random, storage: list[str]):
    """One fictional vendor's statement of the given kind, every capability with provenance."""
    from conformance.model import (
        ApplicationEntity,
        Direction,
        Fact,
        Provenance,
        Role,
        Statement,
        TransferCapability,
    )

    source = f"{kind}-{n:03d}.md"
    line = iter(range(20, 100_000))

    def prov(section: str, text: str) -> Provenance:
        return Provenance(source, None, next(line), section, text)

    def pick(syntaxes: list[str]) -> list[str]:
        if kind == "modality" and n % 7 == 0:  # deliberate gap: compressed-only senders
            return [TS["j2k-lossless"]]
        return list(
            dict.fromkeys([TS["implicit"], *rng.sample(syntaxes, k=min(len(syntaxes), rng.randint(1, 6)))])
        )

    def caps(uids_: list[str], role: Role, direction: Direction, syntaxes: list[str], section: str):
        # Most statements give one transfer-syntax list per presentation-context table; every
        # fifth lists syntaxes per SOP class.
        shared = pick(syntaxes)
        out = []
        for uid in uids_:
            ts = pick(syntaxes) if n % 5 == 1 else shared
            text = f"| {uid} | {role.value} | {' '.join(ts)} |"
            out.append(
                TransferCapability(uid, role, ts, direction, name="", provenance=[prov(section, text)])
            )
        return out

    compressed = [v for k, v in TS.items() if k != "implicit"]
    aes: list[ApplicationEntity] = []
    if kind == "modality":
        sent = rng.sample(storage, k=rng.randint(3, 25))
        main = caps(sent, Role.SCU, Direction.INITIATE, compressed, "Storage SCU presentation contexts")
        main += caps([COMMITMENT], Role.SCU, Direction.INITIATE, [TS["explicit"]], "Storage Commitment")
        main += caps([VERIFICATION], Role.SCP, Direction.ACCEPT, [TS["explicit"]], "Verification")
        aes.append(ApplicationEntity("STORAGE", Fact(f"MOD{n:03d}"), Fact(104), main))
        wl = caps([MWL, MPPS], Role.SCU, Direction.INITIATE, [TS["explicit"]], "Workflow AE")
        if n % 11 == 0:  # deliberate gap: statement without MPPS
            wl = wl[:1]
        aes.append(ApplicationEntity("WORKFLOW", Fact(f"MODW{n:03d}"), None, wl))
        if n % 3 == 0:
            aes.append(
                ApplicationEntity(
                    "PRINT", None, None, caps(PRINT[:1], Role.SCU, Direction.INITIATE, [], "Print SCU")
                )
            )
    elif kind == "archive":
        lacking = set(rng.sample(storage, k=12)) if n % 4 == 0 else set()  # deliberate gap
        held = [uid for uid in storage if uid not in lacking]
        scp = caps(held, Role.SCP, Direction.ACCEPT, compressed, "Storage SCP presentation contexts")
        scp += caps([COMMITMENT], Role.SCP, Direction.ACCEPT, [TS["explicit"]], "Storage Commitment SCP")
        scp += caps(QR_SCP, Role.SCP, Direction.ACCEPT, [TS["explicit"]], "Query/Retrieve SCP")
        scp += caps([VERIFICATION], Role.SCP, Direction.ACCEPT, [TS["explicit"]], "Verification")
        scu = caps(held, Role.SCU, Direction.INITIATE, compressed, "Storage SCU (C-MOVE sub-operations)")
        aes.append(ApplicationEntity("ARCHIVE", Fact(f"ARCH{n:03d}"), Fact(104), scp + scu))
    elif kind == "worklist":
        scp = caps([MWL, MPPS, VERIFICATION], Role.SCP, Direction.ACCEPT, [TS["explicit"]], "Worklist SCP")
        aes.append(ApplicationEntity("BROKER", Fact(f"MWL{n:03d}"), Fact(4100), scp))
    elif kind == "workstation":
        lacking = set(rng.sample(storage, k=rng.randint(0, 6)))  # viewers take nearly everything
        held = [uid for uid in storage if uid not in lacking]
        scp = caps(held, Role.SCP, Direction.ACCEPT, compressed, "Storage SCP")
        scu = caps(QR_SCU, Role.SCU, Direction.INITIATE, [TS["explicit"]], "Query/Retrieve SCU")
        aes.append(ApplicationEntity("VIEWER", Fact(f"WS{n:03d}"), Fact(11112), scp + scu))
    else:
        scp = caps(PRINT, Role.SCP, Direction.ACCEPT, [TS["explicit"]], "Print SCP")
        aes.append(ApplicationEntity("PRINTER", Fact(f"PRN{n:03d}"), Fact(104), scp))
    limit = 10 if kind in {"archive", "worklist"} else 4
    return Statement(
        source=source,
        vendor=Fact(f"Vendor {rng.randint(1, 30)}", prov("Cover", "Manufacturer")),
        product=Fact(f"{kind.title()} {n:03d}", prov("Cover", "Product")),
        version=Fact(f"{rng.randint(1, 9)}.{rng.randint(0, 9)}", prov("Cover", "Version")),
        aes=aes,
        implementation_class_uid=Fact(f"1.2.826.0.1.3680043.9.{n}", prov("Implementation", "UID")),
        max_associations_initiated=Fact(limit, prov("Association Policies", f"up to {limit}")),
        max_associations_accepted=Fact(limit * 5, prov("Association Policies", f"up to {limit * 5}")),
        max_pdu_receive=Fact(16384 * rng.randint(1, 8), prov("Association Policies", "max PDU")),
        character_sets=[Fact("ISO_IR 100", prov("Character Sets", "ISO_IR 100"))],
        tls=Fact(n % 5 == 0, prov("Security", "TLS")),
    )


def markdown(st) -> str:
    """A minimal Markdown rendition, so that the inventory points at real files."""
    lines = [f"# {st.product.value} DICOM Conformance Statement", "", f"Version {st.version.value}", ""]
    for ae in st.aes:
        lines += [f"## {ae.name}", "", "| SOP Class UID | Role | Transfer Syntaxes |", "| --- | --- | --- |"]
        lines += [
            f"| {c.sop_class_uid} | {c.role.value} | {' '.join(c.transfer_syntaxes)} |"
            for c in ae.capabilities
        ]
        lines.append("")
    return "\n".join(lines)


def generate(devices: int, workdir: Path) -> tuple[Path, dict[str, object]]:
    """Statements (objects + files) and an inventory of ``devices`` devices; returns path, map."""
    import yaml

    rng = random.Random(SEED)
    storage = storage_classes()
    pool: dict[str, list] = {}
    for kind, count in STATEMENTS.items():
        pool[kind] = [make_statement(kind, i + 1, rng, storage) for i in range(count)]
        for st in pool[kind]:
            (workdir / st.source).write_text(markdown(st), encoding="utf-8")

    pick = random.Random(SEED + devices)  # which statement each device runs, who links to whom
    counts = {k: max(1, round(devices * share)) for k, share in DEVICE_SHARE.items()}
    counts["modality"] = max(1, devices - sum(v for k, v in counts.items() if k != "modality"))
    names: dict[str, list[str]] = {}
    rows: list[dict] = []
    by_device: dict[str, object] = {}
    host = 0
    for kind, count in counts.items():
        names[kind] = []
        for i in range(count):
            name = f"{kind}-{i + 1:04d}"
            st = pool[kind][i] if i < len(pool[kind]) else pick.choice(pool[kind])
            host += 1
            row = {
                "name": name,
                "role": kind,
                "ae_title": f"{kind[:3].upper()}{i + 1:04d}",
                "host": f"10.{host // 250}.{host % 250}.10",
                "port": 104,
                "statement": st.source,
            }
            rows.append(row)
            names[kind].append(name)
            by_device[name] = st
    rows_by_name = {r["name"]: r for r in rows}
    for i, name in enumerate(names["modality"]):
        row = rows_by_name[name]
        row["sends_to"] = [pick.choice(names["archive"])]
        row["commits_to"] = row["sends_to"]
        row["worklist_from"] = [pick.choice(names["worklist"])]
        row["mpps_to"] = row["worklist_from"]
        if i % 10 == 0:
            row["prints_to"] = [pick.choice(names["printer"])]
    for name in names["workstation"]:
        archive = pick.choice(names["archive"])
        rows_by_name[name]["queries"] = [archive]
        rows_by_name[name]["retrieves_from"] = [archive]
        rows_by_name[archive].setdefault("sends_to", []).append(name)  # C-MOVE destination
    inv = workdir / "inventory.yaml"
    inv.write_text(yaml.safe_dump({"site": f"Generated site, {devices} devices", "devices": rows}), "utf-8")
    return inv, by_device


# ----------------------------------------------------------------------------- one size
def run_one(devices: int, profile: bool) -> dict[str, float | int]:
    from conformance.inventory import load_inventory
    from conformance.matcher import analyze
    from conformance.report import build_view, write_reports

    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory(prefix="match-scale-") as tmp:
        inv_path, by_device = generate(devices, Path(tmp))
        gen_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        prof = cProfile.Profile() if profile else None
        if prof:
            prof.enable()
        t0 = time.perf_counter()
        inventory = load_inventory(inv_path)
        t1, c1 = time.perf_counter(), time.process_time()
        statements = {d.name: by_device[d.name] for d in inventory.devices}
        analysis = analyze(inventory, statements)
        t2, c2 = time.perf_counter(), time.process_time()
        view = build_view(analysis)
        written = write_reports(view, Path(tmp) / "report" / "report.html")
        t3, c3 = time.perf_counter(), time.process_time()
        sizes = {p.suffix: p.stat().st_size / 1e6 for p in written}
        if prof:
            prof.disable()
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(35)
            print(out.getvalue(), file=sys.stderr)
        if inventory.errors():
            print(f"inventory problems: {inventory.errors()[:3]}", file=sys.stderr)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "devices": len(inventory.devices),
        "statements": len({id(s) for s in statements.values()}),
        "links": len(inventory.links),
        "findings": len(analysis.findings),
        "report_findings": len(view.findings),
        "load_s": t1 - t0,
        "match_s": t2 - t1,
        "render_s": t3 - t2,
        "match_cpu_s": c2 - c1,
        "render_cpu_s": c3 - c2,
        "html_mb": sizes[".html"],
        "json_mb": sizes[".json"],
        "csv_mb": sizes[".csv"],
        "base_mb": base_rss,
        "gen_mb": gen_rss,
        "peak_mb": peak,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10,100,1000", help="comma-separated device counts")
    ap.add_argument("--profile", action="store_true", help="cProfile the timed part (to stderr)")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        print(json.dumps(run_one(args.child, args.profile)))
        return 0

    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        cmd = [sys.executable, __file__, "--child", str(size)] + (["--profile"] if args.profile else [])
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 1
        if args.profile:
            print(done.stderr, file=sys.stderr)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))

    print(
        f"{'devices':>7} {'stmts':>5} {'links':>6} {'findings':>8} {'in report':>9} {'load s':>7} "
        f"{'match s':>8} {'render s':>8} {'match+render s':>14} {'(CPU s)':>7} {'HTML MB':>7} "
        f"{'peak RSS MB':>11}"
    )
    for r in rows:
        wall = r["match_s"] + r["render_s"]
        cpu = r["match_cpu_s"] + r["render_cpu_s"]
        print(
            f"{r['devices']:>7} {r['statements']:>5} {r['links']:>6} {r['findings']:>8} "
            f"{r['report_findings']:>9} {r['load_s']:>7.2f} {r['match_s']:>8.2f} {r['render_s']:>8.2f} "
            f"{wall:>14.2f} {cpu:>7.2f} {r['html_mb']:>7.2f} {r['peak_mb']:>11.0f}"
        )
    big = max(rows, key=lambda r: r["devices"])
    wall = big["match_s"] + big["render_s"]
    cpu = big["match_cpu_s"] + big["render_cpu_s"]
    ok = wall <= TARGET_SECONDS and big["peak_mb"] <= TARGET_MB and big["html_mb"] <= TARGET_HTML_MB
    print(
        f"\n{big['devices']} devices: match + render {wall:.2f} s wall, {cpu:.2f} s CPU "
        f"(target <= {TARGET_SECONDS:.0f} s), peak RSS {big['peak_mb']:.0f} MB "
        f"(target <= {TARGET_MB:.0f} MB; {big['base_mb']:.0f} MB after imports), "
        f"HTML {big['html_mb']:.2f} MB with {big['report_findings']} findings "
        f"(target <= {TARGET_HTML_MB:.0f} MB): {'OK' if ok else 'MISSED'}"
    )
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1):
        print(f"note: load average {load:.1f} on {os.cpu_count()} cores: wall times are inflated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
