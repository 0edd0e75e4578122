#!/usr/bin/env python3
"""coverage.py: make coverage: runs the test programs on the coverage build and merges the result.

Runs every directed test and riscv-tests convention program (build/fw/tests,
build/fw/rvtest) and the boot image in each pt= mode (build/boot.elf) on build/cov/umbra (Verilator line, toggle and user coverage,
plus the functional cover points of testbench/umbra_cover.sv), one coverage
file per run, then:

  build/cov/merged.dat        verilator_coverage's merge of all runs
  build/cov/coverage.info     the same as lcov tracefile
  build/cov/html/index.html   genhtml's report (line and toggle points per source line)
  build/cov/summary.json      points and hits per kind, every cover point with its count
  build/cov/summary.md        the same for humans and for the design-review report

Interrupt delivery reasons (immediate, maturity, safepoint-idle, safepoint-poll, rejected) are
software events of the hypervisor, not RTL states: they are counted from the event logs
(umbra_iolog) of the coverage runs, which the harness reads into each run's --stats JSON as
io.log.<reason>, and listed beside the RTL's cover points as io.delivery.<reason>.

usage: coverage.py [--sim BIN] [--jobs N] [--out DIR] [ELF...]
"""
import argparse
import concurrent.futures
import glob
import json
import os
import re
import shutil
import subprocess
import sys

FIELD = re.compile(r"\x01([^\x02]+)\x02([^\x01]*)")


def parse_dat(path):
    """Yields (fields dict, count) for each point of a verilator_coverage .dat file."""
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.startswith("C '"):
                continue
            body, _, count = line.rstrip("\n").rpartition("' ")
            fields = dict(FIELD.findall("\x01" + body[3:]))
            yield fields, int(count)


def kind_of(fields):
    page = fields.get("page", "")
    return page.split("/")[0].replace("v_", "") or "other"


def summarize(merged):
    kinds, user = {}, []
    for fields, count in parse_dat(merged):
        k = kind_of(fields)
        pts, hit = kinds.get(k, (0, 0))
        kinds[k] = (pts + 1, hit + (count > 0))
        if k == "user":
            name = fields.get("h", fields.get("o", "?")).replace("umbra.umbra_soc.", "")
            user.append({"point": name, "count": count})
    user.sort(key=lambda p: p["point"])
    return {"kinds": {k: {"points": p, "hit": h, "percent": round(100.0 * h / p, 1) if p else 0.0}
                      for k, (p, h) in sorted(kinds.items())},
            "cover_points": user}


def write_md(summary, runs, path):
    lines = ["# Coverage of the quick test set", "",
             f"{runs} runs of build/cov/umbra (directed tests, riscv-tests convention programs, the boot image in each pt= mode).",
             "", "| kind | points | hit | % |", "|---|---:|---:|---:|"]
    for k, v in summary["kinds"].items():
        lines.append(f"| {k} | {v['points']} | {v['hit']} | {v['percent']} |")
    miss = [p for p in summary["cover_points"] if p["count"] == 0]
    lines += ["", f"Functional cover points (testbench/umbra_cover.sv, and the interrupt delivery "
              f"reasons io.delivery.*, software events counted from the runs' umbra_iolog event logs): "
              f"{len(summary['cover_points']) - len(miss)} of {len(summary['cover_points'])} hit.", "",
              "| cover point | hits |", "|---|---:|"]
    for p in summary["cover_points"]:
        lines.append(f"| {p['point']} | {p['count']} |")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


# The boot image in each coherence mode: the hypervisor's exits (traps to M from the guest)
# by reason, hidden faults, GWB appends, drains and a full log.
BOOT_RUNS = ["pt=native work=pgfault n=16", "pt=wp work=ptemod n=16 batch=4",
             "pt=oos work=forkwait n=2", "pt=gwb gwbcap=2 work=ptemod n=24 batch=8"]
# The disk workloads under each delivery policy: every delivery reason of the event log.
IO_RUNS = ["pt=gwb irq=immediate work=diskseq n=4", "pt=gwb irq=nominal work=diskrand n=4",
           "pt=gwb irq=mature safepoint=idle work=diskseq n=4",
           "pt=native irq=mature safepoint=poll work=diskbad"]   # poll deliveries and refusals
REASONS = ["immediate", "maturity", "safepoint-idle", "safepoint-poll", "rejected"]


