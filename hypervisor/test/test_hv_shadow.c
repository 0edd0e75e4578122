/* test_hv_shadow.c: cmocka tests of the shadow MMU on the host: guest walker, spte construction, reverse map, wp/oos/gwb coherence, zap, audit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gwb_log.h"
#include "shadow.h"

#define GRAM_GPA 0x80000000u
#define GRAM_SIZE 0x00400000u /* 4 MiB of guest RAM */
#define GRAM_HPA 0x81000000u
#define POOL_HPA 0x82000000u
#define POOL_PAGES 64u
#define NRMAP 4096u

/* guest frames used by the tests */
#define ROOT 0x80001000u
#define L0 0x80002000u
#define DATA 0x80010000u
#define ROOT2 0x80003000u
#define VA 0x40005000u /* vpn1 0x100, vpn0 5 */
#define LEAF_RW (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define SATP(root) (SATP_SV32 | ((root) >> 12))

struct fx {
	struct shadow s;
	struct shadow_env env;
	uint32_t flushes;
	char report[256];
};

static void count_flush(void *ctx)
{
	((struct fx *)ctx)->flushes++;
}

static struct fx *make(enum pt_mode mode)
{
	struct fx *x = calloc(1, sizeof(*x));

	assert_non_null(x);
	x->env.gram = aligned_alloc(4096, GRAM_SIZE);
	x->env.pool = aligned_alloc(4096, POOL_PAGES * 4096u);
	x->env.sps = calloc(POOL_PAGES, sizeof(struct shadow_page));
	x->env.rmap = calloc(NRMAP, sizeof(struct rmap_entry));
	x->env.rmap_head = calloc(GRAM_SIZE >> 12, sizeof(uint32_t));
	assert_true(x->env.gram && x->env.pool && x->env.sps && x->env.rmap && x->env.rmap_head);
	memset(x->env.gram, 0, GRAM_SIZE);
	x->env.gram_gpa = GRAM_GPA;
	x->env.gram_size = GRAM_SIZE;
	x->env.gram_hpa = GRAM_HPA;
	x->env.pool_hpa = POOL_HPA;
	x->env.pool_pages = POOL_PAGES;
	x->env.nrmap = NRMAP;
	x->env.flush_tlb = count_flush;
	x->env.ctx = x;
	assert_int_equal(shadow_init(&x->s, &x->env, mode), 0);
	return x;
}

static void drop(struct fx *x)
{
	free(x->env.gram);
	free(x->env.pool);
	free(x->env.sps);
	free(x->env.rmap);
	free(x->env.rmap_head);
	free(x);
}

static uint32_t *gw(struct fx *x, uint32_t gpa)
{
	return (uint32_t *)(x->env.gram + (gpa - GRAM_GPA));
}

static uint32_t ptr(uint32_t table)
{
	return ((table >> 12) << 10) | PTE_V;
}

static uint32_t leaf(uint32_t pa, uint32_t flags)
{
	return ((pa >> 12) << 10) | flags;
}

/* The guest writes a gpte with a plain store (what the hardware would let through). */
static void gstore(struct fx *x, uint32_t gpa, uint32_t v)
{
	*gw(x, gpa) = v;
}

/* ROOT -> L0 -> DATA at VA, read/write. */
static void map_basic(struct fx *x)
{
	gstore(x, ROOT + 4 * 0x100, ptr(L0));
	gstore(x, L0 + 4 * 5, leaf(DATA, LEAF_RW));
}

/* The spte the shadow holds for va under the current root, or 0. */
static uint32_t spte_of(struct fx *x, uint32_t va)
{
	struct shadow_page *r = x->s.cur_root, *c;
	uint32_t e = r->table[va >> 22];

	if (!(e & PTE_V))
		return 0;
	c = &x->env.sps[(((e >> 10) << 12) - POOL_HPA) >> 12];
	return c->table[(va >> 12) & 0x3ff];
}

static void audit_ok(struct fx *x)
{
	assert_int_equal(shadow_check(&x->s), 0);
	assert_int_equal(shadow_audit(&x->s, x->report, sizeof(x->report)), 0);
}

/* ---- guest walker ---- */

