#!/usr/bin/env python3
"""check.py: opens every waves/*.gtkw in gtkwave under Xvfb against a fresh FST (make waves-check).

For each save file: runs the test its `[*] check-with:` line names on build/umbra with --trace,
starts gtkwave on that FST with the save file and a Tcl script, and fails when gtkwave shows fewer
signals than the save file names (each missing one is printed), cannot start a translate filter
or open a translate file, or when a filtered instruction trace does not read as assembly. Then it
takes a screenshot of the window (ImageMagick's import) into build/waves/check/<name>.png.
Prints PASS/FAIL per save file and "N passed, N failed"; exit status 1 on a failure.
"""

import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

OUT = "build/waves/check"
UMBRA = "build/umbra"
FILTER = "build/waves/filter_insn"
SIGNAL_LINE = re.compile(r"^(?:\+\{[^}]*\}\s+)?(?:\((\d+)\))?(\S+?)(\[(\d+):(\d+)\])?$")
GTKWAVE_ERRORS = ("Could not find filter process", "Could not open filter file")
HEX = re.compile(r"^[0-9a-fA-F]+$")
CYCLE_NS = 10     # the FST's time of cycle N is N x 10 ns

TCL = r"""
set want {%(want)s}
set have [gtkwave::getDisplayedSignals]
foreach w $want {
    if {[lsearch -exact $have $w] < 0} { puts "waves-check: missing signal $w" }
}
puts "waves-check: [llength $have] of [llength $want] signals shown"
set t0 [gtkwave::getMinTime]
set t1 [gtkwave::getMaxTime]
set z0 %(z0)s
set z1 %(z1)s
if {$z1 <= $z0} {
    set z0 $t0
    set z1 [expr {$t0 + ($t1 - $t0) / 12}]
}
gtkwave::setZoomRangeTimes $z0 $z1
gtkwave::setMarker [expr {($z0 + $z1) / 2}]
set n [gtkwave::getTotalNumTraces]
for {set i 0} {$i < $n} {incr i} {
    set flags [gtkwave::getTraceFlagsFromIndex $i]
    set what ""
    if {$flags & 0x4000} { set what "filtered" }
    if {$flags & 0x100000000} { set what "enum" }
    if {$what ne ""} {
        puts "waves-check: $what [gtkwave::getTraceNameFromIndex $i] = [gtkwave::getTraceValueAtMarkerFromIndex $i]"
    }
}
puts "waves-check: ready"
flush stdout
"""


def expected_signals(path):
    """Full names gtkwave lists for the save file's traces ("(N)x[31:0]" is bit 31-N of x)."""
    names, check_with, zoom = [], None, (0, 0)
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("[*] check-with:"):
                check_with = line.split(":", 1)[1].split()
            if line.startswith("[*] check-zoom:"):
                zoom = tuple(CYCLE_NS * int(c) for c in line.split(":", 1)[1].split())
            if not line or line[0] in "[@-^*>#!?":
                continue
            m = SIGNAL_LINE.match(line)
            if not m:
                raise ValueError("%s: cannot read the trace line %r" % (path, line))
            bit, name, rng, hi, lo = m.groups()
            if bit is not None:
                names.append("%s[%d]" % (name, int(hi) - int(bit)))
            else:
                names.append(name + (rng or ""))
    if not check_with:
        raise ValueError("%s: no '[*] check-with: ELF [umbra options]' line" % path)
    return names, check_with, zoom


def start_xvfb():
    """An Xvfb server on a free display; returns (process, ':N')."""
    r, w = os.pipe()
    p = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1600x1000x24",
                          "-nolisten", "tcp"], pass_fds=(w,), stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    os.close(w)
    with os.fdopen(r) as f:
        num = f.readline().strip()
    if not num:
        p.kill()
        raise RuntimeError("Xvfb did not start")
    return p, ":" + num


