/* shadow.c: shadow page tables for an Sv32 guest: walker, fill, reverse map, wp/oos/gwb coherence, two-phase zap, audit. */
#include "shadow.h"

/*
 * Rules (kept at every return to the guest; shadow_check() and shadow_audit() test them):
 *  1. There is at most one live non-direct shadow page per (gfn, level); all live pages are
 *     in the hash (by gfn) and on the live list; zapped pages are on the invalid list only
 *     until the TLB has been flushed once, then on the free list.
 *  2. A guest frame is "shadowed" while a live non-direct page has its gfn. Every leaf spte
 *     mapping a shadowed frame is read-only (wp; oos unless every page of the frame is a
 *     level-0 page that is out of sync) or traced with T=1 (gwb). Protection is added
 *     through the reverse map when the frame's first shadow page is made, and removed the
 *     same way when its last one is zapped (a frame reused as data must not stay traced).
 *  3. Every valid leaf spte is in the reverse map of the gfn it maps, exactly once.
 *  4. A level-1 spte is 0 or points to a live level-0 page that lists it as a parent.
 *  5. A synced spte agrees with its gpte: same frame, permissions no wider (W only when
 *     the gpte has W and D, SPTE_GW records that), A and D set, G clear. Non-valid gptes
 *     have spte 0. Level-1 entries are filled lazily, level-0 entries of a tracked write
 *     are refilled at once.
 *  6. A write traced into a frame whose shadow pages are not reachable from the running
 *     root unshadows the frame (it was freed and reused as data, most likely): shadow
 *     pages are a cache, dropping one is always safe.
 *  7. Zapping is two-phase, as in KVM: collect (unlink, invalid list), flush the TLB once,
 *     free. No shadow table is reused while the TLB may still hold its entries.
 */

#define SPTE_FLAGS_LEAF (PTE_V | PTE_A | PTE_D)

static uint32_t hash_of(uint32_t gfn)
{
	return (gfn ^ (gfn >> 8)) & (SHADOW_HASH - 1u);
}

static uint32_t gfn_index(const struct shadow *s, uint32_t gfn)
{
	return gfn - (s->env.gram_gpa >> PAGE_SHIFT);
}

static int gfn_in_ram(const struct shadow *s, uint32_t gfn)
{
	return gfn_index(s, gfn) < (s->env.gram_size >> PAGE_SHIFT);
}

static uint32_t gfn_to_hpfn(const struct shadow *s, uint32_t gfn)
{
	return gfn + ((s->env.gram_hpa - s->env.gram_gpa) >> PAGE_SHIFT);
}

static uint32_t *gtable(const struct shadow *s, uint32_t gfn)
{
	return (uint32_t *)(s->env.gram + ((size_t)gfn_index(s, gfn) << PAGE_SHIFT));
}

/* ---- reverse map ---- */

static void rmap_add(struct shadow *s, uint32_t gfn, uint32_t *spte)
{
	uint32_t i = s->rmap_free, *head = &s->env.rmap_head[gfn_index(s, gfn)];
	struct rmap_entry *e;

	if (!i) {
		/* out of entries: drop the mapping instead (a later access refaults) */
		*spte = 0;
		s->need_flush = 1;
		return;
	}
	e = &s->env.rmap[i - 1];
	s->rmap_free = e->next;
	e->spte = spte;
	e->next = *head;
	*head = i;
}

static void rmap_remove(struct shadow *s, uint32_t gfn, uint32_t *spte)
{
	uint32_t *link = &s->env.rmap_head[gfn_index(s, gfn)];

	while (*link) {
		struct rmap_entry *e = &s->env.rmap[*link - 1];

		if (e->spte == spte) {
			uint32_t i = *link;

			*link = e->next;
			e->next = s->rmap_free;
			e->spte = 0;
			s->rmap_free = i;
			return;
		}
		link = &e->next;
	}
}