/* 1: every fault branch of the walker, and the successful walks. */
static void test_gwalk(void **state)
{
	struct fx *x = make(PT_WP);
	struct gwalk w;

	(void)state;
	map_basic(x);
	shadow_gwalk(&x->s, SATP(ROOT), VA + 0x123, ACC_LOAD, 0, 0, 0, &w);
	assert_int_equal(w.result, GW_OK);
	assert_int_equal(w.gpa, DATA + 0x123);
	assert_int_equal(w.level, 0);
	assert_int_equal(w.gpte_gpa[0], L0 + 4 * 5);
	/* Bare: gva = gpa */
	shadow_gwalk(&x->s, 0, 0x80001234u, ACC_STORE, 0, 0, 0, &w);
	assert_int_equal(w.result, GW_OK);
	assert_int_equal(w.gpa, 0x80001234u);
	/* not present */
	shadow_gwalk(&x->s, SATP(ROOT), VA + 0x1000, ACC_LOAD, 0, 0, 0, &w);
	assert_int_equal(w.result, GW_PAGE_FAULT);
	/* exec on a page without X */
	shadow_gwalk(&x->s, SATP(ROOT), VA, ACC_EXEC, 0, 0, 0, &w);
	assert_int_equal(w.result, GW_PAGE_FAULT);
	/* U-mode on a supervisor page */
	shadow_gwalk(&x->s, SATP(ROOT), VA, ACC_LOAD, 1, 0, 0, &w);
	assert_int_equal(w.result, GW_PAGE_FAULT);
	/* S-mode on a user page: only with SUM, never exec */
	gstore(x, L0 + 4 * 5, leaf(DATA, LEAF_RW | PTE_U | PTE_X));
	shadow_gwalk(&x->s, SATP(ROOT), VA, ACC_LOAD, 0, 0, 0, &w);
	assert_int_equal(w.result, GW_PAGE_FAULT);
	shadow_gwalk(&x->s, SATP(ROOT), VA, ACC_LOAD, 0, 1, 0, &w);
	assert_int_equal(w.result, GW_OK);
	shadow_gwalk(&x->s, SATP(ROOT), VA, ACC_EXEC, 0, 1, 0, &w);
	assert_int_equal(w.result, GW_PAGE_FAULT);
	/* MXR: load from execute-only */
	gstore(x, L0 + 4 * 5, leaf(DATA, PTE_V | PTE_X | PTE_A));
	shadow_gwalk(&x->s, SATP(ROOT), VA, ACC_LOAD, 0, 0, 0, &w);
	assert_int_equal(w.result, GW_PAGE_FAULT);
	shadow_gwalk(&x->s, SATP(ROOT), VA, ACC_LOAD, 0, 0, 1, &w);
	assert_int_equal(w.result, GW_OK);
	/* Svade: A=0, and a store with D=0 */
	gstore(x, L0 + 4 * 5, leaf(DATA, PTE_V | PTE_R | PTE_W));
	shadow_gwalk(&x->s, SATP(ROOT), VA, ACC_LOAD, 0, 0, 0, &w);
	assert_int_equal(w.result, GW_PAGE_FAULT);
	gstore(x, L0 + 4 * 5, leaf(DATA, PTE_V | PTE_R | PTE_W | PTE_A));
	shadow_gwalk(&x->s, SATP(ROOT), VA, ACC_LOAD, 0, 0, 0, &w);
	assert_int_equal(w.result, GW_OK);
	shadow_gwalk(&x->s, SATP(ROOT), VA, ACC_STORE, 0, 0, 0, &w);
	assert_int_equal(w.result, GW_PAGE_FAULT);
	/* reserved W without R */
	gstore(x, L0 + 4 * 5, leaf(DATA, PTE_V | PTE_W | PTE_A | PTE_D));
	shadow_gwalk(&x->s, SATP(ROOT), VA, ACC_STORE, 0, 0, 0, &w);
	assert_int_equal(w.result, GW_PAGE_FAULT);
	/* a pointer at level 0 */
	gstore(x, L0 + 4 * 5, ptr(L0));
	shadow_gwalk(&x->s, SATP(ROOT), VA, ACC_LOAD, 0, 0, 0, &w);
	assert_int_equal(w.result, GW_PAGE_FAULT);
	/* megapage: aligned works, misaligned faults */
	gstore(x, ROOT + 4 * 0x200, leaf(0x80000000u, LEAF_RW));
	shadow_gwalk(&x->s, SATP(ROOT), 0x80012345u, ACC_STORE, 0, 0, 0, &w);
	assert_int_equal(w.result, GW_OK);
	assert_int_equal(w.gpa, 0x80012345u);
	assert_int_equal(w.level, 1);
	gstore(x, ROOT + 4 * 0x200, leaf(0x80001000u, LEAF_RW));
	shadow_gwalk(&x->s, SATP(ROOT), 0x80012345u, ACC_LOAD, 0, 0, 0, &w);
	assert_int_equal(w.result, GW_PAGE_FAULT);
	/* a table outside guest RAM: access fault */
	gstore(x, ROOT + 4 * 0x101, ptr(0x90000000u));
	shadow_gwalk(&x->s, SATP(ROOT), 0x40400000u, ACC_LOAD, 0, 0, 0, &w);
	assert_int_equal(w.result, GW_ACCESS_FAULT);
	drop(x);
}

