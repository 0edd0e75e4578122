#!/usr/bin/env python3
"""rvgen.py: seeded random RV32IM/Zicsr/Sv32 programs, run on QEMU, build/umbra-iss and build/umbra, signatures compared.

Each program (seed S) is assembly written to build/rvgen/S.S, linked with the environment of
firmware/rvgen (env.S: reset, M and S trap handlers, signature dump) and run on every target.
A program is a chain of blocks in M, S and U mode (mret into S/U, `ecall` + RVGEN_TO_M back),
each block a random mix of: every RV32IM instruction with interesting operands (0, -1, INT_MIN,
INT_MAX, shifts by 0/31, division by zero and overflow), register dependencies, loads and
stores of every size into four data pages (aligned; misaligned from M-mode), forward branches
and jumps, backward jumps and counted loops, CSR accesses (mscratch, mepc, mtvec, medeleg,
mie, sstatus, ...; never counters), exceptions (illegal encodings, ecall, ebreak, privileged
instructions and CSRs from lower modes, access faults), and with Sv32 on: data pages mapped
twice and through superpages with random R/W/X/U permissions (A and D preset: umbra is
Svade, QEMU would set them), SUM/MXR/TVM/TW, PTE rewrites followed by sfence.vma.
The console signature (x1..x31, CSRs, data pages, trap log with cause/epc/tval/mode,
misaligned log) must be identical byte for byte on every target.

One legal difference is normalised, and said in one line at the start of the run: QEMU
performs misaligned loads/stores in hardware, umbra traps and the handler emulates them (as
OpenSBI does); the 'misaligned' log lines are therefore compared between umbra-iss and
umbra only.

Program i of a run is seed --seed + i; `--seed S --count 1 --keep` reproduces one program.
Nightly: python3 regress/rvgen.py --count 5000 --seed N   (any N; about 10 minutes on 2 cores)
Prints PASS/FAIL per program, then exactly "N passed, N failed"; exit status 1 on a failure,
2 on bad options.
"""

import argparse
import concurrent.futures
import os
import re
import shlex
import shutil
import subprocess
import sys

from rvgen_program import ENV_DIR, ROOT, L, Options, Program

CC = "riscv64-unknown-elf-gcc"
CFLAGS = ["-march=rv32im_zicsr_zifencei", "-mabi=ilp32", "-nostdlib", "-nostartfiles",
          "-I" + ENV_DIR, "-T", os.path.join(ENV_DIR, "link.ld"),
          "-Wl,--no-warn-rwx-segments"]
QEMU_CPU = ("rv32,a=off,c=off,f=off,d=off,h=off,zba=off,zbb=off,zbc=off,zbs=off,sstc=off")
# The targets. The first one named in --sim is the reference the others are compared with.
SIMS = {
    "qemu": ["qemu-system-riscv32", "-machine", "virt", "-bios", "none", "-m", "128M",
             "-cpu", QEMU_CPU, "-display", "none", "-serial", "stdio", "-monitor", "none",
             "-kernel"],
    "iss": ["build/umbra-iss", "--quiet", "--max-cycles", "20000000"],
    # the RTL, checked at every retirement by the reference model (a mismatch exits 125)
    "rtl": ["build/umbra", "--quiet", "--lockstep", "--max-cycles", "20000000"],
}
# Per-program options drawn from the seed: the RTL runs each program at one of five memory
# latencies, so pipeline hazards are met at different timings (the signature must not change).
RTL_LATENCIES = [1, 2, 3, 5, 16]
SEEDED = {
    "rtl": lambda seed: ["--mem-latency", str(RTL_LATENCIES[seed % len(RTL_LATENCIES)])],
}
# Targets that raise a page fault, not an access fault, when a page-table walk reads where
# nothing answers (QEMU 7.2: get_physical_address returns TRANSLATE_FAIL); programs for a run
# with such a target leave that case out.
WALK_FAULT_IS_PAGE_FAULT = {"qemu"}
# Targets on which csrrs/csrrc to a read-only CSR with rs1 != x0 holding zero does not trap
# (QEMU 7.2 decides on the value; the Zicsr spec on the register: it is a write, illegal).
RO_ZERO_WRITE_IS_READ = {"qemu"}
RO_NOTE = ("note: csrrs/csrrc to a read-only CSR with rs1 != x0 holding zero: QEMU 7.2 reads, the "
           "Zicsr spec (umbra) traps; generated only when QEMU is not a target")
WALK_NOTE = ("note: a page-table walk that reads where nothing answers: QEMU 7.2 raises a page fault, "
             "the privileged spec an access fault (umbra); generated only when QEMU is not a target")
