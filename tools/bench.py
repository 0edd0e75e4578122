#!/usr/bin/env python3
"""bench.py: speed figures of `make bench`, measured side by side in one run.

  1. umbra (Verilator) simulated cycles/s on a long compute-bound program
     (firmware/demo/bench.c), no tracing;
  2. the same program on the same RTL under Icarus Verilog, over a fixed
     cycle window, and umbra's speed as a multiple of it;
  3. the cost of FST tracing: the same program traced whole vs untraced;
  4. umbra-iss (the C reference model) instructions/s on the long program,
     and QEMU (qemu-system-riscv32, TCG, same ELF and bootargs, the CPU
     options of regress/directed.py) as a ratio; QEMU's instruction count is
     taken as umbra-iss's (same program, same input);
  5. the cost of --lockstep: umbra with the reference model checking every
     retirement vs umbra alone, same program (target: at least half the speed).

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
ISS = "build/umbra-iss"

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "regress"))
from directed import QEMU_CPU  # noqa: E402  (the CPU QEMU is compared with)


def run_umbra(rounds, trace=None, lockstep=False):
    """Returns (cycles, wall seconds) of one umbra run, from its stats JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        stats = os.path.join(tmp, "stats.json")
        cmd = [UMBRA, "--quiet", "--bootargs", f"rounds={rounds}", "--stats", stats]
        if lockstep:
            cmd.append("--lockstep")
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


def run_iss(rounds):
    """Returns (instructions, wall seconds) of one umbra-iss run."""
    with tempfile.TemporaryDirectory() as tmp:
        stats = os.path.join(tmp, "stats.json")
        cmd = [ISS, "--quiet", "--bootargs", f"rounds={rounds}", "--stats", stats, ELF]
        t0 = time.monotonic()
        p = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.monotonic() - t0
        if p.returncode != 0:
            sys.exit(f"bench: umbra-iss failed ({p.returncode}): {p.stderr.strip().splitlines()[-1:]}")
        with open(stats, encoding="utf-8") as f:
            return json.load(f)["instret"], wall


def run_qemu(rounds):
    """Returns the wall seconds of QEMU running the same program."""
    cmd = ["qemu-system-riscv32", "-machine", "virt", "-bios", "none", "-m", "128M",
           "-cpu", QEMU_CPU, "-kernel", ELF, "-append", f"rounds={rounds}",
           "-display", "none", "-serial", "stdio", "-monitor", "none"]
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    wall = time.monotonic() - t0
    if p.returncode != 0 or "checksum" not in p.stdout:
        sys.exit(f"bench: QEMU failed ({p.returncode}): {p.stdout[-500:]}{p.stderr[-500:]}")
    return wall


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
    ap.add_argument("--iss-rounds", type=int, default=1000,
                    help="kernel rounds for umbra-iss and QEMU (default %(default)s)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    for f in (UMBRA, ISS, ELF):
        if not os.path.exists(f):
            sys.exit(f"bench: {f} is missing; run `make build` first")

    fast, plain, traced, icarus, iss, qemu, lock = [], [], [], [], [], [], []
    for i in range(args.repeat):
        print(f"bench: round {i + 1}/{args.repeat}", file=sys.stderr, flush=True)
        c, w = run_umbra(args.rounds)
        fast.append(c / w)
        c, w = run_umbra(args.rounds, lockstep=True)
        lock.append(c / w)
        c, w = run_umbra(args.trace_rounds)
        plain.append(c / w)
        c, w = run_umbra(args.trace_rounds, trace=True)
        traced.append(c / w)
        c, w = run_icarus(args.icarus_cycles)
        icarus.append(c / w)
        n, w = run_iss(args.iss_rounds)
        iss.append(n / w)
        qemu.append(n / run_qemu(args.iss_rounds))

    res = {
        "program": ELF,
        "rounds": args.rounds,
        "cycles_per_second": statistics.median(fast),
        "icarus_cycles": args.icarus_cycles,
        "icarus_cycles_per_second": statistics.median(icarus),
        "trace_rounds": args.trace_rounds,
        "untraced_cycles_per_second": statistics.median(plain),
        "traced_cycles_per_second": statistics.median(traced),
        "iss_rounds": args.iss_rounds,
        "iss_instructions_per_second": statistics.median(iss),
        "qemu_instructions_per_second": statistics.median(qemu),
        "lockstep_cycles_per_second": statistics.median(lock),
        "repeat": args.repeat,
    }
    res["lockstep_over_umbra"] = res["lockstep_cycles_per_second"] / res["cycles_per_second"]
    res["iss_over_qemu"] = res["iss_instructions_per_second"] / res["qemu_instructions_per_second"]
    res["speedup_over_icarus"] = res["cycles_per_second"] / res["icarus_cycles_per_second"]
    res["trace_slowdown"] = res["untraced_cycles_per_second"] / res["traced_cycles_per_second"]

    print(f"umbra (Verilator), {args.rounds} rounds:    {res['cycles_per_second'] / 1e6:8.2f} M cycles/s"
          f"   (target >= 5)")
    print(f"Icarus, same RTL and ELF, {args.icarus_cycles} cycles: {res['icarus_cycles_per_second'] / 1e3:8.2f} k cycles/s")
    print(f"umbra / Icarus:                      {res['speedup_over_icarus']:8.0f} x       (target >= 100)")
    print(f"FST tracing, {args.trace_rounds} rounds:       {res['traced_cycles_per_second'] / 1e6:8.2f} M cycles/s"
          f"   = {res['trace_slowdown']:.2f} x slower than untraced ({res['untraced_cycles_per_second'] / 1e6:.2f})")
    print(f"umbra-iss, {args.iss_rounds} rounds:         {res['iss_instructions_per_second'] / 1e6:8.1f} M instr/s"
          f"   (target >= 100)")
    print(f"QEMU TCG, same ELF and bootargs:     {res['qemu_instructions_per_second'] / 1e6:8.1f} M instr/s"
          f"   -> umbra-iss / QEMU = {res['iss_over_qemu']:.2f}")
    print(f"umbra --lockstep, {args.rounds} rounds:  {res['lockstep_cycles_per_second'] / 1e6:8.2f} M cycles/s"
          f"   = {res['lockstep_over_umbra']:.2f} of umbra alone (target >= 0.5)")
    os.makedirs("build", exist_ok=True)
    with open("build/bench.json", "w", encoding="utf-8") as f:
        json.dump(res, f, indent=2)
    ok = (res["cycles_per_second"] >= 5e6 and res["speedup_over_icarus"] >= 100
          and res["iss_instructions_per_second"] >= 100e6 and res["lockstep_over_umbra"] >= 0.5)
    print("bench: targets met" if ok else "bench: TARGET MISSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
