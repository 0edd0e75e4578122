/* trap.c: default C trap handlers for M-mode (trap_handler) and S-mode (strap_handler). */
#include "test.h"

/*
 * Rules:
 *  1. Every trap, in either mode, updates last_trap before anything else runs.
 *  2. The trap_expect() flag is one-shot: only an exception consumes it, never an interrupt.
 *  3. run_ctx_sp != 0 exactly while a run_in_mode() call is outstanding.
 *  4. The ecall of run_exit_stub (fn returned) and the ecall by which S-mode forwards the end
 *     of a call to M-mode are not recorded in last_trap and never consume trap_expect().
 */

volatile struct trap_record last_trap;
static volatile uint32_t expect_armed;
static trap_irq_fn irq_fn;
static trap_exc_fn exc_fn;
static volatile uint32_t run_forwarding; /* S-mode is handing a run_in_mode() end up to M */

extern uint32_t run_ctx_sp;
extern uint32_t run_lower_sp;
extern uint32_t run_sstack_top;
void run_exit_stub(void);
void run_mode_return(uint32_t value) __attribute__((noreturn));

void trap_set_irq_handler(trap_irq_fn fn)
{
	irq_fn = fn;
}

void trap_set_exc_handler(trap_exc_fn fn)
{
	exc_fn = fn;
}

void trap_expect(void)
{
	expect_armed = 1;
}

void trap_expect_clear(void)
{
	expect_armed = 0;
}

int trap_expect_pending(void)
{
	return expect_armed != 0;
}

void run_set_stacks(uint32_t lower_sp, uint32_t s_trap_sp)
{
	run_lower_sp = lower_sp ? lower_sp : (uint32_t)__lower_stack_top;
	run_sstack_top = s_trap_sp ? s_trap_sp : (uint32_t)__sstack_top;
}

static void __attribute__((noreturn)) fail_unexpected(const struct trap_frame *f)
{
	print("FAIL unexpected trap cause=");
	print_hex(f->cause);
	print(" epc=");
	print_hex(f->epc);
	print(" tval=");
	print_hex(f->tval);
	print("\n");
	test_fail(255);
}

/* A fetch fault reports the jump target as epc (and tval); cause 0 reports the jump itself. */
static int is_fetch_fault(uint32_t cause)
{
	return cause == CAUSE_FETCH_ACCESS || cause == CAUSE_FETCH_PAGE_FAULT;
}

/* Ends the outstanding run_in_mode() with a0; from S-mode, via an ecall up to M-mode. */
static void end_run(struct trap_frame *f, uint32_t mode)
{
	if (mode == MODE_M) {
		run_forwarding = 0;
		run_mode_return(f->regs[10]);
	}
	run_forwarding = 1;
	ecall1(f->regs[10]);
	fail_unexpected(f); /* M-mode did not end the call (medeleg[9] set?) */
}

static void handle(struct trap_frame *f, uint32_t mode)
{
	uint32_t cause = f->cause;

	/* fn returned, or S-mode forwards an end: invisible in last_trap, never claimed */
	if ((cause == CAUSE_ECALL_U || cause == CAUSE_ECALL_S) && run_ctx_sp != 0 &&
	    (f->epc == (uint32_t)run_exit_stub || (cause == CAUSE_ECALL_S && run_forwarding)))
		end_run(f, mode);

	last_trap.cause = cause;
	last_trap.tval = f->tval;
	last_trap.epc = f->epc;
	last_trap.mode = mode;
	last_trap.count = last_trap.count + 1;

	if (cause & CAUSE_INTERRUPT) {
		if (!irq_fn)
			fail_unexpected(f);
		irq_fn(cause & ~CAUSE_INTERRUPT, f);
		return;
	}
	if (exc_fn && exc_fn(f, mode))
		return;
	if (expect_armed) {
		expect_armed = 0;
		if (is_fetch_fault(cause) && f->epc == f->tval)
			f->epc = f->regs[1];
		else
			f->epc += 4;
		return;
	}
	if ((cause == CAUSE_ECALL_U || cause == CAUSE_ECALL_S) && run_ctx_sp != 0)
		end_run(f, mode);
	fail_unexpected(f);
}

void __attribute__((weak)) trap_handler(struct trap_frame *f)
{
	handle(f, MODE_M);
}

void __attribute__((weak)) strap_handler(struct trap_frame *f)
{
	handle(f, MODE_S);
}
