/* kmain.c: guest kernel boot: console through SBI, bootargs, kernel page tables, a timer tick, then the workload. */
#include "kernel.h"

#include "fdt_lite.h"

#define SBI_EXT_UMBRA 0x09554d42u
#define FINISHER_PASS 0x5555u
#define FINISHER_FAIL 0x3333u

volatile uint32_t timer_ticks;
uint32_t tick_period;

static uint32_t sbi_call(uint32_t eid, uint32_t fid, uint32_t a0, uint32_t a1, uint32_t a2)
{
	register uint32_t r0 __asm__("a0") = a0;
	register uint32_t r1 __asm__("a1") = a1;
	register uint32_t r2 __asm__("a2") = a2;
	register uint32_t r6 __asm__("a6") = fid;
	register uint32_t r7 __asm__("a7") = eid;

	__asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
	return r0;
}

void kputs(const char *s)
{
	while (*s)
		sbi_call(1, 0, (uint8_t)*s++, 0, 0);
}

void kputdec(uint32_t v)
{
	char b[11];
	int n = 10;

	b[n] = 0;
	do {
		b[--n] = (char)('0' + v % 10u);
		v /= 10u;
	} while (v);
	kputs(&b[n]);
}

void sbi_set_timer(uint64_t t)
{
	sbi_call(0, 0, (uint32_t)t, (uint32_t)(t >> 32), 0);
}

void kstat(const char *name, uint64_t v)
{
	/* the name's kernel va is its gpa (identity map) */
	if (sbi_call(SBI_EXT_UMBRA, 0, (uint32_t)name, (uint32_t)v, (uint32_t)(v >> 32)))
		kputs("guest: warning: the hypervisor refused a statistic\n");
}

void kfinish(int pass)
{
	sbi_call(SBI_EXT_UMBRA, 1, 0, 0, 0); /* summary first: the finisher ends the run */
	*(volatile uint32_t *)KVA_FINISHER = pass ? FINISHER_PASS : ((3u << 16) | FINISHER_FAIL);
	for (;;)
		;
}

