#!/usr/bin/env python3
"""bench.py: speed figures of `make bench`, measured side by side in one run.

  1. umbra (Verilator) simulated cycles/s on a long compute-bound program
     (firmware/demo/bench.c), no tracing;
  2. the same program on the same RTL under Icarus Verilog, over a fixed
     cycle window, and umbra's speed as a multiple of it;
  3. the cost of FST tracing: the same program traced whole vs untraced.

Each figure is the median of REPEAT runs, the runs of the different
configurations interleaved so that machine noise hits them alike. Writes
build/bench.json for the report.

usage: bench.py [--rounds N] [--icarus-cycles N] [--repeat N]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ELF = "build/fw/demo/bench.elf"
UMBRA = "build/umbra"


def run_umbra(rounds, trace=None):
    """Returns (cycles, wall seconds) of one umbra run, from its stats JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        stats = os.path.join(tmp, "stats.json")
        cmd = [UMBRA, "--quiet", "--bootargs", f"rounds={rounds}", "--stats", stats]
        if trace:
            cmd += ["--trace", os.path.join(tmp, "bench.fst")]
        cmd.append(ELF)
        t0 = time.monotonic()
        p = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.monotonic() - t0
        if p.returncode != 0:
            sys.exit(f"bench: umbra failed ({p.returncode}): {p.stderr.strip().splitlines()[-1:]}")
        with open(stats, encoding="utf-8") as f:
            st = json.load(f)
        return st["cycles"], wall


def run_icarus(cycles):
    """Returns (cycles, wall seconds) of Icarus over a window of `cycles`."""
    cmd = ["bash", "testbench/run_icarus.sh", ELF, f"+max_cycles={cycles}"]
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - t0
    m = re.search(r"cycles=(\d+)", p.stderr)
    if not m:
        sys.exit(f"bench: no cycle count from Icarus:\n{p.stdout[-2000:]}{p.stderr[-2000:]}")
    return int(m.group(1)), wall


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=200,
                    help="kernel rounds of the long program (default %(default)s)")
    ap.add_argument("--trace-rounds", type=int, default=20,
                    help="rounds for the tracing comparison (default %(default)s)")
    ap.add_argument("--icarus-cycles", type=int, default=200000,
                    help="cycle window run under Icarus (default %(default)s)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    for f in (UMBRA, ELF):
        if not os.path.exists(f):
            sys.exit(f"bench: {f} is missing; run `make build` first")

    fast, plain, traced, icarus = [], [], [], []
    for i in range(args.repeat):
        print(f"bench: round {i + 1}/{args.repeat}", file=sys.stderr, flush=True)
        c, w = run_umbra(args.rounds)
        fast.append(c / w)
        c, w = run_umbra(args.trace_rounds)
        plain.append(c / w)
        c, w = run_umbra(args.trace_rounds, trace=True)
        traced.append(c / w)
        c, w = run_icarus(args.icarus_cycles)
        icarus.append(c / w)

    res = {
        "program": ELF,
        "rounds": args.rounds,
        "cycles_per_second": statistics.median(fast),
        "icarus_cycles": args.icarus_cycles,
        "icarus_cycles_per_second": statistics.median(icarus),
        "trace_rounds": args.trace_rounds,
        "untraced_cycles_per_second": statistics.median(plain),
        "traced_cycles_per_second": statistics.median(traced),
        "repeat": args.repeat,
    }
    res["speedup_over_icarus"] = res["cycles_per_second"] / res["icarus_cycles_per_second"]
    res["trace_slowdown"] = res["untraced_cycles_per_second"] / res["traced_cycles_per_second"]

    print(f"umbra (Verilator), {args.rounds} rounds:    {res['cycles_per_second'] / 1e6:8.2f} M cycles/s"
          f"   (target >= 5)")
    print(f"Icarus, same RTL and ELF, {args.icarus_cycles} cycles: {res['icarus_cycles_per_second'] / 1e3:8.2f} k cycles/s")
    print(f"umbra / Icarus:                      {res['speedup_over_icarus']:8.0f} x       (target >= 100)")
    print(f"FST tracing, {args.trace_rounds} rounds:       {res['traced_cycles_per_second'] / 1e6:8.2f} M cycles/s"
          f"   = {res['trace_slowdown']:.2f} x slower than untraced ({res['untraced_cycles_per_second'] / 1e6:.2f})")
    os.makedirs("build", exist_ok=True)
    with open("build/bench.json", "w", encoding="utf-8") as f:
        json.dump(res, f, indent=2)
    ok = res["cycles_per_second"] >= 5e6 and res["speedup_over_icarus"] >= 100
    print("bench: targets met" if ok else "bench: TARGET MISSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