def run_one(sim, job, datdir, n):
    elf, bootargs = job
    env = dict(os.environ, UMBRA_COVERAGE_DIR=datdir)
    stats = os.path.join(datdir, "..", "stats", "%03d.json" % n)
    cmd = [sim, "--quiet", "--max-cycles", "60000000", "--stats", stats]
    if bootargs:
        cmd += ["--bootargs", bootargs]
    p = subprocess.run(cmd + [elf], env=env, capture_output=True, text=True, timeout=900)
    last = p.stderr.strip().splitlines()[-1:] or ["(no output)"]
    return elf, p.returncode, last[0] + (f"  [{bootargs}]" if bootargs else "")


def delivery_points(statsdir):
    """io.delivery.<reason>: deliveries by reason summed over the runs' event logs."""
    counts = {r: 0 for r in REASONS}
    for path in sorted(glob.glob(os.path.join(statsdir, "*.json"))):
        with open(path, encoding="utf-8") as f:
            st = json.load(f)
        for r in REASONS:
            counts[r] += st.get("io.log." + r, 0)
    return [{"point": "io.delivery." + r + " (event log)", "count": c} for r, c in counts.items()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sim", default="build/cov/umbra", help="coverage build (default %(default)s)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", default="build/cov", help="output directory (default %(default)s)")
    ap.add_argument("elfs", nargs="*", metavar="ELF",
                    help="programs (default: build/fw/tests/*.elf build/fw/rvtest/*.elf)")
    args = ap.parse_args()
    if args.jobs < 1:
        ap.error("--jobs must be at least 1")
    if not os.access(args.sim, os.X_OK):
        sys.exit(f"coverage: {args.sim} is not built (make coverage builds it)")
    for tool in ("verilator_coverage", "genhtml"):
        if not shutil.which(tool):
            sys.exit(f"coverage: {tool} is missing (make deps installs it)")
    jobs = [(e, None) for e in (args.elfs or sorted(glob.glob("build/fw/tests/*.elf") +
                                                   glob.glob("build/fw/rvtest/*.elf")))]
    if not args.elfs and os.path.exists("build/boot.elf"):
        jobs += [("build/boot.elf", b) for b in BOOT_RUNS + IO_RUNS]
    elfs = [e for e, _ in jobs]
    if not elfs:
        sys.exit("coverage: no programs to run (make build first)")
    missing = [e for e in elfs if not os.path.exists(e)]
    if missing:
        sys.exit(f"coverage: no such program: {missing[0]}")

    datdir = os.path.join(args.out, "dat")
    statsdir = os.path.join(args.out, "stats")
    for d in (datdir, statsdir):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    bad = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for i, (elf, rc, last) in enumerate(pool.map(lambda nj: run_one(args.sim, nj[1], os.path.abspath(datdir), nj[0]),
                                                     enumerate(jobs)), 1):
            expected_fail = "fail" in os.path.basename(elf)
            ok = (rc != 0) if expected_fail else (rc == 0)
            bad += not ok
            print(f"coverage: [{i}/{len(elfs)}] {'ok  ' if ok else 'FAIL'} {last}", flush=True)
    dats = sorted(glob.glob(os.path.join(datdir, "*.dat")))
    if len(dats) != len(elfs):
        sys.exit(f"coverage: {len(dats)} coverage files for {len(elfs)} runs")

    merged = os.path.join(args.out, "merged.dat")
    info = os.path.join(args.out, "coverage.info")
    subprocess.run(["verilator_coverage", "--write", merged] + dats, check=True)
    subprocess.run(["verilator_coverage", "--write-info", info, merged], check=True)
    html = os.path.join(args.out, "html")
    shutil.rmtree(html, ignore_errors=True)
    subprocess.run(["genhtml", "--quiet", "--output-directory", html, "--title", "umbra RTL coverage",
                    info], check=True)
    summary = summarize(merged)
    summary["cover_points"] += delivery_points(statsdir)
    summary["runs"] = len(elfs)
    with open(os.path.join(args.out, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
    write_md(summary, len(elfs), os.path.join(args.out, "summary.md"))
    for k, v in summary["kinds"].items():
        print(f"coverage: {k:7} {v['hit']:6} of {v['points']:6} points hit ({v['percent']}%)")
    cp = summary["cover_points"]
    print(f"coverage: cover points {sum(p['count'] > 0 for p in cp)} of {len(cp)} hit; "
          f"report {html}/index.html, summary {args.out}/summary.md")
    index = os.path.join(html, "index.html")
    lacking = [k for k in ("line", "toggle", "user") if not summary["kinds"].get(k, {}).get("points")]
    if not os.path.getsize(index) or lacking:
        print(f"coverage: incomplete result: {index} empty or no {'/'.join(lacking)} points",
              file=sys.stderr)
        return 1
    if bad:
        print(f"coverage: {bad} run(s) did not end as expected", file=sys.stderr)
        return 1
    print(f"coverage: {len(elfs)} runs, {len(dats)} coverage files merged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
