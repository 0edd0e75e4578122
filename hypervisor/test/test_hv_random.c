/* test_hv_random.c: cmocka property test: a simulated MMU runs random guest page-table traffic over the shadow tables in every mode; the audit must hold at every coherence point. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gwb_log.h"
#include "shadow.h"

/*
 * The guest: 3 roots and 6 level-0 tables in frames 0x80001000..0x80009000, data frames
 * above. Its address space uses vpn1 0x100..0x101, vpn0 0..31; those pages map random
 * frames, table frames included, so guest stores land in page tables through aliases, as a
 * kernel's do. The "hardware" below uses only the shadow tables: it stores when the spte
 * allows (appending a record when T is set), otherwise it takes the page fault to the
 * shadow code and acts on its answer as the hypervisor does.
 */

#define GRAM_GPA 0x80000000u
#define GRAM_SIZE 0x00400000u
#define GRAM_HPA 0x81000000u
#define POOL_HPA 0x82000000u
#define POOL_PAGES 48u
#define NRMAP 8192u
#define NROOTS 3u
#define NL0 6u
#define TABLE(i) (0x80001000u + 0x1000u * (i)) /* roots 0..2, L0 tables 3..8 */
#define NDATA 24u
#define DATA(i) (0x80020000u + 0x1000u * (i))
#define STEPS 20000u
#define LOG_CAP 2u

struct sim {
	struct shadow s;
	struct shadow_env env;
	struct gwb_record rec[LOG_CAP];
	struct gwb_log log;
	uint32_t idx, satp;
	uint64_t rng;
	char report[256];
};

static uint32_t rnd(struct sim *m, uint32_t n)
{
	m->rng = m->rng * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(m->rng >> 33) % n;
}

static void no_flush(void *ctx)
{
	(void)ctx;
}

static uint32_t *gw(struct sim *m, uint32_t gpa)
{
	return (uint32_t *)(m->env.gram + (gpa - GRAM_GPA));
}

static uint32_t random_frame(struct sim *m)
{
	return rnd(m, 3) == 0 ? TABLE(rnd(m, NROOTS + NL0)) : DATA(rnd(m, NDATA));
}

static uint32_t random_gpte(struct sim *m, int level)
{
	static const uint32_t flags[] = {
		PTE_V | PTE_R | PTE_W | PTE_A | PTE_D, PTE_V | PTE_R | PTE_A, PTE_V | PTE_R | PTE_W | PTE_A,
		PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D, 0,
	};

	if (level == 1) {
		uint32_t k = rnd(m, 5);

		if (k == 0)
			return 0;
		if (k == 1) /* a megapage over the first 4 MiB */
			return (GRAM_GPA >> 12 << 10) | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
		return (TABLE(NROOTS + rnd(m, NL0)) >> 12 << 10) | PTE_V;
	}
	return (random_frame(m) >> 12 << 10) | flags[rnd(m, 5)];
}

/* The leaf spte the hardware would use for va, or 0. */
static uint32_t *hw_spte(struct sim *m, uint32_t va)
{
	struct shadow_page *r = m->s.cur_root, *c;
	uint32_t e = r->table[va >> 22];

	if (!(e & PTE_V))
		return 0;
	if (pte_is_leaf(e))
		return 0; /* the bare root's megapages: not used here */
	c = &m->env.sps[(((e >> 10) << 12) - POOL_HPA) >> 12];
	return &c->table[(va >> 12) & 0x3ffu];
}

static void drain(struct sim *m)
{
	assert_true(gwb_log_drain(&m->log, &m->s, m->idx) >= 0);
	m->idx = 0;
}

static void coherence(struct sim *m)
{
	drain(m);
	shadow_sync(&m->s);
	if (shadow_audit(&m->s, m->report, sizeof(m->report)))
		fail_msg("mode %d: %s", m->s.mode, m->report);
}

/* One guest store of val at va, as the MMU and the hypervisor together perform it. */
static void guest_store(struct sim *m, uint32_t va, uint32_t val)
{
	for (int tries = 0; tries < 4; tries++) {
		uint32_t *e = hw_spte(m, va);
		struct gwalk w;
		enum fault_action a;

		if (e && (*e & PTE_V) && (*e & PTE_W)) {
			uint32_t pa = ((*e >> 10) << 12) | (va & 0xfffu), gpa = pa - GRAM_HPA + GRAM_GPA;

			if ((*e & PTE_T) && m->s.mode == PT_GWB) {
				if (m->idx == LOG_CAP) { /* GWB full: drain, re-execute */
					m->log.full++;
					drain(m);
					continue;
				}
				*gw(m, gpa) = val;
				m->rec[m->idx].word0 = (pa & GWB_REC_ADDR_MASK) | GWB_SIZE_WORD;
				m->rec[m->idx].word1 = val;
				m->idx++;
			} else {
				*gw(m, gpa) = val;
			}
			return;
		}
		a = shadow_page_fault(&m->s, va, ACC_STORE, 0, 0, 0, &w);
		if (a == FA_EMULATE) {
			*gw(m, w.gpa) = val;
			track_write(&m->s, w.gpa, val, 4);
			return;
		}
		if (a == FA_INJECT || a == FA_MMIO)
			return; /* the guest's own fault: its store does not happen */
	}
	fail_msg("a store at 0x%08x did not complete after 4 faults", va);
}

