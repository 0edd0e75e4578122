#!/usr/bin/env python3
"""check_disasm.py: compares build/waves/filter_insn --no-aliases with GNU objdump -M no-aliases
on every instruction of the given ELFs (make waves-check runs it on the directed tests).

A word passes when both name the same mnemonic. A word objdump decodes but umbra's decoder
refuses (another extension), and CSR accesses and fence forms objdump leaves as .word (a
read-only or unknown CSR decodes, then traps; fence.tso and pause are fences) are counted apart, not as failures; a word umbra's decoder accepts
but objdump does not know, or a different mnemonic, is a failure (first 10 printed).
It also checks the filter's side of gtkwave's protocol (a line out for every line in, x/z values
echoed) and that a bad command line is refused. Last line "N passed, N failed" (one test).
"""
import re
import subprocess
import sys

LINE = re.compile(r"^\s*([0-9a-f]+):\t([0-9a-f]{8})\s+\t(\S+)")


def protocol_problems():
    """gtkwave's side of the filter: one line out per line in, whatever comes in; a bad
    command line is refused with one error line."""
    problems = []
    p = subprocess.run(["build/waves/filter_insn"], input="xxxxxxxx\n\n00000013\nzz\n",
                       capture_output=True, text=True, timeout=10)
    if p.stdout.splitlines() != ["xxxxxxxx", "", "nop", "zz"]:
        problems.append("values x/empty/nop/z came back as %r" % p.stdout.splitlines())
    p = subprocess.run(["build/waves/filter_insn", "--bogus-option"], capture_output=True, text=True,
                       input="", timeout=10)
    err = p.stderr.strip().splitlines()
    if p.returncode != 2 or len(err) != 1 or not err[0].startswith("filter_insn: error: "):
        problems.append("--bogus: exit %d, stderr %r" % (p.returncode, p.stderr))
    return problems


def main():
    elfs = sys.argv[1:]
    if not elfs:
        print("usage: check_disasm.py ELF...", file=sys.stderr)
        return 2
    words = []
    for elf in elfs:
        out = subprocess.run(["riscv64-unknown-elf-objdump", "-d", "-M", "no-aliases", elf],
                             check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            m = LINE.match(line)
            if m:
                words.append((elf, m.group(1), m.group(2), m.group(3)))
    filt = subprocess.run(["build/waves/filter_insn", "--no-aliases"], check=True, text=True,
                          capture_output=True, input="".join(w[2] + "\n" for w in words))
    ours = filt.stdout.splitlines()
    if len(ours) != len(words):
        print("FAIL disasm: %d words in, %d lines out" % (len(words), len(ours)))
        print("0 passed, 1 failed")
        return 1
    bad, other_ext, csr_only = protocol_problems(), 0, 0
    for (elf, addr, word, theirs), mine in zip(words, ours):
        mine = mine.split("?")[-1].split()[0] if mine != "-" else "illegal"
        if mine == "illegal":
            if not theirs.startswith(".") and theirs != "unimp":
                other_ext += 1
            continue
        if theirs == ".word" and mine.startswith(("csr", "fence")):
            csr_only += 1   # objdump refuses writes to read-only or unknown CSRs (they decode,
            continue        # then trap) and fence.tso/pause/fence 0,0 (Ztso, Zihintpause)
        if mine != theirs:
            bad.append("%s %s: %s is %s, objdump says %s" % (elf, addr, word, mine, theirs))
    if bad:
        print("FAIL disasm-vs-objdump: %d problems in %d words" % (len(bad), len(words)))
        for b in bad[:10]:
            print("    " + b)
        print("0 passed, 1 failed")
        return 1
    print("PASS disasm-vs-objdump: %d words, same mnemonics (%d outside umbra's ISA, %d CSR "
          "accesses and fence forms objdump leaves as .word)" % (len(words), other_ext, csr_only))
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