# Targets that perform misaligned loads/stores in hardware (their 'misaligned' lines are absent).
HW_MISALIGNED = {"qemu"}
MISALIGNED_NOTE = ("note: misaligned loads/stores: QEMU performs them in hardware, umbra traps and "
                   "the handler emulates them; 'misaligned' lines are compared among umbra targets only")


# ---- running ---------------------------------------------------------------------------------

class Result:
    def __init__(self, rc, out, err, cmd):
        self.rc, self.out, self.err, self.cmd = rc, out, err, cmd


def run(cmd, timeout):
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        return Result(p.returncode, p.stdout, p.stderr, cmd)
    except subprocess.TimeoutExpired as e:
        return Result(None, e.stdout or b"", e.stderr or b"", cmd)
    except OSError as e:
        return Result(-1, b"", str(e).encode(), cmd)


def build(seed, opts, outdir):
    """Writes outdir/<seed>.S and links outdir/<seed>.elf; returns the ELF path."""
    src = os.path.join(outdir, "%d.S" % seed)
    elf = os.path.join(outdir, "%d.elf" % seed)
    with open(src, "w", encoding="utf-8") as f:
        f.write(Program(seed, opts).text())
    cmd = [CC] + CFLAGS + ["-o", elf, os.path.join(ENV_DIR, "env.S"), src]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("assembling seed %d failed: %s\n    %s"
                           % (seed, p.stderr.strip(), shlex.join(cmd)))
    return elf


def signature(res):
    """The console lines of one run."""
    return res.out.decode(errors="replace").splitlines()


def comparable(ref, other, a, b):
    """The two line lists to compare for targets named ref and other."""
    if ref in HW_MISALIGNED or other in HW_MISALIGNED:
        a = [s for s in a if not s.startswith("misaligned ")]
        b = [s for s in b if not s.startswith("misaligned ")]
    return a, b


def first_difference(a, b):
    """(line number, line of a, line of b) of the first difference, or None."""
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else "<end of output>"
        y = b[i] if i < len(b) else "<end of output>"
        if x != y:
            return i + 1, x, y
    return None


def judge(sims, results):
    """None when every target ran to 'end' with exit 0 and all agree, else a list of lines."""
    for name in sims:
        res = results[name]
        if res.rc is None:
            return ["%s timed out" % name]
        if res.rc != 0:
            tail = res.err.decode(errors="replace").strip().splitlines()
            return ["%s exit %d%s" % (name, res.rc, (": " + tail[-1]) if tail else "")]
        lines = signature(res)
        if not lines or lines[-1] != "end":
            return ["%s: console does not end with 'end'" % name]
    ref = sims[0]
    for other in sims[1:]:
        a, b = comparable(ref, other, signature(results[ref]), signature(results[other]))
        d = first_difference(a, b)
        if d:
            return ["%s and %s differ at line %d:" % (ref, other, d[0]),
                    "    %-5s %s" % (ref, d[1]), "    %-5s %s" % (other, d[2])]
    return None


def run_one(seed, args, sims):
    try:
        elf = build(seed, args.opts, args.outdir)
    except RuntimeError as e:
        return seed, [str(e)], {}
    results = {name: run(sims[name] + SEEDED.get(name, lambda _: [])(seed) + [elf], args.timeout)
               for name in args.sims}
    why = judge(args.sims, results)
    if why is None and not args.keep:
        for ext in (".S", ".elf"):
            os.remove(os.path.join(args.outdir, "%d%s" % (seed, ext)))
    return seed, why, results


def reproduce_line(seed, args):
    cmd = ["python3", "regress/rvgen.py", "--seed", str(seed), "--count", "1", "--keep",
           "--sim", ",".join(args.sims)] + args.exclude_flags
    return shlex.join(cmd)


def run_all(args, sims):
    passed = failed = 0
    if any(s in HW_MISALIGNED for s in args.sims) and args.opts.misaligned:
        print(MISALIGNED_NOTE)
    if args.opts.vm and args.opts.nomem and not args.opts.badwalk:
        print(WALK_NOTE)
    if not args.opts.ro_zero_write:
        print(RO_NOTE)
    seeds = range(args.seed, args.seed + args.count)
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for seed, why, results in pool.map(lambda s: run_one(s, args, sims), seeds):
            if why is None:
                passed += 1
                print("PASS rvgen seed=%d" % seed)
            else:
                failed += 1
                print("FAIL rvgen seed=%d: %s" % (seed, why[0]))
                for line in why[1:]:
                    print(line)
                print("    reproduce: " + reproduce_line(seed, args))
                elf = os.path.join(args.outdir, "%d.elf" % seed)
                for name in args.sims:
                    if name in results:
                        print("    %s: %s" % (name, shlex.join(results[name].cmd)))
                if not os.path.exists(elf):
                    print("    (program not kept)")
            sys.stdout.flush()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


