/* work.c: the ptemod workload (the paper's PTE-write nanobenchmark): n PTE changes, one sfence.vma per batch, every change checked. */
#include "kernel.h"

/*
 * batch pages at KVA_PTEMOD, page j mapped alternately to frames a[j] and b[j], whose first
 * words hold distinct tags. Each iteration rewrites one PTE; after every batch-th write one
 * sfence.vma (of that page when batch is 1, of everything otherwise) and each page of the
 * batch is read through its new mapping: a stale translation fails the run.
 */

#define TAG_A 0xa0000000u
#define TAG_B 0xb0000000u
#define MAX_BATCH 256u

static uint32_t fa[MAX_BATCH], fb[MAX_BATCH];
static uint8_t on_b[MAX_BATCH];

int work_ptemod(uint32_t n, uint32_t batch, uint64_t *cycles)
{
	uint32_t root = mm_kernel_root(), *slot[MAX_BATCH];
	const uint32_t flags = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;

	for (uint32_t j = 0; j < batch; j++) {
		fa[j] = frame_alloc();
		fb[j] = frame_alloc();
		*(uint32_t *)fa[j] = TAG_A | j;
		*(uint32_t *)fb[j] = TAG_B | j;
		slot[j] = pte_lookup(root, KVA_PTEMOD + j * PAGE_SIZE, 1);
		pte_set(slot[j], pte_from_ppn(fa[j] >> PAGE_SHIFT) | flags);
		on_b[j] = 0;
	}
	sfence_all();
	for (uint32_t j = 0; j < batch; j++)
		if (*(volatile uint32_t *)(KVA_PTEMOD + j * PAGE_SIZE) != (TAG_A | j))
			kpanic("ptemod: initial mapping wrong, page", j);

	*cycles = rdcycle64(); /* the setup above is not measured */
	for (uint32_t k = 0, j = 0; k < n; k++) {
		on_b[j] ^= 1u;
		pte_set(slot[j], pte_from_ppn((on_b[j] ? fb[j] : fa[j]) >> PAGE_SHIFT) | flags);
		if (++j < batch && k + 1 < n)
			continue;
		if (batch == 1)
			sfence_va(KVA_PTEMOD);
		else
			sfence_all();
		for (uint32_t i = 0; i < j; i++) {
			uint32_t want = (on_b[i] ? TAG_B : TAG_A) | i;

			if (*(volatile uint32_t *)(KVA_PTEMOD + i * PAGE_SIZE) != want) {
				kputs("guest: ptemod: stale translation after sfence.vma\n");
				*cycles = 0;
				return 10;
			}
		}
		j = 0;
	}
	*cycles = rdcycle64() - *cycles;
	return 0;
}
