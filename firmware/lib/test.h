/* test.h: the bare-metal test library API: console, signatures, checks, CSR access, traps, mode switching. */
#ifndef UMBRA_TEST_H
#define UMBRA_TEST_H

/*
 * Rules a test can rely on:
 *  1. crt0 enters main() in M-mode with mtvec = trap_entry (direct), stvec = strap_entry,
 *     mie = 0, mstatus.MIE = 0, medeleg = mideleg = 0, satp = 0, mcounteren = scounteren = 0,
 *     mscratch = sscratch = 0, mip.SSIP/STIP/SEIP = 0, mtimecmp = ~0 (no MTIP), msip = 0,
 *     and PMP entry 0 granting RWX on all memory to S/U (no-op on a core without PMP
 *     entries; QEMU needs it, or S/U can touch nothing and an mret to S/U is illegal).
 *     main() returning 0 passes the test; any other value v fails it with test_fail(v).
 *  2. Memory: the image lives in the first 960 KiB of RAM; the M-mode stack tops out at
 *     __stack_top (0x80100000), the stack of code run by run_in_mode() at __lower_stack_top
 *     (0x800f8000) and the S-mode trap stack (used on traps from U-mode into strap_entry) at
 *     __sstack_top (0x800f4000).  Everything stays inside the first 1 MiB of RAM.
 *  3. mscratch is 0 while the hart runs in M-mode and holds the M-mode trap stack pointer
 *     while it runs in S/U; sscratch likewise for S vs U.  A test that writes mscratch or
 *     sscratch must restore 0 before anything can trap.
 *  4. A trap handler changes the interrupted context through the frame: regs[], epc and
 *     status (written back to mepc/mstatus, or sepc/sstatus, before mret/sret).
 *  5. Default trap handling (M-mode trap_handler and S-mode strap_handler alike):
 *     last_trap records cause/tval/epc/mode and count++; then
 *     a. an interrupt calls the irq callback (trap_set_irq_handler); without one the test fails;
 *     b. an exception is offered to the exception callback (trap_set_exc_handler), if any;
 *     c. if trap_expect() armed the one-shot flag, the flag is cleared and the faulting
 *        instruction skipped (epc += 4); for a fetch fault (cause 1 or 12 with epc == tval)
 *        execution resumes at ra instead, so make such jumps as calls (jalr ra, ...);
 *        a misaligned fetch (cause 0) reports the jump/branch itself and is skipped;
 *     d. an ecall from U/S inside run_in_mode() ends that call (rule 6);
 *     e. anything else prints "FAIL unexpected trap cause=0x.. epc=0x.. tval=0x.." and exits
 *        through the finisher with code 255.
 *  6. run_in_mode(mode, fn, arg), called from M-mode only, runs fn(arg) in U (MODE_U) or
 *     S (MODE_S) mode and returns to its caller in M-mode with either fn's return value, or
 *     the a0 of the first ecall fn (or anything it calls) makes that no trap_expect() claims.
 *     An unclaimed ecall from U that medeleg sends to S is forwarded by strap_handler as an
 *     ecall from S with the same a0.  Do not leave medeleg bit 9 (ecall from S) set when the
 *     call must end from S-mode.  mstatus.MIE is restored on return; other CSRs are not.
 *     fn's return goes through an ecall in run_exit_stub: it is not recorded in last_trap and
 *     never consumes trap_expect(), but it does overwrite mcause/mepc (and scause/sepc when
 *     medeleg[8] is set), so read last_trap, not those CSRs, after run_in_mode() returns.
 *  7. Case numbers are 1..255 per test so that the exit status (code mod 256 on a host)
 *     is never 0 for a failure; the FAIL line on the console names the case in any event.
 */

#include <stddef.h>
#include <stdint.h>
#include "csr_bits.h"
#include "platform.h"

/* ---- console and signatures ---- */
void uart_putc(char c);
void print(const char *s);
void print_hex(uint32_t v);            /* "0x" and 8 lowercase hex digits */
void print_dec(uint32_t v);
void sig(uint32_t case_no, uint32_t value); /* "sig <case> <8 hex digits>\n"; deterministic values only */

/* ---- finishing ---- */
void test_pass(void) __attribute__((noreturn));
void test_fail(uint32_t code) __attribute__((noreturn));
void test_check_failed(uint32_t case_no, const char *expr, uint32_t got, uint32_t want,
		       const char *file, int line) __attribute__((noreturn));

