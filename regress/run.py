#!/usr/bin/env python3
"""run.py: runs a regression list (make regress LIST=quick|full JOBS=n SEEDS=n SEED=n WAVES=1).

Every test of the list runs in each of its configurations with each seed, JOBS at a time,
each under a time limit, in its own directory regress/out/<list>/<test>.<config>.<seed>/
(log.txt, console.txt, stats.json). Then: a summary table (test, config, seed, result,
cycles, wall time), for each failure its reason, log and the one command that reproduces it,
regress/out/junit.xml, and the last line "N passed, N failed". --waves reruns each failed
build/umbra run with an FST trace of the cycles before its end. Ctrl-C stops the runs in
flight and reports what finished and what did not run. regress/README.md has the details.

Exit status: 0 all passed, 1 a run failed, 2 bad input, 130 interrupted.
"""

import argparse
import fnmatch
import os
import queue
import random
import shlex
import shutil
import signal
import sys
import threading
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import job  # noqa: E402
import report  # noqa: E402
import rlist  # noqa: E402

WAVES_WINDOW = 2000   # cycles traced before a failing run's last cycle
GTKW = "waves/pipeline.gtkw"


def error(msg):
    print("regress: error: %s" % msg, file=sys.stderr)
    return 2


def positive(text):
    try:
        v = int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not an integer" % text)
    if v < 1:
        raise argparse.ArgumentTypeError("%s must be at least 1" % text)
    return v


def seed_value(text):
    try:
        v = int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not an integer" % text)
    if not 0 <= v < 1 << 64:
        raise argparse.ArgumentTypeError("%s is not a 64-bit unsigned seed" % text)
    return v


class ArgParser(argparse.ArgumentParser):
    def error(self, message):
        print("regress: error: %s (run.py --help)" % message, file=sys.stderr)
        sys.exit(2)


def parse_args(argv):
    ap = ArgParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", default="quick",
                    help="list name (regress/lists/NAME.toml) or path (default quick)")
    ap.add_argument("--jobs", type=positive, default=2, help="runs in parallel (default 2)")
    seeds = ap.add_mutually_exclusive_group()
    seeds.add_argument("--seeds", type=positive, metavar="N",
                       help="draw N random seeds (printed) and run every test with each")
    seeds.add_argument("--seed", type=seed_value, metavar="N",
                       help="run every test with this one seed")
    ap.add_argument("--only", metavar="PAT[,PAT]",
                    help="only runs whose test, test.config or test.config.seed matches a "
                         "glob pattern")
    ap.add_argument("--out", default="regress/out", help="output root (default regress/out)")
    ap.add_argument("--waves", action="store_true",
                    help="rerun failed build/umbra runs with an FST trace of their last cycles")
    ap.add_argument("--waves-window", type=positive, default=WAVES_WINDOW, metavar="N",
                    help="cycles traced before the failing cycle (default %d)" % WAVES_WINDOW)
    return ap.parse_args(argv)


def selected(runs, only):
    if not only:
        return runs
    pats = [p for p in only.split(",") if p]
    keep = []
    for run in runs:
        names = (run.test["name"], "%s.%s" % (run.test["name"], run.config["name"]), run.id)
        if any(fnmatch.fnmatchcase(n, p) for p in pats for n in names):
            keep.append(run)
    return keep


def worker(todo, done, stop, qemu):
    while not stop.event.is_set():
        try:
            run = todo.get_nowait()
        except queue.Empty:
            return
        try:
            res = job.judge(stop, qemu, run)
        except Exception:  # a runner bug must not hang or hide the other runs
            res = job.Result(run, "FAIL", "runner error: " +
                             traceback.format_exc().strip().splitlines()[-1], 0.0, None,
                             job.runner_cmd(run), traceback.format_exc())
        done.put(res)


def progress(res):
    cycles = "" if res.cycles is None else " cycles=%d" % res.cycles
    why = "" if res.status == "PASS" else " (%s)" % res.reason
    print("%s %s%s %.2fs%s" % (res.status, res.run.id, cycles, res.secs, why), flush=True)


