"""job.py: executes one regression run (a test in a configuration with a seed) and judges it.

The directory of a run holds: log.txt (commands, exit statuses, the simulator's messages),
console.txt (the guest's stdout), stats.json (--stats), and for repeat = 2 the second run's
console.2.txt and stats.2.json; for check = "qemu" a console difference goes to diff.txt.
QEMU's console for an ELF is computed once per regression and shared by every run of it.
Rules:
  1. A run is judged only from what it produced; PASS needs every check to hold.
  2. A run the user interrupted is never judged: its result is INTERRUPTED, and the runner
     reports it as not run.
  3. The reproduce line is one command, from the project root, that fails the same way: the
     simulator command when the simulator's own verdict failed, else the runner limited to
     this run (console compared with QEMU, stdout promised by the source, two runs compared).
"""

import difflib
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import directed  # noqa: E402  (QEMU's command line: one definition, shared with directed.py)
import rvtest  # noqa: E402  (the `# expect:` lines of riscv-tests convention programs)

SIMS = {"umbra": "build/umbra", "iss": "build/umbra-iss"}
FINAL_LINE = re.compile(r"^(PASS|FAIL|TIMEOUT) \S+ .*cycles=(\d+)")
# Keys of the stats JSON that depend on the host, not on the simulated machine.
WALL_CLOCK_KEYS = {"wall_seconds", "cycles_per_second"}
DIFF_LINES = 20


class Stop:
    """The runner's Ctrl-C state: once set, running children are killed and nothing starts."""

    def __init__(self):
        self.event = threading.Event()
        self.lock = threading.Lock()
        self.children = set()

    def start(self, cmd, **kw):
        with self.lock:
            if self.event.is_set():
                return None
            # Own session: a Ctrl-C reaches the runner only, which then ends the children.
            p = subprocess.Popen(cmd, start_new_session=True, **kw)
            self.children.add(p)
            return p

    def done(self, p):
        with self.lock:
            self.children.discard(p)

    def stop(self):
        with self.lock:
            self.event.set()
            for p in self.children:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


class Exec:
    """What one command did: exit status (None = killed at the time limit), outputs, seconds."""

    def __init__(self, cmd, rc, out, err, secs, interrupted=False):
        self.cmd, self.rc, self.out, self.err, self.secs = cmd, rc, out, err, secs
        self.interrupted = interrupted

    def final_line(self):
        for line in reversed(self.err.decode(errors="replace").splitlines()):
            if FINAL_LINE.match(line):
                return line
        return ""

    def cycles(self):
        m = FINAL_LINE.match(self.final_line())
        return int(m.group(2)) if m else None