static uint32_t spte_gfn(const struct shadow *s, uint32_t spte)
{
	return pte_ppn(spte) - ((s->env.gram_hpa - s->env.gram_gpa) >> PAGE_SHIFT);
}

/* Sets a leaf spte, keeping the reverse map exact (rule 3). */
static void set_leaf(struct shadow *s, uint32_t *spte, uint32_t val)
{
	uint32_t old = *spte;

	if (old == val)
		return;
	if (old & PTE_V) {
		rmap_remove(s, spte_gfn(s, old), spte);
		s->need_flush = 1;
	}
	*spte = val;
	if (val & PTE_V)
		rmap_add(s, spte_gfn(s, val), spte);
}

/* ---- hash and page lifetime ---- */

struct shadow_page *shadow_find(const struct shadow *s, uint32_t gfn, int level)
{
	struct shadow_page *sp;

	for (sp = s->hash[hash_of(gfn)]; sp; sp = sp->hash_next)
		if (sp->gfn == gfn && sp->level == level && !sp->direct)
			return sp;
	return 0;
}

static struct shadow_page *find_direct(const struct shadow *s, uint32_t gfn, uint32_t access)
{
	struct shadow_page *sp;

	for (sp = s->hash[hash_of(gfn)]; sp; sp = sp->hash_next)
		if (sp->gfn == gfn && sp->direct && sp->level == 0 && sp->access == access)
			return sp;
	return 0;
}

static int frame_shadowed(const struct shadow *s, uint32_t gfn)
{
	struct shadow_page *sp;

	for (sp = s->hash[hash_of(gfn)]; sp; sp = sp->hash_next)
		if (sp->gfn == gfn && !sp->direct)
			return 1;
	return 0;
}

/* Rule 2: may a leaf spte mapping gfn be writable? */
static int frame_writable(const struct shadow *s, uint32_t gfn)
{
	struct shadow_page *sp;

	for (sp = s->hash[hash_of(gfn)]; sp; sp = sp->hash_next) {
		if (sp->gfn != gfn || sp->direct)
			continue;
		if (s->mode == PT_GWB)
			continue;
		if (s->mode != PT_OOS || sp->level != 0 || !sp->unsync)
			return 0;
	}
	return 1;
}

static int frame_traced(const struct shadow *s, uint32_t gfn)
{
	return s->mode == PT_GWB && frame_shadowed(s, gfn);
}

/* The leaf spte for a gpte (level-0 leaf, or one page of a megapage) mapping gfn. */
static uint32_t make_leaf(const struct shadow *s, uint32_t gpte, uint32_t gfn)
{
	uint32_t spte;

	if (!pte_is_valid(gpte) || !pte_is_leaf(gpte) || !(gpte & PTE_A) || !gfn_in_ram(s, gfn))
		return 0;
	spte = pte_from_ppn(gfn_to_hpfn(s, gfn)) | SPTE_FLAGS_LEAF | (gpte & (PTE_R | PTE_X | PTE_U));
	if ((gpte & PTE_W) && (gpte & PTE_D)) {
		spte |= SPTE_GW;
		if (frame_writable(s, gfn))
			spte |= PTE_W;
		if (frame_traced(s, gfn))
			spte |= PTE_T;
	}
	return spte;
}

static void hash_remove(struct shadow *s, struct shadow_page *sp)
{
	struct shadow_page **link = &s->hash[hash_of(sp->gfn)];

	while (*link && *link != sp)
		link = &(*link)->hash_next;
	if (*link)
		*link = sp->hash_next;
	sp->hash_next = 0;
}

static void list_remove(struct shadow_page **head, struct shadow_page *sp)
{
	while (*head && *head != sp)
		head = &(*head)->next;
	if (*head)
		*head = sp->next;
	sp->next = 0;
}

static void parent_remove(struct shadow_page *child, uint32_t *spte)
{
	for (uint32_t i = 0; i < child->nparents; i++) {
		if (child->parents[i] == spte) {
			child->parents[i] = child->parents[--child->nparents];
			return;
		}
	}
}

