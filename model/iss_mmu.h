/* iss_mmu.h: Sv32 translation of the ISS: inline TLB fast path; walk, fill and flush in iss_mmu.c. */
#ifndef UMBRA_ISS_MMU_H
#define UMBRA_ISS_MMU_H

#include "iss.h"

/* Access kinds, as umbra_pkg's AccFetch/AccLoad/AccStore. */
enum iss_acc { ISS_ACC_FETCH = 0, ISS_ACC_LOAD = 1, ISS_ACC_STORE = 2 };

/* PTE bits. */
#define PTE_V (1u << 0)
#define PTE_R (1u << 1)
#define PTE_W (1u << 2)
#define PTE_X (1u << 3)
#define PTE_U (1u << 4)
#define PTE_G (1u << 5)
#define PTE_A (1u << 6)
#define PTE_D (1u << 7)
#define PTE_T (1u << 8)   /* GWB traced bit (first RSW bit), SPEC §3 */
_Static_assert(((PTE_V | PTE_R | PTE_W | PTE_X) & (PTE_U | PTE_G | PTE_A | PTE_D)) == 0,
	       "PTE bits do not overlap");
_Static_assert(((PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_G | PTE_A | PTE_D) & PTE_T) == 0,
	       "T is not a permission bit");
#define SATP_MODE (1u << 31)
#define SATP_PPN  0x003fffffu
_Static_assert((SATP_MODE & SATP_PPN) == 0, "satp fields do not overlap");

/* Translation results: 0, or one of these (page fault vs access fault). */
#define ISS_XLATE_PAGE_FAULT   (-1)
#define ISS_XLATE_ACCESS_FAULT (-2)

/* Why a walk ended (one per branch of umbra_ptw.sv), for tests and traces. */
enum iss_walk_result {
	WALK_OK = 0,
	WALK_ACCESS_FAULT,     /* PTE address above 4 GiB or no memory behind it */
	WALK_INVALID,          /* V=0 */
	WALK_WRITE_NO_READ,    /* W=1, R=0 */
	WALK_BAD_POINTER,      /* pointer PTE with A, D or U set */
	WALK_NO_LEAF,          /* pointer PTE at level 0 */
	WALK_MISALIGNED_MEGA,  /* level-1 leaf with ppn[9:0] != 0 */
	WALK_NOT_ACCESSED,     /* leaf with A=0 (Svade) */
};

/* umbra_pte_check.sv: does leaf flags allow the access at privilege priv? */
static inline bool iss_pte_allows(unsigned flags, unsigned acc, unsigned priv, bool sum, bool mxr)
{
	bool user_ok = true, perm_ok;

	if (priv == ISS_PRIV_U)
		user_ok = flags & PTE_U;
	else if (flags & PTE_U)
		user_ok = acc != ISS_ACC_FETCH && sum;
	if (acc == ISS_ACC_FETCH)
		perm_ok = flags & PTE_X;
	else if (acc == ISS_ACC_LOAD)
		perm_ok = (flags & PTE_R) || (mxr && (flags & PTE_X));
	else
		perm_ok = (flags & PTE_W) && (flags & PTE_D);
	return user_ok && perm_ok && (flags & PTE_A) && (flags & PTE_V);
}

/* Walk for vaddr and fill tlb on success; returns the walk result. */
enum iss_walk_result iss_mmu_walk(struct iss *s, struct iss_tlb *tlb, uint32_t vaddr);
void iss_mmu_flush(struct iss *s);

/*
 * Translate vaddr for acc at privilege priv (already MPRV-adjusted for data).
 * 0 with *paddr set, ISS_XLATE_PAGE_FAULT or ISS_XLATE_ACCESS_FAULT.
 * Order as umbra_mmu_answer.sv: walker fault, then permission, then above 4 GiB.
 */
static inline int iss_mmu_translate(struct iss *s, uint32_t vaddr, unsigned acc, unsigned priv,
				    uint32_t *paddr)
{
	struct iss_tlb *tlb = acc == ISS_ACC_FETCH ? &s->itlb : &s->dtlb;
	uint32_t vpn = vaddr >> 12;
	struct iss_tlb_entry *e = &tlb->e[vpn % ISS_TLB_ENTRIES];
	enum iss_walk_result wr;

	if (!(s->csr.satp & SATP_MODE) || priv == ISS_PRIV_M) {
		*paddr = vaddr;
		return 0;
	}
	if (e->vpn != vpn) {
		tlb->misses++;
		wr = iss_mmu_walk(s, tlb, vaddr);
		if (wr != WALK_OK)
			return wr == WALK_ACCESS_FAULT ? ISS_XLATE_ACCESS_FAULT : ISS_XLATE_PAGE_FAULT;
	}
	if (!iss_pte_allows(e->flags, acc, priv, s->csr.mstatus & MSTATUS_SUM,
			    s->csr.mstatus & MSTATUS_MXR))
		return ISS_XLATE_PAGE_FAULT;
	if (e->ppn >> 20)
		return ISS_XLATE_ACCESS_FAULT;
	*paddr = (e->ppn << 12) | (vaddr & 0xfffu);
	return 0;
}

#endif /* UMBRA_ISS_MMU_H */
