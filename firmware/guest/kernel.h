/* kernel.h: the guest kernel's shared declarations: console, SBI, frames, page tables, processes, workloads. */
#ifndef GUEST_KERNEL_H
#define GUEST_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "csr_bits.h"
#include "pte.h"

/* The trap frame entry.S builds (same layout as the hypervisor's first 144 bytes). */
struct kframe {
	uint32_t regs[32];
	uint32_t sepc, sstatus, scause, stval;
};
_Static_assert(sizeof(struct kframe) == 144, "kframe layout");

/* Virtual layout of a process (Sv32): kernel identity map of guest RAM, U regions below. */
#define KVA_FINISHER   0x00100000u /* mapped 1:1, kernel only */
#define KVA_DISK       0x1000f000u /* the legacy disk, mapped 1:1, kernel only */
#define UVA_HEAP       0x20000000u /* pgfault's demand-paged region */
#define UVA_HEAP_PAGES 2048u
#define UVA_STACK_TOP  0x7ffff000u
#define UVA_STACK_PAGES 2u
#define KVA_PTEMOD     0x40000000u /* ptemod's pages (kernel) */

/* Syscalls: a7 = number, a0.. = arguments, a0 (a1) = result. */
#define SYS_EXIT 1
#define SYS_FORK 2
#define SYS_WAIT 3
#define SYS_PUTC 4
#define SYS_REPORT 5 /* a0/a1: a 64-bit value for the kernel to check */
#define SYS_DISK 6   /* a0 command, a1 LBA, a2 sectors (1..8), a3 buffer in one page: a0 = STATUS, a1 = ERROR */
#define MIX_LBA_A 65536u /* mix: the two disk processes' regions */
#define MIX_LBA_B 98304u

/* console and end of run */
void kputs(const char *s);
void kputdec(uint32_t v);
void kpanic(const char *what, uint32_t v) __attribute__((noreturn));
void kfinish(int pass) __attribute__((noreturn));
void kstat(const char *name, uint64_t v);
void sbi_set_timer(uint64_t t);

/* frames and page tables (mm.c) */
void mm_init(uint32_t ram_base, uint32_t ram_size, uint32_t kernel_end);
uint32_t frame_alloc(void);          /* a zeroed 4 KiB frame (its gpa = its kernel va), panics when out */
void frame_free(uint32_t pa);
uint32_t frames_free(void);
uint32_t mm_kernel_root(void);
uint32_t *pte_lookup(uint32_t root, uint32_t va, int create); /* leaf PTE slot, or 0 */
void pte_set(uint32_t *slot, uint32_t val);
uint32_t satp_of(uint32_t root);
void satp_switch(uint32_t root);
uint32_t mm_new_space(void);          /* a root with the kernel part */
uint32_t mm_copy_space(uint32_t root); /* fork: every user page copied */
void mm_free_space(uint32_t root);   /* user pages, user tables, the root */

/* processes (proc.c) */
void proc_run_init(uint32_t work_id, uint32_t n) __attribute__((noreturn));
void ktrap(struct kframe *f);
void kenter(struct kframe *f) __attribute__((noreturn));
extern char kstack_top[];
extern volatile uint32_t timer_ticks;
extern uint32_t tick_period; /* mtime ticks between timer interrupts while processes run (0: none) */
extern uint64_t user_report;
extern uint32_t user_faults;

/* the legacy disk (disk.c): registers of docs/io.md §1 */
#define DISK_MAGIC 0x00u
#define DISK_CAPACITY 0x04u
#define DISK_LBA 0x08u
#define DISK_COUNT 0x0cu
#define DISK_DMA 0x10u
#define DISK_COMMAND 0x14u
#define DISK_STATUS 0x18u
#define DISK_ERROR 0x1cu
#define DISK_ACK 0x20u
#define DISK_SEQ 0x24u
#define DISK_MAGIC_VALUE 0x4b53444cu
#define DISK_READ 1u
#define DISK_WRITE 2u
#define DISK_FLUSH 3u
#define DISK_ST_IDLE 0u
#define DISK_ST_BUSY 1u
#define DISK_ST_DONE 2u
#define DISK_ST_ERROR 3u
extern volatile uint32_t disk_irqs, disk_lost;
extern uint32_t disk_capacity;
int disk_init(void);   /* 0, or -1 if no legacy disk answers */
void disk_irq(void);   /* the S external interrupt */
uint32_t disk_reg(uint32_t off);
void disk_reg_write(uint32_t off, uint32_t v);
/* Issues a request with the driver's bookkeeping done first; wake (if any) runs in the interrupt. */
void disk_start(uint32_t cmd, uint32_t lba, uint32_t count, uint32_t dma,
		void (*wake)(void *ctx, uint32_t status, uint32_t error), void *ctx);