/* ---- spte construction, reverse map ---- */

/* 2: a hidden fault builds the spte from the gpte: host frame, narrowed rights, in the rmap. */
static void test_hidden_fault_builds_spte(void **state)
{
	struct fx *x = make(PT_WP);
	struct gwalk w;
	uint32_t e;

	(void)state;
	map_basic(x);
	shadow_set_guest_satp(&x->s, SATP(ROOT));
	assert_int_equal(shadow_page_fault(&x->s, VA, ACC_LOAD, 0, 0, 0, &w), FA_FIXED);
	e = spte_of(x, VA);
	assert_int_equal(e >> 10, (DATA - GRAM_GPA + GRAM_HPA) >> 12);
	assert_int_equal(e & (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D | SPTE_GW),
			 PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | SPTE_GW);
	assert_int_equal(x->s.st.hidden_faults, 1);
	audit_ok(x);
	/* a read-only gpte gives a read-only spte without GW */
	gstore(x, L0 + 4 * 6, leaf(DATA + 0x1000, PTE_V | PTE_R | PTE_A));
	assert_int_equal(shadow_page_fault(&x->s, VA + 0x1000, ACC_LOAD, 0, 0, 0, &w), FA_FIXED);
	assert_int_equal(spte_of(x, VA + 0x1000) & (PTE_W | SPTE_GW), 0);
	/* W without D: the guest's own walker faults, nothing is shadowed for a store */
	gstore(x, L0 + 4 * 7, leaf(DATA + 0x2000, PTE_V | PTE_R | PTE_W | PTE_A));
	assert_int_equal(shadow_page_fault(&x->s, VA + 0x2000, ACC_STORE, 0, 0, 0, &w), FA_INJECT);
	assert_int_equal(w.result, GW_PAGE_FAULT);
	/* a gpa outside guest RAM is a device */
	gstore(x, L0 + 4 * 8, leaf(0x00100000u, LEAF_RW));
	assert_int_equal(shadow_page_fault(&x->s, VA + 0x3000, ACC_STORE, 0, 0, 0, &w), FA_MMIO);
	audit_ok(x);
	drop(x);
}

/* 3: a frame that becomes a page table is write-protected through the reverse map, one flush. */
static void test_rmap_write_protects_new_table(void **state)
{
	struct fx *x = make(PT_WP);
	struct gwalk w;
	uint32_t before;

	(void)state;
	map_basic(x);
	/* VA+0x1000 maps ROOT2's frame as data, writable */
	gstore(x, L0 + 4 * 6, leaf(ROOT2, LEAF_RW));
	shadow_set_guest_satp(&x->s, SATP(ROOT));
	assert_int_equal(shadow_page_fault(&x->s, VA + 0x1000, ACC_STORE, 0, 0, 0, &w), FA_FIXED);
	assert_true(spte_of(x, VA + 0x1000) & PTE_W);
	before = x->flushes;
	/* the guest starts using ROOT2 as a root: its data mapping loses W */
	memcpy(gw(x, ROOT2), gw(x, ROOT), 4096);
	shadow_set_guest_satp(&x->s, SATP(ROOT2));
	assert_int_equal(x->s.st.write_protects, 1);
	assert_true(x->flushes > before);
	shadow_set_guest_satp(&x->s, SATP(ROOT));
	assert_int_equal(x->s.st.root_hits, 1);
	assert_false(spte_of(x, VA + 0x1000) & PTE_W);
	assert_true(spte_of(x, VA + 0x1000) & SPTE_GW);
	audit_ok(x);
	drop(x);
}

/* ---- wp ---- */