static void guest_load(struct sim *m, uint32_t va)
{
	struct gwalk w;
	uint32_t *e = hw_spte(m, va);

	if (!e || !(*e & PTE_V))
		shadow_page_fault(&m->s, va, ACC_LOAD, 0, 0, 0, &w);
}

static void run_mode(enum pt_mode mode, uint64_t seed)
{
	struct sim *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	m->env.gram = aligned_alloc(4096, GRAM_SIZE);
	m->env.pool = aligned_alloc(4096, POOL_PAGES * 4096u);
	m->env.sps = calloc(POOL_PAGES, sizeof(struct shadow_page));
	m->env.rmap = calloc(NRMAP, sizeof(struct rmap_entry));
	m->env.rmap_head = calloc(GRAM_SIZE >> 12, sizeof(uint32_t));
	memset(m->env.gram, 0, GRAM_SIZE);
	m->env.gram_gpa = GRAM_GPA;
	m->env.gram_size = GRAM_SIZE;
	m->env.gram_hpa = GRAM_HPA;
	m->env.pool_hpa = POOL_HPA;
	m->env.pool_pages = POOL_PAGES;
	m->env.nrmap = NRMAP;
	m->env.flush_tlb = no_flush;
	assert_int_equal(shadow_init(&m->s, &m->env, mode), 0);
	m->log.rec = m->rec;
	m->log.hpa = 0x82400000u;
	m->log.cap = LOG_CAP;
	m->rng = seed;
	/* every root maps the region through two level-0 tables; they map random frames */
	for (uint32_t r = 0; r < NROOTS; r++) {
		*gw(m, TABLE(r) + 4 * 0x100) = (TABLE(NROOTS + r) >> 12 << 10) | PTE_V;
		*gw(m, TABLE(r) + 4 * 0x101) = (TABLE(NROOTS + (r + 1) % NL0) >> 12 << 10) | PTE_V;
	}
	for (uint32_t t = 0; t < NL0; t++)
		for (uint32_t i = 0; i < 32; i++)
			*gw(m, TABLE(NROOTS + t) + 4 * i) = random_gpte(m, 0);
	m->satp = SATP_SV32 | (TABLE(0) >> 12);
	shadow_set_guest_satp(&m->s, m->satp);
	for (uint32_t step = 0; step < STEPS; step++) {
		uint32_t va = 0x40000000u + (rnd(m, 2) << 22) + (rnd(m, 32) << 12) + 4 * rnd(m, 1024);
		uint32_t k = rnd(m, 100);

		if (k < 40) {
			guest_load(m, va);
		} else if (k < 85) {
			/* a store: if it lands in a table frame, write something table-like */
			uint32_t *e = hw_spte(m, va);
			int table = e && (*e & PTE_V) && (((*e >> 10) << 12) - GRAM_HPA + GRAM_GPA) < TABLE(NROOTS + NL0);
			uint32_t val = rnd(m, 2) ? random_gpte(m, table && (va & 0xfffu) < 0x800 && rnd(m, 4) == 0)
						 : rnd(m, 0xffffffu);

			guest_store(m, (va & ~0xfffu) | (4 * rnd(m, 40)), val);
		} else if (k < 95) {
			coherence(m); /* sfence.vma */
		} else {
			drain(m);
			shadow_sync(&m->s);
			m->satp = SATP_SV32 | (TABLE(rnd(m, NROOTS)) >> 12);
			shadow_set_guest_satp(&m->s, m->satp);
			if (shadow_audit(&m->s, m->report, sizeof(m->report)))
				fail_msg("mode %d after a satp write: %s", mode, m->report);
		}
	}
	coherence(m);
	assert_int_equal(shadow_check(&m->s), 0);
	if (mode == PT_GWB)
		assert_true(m->log.appends > 0 && m->log.full > 0);
	if (mode == PT_WP)
		assert_true(m->s.st.pte_emulations > 0);
	if (mode == PT_OOS)
		assert_true(m->s.st.resyncs > 0);
	free(m->env.gram);
	free(m->env.pool);
	free(m->env.sps);
	free(m->env.rmap);
	free(m->env.rmap_head);
	free(m);
}

/* 1..3: 20,000 random steps per mode and seed; the audit holds at every coherence point. */
static void test_random_wp(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 4; seed++)
		run_mode(PT_WP, seed);
}

static void test_random_oos(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 4; seed++)
		run_mode(PT_OOS, seed);
}

static void test_random_gwb(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 4; seed++)
		run_mode(PT_GWB, seed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_wp),
		cmocka_unit_test(test_random_oos),
		cmocka_unit_test(test_random_gwb),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
