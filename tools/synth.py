#!/usr/bin/env python3
"""synth.py: yosys synthesis of umbra_core with and without the GWB (Gwb=1/0): cells and flops per block.

Runs yosys's generic `synth` (no technology library: cells are yosys's internal
gates $_AND_, $_MUX_, $_DFF_* ...) on the core for each value of the Gwb
parameter, reads `stat -json`, counts for every block (module, times its
instances under umbra_core) its own cells and flip-flops, and prints one table
with both builds side by side, the difference and the GWB's share of the core.
The table also goes to BUILD/synth/report.txt. Exit status 0, or 1 with one
"synth: error: ..." line when yosys fails.

usage: synth.py [--build DIR] RTL_FILE...
"""
import argparse
import json
import os
import re
import subprocess
import sys

TOP = "umbra_core"


def run_yosys(build, files, gwb):
    """Synthesises TOP with Gwb=gwb; returns the parsed stat JSON."""
    out = os.path.join(build, "synth")
    os.makedirs(out, exist_ok=True)
    stat = os.path.join(out, "stat_gwb%d.json" % gwb)
    log = os.path.join(out, "yosys_gwb%d.log" % gwb)
    script = "\n".join([
        "read_verilog -sv -Irtl " + " ".join(files),
        "hierarchy -check -top %s -chparam Gwb %d" % (TOP, gwb),
        "synth -top %s" % TOP,
        "tee -q -o %s stat -json" % stat,
        "",
    ])
    path = os.path.join(out, "synth_gwb%d.ys" % gwb)
    with open(path, "w") as f:
        f.write(script)
    p = subprocess.run(["yosys", "-q", "-l", log, "-s", path],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        err = (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1]
        print("synth: error: yosys failed for Gwb=%d: %s (log: %s)" % (gwb, err, log), file=sys.stderr)
        sys.exit(1)
    with open(stat) as f:
        text = f.read()
    # yosys 0.23 writes the text hierarchy table into the JSON: keep JSON lines only.
    keep = [l for l in text.splitlines() if '"' in l or l.strip() in ("{", "}", "},", "]", "],")]
    return json.loads("\n".join(keep))


def base_name(mod):
    """'$paramod\\umbra_tlb\\Entries=...' -> 'umbra_tlb'; '\\umbra_alu' -> 'umbra_alu'."""
    m = re.match(r"^\$paramod\\([^\\]+)", mod)
    return m.group(1) if m else mod.lstrip("\\")


def is_flop(cell):
    return re.match(r"^\$_(S?DFF|DFFE|SDFFE|SDFFCE|ALDFF|DLATCH|SR)", cell) is not None


def blocks(stat):
    """{block: [instances, cells, flops]} over the hierarchy under TOP."""
    mods = stat["modules"]
    names = {base_name(m): m for m in mods}
    own = {}
    subs = {}
    for m, s in mods.items():
        cells = flops = 0
        children = {}
        for cell, n in s["num_cells_by_type"].items():
            key = cell if cell in mods else "\\" + cell if "\\" + cell in mods else None
            if key:
                children[key] = children.get(key, 0) + n
            else:
                cells += n
                flops += n if is_flop(cell) else 0
        own[m] = (cells, flops)
        subs[m] = children
    result = {}

    def walk(m, k):
        b = base_name(m)
        r = result.setdefault(b, [0, 0, 0])
        r[0] += k
        r[1] += k * own[m][0]
        r[2] += k * own[m][1]
        for c, n in subs[m].items():
            walk(c, k * n)

    walk(names[TOP], 1)
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    with_gwb = blocks(run_yosys(args.build, args.files, 1))
    without = blocks(run_yosys(args.build, args.files, 0))

    rows = []
    head = "%-18s %4s | %8s %7s | %8s %7s | %8s %7s" % (
        "block", "inst", "cells", "flops", "cells", "flops", "+cells", "+flops")
    rows.append("%-23s | %-16s | %-16s | %s" % ("", "Gwb=1 (default)", "Gwb=0", "GWB adds"))
    rows.append(head)
    rows.append("-" * len(head))
    tot1 = [0, 0]
    tot0 = [0, 0]
    for b in sorted(set(with_gwb) | set(without), key=lambda x: (x != TOP, x)):
        i1, c1, f1 = with_gwb.get(b, [0, 0, 0])
        _, c0, f0 = without.get(b, [0, 0, 0])
        tot1[0] += c1
        tot1[1] += f1
        tot0[0] += c0
        tot0[1] += f0
        rows.append("%-18s %4d | %8d %7d | %8d %7d | %+8d %+7d" % (b, i1, c1, f1, c0, f0, c1 - c0, f1 - f0))
    rows.append("-" * len(head))
    rows.append("%-18s %4s | %8d %7d | %8d %7d | %+8d %+7d" % (
        "total", "", tot1[0], tot1[1], tot0[0], tot0[1], tot1[0] - tot0[0], tot1[1] - tot0[1]))
    # The GWB is what the Gwb parameter changes: the blocks whose source takes it.
    # Other blocks are the same RTL in both builds; ABC's result for them still
    # moves with the order of the netlist it gets, which shows as noise.
    gwb = gwb_blocks(args.files)
    add = [sum(with_gwb.get(b, [0, 0, 0])[k] - without.get(b, [0, 0, 0])[k] for b in gwb) for k in (1, 2)]
    noise = ["%s %+d" % (b, with_gwb[b][1] - without.get(b, [0, 0, 0])[1]) for b in sorted(with_gwb)
             if b not in gwb and with_gwb[b][1] != without.get(b, [0, 0, 0])[1]]
    rows.append("GWB (blocks with the Gwb parameter: %s): +%d cells, +%d flops" % (", ".join(sorted(gwb)), add[0], add[1]))
    rows.append("GWB share of the core (Gwb=1): %.1f%% of cells, %.1f%% of flops" % (
        100.0 * add[0] / tot1[0], 100.0 * add[1] / tot1[1]))
    if noise:
        rows.append("synthesis noise in blocks without the parameter (same RTL, ABC netlist order): " +
                    ", ".join(noise) + " cells")
    rows.append("(yosys %s generic synth of %s; cells are yosys gates, flops included; "
                "each block counted once per instance)" % (yosys_version(), TOP))
    report = "\n".join(rows)
    print(report)
    with open(os.path.join(args.build, "synth", "report.txt"), "w") as f:
        f.write(report + "\n")
    return 0


def gwb_blocks(files):
    """Modules whose source declares the Gwb (or the TLB's Traced) parameter."""
    found = set()
    for path in files:
        with open(path) as f:
            text = f.read()
        m = re.search(r"^module\s+(\w+)", text, re.M)
        if m and re.search(r"parameter\s+bit\s+(Gwb|Traced)\b", text):
            found.add(m.group(1))
    return found


def yosys_version():
    p = subprocess.run(["yosys", "-V"], stdout=subprocess.PIPE, text=True)
    m = re.search(r"Yosys (\S+)", p.stdout)
    return m.group(1) if m else "?"


if __name__ == "__main__":
    sys.exit(main())