/* 4: wp: a store to a guest page table is emulated; track_write updates the spte in place. */
static void test_wp_emulate(void **state)
{
	struct fx *x = make(PT_WP);
	struct gwalk w;

	(void)state;
	map_basic(x);
	/* VA+0x1000 maps the L0 table itself (the kernel's view of its page tables) */
	gstore(x, L0 + 4 * 6, leaf(L0, LEAF_RW));
	shadow_set_guest_satp(&x->s, SATP(ROOT));
	assert_int_equal(shadow_page_fault(&x->s, VA, ACC_LOAD, 0, 0, 0, &w), FA_FIXED);
	assert_int_equal(shadow_page_fault(&x->s, VA + 0x1000, ACC_STORE, 0, 0, 0, &w), FA_EMULATE);
	assert_int_equal(w.gpa, L0);
	assert_false(spte_of(x, VA + 0x1000) & PTE_W);
	/* the emulation: write the guest memory, then track_write() */
	gstore(x, L0 + 4 * 5, leaf(DATA + 0x5000, PTE_V | PTE_R | PTE_A));
	track_write(&x->s, L0 + 4 * 5, leaf(DATA + 0x5000, PTE_V | PTE_R | PTE_A), 4);
	assert_int_equal(spte_of(x, VA) >> 10, (DATA + 0x5000 - GRAM_GPA + GRAM_HPA) >> 12);
	assert_false(spte_of(x, VA) & PTE_W);
	audit_ok(x);
	/* a byte store: the whole gpte is resynced (to invalid here) */
	*(uint8_t *)gw(x, L0 + 4 * 5) = 0;
	track_write(&x->s, L0 + 4 * 5, 0, 1);
	assert_int_equal(spte_of(x, VA), 0);
	audit_ok(x);
	drop(x);
}

/* 5: the audit catches an spte that disagrees with its gpte, and a bad reverse map. */
static void test_audit_catches(void **state)
{
	struct fx *x = make(PT_WP);
	struct gwalk w;
	struct shadow_page *sp;

	(void)state;
	map_basic(x);
	shadow_set_guest_satp(&x->s, SATP(ROOT));
	assert_int_equal(shadow_page_fault(&x->s, VA, ACC_LOAD, 0, 0, 0, &w), FA_FIXED);
	audit_ok(x);
	/* a gpte changed behind the hypervisor's back (no track_write) */
	gstore(x, L0 + 4 * 5, leaf(DATA + 0x3000, LEAF_RW));
	assert_int_equal(shadow_audit(&x->s, x->report, sizeof(x->report)), -1);
	assert_non_null(strstr(x->report, "disagrees"));
	assert_non_null(strstr(x->report, "entry 0x00000005"));
	track_write(&x->s, L0 + 4 * 5, 0, 4);
	audit_ok(x);
	/* an spte with more rights than the gpte */
	sp = shadow_find(&x->s, L0 >> 12, 0);
	assert_non_null(sp);
	sp->table[5] |= PTE_X;
	assert_int_equal(shadow_audit(&x->s, x->report, sizeof(x->report)), -1);
	sp->table[5] &= ~PTE_X;
	/* an spte missing from the reverse map */
	sp->table[9] = sp->table[5];
	assert_true(shadow_check(&x->s) < 0);
	assert_int_equal(shadow_audit(&x->s, x->report, sizeof(x->report)), -1);
	assert_non_null(strstr(x->report, "inconsistent"));
	sp->table[9] = 0;
	audit_ok(x);
	drop(x);
}

/* ---- oos ---- */

