#!/usr/bin/env python3
"""directed.py: runs bare-metal test ELFs on QEMU (the reference) and on umbra and compares them.

Both machines get the timed disk of SPEC §4 in virtio slot 7: umbra its default temporary
image, QEMU a fresh sparse image of the same size per test (virtio-blk-device, modern).
A test passes when QEMU exits 0, umbra exits 0, neither console shows a FAIL line, and
QEMU's stdout equals umbra's stdout byte for byte.  With --qemu-only umbra is not run.
Prints PASS/FAIL per test, then exactly "N passed, N failed"; exit status 1 on any failure.
"""

import argparse
import concurrent.futures
import difflib
import os
import shlex
import subprocess
import sys
import tempfile

# QEMU's default rv32 CPU has A, C, F, D, H, Zb* and Sstc; umbra is RV32IM_Zicsr_Zifencei.
QEMU_CPU = ("rv32,a=off,c=off,f=off,d=off,h=off,zba=off,zbb=off,zbc=off,zbs=off,"
            "sstc=off")
DIFF_LINES = 40
DISK_MB = 64   # umbra's --disk-size-mb default


class Run:
    """One simulator run: command, exit status (None on timeout), stdout, stderr."""

    def __init__(self, cmd, rc, out, err):
        self.cmd, self.rc, self.out, self.err = cmd, rc, out, err


def run(cmd, timeout):
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout)
        return Run(cmd, p.returncode, p.stdout, p.stderr)
    except subprocess.TimeoutExpired as e:
        return Run(cmd, None, e.stdout or b"", e.stderr or b"")
    except OSError as e:
        return Run(cmd, -1, b"", str(e).encode())


def qemu_disk(args, elf):
    """A fresh zeroed image for one QEMU run, attached as QEMU's first -device (slot 7)."""
    img = os.path.join(args.disk_dir, os.path.basename(elf) + ".img")
    with open(img, "wb") as f:
        f.truncate(DISK_MB << 20)
    return ["-drive", "file=%s,if=none,format=raw,id=d0" % img,
            "-device", "virtio-blk-device,drive=d0", "-global", "virtio-mmio.force-legacy=false"]


def qemu_cmd(args, elf):
    cmd = [args.qemu, "-machine", "virt", "-bios", "none", "-m", "128M"]
    if args.qemu_cpu:
        cmd += ["-cpu", args.qemu_cpu]
    return cmd + ["-kernel", elf, "-display", "none", "-serial", "stdio", "-monitor", "none"] + \
        qemu_disk(args, elf)


def umbra_cmd(args, elf):
    return [args.umbra, "--quiet"] + shlex.split(args.umbra_args) + [elf]


def guest_failed(out):
    return any(line.startswith(b"FAIL") for line in out.splitlines())


def last_line(data):
    lines = data.decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else ""


def judge(name, q, u):
    """Returns None when the test passed, else the reason."""
    if q.rc is None:
        return "qemu timeout"
    if q.rc != 0:
        return "qemu exit %d" % q.rc
    if guest_failed(q.out):
        return "qemu console shows FAIL"
    if u is None:
        return None
    if u.rc is None:
        return "umbra timeout"
    if u.rc != 0:
        why = last_line(u.err)
        return "umbra exit %d%s" % (u.rc, (": " + why) if why else "")
    if guest_failed(u.out):
        return "umbra console shows FAIL"
    if q.out != u.out:
        return "console output differs"
    return None


def report(name, q, u):
    if u is not None and u.out and q.out != u.out:
        diff = list(difflib.unified_diff(
            q.out.decode(errors="replace").splitlines(),
            u.out.decode(errors="replace").splitlines(),
            "qemu/" + name, "umbra/" + name, lineterm=""))
        for line in diff[:DIFF_LINES]:
            print("    " + line)
        if len(diff) > DIFF_LINES:
            print("    ... (%d more diff lines)" % (len(diff) - DIFF_LINES))
    else:
        bad = q if (q.rc != 0 or guest_failed(q.out) or u is None) else u
        for line in bad.out.decode(errors="replace").splitlines()[-5:]:
            print("    | " + line)
    if u is not None and u.err:
        print("    umbra: " + last_line(u.err))
    img = q.cmd[q.cmd.index("-drive") + 1].split(",")[0][len("file="):]
    print("    reproduce: rm -f %s; truncate -s %dM %s" % (img, DISK_MB, img))
    print("    reproduce: " + shlex.join(q.cmd))
    if u is not None:
        print("    reproduce: " + shlex.join(u.cmd))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("elfs", nargs="+", metavar="ELF")
    ap.add_argument("--qemu-only", action="store_true", help="run QEMU alone")
    ap.add_argument("--umbra", default="build/umbra", help="umbra binary (default build/umbra)")
    ap.add_argument("--umbra-args", default="", help="extra umbra options, one string")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per run (default 60)")
    ap.add_argument("--qemu", default="qemu-system-riscv32", help="QEMU binary")
    ap.add_argument("--qemu-cpu", default=QEMU_CPU,
                    help="QEMU -cpu value ('' = QEMU's default CPU); default matches umbra")
    args = ap.parse_args()

    if not args.qemu_only and not os.access(args.umbra, os.X_OK):
        print("directed.py: %s is not an executable (build it, or use --qemu-only)"
              % args.umbra, file=sys.stderr)

    passed = failed = 0
    disk_dir = tempfile.TemporaryDirectory(prefix="umbra-directed-")
    args.disk_dir = disk_dir.name
    with disk_dir, concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for elf in args.elfs:
            name = os.path.splitext(os.path.basename(elf))[0]
            fq = pool.submit(run, qemu_cmd(args, elf), args.timeout)
            fu = None if args.qemu_only else pool.submit(run, umbra_cmd(args, elf), args.timeout)
            q = fq.result()
            u = fu.result() if fu else None
            reason = judge(name, q, u)
            if reason is None:
                passed += 1
                print("PASS %s" % name)
            else:
                failed += 1
                print("FAIL %s (%s)" % (name, reason))
                report(name, q, u)
            sys.stdout.flush()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
