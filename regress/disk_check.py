#!/usr/bin/env python3
"""disk_check.py: host-side checks of the timed virtio-blk disk: image contents, FLUSH -> fsync, completion timing.

Cases (each prints PASS/FAIL <name>; the last line is "N passed, N failed"):
  1-stress-image   build/umbra --disk IMG runs disk_stress.elf (under strace); IMG then holds
                   exactly the data the plan of firmware/tests/disk_stress.c wrote, byte for byte,
                   and zeros elsewhere.
  2-flush-fsync    every FLUSH reached fsync(2) on the image: the fsync/fdatasync calls on its
                   file descriptor equal disk.flushes in the stats JSON, which equals the
                   plan's 3 flushes.
  3-image-check-detects  one flipped byte in a copy of umbra's image is reported with its sector.
  4-qemu-image     QEMU runs the same ELF on its own zeroed image: its console equals umbra's
                   and the two images are identical byte for byte.
  5-iss-image      build/umbra-iss writes the same image and console as build/umbra.
  6-readonly       with --disk-readonly the program fails (exit 3: the device offers F_RO) and
                   the image is unchanged.
  7..10-timing-*   disk_timing.elf for two seeds and two --disk-* parameter sets: the timing
                   model of docs/architecture.md, replayed here (DiskModel) from each notify's
                   mcycle, predicts every completion -- 16 requests one at a time, then 10 at
                   once (queue depth, media serialisation, completion order); each interrupt's
                   mcycle minus its predicted completion is the same constant K for every
                   request of every run, 0 <= K <= K_MAX; the used ring's order is the
                   predicted one; the stats' disk.completions and disk.latency_{min,mean,max,p50,
                   p99}_cycles equal the predicted latencies' (and io.*, with no
                   hypervisor, the same). A mismatch prints the request,
                   the predicted and the measured interrupt cycle.
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


class DiskModel:
    """model/virtio_blk.c rule 5 replayed: acceptance in avail order while fewer than qdepth
    are in service, start = max(accept, media_free), done = start + latency + seek + transfer
    + jitter (one splitmix64 draw per accepted request), completions in (done, acceptance) order."""

    def __init__(self, p, seed):
        self.p, self.rng, self.last, self.media_free = p, seed, 0, 0

    def schedule(self, r, now):
        p = self.p
        start = max(now, self.media_free)
        seek = xfer = jitter = 0
        if r["type"] in (0, 1):   # IN, OUT
            seek = p["seek"] * abs(r["lba"] - self.last).bit_length()
            xfer = -(-r["bytes"] * 100 // p["bandwidth"])
            self.last = r["lba"] + r["bytes"] // SECTOR
        if p["jitter"]:
            self.rng, z = splitmix64(self.rng)
            jitter = z % (p["jitter"] + 1)
        self.media_free = start + seek + xfer
        return start + p["latency"] + seek + xfer + jitter

    def run(self, reqs, arrival):
        """Completion cycle of each of reqs, all made available at arrival on an idle disk;
        and the request indices in completion order."""
        pending, inflight, done, order, seq = list(range(len(reqs))), [], {}, [], 0
        now = arrival
        while True:
            while pending and len(inflight) < self.p["qdepth"]:
                k = pending.pop(0)
                inflight.append((self.schedule(reqs[k], now), seq, k))
                seq += 1
            if not inflight:
                return [done[k] for k in range(len(reqs))], order
            inflight.sort()
            now, _, k = inflight.pop(0)
            done[k] = now
            order.append(k)


REQ_LINE = re.compile(r"^(b?req) (\d+) type (\d+) lba (\d+) bytes (\d+) notify (\d+)(?: irq (\d+))?$")
BIRQ_LINE = re.compile(r"^birq (\d+) (\d+)$")
BDONE_LINE = re.compile(r"^bdone (\d+) tag (\d+)$")


def parse_timing(out):
    """(one-at-a-time requests, burst requests, burst interrupt cycles, burst used-ring tags)."""
    reqs, burst, birq, bdone = [], [], [], []
    for line in out.splitlines():
        m = REQ_LINE.match(line)
        if m:
            r = dict(k=int(m.group(2)), type=int(m.group(3)), lba=int(m.group(4)),
                     bytes=int(m.group(5)), notify=int(m.group(6)))
            if m.group(1) == "req":
                r["irq"] = int(m.group(7))
                reqs.append(r)
            else:
                burst.append(r)
        elif BIRQ_LINE.match(line):
            birq.append(int(BIRQ_LINE.match(line).group(2)))
        elif BDONE_LINE.match(line):
            bdone.append(int(BDONE_LINE.match(line).group(2)))
    return reqs, burst, birq, bdone


def timing_rows(t, p, seed):
    """[(what, request, predicted completion, measured interrupt, K)] for one run, the times
    on the guest's mcycle with each notify as the arrival; latencies (done - arrival); and a
    problem with the burst's shape (interrupt count, used-ring order) or None."""
    reqs, burst, birq, bdone = t
    disk, rows, lats = DiskModel(p, seed), [], []
    for r in reqs:
        (done,), _ = disk.run([r], r["notify"])
        rows.append(("req", r, done, r["irq"], r["irq"] - done))
        lats.append(done - r["notify"])
    done, order = disk.run(burst, burst[0]["notify"])
    lats += [d - burst[0]["notify"] for d in done]
    shape = None
    if len(birq) != len(burst):
        shape = "burst: %d interrupts for %d requests" % (len(birq), len(burst))
    elif bdone != order:
        shape = "burst: used-ring order %s, predicted %s" % (bdone, order)
    for i, k in enumerate(order[:len(birq)]):
        rows.append(("breq", burst[k], done[k], birq[i], birq[i] - done[k]))
    return rows, lats, shape