/* 6: oos: a store to a leaf table unsyncs it (no emulation); sync resyncs it whole and re-protects. */
static void test_oos_unsync_resync(void **state)
{
	struct fx *x = make(PT_OOS);
	struct gwalk w;

	(void)state;
	map_basic(x);
	gstore(x, L0 + 4 * 6, leaf(L0, LEAF_RW));
	shadow_set_guest_satp(&x->s, SATP(ROOT));
	assert_int_equal(shadow_page_fault(&x->s, VA, ACC_LOAD, 0, 0, 0, &w), FA_FIXED);
	assert_int_equal(shadow_page_fault(&x->s, VA + 0x1000, ACC_STORE, 0, 0, 0, &w), FA_UNSYNCED);
	assert_true(spte_of(x, VA + 0x1000) & PTE_W);
	assert_int_equal(x->s.nunsync, 1);
	/* the guest now writes its table freely; the shadow is stale until the next sync */
	gstore(x, L0 + 4 * 5, leaf(DATA + 0x7000, LEAF_RW));
	gstore(x, L0 + 4 * 9, leaf(DATA + 0x8000, LEAF_RW));
	assert_int_equal(shadow_audit(&x->s, x->report, sizeof(x->report)), 0); /* out of sync: exempt */
	shadow_sync(&x->s);
	assert_int_equal(x->s.nunsync, 0);
	assert_int_equal(x->s.st.resyncs, 1);
	assert_int_equal(spte_of(x, VA) >> 10, (DATA + 0x7000 - GRAM_GPA + GRAM_HPA) >> 12);
	assert_false(spte_of(x, VA + 0x1000) & PTE_W); /* protected again */
	audit_ok(x);
	/* a root table is never unsynced: a store to it is emulated */
	gstore(x, L0 + 4 * 10, leaf(ROOT, LEAF_RW));
	track_write(&x->s, L0 + 4 * 10, 0, 4);
	assert_int_equal(shadow_page_fault(&x->s, VA + 0x5000, ACC_STORE, 0, 0, 0, &w), FA_EMULATE);
	audit_ok(x);
	drop(x);
}

/* ---- gwb ---- */

/* 7: gwb: sptes of page-table frames are traced and writable; the log drain resyncs only what was written. */
static void test_gwb_trace_and_drain(void **state)
{
	struct fx *x = make(PT_GWB);
	struct gwb_record rec[4];
	struct gwb_log log = { rec, 0x82100000u, 4, 0, 0, 0, 0 };
	struct gwalk w;
	uint32_t off = GRAM_HPA - GRAM_GPA;

	(void)state;
	map_basic(x);
	gstore(x, L0 + 4 * 6, leaf(L0, LEAF_RW));
	shadow_set_guest_satp(&x->s, SATP(ROOT));
	assert_int_equal(shadow_page_fault(&x->s, VA, ACC_LOAD, 0, 0, 0, &w), FA_FIXED);
	assert_int_equal(shadow_page_fault(&x->s, VA + 0x1000, ACC_STORE, 0, 0, 0, &w), FA_FIXED);
	assert_true(spte_of(x, VA + 0x1000) & PTE_W);
	assert_true(spte_of(x, VA + 0x1000) & PTE_T);
	audit_ok(x);
	/* two traced stores (what the MMU would log), one of them a halfword */
	gstore(x, L0 + 4 * 5, leaf(DATA + 0x9000, LEAF_RW));
	rec[0].word0 = (L0 + 4 * 5 + off) | GWB_SIZE_WORD;
	rec[0].word1 = leaf(DATA + 0x9000, LEAF_RW);
	*(uint16_t *)gw(x, L0 + 4 * 5 + 2) = 0;
	rec[1].word0 = ((L0 + 4 * 5 + 2 + off) & GWB_REC_ADDR_MASK) | GWB_SIZE_HALF; /* bits [1:0] = size */
	rec[1].word1 = 0;
	assert_int_equal(shadow_audit(&x->s, x->report, sizeof(x->report)), -1); /* not drained yet */
	assert_int_equal(gwb_log_drain(&log, &x->s, 2), 2);
	assert_int_equal(log.appends, 2);
	assert_int_equal(log.drains, 1);
	/* the gpte now maps DATA+0x9000's low half-word of ppn only: whatever memory says, the spte agrees */
	audit_ok(x);
	/* bad records: size code 3, outside guest RAM; a count above the capacity */
	rec[0].word0 = (L0 + off) | 3u;
	rec[1].word0 = 0x10000000u | GWB_SIZE_WORD;
	assert_int_equal(gwb_log_drain(&log, &x->s, 2), 0);
	assert_int_equal(log.bad_records, 2);
	assert_int_equal(gwb_log_drain(&log, &x->s, 5), -1);
	drop(x);
}

/*
 * A model of the MMU's append (SPEC §3) for the full-log test: returns 0 when the record was
 * appended, -1 for the GWB-full trap (store not performed).
 */
static int mmu_traced_store(struct fx *x, struct gwb_log *log, uint32_t *idx, uint32_t gpa, uint32_t v)
{
	if (*idx >= log->cap)
		return -1;
	gstore(x, gpa, v);
	log->rec[*idx].word0 = (gpa + GRAM_HPA - GRAM_GPA) | GWB_SIZE_WORD;
	log->rec[*idx].word1 = v;
	(*idx)++;
	return 0;
}

