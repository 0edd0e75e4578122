#!/usr/bin/env python3
"""testall.py: runs every test suite fast enough for CI and totals them.

Each suite is a command. Its count comes from its last 'N passed, N failed'
line, else from its 'PASS ...'/'FAIL ...' lines, else cmocka's summary
lines, else its exit status (one test). A suite that exits non-zero with
no failure counted adds one failure. The last line printed is the total:
'N passed, N failed'.

usage: testall.py [--only NAME[,NAME]] [--list]
"""
import argparse
import re
import subprocess
import sys
import time

SUITES = [
    # (name, command, what it shows)
    ("lint", "make -s lint", "verilator --lint-only -Wall is clean"),
    ("unit", "make -s unit-test", "cmocka unit tests of the C models and harness"),
    ("block", "make -s block-test", "block-level benches (CLINT, PLIC, GWB store path) on Verilator and Icarus"),
    ("assert-fire", "make -s assert-test",
     "RTL assertions fire: a block driven against its protocol stops on the named assertion"),
    ("cli", "bash testbench/test_cli.sh build/umbra", "bad input gets one clear line and a non-zero exit"),
    ("lockstep-fault", "bash testbench/test_lockstep.sh build/umbra",
     "an RTL fault injected at a chosen retirement is reported there by --lockstep"),
    ("trace-on", "bash testbench/test_trace_on.sh build/umbra",
     "--trace-on writes the window around the first event; console, status and image as a plain run"),
    ("iocheck", "bash testbench/test_iocheck.sh build/umbra",
     "the completion-delivery checker passes every delivery of disk workloads under each irq= policy, "
     "fails a perturbed record (exit 126, reason=iocheck), --no-iocheck; the event log agrees with the "
     "hypervisor's counters on umbra and umbra-iss"),
    ("disk", "python3 regress/disk_check.py",
     "the disk image holds what the guest wrote (and equals QEMU's), FLUSH reaches fsync, "
     "completion interrupts come at the cycles the timing model predicts"),
    ("synth", "bash tools/test_synth.sh", "make synth: yosys area of the core with and without the GWB"),
    ("waves-gwb", "make -s waves-gwb-test", "make waves-gwb: the GWB save file against a real FST, markers on its events, loaded in gtkwave"),
    ("iss-cli", "bash testbench/test_cli.sh build/umbra-iss",
     "the instruction-set model refuses bad input like build/umbra"),
    ("regress", "make -s regress LIST=quick",
     "regress/lists/quick.toml: directed tests vs QEMU byte for byte and riscv-tests programs, "
     "on umbra in lockstep (two memory latencies) and umbra-iss; same seed, same stats"),
    ("runner", "python3 regress/selftest.py",
     "the runner: failing fixture in summary/JUnit, its reproduce line fails the same way, "
     "waves on failure, Ctrl-C, bad lists"),
    ("waves", "make -s waves-check",
     "every waves/*.gtkw opens in gtkwave (Xvfb) with no missing signal; filter_insn vs objdump"),
    ("rvgen", "python3 regress/rvgen.py --seed 1 --count 200",
     "200 random RV32IM/CSR/trap/Sv32 programs: QEMU, umbra-iss and umbra (in lockstep) agree byte for byte"),
    ("rvgen-self", "python3 regress/rvgen.py --self-test",
     "the random-program runner reports a corrupted signature and refuses bad options"),
    ("coverage", "make -s coverage",
     "coverage build over the test programs: line/toggle/user coverage merged into HTML"),
    ("report", "python3 tools/report.py --screenshot",
     "the design-review report is written from the measured data and renders in headless Chromium"),
    ("icarus", "make -s icarus-fw-tests",
     "the same RTL passes the directed suite under Icarus (4-state), identical to umbra"),
    ("icarus-rvtest", "python3 regress/rvtest.py --sim 'bash testbench/run_icarus.sh' build/fw/rvtest/*.elf",
     "riscv-tests convention programs under Icarus"),
    ("hv", "python3 regress/hv.py",
     "build/boot.elf: workloads x pt= modes with audit=1 on umbra-iss and umbra (in lockstep, pt=gwb on the RTL's GWB), native/wp/oos on QEMU, pt=gwb refused there, bad bootargs; "
     "the disk workloads x irq= policies (io.* accounting, legacy's lost completions, bad commands, the image afterwards)"),
]

SUMMARY = re.compile(r"^(?:\w+:\s*)?(\d+) passed, (\d+) failed")
CMOCKA_PASS = re.compile(r"^\[\s+PASSED\s+\]\s+(\d+) test")
CMOCKA_FAIL = re.compile(r"^\[\s+FAILED\s+\]\s+(\d+) test")


def count(output, rc):
    lines = output.splitlines()
    for line in reversed(lines):
        m = SUMMARY.match(line.strip())
        if m:
            return int(m.group(1)), int(m.group(2))
    p = sum(1 for l in lines if l.startswith("PASS"))
    f = sum(1 for l in lines if l.startswith("FAIL"))
    if p or f:
        return p, f
    cp = sum(int(m.group(1)) for l in lines for m in [CMOCKA_PASS.match(l)] if m)
    cf = sum(int(m.group(1)) for l in lines for m in [CMOCKA_FAIL.match(l)] if m)
    if cp or cf:
        return cp, cf
    return (1, 0) if rc == 0 else (0, 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="comma-separated suite names")
    ap.add_argument("--list", action="store_true", help="list the suites and exit")
    args = ap.parse_args()
    if args.list:
        for name, cmd, what in SUITES:
            print(f"{name:10} {what}\n{'':10} $ {cmd}")
        return 0
    only = set(args.only.split(",")) if args.only else None
    unknown = (only or set()) - {s[0] for s in SUITES}
    if unknown:
        print(f"testall: unknown suite(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2

    total_p = total_f = 0
    rows = []
    for name, cmd, _ in SUITES:
        if only and name not in only:
            continue
        print(f"=== {name}: {cmd}", flush=True)
        t0 = time.time()
        proc = subprocess.Popen(cmd, shell=True, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        out = []
        for line in proc.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            out.append(line)
        rc = proc.wait()
        p, f = count("".join(out), rc)
        if rc != 0 and f == 0:
            f = 1
        total_p += p
        total_f += f
        rows.append((name, p, f, time.time() - t0))

    print("\n=== summary")
    for name, p, f, secs in rows:
        print(f"  {name:10} {p:5} passed {f:4} failed  {secs:7.1f} s")
    print(f"{total_p} passed, {total_f} failed")
    return 1 if total_f else 0


if __name__ == "__main__":
    sys.exit(main())
