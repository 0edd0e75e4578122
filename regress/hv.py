#!/usr/bin/env python3
"""hv.py: the hypervisor suite: build/boot.elf, workloads x pt= modes with audit=1 on
build/umbra-iss and build/umbra (in lockstep), the same image on QEMU, and the bad-input cases;
the disk workloads (docs/io.md) x irq= policies, their io.* accounting, legacy's lost
completions, the bad-command self-test and the disk image afterwards.

Each case prints 'PASS name' or 'FAIL name: why' plus the command that reproduces it;
the last line is 'N passed, N failed'.

usage: hv.py [--sims iss,umbra,qemu] [--jobs N] [--elf build/boot.elf]
"""
import argparse
import concurrent.futures as cf
import json
import os
import shlex
import subprocess
import sys
import tempfile

QEMU_CPU = ("rv32,a=off,c=off,f=off,d=off,h=off,zba=off,zbb=off,zbc=off,zbs=off,"
            "sstc=off")
# small sizes: the whole suite stays well under 3 minutes on 2 cores
WORKS = ["ptemod n=32 batch=4", "pgfault n=16", "forkwait n=3", "compute n=3"]
# tick= cases: the guest's periodic timer while processes run (interrupts under shadow paging)
MODES = ["native", "wp", "oos", "gwb"]
NO_GWB = "no GWB on this machine"
# the disk workloads, small: each under every irq= policy (docs/io.md §2, §6)
DISK_WORKS = ["diskseq n=4", "diskrand n=4", "legacy n=4", "diskbad", "mix n=2"]
POLICIES = ["immediate", "nominal", "mature"]
# legacy's window W=5000 exceeds the host disk's latency for 4 KiB (about 2,500-3,000 cycles),
# and stays below the shortest nominal latency with the default dseek/drot/dxfer (6,200)
DISKBAD_REJECTED = 15
IMG_MB = 64


class Case:
    def __init__(self, name, cmd, check, stats=None):
        self.name, self.cmd, self.check, self.stats = name, cmd, check, stats


def sim_cmd(sim, bootargs, elf, stats, disk=None):
    """build/umbra runs in lockstep: the reference model checks every retirement and GWB record."""
    lock = ["--lockstep"] if os.path.basename(sim) == "umbra" else []
    img = ["--disk", disk] if disk else []
    return [sim, "--quiet"] + lock + img + ["--max-cycles", "60000000", "--stats", stats,
                                            "--bootargs", bootargs, elf]


def qemu_cmd(bootargs, elf, disk=None):
    img = ["-drive", "file=%s,if=none,format=raw,id=d0" % disk, "-device",
           "virtio-blk-device,drive=d0", "-global", "virtio-mmio.force-legacy=false"] if disk else []
    return ["qemu-system-riscv32", "-machine", "virt", "-bios", "none", "-m", "128M",
            "-cpu", QEMU_CPU, "-kernel", elf, "-append", bootargs, "-nographic",
            "-monitor", "none", "-serial", "stdio"] + img


def zero_image(path):
    with open(path, "wb") as f:
        f.truncate(IMG_MB << 20)


def arg(bootargs, key, default=None):
    for a in bootargs.split():
        if a.startswith(key + "="):
            return a.split("=", 1)[1]
    return default


def mode_of(bootargs):
    return [a.split("=", 1)[1] for a in bootargs.split() if a.startswith("pt=")][0]