static void zap(struct shadow *s, struct shadow_page *sp);
static void unprotect_frame(struct shadow *s, uint32_t gfn);

/* Unlinks the level-1 spte at *spte from its child; a child left without parents is zapped. */
static void unlink_child(struct shadow *s, uint32_t *spte)
{
	uint32_t hpa = pte_ppn(*spte) << PAGE_SHIFT;
	struct shadow_page *child = &s->env.sps[(hpa - s->env.pool_hpa) >> PAGE_SHIFT];

	*spte = 0;
	s->need_flush = 1;
	parent_remove(child, spte);
	if (child->nparents == 0)
		zap(s, child);
}

/* Phase 1 of rule 7: take sp out of every structure; its memory stays untouched. */
static void zap(struct shadow *s, struct shadow_page *sp)
{
	if (sp->invalid)
		return;
	sp->invalid = 1;
	hash_remove(s, sp);
	if (!sp->direct && gfn_in_ram(s, sp->gfn) && !frame_shadowed(s, sp->gfn))
		unprotect_frame(s, sp->gfn);
	list_remove(&s->live, sp);
	s->nlive--;
	if (sp->unsync) {
		sp->unsync = 0;
		s->nunsync--;
	}
	while (sp->nparents) {
		uint32_t *p = sp->parents[--sp->nparents];
		*p = 0;
	}
	for (uint32_t i = 0; i < SHADOW_ROOTS; i++)
		if (s->roots[i] == sp)
			s->roots[i] = 0;
	if (s->cur_root == sp)
		s->cur_root = 0;
	for (uint32_t i = 0; i < PTES_PER_TABLE; i++) {
		uint32_t *e = &sp->table[i];

		if (!(*e & PTE_V))
			continue;
		if (sp->level == 1 && !pte_is_leaf(*e))
			unlink_child(s, e);
		else
			set_leaf(s, e, 0);
	}
	sp->next = s->invalid_list;
	s->invalid_list = sp;
	s->need_flush = 1;
	s->st.sp_zapped++;
}

/* Phases 2 and 3 of rule 7: one TLB flush, then free what was collected. */
static void commit(struct shadow *s)
{
	if (!s->need_flush)
		return;
	s->env.flush_tlb(s->env.ctx);
	s->st.tlb_flushes++;
	s->need_flush = 0;
	while (s->invalid_list) {
		struct shadow_page *sp = s->invalid_list;

		s->invalid_list = sp->next;
		sp->invalid = 0;
		sp->next = s->free_list;
		s->free_list = sp;
	}
}

/* Rule 2, eagerly: a frame starts being a page table; protect every spte mapping it. */
static void protect_frame(struct shadow *s, uint32_t gfn)
{
	uint32_t i = s->env.rmap_head[gfn_index(s, gfn)];

	while (i) {
		struct rmap_entry *e = &s->env.rmap[i - 1];
		uint32_t v = *e->spte, nv = v;

		if (s->mode == PT_GWB) {
			if (v & PTE_W)
				nv |= PTE_T;
		} else {
			nv &= ~PTE_W;
		}
		if (nv != v) {
			*e->spte = nv;
			s->need_flush = 1;
			s->st.write_protects++;
		}
		i = e->next;
	}
}

/* Rule 2 undone: the last shadow page of a frame is gone, its sptes get their rights back. */
static void unprotect_frame(struct shadow *s, uint32_t gfn)
{
	uint32_t i = s->env.rmap_head[gfn_index(s, gfn)];

	while (i) {
		struct rmap_entry *e = &s->env.rmap[i - 1];
		uint32_t v = *e->spte, nv = v & ~PTE_T;

		if (v & SPTE_GW)
			nv |= PTE_W;
		if (nv != v) {
			*e->spte = nv;
			s->need_flush = 1;
		}
		i = e->next;
	}
}

static int root_index(const struct shadow *s, const struct shadow_page *sp)
{
	for (uint32_t i = 0; i < SHADOW_ROOTS; i++)
		if (s->roots[i] == sp)
			return (int)i;
	return -1;
}