def nearest_rank(values, pct):
    v = sorted(values)
    return v[(len(v) * pct + 99) // 100 - 1]


def run(cmd, timeout, **kw):
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout,
                           **kw)
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        return None, "", "timeout after %g s" % timeout
    except OSError as e:   # e.g. strace or QEMU not installed (make deps)
        return -1, "", "cannot run %s: %s" % (cmd[0], e.strerror)


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
            flushes = js.get("disk.flushes")
            why = None
            if not (n == flushes == PLAN_FLUSHES):
                why = "fsync calls on the image %d, disk.flushes %s, the plan has %d" % (
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
                t = parse_timing(tout)
                if trc != 0 or len(t[0]) < 16 or len(t[1]) < 8:
                    ck.verdict(name, "exit %s, %d+%d request lines: %s" % (
                        trc, len(t[0]), len(t[1]), last(terr)), repro=tcmd)
                    continue
                rows, lats, shape = timing_rows(t, p, seed)
                kset = {k for *_, k in rows}
                ks |= kset
                js = json.load(open(tstats))
                kref = max(kset, key=lambda k: sum(1 for *_, kk in rows if kk == k))
                why = shape
                if why is None and (len(ks) != 1 or not 0 <= kref <= K_MAX):
                    for what, r, done, irq, k in rows:
                        if k != kref or not 0 <= k <= K_MAX:
                            print("    %s %d type %d lba %d bytes %d: notify at mcycle %d, "
                                  "completion predicted at %d, interrupt predicted at %d "
                                  "(+K %d), taken at %d" % (
                                      what, r["k"], r["type"], r["lba"], r["bytes"], r["notify"],
                                      done, done + kref, kref, irq))
                    why = "interrupt - predicted completion is not one constant in 0..%d " \
                          "(seen %s)" % (K_MAX, sorted(ks))
                want = dict(completions=len(lats), latency_min_cycles=min(lats),
                            latency_max_cycles=max(lats),
                            latency_p50_cycles=nearest_rank(lats, 50),
                            latency_p99_cycles=nearest_rank(lats, 99))
                got = {key: js.get("disk." + key) for key in want}
                if why is None and got != want:
                    why = "stats %s, predicted %s" % (got, want)
                mirror = {key: js.get("io." + key) for key in want}
                if why is None and mirror != got:   # no hypervisor: io.* mirrors disk.*
                    why = "io.* %s differ from disk.* %s" % (mirror, got)
                mean = js.get("disk.latency_mean_cycles", -1)
                if why is None and abs(mean - sum(lats) / len(lats)) > 0.01:
                    why = "disk.latency_mean_cycles %s, predicted %.6f" % (mean, sum(lats) / len(lats))
                ck.verdict(name, why, "%d requests (%d in one burst), latency %d..%d cycles, "
                           "K = %s" % (len(lats), len(t[1]), min(lats), max(lats), sorted(kset)),
                           repro=tcmd)
                kept = kept or (t, p, seed)

        # 11: the check can fail: predicting with the wrong seed must not give one constant.
        if kept:
            t, p, seed = kept
            kset = {k for *_, k in timing_rows(t, p, seed + 1)[0]}
            ck.verdict("11-timing-wrong-seed",
                       None if len(kset) > 1 else "the wrong seed predicted every request",
                       "%d different offsets with seed %d" % (len(kset), seed + 1))
        else:
            ck.verdict("11-timing-wrong-seed", "no timing run to check")

    print("%d passed, %d failed" % (ck.passed, ck.failed))
    return 1 if ck.failed else 0


if __name__ == "__main__":
    sys.exit(main())