#define CHECK(case_no, cond)                                                                   \
	do {                                                                                   \
		if (!(cond))                                                                   \
			test_check_failed((case_no), #cond, 0, 1, __FILE__, __LINE__);         \
	} while (0)

#define CHECK_EQ(case_no, got, want)                                                           \
	do {                                                                                   \
		uint32_t check_got_ = (uint32_t)(got);                                         \
		uint32_t check_want_ = (uint32_t)(want);                                       \
		if (check_got_ != check_want_)                                                 \
			test_check_failed((case_no), #got " == " #want, check_got_, check_want_,  \
					  __FILE__, __LINE__);                                 \
	} while (0)

/* sig() the value, then CHECK_EQ it. */
#define CHECK_SIG(case_no, got, want)                                                          \
	do {                                                                                   \
		uint32_t check_got_ = (uint32_t)(got);                                         \
		uint32_t check_want_ = (uint32_t)(want);                                       \
		sig((case_no), check_got_);                                                    \
		if (check_got_ != check_want_)                                                 \
			test_check_failed((case_no), #got " == " #want, check_got_, check_want_,  \
					  __FILE__, __LINE__);                                 \
	} while (0)

/*
 * CHECK_EQ on umbra only, never sig()ned: for behaviour where QEMU 7.2 (the reference) differs
 * from umbra, legally (WARL, implementation-defined) or not (QEMU bugs).  umbra is held to the
 * privileged spec exactly while both consoles stay the same; the test checks QEMU's behaviour
 * separately, if at all.
 */
#define CHECK_ON_UMBRA(case_no, got, want)                                                     \
	do {                                                                                   \
		if (platform_is_umbra())                                                       \
			CHECK_EQ((case_no), (got), (want));                                    \
	} while (0)

/* ---- CSR access by name: csr_read(mstatus) ---- */
#define csr_read(csr)                                                                          \
	({                                                                                     \
		uint32_t csr_v_;                                                               \
		__asm__ volatile("csrr %0, " #csr : "=r"(csr_v_) : : "memory");                \
		csr_v_;                                                                        \
	})
#define csr_write(csr, val)                                                                    \
	({ __asm__ volatile("csrw " #csr ", %0" : : "rK"((uint32_t)(val)) : "memory"); })
#define csr_set(csr, val)                                                                      \
	({ __asm__ volatile("csrs " #csr ", %0" : : "rK"((uint32_t)(val)) : "memory"); })
#define csr_clear(csr, val)                                                                    \
	({ __asm__ volatile("csrc " #csr ", %0" : : "rK"((uint32_t)(val)) : "memory"); })
#define csr_swap(csr, val)                                                                     \
	({                                                                                     \
		uint32_t csr_v_;                                                               \
		__asm__ volatile("csrrw %0, " #csr ", %1"                                      \
				 : "=r"(csr_v_)                                                \
				 : "rK"((uint32_t)(val))                                       \
				 : "memory");                                                  \
		csr_v_;                                                                        \
	})

/* ---- traps ---- */
struct trap_frame {
	uint32_t regs[32]; /* x0..x31 at the trap; regs[2] is the interrupted sp */
	uint32_t epc;      /* mepc / sepc; written back on return */
	uint32_t status;   /* mstatus / sstatus; written back on return */
	uint32_t cause;
	uint32_t tval;
};

#define TF_EPC    128
#define TF_STATUS 132
#define TF_CAUSE  136
#define TF_TVAL   140
#define TF_SIZE   144
_Static_assert(sizeof(struct trap_frame) == TF_SIZE && TF_SIZE % 16 == 0, "trap frame layout");
_Static_assert(__builtin_offsetof(struct trap_frame, epc) == TF_EPC, "trap frame epc");
_Static_assert(__builtin_offsetof(struct trap_frame, tval) == TF_TVAL, "trap frame tval");

struct trap_record {
	uint32_t cause;
	uint32_t tval;
	uint32_t epc;
	uint32_t count; /* traps taken so far, exceptions and interrupts, M and S */
	uint32_t mode;  /* MODE_M if trap_entry took it, MODE_S if strap_entry did */
};
extern volatile struct trap_record last_trap;

/* irq = cause without the interrupt bit; last_trap.mode says which handler runs. */
typedef void (*trap_irq_fn)(uint32_t irq, struct trap_frame *f);
/* Returns non-zero when it handled the exception (then nothing else is done). */
typedef int (*trap_exc_fn)(struct trap_frame *f, uint32_t mode);

void trap_entry(void);  /* M-mode vector (mtvec, direct) */
void strap_entry(void); /* S-mode vector (stvec, direct) */
void trap_handler(struct trap_frame *f);
void strap_handler(struct trap_frame *f);
void trap_set_irq_handler(trap_irq_fn fn);
void trap_set_exc_handler(trap_exc_fn fn);
void trap_expect(void);       /* arm the one-shot "next exception is expected" flag */
void trap_expect_clear(void); /* disarm it (after an instruction that did not trap) */
int trap_expect_pending(void);

/*
 * Runs stmt with trap_expect() armed; checks that exactly one trap was taken with cause
 * want_cause and clears the flag if nothing trapped.
 */
#define CHECK_TRAP(case_no, want_cause, stmt)                                                  \
	do {                                                                                   \
		uint32_t check_n_ = last_trap.count;                                           \
		trap_expect();                                                                 \
		stmt;                                                                          \
		trap_expect_clear();                                                           \
		CHECK_EQ((case_no), last_trap.count - check_n_, 1);                            \
		CHECK_EQ((case_no), last_trap.cause, (want_cause));                            \
	} while (0)

/* ---- privilege modes ---- */
uint32_t run_in_mode(int mode, uint32_t (*fn)(uint32_t), uint32_t arg);
/* Stack tops used by the next run_in_mode(): lower-mode sp and S trap stack (0 = defaults). */
void run_set_stacks(uint32_t lower_sp, uint32_t s_trap_sp);
/* ecall with a0 = arg from the current mode; returns a0 after the trap handler. */
uint32_t ecall1(uint32_t arg);

/* ---- boot values and layout ---- */
extern uint32_t boot_hartid;
extern uint32_t boot_fdt;
extern char __stack_top[], __lower_stack_top[], __sstack_top[], __image_end[];

/* ---- freestanding string functions (the compiler may call them) ---- */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