static struct shadow_page *alloc_sp(struct shadow *s)
{
	struct shadow_page *sp;

	if (!s->free_list) {
		/* reclaim: drop every cached root but the running one */
		for (uint32_t i = 0; i < SHADOW_ROOTS; i++)
			if (s->roots[i] && s->roots[i] != s->cur_root)
				zap(s, s->roots[i]);
		commit(s);
	}
	sp = s->free_list;
	if (!sp)
		return 0;
	s->free_list = sp->next;
	for (uint32_t i = 0; i < PTES_PER_TABLE; i++)
		sp->table[i] = 0;
	sp->next = s->live;
	s->live = sp;
	s->nlive++;
	sp->nparents = 0;
	sp->unsync = 0;
	sp->write_count = 0;
	sp->access = 0;
	s->st.sp_created++;
	return sp;
}

static struct shadow_page *get_sp(struct shadow *s, uint32_t gfn, int level, int direct, uint32_t access)
{
	struct shadow_page *sp = direct ? find_direct(s, gfn, access) : shadow_find(s, gfn, level);

	if (sp)
		return sp;
	if (!direct && level == 1) {
		/* rule 2 in oos: a level-0 page of this frame must not stay writable */
		struct shadow_page *l0 = shadow_find(s, gfn, 0);

		if (l0 && l0->unsync)
			shadow_sync(s);
	}
	sp = alloc_sp(s);
	if (!sp)
		return 0;
	sp->gfn = gfn;
	sp->level = (uint8_t)level;
	sp->direct = (uint8_t)direct;
	sp->access = access;
	sp->hash_next = s->hash[hash_of(gfn)];
	s->hash[hash_of(gfn)] = sp;
	if (!direct && gfn_in_ram(s, gfn))
		protect_frame(s, gfn);
	return sp;
}

/* ---- init ---- */

int shadow_init(struct shadow *s, const struct shadow_env *env, enum pt_mode mode)
{
	uint32_t nframes = env->gram_size >> PAGE_SHIFT;

	if (!env->gram || !env->pool || !env->sps || !env->rmap || !env->rmap_head || !env->flush_tlb ||
	    env->pool_pages < 4 || env->nrmap == 0 || (env->gram_gpa | env->gram_hpa | env->gram_size) & 0x3fffffu)
		return -22;
	for (size_t i = 0; i < sizeof(*s); i++)
		((uint8_t *)s)[i] = 0;
	s->env = *env;
	s->mode = mode;
	for (uint32_t i = 0; i < env->pool_pages; i++) {
		struct shadow_page *sp = &env->sps[i];

		for (size_t b = 0; b < sizeof(*sp); b++)
			((uint8_t *)sp)[b] = 0;
		sp->table = env->pool + (size_t)i * PTES_PER_TABLE;
		sp->hpa = env->pool_hpa + i * PAGE_SIZE;
		sp->next = s->free_list;
		s->free_list = sp;
	}
	for (uint32_t i = 0; i < env->nrmap; i++) {
		env->rmap[i].spte = 0;
		env->rmap[i].next = i + 2 <= env->nrmap ? i + 2 : 0;
	}
	s->rmap_free = 1;
	for (uint32_t i = 0; i < nframes; i++)
		env->rmap_head[i] = 0;
	return 0;
}

/* ---- roots ---- */

static void root_cache_touch(struct shadow *s, struct shadow_page *sp)
{
	int i = root_index(s, sp);
	uint32_t n = i < 0 ? SHADOW_ROOTS - 1 : (uint32_t)i;

	if (i < 0 && s->roots[n] && s->roots[n] != sp)
		zap(s, s->roots[n]); /* evict the least recently used root */
	for (; n > 0; n--)
		s->roots[n] = s->roots[n - 1];
	s->roots[0] = sp;
}