def waves(res, stop, window):
    """Reruns a failed run with --trace around its last cycle; returns the lines to print."""
    run = res.run
    if run.sim != "umbra":
        return ["waves: none, only build/umbra writes waveforms (this run is on %s)" % run.sim]
    if res.cycles is None:
        return ["waves: none, the run has no final line (no failing cycle known)"]
    fst = os.path.join(run.out_dir, "fail.fst")
    start = max(0, res.cycles - window)
    cmd = job.sim_cmd(run)
    cmd = cmd[:-1] + ["--trace", fst, "--trace-start", str(start),
                      "--trace-end", str(res.cycles + 1), cmd[-1]]
    ex = job.execute(stop, cmd, 2 * run.setting("timeout", 60))
    with open(os.path.join(run.out_dir, "waves.log"), "wb") as f:
        f.write(("$ %s\n" % shlex.join(cmd)).encode() + ex.err)
    if ex.interrupted:
        return ["waves: interrupted"]
    if not os.path.isfile(fst) or os.path.getsize(fst) == 0:
        return ["waves: the traced rerun wrote no %s (%s)" % (fst, job.last_line(ex.err))]
    lines = ["waves: %s (cycles %d..%d)" % (fst, start, res.cycles),
             "gtkwave: gtkwave %s %s" % (shlex.quote(fst), GTKW)]
    if ex.final_line() != run.final_line:
        lines.append("waves: note: the traced rerun ended differently: %s" % ex.final_line())
    return lines


def interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv):
    # Ctrl-C and a CI's SIGTERM both end the regression with a report of what finished (also
    # when the runner was started with SIGINT ignored, as a background job is).
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    args = parse_args(argv)
    path = rlist.list_path(args.list)
    list_name = os.path.splitext(os.path.basename(path))[0]
    seeds = None
    if args.seeds:
        rng = random.SystemRandom()
        seeds = [rng.randrange(1, 1 << 32) for _ in range(args.seeds)]
        print("seeds: %s  (rerun one with SEED=n, or --seed n)" % " ".join(map(str, seeds)))
    elif args.seed is not None:
        seeds = [args.seed]
    try:
        runs = rlist.expand(path, seeds)
    except rlist.ListError as e:
        return error(str(e))
    runs = selected(runs, args.only)
    if not runs:
        return error("--only %s matches no run of %s" % (args.only, path))
    for sim in sorted({r.sim for r in runs} - {"qemu"}):
        if not os.access(job.SIMS[sim], os.X_OK):
            return error("%s is missing or not executable (make build)" % job.SIMS[sim])
    if any(r.sim == "qemu" or r.test["check"] == "qemu" for r in runs) and \
            not shutil.which("qemu-system-riscv32"):
        return error("qemu-system-riscv32 is not installed (make deps)")

    list_dir = os.path.join(args.out, list_name)
    if not args.only and os.path.isdir(list_dir):
        shutil.rmtree(list_dir)
    for i, run in enumerate(runs):
        run.order = i
        run.list_name = args.list
        run.out_dir = os.path.join(list_dir, run.id)
        shutil.rmtree(run.out_dir, ignore_errors=True)
    print("regress %s: %d runs, %d at a time, output in %s/" % (path, len(runs), args.jobs,
                                                               list_dir), flush=True)

    stop = job.Stop()
    qemu = job.QemuReference(stop, list_dir, max(r.setting("timeout", 60) for r in runs))
    todo, done = queue.Queue(), queue.Queue()
    for run in runs:
        todo.put(run)
    threads = [threading.Thread(target=worker, args=(todo, done, stop, qemu), daemon=True)
               for _ in range(min(args.jobs, len(runs)))]
    for t in threads:
        t.start()
    results, interrupted = [], False
    try:
        while len(results) < len(runs):
            try:
                res = done.get(timeout=0.2)
            except queue.Empty:
                if not any(t.is_alive() for t in threads) and done.empty():
                    break
                continue
            results.append(res)
            progress(res)
    except KeyboardInterrupt:
        interrupted = True
        signal.signal(signal.SIGINT, signal.SIG_IGN)   # the report below must get written
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("\nregress: interrupted: stopping the runs in flight", flush=True)
        stop.stop()
        for t in threads:
            t.join()
        while not done.empty():
            results.append(done.get())

    finished = sorted((r for r in results if r.status != "INTERRUPTED"), key=lambda r: r.run.order)
    ids = {r.run.id for r in finished}
    not_run = [run for run in runs if run.id not in ids]
    if args.waves and not interrupted:
        try:
            for res in finished:
                if res.status != "PASS":
                    res.waves = waves(res, stop, args.waves_window)
        except KeyboardInterrupt:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            stop.stop()
            print("\nregress: interrupted while tracing failed runs: the summary follows")

    print("\n=== regress %s: summary" % list_name)
    passed, failed = report.summary(finished, not_run)
    junit = os.path.join(args.out, "junit.xml")
    report.junit(junit, list_name, finished, not_run, seeds)
    report.junit(os.path.join(list_dir, "junit.xml"), list_name, finished, not_run, seeds)
    print("junit: %s (and %s/junit.xml)" % (junit, list_dir))
    if interrupted:
        print("regress: interrupted: %d of %d runs finished, %d did not run"
              % (len(finished), len(runs), len(not_run)))
    print("%d passed, %d failed" % (passed, failed))
    if interrupted:
        return 130
    return 1 if failed or not_run else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