# ---- self-test -------------------------------------------------------------------------------

def self_test(args, sims):
    """Shows that the comparison can fail and that bad options are refused; numbered cases."""
    failures = passes = 0

    def case(n, ok, what):
        nonlocal failures, passes
        print("%s self-test %d: %s" % ("PASS" if ok else "FAIL", n, what))
        failures += 0 if ok else 1
        passes += 1 if ok else 0

    opts = args.opts
    case(1, Program(7, opts).text() == Program(7, opts).text(), "same seed, same program")
    case(2, Program(7, opts).text() != Program(8, opts).text(), "another seed, another program")
    seed, why, results = run_one(args.seed, args, sims)
    case(3, why is None, "seed %d agrees on %s%s" % (seed, ",".join(args.sims),
                                                     "" if why is None else ": " + why[0]))
    if why is None and len(args.sims) >= 2:
        other = args.sims[-1]
        for n, (pat, what) in enumerate([(r"^(x17 )", "one register"),
                                         (r"^(data )", "one data word"),
                                         (r"^(mepc )", "one CSR")], start=4):
            bad = dict(results)
            text = results[other].out.decode()
            m = re.search(pat + r".*?([0-9a-f])$", text, re.M)
            if not m:
                case(n, False, "no line matching %s to corrupt" % pat)
                continue
            flip = "0" if m.group(2) != "0" else "1"
            text = text[:m.end(2) - 1] + flip + text[m.end(2):]
            bad[other] = Result(0, text.encode(), b"", results[other].cmd)
            got = judge(args.sims, bad)
            case(n, got is not None and "differ at line" in got[0],
                 "%s corrupted in %s's output is reported: %s"
                 % (what, other, got[0] if got else "NOT REPORTED"))
        bad = dict(results)
        bad[other] = Result(0, results[other].out.rsplit(b"end\n", 1)[0], b"", [])
        got = judge(args.sims, bad)
        case(7, got is not None, "a truncated output is reported: %s" % (got[0] if got else "NOT REPORTED"))
        if args.opts.misaligned and HW_MISALIGNED & set(args.sims):
            a = ["x01 00000000", "misaligned 00 1"]
            b = ["x01 00000000"]
            case(8, comparable("qemu", "iss", a, b)[0] == b and
                 comparable("iss", "rtl", a, b)[0] == a,
                 "misaligned lines are ignored against QEMU only")
    # the cases QEMU 7.2 gets wrong are generated without QEMU and only then
    with_q = Options(badwalk=False, ro_zero_write=False)
    texts_q = [Program(s, with_q).text() for s in range(1, 41)]
    texts = [Program(s, Options()).text() for s in range(1, 41)]

    def badwalk(text):
        """Does a base register point near RVGEN_BADWALK_VA (base + imm12 reaches it)?"""
        lo, hi = L["RVGEN_BADWALK_VA"] - 2048, L["RVGEN_BADWALK_VA"] + 4096 + 2048
        return any(lo <= int(v, 16) < hi for v in re.findall(r"li x\d+, 0x([0-9a-f]+)", text))
    case(9, not any(map(badwalk, texts_q)) and any(map(badwalk, texts)),
         "the walk onto no memory is generated only without QEMU")
    zero_ro = re.compile(r"li (x\d+), 0x0\n\tcsrr[sc] x\d+, mhartid, \1\n")
    case(10, not any(zero_ro.search(t) for t in texts_q) and any(zero_ro.search(t) for t in texts),
         "csrrs/csrrc mhartid with a zero rs1 value is generated only without QEMU")
    me = [sys.executable, os.path.abspath(__file__)]
    for n, bad_args in enumerate([["--count", "0"], ["--count", "x"], ["--seed", "-1"],
                                  ["--jobs", "0"], ["--sim", "qemu,nosuch"], ["--sim", "iss,iss"],
                                  ["--timeout", "0"], ["--nosuch"], ["stray"],
                                  ["--sim", "iss", "--iss", "build/no-such-binary"]], start=20):
        p = subprocess.run(me + bad_args, capture_output=True, text=True)
        lines = p.stderr.strip().splitlines()
        ok = p.returncode == 2 and len(lines) == 1 and lines[0].startswith("rvgen: error: ") \
            and not p.stdout
        case(n, ok, "%s is refused with one line: %s" % (shlex.join(bad_args),
                                                          lines[0] if lines else "(nothing)"))
    print("%d passed, %d failed" % (passes, failures))
    return failures