static struct shadow_page *bare_root(struct shadow *s)
{
	if (s->bare && !s->bare->invalid)
		return s->bare;
	s->bare = get_sp(s, 0, 1, 1, PTE_RWX);
	if (!s->bare)
		return 0;
	/* megapages over guest RAM: gpa -> hpa, S-mode RWX (the guest has not enabled paging) */
	for (uint32_t off = 0; off < s->env.gram_size; off += 0x400000u) {
		uint32_t gpa = s->env.gram_gpa + off;

		s->bare->table[va_vpn1(gpa)] = pte_from_ppn((s->env.gram_hpa + off) >> PAGE_SHIFT) |
					       PTE_V | PTE_RWX | PTE_A | PTE_D;
	}
	return s->bare;
}

uint32_t shadow_set_guest_satp(struct shadow *s, uint32_t guest_satp)
{
	struct shadow_page *sp;

	s->st.root_switches++;
	s->cur_satp = guest_satp;
	if (!(guest_satp & SATP_SV32)) {
		/* back to Bare: nothing is traced there, drop every shadow (rule 2 needs it) */
		shadow_zap_all(s);
		sp = bare_root(s);
	} else {
		uint32_t gfn = guest_satp & SATP_PPN_MASK;

		sp = shadow_find(s, gfn, 1);
		if (sp)
			s->st.root_hits++;
		else
			sp = get_sp(s, gfn, 1, 0, 0);
		if (sp)
			root_cache_touch(s, sp);
	}
	s->cur_root = sp;
	s->need_flush = 1; /* one ASID for every root: a switch flushes */
	commit(s);
	return sp ? SATP_SV32 | (sp->hpa >> PAGE_SHIFT) : 0;
}

/* ---- faults ---- */

static int reachable(const struct shadow *s, const struct shadow_page *sp)
{
	const struct shadow_page *r = s->cur_root;

	if (!r)
		return 0;
	if (sp == r)
		return 1;
	for (uint32_t i = 0; i < sp->nparents; i++)
		if (sp->parents[i] >= r->table && sp->parents[i] < r->table + PTES_PER_TABLE)
			return 1;
	return 0;
}

static int link_child(struct shadow *s, uint32_t *spte, struct shadow_page *child)
{
	if (child->nparents == SP_MAX_PARENTS) {
		/* too many roots share it: unlink the oldest link, it refaults if used */
		uint32_t *old = child->parents[0];

		*old = 0;
		child->parents[0] = child->parents[--child->nparents];
		s->need_flush = 1;
	}
	child->parents[child->nparents++] = spte;
	*spte = pte_from_ppn(child->hpa >> PAGE_SHIFT) | PTE_V;
	return 0;
}

/* Makes out of sync every level-0 page of gfn and the sptes mapping it writable (oos). */
static int try_unsync(struct shadow *s, uint32_t gfn)
{
	struct shadow_page *sp;
	uint32_t i;

	for (sp = s->hash[hash_of(gfn)]; sp; sp = sp->hash_next)
		if (sp->gfn == gfn && !sp->direct && sp->level != 0)
			return 0;
	for (sp = s->hash[hash_of(gfn)]; sp; sp = sp->hash_next) {
		if (sp->gfn == gfn && !sp->direct && !sp->unsync) {
			sp->unsync = 1;
			s->nunsync++;
		}
	}
	for (i = s->env.rmap_head[gfn_index(s, gfn)]; i; i = s->env.rmap[i - 1].next) {
		uint32_t *e = s->env.rmap[i - 1].spte;

		if (*e & SPTE_GW)
			*e |= PTE_W;
	}
	s->need_flush = 1;
	s->st.unsyncs++;
	return 1;
}