def expect_pass(bootargs):
    """A workload run: exit 0, the guest's PASS, the summary, the stats of its mode."""
    work = [a.split("=", 1)[1] for a in bootargs.split() if a.startswith("work=")][0]
    mode = mode_of(bootargs)

    def check(rc, out, st):
        if rc != 0:
            return "exit %s" % rc
        if "guest: PASS" not in out:
            return "no 'guest: PASS' on the console"
        if "hv: summary:" not in out:
            return "no hypervisor summary on the console"
        if st is None:
            return None
        for key in ("hv.exits.sbi.count", "work.cycles_per_iter", "work.pass"):
            if key not in st:
                return "stats lack %s" % key
        if st["work.pass"] != 1 or st["work.cycles_per_iter"] <= 0:
            return "work.pass/work.cycles_per_iter wrong in the stats"
        if mode != "native":
            if st.get("hv.audits", 0) == 0:
                return "audit=1 but no audit ran"
            if st.get("hv.exits.satp.count", 0) == 0:
                return "no satp exit: the guest's paging was not virtualized"
        if mode == "gwb" and (st.get("hv.gwb.hw_appends") != st.get("hv.gwb.appends") or
                              st.get("hv.gwb.hw_full") != st.get("hv.gwb.full")):
            return "drained records %s / full traps %s differ from mhpmcounter6/7 %s / %s" % (
                st.get("hv.gwb.appends"), st.get("hv.gwb.full"), st.get("hv.gwb.hw_appends"),
                st.get("hv.gwb.hw_full"))
        if mode == "gwb" and "rtl.gwb_appends" in st and (
                st["rtl.gwb_appends"] != st.get("hv.gwb.appends") or
                st["rtl.gwb_full"] != st.get("hv.gwb.full")):
            return "RTL perf events: %s appends / %s full, the hypervisor drained %s / took %s" % (
                st["rtl.gwb_appends"], st["rtl.gwb_full"], st.get("hv.gwb.appends"),
                st.get("hv.gwb.full"))
        if work == "ptemod":
            want = {"wp": "hv.pte_emulations", "oos": "hv.resyncs", "gwb": "hv.gwb.appends"}
            if mode in want and st.get(want[mode], 0) == 0:
                return "%s is 0 for ptemod in pt=%s" % (want[mode], mode)
            if mode == "gwb" and st.get("hv.gwb.drains", 0) == 0:
                return "hv.gwb.drains is 0"
            if mode == "gwb" and st.get("hv.pte_emulations", 0) != 0:
                return "pt=gwb emulated PTE writes"
        return None
    return check


def expect_full(bootargs):
    """A log of two entries: GWB-full traps happen, each drains and re-executes the store."""
    ok = expect_pass(bootargs)

    def check(rc, out, st):
        why = ok(rc, out, st)
        if why is None and (st or {}).get("hv.gwb.full", 0) == 0:
            why = "hv.gwb.full is 0 with gwbcap=2"
        if why is None and st.get("hv.exits.gwb_full.count", 0) != st["hv.gwb.full"]:
            why = "hv.exits.gwb_full.count != hv.gwb.full"
        return why
    return check


def expect_ticks(bootargs):
    """Periodic guest timer interrupts (tick=) arriving in U-mode while the shadow works."""
    ok = expect_pass(bootargs)

    def check(rc, out, st):
        why = ok(rc, out, st)
        if why is None and st is not None and st.get("work.timer_ticks", 0) < 3:
            why = "work.timer_ticks %s: the periodic tick did not arrive" % st.get("work.timer_ticks")
        if why is None and st is not None and st.get("hv.exits.timer.count", 0) < 3 and "native" not in bootargs:
            why = "hv.exits.timer.count below 3"
        return why
    return check


