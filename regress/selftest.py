#!/usr/bin/env python3
"""selftest.py: tests of the regression runner itself (regress/run.py), run by `make test`.

Uses regress/lists/selftest.toml (fixtures that fail on purpose) with its output under
build/regress-selftest/, so regress/out/ and the quick list stay untouched. Numbered cases:
  1. a failing fixture shows in the summary table and the exit status
  2. junit.xml has a <testcase> per run and a <failure> for each failing one
  3. a simulator failure's reproduce line fails the same way (exit status, final line)
  4. a console differing from QEMU fails, and its reproduce line (the runner) fails the same way
  5. WAVES: a failed RTL run gets an FST around its last cycle and a gtkwave command
  6. Ctrl-C: runs in flight stop, finished ones are reported, the rest listed as not run
  7. SEEDS=n draws and prints n seeds and runs each; SEED=n fixes one
  8. same seed, same stats JSON; another seed, other cycles (so the comparison can fail)
  9. a per-run time limit turns a slow run into TIMEOUT with a reproduce line
 10. bad input (list, key, seed, jobs, --only, glob): one "regress: error:" line, exit 2
 11. make waves TEST=isa_alu writes build/waves/isa_alu.fst; a missing or unknown TEST is refused
Prints PASS/FAIL per case and "N passed, N failed".
"""
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import job  # noqa: E402

OUT = "build/regress-selftest"
RUN = [sys.executable, "regress/run.py"]
FINAL = re.compile(r"^(PASS|FAIL|TIMEOUT) \S+ .*cycles=(\d+)", re.M)


class CaseFailed(Exception):
    pass


def want(cond, msg):
    if not cond:
        raise CaseFailed(msg)


def runner(*args, out=None, timeout=300):
    cmd = RUN + list(args) + ["--out", out or OUT]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def final_line(text):
    """The simulator's last PASS/FAIL/TIMEOUT line in text, or ""."""
    lines = [line for line in text.splitlines() if FINAL.match(line)]
    return lines[-1] if lines else ""


def reproduce_lines(stdout):
    """{run id: reproduce command} from the summary."""
    lines = stdout.splitlines()
    found = {}
    for i, line in enumerate(lines):
        m = re.match(r"^(?:FAIL|TIMEOUT) (\S+): ", line)
        if m:
            for follow in lines[i + 1:i + 4]:
                if follow.strip().startswith("reproduce: "):
                    found[m.group(1)] = follow.strip()[len("reproduce: "):]
    return found


