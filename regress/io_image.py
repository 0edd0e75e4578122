#!/usr/bin/env python3
"""io_image.py: checks a disk image after a diskseq/diskrand run of build/boot.elf (docs/io.md §6):
every sector the workload wrote holds pattern(lba, i) word by word, every other sector is zero.

usage: io_image.py IMG --work diskseq|diskrand [--n N] [--sectors S] [--dseed D]
Prints 'PASS io-image IMG' or 'FAIL io-image IMG: why' (the first bad sector and word); exit 0/1.
hv.py imports check() for its image cases.
"""
import argparse
import sys

SECTOR = 512
M32 = 0xFFFFFFFF


def pattern_sector(lba, dseed):
    """The 512 bytes of sector lba: word i = (lba * 0x9E3779B1 + i * 0x85EBCA77) ^ 0xD15C0000 ^ dseed."""
    base = (lba * 0x9E3779B1) & M32
    out = bytearray()
    for i in range(128):
        w = ((base + i * 0x85EBCA77) & M32) ^ 0xD15C0000 ^ dseed
        out += w.to_bytes(4, "little")
    return bytes(out)


def written_lbas(work, n, sectors, dseed, capacity):
    """The first sectors of the requests the guest wrote (diskrand: xorshift32 from dseed ^ 0x2545F491)."""
    if work == "diskseq":
        return [k * sectors for k in range(n)]
    x = (dseed ^ 0x2545F491) & M32 or 1
    slots = capacity // sectors
    out = []
    for _ in range(n):
        x ^= (x << 13) & M32
        x ^= x >> 17
        x ^= (x << 5) & M32
        out.append((x % slots) * sectors)
    return out


def check(path, work, n, sectors=8, dseed=1):
    """None if the image is right, else one line saying where it is wrong."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) % SECTOR:
        return "image size %d is not a multiple of 512" % len(data)
    capacity = len(data) // SECTOR
    written = set()
    for lba in written_lbas(work, n, sectors, dseed, capacity):
        written.update(range(lba, lba + sectors))
    for lba in sorted(written):
        want = pattern_sector(lba, dseed)
        got = data[lba * SECTOR:(lba + 1) * SECTOR]
        if got != want:
            i = next(k for k in range(0, SECTOR, 4) if got[k:k + 4] != want[k:k + 4])
            return "sector %d word %d is 0x%08x, the pattern says 0x%08x" % (
                lba, i // 4, int.from_bytes(got[i:i + 4], "little"), int.from_bytes(want[i:i + 4], "little"))
    zero = bytes(SECTOR)
    start = 0
    for lba in sorted(written) + [capacity]:
        if lba > start:
            chunk = data[start * SECTOR:lba * SECTOR]
            if chunk != bytes(len(chunk)):
                bad = next(s for s in range(start, lba) if data[s * SECTOR:(s + 1) * SECTOR] != zero)
                return "sector %d was never written but is not zero" % bad
        start = lba + 1
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("image")
    ap.add_argument("--work", choices=["diskseq", "diskrand"], required=True)
    ap.add_argument("--n", type=int, default=64)
    ap.add_argument("--sectors", type=int, default=8)
    ap.add_argument("--dseed", type=int, default=1)
    a = ap.parse_args()
    why = check(a.image, a.work, a.n, a.sectors, a.dseed)
    print("PASS io-image %s" % a.image if why is None else "FAIL io-image %s: %s" % (a.image, why))
    return 0 if why is None else 1


if __name__ == "__main__":
    sys.exit(main())
