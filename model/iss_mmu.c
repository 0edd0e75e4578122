/* iss_mmu.c: the ISS's Sv32 page-table walker (one branch per fault reason, as umbra_ptw.sv) and TLB flush. */
#include "iss_mmu.h"

void iss_mmu_flush(struct iss *s)
{
	unsigned i;

	for (i = 0; i < ISS_TLB_ENTRIES; i++)
		s->itlb.e[i].vpn = s->dtlb.e[i].vpn = ISS_TLB_INVALID;
	s->fetch_vpn = ISS_TLB_INVALID;   /* iss.h rule 7 */
}

/* Read the PTE at 34-bit address a through the data port, as the walker does. */
static int read_pte(struct iss *s, uint64_t a, uint32_t *pte)
{
	s->pte_reads++;
	if (a >> 32)
		return -1;
	return iss_phys_access(s, (uint32_t)a, false, 0xfu, 0, pte) ? -1 : 0;
}

enum iss_walk_result iss_mmu_walk(struct iss *s, struct iss_tlb *tlb, uint32_t vaddr)
{
	uint64_t a = ((uint64_t)(s->csr.satp & SATP_PPN) << 12) + ((vaddr >> 22) << 2);
	struct iss_tlb_entry *e;
	uint32_t pte, ppn;
	bool level1 = true;

	for (;;) {
		if (read_pte(s, a, &pte))
			return WALK_ACCESS_FAULT;
		if (!(pte & PTE_V))
			return WALK_INVALID;
		if (!(pte & PTE_R) && (pte & PTE_W))
			return WALK_WRITE_NO_READ;
		if (!(pte & (PTE_R | PTE_X))) {
			if (pte & (PTE_A | PTE_D | PTE_U))
				return WALK_BAD_POINTER;
			if (!level1)
				return WALK_NO_LEAF;
			a = ((uint64_t)(pte >> 10) << 12) + (((vaddr >> 12) & 0x3ffu) << 2);
			level1 = false;
			continue;
		}
		if (level1 && ((pte >> 10) & 0x3ffu))
			return WALK_MISALIGNED_MEGA;
		if (!(pte & PTE_A))
			return WALK_NOT_ACCESSED;
		break;
	}
	ppn = pte >> 10;
	if (level1)
		ppn |= (vaddr >> 12) & 0x3ffu;
	e = &tlb->e[(vaddr >> 12) % ISS_TLB_ENTRIES];
	e->vpn = vaddr >> 12;
	e->ppn = ppn;
	e->flags = (uint16_t)(pte & 0x1ffu);   /* T and the permission bits */
	return WALK_OK;
}