class Tests:
    def __init__(self):
        self.main = None

    def main_run(self):
        if self.main is None:
            self.main = runner("--list", "selftest", "--jobs", "2", "--waves",
                               "--only", "fail_trap,isa_alu,console_differs")
        return self.main

    def case1(self):
        rc, out, err = self.main_run()
        want(rc == 1, "exit status %d, want 1 (stderr: %s)" % (rc, err.strip()))
        want(out.rstrip().endswith("1 passed, 3 failed"), "last line: %r" % out.rstrip()[-40:])
        rows = [l.split() for l in out.splitlines() if l.startswith("  fail_trap ")]
        want(len(rows) == 2 and all(r[3] == "FAIL" for r in rows),
             "summary rows of fail_trap: %r" % rows)
        want(all(r[4].isdigit() for r in rows), "no cycle counts in %r" % rows)

    def case2(self):
        self.main_run()
        root = ET.parse(os.path.join(OUT, "junit.xml")).getroot()
        suite = root.find("testsuite")
        want(suite.get("tests") == "4" and suite.get("failures") == "3",
             "testsuite tests=%s failures=%s" % (suite.get("tests"), suite.get("failures")))
        cases = {(c.get("classname"), c.get("name")): c for c in suite.iter("testcase")}
        fail = cases.get(("selftest.rtl", "fail_trap.1"))
        want(fail is not None, "no testcase selftest.rtl fail_trap.1 in %r" % list(cases))
        node = fail.find("failure")
        want(node is not None and "exit 255" in node.get("message", ""),
             "fail_trap.1 failure: %r" % (node.attrib if node is not None else None))
        want("reproduce: build/umbra" in (node.text or ""), "no reproduce line in the failure")
        want(cases[("selftest.rtl", "isa_alu.1")].find("failure") is None,
             "isa_alu.1 has a failure")

    def case3(self):
        rc, out, _ = self.main_run()
        repro = reproduce_lines(out)
        for rid in ("fail_trap.rtl.1", "fail_trap.iss.1"):
            want(rid in repro, "no reproduce line for %s" % rid)
            cmd = shlex.split(repro[rid])
            want(cmd[0] in ("build/umbra", "build/umbra-iss"), "not a simulator command: %s"
                 % repro[rid])
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            with open(os.path.join(OUT, "selftest", rid, "log.txt"), encoding="utf-8") as f:
                logged = final_line(f.read())
            want(p.returncode == 255, "%s exits %d, want 255" % (repro[rid], p.returncode))
            want(final_line(p.stderr) == logged, "%s ends %r, the run ended %r"
                 % (repro[rid], final_line(p.stderr), logged))

    def case4(self):
        rc, out, _ = self.main_run()
        repro = reproduce_lines(out).get("console_differs.rtl.1")
        want(repro and repro.startswith("python3 regress/run.py"),
             "reproduce line of console_differs: %r" % repro)
        cmd = shlex.split(repro)
        i = cmd.index("--out")
        cmd[i + 1] = os.path.join(OUT, "repro")   # keep regress/out/ untouched
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        want(p.returncode == 1, "%s exits %d, want 1" % (repro, p.returncode))
        want("FAIL console_differs.rtl.1: console differs from QEMU" in p.stdout,
             "the rerun does not fail the same way:\n" + p.stdout[-600:])

    def case5(self):
        rc, out, _ = self.main_run()
        m = re.search(r"waves: (\S+fail_trap\.rtl\.1/fail\.fst) \(cycles (\d+)\.\.(\d+)\)", out)
        want(m, "no waves line for fail_trap.rtl.1")
        fst, start, end = m.group(1), int(m.group(2)), int(m.group(3))
        want(os.path.getsize(fst) > 0, "%s is empty" % fst)
        with open(os.path.join(OUT, "selftest", "fail_trap.rtl.1", "log.txt")) as f:
            cycles = int(FINAL.search(f.read()).group(2))
        want(end == cycles and start < end, "traced %d..%d, the run ended at %d"
             % (start, end, cycles))
        vcd = subprocess.run(["fst2vcd", fst], capture_output=True, text=True).stdout
        times = [int(l[1:]) for l in vcd.splitlines() if l.startswith("#")]
        want(times and times[0] <= start * 10 and times[-1] >= end * 10,
             "the FST spans %s..%s ns, not cycles %d..%d" % (times[:1], times[-1:], start, end))
        want("gtkwave: gtkwave %s waves/pipeline.gtkw" % fst in out, "no gtkwave command")
        want("waves: none, only build/umbra writes waveforms (this run is on iss)" in out,
             "the umbra-iss failure does not say why it has no waveform")

    def case6(self):
        out_dir = os.path.join(OUT, "interrupt")
        cmd = RUN + ["--list", "selftest", "--jobs", "1", "--only",
                     "isa_alu,spin,console_differs", "--out", out_dir]
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first = p.stdout.readline()   # the banner
        first = p.stdout.readline()   # isa_alu's result: spin is starting now
        want(first.startswith("PASS isa_alu.rtl.1"), "first result: %r" % first)
        time.sleep(0.5)
        p.send_signal(signal.SIGINT)
        rest, err = p.communicate(timeout=60)
        want(p.returncode == 130, "exit status %d, want 130 (%s)" % (p.returncode, err))
        want("did not run (2): spin.rtl.1 console_differs.rtl.1" in rest,
             "no list of what did not run:\n" + rest)
        want(rest.rstrip().endswith("1 passed, 0 failed"), "last line %r" % rest.rstrip()[-30:])
        suite = ET.parse(os.path.join(out_dir, "junit.xml")).getroot().find("testsuite")
        want(suite.get("tests") == "3" and suite.get("skipped") == "2",
             "junit tests=%s skipped=%s" % (suite.get("tests"), suite.get("skipped")))
        stats = os.path.abspath(os.path.join(out_dir, "selftest", "spin.rtl.1"))
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open("/proc/%s/cmdline" % pid, "rb") as f:
                    args = f.read().decode(errors="replace")
            except OSError:
                continue
            want(stats not in args and "selftest/spin.rtl.1" not in args,
                 "simulator %s still running: %s" % (pid, args.replace("\0", " ")))

    def case7(self):
        rc, out, err = runner("--list", "selftest", "--only", "isa_alu", "--seeds", "2")
        m = re.search(r"^seeds: (\d+) (\d+)", out, re.M)
        want(rc == 0 and m, "rc %d, no 'seeds:' line:\n%s%s" % (rc, out, err))
        for seed in m.groups():
            want("PASS isa_alu.rtl.%s" % seed in out, "isa_alu did not run with seed %s" % seed)
            with open(os.path.join(OUT, "selftest", "isa_alu.rtl." + seed, "stats.json")) as f:
                want(json.load(f)["seed"] == int(seed), "stats.json of seed %s" % seed)
        rc, out, err = runner("--list", "selftest", "--only", "isa_alu", "--seed", "99")
        want(rc == 0 and "PASS isa_alu.rtl.99" in out, "SEED=99: rc %d\n%s" % (rc, out))

    def case8(self):
        def stats(seed, tag):
            path = os.path.join(OUT, "disk.%s.json" % tag)
            subprocess.run(["build/umbra", "--quiet", "--seed", str(seed), "--stats", path,
                            "build/fw/tests/disk_blk.elf"], capture_output=True, check=True,
                           timeout=60)
            with open(path) as f:
                return json.load(f)
        a, b, c = stats(5, "a"), stats(5, "b"), stats(6, "c")
        want(job.stats_differences(a, b) == [], "same seed differs: %s"
             % job.stats_differences(a, b))
        diff = job.stats_differences(a, c)
        want(any(d.startswith("cycles:") for d in diff),
             "seeds 5 and 6 give the same cycles: the disk's jitter ignores the seed (%s)" % diff)

    def case9(self):
        with tempfile.NamedTemporaryFile("w", suffix=".toml", dir=OUT, delete=False) as f:
            f.write('[config.rtl]\nsim = "umbra"\n\n[[test]]\n'
                    'elf = "build/fw/fixtures/spin.elf"\nconfigs = ["rtl"]\ntimeout = 0.5\n')
            path = f.name
        rc, out, err = runner("--list", path)
        want(rc == 1 and re.search(r"^TIMEOUT spin\.rtl\.1: no end within 0.5 s", out, re.M),
             "rc %d:\n%s%s" % (rc, out, err))
        want("reproduce: build/umbra --seed 1 build/fw/fixtures/spin.elf" in out,
             "no reproduce line for the timeout")

    def case10(self):
        bad = os.path.join(OUT, "bad.toml")
        cases = [
            (["--list", "no_such_list"], "no such list"),
            (["--list", "selftest", "--seed", "x"], "is not an integer"),
            (["--list", "selftest", "--jobs", "0"], "must be at least 1"),
            (["--list", "selftest", "--only", "nothing_matches"], "matches no run"),
            (["--list", bad], "unknown key(s): sedes"),
            (["--list", bad + ".glob.toml"], "matches no file"),
        ]
        with open(bad, "w") as f:
            f.write('[config.rtl]\nsim = "umbra"\n\n[[test]]\nelf = "build/fw/tests/isa_alu.elf"\n'
                    'configs = ["rtl"]\nsedes = [1]\n')
        with open(bad + ".glob.toml", "w") as f:
            f.write('[config.rtl]\nsim = "umbra"\n\n[[test]]\nelf = "build/fw/tests/nothing*.elf"\n'
                    'configs = ["rtl"]\n')
        for args, text in cases:
            rc, out, err = runner(*args)
            lines = err.strip().splitlines()
            want(rc == 2, "%s: exit status %d, want 2" % (" ".join(args), rc))
            want(len(lines) == 1 and lines[0].startswith("regress: error: ") and text in lines[0],
                 "%s: stderr %r, want one 'regress: error: ...%s...' line"
                 % (" ".join(args), err, text))

    def case11(self):
        fst = "build/waves/isa_alu.fst"
        if os.path.exists(fst):
            os.remove(fst)
        p = subprocess.run(["make", "-s", "--no-print-directory", "waves", "TEST=isa_alu"],
                           capture_output=True, text=True, timeout=300)
        want(p.returncode == 0 and os.path.getsize(fst) > 0, "make waves TEST=isa_alu: exit %d, "
             "%s\n%s" % (p.returncode, p.stdout, p.stderr))
        want("gtkwave: gtkwave %s waves/pipeline.gtkw" % fst in p.stdout, "no gtkwave command")
        for arg, text in (("TEST=no_such_test", "there is no firmware/tests/no_such_test.c"),
                          ("TEST=", "make waves needs TEST=<name>")):
            p = subprocess.run(["make", "-s", "--no-print-directory", "waves", arg],
                               capture_output=True, text=True, timeout=60)
            errors = [l for l in p.stderr.splitlines() if l.startswith("umbra: error: ")]
            want(p.returncode != 0 and len(errors) == 1 and text in errors[0],
                 "make waves %s: exit %d, stderr %r" % (arg, p.returncode, p.stderr))


def main():
    os.makedirs(OUT, exist_ok=True)
    t = Tests()
    cases = sorted((int(n[4:]), getattr(t, n)) for n in dir(t) if re.match(r"case\d+$", n))
    passed = failed = 0
    for num, fn in cases:
        doc = __doc__.split("\n  %d. " % num, 1)[1].splitlines()[0] if \
            ("\n  %d. " % num) in __doc__ else \
            __doc__.split("\n %d. " % num, 1)[1].splitlines()[0]
        try:
            fn()
        except CaseFailed as e:
            failed += 1
            print("FAIL %d %s: %s" % (num, doc, e))
        except Exception as e:  # a crash of the test is a failure of the test, named
            failed += 1
            print("FAIL %d %s: %s: %s" % (num, doc, type(e).__name__, e))
        else:
            passed += 1
            print("PASS %d %s" % (num, doc))
        sys.stdout.flush()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
