"""How long a live probe takes, against real servers started here on loopback.

Starts Orthanc (Debian ``orthanc``) and DCMTK ``storescp`` on free loopback ports, probes
each with the default SOP-class set several times, then times the failure paths (refused
association, nothing listening, a listener that never answers). Prints one table.

    python benchmarks/probe_timing.py [--runs 5] [--timeout 2]
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from conformance.probe import probe
from conformance.probe.negotiate import batches, plan

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def wait_listening(proc: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection((LOOPBACK, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"server not listening on {port}")


def start(cmd: list[str], port: int, workdir: Path) -> subprocess.Popen:
    log = (workdir / f"{Path(cmd[0]).name}.log").open("wb")
    proc = subprocess.Popen(cmd, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)
    wait_listening(proc, port)
    return proc


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


def timed(label: str, runs: int, fn) -> tuple[str, list[float], object]:
    times, last = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        last = fn()
        times.append(time.perf_counter() - t0)
    return label, times, last


def silent_listener() -> tuple[socket.socket, threading.Event]:
    server = socket.socket()
    server.bind((LOOPBACK, 0))
    server.listen(8)
    stop_flag = threading.Event()
    held: list[socket.socket] = []

    def loop() -> None:
        server.settimeout(0.2)
        while not stop_flag.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return
        for conn in held:
            conn.close()

    threading.Thread(target=loop, daemon=True).start()
    return server, stop_flag


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=2.0)
    args = ap.parse_args()
    orthanc = shutil.which("Orthanc") or "/usr/sbin/Orthanc"
    storescp = "/usr/bin/storescp"
    if not Path(orthanc).exists() or not Path(storescp).exists():
        print("needs Debian packages orthanc and dcmtk", file=sys.stderr)
        return 2
    n_ctx, n_assoc = len(plan()), len(batches(plan()))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        o_port, s_port = free_port(), free_port()
        config = {
            "StorageDirectory": str(work / "db"),
            "IndexDirectory": str(work / "db"),
            "Plugins": [],
            "HttpServerEnabled": False,
            "DicomAet": "ORTHANC",
            "DicomPort": o_port,
            "DicomCheckCalledAet": True,
        }
        (work / "orthanc.json").write_text(json.dumps(config))
        (work / "in").mkdir()
        procs = [
            start([orthanc, str(work / "orthanc.json")], o_port, work),
            start(
                [storescp, "--aetitle", "STORESCP", "+xs", "-od", str(work / "in"), str(s_port)], s_port, work
            ),
        ]
        try:
            t = args.timeout
            rows.append(
                timed(
                    "Orthanc, default set", args.runs, lambda: probe(LOOPBACK, o_port, "ORTHANC", timeout=t)
                )
            )
            rows.append(
                timed(
                    "Orthanc, 16 contexts/association",
                    args.runs,
                    lambda: probe(LOOPBACK, o_port, "ORTHANC", timeout=t, max_contexts=16),
                )
            )
            rows.append(
                timed(
                    "storescp +xs, default set",
                    args.runs,
                    lambda: probe(LOOPBACK, s_port, "STORESCP", timeout=t),
                )
            )
            rows.append(
                timed(
                    "Orthanc, wrong called AE (rejected)",
                    args.runs,
                    lambda: probe(LOOPBACK, o_port, "WRONG", timeout=t),
                )
            )
            rows.append(
                timed(
                    "nothing listening", args.runs, lambda: probe(LOOPBACK, free_port(), "NOBODY", timeout=t)
                )
            )
            server, flag = silent_listener()
            try:
                port = server.getsockname()[1]
                rows.append(
                    timed(
                        f"silent listener (timeout {t:g} s)",
                        1,
                        lambda: probe(LOOPBACK, port, "SILENT", timeout=t),
                    )
                )
            finally:
                flag.set()
                server.close()
        finally:
            for proc in procs:
                stop(proc)
    print(f"default set: {n_ctx} presentation contexts in {n_assoc} associations (<= 128 each)")
    print(f"{'case':40} {'runs':>4} {'median s':>9} {'min s':>7} {'max s':>7}  outcome")
    for label, times, result in rows:
        outcome = (
            result.failure.detail if result.failure else f"{len(result.accepted())} SOP classes accepted"
        )
        print(
            f"{label:40} {len(times):>4} {statistics.median(times):>9.3f} {min(times):>7.3f} "
            f"{max(times):>7.3f}  {outcome[:70]}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
