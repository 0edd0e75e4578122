#!/usr/bin/env python3
"""disk_check.py: host-side checks of the timed virtio-blk disk: image contents, FLUSH -> fsync, completion timing.

Cases (each prints PASS/FAIL <name>; the last line is "N passed, N failed"):
  1-stress-image   build/umbra --disk IMG runs disk_stress.elf (under strace); IMG then holds
                   exactly the data the plan of firmware/tests/disk_stress.c wrote, byte for byte,
                   and zeros elsewhere.
  2-flush-fsync    every FLUSH reached fsync(2) on the image: the fsync/fdatasync calls on its
                   file descriptor equal io.disk.flushes in the stats JSON, which equals the
                   plan's 3 flushes.
  3-image-check-detects  one flipped byte in a copy of umbra's image is reported with its sector.
  4-qemu-image     QEMU runs the same ELF on its own zeroed image: its console equals umbra's
                   and the two images are identical byte for byte.
  5-iss-image      build/umbra-iss writes the same image and console as build/umbra.
  6-readonly       with --disk-readonly the program fails (exit 3: the device offers F_RO) and
                   the image is unchanged.
  7..10-timing-*   disk_timing.elf for two seeds and two --disk-* parameter sets: for each
                   request, (interrupt mcycle) - (notify mcycle) - (service time predicted by
                   the model of docs/architecture.md) is the same constant K for every request
                   of every run, and 0 <= K <= K_MAX; the stats' io.latency_min/max_cycles are
                   the predicted extremes. A mismatch prints the request, the predicted and the
                   measured interrupt cycle.
  11-timing-wrong-seed  the same check fed the wrong seed must find mismatches (the check can fail).
"""

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

IMG_MB = 64
SECTOR = 512
# K = (notify store reaching the device - its mcycle read) + (completion -> IRQ 8 -> PLIC -> MEIP
# -> trap taken from WFI) + (trap_entry saving 32 registers, trap_handler dispatching, the
# callback's mcycle read): a fixed path, 174 cycles at --mem-latency 1. It must be the same for
# every request of every run and no more than K_MAX.
K_MAX = 200

# ---- the plan of firmware/tests/disk_stress.c (keep in step with it) ----
SEQ_LBA, SEQ_SECTORS = 2048, 1024
RAND_LBA, RAND_SLOTS, SLOT_SECTORS, RAND_BATCHES, RAND_SEED = 65536, 32, 128, 4, 0x2545F491
PLAN_FLUSHES = 3
M32 = 0xFFFFFFFF
M64 = 0xFFFFFFFFFFFFFFFF


def pat_sector(lba, gen):
    """The 512 bytes disk_stress.c writes to sector lba in generation gen (pat() of each word)."""
    base = ((lba * 0x9E3779B1) ^ (gen * 0xC2B2AE35)) & M32
    out = bytearray()
    for w in range(128):
        x = base ^ ((w * 0x85EBCA6B) & M32)
        x ^= x >> 15
        x = (x * 0x2C1B3C6D) & M32
        x ^= x >> 12
        out += x.to_bytes(4, "little")
    return bytes(out)


def stress_plan():
    """{sector: gen} of the final image: the sequential region, then the random batches in order."""
    gens = {lba: 1 for lba in range(SEQ_LBA, SEQ_LBA + SEQ_SECTORS)}
    x = RAND_SEED

    def rnd():
        nonlocal x
        x ^= (x << 13) & M32
        x ^= x >> 17
        x ^= (x << 5) & M32
        return x

    for b in range(RAND_BATCHES):
        n = 1 + rnd() % 16
        used = set()
        for _ in range(n):
            slot = rnd() % RAND_SLOTS
            while slot in used:
                slot = rnd() % RAND_SLOTS
            used.add(slot)
            size = 1 + rnd() % SLOT_SECTORS
            off = rnd() % (SLOT_SECTORS + 1 - size)
            lba = RAND_LBA + slot * SLOT_SECTORS + off
            for s in range(lba, lba + size):
                gens[s] = 2 + b
    return gens


