#!/usr/bin/env python3
"""rvtest.py: runs programs of the public RISC-V test-suite conventions
(firmware/rvtest/*.S, result through tohost) on a simulator and checks the
exit status and console output their source promises in `# expect:` lines.

usage: rvtest.py [--sim CMD] [--timeout S] ELF...
"""
import argparse
import os
import re
import shlex
import subprocess
import sys


def expectations(elf):
    """The `# expect: exit=N` and `# expect-stdout: TEXT` lines of the ELF's source."""
    name = os.path.splitext(os.path.basename(elf))[0]
    try:
        return expectations_from(os.path.join("firmware", "rvtest", name + ".S"))
    except ValueError as e:
        raise SystemExit(f"rvtest: {e}")


def expectations_from(src):
    """(exit status, stdout) a source promises; ValueError if it promises no exit status."""
    want_exit, want_out = None, []
    with open(src, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"#\s*expect:\s*exit=(\d+)", line)
            if m:
                want_exit = int(m.group(1))
            m = re.match(r"#\s*expect-stdout:\s?(.*)$", line)
            if m:
                want_out.append(m.group(1))
    if want_exit is None:
        raise ValueError(f"{src} has no '# expect: exit=N' line")
    return want_exit, "".join(s + "\n" for s in want_out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sim", default="build/umbra --quiet",
                    help="simulator command; the ELF is appended (default: %(default)s)")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("elfs", nargs="+")
    args = ap.parse_args()

    passed = failed = 0
    for elf in args.elfs:
        name = os.path.basename(elf)
        want_exit, want_out = expectations(elf)
        cmd = shlex.split(args.sim) + [elf]
        try:
            p = subprocess.run(cmd, capture_output=True, timeout=args.timeout, text=True)
            got_exit, got_out = p.returncode, p.stdout
        except subprocess.TimeoutExpired:
            got_exit, got_out = "timeout", ""
        problems = []
        if got_exit != want_exit:
            problems.append(f"exit {got_exit}, want {want_exit}")
        if want_out and got_out != want_out:
            problems.append(f"stdout {got_out!r}, want {want_out!r}")
        if problems:
            failed += 1
            print(f"FAIL {name} ({'; '.join(problems)})")
            print(f"     reproduce: {shlex.join(cmd)}")
        else:
            passed += 1
            print(f"PASS {name}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