# ---- command line ----------------------------------------------------------------------------

class Parser(argparse.ArgumentParser):
    def error(self, message):
        sys.stderr.write("rvgen: error: %s\n" % message)
        sys.exit(2)


def positive_int(text):
    try:
        v = int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError("'%s' is not a number" % text)
    if v < 1:
        raise argparse.ArgumentTypeError("%s must be at least 1" % text)
    return v


def seed_int(text):
    try:
        v = int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError("'%s' is not a number" % text)
    if not 0 <= v < 1 << 31:
        raise argparse.ArgumentTypeError("%s is not a seed (0 .. 2^31-1)" % text)
    return v


def positive_float(text):
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("'%s' is not a number" % text)
    if not v > 0:
        raise argparse.ArgumentTypeError("%s must be positive" % text)
    return v


def main():
    ap = Parser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=seed_int, default=1, help="seed of the first program (default 1)")
    ap.add_argument("--count", type=positive_int, default=200, help="programs (default 200)")
    ap.add_argument("--sim", default="qemu,iss,rtl",
                    help="targets, comma-separated, the first is the reference; known: %s "
                         "(default %%(default)s)" % ", ".join(SIMS))
    ap.add_argument("--jobs", type=positive_int, default=2, help="programs at once (default 2)")
    ap.add_argument("--timeout", type=positive_float, default=30.0, help="seconds per run (default 30)")
    ap.add_argument("--out", default=os.path.join("build", "rvgen"), help="directory of the programs")
    ap.add_argument("--keep", action="store_true", help="keep passing programs too (failing ones are kept)")
    ap.add_argument("--iss", help="umbra-iss binary (default build/umbra-iss)")
    ap.add_argument("--umbra", help="umbra binary (default build/umbra)")
    ap.add_argument("--no-vm", action="store_true", help="exclude Sv32 (satp stays bare)")
    ap.add_argument("--no-priv", action="store_true", help="exclude S and U blocks (M-mode only)")
    ap.add_argument("--no-misaligned", action="store_true", help="exclude misaligned loads/stores")
    ap.add_argument("--no-bus-faults", action="store_true",
                    help="exclude Sv32 mappings (leaf or next-level table) onto addresses where nothing answers")
    ap.add_argument("--print", action="store_true", help="print the program of --seed and exit")
    ap.add_argument("--self-test", action="store_true",
                    help="show that a corrupted output is reported and bad options are refused")
    args = ap.parse_args()

    os.chdir(ROOT)
    sims = dict(SIMS)
    if args.iss:
        sims["iss"] = [args.iss] + sims["iss"][1:]
    if args.umbra:
        sims["rtl"] = [args.umbra] + sims["rtl"][1:]
    args.sims = [s for s in args.sim.split(",")]
    unknown = [s for s in args.sims if s not in sims]
    if unknown:
        ap.error("unknown --sim target '%s' (known: %s)" % (unknown[0], ", ".join(sims)))
    if len(set(args.sims)) != len(args.sims):
        ap.error("--sim names a target twice: %s" % args.sim)
    args.opts = Options(vm=not args.no_vm, priv=not args.no_priv, misaligned=not args.no_misaligned,
                        nomem=not args.no_bus_faults,
                        badwalk=not (WALK_FAULT_IS_PAGE_FAULT & set(args.sims)),
                        ro_zero_write=not (RO_ZERO_WRITE_IS_READ & set(args.sims)))
    args.exclude_flags = [f for f, on in (("--no-vm", args.no_vm), ("--no-priv", args.no_priv),
                                          ("--no-misaligned", args.no_misaligned),
                                          ("--no-bus-faults", args.no_bus_faults)) if on]
    if args.print:
        sys.stdout.write(Program(args.seed, args.opts).text())
        return 0
    for name in args.sims:
        exe = sims[name][0]
        if not (shutil.which(exe) if os.sep not in exe else os.access(exe, os.X_OK)):
            ap.error("--sim %s: %s is not an executable (build it with make build)" % (name, exe))
    if shutil.which(CC) is None:
        ap.error("%s not found (make deps installs it)" % CC)
    os.makedirs(args.out, exist_ok=True)
    args.outdir = args.out
    if args.self_test:
        fails = self_test(args, sims)
        return 1 if fails else 0
    return run_all(args, sims)


if __name__ == "__main__":
    sys.exit(main())