void kpanic(const char *what, uint32_t v)
{
	kputs("guest: FAIL ");
	kputs(what);
	kputs(" (");
	kputdec(v);
	kputs(")\n");
	kstat("work.pass", 0);
	kfinish(0);
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* One timer interrupt through SBI, waited for with WFI (TW=1 makes that an exit). */
static void timer_selftest(void)
{
	uint64_t deadline = rdtime64() + 200;

	sbi_set_timer(deadline);
	kcsr_set(sie, MIP_STIP);
	kcsr_set(sstatus, MSTATUS_SIE);
	while (!timer_ticks)
		__asm__ volatile("wfi");
	kcsr_clear(sstatus, MSTATUS_SIE);
	kcsr_clear(sie, MIP_STIP);
	if (rdtime64() < deadline)
		kpanic("the timer interrupt came before its deadline", (uint32_t)deadline);
}

void work_done(uint32_t work_id, uint32_t n, int exit_code, uint64_t cycles)
{
	(void)work_id;
	kstat("work.n", n);
	kstat("work.cycles", cycles);
	kstat("work.cycles_per_iter", cycles / n);
	kstat("work.timer_ticks", timer_ticks);
	kstat("work.pass", exit_code == 0);
	kputs(exit_code == 0 ? "guest: PASS" : "guest: FAIL");
	kputs(" cycles/iter=");
	kputdec((uint32_t)(cycles / n));
	kputs("\n");
	kfinish(exit_code == 0);
}

void kmain(uint32_t hartid, const void *fdt);
void kmain(uint32_t hartid, const void *fdt)
{
	extern char __kernel_end[];
	const char *args = fdt_lite_bootargs(fdt);
	char work[16];
	uint32_t ram_base, ram_size, n = 0, batch = 1, id;
	struct disk_params dp = { 0, 8, 1, 5000 };
	int rc;

	(void)hartid;
	if (!args || fdt_lite_memory(fdt, &ram_base, &ram_size))
		kpanic("no bootargs or memory in the device tree", 0);
	if (bootarg_get(args, "work", work, sizeof(work)))
		kpanic("no work= in bootargs (ptemod, pgfault, forkwait, compute, diskseq, diskrand, legacy, diskbad, mix)", 0);
	if (str_eq(work, "ptemod"))
		id = WORK_PTEMOD, n = 64;
	else if (str_eq(work, "pgfault"))
		id = WORK_PGFAULT, n = 64;
	else if (str_eq(work, "forkwait"))
		id = WORK_FORKWAIT, n = 8;
	else if (str_eq(work, "compute"))
		id = WORK_COMPUTE, n = 100;
	else if (str_eq(work, "diskseq"))
		id = WORK_DISKSEQ, n = 64;
	else if (str_eq(work, "diskrand"))
		id = WORK_DISKRAND, n = 64;
	else if (str_eq(work, "legacy"))
		id = WORK_LEGACY, n = 32;
	else if (str_eq(work, "diskbad"))
		id = WORK_DISKBAD, n = 1;
	else if (str_eq(work, "mix"))
		id = WORK_MIX, n = 8;
	else
		kpanic("unknown work= (ptemod, pgfault, forkwait, compute, diskseq, diskrand, legacy, diskbad, mix)", 0);
	rc = bootarg_get_u32(args, "n", &n);
	if (rc == -2 || n == 0 || n > 1000000u)
		kpanic("n= takes a number in 1..1000000", n);
	rc = bootarg_get_u32(args, "batch", &batch);
	if (rc == -2 || batch == 0 || batch > 256)
		kpanic("batch= takes a number in 1..256", batch);
	rc = bootarg_get_u32(args, "tick", &tick_period);
	if (rc == -2 || (rc == 0 && tick_period != 0 && tick_period < 100))
		kpanic("tick= takes 0 or a period of at least 100 mtime ticks", tick_period);
	if (id == WORK_PGFAULT && n > UVA_HEAP_PAGES)
		kpanic("pgfault: n= is at most the heap's pages", UVA_HEAP_PAGES);
	rc = bootarg_get_u32(args, "sectors", &dp.sectors);
	if (rc == -2 || dp.sectors == 0 || dp.sectors > 128)
		kpanic("sectors= takes a number in 1..128", dp.sectors);
	rc = bootarg_get_u32(args, "dseed", &dp.dseed);
	if (rc == -2)
		kpanic("dseed= takes a number in 0..4294967295", 0);
	rc = bootarg_get_u32(args, "W", &dp.window);
	if (rc == -2 || dp.window > 100000000u)
		kpanic("W= takes cycles in 0..100000000", dp.window);
	if (id == WORK_DISKRAND && n > 4096)
		kpanic("diskrand: n= is at most 4096", n);
	if (id == WORK_MIX && n > 4096)
		kpanic("mix: n= is at most 4096", n);

	kputs("guest: work=");
	kputs(work);
	kputs(" n=");
	kputdec(n);
	if (id == WORK_PTEMOD) {
		kputs(" batch=");
		kputdec(batch);
	}
	kputs("\n");
	mm_init(ram_base, ram_size, (uint32_t)__kernel_end);
	satp_switch(mm_kernel_root());
	timer_selftest();
	kstat("work.batch", id == WORK_PTEMOD ? batch : 0);
	if (id == WORK_PTEMOD) {
		uint64_t cycles = 0;
		int r = work_ptemod(n, batch, &cycles);

		work_done(id, n, r, cycles);
	}
	if (id >= WORK_DISKSEQ && id <= WORK_DISKBAD) {
		uint64_t cycles = 0;
		int r;

		dp.n = n;
		r = work_disk(id, &dp, &cycles);
		work_done(id, n, r, cycles ? cycles : 1);
	}
	if (id == WORK_MIX) {
		if (disk_init())
			kpanic("no legacy disk at 0x1000f000 (MAGIC)", 0);
		mix_dseed = dp.dseed;
	}
	proc_run_init(id, n);
}