def execute(stop, cmd, timeout):
    t0 = time.monotonic()
    try:
        p = stop.start(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    except OSError as e:
        return Exec(cmd, -1, b"", ("%s: %s\n" % (cmd[0], e.strerror)).encode(), 0.0)
    if p is None:
        return Exec(cmd, None, b"", b"", 0.0, interrupted=True)
    try:
        out, err = p.communicate(timeout=timeout)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        rc = None
    finally:
        stop.done(p)
    return Exec(cmd, rc, out, err, time.monotonic() - t0, interrupted=stop.event.is_set())


def sim_cmd(run):
    """The simulator command of a run, as the user would type it (no --stats, no --quiet)."""
    if run.sim == "qemu":
        return qemu_cmd(run.test["elf"], run.bootargs(), run.out_dir)
    cmd = [SIMS[run.sim], "--seed", str(run.seed)]
    if "mem_latency" in run.config:
        cmd += ["--mem-latency", str(run.config["mem_latency"])]
    if run.bootargs():
        cmd += ["--bootargs", run.bootargs()]
    if run.setting("max_cycles") is not None:
        cmd += ["--max-cycles", str(run.setting("max_cycles"))]
    return cmd + run.extra_args() + [run.test["elf"]]


def qemu_cmd(elf, bootargs, disk_dir):
    """directed.py's QEMU command (CPU matching umbra, the disk in slot 7), with -append."""
    args = type("QemuArgs", (), {"qemu": "qemu-system-riscv32", "qemu_cpu": directed.QEMU_CPU,
                                 "disk_dir": disk_dir})()
    cmd = directed.qemu_cmd(args, elf)
    return cmd + (["-append", bootargs] if bootargs else [])


def qemu_disk_reset(cmd):
    """A fresh zeroed image for a QEMU run, as directed.py makes one."""
    img = cmd[cmd.index("-drive") + 1].split(",")[0][len("file="):]
    with open(img, "wb") as f:
        f.truncate(directed.DISK_MB << 20)


class QemuReference:
    """QEMU's console per (ELF, bootargs), run once per regression, shared by all runs."""

    def __init__(self, stop, root, timeout):
        self.stop, self.root, self.timeout = stop, root, timeout
        self.lock = threading.Lock()
        self.slots = {}

    def get(self, elf, bootargs):
        key = (elf, bootargs)
        with self.lock:
            slot = self.slots.setdefault(key, {"lock": threading.Lock(), "exec": None})
        with slot["lock"]:
            if slot["exec"] is None or slot["exec"].interrupted:
                name = os.path.splitext(os.path.basename(elf))[0]
                tag = ".%08x" % zlib.crc32(bootargs.encode()) if bootargs else ""
                d = os.path.join(self.root, "qemu", name + tag)
                os.makedirs(d, exist_ok=True)
                cmd = qemu_cmd(elf, bootargs, d)
                qemu_disk_reset(cmd)
                ex = execute(self.stop, cmd, self.timeout)
                with open(os.path.join(d, "console.txt"), "wb") as f:
                    f.write(ex.out)
                slot["exec"] = ex
            return slot["exec"]


class Result:
    """A judged run: status PASS, FAIL, TIMEOUT or INTERRUPTED, and how to reproduce it."""

    def __init__(self, run, status, reason, secs, cycles, reproduce=None, detail=""):
        self.run, self.status, self.reason, self.secs, self.cycles = run, status, reason, secs, cycles
        self.reproduce, self.detail = reproduce, detail
        self.waves = None


def runner_cmd(run):
    return ("python3 regress/run.py --list %s --seed %d --only %s.%s --out regress/out/repro"
            % (shlex.quote(run.list_name), run.seed, run.test["name"], run.config["name"]))


def guest_failed(out):
    return any(line.startswith(b"FAIL") for line in out.splitlines())


def stats_differences(a, b):
    """Keys whose values differ between two stats objects, wall-clock keys aside."""
    keys = sorted((set(a) | set(b)) - WALL_CLOCK_KEYS)
    return ["%s: %s vs %s" % (k, json.dumps(a.get(k)), json.dumps(b.get(k)))
            for k in keys if a.get(k) != b.get(k)]


def read_stats(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def write_log(run, execs):
    with open(os.path.join(run.out_dir, "log.txt"), "w", encoding="utf-8") as f:
        for label, ex in execs:
            f.write("$ %s\n" % shlex.join(ex.cmd))
            f.write("# %s: exit %s, %.3f s\n" % (label, "timeout" if ex.rc is None else ex.rc,
                                                 ex.secs))
            f.write(ex.err.decode(errors="replace"))
            f.write("\n")


def simulate(stop, run, suffix=""):
    """One execution of the run's simulator command; console and stats land in its directory."""
    cmd = sim_cmd(run)
    if run.sim == "qemu":
        qemu_disk_reset(cmd)
        full = cmd
    else:
        stats = os.path.join(run.out_dir, "stats%s.json" % suffix)
        if os.path.exists(stats):
            os.remove(stats)
        full = cmd[:1] + ["--stats", stats] + cmd[1:]
    ex = execute(stop, full, run.setting("timeout", 60))
    ex.cmd = cmd
    with open(os.path.join(run.out_dir, "console%s.txt" % suffix), "wb") as f:
        f.write(ex.out)
    return ex


def sim_verdict(run, ex):
    """Why the simulator's own verdict failed (None if it did not): exit status, console."""
    if ex.rc is None:
        return "TIMEOUT", "no end within %g s (wall)" % run.setting("timeout", 60)
    want = run.test.get("exit", 0)
    if run.test["check"] == "expect":
        want = run.expect_exit
    if ex.rc != want:
        why = ex.final_line() or last_line(ex.err)
        return "FAIL", "exit %d, want %d%s" % (ex.rc, want, (": " + why) if why else "")
    if want == 0 and guest_failed(ex.out):
        return "FAIL", "console shows a FAIL line"
    return None


def last_line(data):
    lines = data.decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else ""


def judge(stop, qemu, run):
    """Runs and judges one run; never raises for what the simulator does."""
    os.makedirs(run.out_dir, exist_ok=True)
    if run.test["check"] == "expect":
        try:
            run.expect_exit, run.expect_out = rvtest.expectations_from(run.test["expect_from"])
        except (OSError, ValueError) as e:
            return Result(run, "FAIL", "expect_from: %s" % e, 0.0, None,
                          "python3 regress/rvtest.py " + shlex.quote(run.test["elf"]))
    ex = simulate(stop, run)
    run.final_line = ex.final_line()
    execs = [(run.sim, ex)]
    ref = None
    if run.test["check"] == "qemu" and not ex.interrupted:
        ref = qemu.get(run.test["elf"], run.bootargs())
        execs.append(("qemu reference", ref))
    ex2 = None
    if run.test.get("repeat", 1) == 2 and not ex.interrupted:
        ex2 = simulate(stop, run, ".2")
        execs.append((run.sim + " (second run)", ex2))
    write_log(run, execs)
    secs = sum(e.secs for _, e in execs if e is not ref)
    cycles = ex.cycles()
    if any(e.interrupted for _, e in execs):
        return Result(run, "INTERRUPTED", "interrupted", secs, cycles)

    def fail(status, reason, reproduce, detail=""):
        return Result(run, status, reason, secs, cycles, reproduce, detail)

    bad = sim_verdict(run, ex)
    if bad:
        return fail(bad[0], bad[1], shlex.join(ex.cmd), tail(ex.out))
    if ref is not None:
        if ref.rc != 0 or guest_failed(ref.out):
            return fail("FAIL", "reference: QEMU %s" % ("timeout" if ref.rc is None else
                                                        "exit %d" % ref.rc),
                        shlex.join(ref.cmd), tail(ref.out))
        if ref.out != ex.out:
            diff = list(difflib.unified_diff(ref.out.decode(errors="replace").splitlines(),
                                             ex.out.decode(errors="replace").splitlines(),
                                             "qemu", run.sim, lineterm=""))
            with open(os.path.join(run.out_dir, "diff.txt"), "w", encoding="utf-8") as f:
                f.write("\n".join(diff) + "\n")
            return fail("FAIL", "console differs from QEMU (diff.txt)", runner_cmd(run),
                        "\n".join(diff[:DIFF_LINES]))
    if run.test["check"] == "expect" and run.expect_out and ex.out.decode(errors="replace") != \
            run.expect_out:
        return fail("FAIL", "stdout %r, want %r" % (ex.out.decode(errors="replace"),
                                                    run.expect_out), runner_cmd(run))
    if ex2 is not None:
        bad = sim_verdict(run, ex2)
        if bad:
            return fail(bad[0], "second run: " + bad[1], runner_cmd(run), tail(ex2.out))
        if ex2.out != ex.out:
            return fail("FAIL", "same seed, different console", runner_cmd(run))
        a = read_stats(os.path.join(run.out_dir, "stats.json"))
        b = read_stats(os.path.join(run.out_dir, "stats.2.json"))
        if a is None or b is None:
            return fail("FAIL", "a run wrote no readable stats JSON", runner_cmd(run))
        diffs = stats_differences(a, b)
        if diffs:
            return fail("FAIL", "same seed, different stats: " + "; ".join(diffs[:3]),
                        runner_cmd(run), "\n".join(diffs))
    if run.sim != "qemu" and not os.path.exists(os.path.join(run.out_dir, "stats.json")):
        return fail("FAIL", "no stats JSON written", shlex.join(ex.cmd))
    return Result(run, "PASS", "", secs, cycles)


def tail(data, n=5):
    return "\n".join(data.decode(errors="replace").splitlines()[-n:])
