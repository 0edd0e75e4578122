/* mm.c: guest physical frames (a free list), Sv32 page tables, address spaces (new, fork copy, free). */
#include "kernel.h"

/*
 * Rules:
 *  1. The kernel maps all guest RAM 1:1 (va = gpa), kernel-only, with 4 KiB pages; the user
 *     text pages in it are U|R|X. Those level-0 tables are shared by every address space.
 *  2. Root entries 0 (the finisher page), that of the legacy disk and those of guest RAM are the kernel part; all
 *     other root entries belong to the process and are copied by fork, freed by exit.
 *  3. Every PTE store is a plain aligned word store (pte_set): that is what a guest page
 *     table write looks like to the hypervisor.
 *  4. Freed frames are reused last-in first-out, so page-table frames come back as data.
 */

static uint32_t free_head, nfree, ram_lo, ram_hi;
static uint32_t kroot;

static void zero_frame(uint32_t pa)
{
	uint32_t *p = (uint32_t *)pa;

	for (uint32_t i = 0; i < PTES_PER_TABLE; i++)
		p[i] = 0;
}

uint32_t frame_alloc(void)
{
	uint32_t pa = free_head;

	if (!pa)
		kpanic("out of guest frames", nfree);
	free_head = *(uint32_t *)pa;
	nfree--;
	zero_frame(pa);
	return pa;
}

void frame_free(uint32_t pa)
{
	if (pa < ram_lo || pa >= ram_hi || (pa & (PAGE_SIZE - 1)))
		kpanic("frame_free of a frame the kernel does not own", pa);
	*(uint32_t *)pa = free_head;
	free_head = pa;
	nfree++;
}

uint32_t frames_free(void)
{
	return nfree;
}

void pte_set(uint32_t *slot, uint32_t val)
{
	*(volatile uint32_t *)slot = val;
}

uint32_t *pte_lookup(uint32_t root, uint32_t va, int create)
{
	uint32_t *l1 = (uint32_t *)root + va_vpn1(va), l0;

	if (!(*l1 & PTE_V)) {
		if (!create)
			return 0;
		l0 = frame_alloc();
		pte_set(l1, pte_from_ppn(l0 >> PAGE_SHIFT) | PTE_V);
	}
	if (pte_is_leaf(*l1))
		return 0;
	return (uint32_t *)(pte_ppn(*l1) << PAGE_SHIFT) + va_vpn0(va);
}

uint32_t satp_of(uint32_t root)
{
	return SATP_SV32 | (root >> PAGE_SHIFT);
}

void satp_switch(uint32_t root)
{
	kcsr_write(satp, satp_of(root));
	sfence_all();
}

uint32_t mm_kernel_root(void)
{
	return kroot;
}

static int kernel_slot(uint32_t i)
{
	return i == 0 || i == va_vpn1(KVA_DISK) || (i >= va_vpn1(ram_lo & ~0x3fffffu) && i <= va_vpn1(ram_hi - 1));
}

void mm_init(uint32_t ram_base, uint32_t ram_size, uint32_t kernel_end)
{
	extern char _start[], __user_start[], __user_end[];
	uint32_t pa;

	ram_lo = kernel_end;
	ram_hi = ram_base + ram_size;
	free_head = 0;
	/* push high to low so that allocation goes upwards */
	for (pa = ram_hi - PAGE_SIZE; pa >= ram_lo; pa -= PAGE_SIZE) {
		*(uint32_t *)pa = free_head;
		free_head = pa;
		nfree++;
	}
	kroot = frame_alloc();
	for (pa = ram_base; pa < ram_hi; pa += PAGE_SIZE) {
		uint32_t flags = PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;

		if (pa >= (uint32_t)__user_start && pa < (uint32_t)__user_end)
			flags = PTE_V | PTE_R | PTE_X | PTE_U | PTE_A;
		if (pa < (uint32_t)_start - 0x10000u)
			continue; /* firmware below the kernel and its FDT: not ours */
		pte_set(pte_lookup(kroot, pa, 1), pte_from_ppn(pa >> PAGE_SHIFT) | flags);
	}
	pte_set(pte_lookup(kroot, KVA_FINISHER, 1),
		pte_from_ppn(KVA_FINISHER >> PAGE_SHIFT) | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
	pte_set(pte_lookup(kroot, KVA_DISK, 1),
		pte_from_ppn(KVA_DISK >> PAGE_SHIFT) | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
}

uint32_t mm_new_space(void)
{
	uint32_t root = frame_alloc();
	uint32_t *d = (uint32_t *)root, *s = (uint32_t *)kroot;

	for (uint32_t i = 0; i < PTES_PER_TABLE; i++)
		if (kernel_slot(i) && s[i])
			pte_set(&d[i], s[i]);
	return root;
}

uint32_t mm_copy_space(uint32_t root)
{
	uint32_t child = mm_new_space();
	uint32_t *s1 = (uint32_t *)root;

	for (uint32_t i = 0; i < PTES_PER_TABLE; i++) {
		uint32_t *s0, *d0;

		if (kernel_slot(i) || !(s1[i] & PTE_V))
			continue;
		s0 = (uint32_t *)(pte_ppn(s1[i]) << PAGE_SHIFT);
		d0 = (uint32_t *)frame_alloc();
		pte_set(&((uint32_t *)child)[i], pte_from_ppn((uint32_t)d0 >> PAGE_SHIFT) | PTE_V);
		for (uint32_t j = 0; j < PTES_PER_TABLE; j++) {
			uint32_t *src, *dst;

			if (!(s0[j] & PTE_V))
				continue;
			src = (uint32_t *)(pte_ppn(s0[j]) << PAGE_SHIFT);
			dst = (uint32_t *)frame_alloc();
			for (uint32_t k = 0; k < PTES_PER_TABLE; k++)
				dst[k] = src[k];
			pte_set(&d0[j], pte_from_ppn((uint32_t)dst >> PAGE_SHIFT) | (s0[j] & 0x3ffu));
		}
	}
	return child;
}

void mm_free_space(uint32_t root)
{
	uint32_t *r = (uint32_t *)root;

	for (uint32_t i = 0; i < PTES_PER_TABLE; i++) {
		uint32_t *l0;

		if (kernel_slot(i) || !(r[i] & PTE_V))
			continue;
		l0 = (uint32_t *)(pte_ppn(r[i]) << PAGE_SHIFT);
		for (uint32_t j = 0; j < PTES_PER_TABLE; j++)
			if (l0[j] & PTE_V)
				frame_free(pte_ppn(l0[j]) << PAGE_SHIFT);
		frame_free((uint32_t)l0);
	}
	frame_free(root);
}
