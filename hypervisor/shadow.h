/* shadow.h: the shadow MMU: guest walker, shadow pages found by hash, reverse map, coherence (wp, oos, gwb), audit. */
#ifndef HV_SHADOW_H
#define HV_SHADOW_H

#include <stddef.h>
#include <stdint.h>

#include "pte.h"

/*
 * This file's code is plain C with no CSR access: it runs in the hypervisor and, unchanged,
 * in the host's cmocka tests. Everything machine-specific comes in through struct shadow_env.
 */

enum pt_mode { PT_NATIVE, PT_WP, PT_OOS, PT_GWB };

enum access { ACC_LOAD, ACC_STORE, ACC_EXEC };

/* Outcome of the guest walker. */
enum gwalk_result {
	GW_OK,           /* translation allowed: gpa valid */
	GW_PAGE_FAULT,   /* the guest's own tables forbid it: the guest takes a page fault */
	GW_ACCESS_FAULT, /* a guest PTE lies outside guest RAM: the guest takes an access fault */
};

struct gwalk {
	enum gwalk_result result;
	uint32_t gpa;         /* translated address (GW_OK) */
	int level;            /* level of the leaf: 1 megapage, 0 page */
	uint32_t gpte[2];     /* gpte read at each level ([1] root, [0] leaf table) */
	uint32_t gpte_gpa[2]; /* where they were read */
};

/* What the caller of shadow_page_fault() does next. */
enum fault_action {
	FA_FIXED,      /* a hidden fault: the spte is filled, re-execute */
	FA_INJECT,     /* a true fault: inject it into the guest (walk.result says which) */
	FA_EMULATE,    /* a store to a write-protected guest page table: emulate it, track_write() */
	FA_UNSYNCED,   /* oos: the page table was made out-of-sync and writable, re-execute */
	FA_MMIO,       /* the gpa is not guest RAM: emulate the device access */
	FA_NOMEM,      /* no free shadow page even after dropping every cached root */
};

/* A shadow page: one per (gfn, role). Role = level + direct (+ access for direct pages). */
#define SP_MAX_PARENTS 16
struct shadow_page {
	uint32_t gfn;          /* guest frame of the table shadowed; first gfn of a megapage if direct */
	uint8_t level;         /* 1 = root (level-1 table), 0 = leaf table */
	uint8_t direct;        /* 1: no guest table behind it (split megapage or the bare-mode root) */
	uint8_t unsync;        /* oos: writable by the guest, resynced at the next coherence point */
	uint8_t invalid;       /* zapped: waiting for the TLB flush before it is freed */
	uint32_t access;       /* direct pages: R/W/X/U/A/D of the megapage gpte */
	uint32_t write_count;  /* traced writes applied since it was created */
	uint32_t *table;       /* the 1024 sptes */
	uint32_t hpa;          /* host physical address of table */
	uint32_t nparents;
	uint32_t *parents[SP_MAX_PARENTS]; /* level-1 sptes pointing here (level-0 pages only) */
	struct shadow_page *hash_next;
	struct shadow_page *next; /* live list, or free/invalid list */
};

/* Reverse-map entry: one leaf spte mapping a gfn. */
struct rmap_entry {
	uint32_t *spte;
	uint32_t next; /* index + 1 of the next entry, 0 = end */
};

#define SHADOW_HASH 256u
#define SHADOW_ROOTS 8u

/* Counters (the hypervisor exports them under hv.). */
struct shadow_stats {
	uint64_t hidden_faults, true_faults, pte_emulations, track_writes, resyncs, unsyncs;
	uint64_t sp_created, sp_zapped, tlb_flushes, root_switches, root_hits, unshadowed;
	uint64_t write_protects, audits;
};