enum fault_action shadow_page_fault(struct shadow *s, uint32_t gva, enum access acc, int priv_u,
				    int sum, int mxr, struct gwalk *w)
{
	struct shadow_page *root = s->cur_root, *child;
	uint32_t *l1, *l0, gfn, want;

	shadow_gwalk(s, s->cur_satp, gva, acc, priv_u, sum, mxr, w);
	if (w->result != GW_OK) {
		s->st.true_faults++;
		return FA_INJECT;
	}
	if (!shadow_gpa_in_ram(s, w->gpa))
		return FA_MMIO;
	gfn = w->gpa >> PAGE_SHIFT;
	if (!root)
		return FA_INJECT; /* cannot happen: a root is installed before the guest runs */
	if (root->direct) {
		/* Bare: the megapage map covers all of RAM, so only MMIO lands here */
		return FA_MMIO;
	}
	l1 = &root->table[va_vpn1(gva)];
	if (*l1 & PTE_V) {
		/* a link made before a guest write not yet seen (oos, gwb): rebuild it */
		const struct shadow_page *c =
			&s->env.sps[((pte_ppn(*l1) << PAGE_SHIFT) - s->env.pool_hpa) >> PAGE_SHIFT];
		uint32_t g1 = w->gpte[1];
		int same = w->level == 1 ? c->direct && c->gfn == (pte_ppn(g1) & ~0x3ffu) &&
					   c->access == (g1 & (PTE_PERM | PTE_A | PTE_D))
					 : !c->direct && c->gfn == pte_ppn(g1);

		if (!same)
			unlink_child(s, l1);
	}
	if (!(*l1 & PTE_V)) {
		uint32_t g1 = w->gpte[1];

		if (w->level == 1)
			child = get_sp(s, pte_ppn(g1) & ~0x3ffu, 0, 1, g1 & (PTE_PERM | PTE_A | PTE_D));
		else
			child = get_sp(s, pte_ppn(g1), 0, 0, 0);
		if (!child)
			return FA_NOMEM;
		if (!root->invalid && s->cur_root == root)
			link_child(s, l1, child);
		else
			return FA_FIXED; /* reclaim dropped the root: the caller's retry rebuilds it */
	}
	child = &s->env.sps[((pte_ppn(*l1) << PAGE_SHIFT) - s->env.pool_hpa) >> PAGE_SHIFT];
	child->write_count = 0; /* the page is in use as a table */
	l0 = &child->table[va_vpn0(gva)];
	if (w->level == 1)
		want = make_leaf(s, child->access | PTE_V, gfn);
	else
		want = make_leaf(s, w->gpte[0], gfn);
	if (acc == ACC_STORE && (want & SPTE_GW) && !(want & PTE_W)) {
		/* a store to a write-protected guest page table */
		set_leaf(s, l0, want);
		commit(s);
		if (s->mode == PT_OOS && try_unsync(s, gfn)) {
			commit(s);
			return FA_UNSYNCED;
		}
		s->st.pte_emulations++;
		return FA_EMULATE;
	}
	set_leaf(s, l0, want);
	s->need_flush = 1; /* the TLB may hold the old (stale-protection) entry */
	commit(s);
	s->st.hidden_faults++;
	return FA_FIXED;
}

/* ---- coherence ---- */

/* Brings one entry of sp up to date with the gpte now in guest memory. */
static void update_entry(struct shadow *s, struct shadow_page *sp, uint32_t idx)
{
	uint32_t gpte = gtable(s, sp->gfn)[idx], *e = &sp->table[idx];

	if (sp->level == 1) {
		/* non-leaf shadows are refilled lazily; drop the link if it no longer matches */
		if ((*e & PTE_V) && !pte_is_leaf(*e)) {
			uint32_t hpa = pte_ppn(*e) << PAGE_SHIFT;
			const struct shadow_page *c = &s->env.sps[(hpa - s->env.pool_hpa) >> PAGE_SHIFT];
			int same = pte_is_valid(gpte) && !pte_is_leaf(gpte) && !c->direct &&
				   c->gfn == pte_ppn(gpte);

			if (!same)
				unlink_child(s, e);
		}
		return;
	}
	set_leaf(s, e, make_leaf(s, gpte, pte_ppn(gpte)));
}

