"""rvgen_program.py: the random program of one seed for regress/rvgen.py (assembly text).

A program is a chain of blocks in M, S and U mode, each a list of random items (see
regress/README-rvgen.md); firmware/rvgen/env.S is the environment it links with and
firmware/rvgen/rvgen.h the layout both share (read here, not copied).
"""

import os
import random
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV_DIR = os.path.join("firmware", "rvgen")

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
        # two address spaces (root, L0 table each), same code mappings, different data ones
        self.pte = [{}, {}]          # L0 index -> PTE, per address space
        self.super_pte = [0, 0]
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
        """Initial Sv32 tables of both address spaces: env and code identity (U per block),
        data pages at two virtual addresses with random permissions (the alias of page k is
        page k + space in the second), a hole, a superpage, a misaligned one, no memory."""
        r = self.r
        for space, pte in enumerate(self.pte):
            for va in range(L["RVGEN_ENV_PA"], L["RVGEN_ENV_PA"] + L["RVGEN_ENV_SIZE"], 4096):
                pte[(va >> 12) & 0x3ff] = leaf(va, PTE_R | PTE_W | PTE_X)
            for k in range(L["RVGEN_DATA_PAGES"]):
                pa = L["RVGEN_DATA_PA"] + 4096 * k
                pte[(pa >> 12) & 0x3ff] = leaf(pa, self.rand_perm())
                pte[((L["RVGEN_ALIAS_VA"] >> 12) & 0x3ff) + k] = leaf(self.alias_pa(space, k),
                                                                      self.rand_perm())
            pte[(L["RVGEN_HOLE_VA"] >> 12) & 0x3ff] = leaf(L["RVGEN_DATA_PA"], PTE_R) & ~PTE_V \
                if r.random() < 0.5 else 0
            self.super_pte[space] = leaf(L["RVGEN_ENV_PA"], self.rand_perm(leaf_only=True))
            pte[(L["RVGEN_NOMEM_VA"] >> 12) & 0x3ff] = leaf(L["RVGEN_NOMEM_PA"], self.rand_perm(True))

    @staticmethod
    def alias_pa(space, k):
        return L["RVGEN_DATA_PA"] + 4096 * ((k + space) % L["RVGEN_DATA_PAGES"])

    @staticmethod
    def root_pa(space):
        return L["RVGEN_PT_PA"] + 0x2000 * space

    def satp(self, space):
        return 0x80000000 | (self.root_pa(space) >> 12)

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
            for pte in self.pte:
                pte[((pa + off) >> 12) & 0x3ff] = leaf(pa + off, PTE_R | PTE_X |
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
            kinds += [("mstatus", 1), ("tvec", 1), ("fault", 1), ("smc", 1), ("xret", 1)]
            if self.vm:
                kinds += [("pte", 2), ("mprv", 2), ("satp", 1)]
            if self.opts.misaligned:
                kinds += [("misaligned", 3)]
        if mode == S:
            kinds += [("tvec", 1), ("sfence", 1), ("xret", 1)]
            if self.vm and not ctx["tvm"]:
                kinds += [("satp", 1)]
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
        """Write a random (mode 0..3) trap vector, read it back, restore the handler in direct
        or vectored mode (exceptions go to the base in both)."""
        r = self.r
        name, handler = ("mtvec", "rvgen_mtrap") if mode == M and r.random() < 0.6 \
            else ("stvec", "rvgen_strap")
        src = self.rd(avoid | {0})
        tmp = self.rd(avoid | {0})
        return ["li x%d, 0x%x" % (src, self.value()),
                "csrrw x%d, %s, x%d" % (self.rd(avoid), name, src),
                "csrr x%d, %s" % (self.rd(avoid), name),
                "la x%d, %s" % (tmp, handler), "ori x%d, x%d, %d" % (tmp, tmp, r.randrange(2)),
                "csrw %s, x%d" % (name, tmp)]

    def i_xret(self, mode, ctx, avoid, depth, pending, here):
        """mret (M) or sret (S) to the same mode, as a forward jump: MPP=M or SPP=S, the
        target in mepc or sepc. Leaves MPP=U, MPIE=1 as every trap return does (env.S rule 5)."""
        lab = self.label()
        pending.append((here + 1 + self.r.randrange(0, 4), lab))
        tmp = self.rd(avoid | {0})
        epc, status, bits, ret = ("mepc", "mstatus", 0x1800, "mret") if mode == M else \
            ("sepc", "sstatus", 0x100, "sret")
        return ["la x%d, %s" % (tmp, lab), "csrw %s, x%d" % (epc, tmp),
                "li x%d, 0x%x" % (tmp, bits), "csrs %s, x%d" % (status, tmp), ret]

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

    def i_satp(self, mode, ctx, avoid, depth, pending, here):
        """Switch address space (ASID 0 in both: QEMU flushes on an ASID change only, so
        sfence.vma follows); code and environment are mapped alike in both."""
        r = self.r
        tmp = self.rd(avoid | {0})
        return ["li x%d, 0x%x" % (tmp, self.satp(r.randrange(2))),
                "csrrw x%d, satp, x%d" % (self.rd(avoid), tmp),
                r.choice(["sfence.vma", "sfence.vma zero, zero"])]

    def i_pte(self, mode, ctx, avoid, depth, pending, here):
        """Rewrite a data page's PTE (or the superpage's) with new permissions, then flush."""
        r = self.r
        a = self.rd(avoid | {0})
        v = self.rd(avoid | {0, a})
        k = r.randrange(L["RVGEN_DATA_PAGES"])
        space = r.randrange(2)
        root, l0 = self.root_pa(space), self.root_pa(space) + 4096
        pa = L["RVGEN_DATA_PA"] + 4096 * k
        choice = r.random()
        if choice < 0.45:
            va = pa
            addr, pte = l0 + 4 * ((pa >> 12) & 0x3ff), leaf(pa, self.rand_perm())
        elif choice < 0.9:
            va = L["RVGEN_ALIAS_VA"] + 4096 * k
            addr, pte = l0 + 4 * ((va >> 12) & 0x3ff), leaf(self.alias_pa(space, k), self.rand_perm())
        else:
            va = L["RVGEN_SUPER_VA"] + (pa - L["RVGEN_ENV_PA"])
            addr = root + 4 * (L["RVGEN_SUPER_VA"] >> 22)
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
                    enter += ["li t0, 0x%x" % self.satp(r.randrange(2)), "csrw satp, t0",
                              "sfence.vma"]
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
        """Per address space: the root (L1), then the L0 table of the 4 MiB at RAM_BASE."""
        out = ["\t.section .pt, \"a\""]
        for space in range(2):
            l0_pa = self.root_pa(space) + 4096
            root = {L["RVGEN_ENV_PA"] >> 22: ((l0_pa >> 12) << 10) | PTE_V,
                    L["RVGEN_SUPER_VA"] >> 22: self.super_pte[space],
                    # PPN[0] != 0 in a superpage: misaligned, a page fault on every access
                    L["RVGEN_BADSUPER_VA"] >> 22: leaf(L["RVGEN_ENV_PA"] + 0x1000, PTE_R | PTE_W),
                    # a next-level table where nothing answers: the walk itself faults
                    L["RVGEN_BADWALK_VA"] >> 22: ((L["RVGEN_NOMEM_PA"] >> 12) << 10) | PTE_V}
            out += table_words(root) + table_words(self.pte[space])
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