struct shadow_env {
	uint8_t *gram;        /* guest RAM as the hypervisor sees it */
	uint32_t gram_gpa;    /* its guest physical base (0x8000_0000) */
	uint32_t gram_size;
	uint32_t gram_hpa;    /* its host physical base */
	uint32_t *pool;       /* shadow tables: pool_pages x 4 KiB, page aligned */
	uint32_t pool_hpa;
	uint32_t pool_pages;
	struct shadow_page *sps;       /* pool_pages descriptors */
	struct rmap_entry *rmap;       /* nrmap entries */
	uint32_t nrmap;
	uint32_t *rmap_head;           /* one per guest frame: index + 1 of the first entry */
	void (*flush_tlb)(void *ctx);  /* sfence.vma of everything, once per commit */
	void *ctx;
};

struct shadow {
	struct shadow_env env;
	enum pt_mode mode;
	struct shadow_page *hash[SHADOW_HASH];
	struct shadow_page *live, *free_list, *invalid_list;
	uint32_t rmap_free;          /* index + 1 of the first free rmap entry */
	struct shadow_page *roots[SHADOW_ROOTS]; /* cached roots, most recent first */
	struct shadow_page *cur_root;
	uint32_t cur_satp;           /* the guest's satp */
	struct shadow_page *bare;    /* root used while the guest's satp is Bare */
	int need_flush;
	uint32_t nlive, nunsync;
	struct shadow_stats st;
};

/* Sets up s over env (zeroed tables, empty hash, all pages free). 0 or -EINVAL. */
int shadow_init(struct shadow *s, const struct shadow_env *env, enum pt_mode mode);

/*
 * The Sv32 walk the guest's own MMU would do (Svade: A=0, or a store with D=0, faults).
 * priv_u: the access is from U-mode; sum/mxr: the guest's sstatus bits.
 */
void shadow_gwalk(const struct shadow *s, uint32_t satp, uint32_t gva, enum access acc, int priv_u,
		  int sum, int mxr, struct gwalk *w);

/* The guest wrote satp: returns the satp value for the hardware (a cached or new root). */
uint32_t shadow_set_guest_satp(struct shadow *s, uint32_t guest_satp);

/* A guest page fault that reached the hypervisor; w is filled with the guest's walk. */
enum fault_action shadow_page_fault(struct shadow *s, uint32_t gva, enum access acc, int priv_u,
				    int sum, int mxr, struct gwalk *w);

/*
 * The one entry of every traced guest write (trap emulation, oos resync, GWB drain): the
 * guest has written val (size 1, 2 or 4 bytes) at gpa, and it is in guest memory now.
 * Every shadow page of that frame is brought up to date (a sub-word write resyncs the
 * whole aligned gpte). Flushes the TLB once if an spte changed.
 */
void track_write(struct shadow *s, uint32_t gpa, uint32_t val, uint32_t size);

/* Coherence point (guest sfence.vma or satp write): resyncs every out-of-sync page (oos). */
void shadow_sync(struct shadow *s);

/* Drops every shadow page (e.g. the guest went back to Bare). */
void shadow_zap_all(struct shadow *s);

/* Internal consistency (hash, lists, parents, rmap): 0 or a negative case number. */
int shadow_check(const struct shadow *s);

/*
 * Audit: every live spte agrees with the gpte it shadows (out-of-sync pages excepted).
 * Returns 0, or -1 with one readable line in report.
 */
int shadow_audit(struct shadow *s, char *report, size_t len);

/* Guest RAM helpers. */
static inline int shadow_gpa_in_ram(const struct shadow *s, uint32_t gpa)
{
	return gpa - s->env.gram_gpa < s->env.gram_size && gpa >= s->env.gram_gpa;
}
static inline uint32_t shadow_read_gword(const struct shadow *s, uint32_t gpa)
{
	return *(const uint32_t *)(s->env.gram + ((gpa & ~3u) - s->env.gram_gpa));
}

/* Test hook: the live shadow page for (gfn, level, non-direct), or NULL. */
struct shadow_page *shadow_find(const struct shadow *s, uint32_t gfn, int level);

#endif