void track_write(struct shadow *s, uint32_t gpa, uint32_t val, uint32_t size)
{
	uint32_t gfn = gpa >> PAGE_SHIFT, idx = (gpa & 0xfffu) >> 2;
	struct shadow_page *sp, *next;

	(void)val;
	(void)size; /* a sub-word write resyncs the whole aligned gpte, read back from memory */
	s->st.track_writes++;
	if (!shadow_gpa_in_ram(s, gpa))
		return;
	for (sp = s->hash[hash_of(gfn)]; sp; sp = next) {
		next = sp->hash_next;
		if (sp->gfn != gfn || sp->direct)
			continue;
		if (!reachable(s, sp)) {
			zap(s, sp); /* rule 6 */
			s->st.unshadowed++;
			continue;
		}
		sp->write_count++;
		update_entry(s, sp, idx);
	}
	commit(s);
}

void shadow_sync(struct shadow *s)
{
	while (s->nunsync) {
		struct shadow_page *sp = s->live;
		uint32_t *g, i;

		while (sp && !sp->unsync)
			sp = sp->next;
		if (!sp)
			break;
		/* in sync from here: every entry rebuilt below gets the protection of rule 2 */
		sp->unsync = 0;
		s->nunsync--;
		s->st.resyncs++;
		if (!reachable(s, sp)) {
			zap(s, sp); /* rule 6 */
			s->st.unshadowed++;
			continue;
		}
		g = gtable(s, sp->gfn);
		for (i = 0; i < PTES_PER_TABLE && !sp->invalid; i++) {
			uint32_t want = make_leaf(s, g[i], pte_ppn(g[i]));

			/* compare first: most entries did not change */
			if ((sp->table[i] | PTE_W) != (want | PTE_W))
				track_write(s, (sp->gfn << PAGE_SHIFT) + 4u * i, g[i], 4);
		}
		protect_frame(s, sp->gfn);
	}
	commit(s);
}

void shadow_zap_all(struct shadow *s)
{
	while (s->live)
		zap(s, s->live);
	s->bare = 0;
	s->need_flush = 1;
	commit(s);
}

/* ---- checks ---- */

int shadow_check(const struct shadow *s)
{
	const struct shadow_page *sp;
	uint32_t n = 0, nunsync = 0, leaves = 0, mapped = 0;

	for (sp = s->live; sp; sp = sp->next) {
		n++;
		if (sp->invalid)
			return -1;
		if (sp->unsync)
			nunsync++;
		if (!sp->direct && shadow_find(s, sp->gfn, sp->level) != sp)
			return -2; /* rule 1: not in the hash, or a duplicate */
		if (sp->nparents > SP_MAX_PARENTS)
			return -3;
		for (uint32_t i = 0; i < sp->nparents; i++)
			if (pte_ppn(*sp->parents[i]) != sp->hpa >> PAGE_SHIFT)
				return -4; /* rule 4 */
		for (uint32_t i = 0; i < PTES_PER_TABLE; i++) {
			uint32_t e = sp->table[i];

			if (!(e & PTE_V))
				continue;
			if (sp->level == 1 && !pte_is_leaf(e)) {
				uint32_t hpa = pte_ppn(e) << PAGE_SHIFT;
				const struct shadow_page *c;
				int found = 0;

				if (hpa - s->env.pool_hpa >= s->env.pool_pages * PAGE_SIZE)
					return -5;
				c = &s->env.sps[(hpa - s->env.pool_hpa) >> PAGE_SHIFT];
				for (uint32_t k = 0; k < c->nparents; k++)
					found |= c->parents[k] == &sp->table[i];
				if (!found || c->invalid)
					return -6; /* rule 4 */
			} else if (sp != s->bare) {
				leaves++;
			}
		}
	}
	if (n != s->nlive || nunsync != s->nunsync)
		return -7;
	for (uint32_t g = 0; g < (s->env.gram_size >> PAGE_SHIFT); g++) {
		for (uint32_t i = s->env.rmap_head[g]; i; i = s->env.rmap[i - 1].next) {
			uint32_t e = *s->env.rmap[i - 1].spte;

			if (!(e & PTE_V) || gfn_index(s, spte_gfn(s, e)) != g)
				return -8; /* rule 3 */
			mapped++;
		}
	}
	if (mapped != leaves)
		return -9; /* rule 3: a leaf missing from the reverse map */
	return 0;
}

