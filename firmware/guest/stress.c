/* stress.c: the stress workload: seeded random maps, remaps, permission changes, unmaps, table frees, superpages and address-space switches, each flush followed by a check of the active space. */
#include "kernel.h"

#include "fdt_lite.h"

/*
 * Rules:
 *  1. The model (spaces, leaf tables, data frames) holds what the guest page tables say; every
 *     PTE store goes through l1_write() or l0_write(), which mark each (space, slot, page)
 *     whose translation it may leave stale as pending.
 *  2. A pending mark is cleared only by an sfence.vma that covers it by the privileged spec:
 *     rs1=x0 covers every entry of its ASID (all ASIDs with rs2=x0), rs1=va only the leaf
 *     entries of va. A changed level-1 pointer needs an rs1=x0 fence.
 *  3. Checks read only through translations with no pending mark: between a PTE store and the
 *     fence that covers it, old and new translations are both legal, so nothing is checked.
 *  4. A frame is a data frame, a leaf table, a root, or free. Data frames hold a unique tag in
 *     word 0 and are freed when the last PTE naming them goes; frames go straight back to the
 *     kernel's last-in first-out allocator, so a freed table frame is often the next fresh
 *     data frame (and the other way round), before or after the fence.
 *  5. A switch to a space whose ASID is not its own (ASIDLEN too small) is followed by
 *     sfence.vma x0, x0; with ASIDs of their own, spaces switch without a fence.
 *  6. The kernel runs with sstatus.SIE=0: only a probed access can trap while a probe's
 *     stvec is installed (probe.S).
 *  7. A slot may point at a root (another space's or its own) as its leaf table: the root's
 *     entries are then read as level-0 PTEs, a superpage entry as a 4 KiB leaf (any
 *     alignment), a pointer as a fault. A root is unlinked everywhere before it is freed.
 *  8. Unlike mm.c, gptes are also stored as the byte or half that changed, and through a
 *     superpage alias: every path a guest may use to write its page tables.
 */

#define NSPACE 4u
#define NSLOT 4u  /* level-1 entries of the test region, 4 MiB each */
#define NPG 8u    /* test pages per slot */
#define NDATA 96u /* live data frames at most */
#define NTABLE (NSPACE * NSLOT)
#define NO_IDX 0xffu
#define SUPER_BASE 0x80000000u /* the first 4 MiB of guest RAM: the kernel and the frames it hands out first */
#define SUPER_SIZE 0x00400000u
#define PEND_SUPER (1u << NPG)       /* the slot's level-1 leaf (a superpage) */
#define PEND_TABLE (1u << (NPG + 1)) /* the slot's level-1 pointer */
#define PEND_ALL 0x3ffu
#define RAM_FRAMES 4096u /* guest frames tracked for the reuse statistics (16 MiB) */
#define SUPER_CHECKS 8u   /* data frames read through a superpage per check */

_Static_assert(NPG + 2 <= 16, "pending bits fit in uint16_t");

#define VPN1_STRESS (KVA_STRESS >> 22)
#define XROOT 0x80u /* space.table[k] = XROOT | s: the slot's leaf table is space s's root */

/*
 * vpn0 of the test pages inside each slot: both ends, the kernel's first RAM entry (512) and
 * the test region's own level-1 indices, which a root linked as a leaf table (rule 7) maps.
 */
static const uint16_t pg_vpn0[NPG] = { 0, 1, VPN1_STRESS, VPN1_STRESS + 1, VPN1_STRESS + 2, VPN1_STRESS + 3,
				       512, 1023 };
_Static_assert(NSLOT == 4, "pg_vpn0 names the slots' level-1 indices");

struct dframe {
	uint32_t pa, tag, refs; /* pa 0: entry free */
};

struct ltable {
	uint32_t pa, refs;   /* refs: level-1 entries pointing here (any space, any slot) */
	uint32_t pte[NPG];   /* the test pages' gptes as written */
	uint8_t data[NPG];   /* the data frame each maps, NO_IDX when none */
};

struct space {
	uint32_t root, asid;
	uint32_t l1[NSLOT];   /* the slots' level-1 gptes as written */
	uint8_t table[NSLOT]; /* for a pointer: its ltable, or XROOT | the space whose root it is */
	uint16_t pend[NSLOT]; /* rule 1: bit p page p, PEND_SUPER, PEND_TABLE */
};

struct stress_stats {
	uint32_t pte_writes, checks, faults_expected, pending_skips, flushes, switches, tables_freed;
	uint32_t ptframes_as_data, superpages, recycles, alias_pte_writes, subword_pte_writes, root_links;
	uint32_t root_link_reads;
};

static struct space spaces[NSPACE];
static struct ltable tables[NTABLE];
static struct dframe data[NDATA];
static struct stress_stats st;
static uint32_t active, op_no, rng, tag_serial, svadu, own_asids;
static uint8_t was_table[RAM_FRAMES / 8];

