/* gwalk.c: the Sv32 walk the guest's own MMU would do, over guest memory, one branch per fault reason. */
#include "shadow.h"

void shadow_gwalk(const struct shadow *s, uint32_t satp, uint32_t gva, enum access acc, int priv_u,
		  int sum, int mxr, struct gwalk *w)
{
	uint32_t table = (satp & SATP_PPN_MASK) << PAGE_SHIFT, pte = 0;
	int level;

	w->gpte[0] = w->gpte[1] = 0;
	w->gpte_gpa[0] = w->gpte_gpa[1] = 0;
	w->level = -1;
	if (!(satp & SATP_SV32)) {
		w->result = GW_OK;
		w->gpa = gva;
		return;
	}
	for (level = 1; level >= 0; level--) {
		uint32_t a = table + 4u * (level ? va_vpn1(gva) : va_vpn0(gva));

		w->gpte_gpa[level] = a;
		if ((satp & SATP_PPN_MASK) >= 0x100000u || !shadow_gpa_in_ram(s, a)) {
			w->result = GW_ACCESS_FAULT;
			return;
		}
		pte = shadow_read_gword(s, a);
		w->gpte[level] = pte;
		if (!pte_is_valid(pte)) {
			w->result = GW_PAGE_FAULT;
			return;
		}
		if (pte_is_leaf(pte))
			break;
		if (level == 0) {
			w->result = GW_PAGE_FAULT; /* pointer at level 0 */
			return;
		}
		table = pte_ppn(pte) << PAGE_SHIFT;
	}
	w->level = level;
	/* permission branches, one per reason */
	if (priv_u && !(pte & PTE_U))
		goto fault;
	if (!priv_u && (pte & PTE_U) && (!sum || acc == ACC_EXEC))
		goto fault;
	if (acc == ACC_EXEC && !(pte & PTE_X))
		goto fault;
	if (acc == ACC_LOAD && !(pte & PTE_R) && !(mxr && (pte & PTE_X)))
		goto fault;
	if (acc == ACC_STORE && !(pte & PTE_W))
		goto fault;
	if (level == 1 && (pte_ppn(pte) & 0x3ffu))
		goto fault; /* misaligned megapage */
	if (!(pte & PTE_A) || (acc == ACC_STORE && !(pte & PTE_D)))
		goto fault; /* Svade */
	if (pte_ppn(pte) >= 0x100000u)
		goto fault; /* above 4 GiB: not guest memory in this machine */
	w->gpa = (pte_ppn(pte) << PAGE_SHIFT) | (gva & (level ? 0x3fffffu : 0xfffu));
	w->result = GW_OK;
	return;
fault:
	w->result = GW_PAGE_FAULT;
}