/* 8: full-log handling: at cap the store traps, the drain empties the log, the store re-executes. */
static void test_gwb_full_log(void **state)
{
	struct fx *x = make(PT_GWB);
	struct gwb_record rec[2];
	struct gwb_log log = { rec, 0x82100000u, 2, 0, 0, 0, 0 };
	struct gwalk w;
	uint32_t idx = 0;

	(void)state;
	assert_false(gwb_cap_valid(0));
	assert_false(gwb_cap_valid(3));
	assert_false(gwb_cap_valid(8192));
	assert_true(gwb_cap_valid(4096));
	assert_int_equal(gwb_log_check(&log), 0);
	log.hpa = 0x82100008u; /* not aligned to the log's 16 bytes */
	assert_true(gwb_log_check(&log) < 0);
	log.hpa = 0x82100000u;
	log.cap = 3;
	assert_true(gwb_log_check(&log) < 0);
	log.cap = 2;
	map_basic(x);
	shadow_set_guest_satp(&x->s, SATP(ROOT));
	for (uint32_t i = 0; i < 5; i++) {
		uint32_t gpa = L0 + 4 * (16 + i), v = leaf(DATA + 0x1000 * i, LEAF_RW);
		uint32_t va = (VA & ~0x3fffffu) + ((16 + i) << 12);

		if (mmu_traced_store(x, &log, &idx, gpa, v)) {
			/* cause 24: drain, reset the index, re-execute */
			log.full++;
			assert_int_equal(gwb_log_drain(&log, &x->s, idx), (int)idx);
			idx = 0;
			assert_int_equal(mmu_traced_store(x, &log, &idx, gpa, v), 0);
		}
		assert_int_equal(shadow_page_fault(&x->s, va, ACC_LOAD, 0, 0, 0, &w), FA_FIXED);
	}
	assert_int_equal(gwb_log_drain(&log, &x->s, idx), (int)idx);
	assert_int_equal(log.full, 2);
	assert_int_equal(log.appends, 5);
	audit_ok(x);
	drop(x);
}

/* ---- lifetime ---- */

/* 9: a write to a shadowed frame no longer reachable from the running root unshadows it. */
static void test_unshadow_unreachable(void **state)
{
	struct fx *x = make(PT_WP);
	struct gwalk w;

	(void)state;
	map_basic(x);
	shadow_set_guest_satp(&x->s, SATP(ROOT));
	assert_int_equal(shadow_page_fault(&x->s, VA, ACC_LOAD, 0, 0, 0, &w), FA_FIXED);
	/* another address space without L0 */
	gstore(x, ROOT2 + 4 * 0x200, leaf(0x80000000u, LEAF_RW));
	shadow_set_guest_satp(&x->s, SATP(ROOT2));
	assert_non_null(shadow_find(&x->s, L0 >> 12, 0));
	gstore(x, L0, 0x12345678u); /* L0's frame reused as data */
	track_write(&x->s, L0, 0x12345678u, 4);
	assert_null(shadow_find(&x->s, L0 >> 12, 0));
	assert_int_equal(x->s.st.unshadowed, 1);
	audit_ok(x);
	/* back in ROOT: the link was dropped, a fault rebuilds it */
	gstore(x, L0, 0);
	shadow_set_guest_satp(&x->s, SATP(ROOT));
	assert_int_equal(spte_of(x, VA), 0);
	assert_int_equal(shadow_page_fault(&x->s, VA, ACC_LOAD, 0, 0, 0, &w), FA_FIXED);
	audit_ok(x);
	drop(x);
}

