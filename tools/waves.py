#!/usr/bin/env python3
"""waves.py: `make waves`: runs a test on build/umbra with --trace, finds its GWB events and checks a gtkwave save file against the FST.

Steps:
  1. build/umbra --trace BUILD/waves/TEST.fst TEST.elf
  2. scan the FST (fst2vcd) for the first retirement with rvfi_gwb_valid_o = 1 (a
     traced store and its two record words) and the first trap with cause 24
     (GWB full); print both times
  3. write BUILD/waves/TEST.gtkw: the save file (waves/gwb.gtkw) pointed at this FST,
     with the primary marker on the traced store's retirement, marker A on the
     GWB-full trap and the view starting just before the store
  4. check: every signal the save file names exists in the FST, and gtkwave
     (under xvfb-run when there is no display) loads the save file with all its
     traces, reading rvfi_gwb_valid_o = 1 at the primary marker and
     rvfi_trap_cause_o = 24 at marker A
Ends with one line "waves: ok ..." (exit 0) or "waves: error: ..." (exit 1).

usage: waves.py --umbra build/umbra --save waves/gwb.gtkw --out build/waves ELF
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

TOP = "umbra.umbra_soc."   # Verilator's FST scope of the SoC in build/umbra
NS_PER_CYCLE = 10


def fail(msg):
    print("waves: error: " + msg, file=sys.stderr)
    sys.exit(1)


def vcd_scan(fst, wanted):
    """Signal names in the FST, and value changes of the `wanted` full names as {name: [(t, value)]}."""
    p = subprocess.Popen(["fst2vcd", fst], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True, errors="replace")
    scope = []
    names = set()
    ids = {}
    changes = {w: [] for w in wanted}
    t = 0
    header = True
    for line in p.stdout:
        if header:
            parts = line.split()
            if not parts:
                continue
            if parts[0] == "$scope":
                scope.append(parts[2])
            elif parts[0] == "$upscope":
                scope.pop()
            elif parts[0] == "$var":
                name = ".".join(scope + [parts[4]])
                names.add(name)
                if name in changes:
                    ids.setdefault(parts[3], []).append(name)
            elif parts[0] == "$enddefinitions":
                header = False
            continue
        c = line[0]
        if c == "#":
            t = int(line[1:])
        elif c == "b":
            val, ident = line[1:].split()
            for n in ids.get(ident, ()):
                changes[n].append((t, int(val, 2) if set(val) <= {"0", "1"} else -1))
        elif c in "01xz":
            ident = line[1:].strip()
            for n in ids.get(ident, ()):
                changes[n].append((t, int(c) if c in "01" else -1))
    p.wait()
    return names, changes


def value_at(changes, t):
    v = None
    for ct, cv in changes:
        if ct > t:
            break
        v = cv
    return v


def find_events(changes):
    """(t_store, t_full): first times with rvfi_valid & rvfi_gwb_valid, and rvfi_valid & trap & cause 24."""
    valid = changes[TOP + "rvfi_valid_o"]
    t_store = t_full = None
    for t, v in valid:
        if v != 1:
            continue
        if t_store is None and value_at(changes[TOP + "rvfi_gwb_valid_o"], t) == 1:
            t_store = t
        if t_full is None and value_at(changes[TOP + "rvfi_trap_o"], t) == 1 and \
                value_at(changes[TOP + "rvfi_trap_cause_o"], t) == 24:
            t_full = t
        if t_store is not None and t_full is not None:
            break
    return t_store, t_full


def save_signals(text):
    """Signal names of a gtkwave save file (trace lines, without a [msb:lsb] suffix)."""
    out = []
    for line in text.splitlines():
        if not line or line[0] in "[*@-^#":
            continue
        out.append(re.sub(r"\[\d+:\d+\]$", "", line.strip()))
    return out


def write_save(template, fst, out, t_store, t_full):
    text = template
    text = re.sub(r'^\[dumpfile\] .*$', '[dumpfile] "%s"' % os.path.abspath(fst), text, flags=re.M)
    text = re.sub(r'^\[dumpfile_(mtime|size)\] .*\n', '', text, flags=re.M)
    text = re.sub(r'^\[savefile\] .*$', '[savefile] "%s"' % os.path.abspath(out), text, flags=re.M)
    first = t_store if t_store >= 0 else max(t_full, 0)
    text = re.sub(r'^\[timestart\] .*$', '[timestart] %d' % max(0, first - 12 * NS_PER_CYCLE), text, flags=re.M)
    m = re.search(r'^\*(\S+) (.*)$', text, flags=re.M)
    if not m:
        fail("save file has no marker line ('*zoom marker A B ...')")
    markers = m.group(2).split()
    markers[0] = str(t_store)
    markers[1] = str(t_full)
    text = text[:m.start()] + "*%s %s" % (m.group(1), " ".join(markers)) + text[m.end():]
    with open(out, "w") as f:
        f.write(text)


GTKWAVE_CHECK = r"""
set n [gtkwave::getTotalNumTraces]
puts "waves-check traces $n"
set store [gtkwave::getMarker]
set full [gtkwave::getNamedMarker A]
puts "waves-check markers $store $full"
if {$store >= 0} {
  gtkwave::setMarker $store
  puts "waves-check gwb_valid [gtkwave::getTraceValueAtMarkerFromName %(top)srvfi_gwb_valid_o]"
}
if {$full >= 0} {
  gtkwave::setMarker $full
  puts "waves-check trap_cause [gtkwave::getTraceValueAtMarkerFromName %(top)srvfi_trap_cause_o\[31:0\]]"
}
gtkwave::/File/Quit
"""


def gtkwave_check(fst, save, n_signals, n_comments, t_store, t_full):
    with tempfile.NamedTemporaryFile("w", suffix=".tcl", delete=False) as f:
        f.write(GTKWAVE_CHECK % {"top": TOP})
        script = f.name
    cmd = ["gtkwave", "--script=" + script, fst, save]
    if not os.environ.get("DISPLAY"):
        if not shutil.which("xvfb-run"):
            fail("no DISPLAY and no xvfb-run to load the save file in gtkwave")
        cmd = ["xvfb-run", "-a"] + cmd
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=300, stdin=subprocess.DEVNULL)
    finally:
        os.unlink(script)
    got = dict(re.findall(r"^waves-check (\w+) (.*)$", p.stdout, flags=re.M))
    if "traces" not in got:
        fail("gtkwave did not run the check script: " + " ".join(cmd))
    if int(got["traces"]) != n_signals + n_comments:
        fail("gtkwave shows %s traces, the save file has %d signals and %d comments" %
             (got["traces"], n_signals, n_comments))
    if t_store >= 0 and got.get("gwb_valid", "").strip() != "1":
        fail("gtkwave reads rvfi_gwb_valid_o = %r at the primary marker, not 1" % got.get("gwb_valid"))
    cause = got.get("trap_cause", "").strip()
    if t_full >= 0 and (not cause or int(cause, 16) != 24):
        fail("gtkwave reads rvfi_trap_cause_o = %r at marker A, not 24 (0x18)" % cause)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--umbra", default="build/umbra")
    ap.add_argument("--save", default="waves/gwb.gtkw")
    ap.add_argument("--out", default="build/waves")
    ap.add_argument("--require-events", action="store_true",
                    help="fail unless the run has both a GWB append and a GWB-full trap")
    ap.add_argument("elf")
    args = ap.parse_args()
    if not os.path.isfile(args.elf):
        fail("no such test program: %s (make fw-tests builds build/fw/tests/*.elf)" % args.elf)
    for tool in ("fst2vcd", "gtkwave"):
        if not shutil.which(tool):
            fail("%s not found (Debian package gtkwave)" % tool)
    os.makedirs(args.out, exist_ok=True)
    test = os.path.splitext(os.path.basename(args.elf))[0]
    fst = os.path.join(args.out, test + ".fst")
    p = subprocess.run([args.umbra, "--quiet", "--trace", fst, args.elf],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        fail("%s --trace %s %s failed: %s" % (args.umbra, fst, args.elf, p.stderr.strip().splitlines()[-1:]))

    with open(args.save) as f:
        template = f.read()
    signals = save_signals(template)
    wanted = [TOP + s for s in ("rvfi_valid_o", "rvfi_gwb_valid_o", "rvfi_trap_o", "rvfi_trap_cause_o")]
    names, changes = vcd_scan(fst, wanted)
    missing = [s for s in signals if s not in names]
    if missing:
        fail("%d signal(s) of %s are not in %s: %s" % (len(missing), args.save, fst, ", ".join(missing)))
    t_store, t_full = find_events(changes)
    for what, t in (("first traced store retires", t_store), ("first GWB-full trap", t_full)):
        if t is None and args.require_events:
            fail("%s: no %s in this run" % (test, what.replace("first ", "").replace(" retires", "")))
        print("waves: %s: %s" % (test, "%s at %d ns (cycle %d)" % (what, t, t // NS_PER_CYCLE)
                                  if t is not None else "no %s: marker left unset" % what.split(" ", 1)[1]))
    t_store = -1 if t_store is None else t_store
    t_full = -1 if t_full is None else t_full
    out = os.path.join(args.out, test + ".gtkw")
    write_save(template, fst, out, t_store, t_full)
    gtkwave_check(fst, out, len(signals), len(re.findall(r"^-", template, flags=re.M)), t_store, t_full)
    print("waves: ok: %d signals of %s found; gtkwave loads %s (markers on the events found); open with: gtkwave %s"
          % (len(signals), args.save, out, out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