def check_one(gtkw, display):
    """Returns a list of problems (empty = pass)."""
    name = os.path.splitext(os.path.basename(gtkw))[0]
    want, check_with, zoom = expected_signals(gtkw)
    fst = os.path.join(OUT, name + ".fst")
    if os.path.exists(fst):
        os.remove(fst)
    sim = [UMBRA, "--quiet", "--trace", fst] + check_with[1:] + [check_with[0]]
    r = subprocess.run(sim, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                       timeout=120)
    if r.returncode != 0 or not os.path.exists(fst):
        return ["%s failed (exit %d): %s" % (shlex.join(sim), r.returncode, r.stderr.strip())]
    tcl = os.path.join(OUT, name + ".tcl")
    with open(tcl, "w", encoding="utf-8") as f:
        f.write(TCL % {"want": " ".join("{%s}" % w for w in want), "z0": zoom[0], "z1": zoom[1]})
    log_path = os.path.join(OUT, name + ".log")
    env = dict(os.environ, DISPLAY=display)
    with open(log_path, "w") as log:
        gw = subprocess.Popen(["gtkwave", "-S", tcl, fst, gtkw], stdout=log,
                              stderr=subprocess.STDOUT, env=env, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with open(log_path) as log:
                text = log.read()
            if "waves-check: ready" in text or gw.poll() is not None:
                break
            time.sleep(0.2)
        else:
            return ["gtkwave did not finish loading within 60 s (%s)" % log_path]
        if gw.poll() is not None:
            return ["gtkwave exited with %d before the check ran (%s)" % (gw.returncode, log_path)]
        time.sleep(1.0)   # let it draw the zoomed window
        shot = os.path.join(OUT, name + ".png")
        subprocess.run(["import", "-display", display, "-window", "root", shot], check=True,
                       timeout=30)
    finally:
        gw.terminate()
        try:
            gw.wait(timeout=10)
        except subprocess.TimeoutExpired:
            gw.kill()
            gw.wait()
    problems = []
    with open(log_path) as log:
        text = log.read()
    for line in text.splitlines():
        if line.startswith("waves-check: missing signal") or \
                any(e in line for e in GTKWAVE_ERRORS):
            problems.append(line.strip())
        m = re.match(r"waves-check: (filtered|enum) (\S+) = (.*)$", line)
        if m and HEX.match(m.group(3).strip()):
            problems.append("trace %s shows %s, not %s" % (
                m.group(2), m.group(3), "assembly: the filter did not run"
                if m.group(1) == "filtered" else "a state name: the FST has no enum for it"))
    if not os.path.getsize(shot):
        problems.append("the screenshot %s is empty" % shot)
    return problems


def main():
    for tool in ("gtkwave", "Xvfb", "import"):
        if not shutil.which(tool):
            print("waves-check: error: %s is not installed (make deps)" % tool, file=sys.stderr)
            return 2
    for f in (UMBRA, FILTER):
        if not os.access(f, os.X_OK):
            print("waves-check: error: %s is missing (make build)" % f, file=sys.stderr)
            return 2
    os.makedirs(OUT, exist_ok=True)
    saves = sorted(glob.glob("waves/*.gtkw"))
    xvfb, display = start_xvfb()
    passed = failed = 0
    try:
        for gtkw in saves:
            try:
                problems = check_one(gtkw, display)
            except (ValueError, RuntimeError, subprocess.SubprocessError, OSError) as e:
                problems = [str(e)]
            name = os.path.splitext(os.path.basename(gtkw))[0]
            if problems:
                failed += 1
                print("FAIL %s" % gtkw)
                for p in problems:
                    print("    " + p)
            else:
                passed += 1
                print("PASS %s (screenshot %s)" % (gtkw, os.path.join(OUT, name + ".png")))
            sys.stdout.flush()
        # The check must be able to fail: a save file with a renamed signal and a missing filter.
        problems = check_broken(display)
        if problems:
            failed += 1
            print("FAIL a broken save file is not refused:")
            for p in problems:
                print("    " + p)
        else:
            passed += 1
            print("PASS a broken save file is refused (missing signal, missing filter)")
    finally:
        xvfb.terminate()
        xvfb.wait()
    # The filter's disassembly against GNU objdump on every test program.
    elfs = sorted(glob.glob("build/fw/tests/*.elf") + glob.glob("build/fw/rvtest/*.elf"))
    r = subprocess.run([sys.executable, "waves/check_disasm.py"] + elfs, capture_output=True,
                       text=True)
    for line in r.stdout.splitlines()[:-1]:
        print(line)
    if r.returncode == 0:
        passed += 1
    else:
        failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def check_broken(display):
    """Problems with the check itself: it must report a renamed signal and a missing filter."""
    src = "waves/pipeline.gtkw"
    broken = os.path.join(OUT, "broken.gtkw")
    with open(src, encoding="utf-8") as f:
        text = f.read()
    bogus = "umbra.umbra_soc.u_core.no_such_signal_q[31:0]"
    text = text.replace("umbra.umbra_soc.u_core.if_pc[31:0]", bogus, 1)
    text = text.replace("^>1 build/waves/filter_insn", "^>1 build/waves/no_such_filter", 1)
    with open(broken, "w", encoding="utf-8") as f:
        f.write(text)
    got = "\n".join(check_one(broken, display))
    problems = []
    if "missing signal " + bogus not in got:
        problems.append("the renamed signal %s was not reported" % bogus)
    if "Could not find filter process" not in got:
        problems.append("the missing filter build/waves/no_such_filter was not reported")
    return problems


if __name__ == "__main__":
    sys.exit(main())
