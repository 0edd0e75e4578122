#!/usr/bin/env python3
"""rvgen.py: seeded random RV32IM/Zicsr/Sv32 programs, run on QEMU, build/umbra-iss and build/umbra, signatures compared.

Each program (seed S) is assembly written to build/rvgen/S.S, linked with the environment of
firmware/rvgen (env.S: reset, M and S trap handlers, signature dump) and run on every target.
A program is a chain of blocks in M, S and U mode (mret into S/U, `ecall` + RVGEN_TO_M back),
each block a random mix of: every RV32IM instruction with interesting operands (0, -1, INT_MIN,
INT_MAX, shifts by 0/31, division by zero and overflow), register dependencies, loads and
stores of every size into four data pages (aligned; misaligned from M-mode), forward branches
and jumps, backward jumps and counted loops, CSR accesses (mscratch, mepc, mtvec, medeleg,
mie, sstatus, ...; never counters), exceptions (illegal encodings, ecall, ebreak, privileged
instructions and CSRs from lower modes, access faults), and with Sv32 on: data pages mapped
twice and through superpages with random R/W/X/U permissions (A and D preset: umbra is
Svade, QEMU would set them), SUM/MXR/TVM/TW, PTE rewrites followed by sfence.vma.
The console signature (x1..x31, CSRs, data pages, trap log with cause/epc/tval/mode,
misaligned log) must be identical byte for byte on every target.

One legal difference is normalised, and said in one line at the start of the run: QEMU
performs misaligned loads/stores in hardware, umbra traps and the handler emulates them (as
OpenSBI does); the 'misaligned' log lines are therefore compared between umbra-iss and
umbra only.

Program i of a run is seed --seed + i; `--seed S --count 1 --keep` reproduces one program.
Nightly: python3 regress/rvgen.py --count 5000 --seed N   (any N; about 10 minutes on 2 cores)
Prints PASS/FAIL per program, then exactly "N passed, N failed"; exit status 1 on a failure,
2 on bad options.
"""

import argparse
import concurrent.futures
import os
import random
import re
import shlex
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV_DIR = os.path.join("firmware", "rvgen")
CC = "riscv64-unknown-elf-gcc"
CFLAGS = ["-march=rv32im_zicsr_zifencei", "-mabi=ilp32", "-nostdlib", "-nostartfiles",
          "-Ifirmware/lib", "-I" + ENV_DIR, "-T", os.path.join(ENV_DIR, "link.ld"),
          "-Wl,--no-warn-rwx-segments"]
QEMU_CPU = ("rv32,a=off,c=off,f=off,d=off,h=off,zba=off,zbb=off,zbc=off,zbs=off,sstc=off")
# The targets. The first one named in --sim is the reference the others are compared with.
SIMS = {
    "qemu": ["qemu-system-riscv32", "-machine", "virt", "-bios", "none", "-m", "128M",
             "-cpu", QEMU_CPU, "-display", "none", "-serial", "stdio", "-monitor", "none",
             "-kernel"],
    "iss": ["build/umbra-iss", "--quiet", "--max-cycles", "20000000"],
    "rtl": ["build/umbra", "--quiet", "--max-cycles", "20000000"],
}
# Per-program options drawn from the seed: the RTL runs each program at one of four memory
# latencies, so pipeline hazards are met at different timings (the signature must not change).
SEEDED = {
    "rtl": lambda seed: ["--mem-latency", str(1 + seed % 4)],
}
# Targets that raise a page fault, not an access fault, when a page-table walk reads where
# nothing answers (QEMU 7.2: get_physical_address returns TRANSLATE_FAIL); programs for a run
# with such a target leave that case out.
WALK_FAULT_IS_PAGE_FAULT = {"qemu"}
# Targets on which csrrs/csrrc to a read-only CSR with rs1 != x0 holding zero does not trap
# (QEMU 7.2 decides on the value; the Zicsr spec on the register: it is a write, illegal).
RO_ZERO_WRITE_IS_READ = {"qemu"}
RO_NOTE = ("note: csrrs/csrrc to a read-only CSR with rs1 != x0 holding zero: QEMU 7.2 reads, the "
           "Zicsr spec (umbra) traps; generated only when QEMU is not a target")
WALK_NOTE = ("note: a page-table walk that reads where nothing answers: QEMU 7.2 raises a page fault, "
             "the privileged spec an access fault (umbra); generated only when QEMU is not a target")
# Targets that perform misaligned loads/stores in hardware (their 'misaligned' lines are absent).
HW_MISALIGNED = {"qemu"}
MISALIGNED_NOTE = ("note: misaligned loads/stores: QEMU performs them in hardware, umbra traps and "
                   "the handler emulates them; 'misaligned' lines are compared among umbra targets only")


