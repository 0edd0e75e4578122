/* user.c: the U-mode side of the workloads (pgfault, forkwait, compute, mix) and their syscall stubs; no data, no library calls. */
#include "kernel.h"

static inline uint32_t sys2(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t *r1)
{
	register uint32_t x10 __asm__("a0") = a0;
	register uint32_t x11 __asm__("a1") = a1;
	register uint32_t x17 __asm__("a7") = nr;

	__asm__ volatile("ecall" : "+r"(x10), "+r"(x11) : "r"(x17) : "memory");
	if (r1)
		*r1 = x11;
	return x10;
}

static inline uint32_t sys4(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
	register uint32_t x10 __asm__("a0") = a0;
	register uint32_t x11 __asm__("a1") = a1;
	register uint32_t x12 __asm__("a2") = a2;
	register uint32_t x13 __asm__("a3") = a3;
	register uint32_t x17 __asm__("a7") = nr;

	__asm__ volatile("ecall" : "+r"(x10), "+r"(x11) : "r"(x12), "r"(x13), "r"(x17) : "memory");
	return x10;
}

static void __attribute__((noreturn)) u_exit(uint32_t code)
{
	sys2(SYS_EXIT, code, 0, 0);
	for (;;)
		;
}

/* pgfault: touch n fresh heap pages (each one a demand fault), then check them all. */
static uint32_t u_pgfault(uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		volatile uint32_t *p = (volatile uint32_t *)(UVA_HEAP + i * PAGE_SIZE);

		if (p[1] != 0)
			return 2; /* not zeroed */
		p[0] = i * 7u + 1u;
		p[1023] = ~i;
	}
	for (uint32_t i = 0; i < n; i++) {
		volatile uint32_t *p = (volatile uint32_t *)(UVA_HEAP + i * PAGE_SIZE);

		if (p[0] != i * 7u + 1u || p[1023] != ~i)
			return 3;
	}
	return 0;
}

/* forkwait: n x (fork, the child writes its copied stack and exits, the parent waits). */
static uint32_t u_forkwait(uint32_t n)
{
	volatile uint32_t mark = 0x5a5a0000u;

	for (uint32_t i = 0; i < n; i++) {
		uint32_t pid, code, wpid;

		mark = 0x5a5a0000u | i;
		pid = sys2(SYS_FORK, 0, 0, 0);
		if (pid == (uint32_t)-1)
			return 4;
		if (pid == 0) {
			/* the child sees the parent's stack as it was at fork */
			uint32_t ok = mark == (0x5a5a0000u | i);

			mark = 0xdeadu;
			u_exit(ok ? (i % 100u) + 1u : 200u);
		}
		code = sys2(SYS_WAIT, 0, 0, &wpid);
		if (code != (i % 100u) + 1u || wpid != pid)
			return 5;
		if (mark != (0x5a5a0000u | i))
			return 6; /* the child wrote the parent's page */
	}
	return 0;
}

/* compute: sum of i*i for i < 1000 n, checked by the kernel against the closed form. */
static uint32_t u_compute(uint32_t n)
{
	uint64_t sum = 0;
	uint32_t m = n * 1000u;

	for (uint32_t i = 0; i < m; i++)
		sum += (uint64_t)i * i;
	sys2(SYS_REPORT, (uint32_t)sum, (uint32_t)(sum >> 32), 0);
	return 0;
}

/* docs/io.md §6 */
static inline uint32_t u_pattern(uint32_t lba, uint32_t i, uint32_t dseed)
{
	return (lba * 0x9E3779B1u + i * 0x85EBCA77u) ^ 0xD15C0000u ^ dseed;
}

/* mix's disk process: n x (write 8 sectors at region + 8k, read them back, check every word). */
static uint32_t u_disk(uint32_t n, uint32_t region, uint32_t dseed)
{
	volatile uint32_t *wbuf = (volatile uint32_t *)UVA_HEAP;
	volatile uint32_t *rbuf = (volatile uint32_t *)(UVA_HEAP + PAGE_SIZE);

	for (uint32_t k = 0; k < n; k++) {
		uint32_t lba = region + 8u * k;

		for (uint32_t w = 0; w < 1024u; w++)
			wbuf[w] = u_pattern(lba + w / 128u, w % 128u, dseed);
		if (sys4(SYS_DISK, 2, lba, 8, UVA_HEAP) != 2)
			return 7;
		for (uint32_t w = 0; w < 1024u; w++)
			rbuf[w] = 0xa5a5a5a5u;
		if (sys4(SYS_DISK, 1, lba, 8, UVA_HEAP + PAGE_SIZE) != 2)
			return 8;
		for (uint32_t w = 0; w < 1024u; w++)
			if (rbuf[w] != u_pattern(lba + w / 128u, w % 128u, dseed))
				return 9;
	}
	return 0;
}

/* mix: forkwait in one process while two others do disk I/O, all children waited for. */
static uint32_t u_mix(uint32_t n, uint32_t dseed)
{
	uint32_t pid, code, wpid;

	if ((pid = sys2(SYS_FORK, 0, 0, 0)) == 0)
		u_exit(u_forkwait(n));
	if (pid == (uint32_t)-1)
		return 11;
	if ((pid = sys2(SYS_FORK, 0, 0, 0)) == 0)
		u_exit(u_disk(n, MIX_LBA_A, dseed));
	if (pid == (uint32_t)-1)
		return 11;
	if ((pid = sys2(SYS_FORK, 0, 0, 0)) == 0)
		u_exit(u_disk(n, MIX_LBA_B, dseed));
	if (pid == (uint32_t)-1)
		return 11;
	for (uint32_t i = 0; i < 3; i++) {
		code = sys2(SYS_WAIT, 0, 0, &wpid);
		if (code != 0)
			return code == (uint32_t)-1 ? 12 : code;
	}
	return 0;
}

void user_main(uint32_t work_id, uint32_t n, uint32_t dseed)
{
	uint32_t r = 1;

	if (work_id == WORK_PGFAULT)
		r = u_pgfault(n);
	else if (work_id == WORK_FORKWAIT)
		r = u_forkwait(n);
	else if (work_id == WORK_COMPUTE)
		r = u_compute(n);
	else if (work_id == WORK_MIX)
		r = u_mix(n, dseed);
	u_exit(r);
}
