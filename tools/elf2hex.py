#!/usr/bin/env python3
"""elf2hex: turns a RISC-V RV32 ELF into a $readmemh image of RAM (32-bit words).

Usage:
  elf2hex.py ELF OUT.hex [--base 0x80000000] [--size 0x400000]
      Writes the PT_LOAD segments (file bytes; .bss stays zero) as
      little-endian 32-bit words, one per line, each run introduced by
      "@<word index>" relative to --base. Fails if a segment falls outside
      [base, base + size).
  elf2hex.py --info ELF
      Prints "entry=<hex> tohost=<hex> fromhost=<hex>" (a symbol that is
      missing prints as "none"), for plusargs.

Standard library only.
"""

import argparse
import struct
import sys

PT_LOAD = 1
SHT_SYMTAB = 2


class ElfError(Exception):
    pass


def read_elf32(data):
    """Returns (entry, segments, symbols) of a little-endian ELF32 image.

    segments: list of (paddr, bytes); symbols: dict name -> value.
    """
    if data[:4] != b"\x7fELF":
        raise ElfError("not an ELF file")
    if data[4] != 1:
        raise ElfError("not ELF32 (RV32 expected)")
    if data[5] != 1:
        raise ElfError("not little-endian")
    (e_entry, e_phoff, e_shoff) = struct.unpack_from("<III", data, 24)
    (e_phentsize, e_phnum, e_shentsize, e_shnum) = struct.unpack_from("<HHHH", data, 42)

    segments = []
    for i in range(e_phnum):
        off = e_phoff + i * e_phentsize
        (p_type, p_offset, _vaddr, p_paddr, p_filesz, _memsz, _flags, _align) = \
            struct.unpack_from("<IIIIIIII", data, off)
        if p_type == PT_LOAD and p_filesz > 0:
            segments.append((p_paddr, data[p_offset:p_offset + p_filesz]))

    symbols = {}
    sections = []
    for i in range(e_shnum):
        off = e_shoff + i * e_shentsize
        sections.append(struct.unpack_from("<IIIIIIIIII", data, off))
    for sh in sections:
        (_name, sh_type, _flags, _addr, sh_offset, sh_size, sh_link, _info, _align, sh_entsize) = sh
        if sh_type != SHT_SYMTAB or sh_entsize == 0:
            continue
        strtab = sections[sh_link]
        str_off = strtab[4]
        for j in range(sh_size // sh_entsize):
            (st_name, st_value, _size, _info2, _other, _shndx) = \
                struct.unpack_from("<IIIBBH", data, sh_offset + j * sh_entsize)
            end = data.index(b"\0", str_off + st_name)
            name = data[str_off + st_name:end].decode("ascii", "replace")
            if name:
                symbols[name] = st_value
    return e_entry, segments, symbols


def write_hex(segments, base, size, out):
    """Writes the segments as words relative to base; returns the word count."""
    words = {}
    for paddr, blob in segments:
        if paddr < base or paddr + len(blob) > base + size:
            raise ElfError("segment 0x%08x..0x%08x outside RAM 0x%08x..0x%08x"
                           % (paddr, paddr + len(blob), base, base + size))
        for k, byte in enumerate(blob):
            addr = paddr - base + k
            word = addr >> 2
            shift = (addr & 3) * 8
            words[word] = words.get(word, 0) | (byte << shift)
    prev = None
    for word in sorted(words):
        if prev is None or word != prev + 1:
            out.write("@%x\n" % word)
        out.write("%08x\n" % words[word])
        prev = word
    return len(words)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("elf")
    ap.add_argument("out", nargs="?")
    ap.add_argument("--base", type=lambda s: int(s, 0), default=0x80000000)
    ap.add_argument("--size", type=lambda s: int(s, 0), default=0x400000)
    ap.add_argument("--info", action="store_true",
                    help="print entry and the HTIF symbols instead of converting")
    args = ap.parse_args(argv)

    try:
        with open(args.elf, "rb") as f:
            data = f.read()
        entry, segments, symbols = read_elf32(data)
        if args.info:
            def fmt(name):
                return "%08x" % symbols[name] if name in symbols else "none"
            print("entry=%08x tohost=%s fromhost=%s" % (entry, fmt("tohost"), fmt("fromhost")))
            return 0
        if not args.out:
            ap.error("OUT.hex is required unless --info")
        with open(args.out, "w") as out:
            write_hex(segments, args.base, args.size, out)
    except (OSError, ElfError, struct.error, ValueError) as e:
        print("elf2hex: %s: %s" % (args.elf, e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