def expect_io(bootargs, image=None):
    """A disk workload (docs/io.md): PASS, and the io.* accounting of its irq= policy."""
    work, policy = arg(bootargs, "work"), arg(bootargs, "irq", "mature")
    safepoints = arg(bootargs, "safepoint", "idle").split(",")
    ok = expect_pass(bootargs)

    def check(rc, out, st):
        why = ok(rc, out, st)
        if why is None and image is not None:
            # the image afterwards: every written sector holds the pattern, the rest is zero
            import io_image
            why = io_image.check(image, work, int(arg(bootargs, "n", 64)), int(arg(bootargs, "sectors", 8)),
                                 int(arg(bootargs, "dseed", 1)))
        if why is None and image is not None:
            # and the check can fail: one flipped byte in a copy is found in its sector
            import io_image
            import shutil
            bad = image + ".flipped"
            shutil.copyfile(image, bad)
            lba = int(arg(bootargs, "n", 64)) // 2 * int(arg(bootargs, "sectors", 8)) \
                if work == "diskseq" else io_image.written_lbas(work, 2, int(arg(bootargs, "sectors", 8)),
                                                                 int(arg(bootargs, "dseed", 1)), (IMG_MB << 20) // 512)[1]
            with open(bad, "r+b") as f:
                f.seek(lba * 512 + 37)
                b = f.read(1)
                f.seek(lba * 512 + 37)
                f.write(bytes([b[0] ^ 0x10]))
            found = io_image.check(bad, work, int(arg(bootargs, "n", 64)), int(arg(bootargs, "sectors", 8)),
                                   int(arg(bootargs, "dseed", 1)))
            os.unlink(bad)
            if found is None or ("sector %d " % lba) not in found:
                why = "io_image.check() missed a flipped byte in sector %d (%s)" % (lba, found)
        if why is not None or st is None:
            return why
        req, done = st.get("io.requests", -1), st.get("io.completions", -2)
        # build/umbra's completion-delivery checker (on by default) saw every record
        if st.get("model") != "iss" and (st.get("iocheck.violations") != 0 or
                                         st.get("iocheck.records_checked") != req + st.get("io.rejected", 0)):
            return "iocheck: %s of %s records checked, %s violations" % (
                st.get("iocheck.records_checked"), req + st.get("io.rejected", 0), st.get("iocheck.violations"))
        if req != done or req <= 0:
            return "io.requests %s != io.completions %s" % (req, done)
        parts = ["io.delivered_immediate", "io.delivered_mature", "io.delivered_safepoint"]
        if sum(st.get(k, 0) for k in parts) != done:
            return "deliveries %s do not sum to io.completions %s" % ([st.get(k) for k in parts], done)
        if st.get("io.delivered_safepoint_idle", 0) + st.get("io.delivered_safepoint_poll", 0) != \
                st.get("io.delivered_safepoint", 0):
            return "io.delivered_safepoint != idle + poll"
        if policy == "immediate" and st.get("io.delivered_immediate") != done:
            return "irq=immediate delivered %s of %s immediately" % (st.get("io.delivered_immediate"), done)
        if policy == "nominal" and st.get("io.delivered_mature") != done:
            return "irq=nominal delivered %s of %s at maturity" % (st.get("io.delivered_mature"), done)
        if policy == "mature" and "idle" in safepoints and work in ("diskseq", "diskrand", "legacy") and \
                st.get("io.delivered_safepoint_idle", 0) == 0:
            return "irq=mature safepoint=idle: no completion delivered at an idle safepoint"
        hist = sum(v for k, v in st.items() if k.startswith("io.latency_hist."))
        if hist != done:
            return "io.latency_hist.* holds %s requests, io.completions %s" % (hist, done)
        lost = st.get("io.lost_completions", -1)
        if work == "legacy":
            if st.get("work.lost_completions") != lost:
                return "work.lost_completions %s != io.lost_completions %s" % (
                    st.get("work.lost_completions"), lost)
            window = int(arg(bootargs, "W", 5000))
            if policy == "immediate" and window >= 4000 and lost != st.get("work.ops"):
                return "legacy under irq=immediate, W=%d above the host latency: %s of %s lost" % (
                    window, lost, st.get("work.ops"))
            if policy == "immediate" and window <= 1000 and lost != 0:
                return "legacy under irq=immediate, W=%d below the host latency, lost %s" % (window, lost)
            if policy != "immediate" and lost != 0:
                return "legacy under irq=%s lost %s completions" % (policy, lost)
        elif lost != 0:
            return "io.lost_completions %s outside legacy" % lost
        if work == "diskbad":
            if st.get("io.rejected") != DISKBAD_REJECTED:
                return "io.rejected %s, the self-test makes %d bad commands" % (st.get("io.rejected"),
                                                                               DISKBAD_REJECTED)
        else:
            if st.get("io.rejected", 0) != 0:
                return "io.rejected %s in a workload of good commands" % st.get("io.rejected")
            if st.get("work.ops", 0) <= 0 or st.get("work.ops_per_sec", 0) <= 0:
                return "work.ops / work.ops_per_sec missing"
            if work in ("diskseq", "diskrand", "legacy") and \
                    st.get("work.bytes") != st["work.ops"] * 512 * int(arg(bootargs, "sectors", 8)):
                return "work.bytes %s != work.ops x request bytes" % st.get("work.bytes")
        return None
    return check


def expect_qemu_io(bootargs):
    """QEMU has no timing: pass/fail and the guest's own checks only."""
    ok = expect_pass(bootargs)

    def check(rc, out, st):
        why = ok(rc, out, st)
        if why is None and arg(bootargs, "work") in ("diskseq", "diskrand", "legacy") and \
                " requests, " not in out:
            why = "no request count on the console"
        return why
    return check


def expect_stress(bootargs, n):
    """work=stress: every op ran, its checks ran and faulted where they must, tables were freed
    and their frames came back as data, and the mode's own coherence work happened."""
    ok = expect_pass(bootargs)
    mode = mode_of(bootargs)
    own = {"wp": "hv.pte_emulations", "oos": "hv.resyncs", "gwb": "hv.gwb.appends"}

    def check(rc, out, st):
        why = ok(rc, out, st)
        if why is not None or st is None:
            return why
        for key in ("work.checks", "work.faults_expected", "work.flushes", "work.switches",
                    "work.tables_freed", "work.ptframes_as_data", "work.pte_writes"):
            if st.get(key, 0) <= 0:
                return "%s is %s" % (key, st.get(key))
        if st.get("work.ops") != n:
            return "work.ops is %s, want %d" % (st.get("work.ops"), n)
        if st["work.faults_expected"] >= st["work.checks"]:
            return "every check faulted: nothing was read through a mapping"
        if mode in own and st.get(own[mode], 0) == 0:
            return "%s is 0 for stress in pt=%s" % (own[mode], mode)
        return None
    return check


def expect_audit_trip(nth):
    """audit_selftest=N: the N-th audit (under the stress once N is past the boot's) stops the run."""
    fail = expect_fail(5, "hv: error: audit: spte disagrees with its gpte")

    def check(rc, out, st):
        why = fail(rc, out, st)
        began = out.find("guest: stress: sseed=")
        if why is None and nth > 1 and not 0 <= began < out.find("hv: error: audit"):
            why = "the audit stopped the run before the stress began"
        return why
    return check


def stress_cases(args, tmp, sims):
    """work=stress (firmware/guest/stress.c): random maps/remaps/unmaps/table frees/switches,
    checked after every fence; its self-test (a skipped sfence.vma) and the audit's must fail."""
    out = []
    n = 200
    runs = [("iss", m) for m in MODES] + [("umbra", "gwb")]
    for s, m in runs:
        if s not in args.sims:
            continue
        ba = "pt=%s audit=1 work=stress n=%d sseed=%d" % (m, n, 5 + len(out))
        st = os.path.join(tmp, "stress-%s-%s.json" % (s, m))
        out.append(Case("%s %s" % (s, ba), sim_cmd(sims[s], ba, args.elf, st), expect_stress(ba, n), st))
    stale = "stale translation: the load reads another frame's word"
    if "iss" in args.sims:
        bad = [
            ("pt=wp work=stress n=0", expect_fail(3, "guest: FAIL n= takes")),
            ("pt=oos work=stress sseed=12ab", expect_fail(3, "guest: FAIL sseed= takes a number")),
            ("pt=native work=stress stress_selftest=2", expect_fail(3, "guest: FAIL stress_selftest= takes 0 or 1")),
            # the workload's own check is not vacuous: one skipped sfence.vma is caught where
            # the old translation survives it (the TLB natively, the shadow in oos and gwb)
            ("pt=native work=stress n=100 stress_selftest=1", expect_fail(3, stale)),
            ("pt=oos audit=1 work=stress n=100 stress_selftest=1", expect_fail(3, stale)),
            ("pt=gwb audit=1 work=stress n=100 stress_selftest=1", expect_fail(3, stale)),
            # and the audit still stops a corrupted shadow in the middle of the stress
            ("pt=gwb audit=1 audit_selftest=30 work=stress n=100", expect_audit_trip(30)),
            ("pt=wp audit=1 audit_selftest=30 work=stress n=100", expect_audit_trip(30)),
            ("pt=oos audit=1 audit_selftest=1 work=stress n=100", expect_audit_trip(1)),
            ("pt=oos audit=1 audit_selftest=x work=stress",
             expect_fail(2, "hv: error: audit_selftest= takes 0, or N")),
        ]
        for ba, chk in bad:
            st = os.path.join(tmp, "stress-bad-%d.json" % len(out))
            out.append(Case("iss %s" % ba, sim_cmd(sims["iss"], ba, args.elf, st), chk, st))
    if "umbra" in args.sims:
        ba = "pt=native work=stress n=100 stress_selftest=1"
        st = os.path.join(tmp, "stress-umbra-selftest.json")
        out.append(Case("umbra %s" % ba, sim_cmd(sims["umbra"], ba, args.elf, st), expect_fail(3, stale), st))
    if "qemu" in args.sims:
        for m in ("native", "wp", "oos"):
            ba = "pt=%s audit=1 work=stress n=%d sseed=9" % (m, n)
            out.append(Case("qemu %s" % ba, qemu_cmd(ba, args.elf), expect_pass(ba)))
        ba = "pt=native work=stress n=100 stress_selftest=1"
        out.append(Case("qemu %s" % ba, qemu_cmd(ba, args.elf), expect_fail(3, stale)))
    return out


def expect_fail(code, text):
    def check(rc, out, st):
        if rc != code:
            return "exit %s, expected %d" % (rc, code)
        if text not in out:
            return "console lacks %r" % text
        return None
    return check


def cases(args, tmp):
    out = []
    sims = {"iss": "build/umbra-iss", "umbra": "build/umbra"}
    for s in args.sims:
        if s not in sims:
            continue
        for w in WORKS:
            for m in MODES:
                ba = "pt=%s audit=1 work=%s" % (m, w)
                st = os.path.join(tmp, "%s-%s-%s.json" % (s, m, w.split()[0]))
                out.append(Case("%s %s" % (s, ba), sim_cmd(sims[s], ba, args.elf, st),
                                expect_pass(ba), st))
    if "umbra" in args.sims:
        for m in ("native", "wp", "oos"):
            ba = "pt=%s audit=1 tick=300 work=forkwait n=3" % m
            st = os.path.join(tmp, "umbra-tick-%s.json" % m)
            out.append(Case("umbra %s" % ba, sim_cmd(sims["umbra"], ba, args.elf, st), expect_ticks(ba), st))
    # the disk workloads x irq= policies: pt=gwb audit=1 on both sims (umbra in lockstep)
    for s in args.sims:
        if s not in sims:
            continue
        for w in DISK_WORKS:
            for pol in POLICIES:
                ba = "pt=gwb audit=1 irq=%s work=%s" % (pol, w)
                st = os.path.join(tmp, "%s-io-%s-%s.json" % (s, pol, w.split()[0]))
                out.append(Case("%s %s" % (s, ba), sim_cmd(sims[s], ba, args.elf, st), expect_io(ba), st))
    if "umbra" in args.sims:
        # native and wp samples, the poll safepoint, and the image afterwards
        for n, ba in enumerate(["pt=native irq=mature work=diskseq n=4",
                                "pt=native irq=immediate work=legacy n=4",
                                "pt=native irq=immediate work=legacy n=4 W=1000",
                                "pt=native irq=mature safepoint=poll work=diskbad",
                                "pt=wp audit=1 irq=nominal work=diskrand n=4 dseed=9",
                                "pt=wp audit=1 irq=mature safepoint=idle,poll work=legacy n=4",
                                "pt=oos audit=1 irq=mature work=mix n=2"]):
            st = os.path.join(tmp, "umbra-io-%d.json" % n)
            out.append(Case("umbra %s" % ba, sim_cmd(sims["umbra"], ba, args.elf, st), expect_io(ba), st))
        # the M-mode timer serves maturity wake-ups and the guest's periodic tick at once
        ba = "pt=wp audit=1 irq=nominal tick=300 work=mix n=2"
        st = os.path.join(tmp, "umbra-io-tick.json")
        io_ok, tick_ok = expect_io(ba), expect_ticks(ba)
        out.append(Case("umbra %s" % ba, sim_cmd(sims["umbra"], ba, args.elf, st),
                        lambda rc, o, j: io_ok(rc, o, j) or tick_ok(rc, o, j), st))
        for n, ba in enumerate(["pt=gwb audit=1 irq=mature work=diskseq n=6 sectors=16",
                                "pt=native irq=immediate work=diskrand n=6 sectors=2 dseed=1234"]):
            st, img = os.path.join(tmp, "umbra-img-%d.json" % n), os.path.join(tmp, "umbra-%d.img" % n)
            zero_image(img)
            out.append(Case("umbra --disk IMG %s (image checked)" % ba,
                            sim_cmd(sims["umbra"], ba, args.elf, st, img), expect_io(ba, img), st))
    if "iss" in args.sims:
        sim = sims["iss"]
        for n, ba in enumerate(["pt=oos audit=1 irq=mature work=diskrand n=8 sectors=1 dseed=5"]):
            st, img = os.path.join(tmp, "iss-img-%d.json" % n), os.path.join(tmp, "iss-%d.img" % n)
            zero_image(img)
            out.append(Case("iss --disk IMG %s (image checked)" % ba, sim_cmd(sim, ba, args.elf, st, img),
                            expect_io(ba, img), st))
        # a host I/O error (the image read-only: writes end IOERR) reaches the guest as ERROR 6
        st = os.path.join(tmp, "iss-readonly.json")
        cmd = sim_cmd(sim, "pt=wp irq=immediate work=diskseq n=2", args.elf, st)
        out.append(Case("iss --disk-readonly pt=wp irq=immediate work=diskseq n=2",
                        cmd[:1] + ["--disk-readonly"] + cmd[1:],
                        expect_fail(3, "guest: disk request ended with STATUS 3 ERROR 6"), st))
        bad = [
            ("pt=bogus work=compute", expect_fail(2, "hv: error: unknown pt= mode")),
            ("pt=wp audit=2 work=compute", expect_fail(2, "hv: error: audit= takes 0 or 1")),
            ("pt=gwb gwbcap=3 work=compute", expect_fail(2, "hv: error: gwbcap= takes a power of two")),
            ("pt=oos tick=5 work=compute", expect_fail(3, "guest: FAIL tick= takes")),
            ("pt=wp work=bogus", expect_fail(3, "guest: FAIL unknown work=")),
            ("pt=oos work=ptemod n=0", expect_fail(3, "guest: FAIL n= takes")),
            ("pt=wp work=ptemod batch=999", expect_fail(3, "guest: FAIL batch= takes")),
            ("pt=native audit=1 audit_selftest=1 work=compute",
             expect_fail(2, "hv: error: audit_selftest=N needs")),
            # the audit itself must be able to fail: a corrupted spte stops the run
            ("pt=wp audit=1 audit_selftest=1 work=ptemod n=4",
             expect_fail(5, "hv: error: audit: spte disagrees with its gpte")),
            ("pt=gwb audit=1 audit_selftest=1 work=ptemod n=4",
             expect_fail(5, "hv: error: audit: spte disagrees with its gpte")),
            # the disk's options (docs/io.md §2) and the disk workloads' own
            ("pt=wp irq=bogus work=diskseq", expect_fail(2, "hv: error: unknown irq= policy")),
            ("pt=wp irq= work=diskseq", expect_fail(2, "hv: error: unknown irq= policy")),
            ("pt=native safepoint=idle,bogus work=diskseq",
             expect_fail(2, "hv: error: safepoint= takes idle, poll")),
            ("pt=native safepoint=none,idle work=diskseq",
             expect_fail(2, "hv: error: safepoint= takes idle, poll")),
            ("pt=gwb dseek=abc work=diskseq", expect_fail(2, "hv: error: dseek= takes cycles")),
            ("pt=oos drot=100000001 work=diskseq", expect_fail(2, "hv: error: drot= takes cycles")),
            ("pt=native dxfer=-1 work=diskseq", expect_fail(2, "hv: error: dxfer= takes cycles")),
            ("pt=wp work=diskseq sectors=0", expect_fail(3, "guest: FAIL sectors= takes")),
            ("pt=wp work=diskrand sectors=129", expect_fail(3, "guest: FAIL sectors= takes")),
            ("pt=native work=legacy W=x", expect_fail(3, "guest: FAIL W= takes")),
            ("pt=native work=legacy W=100000001", expect_fail(3, "guest: FAIL W= takes")),
            ("pt=native work=diskrand dseed=-3", expect_fail(3, "guest: FAIL dseed= takes")),
            ("pt=native work=diskseq n=0", expect_fail(3, "guest: FAIL n= takes")),
            ("pt=native work=diskseq n=100000 sectors=128",
             expect_fail(3, "guest: FAIL the requests do not fit on the disk")),
            ("pt=native work=diskrand n=5000", expect_fail(3, "guest: FAIL diskrand: n= is at most")),
            # a full log every few stores: GWB-full traps, drains, re-executed stores
            ("pt=gwb gwbcap=2 audit=1 work=ptemod n=24 batch=8", expect_full("pt=gwb work=ptemod")),
        ]
        for ba, chk in bad:
            st = os.path.join(tmp, "bad-%d.json" % len(out))
            out.append(Case("iss %s" % ba, sim_cmd(sim, ba, args.elf, st), chk, st))
        for m in MODES:
            ba = "pt=%s audit=1 tick=300 work=forkwait n=6" % m
            st = os.path.join(tmp, "tick-%s.json" % m)
            out.append(Case("iss %s" % ba, sim_cmd(sim, ba, args.elf, st), expect_ticks(ba), st))
        # too little host RAM for guest RAM, shadow pool and log
        st = os.path.join(tmp, "bad-ram.json")
        out.append(Case("iss --ram-mb 32 pt=wp work=compute",
                        sim_cmd(sim, "pt=wp work=compute", args.elf, st)[:1] + ["--ram-mb", "32"] +
                        sim_cmd(sim, "pt=wp work=compute", args.elf, st)[1:],
                        expect_fail(3, "hv: error: the hypervisor needs at least 48 MiB"), st))
    if "qemu" in args.sims:
        for w in WORKS:
            for m in ("native", "wp", "oos"):
                ba = "pt=%s audit=1 work=%s" % (m, w)
                out.append(Case("qemu %s" % ba, qemu_cmd(ba, args.elf), expect_pass(ba)))
        for m in ("native", "wp", "oos"):
            ba = "pt=%s audit=1 tick=300 work=forkwait n=6" % m
            out.append(Case("qemu %s" % ba, qemu_cmd(ba, args.elf), expect_pass(ba)))
        ba = "pt=gwb work=ptemod"
        out.append(Case("qemu %s" % ba, qemu_cmd(ba, args.elf), expect_fail(4, NO_GWB)))
        # the disk workloads with QEMU's virtio-blk attached (no timing there: pass/fail)
        for n, ba in enumerate(["pt=native irq=immediate work=diskseq n=4",
                                "pt=wp audit=1 irq=nominal work=diskrand n=4",
                                "pt=oos audit=1 irq=mature work=legacy n=4",
                                "pt=native irq=mature safepoint=idle,poll work=diskbad",
                                "pt=wp audit=1 irq=mature work=mix n=2"]):
            img = os.path.join(tmp, "qemu-%d.img" % n)
            zero_image(img)
            out.append(Case("qemu (disk) %s" % ba, qemu_cmd(ba, args.elf, img), expect_qemu_io(ba)))
    out += stress_cases(args, tmp, sims)
    return out


def run(case, timeout):
    try:
        p = subprocess.run(case.cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout, stdin=subprocess.DEVNULL)
        rc, out = p.returncode, p.stdout.decode(errors="replace")
    except subprocess.TimeoutExpired:
        return "timeout after %d s" % timeout, ""
    st = None
    if case.stats and os.path.exists(case.stats):
        try:
            with open(case.stats) as f:
                st = json.load(f)
        except ValueError as e:
            return "stats JSON unreadable: %s" % e, out
    if case.stats and rc == 0 and st is None:
        return "no stats file", out
    return case.check(rc, out, st), out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sims", default="iss,umbra,qemu")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--elf", default="build/boot.elf")
    ap.add_argument("--timeout", type=int, default=120)
    args = ap.parse_args()
    args.sims = args.sims.split(",")
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    if not os.path.exists(args.elf):
        print("hv.py: %s does not exist (make build)" % args.elf, file=sys.stderr)
        return 2
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="umbra-hv-") as tmp:
        todo = cases(args, tmp)
        with cf.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futs = [(c, pool.submit(run, c, args.timeout)) for c in todo]
            for c, f in futs:
                why, out = f.result()
                if why is None:
                    passed += 1
                    print("PASS %s" % c.name)
                else:
                    failed += 1
                    print("FAIL %s: %s" % (c.name, why))
                    print("    $ %s" % " ".join(shlex.quote(a) for a in c.cmd))
                    for line in out.splitlines()[-8:]:
                        print("    | " + line)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