def check_image(path, gens):
    """None when the image holds the plan's data and zeros elsewhere, else the first difference."""
    want = bytearray(IMG_MB << 20)
    for lba, gen in gens.items():
        want[lba * SECTOR:(lba + 1) * SECTOR] = pat_sector(lba, gen)
    with open(path, "rb") as f:
        got = f.read()
    if len(got) != len(want):
        return "size %d, want %d" % (len(got), len(want))
    if got == want:
        return None
    for lba in range(len(want) // SECTOR):
        a, b = got[lba * SECTOR:(lba + 1) * SECTOR], want[lba * SECTOR:(lba + 1) * SECTOR]
        if a != b:
            off = next(i for i in range(SECTOR) if a[i] != b[i])
            return "sector %d (gen %s) byte %d: got 0x%02x, want 0x%02x" % (
                lba, gens.get(lba, "none, zero"), off, a[off], b[off])
    return "differs"


# ---- the timing model (model/virtio_blk.c rule 5) ----
def splitmix64(state):
    z = (state + 0x9E3779B97F4A7C15) & M64
    state = z
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return state, z ^ (z >> 31)


def predict(reqs, p, seed):
    """Service time (completion - acceptance) of each request issued alone on an idle disk."""
    rng, last, out = seed, 0, []
    for r in reqs:
        seek = xfer = jitter = 0
        if r["type"] in (0, 1):   # IN, OUT
            seek = p["seek"] * (abs(r["lba"] - last)).bit_length()
            xfer = -(-r["bytes"] * 100 // p["bandwidth"])
            last = r["lba"] + r["bytes"] // SECTOR
        if p["jitter"]:
            rng, z = splitmix64(rng)
            jitter = z % (p["jitter"] + 1)
        out.append(p["latency"] + seek + xfer + jitter)
    return out


REQ_LINE = re.compile(r"^req (\d+) type (\d+) lba (\d+) bytes (\d+) notify (\d+) irq (\d+)$")


def parse_timing(out):
    reqs = []
    for line in out.splitlines():
        m = REQ_LINE.match(line)
        if m:
            k, t, lba, n, c0, c1 = map(int, m.groups())
            reqs.append(dict(k=k, type=t, lba=lba, bytes=n, notify=c0, irq=c1))
    return reqs


def timing_offsets(reqs, p, seed):
    """[(request, predicted service, measured irq - notify, K)] for one run."""
    rows = []
    for r, svc in zip(reqs, predict(reqs, p, seed)):
        delta = (r["irq"] - r["notify"]) & M32
        rows.append((r, svc, delta, delta - svc))
    return rows


def run(cmd, timeout, **kw):
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout,
                           **kw)
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        return None, "", "timeout after %g s" % timeout


def zero_image(path):
    with open(path, "wb") as f:
        f.truncate(IMG_MB << 20)


def last(text):
    lines = text.strip().splitlines()
    return lines[-1] if lines else ""


class Checker:
    def __init__(self):
        self.passed = self.failed = 0

    def verdict(self, name, why, detail="", repro=None):
        if why is None:
            self.passed += 1
            print("PASS %s%s" % (name, (" (%s)" % detail) if detail else ""))
        else:
            self.failed += 1
            print("FAIL %s: %s" % (name, why))
            if repro:
                print("    reproduce: " + shlex.join(repro))
        sys.stdout.flush()


def fsync_count(trace, img):
    """fsync/fdatasync calls on the file descriptor(s) the image was opened as."""
    fds, n = set(), 0
    for line in open(trace, errors="replace"):
        m = re.search(r'openat\([^,]*, "([^"]*)".*\) = (\d+)$', line)
        if m and os.path.abspath(m.group(1)) == os.path.abspath(img):
            fds.add(int(m.group(2)))
        m = re.search(r"\b(?:fsync|fdatasync)\((\d+)\)\s+= 0", line)
        if m and int(m.group(1)) in fds:
            n += 1
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--umbra", default="build/umbra")
    ap.add_argument("--iss", default="build/umbra-iss")
    ap.add_argument("--stress", default="build/fw/tests/disk_stress.elf")
    ap.add_argument("--timing", default="build/fw/timing/disk_timing.elf")
    ap.add_argument("--qemu", default="qemu-system-riscv32")
    ap.add_argument("--timeout", type=float, default=120.0)
    args = ap.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import directed   # QEMU's -cpu (umbra's ISA) is the directed suite's

    ck = Checker()
    tmp = tempfile.TemporaryDirectory(prefix="umbra-disk-")
    with tmp:
        d = tmp.name
        img_u, img_q, img_ro = (os.path.join(d, n) for n in ("umbra.img", "qemu.img", "ro.img"))
        stats, trace = os.path.join(d, "stress.json"), os.path.join(d, "strace.txt")

        # 1, 2: umbra on IMG under strace.
        zero_image(img_u)
        ucmd = [args.umbra, "--quiet", "--disk", img_u, "--stats", stats, args.stress]
        rc, uout, uerr = run(["strace", "-f", "-qq", "--seccomp-bpf", "-e", "signal=none",
                              "-e", "trace=openat,fsync,fdatasync", "-o", trace] + ucmd,
                             args.timeout)
        if rc != 0:
            why = "exit %s: %s" % (rc, last(uerr) or last(uout))
            ck.verdict("1-stress-image", why, repro=ucmd)
            ck.verdict("2-flush-fsync", "no run", repro=ucmd)
        else:
            gens = stress_plan()
            ck.verdict("1-stress-image", check_image(img_u, gens),
                       "%d sectors of data checked, the rest zero; %s" % (len(gens), last(uerr)),
                       repro=ucmd)
            js = json.load(open(stats))
            n = fsync_count(trace, img_u)
            flushes = js.get("io.disk.flushes")
            why = None
            if not (n == flushes == PLAN_FLUSHES):
                why = "fsync calls on the image %d, io.disk.flushes %s, the plan has %d" % (
                    n, flushes, PLAN_FLUSHES)
            ck.verdict("2-flush-fsync", why, "%d FLUSH -> %d fsync(2) on the image" % (flushes, n),
                       repro=ucmd)

        # 3: the image check can fail: one flipped byte in a copy of umbra's image is found.
        if rc == 0:
            bad = os.path.join(d, "flipped.img")
            with open(img_u, "rb") as f:
                data = bytearray(f.read())
            vlba = min(lba for lba in gens if lba >= RAND_LBA)   # a sector phase 2 wrote
            victim = vlba * SECTOR + 77
            data[victim] ^= 0x10
            with open(bad, "wb") as f:
                f.write(data)
            found = check_image(bad, gens) or ""
            ck.verdict("3-image-check-detects",
                       None if found.startswith("sector %d " % vlba) and
                       "byte 77:" in found else "a flipped byte went unnoticed (%r)" % found,
                       found)
            os.unlink(bad)

        # 4: QEMU on its own image: same console, same image.
        zero_image(img_q)
        qcmd = [args.qemu, "-machine", "virt", "-bios", "none", "-m", "128M",
                "-cpu", directed.QEMU_CPU, "-kernel", args.stress, "-display", "none",
                "-serial", "stdio", "-monitor", "none",
                "-drive", "file=%s,if=none,format=raw,id=d0" % img_q,
                "-device", "virtio-blk-device,drive=d0", "-global", "virtio-mmio.force-legacy=false"]
        qrc, qout, qerr = run(qcmd, args.timeout)
        why = None
        if qrc != 0:
            why = "qemu exit %s: %s" % (qrc, last(qerr) or last(qout))
        elif rc != 0:
            why = "no umbra image to compare"
        elif qout != uout:
            why = "consoles differ"
        else:
            with open(img_q, "rb") as a, open(img_u, "rb") as b:
                if a.read() != b.read():
                    why = "QEMU's image differs from umbra's"
        ck.verdict("4-qemu-image", why, "%d MiB images identical" % IMG_MB, repro=qcmd)

        # 5: the instruction-set model writes the same image.
        img_i = os.path.join(d, "iss.img")
        zero_image(img_i)
        icmd = [args.iss, "--quiet", "--disk", img_i, args.stress]
        irc, iout, ierr = run(icmd, args.timeout)
        why = None
        if irc != 0:
            why = "exit %s: %s" % (irc, last(ierr) or last(iout))
        elif rc != 0:
            why = "no umbra image to compare"
        elif iout != uout:
            why = "console differs from umbra's"
        else:
            with open(img_i, "rb") as a, open(img_u, "rb") as b:
                if a.read() != b.read():
                    why = "umbra-iss's image differs from umbra's"
        ck.verdict("5-iss-image", why, "%d MiB images identical" % IMG_MB, repro=icmd)
        os.unlink(img_i)

        # 6: read-only: refused, image unchanged.
        zero_image(img_ro)
        rcmd = [args.umbra, "--quiet", "--disk", img_ro, "--disk-readonly", args.stress]
        rrc, rout, rerr = run(rcmd, args.timeout)
        why = None
        if rrc != 3:
            why = "exit %s, want 3 (case 3: the device offers F_RO): %s" % (rrc, last(rerr))
        else:
            with open(img_ro, "rb") as f:
                if f.read().count(0) != IMG_MB << 20:
                    why = "the read-only image changed"
        ck.verdict("6-readonly", why, last(rerr), repro=rcmd)

        # 7-10: timing, two parameter sets x two seeds.
        sets = [
            ("default", dict(latency=2000, bandwidth=800, seek=50, jitter=200, qdepth=8)),
            ("slow", dict(latency=700, bandwidth=150, seek=400, jitter=3000, qdepth=1)),
        ]
        ks, case, kept = set(), 7, None
        for pname, p in sets:
            for seed in (1, 20261124):
                name = "%d-timing-%s-seed%d" % (case, pname, seed)
                case += 1
                tstats = os.path.join(d, "timing.json")
                tcmd = [args.umbra, "--quiet", "--seed", str(seed), "--stats", tstats] + \
                    ["--disk-%s=%d" % kv for kv in p.items()] + [args.timing]
                trc, tout, terr = run(tcmd, args.timeout)
                reqs = parse_timing(tout)
                if trc != 0 or len(reqs) < 16:
                    ck.verdict(name, "exit %s, %d request lines: %s" % (trc, len(reqs), last(terr)),
                               repro=tcmd)
                    continue
                rows = timing_offsets(reqs, p, seed)
                kset = {k for _, _, _, k in rows}
                ks |= kset
                js = json.load(open(tstats))
                svcs = [s for _, s, _, _ in rows]
                why = None
                if len(ks) != 1 or not 0 <= min(ks) <= K_MAX:
                    kref = min(ks, key=lambda k: -sum(1 for *_, kk in rows if kk == k))
                    bad = [(r, s, dl) for r, s, dl, k in rows if k != kref or not 0 <= k <= K_MAX]
                    for r, s, dl in bad[:5]:
                        print("    req %d type %d lba %d bytes %d: predicted irq at mcycle %d "
                              "(notify %d + service %d + K %d), taken at %d" % (
                                  r["k"], r["type"], r["lba"], r["bytes"],
                                  (r["notify"] + s + kref) & M32, r["notify"], s, kref, r["irq"]))
                    why = "interrupt - notify - predicted service is not one constant in " \
                          "0..%d (seen %s)" % (K_MAX, sorted(ks))
                elif (js.get("io.latency_min_cycles"), js.get("io.latency_max_cycles"),
                      js.get("io.completions")) != (min(svcs), max(svcs), len(svcs)):
                    why = "stats latency min/max/completions %s/%s/%s, predicted %d/%d/%d" % (
                        js.get("io.latency_min_cycles"), js.get("io.latency_max_cycles"),
                        js.get("io.completions"), min(svcs), max(svcs), len(svcs))
                ck.verdict(name, why, "%d requests, service %d..%d cycles, K = %s" % (
                    len(rows), min(svcs), max(svcs), sorted(kset)), repro=tcmd)
                kept = kept or (reqs, p, seed)

        # 11: the check can fail: predicting with the wrong seed must not give one constant.
        if kept:
            reqs, p, seed = kept
            kset = {k for *_, k in timing_offsets(reqs, p, seed + 1)}
            ck.verdict("11-timing-wrong-seed",
                       None if len(kset) > 1 else "the wrong seed predicted every request",
                       "%d different offsets with seed %d" % (len(kset), seed + 1))
        else:
            ck.verdict("11-timing-wrong-seed", "no timing run to check")

    print("%d passed, %d failed" % (ck.passed, ck.failed))
    return 1 if ck.failed else 0


if __name__ == "__main__":
    sys.exit(main())