/* 10: the root cache keeps SHADOW_ROOTS roots; the least recently used is zapped, two-phase. */
static void test_root_cache_and_zap(void **state)
{
	struct fx *x = make(PT_WP);
	struct gwalk w;
	uint32_t free_before = 0, free_after = 0;

	(void)state;
	for (uint32_t r = 0; r < SHADOW_ROOTS + 1; r++) {
		uint32_t root = 0x80100000u + r * 0x1000u;

		memset(gw(x, root), 0, 4096);
		gstore(x, root + 4 * 0x100, ptr(L0));
	}
	gstore(x, L0 + 4 * 5, leaf(DATA, LEAF_RW));
	for (uint32_t r = 0; r < SHADOW_ROOTS; r++) {
		shadow_set_guest_satp(&x->s, SATP(0x80100000u + r * 0x1000u));
		assert_int_equal(shadow_page_fault(&x->s, VA, ACC_LOAD, 0, 0, 0, &w), FA_FIXED);
	}
	/* one L0 page shared by every root */
	assert_int_equal(shadow_find(&x->s, L0 >> 12, 0)->nparents, SHADOW_ROOTS);
	for (struct shadow_page *sp = x->s.free_list; sp; sp = sp->next)
		free_before++;
	shadow_set_guest_satp(&x->s, SATP(0x80100000u + SHADOW_ROOTS * 0x1000u));
	assert_null(shadow_find(&x->s, 0x80100u, 1)); /* the oldest root is gone */
	assert_null(x->s.invalid_list); /* freed after the flush */
	for (struct shadow_page *sp = x->s.free_list; sp; sp = sp->next)
		free_after++;
	assert_int_equal(free_after, free_before); /* one freed, one allocated */
	assert_int_equal(shadow_find(&x->s, L0 >> 12, 0)->nparents, SHADOW_ROOTS - 1);
	audit_ok(x);
	/* back to Bare drops everything */
	shadow_set_guest_satp(&x->s, 0);
	assert_int_equal(x->s.nlive, 1); /* the bare root */
	audit_ok(x);
	drop(x);
}

/* 11: a guest megapage is shadowed by a direct level-0 page of 4 KiB sptes; its page tables stay protected. */
static void test_megapage_direct(void **state)
{
	struct fx *x = make(PT_WP);
	struct gwalk w;
	uint32_t e;

	(void)state;
	gstore(x, ROOT + 4 * 0x200, leaf(0x80000000u, LEAF_RW | PTE_X));
	shadow_set_guest_satp(&x->s, SATP(ROOT));
	assert_int_equal(shadow_page_fault(&x->s, 0x80012345u, ACC_LOAD, 0, 0, 0, &w), FA_FIXED);
	e = spte_of(x, 0x80012000u);
	assert_int_equal(e >> 10, (0x80012000u - GRAM_GPA + GRAM_HPA) >> 12);
	assert_true(e & PTE_W);
	/* the root's own frame, seen through the megapage, is write-protected */
	assert_int_equal(shadow_page_fault(&x->s, ROOT, ACC_STORE, 0, 0, 0, &w), FA_EMULATE);
	assert_false(spte_of(x, ROOT) & PTE_W);
	audit_ok(x);
	/* the guest narrows the megapage: the direct page no longer matches and is dropped */
	gstore(x, ROOT + 4 * 0x200, leaf(0x80000000u, PTE_V | PTE_R | PTE_A));
	track_write(&x->s, ROOT + 4 * 0x200, 0, 4);
	assert_int_equal(x->s.cur_root->table[0x200], 0);
	audit_ok(x);
	assert_int_equal(shadow_page_fault(&x->s, 0x80012345u, ACC_LOAD, 0, 0, 0, &w), FA_FIXED);
	assert_false(spte_of(x, 0x80012000u) & PTE_W);
	audit_ok(x);
	drop(x);
}

/* 12: bad layouts are refused. */
static void test_init_refuses(void **state)
{
	struct fx *x = make(PT_WP);
	struct shadow_env env = x->env;
	struct shadow s2;

	(void)state;
	env.gram_hpa = GRAM_HPA + 0x1000; /* not 4 MiB aligned: no megapage for Bare */
	assert_int_equal(shadow_init(&s2, &env, PT_WP), -22);
	env = x->env;
	env.flush_tlb = NULL;
	assert_int_equal(shadow_init(&s2, &env, PT_WP), -22);
	drop(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gwalk),
		cmocka_unit_test(test_hidden_fault_builds_spte),
		cmocka_unit_test(test_rmap_write_protects_new_table),
		cmocka_unit_test(test_wp_emulate),
		cmocka_unit_test(test_audit_catches),
		cmocka_unit_test(test_oos_unsync_resync),
		cmocka_unit_test(test_gwb_trace_and_drain),
		cmocka_unit_test(test_gwb_full_log),
		cmocka_unit_test(test_unshadow_unreachable),
		cmocka_unit_test(test_root_cache_and_zap),
		cmocka_unit_test(test_megapage_direct),
		cmocka_unit_test(test_init_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