def defines(path):
    """The `#define NAME number` lines of a header, as a dict."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"#define\s+(\w+)\s+(0x[0-9a-fA-F]+|\d+)\s*(?:/\*.*)?$", line)
            if m:
                out[m.group(1)] = int(m.group(2), 0)
    return out


L = defines(os.path.join(ROOT, ENV_DIR, "rvgen.h"))
M, S, U = 3, 1, 0
MODE_NAME = {M: "M", S: "S", U: "U"}

# Operand values that matter: zero, one, all ones, sign boundaries, byte/half boundaries.
INTERESTING = [0, 1, 2, 0xffffffff, 0xfffffffe, 0x80000000, 0x80000001, 0x7fffffff, 0x7ffffffe,
               0xffff, 0x8000, 0x7fff, 0xffff8000, 0xff, 0x80, 0x7f, 0xffffff80, 31, 32, 33,
               0x7ff, 0x800, 0xfffff800, 0x55555555, 0xaaaaaaaa, 0x0000ffff, 0xffff0000]
IMM_INTERESTING = [0, 1, -1, 2047, -2048, 0x7ff, 31, -32, 0x555, -0x556]
ALU_RR = ["add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and",
          "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"]
ALU_IMM = ["addi", "slti", "sltiu", "xori", "ori", "andi"]
SHIFT_IMM = ["slli", "srli", "srai"]
BRANCHES = ["beq", "bne", "blt", "bge", "bltu", "bgeu"]
LOADS = [("lb", 1), ("lbu", 1), ("lh", 2), ("lhu", 2), ("lw", 4)]
STORES = [("sb", 1), ("sh", 2), ("sw", 4)]
# Encodings every RV32IM_Zicsr hart without C must reject (umbra's directed trap test agrees).
ILLEGAL_WORDS = [0x00000000, 0xffffffff, 0x0000007f, 0x02001013, 0x06000033, 0x3e000033,
                 0x0000700f, 0x00002063, 0x00007003, 0x00007023, 0xfff02573, 0x30300073,
                 0x00006003, 0x0000e023]
# CSRs as (name, write mask or None = read-only here, lowest mode that may access it).
# Masks keep out bits where QEMU 7.2 and umbra legally differ (WARL choices; SPEC §7 and
# firmware/tests/csr_machine.c notes) and bits that would break the environment.
CSRS_M = [("mscratch", 0xffffffff), ("mepc", 0xfffffffc), ("mcause", 0xffffffff),
          ("mtval", 0xffffffff), ("medeleg", 0xb0ff), ("mideleg", 0x222), ("mie", 0xaaa),
          ("mcounteren", 0xffffffff), ("scounteren", 0xffffffff), ("mip", None),
          ("misa", None), ("mhartid", None), ("satp", None)]
CSRS_S = [("sscratch", 0xffffffff), ("sepc", 0xfffffffc), ("scause", 0xffffffff),
          ("stval", 0xffffffff), ("sie", 0x222), ("sip", None)]
MSTATUS_RANDOM = 0x000c0022   # SIE, SPIE, SUM, MXR: set/cleared by csrrs/csrrc at random
MSTATUS_BLOCK = 0x003c0000    # SUM, MXR, TVM, TW: chosen per S/U block on entry
PTE_V, PTE_R, PTE_W, PTE_X, PTE_U, PTE_A, PTE_D = 1, 2, 4, 8, 16, 64, 128
PERMS = [PTE_R, PTE_R | PTE_W, PTE_R | PTE_X, PTE_R | PTE_W | PTE_X, PTE_X, PTE_W, 0]


class Options:
    """What the generator may use (the exclusion switches of the command line)."""

    def __init__(self, vm=True, priv=True, misaligned=True, nomem=True, badwalk=True,
                 ro_zero_write=True):
        self.vm, self.priv, self.misaligned, self.nomem = vm, priv, misaligned, nomem
        self.badwalk, self.ro_zero_write = badwalk, ro_zero_write


class Program:
    """One random program: text of its assembly from one seed."""

    def __init__(self, seed, opts):
        self.seed = seed
        self.opts = opts
        self.r = random.Random(seed)
        self.nlabel = 0
        self.recent = []
        self.vm = opts.vm and self.r.random() < 0.75
        self.pte = {}        # L0 index -> PTE (initial page table)
        self.super_pte = 0
        self.hot = [(self.r.randrange(L["RVGEN_DATA_PAGES"]), self.r.randrange(L["RVGEN_WINDOW"]))
                    for _ in range(6)]

    # ---- helpers -------------------------------------------------------------------------
    def label(self):
        self.nlabel += 1
        return "L%d" % self.nlabel

    def rd(self, avoid):
        """A destination: often x0 or a recent one, never tp or a register in avoid."""
        r = self.r
        if 0 not in avoid and r.random() < 0.04:
            return 0
        pool = [x for x in range(1, 32) if x != 4 and x not in avoid]
        x = r.choice(pool)
        self.recent = ([x] + [y for y in self.recent if y != x])[:6]
        return x

    def rs(self):
        """A source: mostly a recent destination (dependencies), sometimes any register."""
        r = self.r
        if self.recent and r.random() < 0.6:
            return r.choice(self.recent)
        return r.randrange(32)

    def value(self):
        r = self.r
        return r.choice(INTERESTING) if r.random() < 0.6 else r.getrandbits(32)

    def imm12(self):
        r = self.r
        return r.choice(IMM_INTERESTING) if r.random() < 0.4 else r.randint(-2048, 2047)

    def shamt(self):
        r = self.r
        return r.choice([0, 31, 1, 16]) if r.random() < 0.5 else r.randrange(32)

    # ---- address map ---------------------------------------------------------------------
    def build_tables(self):
        """Initial Sv32 tables: env and code identity (U per block), data pages at two
        virtual addresses with random permissions, a hole, a superpage and a misaligned one."""
        r = self.r
        for va in range(L["RVGEN_ENV_PA"], L["RVGEN_ENV_PA"] + L["RVGEN_ENV_SIZE"], 4096):
            self.pte[(va >> 12) & 0x3ff] = leaf(va, PTE_R | PTE_W | PTE_X)
        for k in range(L["RVGEN_DATA_PAGES"]):
            pa = L["RVGEN_DATA_PA"] + 4096 * k
            self.pte[(pa >> 12) & 0x3ff] = leaf(pa, self.rand_perm())
            self.pte[((L["RVGEN_ALIAS_VA"] >> 12) & 0x3ff) + k] = leaf(pa, self.rand_perm())
        self.pte[(L["RVGEN_HOLE_VA"] >> 12) & 0x3ff] = leaf(L["RVGEN_DATA_PA"], PTE_R) & ~PTE_V \
            if r.random() < 0.5 else 0
        self.super_pte = leaf(L["RVGEN_ENV_PA"], self.rand_perm(leaf_only=True))
        self.pte[(L["RVGEN_NOMEM_VA"] >> 12) & 0x3ff] = leaf(L["RVGEN_NOMEM_PA"], self.rand_perm(True))

    def rand_perm(self, leaf_only=False):
        """Random R/W/X (W-only reserved and, at level 0, none = a fault) and U. A superpage
        never gets R=W=X=0: it would point at code as a next-level table."""
        r = self.r
        p = r.choice(PERMS[:4]) if r.random() < 0.6 else r.choice(PERMS[:-1] if leaf_only else PERMS)
        if r.random() < 0.4:
            p |= PTE_U
        return p

    def code_pte(self, blk, mode):
        pa = L["RVGEN_CODE_PA"] + blk * L["RVGEN_BLOCK_SIZE"]
        for off in range(0, L["RVGEN_BLOCK_SIZE"], 4096):
            self.pte[((pa + off) >> 12) & 0x3ff] = leaf(pa + off, PTE_R | PTE_X |
                                                         (PTE_U if mode == U else 0))

    def data_target(self, mode, size, misaligned=False):
        """Address of a data access in a window of a data page, through one of its mappings
        when translated. Half the time one of a few hot spots, so that stores and loads of
        different sizes meet at the same bytes (forwarding, partial overlap)."""
        r = self.r
        if r.random() < 0.5:
            k, off = r.choice(self.hot)
            off -= off % size
        else:
            k, off = r.randrange(L["RVGEN_DATA_PAGES"]), r.randrange(0, L["RVGEN_WINDOW"] - size + 1)
            off -= off % size
        if misaligned:
            off = min(off + r.randrange(1, size), L["RVGEN_WINDOW"] - size)
            if off % size == 0:
                off -= 1
        if mode == M or not self.vm:
            return L["RVGEN_DATA_PA"] + 4096 * k + off
        where = r.random()
        if where < 0.45:
            return L["RVGEN_DATA_PA"] + 4096 * k + off
        if where < 0.8:
            return L["RVGEN_ALIAS_VA"] + 4096 * k + off
        if where < 0.9:
            return L["RVGEN_SUPER_VA"] + (L["RVGEN_DATA_PA"] - L["RVGEN_ENV_PA"]) + 4096 * k + off
        if where < 0.93:
            return L["RVGEN_BADSUPER_VA"] + 4096 * k + off
        if where < 0.96 or not self.opts.nomem:
            return L["RVGEN_HOLE_VA"] + off
        if where < 0.98 or not self.opts.badwalk:
            return L["RVGEN_NOMEM_VA"] + off
        return L["RVGEN_BADWALK_VA"] + off

    # ---- items: each a list of assembly lines -----------------------------------------------
    def items(self, n, mode, ctx, avoid, depth=0):
        """n random items; forward branches land on item boundaries of this same list."""
        out, pending = [], []
        for _ in range(n):
            for (at, lab) in [p for p in pending if p[0] == len(out)]:
                pending.remove((at, lab))
                out.append([lab + ":"])
            out.append(self.item(mode, ctx, avoid, depth, pending, len(out)))
        for (_, lab) in pending:
            out.append([lab + ":"])
        return out

    def item(self, mode, ctx, avoid, depth, pending, here):
        r = self.r
        kinds = [("alu_rr", 22), ("alu_imm", 14), ("li", 10), ("upper", 3), ("load", 10),
                 ("store", 9), ("branch", 6), ("jump", 3), ("csr", 6), ("trap", 3), ("misfetch", 1),
                 ("fence", 1)]
        if depth < 2:
            kinds += [("loop", 2), ("backward", 2)]
        if mode == M:
            kinds += [("mstatus", 1), ("tvec", 1), ("fault", 1), ("smc", 1)]
            if self.vm:
                kinds += [("pte", 2), ("mprv", 2)]
            if self.opts.misaligned:
                kinds += [("misaligned", 3)]
        if mode == S:
            kinds += [("tvec", 1), ("sfence", 1)]
        if mode != M:
            kinds += [("privileged", 3)]
        total = sum(w for _, w in kinds)
        pick = r.randrange(total)
        for kind, w in kinds:
            if pick < w:
                break
            pick -= w
        return getattr(self, "i_" + kind)(mode, ctx, avoid, depth, pending, here)

    def i_alu_rr(self, mode, ctx, avoid, depth, pending, here):
        return ["%s x%d, x%d, x%d" % (self.r.choice(ALU_RR), self.rd(avoid), self.rs(), self.rs())]

    def i_alu_imm(self, mode, ctx, avoid, depth, pending, here):
        if self.r.random() < 0.35:
            return ["%s x%d, x%d, %d" % (self.r.choice(SHIFT_IMM), self.rd(avoid), self.rs(),
                                         self.shamt())]
        return ["%s x%d, x%d, %d" % (self.r.choice(ALU_IMM), self.rd(avoid), self.rs(),
                                     self.imm12())]

    def i_li(self, mode, ctx, avoid, depth, pending, here):
        return ["li x%d, 0x%x" % (self.rd(avoid), self.value())]

    def i_upper(self, mode, ctx, avoid, depth, pending, here):
        op = self.r.choice(["lui", "auipc"])
        return ["%s x%d, 0x%x" % (op, self.rd(avoid), self.r.getrandbits(20))]

    def base_for(self, addr, avoid):
        """li base, addr - imm; returns (lines, base, imm)."""
        imm = self.imm12() if self.r.random() < 0.5 else 0
        base = self.rd(avoid | {0})
        return ["li x%d, 0x%x" % (base, (addr - imm) & 0xffffffff)], base, imm

    def i_load(self, mode, ctx, avoid, depth, pending, here):
        op, size = self.r.choice(LOADS)
        lines, base, imm = self.base_for(self.data_target(mode, size), avoid)
        return lines + ["%s x%d, %d(x%d)" % (op, self.rd(avoid), imm, base)]

    def i_store(self, mode, ctx, avoid, depth, pending, here):
        op, size = self.r.choice(STORES)
        lines, base, imm = self.base_for(self.data_target(mode, size), avoid)
        return lines + ["%s x%d, %d(x%d)" % (op, self.rs(), imm, base)]

    def i_misaligned(self, mode, ctx, avoid, depth, pending, here):
        """M-mode, untranslated: trap + emulation on umbra, done in hardware on QEMU. The trap
        CSRs are rewritten after it so both end alike (env.S rule 4)."""
        r = self.r
        if r.random() < 0.5:
            op, size = r.choice([("lh", 2), ("lhu", 2), ("lw", 4)])
            lines, base, imm = self.base_for(self.data_target(M, size, True), avoid)
            lines.append("%s x%d, %d(x%d)" % (op, self.rd(avoid), imm, base))
        else:
            op, size = r.choice([("sh", 2), ("sw", 4)])
            lines, base, imm = self.base_for(self.data_target(M, size, True), avoid)
            lines.append("%s x%d, %d(x%d)" % (op, self.rs(), imm, base))
        return lines + ["csrw mcause, zero", "csrw mepc, zero", "csrw mtval, zero"]

    def i_fault(self, mode, ctx, avoid, depth, pending, here):
        """Access fault: nothing answers at UNMAPPED_ADDR (checked on QEMU's virt too)."""
        r = self.r
        lines, base, imm = self.base_for(0x1000f000 + 4 * r.randrange(16), avoid)
        if r.random() < 0.5:
            op, _ = r.choice(LOADS)
            return lines + ["%s x%d, %d(x%d)" % (op, self.rd(avoid), imm, base)]
        op, _ = r.choice(STORES)
        return lines + ["%s x%d, %d(x%d)" % (op, self.rs(), imm, base)]

    def i_branch(self, mode, ctx, avoid, depth, pending, here):
        lab = self.label()
        pending.append((here + 1 + self.r.randrange(0, 6), lab))
        rs1 = self.rs()
        rs2 = rs1 if self.r.random() < 0.15 else self.rs()
        return ["%s x%d, x%d, %s" % (self.r.choice(BRANCHES), rs1, rs2, lab)]

    def i_jump(self, mode, ctx, avoid, depth, pending, here):
        lab = self.label()
        pending.append((here + 1 + self.r.randrange(1, 4), lab))
        if self.r.random() < 0.5:
            return ["jal x%d, %s" % (self.rd(avoid), lab)]
        tmp = self.rd(avoid | {0})
        off = self.r.choice([0, 4, 8, -4, 12])
        return ["la x%d, %s%+d" % (tmp, lab, -off),
                "jalr x%d, %d(x%d)" % (self.rd(avoid), off, tmp)]

    def i_misfetch(self, mode, ctx, avoid, depth, pending, here):
        """jalr to a target 2 bytes off alignment: instruction-address-misaligned at the jalr,
        mtval = the target, rd not written (misaligned jal/branch are kept out: QEMU 7.2
        reports a stale mtval for them)."""
        lab = self.label()
        pending.append((here + 1 + self.r.randrange(0, 3), lab))
        tmp = self.rd(avoid | {0})
        off = self.r.choice([2, -2, 6, 10])
        return ["la x%d, %s" % (tmp, lab), "jalr x%d, %d(x%d)" % (self.rd(avoid), off, tmp)]

    def i_backward(self, mode, ctx, avoid, depth, pending, here):
        """A backward jump without a loop: forward to a trampoline that jumps back."""
        a, b, c = self.label(), self.label(), self.label()
        body = self.items(self.r.randint(1, 5), mode, ctx, avoid, depth + 1)
        return (["jal x%d, %s" % (self.rd(avoid), b), a + ":"] + sum(body, []) +
                ["j " + c, b + ":", "jal x%d, %s" % (self.rd(avoid), a), c + ":"])

    def i_loop(self, mode, ctx, avoid, depth, pending, here):
        """A counted loop (backward branch); the body never writes the counter."""
        r = self.r
        cnt = self.rd(avoid | {0})
        top = self.label()
        body = self.items(r.randint(2, 8), mode, ctx, avoid | {cnt}, depth + 1)
        n = r.randint(1, 6)
        if r.random() < 0.5:
            return (["li x%d, %d" % (cnt, n), top + ":"] + sum(body, []) +
                    ["addi x%d, x%d, -1" % (cnt, cnt), "bnez x%d, %s" % (cnt, top)])
        return (["li x%d, %d" % (cnt, -n), top + ":"] + sum(body, []) +
                ["addi x%d, x%d, 1" % (cnt, cnt), "blt x%d, zero, %s" % (cnt, top)])

    def csr_op(self, name, mask, avoid):
        r = self.r
        d = self.rd(avoid)
        if mask is None and name == "mhartid" and r.random() < 0.6:
            # a read-only CSR: csrrs/csrrc with x0 or uimm 0 only read it; any other form writes
            # and is illegal (csrrw/csrrwi always write), even when rs1 (not x0) holds zero
            src = self.rd(avoid | {0})
            value = r.choice([0, 0, 1, self.value() | 1]) if self.opts.ro_zero_write else \
                self.value() | 1
            return r.choice([["csrrs x%d, mhartid, x0" % d], ["csrrci x%d, mhartid, 0" % d],
                             ["li x%d, 0x%x" % (src, value),
                              "%s x%d, mhartid, x%d" % (r.choice(["csrrs", "csrrc"]), d, src)],
                             ["csrrsi x%d, mhartid, %d" % (d, r.randrange(1, 32))],
                             ["csrrwi x%d, mhartid, 0" % d], ["csrrw x0, mhartid, x0"]])
        if mask is None:
            return ["csrr x%d, %s" % (d, name)]
        op = r.choice(["csrrw", "csrrs", "csrrc", "csrrwi", "csrrsi", "csrrci", "csrr"])
        if op == "csrr":
            return ["csrr x%d, %s" % (d, name)]
        if op.endswith("i"):
            return ["%s x%d, %s, %d" % (op, d, name, r.randrange(32) & mask)]
        if mask == 0xffffffff and r.random() < 0.7:
            return ["%s x%d, %s, x%d" % (op, d, name, self.rs())]
        src = self.rd(avoid | {0})
        return ["li x%d, 0x%x" % (src, self.value() & mask),
                "%s x%d, %s, x%d" % (op, d, name, src)]

    def i_csr(self, mode, ctx, avoid, depth, pending, here):
        r = self.r
        if mode == M:
            name, mask = r.choice(CSRS_M + CSRS_S)
        elif mode == S:
            name, mask = r.choice(CSRS_S + [("satp", None)]) if not ctx["tvm"] \
                else r.choice(CSRS_S)
        else:
            return self.i_privileged(mode, ctx, avoid, depth, pending, here)
        return self.csr_op(name, mask, avoid)

    def i_mstatus(self, mode, ctx, avoid, depth, pending, here):
        r = self.r
        src = self.rd(avoid | {0})
        v = r.getrandbits(32) & MSTATUS_RANDOM
        csr = r.choice(["mstatus", "sstatus"])
        return ["li x%d, 0x%x" % (src, v),
                "%s x%d, %s, x%d" % (r.choice(["csrrs", "csrrc"]), self.rd(avoid), csr, src)]

    def i_tvec(self, mode, ctx, avoid, depth, pending, here):
        """Write a random (mode 0..3) trap vector, read it back, restore the handler."""
        r = self.r
        name, handler = ("mtvec", "rvgen_mtrap") if mode == M and r.random() < 0.6 \
            else ("stvec", "rvgen_strap")
        src = self.rd(avoid | {0})
        tmp = self.rd(avoid | {0})
        return ["li x%d, 0x%x" % (src, self.value()),
                "csrrw x%d, %s, x%d" % (self.rd(avoid), name, src),
                "csrr x%d, %s" % (self.rd(avoid), name),
                "la x%d, %s" % (tmp, handler), "csrw %s, x%d" % (name, tmp)]

    def i_trap(self, mode, ctx, avoid, depth, pending, here):
        r = self.r
        k = r.random()
        if k < 0.3:
            return ["ecall"]
        if k < 0.55:
            return ["ebreak"]
        if k < 0.65:
            return ["csrw mhartid, x%d" % self.rs()]    # read-only CSR
        return [".word 0x%08x" % r.choice(ILLEGAL_WORDS)]

    def i_privileged(self, mode, ctx, avoid, depth, pending, here):
        """What a lower mode may not do: M CSRs and mret from S/U, S CSRs and sret from U,
        wfi in U (or S with TW=1), sfence.vma in U (or S with TVM=1); counters as the
        counter-enable CSRs say."""
        r = self.r
        d = self.rd(avoid)
        choices = ["csrr x%d, %s" % (d, r.choice(["mstatus", "mscratch", "mepc", "medeleg",
                                                 "mtvec", "mhartid", "misa"])),
                   "csrw mscratch, x%d" % self.rs(), "mret"]
        # counters from S/U: legal or illegal by mcounteren (and scounteren for U); read into
        # x0, as their values are timing
        choices += ["csrr x0, %s" % r.choice(["cycle", "time", "instret", "cycleh", "timeh",
                                             "instreth"])] * 2
        if mode == U:
            choices += ["csrr x%d, %s" % (d, r.choice(["sstatus", "sscratch", "satp", "stvec"])),
                        "sret", "wfi", "sfence.vma", "csrw sscratch, x%d" % self.rs()]
        else:
            if ctx["tw"]:
                choices.append("wfi")
            if ctx["tvm"]:
                choices += ["sfence.vma", "csrr x%d, satp" % d]
        return [r.choice(choices)]

    def i_sfence(self, mode, ctx, avoid, depth, pending, here):
        if ctx["tvm"]:
            return self.i_privileged(mode, ctx, avoid, depth, pending, here)
        return ["sfence.vma x%d, x%d" % (self.rs(), self.rs())]

    def i_fence(self, mode, ctx, avoid, depth, pending, here):
        return [self.r.choice(["fence", "fence.i", "fence rw, rw", "fence r, w", "fence w, r",
                               "fence iorw, iorw"])]

    def i_mprv(self, mode, ctx, avoid, depth, pending, here):
        """An M-mode load or store translated with the privilege in MPP (MPRV=1), then MPRV
        and MPP restored (env.S rule 5). A fault traps with MPP=M, so the handler runs untranslated
        and returns to the instruction that clears MPRV."""
        r = self.r
        as_mode = r.choice([S, U])
        tmp = self.rd(avoid | {0})
        if r.random() < 0.5:
            op, size = r.choice(LOADS)
            lines, base, imm = self.base_for(self.data_target(as_mode, size), avoid | {tmp})
            access = "%s x%d, %d(x%d)" % (op, self.rd(avoid | {tmp}), imm, base)
        else:
            op, size = r.choice(STORES)
            lines, base, imm = self.base_for(self.data_target(as_mode, size), avoid | {tmp})
            access = "%s x%d, %d(x%d)" % (op, self.rs(), imm, base)
        return (lines + ["li x%d, 0x%x" % (tmp, 0x20000 | (as_mode << 11)), "csrs mstatus, x%d" % tmp,
                         access, "li x%d, 0x21800" % tmp, "csrc mstatus, x%d" % tmp])

    def i_smc(self, mode, ctx, avoid, depth, pending, here):
        """Self-modifying code: store a random ALU instruction over the next slot, fence.i,
        execute it (the I-side must see the D-side's store)."""
        r = self.r
        a = self.rd(avoid | {0})
        v = self.rd(avoid | {0, a})
        slot = self.label()
        rd = self.rd(avoid)
        if r.random() < 0.5:
            f3, f7 = r.choice([(0, 0), (0, 0x20), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (5, 0x20),
                               (6, 0), (7, 0), (0, 1), (1, 1), (4, 1), (5, 1), (6, 1), (7, 1)])
            word = (f7 << 25) | (self.rs() << 20) | (self.rs() << 15) | (f3 << 12) | (rd << 7) | 0x33
        else:
            f3 = r.choice([0, 2, 3, 4, 6, 7])
            word = ((self.imm12() & 0xfff) << 20) | (self.rs() << 15) | (f3 << 12) | (rd << 7) | 0x13
        return ["la x%d, %s" % (a, slot), "li x%d, 0x%08x" % (v, word), "sw x%d, 0(x%d)" % (v, a),
                "fence.i", "%s:" % slot, "nop"]

    def i_pte(self, mode, ctx, avoid, depth, pending, here):
        """Rewrite a data page's PTE (or the superpage's) with new permissions, then flush."""
        r = self.r
        a = self.rd(avoid | {0})
        v = self.rd(avoid | {0, a})
        k = r.randrange(L["RVGEN_DATA_PAGES"])
        pa = L["RVGEN_DATA_PA"] + 4096 * k
        choice = r.random()
        if choice < 0.45:
            va = pa
            addr, pte = L["RVGEN_PT_PA"] + 4096 + 4 * ((pa >> 12) & 0x3ff), leaf(pa, self.rand_perm())
        elif choice < 0.9:
            va = L["RVGEN_ALIAS_VA"] + 4096 * k
            addr, pte = L["RVGEN_PT_PA"] + 4096 + 4 * ((va >> 12) & 0x3ff), leaf(pa, self.rand_perm())
        else:
            va = L["RVGEN_SUPER_VA"] + (pa - L["RVGEN_ENV_PA"])
            addr = L["RVGEN_PT_PA"] + 4 * (L["RVGEN_SUPER_VA"] >> 22)
            pte = leaf(L["RVGEN_ENV_PA"], self.rand_perm(leaf_only=True))
        lines = ["li x%d, 0x%x" % (a, addr), "li x%d, 0x%x" % (v, pte), "sw x%d, 0(x%d)" % (v, a)]
        f = r.random()
        if f < 0.3:
            return lines + ["sfence.vma"]
        if f < 0.5:
            return lines + ["sfence.vma zero, zero"]
        # only the page that changed (any byte of it), any or no ASID register
        return lines + ["li x%d, 0x%x" % (a, va + r.randrange(4096)),
                        "sfence.vma x%d, x%d" % (a, r.choice([0, self.rs()]))]

    # ---- the program -----------------------------------------------------------------------
    def text(self):
        r = self.r
        nblocks = r.randint(3, 8) if self.opts.priv else r.randint(2, 4)
        modes = [M] + [r.choice([M, S, S, U, U]) if self.opts.priv else M
                       for _ in range(nblocks - 2)] + [M]
        if self.vm:
            self.build_tables()
        out = ["/* rvgen program, seed %d: %s, Sv32 %s (generated by regress/rvgen.py) */"
               % (self.seed, " ".join(MODE_NAME[m] for m in modes), "on" if self.vm else "off"),
               '#include "rvgen.h"', "\t.option norelax",
               "\t.section .rodata", "\t.globl rvgen_seed", "rvgen_seed: .word %d" % (self.seed & 0xffffffff),
               "\t.section .text.blocks, \"ax\"", "\t.balign %d" % L["RVGEN_BLOCK_SIZE"],
               "\t.globl rvgen_program", "rvgen_program:"]
        for i, mode in enumerate(modes):
            self.code_pte(i, mode)
            ctx = {"tvm": False, "tw": False}
            enter = []
            if i == 0:
                # block 0 starts in M: random initial registers
                enter += ["li x%d, 0x%x" % (x, self.value()) for x in range(1, 32) if x != 4]
                if self.vm:
                    satp = 0x80000000 | (L["RVGEN_PT_PA"] >> 12)
                    enter += ["li t0, 0x%x" % satp, "csrw satp, t0", "sfence.vma"]
            elif mode != M:
                ctx = {"tvm": r.random() < 0.3, "tw": r.random() < 0.3}
                bits = (r.getrandbits(32) & 0x000c0000) | (0x00100000 if ctx["tvm"] else 0) | \
                    (0x00200000 if ctx["tw"] else 0)
                tmp = self.rd({0})
                enter += ["li x%d, 0x%x" % (tmp, MSTATUS_BLOCK), "csrc mstatus, x%d" % tmp,
                          "li x%d, 0x%x" % (tmp, bits | (mode << 11)), "csrs mstatus, x%d" % tmp,
                          "la x%d, B%d" % (tmp, i), "csrw mepc, x%d" % tmp, "mret"]
            out.append("\t.balign %d" % L["RVGEN_BLOCK_SIZE"])
            start = len(out)
            out.append("B%d_start:\t/* block %d: %s-mode */" % (i, i, MODE_NAME[mode]))
            out += ["\t" + s for s in enter]
            out.append("B%d:" % i)
            for lines in self.items(r.randint(25, 90), mode, ctx, set()):
                out += [s if s.endswith(":") else "\t" + s for s in lines]
            nxt = modes[i + 1] if i + 1 < len(modes) else M
            if mode == S and nxt == U and r.random() < 0.5:
                # straight into the U block with sret (its entry code in M is skipped)
                tmp = self.rd({0})
                out += ["\tla x%d, B%d" % (tmp, i + 1), "\tcsrw sepc, x%d" % tmp,
                        "\tli x%d, 0x100" % tmp, "\tcsrc sstatus, x%d" % tmp, "\tsret"]
            elif mode != M:
                out += ["\tecall", "\t.word RVGEN_TO_M"]
            out.append("\tj %s" % ("B%d_start" % (i + 1) if i + 1 < len(modes) else "rvgen_finish"))
            # at most 8 bytes a line (li and la are two instructions): the block fits its pages
            lines = len(out) - start
            if 8 * lines > L["RVGEN_BLOCK_SIZE"]:
                raise RuntimeError("seed %d: block %d may exceed RVGEN_BLOCK_SIZE" % (self.seed, i))
        assert len(modes) <= L["RVGEN_MAX_BLOCKS"]
        out += self.data()
        if self.vm:
            out += self.tables()
        return "\n".join(out) + "\n"

    def data(self):
        out = ["\t.section .data.region, \"aw\""]
        for k in range(L["RVGEN_DATA_PAGES"]):
            words = [self.r.getrandbits(32) for _ in range(L["RVGEN_WINDOW"] // 4)]
            for i in range(0, len(words), 8):
                out.append("\t.word " + ", ".join("0x%08x" % w for w in words[i:i + 8]))
            out.append("\t.zero %d" % (4096 - L["RVGEN_WINDOW"]))
        return out

    def tables(self):
        """Root (L1) then the L0 table of the 4 MiB at RAM_BASE."""
        l0_pa = L["RVGEN_PT_PA"] + 4096
        root = {L["RVGEN_ENV_PA"] >> 22: ((l0_pa >> 12) << 10) | PTE_V,
                L["RVGEN_SUPER_VA"] >> 22: self.super_pte,
                # PPN[0] != 0 in a superpage: misaligned, a page fault on every access
                L["RVGEN_BADSUPER_VA"] >> 22: leaf(L["RVGEN_ENV_PA"] + 0x1000, PTE_R | PTE_W),
                # a next-level table where nothing answers: the walk itself faults
                L["RVGEN_BADWALK_VA"] >> 22: ((L["RVGEN_NOMEM_PA"] >> 12) << 10) | PTE_V}
        out = ["\t.section .pt, \"a\""]
        for table in (root, self.pte):
            out += table_words(table)
        return out


def leaf(pa, perm):
    return ((pa >> 12) << 10) | perm | PTE_V | PTE_A | PTE_D


def table_words(entries):
    out, zeros = [], 0
    for i in range(1024):
        v = entries.get(i, 0)
        if v == 0:
            zeros += 1
            continue
        if zeros:
            out.append("\t.zero %d" % (4 * zeros))
            zeros = 0
        out.append("\t.word 0x%08x\t/* %d */" % (v, i))
    if zeros:
        out.append("\t.zero %d" % (4 * zeros))
    return out


# ---- running ---------------------------------------------------------------------------------

class Result:
    def __init__(self, rc, out, err, cmd):
        self.rc, self.out, self.err, self.cmd = rc, out, err, cmd


def run(cmd, timeout):
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        return Result(p.returncode, p.stdout, p.stderr, cmd)
    except subprocess.TimeoutExpired as e:
        return Result(None, e.stdout or b"", e.stderr or b"", cmd)
    except OSError as e:
        return Result(-1, b"", str(e).encode(), cmd)


def build(seed, opts, outdir):
    """Writes outdir/<seed>.S and links outdir/<seed>.elf; returns the ELF path."""
    src = os.path.join(outdir, "%d.S" % seed)
    elf = os.path.join(outdir, "%d.elf" % seed)
    with open(src, "w", encoding="utf-8") as f:
        f.write(Program(seed, opts).text())
    cmd = [CC] + CFLAGS + ["-o", elf, os.path.join(ENV_DIR, "env.S"), src]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("assembling seed %d failed: %s\n    %s"
                           % (seed, p.stderr.strip(), shlex.join(cmd)))
    return elf


def signature(res):
    """The console lines of one run."""
    return res.out.decode(errors="replace").splitlines()


def comparable(ref, other, a, b):
    """The two line lists to compare for targets named ref and other."""
    if ref in HW_MISALIGNED or other in HW_MISALIGNED:
        a = [s for s in a if not s.startswith("misaligned ")]
        b = [s for s in b if not s.startswith("misaligned ")]
    return a, b


def first_difference(a, b):
    """(line number, line of a, line of b) of the first difference, or None."""
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else "<end of output>"
        y = b[i] if i < len(b) else "<end of output>"
        if x != y:
            return i + 1, x, y
    return None


def judge(sims, results):
    """None when every target ran to 'end' with exit 0 and all agree, else a list of lines."""
    for name in sims:
        res = results[name]
        if res.rc is None:
            return ["%s timed out" % name]
        if res.rc != 0:
            tail = res.err.decode(errors="replace").strip().splitlines()
            return ["%s exit %d%s" % (name, res.rc, (": " + tail[-1]) if tail else "")]
        lines = signature(res)
        if not lines or lines[-1] != "end":
            return ["%s: console does not end with 'end'" % name]
    ref = sims[0]
    for other in sims[1:]:
        a, b = comparable(ref, other, signature(results[ref]), signature(results[other]))
        d = first_difference(a, b)
        if d:
            return ["%s and %s differ at line %d:" % (ref, other, d[0]),
                    "    %-5s %s" % (ref, d[1]), "    %-5s %s" % (other, d[2])]
    return None


def run_one(seed, args, sims):
    try:
        elf = build(seed, args.opts, args.outdir)
    except RuntimeError as e:
        return seed, [str(e)], {}
    results = {name: run(sims[name] + SEEDED.get(name, lambda _: [])(seed) + [elf], args.timeout)
               for name in args.sims}
    why = judge(args.sims, results)
    if why is None and not args.keep:
        for ext in (".S", ".elf"):
            os.remove(os.path.join(args.outdir, "%d%s" % (seed, ext)))
    return seed, why, results


def reproduce_line(seed, args):
    cmd = ["python3", "regress/rvgen.py", "--seed", str(seed), "--count", "1", "--keep",
           "--sim", ",".join(args.sims)] + args.exclude_flags
    return shlex.join(cmd)


def run_all(args, sims):
    passed = failed = 0
    if any(s in HW_MISALIGNED for s in args.sims) and args.opts.misaligned:
        print(MISALIGNED_NOTE)
    if args.opts.vm and args.opts.nomem and not args.opts.badwalk:
        print(WALK_NOTE)
    if not args.opts.ro_zero_write:
        print(RO_NOTE)
    seeds = range(args.seed, args.seed + args.count)
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for seed, why, results in pool.map(lambda s: run_one(s, args, sims), seeds):
            if why is None:
                passed += 1
                print("PASS rvgen seed=%d" % seed)
            else:
                failed += 1
                print("FAIL rvgen seed=%d: %s" % (seed, why[0]))
                for line in why[1:]:
                    print(line)
                print("    reproduce: " + reproduce_line(seed, args))
                elf = os.path.join(args.outdir, "%d.elf" % seed)
                for name in args.sims:
                    if name in results:
                        print("    %s: %s" % (name, shlex.join(results[name].cmd)))
                if not os.path.exists(elf):
                    print("    (program not kept)")
            sys.stdout.flush()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


# ---- self-test -------------------------------------------------------------------------------

def self_test(args, sims):
    """Shows that the comparison can fail and that bad options are refused; numbered cases."""
    failures = passes = 0

    def case(n, ok, what):
        nonlocal failures, passes
        print("%s self-test %d: %s" % ("PASS" if ok else "FAIL", n, what))
        failures += 0 if ok else 1
        passes += 1 if ok else 0

    opts = args.opts
    case(1, Program(7, opts).text() == Program(7, opts).text(), "same seed, same program")
    case(2, Program(7, opts).text() != Program(8, opts).text(), "another seed, another program")
    seed, why, results = run_one(args.seed, args, sims)
    case(3, why is None, "seed %d agrees on %s%s" % (seed, ",".join(args.sims),
                                                     "" if why is None else ": " + why[0]))
    if why is None and len(args.sims) >= 2:
        other = args.sims[-1]
        for n, (pat, what) in enumerate([(r"^(x17 )", "one register"),
                                         (r"^(data )", "one data word"),
                                         (r"^(mepc )", "one CSR")], start=4):
            bad = dict(results)
            text = results[other].out.decode()
            m = re.search(pat + r".*?([0-9a-f])$", text, re.M)
            if not m:
                case(n, False, "no line matching %s to corrupt" % pat)
                continue
            flip = "0" if m.group(2) != "0" else "1"
            text = text[:m.end(2) - 1] + flip + text[m.end(2):]
            bad[other] = Result(0, text.encode(), b"", results[other].cmd)
            got = judge(args.sims, bad)
            case(n, got is not None and "differ at line" in got[0],
                 "%s corrupted in %s's output is reported: %s"
                 % (what, other, got[0] if got else "NOT REPORTED"))
        bad = dict(results)
        bad[other] = Result(0, results[other].out.rsplit(b"end\n", 1)[0], b"", [])
        got = judge(args.sims, bad)
        case(7, got is not None, "a truncated output is reported: %s" % (got[0] if got else "NOT REPORTED"))
        if args.opts.misaligned and HW_MISALIGNED & set(args.sims):
            a = ["x01 00000000", "misaligned 00 1"]
            b = ["x01 00000000"]
            case(8, comparable("qemu", "iss", a, b)[0] == b and
                 comparable("iss", "rtl", a, b)[0] == a,
                 "misaligned lines are ignored against QEMU only")
    me = [sys.executable, os.path.abspath(__file__)]
    for n, bad_args in enumerate([["--count", "0"], ["--count", "x"], ["--seed", "-1"],
                                  ["--jobs", "0"], ["--sim", "qemu,nosuch"], ["--sim", "iss,iss"],
                                  ["--timeout", "0"], ["--nosuch"], ["stray"],
                                  ["--sim", "iss", "--iss", "build/no-such-binary"]], start=20):
        p = subprocess.run(me + bad_args, capture_output=True, text=True)
        lines = p.stderr.strip().splitlines()
        ok = p.returncode == 2 and len(lines) == 1 and lines[0].startswith("rvgen: error: ") \
            and not p.stdout
        case(n, ok, "%s is refused with one line: %s" % (shlex.join(bad_args),
                                                          lines[0] if lines else "(nothing)"))
    print("%d passed, %d failed" % (passes, failures))
    return failures


# ---- command line ----------------------------------------------------------------------------

class Parser(argparse.ArgumentParser):
    def error(self, message):
        sys.stderr.write("rvgen: error: %s\n" % message)
        sys.exit(2)


def positive_int(text):
    try:
        v = int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError("'%s' is not a number" % text)
    if v < 1:
        raise argparse.ArgumentTypeError("%s must be at least 1" % text)
    return v


def seed_int(text):
    try:
        v = int(text, 0)
    except ValueError:
        raise argparse.ArgumentTypeError("'%s' is not a number" % text)
    if not 0 <= v < 1 << 31:
        raise argparse.ArgumentTypeError("%s is not a seed (0 .. 2^31-1)" % text)
    return v


def positive_float(text):
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("'%s' is not a number" % text)
    if not v > 0:
        raise argparse.ArgumentTypeError("%s must be positive" % text)
    return v


def main():
    ap = Parser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=seed_int, default=1, help="seed of the first program (default 1)")
    ap.add_argument("--count", type=positive_int, default=200, help="programs (default 200)")
    ap.add_argument("--sim", default="qemu,iss,rtl",
                    help="targets, comma-separated, the first is the reference; known: %s "
                         "(default %%(default)s)" % ", ".join(SIMS))
    ap.add_argument("--jobs", type=positive_int, default=2, help="programs at once (default 2)")
    ap.add_argument("--timeout", type=positive_float, default=30.0, help="seconds per run (default 30)")
    ap.add_argument("--out", default=os.path.join("build", "rvgen"), help="directory of the programs")
    ap.add_argument("--keep", action="store_true", help="keep passing programs too (failing ones are kept)")
    ap.add_argument("--iss", help="umbra-iss binary (default build/umbra-iss)")
    ap.add_argument("--umbra", help="umbra binary (default build/umbra)")
    ap.add_argument("--no-vm", action="store_true", help="exclude Sv32 (satp stays bare)")
    ap.add_argument("--no-priv", action="store_true", help="exclude S and U blocks (M-mode only)")
    ap.add_argument("--no-misaligned", action="store_true", help="exclude misaligned loads/stores")
    ap.add_argument("--no-bus-faults", action="store_true",
                    help="exclude Sv32 mappings (leaf or next-level table) onto addresses where nothing answers")
    ap.add_argument("--print", action="store_true", help="print the program of --seed and exit")
    ap.add_argument("--self-test", action="store_true",
                    help="show that a corrupted output is reported and bad options are refused")
    args = ap.parse_args()

    os.chdir(ROOT)
    sims = dict(SIMS)
    if args.iss:
        sims["iss"] = [args.iss] + sims["iss"][1:]
    if args.umbra:
        sims["rtl"] = [args.umbra] + sims["rtl"][1:]
    args.sims = [s for s in args.sim.split(",")]
    unknown = [s for s in args.sims if s not in sims]
    if unknown:
        ap.error("unknown --sim target '%s' (known: %s)" % (unknown[0], ", ".join(sims)))
    if len(set(args.sims)) != len(args.sims):
        ap.error("--sim names a target twice: %s" % args.sim)
    args.opts = Options(vm=not args.no_vm, priv=not args.no_priv, misaligned=not args.no_misaligned,
                        nomem=not args.no_bus_faults,
                        badwalk=not (WALK_FAULT_IS_PAGE_FAULT & set(args.sims)),
                        ro_zero_write=not (RO_ZERO_WRITE_IS_READ & set(args.sims)))
    args.exclude_flags = [f for f, on in (("--no-vm", args.no_vm), ("--no-priv", args.no_priv),
                                          ("--no-misaligned", args.no_misaligned),
                                          ("--no-bus-faults", args.no_bus_faults)) if on]
    if args.print:
        sys.stdout.write(Program(args.seed, args.opts).text())
        return 0
    for name in args.sims:
        exe = sims[name][0]
        if not (shutil.which(exe) if os.sep not in exe else os.access(exe, os.X_OK)):
            ap.error("--sim %s: %s is not an executable (build it with make build)" % (name, exe))
    if shutil.which(CC) is None:
        ap.error("%s not found (make deps installs it)" % CC)
    os.makedirs(args.out, exist_ok=True)
    args.outdir = args.out
    if args.self_test:
        fails = self_test(args, sims)
        return 1 if fails else 0
    return run_all(args, sims)


if __name__ == "__main__":
    sys.exit(main())
