/* hv.h: the M-mode hypervisor's shared declarations: trap frame, layout, exit reasons, stats, console. */
#ifndef HV_HV_H
#define HV_HV_H

#include <stdint.h>

#include "gwb_log.h"
#include "shadow.h"
#include "vdisk.h"

/*
 * Host physical layout (guest RAM is 16 MiB at gpa 0x8000_0000):
 *   0x8000_0000  this image, its stack                     (HV_IMAGE_LIMIT)
 *   0x801f_0000  the guest's FDT when the guest runs native (gpa = hpa)
 *   0x8020_0000  the guest kernel, native
 *   0x8100_0000  guest RAM when virtualized (gpa + HV_GUEST_OFFSET)
 *   0x8200_0000  shadow page tables, then the GWB log
 */
#define HV_GUEST_GPA      0x80000000u
#define HV_GUEST_SIZE     0x01000000u
#define HV_GUEST_OFFSET   0x01000000u
#define HV_GUEST_KERNEL   0x80200000u /* gpa the guest kernel is linked at */
#define HV_GUEST_FDT      0x801f0000u /* gpa of the guest's device tree */
#define HV_GUEST_FDT_MAX  0x00010000u
#define HV_POOL_HPA       0x82000000u
#define HV_POOL_PAGES     1024u
#define HV_GWB_LOG_HPA    (HV_POOL_HPA + HV_POOL_PAGES * 4096u)
#define HV_HOST_RAM_MIN   (HV_GWB_LOG_HPA + MGWBCAP_MAX * GWB_RECORD_BYTES - 0x80000000u)
#define HV_RMAP_ENTRIES   16384u
#define HV_FINISHER_GPA   0x00100000u

/* The trap frame hv_entry.S builds on the hypervisor stack. */
struct hv_frame {
	uint32_t regs[32];
	uint32_t mepc, mstatus, mcause, mtval;
	uint32_t cycle_in; /* mcycle read first thing on entry */
	uint32_t pad[3];
};
#define HVF_EPC 128
#define HVF_STATUS 132
#define HVF_CAUSE 136
#define HVF_TVAL 140
#define HVF_CYCLE 144
#define HVF_SIZE 160
_Static_assert(sizeof(struct hv_frame) == HVF_SIZE && HVF_SIZE % 16 == 0, "frame size");
_Static_assert(__builtin_offsetof(struct hv_frame, mepc) == HVF_EPC, "frame epc");
_Static_assert(__builtin_offsetof(struct hv_frame, cycle_in) == HVF_CYCLE, "frame cycle");

/* Exit reasons: hv.exits.<name>.count / .cycles */
#define HV_EXIT_LIST(X)                                                                         \
	X(sbi) X(satp) X(sfence) X(wfi) X(hidden_fault) X(true_fault) X(pte_write) X(unsync)    \
	X(gwb_full) X(timer) X(hostio) X(mmio) X(illegal) X(other)
#define HV_EXIT_ENUM(n) HV_EXIT_##n,
enum hv_exit { HV_EXIT_LIST(HV_EXIT_ENUM) HV_EXIT_COUNT };

/* The stats channel (SPEC §6): read by the harness at the end of a run. */
#define UMBRA_STATS_MAGIC 0x54534d55u /* "UMST" */
#define UMBRA_STATS_NAME 56
#define UMBRA_STATS_MAX 160
struct umbra_stat {
	char name[UMBRA_STATS_NAME];
	uint64_t value;
};
struct umbra_stats_block {
	uint32_t magic;
	uint32_t count;
	struct umbra_stat e[UMBRA_STATS_MAX];
};
_Static_assert(sizeof(struct umbra_stat) == 64, "stat entry is 64 bytes");
extern struct umbra_stats_block umbra_stats;

struct hv {
	enum pt_mode mode;
	int audit, audit_selftest, has_gwb, ended;
	uint32_t guest_offset; /* hpa - gpa */
	uint32_t guest_satp;
	uint64_t guest_timer;     /* the guest's SBI timer deadline (mtime), or ~0 */
	uint32_t cycles_per_tick; /* mcycle per mtime tick, from /cpus/timebase-frequency */
	struct vdisk_cfg io;
	struct shadow sh;
	struct gwb_log gwb;
	uint64_t exits[HV_EXIT_COUNT], exit_cycles[HV_EXIT_COUNT];
	uint64_t *stat_exit_count[HV_EXIT_COUNT], *stat_exit_cycles[HV_EXIT_COUNT];
};
extern struct hv hv;

/* Compile-out trace: build with -DHV_TRACE_ON to see every exit on the console. */
#ifdef HV_TRACE_ON
#define HV_TRACE(what, v)                                                                          \
	do {                                                                                       \
		hv_console_puts("hv: trace: " what " ");                                           \
		hv_console_hex(v);                                                                 \
		hv_console_puts("\n");                                                             \
	} while (0)
#else
#define HV_TRACE(what, v) do { } while (0)
#endif

/* hv_stats.c */
void hv_stats_init(void);
uint64_t *hv_stats_add(const char *name); /* the value slot of a new entry, or 0 if full */
void hv_stats_update(void);               /* copies the shadow and GWB counters into the block */
void hv_summary(void);                    /* the readable end-of-run summary on the console */
int hv_stats_check(void);                 /* the block is well formed: 0, or a negative case number */

/* hv_main.c */
void hv_console_puts(const char *s);
void hv_console_hex(uint32_t v);
void hv_console_dec(uint64_t v);
void hv_finish(uint32_t finisher_value) __attribute__((noreturn));
void hv_fail(const char *msg, uint32_t code) __attribute__((noreturn));
void hv_tlb_flush(void *ctx);

/* hv_trap.c */
void hv_trap(struct hv_frame *f);
uint64_t hv_mcycle(void);
void hv_timer_rearm(void);
void hv_gwb_drain(void);
void hv_coherence_point(void);

/* hv_entry.S */
void hv_enter_guest(struct hv_frame *f) __attribute__((noreturn));
extern char hv_stack_top[];

#endif