/* Waits (WFI) for the request disk_start() issued: STATUS at completion, *err = ERROR. */
uint32_t disk_wait(uint32_t *err);
/* One request, waited for with WFI: STATUS at completion (DONE or ERROR), *err = ERROR. */
uint32_t disk_io(uint32_t cmd, uint32_t lba, uint32_t count, uint32_t dma, uint32_t *err);
/* The legacy driver: registers the request only window cycles after issuing it; *lost = 1 if its completion came before. */
uint32_t disk_io_legacy(uint32_t cmd, uint32_t lba, uint32_t count, uint32_t dma, uint32_t window,
			uint32_t *err, int *lost);

/* workloads */
#define WORK_PTEMOD 1
#define WORK_PGFAULT 2
#define WORK_FORKWAIT 3
#define WORK_COMPUTE 4
#define WORK_DISKSEQ 5
#define WORK_DISKRAND 6
#define WORK_LEGACY 7
#define WORK_DISKBAD 8
#define WORK_MIX 9
struct disk_params {
	uint32_t n, sectors, dseed, window;
};
/* disk workloads (iowork.c): each returns 0 on success or a case number, with its figures as work.* */
int work_disk(uint32_t work_id, const struct disk_params *p, uint64_t *cycles);
uint32_t disk_pattern(uint32_t lba, uint32_t i, uint32_t dseed);
int work_ptemod(uint32_t n, uint32_t batch, uint64_t *cycles); /* 0 pass; cycles of the loop */
void user_main(uint32_t work_id, uint32_t n, uint32_t dseed); /* U-mode (user.c) */
extern uint32_t mix_dseed;
void work_done(uint32_t work_id, uint32_t n, int exit_code, uint64_t cycles) __attribute__((noreturn));

static inline uint32_t rdcycle32(void)
{
	uint32_t v;
	__asm__ volatile("rdcycle %0" : "=r"(v));
	return v;
}

static inline uint64_t rdcycle64(void)
{
	uint32_t hi, lo, h2;

	do {
		__asm__ volatile("rdcycleh %0" : "=r"(hi));
		__asm__ volatile("rdcycle %0" : "=r"(lo));
		__asm__ volatile("rdcycleh %0" : "=r"(h2));
	} while (h2 != hi);
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t rdtime64(void)
{
	uint32_t hi, lo, h2;

	do {
		__asm__ volatile("rdtimeh %0" : "=r"(hi));
		__asm__ volatile("rdtime %0" : "=r"(lo));
		__asm__ volatile("rdtimeh %0" : "=r"(h2));
	} while (h2 != hi);
	return ((uint64_t)hi << 32) | lo;
}

#define kcsr_read(csr)                                                                             \
	({                                                                                         \
		uint32_t v_;                                                                       \
		__asm__ volatile("csrr %0, " #csr : "=r"(v_) : : "memory");                        \
		v_;                                                                                \
	})
#define kcsr_write(csr, val) ({ __asm__ volatile("csrw " #csr ", %0" : : "r"((uint32_t)(val)) : "memory"); })
#define kcsr_set(csr, val) ({ __asm__ volatile("csrs " #csr ", %0" : : "r"((uint32_t)(val)) : "memory"); })
#define kcsr_clear(csr, val) ({ __asm__ volatile("csrc " #csr ", %0" : : "r"((uint32_t)(val)) : "memory"); })

static inline void sfence_all(void)
{
	__asm__ volatile("sfence.vma zero, zero" ::: "memory");
}

static inline void sfence_va(uint32_t va)
{
	__asm__ volatile("sfence.vma %0, zero" ::"r"(va) : "memory");
}

#endif