static void rep(char **p, char *end, const char *str)
{
	while (*str && *p + 1 < end)
		*(*p)++ = *str++;
	**p = 0;
}

static void rep_hex(char **p, char *end, uint32_t v)
{
	char b[11] = "0x";

	for (int i = 0; i < 8; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xfu];
	b[10] = 0;
	rep(p, end, b);
}

static int audit_fail(char *report, size_t len, const char *what, const struct shadow_page *sp,
		      uint32_t idx, uint32_t spte, uint32_t gpte, uint32_t want)
{
	char *p = report, *end = report + len;

	if (!len)
		return -1;
	rep(&p, end, "audit: ");
	rep(&p, end, what);
	rep(&p, end, ": shadow of gfn ");
	rep_hex(&p, end, sp->gfn);
	rep(&p, end, sp->level ? " (level 1)" : " (level 0)");
	rep(&p, end, " entry ");
	rep_hex(&p, end, idx);
	rep(&p, end, " spte ");
	rep_hex(&p, end, spte);
	rep(&p, end, " gpte ");
	rep_hex(&p, end, gpte);
	rep(&p, end, " wants ");
	rep_hex(&p, end, want);
	return -1;
}

int shadow_audit(struct shadow *s, char *report, size_t len)
{
	const struct shadow_page *sp;
	int rc;

	s->st.audits++;
	if (report && len)
		report[0] = 0;
	rc = shadow_check(s);
	if (rc) {
		char *p = report, *end = report + len;

		rep(&p, end, "audit: shadow structures inconsistent, shadow_check() case ");
		rep_hex(&p, end, (uint32_t)-rc);
		return -1;
	}
	for (sp = s->live; sp; sp = sp->next) {
		const uint32_t *g = sp->direct ? 0 : gtable(s, sp->gfn);

		if (sp->unsync || sp == s->bare)
			continue;
		for (uint32_t i = 0; i < PTES_PER_TABLE; i++) {
			uint32_t e = sp->table[i], gpte, want;

			if (!(e & PTE_V))
				continue;
			if (sp->level == 1) {
				const struct shadow_page *c =
					&s->env.sps[((pte_ppn(e) << PAGE_SHIFT) - s->env.pool_hpa) >> PAGE_SHIFT];

				gpte = g[i];
				if (!pte_is_valid(gpte))
					return audit_fail(report, len, "pointer spte for an invalid gpte", sp, i, e, gpte, 0);
				if (pte_is_leaf(gpte) ? !(c->direct && c->gfn == (pte_ppn(gpte) & ~0x3ffu) &&
							 c->access == (gpte & (PTE_PERM | PTE_A | PTE_D)))
						      : (c->direct || c->gfn != pte_ppn(gpte)))
					return audit_fail(report, len, "spte points to the wrong table", sp, i, e, gpte,
							  pte_from_ppn(c->gfn));
				continue;
			}
			if (sp->direct) {
				gpte = sp->access | PTE_V;
				want = make_leaf(s, gpte, sp->gfn + i);
			} else {
				gpte = g[i];
				want = make_leaf(s, gpte, pte_ppn(gpte));
			}
			/* rule 5: same frame and flags; W may be narrower; a writable traced frame has T */
			if ((e & ~(PTE_W | PTE_T)) != (want & ~(PTE_W | PTE_T)) || ((e & PTE_W) && !(want & PTE_W)) ||
			    ((want & PTE_T) && (e & PTE_W) && !(e & PTE_T)))
				return audit_fail(report, len, "spte disagrees with its gpte", sp, i, e, gpte, want);
		}
	}
	return 0;
}
