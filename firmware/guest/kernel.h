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
#define UVA_HEAP       0x10000000u /* pgfault's demand-paged region */
#define UVA_HEAP_PAGES 2048u
#define UVA_STACK_TOP  0x7ffff000u
#define UVA_STACK_PAGES 2u
#define KVA_PTEMOD     0x40000000u /* ptemod's pages (kernel) */
#define KVA_STRESS     0x30000000u /* stress's test region: 4 level-1 entries (16 MiB) */

/* Syscalls: a7 = number, a0.. = arguments, a0 (a1) = result. */
#define SYS_EXIT 1
#define SYS_FORK 2
#define SYS_WAIT 3
#define SYS_PUTC 4
#define SYS_REPORT 5 /* a0/a1: a 64-bit value for the kernel to check */

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

/* workloads */
#define WORK_PTEMOD 1
#define WORK_PGFAULT 2
#define WORK_FORKWAIT 3
#define WORK_COMPUTE 4
int work_ptemod(uint32_t n, uint32_t batch, uint64_t *cycles); /* 0 pass; cycles of the loop */
#define WORK_STRESS 16 /* kernel-mode, like ptemod (stress.c) */
int work_stress(const char *args, uint32_t n, uint64_t *cycles); /* its own bootargs from args */
void user_main(uint32_t work_id, uint32_t n); /* U-mode (user.c) */
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