extern uint32_t probe_tval;
uint32_t probe_load(uint32_t va, uint32_t *val);
uint32_t probe_store(uint32_t va, uint32_t val);
uint32_t probe_store16(uint32_t va, uint32_t val);
uint32_t probe_store8(uint32_t va, uint32_t val);

/* ---- small helpers ---- */

static uint32_t rnd32(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static uint32_t rnd(uint32_t n)
{
	return rnd32() % n;
}

static uint32_t new_tag(void)
{
	/* an odd multiplier is a bijection: tags stay unique, with bits all over the word */
	return ++tag_serial * 0x9e3779b1u;
}

static void puthex(uint32_t v)
{
	char b[11] = "0x";

	for (int i = 0; i < 8; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xfu];
	b[10] = 0;
	kputs(b);
}

static uint32_t slot_va(uint32_t k)
{
	return KVA_STRESS + k * SUPER_SIZE;
}

static uint32_t page_va(uint32_t k, uint32_t p)
{
	return slot_va(k) + pg_vpn0[p] * PAGE_SIZE;
}

static uint32_t peek(uint32_t pa)
{
	return *(volatile uint32_t *)pa; /* through the kernel's identity map */
}

static void poke(uint32_t pa, uint32_t v)
{
	*(volatile uint32_t *)pa = v;
}

static int is_pointer(uint32_t pte)
{
	return (pte & PTE_V) && !pte_is_leaf(pte);
}

/* The ltable slot k of space s points at, or NO_IDX (empty, a superpage, a root). */
static uint32_t slot_table(uint32_t s, uint32_t k)
{
	if (!is_pointer(spaces[s].l1[k]) || (spaces[s].table[k] & XROOT))
		return NO_IDX;
	return spaces[s].table[k];
}

/* The space whose root slot k of space s points at (rule 7), or NO_IDX. */
static uint32_t slot_root(uint32_t s, uint32_t k)
{
	if (!is_pointer(spaces[s].l1[k]) || !(spaces[s].table[k] & XROOT))
		return NO_IDX;
	return spaces[s].table[k] & ~XROOT;
}

static void mark_frame(uint32_t pa, int table)
{
	uint32_t f = (pa - SUPER_BASE) >> PAGE_SHIFT;

	if (f >= RAM_FRAMES)
		return;
	if (table)
		was_table[f / 8] |= (uint8_t)(1u << (f % 8));
	else if (was_table[f / 8] & (1u << (f % 8))) {
		was_table[f / 8] &= (uint8_t)~(1u << (f % 8));
		st.ptframes_as_data++;
	}
}

static void check_failed(uint32_t s, uint32_t va, const char *what, uint32_t got, uint32_t want)
	__attribute__((noreturn));
static void check_failed(uint32_t s, uint32_t va, const char *what, uint32_t got, uint32_t want)
{
	kputs("guest: stress: op ");
	kputdec(op_no);
	kputs(": space ");
	kputdec(s);
	kputs(" va ");
	puthex(va);
	kputs(": ");
	kputs(what);
	kputs(": got ");
	puthex(got);
	kputs(", want ");
	puthex(want);
	kputs("\n");
	kpanic("stress: a translation disagrees with the guest page tables after sfence.vma, op", op_no);
}

/* ---- frames ---- */

static uint32_t data_new(void)
{
	for (uint32_t i = 0; i < NDATA; i++) {
		if (data[i].pa)
			continue;
		data[i].pa = frame_alloc();
		mark_frame(data[i].pa, 0);
		data[i].tag = new_tag();
		data[i].refs = 0;
		poke(data[i].pa, data[i].tag);
		return i;
	}
	return NO_IDX;
}

static uint32_t data_any(void)
{
	uint32_t i0 = rnd(NDATA);

	for (uint32_t j = 0; j < NDATA; j++) {
		uint32_t i = (i0 + j) % NDATA;

		if (data[i].pa)
			return i;
	}
	return NO_IDX;
}

/* A fresh frame most of the time, else an alias of a live one (never cur). */
static uint32_t data_pick(uint32_t cur)
{
	uint32_t i = rnd(3) ? data_new() : data_any();

	if (i == NO_IDX || i == cur)
		i = data_new();
	if (i == NO_IDX || i == cur)
		i = data_any();
	return i == cur ? NO_IDX : i;
}

static void data_unref(uint32_t i)
{
	if (--data[i].refs)
		return;
	frame_free(data[i].pa);
	data[i].pa = 0;
}

/* ---- page-table stores and their pending marks (rule 1) ---- */

/* The va of pa through a writable kernel superpage of the active space that holds, or 0. */
static uint32_t alias_va(uint32_t pa)
{
	const uint32_t need = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;

	for (uint32_t k = 0; k < NSLOT; k++) {
		uint32_t l1 = spaces[active].l1[k];

		if ((l1 & (need | PTE_U)) != need || (pte_ppn(l1) & 0x3ffu) || pte_ppn(l1) << PAGE_SHIFT != SUPER_BASE ||
		    (spaces[active].pend[k] & (PEND_SUPER | PEND_TABLE)) || pa - SUPER_BASE >= SUPER_SIZE)
			continue;
		return slot_va(k) + (pa - SUPER_BASE);
	}
	return 0;
}

/*
 * Stores a gpte at pa: a word, or only the byte or half that changed; through the kernel's
 * identity map or, half the time when there is one, a writable superpage of the active space
 * (a page-table store through a megapage mapping, which the shadow must trace as well).
 */
static void gpte_store(uint32_t pa, uint32_t val)
{
	/* diff against memory, not the model: a machine with Svadu may have set A or D */
	uint32_t va = rnd(2) ? alias_va(pa) : 0, diff = peek(pa) ^ val, got;

	if (!va)
		va = pa;
	else
		st.alias_pte_writes++;
	if (!(diff & ~0xffu) && rnd(2)) {
		got = probe_store8(va, val & 0xffu);
		st.subword_pte_writes++;
	} else if (!(diff & 0xffffu) && rnd(2)) {
		got = probe_store16(va + 2, val >> 16);
		st.subword_pte_writes++;
	} else {
		got = probe_store(va, val);
	}
	if (got)
		check_failed(active, va, "a page-table store faulted (scause in got), gpte", got, val);
	if (peek(pa) != val)
		check_failed(active, va, "a page-table store went elsewhere: the gpte holds", peek(pa), val);
}

static void l0_write(uint32_t t, uint32_t p, uint32_t val)
{
	gpte_store(tables[t].pa + 4u * pg_vpn0[p], val);
	tables[t].pte[p] = val;
	st.pte_writes++;
	for (uint32_t s = 0; s < NSPACE; s++)
		for (uint32_t k = 0; k < NSLOT; k++)
			if (slot_table(s, k) == t)
				spaces[s].pend[k] |= (uint16_t)(1u << p);
}

static void l1_write(uint32_t s, uint32_t k, uint32_t val)
{
	uint32_t old = spaces[s].l1[k];

	gpte_store(spaces[s].root + 4u * va_vpn1(slot_va(k)), val);
	spaces[s].l1[k] = val;
	st.pte_writes++;
	spaces[s].pend[k] |= (uint16_t)(is_pointer(old) || is_pointer(val) ? PEND_TABLE : PEND_SUPER);
	/* rule 7: where this root is linked as a leaf table, entry k is a leaf PTE */
	for (uint32_t s2 = 0; s2 < NSPACE; s2++)
		for (uint32_t k2 = 0; k2 < NSLOT; k2++)
			for (uint32_t p = 0; slot_root(s2, k2) == s && p < NPG; p++)
				if (pg_vpn0[p] == VPN1_STRESS + k)
					spaces[s2].pend[k2] |= (uint16_t)(1u << p);
}

static uint32_t table_new(void)
{
	for (uint32_t t = 0; t < NTABLE; t++) {
		if (tables[t].pa)
			continue;
		tables[t].pa = frame_alloc(); /* zeroed: every entry invalid */
		tables[t].refs = 0;
		for (uint32_t p = 0; p < NPG; p++) {
			tables[t].pte[p] = 0;
			tables[t].data[p] = NO_IDX;
		}
		return t;
	}
	return NO_IDX;
}

/* Drops one link to table t; the last one frees its data frames and the table frame (rule 4). */
static void table_unref(uint32_t t)
{
	if (--tables[t].refs)
		return;
	for (uint32_t p = 0; p < NPG; p++)
		if (tables[t].data[p] != NO_IDX)
			data_unref(tables[t].data[p]);
	frame_free(tables[t].pa);
	mark_frame(tables[t].pa, 1);
	tables[t].pa = 0;
	st.tables_freed++;
}

/* Empties slot k of space s: its level-1 entry becomes 0 (written when write is set). */
static void slot_clear(uint32_t s, uint32_t k, int write)
{
	uint32_t old = spaces[s].l1[k];

	if (!(old & PTE_V))
		return;
	if (write)
		l1_write(s, k, 0);
	else
		spaces[s].l1[k] = 0;
	if (is_pointer(old) && !(spaces[s].table[k] & XROOT))
		table_unref(spaces[s].table[k]);
}

/* ---- fences (rule 2) ---- */

static void fence_all(void)
{
	sfence_all();
	for (uint32_t s = 0; s < NSPACE; s++)
		for (uint32_t k = 0; k < NSLOT; k++)
			spaces[s].pend[k] = 0;
	st.flushes++;
}

static void fence_asid(uint32_t asid)
{
	__asm__ volatile("sfence.vma zero, %0" ::"r"(asid) : "memory");
	for (uint32_t s = 0; s < NSPACE; s++)
		for (uint32_t k = 0; spaces[s].asid == asid && k < NSLOT; k++)
			spaces[s].pend[k] = 0;
	st.flushes++;
}

/* asid < 0x200: only that ASID's entries of va; else every ASID's */
static void fence_va(uint32_t k, uint32_t p, uint32_t asid)
{
	uint32_t va = page_va(k, p);

	if (asid < 0x200u)
		__asm__ volatile("sfence.vma %0, %1" ::"r"(va), "r"(asid) : "memory");
	else
		sfence_va(va);
	for (uint32_t s = 0; s < NSPACE; s++)
		if (asid >= 0x200u || spaces[s].asid == asid)
			spaces[s].pend[k] &= (uint16_t)~((1u << p) | PEND_SUPER);
	st.flushes++;
}

static uint32_t satp_for(uint32_t s)
{
	return SATP_SV32 | (spaces[s].asid << 22) | (spaces[s].root >> PAGE_SHIFT);
}

static void switch_to(uint32_t s)
{
	kcsr_write(satp, satp_for(s));
	active = s;
	st.switches++;
	if (!own_asids)
		fence_all(); /* rule 5 */
}

/* ---- checks (rule 3) ---- */

/* 0 when the access must succeed, else the page-fault cause it must raise. */
static uint32_t want_cause(uint32_t pte, int store, int sum, int mxr)
{
	uint32_t pf = store ? CAUSE_STORE_PAGE_FAULT : CAUSE_LOAD_PAGE_FAULT;

	if (!pte_is_valid(pte) || !pte_is_leaf(pte))
		return pf;
	if ((pte & PTE_U) && !sum)
		return pf;
	if (store ? !(pte & PTE_W) : !((pte & PTE_R) || (mxr && (pte & PTE_X))))
		return pf;
	if (!svadu && (!(pte & PTE_A) || (store && !(pte & PTE_D))))
		return pf;
	return 0;
}

/* One probed load (and maybe store) at va of the active space, mapped to data frame d or none. */
static void check_va(uint32_t va, uint32_t pte, uint32_t d, int sum, int mxr, int store)
{
	uint32_t want = want_cause(pte, 0, sum, mxr), got, v = 0;

	st.checks++;
	got = probe_load(va, &v);
	if (got != want) {
		if (!got)
			check_failed(active, va, "the load should fault but reads", v, d == NO_IDX ? 0 : data[d].tag);
		if (!want)
			check_failed(active, va, "the load faults (scause in got) but the gpte allows it", got,
				     data[d].tag);
		check_failed(active, va, "the load faults with the wrong scause", got, want);
	}
	if (got && probe_tval != va)
		check_failed(active, va, "the fault's stval is wrong", probe_tval, va);
	if (got)
		st.faults_expected++;
	else if (v != data[d].tag)
		check_failed(active, va, "stale translation: the load reads another frame's word", v, data[d].tag);
	if (!store)
		return;
	want = want_cause(pte, 1, sum, mxr);
	v = new_tag();
	st.checks++;
	got = probe_store(va, v);
	if (got != want) {
		if (!got)
			check_failed(active, va, "the store should fault but went through, tag", v, want);
		check_failed(active, va, "the store faults (scause in got), want scause", got, want);
	}
	if (got) {
		st.faults_expected++;
		if (d != NO_IDX && peek(data[d].pa) != data[d].tag)
			check_failed(active, va, "a faulting store changed the frame", peek(data[d].pa), data[d].tag);
		return;
	}
	if (peek(data[d].pa) != v)
		check_failed(active, va, "stale translation: the store went to another frame", peek(data[d].pa), v);
	data[d].tag = v;
}

/* The live data frame at pa, or NO_IDX. */
static uint32_t data_at(uint32_t pa)
{
	for (uint32_t i = 0; i < NDATA; i++)
		if (data[i].pa == pa)
			return i;
	return NO_IDX;
}

/* Slot k of the active space reads root r as its leaf table (rule 7). */
static void check_root_slot(uint32_t k, uint32_t r, int sum, int mxr)
{
	for (uint32_t p = 0; p < NPG; p++) {
		uint32_t j = pg_vpn0[p] - VPN1_STRESS, e = j < NSLOT ? spaces[r].l1[j] : 0, d = NO_IDX;

		if (spaces[active].pend[k] & (1u << p)) {
			st.pending_skips++;
			continue;
		}
		/* j >= NSLOT: the kernel part there is a pointer or 0, both fault at level 0 */
		if ((e & PTE_V) && !is_pointer(e)) {
			d = data_at(pte_ppn(e) << PAGE_SHIFT);
			if (d == NO_IDX)
				continue; /* a 4 KiB leaf onto a frame the model does not tag */
		} else {
			e = 0;
		}
		check_va(page_va(k, p), e, d, sum, mxr, rnd(2));
		st.root_link_reads += d != NO_IDX;
	}
}

static void check_slot(uint32_t k, int sum, int mxr)
{
	const struct space *sp = &spaces[active];
	uint32_t l1 = sp->l1[k], pend = sp->pend[k];

	if (pend & (PEND_TABLE | PEND_SUPER)) {
		st.pending_skips++;
		return;
	}
	if (!(l1 & PTE_V)) {
		/* nothing mapped: one test page and one page elsewhere in the slot fault */
		check_va(page_va(k, rnd(NPG)), 0, NO_IDX, sum, mxr, rnd(2));
		check_va(slot_va(k) + rnd(1024) * PAGE_SIZE + 4u * rnd(1024), 0, NO_IDX, sum, mxr, rnd(2));
		return;
	}
	if (slot_root(active, k) != NO_IDX) {
		check_root_slot(k, slot_root(active, k), sum, mxr);
		return;
	}
	if (is_pointer(l1)) {
		const struct ltable *t = &tables[sp->table[k]];
		uint32_t other = rnd(1024);

		for (uint32_t p = 0; p < NPG; p++) {
			if (pend & (1u << p)) {
				st.pending_skips++;
				continue;
			}
			check_va(page_va(k, p), t->pte[p], t->data[p], sum, mxr, rnd(2));
		}
		for (uint32_t p = 0; p < NPG; p++)
			if (pg_vpn0[p] == other)
				return;
		check_va(slot_va(k) + other * PAGE_SIZE, 0, NO_IDX, sum, mxr, 0);
		return;
	}
	/* a superpage: misaligned ones fault everywhere; aligned ones alias the first 4 MiB */
	if (pte_ppn(l1) & 0x3ffu) {
		check_va(slot_va(k) + rnd(1024) * PAGE_SIZE, 0, NO_IDX, sum, mxr, rnd(2));
		return;
	}
	for (uint32_t j = 0, i = rnd(NDATA), n = 0; j < NDATA && n < SUPER_CHECKS; j++, i = (i + 1) % NDATA) {
		if (!data[i].pa || data[i].pa - SUPER_BASE >= SUPER_SIZE)
			continue;
		check_va(slot_va(k) + (data[i].pa - SUPER_BASE), l1, i, sum, mxr, rnd(2));
		n++;
	}
}

/* Every slot of the active space, with SUM and MXR as given. */
static void check_active(int sum, int mxr)
{
	if (sum)
		kcsr_set(sstatus, MSTATUS_SUM);
	if (mxr)
		kcsr_set(sstatus, MSTATUS_MXR);
	for (uint32_t k = 0; k < NSLOT; k++)
		check_slot(k, sum, mxr);
	kcsr_clear(sstatus, MSTATUS_SUM | MSTATUS_MXR);
}

/* ---- operations ---- */

/* Legal leaf permissions: R, RW, RX, RWX or X, sometimes U, A (and D for W) mostly set. */
static uint32_t random_perms(void)
{
	static const uint8_t rwx[] = { PTE_R, PTE_R | PTE_W, PTE_R | PTE_X, PTE_R | PTE_W | PTE_X, PTE_X };
	uint32_t f = PTE_V | PTE_A | rwx[rnd(sizeof(rwx))], r = rnd(16);

	if (f & PTE_W)
		f |= PTE_D;
	if (!rnd(4))
		f |= PTE_U;
	if (r == 0)
		f &= ~PTE_A;
	else if (r == 1)
		f &= ~PTE_D;
	return f;
}

static uint32_t pick_space(void)
{
	return rnd(3) ? active : rnd(NSPACE);
}

/* A mapped test page of space s: 0 and (k, p), or -1. */
static int pick_mapped(uint32_t s, uint32_t *k, uint32_t *p)
{
	uint32_t k0 = rnd(NSLOT), p0 = rnd(NPG);

	for (uint32_t i = 0; i < NSLOT * NPG; i++) {
		uint32_t kk = (k0 + i / NPG) % NSLOT, pp = (p0 + i) % NPG;

		if (slot_table(s, kk) != NO_IDX && tables[spaces[s].table[kk]].data[pp] != NO_IDX) {
			*k = kk;
			*p = pp;
			return 0;
		}
	}
	return -1;
}

/* Points page p of table t at data frame d (NO_IDX: unmaps it) with flags. */
static void set_page(uint32_t t, uint32_t p, uint32_t d, uint32_t flags)
{
	uint32_t old = tables[t].data[p];

	if (d != NO_IDX)
		data[d].refs++;
	l0_write(t, p, d == NO_IDX ? 0 : pte_from_ppn(data[d].pa >> PAGE_SHIFT) | flags);
	tables[t].data[p] = (uint8_t)d;
	if (old != NO_IDX)
		data_unref(old);
}

static void op_map(uint32_t s)
{
	uint32_t k = rnd(NSLOT), p = rnd(NPG), t, d;

	if ((spaces[s].l1[k] & PTE_V) && slot_table(s, k) == NO_IDX)
		return; /* a superpage or a root: op_super's and op_share's business */
	if (!(spaces[s].l1[k] & PTE_V)) {
		t = table_new();
		if (t == NO_IDX)
			return;
		tables[t].refs = 1;
		spaces[s].table[k] = (uint8_t)t;
		l1_write(s, k, pte_from_ppn(tables[t].pa >> PAGE_SHIFT) | PTE_V);
	}
	t = spaces[s].table[k];
	d = data_pick(tables[t].data[p]);
	if (d != NO_IDX)
		set_page(t, p, d, random_perms());
}

static void op_remap(uint32_t s)
{
	uint32_t k, p, t, d;

	if (pick_mapped(s, &k, &p))
		return;
	t = spaces[s].table[k];
	d = data_pick(tables[t].data[p]);
	if (d != NO_IDX)
		set_page(t, p, d, tables[t].pte[p] & 0x3ffu);
}

static void op_perms(uint32_t s)
{
	uint32_t k, p, t;

	if (pick_mapped(s, &k, &p))
		return;
	t = spaces[s].table[k];
	l0_write(t, p, (tables[t].pte[p] & ~0x3ffu) | random_perms());
}

static void op_unmap(uint32_t s)
{
	uint32_t k, p;

	if (!pick_mapped(s, &k, &p))
		set_page(spaces[s].table[k], p, NO_IDX, 0);
}

/* Links a leaf table another space (or another slot) uses into an empty slot of s. */
static void op_share(uint32_t s)
{
	uint32_t k = rnd(NSLOT), s2 = rnd(NSPACE), k2 = rnd(NSLOT), t = slot_table(s2, k2);

	if (rnd(2)) {
		/* rule 7: a root (maybe s's own) as the leaf table, in place of what the slot held */
		slot_clear(s, k, rnd(2));
		spaces[s].table[k] = (uint8_t)(XROOT | s2);
		l1_write(s, k, pte_from_ppn(spaces[s2].root >> PAGE_SHIFT) | PTE_V);
		st.root_links++;
		return;
	}
	if (t == NO_IDX || (spaces[s].l1[k] & PTE_V))
		return;
	tables[t].refs++;
	spaces[s].table[k] = (uint8_t)t;
	l1_write(s, k, pte_from_ppn(tables[t].pa >> PAGE_SHIFT) | PTE_V);
}

/* Maps, changes or drops a 4 MiB superpage: aligned on the first 4 MiB of RAM, or misaligned. */
static void op_super(uint32_t s)
{
	uint32_t k = rnd(NSLOT), old = spaces[s].l1[k], base = SUPER_BASE, f;
	static const uint8_t rwx[] = { PTE_R, PTE_R | PTE_W, PTE_R | PTE_X };

	if ((old & PTE_V) && !is_pointer(old) && rnd(2)) {
		l1_write(s, k, 0);
		return;
	}
	if (!rnd(3)) {
		/* misaligned: every access must fault; a data frame's, which a root linked as a
		   leaf table (rule 7) maps as a 4 KiB page */
		uint32_t d = data_any();

		base += (1u + rnd(1023)) * PAGE_SIZE;
		if (d != NO_IDX && rnd(4) && (data[d].pa & (SUPER_SIZE - 1)))
			base = data[d].pa;
	}
	f = PTE_V | PTE_A | rwx[rnd(sizeof(rwx))];
	if (f & PTE_W)
		f |= PTE_D;
	if (!rnd(5))
		f |= PTE_U;
	if (!rnd(12))
		f &= ~PTE_A;
	if (slot_table(s, k) != NO_IDX) {
		/* a leaf table replaced by a superpage: the table's last link may free it */
		l1_write(s, k, pte_from_ppn(base >> PAGE_SHIFT) | f);
		table_unref(spaces[s].table[k]);
	} else {
		l1_write(s, k, pte_from_ppn(base >> PAGE_SHIFT) | f);
	}
	st.superpages++;
}

/* Frees space s's tables and root and gives it a new root (its ASID is reused). */
static void op_recycle(uint32_t s)
{
	uint32_t old = spaces[s].root;

	if (s == active)
		return;
	for (uint32_t k = 0; k < NSLOT; k++)
		slot_clear(s, k, rnd(2));
	for (uint32_t s2 = 0; s2 < NSPACE; s2++) /* rule 7: no link to a freed root */
		for (uint32_t k = 0; k < NSLOT; k++)
			if (slot_root(s2, k) == s)
				slot_clear(s2, k, 1);
	if (rnd(2)) {
		frame_free(old); /* the next frame handed out is the old root: it comes back as the new one */
		spaces[s].root = mm_new_space();
	} else {
		spaces[s].root = mm_new_space();
		frame_free(old);
	}
	mark_frame(old, 1);
	for (uint32_t k = 0; k < NSLOT; k++)
		spaces[s].pend[k] = PEND_ALL; /* an ASID reused: nothing holds until a fence covers it */
	st.recycles++;
}

static void op_fence(void)
{
	uint32_t r = rnd(8), k = rnd(NSLOT), p = rnd(NPG), s = rnd(NSPACE);

	if (r < 2)
		fence_all();
	else if (r < 4)
		fence_asid(spaces[r == 2 ? active : s].asid);
	else if (r < 7)
		fence_va(k, p, 0x200u);
	else
		fence_va(k, p, spaces[s].asid);
}

static void op_modify(void)
{
	uint32_t r = rnd(100), s = pick_space();

	if (r < 40)
		op_map(s);
	else if (r < 58)
		op_remap(s);
	else if (r < 74)
		op_perms(s);
	else if (r < 86)
		op_unmap(s);
	else if (r < 89)
		slot_clear(s, rnd(NSLOT), 1);
	else if (r < 95)
		op_share(s);
	else
		op_super(s);
}

/*
 * stress_selftest=1: once, a remap in the active space whose sfence.vma is skipped on
 * purpose and whose page is checked at once, after a load that puts its translation in the
 * TLB. Where the old translation survives (native, oos, gwb) the check must stop the run.
 */
static int selftest_op(void)
{
	uint32_t k, p, t, d, old, pte, v;

	if (pick_mapped(active, &k, &p) || spaces[active].pend[k])
		return -1;
	t = spaces[active].table[k];
	if (want_cause(tables[t].pte[p], 0, 1, 0))
		return -1;
	d = data_new();
	if (d == NO_IDX)
		return -1;
	kputs("guest: stress: selftest: op ");
	kputdec(op_no);
	kputs(" remaps a page and skips its sfence.vma\n");
	/* everything the check touches is ready first: the TLB keeps the primed entry */
	old = tables[t].data[p];
	pte = pte_from_ppn(data[d].pa >> PAGE_SHIFT) | (tables[t].pte[p] & 0x3ffu);
	data[d].refs++;
	kcsr_set(sstatus, MSTATUS_SUM);
	probe_load(page_va(k, p), &v); /* the old translation into the TLB */
	pte_set((uint32_t *)tables[t].pa + pg_vpn0[p], pte); /* no l0_write(): no pending mark */
	check_va(page_va(k, p), pte, d, 1, 0, 0);
	kcsr_clear(sstatus, MSTATUS_SUM);
	tables[t].pte[p] = pte;
	tables[t].data[p] = (uint8_t)d;
	data_unref(old);
	l0_write(t, p, pte); /* the same value again, now with its pending marks */
	kputs("guest: stress: selftest: the stale translation went unnoticed (this platform flushed on its own)\n");
	return 0;
}

/* Does this machine set A/D itself (Svadu, as QEMU does) instead of faulting (Svade)? */
static void probe_svadu(void)
{
	uint32_t t, d, v;

	t = table_new();
	d = data_new();
	if (t == NO_IDX || d == NO_IDX)
		kpanic("stress: no frame for the A/D probe", 0);
	tables[t].refs = 1;
	spaces[active].table[NSLOT - 1] = (uint8_t)t;
	if (spaces[active].l1[NSLOT - 1] & PTE_V)
		kpanic("stress: slot of the A/D probe in use", NSLOT - 1);
	l1_write(active, NSLOT - 1, pte_from_ppn(tables[t].pa >> PAGE_SHIFT) | PTE_V);
	set_page(t, 0, d, PTE_V | PTE_R); /* A=0 */
	fence_all();
	svadu = probe_load(page_va(NSLOT - 1, 0), &v) == 0;
	if (svadu && v != data[d].tag)
		kpanic("stress: the A/D probe read a wrong word", v);
	slot_clear(active, NSLOT - 1, 1);
	fence_all();
}

int work_stress(const char *args, uint32_t n, uint64_t *cycles)
{
	uint32_t seed = 1, selftest = 0, free0, asid_bits;
	int rc;

	rc = bootarg_get_u32(args, "sseed", &seed);
	if (rc == -2)
		kpanic("sseed= takes a number in 0..4294967295", 0);
	rc = bootarg_get_u32(args, "stress_selftest", &selftest);
	if (rc == -2 || selftest > 1)
		kpanic("stress_selftest= takes 0 or 1", selftest);
	rng = seed * 0x9e3779b9u ^ 0x6a09e667u;
	if (!rng)
		rng = 1;
	for (uint32_t i = 0; i < 8; i++)
		rnd32();
	kputs("guest: stress: sseed=");
	kputdec(seed);
	kputs("\n");

	free0 = frames_free();
	for (uint32_t s = 0; s < NSPACE; s++)
		spaces[s].root = mm_new_space();
	/* ASIDLEN: write all ones, read back what stuck (Linux does the same) */
	kcsr_write(satp, satp_for(0) | SATP_ASID);
	asid_bits = (kcsr_read(satp) & SATP_ASID) >> 22;
	own_asids = (asid_bits & NSPACE) == NSPACE && (asid_bits & (NSPACE - 1)) == NSPACE - 1;
	for (uint32_t s = 0; s < NSPACE; s++)
		spaces[s].asid = own_asids ? s + 1 : 0;
	kcsr_write(satp, satp_for(0));
	active = 0;
	fence_all();
	probe_svadu();

	*cycles = rdcycle64();
	for (op_no = 1; op_no <= n; op_no++) {
		uint32_t r = rnd(100);

		if (selftest && op_no >= n / 2 && !selftest_op()) {
			selftest = 0;
			continue;
		}
		if (r < 62) {
			op_modify();
		} else if (r < 66) {
			/* a burst: several PTE stores, then one fence for all of them */
			for (uint32_t i = 2 + rnd(6); i; i--)
				op_modify();
			if (rnd(2))
				fence_all();
			else
				fence_asid(spaces[active].asid);
			check_active(rnd(2), rnd(2));
		} else if (r < 75) {
			uint32_t s = (active + 1 + rnd(NSPACE - 1)) % NSPACE;

			switch_to(s);
			check_active(rnd(2), rnd(2));
		} else if (r < 76) {
			op_recycle(rnd(NSPACE));
		} else {
			op_fence();
			check_active(rnd(2), rnd(2));
		}
	}
	/* every space once more, fenced, with both SUM settings */
	for (uint32_t s = 0; s < NSPACE; s++) {
		switch_to(s);
		fence_all();
		check_active(1, 0);
		check_active(0, 1);
	}
	*cycles = rdcycle64() - *cycles;

	satp_switch(mm_kernel_root());
	for (uint32_t s = 0; s < NSPACE; s++) {
		for (uint32_t k = 0; k < NSLOT; k++)
			slot_clear(s, k, 0);
		frame_free(spaces[s].root);
	}
	if (frames_free() != free0)
		kpanic("stress: frames leaked by the workload's own bookkeeping", free0 - frames_free());

	kstat("work.ops", n);
	kstat("work.sseed", seed);
	kstat("work.pte_writes", st.pte_writes);
	kstat("work.checks", st.checks);
	kstat("work.faults_expected", st.faults_expected);
	kstat("work.pending_skips", st.pending_skips);
	kstat("work.flushes", st.flushes);
	kstat("work.switches", st.switches);
	kstat("work.tables_freed", st.tables_freed);
	kstat("work.ptframes_as_data", st.ptframes_as_data);
	kstat("work.superpages", st.superpages);
	kstat("work.recycles", st.recycles);
	kstat("work.alias_pte_writes", st.alias_pte_writes);
	kstat("work.subword_pte_writes", st.subword_pte_writes);
	kstat("work.root_links", st.root_links);
	kputs("guest: stress: ops=");
	kputdec(n);
	kputs(" pte_writes=");
	kputdec(st.pte_writes);
	kputs(" checks=");
	kputdec(st.checks);
	kputs(" faults_expected=");
	kputdec(st.faults_expected);
	kputs(" pending_skips=");
	kputdec(st.pending_skips);
	kputs(" flushes=");
	kputdec(st.flushes);
	kputs(" switches=");
	kputdec(st.switches);
	kputs(" tables_freed=");
	kputdec(st.tables_freed);
	kputs(" ptframes_as_data=");
	kputdec(st.ptframes_as_data);
	kputs(" superpages=");
	kputdec(st.superpages);
	kputs(" recycles=");
	kputdec(st.recycles);
	kputs(" alias_pte_writes=");
	kputdec(st.alias_pte_writes);
	kputs(" subword_pte_writes=");
	kputdec(st.subword_pte_writes);
	kputs(" root_links=");
	kputdec(st.root_links);
	kputs(" root_link_reads=");
	kputdec(st.root_link_reads);
	kputs(svadu ? " (A/D set by the hardware)" : "");
	kputs(own_asids ? " (ASIDs)\n" : " (no ASIDs)\n");
	return 0;
}
